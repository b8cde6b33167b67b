//! Compiled expressions: the model's [`Expr`] with parameters, intervened
//! nodes and parameter-only subexpressions folded to constants, evaluated
//! over a slice of `f64` slots.
//!
//! Folding never raises an error that lazy evaluation would not raise: a
//! subexpression whose constant evaluation fails is kept as it is, so it fails
//! at run time exactly when a trial reaches it, and the untaken side of a
//! constant `if`, `and` or `or` is dropped without being looked at.

use std::sync::Arc;

use uchronia_model::{BinaryOp, Expr, Function, Ref, UnaryOp};

use crate::fault::{Fault, FaultKind};
use crate::index::Index;

/// Arithmetic operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Arith {
    Add,
    Sub,
    Mul,
    Div,
    Pow,
}

/// Comparison operators (a NaN operand is a run-time error).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Cmp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

/// One-argument functions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Math {
    Logistic,
    Logit,
    Exp,
    Ln,
    Sqrt,
    Abs,
    Floor,
    Round,
}

/// A compiled expression. Booleans are 0.0 and 1.0, states their ids.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum CExpr {
    /// A constant.
    Const(f64),
    /// The value of a node or outcome computed earlier in the trial.
    Slot(usize),
    /// `-x`.
    Neg(Box<CExpr>),
    /// `not x`.
    Not(Box<CExpr>),
    /// `a op b` for arithmetic.
    Arith(Arith, Box<CExpr>, Box<CExpr>),
    /// `a op b` for comparisons.
    Cmp(Cmp, Box<CExpr>, Box<CExpr>),
    /// `a and b`, lazy.
    And(Box<CExpr>, Box<CExpr>),
    /// `a or b`, lazy.
    Or(Box<CExpr>, Box<CExpr>),
    /// `if(c, a, b)`, lazy.
    If(Box<CExpr>, Box<CExpr>, Box<CExpr>),
    /// `if(slot, a, b)` with a boolean slot as the condition: the common
    /// shape of a conditional probability table, one step shorter.
    IfSlot(usize, Box<CExpr>, Box<CExpr>),
    /// A one-argument function.
    Math(Math, Box<CExpr>),
    /// `min(a, b, ...)`.
    Min(Vec<CExpr>),
    /// `max(a, b, ...)`.
    Max(Vec<CExpr>),
    /// `clamp(x, lo, hi)`.
    Clamp(Box<[CExpr; 3]>),
    /// A lookup table over discrete slots, with the expression as fallback.
    Table(Arc<Table>),
}

/// A tabulated expression with its original as the fallback.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Table {
    pub(crate) index: Index,
    /// [`Index::padded`] values; NaN where the expression must be evaluated.
    pub(crate) values: Vec<f64>,
    pub(crate) fallback: CExpr,
    /// Whether no value is NaN (no trial falls back to the expression).
    pub(crate) complete: bool,
}

/// What a reference resolves to while compiling.
pub(crate) struct Env<'a> {
    /// The parameter values of this draw and scenario.
    pub(crate) params: &'a [f64],
    /// Per node: its value when it is constant in this program.
    pub(crate) known: &'a [Option<f64>],
    /// The slot of outcome 0 (outcomes follow the nodes).
    pub(crate) outcome_base: usize,
}

fn truth(b: bool) -> f64 {
    if b { 1.0 } else { 0.0 }
}

impl CExpr {
    /// The constant value, if this is a constant.
    pub(crate) fn as_const(&self) -> Option<f64> {
        match self {
            CExpr::Const(c) => Some(*c),
            _ => None,
        }
    }

    /// Evaluates over `slots` (one value per slot). Lazy where the language
    /// says so.
    #[inline]
    pub(crate) fn eval(&self, slots: &[f64]) -> Result<f64, Fault> {
        self.eval_at(slots, 1, 0)
    }

    /// [`CExpr::eval_at`] with constants and slots read in place, without a
    /// call: the common arguments of numeric nodes and outcomes.
    #[inline(always)]
    pub(crate) fn value_at(&self, slots: &[f64], stride: usize, t: usize) -> Result<f64, Fault> {
        match self {
            CExpr::Const(c) => Ok(*c),
            CExpr::Slot(i) => Ok(slots[*i * stride + t]),
            _ => self.eval_at(slots, stride, t),
        }
    }

