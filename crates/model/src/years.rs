//! Which numeric outcomes are years: the ones whose fan chart a report
//! draws (P(the event by year Y) with its band over the parameter draws),
//! and whose per-draw counts by year the engine therefore keeps.
//!
//! No key says so: an outcome is a year when its value is a node drawn with
//! `round = true` between whole-number constant `lower` and `upper` bounds
//! that look like calendar years, or an `if` choosing between such years
//! (see [`Model::year_outcome`]). The bounds give the span of years, so the
//! counts are bounded whatever the trials.

use crate::ir::{Expr, Model, NodeKind, OutcomeId, OutcomeKind, Ref, Years};

/// The earliest and latest bounds taken for calendar years.
const YEAR_BOUNDS: (i32, i32) = (1000, 2999);

/// The most years one year outcome may span (its counts per draw).
pub const MAX_YEAR_SPAN: i32 = 300;

impl Model {
    /// The span of years of outcome `outcome` when it is a year: a listed
    /// numeric outcome whose `value` is a year expression (see
    /// [`Model::expr_years`]), at most 300 years wide. `None` for every
    /// other outcome.
    pub fn year_outcome(&self, outcome: OutcomeId) -> Option<Years> {
        let outcome = self.outcomes.get(outcome)?;
        let OutcomeKind::Numeric { value, .. } = &outcome.kind else {
            return None;
        };
        if !outcome.listed {
            return None;
        }
        let years = self.expr_years(value, self.nodes.len())?;
        let span = years.last.checked_sub(years.first)?;
        (0..MAX_YEAR_SPAN).contains(&span).then_some(years)
    }

    /// The span of a year expression: the name of a `dist` node with
    /// `round = true` and whole-number constant `lower` and `upper` within
    /// 1000..=2999 (directly, or through derived nodes whose value is such
    /// an expression), or `if(cond, a, b)` with `a` and `b` year
    /// expressions, whose span covers both (a year of one war or of
    /// another). `depth` bounds the walk through derived nodes: a chain of
    /// them cannot be longer than the node count (an `if` is a finite tree
    /// and needs no bound).
    fn expr_years(&self, expr: &Expr, depth: usize) -> Option<Years> {
        match expr {
            Expr::If(_, a, b) => {
                let (a, b) = (self.expr_years(a, depth)?, self.expr_years(b, depth)?);
                Some(Years {
                    first: a.first.min(b.first),
                    last: a.last.max(b.last),
                })
            }
            Expr::Ref(Ref::Node(node)) => match &self.nodes.get(*node)?.kind {
                NodeKind::Derived { value } => self.expr_years(value, depth.checked_sub(1)?),
                NodeKind::Numeric {
                    lower: Some(lower),
                    upper: Some(upper),
                    round: true,
                    ..
                } => Some(Years {
                    first: whole_year(lower)?,
                    last: whole_year(upper)?,
                }),
                _ => None,
            },
            _ => None,
        }
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

#[cfg(test)]
mod tests {
    use crate::ir::Years;

    const MODEL: &str = r#"
[model]
name = "two_wars"
title = "Two wars"
doc = "An early war or a late one."

[nodes.early]
doc = "The war comes early."
p = 0.3

[nodes.early_year]
doc = "The early war's year."
dist = "uniform"
low = 1929
high = 1932
lower = 1929
upper = 1932
round = true

[nodes.late_year]
doc = "The late war's year."
dist = "uniform"
low = 1933
high = 1945
lower = 1933
upper = 1945
round = true

[outcomes.war_year]
doc = "The year of whichever war comes."
value = "if(early, early_year, late_year)"

[outcomes.nested_year]
doc = "An if within an if: still a year."
value = "if(early, early_year, if(early, late_year, early_year))"

[outcomes.war_year_or_none]
doc = "A year or a number that is not one."
value = "if(early, early_year, 0)"

[outcomes.years_after]
doc = "A number computed from a year."
value = "if(early, early_year, late_year) - 1900"

[scenarios.open]
doc = "Nothing fixed."
"#;

    #[test]
    fn an_if_between_years_is_a_year_over_both_spans() {
        let model = crate::load("two_wars.toml", MODEL)
            .unwrap_or_else(|e| panic!("loads: {e:?}"))
            .model;
        let years: Vec<(String, Years)> = (model.year_outcomes().into_iter())
            .map(|(o, y)| (model.outcomes[o].name.clone(), y))
            .collect();
        let union = Years {
            first: 1929,
            last: 1945,
        };
        assert_eq!(
            years,
            vec![
                ("war_year".to_string(), union),
                ("nested_year".to_string(), union)
            ]
        );
    }
}
