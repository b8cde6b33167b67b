//! Fan data of the outcomes that are years: for each scenario and each year
//! Y of the outcome's span, P(the event by year Y), its Monte Carlo error
//! and its 90% interval over the parameter draws.
//!
//! Each draw's `p_d(Y)` is the share of its trials (where the outcome's
//! `given` held) whose value is at most Y, from the per-draw counts by year
//! that the engine keeps for a year outcome (`DrawTally::years`). The
//! statistics over draws are those of a boolean outcome
//! ([`summarize_boolean`]), so a row reads like a row of `outcomes.csv`
//! for the event "by year Y".

use uchronia_engine::tally::{OutcomeTally, ScenarioTally, Tally};
use uchronia_model::Model;

use crate::summarize_boolean;

/// One year of one year outcome in one scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct FanRow {
    /// Outcome name.
    pub outcome: String,
    /// Scenario name.
    pub scenario: String,
    /// The year Y.
    pub year: i32,
    /// Mean over the defined draws of `p_d(Y)`.
    pub p_mean: Option<f64>,
    /// `sd(p_d(Y)) / sqrt(D)`, as in `outcomes.csv`.
    pub mc_se: Option<f64>,
    /// Type-7 5% quantile of the `p_d(Y)`.
    pub p_q05: Option<f64>,
    /// Type-7 median of the `p_d(Y)`.
    pub p_q50: Option<f64>,
    /// Type-7 95% quantile of the `p_d(Y)`.
    pub p_q95: Option<f64>,
    /// D: the number of parameter draws.
    pub draws: u64,
}

/// The fan rows of every year outcome of `model` (the model `tally` was
/// run from), by outcome in model order, then scenario in tally order, then
/// year. An outcome whose counts the tally lacks has no rows.
pub fn fan_rows(model: &Model, tally: &Tally) -> Vec<FanRow> {
    let mut rows = Vec::new();
    for (outcome, years) in model.year_outcomes() {
        for scenario in &tally.scenarios {
            let Some(per_draw) = cumulative_counts(scenario, outcome) else {
                continue;
            };
            let name = &model.scenarios[scenario.scenario].name;
            let span = usize::try_from(i64::from(years.last) - i64::from(years.first) + 1);
            for i in 0..span.unwrap_or(0) {
                let counts: Vec<(u64, u64)> = (per_draw.iter())
                    .map(|(given, by)| (*given, by.get(i).copied().unwrap_or(0)))
                    .collect();
                let summary = summarize_boolean(&counts);
                rows.push(FanRow {
                    outcome: model.outcomes[outcome].name.clone(),
                    scenario: name.clone(),
                    year: years.first.saturating_add(i as i32),
                    p_mean: summary.p_mean,
                    mc_se: summary.mc_se,
                    p_q05: summary.p_q05,
                    p_q50: summary.p_q50,
                    p_q95: summary.p_q95,
                    draws: summary.draws,
                });
            }
        }
    }
    rows
}

/// Per draw, in draw order: the trials where the outcome was defined, and
/// the running counts of those with a value at most each year of the span.
/// `None` when a draw lacks the outcome's counts.
fn cumulative_counts(scenario: &ScenarioTally, outcome: usize) -> Option<Vec<(u64, Vec<u64>)>> {
    (scenario.draws.iter())
        .map(|draw| {
            let counts = draw.years.iter().find(|c| c.outcome == outcome)?;
            let given = match draw.outcomes.get(outcome) {
                Some(OutcomeTally::Numeric(moments)) => moments.count,
                _ => 0,
            };
            let by = counts.cumulative().into_iter().map(|(_, n)| n).collect();
            Some((given, by))
        })
        .collect()
}
