//! Tests of Spearman, sensitivity, comparison, sweeps and ancestry: exact
//! answers on hand-built inputs, and statistical answers on small models run
//! through the engine with fixed seeds.

use std::sync::atomic::AtomicBool;

use uchronia_engine::RunConfig;
use uchronia_model::Model;

use super::*;
use crate::comparison::{compare, paired_difference};
use crate::findings::SensitivityRow;
use crate::sensitivity::bin_count;
use crate::stats::{average_ranks, pearson};

/// An outcome that depends on `strong` (p = strong) and not at all on
/// `idle`; `pinned` is fixed. Scenario `idle_set` sets `idle` to a number;
/// scenario `lifted` adds 0.1 to the probability through a `do`, sharing
/// every random number with `base`.
const DRIVERS: &str = r#"
[model]
name = "drivers"
title = "One parameter drives the outcome, one does not"
doc = "Sensitivity tests."

[params.strong]
doc = "Drives the event."
dist = "uniform"
low = 0
high = 1

[params.idle]
doc = "Drives nothing."
dist = "beta"
a = 2
b = 2

[params.pinned]
doc = "Never varies."
dist = "fixed"
value = 0.5

[nodes.lift]
doc = "The intervention."
p = 0

[nodes.event]
doc = "Happens with probability strong, or strong + 0.1 when lifted."
p = "if(lift, min(1, strong + 0.1), strong)"

[nodes.noise]
doc = "Depends on idle and pinned only."
p = "idle * pinned"

[outcomes.happens]
doc = "The event."
when = "event"

[outcomes.noisy]
doc = "The noise node."
when = "noise"

[scenarios.base]
doc = "Nothing done."

[scenarios.idle_set]
doc = "idle pinned by a set."
set = { idle = 0.3 }

[scenarios.lifted]
doc = "The event is made likelier by 0.1."
do = { lift = true }
"#;

fn load(source: &str) -> Model {
    uchronia_model::load("drivers.toml", source)
        .expect("a valid model")
        .model
}

fn run(model: &Model, draws: u64, trials_per_draw: u64, seed: u64) -> uchronia_engine::Tally {
    let config = RunConfig {
        seed,
        draws,
        trials_per_draw,
        scenarios: (0..model.scenarios.len()).collect(),
        draw_range: 0..draws,
        design: Default::default(),
    };
    uchronia_engine::run(model, &config, &|_| {}, &AtomicBool::new(false)).expect("the run")
}

fn row<'a>(
    rows: &'a [SensitivityRow],
    scenario: &str,
    outcome: &str,
    param: &str,
) -> &'a SensitivityRow {
    rows.iter()
        .find(|r| r.scenario == scenario && r.outcome == outcome && r.param == param)
        .unwrap_or_else(|| panic!("no row {scenario},{outcome},{param}"))
}

#[test]
fn average_ranks_share_ties() {
    assert_eq!(
        average_ranks(&[10.0, 20.0, 20.0, 30.0, 5.0]),
        [2.0, 3.5, 3.5, 5.0, 1.0]
    );
    assert_eq!(average_ranks(&[1.0, 1.0, 1.0]), [2.0, 2.0, 2.0]);
    assert!(average_ranks(&[]).is_empty());
}

#[test]
fn spearman_matches_the_hand_computation_with_ties() {
    // y ranks [1, 2, 3.5, 5, 3.5]: sxy = 8, sxx = 10, syy = 9.5.
    let r = spearman(&[1.0, 2.0, 3.0, 4.0, 5.0], &[5.0, 6.0, 7.0, 8.0, 7.0]).expect("defined");
    assert!((r - 8.0 / 95f64.sqrt()).abs() < 1e-15, "{r}");
    // Any monotone transform gives 1 or -1.
    let x = [0.3, 0.1, 0.9, 0.5];
    let cubes: Vec<f64> = x.iter().map(|v: &f64| v.powi(3)).collect();
    let negated: Vec<f64> = x.iter().map(|v| -v.exp()).collect();
    assert_eq!(spearman(&x, &cubes), Some(1.0));
    assert_eq!(spearman(&x, &negated), Some(-1.0));
    // Undefined: a constant side, too few pairs, unequal lengths, NaN.
    assert_eq!(spearman(&x, &[1.0; 4]), None);
    assert_eq!(spearman(&[1.0], &[2.0]), None);
    assert_eq!(spearman(&x, &[1.0, 2.0]), None);
    assert_eq!(spearman(&[1.0, f64::NAN], &[1.0, 2.0]), None);
    assert_eq!(pearson(&[1.0, 2.0, 3.0], &[2.0, 4.0, 6.0]), Some(1.0));
}

