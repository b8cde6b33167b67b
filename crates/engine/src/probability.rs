//! Probabilities checked and turned into thresholds: a boolean node compares
//! a trial's 53-bit random integer with an integer threshold (bit plane by
//! bit plane, see `mask.rs`), which gives the same bits as comparing its
//! uniform with the probability.

use crate::fault::{Fault, FaultKind, TOLERANCE};

/// Validates a probability: within [0, 1], or within the tolerance of it
/// (then clamped).
#[inline]
pub(crate) fn check_probability(p: f64) -> Result<f64, Fault> {
    if (0.0..=1.0).contains(&p) {
        return Ok(p);
    }
    if (-TOLERANCE..=1.0 + TOLERANCE).contains(&p) {
        return Ok(p.clamp(0.0, 1.0));
    }
    Err(Fault::new(FaultKind::Probability(p)))
}

/// A table entry that sends the trial to the expression.
pub(crate) const NO_THRESHOLD: u64 = u64::MAX;

/// The number of 53-bit integers `k` (a word's top bits, `word >> 11`)
/// whose uniform `open01` is below `p` in `[0, 1]`, so that `open01(word) <
/// p` exactly when `word >> 11 < threshold(p)`: a boolean node compares
/// integers and gives the same bits as comparing uniforms. In closed form,
/// cheap enough per trial: `open01(k << 11)` is `(k / 2 + 0.5) * 2^-52`
/// (the word's lowest used bit is dropped), so the uniform is below `p`
/// exactly when `m = k >> 1` is below `c = p * 2^52 - 0.5`, both steps
/// exact in `f64`; there are `ceil(c)` such `m`, each for two `k` (the
/// tests check this against `open01` itself).
#[inline]
pub(crate) fn threshold(p: f64) -> u64 {
    let c = p * (1u64 << 52) as f64 - 0.5;
    if c <= 0.0 {
        return 0;
    }
    // `ceil` by a truncating cast (a library call on the baseline target).
    let whole = c as u64;
    2 * (whole + u64::from((whole as f64) < c))
}

/// The number of 53-bit integers `k` for which `below(k)` holds, when those
/// are a prefix (`below` is true up to some `k`, then false) that ends near
/// `estimate * 2^53`: the estimate is moved to the exact end.
pub(crate) fn threshold_where(estimate: f64, below: impl Fn(u64) -> bool) -> u64 {
    const END: u64 = 1 << 53;
    // `as` saturates: NaN gives 0, which the steps below correct.
    let mut k = ((estimate * END as f64) as u64).min(END);
    while k > 0 && !below(k - 1) {
        k -= 1;
    }
    while k < END && below(k) {
        k += 1;
    }
    k
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};
    use rand_xoshiro::SplitMix64;
    use uchronia_distributions::open01;

    #[test]
    fn probabilities_clamp_within_tolerance_only() {
        assert_eq!(check_probability(1.0 + 1e-10).ok(), Some(1.0));
        assert_eq!(check_probability(-1e-10).ok(), Some(0.0));
        assert!(check_probability(1.0 + 1e-8).is_err());
        assert!(check_probability(f64::NAN).is_err());
        assert!(check_probability(f64::INFINITY).is_err());
    }

    #[test]
    fn thresholds_agree_with_uniforms() {
        let mut rng = SplitMix64::seed_from_u64(7);
        let tiny = 1.0 / (1u64 << 52) as f64;
        let mut ps: Vec<f64> = vec![
            0.0,
            1.0,
            0.5,
            1e-300,
            5e-324,
            f64::MIN_POSITIVE,
            tiny / 2.0,
            (tiny / 2.0).next_up(),
            (tiny / 2.0).next_down(),
            tiny * 1.5,
            1.0 - 1e-16,
            1.0f64.next_down(),
            0.3,
            0.7,
        ];
        // Probabilities exactly at, and next to, a uniform's value.
        for _ in 0..200 {
            let u = open01(rng.next_u64());
            ps.extend([u, u.next_up(), u.next_down()]);
        }
        for _ in 0..200 {
            ps.push(open01(rng.next_u64()));
        }
        for &p in &ps {
            let limit = threshold(p);
            let by_search = threshold_where(p, |k| open01(k << 11) < p);
            assert_eq!(limit, by_search, "p = {p}");
            for _ in 0..200 {
                let w = rng.next_u64();
                assert_eq!(open01(w) < p, w >> 11 < limit, "p = {p}, w = {w}");
            }
            // The words on either side of the threshold.
            for k in [limit.saturating_sub(1), limit] {
                if k >= 1 << 53 {
                    continue;
                }
                let w = k << 11;
                assert_eq!(open01(w) < p, k < limit, "p = {p}, k = {k}");
            }
        }
    }
}
