//! The validated model: the one data type that every later stage consumes.
//!
//! Everything here has already been checked: names are resolved to indices,
//! expressions are typed, the graph is acyclic and stored in topological
//! order, constant distribution arguments are in their domains. Later code
//! never re-validates; it may only meet run-time errors (a probability that an
//! expression computes outside [0, 1], say).
//!
//! At run time every value is an `f64`: numbers are themselves, booleans are
//! 0.0 or 1.0, and the value of a categorical node is the [`StateId`] of its
//! state. State names are interned model-wide, so comparing two categorical
//! nodes "by state name" is comparing two numbers.
//
use serde::{Deserialize, Serialize};
pub use uchronia_distributions::{Dist, DistKind, DomainError};

/// Index into [`Model::params`].
pub type ParamId = usize;
/// Index into [`Model::nodes`] (which are in topological order).
pub type NodeId = usize;
/// Index into [`Model::outcomes`] (which are in topological order).
pub type OutcomeId = usize;
/// Index into [`Model::scenarios`] (file order; 0 is the reference).
pub type ScenarioId = usize;

/// A state name, interned model-wide: index into [`Model::state_names`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct StateId(pub u32);

impl StateId {
    /// The run-time value of this state.
    pub fn value(self) -> f64 {
        f64::from(self.0)
    }
}

/// A byte range in the model's source text, for diagnostics.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

/// A validated model.
#[derive(Clone, Debug)]
pub struct Model {
    /// `[model] name`: names the report folder.
    pub name: String,
    /// `[model] title`.
    pub title: String,
    /// `[model] doc`.
    pub doc: Option<String>,
    /// Uncertain parameters, in file order.
    pub params: Vec<Param>,
    /// Nodes in topological order (parents first; ties keep file order).
    pub nodes: Vec<Node>,
    /// Outcomes in topological order (ties keep file order).
    pub outcomes: Vec<Outcome>,
    /// Scenarios in file order; the first is the reference.
    pub scenarios: Vec<Scenario>,
    /// Every state name of every categorical node, indexed by [`StateId`].
    pub state_names: Vec<String>,
    /// The optional `[report]` table, as documented in docs/model-format.md.
    pub report: ReportSettings,
    /// `[[correlations]]` blocks in file order (pairs of distinct params,
    /// each pair once; together a positive definite matrix).
    pub correlations: Vec<Correlation>,
    /// The params that draw from their `ex_ante` prior in this run (set by
    /// [`Model::use_ex_ante_priors`]; empty as loaded).
    pub ex_ante: Vec<ParamId>,
}

/// A `[[correlations]]` block: the target Spearman rank correlation of two
/// params across parameter draws.
#[derive(Clone, Debug, PartialEq)]
pub struct Correlation {
    /// The two params, as written.
    pub params: [ParamId; 2],
    /// The target, in (-1, 1).
    pub rank: f64,
    /// Where the block is.
    pub span: Span,
}

/// Settings from the optional `[report]` table.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ReportSettings {
    /// Outcomes shown first and charted as headlines (`headline = [...]`);
    /// empty means all boolean outcomes.
    pub headline: Vec<OutcomeId>,
    /// The scenario that asks the model's title question (`question =
    /// "..."`), by index into [`Model::scenarios`]; never the reference.
    pub question: Option<usize>,
}

/// An uncertain parameter: a root of the graph, drawn once per parameter draw.
#[derive(Clone, Debug)]
pub struct Param {
    /// Name.
    pub name: String,
    /// One-sentence description.
    pub doc: Option<String>,
    /// `label`: the name reports show (see [`Model::display_name`]).
    pub label: Option<String>,
    /// Keys of data/sources.toml.
    pub source: Vec<String>,
    /// `hindsight = "why"`: the number was set knowing what happened after
    /// the model's vantage point (kept, say, so that the reference matches
    /// the record); reports name such params beside what they move.
    pub hindsight: Option<String>,
    /// `ex_ante`: the prior without that hindsight, which `calibrate
    /// --ex-ante` uses in place of `dist` (only a `hindsight` param has one).
    pub ex_ante: Option<Dist>,
    /// `ex_ante_group`: the group of ex-ante priors this one belongs to,
    /// which `--ex-ante-group` applies without the others (only a param
    /// with `ex_ante` has one).
    pub ex_ante_group: Option<String>,
    /// Its distribution (ci90 forms already solved).
    pub dist: Dist,
    /// Where it is defined.
    pub span: Span,
}

