//! Outcomes that are years: the per-draw counts by year that the fan chart
//! reads, on tests/models/fan.toml, where each draw's P(by year Y) is known
//! exactly from its parameter; bounded by the span, deterministic across
//! threads and shards, and left out of the tally of a model without one.

use uchronia_engine::merge::merge;
use uchronia_engine::{CHUNK_TRIALS, OutcomeTally, RunConfig, Tally, YearCounts};
use uchronia_model::Model;

use crate::support::*;

const FAN: &str = include_str!("../../../../tests/models/fan.toml");

fn load(source: &str) -> Model {
    match uchronia_model::load("fan.toml", source) {
        Ok(loaded) => loaded.model,
        Err(errors) => panic!("the test model does not load: {errors:?}"),
    }
}

fn id(model: &Model, name: &str) -> usize {
    (model.outcomes.iter())
        .position(|o| o.name == name)
        .unwrap_or_else(|| panic!("no outcome {name}"))
}

fn counts(draw: &uchronia_engine::DrawTally, outcome: usize) -> &YearCounts {
    (draw.years.iter())
        .find(|c| c.outcome == outcome)
        .unwrap_or_else(|| panic!("no counts of outcome {outcome}"))
}

fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).expect("serialises")
}

#[test]
fn only_year_outcomes_get_counts_over_their_span() {
    let model = load(FAN);
    let years: Vec<(usize, i32, i32)> = (model.year_outcomes().into_iter())
        .map(|(o, y)| (o, y.first, y.last))
        .collect();
    let (start, early) = (id(&model, "war_start"), id(&model, "early_war_year"));
    assert_eq!(years, vec![(start, 1928, 1935), (early, 1928, 1935)]);
    // A number computed from a year is not a year; a boolean never is.
    assert_eq!(model.year_outcome(id(&model, "years_after_1900")), None);
    assert_eq!(model.year_outcome(id(&model, "early_war")), None);
    let tally = run(&model, &config(3, 4, 1000, vec![0, 1]));
    for scenario in &tally.scenarios {
        for draw in &scenario.draws {
            let outcomes: Vec<usize> = draw.years.iter().map(|c| c.outcome).collect();
            assert_eq!(outcomes, vec![start, early]);
            assert!(
                draw.years
                    .iter()
                    .all(|c| c.first == 1928 && c.counts.len() == 8)
            );
        }
    }
}

#[test]
fn each_draws_counts_give_its_exact_p_by_year_within_four_standard_errors() {
    let model = load(FAN);
    let trials = 20_000;
    let tally = run(&model, &config(11, 30, trials, vec![0, 1]));
    let (start, early) = (id(&model, "war_start"), id(&model, "early_war_year"));
    let n = trials as f64;
    let mut checked = 0;
    for (open, fixed) in tally.scenarios[0]
        .draws
        .iter()
        .zip(&tally.scenarios[1].draws)
    {
        let p = open.params[0];
        let by: Vec<f64> = (counts(open, start).cumulative().iter())
            .map(|&(_, k)| k as f64 / n)
            .collect();
        // 1928, 1929: never; 1933 on: always (counts are exact there).
        assert_eq!((by[0], by[1]), (0.0, 0.0));
        assert!(by[5..].iter().all(|&b| b == 1.0), "{by:?}");
        for (year, truth) in [(2, p / 2.0), (3, p), (4, (1.0 + p) / 2.0)] {
            let se = (truth * (1.0 - truth) / n).sqrt().max(1.0 / n);
            assert!(
                (by[year] - truth).abs() <= 4.0 * se,
                "draw {}: P(by {}) = {} against {truth}",
                open.index,
                1928 + year,
                by[year]
            );
            checked += 1;
        }
        // `given = "early"`: the counts are over the early trials only,
        // and there half are in 1930, all by 1931.
        let given = match open.outcomes[early] {
            OutcomeTally::Numeric(m) => m.count,
            OutcomeTally::Boolean { .. } => panic!("numeric"),
        };
        let cumulative = counts(open, early).cumulative();
        assert_eq!(cumulative[3].1, given);
        let half = cumulative[2].1 as f64 - given as f64 / 2.0;
        assert!(
            half.abs() <= 4.0 * (given as f64 / 4.0).sqrt() + 1.0,
            "{half}"
        );
        // Fixing `early` makes every trial early in the other scenario.
        let fixed = counts(fixed, start).cumulative();
        assert_eq!((fixed[1].1, fixed[3].1), (0, trials));
    }
    assert_eq!(checked, 90);
}

#[test]
fn counts_are_the_same_bits_across_threads_shards_chunks_and_a_round_trip() {
    let model = load(FAN);
    // Two chunks per draw, the second short.
    let whole_config = config(5, 9, CHUNK_TRIALS + 700, vec![0, 1]);
    let one = run_on(1, &model, &whole_config).expect("runs");
    let two = run_on(2, &model, &whole_config).expect("runs");
    assert_eq!(json(&one), json(&two));
    let shard = |range: std::ops::Range<u64>| {
        run(
            &model,
            &RunConfig {
                draw_range: range,
                ..whole_config.clone()
            },
        )
    };
    let merged = merge(vec![shard(4..9), shard(0..4)]).expect("merges");
    assert_eq!(json(&merged), json(&one));
    let back: Tally = serde_json::from_str(&json(&one)).expect("reads back");
    assert_eq!(
        back.scenarios[0].draws[3].years,
        one.scenarios[0].draws[3].years
    );
    assert_eq!(json(&back), json(&one));
    // Every trial of a draw is counted once (no value lies past 1935).
    let draw = &one.scenarios[0].draws[0];
    let total: u64 = draw.years[0].counts.iter().sum();
    assert_eq!(total, CHUNK_TRIALS + 700);
}

#[test]
fn a_model_without_a_year_outcome_keeps_its_tally_as_it_was() {
    let model = generated_model(20, 8);
    assert!(model.year_outcomes().is_empty());
    let tally = run(&model, &config(2, 3, 500, vec![0]));
    assert!(!json(&tally).contains("\"years\""));
}

fn run(model: &Model, config: &RunConfig) -> Tally {
    try_run(model, config).expect("runs")
}
