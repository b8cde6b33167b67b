//! The probability distributions of the uchronia model language.
//!
//! One type, [`Dist`], is shared by the model loader (which validates the
//! constant arguments of parameters and solves `ci90` forms) and the engine
//! (which draws parameters by inverse CDF, one uniform each, so that a `set`
//! that swaps the distribution stays comonotone with the original, and draws
//! numeric nodes in the trial loop with the fastest exact sampler available).
//!
//! Constructors validate their arguments and return a [`DomainError`] that
//! says which rule was broken; a constructed `Dist` is always valid.

use serde::{Deserialize, Serialize};

mod ci90;
mod sample;
mod special;

#[cfg(test)]
mod tests;

/// The kinds of distribution the model language names in `dist = "..."`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DistKind {
    /// `fixed`: `value`.
    Fixed,
    /// `uniform`: `low`, `high`.
    Uniform,
    /// `beta`: `a`, `b`, or `ci90`.
    Beta,
    /// `pert`: `min`, `mode`, `max` (shape 4).
    Pert,
    /// `triangular`: `min`, `mode`, `max`.
    Triangular,
    /// `normal`: `mean`, `sd`, or `ci90`.
    Normal,
    /// `lognormal`: `mu`, `sigma` (of the underlying normal), or `ci90`.
    LogNormal,
}

impl DistKind {
    /// Every kind, in the order the documentation lists them.
    pub const ALL: [DistKind; 7] = [
        DistKind::Fixed,
        DistKind::Uniform,
        DistKind::Beta,
        DistKind::Pert,
        DistKind::Triangular,
        DistKind::Normal,
        DistKind::LogNormal,
    ];

    /// The kind named `name` in a model file (`"beta"`, `"lognormal"`, ...).
    pub fn from_name(name: &str) -> Option<DistKind> {
        DistKind::ALL.into_iter().find(|kind| kind.name() == name)
    }

    /// The name used in model files.
    pub fn name(self) -> &'static str {
        match self {
            DistKind::Fixed => "fixed",
            DistKind::Uniform => "uniform",
            DistKind::Beta => "beta",
            DistKind::Pert => "pert",
            DistKind::Triangular => "triangular",
            DistKind::Normal => "normal",
            DistKind::LogNormal => "lognormal",
        }
    }

    /// The argument keys, in the order [`Dist::new`] takes them.
    pub fn keys(self) -> &'static [&'static str] {
        match self {
            DistKind::Fixed => &["value"],
            DistKind::Uniform => &["low", "high"],
            DistKind::Beta => &["a", "b"],
            DistKind::Pert | DistKind::Triangular => &["min", "mode", "max"],
            DistKind::Normal => &["mean", "sd"],
            DistKind::LogNormal => &["mu", "sigma"],
        }
    }

    /// Whether the kind accepts `ci90 = [lo, hi]` instead of its own keys.
    pub fn accepts_ci90(self) -> bool {
        matches!(
            self,
            DistKind::Beta | DistKind::Normal | DistKind::LogNormal
        )
    }
}

/// Why a distribution's arguments were refused: a sentence fit to show a user,
/// such as "beta needs a > 0, got a = 0".
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("{0}")]
pub struct DomainError(pub String);

/// A validated distribution. Degenerate forms (sd = 0, low = high,
/// min = mode = max) are point masses.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum Dist {
    /// A point mass.
    Fixed {
        /// The value.
        value: f64,
    },
    /// Uniform on [low, high].
    Uniform {
        /// Lower end.
        low: f64,
        /// Upper end.
        high: f64,
    },
    /// Beta(a, b) on [0, 1].
    Beta {
        /// First shape.
        a: f64,
        /// Second shape.
        b: f64,
    },
    /// PERT with shape 4: a Beta(1 + 4(mode-min)/(max-min), 1 + 4(max-mode)/(max-min)) scaled to [min, max].
    Pert {
        /// Lower end.
        min: f64,
        /// Most likely value.
        mode: f64,
        /// Upper end.
        max: f64,
    },
    /// Triangular on [min, max] with its peak at mode.
    Triangular {
        /// Lower end.
        min: f64,
        /// Peak.
        mode: f64,
        /// Upper end.
        max: f64,
    },
    /// Normal(mean, sd).
    Normal {
        /// Mean.
        mean: f64,
        /// Standard deviation.
        sd: f64,
    },
    /// exp(Normal(mu, sigma)).
    LogNormal {
        /// Mean of the underlying normal.
        mu: f64,
        /// Standard deviation of the underlying normal.
        sigma: f64,
    },
}

