//! Tests of the gamma distribution: the incomplete gamma and its inverse
//! against mpmath, moments of the sampler, the ci90 solve and its errors.

use rand::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;

use crate::special::{gamma_cdf_pair, gamma_quantile};
use crate::{Dist, DistKind};

fn gamma(shape: f64, scale: f64) -> Dist {
    Dist::new(DistKind::Gamma, &[shape, scale]).expect("valid arguments")
}

#[test]
fn incomplete_gamma_matches_mpmath_in_both_tails() {
    // (a, x, P(a, x), Q(a, x)) from mpmath at 40 digits.
    let cases = [
        (0.5, 0.1, 0.345_279_153_981_423, 0.654_720_846_018_577),
        (1.0, 2.0, 0.864_664_716_763_387_3, 0.135_335_283_236_612_7),
        (2.5, 1.0, 0.150_854_963_915_390_36, 0.849_145_036_084_609_6),
        (
            10.0,
            12.0,
            0.757_607_838_329_487_7,
            0.242_392_161_670_512_35,
        ),
        (
            100.0,
            90.0,
            0.158_220_989_186_430_17,
            0.841_779_010_813_569_8,
        ),
        (
            1e4,
            1.01e4,
            0.841_348_750_447_179_6,
            0.158_651_249_552_820_38,
        ),
        (
            0.05,
            1e-3,
            0.727_179_229_052_922_6,
            0.272_820_770_947_077_35,
        ),
        (
            30.0,
            60.0,
            0.999_993_123_735_031_3,
            6.876_264_968_732_097e-6,
        ),
        (
            1e6,
            1e6 + 500.0,
            0.691_550_475_771_497_2,
            0.308_449_524_228_502_8,
        ),
    ];
    for (a, x, lower, upper) in cases {
        let (got_lower, got_upper) = gamma_cdf_pair(a, x);
        for (got, want) in [(got_lower, lower), (got_upper, upper)] {
            assert!(
                ((got - want) / want).abs() < 1e-10,
                "P/Q({a}, {x}): got {got:e}, want {want:e}"
            );
        }
    }
}

#[test]
fn gamma_quantiles_match_mpmath() {
    // (a, u, x with P(a, x) = u) from mpmath at 40 digits.
    let cases = [
        (0.5, 0.05, 0.001_966_070_000_009_761_6),
        (0.5, 0.95, 1.920_729_410_347_062_2),
        (2.0, 0.5, 1.678_346_990_016_660_7),
        (3.0, 1e-6, 0.018_254_282_963_279_292),
        (3.0, 0.999_999, 19.129_168_188_572_924),
        (20.0, 0.05, 13.254_651_598_346_555),
        (0.1, 0.3, 3.586_086_018_410_947e-6),
        (1e4, 0.95, 10_165.051_911_966_126),
        (1.0, 0.5, std::f64::consts::LN_2),
    ];
    for (a, u, want) in cases {
        let got = gamma_quantile(a, u);
        assert!(
            ((got - want) / want).abs() < 1e-10,
            "gamma_quantile({a}, {u}) = {got:e}, want {want:e}"
        );
        // The scale multiplies the quantile.
        let scaled = gamma(a, 2.5).quantile(u);
        assert!(((scaled - 2.5 * want) / want).abs() < 1e-9, "{scaled}");
    }
    assert_eq!(gamma(2.0, 1.0).quantile(0.0), 0.0);
    assert_eq!(gamma(2.0, 1.0).quantile(1.0), f64::INFINITY);
}

#[test]
fn gamma_quantile_inverts_the_cdf_across_shapes() {
    for shape in [0.02, 0.3, 1.0, 1.7, 8.0, 250.0, 3e5] {
        let d = gamma(shape, 3.0);
        for k in 1..40 {
            let u = k as f64 / 40.0;
            let back = d.cdf(d.quantile(u));
            assert!(
                (back - u).abs() < 1e-12,
                "shape {shape}: cdf(q({u})) = {back}"
            );
        }
    }
}

