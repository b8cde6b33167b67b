//! Stage two: raw tables in, a validated [`Model`] out. Names are checked and
//! resolved, expressions typed and lowered, the graph sorted, constant
//! arguments checked against their domains, scenarios checked against the
//! nodes' types. Every check keeps going after a failure, so that one load
//! reports every error it can.

use std::collections::HashMap;

use toml::de::DeTable;
use uchronia_distributions::{Dist, DistKind};

use crate::Loaded;
use crate::check::{self, Scope, Ty};
use crate::diagnostic::{Diagnostic, Diagnostics, Severity};
use crate::graph;
use crate::ir::*;
use crate::parser::KEYWORDS;
use crate::raw::{
    self, DistForm, Name, RawDist, RawExpr, RawFile, RawNodeKind, RawOutcomeKind, RawParam,
    RawProbs, RawRow, RawSet, RawValue,
};
use crate::reader::{self, Sink};
use crate::suggest;

mod correlations;
mod names;
mod nodes;
mod params;
mod scenarios;

/// Probabilities and weights may stray this far outside their range.
const TOLERANCE: f64 = 1e-9;

/// Loads a model: see [`crate::load`].
pub fn load(path: &str, source: &str) -> Result<Loaded, Diagnostics> {
    if source.len() > crate::MAX_SOURCE_BYTES {
        let message = format!(
            "the model is {} bytes long; the limit is {} bytes ({} MiB)",
            source.len(),
            crate::MAX_SOURCE_BYTES,
            crate::MAX_SOURCE_BYTES >> 20
        );
        let hint = Some(
            "a model of 10,000 nodes takes about 0.5 MiB: is this the right file?".to_string(),
        );
        let diagnostic = Diagnostic::new(Severity::Error, path, "", None, message, hint);
        return Err(Diagnostics(vec![diagnostic]));
    }
    let mut sink = Sink::new(path, source);
    let root = match DeTable::parse(source) {
        Ok(root) => root,
        Err(error) => {
            let span = error.span().map(|r| Span {
                start: r.start,
                end: r.end,
            });
            let message = format!("invalid TOML: {}", error.message().trim());
            let diagnostic = Diagnostic::new(Severity::Error, path, source, span, message, None);
            return Err(Diagnostics(vec![diagnostic]));
        }
    };
    reader::report_non_finite(&mut sink, root.get_ref());
    let file = raw::read(&mut sink, root.get_ref());
    let model = Builder::new(&mut sink, &file).build();
    let more_errors = (sink.more_errors > 0).then(|| {
        sink.note(
            Severity::Error,
            format!(
                "{} more errors not shown (only the first {} are)",
                sink.more_errors,
                reader::MAX_ERRORS
            ),
        )
    });
    let more_warnings = (sink.more_warnings > 0).then(|| {
        sink.note(
            Severity::Warning,
            format!(
                "{} more warnings not shown (only the first {} are)",
                sink.more_warnings,
                reader::MAX_WARNINGS
            ),
        )
    });
    let Sink {
        mut errors,
        mut warnings,
        ..
    } = sink;
    match model {
        Some(model) if errors.is_empty() => {
            warnings.sort_by_key(|d| d.span.map_or(0, |s| s.start));
            warnings.extend(more_warnings);
            Ok(Loaded { model, warnings })
        }
        _ => {
            // Source order; errors without a place (a missing table) first.
            errors.sort_by_key(|d| d.span.map_or(0, |s| s.start));
            errors.dedup();
            errors.extend(more_errors);
            if errors.is_empty() {
                errors.push(Diagnostic::new(
                    Severity::Error,
                    path,
                    source,
                    None,
                    "the model is invalid",
                    None,
                ));
            }
            Err(Diagnostics(errors))
        }
    }
}

/// The numeric value of an expression built from literals only (no names,
/// no `if`), for load-time domain checks.
fn constant(expr: &Expr) -> Option<f64> {
    match expr {
        Expr::Number(x) => Some(*x),
        Expr::Unary(UnaryOp::Neg, inner) => constant(inner).map(|x| -x),
        Expr::Binary(op, a, b) => {
            let (a, b) = (constant(a)?, constant(b)?);
            match op {
                BinaryOp::Add => Some(a + b),
                BinaryOp::Sub => Some(a - b),
                BinaryOp::Mul => Some(a * b),
                BinaryOp::Div => Some(a / b),
                BinaryOp::Pow => Some(a.powf(b)),
                _ => None,
            }
        }
        Expr::Call(f, args) => {
            let args: Option<Vec<f64>> = args.iter().map(constant).collect();
            let args = args?;
            let x = *args.first()?;
            Some(match f {
                Function::Min => args.iter().copied().fold(f64::INFINITY, f64::min),
                Function::Max => args.iter().copied().fold(f64::NEG_INFINITY, f64::max),
                Function::Clamp => {
                    let (lo, hi) = (*args.get(1)?, *args.get(2)?);
                    if lo > hi {
                        return None;
                    }
                    x.clamp(lo, hi)
                }
                Function::Logistic => 1.0 / (1.0 + (-x).exp()),
                Function::Logit => (x / (1.0 - x)).ln(),
                Function::Exp => x.exp(),
                Function::Ln => x.ln(),
                Function::Sqrt => x.sqrt(),
                Function::Abs => x.abs(),
                Function::Floor => x.floor(),
                Function::Round => x.round(),
            })
        }
        _ => None,
    }
}

