//! Boolean nodes as 64-trial bit masks: bit `i` of a node's mask is its
//! value in trial `i` of the batch. A boolean node draws all its trials at
//! once by comparing bit planes (see [`draw`]), with random words from a
//! counter of (seed, draw, chunk, batch, node, plane), so that every
//! scenario sees the same uniform for the same node and trial however many
//! planes it reads, and nothing depends on the order batches run in.
//! Expressions over boolean and categorical parents become masks of their
//! parents' configurations (see [`Configs`]), so a conditional probability
//! table costs word operations, not a lookup per trial.

use crate::batch::BATCH;
pub(crate) use crate::batch::MAX_CONFIGS;
use crate::streams::mix64;

/// The planes of a uniform: lane `i`'s 53-bit integer `k_i` (its uniform is
/// `open01(k_i << 11)`) has bit `52 - j` equal to bit `i` of plane word `j`.
const PLANES: u32 = 53;

/// An odd constant (the golden ratio's), stepping the plane counter.
const GAMMA: u64 = 0x9e37_79b9_7f4a_7c15;

/// The random words of one batch: its key (from the unit's key and the
/// batch's place in the unit) and the lane of the batch that is lane 0 here
/// (0, but a trial replayed alone reads its own lane of the batch).
#[derive(Clone, Copy, Debug)]
pub(crate) struct BatchWords {
    key: u64,
    shift: u32,
}

impl BatchWords {
    /// The words of batch `batch` of the unit with key `unit_key`.
    pub(crate) fn new(unit_key: u64, batch: u64) -> BatchWords {
        BatchWords {
            key: mix64(unit_key ^ batch.wrapping_add(1).wrapping_mul(GAMMA)),
            shift: 0,
        }
    }

    /// The same words, read from lane `lane` on (to replay one trial).
    pub(crate) fn at_lane(self, lane: usize) -> BatchWords {
        BatchWords {
            shift: lane as u32 % BATCH as u32,
            ..self
        }
    }

    /// The key of node `node`'s planes in this batch.
    #[inline]
    fn node_key(self, node: usize) -> u64 {
        mix64(
            self.key
                ^ (node as u64)
                    .wrapping_add(1)
                    .wrapping_mul(0xd1b5_4a32_d192_ed03),
        )
    }

    /// Plane `j` of the node with key `node_key` (SplitMix64's output
    /// sequence from that key), shifted to this batch's lanes.
    #[inline]
    fn plane(self, node_key: u64, j: u32) -> u64 {
        mix64(node_key.wrapping_add(u64::from(j + 1).wrapping_mul(GAMMA))) >> self.shift
    }
}

/// The mask of lanes `0..n`.
#[inline]
pub(crate) fn lanes(n: usize) -> u64 {
    if n >= 64 { !0 } else { (1u64 << n) - 1 }
}

/// Draws node `node`'s Bernoullis for lanes `0..n`: bit `i` is set when
/// lane `i`'s uniform is below its probability, whose threshold (see
/// [`threshold`](crate::probability::threshold), at most `2^53`) has bit
/// `b` in bit `i` of `plane(b, open)` (which need be right only on the lanes
/// of `open`, those not yet decided). The comparison is decided at the first
/// plane, from the top, where the uniform and the threshold differ: each
/// plane settles about half of the open lanes, so a batch needs about 8
/// random words, not 64. Exact: lane `i` is set exactly when `k_i <
/// threshold_i`, as the per-trial comparison of a word with a threshold.
#[inline]
pub(crate) fn draw(
    words: BatchWords,
    node: usize,
    n: usize,
    mut plane: impl FnMut(u32, u64) -> u64,
) -> u64 {
    let mut open = lanes(n);
    // Bit 53 of a threshold is set only for 2^53 (every uniform is below);
    // the uniform's bit 53 is 0.
    let top = plane(PLANES, open);
    let mut less = open & top;
    open &= !top;
    if open == 0 {
        return less;
    }
    let key = words.node_key(node);
    for j in 0..PLANES {
        let bits = plane(PLANES - 1 - j, open);
        let r = words.plane(key, j);
        less |= open & !r & bits;
        open &= !(r ^ bits);
        if open == 0 {
            break;
        }
    }
    less
}

/// Bit `b` of a constant threshold, as a plane.
#[inline]
pub(crate) fn constant_plane(threshold: u64, b: u32) -> u64 {
    0u64.wrapping_sub((threshold >> b) & 1)
}

