//! Bounding one expression over a box of variables: the engine of the range
//! analysis (`ranges` decides what to bound and what to say about it).
//!
//! Plain interval evaluation over-approximates whenever a variable appears
//! twice (`x * (1 - x)` over [0, 1] gives [0, 1], the truth is [0, 1/4]).
//! Three things make the bounds tighter, in this order:
//! - `if` branches are evaluated on the part of the box where their
//!   condition can hold (`if(x > 1, 1, x)` is at most 1), and so are the
//!   right operands of `and` and `or` and a table row after its `when`s;
//! - an expression proved monotone in a variable (its derivative interval
//!   keeps one sign) is bounded at that variable's ends, which is exact for
//!   the common monotone cases (`x + (1 - x)` is 1);
//! - when a bound breaks the caller's domain, the box is split (booleans
//!   and states value by value, numbers in halves) and the halves bounded
//!   again, within a budget: what is left is the hull of the pieces.
//!
//! Every step keeps an over-approximation, so the result always contains
//! the expression's true range.

use std::cell::Cell;

use crate::interval::{Dual, ENTIRE, Iv};
use crate::ir::{BinaryOp, Expr, Function, Ref, UnaryOp};

/// Boxes bounded per expression before the search settles for what it has.
const BUDGET: usize = 256;

/// How often a bound re-derives after fixing monotone variables.
const MONOTONE_ROUNDS: usize = 3;

/// Steps (expression nodes evaluated or refined) one bound may take. Nested
/// conditions cost more than their size (each `if` looks at its condition
/// three times), so a hostile expression could take exponential time: past
/// this, the bound gives up and the expression is not checked.
const FUEL: u64 = 2_000_000;

/// The values a variable (a param or a node) can take.
#[derive(Clone, Debug, PartialEq)]
pub struct Var {
    /// Their hull.
    pub iv: Iv,
    /// For booleans and categorical nodes, the values themselves (sorted).
    pub values: Option<Vec<f64>>,
}

impl Var {
    /// Any number in `iv`.
    pub fn continuous(iv: Iv) -> Var {
        Var { iv, values: None }
    }

    /// One of `values` (at least one).
    pub fn discrete(mut values: Vec<f64>) -> Var {
        values.sort_by(f64::total_cmp);
        values.dedup();
        let iv = hull_of(&values);
        Var {
            iv,
            values: Some(values),
        }
    }

    /// The values within `keep`, or `None` when none is left.
    fn keep(&self, keep: impl Fn(f64) -> bool, within: Iv) -> Option<Var> {
        match &self.values {
            Some(values) => {
                let left: Vec<f64> = values.iter().copied().filter(|&x| keep(x)).collect();
                (!left.is_empty()).then(|| Var::discrete(left))
            }
            None => self.iv.meet(within).map(Var::continuous),
        }
    }

    /// The smallest variable holding both.
    fn hull(&self, other: &Var) -> Var {
        match (&self.values, &other.values) {
            (Some(a), Some(b)) => Var::discrete(a.iter().chain(b).copied().collect()),
            _ => Var::continuous(self.iv.hull(other.iv)),
        }
    }
}

fn hull_of(values: &[f64]) -> Iv {
    let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    Iv::new(lo, hi)
}

/// An expression's bounds: an interval that holds every value it can take,
/// and whether it can be undefined (NaN or a run-time error).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Bounds {
    /// The interval.
    pub iv: Iv,
    /// Whether the value can be undefined.
    pub nan: bool,
}

impl Bounds {
    fn hull(self, other: Bounds) -> Bounds {
        Bounds {
            iv: self.iv.hull(other.iv),
            nan: self.nan || other.nan,
        }
    }
}

