//! Ranges proved at load time: every probability, weight and distribution
//! argument is bounded over the params' supports and the nodes' value
//! ranges, and each one that can leave its domain gets a warning at its
//! expression, with the interval it can reach and a `clamp`-style fix.
//!
//! The params range over their distributions' supports (widened by every
//! scenario's `set`), the nodes over what their kind allows (booleans 0 or
//! 1, categorical nodes their states, numeric nodes their distribution's
//! support within `lower` and `upper`, derived nodes their bounded value),
//! widened by every scenario's `do`. Nodes are visited in topological order,
//! so each node's range is known before anything reads it. A table row is
//! bounded where its `when` holds and no earlier row's does.
//!
//! Bounds over-approximate (see `bound`), so these are warnings, never
//! errors; `--strict` makes them errors on request.

use std::collections::HashMap;

use uchronia_distributions::{Dist, DistKind};

use crate::bound::{Bounds, Var, bound};
use crate::diagnostic::{Check, Diagnostic, LineIndex, Severity};
use crate::interval::{ENTIRE, Iv};
use crate::ir::{BinaryOp, DistExpr, Expr, Model, NodeKind, Probs, Ref, Span, Type, Value};
use crate::raw::{DistForm, RawExpr, RawFile, RawNode, RawNodeKind};

/// How far a probability or weight may stray, as at run time.
const TOLERANCE: f64 = 1e-9;

/// The range warnings of `model`, read from `file` (the same text, for the
/// expressions' places).
pub fn warnings(
    model: &Model,
    file: &RawFile,
    path: &str,
    source: &str,
    index: &LineIndex,
) -> Vec<Diagnostic> {
    let raw: HashMap<&str, &RawNode> = file
        .nodes
        .iter()
        .map(|n| (n.name.text.as_str(), n))
        .collect();
    let mut analysis = Analysis {
        params: model
            .params
            .iter()
            .enumerate()
            .map(|(i, _)| param_var(model, i))
            .collect(),
        nodes: Vec::with_capacity(model.nodes.len()),
        found: Vec::new(),
    };
    for (id, node) in model.nodes.iter().enumerate() {
        let here = raw.get(node.name.as_str()).copied();
        let var = analysis.node(model, id, here);
        let var = widened(model, id, var);
        analysis.nodes.push(var);
    }
    analysis
        .found
        .into_iter()
        .map(|(span, message, hint)| {
            Diagnostic::with_index(
                Severity::Warning,
                path,
                source,
                index,
                Some(span),
                message,
                Some(hint),
            )
            .from_check(Check::Range)
        })
        .collect()
}

/// The support of a distribution.
fn support(dist: &Dist) -> Iv {
    let (lo, hi) = dist.support();
    Iv::new(lo, hi)
}

/// A param's range: its distribution's support, widened by every scenario
/// that sets it.
fn param_var(model: &Model, param: usize) -> Var {
    let mut iv = support(&model.params[param].dist);
    for scenario in &model.scenarios {
        for (p, dist) in &scenario.settings {
            if *p == param {
                iv = iv.hull(support(dist));
            }
        }
    }
    Var::continuous(iv)
}

/// A node's range widened by the values scenarios force on it.
fn widened(model: &Model, node: usize, var: Var) -> Var {
    let forced: Vec<f64> = model
        .scenarios
        .iter()
        .flat_map(|s| &s.interventions)
        .filter(|(n, _)| *n == node)
        .map(|(_, value)| match value {
            Value::Number(x) => *x,
            other => other.as_f64(),
        })
        .collect();
    if forced.is_empty() {
        return var;
    }
    match var.values {
        Some(mut values) => {
            values.extend(forced);
            Var::discrete(values)
        }
        None => Var::continuous(forced.iter().fold(var.iv, |iv, &x| iv.hull(Iv::point(x)))),
    }
}

/// The file span of an expression's text (inside the quotes when possible).
fn expr_span(raw: &RawExpr) -> Span {
    match &raw.ast {
        Some(ast) => raw.file_span(ast.span),
        None => raw.span,
    }
}

/// A number for messages: up to six decimals, no trailing zeros.
fn show(x: f64) -> String {
    if x.is_infinite() {
        return if x > 0.0 { "inf".into() } else { "-inf".into() };
    }
    let text = format!("{x:.6}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    match text {
        "-0" | "" => "0".into(),
        other => other.into(),
    }
}

/// `[lo, hi]` for messages.
fn interval(iv: Iv) -> String {
    format!("[{}, {}]", show(iv.lo), show(iv.hi))
}