/// A node of the event graph, drawn once per trial.
#[derive(Clone, Debug)]
pub struct Node {
    /// Name.
    pub name: String,
    /// One-sentence description.
    pub doc: Option<String>,
    /// `label`: the name reports show (see [`Model::display_name`]).
    pub label: Option<String>,
    /// Keys of data/sources.toml.
    pub source: Vec<String>,
    /// What the node is and how it is drawn.
    pub kind: NodeKind,
    /// The params and nodes its expressions name, in first-mention order.
    pub parents: Vec<Ref>,
    /// `year`: when the event is decided (contract 1.1, section 1).
    pub year: Option<Years>,
    /// `fact`: what really happened, already checked against the node's type.
    pub fact: Option<Value>,
    /// Where it is defined.
    pub span: Span,
}

/// When a node is decided: one year (`first == last`) or a span of years.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Years {
    /// The first year in which it may be decided.
    pub first: i32,
    /// The last year by which it is decided.
    pub last: i32,
}

impl std::fmt::Display for Years {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.first == self.last {
            write!(f, "{}", self.first)
        } else {
            write!(f, "{}-{}", self.first, self.last)
        }
    }
}

/// The four kinds of node.
#[derive(Clone, Debug)]
pub enum NodeKind {
    /// `p = EXPR`: true with probability EXPR.
    Boolean {
        /// The probability (a number).
        p: Expr,
    },
    /// `states = [...]`: one of its states. Plain `p.STATE` or `weights.STATE`
    /// forms are a table of one row without `when`.
    Categorical {
        /// The node's states, in file order.
        states: Vec<StateId>,
        /// Rows tried top to bottom; the last has no `when`.
        table: Vec<Row>,
    },
    /// `dist = "..."`: a draw, then optional clamps and rounding.
    Numeric {
        /// The distribution and its argument expressions.
        dist: DistExpr,
        /// `lower = EXPR`: the draw is clamped from below.
        lower: Option<Expr>,
        /// `upper = EXPR`: the draw is clamped from above.
        upper: Option<Expr>,
        /// `round = true`: round to the nearest integer, halves away from zero.
        round: bool,
    },
    /// `value = EXPR`: no randomness. The expression's type is the node's type.
    Derived {
        /// The value (a number or a boolean).
        value: Expr,
    },
}

/// One row of a categorical node's table.
#[derive(Clone, Debug)]
pub struct Row {
    /// `when = EXPR` (a boolean); `None` on the last row.
    pub when: Option<Expr>,
    /// How the row's probabilities are given.
    pub probs: Probs,
}

/// A row's probabilities, one entry per state of the node (same order as `states`).
#[derive(Clone, Debug)]
pub enum Probs {
    /// `p.STATE`: probabilities that sum to 1 within 1e-9; at most one state
    /// is `None` and takes the remainder `1 - sum` (which must be >= -1e-9).
    P(Vec<Option<Expr>>),
    /// `weights.STATE`: non-negative with a positive sum, normalised.
    Weights(Vec<Expr>),
}

/// A numeric node's distribution with expression arguments.
#[derive(Clone, Debug)]
pub enum DistExpr {
    /// Arguments in the order of `kind.keys()`.
    Args {
        /// The distribution.
        kind: DistKind,
        /// One expression per key.
        args: Vec<Expr>,
    },
    /// `ci90 = [EXPR, EXPR]` (beta, normal or lognormal only).
    Ci90 {
        /// The distribution.
        kind: DistKind,
        /// The 5% quantile.
        lo: Expr,
        /// The 95% quantile.
        hi: Expr,
    },
}

/// A boolean or numeric outcome.
#[derive(Clone, Debug)]
pub struct Outcome {
    /// Name.
    pub name: String,
    /// One-sentence description.
    pub doc: Option<String>,
    /// `label`: the name reports show (see [`Model::display_name`]).
    pub label: Option<String>,
    /// What is tallied.
    pub kind: OutcomeKind,
    /// Where it is defined (for claims compiled into outcomes, the claim's).
    pub span: Span,
    /// False for outcomes added by tools (claims) rather than the model file;
    /// those are tallied but not listed in outcomes.csv.
    pub listed: bool,
}

/// What an outcome tallies.
#[derive(Clone, Debug)]
pub enum OutcomeKind {
    /// `when = EXPR`: a probability. `given` is not allowed in model files but
    /// claims use it: the probability is then over the trials where it holds.
    Boolean {
        /// The event (a boolean).
        when: Expr,
        /// Only trials where this holds count.
        given: Option<Expr>,
    },
    /// `value = EXPR`: a distribution, optionally `given` a condition.
    Numeric {
        /// The value (a number).
        value: Expr,
        /// Only trials where this holds count.
        given: Option<Expr>,
    },
}

