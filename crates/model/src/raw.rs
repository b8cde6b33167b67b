//! Stage one: the TOML document, read with its spans into raw tables that
//! mirror the text. This stage checks what the text alone decides: which keys
//! exist, TOML types, which keys go together, finite numbers, expression
//! syntax. Names, types and the graph are stage two's business (`load.rs`).

use toml::Spanned;
use toml::de::{DeTable, DeValue};
use uchronia_distributions::DistKind;

use crate::diagnostic::{Diagnostic, LineIndex, Severity};
use crate::ir::Span;
use crate::parser::{Ast, AstKind, parse};
use crate::suggest;

/// Most errors one load records; past it, they are only counted. A hostile
/// file can hold millions of mistakes, and nobody reads past the first few.
pub const MAX_ERRORS: usize = 100;

/// Most warnings one load records; past it, they are only counted.
pub const MAX_WARNINGS: usize = 1000;

/// Collects diagnostics as the loader goes.
pub struct Sink<'s> {
    path: &'s str,
    source: &'s str,
    index: LineIndex,
    /// Errors so far (at most [`MAX_ERRORS`]).
    pub errors: Vec<Diagnostic>,
    /// Warnings so far (at most [`MAX_WARNINGS`]).
    pub warnings: Vec<Diagnostic>,
    /// Errors found past [`MAX_ERRORS`], not recorded.
    pub more_errors: usize,
    /// Warnings found past [`MAX_WARNINGS`], not recorded.
    pub more_warnings: usize,
}

impl<'s> Sink<'s> {
    /// A sink for the file `path` whose text is `source`.
    pub fn new(path: &'s str, source: &'s str) -> Sink<'s> {
        Sink {
            path,
            source,
            index: LineIndex::new(source),
            errors: Vec::new(),
            warnings: Vec::new(),
            more_errors: 0,
            more_warnings: 0,
        }
    }

    /// The model file's text.
    pub fn source(&self) -> &'s str {
        self.source
    }

    fn diagnostic(
        &self,
        severity: Severity,
        span: Option<Span>,
        message: impl Into<String>,
        hint: Option<String>,
    ) -> Diagnostic {
        Diagnostic::with_index(
            severity,
            self.path,
            self.source,
            &self.index,
            span,
            message,
            hint,
        )
    }

    /// Records an error.
    pub fn error(&mut self, span: Span, message: impl Into<String>, hint: Option<String>) {
        if self.errors.len() >= MAX_ERRORS {
            self.more_errors += 1;
            return;
        }
        let d = self.diagnostic(Severity::Error, Some(span), message, hint);
        self.errors.push(d);
    }

    /// Records an error with no place in the file.
    pub fn error_nowhere(&mut self, message: impl Into<String>, hint: Option<String>) {
        if self.errors.len() >= MAX_ERRORS {
            self.more_errors += 1;
            return;
        }
        let d = self.diagnostic(Severity::Error, None, message, hint);
        self.errors.push(d);
    }

    /// Records a warning.
    pub fn warn(&mut self, span: Span, message: impl Into<String>, hint: Option<String>) {
        if self.warnings.len() >= MAX_WARNINGS {
            self.more_warnings += 1;
            return;
        }
        let d = self.diagnostic(Severity::Warning, Some(span), message, hint);
        self.warnings.push(d);
    }

    /// A diagnostic with no place in the file (for summaries).
    pub fn note(&self, severity: Severity, message: impl Into<String>) -> Diagnostic {
        self.diagnostic(severity, None, message, None)
    }
}

/// A TOML value with its span.
pub type Value<'i> = Spanned<DeValue<'i>>;

/// The span of a spanned TOML item.
pub fn span<T>(item: &Spanned<T>) -> Span {
    let range = item.span();
    Span {
        start: range.start,
        end: range.end,
    }
}

/// A name as written (a table key or a string), with where it is.
#[derive(Clone, Debug)]
pub struct Name {
    /// The text.
    pub text: String,
    /// Where it is.
    pub span: Span,
}

/// An EXPR: a string in the expression language or a bare TOML number,
/// already parsed (`ast` is `None` when the syntax was wrong, already reported).
#[derive(Clone, Debug)]
pub struct RawExpr {
    /// The expression's text.
    pub text: String,
    /// The parsed expression.
    pub ast: Option<Ast>,
    /// Where the text starts in the file, when the TOML string holds it
    /// verbatim (no escapes): expression spans shift by this.
    pub base: Option<usize>,
    /// The whole TOML value.
    pub span: Span,
}

impl RawExpr {
    /// The file span of `inner`, a span within the expression's text.
    pub fn file_span(&self, inner: Span) -> Span {
        match self.base {
            Some(base) => Span {
                start: base + inner.start,
                end: base + inner.end,
            },
            None => self.span,
        }
    }
}

/// A distribution as written: kind plus arguments of type `T` (numbers for
/// params, expressions for nodes).
#[derive(Clone, Debug)]
pub struct RawDist<T> {
    /// The kind.
    pub kind: DistKind,
    /// Its arguments.
    pub form: DistForm<T>,
    /// The table it was read from.
    pub span: Span,
}

