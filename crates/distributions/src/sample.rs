//! Fast exact samplers for the trial loop, with their constants computed
//! once per distribution ([`Sampler`]) instead of once per draw.
//!
//! Normal draws come from rand_distr's ziggurat. Beta draws use the ratio
//! G_a / (G_a + G_b) of two Marsaglia-Tsang gamma variates, which measured
//! more than twice as fast as rand_distr's `Beta` (whose general algorithm
//! pays for a setup on every call). Shapes below 1 use the boost
//! Gamma(a) = Gamma(a + 1) U^(1/a); when both shapes are below 1 it is done in
//! logs, so that two tiny shapes (where both gammas can underflow to 0) still
//! give a number, not 0/0.
//!
//! A [`Sampler`] computes each constant with exactly the operations the
//! per-draw code used, so its draws are bit for bit those of
//! [`Dist::sample`](crate::Dist::sample), which builds one per call.

use rand::Rng;
use rand::distr::Distribution;
use rand_distr::StandardNormal;

use crate::{Dist, DistKind, open01, pert_shapes, triangular_quantile};

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

/// Marsaglia and Tsang's constants for Gamma(shape, 1), shape >= 1.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Tsang {
    d: f64,
    c: f64,
}

impl Tsang {
    #[inline]
    fn new(shape: f64) -> Tsang {
        let d = shape - 1.0 / 3.0;
        let c = 1.0 / (9.0 * d).sqrt();
        Tsang { d, c }
    }

    /// Gamma(shape, 1) for shape >= 1 by Marsaglia and Tsang (2000).
    /// Always inlined, as are the gamma's and beta's draws that call it: as
    /// calls, saving and restoring registers cost a fifth of a draw.
    #[inline(always)]
    fn sample<R: Rng + ?Sized>(self, rng: &mut R) -> f64 {
        let Tsang { d, c } = self;
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
}

/// Gamma(shape, 1) for any shape > 0, ready to draw.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Gamma {
    /// The constants of shape, or of shape + 1 when shape < 1.
    tsang: Tsang,
    /// Shape < 1: the shape and 1 / shape, for the boost U^(1/shape).
    boost: Option<(f64, f64)>,
}

impl Gamma {
    #[inline]
    fn new(shape: f64) -> Gamma {
        if shape >= 1.0 {
            Gamma {
                tsang: Tsang::new(shape),
                boost: None,
            }
        } else {
            Gamma {
                tsang: Tsang::new(shape + 1.0),
                boost: Some((shape, 1.0 / shape)),
            }
        }
    }

    /// A variate; may underflow to 0 for tiny shapes. The `gamma` kind draws
    /// with it too.
    #[inline(always)]
    fn sample<R: Rng + ?Sized>(self, rng: &mut R) -> f64 {
        match self.boost {
            None => self.tsang.sample(rng),
            Some((_, inverse)) => self.tsang.sample(rng) * uniform(rng).powf(inverse),
        }
    }

    /// The logarithm of a variate: the boost for shapes below 1 is added in
    /// logs so it cannot underflow.
    #[inline(always)]
    fn sample_ln<R: Rng + ?Sized>(self, rng: &mut R) -> f64 {
        match self.boost {
            None => self.tsang.sample(rng).ln(),
            // Divided, not multiplied by the inverse: the same bits as before.
            Some((shape, _)) => self.tsang.sample(rng).ln() + uniform(rng).ln() / shape,
        }
    }
}

/// Beta(a, b), ready to draw.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Beta {
    a: Gamma,
    b: Gamma,
    /// Both shapes below 1: draw in logs.
    in_logs: bool,
}

impl Beta {
    #[inline]
    fn new(a: f64, b: f64) -> Beta {
        Beta {
            a: Gamma::new(a),
            b: Gamma::new(b),
            in_logs: !(a >= 1.0 || b >= 1.0),
        }
    }

    #[inline(always)]
    fn sample<R: Rng + ?Sized>(self, rng: &mut R) -> f64 {
        if self.in_logs {
            // x / (x + y) = 1 / (1 + exp(ln y - ln x)), finite for any logs.
            let ln_x = self.a.sample_ln(rng);
            let ln_y = self.b.sample_ln(rng);
            1.0 / (1.0 + (ln_y - ln_x).exp())
        } else {
            // At most one gamma can underflow to 0, so x + y > 0.
            let x = self.a.sample(rng);
            let y = self.b.sample(rng);
            x / (x + y)
        }
    }
}

/// A distribution ready to draw from: [`Dist::sample`]'s draws, with the
/// constants (PERT's shapes, the gammas' Marsaglia-Tsang constants and
/// boosts, a uniform's width) computed once here. The engine builds one
/// per numeric node per parameter draw when the node's arguments do not
/// change from trial to trial.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Sampler(Kind);

#[derive(Clone, Copy, Debug, PartialEq)]
enum Kind {
    Fixed(f64),
    Uniform {
        low: f64,
        width: f64,
    },
    Beta(Beta),
    Pert {
        min: f64,
        width: f64,
        max: f64,
        beta: Beta,
    },
    Triangular {
        min: f64,
        mode: f64,
        max: f64,
    },
    Normal {
        mean: f64,
        sd: f64,
    },
    LogNormal {
        mu: f64,
        sigma: f64,
    },
    Gamma {
        scale: f64,
        gamma: Gamma,
    },
}

