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

use uchronia_engine::tally::Tally;
use uchronia_model::{Dist, Model, OutcomeId, ParamId};

use crate::findings::SweepRow;
use crate::{boolean_counts, summarize_boolean};

/// `model` with parameter `param` replaced by a point mass at `value`.
/// A scenario that `set`s the parameter still overrides it there.
pub fn fix_param(model: &Model, param: ParamId, value: f64) -> Model {
    let mut fixed = model.clone();
    fixed.params[param].dist = Dist::Fixed { value };
    fixed
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