/// How a distribution's arguments are given.
#[derive(Clone, Debug)]
pub enum DistForm<T> {
    /// One per key of `kind.keys()`, in that order, with where each is.
    Args(Vec<(T, Span)>),
    /// `ci90 = [lo, hi]`.
    Ci90(T, T, Span),
}

/// A `[params.NAME]` table.
#[derive(Debug)]
pub struct RawParam {
    /// Its name.
    pub name: Name,
    /// `doc`.
    pub doc: Option<String>,
    /// `source`.
    pub source: Vec<String>,
    /// The distribution, when it could be read.
    pub dist: Option<RawDist<f64>>,
    /// The table.
    pub span: Span,
}

/// A `[nodes.NAME]` table.
#[derive(Debug)]
pub struct RawNode {
    /// Its name.
    pub name: Name,
    /// `doc`.
    pub doc: Option<String>,
    /// `source`.
    pub source: Vec<String>,
    /// What kind of node; `None` when that could not be read.
    pub kind: Option<RawNodeKind>,
    /// The table.
    pub span: Span,
}

/// The four kinds of node as written.
#[derive(Debug)]
pub enum RawNodeKind {
    /// `p = EXPR`.
    Boolean {
        /// The probability.
        p: RawExpr,
    },
    /// `states = [...]` and `p`, `weights` or `table`.
    Categorical {
        /// The states as written.
        states: Vec<Name>,
        /// Where `states` is.
        states_span: Span,
        /// The rows (a plain `p` or `weights` is one row).
        rows: Vec<RawRow>,
    },
    /// `dist = ...`.
    Numeric {
        /// The distribution (boxed: it is much larger than the other kinds).
        dist: Box<RawDist<RawExpr>>,
        /// `lower`.
        lower: Option<RawExpr>,
        /// `upper`.
        upper: Option<RawExpr>,
        /// `round`.
        round: bool,
    },
    /// `value = EXPR`.
    Derived {
        /// The value.
        value: RawExpr,
    },
}

/// A row of a categorical table.
#[derive(Debug)]
pub struct RawRow {
    /// `when`.
    pub when: Option<RawExpr>,
    /// `p` or `weights`, when readable.
    pub probs: Option<RawProbs>,
    /// The row (or the node, for a plain `p` or `weights`).
    pub span: Span,
    /// Whether it came from `table` (for messages).
    pub in_table: bool,
}

/// `p.STATE` or `weights.STATE` entries as written, in file order.
#[derive(Debug)]
pub struct RawProbs {
    /// True for `weights`.
    pub weights: bool,
    /// State and value.
    pub entries: Vec<(Name, RawExpr)>,
    /// The `p` or `weights` table.
    pub span: Span,
}

/// An `[outcomes.NAME]` table.
#[derive(Debug)]
pub struct RawOutcome {
    /// Its name.
    pub name: Name,
    /// `doc`.
    pub doc: Option<String>,
    /// `when` (boolean outcome) or `value` (numeric outcome).
    pub kind: Option<RawOutcomeKind>,
    /// `given` (numeric outcomes only).
    pub given: Option<RawExpr>,
    /// The table.
    pub span: Span,
}

/// Boolean or numeric outcome.
#[derive(Debug)]
pub enum RawOutcomeKind {
    /// `when = EXPR`.
    When(RawExpr),
    /// `value = EXPR`.
    Value(RawExpr),
}

/// A plain TOML value in a `do` table.
#[derive(Clone, Debug)]
pub enum RawValue {
    /// A number.
    Number(f64),
    /// A boolean.
    Boolean(bool),
    /// A string (a state name).
    String(String),
    /// Something else, by its TOML type name; or a non-finite number (`None`).
    Other(Option<&'static str>),
}

/// A `set` entry.
#[derive(Debug)]
pub enum RawSet {
    /// A number: a point mass.
    Number(f64),
    /// A new distribution.
    Dist(RawDist<f64>),
}

/// A `[scenarios.NAME]` table.
#[derive(Debug)]
pub struct RawScenario {
    /// Its name.
    pub name: Name,
    /// `doc`.
    pub doc: Option<String>,
    /// `do` entries, with the span of each value.
    pub interventions: Vec<(Name, RawValue, Span)>,
    /// `set` entries; `None` where the entry could not be read.
    pub settings: Vec<(Name, Option<RawSet>)>,
    /// The table.
    pub span: Span,
}

/// The whole file as written.
#[derive(Debug, Default)]
pub struct RawFile {
    /// `[model] name`.
    pub name: Option<Name>,
    /// `[model] title`.
    pub title: Option<String>,
    /// `[model] doc`.
    pub doc: Option<String>,
    /// Params in file order.
    pub params: Vec<RawParam>,
    /// Nodes in file order.
    pub nodes: Vec<RawNode>,
    /// Outcomes in file order.
    pub outcomes: Vec<RawOutcome>,
    /// Scenarios in file order.
    pub scenarios: Vec<RawScenario>,
    /// Where `[scenarios]` is, when present.
    pub scenarios_span: Option<Span>,
    /// `[report] headline`.
    pub headline: Vec<Name>,
}

/// The keys a node table may have, whatever its kind.
const NODE_KEYS: [&str; 11] = [
    "doc", "source", "p", "states", "weights", "table", "dist", "ci90", "lower", "upper", "round",
];

/// Every key of every distribution.
fn all_dist_keys() -> Vec<&'static str> {
    let mut keys = Vec::new();
    for kind in DistKind::ALL {
        for key in kind.keys() {
            if !keys.contains(key) {
                keys.push(*key);
            }
        }
    }
    keys
}

