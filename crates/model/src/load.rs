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
    self, DistForm, Name, RawDist, RawExpr, RawFile, RawNodeKind, RawOutcomeKind, RawProbs, RawRow,
    RawSet, RawValue,
};
use crate::reader::{self, Sink};
use crate::suggest;

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

/// Whether `name` may name a param, node, outcome, scenario or state.
pub fn valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// Whether `name` is reserved: an operator, a literal, `if` or a function.
pub fn reserved(name: &str) -> bool {
    KEYWORDS.contains(&name) || check::function(name).is_some()
}

fn check_name(sink: &mut Sink, name: &Name, what: &str) -> bool {
    let text = &name.text;
    if !valid_name(text) {
        let fixed: String = text
            .to_ascii_lowercase()
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect();
        let hint = if valid_name(&fixed) && !reserved(&fixed) {
            format!("names match [a-z][a-z0-9_]*, e.g. `{fixed}`")
        } else {
            "names match [a-z][a-z0-9_]*: a lowercase letter, then lowercase letters, digits or _"
                .to_string()
        };
        sink.error(
            name.span,
            format!("invalid {what} name `{text}`"),
            Some(hint),
        );
        return false;
    }
    if reserved(text) {
        sink.error(
            name.span,
            format!("`{text}` is a reserved word and cannot name a {what}"),
            Some(format!(
                "reserved: {}, and the function names; try `{text}_1`",
                KEYWORDS.join(", ")
            )),
        );
        return false;
    }
    true
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

/// The first domain rule that known arguments break: which argument to blame
/// and why. Arguments not known at load time are `None`.
fn domain_error(kind: DistKind, args: &[Option<f64>]) -> Option<(usize, String)> {
    let keys = kind.keys();
    for (i, arg) in args.iter().enumerate() {
        if let Some(x) = arg
            && !x.is_finite()
        {
            return Some((
                i,
                format!(
                    "{} of `{}` is {x}, not a finite number",
                    keys[i],
                    kind.name()
                ),
            ));
        }
    }
    let positive = |i: usize| match args[i] {
        Some(x) if x <= 0.0 => Some((
            i,
            format!(
                "{} needs {} > 0, got {} = {x}",
                kind.name(),
                keys[i],
                keys[i]
            ),
        )),
        _ => None,
    };
    let non_negative = |i: usize| match args[i] {
        Some(x) if x < 0.0 => Some((
            i,
            format!(
                "{} needs {} >= 0, got {} = {x}",
                kind.name(),
                keys[i],
                keys[i]
            ),
        )),
        _ => None,
    };
    let ordered = |i: usize, j: usize| match (args[i], args[j]) {
        (Some(a), Some(b)) if a > b => Some((
            j,
            format!(
                "{} needs {} <= {}, got {} = {a} and {} = {b}",
                kind.name(),
                keys[i],
                keys[j],
                keys[i],
                keys[j]
            ),
        )),
        _ => None,
    };
    match kind {
        DistKind::Fixed => None,
        DistKind::Uniform => ordered(0, 1),
        DistKind::Beta => positive(0).or_else(|| positive(1)),
        DistKind::Pert | DistKind::Triangular => ordered(0, 1)
            .or_else(|| ordered(1, 2))
            .or_else(|| ordered(0, 2)),
        DistKind::Normal | DistKind::LogNormal => non_negative(1),
    }
}

/// The first rule a `ci90 = [lo, hi]` with known ends breaks.
fn ci90_error(kind: DistKind, lo: Option<f64>, hi: Option<f64>) -> Option<String> {
    let name = kind.name();
    for x in [lo, hi].into_iter().flatten() {
        if !x.is_finite() {
            return Some(format!("ci90 of `{name}` holds {x}, not a finite number"));
        }
    }
    if let (Some(lo), Some(hi)) = (lo, hi)
        && lo >= hi
    {
        return Some(format!("ci90 needs lo < hi, got [{lo}, {hi}]"));
    }
    match kind {
        DistKind::Beta => match (lo, hi) {
            (Some(lo), _) if lo <= 0.0 => {
                Some(format!("ci90 of beta needs 0 < lo < hi < 1, got lo = {lo}"))
            }
            (_, Some(hi)) if hi >= 1.0 => {
                Some(format!("ci90 of beta needs 0 < lo < hi < 1, got hi = {hi}"))
            }
            _ => None,
        },
        DistKind::LogNormal => match lo {
            Some(lo) if lo <= 0.0 => Some(format!("ci90 of lognormal needs 0 < lo, got lo = {lo}")),
            _ => None,
        },
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
        let scenarios = self.scenarios();
        let headline = self.headline();
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
            },
        })
    }

    fn header(&mut self) -> (Option<String>, Option<String>) {
        let file = self.file;
        let name = file.name.as_ref().and_then(|name| {
            let text = &name.text;
            let mut chars = text.chars();
            let ok = chars
                .next()
                .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
                && chars
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-');
            if !ok {
                self.sink.error(
                    name.span,
                    format!("invalid model name `{text}`"),
                    Some(
                        "the model name matches [a-z0-9][a-z0-9_-]* (it names the report folder)"
                            .to_string(),
                    ),
                );
                return None;
            }
            Some(text.clone())
        });
        (name, file.title.clone())
    }

    /// Checks names and builds the shared namespace of params, nodes and
    /// outcomes (the first definition in the file wins).
    fn namespace(&mut self) {
        let file = self.file;
        let mut all: Vec<(&Name, Ref, &str)> = Vec::new();
        all.extend(
            file.params
                .iter()
                .enumerate()
                .map(|(i, p)| (&p.name, Ref::Param(i), "param")),
        );
        all.extend(
            file.nodes
                .iter()
                .enumerate()
                .map(|(i, n)| (&n.name, Ref::Node(i), "node")),
        );
        all.extend(
            file.outcomes
                .iter()
                .enumerate()
                .map(|(i, o)| (&o.name, Ref::Outcome(i), "outcome")),
        );
        all.sort_by_key(|(name, _, _)| name.span.start);
        let mut first: HashMap<&str, (&str, Span)> = HashMap::new();
        for (name, r, what) in all {
            if !check_name(self.sink, name, what) {
                continue;
            }
            if let Some((other, at)) = first.get(name.text.as_str()) {
                let line = self.sink.line_of(at.start);
                self.sink.error(
                    name.span,
                    format!(
                        "`{}` is already the name of a {other} (line {line})",
                        name.text
                    ),
                    Some(
                        "params, nodes and outcomes share one namespace: rename one of them"
                            .to_string(),
                    ),
                );
                continue;
            }
            first.insert(&name.text, (what, name.span));
            self.names.insert(name.text.clone(), r);
        }
        for scenario in &file.scenarios {
            check_name(self.sink, &scenario.name, "scenario");
        }
    }

    /// The expressions of a node, in the order they appear in the file.
    fn node_exprs(kind: &RawNodeKind) -> Vec<&RawExpr> {
        let mut exprs: Vec<&RawExpr> = Vec::new();
        match kind {
            RawNodeKind::Boolean { p } => exprs.push(p),
            RawNodeKind::Derived { value } => exprs.push(value),
            RawNodeKind::Numeric {
                dist, lower, upper, ..
            } => {
                match &dist.form {
                    DistForm::Args(args) => exprs.extend(args.iter().map(|(e, _)| e)),
                    DistForm::Ci90(lo, hi, _) => exprs.extend([lo, hi]),
                }
                exprs.extend(lower.iter().chain(upper.iter()));
            }
            RawNodeKind::Categorical { rows, .. } => {
                for row in rows {
                    exprs.extend(row.when.iter());
                    if let Some(probs) = &row.probs {
                        exprs.extend(probs.entries.iter().map(|(_, e)| e));
                    }
                }
            }
        }
        exprs.sort_by_key(|e| e.span.start);
        exprs
    }

    /// The params, nodes and outcomes an expression list names, first
    /// mention first, in file indices.
    fn mentions(&self, exprs: &[&RawExpr]) -> Vec<Ref> {
        let mut refs = Vec::new();
        for e in exprs {
            if let Some(ast) = &e.ast {
                ast.for_each_name(&mut |name| {
                    if let Some(&r) = self.names.get(name)
                        && !refs.contains(&r)
                    {
                        refs.push(r);
                    }
                });
            }
        }
        refs
    }

    fn sort_nodes(&mut self) {
        let file = self.file;
        let mut file_parents = Vec::new();
        let mut graph_parents = Vec::new();
        for node in &file.nodes {
            let exprs = node.kind.as_ref().map(Self::node_exprs).unwrap_or_default();
            let refs: Vec<Ref> = self
                .mentions(&exprs)
                .into_iter()
                .filter(|r| !matches!(r, Ref::Outcome(_)))
                .collect();
            graph_parents.push(
                refs.iter()
                    .filter_map(|r| if let Ref::Node(n) = r { Some(*n) } else { None })
                    .collect::<Vec<_>>(),
            );
            file_parents.push(refs);
        }
        let sorted = graph::sort(&graph_parents);
        if let Some(cycle) = sorted.cycle {
            self.report_cycle(&cycle, |i| &file.nodes[i].name, "node");
        }
        self.node_position = vec![0; file.nodes.len()];
        for (position, &i) in sorted.order.iter().enumerate() {
            self.node_position[i] = position;
        }
        self.node_order = sorted.order;
        let position = &self.node_position;
        self.node_parents = file_parents
            .into_iter()
            .map(|refs| {
                refs.into_iter()
                    .map(|r| match r {
                        Ref::Node(n) => Ref::Node(position[n]),
                        other => other,
                    })
                    .collect()
            })
            .collect();
    }

    fn sort_outcomes(&mut self) {
        let file = self.file;
        let mut graph_parents = Vec::new();
        for outcome in &file.outcomes {
            let mut exprs: Vec<&RawExpr> = Vec::new();
            match &outcome.kind {
                Some(RawOutcomeKind::When(e) | RawOutcomeKind::Value(e)) => exprs.push(e),
                None => {}
            }
            exprs.extend(outcome.given.iter());
            let refs = self.mentions(&exprs);
            graph_parents.push(
                refs.iter()
                    .filter_map(|r| {
                        if let Ref::Outcome(o) = r {
                            Some(*o)
                        } else {
                            None
                        }
                    })
                    .collect::<Vec<_>>(),
            );
        }
        let sorted = graph::sort(&graph_parents);
        if let Some(cycle) = sorted.cycle {
            self.report_cycle(&cycle, |i| &file.outcomes[i].name, "outcome");
        }
        self.outcome_position = vec![0; file.outcomes.len()];
        for (position, &i) in sorted.order.iter().enumerate() {
            self.outcome_position[i] = position;
        }
        self.outcome_order = sorted.order;
    }

    fn report_cycle<'n>(&mut self, cycle: &[usize], name: impl Fn(usize) -> &'n Name, what: &str) {
        let Some(&first) = cycle.first() else { return };
        let mut names: Vec<&str> = cycle.iter().map(|&i| name(i).text.as_str()).collect();
        names.push(&name(first).text);
        self.sink.error(
            name(first).span,
            format!("cycle: {}", names.join(" -> ")),
            Some(
                format!("an {what} cannot depend on itself, directly or through others")
                    .replace("an node", "a node"),
            ),
        );
    }

    fn intern_states(&mut self) {
        let file = self.file;
        let mut ids: HashMap<String, StateId> = HashMap::new();
        let mut names: Vec<String> = Vec::new();
        for node in &file.nodes {
            let mut states = Vec::new();
            // A set beside the list: a node may have many states.
            let mut seen = std::collections::HashSet::new();
            if let Some(RawNodeKind::Categorical {
                states: raw_states,
                states_span,
                ..
            }) = &node.kind
            {
                for state in raw_states {
                    if !check_name(self.sink, state, "state") {
                        continue;
                    }
                    let id = *ids.entry(state.text.clone()).or_insert_with(|| {
                        names.push(state.text.clone());
                        StateId((names.len() - 1) as u32)
                    });
                    if !seen.insert(id) {
                        self.sink.error(
                            state.span,
                            format!("state '{}' is listed twice", state.text),
                            None,
                        );
                        continue;
                    }
                    states.push(id);
                }
                if raw_states.len() < 2 {
                    self.sink.error(
                        *states_span,
                        format!(
                            "categorical node `{}` needs at least two states, found {}",
                            node.name.text,
                            raw_states.len()
                        ),
                        Some(
                            "a node with one outcome is certain: use value = ... or a boolean node"
                                .to_string(),
                        ),
                    );
                }
            }
            self.node_states.push(states);
        }
        self.scope.state_names = names;
        self.scope.state_ids = ids;
    }

    fn make_scope(&mut self) {
        let file = self.file;
        let scope = &mut self.scope;
        for (name, r) in &self.names {
            let r = match *r {
                Ref::Node(n) => Ref::Node(self.node_position[n]),
                Ref::Outcome(o) => Ref::Outcome(self.outcome_position[o]),
                other => other,
            };
            scope.names.insert(name.clone(), r);
        }
        scope.params = file.params.iter().map(|p| p.name.text.clone()).collect();
        scope.nodes = self
            .node_order
            .iter()
            .map(|&i| file.nodes[i].name.text.clone())
            .collect();
        scope.outcomes = self
            .outcome_order
            .iter()
            .map(|&i| file.outcomes[i].name.text.clone())
            .collect();
        scope.node_states = self
            .node_order
            .iter()
            .map(|&i| self.node_states[i].clone())
            .collect();
        scope.node_types = self
            .node_order
            .iter()
            .enumerate()
            .map(|(id, &i)| match &file.nodes[i].kind {
                None => Some(Ty::Error),
                Some(RawNodeKind::Boolean { .. }) => Some(Ty::Boolean),
                Some(RawNodeKind::Categorical { .. }) => Some(Ty::State(vec![id])),
                Some(RawNodeKind::Numeric { .. }) => Some(Ty::Number),
                Some(RawNodeKind::Derived { .. }) => None,
            })
            .collect();
        scope.outcome_types = self
            .outcome_order
            .iter()
            .map(|&i| match &file.outcomes[i].kind {
                Some(RawOutcomeKind::When(_)) => Ty::Boolean,
                Some(RawOutcomeKind::Value(_)) => Ty::Number,
                None => Ty::Error,
            })
            .collect();
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

    /// A param's (or `set`'s) distribution, validated with the dist crate.
    fn param_dist(&mut self, raw: &RawDist<f64>) -> Option<Dist> {
        match &raw.form {
            DistForm::Args(args) => {
                let known: Vec<Option<f64>> = args.iter().map(|(x, _)| Some(*x)).collect();
                if let Some((i, message)) = domain_error(raw.kind, &known) {
                    self.sink.error(args[i].1, message, None);
                    return None;
                }
                let values: Vec<f64> = args.iter().map(|(x, _)| *x).collect();
                match Dist::new(raw.kind, &values) {
                    Ok(dist) => Some(dist),
                    Err(e) => {
                        self.sink.error(raw.span, e.0, None);
                        None
                    }
                }
            }
            DistForm::Ci90(lo, hi, at) => {
                if let Some(message) = ci90_error(raw.kind, Some(*lo), Some(*hi)) {
                    self.sink.error(*at, message, None);
                    return None;
                }
                match Dist::from_ci90(raw.kind, *lo, *hi) {
                    Ok(dist) => Some(dist),
                    Err(e) => {
                        self.sink.error(*at, e.0, None);
                        None
                    }
                }
            }
        }
    }

    fn params(&mut self) -> Option<Vec<Param>> {
        let file = self.file;
        let mut params = Vec::new();
        let mut ok = true;
        for raw in &file.params {
            let dist = raw.dist.as_ref().and_then(|d| self.param_dist(d));
            match dist {
                Some(dist) => params.push(Param {
                    name: raw.name.text.clone(),
                    doc: raw.doc.clone(),
                    source: raw.source.clone(),
                    dist,
                    span: raw.span,
                }),
                None => ok = false,
            }
        }
        ok.then_some(params)
    }

    fn nodes(&mut self) -> Option<Vec<Node>> {
        let file = self.file;
        let mut nodes = Vec::new();
        let mut ok = true;
        for id in 0..self.node_order.len() {
            let i = self.node_order[id];
            let raw = &file.nodes[i];
            let Some(raw_kind) = &raw.kind else {
                ok = false;
                continue;
            };
            let kind = self.node_kind(&raw.name.text, raw_kind, i, id);
            let Some(kind) = kind else {
                self.scope.node_types[id] = Some(Ty::Error);
                ok = false;
                continue;
            };
            nodes.push(Node {
                name: raw.name.text.clone(),
                doc: raw.doc.clone(),
                source: raw.source.clone(),
                kind,
                parents: self.node_parents[i].clone(),
                span: raw.span,
            });
        }
        ok.then_some(nodes)
    }

    fn node_kind(
        &mut self,
        node: &str,
        kind: &RawNodeKind,
        file_index: usize,
        id: NodeId,
    ) -> Option<NodeKind> {
        match kind {
            RawNodeKind::Boolean { p } => {
                let raw = p;
                let p = self.number(raw, "`p`")?;
                if let Some(x) = constant(&p)
                    && !(-TOLERANCE..=1.0 + TOLERANCE).contains(&x)
                {
                    self.sink.error(
                        expr_span(raw),
                        format!("`p` of node `{node}` is {x}, not a probability in [0, 1]"),
                        None,
                    );
                    return None;
                }
                Some(NodeKind::Boolean { p })
            }
            RawNodeKind::Derived { value } => {
                let (value, ty) = self.typed(
                    value,
                    Want::NumberOrBoolean,
                    "a derived node's value",
                    false,
                )?;
                self.scope.node_types[id] = Some(ty);
                Some(NodeKind::Derived { value })
            }
            RawNodeKind::Numeric {
                dist,
                lower,
                upper,
                round,
            } => self.numeric(dist, lower, upper, *round),
            RawNodeKind::Categorical { rows, .. } => {
                let states = self.node_states[file_index].clone();
                let table = self.categorical(node, &states, rows)?;
                Some(NodeKind::Categorical { states, table })
            }
        }
    }

    fn numeric(
        &mut self,
        dist: &RawDist<RawExpr>,
        lower: &Option<RawExpr>,
        upper: &Option<RawExpr>,
        round: bool,
    ) -> Option<NodeKind> {
        let kind = dist.kind;
        let dist_expr = match &dist.form {
            DistForm::Args(raw_args) => {
                let mut args = Vec::new();
                for (key, (raw, _)) in kind.keys().iter().zip(raw_args) {
                    args.push(self.number(raw, &format!("`{key}`")));
                }
                let args: Option<Vec<Expr>> = args.into_iter().collect();
                let args = args?;
                let known: Vec<Option<f64>> = args.iter().map(constant).collect();
                if let Some((i, message)) = domain_error(kind, &known) {
                    self.sink.error(expr_span(&raw_args[i].0), message, None);
                    return None;
                }
                DistExpr::Args { kind, args }
            }
            DistForm::Ci90(raw_lo, raw_hi, at) => {
                let lo = self.number(raw_lo, "the 5% quantile of `ci90`");
                let hi = self.number(raw_hi, "the 95% quantile of `ci90`");
                let (lo, hi) = (lo?, hi?);
                if let Some(message) = ci90_error(kind, constant(&lo), constant(&hi)) {
                    self.sink.error(*at, message, None);
                    return None;
                }
                DistExpr::Ci90 { kind, lo, hi }
            }
        };
        let lower_expr = match lower {
            Some(raw) => Some(self.number(raw, "`lower`")?),
            None => None,
        };
        let upper_expr = match upper {
            Some(raw) => Some(self.number(raw, "`upper`")?),
            None => None,
        };
        if let (Some(lo), Some(hi), Some(raw)) = (
            lower_expr.as_ref().and_then(constant),
            upper_expr.as_ref().and_then(constant),
            upper,
        ) && lo > hi
        {
            self.sink.error(
                raw.span,
                format!("`lower` ({lo}) is greater than `upper` ({hi})"),
                None,
            );
            return None;
        }
        for (bound, raw) in [(&lower_expr, lower), (&upper_expr, upper)] {
            if let (Some(x), Some(raw)) = (bound.as_ref().and_then(constant), raw)
                && !x.is_finite()
            {
                self.sink.error(
                    raw.span,
                    format!("a bound evaluates to {x}, not a finite number"),
                    None,
                );
                return None;
            }
        }
        Some(NodeKind::Numeric {
            dist: dist_expr,
            lower: lower_expr,
            upper: upper_expr,
            round,
        })
    }

    fn categorical(&mut self, node: &str, states: &[StateId], rows: &[RawRow]) -> Option<Vec<Row>> {
        let mut table = Vec::new();
        let mut ok = true;
        let last = rows.len().saturating_sub(1);
        for (r, row) in rows.iter().enumerate() {
            let when = match (&row.when, r == last) {
                (Some(raw), false) => self.boolean(raw, "`when`", false).map(Some),
                (None, false) => {
                    self.sink.error(
                        row.span,
                        format!("row {} of the table of `{node}` needs `when`", r + 1),
                        Some("only the last row goes without `when`: it is used when no row above holds".to_string()),
                    );
                    None
                }
                (Some(raw), true) => {
                    let message = if row.in_table {
                        format!("the last row of the table of `{node}` must not have `when`")
                    } else {
                        format!("`when` belongs in a table row of `{node}`")
                    };
                    self.sink.error(
                        raw.span,
                        message,
                        Some("the last row is the default, used when no row above holds: drop its `when` or add a row after it".to_string()),
                    );
                    None
                }
                (None, true) => Some(None),
            };
            let probs = row
                .probs
                .as_ref()
                .and_then(|probs| self.probs(node, states, probs));
            match (when, probs) {
                (Some(when), Some(probs)) => table.push(Row { when, probs }),
                _ => ok = false,
            }
        }
        ok.then_some(table)
    }

    fn probs(&mut self, node: &str, states: &[StateId], raw: &RawProbs) -> Option<Probs> {
        let key = if raw.weights { "weights" } else { "p" };
        let mut values: Vec<Option<(Expr, Span)>> = vec![None; states.len()];
        let mut ok = true;
        let owned: Vec<String> = states
            .iter()
            .map(|s| self.scope.state_names[s.0 as usize].clone())
            .collect();
        let names: Vec<&str> = owned.iter().map(String::as_str).collect();
        let positions: HashMap<StateId, usize> =
            states.iter().enumerate().map(|(i, &s)| (s, i)).collect();
        for (state, value) in &raw.entries {
            let position = self
                .scope
                .state_ids
                .get(&state.text)
                .and_then(|id| positions.get(id).copied());
            let Some(position) = position else {
                let listed = names
                    .iter()
                    .map(|n| format!("'{n}'"))
                    .collect::<Vec<_>>()
                    .join(", ");
                let hint = match suggest::nearest(&state.text, names.iter().copied()) {
                    Some(best) => format!("did you mean '{best}'? the states are {listed}"),
                    None => format!("the states are {listed}"),
                };
                self.sink.error(
                    state.span,
                    format!("'{}' is not a state of `{node}`", state.text),
                    Some(hint),
                );
                ok = false;
                continue;
            };
            match self.number(value, &format!("`{key}.{}`", state.text)) {
                Some(e) => values[position] = Some((e, expr_span(value))),
                None => ok = false,
            }
        }
        if !ok {
            return None;
        }
        let missing: Vec<&str> = values
            .iter()
            .zip(&names)
            .filter(|(v, _)| v.is_none())
            .map(|(_, n)| *n)
            .collect();
        let missing_list = missing
            .iter()
            .map(|n| format!("'{n}'"))
            .collect::<Vec<_>>()
            .join(", ");
        if raw.weights {
            if !missing.is_empty() {
                self.sink.error(
                    raw.span,
                    format!("`weights` of `{node}` must give every state: missing {missing_list}"),
                    None,
                );
                return None;
            }
            let mut sum = Some(0.0);
            for (e, at) in values.iter().flatten() {
                match constant(e) {
                    Some(w) if w < -TOLERANCE || !w.is_finite() => {
                        self.sink.error(
                            *at,
                            format!("weight {w} of `{node}` is not a non-negative number"),
                            None,
                        );
                        return None;
                    }
                    Some(w) => sum = sum.map(|s| s + w.max(0.0)),
                    None => sum = None,
                }
            }
            if sum.is_some_and(|s| s <= 0.0) {
                self.sink.error(
                    raw.span,
                    format!("the weights of `{node}` sum to zero"),
                    Some("at least one weight must be positive".to_string()),
                );
                return None;
            }
            return Some(Probs::Weights(
                values.into_iter().flatten().map(|(e, _)| e).collect(),
            ));
        }
        if missing.len() > 1 {
            self.sink.error(
                raw.span,
                format!(
                    "`p` of `{node}` must give every state, or all but one: missing {missing_list}"
                ),
                Some(
                    "a state left out takes the remainder 1 - sum; only one may be left out"
                        .to_string(),
                ),
            );
            return None;
        }
        let mut sum = Some(0.0);
        for (e, at) in values.iter().flatten() {
            match constant(e) {
                Some(p) if !(-TOLERANCE..=1.0 + TOLERANCE).contains(&p) => {
                    self.sink.error(
                        *at,
                        format!("probability {p} of `{node}` is not in [0, 1]"),
                        None,
                    );
                    return None;
                }
                Some(p) => sum = sum.map(|s| s + p),
                None => sum = None,
            }
        }
        if let Some(sum) = sum {
            if missing.is_empty() && (sum - 1.0).abs() > TOLERANCE {
                self.sink.error(
                    raw.span,
                    format!("the probabilities of `{node}` sum to {sum}, not 1"),
                    Some(
                        "leave one state out to give it the remainder, or use weights to normalise"
                            .to_string(),
                    ),
                );
                return None;
            }
            if !missing.is_empty() && 1.0 - sum < -TOLERANCE {
                self.sink.error(
                    raw.span,
                    format!("the probabilities of `{node}` sum to {sum}, leaving {missing_list} a negative remainder"),
                    None,
                );
                return None;
            }
        }
        Some(Probs::P(
            values.into_iter().map(|v| v.map(|(e, _)| e)).collect(),
        ))
    }

    fn outcomes(&mut self) -> Option<Vec<Outcome>> {
        let file = self.file;
        let mut outcomes = Vec::new();
        let mut ok = true;
        for id in 0..self.outcome_order.len() {
            let raw = &file.outcomes[self.outcome_order[id]];
            let given = match &raw.given {
                Some(g) => self.boolean(g, "`given`", true).map(Some),
                None => Some(None),
            };
            let kind = match &raw.kind {
                Some(RawOutcomeKind::When(e)) => self
                    .boolean(e, "`when`", true)
                    .map(|when| OutcomeKind::Boolean { when, given: None }),
                Some(RawOutcomeKind::Value(e)) => self
                    .typed(e, Want::Number, "`value` of an outcome", true)
                    .map(|(value, _)| OutcomeKind::Numeric { value, given: None }),
                None => None,
            };
            match (kind, given) {
                (Some(OutcomeKind::Numeric { value, .. }), Some(given)) => outcomes.push(Outcome {
                    name: raw.name.text.clone(),
                    doc: raw.doc.clone(),
                    kind: OutcomeKind::Numeric { value, given },
                    span: raw.span,
                    listed: true,
                }),
                (Some(kind @ OutcomeKind::Boolean { .. }), Some(None)) => outcomes.push(Outcome {
                    name: raw.name.text.clone(),
                    doc: raw.doc.clone(),
                    kind,
                    span: raw.span,
                    listed: true,
                }),
                _ => ok = false,
            }
        }
        ok.then_some(outcomes)
    }

    fn scenarios(&mut self) -> Option<Vec<Scenario>> {
        let file = self.file;
        if file.scenarios.is_empty() {
            let message = "the model has no scenario";
            let hint = Some(
                "add at least one, e.g. [scenarios.history] with doc = \"What happened.\""
                    .to_string(),
            );
            match file.scenarios_span {
                Some(at) => self.sink.error(at, message, hint),
                None => self.sink.error_nowhere(message, hint),
            }
            return None;
        }
        let mut scenarios = Vec::new();
        let mut ok = true;
        for raw in &file.scenarios {
            let mut interventions = Vec::new();
            for (node, value, at) in &raw.interventions {
                match self.intervention(node, value, *at) {
                    Some(i) => interventions.push(i),
                    None => ok = false,
                }
            }
            let mut settings = Vec::new();
            for (param, set) in &raw.settings {
                match self.setting(param, set.as_ref()) {
                    Some(s) => settings.push(s),
                    None => ok = false,
                }
            }
            interventions.sort_by_key(|(id, _)| *id);
            settings.sort_by_key(|(id, _)| *id);
            scenarios.push(Scenario {
                name: raw.name.text.clone(),
                doc: raw.doc.clone(),
                interventions,
                settings,
                span: raw.span,
            });
        }
        ok.then_some(scenarios)
    }

    fn intervention(&mut self, node: &Name, value: &RawValue, at: Span) -> Option<(NodeId, Value)> {
        let name = &node.text;
        let id = match self.scope.names.get(name) {
            Some(Ref::Node(id)) => *id,
            Some(Ref::Param(_)) => {
                self.sink.error(
                    node.span,
                    format!("`{name}` is a param; `do` intervenes on nodes"),
                    Some(format!("use set = {{ {name} = ... }} to replace a param")),
                );
                return None;
            }
            Some(Ref::Outcome(_)) => {
                self.sink.error(
                    node.span,
                    format!("`{name}` is an outcome; `do` intervenes on nodes"),
                    Some("intervene on the nodes the outcome is built from".to_string()),
                );
                return None;
            }
            None => {
                let hint = suggest::close(name, self.scope.nodes.iter().map(String::as_str))
                    .map(|b| format!("did you mean `{b}`?"));
                self.sink
                    .error(node.span, format!("unknown node `{name}` in `do`"), hint);
                return None;
            }
        };
        let ty = self.scope.node_types[id].clone().unwrap_or(Ty::Error);
        let (wanted, hint) = match (&ty, value) {
            (Ty::Error, _) | (_, RawValue::Other(None)) => return None,
            (Ty::Boolean, RawValue::Boolean(b)) => return Some((id, Value::Boolean(*b))),
            (Ty::Number, RawValue::Number(x)) => return Some((id, Value::Number(*x))),
            (Ty::State(_), RawValue::String(s)) => {
                let states = &self.scope.node_states[id];
                if let Some(state) = self.scope.state_ids.get(s)
                    && states.contains(state)
                {
                    return Some((id, Value::State(*state)));
                }
                let names: Vec<&str> = states
                    .iter()
                    .map(|s| self.scope.state_names[s.0 as usize].as_str())
                    .collect();
                let listed = names
                    .iter()
                    .map(|n| format!("\"{n}\""))
                    .collect::<Vec<_>>()
                    .join(", ");
                let hint = match suggest::nearest(s, names.iter().copied()) {
                    Some(best) => format!("did you mean \"{best}\"? the states are {listed}"),
                    None => format!("the states are {listed}"),
                };
                self.sink.error(
                    at,
                    format!("\"{s}\" is not a state of `{name}`"),
                    Some(hint),
                );
                return None;
            }
            (Ty::Boolean, _) => (
                "a boolean",
                format!("write {name} = true or {name} = false"),
            ),
            (Ty::Number, _) => ("a number", format!("write {name} = 1.5 (a plain number)")),
            (Ty::State(_), _) => ("a state name", format!("write {name} = \"state\"")),
        };
        let found = match value {
            RawValue::Number(_) => "a number",
            RawValue::Boolean(_) => "a boolean",
            RawValue::String(_) => "a string",
            RawValue::Other(Some(t)) => t,
            RawValue::Other(None) => "a non-finite number",
        };
        let kind = match self.file.nodes[self.node_order[id]].kind {
            Some(RawNodeKind::Derived { .. }) => "derived ",
            _ => "",
        };
        let described = check::describe(&self.scope, &ty);
        self.sink.error(
            at,
            format!("`do` gives `{name}` {found}, but the {kind}node `{name}` is {described}"),
            Some(hint),
        );
        let _ = wanted;
        None
    }

    fn setting(&mut self, param: &Name, set: Option<&RawSet>) -> Option<(ParamId, Dist)> {
        let name = &param.text;
        let id = match self.scope.names.get(name) {
            Some(Ref::Param(id)) => *id,
            Some(Ref::Node(_)) => {
                self.sink.error(
                    param.span,
                    format!("`{name}` is a node; `set` replaces params"),
                    Some(format!(
                        "use do = {{ {name} = ... }} to intervene on a node"
                    )),
                );
                return None;
            }
            Some(Ref::Outcome(_)) => {
                self.sink.error(
                    param.span,
                    format!("`{name}` is an outcome; `set` replaces params"),
                    None,
                );
                return None;
            }
            None => {
                let hint = suggest::close(name, self.scope.params.iter().map(String::as_str))
                    .map(|b| format!("did you mean `{b}`?"));
                self.sink
                    .error(param.span, format!("unknown param `{name}` in `set`"), hint);
                return None;
            }
        };
        let dist = match set? {
            RawSet::Number(x) => Dist::Fixed { value: *x },
            RawSet::Dist(raw) => self.param_dist(raw)?,
        };
        Some((id, dist))
    }

    fn headline(&mut self) -> Option<Vec<OutcomeId>> {
        let file = self.file;
        let mut ids = Vec::new();
        let mut ok = true;
        for name in &file.headline {
            match self.scope.names.get(&name.text) {
                Some(Ref::Outcome(id)) if ids.contains(id) => {
                    self.sink.error(
                        name.span,
                        format!("outcome `{}` is listed twice in `headline`", name.text),
                        None,
                    );
                    ok = false;
                }
                Some(Ref::Outcome(id)) => ids.push(*id),
                _ => {
                    let hint =
                        suggest::close(&name.text, self.scope.outcomes.iter().map(String::as_str))
                            .map(|b| format!("did you mean `{b}`?"));
                    self.sink.error(
                        name.span,
                        format!("`headline` names `{}`, which is not an outcome", name.text),
                        hint,
                    );
                    ok = false;
                }
            }
        }
        ok.then_some(ids)
    }

    fn doc_warnings(&mut self) {
        let file = self.file;
        let hint = || Some("add doc = \"...\": one sentence saying what it stands for".to_string());
        for p in &file.params {
            if p.doc.is_none() {
                self.sink.warn(
                    p.name.span,
                    format!("param `{}` has no `doc`", p.name.text),
                    hint(),
                );
            }
        }
        for n in &file.nodes {
            if n.doc.is_none() {
                self.sink.warn(
                    n.name.span,
                    format!("node `{}` has no `doc`", n.name.text),
                    hint(),
                );
            }
        }
        for o in &file.outcomes {
            if o.doc.is_none() {
                self.sink.warn(
                    o.name.span,
                    format!("outcome `{}` has no `doc`", o.name.text),
                    hint(),
                );
            }
        }
        for s in &file.scenarios {
            if s.doc.is_none() {
                self.sink.warn(
                    s.name.span,
                    format!("scenario `{}` has no `doc`", s.name.text),
                    hint(),
                );
            }
        }
        if file.outcomes.is_empty() && file.name.is_some() {
            self.sink.warn(
                file.name.as_ref().map_or(Span::default(), |n| n.span),
                "the model has no outcomes: its report will be empty",
                Some("add [outcomes.NAME] with when = EXPR or value = EXPR".to_string()),
            );
        }
    }
}

/// The file span of an expression's text (inside the quotes when possible).
fn expr_span(raw: &RawExpr) -> Span {
    match &raw.ast {
        Some(ast) => raw.file_span(ast.span),
        None => raw.span,
    }
}
