//! Engine throughput on a generated model of 40 nodes and 15 params (mostly
//! boolean nodes with conditional probabilities, categorical nodes with
//! tables, two numeric nodes) and on the shipped model, on 1 and 2 threads,
//! beside the random-number limit of the same pool (printed first, medians
//! of 5 runs), then divan's timings. Run with `cargo bench -p uchronia-engine`.
//! docs/performance.md explains the figures.

use std::sync::atomic::AtomicBool;
use std::time::Instant;

use uchronia_engine::bench::{random_words_per_trial, uniform_draws_per_second};
use uchronia_engine::{RunConfig, run};

use uchronia_test_support::models as support;

const DRAWS: u64 = 8;
const TRIALS: u64 = 50_000;

fn config(scenarios: Vec<usize>) -> RunConfig {
    RunConfig {
        seed: 1,
        draws: DRAWS,
        trials_per_draw: TRIALS,
        scenarios,
        draw_range: 0..DRAWS,
        design: Default::default(),
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

/// The shipped model, if it loads.
fn shipped_model() -> Option<uchronia_model::Model> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../models/trotsky.toml");
    let source = std::fs::read_to_string(path).ok()?;
    uchronia_model::load(path, &source).ok().map(|l| l.model)
}

/// Median seconds of `reps` runs after a warm-up.
fn median_seconds(model: &uchronia_model::Model, config: &RunConfig, reps: usize) -> f64 {
    let _ = run(model, config, &|_| {}, &AtomicBool::new(false));
    let mut times: Vec<f64> = (0..reps)
        .map(|_| {
            let start = Instant::now();
            let _ = run(model, config, &|_| {}, &AtomicBool::new(false));
            start.elapsed().as_secs_f64()
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

/// Prints trials per second and the random-number limit in plain words: the
/// limit is uniforms per second on the same threads over the random words
/// one trial needs; a trial runs every scenario on one set of words, so the
/// share is given per trial (strict) and per scenario-trial.
fn summary() {
    let generated = support::generated_model(40, 15);
    let mut cases = vec![
        ("generated 40 nodes, 15 params", generated.clone(), vec![0]),
        ("generated, 2 scenarios", generated, vec![0, 1]),
    ];
    if let Some(model) = shipped_model() {
        let all = (0..model.scenarios.len()).collect();
        cases.push(("models/trotsky.toml", model, all));
    }
    for (name, model, scenarios) in &cases {
        let words = random_words_per_trial(model);
        println!(
            "{name}: {} scenario(s), {words:.2} random words per trial",
            scenarios.len()
        );
        let mut rates = Vec::new();
        for threads in [1, 2] {
            let pool = pool(threads);
            let config = config(scenarios.clone());
            let (seconds, uniforms) = pool.install(|| {
                (
                    median_seconds(model, &config, 5),
                    uniform_draws_per_second(0.5),
                )
            });
            let rate = (DRAWS * TRIALS) as f64 / seconds;
            let scenario_rate = rate * scenarios.len() as f64;
            let limit = uniforms / words;
            rates.push(rate);
            println!(
                "  {threads} thread(s): {:.3} M trials/s, {:.3} M scenario-trials/s; \
                 limit {:.3} M trials/s; share {:.1}% per trial, {:.1}% per scenario-trial; \
                 {:.2} ns per random node per thread and scenario",
                rate / 1e6,
                scenario_rate / 1e6,
                limit / 1e6,
                100.0 * rate / limit,
                100.0 * scenario_rate / limit,
                threads as f64 * 1e9 / (scenario_rate * words),
            );
        }
        println!("  speed-up 1 -> 2 threads: {:.2}x", rates[1] / rates[0]);
    }
}

fn main() {
    summary();
    divan::main();
}
