//! `uchronia bench [MODEL]`: throughput of the engine on a model, with the
//! random-number limit beside it.
//!
//! The limit is what no engine could beat on this machine: uniforms per
//! second on the same threads (`uchronia_engine::bench`) divided by the
//! random words one trial needs. The measured speed over the limit says how
//! much of the time goes to anything but making random numbers. The run is
//! repeated on 1 and 2 threads when the machine has them, for the speed-up.
//!
//! A trial draws one set of random words and runs every requested scenario
//! on it (common random numbers), so two rates are printed: trials per
//! second (all scenarios of a trial count once) and scenario-trials per
//! second (each scenario counts). Against the same limit they give two
//! shares: per trial, the strict one (the scenarios' work is charged to
//! one set of words), and per scenario-trial (each scenario is charged a
//! set of words of its own, as if it drew them itself). With one scenario
//! they are the same. See docs/performance.md.

use std::time::Instant;

use uchronia_engine::bench::{random_words_per_trial, uniform_draws_per_second};
use uchronia_pipeline::{Plan, Runner, available_threads, load_model};

use super::{choose_scenarios, handle_ctrl_c};
use crate::args::BenchArgs;
use crate::failure::Failure;
use crate::output;

/// Seconds spent measuring the uniform generator, per thread count.
const UNIFORM_SECONDS: f64 = 0.5;

/// One measurement on one thread count.
struct Measure {
    threads: usize,
    /// Trials (each over every scenario) per second.
    trials_per_second: f64,
    /// Scenarios per trial.
    scenarios: usize,
    uniforms_per_second: f64,
}

/// Runs `uchronia bench`.
pub fn bench(args: &BenchArgs) -> Result<(), Failure> {
    let (plan, note) = Plan::new(args.trials, args.draws, args.threads)?;
    let model = load_model(&args.model)?;
    let ir = &model.loaded.model;
    let scenarios = choose_scenarios(ir, &[])?;
    if let Some(note) = note {
        output::warning(&note);
    }
    let words = random_words_per_trial(ir);
    output::print(&format!(
        "model {}: {} scenario(s) x {} trials ({} draws x {}), {:.2} random words per trial\n\n",
        ir.name,
        scenarios.len(),
        plan.trials(),
        plan.draws,
        plan.trials_per_draw,
        words
    ));

    let mut thread_counts = vec![plan.threads];
    for threads in [1, 2] {
        if threads <= available_threads() && !thread_counts.contains(&threads) {
            thread_counts.push(threads);
        }
    }
    let config = plan.config(1, scenarios.clone());
    crate::limits::check_memory(ir, &plan, scenarios.len())?;
    crate::limits::total_trials(&plan, scenarios.len() as u64, "scenario(s)")?;
    let trials = plan.trials() as f64;
    handle_ctrl_c();
    output::print(&format!(
        "limit = uniforms/s on the same threads / {words:.2} words per trial; a trial runs all {} scenario(s) on one set of words\n\n",
        scenarios.len()
    ));

    output::print(&line(&HEADER.map(String::from)));
    let mut measures = Vec::new();
    for threads in thread_counts {
        let runner = Runner::new(threads)?;
        let started = Instant::now();
        runner.run_loaded(&model, &config)?;
        let seconds = started.elapsed().as_secs_f64().max(1e-9);
        let uniforms_per_second = runner.install(|| uniform_draws_per_second(UNIFORM_SECONDS));
        let measure = Measure {
            threads,
            trials_per_second: trials / seconds,
            scenarios: scenarios.len(),
            uniforms_per_second,
        };
        // Printed as we go: each measurement takes seconds.
        output::print(&line(&cells(&measure, words)));
        measures.push(measure);
    }

    let rate = |threads: usize| {
        measures
            .iter()
            .find(|m| m.threads == threads)
            .map(|m| m.trials_per_second)
    };
    if let (Some(one), Some(two)) = (rate(1), rate(2)) {
        output::print(&format!(
            "\nspeed-up from 1 to 2 threads: {:.2}x\n",
            two / one
        ));
    }
    Ok(())
}

/// The table's column titles.
const HEADER: [&str; 7] = [
    "threads",
    "trials/s",
    "scenario-trials/s",
    "uniforms/s",
    "limit trials/s",
    "share per trial",
    "per scenario-trial",
];

/// One line of the table, in fixed-width right-aligned columns.
fn line(cells: &[String; 7]) -> String {
    format!(
        "{:>7}  {:>10}  {:>17}  {:>10}  {:>14}  {:>15}  {:>18}\n",
        cells[0], cells[1], cells[2], cells[3], cells[4], cells[5], cells[6]
    )
}

/// The cells of one measurement: the limit is uniforms per second over
/// random words per trial; the shares are trials per second, and
/// scenario-trials per second, over it.
fn cells(measure: &Measure, words: f64) -> [String; 7] {
    let limit = (words > 0.0).then(|| measure.uniforms_per_second / words);
    let scenario_trials = measure.trials_per_second * measure.scenarios as f64;
    let share = |rate: f64| {
        limit.map_or_else(
            || "-".into(),
            |limit| format!("{:.1}%", 100.0 * rate / limit),
        )
    };
    [
        measure.threads.to_string(),
        output::number(measure.trials_per_second),
        output::number(scenario_trials),
        output::number(measure.uniforms_per_second),
        output::maybe(limit),
        share(measure.trials_per_second),
        share(scenario_trials),
    ]
}