impl Dist {
    /// Validates `args`, given in the order of `kind.keys()`, and builds the
    /// distribution. Every argument must be finite; the domain rules are those
    /// of the model language (`beta` needs a > 0 and b > 0, `uniform` low <= high,
    /// `pert` and `triangular` min <= mode <= max, `normal` sd >= 0, `lognormal`
    /// sigma >= 0). A wrong number of arguments is a `DomainError` too.
    pub fn new(kind: DistKind, args: &[f64]) -> Result<Dist, DomainError> {
        let keys = kind.keys();
        if args.len() != keys.len() {
            return Err(DomainError(format!(
                "{} needs {} argument{} ({}), got {}",
                kind.name(),
                keys.len(),
                if keys.len() == 1 { "" } else { "s" },
                keys.join(", "),
                args.len()
            )));
        }
        for (key, &value) in keys.iter().zip(args) {
            if !value.is_finite() {
                return Err(DomainError(format!(
                    "{} needs a finite {key}, got {key} = {value}",
                    kind.name()
                )));
            }
        }
        let name = kind.name();
        let dist = match kind {
            DistKind::Fixed => Dist::Fixed { value: args[0] },
            DistKind::Uniform => {
                let (low, high) = (args[0], args[1]);
                if low > high {
                    return Err(DomainError(format!(
                        "uniform needs low <= high, got low = {low}, high = {high}"
                    )));
                }
                Dist::Uniform { low, high }
            }
            DistKind::Beta => {
                let (a, b) = (args[0], args[1]);
                for (key, value) in [("a", a), ("b", b)] {
                    if value <= 0.0 {
                        return Err(DomainError(format!(
                            "beta needs {key} > 0, got {key} = {value}"
                        )));
                    }
                }
                Dist::Beta { a, b }
            }
            DistKind::Pert | DistKind::Triangular => {
                let (min, mode, max) = (args[0], args[1], args[2]);
                if min > mode {
                    return Err(DomainError(format!(
                        "{name} needs min <= mode, got min = {min}, mode = {mode}"
                    )));
                }
                if mode > max {
                    return Err(DomainError(format!(
                        "{name} needs mode <= max, got mode = {mode}, max = {max}"
                    )));
                }
                if kind == DistKind::Pert {
                    Dist::Pert { min, mode, max }
                } else {
                    Dist::Triangular { min, mode, max }
                }
            }
            DistKind::Normal => {
                let (mean, sd) = (args[0], args[1]);
                if sd < 0.0 {
                    return Err(DomainError(format!("normal needs sd >= 0, got sd = {sd}")));
                }
                Dist::Normal { mean, sd }
            }
            DistKind::LogNormal => {
                let (mu, sigma) = (args[0], args[1]);
                if sigma < 0.0 {
                    return Err(DomainError(format!(
                        "lognormal needs sigma >= 0, got sigma = {sigma}"
                    )));
                }
                Dist::LogNormal { mu, sigma }
            }
        };
        Ok(dist)
    }

    /// The distribution of `kind` whose 5% and 95% quantiles are `lo` and `hi`
    /// (lo < hi; for beta 0 < lo < hi < 1, solved numerically to 1e-9 on both
    /// quantiles; for lognormal 0 < lo). Other kinds are a `DomainError`.
    pub fn from_ci90(kind: DistKind, lo: f64, hi: f64) -> Result<Dist, DomainError> {
        let name = kind.name();
        if !kind.accepts_ci90() {
            return Err(DomainError(format!(
                "{name} does not accept ci90; only beta, normal and lognormal do"
            )));
        }
        if !(lo.is_finite() && hi.is_finite()) {
            return Err(DomainError(format!(
                "ci90 needs finite ends, got [{lo}, {hi}]"
            )));
        }
        if lo >= hi {
            return Err(DomainError(format!("ci90 needs lo < hi, got [{lo}, {hi}]")));
        }
        match kind {
            DistKind::Normal => {
                let sd = (hi - lo) / (2.0 * Z95);
                // lo + (hi - lo) / 2 cannot overflow where (lo + hi) / 2 could.
                Ok(Dist::Normal {
                    mean: lo + 0.5 * (hi - lo),
                    sd,
                })
            }
            DistKind::LogNormal => {
                if lo <= 0.0 {
                    return Err(DomainError(format!(
                        "lognormal ci90 needs 0 < lo, got [{lo}, {hi}]"
                    )));
                }
                let (ln_lo, ln_hi) = (lo.ln(), hi.ln());
                Ok(Dist::LogNormal {
                    mu: 0.5 * (ln_lo + ln_hi),
                    sigma: (ln_hi - ln_lo) / (2.0 * Z95),
                })
            }
            _ => {
                if lo <= 0.0 || hi >= 1.0 {
                    return Err(DomainError(format!(
                        "beta ci90 needs 0 < lo < hi < 1, got [{lo}, {hi}]"
                    )));
                }
                let unmatched = || {
                    DomainError(format!(
                        "beta ci90 [{lo}, {hi}] cannot be matched: no beta distribution \
                         with these 5% and 95% quantiles was found to 1e-9"
                    ))
                };
                let (a, b) = ci90::solve_beta(lo, hi).ok_or_else(unmatched)?;
                let dist = Dist::Beta { a, b };
                let matched = a.is_finite()
                    && b.is_finite()
                    && a > 0.0
                    && b > 0.0
                    && (dist.quantile(0.05) - lo).abs() <= 1e-9
                    && (dist.quantile(0.95) - hi).abs() <= 1e-9;
                if matched { Ok(dist) } else { Err(unmatched()) }
            }
        }
    }

