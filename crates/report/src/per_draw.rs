//! Per-draw numbers read from the tally: each boolean outcome's probability
//! `p_d = hits / given` and each numeric outcome's mean in each parameter
//! draw, and paired differences between scenarios.
//!
//! Scenarios of one run share their parameter draws and their random
//! numbers (common random numbers), so the difference between two scenarios
//! is taken draw by draw: `d_i = p_i(scenario) - p_i(reference)`. Its spread
//! over draws is the uncertainty of the difference itself, much narrower
//! than the two intervals side by side would suggest.

use uchronia_analysis::quantile_type7;
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

/// The mean and 90% interval of a quantity over draws.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Spread {
    /// Mean over draws.
    pub mean: f64,
    /// Type-7 5% quantile.
    pub q05: f64,
    /// Type-7 median.
    pub q50: f64,
    /// Type-7 95% quantile.
    pub q95: f64,
    /// Draws it was defined in.
    pub draws: usize,
}

/// The spread of `values` (any order), `None` when there are none.
pub fn spread(values: &[f64]) -> Option<Spread> {
    let mut sorted: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    if sorted.is_empty() {
        return None;
    }
    let mean = sorted.iter().sum::<f64>() / sorted.len() as f64;
    sorted.sort_by(f64::total_cmp);
    Some(Spread {
        mean,
        q05: quantile_type7(&sorted, 0.05)?,
        q50: quantile_type7(&sorted, 0.50)?,
        q95: quantile_type7(&sorted, 0.95)?,
        draws: sorted.len(),
    })
}

/// The paired differences `a_i - b_i` over the draws both series define,
/// matched by draw index.
pub fn paired_differences(a: &[(u64, Option<f64>)], b: &[(u64, Option<f64>)]) -> Vec<f64> {
    let mut differences = Vec::with_capacity(a.len().min(b.len()));
    let mut j = 0;
    for &(index, value) in a {
        // Both series are in draw order; skip draws only one of them has.
        while j < b.len() && b[j].0 < index {
            j += 1;
        }
        if let (Some(x), Some((other, Some(y)))) = (value, b.get(j))
            && *other == index
        {
            differences.push(x - y);
        }
    }
    differences
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn differences_are_paired_by_draw_index() {
        let a = [(0, Some(0.5)), (1, Some(0.25)), (2, None), (3, Some(1.0))];
        let b = [(1, Some(0.125)), (2, Some(0.5)), (3, Some(0.5))];
        assert_eq!(paired_differences(&a, &b), [0.125, 0.5]);
    }

    #[test]
    fn spreads_use_type_7_quantiles() {
        let values: Vec<f64> = (0..=100).map(f64::from).collect();
        let s = spread(&values).expect("values");
        assert_eq!(
            (s.mean, s.q05, s.q50, s.q95, s.draws),
            (50.0, 5.0, 50.0, 95.0, 101)
        );
        assert_eq!(spread(&[]), None);
    }
}