/// Bounds `expr` where each name ranges over `var(name)` and each
/// `(condition, holds)` of `given` is known to be `holds`. `accept` says
/// whether bounds are good enough; only bounds it refuses are refined by
/// splitting. `None` when the conditions cannot hold together, or when the
/// expression is too costly to bound ([`FUEL`]).
pub fn bound(
    expr: &Expr,
    var: &dyn Fn(Ref) -> Var,
    given: &[(&Expr, bool)],
    accept: &dyn Fn(Bounds) -> bool,
) -> Option<Bounds> {
    let mut refs = Vec::new();
    collect(expr, &mut refs);
    for (condition, _) in given {
        collect(condition, &mut refs);
    }
    let bounder = Bounder {
        refs,
        fuel: Cell::new(FUEL),
    };
    let mut space: Vec<Var> = bounder.refs.iter().map(|&r| var(r)).collect();
    for &(condition, holds) in given {
        space = bounder.refine(condition, &space, holds)?;
    }
    let bounds = bounder.search(expr, space, accept);
    (bounder.fuel.get() > 0).then_some(bounds)
}

/// The distinct params and nodes an expression names, in first-mention order.
pub(crate) fn collect(expr: &Expr, refs: &mut Vec<Ref>) {
    match expr {
        Expr::Ref(r @ (Ref::Param(_) | Ref::Node(_))) => {
            if !refs.contains(r) {
                refs.push(*r);
            }
        }
        Expr::Unary(_, a) => collect(a, refs),
        Expr::Binary(_, a, b) => {
            collect(a, refs);
            collect(b, refs);
        }
        Expr::If(c, a, b) => {
            collect(c, refs);
            collect(a, refs);
            collect(b, refs);
        }
        Expr::Call(_, args) => args.iter().for_each(|a| collect(a, refs)),
        Expr::Number(_) | Expr::Boolean(_) | Expr::State(_) | Expr::Ref(Ref::Outcome(_)) => {}
    }
}

/// The comparison `var op k`, after moving the variable to the left.
#[derive(Clone, Copy, PartialEq)]
enum Rel {
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
}

impl Rel {
    fn of(op: BinaryOp) -> Option<Rel> {
        Some(match op {
            BinaryOp::Lt => Rel::Lt,
            BinaryOp::Le => Rel::Le,
            BinaryOp::Gt => Rel::Gt,
            BinaryOp::Ge => Rel::Ge,
            BinaryOp::Eq => Rel::Eq,
            BinaryOp::Ne => Rel::Ne,
            _ => return None,
        })
    }

    /// `k op var` as `var op' k`.
    fn flip(self) -> Rel {
        match self {
            Rel::Lt => Rel::Gt,
            Rel::Le => Rel::Ge,
            Rel::Gt => Rel::Lt,
            Rel::Ge => Rel::Le,
            other => other,
        }
    }

    fn negate(self) -> Rel {
        match self {
            Rel::Lt => Rel::Ge,
            Rel::Le => Rel::Gt,
            Rel::Gt => Rel::Le,
            Rel::Ge => Rel::Lt,
            Rel::Eq => Rel::Ne,
            Rel::Ne => Rel::Eq,
        }
    }
}

struct Bounder {
    refs: Vec<Ref>,
    /// Steps left; at 0 every evaluation returns at once.
    fuel: Cell<u64>,
}

impl Bounder {
    /// Takes one step of fuel; false when there is none left.
    fn step(&self) -> bool {
        let left = self.fuel.get();
        self.fuel.set(left.saturating_sub(1));
        left > 0
    }

    fn index(&self, r: Ref) -> Option<usize> {
        self.refs.iter().position(|&x| x == r)
    }

    fn eval(&self, expr: &Expr, space: &[Var]) -> Dual {
        let n = self.refs.len();
        if !self.step() {
            return Dual {
                v: ENTIRE,
                d: vec![ENTIRE; n],
                nan: true,
            };
        }
        match expr {
            Expr::Number(x) => Dual::constant(*x, n),
            Expr::Boolean(b) => Dual::constant(f64::from(u8::from(*b)), n),
            Expr::State(s) => Dual::constant(s.value(), n),
            Expr::Ref(r) => match self.index(*r) {
                Some(i) => Dual::variable(space[i].iv, i, n),
                None => Dual {
                    v: ENTIRE,
                    d: vec![Iv::point(0.0); n],
                    nan: false,
                },
            },
            Expr::Unary(UnaryOp::Neg, a) => self.eval(a, space).neg(),
            Expr::Unary(UnaryOp::Not, a) => self.eval(a, space).not(),
            Expr::Binary(op, a, b) => self.binary(*op, a, b, space),
            Expr::If(c, a, b) => self.if_(c, a, b, space),
            Expr::Call(f, args) => self.call(*f, args, space),
        }
    }