/// What is wrong with bounds that `ok` refuses: the interval they reach and
/// whether they can be undefined.
fn reach(bounds: Bounds, ok: bool, domain: &str) -> String {
    let undefined = "undefined (NaN, from a division by zero or the ln, sqrt or logit of a number outside its domain, or a run-time error)";
    match (ok, bounds.nan) {
        (false, true) => format!(
            "can reach {}, outside {domain}, and can be {undefined}",
            interval(bounds.iv)
        ),
        (false, false) => format!("can reach {}, outside {domain}", interval(bounds.iv)),
        _ => format!("can be {undefined}"),
    }
}

fn probability_ok(b: Bounds) -> bool {
    !b.nan && b.iv.lo >= -TOLERANCE && b.iv.hi <= 1.0 + TOLERANCE
}

fn inside(b: Bounds) -> bool {
    b.iv.lo >= -TOLERANCE && b.iv.hi <= 1.0 + TOLERANCE
}

/// `a + b + ...` of expressions, as a balanced tree (a node may have
/// thousands of states, and bounding recurses on the tree's height).
fn sum(parts: &[&Expr]) -> Expr {
    match parts {
        [] => Expr::Number(0.0),
        [one] => (*one).clone(),
        _ => {
            let (left, right) = parts.split_at(parts.len() / 2);
            Expr::Binary(BinaryOp::Add, Box::new(sum(left)), Box::new(sum(right)))
        }
    }
}

/// `b - a`.
fn difference(b: &Expr, a: &Expr) -> Expr {
    Expr::Binary(BinaryOp::Sub, Box::new(b.clone()), Box::new(a.clone()))
}

struct Analysis {
    params: Vec<Var>,
    nodes: Vec<Var>,
    /// Warnings found: place, message, hint.
    found: Vec<(Span, String, String)>,
}

impl Analysis {
    fn var(&self, r: Ref) -> Var {
        match r {
            Ref::Param(p) => self.params[p].clone(),
            Ref::Node(n) => self
                .nodes
                .get(n)
                .cloned()
                .unwrap_or(Var::continuous(ENTIRE)),
            Ref::Outcome(_) => Var::continuous(ENTIRE),
        }
    }

    /// Bounds `expr` given `given`, refining while `accept` refuses.
    fn bound(
        &self,
        expr: &Expr,
        given: &[(&Expr, bool)],
        accept: &dyn Fn(Bounds) -> bool,
    ) -> Option<Bounds> {
        bound(expr, &|r| self.var(r), given, accept)
    }

