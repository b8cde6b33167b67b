//! Expressions compiled to straight-line code over the columns of a batch.
//!
//! The recursive evaluator (`CExpr::eval_at`) walks a tree once per trial.
//! Here the same expression becomes a flat list of instructions, each over
//! all the trials of a batch at once: one dispatch per instruction and
//! batch, and loops over 64 values that the compiler vectorises. Operands
//! and results are slots of the batch (nodes, outcomes, constants filled in
//! once, and temporaries), so an instruction reads columns and writes one.
//!
//! Laziness: `if`, `and` and `or` evaluate both sides for every trial and
//! select, which changes no value (IEEE arithmetic has no side effects) but
//! could raise an error on the side not taken. So nothing here raises an
//! error: an instruction that could fail in some trial (a comparison with
//! NaN, a bad `clamp` bound, a table entry that falls back to the
//! expression) only marks the batch as unsure, and the caller then runs the
//! recursive evaluator for that batch, which is exact and lazy. Every value
//! is computed by the same operations in the same order as `eval_at`, so the
//! results are identical bit for bit.

use std::sync::Arc;

use crate::batch::Scratch;
use crate::expr::Table;
use crate::expr::{Arith, CExpr, Cmp, Math};

/// One instruction: `dst` and the operands are slots.
#[derive(Clone, Debug)]
enum Instr {
    /// `dst = a`.
    Copy { dst: usize, a: usize },
    /// `dst = -a`.
    Neg { dst: usize, a: usize },
    /// `dst = not a`.
    Not { dst: usize, a: usize },
    /// `dst = a op b`.
    Arith {
        op: Arith,
        dst: usize,
        a: usize,
        b: usize,
    },
    /// `dst = a op b` for comparisons; NaN makes the batch unsure.
    Cmp {
        op: Cmp,
        dst: usize,
        a: usize,
        b: usize,
    },
    /// `dst = if c != 0 { a } else { b }`.
    Select {
        dst: usize,
        c: usize,
        a: usize,
        b: usize,
    },
    /// `dst = f(a)`.
    Math { f: Math, dst: usize, a: usize },
    /// One step of `min`, NaN-propagating as `eval_at`.
    Min { dst: usize, a: usize, b: usize },
    /// One step of `max`, NaN-propagating as `eval_at`.
    Max { dst: usize, a: usize, b: usize },
    /// `clamp(x, lo, hi)`; bad bounds make the batch unsure.
    Clamp {
        dst: usize,
        x: usize,
        lo: usize,
        hi: usize,
    },
    /// A table lookup; a NaN entry makes the batch unsure.
    Table { dst: usize, table: Arc<Table> },
}

/// Hands out the slots that follow the nodes and outcomes: constants (kept
/// for the whole program, filled into the initial slots) and temporaries
/// (reused from one node to the next).
#[derive(Debug)]
pub(crate) struct Slots {
    next: usize,
    constants: Vec<(u64, usize)>,
    free: Vec<usize>,
    taken: Vec<usize>,
}

impl Slots {
    /// Slots from `first` on are free.
    pub(crate) fn new(first: usize) -> Slots {
        Slots {
            next: first,
            constants: Vec::new(),
            free: Vec::new(),
            taken: Vec::new(),
        }
    }

    /// The number of slots handed out, counting from zero.
    pub(crate) fn len(&self) -> usize {
        self.next
    }

    /// The constants and their slots.
    pub(crate) fn constants(&self) -> impl Iterator<Item = (f64, usize)> + '_ {
        self.constants
            .iter()
            .map(|&(bits, slot)| (f64::from_bits(bits), slot))
    }

    fn constant(&mut self, value: f64) -> usize {
        let bits = value.to_bits();
        if let Some(&(_, slot)) = self.constants.iter().find(|(b, _)| *b == bits) {
            return slot;
        }
        let slot = self.next;
        self.next += 1;
        self.constants.push((bits, slot));
        slot
    }

    /// A slot of the program's own, for the whole program.
    pub(crate) fn permanent(&mut self) -> usize {
        self.next += 1;
        self.next - 1
    }

    fn temp(&mut self) -> usize {
        let slot = self.free.pop().unwrap_or_else(|| {
            self.next += 1;
            self.next - 1
        });
        self.taken.push(slot);
        slot
    }

    /// Gives back every temporary: call when a node's code has been built
    /// (a node's temporaries are dead once the node has run).
    pub(crate) fn release(&mut self) {
        self.free.append(&mut self.taken);
        // Lowest first, so the working set stays small.
        self.free.sort_unstable_by(|a, b| b.cmp(a));
    }
}