#[test]
fn bins_are_at_least_five_and_hold_two_draws_each() {
    assert_eq!(bin_count(1000), 32);
    assert_eq!(bin_count(100), 10);
    assert_eq!(bin_count(16), 5);
    assert_eq!(bin_count(6), 3);
    assert_eq!(bin_count(3), 1);
}

#[test]
fn sensitivity_ranks_the_driving_parameter_first_and_the_idle_one_near_zero() {
    let model = load(DRIVERS);
    let draws = 400;
    let tally = run(&model, draws, 2000, 7);
    let rows = sensitivity(&model, &tally);
    // 3 scenarios x 2 outcomes x 3 params.
    assert_eq!(rows.len(), 18);

    let strong = row(&rows, "base", "happens", "strong");
    let idle = row(&rows, "base", "happens", "idle");
    let rho = strong.rank_corr.expect("defined");
    assert!(rho > 0.98, "strong: {rho}");
    // Independent: rank correlation about N(0, 1 / (D - 1)).
    let noise = 4.0 / ((draws - 1) as f64).sqrt();
    let rho_idle = idle.rank_corr.expect("defined");
    assert!(rho_idle.abs() < noise, "idle: {rho_idle}");

    // Lowest fifth of a uniform has mean 0.1, highest 0.9; p_d ~ strong.
    let (low, high) = (
        strong.swing_low.expect("low"),
        strong.swing_high.expect("high"),
    );
    // The mean of the lowest 80 of 400 uniforms has sd 0.012 (simulated;
    // mostly the spread of the sample's 20% quantile); 4 sd.
    assert!((low - 0.1).abs() < 0.05, "swing low {low}");
    assert!((high - 0.9).abs() < 0.05, "swing high {high}");
    let idle_swing = idle.swing_high.expect("high") - idle.swing_low.expect("low");
    // Two means of 80 draws of a uniform: sd of the difference ~0.046.
    assert!(idle_swing.abs() < 0.2, "idle swing {idle_swing}");

    let first_strong = strong.first_order.expect("defined");
    assert!(first_strong > 0.95, "strong index {first_strong}");
    // Without correction the idle parameter would get about (B-1)/(n-1) = 0.048.
    let first_idle = idle.first_order.expect("defined");
    // Null sd of eta2 is about sqrt(2 (B - 1)) / n = 0.015: 4 sd.
    assert!(first_idle < 0.06, "idle index {first_idle}");

    // A fixed param and a param `set` to a number get empty cells.
    let pinned = row(&rows, "base", "happens", "pinned");
    assert_eq!(
        (
            pinned.rank_corr,
            pinned.swing_low,
            pinned.swing_high,
            pinned.first_order
        ),
        (None, None, None, None)
    );
    let set = row(&rows, "idle_set", "happens", "idle");
    assert_eq!((set.rank_corr, set.first_order), (None, None));
    // ...while the same param still varies in the other scenarios.
    assert!(
        row(&rows, "lifted", "noisy", "idle")
            .rank_corr
            .expect("defined")
            > 0.9
    );
}

