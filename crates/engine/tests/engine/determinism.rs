//! The same seed gives the same bits: across thread counts, across shard
//! splits, and across chunk boundaries inside one draw. Common random
//! numbers make paired differences between scenarios precise.

use uchronia_engine::{CHUNK_TRIALS, DrawTally, RunConfig};
use uchronia_model::{DistKind, Value};

use crate::support::*;

fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).expect("serialises")
}

#[test]
fn one_and_two_threads_give_identical_tallies() {
    let model = generated_model(40, 15);
    // Three chunks per draw, the last one short.
    let config = config(99, 5, 2 * CHUNK_TRIALS + 1000, vec![0, 1]);
    let one = run_on(1, &model, &config).expect("runs");
    let two = run_on(2, &model, &config).expect("runs");
    assert_eq!(json(&one), json(&two));
    let other_seed = run_on(
        2,
        &model,
        &RunConfig {
            seed: 100,
            ..config
        },
    )
    .expect("runs");
    assert_ne!(json(&one.scenarios), json(&other_seed.scenarios));
}

#[test]
fn one_draw_still_splits_into_units_and_stays_deterministic() {
    let model = generated_model(40, 15);
    let config = config(4, 1, 5 * CHUNK_TRIALS, vec![0]);
    let one = run_on(1, &model, &config).expect("runs");
    let two = run_on(2, &model, &config).expect("runs");
    assert_eq!(json(&one), json(&two));
    let draw = &one.scenarios[0].draws[0];
    assert!(
        matches!(draw.outcomes[0], uchronia_engine::OutcomeTally::Boolean { given, .. } if given == 5 * CHUNK_TRIALS)
    );
}

#[test]
fn shards_concatenate_to_the_whole_run() {
    let model = generated_model(40, 15);
    let whole = config(7, 9, 3000, vec![0, 1]);
    let tally = run_on(2, &model, &whole).expect("runs");
    let mut pieces: Vec<Vec<DrawTally>> = vec![Vec::new(); 2];
    for range in [0..2, 2..7, 7..9] {
        let shard = RunConfig {
            draw_range: range.clone(),
            ..whole.clone()
        };
        let part = run_on(1, &model, &shard).expect("runs");
        assert_eq!(part.draws, 9);
        assert_eq!(part.draw_range, range);
        for (s, scenario) in part.scenarios.iter().enumerate() {
            pieces[s].extend(scenario.draws.iter().cloned());
        }
    }
    for (s, scenario) in tally.scenarios.iter().enumerate() {
        assert_eq!(json(&scenario.draws), json(&pieces[s]));
        let indices: Vec<u64> = scenario.draws.iter().map(|d| d.index).collect();
        assert_eq!(indices, (0..9).collect::<Vec<u64>>());
    }
}

#[test]
fn scenario_order_and_selection_do_not_change_a_scenarios_numbers() {
    let model = generated_model(40, 15);
    let both = run_ok(&model, &config(3, 3, 2000, vec![0, 1]));
    let alone = run_ok(&model, &config(3, 3, 2000, vec![1]));
    let swapped = run_ok(&model, &config(3, 3, 2000, vec![1, 0]));
    assert_eq!(json(&both.scenarios[1]), json(&alone.scenarios[0]));
    assert_eq!(json(&both.scenarios[0]), json(&swapped.scenarios[1]));
}

#[test]
fn common_random_numbers_make_paired_differences_precise() {
    let mut b = Builder::new();
    // Fixed params: p_d varies only by chance, which is what CRN couples.
    let theta = b.param("theta", dist(DistKind::Fixed, &[0.5]));
    let a = b.boolean("a", param(theta));
    let c = b.boolean("c", iff(node(a), num(0.7), mul(num(0.5), param(theta))));
    let d = b.boolean("d", iff(node(c), param(theta), num(0.2)));
    let far = b.boolean("far", num(0.02));
    let y = b.event("y", or(node(d), node(far)));
    b.scenario("base", vec![], vec![]);
    b.scenario("no_far", vec![(far, Value::Boolean(false))], vec![]);
    let model = b.build();
    let tally = run_ok(&model, &config(12, 300, 2000, vec![0, 1]));
    let p0 = p_draws(&tally, 0, y);
    let p1 = p_draws(&tally, 1, y);
    let diff: Vec<f64> = p0.iter().zip(&p1).map(|(x, y)| x - y).collect();
    let paired = variance(&diff);
    let independent = variance(&p0) + variance(&p1);
    assert!(
        paired < 0.1 * independent,
        "paired variance {paired} should be far below the independent {independent}"
    );
    // The intervention only ever removes hits.
    assert!(diff.iter().all(|&x| x >= 0.0));
}