/// An expression as column code. The expression itself is kept for the
/// batches the code is unsure of.
#[derive(Clone, Debug)]
pub(crate) struct Code {
    instrs: Vec<Instr>,
    /// The slot that holds the value after [`Code::run`].
    pub(crate) result: usize,
    /// The expression, evaluated trial by trial when the code is unsure.
    pub(crate) expr: CExpr,
}

impl Code {
    /// Compiles `expr`; the value lands in `dst` when given, else in a slot
    /// of the allocator's choosing (`result`).
    pub(crate) fn new(expr: CExpr, slots: &mut Slots, dst: Option<usize>) -> Code {
        let mut instrs = Vec::new();
        let mut result = emit(&expr, slots, &mut instrs);
        if let Some(dst) = dst {
            match instrs.last_mut() {
                // The last instruction computed the value: write it in place.
                Some(last) if dst_of(last) == result => set_dst(last, dst),
                _ => instrs.push(Instr::Copy { dst, a: result }),
            }
            result = dst;
        }
        Code {
            instrs,
            result,
            expr,
        }
    }

    /// Runs the code over trials `0..n` of a batch laid out slot-major with
    /// `stride`. Returns false when some trial may have failed: the values
    /// are then not to be trusted and the caller evaluates `expr` instead.
    #[inline]
    pub(crate) fn run(
        &self,
        slots: &mut [f64],
        stride: usize,
        n: usize,
        scratch: &mut Scratch,
    ) -> bool {
        let mut sure = true;
        for instr in &self.instrs {
            sure &= step(instr, slots, stride, n, scratch);
        }
        sure
    }

    /// The result column of trials `0..n` (after [`Code::run`]).
    #[cfg(test)]
    pub(crate) fn column<'a>(&self, slots: &'a [f64], stride: usize, n: usize) -> &'a [f64] {
        &slots[self.result * stride..][..n]
    }
}

fn dst_of(instr: &Instr) -> usize {
    match instr {
        Instr::Copy { dst, .. }
        | Instr::Neg { dst, .. }
        | Instr::Not { dst, .. }
        | Instr::Arith { dst, .. }
        | Instr::Cmp { dst, .. }
        | Instr::Select { dst, .. }
        | Instr::Math { dst, .. }
        | Instr::Min { dst, .. }
        | Instr::Max { dst, .. }
        | Instr::Clamp { dst, .. }
        | Instr::Table { dst, .. } => *dst,
    }
}

fn set_dst(instr: &mut Instr, to: usize) {
    match instr {
        Instr::Copy { dst, .. }
        | Instr::Neg { dst, .. }
        | Instr::Not { dst, .. }
        | Instr::Arith { dst, .. }
        | Instr::Cmp { dst, .. }
        | Instr::Select { dst, .. }
        | Instr::Math { dst, .. }
        | Instr::Min { dst, .. }
        | Instr::Max { dst, .. }
        | Instr::Clamp { dst, .. }
        | Instr::Table { dst, .. } => *dst = to,
    }
}