/// A point of divergence: `do` interventions and `set` parameter replacements.
#[derive(Clone, Debug)]
pub struct Scenario {
    /// Name.
    pub name: String,
    /// One-sentence description.
    pub doc: Option<String>,
    /// `label`: the name reports show (see [`Model::display_name`]).
    pub label: Option<String>,
    /// `baseline_label`: the name reports show for its matched baseline,
    /// followed by "(matched baseline)"; without it, its `label` is.
    pub baseline_label: Option<String>,
    /// `do = { node = value }`: the node takes the value and its own
    /// expressions are not evaluated. Sorted by node id.
    pub interventions: Vec<(NodeId, Value)>,
    /// `set = { param = number or { dist = ... } }`: a number is a `Dist::Fixed`.
    /// Sorted by param id.
    pub settings: Vec<(ParamId, Dist)>,
    /// `facts_through = Y`: the facts of every node whose last year is
    /// `<= Y`, already among `interventions` (where `do` did not override them).
    pub facts_through: Option<i32>,
    /// Where it is defined.
    pub span: Span,
}

/// A constant value of any type.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum Value {
    /// A number.
    Number(f64),
    /// A boolean.
    Boolean(bool),
    /// A state.
    State(StateId),
}

impl Value {
    /// The run-time representation.
    pub fn as_f64(self) -> f64 {
        match self {
            Value::Number(x) => x,
            Value::Boolean(b) => f64::from(u8::from(b)),
            Value::State(s) => s.value(),
        }
    }
}

/// The static type of an expression or node.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Type {
    /// A number.
    Number,
    /// A boolean.
    Boolean,
    /// A state of a categorical node.
    State,
}

/// What a name in an expression refers to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Ref {
    /// A parameter.
    Param(ParamId),
    /// A node.
    Node(NodeId),
    /// An outcome (only in outcomes and claims).
    Outcome(OutcomeId),
}

/// A typed expression with names resolved.
#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    /// A number literal.
    Number(f64),
    /// `true` or `false`.
    Boolean(bool),
    /// A state literal, already checked against the node it meets.
    State(StateId),
    /// A name.
    Ref(Ref),
    /// `-x` (number) or `not x` (boolean).
    Unary(UnaryOp, Box<Expr>),
    /// A binary operator.
    Binary(BinaryOp, Box<Expr>, Box<Expr>),
    /// `if(cond, a, b)`: only the taken branch is evaluated.
    If(Box<Expr>, Box<Expr>, Box<Expr>),
    /// A function call other than `if`.
    Call(Function, Vec<Expr>),
}

/// Unary operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnaryOp {
    /// Arithmetic negation.
    Neg,
    /// Boolean negation.
    Not,
}

/// Binary operators. `And` and `Or` evaluate the right operand only when it
/// decides the result. `Eq` and `Ne` compare run-time values (numbers,
/// booleans as 0/1, states as interned ids).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinaryOp {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
    /// `^` (right-associative)
    Pow,
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `and`
    And,
    /// `or`
    Or,
}

/// Built-in functions (other than `if`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Function {
    /// `min(a, b, ...)`, at least two arguments; NaN if any is NaN.
    Min,
    /// `max(a, b, ...)`, at least two arguments; NaN if any is NaN.
    Max,
    /// `clamp(x, lo, hi)`: lo > hi is a run-time error.
    Clamp,
    /// `logistic(x)` = 1 / (1 + e^-x).
    Logistic,
    /// `logit(p)` = ln(p / (1 - p)).
    Logit,
    /// `exp(x)`.
    Exp,
    /// `ln(x)`.
    Ln,
    /// `sqrt(x)`.
    Sqrt,
    /// `abs(x)`.
    Abs,
    /// `floor(x)`.
    Floor,
    /// `round(x)`, halves away from zero.
    Round,
}

impl Function {
    /// Every function, with its name in the language.
    pub const ALL: [(Function, &'static str); 11] = [
        (Function::Min, "min"),
        (Function::Max, "max"),
        (Function::Clamp, "clamp"),
        (Function::Logistic, "logistic"),
        (Function::Logit, "logit"),
        (Function::Exp, "exp"),
        (Function::Ln, "ln"),
        (Function::Sqrt, "sqrt"),
        (Function::Abs, "abs"),
        (Function::Floor, "floor"),
        (Function::Round, "round"),
    ];
}

impl Model {
    /// The type of a node's value.
    pub fn node_type(&self, node: NodeId) -> Type {
        match &self.nodes[node].kind {
            NodeKind::Boolean { .. } => Type::Boolean,
            NodeKind::Categorical { .. } => Type::State,
            NodeKind::Numeric { .. } => Type::Number,
            NodeKind::Derived { value } => self.expr_type(value),
        }
    }

