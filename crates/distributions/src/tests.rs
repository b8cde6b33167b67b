//! Tests of the distributions: known quantiles, CDF round trips, ci90 solves,
//! sample moments against exact ones, and every domain error.

use rand::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;

use crate::{Dist, DistKind, DomainError, open01};

fn dist(kind: DistKind, args: &[f64]) -> Dist {
    Dist::new(kind, args).expect("valid arguments")
}

fn beta(a: f64, b: f64) -> Dist {
    dist(DistKind::Beta, &[a, b])
}

fn error(result: Result<Dist, DomainError>) -> String {
    match result {
        Ok(dist) => panic!("expected an error, got {dist:?}"),
        Err(DomainError { message, .. }) => message,
    }
}

#[test]
fn known_quantiles() {
    let normal = dist(DistKind::Normal, &[0.0, 1.0]);
    assert!((normal.quantile(0.975) - 1.959_963_984_540_054).abs() < 1e-15);
    let median = beta(2.0, 5.0).quantile(0.5);
    assert!((median - 0.264_449_983_295_66).abs() < 1e-13, "{median}");
    let arcsine = beta(0.5, 0.5).quantile(0.25);
    let want = (std::f64::consts::PI / 8.0).sin().powi(2);
    assert!((arcsine - want).abs() < 1e-15, "{arcsine} vs {want}");
    assert!((want - 0.146_446_609_406_726_2).abs() < 1e-16);
    let lognormal = dist(DistKind::LogNormal, &[1.0, 0.5]);
    let want = (1.0 + 0.5 * 1.959_963_984_540_054_f64).exp();
    assert!((lognormal.quantile(0.975) - want).abs() < 1e-14 * want);
    let uniform = dist(DistKind::Uniform, &[2.0, 6.0]);
    assert_eq!(uniform.quantile(0.25), 3.0);
    let triangular = dist(DistKind::Triangular, &[0.0, 1.0, 2.0]);
    assert!((triangular.quantile(0.125) - 0.5).abs() < 1e-15);
    assert!((triangular.quantile(0.875) - 1.5).abs() < 1e-15);
    // PERT(0, 1, 4) is 4 * Beta(2, 4); Beta(2, 4) has median 0.3138101704556974
    // (mpmath).
    let pert = dist(DistKind::Pert, &[0.0, 1.0, 4.0]);
    assert!((pert.quantile(0.5) - 4.0 * 0.313_810_170_455_697_4).abs() < 1e-12);
}

mod beta_quantiles;
mod gamma;
use beta_quantiles::BETA_QUANTILES;

#[test]
fn beta_quantiles_match_reference_values() {
    for &(a, b, u, want) in BETA_QUANTILES {
        let got = beta(a, b).quantile(u);
        let tolerance = 1e-12 * want.min(1.0 - want).max(1e-300) + 1e-15 * want;
        assert!(
            (got - want).abs() <= tolerance.max(1e-13 * want.min(1.0 - want)),
            "beta({a}, {b}).quantile({u}) = {got:e}, want {want:e}"
        );
    }
}

