//! The probability distributions of the uchronia model language.
//!
//! One type, [`Dist`], is shared by the model loader (which validates the
//! constant arguments of parameters and solves `ci90` forms) and the engine
//! (which draws parameters by inverse CDF, one uniform each, so that a `set`
//! that swaps the distribution stays comonotone with the original, and draws
//! numeric nodes in the trial loop with the fastest exact sampler available).
//!
//! Everything about a kind is declared here, on [`DistKind`]: its name, its
//! argument keys, the [`Rule`]s its arguments obey, whether and where it
//! accepts `ci90 = [lo, hi]`. The loader and the engine are generic over
//! kinds. [`Dist::new`] is the one validated constructor (`from_ci90` solves
//! for the arguments, then calls it), and the variants of [`Dist`] cannot be
//! built outside this crate, so a `Dist` is always valid. [`DistKind::check`]
//! applies the same rules to the arguments known so far, for the loader's
//! checks of partly constant expressions.

use serde::{Deserialize, Serialize};

mod ci90;
pub mod copula;
mod sample;
pub use sample::Sampler;
mod special;
pub use copula::{Copula, MIN_EIGENVALUE};

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
    /// `gamma`: `shape`, `scale`, or `ci90`.
    Gamma,
}

impl DistKind {
    /// Every kind, in the order the documentation lists them.
    pub const ALL: [DistKind; 8] = [
        DistKind::Fixed,
        DistKind::Uniform,
        DistKind::Beta,
        DistKind::Pert,
        DistKind::Triangular,
        DistKind::Normal,
        DistKind::LogNormal,
        DistKind::Gamma,
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
            DistKind::Gamma => "gamma",
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
            DistKind::Gamma => &["shape", "scale"],
        }
    }

    /// The rules its arguments obey (besides being finite), checked in
    /// this order.
    pub fn rules(self) -> &'static [Rule] {
        match self {
            DistKind::Fixed => &[],
            DistKind::Uniform => &[Rule::Ordered(0, 1)],
            DistKind::Beta | DistKind::Gamma => &[Rule::Positive(0), Rule::Positive(1)],
            // min <= max is implied by the first two when all three are
            // known; it still catches a crossing when the mode is not.
            DistKind::Pert | DistKind::Triangular => &[
                Rule::Ordered(0, 1),
                Rule::Ordered(1, 2),
                Rule::Ordered(0, 2),
            ],
            DistKind::Normal | DistKind::LogNormal => &[Rule::NonNegative(1)],
        }
    }

    /// The open interval the ends of `ci90 = [lo, hi]` must lie in, or
    /// `None` when the kind does not accept `ci90`.
    pub fn ci90_range(self) -> Option<(f64, f64)> {
        match self {
            DistKind::Beta => Some((0.0, 1.0)),
            DistKind::Normal => Some((f64::NEG_INFINITY, f64::INFINITY)),
            DistKind::LogNormal | DistKind::Gamma => Some((0.0, f64::INFINITY)),
            _ => None,
        }
    }

    /// Whether the kind accepts `ci90 = [lo, hi]` instead of its own keys.
    pub fn accepts_ci90(self) -> bool {
        self.ci90_range().is_some()
    }

    /// The kinds that accept `ci90`, as a sentence fragment:
    /// "beta, normal and lognormal".
    pub fn ci90_kinds() -> String {
        let names: Vec<&str> = DistKind::ALL
            .into_iter()
            .filter(|kind| kind.accepts_ci90())
            .map(DistKind::name)
            .collect();
        match names.split_last() {
            Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
            _ => names.join(""),
        }
    }

    /// The smallest interval holding every value a distribution of this
    /// kind can take when each argument lies in its interval: `args[i]` is
    /// `(lo, hi)` of the argument `keys()[i]`; a missing one may be anything.
    pub fn support_over(self, args: &[(f64, f64)]) -> (f64, f64) {
        const ANY: (f64, f64) = (f64::NEG_INFINITY, f64::INFINITY);
        let arg = |i: usize| args.get(i).copied().unwrap_or(ANY);
        let zero = |i: usize| arg(i) == (0.0, 0.0);
        match self {
            DistKind::Fixed => arg(0),
            DistKind::Uniform => (arg(0).0, arg(1).1),
            DistKind::Beta => (0.0, 1.0),
            DistKind::Pert | DistKind::Triangular => (arg(0).0, arg(2).1),
            DistKind::Normal if zero(1) => arg(0),
            DistKind::Normal => ANY,
            DistKind::LogNormal if zero(1) => (arg(0).0.exp(), arg(0).1.exp()),
            DistKind::LogNormal | DistKind::Gamma => (0.0, f64::INFINITY),
        }
    }

    /// Typical valid arguments, for benchmarks and tests.
    pub fn example_args(self) -> &'static [f64] {
        match self {
            DistKind::Fixed => &[0.0],
            DistKind::Uniform => &[0.0, 1.0],
            DistKind::Beta => &[2.0, 5.0],
            DistKind::Pert | DistKind::Triangular => &[0.0, 1.0, 4.0],
            DistKind::Normal | DistKind::LogNormal => &[0.0, 1.0],
            DistKind::Gamma => &[2.0, 1.0],
        }
    }

    /// The first rule that the known arguments break (`None`: not known
    /// yet, as an argument computed per trial is at load time). `args` are
    /// in the order of `keys()`; missing ones count as unknown.
    pub fn check(self, args: &[Option<f64>]) -> Result<(), DomainError> {
        match first_broken(self, |i| args.get(i).copied().flatten()) {
            Some(error) => Err(error),
            None => Ok(()),
        }
    }

    /// The first rule that the known ends of `ci90 = [lo, hi]` break: the
    /// kind must accept `ci90`, both ends must be finite, lo < hi, and both
    /// must lie in [`DistKind::ci90_range`].
    pub fn check_ci90(self, lo: Option<f64>, hi: Option<f64>) -> Result<(), DomainError> {
        let name = self.name();
        let Some((low, high)) = self.ci90_range() else {
            return Err(DomainError::new(
                None,
                format!(
                    "{name} does not accept ci90; only {} do",
                    DistKind::ci90_kinds()
                ),
            ));
        };
        for (i, end) in [lo, hi].into_iter().enumerate() {
            if let Some(x) = end
                && !x.is_finite()
            {
                return Err(DomainError::new(
                    Some(i),
                    format!("ci90 of `{name}` holds {x}, not a finite number"),
                ));
            }
        }
        if let (Some(lo), Some(hi)) = (lo, hi)
            && lo >= hi
        {
            return Err(DomainError::new(
                None,
                format!("ci90 needs lo < hi, got [{lo}, {hi}]"),
            ));
        }
        let needs = match (low.is_finite(), high.is_finite()) {
            (true, true) => format!("{low} < lo < hi < {high}"),
            (true, false) => format!("{low} < lo"),
            (false, true) => format!("hi < {high}"),
            (false, false) => return Ok(()),
        };
        if let Some(lo) = lo
            && lo <= low
        {
            return Err(DomainError::new(
                Some(0),
                format!("ci90 of {name} needs {needs}, got lo = {lo}"),
            ));
        }
        if let Some(hi) = hi
            && hi >= high
        {
            return Err(DomainError::new(
                Some(1),
                format!("ci90 of {name} needs {needs}, got hi = {hi}"),
            ));
        }
        Ok(())
    }
}