#[test]
fn the_corrected_index_of_irrelevant_parameters_averages_near_zero() {
    // Over many seeds the raw eta2 of `idle` would average (B-1)/(n-1);
    // the corrected index, clamped, averages far below it.
    let model = load(DRIVERS);
    let draws = 100;
    let bins = bin_count(draws as usize) as f64;
    let raw_bias = (bins - 1.0) / (draws as f64 - 1.0);
    let seeds = 20;
    let mut total = 0.0;
    for seed in 0..seeds {
        let tally = run(&model, draws, 200, seed);
        let rows = sensitivity(&model, &tally);
        total += row(&rows, "base", "happens", "idle")
            .first_order
            .expect("defined");
    }
    let mean = total / seeds as f64;
    assert!(
        mean < raw_bias / 3.0,
        "mean index {mean}, raw bias {raw_bias}"
    );
}

#[test]
fn sensitivity_is_deterministic() {
    let model = load(DRIVERS);
    let a = sensitivity(&model, &run(&model, 50, 100, 3));
    let b = sensitivity(&model, &run(&model, 50, 100, 3));
    assert_eq!(a, b);
}

#[test]
fn paired_difference_matches_the_hand_computation() {
    let pairs = [(0.5, 0.25), (0.75, 0.5), (1.0, 0.5)];
    let row = paired_difference(&pairs);
    // d = [0.25, 0.25, 0.5]: mean 1/3, sd = sqrt((2 (1/12)^2 + (1/6)^2) / 2).
    let sd = ((2.0 / 144.0 + 1.0 / 36.0) / 2.0f64).sqrt();
    assert!((row.diff.expect("diff") - 1.0 / 3.0).abs() < 1e-15);
    assert!((row.diff_se.expect("se") - sd / 3f64.sqrt()).abs() < 1e-15);
    assert!((row.ratio.expect("ratio") - 0.75 / (1.25 / 3.0)).abs() < 1e-15);
    // Type-7 on [0.25, 0.25, 0.5]: 5% -> 0.25, 95% -> 0.25 + 0.9 * 0.25.
    assert_eq!(row.diff_q05, Some(0.25));
    assert!((row.diff_q95.expect("q95") - 0.475).abs() < 1e-15);
    // sd(a) = 0.25, sd(b) = sqrt(1/48).
    let unpaired = (0.0625 / 3.0 + 1.0 / 48.0 / 3.0f64).sqrt();
    assert!((row.unpaired_se.expect("unpaired") - unpaired).abs() < 1e-15);

    let zero = paired_difference(&[(0.5, 0.0), (0.25, 0.0)]);
    assert_eq!(zero.ratio, None);
    let empty = paired_difference(&[]);
    assert_eq!((empty.diff, empty.diff_se), (None, None));
    assert_eq!(paired_difference(&[(0.5, 0.25)]).diff_se, None);
}

#[test]
fn paired_differences_are_far_more_precise_than_unpaired_ones() {
    let model = load(DRIVERS);
    let draws = 400;
    let tally = run(&model, draws, 2000, 11);
    let rows = compare(&model, &tally);
    // 2 non-reference scenarios x 2 outcomes, reference `base`.
    assert_eq!(rows.len(), 4);
    assert!(rows.iter().all(|r| r.reference == "base"));
    let lifted = rows
        .iter()
        .find(|r| r.scenario == "lifted" && r.outcome == "happens")
        .expect("the row");
    // E[min(1, s + 0.1) - s] for s ~ U(0, 1) = 0.1 - 0.005.
    let (diff, se) = (lifted.diff.expect("diff"), lifted.diff_se.expect("se"));
    assert!((diff - 0.095).abs() < 4.0 * se, "diff {diff} +- {se}");
    let unpaired = lifted.unpaired_se.expect("unpaired");
    // Unpaired: sqrt(2 / 12 / 400) ~ 0.02; paired: ~0.0003.
    assert!(se * 10.0 < unpaired, "paired {se}, unpaired {unpaired}");
    assert!(lifted.ratio.expect("ratio") > 1.1);
    assert!(lifted.diff_q05.expect("q05") >= 0.0);
    // The `noise` node does not depend on `lift`: no difference at all.
    let same = rows
        .iter()
        .find(|r| r.scenario == "lifted" && r.outcome == "noisy")
        .expect("the row");
    assert_eq!(same.diff, Some(0.0));
    assert_eq!(same.ratio, Some(1.0));
}

