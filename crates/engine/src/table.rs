//! Lookup tables for expressions over discrete slots.
//!
//! Most of a model's expressions depend, once parameters are folded, only on
//! a few boolean and categorical nodes: a conditional probability table in
//! disguise. Such an expression is evaluated at compile time for every
//! combination of its parents' values and replaced by a table indexed by
//! those values, so a trial pays a few loads instead of a tree walk (and no
//! `exp` for a `logistic`). An entry whose evaluation failed (or gave NaN) is
//! NaN and sends the trial to the original expression, which then raises the
//! same error, lazily, exactly when a trial reaches it.

use std::sync::Arc;

use crate::batch::BATCH;
use crate::expr::CExpr;

/// The largest table built, in entries (times states for a categorical).
pub(crate) const MAX_TABLE: usize = 1024;

/// The possible run-time values of each slot, when they are few: booleans
/// {0, 1}, categorical nodes their state ids. `None` for numbers.
pub(crate) type Domains = [Option<Vec<f64>>];

/// One parent slot of a table index.
#[derive(Clone, Debug, PartialEq)]
struct Part {
    /// The parent's slot (booleans, state ids).
    slot: usize,
    /// The slot read at run time: `slot`, or for a domain with gaps the
    /// parent's rank slot, which holds the index of its state (0, 1, ...),
    /// so the offset is `rank * stride` there too, without a lookup.
    read: usize,
    /// The position step of this parent, as an `f64`.
    stride: f64,
    /// For a domain with gaps (state ids are interned model-wide, so a
    /// node's states need not be consecutive): `offsets[value - min]` is
    /// the value's rank in the domain times `stride`. `None` for a
    /// consecutive domain, whose offset is `(value - min) * stride`.
    offsets: Option<Box<[f64]>>,
    min: usize,
}

impl Part {
    /// This parent's share of the position for slot value `value`.
    #[inline]
    fn offset(&self, value: f64) -> f64 {
        match &self.offsets {
            None => value * self.stride,
            // Out of the domain (never, by construction) gives NaN, whose
            // index is far past the end of any table.
            Some(offsets) => offsets
                .get(whole(value).wrapping_sub(self.min))
                .copied()
                .unwrap_or(f64::NAN),
        }
    }
}

/// Maps the values of some discrete slots to a table position:
/// `base + sum(offset(value))`, computed in `f64` (exact: small integers),
/// with 2^52 added (see [`to_index`]).
/// Parents are booleans and states, so their slots always hold one of the
/// integers of their domain, and the sum is a whole number in `0..size`.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Index {
    parts: Vec<Part>,
    /// `2^52 - sum(min * stride)`: puts each parent's smallest value at
    /// zero, and the position in the low bits of the mantissa.
    base: f64,
    size: usize,
}

/// 2^52: whole numbers `0 <= p < 2^52` added to it land in the low bits of
/// the mantissa.
const SHIFT: f64 = 4_503_599_627_370_496.0;

/// The low 52 bits of an `f64`.
const MASK: u64 = (1 << 52) - 1;

/// The index of a position computed by [`Index`] (which includes 2^52, so
/// the index is the low mantissa bits). Cheaper than `as usize` (which must
/// saturate) and it vectorises. NaN gives an index past any table.
#[inline]
pub(crate) fn to_index(position: f64) -> usize {
    (position.to_bits() & MASK) as usize
}

/// A whole number `0 <= x < 2^52` as an index (a state id, say).
#[inline]
fn whole(x: f64) -> usize {
    ((x + SHIFT).to_bits() & MASK) as usize
}