/// How a TOML value's type reads in a message.
pub fn type_name(value: &DeValue) -> &'static str {
    match value {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) | DeValue::Float(_) => "a number",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date",
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
    }
}

/// The number in a TOML integer or float; `None` for other types and for
/// non-finite floats (reported once, by [`report_non_finite`]).
pub fn number_of(value: &DeValue) -> Option<f64> {
    match value {
        // TOML integers are 64-bit; larger ones are reported by
        // `report_non_finite`.
        DeValue::Integer(i) => i64::from_str_radix(i.as_str(), i.radix())
            .ok()
            .map(|i| i as f64),
        DeValue::Float(f) => f.as_str().parse::<f64>().ok().filter(|x| x.is_finite()),
        _ => None,
    }
}

/// Reports every `inf` and `nan` in the document, every float too large
/// for an f64 (`1e400`), and every integer that does not fit in 64 bits
/// (which the TOML reader keeps as text). Later stages then skip such
/// numbers silently, knowing they were reported here once.
pub fn report_non_finite(sink: &mut Sink, root: &DeTable) {
    let mut stack: Vec<&Value> = root.values().collect();
    while let Some(value) = stack.pop() {
        match value.get_ref() {
            DeValue::Float(f) if number_of(value.get_ref()).is_none() => {
                sink.error(
                    span(value),
                    format!("non-finite number `{}`: numbers must be finite", f.as_str()),
                    None,
                );
            }
            DeValue::Integer(i) if number_of(value.get_ref()).is_none() => {
                sink.error(
                    span(value),
                    format!(
                        "integer `{}` does not fit in 64 bits",
                        sink.source()
                            .get(span(value).start..span(value).end)
                            .unwrap_or(i.as_str())
                    ),
                    Some("write it as a float, e.g. 1e20".to_string()),
                );
            }
            DeValue::Array(items) => stack.extend(items.iter()),
            DeValue::Table(table) => stack.extend(table.values()),
            _ => {}
        }
    }
}

/// Reports keys of `table` that are not in `allowed`. Keys in `elsewhere`
/// exist in the language but not in this kind of table.
fn check_keys(sink: &mut Sink, table: &DeTable, allowed: &[&str], elsewhere: &[&str], what: &str) {
    for key in table.keys() {
        let name = key.get_ref().as_ref();
        if allowed.contains(&name) {
            continue;
        }
        if elsewhere.contains(&name) {
            sink.error(
                span(key),
                format!("`{name}` does not belong in {what}"),
                Some(format!("keys of {what}: {}", suggest::list(allowed))),
            );
        } else if what == "the top level" {
            sink.error(
                span(key),
                format!("unknown top-level table `{name}`"),
                suggest::key_hint(name, allowed),
            );
        } else {
            sink.error(
                span(key),
                format!("unknown key `{name}` in {what}"),
                suggest::key_hint(name, allowed),
            );
        }
    }
}

fn get<'a, 'i>(table: &'a DeTable<'i>, key: &str) -> Option<&'a Value<'i>> {
    table.get(key)
}

fn key_span(table: &DeTable, key: &str) -> Option<Span> {
    table.get_key_value(key).map(|(k, _)| span(k))
}

fn wrong_type(sink: &mut Sink, key: &str, wanted: &str, value: &Value, hint: Option<String>) {
    sink.error(
        span(value),
        format!(
            "`{key}` must be {wanted}, found {}",
            type_name(value.get_ref())
        ),
        hint,
    );
}

fn string(sink: &mut Sink, key: &str, value: &Value) -> Option<String> {
    match value.get_ref() {
        DeValue::String(s) => Some(s.to_string()),
        _ => {
            wrong_type(sink, key, "a string", value, None);
            None
        }
    }
}

fn opt_string(sink: &mut Sink, table: &DeTable, key: &str) -> Option<String> {
    get(table, key).and_then(|value| string(sink, key, value))
}

/// A number, reporting a wrong type (non-finite numbers are reported elsewhere).
fn number(sink: &mut Sink, key: &str, value: &Value, hint: Option<&str>) -> Option<f64> {
    match value.get_ref() {
        DeValue::Integer(_) | DeValue::Float(_) => number_of(value.get_ref()),
        _ => {
            wrong_type(sink, key, "a number", value, hint.map(str::to_string));
            None
        }
    }
}

fn sources(sink: &mut Sink, table: &DeTable) -> Vec<String> {
    let Some(value) = get(table, "source") else {
        return Vec::new();
    };
    let hint = Some("write source = [\"key\", ...] with keys of data/sources.toml".to_string());
    let DeValue::Array(items) = value.get_ref() else {
        wrong_type(sink, "source", "an array of strings", value, hint);
        return Vec::new();
    };
    let mut keys = Vec::new();
    for item in items.iter() {
        match item.get_ref() {
            DeValue::String(s) => keys.push(s.to_string()),
            other => sink.error(
                span(item),
                format!("`source` must hold strings, found {}", type_name(other)),
                hint.clone(),
            ),
        }
    }
    keys
}