/// What an expression must be.
#[derive(Clone, Copy, PartialEq)]
enum Want {
    Number,
    Boolean,
    NumberOrBoolean,
}

struct Builder<'s, 'f> {
    sink: &'s mut Sink<'f>,
    file: &'s RawFile,
    /// Params, nodes and outcomes by name, in file indices.
    names: HashMap<String, Ref>,
    /// File index -> topological position.
    node_position: Vec<usize>,
    outcome_position: Vec<usize>,
    /// Topological order of file indices.
    node_order: Vec<usize>,
    outcome_order: Vec<usize>,
    /// Parents of each node (file index), in final ids.
    node_parents: Vec<Vec<Ref>>,
    /// States of each node (file index).
    node_states: Vec<Vec<StateId>>,
    scope: Scope,
}

impl<'s, 'f> Builder<'s, 'f> {
    fn new(sink: &'s mut Sink<'f>, file: &'s RawFile) -> Self {
        Builder {
            sink,
            file,
            names: HashMap::new(),
            node_position: Vec::new(),
            outcome_position: Vec::new(),
            node_order: Vec::new(),
            outcome_order: Vec::new(),
            node_parents: Vec::new(),
            node_states: Vec::new(),
            scope: Scope::default(),
        }
    }

    fn build(mut self) -> Option<Model> {
        let (name, title) = self.header();
        self.namespace();
        self.sort_nodes();
        self.sort_outcomes();
        self.intern_states();
        self.make_scope();
        let params = self.params();
        let nodes = self.nodes();
        let outcomes = self.outcomes();
        let scenarios = match &nodes {
            Some(nodes) => self.scenarios(nodes),
            None => self.scenarios(&[]),
        };
        let headline = self.headline();
        let question = self.question(scenarios.as_deref());
        let correlations = self.correlations(params.as_deref());
        self.doc_warnings();
        let file = self.file;
        Some(Model {
            name: name?,
            title: title?,
            doc: file.doc.clone(),
            params: params?,
            nodes: nodes?,
            outcomes: outcomes?,
            scenarios: scenarios?,
            state_names: self.scope.state_names,
            report: ReportSettings {
                headline: headline?,
                question: question?,
            },
            correlations: correlations?,
            ex_ante: Vec::new(),
        })
    }

    /// Type-checks `raw` and lowers it; reports errors and a wrong type.
    fn typed(
        &mut self,
        raw: &RawExpr,
        want: Want,
        what: &str,
        allow_outcomes: bool,
    ) -> Option<(Expr, Ty)> {
        let ast = raw.ast.as_ref()?;
        let (expr, ty) = match check::check(&self.scope, &raw.text, ast, allow_outcomes) {
            Ok(checked) => checked,
            Err(errors) => {
                for e in errors {
                    self.sink.error(raw.file_span(e.span), e.message, e.hint);
                }
                return None;
            }
        };
        let text = &raw.text;
        let at = raw.file_span(ast.span);
        let found = check::describe(&self.scope, &ty);
        let problem = match (want, &ty) {
            (_, Ty::Error) => return None,
            (Want::Number, Ty::Number) | (Want::Boolean, Ty::Boolean) => None,
            (Want::NumberOrBoolean, Ty::Number | Ty::Boolean) => None,
            (Want::Number, Ty::Boolean) => Some((
                "a number",
                format!("booleans are not numbers: write if({text}, 1, 0)"),
            )),
            (Want::Boolean, Ty::Number) => {
                Some(("a boolean", format!("compare it, as in `{text} > 0.5`")))
            }
            (Want::Number, Ty::State(_)) => Some((
                "a number",
                format!("states are not numbers: compare it, as in `{text} == 'state'`"),
            )),
            (Want::Boolean, Ty::State(_)) => {
                Some(("a boolean", format!("compare it: `{text} == 'state'`")))
            }
            (Want::NumberOrBoolean, Ty::State(_)) => Some((
                "a number or a boolean",
                format!("compare it: `{text} == 'state'`"),
            )),
        };
        if let Some((wanted, hint)) = problem {
            self.sink.error(
                at,
                format!("{what} must be {wanted}, found {found}"),
                Some(hint),
            );
            return None;
        }
        Some((expr, ty))
    }

    fn number(&mut self, raw: &RawExpr, what: &str) -> Option<Expr> {
        self.typed(raw, Want::Number, what, false).map(|(e, _)| e)
    }

    fn boolean(&mut self, raw: &RawExpr, what: &str, allow_outcomes: bool) -> Option<Expr> {
        self.typed(raw, Want::Boolean, what, allow_outcomes)
            .map(|(e, _)| e)
    }
}

/// The file span of an expression's text (inside the quotes when possible).
fn expr_span(raw: &RawExpr) -> Span {
    match &raw.ast {
        Some(ast) => raw.file_span(ast.span),
        None => raw.span,
    }
}