impl Index {
    /// An index over `slots`, if all are discrete and the table of `row`
    /// entries per position stays under [`MAX_TABLE`]. `ranks[slot]` is the
    /// rank slot of a parent whose domain has gaps, if it has one.
    pub(crate) fn new(
        slots: &[usize],
        domains: &Domains,
        ranks: &[Option<usize>],
        row: usize,
    ) -> Option<Index> {
        let mut parts = Vec::with_capacity(slots.len());
        let mut size = 1usize;
        let mut base = SHIFT;
        for &slot in slots {
            let domain = domains.get(slot)?.as_ref()?;
            let mut min = usize::MAX;
            let mut max = 0;
            for &value in domain {
                if !(value >= 0.0 && value.fract() == 0.0 && value < f64::from(u32::MAX)) {
                    return None;
                }
                min = min.min(value as usize);
                max = max.max(value as usize);
            }
            if domain.is_empty() {
                return None;
            }
            let stride = size as f64;
            let offsets = if max - min + 1 == domain.len() {
                base -= min as f64 * stride;
                None
            } else {
                if max - min >= 1 << 16 {
                    return None;
                }
                let mut offsets = vec![f64::NAN; max - min + 1];
                for (rank, &value) in domain.iter().enumerate() {
                    offsets[value as usize - min] = rank as f64 * stride;
                }
                Some(offsets.into_boxed_slice())
            };
            let read = match offsets {
                Some(_) => ranks.get(slot).copied().flatten().unwrap_or(slot),
                None => slot,
            };
            parts.push(Part {
                slot,
                read,
                stride,
                offsets,
                min,
            });
            size = size.checked_mul(domain.len())?;
            if size.checked_mul(row.max(1))? > MAX_TABLE {
                return None;
            }
        }
        Some(Index { parts, base, size })
    }

    /// The number of positions.
    pub(crate) fn size(&self) -> usize {
        self.size
    }

    /// The length of a table over this index: the number of positions
    /// rounded up to a power of two, so that a lookup masks its index
    /// instead of checking it (the padding is never read: positions are
    /// below `size` by construction).
    pub(crate) fn padded(&self) -> usize {
        self.size.next_power_of_two()
    }

    /// Sets `out[t]` to `table`'s entry at the position of trial `t` of a
    /// batch laid out slot-major with `stride`, for `t` in `0..out.len()`.
    /// `table` has [`Index::padded`] entries, so the index is masked, not
    /// checked (`missing` is for a table of another length, which is never
    /// built). A single parent with consecutive values (a boolean, mostly)
    /// is read in the same loop; otherwise the positions come first, a pass
    /// per parent.
    #[inline(always)]
    pub(crate) fn lookups<T: Copy>(
        &self,
        table: &[T],
        missing: T,
        slots: &[f64],
        stride: usize,
        out: &mut [T],
        positions: &mut [f64; BATCH],
    ) {
        let n = out.len();
        if !table.len().is_power_of_two() {
            for (t, out) in out.iter_mut().enumerate() {
                *out = table
                    .get(self.position_at(slots, stride, t))
                    .copied()
                    .unwrap_or(missing);
            }
            return;
        }
        // `& mask` keeps every index inside the table.
        let mask = (table.len() - 1) as u64;
        if let [part] = &self.parts[..]
            && (part.offsets.is_none() || part.read != part.slot)
        {
            let column = &slots[part.read * stride..][..n];
            for (out, &value) in out.iter_mut().zip(column) {
                let position = self.base + value * part.stride;
                *out = table[(position.to_bits() & mask) as usize];
            }
            return;
        }
        let positions = &mut positions[..n];
        self.positions(slots, stride, positions);
        for (out, &position) in out.iter_mut().zip(positions.iter()) {
            *out = table[(position.to_bits() & mask) as usize];
        }
    }

    /// The position for trial `t` of a batch laid out slot-major with `stride`.
    #[inline]
    pub(crate) fn position_at(&self, slots: &[f64], stride: usize, t: usize) -> usize {
        let mut position = self.base;
        for part in &self.parts {
            let value = slots[part.read * stride + t];
            position += if part.read == part.slot {
                part.offset(value)
            } else {
                value * part.stride
            };
        }
        to_index(position)
    }

