//! Probabilities checked and turned into thresholds: a boolean node compares
//! a trial's 53-bit random integer with an integer threshold (bit plane by
//! bit plane, see `mask.rs`), which gives the same bits as comparing its
//! uniform with the probability.

use uchronia_distributions::open01;

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
/// whose uniform `open01` is below `p`, so that `open01(word) < p` exactly
/// when `word >> 11 < threshold(p)`: a boolean node compares integers and
/// gives the same bits as comparing uniforms. `open01` is non-decreasing in
/// `k`, so those `k` are a prefix: the estimate `p * 2^53` is moved to its
/// exact end by checking `open01` itself (which rounds above 2^52, so no
/// closed form is trusted; the steps are at most a couple).
pub(crate) fn threshold(p: f64) -> u64 {
    threshold_where(p, |k| open01(k << 11) < p)
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
        let mut ps: Vec<f64> = vec![0.0, 1.0, 0.5, 1e-300, 1.0 - 1e-16, 0.3, 0.7];
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
