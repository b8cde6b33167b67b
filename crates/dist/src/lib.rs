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
//
// CONTRACT (written before the implementation; the signatures below are used
// by crates/model and crates/engine and must not change without telling them).

use serde::{Deserialize, Serialize};

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
        matches!(self, DistKind::Beta | DistKind::Normal | DistKind::LogNormal)
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
        todo!("{kind:?} {args:?}")
    }

    /// The distribution of `kind` whose 5% and 95% quantiles are `lo` and `hi`
    /// (lo < hi; for beta 0 < lo < hi < 1, solved numerically to 1e-9 on both
    /// quantiles; for lognormal 0 < lo). Other kinds are a `DomainError`.
    pub fn from_ci90(kind: DistKind, lo: f64, hi: f64) -> Result<Dist, DomainError> {
        todo!("{kind:?} {lo} {hi}")
    }

    /// The kind of this distribution.
    pub fn kind(&self) -> DistKind {
        todo!()
    }

    /// The inverse CDF at `u` in (0, 1). Parameters are drawn this way, one
    /// uniform each, so that two distributions of one parameter stay
    /// comonotone. Accurate to about 1e-12 relative in the body and 1e-9 in
    /// the tails.
    pub fn quantile(&self, u: f64) -> f64 {
        todo!("{u}")
    }

    /// The CDF at `x` (for tests and for checking ci90 solves).
    pub fn cdf(&self, x: f64) -> f64 {
        todo!("{x}")
    }

    /// The mean.
    pub fn mean(&self) -> f64 {
        todo!()
    }

    /// The variance.
    pub fn variance(&self) -> f64 {
        todo!()
    }

    /// One draw with the fastest exact sampler for the kind (the trial loop
    /// calls this for numeric nodes). The number of `rng` words it consumes may
    /// vary (rejection sampling), so the engine hands it a generator of the
    /// node's own.
    pub fn sample<R: rand::Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        let _ = rng;
        todo!()
    }
}

/// Maps 64 random bits to a uniform in the open interval (0, 1): the top 53
/// bits plus one half, times 2^-53. Never 0 or 1, so every quantile is finite.
pub fn open01(bits: u64) -> f64 {
    ((bits >> 11) as f64 + 0.5) * (1.0 / (1u64 << 53) as f64)
}