    /// The kind of this distribution.
    pub fn kind(&self) -> DistKind {
        match self {
            Dist::Fixed { .. } => DistKind::Fixed,
            Dist::Uniform { .. } => DistKind::Uniform,
            Dist::Beta { .. } => DistKind::Beta,
            Dist::Pert { .. } => DistKind::Pert,
            Dist::Triangular { .. } => DistKind::Triangular,
            Dist::Normal { .. } => DistKind::Normal,
            Dist::LogNormal { .. } => DistKind::LogNormal,
        }
    }

    /// The inverse CDF at `u` in (0, 1). Parameters are drawn this way, one
    /// uniform each, so that two distributions of one parameter stay
    /// comonotone. Accurate to about 1e-12 relative in the body and 1e-9 in
    /// the tails. At 0 and 1 it gives the ends of the support (infinite for
    /// normal and, at 1, lognormal).
    pub fn quantile(&self, u: f64) -> f64 {
        match *self {
            Dist::Fixed { value } => value,
            Dist::Uniform { low, high } => {
                if u <= 0.0 {
                    low
                } else if u >= 1.0 {
                    high
                } else {
                    low + (high - low) * u
                }
            }
            Dist::Beta { a, b } => special::beta_quantile(a, b, u),
            Dist::Pert { min, mode, max } => match pert_shapes(min, mode, max) {
                None => mode,
                Some((a, b)) => {
                    (min + (max - min) * special::beta_quantile(a, b, u)).clamp(min, max)
                }
            },
            Dist::Triangular { min, mode, max } => triangular_quantile(min, mode, max, u),
            Dist::Normal { mean, sd } => {
                if sd == 0.0 {
                    mean
                } else {
                    mean + sd * special::normal_quantile(u)
                }
            }
            Dist::LogNormal { mu, sigma } => {
                if sigma == 0.0 {
                    mu.exp()
                } else {
                    (mu + sigma * special::normal_quantile(u)).exp()
                }
            }
        }
    }

    /// The CDF at `x` (for tests and for checking ci90 solves). Point masses
    /// step from 0 to 1 at their value.
    pub fn cdf(&self, x: f64) -> f64 {
        if x.is_nan() {
            return f64::NAN;
        }
        let step = |at: f64| if x >= at { 1.0 } else { 0.0 };
        match *self {
            Dist::Fixed { value } => step(value),
            Dist::Uniform { low, high } => {
                if low == high {
                    step(low)
                } else {
                    ((x - low) / (high - low)).clamp(0.0, 1.0)
                }
            }
            Dist::Beta { a, b } => special::beta_cdf_pair(a, b, x).0,
            Dist::Pert { min, mode, max } => match pert_shapes(min, mode, max) {
                None => step(mode),
                Some((a, b)) => special::beta_cdf_pair(a, b, (x - min) / (max - min)).0,
            },
            Dist::Triangular { min, mode, max } => {
                if min == max {
                    step(mode)
                } else if x <= min {
                    0.0
                } else if x >= max {
                    1.0
                } else if x <= mode {
                    (x - min) * (x - min) / ((max - min) * (mode - min))
                } else {
                    1.0 - (max - x) * (max - x) / ((max - min) * (max - mode))
                }
            }
            Dist::Normal { mean, sd } => {
                if sd == 0.0 {
                    step(mean)
                } else {
                    special::normal_cdf((x - mean) / sd)
                }
            }
            Dist::LogNormal { mu, sigma } => {
                if x <= 0.0 {
                    0.0
                } else if sigma == 0.0 {
                    step(mu.exp())
                } else {
                    special::normal_cdf((x.ln() - mu) / sigma)
                }
            }
        }
    }