/// The most arguments a kind takes.
pub const MAX_ARGS: usize = 3;

/// A rule on a kind's arguments, by their indices in [`DistKind::keys`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rule {
    /// The argument must be > 0.
    Positive(usize),
    /// The argument must be >= 0.
    NonNegative(usize),
    /// The first argument must be <= the second; the second is blamed.
    Ordered(usize, usize),
}

/// The first rule of `kind` that the known arguments (`arg(i)`, `None`
/// when unknown) break: every argument finite, then `kind.rules()`.
#[inline]
fn first_broken(kind: DistKind, arg: impl Fn(usize) -> Option<f64>) -> Option<DomainError> {
    let keys = kind.keys();
    for i in 0..keys.len() {
        if let Some(x) = arg(i)
            && !x.is_finite()
        {
            return Some(not_finite(kind, i, x));
        }
    }
    for &rule in kind.rules() {
        let (i, j) = match rule {
            Rule::Positive(i) | Rule::NonNegative(i) => (i, i),
            Rule::Ordered(i, j) => (i, j),
        };
        let (Some(a), Some(b)) = (arg(i), arg(j)) else {
            continue;
        };
        let holds = match rule {
            Rule::Positive(_) => a > 0.0,
            Rule::NonNegative(_) => a >= 0.0,
            Rule::Ordered(..) => a <= b,
        };
        if !holds {
            return Some(broken(kind, rule, a, b));
        }
    }
    None
}

