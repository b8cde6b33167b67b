//! A mergeable quantile sketch: the quantiles of numeric outcomes over up to
//! billions of trials, in memory that does not grow with the number of values.
//!
//! Values are counted in logarithmic buckets (as in DDSketch): bucket `i` of
//! the positive store holds the values in (gamma^(i-1), gamma^i] with
//! gamma = (1 + alpha) / (1 - alpha) and alpha = 1e-3, so the bucket's
//! midpoint 2 gamma^i / (gamma + 1) is within alpha = 0.1% of every value in
//! it. Negative values are counted by magnitude in a store of their own, and
//! values with |x| < 1e-9 in a zero bucket.
//!
//! Each bucket also keeps the least and greatest value it has seen. A
//! bucket's representative is its value itself when those agree, otherwise
//! the midpoint clamped to [min, max]. Quantiles interpolate between order
//! statistics as type 7 (NumPy's and R's default) does on the representatives.
//!
//! Buckets 0.2% wide hold several consecutive integers above about 500, so
//! the years 1938 and 1939 would share one. Discrete outcomes are therefore
//! kept exactly first: while the values pushed take at most 256 distinct
//! values, the sketch is a sorted list of (value, count), and its quantiles
//! equal `np.quantile` bit for bit. The 257th distinct value moves everything
//! into the buckets for good.
//!
//! Merging adds integer counts and takes minima and maxima, which commute:
//! a sketch of some values is the same whatever order they were pushed or
//! merged in (it is exact exactly when the whole multiset has at most 256
//! distinct values), so results do not depend on the number of threads.
//!
//! Memory: each store is a dense vector over the range of bucket indices
//! seen, at most 65,536 buckets (1.5 MiB). Values spanning a wider range than
//! that (more than a factor of about 1e57) collapse the store's buckets of
//! smallest magnitude into one; accuracy then degrades only for those
//! smallest values, whose representative is still clamped to the true range
//! of the values in the collapsed bucket.

use serde::{Deserialize, Serialize};

/// The relative accuracy of a bucket's midpoint.
const ALPHA: f64 = 1e-3;

/// ln gamma = ln((1 + alpha) / (1 - alpha)) = 2 atanh(alpha).
const LN_GAMMA: f64 = 0.002_000_000_666_667_066_6;

/// Values with |x| below this are counted in the zero bucket.
const ZERO_THRESHOLD: f64 = 1e-9;

/// The most distinct values kept exactly before switching to buckets.
const EXACT_LIMIT: usize = 256;

/// The most buckets one store keeps.
const MAX_BUCKETS: usize = 65_536;

/// Bucket indices are clamped to this range, which covers every finite
/// magnitude from the zero threshold (about -10,362) up to f64::MAX (about
/// 354,892), so that even a non-finite value cannot make the index overflow.
const INDEX_RANGE: (f64, f64) = (-20_000.0, 400_000.0);

/// The bucket index of a magnitude m >= ZERO_THRESHOLD: ceil(log_gamma m).
#[inline]
fn bucket_index(magnitude: f64) -> i64 {
    let scaled = (magnitude.ln() * (1.0 / LN_GAMMA)).clamp(INDEX_RANGE.0, INDEX_RANGE.1);
    // ceil by truncation (which already rounds negatives up): `f64::ceil` is
    // a library call on baseline x86-64 and costs more than the logarithm's tail.
    let truncated = scaled as i64;
    if (truncated as f64) < scaled {
        truncated + 1
    } else {
        truncated
    }
}

/// The midpoint 2 gamma^i / (gamma + 1) = (1 - alpha) gamma^i of bucket i.
fn bucket_midpoint(index: i64) -> f64 {
    (1.0 - ALPHA) * (index as f64 * LN_GAMMA).exp()
}

/// One bucket: how many values, and the least and greatest of them (both 0
/// while the bucket is empty, so that the sketch serialises to finite
/// numbers only).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
struct Bucket {
    count: u64,
    min: f64,
    max: f64,
}