    /// Checks node `id`'s expressions and returns its range.
    fn node(&mut self, model: &Model, id: usize, raw: Option<&RawNode>) -> Var {
        let node = &model.nodes[id];
        let name = node.name.as_str();
        let raw_kind = raw.and_then(|r| r.kind.as_ref());
        match &node.kind {
            NodeKind::Boolean { p } => {
                let bounds = self.bound(p, &[], &probability_ok);
                if let (Some(b), Some(RawNodeKind::Boolean { p: raw })) = (bounds, raw_kind)
                    && !probability_ok(b)
                {
                    self.found.push((
                        expr_span(raw),
                        format!(
                            "the probability of `{name}` {}",
                            reach(b, inside(b), "[0, 1]")
                        ),
                        format!(
                            "if it is meant to stay a probability, write clamp({}, 0, 1)",
                            raw.text
                        ),
                    ));
                }
                match bounds {
                    Some(b) if !b.nan && b.iv.hi <= 0.0 => Var::discrete(vec![0.0]),
                    Some(b) if !b.nan && b.iv.lo >= 1.0 => Var::discrete(vec![1.0]),
                    _ => Var::discrete(vec![0.0, 1.0]),
                }
            }
            NodeKind::Categorical { states, table } => {
                let raw_rows = match raw_kind {
                    Some(RawNodeKind::Categorical { rows, .. }) => rows.as_slice(),
                    _ => &[],
                };
                let state_names: Vec<&str> = states
                    .iter()
                    .map(|s| model.state_names[s.0 as usize].as_str())
                    .collect();
                let mut earlier: Vec<(&Expr, bool)> = Vec::new();
                for (r, row) in table.iter().enumerate() {
                    let mut given = earlier.clone();
                    if let Some(when) = &row.when {
                        given.push((when, true));
                    }
                    let raw_row = raw_rows.get(r).and_then(|row| row.probs.as_ref());
                    let entry_span = |state: &str| {
                        raw_row.and_then(|p| {
                            p.entries
                                .iter()
                                .find(|(n, _)| n.text == state)
                                .map(|(_, e)| (expr_span(e), e.text.clone()))
                        })
                    };
                    let row_span = raw_row.map(|p| p.span);
                    let place = RowPlace {
                        node: name,
                        row: r + 1,
                        rows: table.len(),
                    };
                    self.row(
                        &row.probs,
                        &given,
                        &state_names,
                        &entry_span,
                        row_span,
                        &place,
                    );
                    if let Some(when) = &row.when {
                        earlier.push((when, false));
                    }
                }
                Var::discrete(states.iter().map(|s| s.value()).collect())
            }
            NodeKind::Numeric {
                dist,
                lower,
                upper,
                round,
            } => {
                let raw_numeric = match raw_kind {
                    Some(RawNodeKind::Numeric {
                        dist, lower, upper, ..
                    }) => Some((dist, lower, upper)),
                    _ => None,
                };
                let mut iv = self.numeric_dist(name, dist, raw_numeric.map(|r| &r.0.form));
                let raw_lower = raw_numeric.and_then(|r| r.1.as_ref());
                let raw_upper = raw_numeric.and_then(|r| r.2.as_ref());
                let defined = |b: Bounds| !b.nan;
                if let Some(lo) = lower {
                    let b = self.bound(lo, &[], &defined);
                    self.check_defined(b, raw_lower, &format!("`lower` of `{name}`"));
                    if let Some(b) = b {
                        iv = Iv::new(iv.lo.max(b.iv.lo), iv.hi.max(b.iv.hi));
                    }
                }
                if let Some(hi) = upper {
                    let b = self.bound(hi, &[], &defined);
                    self.check_defined(b, raw_upper, &format!("`upper` of `{name}`"));
                    if let Some(b) = b {
                        iv = Iv::new(iv.lo.min(b.iv.lo), iv.hi.min(b.iv.hi));
                    }
                }
                if let (Some(lo), Some(hi), Some(raw)) = (lower, upper, raw_upper) {
                    let gap = difference(hi, lo);
                    let ok = |b: Bounds| !b.nan && b.iv.lo >= 0.0;
                    if let Some(b) = self.bound(&gap, &[], &ok)
                        && !ok(b)
                    {
                        self.found.push((
                            expr_span(raw),
                            format!(
                                "`upper` of `{name}` can fall below `lower`: upper - lower can reach {}",
                                interval(b.iv)
                            ),
                            "crossed bounds stop the run: keep upper >= lower, e.g. with max(...)"
                                .to_string(),
                        ));
                    }
                }
                if *round {
                    iv = Iv::new(iv.lo.round(), iv.hi.round());
                }
                Var::continuous(iv)
            }
            NodeKind::Derived { value } => {
                let b = self.bound(value, &[], &|_| true);
                let iv = b.map_or(ENTIRE, |b| b.iv);
                match model.expr_type(value) {
                    Type::Number => Var::continuous(iv),
                    _ => {
                        let values: Vec<f64> =
                            [0.0, 1.0].into_iter().filter(|&x| iv.contains(x)).collect();
                        if values.is_empty() {
                            Var::discrete(vec![0.0, 1.0])
                        } else {
                            Var::discrete(values)
                        }
                    }
                }
            }
        }
    }

    fn check_defined(&mut self, b: Option<Bounds>, raw: Option<&RawExpr>, what: &str) {
        if let (Some(b), Some(raw)) = (b, raw)
            && b.nan
        {
            self.found.push((
                expr_span(raw),
                format!("{what} {}", reach(b, true, "")),
                "guard the expression, e.g. with max(...) or clamp(...)".to_string(),
            ));
        }
    }

