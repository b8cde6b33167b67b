//! The uniforms of one parameter draw, one per param, each a function of
//! (seed, draw) alone (and of D under `--design lhs`), so that any shard or
//! thread computes the same draw without the others.
//!
//! - `random`: param `j` takes the `j`-th word of the draw's stream.
//! - `lhs` (Latin hypercube): param `j`'s D draws fall one in each of D
//!   equal-probability strata: draw `i` takes stratum `pi_j(i)`, where
//!   `pi_j` is a keyed permutation of `0..D` (a Feistel network on the
//!   next even power of two, cycle-walked into `0..D`) whose key comes from
//!   (seed, j, D), and the same word as under `random` places it within
//!   the stratum. Any draw's stratum is computed on its own.
//! - With `[[correlations]]`, the correlated params' uniforms then go
//!   through the model's Gaussian copula (`uchronia_distributions::Copula`);
//!   every other uniform is left as it was, bit for bit.

use rand::Rng;
use uchronia_distributions::{Copula, open01};
use uchronia_model::Model;

use crate::streams::{lhs_key, mix64, params_stream};
use crate::{Design, RunConfig, RunError};

/// How a run's parameter draws make their uniforms.
pub(crate) struct DrawDesign {
    seed: u64,
    design: Design,
    /// D, the size of the strata under `lhs`.
    draws: u64,
    /// Per param, the key of its LHS permutation.
    keys: Vec<u64>,
    copula: Option<Copula>,
}

impl DrawDesign {
    /// The design of `config`'s run of `model`.
    pub(crate) fn new(model: &Model, config: &RunConfig) -> Result<DrawDesign, RunError> {
        let pairs: Vec<(usize, usize, f64)> = (model.correlations.iter())
            .map(|c| (c.params[0], c.params[1], c.rank))
            .collect();
        let copula = if pairs.is_empty() {
            None
        } else {
            let copula = Copula::new(&pairs).map_err(|e| {
                RunError::Config(format!(
                    "the model's correlations are not positive definite (smallest eigenvalue {})",
                    e.smallest_eigenvalue
                ))
            })?;
            Some(copula)
        };
        let keys = (0..model.params.len() as u64)
            .map(|param| lhs_key(config.seed, param, config.draws))
            .collect();
        Ok(DrawDesign {
            seed: config.seed,
            design: config.design,
            draws: config.draws,
            keys,
            copula,
        })
    }

    /// The uniforms of draw `draw` (in 0..D), one per param, in (0, 1).
    pub(crate) fn uniforms(&self, draw: u64) -> Vec<f64> {
        let mut stream = params_stream(self.seed, draw);
        let mut uniforms: Vec<f64> = (self.keys.iter())
            .map(|_| open01(stream.next_u64()))
            .collect();
        if self.design == Design::Lhs {
            for (u, &key) in uniforms.iter_mut().zip(&self.keys) {
                *u = stratified(permute(draw, self.draws, key), self.draws, *u);
            }
        }
        if let Some(copula) = &self.copula {
            copula.apply(&mut uniforms);
        }
        uniforms
    }
}

/// The uniform at relative place `v` in (0, 1) within stratum `stratum` of
/// `n`: in `[stratum / n, (stratum + 1) / n)` exactly, and in (0, 1).
pub(crate) fn stratified(stratum: u64, n: u64, v: f64) -> f64 {
    let n_f = n as f64;
    let u = (stratum as f64 + v) / n_f;
    // Rounding may carry `u` onto the next stratum's edge.
    let top = (stratum + 1) as f64 / n_f;
    if u >= top { top.next_down() } else { u }
}

/// Rounds of the Feistel network: more than the four a pseudorandom
/// permutation needs (Luby and Rackoff), since the round function is cheap.
const ROUNDS: u64 = 6;

/// The image of `index` under the permutation of `0..n` keyed by `key`: a
/// balanced Feistel network on `2^(2h) >= n` values, applied again while the
/// result falls outside `0..n` (cycle walking keeps it a bijection of
/// `0..n`; at most four times the work on average). `index` must be below `n`.
pub(crate) fn permute(index: u64, n: u64, key: u64) -> u64 {
    let bits = 64 - n.saturating_sub(1).leading_zeros();
    let half = bits.div_ceil(2).max(1);
    let mask = (1u64 << half) - 1;
    let mut x = index;
    loop {
        let (mut left, mut right) = (x >> half, x & mask);
        for round in 0..ROUNDS {
            let f = mix64(key ^ right ^ round.wrapping_mul(0x9e37_79b9_7f4a_7c15)) & mask;
            (left, right) = (right, left ^ f);
        }
        x = (left << half) | right;
        if x < n {
            return x;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permute_is_a_bijection_of_every_size() {
        for n in [1u64, 2, 3, 5, 16, 17, 100, 1000, 4097] {
            for key in [0, 1, 0xdead_beef] {
                let mut seen = vec![false; n as usize];
                for i in 0..n {
                    let j = permute(i, n, key);
                    assert!(j < n && !seen[j as usize], "n {n} key {key}: {i} -> {j}");
                    seen[j as usize] = true;
                }
            }
        }
    }

    #[test]
    fn permute_depends_on_its_key() {
        let a: Vec<u64> = (0..50).map(|i| permute(i, 50, 1)).collect();
        let b: Vec<u64> = (0..50).map(|i| permute(i, 50, 2)).collect();
        assert_ne!(a, b);
        // Not the identity either.
        assert!(
            a.iter()
                .enumerate()
                .filter(|&(i, &j)| i as u64 == j)
                .count()
                < 10
        );
    }

    #[test]
    fn stratified_stays_inside_its_stratum_at_the_edges() {
        let top = 1.0 - 1.0 / (1u64 << 53) as f64;
        for n in [1u64, 2, 3, 7, 1000, 99_999_989] {
            for stratum in [0, n / 2, n - 1] {
                for v in [1.0 / (1u64 << 53) as f64, 0.5, top] {
                    let u = stratified(stratum, n, v);
                    assert!(u >= stratum as f64 / n as f64, "n {n} s {stratum} v {v}");
                    assert!(u < (stratum + 1) as f64 / n as f64 || (stratum + 1 == n && u < 1.0));
                    assert!(u > 0.0 && u < 1.0);
                }
            }
        }
    }
}