impl Bucket {
    #[inline]
    fn add(&mut self, x: f64, count: u64) {
        if self.count == 0 {
            self.min = x;
            self.max = x;
        } else {
            self.min = self.min.min(x);
            self.max = self.max.max(x);
        }
        self.count += count;
    }

    fn merge(&mut self, other: &Bucket) {
        if other.count == 0 {
            return;
        }
        if self.count == 0 {
            *self = *other;
            return;
        }
        self.count += other.count;
        self.min = self.min.min(other.min);
        self.max = self.max.max(other.max);
    }

    /// The value reported for every value in the bucket: exact when they are
    /// all equal, else `estimate` clamped to their range.
    fn representative(&self, estimate: f64) -> f64 {
        if self.min == self.max {
            self.min
        } else {
            estimate.clamp(self.min, self.max)
        }
    }
}

/// Buckets of one sign, by magnitude: `buckets[k]` is bucket index
/// `offset + k`. The top slot is always the greatest index seen; below the
/// lowest index seen there may be empty slack slots (growing downwards
/// reserves some so that values arriving in decreasing order cost amortised
/// O(1)). Indices below `top - MAX_BUCKETS + 1` are counted in that bucket.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
struct Store {
    offset: i64,
    buckets: Vec<Bucket>,
}

impl Store {
    #[inline]
    fn add(&mut self, index: i64, x: f64, count: u64) {
        let slot = self.slot(index);
        self.buckets[slot].add(x, count);
    }

    /// The slot counting bucket `index`, growing (or collapsing) the store
    /// as needed.
    #[inline]
    fn slot(&mut self, index: i64) -> usize {
        let len = self.buckets.len() as i64;
        if index >= self.offset && index < self.offset + len {
            return (index - self.offset) as usize;
        }
        self.grow_to(index)
    }

    #[cold]
    fn grow_to(&mut self, index: i64) -> usize {
        let max = MAX_BUCKETS as i64;
        if self.buckets.is_empty() {
            self.offset = index;
            self.buckets.push(Bucket::default());
            return 0;
        }
        let top = self.offset + self.buckets.len() as i64 - 1;
        if index > top {
            // The window [index - max + 1, index] must hold the new top.
            let floor = index - max + 1;
            if floor > self.offset {
                self.collapse_below(floor);
            }
            self.buckets
                .resize((index - self.offset + 1) as usize, Bucket::default());
            return self.buckets.len() - 1;
        }
        // Below the store: values under the floor share the floor bucket.
        let floor = top - max + 1;
        let target = index.max(floor);
        if target < self.offset {
            let slack = (self.buckets.len() as i64 / 2).max(16);
            let new_offset = target.min(self.offset - slack).max(floor);
            let extra = (self.offset - new_offset) as usize;
            self.buckets
                .splice(0..0, std::iter::repeat_n(Bucket::default(), extra));
            self.offset = new_offset;
        }
        (target - self.offset) as usize
    }

    /// Merges every bucket below index `floor` (> offset) into bucket `floor`
    /// and makes `floor` the store's lowest index.
    fn collapse_below(&mut self, floor: i64) {
        let below = ((floor - self.offset) as usize).min(self.buckets.len());
        let mut merged = Bucket::default();
        for bucket in self.buckets.drain(..below) {
            merged.merge(&bucket);
        }
        if self.buckets.is_empty() {
            self.buckets.push(merged);
        } else {
            self.buckets[0].merge(&merged);
        }
        self.offset = floor;
    }

    fn merge(&mut self, other: &Store) {
        if other.buckets.is_empty() {
            return;
        }
        let other_top = other.offset + other.buckets.len() as i64 - 1;
        // Grow to the other's top first, so that a collapse happens once.
        self.slot(other_top);
        for (k, bucket) in other.buckets.iter().enumerate() {
            if bucket.count > 0 {
                let slot = self.slot(other.offset + k as i64);
                self.buckets[slot].merge(bucket);
            }
        }
    }