#[test]
fn beta_quantile_cdf_round_trips_across_shapes() {
    let shapes = [
        0.05, 0.1, 0.3, 0.5, 0.9, 1.0, 1.5, 3.0, 10.0, 70.0, 500.0, 3000.0, 1e4,
    ];
    let us = [
        1e-9, 1e-4, 0.01, 0.05, 0.2, 0.4, 0.5, 0.6, 0.8, 0.95, 0.99, 0.9999,
    ];
    for &a in &shapes {
        for &b in &shapes {
            let d = beta(a, b);
            for &u in &us {
                let x = d.quantile(u);
                assert!(
                    (0.0..=1.0).contains(&x),
                    "beta({a}, {b}).quantile({u}) = {x}"
                );
                // The quantile is exact to 1e-10 in x when the CDF moves by
                // less than pdf * 1e-10 from u across x +- 1e-10.
                let below = d.cdf((x - 1e-10).max(0.0));
                let above = d.cdf((x + 1e-10).min(1.0));
                assert!(
                    below <= u * (1.0 + 1e-12) && above >= u * (1.0 - 1e-12),
                    "beta({a}, {b}).quantile({u}) = {x:e}: cdf({x:e} -+ 1e-10) = {below}, {above}"
                );
                // And the CDF at the quantile gives u back closely wherever
                // the quantile is representable with room to spare.
                if x > 1e-300 {
                    let back = d.cdf(x);
                    // What the CDF moves across a few ulps of x bounds how
                    // close any floating-point quantile can come.
                    let ulps = 4.0 * f64::EPSILON * x;
                    let representable = d.cdf((x + ulps).min(1.0)) - d.cdf(x - ulps);
                    let slack = 1e-12 * u.min(1.0 - u) + representable;
                    assert!(
                        (back - u).abs() <= slack.max(1e-14),
                        "beta({a}, {b}): cdf(quantile({u})) = {back}"
                    );
                }
            }
        }
    }
}

#[test]
fn quantile_inverts_cdf_for_every_kind() {
    let cases = [
        dist(DistKind::Uniform, &[-1.0, 3.0]),
        dist(DistKind::Beta, &[2.5, 0.7]),
        dist(DistKind::Pert, &[10.0, 12.0, 20.0]),
        dist(DistKind::Triangular, &[-5.0, 0.0, 1.0]),
        dist(DistKind::Normal, &[100.0, 15.0]),
        dist(DistKind::LogNormal, &[0.3, 1.2]),
    ];
    for d in cases {
        for i in 1..100 {
            let u = i as f64 / 100.0;
            let x = d.quantile(u);
            let back = d.cdf(x);
            assert!(
                (back - u).abs() < 1e-12,
                "{d:?}: cdf(quantile({u})) = {back}"
            );
            let again = d.quantile(back);
            assert!(
                (again - x).abs() <= 1e-10 * x.abs().max(1.0),
                "{d:?}: quantile(cdf({x})) = {again}"
            );
        }
    }
}

#[test]
fn quantile_at_the_ends_gives_the_support() {
    assert_eq!(beta(2.0, 3.0).quantile(0.0), 0.0);
    assert_eq!(beta(2.0, 3.0).quantile(1.0), 1.0);
    assert_eq!(
        dist(DistKind::Normal, &[0.0, 1.0]).quantile(0.0),
        f64::NEG_INFINITY
    );
    assert_eq!(dist(DistKind::Uniform, &[1.0, 2.0]).quantile(1.0), 2.0);
    // open01 keeps every draw inside (0, 1), so quantiles stay finite.
    let normal = dist(DistKind::Normal, &[0.0, 1.0]);
    for bits in [0, u64::MAX] {
        let u = open01(bits);
        assert!(u > 0.0 && u < 1.0);
        assert!(normal.quantile(u).is_finite());
        assert!(beta(0.05, 0.05).quantile(u).is_finite());
    }
}

#[test]
fn degenerate_forms_are_point_masses() {
    let cases = [
        (dist(DistKind::Fixed, &[4.5]), 4.5),
        (dist(DistKind::Uniform, &[2.0, 2.0]), 2.0),
        (dist(DistKind::Pert, &[3.0, 3.0, 3.0]), 3.0),
        (dist(DistKind::Triangular, &[-1.0, -1.0, -1.0]), -1.0),
        (dist(DistKind::Normal, &[7.0, 0.0]), 7.0),
        (dist(DistKind::LogNormal, &[0.0, 0.0]), 1.0),
    ];
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(1);
    for (d, point) in cases {
        for u in [1e-12, 0.3, 0.5, 0.999_999] {
            assert_eq!(d.quantile(u), point, "{d:?}");
        }
        for _ in 0..10 {
            assert_eq!(d.sample(&mut rng), point, "{d:?}");
        }
        assert_eq!(d.mean(), point, "{d:?}");
        assert_eq!(d.variance(), 0.0, "{d:?}");
        assert_eq!(d.cdf(point), 1.0, "{d:?}");
        assert_eq!(d.cdf(point - 1e-9), 0.0, "{d:?}");
    }
}

