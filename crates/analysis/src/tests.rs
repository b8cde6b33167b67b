//! Unit tests with hand-built tallies and answers worked out by hand.

use super::*;
use uchronia_engine::tally::DrawTally;
use uchronia_model::{Expr, Outcome, ReportSettings, Scenario, Span};

const EPS: f64 = 1e-12;

fn close(actual: Option<f64>, expected: f64) {
    let actual = actual.expect("a value");
    assert!(
        (actual - expected).abs() <= EPS * expected.abs().max(1.0),
        "{actual} != {expected}"
    );
}

fn moments_of(values: &[f64]) -> Moments {
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let m2 = values.iter().map(|x| (x - mean) * (x - mean)).sum();
    Moments {
        count: values.len() as u64,
        mean,
        m2,
    }
}

#[test]
fn type7_quantiles_interpolate_between_order_statistics() {
    let x = [0.1, 0.2, 0.4, 0.5];
    // h = 3q: 0.15 -> 0.1 + 0.15 * 0.1; 1.5 -> halfway 0.2..0.4; 2.85 -> 0.4 + 0.85 * 0.1.
    close(quantile_type7(&x, 0.05), 0.115);
    close(quantile_type7(&x, 0.5), 0.3);
    close(quantile_type7(&x, 0.95), 0.485);
    close(quantile_type7(&x, 0.0), 0.1);
    close(quantile_type7(&x, 1.0), 0.5);
    close(quantile_type7(&[7.0], 0.95), 7.0);
    assert_eq!(quantile_type7(&[], 0.5), None);
}

#[test]
fn boolean_summary_of_four_draws() {
    // p_d = 0.1, 0.2, 0.4, 0.5 with T = 10, given in draw order 0.4, 0.1, 0.5, 0.2.
    let counts = [(10, 4), (10, 1), (10, 5), (10, 2)];
    let row = summarize_boolean(&counts);
    close(row.p_mean, 0.3);
    // Sample variance: (0.04 + 0.01 + 0.01 + 0.04) / 3; se = sd / sqrt(4).
    close(row.mc_se, (0.1f64 / 3.0).sqrt() / 2.0);
    close(row.p_q05, 0.115);
    close(row.p_q50, 0.3);
    close(row.p_q95, 0.485);
    assert_eq!(row.undefined_draws, 0);
    assert_eq!(row.draws, 4);
}

#[test]
fn boolean_draws_where_given_never_held_are_left_out_and_counted() {
    let counts = [(0, 0), (20, 2), (0, 0), (5, 2), (10, 5)];
    let row = summarize_boolean(&counts);
    // p_d = 0.1, 0.4, 0.5.
    close(row.p_mean, 1.0 / 3.0);
    close(row.p_q50, 0.4);
    assert_eq!(row.undefined_draws, 2);
    assert_eq!(row.draws, 5);
}

#[test]
fn one_draw_uses_the_binomial_standard_error() {
    let row = summarize_boolean(&[(400, 100)]);
    close(row.p_mean, 0.25);
    close(row.mc_se, (0.25f64 * 0.75 / 400.0).sqrt());
    close(row.p_q05, 0.25);
    close(row.p_q95, 0.25);
}

#[test]
fn no_defined_draw_gives_empty_statistics_not_nan() {
    let row = summarize_boolean(&[(0, 0), (0, 0)]);
    assert_eq!(row.p_mean, None);
    assert_eq!(row.mc_se, None);
    assert_eq!(row.p_q05, None);
    assert_eq!(row.p_q50, None);
    assert_eq!(row.p_q95, None);
    assert_eq!(row.undefined_draws, 2);
}

#[test]
fn chan_merge_equals_the_pooled_moments() {
    let a = [1.0, 2.0, 4.0];
    let b = [10.0, 12.0];
    let c = [-3.0];
    let all: Vec<f64> = a.iter().chain(&b).chain(&c).copied().collect();
    let merged = merge_moments(&[
        moments_of(&a),
        Moments::default(),
        moments_of(&b),
        moments_of(&c),
    ]);
    let direct = moments_of(&all);
    assert_eq!(merged.count, 6);
    close(Some(merged.mean), direct.mean);
    close(Some(merged.m2), direct.m2);
}

#[test]
fn numeric_summary_pools_values_and_takes_se_over_draw_means() {
    // Draw 0: 1, 3 (mean 2); draw 1: no value; draw 2: 4, 6, 8 (mean 6); T = 4.
    let per_draw = [
        moments_of(&[1.0, 3.0]),
        Moments::default(),
        moments_of(&[4.0, 6.0, 8.0]),
    ];
    let row = summarize_numeric(&per_draw, None, 12);
    // Pooled 1, 3, 4, 6, 8: mean 4.4, squares 11.56 + 1.96 + 0.16 + 2.56 + 12.96 = 29.2.
    close(row.mean, 4.4);
    close(row.sd, (29.2f64 / 4.0).sqrt());
    // Draw means 2 and 6: sd = sqrt(8), se = sqrt(8) / sqrt(2) = 2.
    close(row.mean_se, 2.0);
    close(Some(row.share), 5.0 / 12.0);
    assert_eq!(row.q50, None, "no sketch, no quantiles");
}