    /// The non-empty buckets with their indices, from the lowest index up.
    fn iter(&self) -> impl DoubleEndedIterator<Item = (i64, &Bucket)> {
        self.buckets
            .iter()
            .enumerate()
            .filter(|(_, bucket)| bucket.count > 0)
            .map(|(k, bucket)| (self.offset + k as i64, bucket))
    }
}

/// A mergeable quantile sketch: exact while the values take at most 256
/// distinct values, else 0.1% relative accuracy with buckets of a single
/// distinct value still reported exactly (see the module documentation).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Sketch {
    count: u64,
    /// Whether the values live in the buckets; else in `exact`.
    bucketed: bool,
    /// The distinct values in increasing order with their counts, while not
    /// `bucketed` (empty afterwards).
    exact: Vec<(f64, u64)>,
    positive: Store,
    negative: Store,
    zero: Bucket,
}

impl Sketch {
    /// An empty sketch; allocates nothing until values arrive.
    pub fn new() -> Sketch {
        Sketch::default()
    }

    /// Counts `x`, which must be finite (callers guarantee it; a non-finite
    /// value is counted without panicking but spoils its bucket's estimate).
    #[inline]
    pub fn push(&mut self, x: f64) {
        self.count += 1;
        if !self.bucketed {
            match self
                .exact
                .binary_search_by(|(value, _)| value.total_cmp(&x))
            {
                Ok(k) => {
                    self.exact[k].1 += 1;
                    return;
                }
                Err(k) if self.exact.len() < EXACT_LIMIT => {
                    self.exact.insert(k, (x, 1));
                    return;
                }
                Err(_) => self.switch_to_buckets(),
            }
        }
        self.push_bucketed(x, 1);
    }

    /// Counts `count` copies of `x` in the buckets.
    #[inline]
    fn push_bucketed(&mut self, x: f64, count: u64) {
        if x >= ZERO_THRESHOLD {
            self.positive.add(bucket_index(x), x, count);
        } else if x <= -ZERO_THRESHOLD {
            self.negative.add(bucket_index(-x), x, count);
        } else {
            self.zero.add(x, count);
        }
    }

    /// Moves the exact values into the buckets, for good.
    #[cold]
    fn switch_to_buckets(&mut self) {
        self.bucketed = true;
        for (x, count) in std::mem::take(&mut self.exact) {
            self.push_bucketed(x, count);
        }
    }

    /// Adds every value counted by `other`. Exact and order-independent.
    pub fn merge(&mut self, other: &Sketch) {
        self.count += other.count;
        if !other.bucketed {
            if self.bucketed {
                for &(x, count) in &other.exact {
                    self.push_bucketed(x, count);
                }
            } else {
                self.exact = merge_sorted(&self.exact, &other.exact);
                if self.exact.len() > EXACT_LIMIT {
                    self.switch_to_buckets();
                }
            }
            return;
        }
        if !self.bucketed {
            self.switch_to_buckets();
        }
        self.positive.merge(&other.positive);
        self.negative.merge(&other.negative);
        self.zero.merge(&other.zero);
    }

