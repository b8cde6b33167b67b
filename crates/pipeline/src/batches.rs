//! Running a range of parameter draws in batches: checkpoints that survive a
//! kill, and precision targets that add draws until the intervals are narrow.
//!
//! A run over draws `a..b` gives exactly the draws `a..b` of the whole run,
//! and tallies of consecutive ranges merge exactly
//! (`uchronia_engine::merge`), so the batch size never changes the numbers:
//! a run in batches, resumed after a kill, or grown batch by batch to a
//! precision target, gives the same tally as one run over its draws.
//!
//! - Without `--checkpoint` or `--precision` the range is one batch.
//! - With `--checkpoint FILE`, after each batch the tally so far is saved to
//!   FILE (atomically, see [`partial`](crate::partial)); a rerun of the same
//!   command resumes after the last saved batch.
//! - With `--precision E`, batches of [`PRECISION_BATCH`] draws are added
//!   until every listed boolean outcome has `1.96 mc_se <= E` in every
//!   scenario, or the cap is reached.

use std::ops::Range;
use std::path::Path;
use std::time::Instant;

use uchronia_engine::{OutcomeTally, RunConfig, RunError, Tally};
use uchronia_model::OutcomeKind;

use crate::claims::Checked;
use crate::failure::Failure;
use crate::model::LoadedModel;
use crate::observe::{Observer, Widest};
use crate::partial::{self, Header, Partial};
use crate::runner::{Runner, cancelled, run_failure};

/// Draws per batch with a precision target: the first k batches are a run
/// with D = k x 100.
pub const PRECISION_BATCH: u64 = 100;

/// A checkpointed run saves about every 1% of its draws, but not before
/// this many trials (summed over scenarios) have run since the last save
/// (a few seconds of work on the shipped model), so that saving, which
/// rewrites the whole tally so far, stays a few percent of the run.
pub const CHECKPOINT_MIN_TRIALS: u64 = 5_000_000;

/// z for a two-sided 95% interval.
const Z95: f64 = 1.96;

/// What to run in batches.
pub struct Job<'a> {
    /// The model.
    pub model: &'a LoadedModel,
    /// The engine's settings; `draw_range` is set per batch.
    pub config: RunConfig,
    /// The draws to run: a shard's part, all of `0..D`, or `0..max_draws`
    /// with a precision target.
    pub range: Range<u64>,
    /// Draws per batch.
    pub batch: u64,
    /// Where to save progress, with the header that identifies the command.
    pub checkpoint: Option<(&'a Path, &'a Header)>,
    /// `--precision E`: stop once every half-width is at most E.
    pub precision: Option<f64>,
    /// Worker threads.
    pub threads: usize,
    /// The claims attached to `model`, whose run-time errors are shown at
    /// their place in the claims file.
    pub claims: Option<&'a Checked>,
}

/// What a finished job gives.
pub struct Done {
    /// The tally of the draws run.
    pub tally: Tally,
    /// Engine seconds, over every resume.
    pub elapsed_seconds: f64,
    /// With a precision target: the widest half-width at the end, where it
    /// was (scenario, outcome), and whether it met the target.
    pub precision: Option<Widest>,
}

/// The batch size of a checkpointed run of `draws` draws of `trials_per_draw`
/// trials in `scenarios` scenarios: about 1% of the draws, at least
/// [`CHECKPOINT_MIN_TRIALS`] trials. Depends on nothing else (not on threads).
pub fn checkpoint_batch(draws: u64, trials_per_draw: u64, scenarios: u64) -> u64 {
    let per_draw = trials_per_draw.saturating_mul(scenarios).max(1);
    draws
        .div_ceil(100)
        .max(CHECKPOINT_MIN_TRIALS.div_ceil(per_draw))
        .max(1)
}