#[test]
fn kinds_round_trip() {
    for kind in DistKind::ALL {
        let d = dist(kind, kind.example_args());
        assert_eq!(d.kind(), kind);
        assert_eq!(d.args(), kind.example_args());
        assert_eq!(DistKind::from_name(kind.name()), Some(kind));
    }
}

#[test]
fn normal_and_lognormal_ci90() {
    let normal = Dist::from_ci90(DistKind::Normal, 10.0, 20.0).expect("solvable");
    assert_eq!(
        normal,
        Dist::Normal {
            mean: 15.0,
            sd: 5.0 / 1.644_853_626_951_472_2
        }
    );
    assert!((normal.quantile(0.05) - 10.0).abs() < 1e-12);
    assert!((normal.quantile(0.95) - 20.0).abs() < 1e-12);
    let lognormal = Dist::from_ci90(DistKind::LogNormal, 0.5, 8.0).expect("solvable");
    assert!((lognormal.quantile(0.05) - 0.5).abs() < 1e-12);
    assert!((lognormal.quantile(0.95) - 8.0).abs() < 1e-12);
    assert!((lognormal.quantile(0.5) - 2.0).abs() < 1e-12);
}

#[test]
fn beta_ci90_hits_both_quantiles() {
    let intervals = [
        (0.01, 0.05),
        (0.1, 0.9),
        (0.6, 0.99),
        (0.001, 0.999),
        (0.45, 0.55),
        (0.2, 0.4),
        (1e-4, 3e-4),
        (0.999, 0.9999),
        (0.3, 0.31),
        (0.05, 0.95),
        (0.01, 0.99),
        (1e-6, 0.5),
        (0.5, 0.999_999),
        (0.000_1, 0.999_9),
    ];
    for (lo, hi) in intervals {
        let d = Dist::from_ci90(DistKind::Beta, lo, hi)
            .unwrap_or_else(|e| panic!("ci90 [{lo}, {hi}]: {e}"));
        let Dist::Beta { a, b } = d else {
            panic!("not a beta: {d:?}")
        };
        assert!(a > 0.0 && b > 0.0);
        let (q05, q95) = (d.quantile(0.05), d.quantile(0.95));
        assert!(
            (q05 - lo).abs() <= 1e-9,
            "[{lo}, {hi}]: beta({a}, {b}) q05 = {q05}"
        );
        assert!(
            (q95 - hi).abs() <= 1e-9,
            "[{lo}, {hi}]: beta({a}, {b}) q95 = {q95}"
        );
        // Tighter than promised, relative to the interval's ends.
        assert!((q05 - lo).abs() <= 1e-9 * lo, "[{lo}, {hi}]: q05 = {q05}");
        assert!(
            (q95 - hi).abs() <= 1e-9 * (1.0 - hi),
            "[{lo}, {hi}]: q95 = {q95}"
        );
    }
}

/// Sample mean and variance of `n` draws against the exact ones, within four
/// standard errors (the variance's from the sample's fourth central moment).
fn check_moments(d: Dist, seed: u64) {
    let n = 1_000_000;
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let draws: Vec<f64> = (0..n).map(|_| d.sample(&mut rng)).collect();
    let nf = n as f64;
    let mean = draws.iter().sum::<f64>() / nf;
    let (mut m2, mut m4) = (0.0, 0.0);
    for &x in &draws {
        let dev = x - mean;
        m2 += dev * dev;
        m4 += dev * dev * dev * dev;
    }
    let variance = m2 / (nf - 1.0);
    let m4 = m4 / nf;
    let (want_mean, want_variance) = (d.mean(), d.variance());
    let mean_se = (want_variance / nf).sqrt();
    assert!(
        (mean - want_mean).abs() <= 4.0 * mean_se,
        "{d:?}: sample mean {mean}, exact {want_mean}, se {mean_se}"
    );
    let variance_se = ((m4 - variance * variance) / nf).sqrt();
    assert!(
        (variance - want_variance).abs() <= 4.0 * variance_se,
        "{d:?}: sample variance {variance}, exact {want_variance}, se {variance_se}"
    );
    let (lo, hi) = (d.quantile(0.0), d.quantile(1.0));
    assert!(
        draws.iter().all(|x| (lo..=hi).contains(x)),
        "{d:?}: a draw left the support"
    );
}