    /// How many values were pushed.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// Every non-empty bucket with its representative, in increasing order
    /// of value: negatives from the largest magnitude, zero, positives.
    fn ascending_buckets(&self) -> impl Iterator<Item = (u64, f64)> + '_ {
        let negative =
            self.negative.iter().rev().map(|(index, bucket)| {
                (bucket.count, bucket.representative(-bucket_midpoint(index)))
            });
        let zero = (self.zero.count > 0).then(|| (self.zero.count, self.zero.representative(0.0)));
        let positive = self
            .positive
            .iter()
            .map(|(index, bucket)| (bucket.count, bucket.representative(bucket_midpoint(index))));
        negative.chain(zero).chain(positive)
    }

    /// The q-quantile (q in [0, 1], clamped) by linear interpolation between
    /// order statistics (type 7, NumPy's default): with h = (n - 1) q, the
    /// values of ranks floor(h) and floor(h) + 1 interpolated at h - floor(h).
    /// `None` when the sketch is empty or q is NaN.
    pub fn quantile(&self, q: f64) -> Option<f64> {
        if self.count == 0 || q.is_nan() {
            return None;
        }
        let h = (self.count - 1) as f64 * q.clamp(0.0, 1.0);
        let below = h.floor();
        let t = h - below;
        let lower_rank = (below as u64).min(self.count - 1);
        let upper_rank = (lower_rank + 1).min(self.count - 1);
        let (a, b) = if self.bucketed {
            values_at_ranks(self.ascending_buckets(), lower_rank, upper_rank)?
        } else {
            let exact = self.exact.iter().map(|&(x, count)| (count, x));
            values_at_ranks(exact, lower_rank, upper_rank)?
        };
        // NumPy's lerp: from the nearer end, so t = 1 gives b exactly.
        let diff = b - a;
        Some(if t >= 0.5 {
            b - diff * (1.0 - t)
        } else {
            a + diff * t
        })
    }

    /// The least value pushed, or `None` when empty.
    pub fn min(&self) -> Option<f64> {
        if !self.bucketed {
            return self.exact.first().map(|&(x, _)| x);
        }
        if let Some((_, bucket)) = self.negative.iter().next_back() {
            return Some(bucket.min);
        }
        if self.zero.count > 0 {
            return Some(self.zero.min);
        }
        self.positive.iter().next().map(|(_, bucket)| bucket.min)
    }

    /// The greatest value pushed, or `None` when empty.
    pub fn max(&self) -> Option<f64> {
        if !self.bucketed {
            return self.exact.last().map(|&(x, _)| x);
        }
        if let Some((_, bucket)) = self.positive.iter().next_back() {
            return Some(bucket.max);
        }
        if self.zero.count > 0 {
            return Some(self.zero.max);
        }
        self.negative.iter().next().map(|(_, bucket)| bucket.max)
    }
}

/// The union of two sorted (value, count) lists, counts of equal values added.
fn merge_sorted(left: &[(f64, u64)], right: &[(f64, u64)]) -> Vec<(f64, u64)> {
    let mut merged = Vec::with_capacity(left.len() + right.len());
    let (mut i, mut j) = (0, 0);
    while i < left.len() && j < right.len() {
        match left[i].0.total_cmp(&right[j].0) {
            std::cmp::Ordering::Less => {
                merged.push(left[i]);
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                merged.push(right[j]);
                j += 1;
            }
            std::cmp::Ordering::Equal => {
                merged.push((left[i].0, left[i].1 + right[j].1));
                i += 1;
                j += 1;
            }
        }
    }
    merged.extend_from_slice(&left[i..]);
    merged.extend_from_slice(&right[j..]);
    merged
}

