//! Dead ends: nodes that no outcome reads, directly or through other nodes,
//! and params that nothing reads. Either is legal, and either is most often
//! a forgotten edge: the user meant the node to matter.

use crate::bound::collect;
use crate::diagnostic::{Check, Diagnostic, LineIndex, Severity};
use crate::ir::{Model, OutcomeKind, Ref};

/// The dead-end warnings of `model`, in file order of the names.
pub fn warnings(model: &Model, path: &str, source: &str, index: &LineIndex) -> Vec<Diagnostic> {
    // What the outcomes read, then everything those nodes read in turn.
    let mut refs = Vec::new();
    for outcome in &model.outcomes {
        match &outcome.kind {
            OutcomeKind::Boolean { when: e, given } | OutcomeKind::Numeric { value: e, given } => {
                collect(e, &mut refs);
                if let Some(given) = given {
                    collect(given, &mut refs);
                }
            }
        }
    }
    let mut feeds = vec![false; model.nodes.len()];
    let mut param_read = vec![false; model.params.len()];
    let mut stack = Vec::new();
    for r in refs {
        match r {
            Ref::Node(n) => stack.push(n),
            Ref::Param(p) => param_read[p] = true,
            Ref::Outcome(_) => {}
        }
    }
    while let Some(n) = stack.pop() {
        if std::mem::replace(&mut feeds[n], true) {
            continue;
        }
        stack.extend(model.nodes[n].parents.iter().filter_map(|r| match r {
            Ref::Node(m) => Some(*m),
            _ => None,
        }));
    }
    for node in &model.nodes {
        for r in &node.parents {
            if let Ref::Param(p) = r {
                param_read[*p] = true;
            }
        }
    }
    let warn = |span, message: String, hint: &str| {
        Diagnostic::with_index(
            Severity::Warning,
            path,
            source,
            index,
            Some(span),
            message,
            Some(hint.to_string()),
        )
        .from_check(Check::DeadEnd)
    };
    let mut out = Vec::new();
    for (param, read) in model.params.iter().zip(&param_read) {
        if !read {
            out.push(warn(
                param.span,
                format!("param `{}` is read by no node or outcome", param.name),
                "name it in an expression, or remove it",
            ));
        }
    }
    for (node, feeds) in model.nodes.iter().zip(&feeds) {
        if !feeds {
            out.push(warn(
                node.span,
                format!(
                    "node `{}` is a dead end: no outcome reads it, directly or through other nodes",
                    node.name
                ),
                "add an outcome that reads it (or a node an outcome reads), or remove it",
            ));
        }
    }
    out.sort_by_key(|d| d.span.map_or(0, |s| s.start));
    out
}