#[test]
fn sample_moments_match_exact_ones() {
    let cases = [
        dist(DistKind::Uniform, &[-2.0, 5.0]),
        dist(DistKind::Beta, &[3.0, 7.0]),
        dist(DistKind::Beta, &[0.5, 0.5]),
        dist(DistKind::Beta, &[0.2, 4.0]),
        dist(DistKind::Beta, &[40.0, 0.8]),
        dist(DistKind::Beta, &[0.05, 0.05]),
        dist(DistKind::Pert, &[1900.0, 1920.0, 1990.0]),
        dist(DistKind::Pert, &[0.0, 0.0, 1.0]),
        dist(DistKind::Triangular, &[0.0, 3.0, 4.0]),
        dist(DistKind::Triangular, &[0.0, 0.0, 1.0]),
        dist(DistKind::Normal, &[-3.0, 2.0]),
        dist(DistKind::LogNormal, &[1.0, 0.4]),
    ];
    for (seed, d) in cases.into_iter().enumerate() {
        check_moments(d, seed as u64);
    }
}

#[test]
fn beta_sampler_matches_the_cdf() {
    // Kolmogorov-Smirnov distance of 1e5 draws: 1.95 / sqrt(n) is the 0.1%
    // critical value.
    let n = 100_000;
    for (seed, (a, b)) in [(0.3, 0.6), (2.0, 5.0), (0.9, 1.0), (1.0, 1.0)]
        .into_iter()
        .enumerate()
    {
        let d = beta(a, b);
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(100 + seed as u64);
        let mut draws: Vec<f64> = (0..n).map(|_| d.sample(&mut rng)).collect();
        draws.sort_by(f64::total_cmp);
        let mut distance = 0.0_f64;
        for (i, &x) in draws.iter().enumerate() {
            let f = d.cdf(x);
            distance = distance.max((f - i as f64 / n as f64).abs());
            distance = distance.max(((i + 1) as f64 / n as f64 - f).abs());
        }
        assert!(
            distance < 1.95 / (n as f64).sqrt(),
            "beta({a}, {b}): KS distance {distance}"
        );
    }
}

#[test]
fn closed_form_moments() {
    let pert = dist(DistKind::Pert, &[0.0, 1.0, 4.0]);
    assert!((pert.mean() - 8.0 / 6.0).abs() < 1e-15);
    // 4 * Beta(2, 4): variance 16 * 8 / (36 * 7).
    assert!((pert.variance() - 16.0 * 8.0 / 252.0).abs() < 1e-15);
    let triangular = dist(DistKind::Triangular, &[0.0, 1.0, 2.0]);
    assert!((triangular.variance() - 1.0 / 6.0).abs() < 1e-15);
    let lognormal = dist(DistKind::LogNormal, &[0.0, 1.0]);
    assert!((lognormal.mean() - 0.5_f64.exp()).abs() < 1e-15);
    assert!((lognormal.variance() - (1f64.exp() - 1.0) * 1f64.exp()).abs() < 1e-14);
}

