//! Parameter draws: inverse-CDF values follow the distribution, and `set`
//! with another distribution stays comonotone with the original.

use uchronia_model::{Dist, DistKind};

use crate::support::*;

fn model() -> uchronia_model::Model {
    let mut b = Builder::new();
    let theta = b.param("theta", dist(DistKind::Beta, &[2.0, 5.0]));
    let other = b.param("other", dist(DistKind::Normal, &[0.0, 1.0]));
    let x = b.boolean("x", param(theta));
    b.event("x", node(x));
    b.value("other", param(other), None);
    b.scenario("base", vec![], vec![]);
    b.scenario(
        "optimist",
        vec![],
        vec![(theta, dist(DistKind::Beta, &[5.0, 2.0]))],
    );
    b.scenario(
        "pinned",
        vec![],
        vec![(theta, Dist::new(DistKind::Fixed, &[0.5]).expect("valid"))],
    );
    b.build()
}

fn column(tally: &uchronia_engine::Tally, scenario: usize, p: usize) -> Vec<f64> {
    tally.scenarios[scenario]
        .draws
        .iter()
        .map(|d| d.params[p])
        .collect()
}

#[test]
fn param_values_follow_their_distribution() {
    let model = model();
    let draws = 2000;
    let tally = run_ok(&model, &config(21, draws, 1, vec![0, 1, 2]));
    let n = draws as f64;
    for (scenario, d) in [
        (0, dist(DistKind::Beta, &[2.0, 5.0])),
        (1, dist(DistKind::Beta, &[5.0, 2.0])),
    ] {
        let values = column(&tally, scenario, 0);
        let mean = values.iter().sum::<f64>() / n;
        let se = (d.variance() / n).sqrt();
        assert!(
            (mean - d.mean()).abs() < 4.0 * se,
            "scenario {scenario}: mean {mean} vs {}",
            d.mean()
        );
        // The empirical CDF at the quartiles.
        for q in [0.1, 0.25, 0.5, 0.75, 0.9] {
            let x = d.quantile(q);
            let below = values.iter().filter(|&&v| v <= x).count() as f64 / n;
            let se = (q * (1.0 - q) / n).sqrt();
            assert!(
                (below - q).abs() < 4.0 * se,
                "scenario {scenario}: F({x}) = {below}, expected {q}"
            );
        }
    }
    assert!(column(&tally, 2, 0).iter().all(|&v| v == 0.5));
    // Untouched params are the same in every scenario.
    assert_eq!(column(&tally, 0, 1), column(&tally, 1, 1));
    assert_eq!(column(&tally, 0, 1), column(&tally, 2, 1));
}

#[test]
fn set_with_a_new_distribution_is_comonotone() {
    let model = model();
    let tally = run_ok(&model, &config(8, 2000, 1, vec![0, 1]));
    let rank_order = |values: Vec<f64>| {
        let mut order: Vec<usize> = (0..values.len()).collect();
        order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
        order
    };
    let base = column(&tally, 0, 0);
    let optimist = column(&tally, 1, 0);
    assert_ne!(base, optimist);
    assert_eq!(rank_order(base), rank_order(optimist));
}

#[test]
fn draws_differ_and_depend_on_the_seed() {
    let model = model();
    let a = run_ok(&model, &config(1, 50, 1, vec![0]));
    let b = run_ok(&model, &config(2, 50, 1, vec![0]));
    let (a, b) = (column(&a, 0, 0), column(&b, 0, 0));
    assert_ne!(a, b);
    let mut sorted = a.clone();
    sorted.sort_by(f64::total_cmp);
    sorted.dedup();
    assert_eq!(sorted.len(), a.len(), "every draw has its own value");
}
