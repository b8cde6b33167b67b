//! Numeric nodes: sampled mean and standard deviation against analytic
//! values, with constant (folded) and per-trial arguments, clamps and rounding.

use uchronia_model::DistKind;

use crate::support::*;

/// Checks pooled mean and variance of numeric outcome `o` within 4 standard
/// errors (the variance's with a kurtosis bound of `kurtosis`).
fn check(tally: &uchronia_engine::Tally, o: usize, mean: f64, var: f64, kurtosis: f64, what: &str) {
    let m = pooled(tally, 0, o);
    let n = m.count as f64;
    let got_var = m.sample_variance().expect("values");
    let mean_se = (var / n).sqrt();
    let var_se = var * ((kurtosis - 1.0) / n).sqrt();
    assert!(
        (m.mean - mean).abs() < 4.0 * mean_se,
        "{what}: mean {} vs {mean} (se {mean_se})",
        m.mean
    );
    assert!(
        (got_var - var).abs() < 4.0 * var_se,
        "{what}: var {got_var} vs {var} (se {var_se})"
    );
}

#[test]
fn distributions_clamps_and_rounding() {
    let mut b = Builder::new();
    let mu = b.param("mu", dist(DistKind::Fixed, &[10.0]));
    let flag = b.boolean("flag", num(0.5));
    // Constant arguments (folded once per draw) ...
    let normal = b.numeric(
        "normal",
        DistKind::Normal,
        vec![param(mu), num(2.0)],
        None,
        None,
        false,
    );
    // ... and arguments computed every trial, same distribution.
    let normal_dyn = b.numeric(
        "normal_dyn",
        DistKind::Normal,
        vec![iff(node(flag), param(mu), num(10.0)), num(2.0)],
        None,
        None,
        false,
    );
    let beta = b.numeric(
        "beta",
        DistKind::Beta,
        vec![num(2.0), num(5.0)],
        None,
        None,
        false,
    );
    let tri = b.numeric(
        "tri",
        DistKind::Triangular,
        vec![num(0.0), num(1.0), num(4.0)],
        None,
        None,
        false,
    );
    let clamped = b.numeric(
        "clamped",
        DistKind::Normal,
        vec![num(0.0), num(1.0)],
        Some(num(-1.0)),
        Some(num(1.0)),
        false,
    );
    let rounded = b.numeric(
        "rounded",
        DistKind::Normal,
        vec![num(0.3), num(1.0)],
        Some(iff(node(flag), num(-1.0), num(-1.0))),
        Some(num(1.0)),
        true,
    );
    let ci = b.numeric_ci90(
        "ci",
        DistKind::Normal,
        num(-1.644853626951472),
        num(1.644853626951472),
    );
    let outs: Vec<usize> = [normal, normal_dyn, beta, tri, clamped, rounded, ci]
        .iter()
        .map(|&n| {
            let name = format!("o{n}");
            b.value(&name, node(n), None)
        })
        .collect();
    b.scenario("base", vec![], vec![]);
    let model = b.build();
    let tally = run_ok(&model, &config(3, 4, 100_000, vec![0]));

    check(&tally, outs[0], 10.0, 4.0, 3.0, "normal");
    check(
        &tally,
        outs[1],
        10.0,
        4.0,
        3.0,
        "normal with per-trial arguments",
    );
    check(
        &tally,
        outs[2],
        2.0 / 7.0,
        10.0 / (49.0 * 8.0),
        3.0,
        "beta(2, 5)",
    );
    let (a, c, bb) = (0.0f64, 1.0f64, 4.0f64);
    let tri_var = (a * a + bb * bb + c * c - a * bb - a * c - bb * c) / 18.0;
    check(
        &tally,
        outs[3],
        5.0 / 3.0,
        tri_var,
        3.0,
        "triangular(0, 1, 4)",
    );
    // N(0, 1) clamped to [-1, 1]: E X^2 = (2 Phi(1) - 1) - 2 phi(1) + 2 (1 - Phi(1)).
    let (phi1, cdf1) = (0.241_970_724_519_143_37, 0.841_344_746_068_542_9);
    let clamp_var = (2.0 * cdf1 - 1.0) - 2.0 * phi1 + 2.0 * (1.0 - cdf1);
    check(&tally, outs[4], 0.0, clamp_var, 3.0, "clamped normal");
    // N(0.3, 1) clamped to [-1, 1] then rounded: values -1, 0, 1 with
    // P(1) = 1 - Phi(0.2), P(-1) = Phi(-0.8).
    let (p_hi, p_lo) = (1.0 - 0.579_259_709_439_103, 0.211_855_398_583_397);
    let mean = p_hi - p_lo;
    check(
        &tally,
        outs[5],
        mean,
        p_hi + p_lo - mean * mean,
        3.0,
        "clamped, rounded normal",
    );
    check(&tally, outs[6], 0.0, 1.0, 3.0, "normal from ci90");

    // Rounded values are integers, clamped ones within bounds.
    let m = pooled(&tally, 0, outs[4]);
    assert!(m.count == 400_000);
}

/// Bounds that change from trial to trial clamp each trial to its own
/// bounds (the batch is clamped at once when every trial's bounds are
/// finite and uncrossed), with fixed and per-trial arguments alike: where
/// `flag` pins the value it is exact, elsewhere it stays inside its bounds.
#[test]
fn bounds_that_change_every_trial() {
    let mut b = Builder::new();
    let flag = b.boolean("flag", num(0.5));
    let fixed = b.numeric(
        "fixed",
        DistKind::Normal,
        vec![num(0.0), num(1.0)],
        Some(iff(node(flag), num(0.5), num(-1.0))),
        Some(iff(node(flag), num(0.5), num(1.0))),
        false,
    );
    // Per-trial arguments, rounded after the clamps (10.4 rounds to 10).
    let dynamic = b.numeric(
        "dynamic",
        DistKind::Normal,
        vec![iff(node(flag), num(10.0), num(0.0)), num(1.0)],
        Some(iff(node(flag), num(10.4), num(-2.0))),
        Some(iff(node(flag), num(10.4), num(2.0))),
        true,
    );
    let pinned = [
        (b.value("pinned_fixed", node(fixed), Some(node(flag))), 0.5),
        (
            b.value("pinned_dynamic", node(dynamic), Some(node(flag))),
            10.0,
        ),
    ];
    let free = [
        (
            b.value("free_fixed", node(fixed), Some(not(node(flag)))),
            1.0,
        ),
        (
            b.value("free_dynamic", node(dynamic), Some(not(node(flag)))),
            2.0,
        ),
    ];
    let escaped: Vec<usize> = free
        .iter()
        .zip([fixed, dynamic])
        .map(|(&(_, bound), n)| {
            let name = format!("escaped{n}");
            let x = node(n);
            let outside = or(gt(x.clone(), num(bound)), gt(neg(x), num(bound)));
            b.event_given(&name, outside, not(node(flag)))
        })
        .collect();
    b.scenario("base", vec![], vec![]);
    let model = b.build();
    let tally = run_ok(&model, &config(5, 2, 50_000, vec![0]));
    for (o, value) in pinned {
        let m = pooled(&tally, 0, o);
        assert!(m.count > 45_000, "{}", m.count);
        assert_eq!((m.mean, m.m2), (value, 0.0));
    }
    for (o, _) in free {
        let m = pooled(&tally, 0, o);
        assert!(m.count > 45_000 && m.mean.abs() < 0.03, "{m:?}");
    }
    for o in escaped {
        assert_eq!(p_mean(&tally, 0, o), 0.0);
    }
}