#[test]
fn domain_errors_are_sentences_naming_the_key() {
    let cases: &[(DistKind, &[f64], &str)] = &[
        (DistKind::Beta, &[0.0, 1.0], "beta needs a > 0, got a = 0"),
        (DistKind::Beta, &[1.0, -2.0], "beta needs b > 0, got b = -2"),
        (
            DistKind::Uniform,
            &[3.0, 1.0],
            "uniform needs low <= high, got low = 3 and high = 1",
        ),
        (
            DistKind::Pert,
            &[2.0, 1.0, 3.0],
            "pert needs min <= mode, got min = 2 and mode = 1",
        ),
        (
            DistKind::Triangular,
            &[0.0, 4.0, 3.0],
            "triangular needs mode <= max, got mode = 4 and max = 3",
        ),
        (
            DistKind::Normal,
            &[0.0, -1.0],
            "normal needs sd >= 0, got sd = -1",
        ),
        (
            DistKind::LogNormal,
            &[0.0, -0.5],
            "lognormal needs sigma >= 0, got sigma = -0.5",
        ),
        (
            DistKind::Fixed,
            &[f64::NAN],
            "value of `fixed` is NaN, not a finite number",
        ),
        (
            DistKind::Normal,
            &[f64::INFINITY, 1.0],
            "mean of `normal` is inf, not a finite number",
        ),
        (
            DistKind::Beta,
            &[1.0],
            "beta needs 2 arguments (a, b), got 1",
        ),
        (
            DistKind::Fixed,
            &[1.0, 2.0],
            "fixed needs 1 argument (value), got 2",
        ),
    ];
    for (kind, args, want) in cases {
        assert_eq!(error(Dist::new(*kind, args)), *want);
    }
    let ci90_cases: &[(DistKind, f64, f64, &str)] = &[
        (
            DistKind::Normal,
            0.5,
            0.2,
            "ci90 needs lo < hi, got [0.5, 0.2]",
        ),
        (
            DistKind::Beta,
            0.3,
            0.3,
            "ci90 needs lo < hi, got [0.3, 0.3]",
        ),
        (
            DistKind::Beta,
            0.0,
            0.5,
            "ci90 of beta needs 0 < lo < hi < 1, got lo = 0",
        ),
        (
            DistKind::Beta,
            0.5,
            1.0,
            "ci90 of beta needs 0 < lo < hi < 1, got hi = 1",
        ),
        (
            DistKind::LogNormal,
            -1.0,
            2.0,
            "ci90 of lognormal needs 0 < lo, got lo = -1",
        ),
        (
            DistKind::Normal,
            f64::NAN,
            2.0,
            "ci90 of `normal` holds NaN, not a finite number",
        ),
        (
            DistKind::Pert,
            0.1,
            0.2,
            "pert does not accept ci90; only beta, normal, lognormal and gamma do",
        ),
        (
            DistKind::Uniform,
            0.1,
            0.2,
            "uniform does not accept ci90; only beta, normal, lognormal and gamma do",
        ),
    ];
    for (kind, lo, hi, want) in ci90_cases {
        assert_eq!(error(Dist::from_ci90(*kind, *lo, *hi)), *want);
    }
    // Boundary values are allowed.
    assert!(Dist::new(DistKind::Normal, &[0.0, 0.0]).is_ok());
    assert!(Dist::new(DistKind::Pert, &[1.0, 1.0, 2.0]).is_ok());
    assert!(Dist::new(DistKind::Beta, &[1e-300, 1e300]).is_ok());
}

#[test]
fn tiny_beta_shapes_sample_numbers_not_nan() {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(9);
    for (a, b) in [(1e-3, 1e-3), (1e-3, 5.0), (7.0, 1e-4), (1e-6, 1e-6)] {
        let d = beta(a, b);
        let (mut zeros, mut ones) = (0, 0);
        for _ in 0..10_000 {
            let x = d.sample(&mut rng);
            assert!((0.0..=1.0).contains(&x), "beta({a}, {b}) drew {x}");
            zeros += usize::from(x < 0.5);
            ones += usize::from(x >= 0.5);
        }
        // P(X < 1/2) is near b / (a + b) for tiny shapes: both ends are hit
        // in proportion.
        let share = zeros as f64 / (zeros + ones) as f64;
        let want = d.cdf(0.5);
        assert!(
            (share - want).abs() < 4.0 * (want * (1.0 - want) / 1e4).sqrt() + 1e-9,
            "beta({a}, {b}): share below 1/2 {share}, cdf {want}"
        );
        assert!(d.quantile(0.3).is_finite() && d.quantile(0.7).is_finite());
    }
}