    /// Evaluates trial `t` of a batch whose slot `i` is at `slots[i * stride + t]`.
    #[inline]
    pub(crate) fn eval_at(&self, slots: &[f64], stride: usize, t: usize) -> Result<f64, Fault> {
        Ok(match self {
            CExpr::Const(c) => *c,
            CExpr::Slot(i) => slots[*i * stride + t],
            CExpr::Neg(a) => -a.eval_at(slots, stride, t)?,
            CExpr::Not(a) => truth(a.eval_at(slots, stride, t)? == 0.0),
            CExpr::Arith(op, a, b) => {
                let x = a.eval_at(slots, stride, t)?;
                let y = b.eval_at(slots, stride, t)?;
                match op {
                    Arith::Add => x + y,
                    Arith::Sub => x - y,
                    Arith::Mul => x * y,
                    Arith::Div => x / y,
                    Arith::Pow => x.powf(y),
                }
            }
            CExpr::Cmp(op, a, b) => {
                let x = a.eval_at(slots, stride, t)?;
                let y = b.eval_at(slots, stride, t)?;
                if x.is_nan() || y.is_nan() {
                    return Err(Fault::new(FaultKind::NanComparison));
                }
                truth(match op {
                    Cmp::Eq => x == y,
                    Cmp::Ne => x != y,
                    Cmp::Lt => x < y,
                    Cmp::Le => x <= y,
                    Cmp::Gt => x > y,
                    Cmp::Ge => x >= y,
                })
            }
            // Booleans are 0 or 1 by construction (the loader types every
            // expression), so a condition can never be NaN here.
            CExpr::And(a, b) => {
                if a.eval_at(slots, stride, t)? != 0.0 {
                    b.eval_at(slots, stride, t)?
                } else {
                    0.0
                }
            }
            CExpr::Or(a, b) => {
                if a.eval_at(slots, stride, t)? != 0.0 {
                    1.0
                } else {
                    b.eval_at(slots, stride, t)?
                }
            }
            CExpr::If(c, a, b) => {
                if c.eval_at(slots, stride, t)? != 0.0 {
                    a.eval_at(slots, stride, t)?
                } else {
                    b.eval_at(slots, stride, t)?
                }
            }
            CExpr::IfSlot(c, a, b) => {
                if slots[*c * stride + t] != 0.0 {
                    a.eval_at(slots, stride, t)?
                } else {
                    b.eval_at(slots, stride, t)?
                }
            }
            CExpr::Math(f, a) => {
                let x = a.eval_at(slots, stride, t)?;
                match f {
                    Math::Logistic => 1.0 / (1.0 + (-x).exp()),
                    Math::Logit => (x / (1.0 - x)).ln(),
                    Math::Exp => x.exp(),
                    Math::Ln => x.ln(),
                    Math::Sqrt => x.sqrt(),
                    Math::Abs => x.abs(),
                    Math::Floor => x.floor(),
                    Math::Round => x.round(),
                }
            }
            CExpr::Min(args) => {
                let mut best = f64::INFINITY;
                for arg in args {
                    let x = arg.eval_at(slots, stride, t)?;
                    if x.is_nan() || best.is_nan() {
                        best = f64::NAN;
                    } else if x < best {
                        best = x;
                    }
                }
                best
            }
            CExpr::Max(args) => {
                let mut best = f64::NEG_INFINITY;
                for arg in args {
                    let x = arg.eval_at(slots, stride, t)?;
                    if x.is_nan() || best.is_nan() {
                        best = f64::NAN;
                    } else if x > best {
                        best = x;
                    }
                }
                best
            }
            CExpr::Table(table) => {
                match table.values.get(table.index.position_at(slots, stride, t)) {
                    Some(&value) if !value.is_nan() => value,
                    _ => table.fallback.eval_at(slots, stride, t)?,
                }
            }
            CExpr::Clamp(parts) => {
                let [x, lo, hi] = &**parts;
                let x = x.eval_at(slots, stride, t)?;
                let lo = lo.eval_at(slots, stride, t)?;
                let hi = hi.eval_at(slots, stride, t)?;
                for bound in [lo, hi] {
                    if !bound.is_finite() {
                        return Err(Fault::new(FaultKind::ClampBoundNotFinite(bound)));
                    }
                }
                if lo > hi {
                    return Err(Fault::new(FaultKind::ClampBoundsCrossed { lo, hi }));
                }
                // NaN passes through: neither comparison holds.
                if x < lo {
                    lo
                } else if x > hi {
                    hi
                } else {
                    x
                }
            }
        })
    }