    /// Sets `positions[t]` to the position of trial `t` of a batch laid out
    /// slot-major with `stride`, as an `f64` (see [`to_index`]): one pass per
    /// parent, so the loops vectorise.
    #[inline]
    pub(crate) fn positions(&self, slots: &[f64], stride: usize, positions: &mut [f64]) {
        let mut parts = self.parts.iter();
        // The first parent writes `base + offset`, the others add theirs.
        match parts.next() {
            None => positions.fill(self.base),
            Some(part) => {
                let column = &slots[part.read * stride..][..positions.len()];
                match &part.offsets {
                    Some(_) if part.read != part.slot => {
                        for (position, &value) in positions.iter_mut().zip(column) {
                            *position = self.base + value * part.stride;
                        }
                    }
                    None => {
                        for (position, &value) in positions.iter_mut().zip(column) {
                            *position = self.base + value * part.stride;
                        }
                    }
                    Some(_) => {
                        for (position, &value) in positions.iter_mut().zip(column) {
                            *position = self.base + part.offset(value);
                        }
                    }
                }
            }
        }
        for part in parts {
            let column = &slots[part.read * stride..][..positions.len()];
            match &part.offsets {
                Some(_) if part.read != part.slot => {
                    for (position, &value) in positions.iter_mut().zip(column) {
                        *position += value * part.stride;
                    }
                }
                None => {
                    for (position, &value) in positions.iter_mut().zip(column) {
                        *position += value * part.stride;
                    }
                }
                Some(_) => {
                    for (position, &value) in positions.iter_mut().zip(column) {
                        *position += part.offset(value);
                    }
                }
            }
        }
    }

