//! Prints a fingerprint (FNV-1a of the tally's JSON) of fixed-seed runs of
//! the shipped, test and benchmark models and of the generated benchmark
//! model: the check that an optimisation left every result bit for bit
//! unchanged. Run it before and after a change and compare:
//! `cargo run --release -p uchronia-engine --example fingerprint`.

use std::sync::atomic::AtomicBool;

use uchronia_engine::{RunConfig, run};
use uchronia_model::Model;

use uchronia_test_support::models as support;

/// FNV-1a, 64 bits: stable across builds, unlike the std hasher.
fn fnv(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

fn fingerprint(name: &str, model: &Model) {
    for (seed, draws, trials) in [(7, 6, 40_000), (11, 40, 1_000), (3, 2, 70)] {
        let config = RunConfig {
            seed,
            draws,
            trials_per_draw: trials,
            scenarios: (0..model.scenarios.len()).collect(),
            draw_range: 0..draws,
            design: Default::default(),
        };
        let text = match run(model, &config, &|_| {}, &AtomicBool::new(false)) {
            Ok(tally) => serde_json::to_string(&tally).expect("a tally serialises"),
            Err(error) => format!("error: {error}"),
        };
        println!("{name:<28} seed {seed:>2}  {:016x}", fnv(text.as_bytes()));
    }
}

fn main() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    let mut paths: Vec<String> = std::env::args().skip(1).collect();
    if paths.is_empty() {
        for path in [
            "models/trotsky.toml",
            "tests/models/small.toml",
            "tests/models/runtime_error.toml",
            "bench/models/asia.toml",
            "bench/models/numeric.toml",
        ] {
            paths.push(format!("{root}/{path}"));
        }
    }
    for path in &paths {
        let source = match std::fs::read_to_string(path) {
            Ok(source) => source,
            Err(error) => {
                println!("{path}: {error}");
                continue;
            }
        };
        match uchronia_model::load(path, &source) {
            Ok(loaded) => {
                let name = path.rsplit('/').next().unwrap_or(path);
                fingerprint(name, &loaded.model);
            }
            Err(errors) => println!("{path}: does not load: {errors:?}"),
        }
    }
    fingerprint("generated(40, 15)", &support::generated_model(40, 15));
    fingerprint("generated(120, 40)", &support::generated_model(120, 40));
}