/// Emits the code of `e` and returns the slot of its value. Each result
/// gets a fresh temporary, never one of its operands' slots.
fn emit(e: &CExpr, slots: &mut Slots, out: &mut Vec<Instr>) -> usize {
    match e {
        CExpr::Const(c) => slots.constant(*c),
        CExpr::Slot(i) => *i,
        CExpr::Neg(a) => {
            let a = emit(a, slots, out);
            let dst = slots.temp();
            out.push(Instr::Neg { dst, a });
            dst
        }
        CExpr::Not(a) => {
            let a = emit(a, slots, out);
            let dst = slots.temp();
            out.push(Instr::Not { dst, a });
            dst
        }
        CExpr::Arith(op, a, b) => {
            let a = emit(a, slots, out);
            let b = emit(b, slots, out);
            let dst = slots.temp();
            out.push(Instr::Arith { op: *op, dst, a, b });
            dst
        }
        CExpr::Cmp(op, a, b) => {
            let a = emit(a, slots, out);
            let b = emit(b, slots, out);
            let dst = slots.temp();
            out.push(Instr::Cmp { op: *op, dst, a, b });
            dst
        }
        CExpr::And(a, b) => {
            let c = emit(a, slots, out);
            let a = emit(b, slots, out);
            let b = slots.constant(0.0);
            let dst = slots.temp();
            out.push(Instr::Select { dst, c, a, b });
            dst
        }
        CExpr::Or(a, b) => {
            let c = emit(a, slots, out);
            let b = emit(b, slots, out);
            let a = slots.constant(1.0);
            let dst = slots.temp();
            out.push(Instr::Select { dst, c, a, b });
            dst
        }
        CExpr::If(c, a, b) => {
            let c = emit(c, slots, out);
            let a = emit(a, slots, out);
            let b = emit(b, slots, out);
            let dst = slots.temp();
            out.push(Instr::Select { dst, c, a, b });
            dst
        }
        CExpr::IfSlot(c, a, b) => {
            let a = emit(a, slots, out);
            let b = emit(b, slots, out);
            let dst = slots.temp();
            out.push(Instr::Select { dst, c: *c, a, b });
            dst
        }
        CExpr::Math(f, a) => {
            let a = emit(a, slots, out);
            let dst = slots.temp();
            out.push(Instr::Math { f: *f, dst, a });
            dst
        }
        CExpr::Min(args) | CExpr::Max(args) => {
            let min = matches!(e, CExpr::Min(_));
            let Some((first, rest)) = args.split_first() else {
                // Never (the loader requires two arguments): the fold's start.
                return slots.constant(if min {
                    f64::INFINITY
                } else {
                    f64::NEG_INFINITY
                });
            };
            // The fold from +-inf: its first step gives the first argument.
            let mut acc = emit(first, slots, out);
            for arg in rest {
                let b = emit(arg, slots, out);
                let dst = slots.temp();
                out.push(if min {
                    Instr::Min { dst, a: acc, b }
                } else {
                    Instr::Max { dst, a: acc, b }
                });
                acc = dst;
            }
            acc
        }
        CExpr::Clamp(parts) => {
            let [x, lo, hi] = &**parts;
            let x = emit(x, slots, out);
            let lo = emit(lo, slots, out);
            let hi = emit(hi, slots, out);
            let dst = slots.temp();
            out.push(Instr::Clamp { dst, x, lo, hi });
            dst
        }
        CExpr::Table(table) => {
            let dst = slots.temp();
            out.push(Instr::Table {
                dst,
                table: table.clone(),
            });
            dst
        }
    }
}

/// The output column `dst` and the input columns `srcs` of trials `0..n`,
/// borrowed together. `None` if an input is the output (never, by
/// construction: every result has a fresh slot).
#[inline]
fn columns<const K: usize>(
    slots: &mut [f64],
    stride: usize,
    n: usize,
    dst: usize,
    srcs: [usize; K],
) -> Option<(&mut [f64], [&[f64]; K])> {
    if srcs.contains(&dst) {
        return None;
    }
    let (below, rest) = slots.split_at_mut(dst * stride);
    let (out, above) = rest.split_at_mut(stride);
    let (below, above): (&[f64], &[f64]) = (below, above);
    let inputs = srcs.map(|src| {
        if src < dst {
            &below[src * stride..][..n]
        } else {
            &above[(src - dst - 1) * stride..][..n]
        }
    });
    Some((&mut out[..n], inputs))
}

/// 1.0 or 0.0.
#[inline]
fn truth(b: bool) -> f64 {
    f64::from(u8::from(b))
}