/// Bit `b` of the threshold of each lane of `open` (among `limits`), as a
/// plane: only the open lanes are read, about half as many each plane.
#[inline]
pub(crate) fn lane_plane(limits: &[u64], b: u32, open: u64) -> u64 {
    let mut rest = open & lanes(limits.len());
    let mut plane = 0;
    while rest != 0 {
        let i = rest.trailing_zeros() as usize;
        if let Some(limit) = limits.get(i) {
            plane |= ((limit >> b) & 1) << i;
        }
        rest &= rest - 1;
    }
    plane
}

/// Bit `b` of the thresholds of configurations whose lanes are `masks`.
#[inline]
pub(crate) fn config_plane(masks: &[u64], limits: &[u64], b: u32) -> u64 {
    masks.iter().zip(limits).fold(0, |plane, (&m, &limit)| {
        plane | (m & 0u64.wrapping_sub((limit >> b) & 1))
    })
}

/// The configurations of some discrete parents, as masks, gathered in
/// groups: configuration `c`'s lanes are the AND of `k` parent masks, each
/// taken as is or complemented (a boolean false, say), and a group's lanes
/// are the OR of its configurations' (those with the same threshold, or
/// the same truth). `terms[c * k..][..k]` are configuration `c`'s `(mask,
/// complement)` pairs, in the order of the positions of the table that the
/// configurations stand for; `group[c]` is its group.
///
/// The configurations of a complete table partition the lanes of a batch
/// (each lane has one value of each parent), so one group's lanes are
/// those of no other: `derived`, when set, is such a group, whose
/// configurations are left out (see [`Configs::derive_largest`]).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Configs {
    pub(crate) terms: Vec<(u32, bool)>,
    pub(crate) k: usize,
    pub(crate) group: Vec<u32>,
    pub(crate) groups: usize,
    pub(crate) derived: Option<u32>,
}

impl Configs {
    /// The number of configurations.
    pub(crate) fn len(&self) -> usize {
        self.group.len()
    }

    /// The number of configurations whose group satisfies `test`.
    pub(crate) fn count(&self, test: impl Fn(usize) -> bool) -> usize {
        self.group.iter().filter(|&&g| test(g as usize)).count()
    }

    /// The configurations whose group satisfies `keep`, all in one group.
    pub(crate) fn only(&self, keep: impl Fn(usize) -> bool) -> Configs {
        let kept = |&(_, &g): &(&[(u32, bool)], &u32)| keep(g as usize);
        let (mut terms, mut group) = (Vec::new(), Vec::new());
        if self.k == 0 {
            // No parents: one configuration, with no terms.
            group.extend(self.group.iter().filter(|&&g| keep(g as usize)).map(|_| 0));
        } else {
            for (config, _) in self
                .terms
                .chunks_exact(self.k)
                .zip(&self.group)
                .filter(kept)
            {
                terms.extend_from_slice(config);
                group.push(0);
            }
        }
        Configs {
            terms,
            k: self.k,
            group,
            groups: 1,
            derived: None,
        }
    }

    /// The same lanes with the group of the most configurations derived
    /// from the others (its lanes are those of no other group), so its
    /// configurations are not ANDed. Only for the configurations of a
    /// complete table, whose lanes they partition; lanes past the end of a
    /// partial batch may then be set in the derived group.
    pub(crate) fn derive_largest(self) -> Configs {
        if self.k == 0 || self.groups < 2 || self.derived.is_some() {
            return self;
        }
        // At most MAX_CONFIGS groups: counted on the stack.
        let mut sizes = [0usize; MAX_CONFIGS];
        for &g in &self.group {
            if let Some(size) = sizes.get_mut(g as usize) {
                *size += 1;
            }
        }
        // The first of the largest groups.
        let largest = (0..self.groups.min(MAX_CONFIGS))
            .rev()
            .max_by_key(|&g| sizes[g])
            .unwrap_or(0) as u32;
        let mut kept = self;
        let k = kept.k;
        let mut c = 0;
        // In place: each configuration kept moves down to the next free place.
        for i in 0..kept.group.len() {
            if kept.group[i] != largest {
                kept.group[c] = kept.group[i];
                kept.terms.copy_within(i * k..(i + 1) * k, c * k);
                c += 1;
            }
        }
        kept.group.truncate(c);
        kept.terms.truncate(c * k);
        kept.derived = Some(largest);
        kept
    }

