//! Where an expression of a node or outcome is written: run-time errors
//! name the [`Part`] of a node or outcome whose value went wrong, and this
//! finds its text, so that the message points at the expression rather
//! than at the `[nodes.NAME]` header.
//!
//! The validated model keeps no spans of its expressions (later stages
//! never need them); the raw tables do, so the text is read again. That
//! happens once, when a run has already failed.

use toml::de::DeTable;

use crate::ir::Span;
use crate::raw::{self, DistForm, RawExpr, RawNode, RawNodeKind, RawOutcomeKind};
use crate::reader::Sink;

/// One expression of a node or outcome. Indices are `u32` so that the
/// run-time error that carries one stays small.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    /// A boolean node's `p`.
    P,
    /// A derived node's `value`, or an outcome's `when` or `value`.
    Value,
    /// An outcome's `given`.
    Given,
    /// The `when` of row `row` of a categorical node's table (rows counted
    /// from 0 in file order; a plain `p` or `weights` is row 0).
    When {
        /// The row.
        row: u32,
    },
    /// The `p.STATE` or `weights.STATE` of row `row` for the node's state
    /// number `state` (in the order of `states`).
    Entry {
        /// The row.
        row: u32,
        /// The state's index.
        state: u32,
    },
    /// The `p` or `weights` table of row `row` as a whole (their sum).
    Probs {
        /// The row.
        row: u32,
    },
    /// A numeric node's distribution argument: its index in the kind's
    /// keys, or for a `ci90` form 0 for the low end and 1 for the high.
    Arg(u32),
    /// A numeric node's `lower`.
    Lower,
    /// A numeric node's `upper`.
    Upper,
}

/// Whether a name is a node's or an outcome's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Owner {
    /// `[nodes.NAME]`.
    Node,
    /// `[outcomes.NAME]`.
    Outcome,
}

/// The places of one part of a node or outcome in the model's text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PartPlace {
    /// The expression's text (inside its quotes when it has no escapes),
    /// or the table that holds it when the part is a whole `p` table.
    pub expression: Span,
    /// The node's or outcome's table, as its diagnostics show it.
    pub table: Span,
}

/// Where `part` of the node or outcome `name` is written in `source`, a
/// model that loaded. `None` when the text has no such part (a part the
/// model was given by a tool, say).
pub fn part_place(source: &str, owner: Owner, name: &str, part: Part) -> Option<PartPlace> {
    let root = DeTable::parse(source).ok()?;
    let mut sink = Sink::new("", source);
    let file = raw::read(&mut sink, root.get_ref());
    match owner {
        Owner::Node => {
            let node = file.nodes.iter().find(|n| n.name.text == name)?;
            Some(PartPlace {
                expression: node_part(node, part)?,
                table: node.span,
            })
        }
        Owner::Outcome => {
            let outcome = file.outcomes.iter().find(|o| o.name.text == name)?;
            let expression = match (part, &outcome.kind) {
                (Part::Value, Some(RawOutcomeKind::When(e) | RawOutcomeKind::Value(e))) => e,
                (Part::Given, _) => outcome.given.as_ref()?,
                _ => return None,
            };
            Some(PartPlace {
                expression: text_span(expression),
                table: outcome.span,
            })
        }
    }
}