    fn binary(&self, op: BinaryOp, a: &Expr, b: &Expr, space: &[Var]) -> Dual {
        let arithmetic =
            |f: fn(&Dual, &Dual) -> Dual| f(&self.eval(a, space), &self.eval(b, space));
        match op {
            BinaryOp::And => self.lazy(a, b, space, true),
            BinaryOp::Or => self.lazy(a, b, space, false),
            BinaryOp::Add => arithmetic(Dual::add),
            BinaryOp::Sub => arithmetic(Dual::sub),
            BinaryOp::Mul => arithmetic(Dual::mul),
            BinaryOp::Div => arithmetic(Dual::div),
            BinaryOp::Pow => arithmetic(Dual::pow),
            BinaryOp::Gt => arithmetic(|x, y| x.greater(y, true)),
            BinaryOp::Ge => arithmetic(|x, y| x.greater(y, false)),
            BinaryOp::Lt => arithmetic(|x, y| y.greater(x, true)),
            BinaryOp::Le => arithmetic(|x, y| y.greater(x, false)),
            BinaryOp::Eq => arithmetic(Dual::equal),
            BinaryOp::Ne => arithmetic(|x, y| x.equal(y).not()),
        }
    }

    /// `a and b` (`and`) or `a or b`: the right side is evaluated only
    /// where the left one lets it, so it is bounded there.
    fn lazy(&self, a: &Expr, b: &Expr, space: &[Var], and: bool) -> Dual {
        let left = self.eval(a, space);
        let decided = if and { 0.0 } else { 1.0 };
        if left.v == Iv::point(decided) {
            return left;
        }
        let Some(part) = self.refine(a, space, and) else {
            return left;
        };
        let right = self.eval(b, &part);
        if and {
            left.min(&right)
        } else {
            left.max(&right)
        }
    }

    fn if_(&self, c: &Expr, a: &Expr, b: &Expr, space: &[Var]) -> Dual {
        let condition = self.eval(c, space);
        let mut out = if condition.v == Iv::point(1.0) {
            self.eval(a, space)
        } else if condition.v == Iv::point(0.0) {
            self.eval(b, space)
        } else {
            let then = self.refine(c, space, true).map(|s| self.eval(a, &s));
            let otherwise = self.refine(c, space, false).map(|s| self.eval(b, &s));
            match (then, otherwise) {
                (Some(x), Some(y)) => {
                    // The result can jump where the condition flips.
                    let mut jumps = vec![false; self.refs.len()];
                    let mut in_condition = Vec::new();
                    collect(c, &mut in_condition);
                    for r in in_condition {
                        if let Some(i) = self.index(r) {
                            jumps[i] = true;
                        }
                    }
                    x.join(&y, &jumps)
                }
                (Some(x), None) => x,
                (None, Some(y)) => y,
                (None, None) => self
                    .eval(a, space)
                    .join(&self.eval(b, space), &vec![true; self.refs.len()]),
            }
        };
        out.nan |= condition.nan;
        out
    }

    fn call(&self, f: Function, args: &[Expr], space: &[Var]) -> Dual {
        let values: Vec<Dual> = args.iter().map(|a| self.eval(a, space)).collect();
        let n = self.refs.len();
        let Some(first) = values.first() else {
            return Dual::constant(f64::NAN, n);
        };
        match f {
            Function::Min => values[1..].iter().fold(first.clone(), |m, x| m.min(x)),
            Function::Max => values[1..].iter().fold(first.clone(), |m, x| m.max(x)),
            Function::Clamp => match values.as_slice() {
                [x, lo, hi] => {
                    let mut out = x.max(lo).min(hi);
                    // `lo > hi` is a run-time error.
                    out.nan |= lo.v.hi > hi.v.lo;
                    out
                }
                _ => Dual::constant(f64::NAN, n),
            },
            Function::Logistic => first.logistic(),
            Function::Logit => first.logit(),
            Function::Exp => first.exp(),
            Function::Ln => first.ln(),
            Function::Sqrt => first.sqrt(),
            Function::Abs => first.abs(),
            Function::Floor => first.step(f64::floor),
            Function::Round => first.step(f64::round),
        }
    }