/// Where the text of a TOML string starts in the file, if the string holds
/// it verbatim (so expression offsets map to file offsets).
fn string_base(source: &str, value_span: Span, text: &str) -> Option<usize> {
    let raw = source.get(value_span.start..value_span.end)?;
    let mut start = if raw.starts_with("\"\"\"") || raw.starts_with("'''") {
        value_span.start + 3
    } else if raw.starts_with('"') || raw.starts_with('\'') {
        value_span.start + 1
    } else {
        return None;
    };
    // A multi-line string drops a line break right after its opening quotes.
    if raw.starts_with("\"\"\"") || raw.starts_with("'''") {
        if source[start..].starts_with("\r\n") {
            start += 2;
        } else if source[start..].starts_with('\n') {
            start += 1;
        }
    }
    (source.get(start..start + text.len()) == Some(text)).then_some(start)
}

/// Reads an EXPR (a string or a bare number) and parses it.
fn expr(sink: &mut Sink, key: &str, value: &Value) -> Option<RawExpr> {
    let value_span = span(value);
    match value.get_ref() {
        DeValue::Integer(_) | DeValue::Float(_) => {
            let x = number_of(value.get_ref())?;
            let text = sink
                .source()
                .get(value_span.start..value_span.end)
                .unwrap_or("")
                .to_string();
            let ast = Ast {
                kind: AstKind::Number(x),
                span: Span {
                    start: 0,
                    end: text.len(),
                },
                height: 1,
            };
            Some(RawExpr {
                text,
                ast: Some(ast),
                base: Some(value_span.start),
                span: value_span,
            })
        }
        DeValue::String(s) => {
            let text = s.to_string();
            let base = string_base(sink.source(), value_span, &text);
            let mut raw = RawExpr {
                text,
                ast: None,
                base,
                span: value_span,
            };
            match parse(&raw.text) {
                Ok(ast) => raw.ast = Some(ast),
                Err(e) => sink.error(raw.file_span(e.span), e.message, e.hint),
            }
            Some(raw)
        }
        DeValue::Boolean(b) => {
            let hint = Some(format!(
                "an expression is a string or a number: write `{key} = \"{b}\"`"
            ));
            wrong_type(
                sink,
                key,
                "an expression (a string or a number)",
                value,
                hint,
            );
            None
        }
        _ => {
            wrong_type(
                sink,
                key,
                "an expression (a string or a number)",
                value,
                None,
            );
            None
        }
    }
}

fn opt_expr(sink: &mut Sink, table: &DeTable, key: &str) -> Option<RawExpr> {
    get(table, key).and_then(|value| expr(sink, key, value))
}

/// Reads the whole document.
pub fn read(sink: &mut Sink, root: &DeTable) -> RawFile {
    let mut file = RawFile::default();
    check_keys(
        sink,
        root,
        &[
            "model",
            "params",
            "nodes",
            "outcomes",
            "scenarios",
            "report",
        ],
        &[],
        "the top level",
    );
    match get(root, "model") {
        None => sink.error_nowhere(
            "missing [model] table",
            Some("start the file with [model], name = \"...\" and title = \"...\"".to_string()),
        ),
        Some(value) => match value.get_ref() {
            DeValue::Table(table) => read_header(sink, table, span(value), &mut file),
            _ => wrong_type(sink, "model", "a table", value, None),
        },
    }
    for (name, value, table) in entries(sink, root, "params", "param") {
        file.params.push(read_param(sink, name, table, span(value)));
    }
    for (name, value, table) in entries(sink, root, "nodes", "node") {
        file.nodes.push(read_node(sink, name, table, span(value)));
    }
    for (name, value, table) in entries(sink, root, "outcomes", "outcome") {
        file.outcomes
            .push(read_outcome(sink, name, table, span(value)));
    }
    for (name, value, table) in entries(sink, root, "scenarios", "scenario") {
        file.scenarios
            .push(read_scenario(sink, name, table, span(value)));
    }
    file.scenarios_span = root.get_key_value("scenarios").map(|(k, _)| span(k));
    if let Some(value) = get(root, "report") {
        match value.get_ref() {
            DeValue::Table(table) => file.headline = read_report(sink, table),
            _ => wrong_type(sink, "report", "a table", value, None),
        }
    }
    file
}

