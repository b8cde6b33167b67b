//! Interval arithmetic for the range analysis: closed intervals of `f64`
//! that may be unbounded, and [`Dual`] values that carry, with an
//! expression's interval, the interval of its partial derivative in each
//! variable (forward-mode differentiation over intervals). The derivatives
//! let `bound` prove an expression monotone in a variable and then bound it
//! exactly at that variable's ends: `x + (1 - x)` is 1, not [0, 2].
//!
//! Every operation is an over-approximation: the true set of values lies
//! inside the interval. Rounding is ignored (the checks allow 1e-9).

/// A closed interval `[lo, hi]`, `lo <= hi`, either end possibly infinite.
/// Never holds NaN: an undefined result is flagged on the [`Dual`] instead.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Iv {
    /// Lower end.
    pub lo: f64,
    /// Upper end.
    pub hi: f64,
}

/// The whole real line.
pub const ENTIRE: Iv = Iv {
    lo: f64::NEG_INFINITY,
    hi: f64::INFINITY,
};

/// The interval of a derivative that is non-negative but unbounded: the
/// "slope" of a step such as `floor` or `x > c`.
const STEP: Iv = Iv {
    lo: 0.0,
    hi: f64::INFINITY,
};

impl Iv {
    /// `[lo, hi]`, widened to the whole line at a NaN end.
    pub fn new(lo: f64, hi: f64) -> Iv {
        let lo = if lo.is_nan() { f64::NEG_INFINITY } else { lo };
        let hi = if hi.is_nan() { f64::INFINITY } else { hi };
        if lo <= hi {
            Iv { lo, hi }
        } else {
            Iv { lo: hi, hi: lo }
        }
    }

    /// The single point `x`.
    pub fn point(x: f64) -> Iv {
        Iv::new(x, x)
    }

    /// Whether the interval is a single point.
    pub fn is_point(self) -> bool {
        self.lo == self.hi
    }

    /// Whether `x` lies inside.
    pub fn contains(self, x: f64) -> bool {
        self.lo <= x && x <= self.hi
    }

    /// The smallest interval holding both.
    pub fn hull(self, other: Iv) -> Iv {
        Iv::new(self.lo.min(other.lo), self.hi.max(other.hi))
    }

    /// The common part, when there is one.
    pub fn meet(self, other: Iv) -> Option<Iv> {
        let (lo, hi) = (self.lo.max(other.lo), self.hi.min(other.hi));
        (lo <= hi).then_some(Iv { lo, hi })
    }

    /// `hi - lo` (infinite for an unbounded interval).
    pub fn width(self) -> f64 {
        self.hi - self.lo
    }

    fn add(self, o: Iv) -> Iv {
        Iv::new(self.lo + o.lo, self.hi + o.hi)
    }

    fn neg(self) -> Iv {
        Iv::new(-self.hi, -self.lo)
    }

    fn sub(self, o: Iv) -> Iv {
        self.add(o.neg())
    }

    fn mul(self, o: Iv) -> Iv {
        // 0 * inf counts as 0: a factor that is exactly 0 wins.
        let m = |a: f64, b: f64| if a == 0.0 || b == 0.0 { 0.0 } else { a * b };
        let c = [
            m(self.lo, o.lo),
            m(self.lo, o.hi),
            m(self.hi, o.lo),
            m(self.hi, o.hi),
        ];
        Iv::new(
            c.iter().copied().fold(f64::INFINITY, f64::min),
            c.iter().copied().fold(f64::NEG_INFINITY, f64::max),
        )
    }

    /// `self / o`, and whether it can be undefined (a division by zero).
    fn div(self, o: Iv) -> (Iv, bool) {
        if o.contains(0.0) {
            return (ENTIRE, true);
        }
        (self.mul(Iv::new(1.0 / o.hi, 1.0 / o.lo)), false)
    }

    /// Applies a non-decreasing function to both ends.
    fn up(self, f: impl Fn(f64) -> f64) -> Iv {
        Iv::new(f(self.lo), f(self.hi))
    }