    /// The part of `space` where `condition` can be `holds`; `None` where
    /// it cannot be.
    fn refine(&self, condition: &Expr, space: &[Var], holds: bool) -> Option<Vec<Var>> {
        if !self.step() {
            return Some(space.to_vec());
        }
        let narrowed = match condition {
            Expr::Boolean(b) => (*b == holds).then(|| space.to_vec()),
            Expr::Ref(r) => match self.index(*r) {
                Some(i) => {
                    let want = f64::from(u8::from(holds));
                    self.narrow(space, i, Rel::Eq, Iv::point(want))
                }
                None => Some(space.to_vec()),
            },
            Expr::Unary(UnaryOp::Not, a) => self.refine(a, space, !holds),
            Expr::Binary(BinaryOp::And, a, b) if holds => {
                let part = self.refine(a, space, true)?;
                self.refine(b, &part, true)
            }
            Expr::Binary(BinaryOp::Or, a, b) if !holds => {
                let part = self.refine(a, space, false)?;
                self.refine(b, &part, false)
            }
            // `a and b` is false where `a` is, or where `a` holds and `b`
            // does not; `or` is the mirror.
            Expr::Binary(op @ (BinaryOp::And | BinaryOp::Or), a, b) => {
                let and = *op == BinaryOp::And;
                let first = self.refine(a, space, !and);
                let second = self
                    .refine(a, space, and)
                    .and_then(|part| self.refine(b, &part, holds));
                match (first, second) {
                    (Some(x), Some(y)) => Some(x.iter().zip(&y).map(|(p, q)| p.hull(q)).collect()),
                    (x, y) => x.or(y),
                }
            }
            Expr::Binary(op, a, b) => match Rel::of(*op) {
                Some(rel) => {
                    let rel = if holds { rel } else { rel.negate() };
                    let mut part = space.to_vec();
                    if let Expr::Ref(r) = a.as_ref()
                        && let Some(i) = self.index(*r)
                    {
                        let k = self.eval(b, &part).v;
                        part = self.narrow(&part, i, rel, k)?;
                    }
                    if let Expr::Ref(r) = b.as_ref()
                        && let Some(i) = self.index(*r)
                    {
                        let k = self.eval(a, &part).v;
                        part = self.narrow(&part, i, rel.flip(), k)?;
                    }
                    Some(part)
                }
                None => Some(space.to_vec()),
            },
            _ => Some(space.to_vec()),
        }?;
        // Whatever the narrowing, a condition that cannot be `holds` here
        // rules the part out.
        let value = self.eval(condition, &narrowed).v;
        let cannot = if holds {
            value == Iv::point(0.0)
        } else {
            value == Iv::point(1.0)
        };
        (!cannot).then_some(narrowed)
    }

    /// `space` with variable `i` kept to where `var rel k` can hold for some
    /// `k` in the interval.
    fn narrow(&self, space: &[Var], i: usize, rel: Rel, k: Iv) -> Option<Vec<Var>> {
        let var = &space[i];
        let inf = f64::INFINITY;
        let kept = match rel {
            Rel::Gt => var.keep(|x| x > k.lo, Iv::new(k.lo, inf)),
            Rel::Ge => var.keep(|x| x >= k.lo, Iv::new(k.lo, inf)),
            Rel::Lt => var.keep(|x| x < k.hi, Iv::new(-inf, k.hi)),
            Rel::Le => var.keep(|x| x <= k.hi, Iv::new(-inf, k.hi)),
            Rel::Eq => var.keep(|x| k.contains(x), k),
            Rel::Ne => var.keep(|x| !(k.is_point() && x == k.lo), ENTIRE),
        }?;
        let mut part = space.to_vec();
        part[i] = kept;
        Some(part)
    }

    /// Bounds over one box: the interval evaluation, tightened at the ends
    /// of the variables it is monotone in.
    fn range(&self, expr: &Expr, space: &[Var]) -> (Bounds, Vec<Iv>) {
        let whole = self.eval(expr, space);
        let lo = self.monotone_end(expr, space, false, MONOTONE_ROUNDS);
        let hi = self.monotone_end(expr, space, true, MONOTONE_ROUNDS);
        let iv = whole.v.meet(Iv::new(lo, hi)).unwrap_or(whole.v);
        (Bounds { iv, nan: whole.nan }, whole.d)
    }

