//! Scenario comparison: each scenario against the reference, outcome by
//! outcome, on paired parameter draws.
//!
//! Scenarios share their parameter draws and random numbers (common random
//! numbers), so draw `d` of a scenario and draw `d` of the reference differ
//! only by the intervention. The per-draw difference `d_i = y_i(scenario) -
//! y_i(reference)` (boolean outcomes: `p_d`; numeric outcomes: per-draw
//! means; draws where either side is undefined are skipped) therefore
//! carries much less noise than either side, and its standard error
//! `sd(d_i) / sqrt(n)` is usually far below the unpaired
//! `sqrt(se_a^2 + se_b^2)`, which the rows also give so that a reader sees
//! what pairing bought.
//!
//! The reference is the model's first scenario when the tally holds it,
//! otherwise the tally's first scenario.

use uchronia_engine::tally::Tally;
use uchronia_model::{Model, OutcomeId};

use crate::findings::ComparisonRow;
use crate::sensitivity::per_draw_values;
use crate::stats::{quantile_type7, sample_sd};

/// The index, in `tally.scenarios`, of the reference scenario: the model's
/// first scenario when it was run, otherwise the first one run. `None` for
/// an empty tally.
pub fn reference_index(tally: &Tally) -> Option<usize> {
    if tally.scenarios.is_empty() {
        return None;
    }
    Some(
        tally
            .scenarios
            .iter()
            .position(|s| s.scenario == 0)
            .unwrap_or(0),
    )
}

/// One row per non-reference scenario of `tally` (tally order) and listed
/// outcome (model order).
pub fn compare(model: &Model, tally: &Tally) -> Vec<ComparisonRow> {
    let outcomes: Vec<OutcomeId> = (0..model.outcomes.len())
        .filter(|&o| model.outcomes[o].listed)
        .collect();
    compare_for(model, tally, &outcomes)
}

/// One row per non-reference scenario of `tally` and outcome of `outcomes`
/// (in the order given).
pub fn compare_for(model: &Model, tally: &Tally, outcomes: &[OutcomeId]) -> Vec<ComparisonRow> {
    let Some(reference_at) = reference_index(tally) else {
        return Vec::new();
    };
    let reference = &tally.scenarios[reference_at];
    let reference_name = &model.scenarios[reference.scenario].name;
    let mut rows = Vec::new();
    for (at, scenario) in tally.scenarios.iter().enumerate() {
        if at == reference_at {
            continue;
        }
        for &outcome in outcomes {
            let a = per_draw_values(scenario, outcome);
            let b = per_draw_values(reference, outcome);
            let pairs: Vec<(f64, f64)> = a
                .iter()
                .zip(&b)
                .filter_map(|(a, b)| Some(((*a)?, (*b)?)))
                .collect();
            let mut row = paired_difference(&pairs);
            row.scenario
                .clone_from(&model.scenarios[scenario.scenario].name);
            row.reference.clone_from(reference_name);
            row.outcome.clone_from(&model.outcomes[outcome].name);
            rows.push(row);
        }
    }
    rows
}

/// The statistics of paired values `(scenario, reference)`, one pair per
/// draw. Names are left empty for the caller.
pub fn paired_difference(pairs: &[(f64, f64)]) -> ComparisonRow {
    let mut row = ComparisonRow {
        scenario: String::new(),
        reference: String::new(),
        outcome: String::new(),
        diff: None,
        diff_se: None,
        diff_q05: None,
        diff_q95: None,
        ratio: None,
        unpaired_se: None,
    };
    if pairs.is_empty() {
        return row;
    }
    let n = pairs.len() as f64;
    let mut diffs: Vec<f64> = pairs.iter().map(|(a, b)| a - b).collect();
    let a: Vec<f64> = pairs.iter().map(|p| p.0).collect();
    let b: Vec<f64> = pairs.iter().map(|p| p.1).collect();
    row.diff = Some(diffs.iter().sum::<f64>() / n);
    row.diff_se = sample_sd(&diffs).map(|sd| sd / n.sqrt());
    row.unpaired_se = match (sample_sd(&a), sample_sd(&b)) {
        (Some(sa), Some(sb)) => Some((sa * sa / n + sb * sb / n).sqrt()),
        _ => None,
    };
    let mean_a = a.iter().sum::<f64>() / n;
    let mean_b = b.iter().sum::<f64>() / n;
    row.ratio = Some(mean_a / mean_b).filter(|r| mean_b != 0.0 && r.is_finite());
    diffs.sort_by(f64::total_cmp);
    row.diff_q05 = quantile_type7(&diffs, 0.05);
    row.diff_q95 = quantile_type7(&diffs, 0.95);
    row
}