#[test]
fn numeric_with_one_draw_uses_sd_over_root_n() {
    let row = summarize_numeric(&[moments_of(&[2.0, 4.0, 6.0, 8.0])], None, 8);
    let sd = (20.0f64 / 3.0).sqrt();
    close(row.sd, sd);
    close(row.mean_se, sd / 2.0);
    close(Some(row.share), 0.5);
}

#[test]
fn numeric_whose_given_never_held_is_empty() {
    let row = summarize_numeric(&[Moments::default(), Moments::default()], None, 100);
    assert_eq!(row.mean, None);
    assert_eq!(row.sd, None);
    assert_eq!(row.mean_se, None);
    assert_eq!(row.share, 0.0);
}

fn outcome(name: &str, kind: OutcomeKind, listed: bool) -> Outcome {
    Outcome {
        name: name.into(),
        doc: None,
        label: None,
        kind,
        span: Span::default(),
        listed,
    }
}

fn scenario(name: &str) -> Scenario {
    Scenario {
        name: name.into(),
        doc: None,
        label: None,
        baseline_label: None,
        interventions: Vec::new(),
        settings: Vec::new(),
        facts_through: None,
        span: Span::default(),
    }
}

fn model() -> Model {
    Model {
        name: "m".into(),
        title: "M".into(),
        doc: None,
        params: Vec::new(),
        nodes: Vec::new(),
        outcomes: vec![
            outcome(
                "won",
                OutcomeKind::Boolean {
                    when: Expr::Boolean(true),
                    given: None,
                },
                true,
            ),
            outcome(
                "hidden_claim",
                OutcomeKind::Boolean {
                    when: Expr::Boolean(true),
                    given: None,
                },
                false,
            ),
            outcome(
                "year",
                OutcomeKind::Numeric {
                    value: Expr::Number(1.0),
                    given: Some(Expr::Boolean(true)),
                },
                true,
            ),
        ],
        scenarios: vec![scenario("history"), scenario("divergence")],
        state_names: Vec::new(),
        report: ReportSettings::default(),
        correlations: Vec::new(),
        ex_ante: Vec::new(),
    }
}

fn draw(index: u64, hits: u64, year: Moments) -> DrawTally {
    DrawTally {
        index,
        params: Vec::new(),
        outcomes: vec![
            OutcomeTally::Boolean { given: 10, hits },
            OutcomeTally::Boolean { given: 10, hits: 0 },
            OutcomeTally::Numeric(year),
        ],
        years: Vec::new(),
    }
}

#[test]
fn summarize_names_rows_lists_only_listed_outcomes_and_counts_trials() {
    let tally = Tally {
        seed: 1,
        draws: 2,
        trials_per_draw: 10,
        draw_range: 0..2,
        design: Default::default(),
        scenarios: vec![
            ScenarioTally {
                scenario: 1,
                draws: vec![
                    draw(0, 2, moments_of(&[1930.0])),
                    draw(1, 4, moments_of(&[1940.0])),
                ],
                sketches: vec![None, None, None],
            },
            ScenarioTally {
                scenario: 0,
                draws: vec![
                    draw(0, 10, Moments::default()),
                    draw(1, 0, Moments::default()),
                ],
                sketches: vec![None, None, None],
            },
        ],
    };
    let summary = summarize(&model(), &tally);
    let names: Vec<(&str, &str)> = summary
        .boolean
        .iter()
        .map(|r| (r.scenario.as_str(), r.outcome.as_str()))
        .collect();
    assert_eq!(names, [("divergence", "won"), ("history", "won")]);
    close(summary.boolean[0].p_mean, 0.3);
    close(summary.boolean[1].p_mean, 0.5);
    assert_eq!(summary.boolean[0].draws, 2);
    assert_eq!(summary.boolean[0].trials, 20);

    assert_eq!(summary.numeric.len(), 2);
    let year = &summary.numeric[0];
    assert_eq!(
        (year.scenario.as_str(), year.outcome.as_str()),
        ("divergence", "year")
    );
    close(year.mean, 1935.0);
    close(Some(year.share), 0.1);
    assert_eq!((year.draws, year.trials), (2, 20));
    assert_eq!(summary.numeric[1].mean, None);
    assert_eq!(summary.numeric[1].share, 0.0);
}

#[test]
fn numeric_quantiles_come_from_the_pooled_sketch() {
    // Values 1..=101 (integers, each exact in the sketch): type-7 quantiles
    // are 6, 51 and 96.
    let mut sketch = Sketch::new();
    let values: Vec<f64> = (1..=101).map(f64::from).collect();
    for &x in &values {
        sketch.push(x);
    }
    let row = summarize_numeric(&[moments_of(&values)], Some(&sketch), 101);
    close(row.q05, 6.0);
    close(row.q50, 51.0);
    close(row.q95, 96.0);
    close(row.mean, 51.0);
    close(Some(row.share), 1.0);
}