/// The `NAME = { ... }` entries of a top-level table such as `[params]`.
fn entries<'a, 'i>(
    sink: &mut Sink,
    root: &'a DeTable<'i>,
    key: &str,
    singular: &str,
) -> Vec<(Name, &'a Value<'i>, &'a DeTable<'i>)> {
    let Some(value) = get(root, key) else {
        return Vec::new();
    };
    let DeValue::Table(table) = value.get_ref() else {
        wrong_type(
            sink,
            key,
            "a table",
            value,
            Some(format!("write [{key}.NAME] tables")),
        );
        return Vec::new();
    };
    let mut out = Vec::new();
    for (name, item) in table.iter() {
        let name_text = name.get_ref().to_string();
        match item.get_ref() {
            DeValue::Table(inner) => out.push((
                Name {
                    text: name_text,
                    span: span(name),
                },
                item,
                inner,
            )),
            other => sink.error(
                span(item),
                format!(
                    "{singular} `{name_text}` must be a table, found {}",
                    type_name(other)
                ),
                Some(format!("write it as a [{key}.{name_text}] table")),
            ),
        }
    }
    out
}

fn read_header(sink: &mut Sink, table: &DeTable, table_span: Span, file: &mut RawFile) {
    check_keys(sink, table, &["name", "title", "doc"], &[], "[model]");
    match get(table, "name") {
        None => sink.error(
            table_span,
            "[model] is missing `name`",
            Some("add name = \"my_model\" (it names the report folder)".to_string()),
        ),
        Some(value) => {
            if let Some(text) = string(sink, "name", value) {
                file.name = Some(Name {
                    text,
                    span: span(value),
                });
            }
        }
    }
    match get(table, "title") {
        None => sink.error(
            table_span,
            "[model] is missing `title`",
            Some("add title = \"What if ...?\"".to_string()),
        ),
        Some(value) => file.title = string(sink, "title", value),
    }
    file.doc = opt_string(sink, table, "doc");
}

/// Reads a distribution table: `dist`, then its keys or `ci90`. `own` are
/// the other keys the table may have; `arg` reads one argument.
fn read_dist<T>(
    sink: &mut Sink,
    table: &DeTable,
    table_span: Span,
    own: &[&str],
    what: &str,
    mut arg: impl FnMut(&mut Sink, &str, &Value) -> Option<T>,
) -> Option<RawDist<T>> {
    let dist_keys = all_dist_keys();
    let kind = match get(table, "dist") {
        None => {
            sink.error(
                table_span,
                format!("{what} is missing `dist`"),
                Some(dist_hint()),
            );
            None
        }
        Some(value) => match string(sink, "dist", value) {
            None => None,
            Some(name) => {
                let kind = DistKind::from_name(&name);
                if kind.is_none() {
                    let names: Vec<&str> = DistKind::ALL.iter().map(|k| k.name()).collect();
                    let hint = match suggest::close(&name, names.iter().copied()) {
                        Some(best) => format!("did you mean `{best}`?"),
                        None => format!("the distributions are {}", suggest::list(&names)),
                    };
                    sink.error(
                        span(value),
                        format!("unknown distribution `{name}`"),
                        Some(hint),
                    );
                }
                kind
            }
        },
    };
    let Some(kind) = kind else {
        // Without a kind, any distribution key may be right.
        let mut allowed: Vec<&str> = own.to_vec();
        allowed.extend(["dist", "ci90"]);
        allowed.extend(dist_keys.iter().copied());
        check_keys(sink, table, &allowed, &[], what);
        return None;
    };
    let mut allowed: Vec<&str> = own.to_vec();
    allowed.push("dist");
    if kind.accepts_ci90() {
        allowed.push("ci90");
    }
    allowed.extend(kind.keys());
    let ci90 = get(table, "ci90");
    for key in table.keys() {
        let name = key.get_ref().as_ref();
        if allowed.contains(&name) {
            continue;
        }
        if name == "ci90" {
            sink.error(
                span(key),
                format!("`{}` does not accept `ci90`", kind.name()),
                Some("only beta, normal and lognormal take ci90 = [lo, hi]".to_string()),
            );
        } else if dist_keys.contains(&name) {
            sink.error(
                span(key),
                format!("`{name}` is not a key of `{}`", kind.name()),
                Some(format!(
                    "{} takes {}{}",
                    kind.name(),
                    suggest::list(kind.keys()),
                    if kind.accepts_ci90() {
                        " (or ci90)"
                    } else {
                        ""
                    }
                )),
            );
        } else if !NODE_KEYS.contains(&name) || own.is_empty() {
            sink.error(
                span(key),
                format!("unknown key `{name}` in {what}"),
                suggest::key_hint(name, &allowed),
            );
        } else {
            sink.error(
                span(key),
                format!("`{name}` does not belong in {what}"),
                Some(format!("keys of {what}: {}", suggest::list(&allowed))),
            );
        }
    }
    if let (Some(ci90), true) = (ci90, kind.accepts_ci90()) {
        let ci_span = span(ci90);
        for own_key in kind.keys() {
            if let Some(at) = key_span(table, own_key) {
                sink.error(
                    at,
                    format!("`ci90` and `{own_key}` cannot both be given"),
                    Some(format!(
                        "give either ci90 = [lo, hi] or {}",
                        suggest::list(kind.keys())
                    )),
                );
                return None;
            }
        }
        let DeValue::Array(items) = ci90.get_ref() else {
            wrong_type(sink, "ci90", "an array [lo, hi]", ci90, None);
            return None;
        };
        if items.len() != 2 {
            sink.error(
                ci_span,
                format!(
                    "`ci90` must have two values [lo, hi], found {}",
                    items.len()
                ),
                None,
            );
            return None;
        }
        let lo = arg(sink, "ci90", &items[0]);
        let hi = arg(sink, "ci90", &items[1]);
        return Some(RawDist {
            kind,
            form: DistForm::Ci90(lo?, hi?, ci_span),
            span: table_span,
        });
    }
    let mut args = Vec::new();
    let mut missing = Vec::new();
    for key in kind.keys() {
        match get(table, key) {
            Some(value) => args.push(arg(sink, key, value).map(|a| (a, span(value)))),
            None => missing.push(*key),
        }
    }
    if !missing.is_empty() {
        let hint = if kind.accepts_ci90() {
            format!(
                "{} takes {}, or ci90 = [lo, hi] instead",
                kind.name(),
                suggest::list(kind.keys())
            )
        } else {
            format!("{} takes {}", kind.name(), suggest::list(kind.keys()))
        };
        sink.error(
            table_span,
            format!(
                "{what} (`{}`) is missing {}",
                kind.name(),
                suggest::list(&missing)
            ),
            Some(hint),
        );
        return None;
    }
    let args: Option<Vec<_>> = args.into_iter().collect();
    Some(RawDist {
        kind,
        form: DistForm::Args(args?),
        span: table_span,
    })
}

