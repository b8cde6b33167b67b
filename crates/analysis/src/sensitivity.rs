//! Which beliefs drive the answer: sensitivity of every outcome to every
//! parameter, measured on the parameter draws of the run itself (no extra
//! trials).
//!
//! For one scenario, outcome and parameter, each parameter draw `d` gives a
//! pair `(x_d, y_d)`: the parameter's value in that draw and the outcome's
//! per-draw probability `p_d = hits / given` (for a numeric outcome, its
//! per-draw mean). Draws where the outcome is undefined are left out. From
//! the `n` pairs:
//!
//! - **`rank_corr`**: Spearman's rank correlation (average ranks for ties).
//! - **`swing_low`, `swing_high`**: the mean of `y` over the `floor(n / 5)`
//!   draws with the lowest `x`, and over the same number with the highest
//!   (ties in `x` are broken by draw order).
//! - **`first_order`**: a first-order variance-based index by binning. The
//!   draws, sorted by `x`, are cut into `B = max(5, round(sqrt(n)))` bins of
//!   equal count (at most `n / 2` bins, so that every bin holds two draws).
//!   The raw share of variance explained by the bin means,
//!   `eta2 = SS_between / SS_total`, is biased upwards: even a parameter
//!   that `y` does not depend on gets `E[eta2] = (B - 1) / (n - 1)` from
//!   noise alone (exactly so for normal noise; about 0.031 for 1,000 draws).
//!   The index subtracts that expected noise, estimated from the spread
//!   within bins, and clamps at 0:
//!   `first_order = max(0, (SS_between - (B - 1) SS_within / (n - B)) / SS_total)`
//!   (the "epsilon squared" of the analysis of variance). For an irrelevant
//!   parameter this removes `(B - 1) / (n - 1)` on average, so the index is
//!   near 0; for a parameter that explains everything (`SS_within` near 0)
//!   it removes almost nothing. Binning also loses the variation of
//!   `E[y | x]` inside each bin, a small downward bias for smooth effects.
//!   The index is a share of the variance of `p_d`, which includes the
//!   binomial noise of `T` trials per draw.
//!
//! A parameter that does not vary in the scenario (a `fixed` distribution,
//! or `set` to a number, or equal in every draw) gets empty cells, and so
//! does an outcome that does not vary. Every computation is a fixed sequence
//! of floating-point operations in draw order, so the rows are as
//! deterministic as the tally.
//!
//! Two columns say whether a correlation means anything: **`ancestor`**,
//! whether the parameter can reach the outcome in the scenario's graph (after
//! the cuts of its `do`: a parameter that cannot shows only noise), and
//! **`significant`**, whether `|rank_corr|` lies beyond the 99% noise bound
//! `z_{0.995} / sqrt(n - 1)` for the `n` draws used
//! ([`crate::stats::noise_bound`]).

use uchronia_engine::tally::{OutcomeTally, ScenarioTally, Tally};
use uchronia_model::{Dist, Model, OutcomeId, ParamId, ScenarioId};

use crate::ancestry::ancestry_in_scenario;
use crate::findings::SensitivityRow;
use crate::stats::{average_ranks, beyond_noise, pearson};

/// Sensitivity rows for every scenario of `tally` (in tally order), every
/// listed outcome (model order) and every parameter (model order).
pub fn sensitivity(model: &Model, tally: &Tally) -> Vec<SensitivityRow> {
    let outcomes: Vec<OutcomeId> = (0..model.outcomes.len())
        .filter(|&o| model.outcomes[o].listed)
        .collect();
    sensitivity_for(model, tally, &outcomes)
}

/// Sensitivity rows for every scenario of `tally` and the given outcomes (in
/// the order given), every parameter in model order.
pub fn sensitivity_for(
    model: &Model,
    tally: &Tally,
    outcomes: &[OutcomeId],
) -> Vec<SensitivityRow> {
    let mut rows = Vec::new();
    for scenario in &tally.scenarios {
        rows.extend(scenario_sensitivity(model, scenario, outcomes));
    }
    rows
}

/// The outcome's per-draw value in each draw of `scenario`, in draw order:
/// `p_d = hits / given` for a boolean outcome, the per-draw mean for a
/// numeric one; `None` where it is undefined (its `given` never held, or the
/// mean is not finite).
pub fn per_draw_values(scenario: &ScenarioTally, outcome: OutcomeId) -> Vec<Option<f64>> {
    scenario
        .draws
        .iter()
        .map(|draw| match draw.outcomes.get(outcome) {
            Some(OutcomeTally::Boolean { given, hits }) if *given > 0 => {
                Some(*hits as f64 / *given as f64)
            }
            Some(OutcomeTally::Numeric(moments)) if moments.count > 0 => {
                Some(moments.mean).filter(|m| m.is_finite())
            }
            _ => None,
        })
        .collect()
}

/// The distribution parameter `param` has in scenario `scenario`: its `set`
/// replacement there, or its own.
pub fn scenario_dist(model: &Model, scenario: ScenarioId, param: ParamId) -> &Dist {
    model.scenarios[scenario]
        .settings
        .iter()
        .find(|(p, _)| *p == param)
        .map_or(&model.params[param].dist, |(_, dist)| dist)
}

/// The ranks and sort order of one parameter's values over a set of draws.
struct Ordered {
    /// Average ranks, by position in the set.
    ranks: Vec<f64>,
    /// Positions sorted by value (ties by position).
    order: Vec<usize>,
}

