//! Which of one poster's claims cannot hold together: each claim is the set
//! of parameter draws in which it holds (a bit set over draws), and a set of
//! claims is *consistent* when some draw keeps them all (their sets meet).
//!
//! - [`smallest_conflict`]: a smallest set of claims that no draw keeps.
//!   Exhaustive (every subset, smallest sizes first) up to
//!   [`EXHAUSTIVE_CLAIMS`] claims; beyond, a greedy deletion: start from all
//!   the claims and drop each in turn when the rest still conflict. The
//!   greedy answer is *minimal* (dropping any one of its claims makes the
//!   rest consistent) but not always *smallest*.
//! - [`largest_consistent`]: a largest set of claims that some draw keeps,
//!   the poster's world when all their claims conflict. Exhaustive up to
//!   [`EXHAUSTIVE_CLAIMS`] claims (largest sizes first); beyond, greedy
//!   addition: each step adds the claim that keeps the most draws, until
//!   none keeps any (a consistent set no claim can join, not always a
//!   largest one).
//!
//! Within one size, subsets are tried in increasing order of their bit mask
//! (claim 0 is bit 0), so the answer prefers the poster's earlier claims and
//! is the same on every machine. Pure functions.

/// Up to this many claims, both searches try every subset (2^12 = 4096).
pub const EXHAUSTIVE_CLAIMS: usize = 12;

/// The draws in which one claim holds: bit `d` of the words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DrawSet {
    words: Vec<u64>,
    len: usize,
}

impl DrawSet {
    /// The set of positions `i` where `holds[i]`.
    pub fn from_bools(holds: &[bool]) -> DrawSet {
        let mut words = vec![0u64; holds.len().div_ceil(64)];
        for (i, _) in holds.iter().enumerate().filter(|(_, h)| **h) {
            words[i / 64] |= 1 << (i % 64);
        }
        DrawSet {
            words,
            len: holds.len(),
        }
    }

    /// Every draw of `len`.
    pub fn all(len: usize) -> DrawSet {
        DrawSet::from_bools(&vec![true; len])
    }

    /// The draws in both sets.
    pub fn and(&self, other: &DrawSet) -> DrawSet {
        DrawSet {
            words: (self.words.iter().zip(&other.words))
                .map(|(a, b)| a & b)
                .collect(),
            len: self.len.min(other.len),
        }
    }

    /// How many draws the set holds.
    pub fn count(&self) -> u64 {
        self.words.iter().map(|w| u64::from(w.count_ones())).sum()
    }

    /// Whether draw `i` is in the set.
    pub fn contains(&self, i: usize) -> bool {
        i < self.len && self.words[i / 64] & (1 << (i % 64)) != 0
    }
}

/// The draws that keep every claim of `chosen` (indices into `sets`); all
/// `len` draws for none.
pub fn kept(sets: &[DrawSet], chosen: &[usize], len: usize) -> DrawSet {
    chosen
        .iter()
        .fold(DrawSet::all(len), |acc, &i| acc.and(&sets[i]))
}

/// Whether some draw keeps every claim of `mask` (bit i: claim i), without
/// building the intersection.
fn consistent(sets: &[DrawSet], mask: u64, words: usize) -> bool {
    let chosen: Vec<&DrawSet> = (sets.iter().enumerate())
        .filter(|(i, _)| mask & (1 << i) != 0)
        .map(|(_, s)| s)
        .collect();
    if chosen.is_empty() {
        return words > 0;
    }
    (0..words).any(|w| chosen.iter().fold(u64::MAX, |acc, s| acc & s.words[w]) != 0)
}

/// The subsets of `n` claims of size `k`, as bit masks in increasing order
/// (Gosper's hack).
fn masks_of_size(n: usize, k: usize) -> Vec<u64> {
    if k == 0 {
        return vec![0];
    }
    if k > n {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut mask: u64 = (1 << k) - 1;
    let limit: u64 = 1 << n;
    while mask < limit {
        out.push(mask);
        let c = mask & mask.wrapping_neg();
        let r = mask + c;
        mask = (((r ^ mask) >> 2) / c) | r;
    }
    out
}

/// The claim indices of a mask, in order.
fn indices(mask: u64, n: usize) -> Vec<usize> {
    (0..n).filter(|i| mask & (1 << i) != 0).collect()
}

/// A conflict: the claims (indices) and whether the search was exhaustive.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    /// Indices into the claims searched, increasing.
    pub claims: Vec<usize>,
    /// Whether every subset was tried (the answer is then a smallest one).
    pub exhaustive: bool,
}

/// A smallest set of claims that no draw keeps together, or `None` when
/// some draw keeps them all. `len` is the number of draws.
pub fn smallest_conflict(sets: &[DrawSet], len: usize) -> Option<Found> {
    let n = sets.len();
    let words = len.div_ceil(64);
    if n == 0 || kept(sets, &(0..n).collect::<Vec<_>>(), len).count() > 0 {
        return None;
    }
    if n <= EXHAUSTIVE_CLAIMS {
        for k in 1..=n {
            if let Some(mask) = masks_of_size(n, k)
                .into_iter()
                .find(|&m| !consistent(sets, m, words))
            {
                return Some(Found {
                    claims: indices(mask, n),
                    exhaustive: true,
                });
            }
        }
        return None;
    }
    // A claim that holds in no draw is a smallest conflict on its own.
    if let Some(i) = (0..n).find(|&i| sets[i].count() == 0) {
        return Some(Found {
            claims: vec![i],
            exhaustive: true,
        });
    }
    // Greedy deletion: keep a claim only when the others no longer
    // conflict without it.
    let mut chosen: Vec<usize> = (0..n).collect();
    for i in 0..n {
        let without: Vec<usize> = chosen.iter().copied().filter(|&j| j != i).collect();
        if kept(sets, &without, len).count() == 0 {
            chosen = without;
        }
    }
    Some(Found {
        claims: chosen,
        exhaustive: false,
    })
}

