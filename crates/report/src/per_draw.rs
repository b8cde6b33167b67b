//! Per-draw numbers read from the tally: each boolean outcome's probability
//! `p_d = hits / given` and each numeric outcome's mean in each parameter
//! draw, for the charts that draw every draw (violins) and for
//! draws.parquet. Paired differences between scenarios are the analysis
//! crate's (comparison.csv); the difference chart draws those.

use uchronia_engine::tally::{OutcomeTally, ScenarioTally};
use uchronia_model::OutcomeId;

/// A boolean outcome's probability in each draw of a scenario: `(draw index,
/// p_d)`, `None` where its `given` never held.
pub fn boolean_p(scenario: &ScenarioTally, outcome: OutcomeId) -> Vec<(u64, Option<f64>)> {
    scenario
        .draws
        .iter()
        .map(|draw| {
            let p = match draw.outcomes.get(outcome) {
                Some(OutcomeTally::Boolean { given, hits }) if *given > 0 => {
                    Some(*hits as f64 / *given as f64)
                }
                _ => None,
            };
            (draw.index, p)
        })
        .collect()
}

/// A numeric outcome's mean in each draw of a scenario: `(draw index,
/// mean)`, `None` where it had no value.
pub fn numeric_mean(scenario: &ScenarioTally, outcome: OutcomeId) -> Vec<(u64, Option<f64>)> {
    scenario
        .draws
        .iter()
        .map(|draw| {
            let mean = match draw.outcomes.get(outcome) {
                Some(OutcomeTally::Numeric(moments)) if moments.count > 0 => Some(moments.mean),
                _ => None,
            };
            (draw.index, mean)
        })
        .collect()
}

/// The defined values of a per-draw series, sorted ascending.
pub fn sorted_values(series: &[(u64, Option<f64>)]) -> Vec<f64> {
    let mut values: Vec<f64> = series
        .iter()
        .filter_map(|(_, v)| *v)
        .filter(|v| v.is_finite())
        .collect();
    values.sort_by(f64::total_cmp);
    values
}
