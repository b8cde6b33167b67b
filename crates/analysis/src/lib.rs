//! Summaries of a run: a [`Tally`] (and the [`Model`] that names its parts) in,
//! a [`Summary`] out. Pure functions, no IO.
//!
//! The statistics are those fixed by the model language
//! (`docs/model-format.md`, "Semantics"):
//!
//! - a **boolean outcome** gets `p_d = hits / given` per parameter draw (a draw
//!   where `given` never held is undefined and left out, and counted), then the
//!   mean of the `p_d`, its standard error over draws, and type-7 quantiles of
//!   the `p_d` (the credible interval on the probability itself);
//! - a **numeric outcome** gets the pooled mean and sample standard deviation
//!   of all its values (per-draw [`Moments`] merged in draw order), the
//!   standard error of the mean over draws, quantiles of the pooled values from
//!   the engine's sketch, and the share of trials in which its `given` held.
//!
//! Every statistic that is undefined (no draw, no value) is `None`, never NaN,
//! so that the report leaves the cell empty.
//!
//! Beside the summary, the analyses built on the same per-draw values:
//! [`sensitivity`] (which parameters drive each outcome), [`comparison`]
//! (each scenario against the reference, on paired draws), [`sweep`] (a
//! parameter fixed at a value) and [`ancestry`] (what an outcome depends on
//! in the graph). Their result types are in [`findings`].

pub mod ancestry;
pub mod calibration;
pub mod cdf;
pub mod claims;
pub mod comparison;
pub mod conflicts;
pub mod correlations;
pub mod crux;
pub mod decided;
pub mod fan;
pub mod findings;
pub mod flags;
pub mod inevitability;
pub mod sensitivity;
pub mod stats;
pub mod sweep;

use uchronia_engine::tally::{Moments, OutcomeTally, ScenarioTally, Sketch, Tally};
use uchronia_model::{Model, OutcomeKind};

pub use ancestry::{Ancestry, ancestry, ancestry_in_scenario};
pub use comparison::{compare, compare_matched};
pub use correlations::{CorrelationRow, correlations};
pub use sensitivity::sensitivity;
pub use stats::{merge_moments, quantile_type7, sample_sd, spearman};
pub use sweep::{FLAT_SE, Movement, fix_param, movements, sweep_rows};

/// Everything a report shows about one run.
#[derive(Clone, Debug, PartialEq)]
pub struct Summary {
    /// One row per (scenario, listed boolean outcome), scenarios in tally
    /// order, outcomes in model order.
    pub boolean: Vec<BooleanSummary>,
    /// One row per (scenario, listed numeric outcome), in the same order.
    pub numeric: Vec<NumericSummary>,
}

/// A boolean outcome in one scenario: a probability and how sure we are of it.
#[derive(Clone, Debug, PartialEq)]
pub struct BooleanSummary {
    /// Scenario name.
    pub scenario: String,
    /// Outcome name.
    pub outcome: String,
    /// Mean over the defined draws of `p_d = hits / given`.
    pub p_mean: Option<f64>,
    /// `sd(p_d) / sqrt(D)` (sample sd); with one defined draw, the binomial
    /// `sqrt(p (1 - p) / T)`.
    pub mc_se: Option<f64>,
    /// Type-7 5% quantile of the `p_d`.
    pub p_q05: Option<f64>,
    /// Type-7 median of the `p_d`.
    pub p_q50: Option<f64>,
    /// Type-7 95% quantile of the `p_d`.
    pub p_q95: Option<f64>,
    /// D: the number of parameter draws.
    pub draws: u64,
    /// D x T: the number of trials.
    pub trials: u64,
    /// Draws left out because their `given` never held.
    pub undefined_draws: u64,
}

/// A numeric outcome in one scenario: the distribution of its pooled values.
#[derive(Clone, Debug, PartialEq)]
pub struct NumericSummary {
    /// Scenario name.
    pub scenario: String,
    /// Outcome name.
    pub outcome: String,
    /// Mean of the pooled values.
    pub mean: Option<f64>,
    /// Standard error of the mean: `sd(per-draw means) / sqrt(D)`; with one
    /// draw that has values, `sd / sqrt(n)`.
    pub mean_se: Option<f64>,
    /// Sample standard deviation (n - 1) of the pooled values.
    pub sd: Option<f64>,
    /// 5% quantile of the pooled values (from the sketch).
    pub q05: Option<f64>,
    /// Median of the pooled values (from the sketch).
    pub q50: Option<f64>,
    /// 95% quantile of the pooled values (from the sketch).
    pub q95: Option<f64>,
    /// Share of all trials in which `given` held (1 without `given`).
    pub share: f64,
    /// D: the number of parameter draws.
    pub draws: u64,
    /// D x T: the number of trials.
    pub trials: u64,
}