    /// The mean.
    pub fn mean(&self) -> f64 {
        match *self {
            Dist::Fixed { value } => value,
            Dist::Uniform { low, high } => low + 0.5 * (high - low),
            Dist::Beta { a, b } => a / (a + b),
            Dist::Pert { min, mode, max } => (min + 4.0 * mode + max) / 6.0,
            Dist::Triangular { min, mode, max } => (min + mode + max) / 3.0,
            Dist::Normal { mean, .. } => mean,
            Dist::LogNormal { mu, sigma } => (mu + 0.5 * sigma * sigma).exp(),
        }
    }

    /// The variance.
    pub fn variance(&self) -> f64 {
        match *self {
            Dist::Fixed { .. } => 0.0,
            Dist::Uniform { low, high } => (high - low) * (high - low) / 12.0,
            Dist::Beta { a, b } => beta_variance(a, b),
            Dist::Pert { min, mode, max } => match pert_shapes(min, mode, max) {
                None => 0.0,
                Some((a, b)) => (max - min) * (max - min) * beta_variance(a, b),
            },
            Dist::Triangular { min, mode, max } => {
                (min * min + mode * mode + max * max - min * mode - min * max - mode * max) / 18.0
            }
            Dist::Normal { sd, .. } => sd * sd,
            Dist::LogNormal { mu, sigma } => {
                let s2 = sigma * sigma;
                s2.exp_m1() * (2.0 * mu + s2).exp()
            }
        }
    }

    /// One draw with the fastest exact sampler for the kind (the trial loop
    /// calls this for numeric nodes). The number of `rng` words it consumes may
    /// vary (rejection sampling), so the engine hands it a generator of the
    /// node's own.
    #[inline]
    pub fn sample<R: rand::Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        match *self {
            Dist::Fixed { value } => value,
            Dist::Uniform { low, high } => low + (high - low) * sample::uniform(rng),
            Dist::Beta { a, b } => sample::beta(a, b, rng),
            Dist::Pert { min, mode, max } => match pert_shapes(min, mode, max) {
                None => mode,
                Some((a, b)) => (min + (max - min) * sample::beta(a, b, rng)).clamp(min, max),
            },
            Dist::Triangular { min, mode, max } => {
                triangular_quantile(min, mode, max, sample::uniform(rng))
            }
            Dist::Normal { mean, sd } => mean + sd * sample::standard_normal(rng),
            Dist::LogNormal { mu, sigma } => (mu + sigma * sample::standard_normal(rng)).exp(),
        }
    }
}

/// The 95% point of the standard normal, which `ci90` forms divide by.
const Z95: f64 = 1.644_853_626_951_472_2;

/// The beta shapes of a PERT (lambda = 4), or `None` for a point mass.
#[inline]
fn pert_shapes(min: f64, mode: f64, max: f64) -> Option<(f64, f64)> {
    let range = max - min;
    if range <= 0.0 {
        return None;
    }
    Some((
        1.0 + 4.0 * (mode - min) / range,
        1.0 + 4.0 * (max - mode) / range,
    ))
}

fn beta_variance(a: f64, b: f64) -> f64 {
    let sum = a + b;
    a * b / (sum * sum * (sum + 1.0))
}

/// The triangular inverse CDF, closed form; a point mass when min == max.
#[inline]
fn triangular_quantile(min: f64, mode: f64, max: f64, u: f64) -> f64 {
    let range = max - min;
    if range <= 0.0 {
        return mode;
    }
    let left = mode - min;
    let value = if u * range <= left {
        min + (u * range * left).sqrt()
    } else {
        max - ((1.0 - u) * range * (max - mode)).sqrt()
    };
    value.clamp(min, max)
}

/// Maps 64 random bits to a uniform in the open interval (0, 1): the top 52
/// bits plus one half, times 2^-52. Never 0 or 1, so every quantile is finite.
/// (With 53 bits the largest value, (2^53 - 1/2) 2^-53, would round to 1.)
#[inline]
pub fn open01(bits: u64) -> f64 {
    ((bits >> 12) as f64 + 0.5) * (1.0 / (1u64 << 52) as f64)
}