    /// Checks one table row's probabilities or weights.
    fn row(
        &mut self,
        probs: &Probs,
        given: &[(&Expr, bool)],
        states: &[&str],
        entry: &dyn Fn(&str) -> Option<(Span, String)>,
        row_span: Option<Span>,
        place: &RowPlace,
    ) {
        let node = place.node;
        let of_row = place.of_row();
        match probs {
            Probs::P(entries) => {
                let mut listed = Vec::new();
                for (state, expr) in states.iter().zip(entries) {
                    let Some(expr) = expr else { continue };
                    listed.push(expr);
                    let Some(b) = self.bound(expr, given, &probability_ok) else {
                        // The row cannot be reached.
                        return;
                    };
                    if probability_ok(b) {
                        continue;
                    }
                    if let Some((span, text)) = entry(state) {
                        self.found.push((
                            span,
                            format!(
                                "the probability of `{node}` = '{state}'{of_row} {}",
                                reach(b, inside(b), "[0, 1]")
                            ),
                            format!(
                                "if it is meant to stay a probability, write clamp({text}, 0, 1)"
                            ),
                        ));
                    }
                }
                let remainder = entries.iter().any(Option::is_none);
                // Constant rows were checked when the model loaded.
                if listed.len() < 2 && remainder {
                    return;
                }
                let total = sum(&listed);
                let ok = move |b: Bounds| {
                    !b.nan
                        && b.iv.hi <= 1.0 + TOLERANCE
                        && (remainder || b.iv.lo >= 1.0 - TOLERANCE)
                };
                if let (Some(b), Some(span)) = (self.bound(&total, given, &ok), row_span)
                    && !ok(b)
                {
                    let (message, hint) = if remainder {
                        (
                            format!(
                                "the listed probabilities of `{node}`{of_row} can sum to {}, more than 1",
                                interval(b.iv)
                            ),
                            "the state left out takes 1 minus the sum: scale the listed ones so that they cannot exceed 1 (clamp(...) or min(...))".to_string(),
                        )
                    } else {
                        (
                            format!(
                                "the probabilities of `{node}`{of_row} can sum to {}, not 1",
                                interval(b.iv)
                            ),
                            "leave one state out: it takes 1 minus the sum of the others"
                                .to_string(),
                        )
                    };
                    self.found.push((span, message, hint));
                }
            }
            Probs::Weights(weights) => {
                let ok = |b: Bounds| !b.nan && b.iv.lo >= -TOLERANCE;
                for (state, expr) in states.iter().zip(weights) {
                    let Some(b) = self.bound(expr, given, &ok) else {
                        return;
                    };
                    if ok(b) {
                        continue;
                    }
                    if let Some((span, text)) = entry(state) {
                        self.found.push((
                            span,
                            format!(
                                "the weight of `{node}` = '{state}'{of_row} {}",
                                reach(b, b.iv.lo >= -TOLERANCE, "[0, inf)")
                            ),
                            format!("weights cannot be negative: write max({text}, 0)"),
                        ));
                    }
                }
                let all: Vec<&Expr> = weights.iter().collect();
                let total = sum(&all);
                let positive = |b: Bounds| !b.nan && b.iv.lo > 0.0;
                if let (Some(b), Some(span)) = (self.bound(&total, given, &positive), row_span)
                    && !b.nan
                    && !positive(b)
                {
                    self.found.push((
                        span,
                        format!(
                            "the weights of `{node}`{of_row} can sum to {}: a sum of 0 stops the run",
                            interval(b.iv)
                        ),
                        "give one state a weight that stays positive".to_string(),
                    ));
                }
            }
        }
    }

    /// Checks a numeric node's distribution arguments; returns the
    /// support they allow.
    fn numeric_dist(&mut self, node: &str, dist: &DistExpr, raw: Option<&DistForm<RawExpr>>) -> Iv {
        match dist {
            DistExpr::Args { kind, args } => {
                let raw_args = match raw {
                    Some(DistForm::Args(args)) => args.iter().map(|(e, _)| e).collect(),
                    _ => Vec::new(),
                };
                self.args(node, *kind, args, &raw_args)
            }
            DistExpr::Ci90 { kind, lo, hi } => {
                let (raw_lo, raw_hi) = match raw {
                    Some(DistForm::Ci90(lo, hi, _)) => (Some(lo), Some(hi)),
                    _ => (None, None),
                };
                let name = kind.name();
                let (lo_min, hi_max) = match kind {
                    DistKind::Beta => (Some(0.0), Some(1.0)),
                    DistKind::LogNormal => (Some(0.0), None),
                    _ => (None, None),
                };
                let lo_ok = move |b: Bounds| !b.nan && lo_min.is_none_or(|m| b.iv.lo > m);
                let hi_ok = move |b: Bounds| !b.nan && hi_max.is_none_or(|m| b.iv.hi < m);
                let domain = match kind {
                    DistKind::Beta => "(0, 1)",
                    DistKind::LogNormal => "(0, inf)",
                    _ => "(-inf, inf)",
                };
                for (expr, raw, ok, which) in [
                    (lo, raw_lo, &lo_ok as &dyn Fn(Bounds) -> bool, "5%"),
                    (hi, raw_hi, &hi_ok, "95%"),
                ] {
                    if let (Some(b), Some(raw)) = (self.bound(expr, &[], ok), raw)
                        && !ok(b)
                    {
                        self.found.push((
                            expr_span(raw),
                            format!(
                                "the {which} quantile of `{name}` in `{node}` {}",
                                reach(
                                    b,
                                    lo_min.is_none_or(|m| b.iv.lo > m)
                                        && hi_max.is_none_or(|m| b.iv.hi < m),
                                    domain
                                )
                            ),
                            format!("keep it inside {domain}, e.g. with clamp(...)"),
                        ));
                    }
                }
                let gap = difference(hi, lo);
                let ok = |b: Bounds| !b.nan && b.iv.lo > 0.0;
                if let (Some(b), Some(raw)) = (self.bound(&gap, &[], &ok), raw_hi)
                    && !ok(b)
                {
                    self.found.push((
                        expr_span(raw),
                        format!(
                            "the ci90 of `{name}` in `{node}` can cross: hi - lo can reach {}",
                            interval(b.iv)
                        ),
                        "ci90 needs lo < hi: keep the 95% quantile above the 5% one, e.g. with max(...)".to_string(),
                    ));
                }
                match kind {
                    DistKind::Beta => Iv::new(0.0, 1.0),
                    DistKind::LogNormal => Iv::new(0.0, f64::INFINITY),
                    _ => ENTIRE,
                }
            }
        }
    }