impl Ordered {
    fn of(values: &[f64]) -> Ordered {
        let mut order: Vec<usize> = (0..values.len()).collect();
        order.sort_by(|&a, &b| values[a].total_cmp(&values[b]).then(a.cmp(&b)));
        Ordered {
            ranks: average_ranks(values),
            order,
        }
    }
}

/// The rows of one scenario.
fn scenario_sensitivity(
    model: &Model,
    scenario: &ScenarioTally,
    outcomes: &[OutcomeId],
) -> Vec<SensitivityRow> {
    let scenario_name = &model.scenarios[scenario.scenario].name;
    let param_values: Vec<Vec<f64>> = (0..model.params.len())
        .map(|p| {
            scenario
                .draws
                .iter()
                .map(|d| d.params.get(p).copied().unwrap_or(f64::NAN))
                .collect()
        })
        .collect();
    let varies: Vec<bool> = param_values
        .iter()
        .enumerate()
        .map(|(p, values)| {
            let fixed = matches!(
                scenario_dist(model, scenario.scenario, p),
                Dist::Fixed { .. }
            );
            !fixed && values.iter().all(|v| v.is_finite()) && values.iter().any(|v| *v != values[0])
        })
        .collect();
    // Ranks over all draws, shared by every outcome defined in every draw.
    let mut all_draws: Vec<Option<Ordered>> = Vec::new();

    let mut rows = Vec::new();
    for &outcome in outcomes {
        let mut ancestors = vec![false; model.params.len()];
        for (param, _) in ancestry_in_scenario(model, outcome, scenario.scenario).params {
            ancestors[param] = true;
        }
        let values = per_draw_values(scenario, outcome);
        let defined: Vec<usize> = (0..values.len()).filter(|&d| values[d].is_some()).collect();
        let y: Vec<f64> = values.iter().flatten().copied().collect();
        let y_ranks = average_ranks(&y);
        let y_varies = y.iter().any(|v| *v != y[0]);
        let every_draw = defined.len() == values.len();
        if every_draw && all_draws.is_empty() {
            all_draws = param_values
                .iter()
                .zip(&varies)
                .map(|(x, &varies)| varies.then(|| Ordered::of(x)))
                .collect();
        }
        for (param, x_all) in param_values.iter().enumerate() {
            let mut row = SensitivityRow {
                scenario: scenario_name.clone(),
                outcome: model.outcomes[outcome].name.clone(),
                param: model.params[param].name.clone(),
                rank_corr: None,
                swing_low: None,
                swing_high: None,
                first_order: None,
                ancestor: ancestors[param],
                significant: false,
            };
            if varies[param] && y_varies {
                let subset;
                let ordered = if every_draw {
                    all_draws[param].as_ref()
                } else {
                    let x: Vec<f64> = defined.iter().map(|&d| x_all[d]).collect();
                    subset = Ordered::of(&x);
                    // The defined draws may all share one value.
                    x.iter().any(|v| *v != x[0]).then_some(&subset)
                };
                if let Some(ordered) = ordered {
                    fill(&mut row, ordered, &y, &y_ranks);
                }
                row.significant = beyond_noise(row.rank_corr, y.len());
            }
            rows.push(row);
        }
    }
    rows
}

/// Fills the three measures of one (parameter, outcome) pair.
fn fill(row: &mut SensitivityRow, x: &Ordered, y: &[f64], y_ranks: &[f64]) {
    row.rank_corr = pearson(&x.ranks, y_ranks);
    let n = y.len();
    let fifth = n / 5;
    if fifth > 0 {
        row.swing_low = Some(mean_at(y, &x.order[..fifth]));
        row.swing_high = Some(mean_at(y, &x.order[n - fifth..]));
    }
    row.first_order = first_order(y, &x.order);
}

/// The mean of `y` at the positions `at` (not empty).
fn mean_at(y: &[f64], at: &[usize]) -> f64 {
    at.iter().map(|&i| y[i]).sum::<f64>() / at.len() as f64
}

/// The number of equal-count bins for `n` draws: `max(5, round(sqrt(n)))`,
/// at most `n / 2`.
pub fn bin_count(n: usize) -> usize {
    ((n as f64).sqrt().round() as usize).max(5).min(n / 2)
}

/// The bias-corrected binned first-order index of `y` against the parameter
/// whose sort order is `order` (see the module documentation). `None` below
/// two bins or when `y` does not vary.
fn first_order(y: &[f64], order: &[usize]) -> Option<f64> {
    let n = y.len();
    let bins = bin_count(n);
    if bins < 2 {
        return None;
    }
    let mean = y.iter().sum::<f64>() / n as f64;
    let total: f64 = y.iter().map(|v| (v - mean) * (v - mean)).sum();
    if total <= 0.0 {
        return None;
    }
    let mut between = 0.0;
    let mut within = 0.0;
    for b in 0..bins {
        let at = &order[b * n / bins..(b + 1) * n / bins];
        let bin_mean = mean_at(y, at);
        between += at.len() as f64 * (bin_mean - mean) * (bin_mean - mean);
        within += at
            .iter()
            .map(|&i| (y[i] - bin_mean) * (y[i] - bin_mean))
            .sum::<f64>();
    }
    let noise = (bins - 1) as f64 * within / (n - bins) as f64;
    Some(((between - noise) / total).max(0.0))
}
