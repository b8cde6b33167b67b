//! The uchronia model language: TOML text in, a validated [`Model`] out.
//!
//! Loading is two-staged: the TOML is read with its spans into raw tables that
//! mirror the text (`raw`, through the spanned TOML [`reader`] that claims,
//! lexicon and history files share), then converted into the typed [`ir`] that later
//! stages consume without re-checking (`load`). Expressions go through their
//! own lexer, parser and checker (`lexer`, `parser`, `check`), the graph is
//! sorted in `graph`. Validation collects every diagnostic it can instead of
//! stopping at the first, and each carries file, line and column.
//!
//! This crate does no IO: callers hand it the text and the path to show.

pub mod baseline;
mod bound;
mod check;
mod chronology;
mod diagnostic;
mod graph;
mod interval;
pub mod ir;
mod labels;
mod lexer;
mod load;
pub mod locate;
mod parser;
mod ranges;
mod raw;
mod reach;
pub mod reader;
pub mod sourcing;
pub mod suggest;
mod years;

use std::fmt;

pub use diagnostic::{Check, Diagnostic, Diagnostics, LineIndex, MAX_KEPT, Note, Severity};
pub use ir::*;
pub use labels::Named;
pub use locate::Part;
pub use parser::{MAX_HEIGHT, MAX_NESTING};
pub use sourcing::{JUDGEMENT, Sourcing};
pub use years::MAX_YEAR_SPAN;

/// The longest model text [`load`] accepts, in bytes (16 MiB). A model of
/// 10,000 nodes is about 0.5 MiB; anything near the limit is more likely the
/// wrong file than a model, and refusing it keeps loading time bounded.
pub const MAX_SOURCE_BYTES: usize = 16 << 20;

/// A model that loaded, with the warnings found on the way: missing `doc`s,
/// ranges that can leave their domain, dead ends.
#[derive(Clone, Debug)]
pub struct Loaded {
    /// The validated model.
    pub model: Model,
    /// Warnings, in source order.
    pub warnings: Vec<Diagnostic>,
}

/// Loads a model from its TOML text. `path` is only shown in messages; no
/// file is read. On failure, every error found, in source order.
pub fn load(path: &str, source: &str) -> Result<Loaded, Diagnostics> {
    let mut loaded = load::load(path, source)?;
    // The analyses recurse on expressions (up to MAX_HEIGHT deep, several
    // frames a level): a thread of their own gets a stack that suffices
    // whatever thread loads the model. Should it fail, the model is only
    // not analysed.
    let model = &loaded.model;
    let more = std::thread::scope(|scope| {
        std::thread::Builder::new()
            .name("uchronia-analyse".into())
            .stack_size(ANALYSIS_STACK)
            .spawn_scoped(scope, || analyse(path, source, model))
            .ok()
            .and_then(|thread| thread.join().ok())
    })
    .unwrap_or_default();
    loaded.warnings.extend(more);
    // Source order; notes without a place ("N more warnings") stay last.
    loaded
        .warnings
        .sort_by_key(|d| d.span.map_or(usize::MAX, |s| s.start));
    Ok(loaded)
}

/// The stack of the analysis thread: ample for expressions of
/// [`MAX_HEIGHT`] (only the pages used are ever committed).
const ANALYSIS_STACK: usize = 256 << 20;

/// The warnings of the analyses that need a whole valid model: ranges
/// (`ranges`), dead ends (`reach`) and chronology (`chronology`), at most [`reader::MAX_WARNINGS`] of
/// them, then a note of how many more.
fn analyse(path: &str, source: &str, model: &Model) -> Vec<Diagnostic> {
    let index = LineIndex::new(source);
    let mut warnings = reach::warnings(model, path, source, &index);
    // The places of expressions are in the raw tables, which the loader
    // does not keep: read them again (the text already loaded once).
    if let Ok(root) = toml::de::DeTable::parse(source) {
        let mut sink = reader::Sink::new(path, source);
        let file = raw::read(&mut sink, root.get_ref());
        warnings.extend(ranges::warnings(model, &file, path, source, &index));
        warnings.extend(chronology::warnings(model, &file, path, source, &index));
    }
    if warnings.len() > reader::MAX_WARNINGS {
        let more = warnings.len() - reader::MAX_WARNINGS;
        warnings.sort_by_key(|d| d.span.map_or(usize::MAX, |s| s.start));
        warnings.truncate(reader::MAX_WARNINGS);
        warnings.push(Diagnostic::with_index(
            Severity::Warning,
            path,
            source,
            &index,
            None,
            format!("{more} more range, dead-end and chronology warnings not shown"),
            None,
        ));
    }
    warnings
}

/// An error in one expression: the span is a byte range of the expression's
/// own text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExprError {
    /// What is wrong.
    pub message: String,
    /// Where, within the expression text.
    pub span: Span,
    /// How to fix it, when there is something useful to say.
    pub hint: Option<String>,
}

impl fmt::Display for ExprError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, " (help: {hint})")?;
        }
        Ok(())
    }
}

impl std::error::Error for ExprError {}

/// Parses, resolves and type-checks an expression against a loaded model
/// (for claims files). Names may be params and nodes, and outcomes when
/// `allow_outcomes`; state literals are checked against the node they meet.
/// Returns the lowered expression and its type, or the first error.
pub fn compile_expression(
    model: &Model,
    text: &str,
    allow_outcomes: bool,
) -> Result<(Expr, Type), ExprError> {
    let ast = parser::parse(text)?;
    let scope = scope_of(model);
    match check::check(&scope, text, &ast, allow_outcomes) {
        Ok((expr, ty)) => Ok((expr, ty.public())),
        Err(mut errors) => Err(errors.swap_remove(0)),
    }
}

/// The names a loaded model offers to expressions.
fn scope_of(model: &Model) -> check::Scope {
    let mut scope = check::Scope::default();
    for (i, p) in model.params.iter().enumerate() {
        scope.names.insert(p.name.clone(), Ref::Param(i));
        scope.params.push(p.name.clone());
    }
    for (i, n) in model.nodes.iter().enumerate() {
        scope.names.insert(n.name.clone(), Ref::Node(i));
        scope.nodes.push(n.name.clone());
        let (ty, states) = match &n.kind {
            NodeKind::Categorical { states, .. } => (check::Ty::State(vec![i]), states.clone()),
            _ => match model.node_type(i) {
                Type::Boolean => (check::Ty::Boolean, Vec::new()),
                _ => (check::Ty::Number, Vec::new()),
            },
        };
        scope.node_types.push(Some(ty));
        scope.node_states.push(states);
    }
    for (i, o) in model.outcomes.iter().enumerate() {
        scope.names.insert(o.name.clone(), Ref::Outcome(i));
        scope.outcomes.push(o.name.clone());
        scope.outcome_types.push(match o.kind {
            OutcomeKind::Boolean { .. } => check::Ty::Boolean,
            OutcomeKind::Numeric { .. } => check::Ty::Number,
        });
    }
    scope.state_names = model.state_names.clone();
    for (i, name) in model.state_names.iter().enumerate() {
        scope.state_ids.insert(name.clone(), StateId(i as u32));
    }
    scope
}
