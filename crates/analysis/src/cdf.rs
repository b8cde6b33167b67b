//! Where a value falls in a pooled distribution: the fraction of a
//! [`Sketch`]'s mass below it, found from the sketch's quantiles alone.
//!
//! The sketch only answers "which value sits at level q?"
//! ([`Sketch::quantile`], monotone in q), so the inverse question is
//! answered by bisection on q. A value carried by many trials (a year, when
//! many histories give 1939) spans a range of levels: [`Rank`] gives both
//! ends, and the percentile rank is their midpoint (the "mid-rank" used for
//! discrete data), so a value at the median of a symmetric spread ranks 0.5.
//! The levels are type-7 levels, `rank / (n - 1)`, like the quantiles.

use uchronia_engine::tally::Sketch;

/// Bisection steps: 2^-60 is far below the 1 / n resolution of any sketch.
const STEPS: u32 = 60;

/// The range of levels a value occupies in a pooled distribution.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rank {
    /// The greatest level whose quantile is below the value (0 when the
    /// least value is not below it).
    pub below: f64,
    /// The greatest level whose quantile is at most the value (1 when the
    /// greatest value is not above it).
    pub at_or_below: f64,
}

impl Rank {
    /// The mid-rank `(below + at_or_below) / 2`, in [0, 1].
    pub fn percentile(&self) -> f64 {
        0.5 * (self.below + self.at_or_below)
    }
}

/// Where `x` falls among the values counted by `sketch`; `None` when the
/// sketch is empty or `x` is NaN.
pub fn sketch_rank(sketch: &Sketch, x: f64) -> Option<Rank> {
    if sketch.count() == 0 || x.is_nan() {
        return None;
    }
    let below = last_level(sketch, |value| value < x)?;
    let at_or_below = last_level(sketch, |value| value <= x)?;
    Some(Rank { below, at_or_below })
}

/// The percentile rank (mid-rank, in [0, 1]) of `x` in `sketch`'s values.
pub fn sketch_percentile(sketch: &Sketch, x: f64) -> Option<f64> {
    sketch_rank(sketch, x).map(|rank| rank.percentile())
}

/// The greatest level q in [0, 1] with `holds(quantile(q))`, where `holds`
/// is true for small values and false for large ones (quantiles increase
/// with q). 0 when it holds nowhere.
fn last_level(sketch: &Sketch, holds: impl Fn(f64) -> bool) -> Option<f64> {
    if !holds(sketch.quantile(0.0)?) {
        return Some(0.0);
    }
    if holds(sketch.quantile(1.0)?) {
        return Some(1.0);
    }
    // Invariant: holds at `lo`, fails at `hi`.
    let (mut lo, mut hi) = (0.0_f64, 1.0_f64);
    for _ in 0..STEPS {
        let mid = 0.5 * (lo + hi);
        if holds(sketch.quantile(mid)?) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    Some(0.5 * (lo + hi))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sketch_of(values: impl IntoIterator<Item = f64>) -> Sketch {
        let mut sketch = Sketch::new();
        for x in values {
            sketch.push(x);
        }
        sketch
    }

    #[test]
    fn continuous_values_rank_at_their_share_below() {
        // 0, 1, ..., 1000: exactly 1001 distinct values, so in buckets.
        let sketch = sketch_of((0..=1000).map(f64::from));
        let rank = sketch_rank(&sketch, 250.0).expect("defined");
        // Type-7 level of the value 250 is 250 / 1000; buckets are 0.1% wide.
        assert!((rank.percentile() - 0.25).abs() < 0.002, "{rank:?}");
        assert!((sketch_percentile(&sketch, 900.0).expect("defined") - 0.9).abs() < 0.002);
    }

    #[test]
    fn a_discrete_value_gets_its_mid_rank() {
        // 30 values 1938, 40 values 1939, 30 values 1940 (exact sketch).
        let values = std::iter::repeat_n(1938.0, 30)
            .chain(std::iter::repeat_n(1939.0, 40))
            .chain(std::iter::repeat_n(1940.0, 30));
        let sketch = sketch_of(values);
        let rank = sketch_rank(&sketch, 1939.0).expect("defined");
        // 1939 fills ranks 30..=69 of 0..=99: below level 30/99 the
        // quantile interpolates towards 1938; above 69/99, towards 1940.
        assert!((rank.below - 30.0 / 99.0).abs() < 1e-9, "{rank:?}");
        assert!((rank.at_or_below - 69.0 / 99.0).abs() < 1e-9, "{rank:?}");
        assert!((rank.percentile() - 0.5).abs() < 1e-9);
    }

    #[test]
    fn values_outside_the_range_rank_zero_and_one() {
        let sketch = sketch_of([1.0, 2.0, 3.0]);
        assert_eq!(sketch_percentile(&sketch, 0.5), Some(0.0));
        assert_eq!(sketch_percentile(&sketch, 3.5), Some(1.0));
        let top = sketch_rank(&sketch, 3.0).expect("defined");
        assert_eq!(top.at_or_below, 1.0);
        assert!(top.below > 1.0 - 1e-9 && top.below < 1.0, "{top:?}");
        let bottom = sketch_rank(&sketch, 1.0).expect("defined");
        assert_eq!(bottom.below, 0.0);
        assert!(bottom.at_or_below < 1e-9, "{bottom:?}");
        assert_eq!(sketch_percentile(&Sketch::new(), 1.0), None);
        assert_eq!(sketch_percentile(&sketch, f64::NAN), None);
    }
}