fn dist_hint() -> String {
    let names: Vec<&str> = DistKind::ALL.iter().map(|k| k.name()).collect();
    format!("add dist = \"...\", one of {}", suggest::list(&names))
}

fn param_arg(sink: &mut Sink, key: &str, value: &Value) -> Option<f64> {
    number(
        sink,
        key,
        value,
        Some("param arguments are plain numbers; expressions belong in nodes"),
    )
}

fn read_param(sink: &mut Sink, name: Name, table: &DeTable, table_span: Span) -> RawParam {
    let what = format!("param `{}`", name.text);
    let dist = read_dist(
        sink,
        table,
        table_span,
        &["doc", "source"],
        &what,
        param_arg,
    );
    RawParam {
        doc: opt_string(sink, table, "doc"),
        source: sources(sink, table),
        dist,
        name,
        span: table_span,
    }
}

fn read_node(sink: &mut Sink, name: Name, table: &DeTable, table_span: Span) -> RawNode {
    let doc = opt_string(sink, table, "doc");
    let source = sources(sink, table);
    let kind = read_node_kind(sink, &name, table, table_span);
    RawNode {
        name,
        doc,
        source,
        kind,
        span: table_span,
    }
}

fn read_node_kind(
    sink: &mut Sink,
    name: &Name,
    table: &DeTable,
    table_span: Span,
) -> Option<RawNodeKind> {
    let node = &name.text;
    let fixed =
        matches!(get(table, "dist").map(|v| v.get_ref()), Some(DeValue::String(s)) if s == "fixed");
    // The keys that decide the kind; `p` belongs to categorical nodes too and
    // `value` to `fixed` distributions.
    let mut markers: Vec<&str> = Vec::new();
    for key in ["states", "dist", "p", "value"] {
        let taken = match key {
            "p" => get(table, "states").is_some(),
            "value" => get(table, "dist").is_some() && fixed,
            _ => false,
        };
        if get(table, key).is_some() && !taken {
            markers.push(key);
        }
    }
    let mut all_keys: Vec<&str> = NODE_KEYS.to_vec();
    all_keys.extend(all_dist_keys());
    match markers.as_slice() {
        [] => {
            check_keys(sink, table, &all_keys, &[], &format!("node `{node}`"));
            sink.error(
                table_span,
                format!("node `{node}` has none of `p`, `states`, `dist`, `value`"),
                Some("a node is exactly one of: p = EXPR (boolean), states = [...] (categorical), dist = \"...\" (numeric), value = EXPR (derived)".to_string()),
            );
            None
        }
        [_, second, ..] => {
            let at = key_span(table, second).unwrap_or(table_span);
            sink.error(
                at,
                format!("node `{node}` has both `{}` and `{second}`", markers[0]),
                Some("a node is exactly one of: p = EXPR (boolean), states = [...] (categorical), dist = \"...\" (numeric), value = EXPR (derived)".to_string()),
            );
            None
        }
        ["p"] => {
            check_keys(
                sink,
                table,
                &["doc", "source", "p"],
                &all_keys,
                "a boolean node",
            );
            let p = expr(sink, "p", get(table, "p")?)?;
            Some(RawNodeKind::Boolean { p })
        }
        ["value"] => {
            check_keys(
                sink,
                table,
                &["doc", "source", "value"],
                &all_keys,
                "a derived node",
            );
            let value = expr(sink, "value", get(table, "value")?)?;
            Some(RawNodeKind::Derived { value })
        }
        ["dist"] => {
            let dist = read_dist(
                sink,
                table,
                table_span,
                &["doc", "source", "lower", "upper", "round"],
                "a numeric node",
                expr,
            );
            let lower = opt_expr(sink, table, "lower");
            let upper = opt_expr(sink, table, "upper");
            let round = match get(table, "round") {
                None => false,
                Some(value) => match value.get_ref() {
                    DeValue::Boolean(b) => *b,
                    _ => {
                        wrong_type(
                            sink,
                            "round",
                            "a boolean",
                            value,
                            Some("write round = true".to_string()),
                        );
                        false
                    }
                },
            };
            Some(RawNodeKind::Numeric {
                dist: Box::new(dist?),
                lower,
                upper,
                round,
            })
        }
        _ => read_categorical(sink, node, table, table_span, &all_keys),
    }
}