/// The key of argument `i` of `kind`.
fn key(kind: DistKind, i: usize) -> &'static str {
    kind.keys().get(i).copied().unwrap_or("argument")
}

/// The error for argument `i` holding the non-finite `x`.
#[cold]
fn not_finite(kind: DistKind, i: usize, x: f64) -> DomainError {
    let message = format!(
        "{} of `{}` is {x}, not a finite number",
        key(kind, i),
        kind.name()
    );
    DomainError::new(Some(i), message)
}

/// The error for a broken rule, whose arguments hold `a` and `b`.
#[cold]
fn broken(kind: DistKind, rule: Rule, a: f64, b: f64) -> DomainError {
    let name = kind.name();
    let key = |i: usize| key(kind, i);
    match rule {
        Rule::Positive(i) => {
            let k = key(i);
            DomainError::new(Some(i), format!("{name} needs {k} > 0, got {k} = {a}"))
        }
        Rule::NonNegative(i) => {
            let k = key(i);
            DomainError::new(Some(i), format!("{name} needs {k} >= 0, got {k} = {a}"))
        }
        Rule::Ordered(i, j) => {
            let (ki, kj) = (key(i), key(j));
            DomainError::new(
                Some(j),
                format!("{name} needs {ki} <= {kj}, got {ki} = {a} and {kj} = {b}"),
            )
        }
    }
}

/// Why a distribution's arguments were refused: which rule was broken, as a
/// sentence fit to show a user ("beta needs a > 0, got a = 0"), and which
/// argument to blame.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct DomainError {
    /// The argument to blame: its index in `kind.keys()`, or for a `ci90`
    /// form 0 for lo and 1 for hi; `None` when no single argument is to
    /// blame (a wrong count, crossed ends, a `ci90` that cannot be matched).
    pub argument: Option<usize>,
    /// The sentence.
    pub message: String,
}

impl DomainError {
    fn new(argument: Option<usize>, message: String) -> DomainError {
        DomainError { argument, message }
    }
}

/// A validated distribution. Degenerate forms (sd = 0, low = high,
/// min = mode = max) are point masses. Its variants can be read (with `..`
/// in patterns) but not built outside this crate: build one with
/// [`Dist::new`] or [`Dist::from_ci90`].
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub enum Dist {
    /// A point mass.
    #[non_exhaustive]
    Fixed {
        /// The value.
        value: f64,
    },
    /// Uniform on [low, high].
    #[non_exhaustive]
    Uniform {
        /// Lower end.
        low: f64,
        /// Upper end.
        high: f64,
    },
    /// Beta(a, b) on [0, 1].
    #[non_exhaustive]
    Beta {
        /// First shape.
        a: f64,
        /// Second shape.
        b: f64,
    },
    /// PERT with shape 4: a Beta(1 + 4(mode-min)/(max-min), 1 + 4(max-mode)/(max-min)) scaled to [min, max].
    #[non_exhaustive]
    Pert {
        /// Lower end.
        min: f64,
        /// Most likely value.
        mode: f64,
        /// Upper end.
        max: f64,
    },
    /// Triangular on [min, max] with its peak at mode.
    #[non_exhaustive]
    Triangular {
        /// Lower end.
        min: f64,
        /// Peak.
        mode: f64,
        /// Upper end.
        max: f64,
    },
    /// Normal(mean, sd).
    #[non_exhaustive]
    Normal {
        /// Mean.
        mean: f64,
        /// Standard deviation.
        sd: f64,
    },
    /// exp(Normal(mu, sigma)).
    #[non_exhaustive]
    LogNormal {
        /// Mean of the underlying normal.
        mu: f64,
        /// Standard deviation of the underlying normal.
        sigma: f64,
    },
    /// Gamma with a shape and a scale: density x^(shape-1) e^(-x/scale).
    #[non_exhaustive]
    Gamma {
        /// Shape.
        shape: f64,
        /// Scale.
        scale: f64,
    },
}