/// The values at two 0-based ranks (lower <= upper) of (count, value) runs
/// in increasing order.
fn values_at_ranks(
    runs: impl Iterator<Item = (u64, f64)>,
    lower_rank: u64,
    upper_rank: u64,
) -> Option<(f64, f64)> {
    let mut lower = None;
    let mut seen = 0u64;
    for (count, value) in runs {
        seen += count;
        if lower.is_none() && lower_rank < seen {
            lower = Some(value);
        }
        if upper_rank < seen {
            return Some((lower?, value));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_xoshiro::Xoshiro256PlusPlus;
    use uchronia_distributions::{Dist, DistKind};

    /// Type 7 on a sorted slice, written as NumPy computes it.
    fn exact_quantile(sorted: &[f64], q: f64) -> f64 {
        let n = sorted.len();
        let h = (n - 1) as f64 * q;
        let below = h.floor();
        let t = h - below;
        let lower = below as usize;
        let upper = (lower + 1).min(n - 1);
        let (a, b) = (sorted[lower], sorted[upper]);
        let diff = b - a;
        if t >= 0.5 {
            b - diff * (1.0 - t)
        } else {
            a + diff * t
        }
    }

    fn sketch_of(values: &[f64]) -> Sketch {
        let mut sketch = Sketch::new();
        for &x in values {
            sketch.push(x);
        }
        sketch
    }

    fn sorted(values: &[f64]) -> Vec<f64> {
        let mut sorted = values.to_vec();
        sorted.sort_by(f64::total_cmp);
        sorted
    }

    const QS: [f64; 9] = [0.0, 0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99, 1.0];

    #[test]
    fn constants_agree_with_alpha() {
        assert!((LN_GAMMA - 2.0 * ALPHA.atanh()).abs() < 1e-18);
        let gamma: f64 = (1.0 + ALPHA) / (1.0 - ALPHA);
        assert!((2.0 / (gamma + 1.0) - (1.0 - ALPHA)).abs() < 1e-15);
    }

    #[test]
    fn bucket_midpoints_are_within_alpha() {
        for k in -1200..1200 {
            let x = 1.7_f64.powf(k as f64 / 40.0);
            let index = bucket_index(x);
            assert_eq!(index as f64, (x.ln() / LN_GAMMA).ceil(), "{x}");
            let midpoint = bucket_midpoint(index);
            assert!(
                ((midpoint - x) / x).abs() <= ALPHA * (1.0 + 1e-9),
                "{x}: {midpoint}"
            );
        }
    }

    #[test]
    fn small_integer_data_is_exact() {
        let values: Vec<f64> = (1..=10).map(f64::from).collect();
        let sketch = sketch_of(&values);
        for (q, want) in [
            (0.05, 1.45),
            (0.5, 5.5),
            (0.95, 9.55),
            (0.0, 1.0),
            (1.0, 10.0),
        ] {
            let got = sketch.quantile(q).expect("not empty");
            assert!((got - want).abs() < 1e-12, "q{q}: {got}, want {want}");
            assert_eq!(got, exact_quantile(&values, q), "q{q}");
        }
        assert_eq!(sketch.count(), 10);
        assert_eq!(sketch.min(), Some(1.0));
        assert_eq!(sketch.max(), Some(10.0));
    }

    #[test]
    fn discrete_years_are_exact() {
        // War start years, repeated, pushed in a scrambled order.
        let mut values = Vec::new();
        for (year, times) in [
            (1939.0, 50),
            (1938.0, 7),
            (1941.0, 20),
            (1950.0, 3),
            (1914.0, 1),
        ] {
            values.extend(std::iter::repeat_n(year, times));
        }
        values.reverse();
        values.rotate_left(13);
        let sketch = sketch_of(&values);
        assert!(!sketch.bucketed);
        let sorted = sorted(&values);
        for q in QS {
            assert_eq!(sketch.quantile(q), Some(exact_quantile(&sorted, q)), "q{q}");
        }
    }

    #[test]
    fn many_distinct_years_are_within_a_tenth_of_a_percent() {
        // 400 distinct years: more than the exact list holds.
        let values: Vec<f64> = (0..40_000)
            .map(|k| f64::from(1600 + (k * 7919) % 400))
            .collect();
        let sketch = sketch_of(&values);
        assert!(sketch.bucketed);
        let sorted = sorted(&values);
        for q in QS {
            let (got, want) = (
                sketch.quantile(q).expect("not empty"),
                exact_quantile(&sorted, q),
            );
            assert!(
                ((got - want) / want).abs() <= ALPHA,
                "q{q}: {got} vs {want}"
            );
        }
        assert_eq!(sketch.min(), Some(1600.0));
        assert_eq!(sketch.max(), Some(1999.0));
    }

    #[test]
    fn bucketed_negatives_and_zeros() {
        let mut values: Vec<f64> = (0..1000).map(|k| f64::from(k) * 0.37 - 150.0).collect();
        values.extend([0.0, 0.0, 1e-12, -1e-11, 0.0]);
        let sketch = sketch_of(&values);
        assert!(sketch.bucketed);
        let sorted = sorted(&values);
        for q in (0..=200).map(|k| f64::from(k) / 200.0) {
            let (got, want) = (
                sketch.quantile(q).expect("not empty"),
                exact_quantile(&sorted, q),
            );
            assert!(
                (got - want).abs() <= 1e-9 + ALPHA * want.abs().max(0.37),
                "q{q}: {got} vs {want}"
            );
        }
        assert_eq!(sketch.min(), Some(-150.0));
        assert_eq!(sketch.max(), sorted.last().copied());
    }

    #[test]
    fn negatives_and_zeros() {
        let values = [-5.0, -1.0, 0.0, 0.0, 2.0, -0.25, 1e-12, -3e-10, 7.0, 0.0];
        let sketch = sketch_of(&values);
        assert_eq!(sketch.min(), Some(-5.0));
        assert_eq!(sketch.max(), Some(7.0));
        let sorted = sorted(&values);
        for q in QS {
            let got = sketch.quantile(q).expect("not empty");
            let want = exact_quantile(&sorted, q);
            // Values within 1e-9 of zero share a bucket reported as 0.
            assert!(
                (got - want).abs() <= 1e-9 + ALPHA * want.abs(),
                "q{q}: {got} vs {want}"
            );
        }
        // Only negatives, and only zeros.
        let negatives = sketch_of(&[-3.0, -1.0, -2.0]);
        assert_eq!(negatives.quantile(0.5), Some(-2.0));
        assert_eq!(negatives.min(), Some(-3.0));
        assert_eq!(negatives.max(), Some(-1.0));
        let zeros = sketch_of(&[0.0, 0.0]);
        assert_eq!(zeros.quantile(0.3), Some(0.0));
        assert_eq!(zeros.min(), Some(0.0));
    }

    #[test]
    fn empty_sketch_has_no_quantiles() {
        let sketch = Sketch::new();
        assert_eq!(sketch.count(), 0);
        assert_eq!(sketch.quantile(0.5), None);
        assert_eq!(sketch.min(), None);
        assert_eq!(sketch.max(), None);
        assert_eq!(sketch_of(&[1.0]).quantile(f64::NAN), None);
    }

    fn lognormal_draws(n: usize, seed: u64) -> Vec<f64> {
        let dist = Dist::new(DistKind::LogNormal, &[3.0, 1.5]).expect("valid");
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
        (0..n).map(|_| dist.sample(&mut rng)).collect()
    }

    #[test]
    fn continuous_quantiles_within_a_tenth_of_a_percent() {
        let values = lognormal_draws(1_000_000, 5);
        let sketch = sketch_of(&values);
        assert!(sketch.bucketed);
        let sorted = sorted(&values);
        for q in [0.05, 0.5, 0.95, 0.001, 0.999] {
            let got = sketch.quantile(q).expect("not empty");
            let want = exact_quantile(&sorted, q);
            let error = ((got - want) / want).abs();
            // The promise is 0.5%; buckets give alpha = 0.1%.
            assert!(
                error <= ALPHA * (1.0 + 1e-9),
                "q{q}: {got} vs {want}, error {error}"
            );
        }
        assert_eq!(sketch.min(), sorted.first().copied());
        assert_eq!(sketch.max(), sorted.last().copied());
        // Memory is bounded by the range, not the count.
        assert!(sketch.positive.buckets.len() < 20_000);
    }

    fn assert_same(left: &Sketch, right: &Sketch) {
        assert_eq!(left.count(), right.count());
        for q in (0..=100).map(|k| k as f64 / 100.0) {
            let (a, b) = (left.quantile(q), right.quantile(q));
            assert_eq!(
                a.map(f64::to_bits),
                b.map(f64::to_bits),
                "q{q}: {a:?} vs {b:?}"
            );
        }
        assert_eq!(left.min(), right.min());
        assert_eq!(left.max(), right.max());
    }

    #[test]
    fn merging_halves_equals_one_sketch() {
        let mut values = lognormal_draws(200_000, 6);
        // Some negatives and zeros too.
        for (k, x) in values.iter_mut().enumerate() {
            if k % 7 == 0 {
                *x = -*x;
            }
            if k % 101 == 0 {
                *x = 0.0;
            }
        }
        let whole = sketch_of(&values);
        let (first, second) = values.split_at(77_777);
        let mut merged = sketch_of(first);
        merged.merge(&sketch_of(second));
        assert_same(&whole, &merged);
        let mut reversed = sketch_of(second);
        reversed.merge(&sketch_of(first));
        assert_same(&whole, &reversed);
        // Many small pieces, merged into an empty sketch.
        let mut pieces = Sketch::new();
        for chunk in values.chunks(999) {
            pieces.merge(&sketch_of(chunk));
        }
        assert_same(&whole, &pieces);
    }

    #[test]
    fn merging_across_the_exact_limit_equals_one_sketch() {
        // Pieces of 150 distinct values each: exact alone, bucketed together.
        let values: Vec<f64> = (0..600).map(|k| f64::from(k % 300) * 1.5 + 0.25).collect();
        let whole = sketch_of(&values);
        assert!(whole.bucketed);
        let pieces: Vec<Sketch> = values.chunks(150).map(sketch_of).collect();
        assert!(pieces.iter().all(|piece| !piece.bucketed));
        let mut forward = Sketch::new();
        for piece in &pieces {
            forward.merge(piece);
        }
        assert_same(&whole, &forward);
        // An exact sketch into a bucketed one, and the other way round.
        let mut bucketed_first = sketch_of(&values[..450]);
        assert!(bucketed_first.bucketed);
        bucketed_first.merge(&pieces[3]);
        assert_same(&whole, &bucketed_first);
        let mut exact_first = pieces[3].clone();
        exact_first.merge(&sketch_of(&values[..450]));
        assert_same(&whole, &exact_first);
        // Two exact sketches whose union stays small stay exact.
        let mut small = sketch_of(&[3.0, 1.0, 3.0]);
        small.merge(&sketch_of(&[2.0, 3.0]));
        assert!(!small.bucketed);
        assert_eq!(small.count(), 5);
        assert_eq!(small.quantile(0.5), Some(3.0));
        assert_eq!(small.quantile(0.25), Some(2.0));
    }

    #[test]
    fn decreasing_values_grow_the_store_downwards() {
        let values: Vec<f64> = (0..5000).map(|k| 1e6 * 0.995_f64.powi(k)).collect();
        let sketch = sketch_of(&values);
        let sorted = sorted(&values);
        for q in QS {
            // Each value has a bucket of its own, so the result is exact.
            assert_eq!(sketch.quantile(q), Some(exact_quantile(&sorted, q)), "q{q}");
        }
    }

    #[test]
    fn a_huge_range_collapses_only_the_smallest_values() {
        // Magnitudes from 1e-8 to 1e300 need about 360,000 buckets.
        let values: Vec<f64> = (0..=3080)
            .map(|k| 10f64.powf(-8.0 + 0.1 * k as f64))
            .collect();
        let mut shuffled = values.clone();
        shuffled.reverse();
        shuffled.rotate_left(1000);
        let sketch = sketch_of(&values);
        let other_order = sketch_of(&shuffled);
        assert!(sketch.positive.buckets.len() <= MAX_BUCKETS);
        assert!(other_order.positive.buckets.len() <= MAX_BUCKETS);
        assert_same(&sketch, &other_order);
        // Merging the two halves of a collapsed range gives the same.
        let mut merged = sketch_of(&values[..1500]);
        merged.merge(&sketch_of(&values[1500..]));
        assert_same(&sketch, &merged);
        let sorted = sorted(&values);
        // The largest values (the top factor of 1e57, here above 1e243) keep
        // full accuracy, and are exact here since each has a bucket of its own.
        for q in [0.9, 0.95, 0.99, 1.0] {
            assert_eq!(sketch.quantile(q), Some(exact_quantile(&sorted, q)), "q{q}");
        }
        // The smallest are lumped together but stay inside their true range.
        let low = sketch.quantile(0.01).expect("not empty");
        assert!((1e-8..=1e300).contains(&low));
        assert_eq!(sketch.min(), Some(sorted[0]));
        assert_eq!(sketch.count(), values.len() as u64);
    }
}