/// Runs one instruction; false when some trial may have failed.
#[inline]
fn step(instr: &Instr, slots: &mut [f64], stride: usize, n: usize, scratch: &mut Scratch) -> bool {
    match instr {
        Instr::Copy { dst, a } => {
            let Some((out, [a])) = columns(slots, stride, n, *dst, [*a]) else {
                return false;
            };
            out.copy_from_slice(a);
        }
        Instr::Neg { dst, a } => {
            let Some((out, [a])) = columns(slots, stride, n, *dst, [*a]) else {
                return false;
            };
            for (o, &x) in out.iter_mut().zip(a) {
                *o = -x;
            }
        }
        Instr::Not { dst, a } => {
            let Some((out, [a])) = columns(slots, stride, n, *dst, [*a]) else {
                return false;
            };
            for (o, &x) in out.iter_mut().zip(a) {
                *o = truth(x == 0.0);
            }
        }
        Instr::Arith { op, dst, a, b } => {
            let Some((out, [a, b])) = columns(slots, stride, n, *dst, [*a, *b]) else {
                return false;
            };
            let lanes = out.iter_mut().zip(a.iter().zip(b));
            match op {
                Arith::Add => lanes.for_each(|(o, (&x, &y))| *o = x + y),
                Arith::Sub => lanes.for_each(|(o, (&x, &y))| *o = x - y),
                Arith::Mul => lanes.for_each(|(o, (&x, &y))| *o = x * y),
                Arith::Div => lanes.for_each(|(o, (&x, &y))| *o = x / y),
                Arith::Pow => lanes.for_each(|(o, (&x, &y))| *o = x.powf(y)),
            }
        }
        Instr::Cmp { op, dst, a, b } => {
            let Some((out, [a, b])) = columns(slots, stride, n, *dst, [*a, *b]) else {
                return false;
            };
            let mut nan = false;
            for (&x, &y) in a.iter().zip(b) {
                nan |= x.is_nan() | y.is_nan();
            }
            let lanes = out.iter_mut().zip(a.iter().zip(b));
            match op {
                Cmp::Eq => lanes.for_each(|(o, (&x, &y))| *o = truth(x == y)),
                Cmp::Ne => lanes.for_each(|(o, (&x, &y))| *o = truth(x != y)),
                Cmp::Lt => lanes.for_each(|(o, (&x, &y))| *o = truth(x < y)),
                Cmp::Le => lanes.for_each(|(o, (&x, &y))| *o = truth(x <= y)),
                Cmp::Gt => lanes.for_each(|(o, (&x, &y))| *o = truth(x > y)),
                Cmp::Ge => lanes.for_each(|(o, (&x, &y))| *o = truth(x >= y)),
            }
            return !nan;
        }
        Instr::Select { dst, c, a, b } => {
            let Some((out, [c, a, b])) = columns(slots, stride, n, *dst, [*c, *a, *b]) else {
                return false;
            };
            for (o, (&c, (&x, &y))) in out.iter_mut().zip(c.iter().zip(a.iter().zip(b))) {
                *o = if c != 0.0 { x } else { y };
            }
        }
        Instr::Math { f, dst, a } => {
            let Some((out, [a])) = columns(slots, stride, n, *dst, [*a]) else {
                return false;
            };
            let lanes = out.iter_mut().zip(a);
            match f {
                Math::Logistic => lanes.for_each(|(o, &x)| *o = 1.0 / (1.0 + (-x).exp())),
                Math::Logit => lanes.for_each(|(o, &x)| *o = (x / (1.0 - x)).ln()),
                Math::Exp => lanes.for_each(|(o, &x)| *o = x.exp()),
                Math::Ln => lanes.for_each(|(o, &x)| *o = x.ln()),
                Math::Sqrt => lanes.for_each(|(o, &x)| *o = x.sqrt()),
                Math::Abs => lanes.for_each(|(o, &x)| *o = x.abs()),
                Math::Floor => lanes.for_each(|(o, &x)| *o = floor(x)),
                Math::Round => lanes.for_each(|(o, &x)| *o = round(x)),
            }
        }
        Instr::Min { dst, a, b } | Instr::Max { dst, a, b } => {
            let min = matches!(instr, Instr::Min { .. });
            let Some((out, [a, b])) = columns(slots, stride, n, *dst, [*a, *b]) else {
                return false;
            };
            for (o, (&best, &x)) in out.iter_mut().zip(a.iter().zip(b)) {
                let better = if min { x < best } else { x > best };
                *o = if x.is_nan() || best.is_nan() {
                    f64::NAN
                } else if better {
                    x
                } else {
                    best
                };
            }
        }
        Instr::Clamp { dst, x, lo, hi } => {
            let Some((out, [x, lo, hi])) = columns(slots, stride, n, *dst, [*x, *lo, *hi]) else {
                return false;
            };
            let mut bad = false;
            for (o, (&x, (&lo, &hi))) in out.iter_mut().zip(x.iter().zip(lo.iter().zip(hi))) {
                bad |= !lo.is_finite() | !hi.is_finite() | (lo > hi);
                *o = if x < lo {
                    lo
                } else if x > hi {
                    hi
                } else {
                    x
                };
            }
            return !bad;
        }
        Instr::Table { dst, table } => {
            let values = &mut scratch.values[..n];
            table.index.lookups(
                &table.values,
                f64::NAN,
                slots,
                stride,
                values,
                &mut scratch.positions,
            );
            slots[dst * stride..][..n].copy_from_slice(values);
            if !table.complete {
                return !values.iter().any(|v| v.is_nan());
            }
        }
    }
    true
}