    /// Whether every direct operand is a constant (so the whole may fold).
    fn operands_const(&self) -> bool {
        let c = |e: &CExpr| matches!(e, CExpr::Const(_));
        match self {
            CExpr::Const(_) => true,
            CExpr::Slot(_) | CExpr::IfSlot(..) | CExpr::Table(_) => false,
            CExpr::Neg(a) | CExpr::Not(a) | CExpr::Math(_, a) => c(a),
            CExpr::Arith(_, a, b) | CExpr::Cmp(_, a, b) | CExpr::And(a, b) | CExpr::Or(a, b) => {
                c(a) && c(b)
            }
            CExpr::If(x, a, b) => c(x) && c(a) && c(b),
            CExpr::Min(args) | CExpr::Max(args) => args.iter().all(c),
            CExpr::Clamp(parts) => parts.iter().all(c),
        }
    }
}

/// Replaces `e` by its value when its operands are constants and evaluating
/// it succeeds; otherwise keeps it, so its error surfaces only at run time.
fn fold(e: CExpr) -> CExpr {
    if e.operands_const()
        && let Ok(value) = e.eval(&[])
    {
        return CExpr::Const(value);
    }
    e
}

/// Compiles `expr`, folding what the environment makes constant.
pub(crate) fn compile(expr: &Expr, env: &Env) -> CExpr {
    let bx = |e: &Expr| Box::new(compile(e, env));
    match expr {
        Expr::Number(x) => CExpr::Const(*x),
        Expr::Boolean(b) => CExpr::Const(truth(*b)),
        Expr::State(s) => CExpr::Const(s.value()),
        Expr::Ref(Ref::Param(p)) => CExpr::Const(env.params[*p]),
        Expr::Ref(Ref::Node(n)) => match env.known[*n] {
            Some(value) => CExpr::Const(value),
            None => CExpr::Slot(*n),
        },
        Expr::Ref(Ref::Outcome(o)) => CExpr::Slot(env.outcome_base + o),
        Expr::Unary(UnaryOp::Neg, a) => fold(CExpr::Neg(bx(a))),
        Expr::Unary(UnaryOp::Not, a) => fold(CExpr::Not(bx(a))),
        Expr::Binary(BinaryOp::And, a, b) => {
            let left = compile(a, env);
            match left.as_const() {
                Some(0.0) => CExpr::Const(0.0),
                Some(_) => compile(b, env),
                None => CExpr::And(Box::new(left), bx(b)),
            }
        }
        Expr::Binary(BinaryOp::Or, a, b) => {
            let left = compile(a, env);
            match left.as_const() {
                Some(x) if x != 0.0 => CExpr::Const(1.0),
                Some(_) => compile(b, env),
                None => CExpr::Or(Box::new(left), bx(b)),
            }
        }
        Expr::Binary(op, a, b) => {
            let (a, b) = (bx(a), bx(b));
            fold(match op {
                BinaryOp::Add => CExpr::Arith(Arith::Add, a, b),
                BinaryOp::Sub => CExpr::Arith(Arith::Sub, a, b),
                BinaryOp::Mul => CExpr::Arith(Arith::Mul, a, b),
                BinaryOp::Div => CExpr::Arith(Arith::Div, a, b),
                BinaryOp::Pow => CExpr::Arith(Arith::Pow, a, b),
                BinaryOp::Eq => CExpr::Cmp(Cmp::Eq, a, b),
                BinaryOp::Ne => CExpr::Cmp(Cmp::Ne, a, b),
                BinaryOp::Lt => CExpr::Cmp(Cmp::Lt, a, b),
                BinaryOp::Le => CExpr::Cmp(Cmp::Le, a, b),
                BinaryOp::Gt => CExpr::Cmp(Cmp::Gt, a, b),
                BinaryOp::Ge => CExpr::Cmp(Cmp::Ge, a, b),
                BinaryOp::And | BinaryOp::Or => unreachable!("handled above"),
            })
        }
        Expr::If(c, a, b) => {
            let cond = compile(c, env);
            match cond {
                CExpr::Const(x) if x != 0.0 => compile(a, env),
                CExpr::Const(_) => compile(b, env),
                CExpr::Slot(slot) => CExpr::IfSlot(slot, bx(a), bx(b)),
                cond => CExpr::If(Box::new(cond), bx(a), bx(b)),
            }
        }
        Expr::Call(function, args) => {
            let mut compiled: Vec<CExpr> = args.iter().map(|a| compile(a, env)).collect();
            let math = |f: Math, mut compiled: Vec<CExpr>| {
                let arg = compiled.pop().unwrap_or(CExpr::Const(f64::NAN));
                CExpr::Math(f, Box::new(arg))
            };
            fold(match function {
                Function::Min => CExpr::Min(compiled),
                Function::Max => CExpr::Max(compiled),
                Function::Clamp => {
                    let hi = compiled.pop().unwrap_or(CExpr::Const(f64::NAN));
                    let lo = compiled.pop().unwrap_or(CExpr::Const(f64::NAN));
                    let x = compiled.pop().unwrap_or(CExpr::Const(f64::NAN));
                    CExpr::Clamp(Box::new([x, lo, hi]))
                }
                Function::Logistic => math(Math::Logistic, compiled),
                Function::Logit => math(Math::Logit, compiled),
                Function::Exp => math(Math::Exp, compiled),
                Function::Ln => math(Math::Ln, compiled),
                Function::Sqrt => math(Math::Sqrt, compiled),
                Function::Abs => math(Math::Abs, compiled),
                Function::Floor => math(Math::Floor, compiled),
                Function::Round => math(Math::Round, compiled),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env_eval(expr: &Expr, params: &[f64]) -> (CExpr, Result<f64, FaultKind>) {
        let known = [None, None];
        let env = Env {
            params,
            known: &known,
            outcome_base: 2,
        };
        let c = compile(expr, &env);
        let r = c.eval(&[f64::NAN, 1.0, 0.0]).map_err(|f| f.0.kind);
        (c, r)
    }

    fn num(x: f64) -> Box<Expr> {
        Box::new(Expr::Number(x))
    }

    #[test]
    fn folds_parameter_arithmetic() {
        let e = Expr::Binary(
            BinaryOp::Mul,
            num(0.5),
            Box::new(Expr::Binary(
                BinaryOp::Sub,
                num(1.0),
                Box::new(Expr::Ref(Ref::Param(0))),
            )),
        );
        let (c, r) = env_eval(&e, &[0.2]);
        assert_eq!(c, CExpr::Const(0.4));
        assert_eq!(r, Ok(0.4));
    }

    #[test]
    fn failing_constant_is_left_for_run_time() {
        let e = Expr::Call(
            Function::Clamp,
            vec![Expr::Number(1.0), Expr::Number(3.0), Expr::Number(2.0)],
        );
        let (c, r) = env_eval(&e, &[]);
        assert!(c.as_const().is_none());
        assert_eq!(r, Err(FaultKind::ClampBoundsCrossed { lo: 3.0, hi: 2.0 }));
    }

    #[test]
    fn untaken_branch_is_dropped() {
        let bad = Expr::Call(
            Function::Clamp,
            vec![Expr::Number(1.0), Expr::Number(3.0), Expr::Number(2.0)],
        );
        let e = Expr::If(
            Box::new(Expr::Boolean(false)),
            Box::new(bad.clone()),
            num(7.0),
        );
        let (c, r) = env_eval(&e, &[]);
        assert_eq!(c, CExpr::Const(7.0));
        assert_eq!(r, Ok(7.0));
        // A run-time condition keeps both branches but takes only one.
        let e = Expr::If(
            Box::new(Expr::Ref(Ref::Node(2 - 1))),
            num(7.0),
            Box::new(bad),
        );
        let (_, r) = env_eval(&e, &[]);
        assert_eq!(r, Ok(7.0));
    }

    #[test]
    fn nan_comparison_fails_and_min_propagates_nan() {
        let slot0 = Box::new(Expr::Ref(Ref::Node(0)));
        let e = Expr::Binary(BinaryOp::Lt, slot0.clone(), num(1.0));
        assert_eq!(env_eval(&e, &[]).1, Err(FaultKind::NanComparison));
        let e = Expr::Call(
            Function::Min,
            vec![Expr::Number(1.0), Expr::Ref(Ref::Node(0))],
        );
        assert!(env_eval(&e, &[]).1.is_ok_and(f64::is_nan));
        let e = Expr::Call(
            Function::Max,
            vec![Expr::Ref(Ref::Node(0)), Expr::Number(1.0)],
        );
        assert!(env_eval(&e, &[]).1.is_ok_and(f64::is_nan));
    }

    #[test]
    fn functions() {
        let call = |f, x: f64| {
            env_eval(&Expr::Call(f, vec![Expr::Number(x)]), &[])
                .1
                .unwrap()
        };
        assert_eq!(call(Function::Round, 2.5), 3.0);
        assert_eq!(call(Function::Round, -2.5), -3.0);
        assert_eq!(call(Function::Floor, -0.5), -1.0);
        assert!((call(Function::Logistic, 0.0) - 0.5).abs() < 1e-15);
        assert!((call(Function::Logit, 0.5)).abs() < 1e-15);
        assert_eq!(call(Function::Ln, 0.0), f64::NEG_INFINITY);
        let pow = Expr::Binary(
            BinaryOp::Pow,
            num(2.0),
            Box::new(Expr::Unary(UnaryOp::Neg, num(1.0))),
        );
        assert_eq!(env_eval(&pow, &[]).1, Ok(0.5));
    }
}