    /// The lower (or upper) bound found by fixing, round after round, every
    /// variable the expression is monotone in at the end that lowers (or
    /// raises) it.
    fn monotone_end(&self, expr: &Expr, space: &[Var], upper: bool, rounds: usize) -> f64 {
        let value = self.eval(expr, space);
        let end = if upper { value.v.hi } else { value.v.lo };
        if rounds == 0 {
            return end;
        }
        let mut fixed = space.to_vec();
        let mut changed = false;
        for (i, var) in space.iter().enumerate() {
            if var.iv.is_point() {
                continue;
            }
            let d = value.d[i];
            let rising = d.lo >= 0.0;
            let falling = d.hi <= 0.0;
            if !rising && !falling {
                continue;
            }
            // Up to raise a rising expression, down to lower it.
            let at = if rising == upper {
                var.iv.hi
            } else {
                var.iv.lo
            };
            if !at.is_finite() {
                continue;
            }
            fixed[i] = match &var.values {
                Some(_) => Var::discrete(vec![at]),
                None => Var::continuous(Iv::point(at)),
            };
            changed = true;
        }
        if !changed {
            return end;
        }
        let inner = self.monotone_end(expr, &fixed, upper, rounds - 1);
        if upper {
            end.min(inner)
        } else {
            end.max(inner)
        }
    }

    /// Bounds `expr` over `space`, splitting boxes whose bounds `accept`
    /// refuses while the budget lasts.
    fn search(&self, expr: &Expr, space: Vec<Var>, accept: &dyn Fn(Bounds) -> bool) -> Bounds {
        let mut stack = vec![space];
        let mut found: Option<Bounds> = None;
        let mut spent = 0;
        while let Some(part) = stack.pop() {
            spent += 1;
            if self.fuel.get() == 0 {
                break;
            }
            let (bounds, slopes) = self.range(expr, &part);
            let halves = if accept(bounds) || spent + stack.len() >= BUDGET {
                None
            } else {
                split(&part, &slopes)
            };
            match halves {
                Some((a, b)) => {
                    stack.push(a);
                    stack.push(b);
                }
                None => found = Some(found.map_or(bounds, |f| f.hull(bounds))),
            }
        }
        found.unwrap_or(Bounds {
            iv: ENTIRE,
            nan: true,
        })
    }
}

/// Splits a box in two: a variable with several values by its values, else
/// the bounded number with the widest effect (width times slope). `None`
/// when nothing can be split.
fn split(space: &[Var], slopes: &[Iv]) -> Option<(Vec<Var>, Vec<Var>)> {
    let discrete = space
        .iter()
        .position(|v| v.values.as_ref().is_some_and(|values| values.len() > 1));
    let chosen = discrete.or_else(|| {
        space
            .iter()
            .enumerate()
            .filter(|(_, v)| v.values.is_none() && v.iv.width() > 0.0 && v.iv.width().is_finite())
            .map(|(i, v)| {
                let slope = slopes.get(i).map_or(1.0, |d| d.lo.abs().max(d.hi.abs()));
                let effect = if slope.is_nan() {
                    f64::INFINITY
                } else {
                    v.iv.width() * slope
                };
                (i, effect.max(v.iv.width() * 1e-12))
            })
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(i, _)| i)
    })?;
    let var = &space[chosen];
    let (left, right) = match &var.values {
        Some(values) => {
            let (a, b) = values.split_at(values.len() / 2);
            (Var::discrete(a.to_vec()), Var::discrete(b.to_vec()))
        }
        None => {
            let mid = var.iv.lo + var.iv.width() / 2.0;
            (
                Var::continuous(Iv::new(var.iv.lo, mid)),
                Var::continuous(Iv::new(mid, var.iv.hi)),
            )
        }
    };
    let mut a = space.to_vec();
    let mut b = space.to_vec();
    a[chosen] = left;
    b[chosen] = right;
    Some((a, b))
}