/// Runs `job`, resuming from its checkpoint when there is one, telling
/// `observer` how it goes. Ctrl-C (the engine's cancel flag) ends it as
/// interrupted, keeping the checkpoint of the last complete batch.
pub fn execute(job: &Job, observer: &dyn Observer) -> Result<Done, Failure> {
    let (mut tally, mut elapsed_seconds) = match job.checkpoint {
        Some((path, header)) => resume(path, header, &job.range, observer)?,
        None => (None, 0.0),
    };
    let scenarios = job.config.scenarios.len() as u64;
    let per_draw = job.config.trials_per_draw * scenarios;
    let done_draws = |tally: &Option<Tally>| {
        tally
            .as_ref()
            .map_or(0, |t| t.draw_range.end - t.draw_range.start)
    };
    // With a precision target the total is not known in advance.
    let total = job
        .precision
        .is_none()
        .then(|| (job.range.end - job.range.start) * per_draw);
    let runner = Runner::new(job.threads)?;
    observer.start(total, done_draws(&tally) * per_draw);
    let mut widest = None;
    loop {
        let next = tally.as_ref().map_or(job.range.start, |t| t.draw_range.end);
        if let (Some(target), Some(so_far)) = (job.precision, &tally) {
            let found = widest_half_width(job.model, so_far, target);
            let met = found.as_ref().is_none_or(|w| w.half_width <= target);
            if let Some(found) = &found {
                observer.precision(done_draws(&tally), found, target);
            }
            widest = found;
            if met {
                break;
            }
        }
        if next >= job.range.end {
            break;
        }
        let end = job.range.end.min(next.saturating_add(job.batch));
        let config = RunConfig {
            draw_range: next..end,
            ..job.config.clone()
        };
        let started = Instant::now();
        let result = runner.run_batch(&job.model.loaded.model, &config, &|n| observer.advance(n));
        let batch = match result {
            Ok(batch) => batch,
            Err(RunError::Cancelled) => {
                observer.finish();
                return Err(interrupted(job, done_draws(&tally)));
            }
            Err(error) => {
                observer.finish();
                let claim_failure = match (&error, job.claims) {
                    (RunError::Model(runtime), Some(checked)) => checked.runtime_failure(runtime),
                    _ => None,
                };
                return Err(claim_failure.unwrap_or_else(|| run_failure(error, job.model)));
            }
        };
        elapsed_seconds += started.elapsed().as_secs_f64();
        match &mut tally {
            None => tally = Some(batch),
            Some(so_far) => so_far
                .append(batch)
                .map_err(|error| Failure::other(format!("cannot merge batches: {error}")))?,
        }
        if let Some((path, header)) = job.checkpoint
            && let Some(so_far) = tally.take()
        {
            // The tally is moved into the file's record and back: no copy.
            let saved = Partial {
                header: header.clone(),
                elapsed_seconds,
                threads: job.threads,
                tally: so_far,
            };
            let written = partial::write_atomic(path, &saved);
            tally = Some(saved.tally);
            written?;
        }
        if cancelled() {
            observer.finish();
            return Err(interrupted(job, done_draws(&tally)));
        }
    }
    observer.finish();
    let tally = tally.ok_or_else(|| Failure::other("no draws to run"))?;
    Ok(Done {
        tally,
        elapsed_seconds,
        precision: widest,
    })
}

/// The failure of a run stopped by Ctrl-C: exit status 130, saying where
/// the checkpoint is.
fn interrupted(job: &Job, done: u64) -> Failure {
    let mut failure = Failure::interrupted();
    if let Some((path, _)) = job.checkpoint {
        failure.message = if done > 0 {
            format!(
                "interrupted; checkpoint kept at {} ({done} of {} draws done): run the same command again to resume",
                path.display(),
                job.range.end - job.range.start
            )
        } else {
            format!(
                "interrupted before the first checkpoint was saved; nothing kept at {}",
                path.display()
            )
        };
    }
    failure
}

/// The tally saved at `path` by the command `header` describes, if any.
/// A checkpoint of another command is refused (exit status 2).
fn resume(
    path: &Path,
    header: &Header,
    range: &Range<u64>,
    observer: &dyn Observer,
) -> Result<(Option<Tally>, f64), Failure> {
    if !path.exists() {
        return Ok((None, 0.0));
    }
    let saved = partial::read(path)?;
    let differences = header.differences(&saved.header, false);
    if !differences.is_empty() {
        return Err(Failure::input(format!(
            "checkpoint {} was written by a different command ({}): rerun that command to resume it, or delete the file to start afresh",
            path.display(),
            differences.join("; ")
        )));
    }
    let covered = &saved.tally.draw_range;
    if covered.start != range.start || covered.end > range.end {
        return Err(Failure::input(format!(
            "checkpoint {} holds draws {}..{}, which do not start this run's draws {}..{}: delete it to start afresh",
            path.display(),
            covered.start,
            covered.end,
            range.start,
            range.end
        )));
    }
    observer.note(&format!(
        "resuming from checkpoint {}: {} of {} draws done",
        path.display(),
        covered.end - covered.start,
        range.end - range.start
    ));
    Ok((Some(saved.tally), saved.elapsed_seconds))
}

