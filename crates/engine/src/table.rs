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
//!
//! The table itself (`Table`) is a kind of expression and lives beside
//! `CExpr` in `expr.rs`; where a trial falls in it is `index.rs`.

use std::sync::Arc;

use crate::expr::{CExpr, Table};
use crate::index::Index;

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

/// The slots whose columns `expr` reads when run: its slots, and the
/// parents of its tables (which may be the discrete parents of inlined
/// slots), sorted or not, with repeats.
pub(crate) fn reads(expr: &CExpr, out: &mut Vec<usize>) {
    match expr {
        CExpr::Const(_) => {}
        CExpr::Slot(i) => out.push(*i),
        CExpr::Neg(a) | CExpr::Not(a) | CExpr::Math(_, a) => reads(a, out),
        CExpr::Arith(_, a, b) | CExpr::Cmp(_, a, b) | CExpr::And(a, b) | CExpr::Or(a, b) => {
            reads(a, out);
            reads(b, out);
        }
        CExpr::If(c, a, b) => [c, a, b].into_iter().for_each(|e| reads(e, out)),
        CExpr::IfSlot(c, a, b) => {
            out.push(*c);
            reads(a, out);
            reads(b, out);
        }
        CExpr::Min(args) | CExpr::Max(args) => args.iter().for_each(|a| reads(a, out)),
        CExpr::Clamp(parts) => parts.iter().for_each(|a| reads(a, out)),
        CExpr::Table(t) => {
            out.extend(t.index.slots());
            reads(&t.fallback, out);
        }
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
    /// position, and the inlined forms of `exprs` when the index needs
    /// them: tried with inlining first (numeric derived parents become
    /// their discrete parents), then as written. `None` when neither fits.
    pub(crate) fn index_for(
        &self,
        exprs: &[&CExpr],
        row: usize,
    ) -> Option<(Index, Option<Vec<CExpr>>)> {
        let index = |slots: &[usize]| Index::new(slots, &self.domains, &self.ranks, row);
        let slots = slots_of_all(exprs.iter().copied());
        // Substitution changes an expression that reads an inlined slot or
        // holds a table (replaced by its expression); only then is it done.
        let changed = exprs.iter().any(|e| has_table(e))
            || slots
                .iter()
                .any(|&s| self.inline.get(s).is_some_and(Option::is_some));
        if changed {
            // The slots of the inlined forms, found without making them
            // (most expressions tried here read a number, and have no index
            // either way): an inlined slot reads its expression's slots.
            let mut inlined_slots = Vec::new();
            for &s in &slots {
                match self.inline.get(s) {
                    Some(Some(inlined)) => slots_of(inlined, &mut inlined_slots),
                    _ => inlined_slots.push(s),
                }
            }
            inlined_slots.sort_unstable();
            inlined_slots.dedup();
            if let Some(index) = index(&inlined_slots) {
                let inlined = exprs.iter().map(|e| self.substitute(e)).collect();
                return Some((index, Some(inlined)));
            }
        }
        index(&slots).map(|i| (i, None))
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
    match table_of(expr, discrete) {
        Ok(table) => table,
        Err(expr) => tabulate_parts(expr, discrete),
    }
}

/// The table of `expr`, if it reads only discrete slots; else `expr` back.
/// (Taken and given back, not borrowed: tables are built for every
/// parameter draw, and the expression is the table's fallback, not a
/// copy of it.)
fn table_of(expr: CExpr, discrete: &Discrete) -> Result<CExpr, CExpr> {
    let Some((index, inlined)) = discrete.index_for(&[&expr], 1) else {
        return Err(expr);
    };
    let evaluated = match &inlined {
        Some(inlined) => &inlined[0],
        None => &expr,
    };
    let mut scratch = vec![0.0; discrete.domains.len()];
    let mut values = vec![f64::NAN; index.padded()];
    index.for_each(&discrete.domains, &mut scratch, |position, slots| {
        values[position] = evaluated.eval(slots).unwrap_or(f64::NAN);
    });
    let complete = values[..index.size()].iter().all(|v| !v.is_nan());
    Ok(CExpr::Table(Arc::new(Table {
        index,
        values,
        fallback: expr,
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
        let e = if size(&e) >= 4 {
            match table_of(e, discrete) {
                Ok(table) => return table,
                Err(e) => e,
            }
        } else {
            e
        };
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