#[test]
fn the_reference_is_the_first_scenario_run_when_the_models_first_is_not() {
    let model = load(DRIVERS);
    let config = RunConfig {
        seed: 1,
        draws: 10,
        trials_per_draw: 10,
        scenarios: vec![2, 1],
        design: Default::default(),
        draw_range: 0..10,
    };
    let tally =
        uchronia_engine::run(&model, &config, &|_| {}, &AtomicBool::new(false)).expect("run");
    let rows = compare(&model, &tally);
    assert!(
        rows.iter()
            .all(|r| r.reference == "lifted" && r.scenario == "idle_set")
    );
}

#[test]
fn a_sweep_row_equals_the_outcome_row_of_the_fixed_model() {
    let model = load(DRIVERS);
    let strong = 0;
    let fixed = fix_param(&model, strong, 0.25).expect("a finite value");
    let tally = run(&fixed, 40, 500, 5);
    let rows = sweep_rows(&fixed, &tally, strong, 0.25, &[0, 1]);
    assert_eq!(rows.len(), 6);
    let edited = DRIVERS.replace(
        "dist = \"uniform\"\nlow = 0\nhigh = 1",
        "dist = \"fixed\"\nvalue = 0.25",
    );
    assert_ne!(edited, DRIVERS);
    let by_file = load(&edited);
    let summary = summarize(&by_file, &run(&by_file, 40, 500, 5));
    for (sweep, outcome) in rows.iter().zip(&summary.boolean) {
        assert_eq!(
            (&sweep.scenario, &sweep.outcome),
            (&outcome.scenario, &outcome.outcome)
        );
        assert_eq!(
            (
                sweep.p_mean,
                sweep.mc_se,
                sweep.p_q05,
                sweep.p_q50,
                sweep.p_q95
            ),
            (
                outcome.p_mean,
                outcome.mc_se,
                outcome.p_q05,
                outcome.p_q50,
                outcome.p_q95
            )
        );
    }
    // p = strong = 0.25 in every draw of `base`.
    let base = &rows[0];
    assert!((base.p_mean.expect("p") - 0.25).abs() < 4.0 * (0.25 * 0.75 / 20_000f64).sqrt());
}

#[test]
fn ancestry_lists_nodes_and_params_by_graph_distance() {
    let model = load(DRIVERS);
    let happens = model
        .outcomes
        .iter()
        .position(|o| o.name == "happens")
        .expect("outcome");
    let found = ancestry(&model, happens);
    let names = |ids: &[(usize, u32)], names: &dyn Fn(usize) -> String| {
        ids.iter()
            .map(|&(id, d)| (names(id), d))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        names(&found.nodes, &|i| model.nodes[i].name.clone()),
        [("event".to_string(), 1), ("lift".to_string(), 2)]
    );
    assert_eq!(
        names(&found.params, &|i| model.params[i].name.clone()),
        [("strong".to_string(), 2)]
    );
    assert!(found.outcomes.is_empty());
}

#[test]
fn a_do_cuts_the_parents_of_the_node_it_sets() {
    let model = load(DRIVERS);
    let happens = 0;
    assert_eq!(model.outcomes[happens].name, "happens");
    let lifted = model.scenario_id("lifted").expect("scenario");
    let found = ancestry_in_scenario(&model, happens, lifted);
    // `lift` has no parents anyway; `event` is not set, so `strong` stays.
    assert_eq!(found.params, [(0, 2)]);
    let mut cut = model.clone();
    cut.scenarios[lifted].interventions = vec![(
        model
            .nodes
            .iter()
            .position(|n| n.name == "event")
            .expect("node"),
        uchronia_model::Value::Boolean(true),
    )];
    let found = ancestry_in_scenario(&cut, happens, lifted);
    assert!(found.params.is_empty());
    assert_eq!(found.nodes.len(), 1);
}