/// Below 2^52 in magnitude an `f64` may have a fraction; from there on it is
/// a whole number.
const WHOLE: f64 = 4_503_599_627_370_496.0;

/// `x.trunc()` for |x| < 2^52, by a conversion to an integer and back (the
/// baseline x86-64 target has no rounding instruction, and `trunc` is a
/// library call), keeping the sign of zero.
#[inline]
fn trunc_small(x: f64) -> f64 {
    ((x as i64) as f64).copysign(x)
}

/// `x.round()` (halves away from zero), without a library call. Identical
/// for every input, including -0.0, NaN and infinities.
#[inline]
pub(crate) fn round(x: f64) -> f64 {
    if x.is_nan() || x.abs() >= WHOLE {
        return x;
    }
    let t = trunc_small(x);
    // Exact: x and its truncation are within 1 of each other.
    if (x - t).abs() >= 0.5 {
        t + 1.0f64.copysign(x)
    } else {
        t
    }
}

/// `x.floor()`, without a library call. Identical for every input.
#[inline]
pub(crate) fn floor(x: f64) -> f64 {
    if x.is_nan() || x.abs() >= WHOLE {
        return x;
    }
    let t = trunc_small(x);
    if t > x { t - 1.0 } else { t }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};
    use rand_xoshiro::SplitMix64;

    fn same(a: f64, b: f64) -> bool {
        a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan())
    }

    #[test]
    fn round_and_floor_match_the_library() {
        let mut rng = SplitMix64::seed_from_u64(3);
        let mut xs = vec![
            0.0,
            -0.0,
            0.5,
            -0.5,
            1.5,
            -1.5,
            2.5,
            -2.5,
            0.49999999999999994,
            -0.49999999999999994,
            WHOLE,
            -WHOLE,
            WHOLE - 0.5,
            -(WHOLE - 0.5),
            WHOLE * 2.0 + 2.0,
            f64::MAX,
            f64::MIN_POSITIVE,
            -f64::MIN_POSITIVE,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
            1e-300,
            -1e-300,
        ];
        for _ in 0..100_000 {
            // Random bit patterns, and numbers of moderate size.
            let bits = rng.next_u64();
            xs.push(f64::from_bits(bits));
            let scale = f64::from(1u32 << (bits % 31) as u32);
            xs.push((f64::from_bits(bits >> 12 | 0x3ff0_0000_0000_0000) - 1.5) * scale);
            xs.push(((bits % 2001) as f64 - 1000.0) / 2.0);
        }
        for &x in &xs {
            assert!(same(round(x), x.round()), "round({x:e})");
            assert!(same(floor(x), x.floor()), "floor({x:e})");
        }
    }

    /// Builds code for `e` over slots 0..3 (columns of 5 trials) and
    /// compares each trial with `eval_at`.
    fn check(e: CExpr, columns: [[f64; 5]; 3]) -> bool {
        let mut alloc = Slots::new(3);
        let code = Code::new(e.clone(), &mut alloc, None);
        let stride = 5;
        let mut slots = vec![0.0; alloc.len() * stride];
        for (i, column) in columns.iter().enumerate() {
            slots[i * stride..][..stride].copy_from_slice(column);
        }
        for (value, slot) in alloc.constants() {
            slots[slot * stride..][..stride].fill(value);
        }
        let sure = code.run(&mut slots, stride, stride, &mut Scratch::new(0));
        for t in 0..stride {
            let expected = e.eval_at(&slots, stride, t);
            match expected {
                Ok(v) if sure => assert!(same(code.column(&slots, stride, stride)[t], v)),
                Ok(_) => {}
                // A failing trial must make the code unsure.
                Err(_) => assert!(!sure, "{e:?} failed at trial {t} but the code was sure"),
            }
        }
        sure
    }

    fn b(e: CExpr) -> Box<CExpr> {
        Box::new(e)
    }

    #[test]
    fn code_agrees_with_eval_and_stays_lazy() {
        use CExpr::{Const, Slot};
        let x = [0.2, -1.5, 3.0, 0.0, 7.25];
        let flag = [1.0, 0.0, 1.0, 0.0, 1.0];
        let nan = [1.0, f64::NAN, 2.0, 0.5, f64::NAN];
        let cols = [x, flag, nan];
        let logistic = CExpr::Math(
            Math::Logistic,
            b(CExpr::Arith(Arith::Mul, b(Slot(0)), b(Const(2.0)))),
        );
        assert!(check(logistic, cols));
        let round = CExpr::Math(Math::Round, b(CExpr::Neg(b(Slot(0)))));
        assert!(check(round, cols));
        let min = CExpr::Min(vec![Slot(0), Const(1.0), Slot(2)]);
        assert!(check(min, cols));
        let max = CExpr::Max(vec![Slot(2), Slot(0)]);
        assert!(check(max, cols));
        let logic = CExpr::Or(
            b(CExpr::Not(b(Slot(1)))),
            b(CExpr::And(b(Slot(1)), b(Const(0.0)))),
        );
        assert!(check(logic, cols));
        // A comparison with NaN in a branch not taken: eval is lazy and
        // succeeds, the code is unsure (and the caller falls back).
        let lazy = CExpr::IfSlot(
            1,
            b(Const(0.5)),
            b(CExpr::Cmp(Cmp::Lt, b(Slot(2)), b(Const(1.0)))),
        );
        assert!(!check(lazy, cols));
        // Taken NaN comparisons fail in eval; the code must be unsure.
        assert!(!check(CExpr::Cmp(Cmp::Gt, b(Slot(2)), b(Slot(0))), cols));
        let clamp = CExpr::Clamp(Box::new([Slot(0), Const(0.5), Slot(1)]));
        assert!(!check(clamp, cols));
        let clamp = CExpr::Clamp(Box::new([Slot(0), Const(-1.0), Const(1.0)]));
        assert!(check(clamp, cols));
        let ln = CExpr::Arith(
            Arith::Pow,
            b(CExpr::Math(Math::Ln, b(Slot(0)))),
            b(Const(2.0)),
        );
        assert!(check(ln, cols));
    }

    #[test]
    fn results_can_be_written_to_a_given_slot() {
        let mut alloc = Slots::new(2);
        let code = Code::new(CExpr::Slot(0), &mut alloc, Some(1));
        let mut slots = vec![4.0, 0.0];
        assert!(code.run(&mut slots, 1, 1, &mut Scratch::new(0)));
        assert_eq!(slots[1], 4.0);
        let code = Code::new(CExpr::Neg(Box::new(CExpr::Slot(0))), &mut alloc, Some(1));
        slots.resize(alloc.len(), 0.0);
        assert!(code.run(&mut slots, 1, 1, &mut Scratch::new(0)));
        assert_eq!(slots[1], -4.0);
    }
}