/// A largest set of claims that some draw keeps together (indices,
/// increasing), and whether the search was exhaustive. Empty when no claim
/// holds in any draw (or there are no draws).
pub fn largest_consistent(sets: &[DrawSet], len: usize) -> Found {
    let n = sets.len();
    let words = len.div_ceil(64);
    if n <= EXHAUSTIVE_CLAIMS {
        for k in (1..=n).rev() {
            if let Some(mask) = masks_of_size(n, k)
                .into_iter()
                .find(|&m| consistent(sets, m, words))
            {
                return Found {
                    claims: indices(mask, n),
                    exhaustive: true,
                };
            }
        }
        return Found {
            claims: Vec::new(),
            exhaustive: true,
        };
    }
    // Greedy addition: each step adds the claim that keeps the most draws
    // (the earliest among equals), until none keeps any.
    let mut chosen: Vec<usize> = Vec::new();
    let mut draws = DrawSet::all(len);
    loop {
        let best = (0..n)
            .filter(|i| !chosen.contains(i))
            .map(|i| (i, draws.and(&sets[i])))
            .map(|(i, next)| (i, next.count(), next))
            .filter(|(_, count, _)| *count > 0)
            .fold(
                None::<(usize, u64, DrawSet)>,
                |best, candidate| match best {
                    Some(b) if b.1 >= candidate.1 => Some(b),
                    _ => Some(candidate),
                },
            );
        let Some((i, _, next)) = best else { break };
        chosen.push(i);
        draws = next;
    }
    chosen.sort_unstable();
    Found {
        claims: chosen,
        exhaustive: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(bits: &[u8]) -> DrawSet {
        DrawSet::from_bools(&bits.iter().map(|&b| b == 1).collect::<Vec<_>>())
    }

    #[test]
    fn masks_come_in_increasing_order_with_the_right_size() {
        assert_eq!(masks_of_size(4, 2), vec![3, 5, 6, 9, 10, 12]);
        assert_eq!(masks_of_size(3, 0), vec![0]);
        assert_eq!(masks_of_size(2, 3), Vec::<u64>::new());
        assert_eq!(masks_of_size(12, 6).len(), 924);
    }

    #[test]
    fn a_consistent_set_has_no_conflict() {
        let sets = [set(&[1, 1, 0]), set(&[0, 1, 1])];
        assert_eq!(smallest_conflict(&sets, 3), None);
        assert_eq!(largest_consistent(&sets, 3).claims, vec![0, 1]);
    }

    #[test]
    fn the_smallest_conflict_is_found_among_larger_ones() {
        // Claims 0, 1, 2 meet pairwise but not all three, and claim 3 holds
        // everywhere: {0, 1, 2} is the smallest conflict.
        let sets = [
            set(&[1, 1, 0, 0]),
            set(&[1, 0, 1, 0]),
            set(&[0, 1, 1, 0]),
            set(&[1, 1, 1, 1]),
        ];
        let found = smallest_conflict(&sets, 4).expect("a conflict");
        assert_eq!(found.claims, vec![0, 1, 2]);
        assert!(found.exhaustive);
        // A pair conflict beats the triple.
        let mut more = sets.to_vec();
        more.push(set(&[0, 0, 0, 1]));
        assert_eq!(
            smallest_conflict(&more, 4).map(|f| f.claims),
            Some(vec![0, 4])
        );
        // Largest consistent: {0, 1, 2} is out, {0, 1, 3} meets in draw 0.
        assert_eq!(largest_consistent(&sets, 4).claims, vec![0, 1, 3]);
    }

    #[test]
    fn beyond_the_exhaustive_limit_the_greedy_answer_is_minimal() {
        // 14 claims holding everywhere except: 5 and 9 never meet.
        let n = 14;
        let len = 70;
        let mut sets: Vec<DrawSet> = (0..n).map(|_| DrawSet::all(len)).collect();
        sets[5] = DrawSet::from_bools(&(0..len).map(|d| d < 35).collect::<Vec<_>>());
        sets[9] = DrawSet::from_bools(&(0..len).map(|d| d >= 35).collect::<Vec<_>>());
        let found = smallest_conflict(&sets, len).expect("a conflict");
        assert_eq!(found.claims, vec![5, 9]);
        assert!(!found.exhaustive);
        let world = largest_consistent(&sets, len);
        assert_eq!(world.claims.len(), n - 1);
        assert!(!world.claims.contains(&9));
    }

    #[test]
    fn a_claim_that_never_holds_conflicts_alone() {
        let sets = [set(&[1, 1]), set(&[0, 0])];
        assert_eq!(smallest_conflict(&sets, 2).map(|f| f.claims), Some(vec![1]));
        assert_eq!(largest_consistent(&sets, 2).claims, vec![0]);
    }
}