impl Dist {
    /// The one validated constructor: checks `args`, given in the order of
    /// `kind.keys()`, against [`DistKind::rules`] (every argument finite,
    /// `beta` a > 0 and b > 0, `uniform` low <= high, `pert` and
    /// `triangular` min <= mode <= max, `normal` sd >= 0, `lognormal`
    /// sigma >= 0) and builds the distribution. A wrong number of
    /// arguments is a `DomainError` too.
    #[inline]
    pub fn new(kind: DistKind, args: &[f64]) -> Result<Dist, DomainError> {
        if args.len() != kind.keys().len() {
            return Err(wrong_count(kind, args.len()));
        }
        if let Some(error) = first_broken(kind, |i| args.get(i).copied()) {
            return Err(error);
        }
        let dist = match (kind, args) {
            (DistKind::Fixed, &[value]) => Dist::Fixed { value },
            (DistKind::Uniform, &[low, high]) => Dist::Uniform { low, high },
            (DistKind::Beta, &[a, b]) => Dist::Beta { a, b },
            (DistKind::Pert, &[min, mode, max]) => Dist::Pert { min, mode, max },
            (DistKind::Triangular, &[min, mode, max]) => Dist::Triangular { min, mode, max },
            (DistKind::Normal, &[mean, sd]) => Dist::Normal { mean, sd },
            (DistKind::LogNormal, &[mu, sigma]) => Dist::LogNormal { mu, sigma },
            (DistKind::Gamma, &[shape, scale]) => Dist::Gamma { shape, scale },
            _ => return Err(wrong_count(kind, args.len())),
        };
        Ok(dist)
    }

    /// The distribution of `kind` whose 5% and 95% quantiles are `lo` and
    /// `hi`, after [`DistKind::check_ci90`]: closed forms for normal and
    /// lognormal, for beta a numerical solve checked to 1e-9 on both
    /// quantiles. Other kinds are a `DomainError`.
    pub fn from_ci90(kind: DistKind, lo: f64, hi: f64) -> Result<Dist, DomainError> {
        kind.check_ci90(Some(lo), Some(hi))?;
        let name = kind.name();
        let unmatched = || {
            DomainError::new(
                None,
                format!(
                    "{name} ci90 [{lo}, {hi}] cannot be matched: no {name} distribution \
                     with these 5% and 95% quantiles was found to 1e-9"
                ),
            )
        };
        match kind {
            DistKind::Normal => {
                // lo + (hi - lo) / 2 cannot overflow where (lo + hi) / 2 could.
                Dist::new(kind, &[lo + 0.5 * (hi - lo), (hi - lo) / (2.0 * Z95)])
            }
            DistKind::LogNormal => {
                let (ln_lo, ln_hi) = (lo.ln(), hi.ln());
                Dist::new(
                    kind,
                    &[0.5 * (ln_lo + ln_hi), (ln_hi - ln_lo) / (2.0 * Z95)],
                )
            }
            DistKind::Beta => {
                let (a, b) = ci90::solve_beta(lo, hi).ok_or_else(unmatched)?;
                let dist = Dist::new(kind, &[a, b]).map_err(|_| unmatched())?;
                let matched = (dist.quantile(0.05) - lo).abs() <= 1e-9
                    && (dist.quantile(0.95) - hi).abs() <= 1e-9;
                if matched { Ok(dist) } else { Err(unmatched()) }
            }
            DistKind::Gamma => {
                let (shape, scale) = solve_gamma(lo, hi).ok_or_else(unmatched)?;
                let dist = Dist::new(kind, &[shape, scale]).map_err(|_| unmatched())?;
                let matched = (dist.quantile(0.05) - lo).abs() <= 1e-9 * lo
                    && (dist.quantile(0.95) - hi).abs() <= 1e-9 * hi;
                if matched { Ok(dist) } else { Err(unmatched()) }
            }
            _ => Err(unmatched()),
        }
    }

    /// The arguments, in the order of `kind().keys()`.
    pub fn args(&self) -> Vec<f64> {
        match *self {
            Dist::Fixed { value } => vec![value],
            Dist::Uniform { low, high } => vec![low, high],
            Dist::Beta { a, b } => vec![a, b],
            Dist::Pert { min, mode, max } | Dist::Triangular { min, mode, max } => {
                vec![min, mode, max]
            }
            Dist::Normal { mean, sd } => vec![mean, sd],
            Dist::LogNormal { mu, sigma } => vec![mu, sigma],
            Dist::Gamma { shape, scale } => vec![shape, scale],
        }
    }

