//! Runs one model for a given size on a given number of threads and prints
//! the wall time and rates: a driver for profilers (`perf record`,
//! `valgrind --tool=callgrind`) and quick comparisons. It also prints rates
//! per second of CPU time (from /proc/self/stat) and the random-number limit
//! measured the same way, which other processes loading the machine disturb
//! much less than wall time.
//! `cargo run --release -p uchronia-engine --example throughput -- MODEL [DRAWS] [TRIALS_PER_DRAW] [THREADS] [REPS] [SCENARIOS]`
//! (MODEL `generated` is the 40-node, 15-param generated model; SCENARIOS,
//! all by default, runs the first ones only; UCHRONIA_CPU=1 adds the rates
//! per CPU second).

use std::sync::atomic::AtomicBool;
use std::time::Instant;

use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use uchronia_distributions::open01;
use uchronia_engine::bench::random_words_per_trial;
use uchronia_engine::{RunConfig, run};

use uchronia_test_support::models as support;

fn arg(args: &[String], i: usize, default: u64) -> u64 {
    args.get(i)
        .and_then(|a| a.replace('_', "").parse::<f64>().ok())
        .map_or(default, |x| x as u64)
}

/// CPU seconds used by this process so far (user + system), from
/// /proc/self/stat (clock ticks of 1/100 s); 0 where it cannot be read.
fn cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    // Fields after the command name (which is in parentheses).
    let Some(rest) = stat.rsplit(')').next() else {
        return 0.0;
    };
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // utime and stime are fields 14 and 15 of the line, 12 and 13 here.
    (ticks(11) + ticks(12)) / 100.0
}

/// Uniforms per CPU second on this thread, as `uchronia bench` makes them.
fn uniforms_per_cpu_second() -> f64 {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(1);
    let start = cpu_seconds();
    let mut count = 0u64;
    let mut checksum = 0.0;
    while cpu_seconds() - start < 2.0 {
        for _ in 0..1 << 20 {
            checksum += open01(rng.next_u64());
        }
        count += 1 << 20;
    }
    std::hint::black_box(checksum);
    count as f64 / (cpu_seconds() - start)
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
    let count = arg(&args, 5, model.scenarios.len() as u64) as usize;
    let scenarios: Vec<usize> = (0..model.scenarios.len().min(count.max(1))).collect();
    let config = RunConfig {
        seed: 1,
        draws,
        trials_per_draw: trials,
        scenarios: scenarios.clone(),
        draw_range: 0..draws,
        design: Default::default(),
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("a pool");
    let mut times = Vec::new();
    let mut cpu = Vec::new();
    for _ in 0..reps {
        let start = Instant::now();
        let cpu_start = cpu_seconds();
        pool.install(|| run(&model, &config, &|_| {}, &AtomicBool::new(false)))
            .expect("the run succeeds");
        times.push(start.elapsed().as_secs_f64());
        cpu.push(cpu_seconds() - cpu_start);
    }
    times.sort_by(f64::total_cmp);
    cpu.sort_by(f64::total_cmp);
    let median = times[times.len() / 2];
    let median_cpu = cpu[cpu.len() / 2];
    let n = (draws * trials) as f64;
    let s = scenarios.len() as f64;
    println!(
        "{path}: {draws} x {trials} trials, {} scenario(s), {threads} thread(s): median {median:.3} s of {reps}; {:.3} M trials/s, {:.3} M scenario-trials/s",
        scenarios.len(),
        n / median / 1e6,
        n * s / median / 1e6
    );
    if std::env::var_os("UCHRONIA_CPU").is_some() && median_cpu > 0.0 {
        let words = random_words_per_trial(&model);
        let limit = uniforms_per_cpu_second() / words;
        let rate = n / median_cpu;
        println!(
            "  per CPU second: {:.3} M trials/s, {:.3} M scenario-trials/s; limit {:.3} M trials/s ({words:.2} words per trial); share {:.1}% per trial, {:.1}% per scenario-trial",
            rate / 1e6,
            rate * s / 1e6,
            limit / 1e6,
            100.0 * rate / limit,
            100.0 * rate * s / limit
        );
    }
}