/// The span of `part` of a node as written.
fn node_part(node: &RawNode, part: Part) -> Option<Span> {
    match (node.kind.as_ref()?, part) {
        (RawNodeKind::Boolean { p }, Part::P) => Some(text_span(p)),
        (RawNodeKind::Derived { value }, Part::Value) => Some(text_span(value)),
        (RawNodeKind::Numeric { dist, .. }, Part::Arg(index)) => match &dist.form {
            DistForm::Args(args) => args.get(index as usize).map(|(e, _)| text_span(e)),
            DistForm::Ci90(lo, hi, _) => [lo, hi].get(index as usize).map(|e| text_span(e)),
        },
        (RawNodeKind::Numeric { lower, .. }, Part::Lower) => lower.as_ref().map(text_span),
        (RawNodeKind::Numeric { upper, .. }, Part::Upper) => upper.as_ref().map(text_span),
        (RawNodeKind::Categorical { rows, .. }, Part::When { row }) => {
            rows.get(row as usize)?.when.as_ref().map(text_span)
        }
        (RawNodeKind::Categorical { rows, .. }, Part::Probs { row }) => rows
            .get(row as usize)?
            .probs
            .as_ref()
            .map(|probs| probs.span),
        (RawNodeKind::Categorical { states, rows, .. }, Part::Entry { row, state }) => {
            let probs = rows.get(row as usize)?.probs.as_ref()?;
            let name = &states.get(state as usize)?.text;
            // The state may have no entry (it takes the remainder): the
            // whole table then.
            Some(
                probs
                    .entries
                    .iter()
                    .find(|(entry, _)| entry.text == *name)
                    .map_or(probs.span, |(_, e)| text_span(e)),
            )
        }
        _ => None,
    }
}

/// The file span of an expression's text (inside the quotes when possible).
fn text_span(raw: &RawExpr) -> Span {
    match &raw.ast {
        Some(ast) => raw.file_span(ast.span),
        None => raw.span,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MODEL: &str = r#"[model]
name = "m"
title = "t"

[params.s]
dist = "uniform"
low = 0
high = 1

[nodes.b]
p = "s * 2"

[nodes.c]
states = ["x", "y", "z"]
table = [
  { when = "b", p = { x = "s", y = 0.5 } },
  { weights = { x = 1, y = "s - 1", z = 1 } },
]

[nodes.n]
dist = "normal"
mean = 3
sd = "s"
lower = "s"
upper = 2

[nodes.d]
value = "s + 1"

[outcomes.o]
value = "n"
given = "b"
"#;

    fn at(part_owner: Owner, name: &str, part: Part) -> &'static str {
        let place = part_place(MODEL, part_owner, name, part).expect("a place");
        &MODEL[place.expression.start..place.expression.end]
    }

    #[test]
    fn each_part_is_found_at_its_text() {
        assert_eq!(at(Owner::Node, "b", Part::P), "s * 2");
        assert_eq!(at(Owner::Node, "c", Part::When { row: 0 }), "b");
        assert_eq!(at(Owner::Node, "c", Part::Entry { row: 0, state: 0 }), "s");
        assert_eq!(
            at(Owner::Node, "c", Part::Entry { row: 1, state: 1 }),
            "s - 1"
        );
        // z takes the remainder in row 0: the whole `p` table.
        assert_eq!(
            at(Owner::Node, "c", Part::Entry { row: 0, state: 2 }),
            r#"{ x = "s", y = 0.5 }"#
        );
        assert_eq!(
            at(Owner::Node, "c", Part::Probs { row: 1 }),
            r#"{ x = 1, y = "s - 1", z = 1 }"#
        );
        assert_eq!(at(Owner::Node, "n", Part::Arg(1)), "s");
        assert_eq!(at(Owner::Node, "n", Part::Arg(0)), "3");
        assert_eq!(at(Owner::Node, "n", Part::Lower), "s");
        assert_eq!(at(Owner::Node, "n", Part::Upper), "2");
        assert_eq!(at(Owner::Node, "d", Part::Value), "s + 1");
        assert_eq!(at(Owner::Outcome, "o", Part::Value), "n");
        assert_eq!(at(Owner::Outcome, "o", Part::Given), "b");
    }

    #[test]
    fn the_table_is_the_nodes_own() {
        let place = part_place(MODEL, Owner::Node, "n", Part::Lower).expect("a place");
        assert!(MODEL[place.table.start..].starts_with("[nodes.n]"));
    }

    #[test]
    fn parts_that_are_not_there_are_none() {
        assert_eq!(part_place(MODEL, Owner::Node, "b", Part::Lower), None);
        assert_eq!(part_place(MODEL, Owner::Node, "nobody", Part::P), None);
        assert_eq!(
            part_place(MODEL, Owner::Node, "c", Part::When { row: 1 }),
            None
        );
        assert_eq!(part_place(MODEL, Owner::Outcome, "o", Part::P), None);
    }
}