    /// The smallest interval holding every value it can take.
    pub fn support(&self) -> (f64, f64) {
        let args: Vec<(f64, f64)> = self.args().into_iter().map(|x| (x, x)).collect();
        self.kind().support_over(&args)
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
            Dist::Gamma { .. } => DistKind::Gamma,
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
            Dist::Gamma { shape, scale } => scale * special::gamma_quantile(shape, u),
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
            Dist::Gamma { shape, scale } => special::gamma_cdf_pair(shape, x / scale).0,
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
            Dist::Gamma { shape, scale } => shape * scale,
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
            Dist::Gamma { shape, scale } => shape * scale * scale,
        }
    }

    /// One draw with the fastest exact sampler for the kind: a [`Sampler`]
    /// built for this one draw (the trial loop keeps one per node when the
    /// arguments stay fixed for a whole parameter draw). The number of `rng` words it consumes may
    /// vary (rejection sampling), so the engine hands it a generator of the
    /// node's own.
    #[inline]
    pub fn sample<R: rand::Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        Sampler::new(*self).sample(rng)
    }
}

/// The error for `n` arguments where `kind` takes another number.
#[cold]
fn wrong_count(kind: DistKind, n: usize) -> DomainError {
    let keys = kind.keys();
    let message = format!(
        "{} needs {} argument{} ({}), got {n}",
        kind.name(),
        keys.len(),
        if keys.len() == 1 { "" } else { "s" },
        keys.join(", "),
    );
    DomainError::new(None, message)
}

/// The 95% point of the standard normal, which `ci90` forms divide by.
const Z95: f64 = 1.644_853_626_951_472_2;

/// The gamma (shape, scale) whose 5% and 95% quantiles are lo and hi, for
/// 0 < lo < hi, or `None` when the shape would leave [1e-2, 1e8] (there the
/// quantiles underflow or the interval is a point mass in all but name).
/// The width ln(q95 / q05) does not depend on the scale and falls as the
/// shape grows, so the shape is solved on it alone (regula falsi, Illinois
/// variant, on ln shape, from the large-shape guess (2 z95 / width)^2),
/// then the scale puts q05 on lo. The caller checks both quantiles.
fn solve_gamma(lo: f64, hi: f64) -> Option<(f64, f64)> {
    const LN_SHAPE_BOUNDS: (f64, f64) = (-4.605_170_185_988_091, 18.420_680_743_952_367);
    let target = (hi / lo).ln();
    let excess = |theta: f64| {
        let shape = theta.exp();
        let width =
            (special::gamma_quantile(shape, 0.95) / special::gamma_quantile(shape, 0.05)).ln();
        width - target
    };
    let inside = |theta: f64| (LN_SHAPE_BOUNDS.0..=LN_SHAPE_BOUNDS.1).contains(&theta);
    let guess = 2.0 * (2.0 * Z95 / target).ln();
    let mut a = guess.clamp(LN_SHAPE_BOUNDS.0, LN_SHAPE_BOUNDS.1);
    let mut fa = excess(a);
    // Too wide a width wants a larger shape: walk until the sign changes.
    let step = if fa > 0.0 { 1.0 } else { -1.0 };
    let mut b = a + step;
    let mut fb = excess(b);
    while fa.signum() == fb.signum() {
        if !(inside(b) && fb.is_finite()) {
            return None;
        }
        (a, fa) = (b, fb);
        b += step;
        fb = excess(b);
    }
    for _ in 0..200 {
        if fb.abs() <= 1e-14 * target.max(1e-300) || (b - a).abs() <= 1e-15 {
            break;
        }
        let c = b - fb * (b - a) / (fb - fa);
        let fc = excess(c);
        if !fc.is_finite() {
            return None;
        }
        if fc.signum() == fb.signum() {
            // Illinois: halve the stale end's value so it moves too.
            fa *= 0.5;
        } else {
            (a, fa) = (b, fb);
        }
        (b, fb) = (c, fc);
    }
    let shape = b.exp();
    inside(b).then(|| (shape, lo / special::gamma_quantile(shape, 0.05)))
}

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