impl Sampler {
    /// The sampler of `dist`.
    #[inline]
    pub fn new(dist: Dist) -> Sampler {
        Sampler(match dist {
            Dist::Fixed { value } => Kind::Fixed(value),
            Dist::Uniform { low, high } => Kind::Uniform {
                low,
                width: high - low,
            },
            Dist::Beta { a, b } => Kind::Beta(Beta::new(a, b)),
            Dist::Pert { min, mode, max } => match pert_shapes(min, mode, max) {
                None => Kind::Fixed(mode),
                Some((a, b)) => Kind::Pert {
                    min,
                    width: max - min,
                    max,
                    beta: Beta::new(a, b),
                },
            },
            Dist::Triangular { min, mode, max } => Kind::Triangular { min, mode, max },
            Dist::Normal { mean, sd } => Kind::Normal { mean, sd },
            Dist::LogNormal { mu, sigma } => Kind::LogNormal { mu, sigma },
            Dist::Gamma { shape, scale } => Kind::Gamma {
                scale,
                gamma: Gamma::new(shape),
            },
        })
    }

    /// The sampler of `kind` over `args` when [`Dist::new`] accepts them
    /// (every argument finite, the kind's rules hold), `None` otherwise:
    /// the same test without building an error, for arguments that change
    /// every trial. Build with [`Dist::new`] to learn what is wrong.
    #[inline]
    pub fn checked(kind: DistKind, args: &[f64]) -> Option<Sampler> {
        if !args.iter().all(|x| x.is_finite()) {
            return None;
        }
        // The kinds without constants to compute are built as they are
        // (what `Sampler::new` would make of them): no second match per draw.
        let dist = match (kind, args) {
            (DistKind::Normal, &[mean, sd]) if sd >= 0.0 => {
                return Some(Sampler(Kind::Normal { mean, sd }));
            }
            (DistKind::LogNormal, &[mu, sigma]) if sigma >= 0.0 => {
                return Some(Sampler(Kind::LogNormal { mu, sigma }));
            }
            (DistKind::Triangular, &[min, mode, max]) if min <= mode && mode <= max => {
                return Some(Sampler(Kind::Triangular { min, mode, max }));
            }
            (DistKind::Fixed, &[value]) => Dist::Fixed { value },
            (DistKind::Uniform, &[low, high]) if low <= high => Dist::Uniform { low, high },
            (DistKind::Beta, &[a, b]) if a > 0.0 && b > 0.0 => Dist::Beta { a, b },
            (DistKind::Gamma, &[shape, scale]) if shape > 0.0 && scale > 0.0 => {
                Dist::Gamma { shape, scale }
            }
            (DistKind::Pert, &[min, mode, max]) if min <= mode && mode <= max => {
                Dist::Pert { min, mode, max }
            }
            _ => return None,
        };
        Some(Sampler::new(dist))
    }

    /// One draw. The number of `rng` words it consumes may vary (rejection
    /// sampling), so the engine hands it a generator of the node's own.
    /// Always inlined: the engine calls it once per trial for arguments
    /// that change every trial, where a call's register saving costs about
    /// as much as a normal draw.
    #[inline(always)]
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        match self.0 {
            Kind::Fixed(value) => value,
            Kind::Uniform { low, width } => low + width * uniform(rng),
            Kind::Beta(beta) => beta.sample(rng),
            Kind::Pert {
                min,
                width,
                max,
                beta,
            } => (min + width * beta.sample(rng)).clamp(min, max),
            Kind::Triangular { min, mode, max } => {
                triangular_quantile(min, mode, max, uniform(rng))
            }
            Kind::Normal { mean, sd } => mean + sd * standard_normal(rng),
            Kind::LogNormal { mu, sigma } => (mu + sigma * standard_normal(rng)).exp(),
            Kind::Gamma { scale, gamma } => scale * gamma.sample(rng),
        }
    }

    /// Draws `out[t]` with the generator `rng(seeds[t])`, for every `t`:
    /// what a loop over [`Sampler::sample`] gives, with the kind chosen once
    /// for the whole column instead of once per draw.
    #[inline]
    pub fn fill<R: Rng>(&self, seeds: &[u64], out: &mut [f64], rng: impl Fn(u64) -> R) {
        match self.0 {
            Kind::Fixed(value) => out.fill(value),
            Kind::Uniform { low, width } => each(seeds, out, rng, |r| low + width * uniform(r)),
            Kind::Beta(beta) => each(seeds, out, rng, |r| beta.sample(r)),
            Kind::Pert {
                min,
                width,
                max,
                beta,
            } => each(seeds, out, rng, |r| {
                (min + width * beta.sample(r)).clamp(min, max)
            }),
            Kind::Triangular { min, mode, max } => each(seeds, out, rng, |r| {
                triangular_quantile(min, mode, max, uniform(r))
            }),
            Kind::Normal { mean, sd } => each(seeds, out, rng, |r| mean + sd * standard_normal(r)),
            Kind::LogNormal { mu, sigma } => {
                each(seeds, out, rng, |r| (mu + sigma * standard_normal(r)).exp())
            }
            Kind::Gamma { scale, gamma } => each(seeds, out, rng, |r| scale * gamma.sample(r)),
        }
    }
}

/// `out[t] = draw(rng(seeds[t]))` for every `t`, one loop per kind.
#[inline]
fn each<R: Rng>(
    seeds: &[u64],
    out: &mut [f64],
    rng: impl Fn(u64) -> R,
    draw: impl Fn(&mut R) -> f64,
) {
    for (x, &seed) in out.iter_mut().zip(seeds) {
        *x = draw(&mut rng(seed));
    }
}
