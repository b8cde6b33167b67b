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
//! otherwise the tally's first scenario. A `reference` row names the
//! confounders of its scenario against the reference
//! (`uchronia_model::baseline`): the difference it gives is the effect of
//! the divergence *and* of those nodes. A `matched` row ([`compare_matched`])
//! compares a scenario with its matched baseline, which differs from it by
//! the divergence alone, so its difference is the divergence's own effect.

use uchronia_engine::tally::{ScenarioTally, Tally};
use uchronia_model::baseline::{Matched, confounders_against};
use uchronia_model::{Model, OutcomeId};

use crate::findings::{Against, ComparisonRow};
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
        let confounders: Vec<String> =
            confounders_against(model, scenario.scenario, reference.scenario)
                .into_iter()
                .map(|node| model.nodes[node].name.clone())
                .collect();
        for &outcome in outcomes {
            let mut row = paired_row(model, scenario, reference, outcome);
            row.reference.clone_from(reference_name);
            row.confounders.clone_from(&confounders);
            rows.push(row);
        }
    }
    rows
}

/// One `matched` row per pair of `matched` whose two scenarios `tally`
/// holds, and listed outcome (model order): each scenario against its
/// matched baseline, paired over draws.
pub fn compare_matched(model: &Model, tally: &Tally, matched: &[Matched]) -> Vec<ComparisonRow> {
    let outcomes: Vec<OutcomeId> = (0..model.outcomes.len())
        .filter(|&o| model.outcomes[o].listed)
        .collect();
    let find = |id| tally.scenarios.iter().find(|s| s.scenario == id);
    let mut rows = Vec::new();
    for pair in matched {
        let (Some(scenario), Some(baseline)) = (find(pair.scenario), find(pair.baseline)) else {
            continue;
        };
        for &outcome in &outcomes {
            let mut row = paired_row(model, scenario, baseline, outcome);
            row.reference
                .clone_from(&model.scenarios[pair.baseline].name);
            row.against = Against::Matched;
            rows.push(row);
        }
    }
    rows
}

/// The paired difference `scenario - other` of one outcome, over the draws
/// where both are defined, with the scenario and outcome named.
fn paired_row(
    model: &Model,
    scenario: &ScenarioTally,
    other: &ScenarioTally,
    outcome: OutcomeId,
) -> ComparisonRow {
    let a = per_draw_values(scenario, outcome);
    let b = per_draw_values(other, outcome);
    let pairs: Vec<(f64, f64)> = a
        .iter()
        .zip(&b)
        .filter_map(|(a, b)| Some(((*a)?, (*b)?)))
        .collect();
    let mut row = paired_difference(&pairs);
    row.scenario
        .clone_from(&model.scenarios[scenario.scenario].name);
    row.outcome.clone_from(&model.outcomes[outcome].name);
    row
}

/// The statistics of paired values `(scenario, reference)`, one pair per
/// draw. Names are left empty for the caller.
pub fn paired_difference(pairs: &[(f64, f64)]) -> ComparisonRow {
    let mut row = ComparisonRow {
        scenario: String::new(),
        reference: String::new(),
        against: Against::Reference,
        confounders: Vec::new(),
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
