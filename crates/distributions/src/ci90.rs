//! The beta distribution with given 5% and 95% quantiles.
//!
//! Solved by damped Newton iteration on (ln a, ln b), so both shapes stay
//! positive, with a central-difference Jacobian. The residuals are normal
//! scores, z(I_lo(a, b)) - z(0.05) and z(I_hi(a, b)) - z(0.95): unlike raw
//! probabilities they do not flatten out when a poor guess puts an interval
//! end far in a tail, so the Jacobian stays well conditioned. The start is a
//! method-of-moments guess that reads the interval as mean +- 1.645 sd. The
//! caller checks the answer's quantiles, so a failed solve cannot go unseen.

use crate::special::{beta_cdf_pair, normal_quantile, normal_score};

/// Largest change of ln a or ln b in one Newton step (a factor of about 20).
const MAX_LOG_STEP: f64 = 3.0;

/// Shapes beyond these bounds are refused: they would be a point mass in all
/// but name, and the incomplete beta loses precision there.
const LN_SHAPE_BOUNDS: (f64, f64) = (-23.0, 23.0);

/// The residuals of (ln a, ln b) for the interval [lo, hi].
fn residuals(theta: [f64; 2], lo: f64, hi: f64, z05: f64) -> [f64; 2] {
    let a = theta[0].exp();
    let b = theta[1].exp();
    let (lower_lo, upper_lo) = beta_cdf_pair(a, b, lo);
    let (lower_hi, upper_hi) = beta_cdf_pair(a, b, hi);
    [
        normal_score(lower_lo, upper_lo) - z05,
        normal_score(lower_hi, upper_hi) + z05,
    ]
}

fn norm(r: [f64; 2]) -> f64 {
    r[0].hypot(r[1])
}

/// The starting point: the interval as mean +- 1.645 sd, by moments.
fn moment_guess(lo: f64, hi: f64) -> [f64; 2] {
    let mean = 0.5 * (lo + hi);
    let sd = (hi - lo) / (2.0 * 1.644_853_626_951_472_2);
    let mut concentration = mean * (1.0 - mean) / (sd * sd) - 1.0;
    if !(concentration.is_finite() && concentration > 0.0) {
        // The interval is wider than any beta's 1.645 sd: start U-shaped.
        concentration = 0.5;
    }
    [
        (mean * concentration)
            .ln()
            .clamp(LN_SHAPE_BOUNDS.0, LN_SHAPE_BOUNDS.1),
        ((1.0 - mean) * concentration)
            .ln()
            .clamp(LN_SHAPE_BOUNDS.0, LN_SHAPE_BOUNDS.1),
    ]
}

/// The shapes (a, b) whose beta has 5% and 95% quantiles near lo and hi, for
/// 0 < lo < hi < 1, or `None` when the iteration fails to converge. The
/// caller verifies the quantiles to 1e-9.
pub(crate) fn solve_beta(lo: f64, hi: f64) -> Option<(f64, f64)> {
    let z05 = normal_quantile(0.05);
    let mut theta = moment_guess(lo, hi);
    let mut r = residuals(theta, lo, hi, z05);
    let mut size = norm(r);
    for _ in 0..200 {
        if !size.is_finite() {
            return None;
        }
        if size < 1e-13 {
            break;
        }
        // Central differences, the step scaled to the shapes' logs.
        let h = 1e-6;
        let mut jacobian = [[0.0; 2]; 2];
        for k in 0..2 {
            let mut plus = theta;
            let mut minus = theta;
            plus[k] += h;
            minus[k] -= h;
            let rp = residuals(plus, lo, hi, z05);
            let rm = residuals(minus, lo, hi, z05);
            jacobian[0][k] = (rp[0] - rm[0]) / (2.0 * h);
            jacobian[1][k] = (rp[1] - rm[1]) / (2.0 * h);
        }
        let det = jacobian[0][0] * jacobian[1][1] - jacobian[0][1] * jacobian[1][0];
        if !(det.is_finite() && det != 0.0) {
            return None;
        }
        let mut step = [
            -(jacobian[1][1] * r[0] - jacobian[0][1] * r[1]) / det,
            -(-jacobian[1][0] * r[0] + jacobian[0][0] * r[1]) / det,
        ];
        let longest = step[0].abs().max(step[1].abs());
        if longest > MAX_LOG_STEP {
            step = [
                step[0] * MAX_LOG_STEP / longest,
                step[1] * MAX_LOG_STEP / longest,
            ];
        }
        // Halve the step until the residual shrinks.
        let mut improved = false;
        for _ in 0..40 {
            let candidate = [
                (theta[0] + step[0]).clamp(LN_SHAPE_BOUNDS.0, LN_SHAPE_BOUNDS.1),
                (theta[1] + step[1]).clamp(LN_SHAPE_BOUNDS.0, LN_SHAPE_BOUNDS.1),
            ];
            let candidate_r = residuals(candidate, lo, hi, z05);
            let candidate_size = norm(candidate_r);
            if candidate_size < size {
                theta = candidate;
                r = candidate_r;
                size = candidate_size;
                improved = true;
                break;
            }
            step = [step[0] * 0.5, step[1] * 0.5];
        }
        if !improved {
            // No step helps: this is as close as double precision gets.
            break;
        }
    }
    Some((theta[0].exp(), theta[1].exp()))
}
