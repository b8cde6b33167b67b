//! The chronology check (contract 1.1, section 1): a node may read a
//! parent only if the parent can be decided no later than the node, that is
//! `parent.first <= node.last`. Each reading that breaks the rule is warned
//! about at the name in the reading expression (a `p`, a table row's `when`
//! or probability, a distribution argument, a clamp, a derived `value`), so
//! the author sees exactly where the model looks into the future. Nodes
//! without a `year`, and params, are not checked.

use std::collections::HashMap;

use crate::diagnostic::{Check, Diagnostic, LineIndex, Severity};
use crate::ir::{Model, NodeId, Span, Years};
use crate::parser::{Ast, AstKind};
use crate::raw::{DistForm, RawExpr, RawFile, RawNodeKind};

/// The chronology warnings of `model`, read from `file` (the same text, for
/// the places of the readings), in source order.
pub fn warnings(
    model: &Model,
    file: &RawFile,
    path: &str,
    source: &str,
    index: &LineIndex,
) -> Vec<Diagnostic> {
    let ids: HashMap<&str, NodeId> = model
        .nodes
        .iter()
        .enumerate()
        .map(|(id, n)| (n.name.as_str(), id))
        .collect();
    let mut out = Vec::new();
    for raw in &file.nodes {
        let Some(&id) = ids.get(raw.name.text.as_str()) else {
            continue;
        };
        let node = &model.nodes[id];
        let (Some(years), Some(kind)) = (node.year, &raw.kind) else {
            continue;
        };
        for expr in expressions(kind) {
            let Some(ast) = &expr.ast else { continue };
            names(ast, &mut |name, at| {
                let Some(&parent) = ids.get(name) else { return };
                let Some(theirs) = model.nodes[parent].year else {
                    return;
                };
                if later(theirs, years) {
                    out.push(
                        Diagnostic::with_index(
                            Severity::Warning,
                            path,
                            source,
                            index,
                            Some(expr.file_span(at)),
                            format!(
                                "{} ({years}) reads {name} ({theirs}), which is decided later",
                                node.name
                            ),
                            Some(format!(
                                "a node reads only what is decided by its last year ({}): \
                                 correct the years, or read an earlier node",
                                years.last
                            )),
                        )
                        .from_check(Check::Chronology),
                    );
                }
            });
        }
    }
    out.sort_by_key(|d| d.span.map_or(0, |s| s.start));
    out
}

/// Whether a parent decided in `parent` comes after a node decided in
/// `node`: it cannot be decided before the node's last year.
pub fn later(parent: Years, node: Years) -> bool {
    parent.first > node.last
}

/// Every expression of a node, in file order of the kinds' keys.
fn expressions(kind: &RawNodeKind) -> Vec<&RawExpr> {
    match kind {
        RawNodeKind::Boolean { p } => vec![p],
        RawNodeKind::Derived { value } => vec![value],
        RawNodeKind::Numeric {
            dist, lower, upper, ..
        } => {
            let mut all: Vec<&RawExpr> = match &dist.form {
                DistForm::Args(args) => args.iter().map(|(e, _)| e).collect(),
                DistForm::Ci90(lo, hi, _) => vec![lo, hi],
            };
            all.extend(lower.iter().chain(upper.iter()));
            all
        }
        RawNodeKind::Categorical { rows, .. } => rows
            .iter()
            .flat_map(|row| {
                let probs = row
                    .probs
                    .iter()
                    .flat_map(|p| p.entries.iter().map(|(_, e)| e));
                row.when.iter().chain(probs)
            })
            .collect(),
    }
}

/// Calls `visit` on every name of `ast` with its span in the expression.
fn names<'a>(ast: &'a Ast, visit: &mut impl FnMut(&'a str, Span)) {
    match &ast.kind {
        AstKind::Name(name) => visit(name, ast.span),
        AstKind::Unary(_, operand) => names(operand, visit),
        AstKind::Binary(_, _, left, right) => {
            names(left, visit);
            names(right, visit);
        }
        AstKind::Call { args, .. } => args.iter().for_each(|arg| names(arg, visit)),
        AstKind::Number(_) | AstKind::Boolean(_) | AstKind::State(_) => {}
    }
}
