//! Parameter-draw designs and correlated params (issue 16): rank
//! correlations hit their targets, every marginal stays its prior, Latin
//! hypercube strata are filled once each, and both stay deterministic
//! across threads and shard splits.

use uchronia_engine::{Design, RunConfig, Tally};
use uchronia_model::Model;

use crate::support::*;

/// Five params: `a`, `b`, `c` correlated, `d` and `e` not.
const CORRELATED: &str = r#"
[model]
name = "designs"
title = "Designs"

[params.a]
dist = "beta"
a = 2
b = 5
[params.b]
dist = "normal"
mean = 10
sd = 2
[params.c]
dist = "lognormal"
mu = 0
sigma = 0.5
[params.d]
dist = "uniform"
low = 0
high = 1
[params.e]
dist = "pert"
min = 0
mode = 1
max = 4

[[correlations]]
params = ["a", "b"]
rank = 0.6

[[correlations]]
params = ["c", "a"]
rank = -0.4

[[correlations]]
params = ["b", "c"]
rank = -0.2

[nodes.n]
p = "a"

[outcomes.o]
when = "n"

[scenarios.base]
"#;

/// The targets of [`CORRELATED`]: (param, param, rank).
const TARGETS: [(usize, usize, f64); 5] = [
    (0, 1, 0.6),
    (2, 0, -0.4),
    (1, 2, -0.2),
    (0, 3, 0.0),
    (3, 4, 0.0),
];

fn model(source: &str) -> Model {
    match uchronia_model::load("designs.toml", source) {
        Ok(loaded) => loaded.model,
        Err(errors) => panic!("the test model does not load: {errors}"),
    }
}

/// The model without its `[[correlations]]` blocks.
fn uncorrelated() -> Model {
    let mut model = model(CORRELATED);
    model.correlations.clear();
    model
}

fn with_design(seed: u64, draws: u64, design: Design) -> RunConfig {
    RunConfig {
        design,
        ..config(seed, draws, 1, vec![0])
    }
}

/// Param `p`'s value in every draw of the first scenario.
fn values(tally: &Tally, p: usize) -> Vec<f64> {
    tally.scenarios[0]
        .draws
        .iter()
        .map(|d| d.params[p])
        .collect()
}

/// Spearman's rho of values without ties.
fn spearman(x: &[f64], y: &[f64]) -> f64 {
    let ranks = |v: &[f64]| {
        let mut order: Vec<usize> = (0..v.len()).collect();
        order.sort_by(|&i, &j| v[i].total_cmp(&v[j]));
        let mut r = vec![0.0; v.len()];
        for (rank, &i) in order.iter().enumerate() {
            r[i] = rank as f64;
        }
        r
    };
    let (rx, ry) = (ranks(x), ranks(y));
    let mean = (x.len() as f64 - 1.0) / 2.0;
    let cov: f64 = rx
        .iter()
        .zip(&ry)
        .map(|(a, b)| (a - mean) * (b - mean))
        .sum();
    let var: f64 = rx.iter().map(|a| (a - mean) * (a - mean)).sum();
    cov / var
}

/// The Kolmogorov-Smirnov distance between `sample` and the CDF `cdf`.
fn ks(sample: &[f64], cdf: impl Fn(f64) -> f64) -> f64 {
    let mut sorted = sample.to_vec();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len() as f64;
    sorted
        .iter()
        .enumerate()
        .map(|(i, &x)| {
            let f = cdf(x);
            (f - i as f64 / n).abs().max(((i + 1) as f64 / n - f).abs())
        })
        .fold(0.0, f64::max)
}

#[test]
fn achieved_rank_correlations_are_within_0_05_of_their_targets_over_2000_draws() {
    let model = model(CORRELATED);
    for design in [Design::Random, Design::Lhs] {
        let tally = run_ok(&model, &with_design(16, 2000, design));
        for (a, b, target) in TARGETS {
            let achieved = spearman(&values(&tally, a), &values(&tally, b));
            assert!(
                (achieved - target).abs() < 0.05,
                "{design:?} {a}-{b}: achieved {achieved}, target {target}"
            );
        }
    }
    // Without the blocks the same pairs are independent, far from 0.6.
    let tally = run_ok(&uncorrelated(), &with_design(16, 2000, Design::Random));
    assert!(spearman(&values(&tally, 0), &values(&tally, 1)).abs() < 0.1);
}

