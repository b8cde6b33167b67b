//! Engine throughput on a generated model of 40 nodes and 15 params (mostly
//! boolean nodes with conditional probabilities, categorical nodes with
//! tables, two numeric nodes), on 1 and 2 threads, beside the random-number
//! limit of the same pool. Run with `cargo bench -p uchronia-engine`.

use std::sync::atomic::AtomicBool;
use std::time::Instant;

use uchronia_engine::bench::{random_words_per_trial, uniform_draws_per_second};
use uchronia_engine::{RunConfig, run};

#[path = "../tests/support/mod.rs"]
#[allow(missing_docs)]
mod support;

const DRAWS: u64 = 8;
const TRIALS: u64 = 50_000;

fn config(scenarios: Vec<usize>) -> RunConfig {
    RunConfig {
        seed: 1,
        draws: DRAWS,
        trials_per_draw: TRIALS,
        scenarios,
        draw_range: 0..DRAWS,
    }
}

fn pool(threads: usize) -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("a thread pool")
}

/// One scenario, `DRAWS` x `TRIALS` trials per iteration.
#[divan::bench(args = [1, 2], sample_count = 10)]
fn one_scenario(bencher: divan::Bencher, threads: usize) {
    let model = support::generated_model(40, 15);
    let pool = pool(threads);
    let config = config(vec![0]);
    bencher
        .counter(divan::counter::ItemsCount::new(DRAWS * TRIALS))
        .bench_local(|| pool.install(|| run(&model, &config, &|_| {}, &AtomicBool::new(false))));
}

/// Two scenarios sharing each trial's random words.
#[divan::bench(args = [1, 2], sample_count = 10)]
fn two_scenarios(bencher: divan::Bencher, threads: usize) {
    let model = support::generated_model(40, 15);
    let pool = pool(threads);
    let config = config(vec![0, 1]);
    bencher
        .counter(divan::counter::ItemsCount::new(2 * DRAWS * TRIALS))
        .bench_local(|| pool.install(|| run(&model, &config, &|_| {}, &AtomicBool::new(false))));
}

/// Prints trials per second and the random-number limit in plain words.
fn summary() {
    let model = support::generated_model(40, 15);
    let words = random_words_per_trial(&model);
    println!("generated model: 40 nodes, 15 params, {words:.2} random words per trial");
    for threads in [1, 2] {
        let pool = pool(threads);
        let config = config(vec![0]);
        pool.install(|| {
            // Warm up, then time a few runs.
            let _ = run(&model, &config, &|_| {}, &AtomicBool::new(false));
            let start = Instant::now();
            let reps = 4;
            for _ in 0..reps {
                let _ = run(&model, &config, &|_| {}, &AtomicBool::new(false));
            }
            let seconds = start.elapsed().as_secs_f64();
            let rate = (reps * DRAWS * TRIALS) as f64 / seconds;
            let limit = uniform_draws_per_second(0.5) / words;
            println!(
                "{threads} thread(s): {:.2} M trials/s, {:.2} ns per random node per thread; \
                 random-number limit {:.2} M trials/s ({:.0}%)",
                rate / 1e6,
                threads as f64 * 1e9 / (rate * words),
                limit / 1e6,
                100.0 * rate / limit
            );
        });
    }
}

fn main() {
    summary();
    divan::main();
}