    fn min(self, o: Iv) -> Iv {
        Iv::new(self.lo.min(o.lo), self.hi.min(o.hi))
    }
}

/// `x ^ c` for a constant `c`, and whether it can be undefined (a negative
/// base under a fractional power, or 0 under a negative one).
fn power(x: Iv, c: f64) -> (Iv, bool) {
    let p = |t: f64| t.powf(c);
    if c == 0.0 {
        return (Iv::point(1.0), false);
    }
    if c.fract() == 0.0 {
        if x.contains(0.0) && c < 0.0 {
            (ENTIRE, true)
        } else if x.contains(0.0) && c % 2.0 == 0.0 {
            (Iv::new(0.0, p(x.lo).max(p(x.hi))), false)
        } else {
            // Monotone on each side of 0 (`new` orders the ends).
            (Iv::new(p(x.lo), p(x.hi)), false)
        }
    } else {
        let inside = Iv::new(x.lo.max(0.0), x.hi.max(0.0));
        let undefined = x.lo < 0.0 || (c < 0.0 && inside.lo == 0.0);
        (Iv::new(p(inside.lo), p(inside.hi)), undefined)
    }
}

fn logistic(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

/// A value and its partial derivatives, all as intervals, and whether the
/// value can be undefined (NaN, or a run-time error such as a comparison
/// with NaN or `clamp` with crossed bounds).
#[derive(Clone, Debug, PartialEq)]
pub struct Dual {
    /// The value.
    pub v: Iv,
    /// One derivative per variable.
    pub d: Vec<Iv>,
    /// Whether the value can be undefined.
    pub nan: bool,
}

impl Dual {
    /// A constant over `n` variables.
    pub fn constant(x: f64, n: usize) -> Dual {
        Dual {
            v: Iv::point(x),
            d: vec![Iv::point(0.0); n],
            nan: x.is_nan(),
        }
    }

    /// Variable `i` of `n`, ranging over `v`.
    pub fn variable(v: Iv, i: usize, n: usize) -> Dual {
        let mut d = vec![Iv::point(0.0); n];
        d[i] = Iv::point(1.0);
        Dual { v, d, nan: false }
    }

    fn map_d(&self, f: impl Fn(Iv) -> Iv) -> Vec<Iv> {
        self.d.iter().map(|&d| f(d)).collect()
    }

    fn zip_d(&self, o: &Dual, f: impl Fn(Iv, Iv) -> Iv) -> Vec<Iv> {
        self.d.iter().zip(&o.d).map(|(&a, &b)| f(a, b)).collect()
    }

    /// `a + b`.
    pub fn add(&self, o: &Dual) -> Dual {
        Dual {
            v: self.v.add(o.v),
            d: self.zip_d(o, Iv::add),
            nan: self.nan || o.nan,
        }
    }

    /// `a - b`.
    pub fn sub(&self, o: &Dual) -> Dual {
        Dual {
            v: self.v.sub(o.v),
            d: self.zip_d(o, Iv::sub),
            nan: self.nan || o.nan,
        }
    }

    /// `-a`.
    pub fn neg(&self) -> Dual {
        Dual {
            v: self.v.neg(),
            d: self.map_d(Iv::neg),
            nan: self.nan,
        }
    }

    /// `a * b`.
    pub fn mul(&self, o: &Dual) -> Dual {
        Dual {
            v: self.v.mul(o.v),
            d: self.zip_d(o, |da, db| da.mul(o.v).add(self.v.mul(db))),
            nan: self.nan || o.nan,
        }
    }

    /// `a / b`.
    pub fn div(&self, o: &Dual) -> Dual {
        let (v, undefined) = self.v.div(o.v);
        let square = o.v.mul(o.v);
        let d = self.zip_d(o, |da, db| da.mul(o.v).sub(self.v.mul(db)).div(square).0);
        Dual {
            v,
            d,
            nan: self.nan || o.nan || undefined,
        }
    }

    /// `a ^ b`: exact for a constant exponent; otherwise through
    /// `exp(b ln a)`, which needs `a > 0`.
    pub fn pow(&self, o: &Dual) -> Dual {
        let nan = self.nan || o.nan;
        let constant = o.v.is_point() && o.d.iter().all(|d| *d == Iv::point(0.0));
        if constant {
            let c = o.v.lo;
            let mut out = self.powi_like(c);
            out.nan |= nan;
            return out;
        }
        if self.v.lo > 0.0 {
            let mut out = o.mul(&self.ln()).exp();
            out.nan |= nan;
            return out;
        }
        Dual {
            v: ENTIRE,
            d: vec![ENTIRE; self.d.len()],
            nan: true,
        }
    }

    /// `a ^ c` for a constant `c`.
    fn powi_like(&self, c: f64) -> Dual {
        if c == 0.0 {
            return Dual {
                v: Iv::point(1.0),
                d: vec![Iv::point(0.0); self.d.len()],
                nan: self.nan,
            };
        }
        let (v, undefined) = power(self.v, c);
        // The derivative c a^(c-1) a'.
        let slope = if c == 1.0 {
            Iv::point(1.0)
        } else {
            power(self.v, c - 1.0).0.mul(Iv::point(c))
        };
        Dual {
            v,
            d: self.map_d(|d| d.mul(slope)),
            nan: self.nan || undefined,
        }
    }

    /// `exp(a)`.
    pub fn exp(&self) -> Dual {
        let v = self.v.up(f64::exp);
        Dual {
            v,
            d: self.map_d(|d| d.mul(v)),
            nan: self.nan,
        }
    }

    /// `ln(a)`: undefined below 0, `-inf` at 0.
    pub fn ln(&self) -> Dual {
        let x = self.v;
        let inside = Iv::new(x.lo.max(0.0), x.hi.max(0.0));
        let v = inside.up(f64::ln);
        let slope = Iv::new(1.0 / inside.hi, 1.0 / inside.lo);
        Dual {
            v,
            d: self.map_d(|d| d.mul(slope)),
            nan: self.nan || x.lo < 0.0,
        }
    }

    /// `sqrt(a)`: undefined below 0.
    pub fn sqrt(&self) -> Dual {
        let x = self.v;
        let inside = Iv::new(x.lo.max(0.0), x.hi.max(0.0));
        let v = inside.up(f64::sqrt);
        let slope = Iv::new(0.5 / v.hi, 0.5 / v.lo);
        Dual {
            v,
            d: self.map_d(|d| d.mul(slope)),
            nan: self.nan || x.lo < 0.0,
        }
    }

    /// `logistic(a)`, whose slope `s(1 - s)` is at most 1/4, at 0.
    pub fn logistic(&self) -> Dual {
        let x = self.v;
        let v = x.up(logistic);
        let slope_at = |t: f64| {
            let s = logistic(t);
            s * (1.0 - s)
        };
        let (a, b) = (slope_at(x.lo), slope_at(x.hi));
        let top = if x.contains(0.0) { 0.25 } else { a.max(b) };
        let slope = Iv::new(a.min(b), top);
        Dual {
            v,
            d: self.map_d(|d| d.mul(slope)),
            nan: self.nan,
        }
    }

    /// `logit(a)` = ln(a / (1 - a)): undefined outside [0, 1], infinite at
    /// its ends; increasing, with slope 1 / (a (1 - a)) >= 4.
    pub fn logit(&self) -> Dual {
        let x = self.v;
        let inside = Iv::new(x.lo.clamp(0.0, 1.0), x.hi.clamp(0.0, 1.0));
        let v = inside.up(|t| (t / (1.0 - t)).ln());
        Dual {
            v,
            d: self.map_d(|d| d.mul(Iv::new(4.0, f64::INFINITY))),
            nan: self.nan || x.lo < 0.0 || x.hi > 1.0,
        }
    }

    /// `abs(a)`.
    pub fn abs(&self) -> Dual {
        let x = self.v;
        let (v, slope) = if x.lo >= 0.0 {
            (x, Iv::point(1.0))
        } else if x.hi <= 0.0 {
            (x.neg(), Iv::point(-1.0))
        } else {
            (Iv::new(0.0, x.hi.max(-x.lo)), Iv::new(-1.0, 1.0))
        };
        Dual {
            v,
            d: self.map_d(|d| d.mul(slope)),
            nan: self.nan,
        }
    }

    /// A non-decreasing step function (`floor`, `round`) applied to `a`.
    pub fn step(&self, f: impl Fn(f64) -> f64) -> Dual {
        Dual {
            v: self.v.up(f),
            d: self.map_d(|d| d.mul(STEP)),
            nan: self.nan,
        }
    }

    /// `min(a, b)`: one side where it is the smaller everywhere, else the
    /// hull, whose derivative is one of the two almost everywhere.
    pub fn min(&self, o: &Dual) -> Dual {
        let nan = self.nan || o.nan;
        let pick = |x: &Dual| Dual { nan, ..x.clone() };
        if self.v.hi <= o.v.lo {
            return pick(self);
        }
        if o.v.hi <= self.v.lo {
            return pick(o);
        }
        Dual {
            v: self.v.min(o.v),
            d: self.zip_d(o, Iv::hull),
            nan,
        }
    }

    /// `max(a, b)`, the mirror of [`Dual::min`].
    pub fn max(&self, o: &Dual) -> Dual {
        self.neg().min(&o.neg()).neg()
    }

    /// `a >= b` or `a > b` as 0 or 1 (`strict` for `>`): non-decreasing in
    /// `a`, non-increasing in `b`.
    pub fn greater(&self, o: &Dual, strict: bool) -> Dual {
        let (a, b) = (self.v, o.v);
        let v = if (strict && a.lo > b.hi) || (!strict && a.lo >= b.hi) {
            Iv::point(1.0)
        } else if (strict && a.hi <= b.lo) || (!strict && a.hi < b.lo) {
            Iv::point(0.0)
        } else {
            Iv::new(0.0, 1.0)
        };
        let d = if v.is_point() {
            vec![Iv::point(0.0); self.d.len()]
        } else {
            self.zip_d(o, |da, db| da.sub(db).mul(STEP))
        };
        Dual {
            v,
            d,
            nan: self.nan || o.nan,
        }
    }

    /// `a == b` as 0 or 1 (`!=` is its negation).
    pub fn equal(&self, o: &Dual) -> Dual {
        let (a, b) = (self.v, o.v);
        let v = if a.is_point() && b.is_point() && a.lo == b.lo {
            Iv::point(1.0)
        } else if a.meet(b).is_none() {
            Iv::point(0.0)
        } else {
            Iv::new(0.0, 1.0)
        };
        let d = if v.is_point() {
            vec![Iv::point(0.0); self.d.len()]
        } else {
            self.zip_d(o, |da, db| {
                if da == Iv::point(0.0) && db == Iv::point(0.0) {
                    da
                } else {
                    ENTIRE
                }
            })
        };
        Dual {
            v,
            d,
            nan: self.nan || o.nan,
        }
    }

    /// `not a` for a boolean 0 or 1.
    pub fn not(&self) -> Dual {
        Dual {
            v: Iv::new(1.0 - self.v.hi, 1.0 - self.v.lo),
            d: self.map_d(Iv::neg),
            nan: self.nan,
        }
    }

    /// The hull of two values (the branches of an undecided `if`): the
    /// derivatives in `jumps` (the condition's variables) are unknown.
    pub fn join(&self, o: &Dual, jumps: &[bool]) -> Dual {
        let d = self
            .d
            .iter()
            .zip(&o.d)
            .zip(jumps)
            .map(|((&a, &b), &jump)| if jump { ENTIRE } else { a.hull(b) })
            .collect();
        Dual {
            v: self.v.hull(o.v),
            d,
            nan: self.nan || o.nan,
        }
    }
}