/// The widest `1.96 mc_se` over the listed boolean outcomes of every
/// scenario, with `mc_se` exactly as the report computes it. Outcomes
/// undefined in every draw so far (their `given` never held) have no
/// interval and are left out; `None` when no outcome has one.
///
/// A cheap running bound (one pass over the draws, no sorting) picks the
/// rows that may still be too wide; only when it says the target may be
/// met is the report's own statistic computed, so the decision is exactly
/// the report's.
pub fn widest_half_width(model: &LoadedModel, tally: &Tally, target: f64) -> Option<Widest> {
    let ir = &model.loaded.model;
    let mut widest: Option<Widest> = None;
    // Matched baselines are not reported on their own: they do not decide.
    let shown = tally
        .scenarios
        .iter()
        .filter(|s| !uchronia_model::baseline::is_baseline_name(&ir.scenarios[s.scenario].name));
    for scenario in shown {
        for (id, outcome) in ir.outcomes.iter().enumerate() {
            if !outcome.listed || !matches!(outcome.kind, OutcomeKind::Boolean { .. }) {
                continue;
            }
            let counts: Vec<(u64, u64)> = scenario
                .draws
                .iter()
                .map(|draw| match draw.outcomes.get(id) {
                    Some(OutcomeTally::Boolean { given, hits }) => (*given, *hits),
                    _ => (0, 0),
                })
                .collect();
            let Some(rough) = rough_se(&counts) else {
                continue;
            };
            // Well above the target: no need for the exact figure.
            let half_width = if Z95 * rough > target * (1.0 + 1e-6) {
                Z95 * rough
            } else {
                match uchronia_analysis::summarize_boolean(&counts).mc_se {
                    Some(se) => Z95 * se,
                    None => continue,
                }
            };
            if widest.as_ref().is_none_or(|w| half_width > w.half_width) {
                widest = Some(Widest {
                    half_width,
                    scenario: ir.scenarios[scenario.scenario].name.clone(),
                    outcome: outcome.name.clone(),
                });
            }
        }
    }
    widest
}

/// The standard error of the mean of the defined `p_d`, by one pass of
/// Welford's update (the report's two-pass figure agrees to rounding); the
/// binomial one with one defined draw; `None` with none.
fn rough_se(counts: &[(u64, u64)]) -> Option<f64> {
    let (mut n, mut mean, mut m2) = (0u64, 0.0f64, 0.0f64);
    let mut single = None;
    for &(given, hits) in counts.iter().filter(|(given, _)| *given > 0) {
        let p = hits as f64 / given as f64;
        n += 1;
        let delta = p - mean;
        mean += delta / n as f64;
        m2 += delta * (p - mean);
        single = Some((given, p));
    }
    match (n, single) {
        (0, _) => None,
        (1, Some((given, p))) => Some((p * (1.0 - p) / given as f64).sqrt()),
        _ => Some((m2.max(0.0) / (n - 1) as f64).sqrt() / (n as f64).sqrt()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checkpoint_batches_are_a_percent_of_the_draws_and_at_least_a_few_seconds_of_work() {
        // The shipped model's default run: 1,000 draws of 10,000 trials, 6 scenarios.
        assert_eq!(checkpoint_batch(1000, 10_000, 6), 84);
        assert_eq!(checkpoint_batch(200, 200_000, 2), 13);
        assert_eq!(checkpoint_batch(100_000, 1_000_000, 1), 1000);
        assert_eq!(checkpoint_batch(10, 1_000_000_000, 1), 1);
        assert_eq!(checkpoint_batch(1, 0, 0), 5_000_000);
    }

    #[test]
    fn the_rough_standard_error_agrees_with_the_reports() {
        let counts: Vec<(u64, u64)> = (0..50)
            .map(|d| (100, (d * 37) % 100))
            .chain([(0, 0)])
            .collect();
        let exact = uchronia_analysis::summarize_boolean(&counts)
            .mc_se
            .expect("defined");
        let rough = rough_se(&counts).expect("defined");
        assert!((rough - exact).abs() <= 1e-12 * exact, "{rough} vs {exact}");
        assert_eq!(rough_se(&[(0, 0)]), None);
        let single = rough_se(&[(0, 0), (400, 100)]).expect("binomial");
        assert!((single - (0.25f64 * 0.75 / 400.0).sqrt()).abs() < 1e-15);
    }
}