    /// Writes each group's lanes to `out` (of [`Configs::groups`] entries).
    #[inline]
    pub(crate) fn masks(&self, masks: &[u64], out: &mut [u64]) {
        out.fill(0);
        if self.k == 0 {
            if let Some(&g) = self.group.first() {
                out[g as usize] = !0;
            }
            return;
        }
        // Tables over one to five parents are the common case: a fixed
        // count lets the compiler unroll the AND of the terms.
        match self.k {
            1 => self.or_ands::<1>(masks, out),
            2 => self.or_ands::<2>(masks, out),
            3 => self.or_ands::<3>(masks, out),
            4 => self.or_ands::<4>(masks, out),
            5 => self.or_ands::<5>(masks, out),
            k => {
                for (terms, &g) in self.terms.chunks_exact(k).zip(&self.group) {
                    out[g as usize] |= and(terms, masks);
                }
            }
        }
        if let Some(g) = self.derived {
            // Its own lanes are still 0 here.
            out[g as usize] = !out.iter().fold(0, |lanes, &m| lanes | m);
        }
    }

    /// [`Configs::masks`] for `K` parents.
    #[inline(always)]
    fn or_ands<const K: usize>(&self, masks: &[u64], out: &mut [u64]) {
        let (configs, _) = self.terms.as_chunks::<K>();
        for (terms, &g) in configs.iter().zip(&self.group) {
            out[g as usize] |= and(terms, masks);
        }
    }
}

/// The AND of a configuration's terms: each a mask or its complement.
#[inline(always)]
fn and(terms: &[(u32, bool)], masks: &[u64]) -> u64 {
    terms.iter().fold(!0, |m, &(id, complement)| {
        // The complement is the XOR with all ones.
        m & (masks[id as usize] ^ 0u64.wrapping_sub(u64::from(complement)))
    })
}

/// Writes mask `mask`'s lanes `0..out.len()` as `0.0`/`1.0` (the column a
/// boolean node's per-trial readers see).
#[inline]
pub(crate) fn expand(mask: u64, out: &mut [f64]) {
    // Four lanes at a time from a table of the 16 nibbles: a load and a
    // store of four values instead of a shift, a mask and arithmetic per
    // lane.
    let mut quads = out.chunks_exact_mut(4);
    for (j, quad) in (&mut quads).enumerate() {
        quad.copy_from_slice(&NIBBLES[((mask >> (4 * j)) & 15) as usize]);
    }
    let done = out.len() & !3;
    for (i, out) in out.iter_mut().enumerate().skip(done) {
        let bit = (mask >> i) & 1;
        // 2^62 - 2^52 is the bit pattern of 1.0.
        *out = f64::from_bits((bit << 62) - (bit << 52));
    }
}

/// Nibble `m` as four lanes of `0.0`/`1.0`, lane `i` from bit `i`.
const NIBBLES: [[f64; 4]; 16] = {
    let mut table = [[0.0; 4]; 16];
    let mut m = 0;
    while m < 16 {
        let mut i = 0;
        while i < 4 {
            table[m][i] = ((m >> i) & 1) as f64;
            i += 1;
        }
        m += 1;
    }
    table
};