fn read_categorical(
    sink: &mut Sink,
    node: &str,
    table: &DeTable,
    table_span: Span,
    all_keys: &[&str],
) -> Option<RawNodeKind> {
    check_keys(
        sink,
        table,
        &["doc", "source", "states", "p", "weights", "table"],
        all_keys,
        "a categorical node",
    );
    let states_value = get(table, "states")?;
    let states_span = span(states_value);
    let mut states = Vec::new();
    match states_value.get_ref() {
        DeValue::Array(items) => {
            for item in items.iter() {
                match item.get_ref() {
                    DeValue::String(s) => states.push(Name {
                        text: s.to_string(),
                        span: span(item),
                    }),
                    other => sink.error(
                        span(item),
                        format!("states must be strings, found {}", type_name(other)),
                        None,
                    ),
                }
            }
        }
        _ => wrong_type(
            sink,
            "states",
            "an array of state names",
            states_value,
            Some("write states = [\"a\", \"b\"]".to_string()),
        ),
    }
    let forms: Vec<&str> = ["p", "weights", "table"]
        .into_iter()
        .filter(|k| get(table, k).is_some())
        .collect();
    let hint = Some(format!(
        "give p = {{ STATE = EXPR, ... }}, weights = {{ STATE = EXPR, ... }} or [[nodes.{node}.table]] rows"
    ));
    let rows = match forms.as_slice() {
        [] => {
            sink.error(
                table_span,
                format!("categorical node `{node}` needs one of `p`, `weights`, `table`"),
                hint,
            );
            return None;
        }
        [first, second, ..] => {
            let at = key_span(table, second).unwrap_or(table_span);
            sink.error(
                at,
                format!(
                    "categorical node `{node}` has both `{first}` and `{second}`: give exactly one"
                ),
                hint,
            );
            return None;
        }
        ["table"] => read_table(sink, get(table, "table")?)?,
        [key] => {
            let probs = read_probs(sink, table, key)?;
            vec![RawRow {
                when: None,
                probs: Some(probs),
                span: table_span,
                in_table: false,
            }]
        }
    };
    Some(RawNodeKind::Categorical {
        states,
        states_span,
        rows,
    })
}

fn read_probs(sink: &mut Sink, table: &DeTable, key: &str) -> Option<RawProbs> {
    let value = get(table, key)?;
    let DeValue::Table(entries) = value.get_ref() else {
        let hint = Some(format!("write {key} = {{ state_a = 0.3, state_b = 0.7 }}"));
        wrong_type(sink, key, "a table of states", value, hint);
        return None;
    };
    let mut out = Vec::new();
    let mut ok = true;
    for (state, item) in entries.iter() {
        let name = Name {
            text: state.get_ref().to_string(),
            span: span(state),
        };
        match expr(sink, &format!("{key}.{}", name.text), item) {
            Some(e) => out.push((name, e)),
            // Reported; leaving the state out would add a "missing" error.
            None => ok = false,
        }
    }
    ok.then(|| RawProbs {
        weights: key == "weights",
        entries: out,
        span: span(value),
    })
}

fn read_table(sink: &mut Sink, value: &Value) -> Option<Vec<RawRow>> {
    let hint = Some(
        "write rows as [[nodes.NAME.table]] tables with `when` and `p` or `weights`".to_string(),
    );
    let DeValue::Array(items) = value.get_ref() else {
        wrong_type(sink, "table", "an array of rows", value, hint);
        return None;
    };
    if items.is_empty() {
        sink.error(span(value), "`table` has no rows", hint);
        return None;
    }
    let mut rows = Vec::new();
    for item in items.iter() {
        let DeValue::Table(row) = item.get_ref() else {
            sink.error(
                span(item),
                format!(
                    "a table row must be a table, found {}",
                    type_name(item.get_ref())
                ),
                hint.clone(),
            );
            continue;
        };
        check_keys(sink, row, &["when", "p", "weights"], &[], "a table row");
        let when = opt_expr(sink, row, "when");
        let probs = match (get(row, "p"), get(row, "weights")) {
            (Some(_), Some(_)) => {
                let at = key_span(row, "weights").unwrap_or(span(item));
                sink.error(
                    at,
                    "a table row has both `p` and `weights`: give exactly one",
                    None,
                );
                None
            }
            (Some(_), None) => read_probs(sink, row, "p"),
            (None, Some(_)) => read_probs(sink, row, "weights"),
            (None, None) => {
                sink.error(span(item), "a table row needs `p` or `weights`", None);
                None
            }
        };
        rows.push(RawRow {
            when,
            probs,
            span: span(item),
            in_table: true,
        });
    }
    Some(rows)
}