#[test]
fn every_marginal_still_matches_its_prior_by_a_ks_test() {
    // The 0.1% critical value of the KS distance over n draws is 1.95 / sqrt(n).
    let n = 2000;
    let critical = 1.95 / (n as f64).sqrt();
    let model = model(CORRELATED);
    for design in [Design::Random, Design::Lhs] {
        let tally = run_ok(&model, &with_design(5, n, design));
        for (p, param) in model.params.iter().enumerate() {
            let distance = ks(&values(&tally, p), |x| param.dist.cdf(x));
            assert!(
                distance < critical,
                "{design:?} {}: KS distance {distance} >= {critical}",
                param.name
            );
        }
        // The test has power: the same draws against a shifted prior fail it.
        let b = &model.params[1].dist;
        let shifted = ks(&values(&tally, 1), |x| b.cdf(x - 0.3));
        assert!(shifted > critical, "{design:?}: {shifted}");
    }
}

/// Which of `n` equal-probability strata of `cdf` each value falls in.
fn strata(values: &[f64], n: u64, cdf: impl Fn(f64) -> f64) -> Vec<u64> {
    let mut strata: Vec<u64> = values
        .iter()
        .map(|&x| (cdf(x) * n as f64).floor() as u64)
        .collect();
    strata.sort_unstable();
    strata
}

#[test]
fn lhs_fills_every_stratum_of_every_uncorrelated_param_exactly_once() {
    let model = model(CORRELATED);
    let draws = 997;
    let every: Vec<u64> = (0..draws).collect();
    let lhs = run_ok(&model, &with_design(3, draws, Design::Lhs));
    for p in [3, 4] {
        let dist = &model.params[p].dist;
        assert_eq!(
            strata(&values(&lhs, p), draws, |x| dist.cdf(x)),
            every,
            "param {p}"
        );
    }
    // Every param when none is correlated.
    let plain = uncorrelated();
    let lhs = run_ok(&plain, &with_design(3, draws, Design::Lhs));
    for (p, param) in plain.params.iter().enumerate() {
        let got = strata(&values(&lhs, p), draws, |x| param.dist.cdf(x));
        assert_eq!(got, every, "{}", param.name);
    }
    // Random draws leave some strata empty and fill others twice.
    let random = run_ok(&plain, &with_design(3, draws, Design::Random));
    assert_ne!(strata(&values(&random, 3), draws, |x| x), every);
    // Another seed, another permutation.
    let other = run_ok(&plain, &with_design(4, draws, Design::Lhs));
    assert_ne!(values(&lhs, 3), values(&other, 3));
}

fn json(tally: &Tally) -> String {
    serde_json::to_string(tally).expect("serialises")
}

#[test]
fn lhs_and_correlated_runs_are_identical_across_threads_and_shard_splits() {
    let model = model(CORRELATED);
    for design in [Design::Random, Design::Lhs] {
        let whole = RunConfig {
            design,
            ..config(21, 40, 300, vec![0])
        };
        let one = run_on(1, &model, &whole).expect("runs");
        let two = run_on(2, &model, &whole).expect("runs");
        assert_eq!(json(&one), json(&two));
        let mut parts = Vec::new();
        for range in [30..40, 0..7, 7..30] {
            let shard = RunConfig {
                draw_range: range,
                ..whole.clone()
            };
            parts.push(run_on(2, &model, &shard).expect("runs"));
        }
        let merged = uchronia_engine::merge::merge(parts).expect("merges");
        assert_eq!(json(&merged), json(&one));
        assert_eq!(one.design, design);
    }
}

#[test]
fn a_default_run_records_no_design_and_shards_of_two_designs_do_not_merge() {
    let model = uncorrelated();
    let random = run_ok(&model, &with_design(2, 10, Design::Random));
    assert!(!json(&random).contains("design"));
    let lhs = run_ok(&model, &with_design(2, 10, Design::Lhs));
    assert!(json(&lhs).contains("\"design\":\"lhs\""));
    let first = run_ok(
        &model,
        &RunConfig {
            draw_range: 0..5,
            ..with_design(2, 10, Design::Random)
        },
    );
    let second = run_ok(
        &model,
        &RunConfig {
            draw_range: 5..10,
            ..with_design(2, 10, Design::Lhs)
        },
    );
    let error = uchronia_engine::merge::merge(vec![first, second]).expect_err("refused");
    assert!(
        error.to_string().contains("design random and lhs"),
        "{error}"
    );
}
