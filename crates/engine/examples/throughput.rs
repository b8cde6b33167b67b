//! Runs one model for a given size on a given number of threads and prints
//! the wall time and rates: a driver for profilers (`perf record`,
//! `valgrind --tool=callgrind`) and quick comparisons.
//! `cargo run --release -p uchronia-engine --example throughput -- MODEL [DRAWS] [TRIALS_PER_DRAW] [THREADS] [REPS]`
//! (MODEL `generated` is the 40-node, 15-param generated model).

use std::sync::atomic::AtomicBool;
use std::time::Instant;

use uchronia_engine::{RunConfig, run};

#[path = "../tests/support/mod.rs"]
#[allow(missing_docs, dead_code)]
mod support;

fn arg(args: &[String], i: usize, default: u64) -> u64 {
    args.get(i)
        .and_then(|a| a.replace('_', "").parse::<f64>().ok())
        .map_or(default, |x| x as u64)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let path = args.first().map_or("generated", String::as_str);
    let model = if path == "generated" {
        support::generated_model(40, 15)
    } else {
        let source = std::fs::read_to_string(path).expect("the model file reads");
        match uchronia_model::load(path, &source) {
            Ok(loaded) => loaded.model,
            Err(errors) => panic!("{path} does not load: {errors:?}"),
        }
    };
    let draws = arg(&args, 1, 20);
    let trials = arg(&args, 2, 100_000);
    let threads = arg(&args, 3, 1) as usize;
    let reps = arg(&args, 4, 3);
    let scenarios: Vec<usize> = (0..model.scenarios.len()).collect();
    let config = RunConfig {
        seed: 1,
        draws,
        trials_per_draw: trials,
        scenarios: scenarios.clone(),
        draw_range: 0..draws,
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("a pool");
    let mut times = Vec::new();
    for _ in 0..reps {
        let start = Instant::now();
        pool.install(|| run(&model, &config, &|_| {}, &AtomicBool::new(false)))
            .expect("the run succeeds");
        times.push(start.elapsed().as_secs_f64());
    }
    times.sort_by(f64::total_cmp);
    let median = times[times.len() / 2];
    let n = (draws * trials) as f64;
    println!(
        "{path}: {draws} x {trials} trials, {} scenario(s), {threads} thread(s): median {median:.3} s of {reps}; {:.3} M trials/s, {:.3} M scenario-trials/s",
        scenarios.len(),
        n / median / 1e6,
        n * scenarios.len() as f64 / median / 1e6
    );
}