/// The mask of the lanes `0..column.len()` where `column` equals `value`.
#[inline]
pub(crate) fn pack(column: &[f64], value: impl Fn(f64) -> bool) -> u64 {
    column
        .iter()
        .enumerate()
        .fold(0, |mask, (i, &x)| mask | (u64::from(value(x)) << i))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::probability::threshold;
    use rand::{Rng, SeedableRng};
    use rand_xoshiro::SplitMix64;
    use uchronia_distributions::open01;

    /// Lane `i`'s 53-bit integer, rebuilt from all 53 planes.
    fn uniform_integer(words: BatchWords, node: usize, lane: usize) -> u64 {
        let key = words.node_key(node);
        (0..PLANES).fold(0, |k, j| (k << 1) | ((words.plane(key, j) >> lane) & 1))
    }

    #[test]
    fn planes_decide_exactly_as_uniforms_do() {
        let mut rng = SplitMix64::seed_from_u64(16);
        for batch in 0..400 {
            let words = BatchWords::new(rng.next_u64(), batch);
            let node = (batch % 7) as usize;
            let mut limits = [0u64; BATCH];
            for (i, limit) in limits.iter_mut().enumerate() {
                *limit = match i % 8 {
                    0 => 0,
                    1 => 1 << 53,
                    2 => uniform_integer(words, node, i),
                    3 => uniform_integer(words, node, i) + 1,
                    _ => threshold(open01(rng.next_u64())),
                };
            }
            let n = if batch % 5 == 0 { 37 } else { BATCH };
            let mask = draw(words, node, n, |b, open| lane_plane(&limits, b, open));
            for (i, &limit) in limits.iter().enumerate() {
                let k = uniform_integer(words, node, i);
                let expected = i < n && k < limit;
                assert_eq!((mask >> i) & 1 == 1, expected, "lane {i}, k {k}, {limit}");
                // The uniform of that integer agrees with the probability.
                let u = open01(k << 11);
                assert!(u > 0.0 && u < 1.0);
            }
            // One lane alone, as a replay reads it, gives the same bit.
            let full = draw(words, node, BATCH, |b, open| lane_plane(&limits, b, open));
            assert_eq!(full & lanes(n), mask);
            for lane in [0, 5, 63] {
                let alone = draw(words.at_lane(lane), node, 1, |b, open| {
                    lane_plane(&limits[lane..lane + 1], b, open)
                });
                assert_eq!(alone, (full >> lane) & 1);
            }
            // A constant threshold: the lanes of the per-lane path.
            let t = limits[4];
            let fixed = draw(words, node, BATCH, |b, _| constant_plane(t, b));
            let per_lane = draw(words, node, BATCH, |b, open| {
                lane_plane(&[t; BATCH], b, open)
            });
            assert_eq!(fixed, per_lane);
        }
    }

    #[test]
    fn frequencies_match_the_probability() {
        // 2,000 batches of 64 trials at p = 0.3: the count is binomial
        // (sd about 73); 5 sd either side.
        let p = 0.3;
        let t = threshold(p);
        let mut hits = 0u64;
        for batch in 0..2000 {
            let words = BatchWords::new(42, batch);
            hits += u64::from(draw(words, 3, BATCH, |b, _| constant_plane(t, b)).count_ones());
        }
        let n = 2000.0 * 64.0;
        let sd = (n * p * (1.0 - p)).sqrt();
        assert!((hits as f64 - n * p).abs() < 5.0 * sd, "{hits}");
    }

    #[test]
    fn configurations_are_ands_of_parents() {
        let terms = vec![
            (0, true),
            (1, true),
            (0, false),
            (1, true),
            (0, true),
            (1, false),
            (0, false),
            (1, false),
        ];
        let mut configs = Configs {
            terms,
            k: 2,
            group: vec![0, 1, 2, 3],
            groups: 4,
            derived: None,
        };
        let masks = [0b1010, 0b1100];
        let mut out = [0u64; 4];
        configs.masks(&masks, &mut out);
        assert_eq!(out.map(|m| m & 0b1111), [0b0001, 0b0010, 0b0100, 0b1000]);
        // Groups are the ORs of their configurations.
        configs.group = vec![1, 0, 0, 1];
        configs.groups = 2;
        configs.masks(&masks, &mut out[..2]);
        assert_eq!(
            out[..2].iter().map(|m| m & 0b1111).collect::<Vec<_>>(),
            [0b0110, 0b1001]
        );
        // A group derived from the others: the same lanes.
        for largest in [false, true] {
            let derived = if largest {
                configs.clone().derive_largest()
            } else {
                configs.clone()
            };
            assert_eq!(derived.derived.is_some(), largest);
            derived.masks(&masks, &mut out[..2]);
            assert_eq!(out[0] & 0b1111, 0b0110);
            assert_eq!(out[1] & 0b1111, 0b1001);
        }
        // The configurations of some groups only, in one group.
        for (keep, lanes) in [(1, 0b1001), (0, 0b0110)] {
            let only = configs.only(|g| g == keep);
            assert_eq!((only.len(), only.count(|g| g == 0)), (2, 2));
            only.masks(&masks, &mut out[..1]);
            assert_eq!(out[0] & 0b1111, lanes);
        }
        let mut column = [0.0; 4];
        expand(0b0110, &mut column);
        assert_eq!(column, [0.0, 1.0, 1.0, 0.0]);
        assert_eq!(pack(&column, |x| x != 0.0), 0b0110);
        // Every lane of a full batch, and a partial one.
        let mut rng = SplitMix64::seed_from_u64(64);
        for n in [64, 63, 37, 9, 1] {
            let mask = rng.next_u64() & lanes(n);
            let mut column = [0.0; BATCH];
            expand(mask, &mut column[..n]);
            assert_eq!(pack(&column[..n], |x| x == 1.0), mask);
            let limits: Vec<u64> = (0..n).map(|i| ((mask >> i) & 1) << 7).collect();
            assert_eq!(lane_plane(&limits, 7, !0), mask);
        }
    }
}