    /// Calls `f(position, slots)` for every combination of the parents'
    /// domain values, with `slots` holding the combination.
    pub(crate) fn for_each(
        &self,
        domains: &Domains,
        slots: &mut [f64],
        mut f: impl FnMut(usize, &[f64]),
    ) {
        let values: Vec<&Vec<f64>> = self
            .parts
            .iter()
            .map(|p| {
                domains[p.slot]
                    .as_ref()
                    .expect("indexed slots have domains")
            })
            .collect();
        let mut digits = vec![0usize; self.parts.len()];
        loop {
            // The position from the values (not from the slots read at run
            // time, which may be rank slots; the offsets agree).
            let mut position = self.base;
            for ((part, domain), &digit) in self.parts.iter().zip(&values).zip(&digits) {
                slots[part.slot] = domain[digit];
                position += part.offset(domain[digit]);
            }
            f(to_index(position), slots);
            // Advance the odometer.
            let mut k = 0;
            loop {
                if k == digits.len() {
                    return;
                }
                digits[k] += 1;
                if digits[k] < values[k].len() {
                    break;
                }
                digits[k] = 0;
                k += 1;
            }
        }
    }
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

/// The slots an expression reads, sorted and unique.
pub(crate) fn slots_of(expr: &CExpr, out: &mut Vec<usize>) {
    match expr {
        CExpr::Const(_) => {}
        CExpr::Slot(i) => out.push(*i),
        CExpr::Neg(a) | CExpr::Not(a) | CExpr::Math(_, a) => slots_of(a, out),
        CExpr::Arith(_, a, b) | CExpr::Cmp(_, a, b) | CExpr::And(a, b) | CExpr::Or(a, b) => {
            slots_of(a, out);
            slots_of(b, out);
        }
        CExpr::If(c, a, b) => {
            slots_of(c, out);
            slots_of(a, out);
            slots_of(b, out);
        }
        CExpr::IfSlot(c, a, b) => {
            out.push(*c);
            slots_of(a, out);
            slots_of(b, out);
        }
        CExpr::Min(args) | CExpr::Max(args) => args.iter().for_each(|a| slots_of(a, out)),
        CExpr::Clamp(parts) => parts.iter().for_each(|a| slots_of(a, out)),
        CExpr::Table(t) => slots_of(&t.fallback, out),
    }
}

/// Whether `expr` holds a table.
fn has_table(expr: &CExpr) -> bool {
    match expr {
        CExpr::Const(_) | CExpr::Slot(_) => false,
        CExpr::Table(_) => true,
        CExpr::Neg(a) | CExpr::Not(a) | CExpr::Math(_, a) => has_table(a),
        CExpr::Arith(_, a, b) | CExpr::Cmp(_, a, b) | CExpr::And(a, b) | CExpr::Or(a, b) => {
            has_table(a) || has_table(b)
        }
        CExpr::If(c, a, b) => has_table(c) || has_table(a) || has_table(b),
        CExpr::IfSlot(_, a, b) => has_table(a) || has_table(b),
        CExpr::Min(args) | CExpr::Max(args) => args.iter().any(has_table),
        CExpr::Clamp(parts) => parts.iter().any(has_table),
    }
}

/// Sorted, deduplicated slots of several expressions.
pub(crate) fn slots_of_all<'a>(exprs: impl IntoIterator<Item = &'a CExpr>) -> Vec<usize> {
    let mut out = Vec::new();
    for e in exprs {
        slots_of(e, &mut out);
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// What the compiler knows about slots for tabulation: the discrete
/// domains, and the expressions of numeric derived nodes that are functions
/// of discrete slots (a score summed from booleans, say), which are inlined
/// so that an expression over such a node is a table over its parents.
pub(crate) struct Discrete {
    /// Per slot, its values when they are few.
    pub(crate) domains: Vec<Option<Vec<f64>>>,
    /// Per slot, an equivalent expression over discrete slots only.
    inline: Vec<Option<CExpr>>,
    /// Per slot, the rank slot of a categorical node whose state ids have
    /// gaps (see [`Index::new`]).
    ranks: Vec<Option<usize>>,
}

impl Discrete {
    /// Nothing inlined yet.
    pub(crate) fn new(domains: Vec<Option<Vec<f64>>>, ranks: Vec<Option<usize>>) -> Discrete {
        let inline = vec![None; domains.len()];
        Discrete {
            domains,
            inline,
            ranks,
        }
    }

    /// Records that slot `slot` (a derived node without a domain) always
    /// equals `expr`, when `expr`, inlined, reads only discrete slots.
    pub(crate) fn offer_inline(&mut self, slot: usize, expr: &CExpr) {
        if self.domains.get(slot).is_none_or(Option::is_some) {
            return;
        }
        let inlined = self.substitute(expr);
        let slots = slots_of_all([&inlined]);
        if slots
            .iter()
            .all(|&s| self.domains.get(s).is_some_and(Option::is_some))
        {
            self.inline[slot] = Some(inlined);
        }
    }

    /// `expr` with every inlinable slot replaced by its expression.
    pub(crate) fn substitute(&self, expr: &CExpr) -> CExpr {
        let sub = |e: &CExpr| Box::new(self.substitute(e));
        match expr {
            CExpr::Const(_) => expr.clone(),
            CExpr::Slot(i) => match &self.inline[*i] {
                Some(inlined) => inlined.clone(),
                None => expr.clone(),
            },
            CExpr::Neg(a) => CExpr::Neg(sub(a)),
            CExpr::Not(a) => CExpr::Not(sub(a)),
            CExpr::Math(f, a) => CExpr::Math(*f, sub(a)),
            CExpr::Arith(op, a, b) => CExpr::Arith(*op, sub(a), sub(b)),
            CExpr::Cmp(op, a, b) => CExpr::Cmp(*op, sub(a), sub(b)),
            CExpr::And(a, b) => CExpr::And(sub(a), sub(b)),
            CExpr::Or(a, b) => CExpr::Or(sub(a), sub(b)),
            CExpr::If(c, a, b) => CExpr::If(sub(c), sub(a), sub(b)),
            CExpr::IfSlot(c, a, b) => match &self.inline[*c] {
                Some(inlined) => CExpr::If(Box::new(inlined.clone()), sub(a), sub(b)),
                None => CExpr::IfSlot(*c, sub(a), sub(b)),
            },
            CExpr::Min(args) => CExpr::Min(args.iter().map(|a| self.substitute(a)).collect()),
            CExpr::Max(args) => CExpr::Max(args.iter().map(|a| self.substitute(a)).collect()),
            CExpr::Clamp(parts) => {
                let [x, lo, hi] = &**parts;
                CExpr::Clamp(Box::new([
                    self.substitute(x),
                    self.substitute(lo),
                    self.substitute(hi),
                ]))
            }
            CExpr::Table(t) => self.substitute(&t.fallback),
        }
    }

    /// An index over the slots that `exprs` read, with `row` entries per
    /// position, and whether it needs the inlined forms: tried with
    /// inlining first (numeric derived parents become their discrete
    /// parents), then as written. `None` when neither fits.
    pub(crate) fn index_for(&self, exprs: &[&CExpr], row: usize) -> Option<(Index, bool)> {
        let index = |slots: &[usize]| Index::new(slots, &self.domains, &self.ranks, row);
        let slots = slots_of_all(exprs.iter().copied());
        // Substitution changes an expression that reads an inlined slot or
        // holds a table (replaced by its expression); only then is it done.
        let changed = exprs.iter().any(|e| has_table(e))
            || slots
                .iter()
                .any(|&s| self.inline.get(s).is_some_and(Option::is_some));
        if changed {
            let inlined: Vec<CExpr> = exprs.iter().map(|e| self.substitute(e)).collect();
            if let Some(index) = index(&slots_of_all(&inlined)) {
                return Some((index, true));
            }
        }
        index(&slots).map(|i| (i, false))
    }
}

/// Replaces `expr` by a lookup table when it reads only discrete slots
/// (directly or through inlined derived nodes) and is more than a constant
/// or a single slot. The table's fallback is `expr` as written. Otherwise
/// its larger discrete parts become tables (a `logit` of a conditional
/// probability inside an expression over a number, say).
pub(crate) fn tabulate(expr: CExpr, discrete: &Discrete) -> CExpr {
    if matches!(expr, CExpr::Const(_) | CExpr::Slot(_) | CExpr::Table(_)) {
        return expr;
    }
    match table_of(&expr, discrete) {
        Some(table) => table,
        None => tabulate_parts(expr, discrete),
    }
}

/// The table of `expr`, if it reads only discrete slots.
fn table_of(expr: &CExpr, discrete: &Discrete) -> Option<CExpr> {
    let (index, inlined) = discrete.index_for(&[expr], 1)?;
    let evaluated = if inlined {
        discrete.substitute(expr)
    } else {
        expr.clone()
    };
    let mut scratch = vec![0.0; discrete.domains.len()];
    let mut values = vec![f64::NAN; index.padded()];
    index.for_each(&discrete.domains, &mut scratch, |position, slots| {
        values[position] = evaluated.eval(slots).unwrap_or(f64::NAN);
    });
    let complete = values[..index.size()].iter().all(|v| !v.is_nan());
    Some(CExpr::Table(Arc::new(Table {
        index,
        values,
        fallback: expr.clone(),
        complete,
    })))
}

/// The number of operations and leaves of `expr`.
fn size(expr: &CExpr) -> usize {
    1 + match expr {
        CExpr::Const(_) | CExpr::Slot(_) | CExpr::Table(_) => 0,
        CExpr::Neg(a) | CExpr::Not(a) | CExpr::Math(_, a) => size(a),
        CExpr::Arith(_, a, b) | CExpr::Cmp(_, a, b) | CExpr::And(a, b) | CExpr::Or(a, b) => {
            size(a) + size(b)
        }
        CExpr::If(c, a, b) => size(c) + size(a) + size(b),
        CExpr::IfSlot(_, a, b) => 1 + size(a) + size(b),
        CExpr::Min(args) | CExpr::Max(args) => args.iter().map(size).sum(),
        CExpr::Clamp(parts) => parts.iter().map(size).sum(),
    }
}

/// `expr` with its operands tabulated where that saves work: an operand of
/// a few operations that reads only discrete slots becomes one lookup.
fn tabulate_parts(expr: CExpr, discrete: &Discrete) -> CExpr {
    let part = |e: CExpr| -> CExpr {
        if size(&e) >= 4
            && let Some(table) = table_of(&e, discrete)
        {
            return table;
        }
        tabulate_parts(e, discrete)
    };
    let bx = |e: Box<CExpr>| Box::new(part(*e));
    match expr {
        CExpr::Const(_) | CExpr::Slot(_) | CExpr::Table(_) => expr,
        CExpr::Neg(a) => CExpr::Neg(bx(a)),
        CExpr::Not(a) => CExpr::Not(bx(a)),
        CExpr::Math(f, a) => CExpr::Math(f, bx(a)),
        CExpr::Arith(op, a, b) => CExpr::Arith(op, bx(a), bx(b)),
        CExpr::Cmp(op, a, b) => CExpr::Cmp(op, bx(a), bx(b)),
        CExpr::And(a, b) => CExpr::And(bx(a), bx(b)),
        CExpr::Or(a, b) => CExpr::Or(bx(a), bx(b)),
        CExpr::If(c, a, b) => CExpr::If(bx(c), bx(a), bx(b)),
        CExpr::IfSlot(c, a, b) => CExpr::IfSlot(c, bx(a), bx(b)),
        CExpr::Min(args) => CExpr::Min(args.into_iter().map(part).collect()),
        CExpr::Max(args) => CExpr::Max(args.into_iter().map(part).collect()),
        CExpr::Clamp(parts) => {
            let [x, lo, hi] = *parts;
            CExpr::Clamp(Box::new([part(x), part(lo), part(hi)]))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::Cmp;

    #[test]
    fn tables_agree_with_the_expression_and_fall_back_on_errors() {
        // slot 0 boolean, slot 1 categorical with ids {3, 5}, slot 2 numeric.
        let domains = vec![Some(vec![0.0, 1.0]), Some(vec![3.0, 5.0]), None];
        let e = CExpr::IfSlot(
            0,
            Box::new(CExpr::Cmp(
                Cmp::Eq,
                Box::new(CExpr::Slot(1)),
                Box::new(CExpr::Const(5.0)),
            )),
            Box::new(CExpr::Const(0.25)),
        );
        let discrete = Discrete::new(domains, vec![None; 3]);
        let t = tabulate(e.clone(), &discrete);
        assert!(matches!(t, CExpr::Table(_)));
        for a in [0.0, 1.0] {
            for b in [3.0, 5.0] {
                let slots = [a, b, 0.0];
                assert_eq!(t.eval(&slots).ok(), e.eval(&slots).ok());
            }
        }
        // A categorical domain with gaps gets a dense index.
        let index = Index::new(&[1], &discrete.domains, &[], 1).expect("discrete");
        assert_eq!(index.size(), 2);
        // A numeric slot is not tabulated.
        let n = CExpr::Neg(Box::new(CExpr::Slot(2)));
        assert_eq!(tabulate(n.clone(), &discrete), n);
    }

    #[test]
    fn numeric_derived_nodes_of_booleans_are_inlined() {
        // slot 0 boolean; slot 1 a numeric derived node = if(slot 0, 2, -1);
        // slot 2 numeric without a formula.
        let mut discrete = Discrete::new(vec![Some(vec![0.0, 1.0]), None, None], vec![None; 3]);
        let score = CExpr::IfSlot(0, Box::new(CExpr::Const(2.0)), Box::new(CExpr::Const(-1.0)));
        discrete.offer_inline(1, &score);
        discrete.offer_inline(2, &CExpr::Neg(Box::new(CExpr::Slot(2))));
        let p = CExpr::Math(crate::expr::Math::Logistic, Box::new(CExpr::Slot(1)));
        let t = tabulate(p.clone(), &discrete);
        let CExpr::Table(table) = &t else {
            panic!("not tabulated: {t:?}");
        };
        assert_eq!(table.index.size(), 2);
        for b in [0.0, 1.0] {
            let slots = [b, if b == 1.0 { 2.0 } else { -1.0 }, 0.0];
            assert_eq!(t.eval(&slots).ok(), p.eval(&slots).ok());
        }
        let q = CExpr::Neg(Box::new(CExpr::Slot(2)));
        assert_eq!(tabulate(q.clone(), &discrete), q);
    }
}
