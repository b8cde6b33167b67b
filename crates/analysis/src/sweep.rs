//! Sweeps: "what if I believed this parameter were exactly x?".
//!
//! A sweep runs the model once per value with the parameter fixed at that
//! value and every other parameter still uncertain. [`fix_param`] builds the
//! modified model; the engine runs it with the same seed, so every other
//! parameter takes the same values in draw `d` whatever the swept value
//! (each parameter has its own uniform per draw). [`sweep_rows`] turns each
//! run's tally into rows computed exactly as `outcomes.csv` computes them, so
//! a sweep row equals the row of a separate run of a model file with the
//! parameter `fixed` at that value, bit for bit.
//!
//! [`movements`] says which outcomes the swept values move beyond Monte
//! Carlo noise, so that `uchronia sweep` can list those first and count
//! the flat ones.

use uchronia_engine::tally::Tally;
use uchronia_model::{Dist, DistKind, DomainError, Model, OutcomeId, ParamId};

use crate::findings::SweepRow;
use crate::{boolean_counts, summarize_boolean};

/// `model` with parameter `param` replaced by a point mass at `value`
/// (an error when `value` is not finite). A scenario that `set`s the
/// parameter still overrides it there.
pub fn fix_param(model: &Model, param: ParamId, value: f64) -> Result<Model, DomainError> {
    let mut fixed = model.clone();
    fixed.params[param].dist = Dist::new(DistKind::Fixed, &[value])?;
    Ok(fixed)
}

/// The rows of one swept value: one per scenario of `tally` (tally order)
/// and boolean outcome of `outcomes` (in the order given; numeric outcomes
/// are skipped).
pub fn sweep_rows(
    model: &Model,
    tally: &Tally,
    param: ParamId,
    value: f64,
    outcomes: &[OutcomeId],
) -> Vec<SweepRow> {
    let mut rows = Vec::new();
    for scenario in &tally.scenarios {
        for &outcome in outcomes {
            if !matches!(
                model.outcomes[outcome].kind,
                uchronia_model::OutcomeKind::Boolean { .. }
            ) {
                continue;
            }
            let summary = summarize_boolean(&boolean_counts(scenario, outcome));
            rows.push(SweepRow {
                param: model.params[param].name.clone(),
                value,
                scenario: model.scenarios[scenario.scenario].name.clone(),
                outcome: model.outcomes[outcome].name.clone(),
                p_mean: summary.p_mean,
                mc_se: summary.mc_se,
                p_q05: summary.p_q05,
                p_q50: summary.p_q50,
                p_q95: summary.p_q95,
            });
        }
    }
    rows
}

/// How far one outcome's probability moves across the swept values in one
/// scenario, against the Monte Carlo noise of that distance.
#[derive(Clone, Debug, PartialEq)]
pub struct Movement {
    /// Scenario.
    pub scenario: String,
    /// Outcome.
    pub outcome: String,
    /// The largest `p_mean` minus the smallest, over the values (0 when no
    /// value has a `p_mean`).
    pub spread: f64,
    /// [`FLAT_SE`] combined standard errors of that difference:
    /// `FLAT_SE * sqrt(mc_se_max^2 + mc_se_min^2)`, from the rows holding
    /// the largest and the smallest `p_mean`.
    pub noise: f64,
}

impl Movement {
    /// Whether the outcome moves: its spread is beyond the noise.
    pub fn moves(&self) -> bool {
        self.spread > self.noise
    }
}

/// How many combined standard errors a spread must exceed to count as a
/// move. The rows of a sweep share their random numbers, so the real noise
/// of a difference is smaller than the independent-rows bound used here
/// (an outcome the parameter cannot reach has exactly the same `p_mean` at
/// every value), and 4 leaves room for taking the largest of many pairs.
pub const FLAT_SE: f64 = 4.0;

/// One [`Movement`] per (scenario, outcome) of `rows`, in order of first
/// appearance.
pub fn movements(rows: &[SweepRow]) -> Vec<Movement> {
    let mut groups: Vec<(&str, &str)> = Vec::new();
    for row in rows {
        let key = (row.scenario.as_str(), row.outcome.as_str());
        if !groups.contains(&key) {
            groups.push(key);
        }
    }
    groups
        .into_iter()
        .map(|(scenario, outcome)| {
            let mut low: Option<(f64, f64)> = None;
            let mut high: Option<(f64, f64)> = None;
            for row in rows
                .iter()
                .filter(|r| r.scenario == scenario && r.outcome == outcome)
            {
                let Some(p) = row.p_mean else { continue };
                let se = row.mc_se.unwrap_or(0.0);
                if low.is_none_or(|(q, _)| p < q) {
                    low = Some((p, se));
                }
                if high.is_none_or(|(q, _)| p > q) {
                    high = Some((p, se));
                }
            }
            let (spread, noise) = match (low, high) {
                (Some((lo, lo_se)), Some((hi, hi_se))) => (hi - lo, FLAT_SE * lo_se.hypot(hi_se)),
                _ => (0.0, 0.0),
            };
            Movement {
                scenario: scenario.to_string(),
                outcome: outcome.to_string(),
                spread,
                noise,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(value: f64, scenario: &str, outcome: &str, p: f64, se: f64) -> SweepRow {
        SweepRow {
            param: "x".into(),
            value,
            scenario: scenario.into(),
            outcome: outcome.into(),
            p_mean: Some(p),
            mc_se: Some(se),
            p_q05: None,
            p_q50: None,
            p_q95: None,
        }
    }

    #[test]
    fn a_spread_beyond_four_combined_standard_errors_moves() {
        let rows = vec![
            row(0.0, "s", "up", 0.10, 0.01),
            row(0.0, "s", "flat", 0.50, 0.01),
            row(0.0, "s", "edge", 0.30, 0.03),
            row(1.0, "s", "up", 0.20, 0.01),
            row(1.0, "s", "flat", 0.52, 0.01),
            row(1.0, "s", "edge", 0.50, 0.04),
        ];
        let found = movements(&rows);
        let names: Vec<&str> = found.iter().map(|m| m.outcome.as_str()).collect();
        assert_eq!(names, ["up", "flat", "edge"]);
        // up: 0.10 > 4 x sqrt(2) x 0.01 = 0.0566.
        assert!((found[0].spread - 0.10).abs() < 1e-12);
        assert!((found[0].noise - 4.0 * 2f64.sqrt() * 0.01).abs() < 1e-12);
        assert!(found[0].moves());
        // flat: 0.02 < 0.0566.
        assert!(!found[1].moves());
        // edge: 0.20 against 4 x 0.05 = 0.20 exactly: not beyond, so flat.
        assert!((found[2].noise - 0.20).abs() < 1e-12);
        assert!(!found[2].moves());
    }

    #[test]
    fn identical_rows_are_flat_and_scenarios_are_apart() {
        let rows = vec![
            row(0.0, "a", "o", 0.4, 0.0),
            row(0.0, "b", "o", 0.4, 0.0),
            row(1.0, "a", "o", 0.4, 0.0),
            row(1.0, "b", "o", 0.41, 0.0),
        ];
        let found = movements(&rows);
        assert_eq!(found.len(), 2);
        assert!(!found[0].moves(), "{found:?}");
        // No noise at all: any difference moves.
        assert!(found[1].moves(), "{found:?}");
        let mut missing = row(0.0, "c", "o", 0.0, 0.0);
        missing.p_mean = None;
        let found = movements(&[missing]);
        assert_eq!((found[0].spread, found[0].moves()), (0.0, false));
    }
}
