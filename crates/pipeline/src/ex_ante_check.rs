//! The ex-ante check of the "In short" opening: the effects its first
//! sentence names, again with every param that has an `ex_ante` prior drawn
//! from it (docs/reports.md, "In short").
//!
//! Only two scenarios run: the one the opening names and its matched
//! baseline, with the finished tally's seed, D, T, draw range and design.
//! The engine's random streams are keyed by (seed, draw, chunk, node),
//! never by a scenario or by which scenarios run together, and an ex-ante
//! param keeps its stream, so the rows are exactly the `matched` rows that
//! `uchronia run --ex-ante` writes for that pair in comparison.csv. The
//! check reads the model and the tally alone, so `merge` makes the same
//! check as an unsharded run and writes the same report.
//!
//! There is nothing to check (no rows) when asked not to
//! (`--no-ex-ante-check`), when the run already drew some params from
//! their ex-ante priors, when no param has one, and when the opening names
//! no effect.

use std::time::Instant;

use uchronia_analysis::findings::ComparisonRow;
use uchronia_engine::RunConfig;
use uchronia_model::baseline::matched_pairs;
use uchronia_report::summary::short::opening_effects;

use crate::failure::Failure;
use crate::finish::{Analysed, Finished};
use crate::runner::{Runner, run_failure};

/// What the check found.
#[derive(Debug, Default)]
pub struct ExAnteCheck {
    /// The `matched` rows of the opening's scenario against its baseline
    /// with the ex-ante priors (empty: no check was made).
    pub rows: Vec<ComparisonRow>,
    /// The scenario the opening names (empty: no check was made).
    pub scenario: String,
    /// How many params drew from their ex-ante priors.
    pub params: usize,
    /// Engine seconds of the check.
    pub elapsed_seconds: f64,
}

/// Reruns the scenario that the opening of `analysed` names, and its
/// matched baseline, with the ex-ante priors. A model error at run time
/// (one only the ex-ante priors reach) is bad input, as in `run --ex-ante`,
/// with a note saying where it came from.
pub fn check(finished: &Finished, analysed: &Analysed) -> Result<ExAnteCheck, Failure> {
    let full = &finished.model.loaded.model;
    if !finished.ex_ante_check
        || !full.ex_ante.is_empty()
        || !full.params.iter().any(|p| p.ex_ante.is_some())
    {
        return Ok(ExAnteCheck::default());
    }
    let mut report = uchronia_report::Report::new(
        &analysed.model,
        &analysed.tally,
        &analysed.summary,
        &analysed.info,
    );
    report.comparison = &analysed.comparison;
    report.sensitivity = &analysed.sensitivity;
    let Some(first) = opening_effects(&report).into_iter().next() else {
        return Ok(ExAnteCheck::default());
    };
    let (Some(scenario), Some(baseline)) = (
        full.scenario_id(&first.scenario),
        full.scenario_id(&first.baseline),
    ) else {
        return Ok(ExAnteCheck::default());
    };
    let mut model = full.clone();
    // The claims' hidden outcomes (appended last) are not needed: no
    // outcome draws a random number, so dropping them changes no other.
    if let Some(&first_claim) = finished.claims.and_then(|c| c.outcomes.iter().min()) {
        model.outcomes.truncate(first_claim);
    }
    let params = model.use_ex_ante_priors(&[]).len();
    let tally = finished.tally;
    let config = RunConfig {
        seed: tally.seed,
        draws: tally.draws,
        trials_per_draw: tally.trials_per_draw,
        scenarios: vec![scenario, baseline],
        draw_range: tally.draw_range.clone(),
        design: tally.design,
    };
    let start = Instant::now();
    let runner = Runner::new(finished.threads.max(1))?;
    let rerun = runner
        .run(&model, &config, &|_| {})
        .map_err(|error| noted(run_failure(error, finished.model)))?;
    let elapsed_seconds = start.elapsed().as_secs_f64();
    let pairs: Vec<_> = matched_pairs(&model, &config.scenarios)
        .into_iter()
        .filter(|pair| pair.scenario == scenario && pair.baseline == baseline)
        .collect();
    Ok(ExAnteCheck {
        rows: uchronia_analysis::compare_matched(&model, &rerun, &pairs),
        scenario: first.scenario,
        params,
        elapsed_seconds,
    })
}

/// A failure of the check, saying where it came from when it is the
/// model's (an interruption stays as it is).
fn noted(mut failure: Failure) -> Failure {
    if failure.status == 2 {
        failure.message.push_str(
            "\n  note: this came from the ex-ante check of the report's \"In short\" (its scenario and matched baseline rerun with every `ex_ante` prior, as `uchronia run --ex-ante` draws them); --no-ex-ante-check skips it",
        );
    }
    failure
}