    /// Checks `kind(args)` argument by argument, then their order.
    fn args(&mut self, node: &str, kind: DistKind, args: &[Expr], raw: &[&RawExpr]) -> Iv {
        let keys = kind.keys();
        let name = kind.name();
        let mut ranges = Vec::new();
        for (i, expr) in args.iter().enumerate() {
            let positive = kind == DistKind::Beta;
            let non_negative = i == 1 && matches!(kind, DistKind::Normal | DistKind::LogNormal);
            let in_domain =
                move |b: Bounds| (!positive || b.iv.lo > 0.0) && (!non_negative || b.iv.lo >= 0.0);
            let ok = move |b: Bounds| !b.nan && in_domain(b);
            let b = self.bound(expr, &[], &ok);
            ranges.push(b.map_or(ENTIRE, |b| b.iv));
            let (Some(b), Some(raw)) = (b, raw.get(i)) else {
                continue;
            };
            if ok(b) {
                continue;
            }
            let (domain, fix) = if positive {
                ("(0, inf)", format!("max({}, 0.001)", raw.text))
            } else if non_negative {
                ("[0, inf)", format!("max({}, 0)", raw.text))
            } else {
                ("(-inf, inf)", raw.text.clone())
            };
            self.found.push((
                expr_span(raw),
                format!(
                    "`{}` of `{name}` in `{node}` {}",
                    keys[i],
                    reach(b, in_domain(b), domain)
                ),
                format!(
                    "{name} needs {} in {domain}: write {fix}, or clamp(...) it",
                    keys[i]
                ),
            ));
        }
        // Ordered arguments: low <= high, min <= mode <= max.
        let pairs: &[(usize, usize)] = match kind {
            DistKind::Uniform => &[(0, 1)],
            DistKind::Pert | DistKind::Triangular => &[(0, 1), (1, 2)],
            _ => &[],
        };
        for &(i, j) in pairs {
            let (Some(a), Some(b)) = (args.get(i), args.get(j)) else {
                continue;
            };
            let gap = difference(b, a);
            let ok = |b: Bounds| !b.nan && b.iv.lo >= 0.0;
            if let (Some(bounds), Some(raw)) = (self.bound(&gap, &[], &ok), raw.get(j))
                && !ok(bounds)
            {
                self.found.push((
                    expr_span(raw),
                    format!(
                        "`{}` of `{name}` in `{node}` can fall below `{}`: {} - {} can reach {}",
                        keys[j],
                        keys[i],
                        keys[j],
                        keys[i],
                        interval(bounds.iv)
                    ),
                    format!(
                        "{name} needs {} <= {}: write max({}, ...) or clamp(...) so that it cannot",
                        keys[i], keys[j], raw.text
                    ),
                ));
            }
        }
        let args: Vec<(f64, f64)> = ranges.iter().map(|iv| (iv.lo, iv.hi)).collect();
        let (lo, hi) = kind.support_over(&args);
        Iv::new(lo, hi)
    }
}

/// Which row of which node, for messages.
struct RowPlace<'a> {
    node: &'a str,
    row: usize,
    rows: usize,
}

impl RowPlace<'_> {
    /// ` in row 2` for tables, nothing for a plain `p` or `weights`.
    fn of_row(&self) -> String {
        if self.rows > 1 {
            format!(" in row {}", self.row)
        } else {
            String::new()
        }
    }
}