fn read_outcome(sink: &mut Sink, name: Name, table: &DeTable, table_span: Span) -> RawOutcome {
    let outcome = name.text.clone();
    check_keys(
        sink,
        table,
        &["doc", "when", "value", "given"],
        &[],
        &format!("outcome `{outcome}`"),
    );
    let doc = opt_string(sink, table, "doc");
    let kind = match (get(table, "when"), get(table, "value")) {
        (Some(_), Some(_)) => {
            let at = key_span(table, "value").unwrap_or(table_span);
            sink.error(at, format!("outcome `{outcome}` has both `when` and `value`"), Some("an outcome is either `when = EXPR` (a probability) or `value = EXPR` (a distribution)".to_string()));
            None
        }
        (Some(value), None) => expr(sink, "when", value).map(RawOutcomeKind::When),
        (None, Some(value)) => expr(sink, "value", value).map(RawOutcomeKind::Value),
        (None, None) => {
            sink.error(
                table_span,
                format!("outcome `{outcome}` needs `when` or `value`"),
                Some(
                    "write when = EXPR for a probability, or value = EXPR for a distribution"
                        .to_string(),
                ),
            );
            None
        }
    };
    let given = opt_expr(sink, table, "given");
    if let (Some(_), Some(_)) = (&given, get(table, "when")) {
        let at = key_span(table, "given").unwrap_or(table_span);
        sink.error(at, "`given` is only for numeric outcomes (`value = ...`)", Some("a boolean outcome is a probability over all trials; a claim with `given` asks for P(event | given)".to_string()));
    }
    RawOutcome {
        name,
        doc,
        kind,
        given,
        span: table_span,
    }
}

fn read_scenario(sink: &mut Sink, name: Name, table: &DeTable, table_span: Span) -> RawScenario {
    check_keys(
        sink,
        table,
        &["doc", "do", "set"],
        &[],
        &format!("scenario `{}`", name.text),
    );
    let doc = opt_string(sink, table, "doc");
    let mut interventions = Vec::new();
    if let Some(value) = get(table, "do") {
        match value.get_ref() {
            DeValue::Table(entries) => {
                for (node, item) in entries.iter() {
                    let raw = match item.get_ref() {
                        DeValue::Boolean(b) => RawValue::Boolean(*b),
                        DeValue::String(s) => RawValue::String(s.to_string()),
                        DeValue::Integer(_) | DeValue::Float(_) => {
                            match number_of(item.get_ref()) {
                                Some(x) => RawValue::Number(x),
                                None => RawValue::Other(None),
                            }
                        }
                        other => RawValue::Other(Some(type_name(other))),
                    };
                    interventions.push((
                        Name {
                            text: node.get_ref().to_string(),
                            span: span(node),
                        },
                        raw,
                        span(item),
                    ));
                }
            }
            _ => wrong_type(
                sink,
                "do",
                "a table",
                value,
                Some("write do = { node = value, ... }".to_string()),
            ),
        }
    }
    let mut settings = Vec::new();
    if let Some(value) = get(table, "set") {
        match value.get_ref() {
            DeValue::Table(entries) => {
                for (param, item) in entries.iter() {
                    let set = match item.get_ref() {
                        DeValue::Integer(_) | DeValue::Float(_) => {
                            number_of(item.get_ref()).map(RawSet::Number)
                        }
                        DeValue::Table(dist) => {
                            let what = format!("the new distribution of `{}`", param.get_ref());
                            read_dist(sink, dist, span(item), &[], &what, param_arg)
                                .map(RawSet::Dist)
                        }
                        other => {
                            sink.error(
                                span(item),
                                format!(
                                    "`set` takes a number or a distribution, found {}",
                                    type_name(other)
                                ),
                                Some(format!(
                                    "write {} = 0.5 or {} = {{ dist = \"beta\", a = 2, b = 5 }}",
                                    param.get_ref(),
                                    param.get_ref()
                                )),
                            );
                            None
                        }
                    };
                    settings.push((
                        Name {
                            text: param.get_ref().to_string(),
                            span: span(param),
                        },
                        set,
                    ));
                }
            }
            _ => wrong_type(
                sink,
                "set",
                "a table",
                value,
                Some("write set = { param = value, ... }".to_string()),
            ),
        }
    }
    RawScenario {
        name,
        doc,
        interventions,
        settings,
        span: table_span,
    }
}

fn read_report(sink: &mut Sink, table: &DeTable) -> Vec<Name> {
    check_keys(sink, table, &["headline"], &[], "[report]");
    let Some(value) = get(table, "headline") else {
        return Vec::new();
    };
    let hint = Some("write headline = [\"outcome\", ...]".to_string());
    let DeValue::Array(items) = value.get_ref() else {
        wrong_type(sink, "headline", "an array of outcome names", value, hint);
        return Vec::new();
    };
    let mut names = Vec::new();
    for item in items.iter() {
        match item.get_ref() {
            DeValue::String(s) => names.push(Name {
                text: s.to_string(),
                span: span(item),
            }),
            other => sink.error(
                span(item),
                format!(
                    "`headline` must hold outcome names, found {}",
                    type_name(other)
                ),
                hint.clone(),
            ),
        }
    }
    names
}