/// Summarises every listed outcome of every scenario in `tally`.
///
/// `model` must be the model the tally was produced from (the tally indexes
/// its scenarios and outcomes). Outcomes whose `listed` is false (added by
/// tools such as claims) are left out.
pub fn summarize(model: &Model, tally: &Tally) -> Summary {
    let mut summary = Summary {
        boolean: Vec::new(),
        numeric: Vec::new(),
    };
    for scenario in &tally.scenarios {
        let scenario_name = model.scenarios[scenario.scenario].name.clone();
        let draws = scenario.draws.len() as u64;
        let trials = draws * tally.trials_per_draw;
        for (id, outcome) in model.outcomes.iter().enumerate() {
            if !outcome.listed {
                continue;
            }
            match outcome.kind {
                OutcomeKind::Boolean { .. } => {
                    let counts = boolean_counts(scenario, id);
                    let mut row = summarize_boolean(&counts);
                    row.scenario.clone_from(&scenario_name);
                    row.outcome.clone_from(&outcome.name);
                    row.draws = draws;
                    row.trials = trials;
                    summary.boolean.push(row);
                }
                OutcomeKind::Numeric { .. } => {
                    let moments = numeric_moments(scenario, id);
                    let sketch = scenario.sketches.get(id).and_then(Option::as_ref);
                    let mut row = summarize_numeric(&moments, sketch, trials);
                    row.scenario.clone_from(&scenario_name);
                    row.outcome.clone_from(&outcome.name);
                    row.draws = draws;
                    row.trials = trials;
                    summary.numeric.push(row);
                }
            }
        }
    }
    summary
}

/// The `(given, hits)` counts of boolean outcome `id` in each draw, in draw
/// order. A draw whose tally is not boolean (which a well-formed tally never
/// has) counts as undefined.
pub(crate) fn boolean_counts(scenario: &ScenarioTally, id: usize) -> Vec<(u64, u64)> {
    scenario
        .draws
        .iter()
        .map(|draw| match draw.outcomes.get(id) {
            Some(OutcomeTally::Boolean { given, hits }) => (*given, *hits),
            _ => (0, 0),
        })
        .collect()
}

/// The moments of numeric outcome `id` in each draw, in draw order.
fn numeric_moments(scenario: &ScenarioTally, id: usize) -> Vec<Moments> {
    scenario
        .draws
        .iter()
        .map(|draw| match draw.outcomes.get(id) {
            Some(OutcomeTally::Numeric(moments)) => *moments,
            _ => Moments::default(),
        })
        .collect()
}

/// The statistics of a boolean outcome from its per-draw `(given, hits)`
/// counts. Names, `draws` and `trials` are left empty for the caller.
pub fn summarize_boolean(counts: &[(u64, u64)]) -> BooleanSummary {
    let defined: Vec<(u64, f64)> = counts
        .iter()
        .filter(|(given, _)| *given > 0)
        .map(|&(given, hits)| (given, hits as f64 / given as f64))
        .collect();
    let undefined_draws = (counts.len() - defined.len()) as u64;
    let mut p: Vec<f64> = defined.iter().map(|&(_, p)| p).collect();
    let p_mean = mean(&p);
    let mc_se = match defined.as_slice() {
        [] => None,
        [(given, p)] => Some((p * (1.0 - p) / *given as f64).sqrt()),
        _ => sample_sd(&p).map(|sd| sd / (p.len() as f64).sqrt()),
    };
    p.sort_by(f64::total_cmp);
    BooleanSummary {
        scenario: String::new(),
        outcome: String::new(),
        p_mean,
        mc_se,
        p_q05: quantile_type7(&p, 0.05),
        p_q50: quantile_type7(&p, 0.50),
        p_q95: quantile_type7(&p, 0.95),
        draws: counts.len() as u64,
        trials: 0,
        undefined_draws,
    }
}

/// The statistics of a numeric outcome from its per-draw moments (in draw
/// order), the pooled sketch and the total number of trials (for `share`).
/// Names and `draws` are left for the caller.
pub fn summarize_numeric(
    per_draw: &[Moments],
    sketch: Option<&Sketch>,
    trials: u64,
) -> NumericSummary {
    let pooled = merge_moments(per_draw);
    let share = if trials == 0 {
        0.0
    } else {
        pooled.count as f64 / trials as f64
    };
    let mut row = NumericSummary {
        scenario: String::new(),
        outcome: String::new(),
        mean: None,
        mean_se: None,
        sd: None,
        q05: None,
        q50: None,
        q95: None,
        share,
        draws: per_draw.len() as u64,
        trials,
    };
    if pooled.count == 0 {
        return row;
    }
    // Finite values can still overflow in sums; an overflow is left empty
    // rather than written as inf.
    row.mean = Some(pooled.mean).filter(|x| x.is_finite());
    row.sd = moments_sd(&pooled).filter(|x| x.is_finite());
    let draw_means: Vec<f64> = per_draw
        .iter()
        .filter(|m| m.count > 0)
        .map(|m| m.mean)
        .collect();
    row.mean_se = if draw_means.len() == 1 {
        row.sd.map(|sd| sd / (pooled.count as f64).sqrt())
    } else {
        sample_sd(&draw_means).map(|sd| sd / (draw_means.len() as f64).sqrt())
    }
    .filter(|x| x.is_finite());
    if let Some(sketch) = sketch {
        row.q05 = sketch_quantile(sketch, 0.05);
        row.q50 = sketch_quantile(sketch, 0.50);
        row.q95 = sketch_quantile(sketch, 0.95);
    }
    row
}

/// A quantile of the pooled values, `None` when the sketch is empty or the
/// answer is not finite.
fn sketch_quantile(sketch: &Sketch, q: f64) -> Option<f64> {
    sketch.quantile(q).filter(|x| x.is_finite())
}

/// The sample standard deviation held by `moments` (None below two values).
fn moments_sd(moments: &Moments) -> Option<f64> {
    if moments.count < 2 {
        return None;
    }
    Some((moments.m2.max(0.0) / (moments.count - 1) as f64).sqrt())
}

/// The arithmetic mean, `None` for no values.
fn mean(values: &[f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    Some(values.iter().sum::<f64>() / values.len() as f64)
}

#[cfg(test)]
mod sensitivity_tests;
#[cfg(test)]
mod tests;
