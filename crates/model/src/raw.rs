//! The raw tables of a model as written: stage one's output, with spans
//! that point into the text. `read` fills them from the TOML document; stage
//! two (`load.rs`) turns them into the typed IR.

mod correlations;
mod fields;
mod nodes;
mod read;
mod time;

use uchronia_distributions::DistKind;

use crate::ir::{Span, Years};
use crate::parser::Ast;

pub use correlations::RawCorrelation;
pub use read::read;

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
    /// `label`: the name reports show.
    pub label: Option<String>,
    /// `source`.
    pub source: Vec<String>,
    /// `hindsight`: why the number knows what happened after the model's
    /// vantage point.
    pub hindsight: Option<String>,
    /// `ex_ante = { dist = ..., ... }`: the prior the param would have
    /// without that hindsight, for `calibrate --ex-ante`.
    pub ex_ante: Option<RawDist<f64>>,
    /// `ex_ante_group = "name"`: the group `--ex-ante-group` selects it by,
    /// with where it was written.
    pub ex_ante_group: Option<(String, Span)>,
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
    /// `label`: the name reports show.
    pub label: Option<String>,
    /// `source`.
    pub source: Vec<String>,
    /// What kind of node; `None` when that could not be read.
    pub kind: Option<RawNodeKind>,
    /// `year`, with where it is.
    pub year: Option<(Years, Span)>,
    /// `fact`, with where it is.
    pub fact: Option<(RawValue, Span)>,
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
    /// `label`: the name reports show.
    pub label: Option<String>,
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
    /// `label`: the name reports show.
    pub label: Option<String>,
    /// `baseline_label`: the name reports show for its matched baseline.
    pub baseline_label: Option<String>,
    /// `do` entries, with the span of each value.
    pub interventions: Vec<(Name, RawValue, Span)>,
    /// `set` entries; `None` where the entry could not be read.
    pub settings: Vec<(Name, Option<RawSet>)>,
    /// `facts_through`, with where it is.
    pub facts_through: Option<(i32, Span)>,
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
    /// `[report] question`: the scenario that asks the title's question.
    pub question: Option<Name>,
    /// `[[correlations]]` blocks in file order.
    pub correlations: Vec<RawCorrelation>,
}