#[test]
fn gamma_sampler_matches_mean_and_variance() {
    for (shape, scale, seed) in [(0.4, 2.0, 1), (1.0, 1.0, 2), (3.5, 0.5, 3), (40.0, 10.0, 4)] {
        let d = gamma(shape, scale);
        let n = 400_000;
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
        let draws: Vec<f64> = (0..n).map(|_| d.sample(&mut rng)).collect();
        let nf = n as f64;
        let mean = draws.iter().sum::<f64>() / nf;
        let variance = draws.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (nf - 1.0);
        assert!(draws.iter().all(|x| x.is_finite() && *x >= 0.0));
        // Exact moments: mean k s, variance k s^2, fourth central moment
        // 3 k (k + 2) s^4, for the standard errors.
        let (exact_mean, exact_variance) = (d.mean(), d.variance());
        assert_eq!(exact_mean, shape * scale);
        assert_eq!(exact_variance, shape * scale * scale);
        let se_mean = (exact_variance / nf).sqrt();
        let m4 = 3.0 * shape * (shape + 2.0) * scale.powi(4);
        let se_variance = ((m4 - exact_variance * exact_variance) / nf).sqrt();
        assert!(
            (mean - exact_mean).abs() < 4.0 * se_mean,
            "gamma({shape}, {scale}): mean {mean} vs {exact_mean}"
        );
        assert!(
            (variance - exact_variance).abs() < 4.0 * se_variance,
            "gamma({shape}, {scale}): variance {variance} vs {exact_variance}"
        );
    }
}

#[test]
fn gamma_ci90_hits_both_quantiles() {
    let intervals = [
        (1.0, 10.0),
        (2.0, 3.0),
        (0.5, 500.0),
        (1e-3, 1e3),
        (100.0, 101.0),
        (3.0, 4.5),
        (1e5, 2e6),
    ];
    for (lo, hi) in intervals {
        let d = Dist::from_ci90(DistKind::Gamma, lo, hi)
            .unwrap_or_else(|e| panic!("ci90 [{lo}, {hi}]: {e}"));
        assert_eq!(d.kind(), DistKind::Gamma);
        let (q05, q95) = (d.quantile(0.05), d.quantile(0.95));
        assert!((q05 - lo).abs() <= 1e-9 * lo, "[{lo}, {hi}]: q05 = {q05}");
        assert!((q95 - hi).abs() <= 1e-9 * hi, "[{lo}, {hi}]: q95 = {q95}");
    }
    // Wider than any shape of at least 1e-2 allows: refused, not missed.
    let error = Dist::from_ci90(DistKind::Gamma, 1e-300, 1e300).expect_err("too wide");
    assert!(error.message.contains("cannot be matched"), "{error}");
}

#[test]
fn gamma_errors_name_the_rule_and_the_argument() {
    let error = Dist::new(DistKind::Gamma, &[0.0, 1.0]).expect_err("shape 0");
    assert_eq!(error.message, "gamma needs shape > 0, got shape = 0");
    assert_eq!(error.argument, Some(0));
    let error = Dist::new(DistKind::Gamma, &[2.0, -1.0]).expect_err("scale -1");
    assert_eq!(error.message, "gamma needs scale > 0, got scale = -1");
    assert_eq!(error.argument, Some(1));
    // A rule whose argument is not known yet is not checked.
    assert!(DistKind::Gamma.check(&[None, Some(1.0)]).is_ok());
    let error = DistKind::Gamma
        .check(&[None, Some(0.0)])
        .expect_err("scale 0");
    assert_eq!(error.argument, Some(1));
    let error = Dist::from_ci90(DistKind::Gamma, 0.0, 2.0).expect_err("lo 0");
    assert_eq!(error.message, "ci90 of gamma needs 0 < lo, got lo = 0");
    assert_eq!(error.argument, Some(0));
}
