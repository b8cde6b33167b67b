//! Fast exact samplers for the trial loop.
//!
//! Normal draws come from rand_distr's ziggurat. Beta draws use the ratio
//! G_a / (G_a + G_b) of two Marsaglia-Tsang gamma variates, which measured
//! more than twice as fast as rand_distr's `Beta` (whose general algorithm
//! pays for a setup on every call). Shapes below 1 use the boost
//! Gamma(a) = Gamma(a + 1) U^(1/a); when both shapes are below 1 it is done in
//! logs, so that two tiny shapes (where both gammas can underflow to 0) still
//! give a number, not 0/0.

use rand::Rng;
use rand::distr::Distribution;
use rand_distr::StandardNormal;

use crate::open01;

/// A uniform in the open interval (0, 1).
#[inline]
pub(crate) fn uniform<R: Rng + ?Sized>(rng: &mut R) -> f64 {
    open01(rng.next_u64())
}

/// A standard normal variate.
#[inline]
pub(crate) fn standard_normal<R: Rng + ?Sized>(rng: &mut R) -> f64 {
    StandardNormal.sample(rng)
}

/// Gamma(shape, 1) for shape >= 1 by Marsaglia and Tsang (2000).
#[inline]
fn gamma_at_least_one<R: Rng + ?Sized>(shape: f64, rng: &mut R) -> f64 {
    let d = shape - 1.0 / 3.0;
    let c = 1.0 / (9.0 * d).sqrt();
    loop {
        let z = standard_normal(rng);
        let t = 1.0 + c * z;
        if t <= 0.0 {
            continue;
        }
        let v = t * t * t;
        let u = uniform(rng);
        let z2 = z * z;
        // The squeeze accepts about 98% of draws without a logarithm.
        if u < 1.0 - 0.0331 * z2 * z2 || u.ln() < 0.5 * z2 + d * (1.0 - v + v.ln()) {
            return d * v;
        }
    }
}

/// ln Gamma(shape, 1) variate for any shape > 0: the boost for shapes below 1
/// is added in logs so it cannot underflow.
#[inline]
fn ln_gamma_variate<R: Rng + ?Sized>(shape: f64, rng: &mut R) -> f64 {
    if shape >= 1.0 {
        gamma_at_least_one(shape, rng).ln()
    } else {
        gamma_at_least_one(shape + 1.0, rng).ln() + uniform(rng).ln() / shape
    }
}

/// Gamma(shape, 1) for any shape > 0; may underflow to 0 for tiny shapes.
/// The `gamma` kind draws with it too.
#[inline]
pub(crate) fn gamma<R: Rng + ?Sized>(shape: f64, rng: &mut R) -> f64 {
    if shape >= 1.0 {
        gamma_at_least_one(shape, rng)
    } else {
        gamma_at_least_one(shape + 1.0, rng) * uniform(rng).powf(1.0 / shape)
    }
}

/// A Beta(a, b) variate.
#[inline]
pub(crate) fn beta<R: Rng + ?Sized>(a: f64, b: f64, rng: &mut R) -> f64 {
    if a >= 1.0 || b >= 1.0 {
        // At most one gamma can underflow to 0, so x + y > 0.
        let x = gamma(a, rng);
        let y = gamma(b, rng);
        x / (x + y)
    } else {
        // x / (x + y) = 1 / (1 + exp(ln y - ln x)), finite for any logs.
        let ln_x = ln_gamma_variate(a, rng);
        let ln_y = ln_gamma_variate(b, rng);
        1.0 / (1.0 + (ln_y - ln_x).exp())
    }
}
