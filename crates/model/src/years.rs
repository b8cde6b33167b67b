//! Which numeric outcomes are years: the ones whose fan chart a report
//! draws (P(the event by year Y) with its band over the parameter draws),
//! and whose per-draw counts by year the engine therefore keeps.
//!
//! No key says so: an outcome is a year when its value is a node drawn with
//! `round = true` between whole-number constant `lower` and `upper` bounds
//! that look like calendar years (see [`Model::year_outcome`]). The bounds
//! give the span of years, so the counts are bounded whatever the trials.

use crate::ir::{Expr, Model, NodeKind, OutcomeId, OutcomeKind, Ref, Years};

/// The earliest and latest bounds taken for calendar years.
const YEAR_BOUNDS: (i32, i32) = (1000, 2999);

/// The most years one year outcome may span (its counts per draw).
pub const MAX_YEAR_SPAN: i32 = 300;

impl Model {
    /// The span of years of outcome `outcome` when it is a year: a listed
    /// numeric outcome whose `value` names a node (directly, or through
    /// derived nodes whose value is just that name) that is a `dist` node
    /// with `round = true` and whole-number constant `lower` and `upper`,
    /// both within 1000..=2999 and at most 300 years apart. `None` for
    /// every other outcome.
    pub fn year_outcome(&self, outcome: OutcomeId) -> Option<Years> {
        let outcome = self.outcomes.get(outcome)?;
        let OutcomeKind::Numeric { value, .. } = &outcome.kind else {
            return None;
        };
        if !outcome.listed {
            return None;
        }
        let mut expr = value;
        // A chain of derived nodes cannot be longer than the node count.
        for _ in 0..=self.nodes.len() {
            let Expr::Ref(Ref::Node(node)) = expr else {
                return None;
            };
            match &self.nodes.get(*node)?.kind {
                NodeKind::Derived { value } => expr = value,
                NodeKind::Numeric {
                    lower: Some(lower),
                    upper: Some(upper),
                    round: true,
                    ..
                } => {
                    let years = Years {
                        first: whole_year(lower)?,
                        last: whole_year(upper)?,
                    };
                    let span = years.last.checked_sub(years.first)?;
                    return (0..MAX_YEAR_SPAN).contains(&span).then_some(years);
                }
                _ => return None,
            }
        }
        None
    }

    /// The outcomes that are years, with their spans, in outcome order.
    pub fn year_outcomes(&self) -> Vec<(OutcomeId, Years)> {
        (0..self.outcomes.len())
            .filter_map(|o| self.year_outcome(o).map(|years| (o, years)))
            .collect()
    }
}

/// A constant whole number within the calendar-year bounds.
fn whole_year(expr: &Expr) -> Option<i32> {
    let Expr::Number(x) = expr else {
        return None;
    };
    let (lo, hi) = YEAR_BOUNDS;
    (x.fract() == 0.0 && *x >= f64::from(lo) && *x <= f64::from(hi)).then_some(*x as i32)
}