/// The distributions whose draws are pinned below: every kind, shapes above
/// and below 1 (one, both), a degenerate PERT.
fn pinned() -> Vec<Dist> {
    vec![
        dist(DistKind::Fixed, &[1.5]),
        dist(DistKind::Uniform, &[2.0, 6.0]),
        beta(3.0, 7.0),
        beta(0.3, 4.0),
        beta(0.5, 0.5),
        beta(0.01, 0.02),
        dist(DistKind::Pert, &[0.0, 2.0, 10.0]),
        dist(DistKind::Pert, &[1.0, 1.0, 1.0]),
        dist(DistKind::Triangular, &[0.0, 0.3, 1.0]),
        dist(DistKind::Normal, &[1.0, 2.0]),
        dist(DistKind::LogNormal, &[0.5, 0.25]),
        dist(DistKind::Gamma, &[2.5, 3.0]),
        dist(DistKind::Gamma, &[0.4, 1.0]),
    ]
}

/// A hash of the bits of `draws`.
fn bits_hash(draws: impl Iterator<Item = f64>) -> u64 {
    draws.fold(0xcbf2_9ce4_8422_2325_u64, |h, x| {
        (h ^ x.to_bits()).wrapping_mul(0x0100_0000_01b3)
    })
}

#[test]
fn samplers_draw_the_bits_they_always_drew() {
    // Hashes of 2,000 draws each (one SplitMix64 per draw, seeded by
    // 0..2000, as the engine seeds numeric nodes), taken from the sampler
    // before its constants were hoisted into `Sampler` (commit c617790):
    // changing a draw changes every report, so it must be deliberate.
    let want: [u64; 13] = [
        0xe524_da79_586c_df65,
        0xdece_bb3e_da0b_ced7,
        0xd6d8_294d_73e6_6bc0,
        0xd962_c19c_1cc8_eb69,
        0x24e1_1775_0261_f8dc,
        0xb7c2_00c8_2bae_a66a,
        0x9e88_cc4d_b06c_d430,
        0xa114_da79_586c_df65,
        0xc586_a09a_ec23_588c,
        0xdb1d_75e9_2a74_9361,
        0x2bee_a32a_f09e_23f9,
        0x7c5d_bfe1_c390_b61f,
        0x0762_e407_875e_a27a,
    ];
    for (dist, want) in pinned().into_iter().zip(want) {
        let got = bits_hash(
            (0..2000).map(|seed| dist.sample(&mut rand_xoshiro::SplitMix64::seed_from_u64(seed))),
        );
        assert_eq!(got, want, "{dist:?}: {got:#018x}");
    }
}

#[test]
fn a_sampler_fills_a_column_with_the_draws_of_sample() {
    let seeds: Vec<u64> = (0..500).map(|k| k * 7919 + 3).collect();
    for dist in pinned() {
        let sampler = crate::Sampler::new(dist);
        let mut column = vec![f64::NAN; seeds.len()];
        sampler.fill(&seeds, &mut column, rand_xoshiro::SplitMix64::seed_from_u64);
        for (&seed, &x) in seeds.iter().zip(&column) {
            let mut rng = rand_xoshiro::SplitMix64::seed_from_u64(seed);
            let want = dist.sample(&mut rng);
            assert_eq!(x.to_bits(), want.to_bits(), "{dist:?} seed {seed}");
            let mut rng = rand_xoshiro::SplitMix64::seed_from_u64(seed);
            assert_eq!(sampler.sample(&mut rng).to_bits(), want.to_bits());
        }
    }
}
