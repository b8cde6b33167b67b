//! Rank correlations between parameters, as a Gaussian copula on their own
//! uniforms: each correlated uniform goes to its normal score
//! `z = Phi^-1(u)`, the scores are mixed by the Cholesky factor `L` of the
//! normal-score correlation matrix, and each goes back to a uniform
//! `Phi(z')`. A row of `L` has unit length, so every `z'` is standard normal
//! and every marginal is exactly its prior; the copula of two scores with
//! correlation `r` has Spearman's rho `(6 / pi) asin(r / 2)`, so a target
//! rank correlation `rho` asks for `r = 2 sin(pi rho / 6)`. The map works on
//! one draw's uniforms alone, so it is the same whatever the shard split.
//!
//! A target matrix that is not positive definite is refused, never repaired:
//! [`Copula::new`] names the smallest eigenvalue (by Jacobi's method).

/// Below this smallest eigenvalue a correlation matrix counts as not
/// positive definite: the factor of a nearly singular matrix would turn
/// rounding into correlation.
pub const MIN_EIGENVALUE: f64 = 1e-9;

/// The smallest uniform [`crate::open01`] gives: a score mapped back is kept
/// in `[MIN_U, 1 - MIN_U]`, so every quantile stays finite.
const MIN_U: f64 = 1.0 / (1u64 << 53) as f64;

/// A validated Gaussian copula over some of a draw's uniforms.
#[derive(Clone, Debug, PartialEq)]
pub struct Copula {
    /// The correlated uniforms' indices, ascending.
    members: Vec<usize>,
    /// The lower-triangular Cholesky factor of the normal-score matrix over
    /// `members`, row-major, `n x n`.
    factor: Vec<f64>,
}

/// Why a set of rank correlations is not a valid correlation matrix.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct NotPositiveDefinite {
    /// The smallest eigenvalue of the failing matrix.
    pub smallest_eigenvalue: f64,
    /// `false`: the rank correlations themselves; `true`: they are, but the
    /// normal-score matrix the copula needs (`2 sin(pi rho / 6)`) is not.
    pub normal_scores: bool,
}

/// The normal-score correlation whose Gaussian copula has Spearman's rho `rank`.
pub fn normal_correlation(rank: f64) -> f64 {
    2.0 * (std::f64::consts::PI * rank / 6.0).sin()
}

impl Copula {
    /// The copula of `pairs` (index a, index b, target Spearman rho in
    /// (-1, 1)); pairs not listed are independent. The indices must differ
    /// and no pair may repeat (the caller checks both).
    pub fn new(pairs: &[(usize, usize, f64)]) -> Result<Copula, NotPositiveDefinite> {
        let mut members: Vec<usize> = pairs.iter().flat_map(|&(a, b, _)| [a, b]).collect();
        members.sort_unstable();
        members.dedup();
        let n = members.len();
        let at = |index: usize| members.binary_search(&index).unwrap_or(0);
        let mut rank = identity(n);
        for &(a, b, rho) in pairs {
            let (i, j) = (at(a), at(b));
            rank[i * n + j] = rho;
            rank[j * n + i] = rho;
        }
        if cholesky(&rank, n).is_none() || smallest_eigenvalue(&rank, n) < MIN_EIGENVALUE {
            return Err(NotPositiveDefinite {
                smallest_eigenvalue: smallest_eigenvalue(&rank, n),
                normal_scores: false,
            });
        }
        let normal: Vec<f64> = (0..n * n)
            .map(|k| {
                if k / n == k % n {
                    1.0
                } else {
                    normal_correlation(rank[k])
                }
            })
            .collect();
        let smallest = smallest_eigenvalue(&normal, n);
        match cholesky(&normal, n) {
            Some(factor) if smallest >= MIN_EIGENVALUE => Ok(Copula { members, factor }),
            _ => Err(NotPositiveDefinite {
                smallest_eigenvalue: smallest,
                normal_scores: true,
            }),
        }
    }

    /// The indices of the correlated uniforms, ascending.
    pub fn members(&self) -> &[usize] {
        &self.members
    }

    /// Correlates `uniforms` in place: the members' entries go through the
    /// copula, every other entry is left untouched (bit for bit). An index
    /// past the end of `uniforms` is skipped.
    pub fn apply(&self, uniforms: &mut [f64]) {
        let n = self.members.len();
        let scores: Vec<f64> = (self.members.iter())
            .map(|&m| {
                uniforms
                    .get(m)
                    .map_or(0.0, |&u| crate::special::normal_quantile(u))
            })
            .collect();
        for (i, &m) in self.members.iter().enumerate() {
            let row = &self.factor[i * n..i * n + i + 1];
            let z: f64 = row.iter().zip(&scores).map(|(l, z)| l * z).sum();
            if let Some(u) = uniforms.get_mut(m) {
                *u = crate::special::normal_cdf(z).clamp(MIN_U, 1.0 - MIN_U);
            }
        }
    }
}

fn identity(n: usize) -> Vec<f64> {
    (0..n * n)
        .map(|k| if k / n == k % n { 1.0 } else { 0.0 })
        .collect()
}

