//! The run's plumbing: progress, cancellation, configuration errors, empty
//! runs, and memory that does not grow with the number of trials.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use uchronia_engine::{CHUNK_TRIALS, RunConfig, RunError, run};

use crate::support::*;

#[test]
fn progress_counts_every_trial_of_every_scenario() {
    let model = generated_model(12, 4);
    let config = config(1, 70, 2 * CHUNK_TRIALS / 10, vec![0, 1]);
    let total = Mutex::new(0u64);
    let calls = Mutex::new(0u32);
    run(
        &model,
        &config,
        &|n| {
            *total.lock().expect("lock") += n;
            *calls.lock().expect("lock") += 1;
        },
        &AtomicBool::new(false),
    )
    .expect("runs");
    assert_eq!(
        *total.lock().expect("lock"),
        70 * config.trials_per_draw * 2
    );
    assert_eq!(
        *calls.lock().expect("lock"),
        2,
        "70 units make two blocks of at most 64"
    );
}

#[test]
fn cancel_stops_the_run() {
    let model = generated_model(12, 4);
    let cancel = AtomicBool::new(false);
    let config = config(1, 1000, 100, vec![0]);
    let result = run(
        &model,
        &config,
        &|_| cancel.store(true, Ordering::Relaxed),
        &cancel,
    );
    assert!(matches!(result, Err(RunError::Cancelled)));
}

#[test]
fn bad_configurations_are_errors() {
    let model = generated_model(12, 4);
    let bad_scenario = config(1, 10, 10, vec![5]);
    assert!(matches!(
        try_run(&model, &bad_scenario),
        Err(RunError::Config(_))
    ));
    let bad_range = RunConfig {
        draw_range: 5..11,
        ..config(1, 10, 10, vec![0])
    };
    assert!(matches!(
        try_run(&model, &bad_range),
        Err(RunError::Config(_))
    ));
}

#[test]
fn zero_trials_still_tally_every_draw() {
    let model = generated_model(12, 4);
    let tally = run_ok(&model, &config(1, 3, 0, vec![0]));
    assert_eq!(tally.scenarios[0].draws.len(), 3);
    assert!(matches!(
        tally.scenarios[0].draws[0].outcomes[0],
        uchronia_engine::OutcomeTally::Boolean { given: 0, hits: 0 }
    ));
    let none = run_ok(&model, &config(1, 0, 10, vec![0]));
    assert!(none.scenarios[0].draws.is_empty());
}

#[test]
fn tally_size_does_not_grow_with_trials() {
    let model = generated_model(40, 15);
    let size = |trials| {
        let tally = run_ok(&model, &config(2, 4, trials, vec![0, 1]));
        serde_json::to_string(&tally).expect("serialises").len()
    };
    let small = size(2_000);
    let large = size(200_000);
    // 100 times the trials; only digits and the sketch's occupied buckets may grow.
    assert!(
        large < small * 3 / 2,
        "tally of 200k trials is {large} bytes, of 2k {small}"
    );
}
