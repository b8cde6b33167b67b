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

use crate::expr::CExpr;

/// The largest table built, in entries (times states for a categorical).
pub(crate) const MAX_TABLE: usize = 1024;

/// The possible run-time values of each slot, when they are few: booleans
/// {0, 1}, categorical nodes their state ids. `None` for numbers.
pub(crate) type Domains = [Option<Vec<f64>>];

/// One parent slot of a table index.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Part {
    slot: usize,
    /// The position step of this parent, as an `f64`.
    stride: f64,
}

/// Maps the values of some discrete slots to a table position:
/// `base + sum(value * stride)`, computed in `f64` (exact: small integers).
/// Parents are booleans and states, so their slots always hold one of the
/// integers of their domain, and the sum is a whole number in `0..size`.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Index {
    parts: Vec<Part>,
    /// `-sum(min * stride)`: puts each parent's smallest value at zero.
    base: f64,
    size: usize,
}

/// The index of a position computed in `f64`: for a whole number
/// `0 <= p < 2^52`, adding 2^52 puts it in the low mantissa bits. Cheaper
/// than `as usize` (which must saturate) and it vectorises.
#[inline]
pub(crate) fn to_index(position: f64) -> usize {
    const SHIFT: f64 = 4_503_599_627_370_496.0; // 2^52
    const MASK: u64 = (1 << 52) - 1;
    ((position + SHIFT).to_bits() & MASK) as usize
}

impl Index {
    /// An index over `slots`, if all are discrete and the table of `row`
    /// entries per position stays under [`MAX_TABLE`].
    pub(crate) fn new(slots: &[usize], domains: &Domains, row: usize) -> Option<Index> {
        let mut parts = Vec::with_capacity(slots.len());
        let mut size = 1usize;
        let mut base = 0.0;
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
            parts.push(Part {
                slot,
                stride: size as f64,
            });
            base -= (min * size) as f64;
            size = size.checked_mul(max - min + 1)?;
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

    /// The position of the current slot values.
    #[inline]
    pub(crate) fn position(&self, slots: &[f64]) -> usize {
        self.position_at(slots, 1, 0)
    }

    /// The position for trial `t` of a batch laid out slot-major with `stride`.
    #[inline]
    pub(crate) fn position_at(&self, slots: &[f64], stride: usize, t: usize) -> usize {
        let mut position = self.base;
        for part in &self.parts {
            position += slots[part.slot * stride + t] * part.stride;
        }
        to_index(position)
    }

    /// Sets `positions[t]` to the position of trial `t` of a batch laid out
    /// slot-major with `stride`, as an `f64` (see [`to_index`]): one pass per
    /// parent, so the loops vectorise.
    #[inline]
    pub(crate) fn positions(&self, slots: &[f64], stride: usize, positions: &mut [f64]) {
        positions.fill(self.base);
        for part in &self.parts {
            let column = &slots[part.slot * stride..][..positions.len()];
            for (position, &value) in positions.iter_mut().zip(column) {
                *position += value * part.stride;
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
            for ((part, domain), &digit) in self.parts.iter().zip(&values).zip(&digits) {
                slots[part.slot] = domain[digit];
            }
            f(self.position(slots), slots);
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
    pub(crate) values: Vec<f64>,
    pub(crate) fallback: CExpr,
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

/// Replaces `expr` by a lookup table when it reads only discrete slots and is
/// more than a constant or a single slot.
pub(crate) fn tabulate(expr: CExpr, domains: &Domains) -> CExpr {
    if matches!(expr, CExpr::Const(_) | CExpr::Slot(_) | CExpr::Table(_)) {
        return expr;
    }
    let slots = slots_of_all([&expr]);
    if slots.is_empty() {
        return expr;
    }
    let Some(index) = Index::new(&slots, domains, 1) else {
        return expr;
    };
    let mut scratch = vec![0.0; domains.len()];
    let mut values = vec![f64::NAN; index.size()];
    index.for_each(domains, &mut scratch, |position, slots| {
        values[position] = expr.eval(slots).unwrap_or(f64::NAN);
    });
    CExpr::Table(Box::new(Table {
        index,
        values,
        fallback: expr,
    }))
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
        let t = tabulate(e.clone(), &domains);
        assert!(matches!(t, CExpr::Table(_)));
        for a in [0.0, 1.0] {
            for b in [3.0, 5.0] {
                let slots = [a, b, 0.0];
                assert_eq!(t.eval(&slots).ok(), e.eval(&slots).ok());
            }
        }
        // A numeric slot is not tabulated.
        let n = CExpr::Neg(Box::new(CExpr::Slot(2)));
        assert_eq!(tabulate(n.clone(), &domains), n);
    }
}