/// The lower Cholesky factor of the symmetric `n x n` matrix `a`, or `None`
/// when a pivot is not positive.
fn cholesky(a: &[f64], n: usize) -> Option<Vec<f64>> {
    let mut l = vec![0.0; n * n];
    for i in 0..n {
        for j in 0..=i {
            let dot: f64 = (0..j).map(|k| l[i * n + k] * l[j * n + k]).sum();
            let value = a[i * n + j] - dot;
            if i == j {
                if value.is_nan() || value <= 0.0 {
                    return None;
                }
                l[i * n + i] = value.sqrt();
            } else {
                l[i * n + j] = value / l[j * n + j];
            }
        }
    }
    Some(l)
}

/// The smallest eigenvalue of the symmetric `n x n` matrix `a`, by cyclic
/// Jacobi rotations (robust, and plenty fast for the few dozen params a
/// model correlates). 1 for an empty matrix.
pub fn smallest_eigenvalue(a: &[f64], n: usize) -> f64 {
    let mut m = a.to_vec();
    for _sweep in 0..100 {
        let off: f64 = (0..n * n)
            .filter(|k| k / n != k % n)
            .map(|k| m[k] * m[k])
            .sum();
        if off < 1e-30 {
            break;
        }
        for p in 0..n {
            for q in p + 1..n {
                let apq = m[p * n + q];
                if apq.abs() < 1e-300 {
                    continue;
                }
                let theta = (m[q * n + q] - m[p * n + p]) / (2.0 * apq);
                let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
                let t = if theta == 0.0 { 1.0 } else { t };
                let c = 1.0 / (t * t + 1.0).sqrt();
                let s = t * c;
                for k in 0..n {
                    let (mkp, mkq) = (m[k * n + p], m[k * n + q]);
                    m[k * n + p] = c * mkp - s * mkq;
                    m[k * n + q] = s * mkp + c * mkq;
                }
                for k in 0..n {
                    let (mpk, mqk) = (m[p * n + k], m[q * n + k]);
                    m[p * n + k] = c * mpk - s * mqk;
                    m[q * n + k] = s * mpk + c * mqk;
                }
            }
        }
    }
    (0..n).map(|i| m[i * n + i]).fold(1.0, f64::min)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eigenvalues_of_known_matrices() {
        // [[1, r], [r, 1]] has eigenvalues 1 - r and 1 + r.
        let two = [1.0, 0.6, 0.6, 1.0];
        assert!((smallest_eigenvalue(&two, 2) - 0.4).abs() < 1e-12);
        // Three params pairwise at -0.6: eigenvalues 1 + 2r = -0.2 and 1 - r.
        let r = -0.6;
        let three = [1.0, r, r, r, 1.0, r, r, r, 1.0];
        assert!((smallest_eigenvalue(&three, 3) - (1.0 + 2.0 * r)).abs() < 1e-12);
        assert_eq!(smallest_eigenvalue(&[], 0), 1.0);
    }

    #[test]
    fn an_inconsistent_matrix_is_refused_with_its_eigenvalue() {
        let pairs = [(0, 1, -0.6), (0, 2, -0.6), (1, 2, -0.6)];
        let error = Copula::new(&pairs).expect_err("not positive definite");
        assert!(!error.normal_scores);
        assert!((error.smallest_eigenvalue + 0.2).abs() < 1e-12);
        // Strongly tied to one param but not to each other: also impossible.
        let pairs = [(0, 1, 0.9), (0, 2, 0.9), (1, 2, 0.0)];
        assert!(Copula::new(&pairs).is_err());
        assert!(Copula::new(&[(0, 1, 0.9), (0, 2, 0.9), (1, 2, 0.8)]).is_ok());
    }

    #[test]
    fn the_normal_correlation_inverts_the_copulas_spearman() {
        for rho in [-0.95, -0.5, 0.0, 0.3, 0.8] {
            let r = normal_correlation(rho);
            let back = 6.0 / std::f64::consts::PI * (r / 2.0).asin();
            assert!((back - rho).abs() < 1e-12, "{rho}");
        }
        assert_eq!(normal_correlation(0.0), 0.0);
    }

    #[test]
    fn apply_leaves_non_members_untouched_and_keeps_the_first_member() {
        let copula = Copula::new(&[(1, 3, 0.7)]).expect("valid");
        assert_eq!(copula.members(), &[1, 3]);
        let mut u = [0.123, 0.9, 0.456, 0.2, 0.789];
        copula.apply(&mut u);
        assert_eq!((u[0], u[2], u[4]), (0.123, 0.456, 0.789));
        // The first member's row of L is (1, 0): its uniform survives the round trip.
        assert!((u[1] - 0.9).abs() < 1e-14);
        // The second moved toward the first (z = 0.7 * z1 + 0.71 * z3).
        assert!(u[3] > 0.2);
        // Extremes stay inside (0, 1).
        let mut extreme = [1.0 - MIN_U, 1.0 - MIN_U];
        Copula::new(&[(0, 1, 0.99)])
            .expect("valid")
            .apply(&mut extreme);
        assert!(extreme.iter().all(|&u| u > 0.0 && u < 1.0));
    }
}