    /// The static type of a (validated) expression.
    pub fn expr_type(&self, expr: &Expr) -> Type {
        match expr {
            Expr::Number(_) => Type::Number,
            Expr::Boolean(_) => Type::Boolean,
            Expr::State(_) => Type::State,
            Expr::Ref(Ref::Param(_)) => Type::Number,
            Expr::Ref(Ref::Node(node)) => self.node_type(*node),
            Expr::Ref(Ref::Outcome(outcome)) => match &self.outcomes[*outcome].kind {
                OutcomeKind::Boolean { .. } => Type::Boolean,
                OutcomeKind::Numeric { .. } => Type::Number,
            },
            Expr::Unary(UnaryOp::Neg, _) => Type::Number,
            Expr::Unary(UnaryOp::Not, _) => Type::Boolean,
            Expr::Binary(op, _, _) => match op {
                BinaryOp::Add | BinaryOp::Sub | BinaryOp::Mul | BinaryOp::Div | BinaryOp::Pow => {
                    Type::Number
                }
                _ => Type::Boolean,
            },
            Expr::If(_, then, _) => self.expr_type(then),
            Expr::Call(_, _) => Type::Number,
        }
    }

    /// The fixings of `facts_through = year`: every node with a fact and a
    /// last year `<= year`, with its fact, sorted by node id.
    pub fn facts_through(&self, year: i32) -> Vec<(NodeId, Value)> {
        self.nodes
            .iter()
            .enumerate()
            .filter_map(|(id, node)| match (node.year, node.fact) {
                (Some(years), Some(fact)) if years.last <= year => Some((id, fact)),
                _ => None,
            })
            .collect()
    }

    /// The years at which a fact becomes known (the last year of each node
    /// with a fact and a year), ascending and without repeats.
    pub fn fact_years(&self) -> Vec<i32> {
        let mut years: Vec<i32> = self
            .nodes
            .iter()
            .filter(|n| n.fact.is_some())
            .filter_map(|n| n.year.map(|y| y.last))
            .collect();
        years.sort_unstable();
        years.dedup();
        years
    }

    /// Gives every param that has an `ex_ante` prior that prior in place of
    /// its own (what `calibrate --ex-ante` scores), and returns their names;
    /// with `groups`, only the params whose `ex_ante_group` is one of them.
    /// Each param keeps its random stream, so the others draw as before.
    pub fn use_ex_ante_priors(&mut self, groups: &[String]) -> Vec<String> {
        let mut changed = Vec::new();
        for (id, param) in self.params.iter_mut().enumerate() {
            let chosen = groups.is_empty()
                || (param.ex_ante_group.as_ref()).is_some_and(|g| groups.contains(g));
            if !chosen {
                continue;
            }
            if let Some(prior) = param.ex_ante.take() {
                param.dist = prior;
                param.hindsight = None;
                changed.push(param.name.clone());
                self.ex_ante.push(id);
            }
        }
        changed
    }

    /// The names of the model's ex-ante groups, sorted, each once.
    pub fn ex_ante_groups(&self) -> Vec<&str> {
        let mut groups: Vec<&str> = (self.params.iter())
            .filter_map(|p| p.ex_ante_group.as_deref())
            .collect();
        groups.sort_unstable();
        groups.dedup();
        groups
    }

    /// Index of the scenario named `name`.
    pub fn scenario_id(&self, name: &str) -> Option<ScenarioId> {
        self.scenarios.iter().position(|s| s.name == name)
    }

    /// The name a [`Ref`] stands for.
    pub fn ref_name(&self, r: Ref) -> &str {
        match r {
            Ref::Param(i) => &self.params[i].name,
            Ref::Node(i) => &self.nodes[i].name,
            Ref::Outcome(i) => &self.outcomes[i].name,
        }
    }

    /// The parameters a node depends on, directly or through other nodes,
    /// sorted by id: run-time errors print their values.
    pub fn param_ancestors(&self, node: NodeId) -> Vec<ParamId> {
        let mut seen_nodes = vec![false; self.nodes.len()];
        let mut params = Vec::new();
        let mut stack = vec![node];
        while let Some(n) = stack.pop() {
            if std::mem::replace(&mut seen_nodes[n], true) {
                continue;
            }
            for parent in &self.nodes[n].parents {
                match *parent {
                    Ref::Param(p) => params.push(p),
                    Ref::Node(m) => stack.push(m),
                    Ref::Outcome(_) => {}
                }
            }
        }
        params.sort_unstable();
        params.dedup();
        params
    }
}
