//! Whether a claim's event is decided by the model's expressions: under a
//! scenario's `do` and the claim's `given`, does the event take the same
//! value in every possible world? Used for the `by_construction` flag
//! (docs/claims.md, "Flags").
//!
//! No parameter value is looked at. Each node gets the set of values it can
//! take ([`Abs`]): a boolean or categorical node the states its expressions
//! leave possible (a probability or weight that is a constant 0 rules its
//! state out; one that depends on a parameter or on chance rules nothing
//! out), a number its constant or "any". The `given` is applied by splitting
//! on the discrete nodes it depends on, nearest first, while their joint
//! values number at most [`MAX_CASES`]: each node is set in turn to each of
//! the values its parents still allow, so a case no world can reach is never
//! visited. In each case the event and the `given` are evaluated jointly over
//! the values of the nodes they name. The answer is sound: "decided" is only
//! returned when every world where the `given` can hold gives the event one
//! and the same value.

use std::collections::BTreeSet;

use uchronia_model::{
    BinaryOp, Expr, Function, Model, NodeId, NodeKind, OutcomeKind, Probs, Ref, ScenarioId, UnaryOp,
};

use crate::ancestry::{expr_ancestry_in_scenario, scenario_cuts};

/// At most this many joint values are enumerated (splits, and the names an
/// expression reads); beyond it the analysis stays conservative.
pub const MAX_CASES: usize = 4096;

/// At most this many joint values of the names the event and `given` read
/// are enumerated in each case.
const MAX_READS: usize = 256;

/// At most this many values are tracked in one set; more become "any".
const MAX_VALUES: usize = 64;

/// The values something can take: a small set of run-time values (booleans
/// 0/1, state ids, numbers), or any value at all.
#[derive(Clone, Debug, PartialEq)]
pub enum Abs {
    /// Any value.
    Any,
    /// One of these values (sorted, distinct, finite).
    Set(Vec<f64>),
}

impl Abs {
    /// The set of `values` (any when too many, or when one is not finite).
    fn of(mut values: Vec<f64>) -> Abs {
        if values.iter().any(|v| !v.is_finite()) {
            return Abs::Any;
        }
        values.sort_by(f64::total_cmp);
        values.dedup();
        if values.len() > MAX_VALUES {
            Abs::Any
        } else {
            Abs::Set(values)
        }
    }

    /// The single value, when there is exactly one.
    fn single(&self) -> Option<f64> {
        match self {
            Abs::Set(v) if v.len() == 1 => Some(v[0]),
            _ => None,
        }
    }

    /// Both truth values.
    fn either() -> Abs {
        Abs::Set(vec![0.0, 1.0])
    }

    /// The union of two sets.
    fn union(&self, other: &Abs) -> Abs {
        match (self, other) {
            (Abs::Set(a), Abs::Set(b)) => Abs::of(a.iter().chain(b).copied().collect()),
            _ => Abs::Any,
        }
    }

    /// Whether the value can be true (non-zero) / false (zero).
    fn can_be(&self, truth: bool) -> bool {
        match self {
            Abs::Any => true,
            Abs::Set(v) => v.iter().any(|&x| (x != 0.0) == truth),
        }
    }
}

/// The value `event` takes in every world of `scenario` where `given`
/// holds, when it is the same in all of them; `None` when chance or a
/// parameter can change it, when the analysis cannot tell, or when no world
/// satisfies `given`.
pub fn decided_value(
    model: &Model,
    event: &Expr,
    given: Option<&Expr>,
    scenario: ScenarioId,
) -> Option<f64> {
    let cuts = scenario_cuts(model, scenario);
    let mut relevant = BTreeSet::new();
    for expr in std::iter::once(event).chain(given) {
        let found = expr_ancestry_in_scenario(model, expr, scenario);
        relevant.extend(found.nodes.iter().map(|&(n, _)| n));
    }
    let splits = given.map_or_else(Vec::new, |g| split_nodes(model, g, scenario, &cuts));
    let mut walk = Walk {
        model,
        scenario,
        event,
        given,
        order: relevant.into_iter().collect(),
        splits,
        found: None,
        mixed: false,
    };
    let mut env = vec![Abs::Any; model.nodes.len()];
    walk.visit(0, &mut env);
    if walk.mixed { None } else { walk.found }
}

/// The discrete nodes `given` depends on in `scenario` (not set by `do`),
/// nearest first, while the product of their numbers of values stays within
/// [`MAX_CASES`].
fn split_nodes(model: &Model, given: &Expr, scenario: ScenarioId, cuts: &[NodeId]) -> Vec<NodeId> {
    let mut splits = Vec::new();
    let mut cases = 1usize;
    for &(node, _) in &expr_ancestry_in_scenario(model, given, scenario).nodes {
        if cuts.contains(&node) {
            continue;
        }
        let size = match &model.nodes[node].kind {
            NodeKind::Boolean { .. } => 2,
            NodeKind::Categorical { states, .. } => states.len(),
            NodeKind::Derived { value }
                if model.expr_type(value) != uchronia_model::Type::Number =>
            {
                2
            }
            _ => continue,
        };
        match cases.checked_mul(size) {
            Some(c) if c <= MAX_CASES => {
                cases = c;
                splits.push(node);
            }
            _ => break,
        }
    }
    splits
}

/// A depth-first walk over the cases.
struct Walk<'a> {
    model: &'a Model,
    scenario: ScenarioId,
    event: &'a Expr,
    given: Option<&'a Expr>,
    /// The nodes the event and `given` depend on, in topological order.
    order: Vec<NodeId>,
    /// The nodes split on.
    splits: Vec<NodeId>,
    /// The event's value in the cases seen so far.
    found: Option<f64>,
    /// Whether two cases disagree (or one is not decided).
    mixed: bool,
}

impl Walk<'_> {
    /// Sets the nodes from `order[i]` on, splitting where asked.
    fn visit(&mut self, i: usize, env: &mut Vec<Abs>) {
        if self.mixed {
            return;
        }
        let Some(&node) = self.order.get(i) else {
            self.leaf(env);
            return;
        };
        let values = node_values(self.model, self.scenario, node, env);
        match (&values, self.splits.contains(&node)) {
            (Abs::Set(vs), true) if vs.len() > 1 => {
                for &v in vs {
                    env[node] = Abs::Set(vec![v]);
                    self.visit(i + 1, env);
                }
            }
            _ => {
                env[node] = values;
                self.visit(i + 1, env);
            }
        }
    }

    /// One case: the event's values where the `given` can hold.
    fn leaf(&mut self, env: &[Abs]) {
        let mut names = Vec::new();
        for expr in std::iter::once(self.event).chain(self.given) {
            node_reads(self.model, expr, &mut names);
        }
        names.sort_unstable();
        names.dedup();
        // Enumerate the joint values of the names read, within the cap.
        let mut combos: Vec<Vec<Abs>> = vec![env.to_vec()];
        for &n in &names {
            let Abs::Set(vs) = &env[n] else { continue };
            if vs.len() < 2 || combos.len() * vs.len() > MAX_READS {
                continue;
            }
            combos = combos
                .into_iter()
                .flat_map(|c| {
                    vs.iter().map(move |&v| {
                        let mut c = c.clone();
                        c[n] = Abs::Set(vec![v]);
                        c
                    })
                })
                .collect();
        }
        for combo in combos {
            if let Some(given) = self.given
                && !eval(self.model, given, &combo).can_be(true)
            {
                continue;
            }
            match (eval(self.model, self.event, &combo).single(), self.found) {
                (Some(v), None) => self.found = Some(v),
                (Some(v), Some(f)) if v == f => {}
                _ => {
                    self.mixed = true;
                    return;
                }
            }
        }
    }
}

/// The nodes `expr` reads directly or through the outcomes it names.
fn node_reads(model: &Model, expr: &Expr, out: &mut Vec<NodeId>) {
    match expr {
        Expr::Number(_) | Expr::Boolean(_) | Expr::State(_) | Expr::Ref(Ref::Param(_)) => {}
        Expr::Ref(Ref::Node(n)) => out.push(*n),
        Expr::Ref(Ref::Outcome(o)) => {
            if let OutcomeKind::Boolean { when, given: None } = &model.outcomes[*o].kind {
                node_reads(model, when, out);
            }
        }
        Expr::Unary(_, a) => node_reads(model, a, out),
        Expr::Binary(_, a, b) => {
            node_reads(model, a, out);
            node_reads(model, b, out);
        }
        Expr::If(c, a, b) => {
            node_reads(model, c, out);
            node_reads(model, a, out);
            node_reads(model, b, out);
        }
        Expr::Call(_, args) => args.iter().for_each(|a| node_reads(model, a, out)),
    }
}

/// The values `node` can take in `scenario` given its parents' in `env`.
fn node_values(model: &Model, scenario: ScenarioId, node: NodeId, env: &[Abs]) -> Abs {
    let fixed = uchronia_model::baseline::fixed_value(&model.scenarios[scenario], node);
    if let Some(value) = fixed {
        return Abs::of(vec![value.as_f64()]);
    }
    match &model.nodes[node].kind {
        NodeKind::Boolean { p } => {
            let p = eval(model, p, env);
            let mut values = Vec::new();
            // A draw u in [0, 1) is true when u < p.
            if p.can_be_above(0.0) {
                values.push(1.0);
            }
            if p.can_be_below(1.0) {
                values.push(0.0);
            }
            Abs::of(values)
        }
        NodeKind::Categorical { states, table } => {
            let mut possible = vec![false; states.len()];
            for row in table {
                let when = row
                    .when
                    .as_ref()
                    .map_or(Abs::Set(vec![1.0]), |w| eval(model, w, env));
                if !when.can_be(true) {
                    continue;
                }
                row_states(model, &row.probs, env, &mut possible);
                if !when.can_be(false) {
                    break;
                }
            }
            Abs::of(
                states
                    .iter()
                    .zip(possible)
                    .filter(|(_, p)| *p)
                    .map(|(s, _)| s.value())
                    .collect(),
            )
        }
        NodeKind::Numeric { .. } => Abs::Any,
        NodeKind::Derived { value } => eval(model, value, env),
    }
}

/// Marks the states a row can give: those whose probability or weight is
/// not a constant 0.
fn row_states(model: &Model, probs: &Probs, env: &[Abs], possible: &mut [bool]) {
    match probs {
        Probs::P(ps) => {
            let mut sum = Some(0.0);
            for (i, p) in ps.iter().enumerate() {
                let Some(p) = p else { continue };
                let p = eval(model, p, env);
                possible[i] |= p.can_be_above(0.0);
                sum = sum.zip(p.single()).map(|(s, x)| s + x);
            }
            // The remainder state is ruled out only when the others are
            // constants that leave nothing.
            if let Some(rest) = ps.iter().position(Option::is_none) {
                possible[rest] |= sum.is_none_or(|s| 1.0 - s > 0.0);
            }
        }
        Probs::Weights(ws) => {
            for (i, w) in ws.iter().enumerate() {
                possible[i] |= eval(model, w, env).can_be_above(0.0);
            }
        }
    }
}

impl Abs {
    /// Whether a value can exceed `x`.
    fn can_be_above(&self, x: f64) -> bool {
        match self {
            Abs::Any => true,
            Abs::Set(v) => v.iter().any(|&y| y > x),
        }
    }

    /// Whether a value can be under `x`.
    fn can_be_below(&self, x: f64) -> bool {
        match self {
            Abs::Any => true,
            Abs::Set(v) => v.iter().any(|&y| y < x),
        }
    }
}

/// The values `expr` can take when each node has a value in `env`, with the
/// engine's semantics (`and`, `or` and `if` are lazy; truth is non-zero).
pub fn eval(model: &Model, expr: &Expr, env: &[Abs]) -> Abs {
    match expr {
        Expr::Number(x) => Abs::of(vec![*x]),
        Expr::Boolean(b) => Abs::of(vec![f64::from(u8::from(*b))]),
        Expr::State(s) => Abs::of(vec![s.value()]),
        Expr::Ref(Ref::Param(_)) => Abs::Any,
        Expr::Ref(Ref::Node(n)) => env[*n].clone(),
        Expr::Ref(Ref::Outcome(o)) => match &model.outcomes[*o].kind {
            OutcomeKind::Boolean { when, given: None } => eval(model, when, env),
            OutcomeKind::Boolean { .. } => Abs::either(),
            OutcomeKind::Numeric { .. } => Abs::Any,
        },
        Expr::Unary(UnaryOp::Not, a) => match eval(model, a, env) {
            Abs::Any => Abs::either(),
            Abs::Set(v) => Abs::of(v.iter().map(|&x| truth(x == 0.0)).collect()),
        },
        Expr::Unary(UnaryOp::Neg, a) => map(&eval(model, a, env), |x| -x),
        Expr::Binary(BinaryOp::And, a, b) => lazy(model, a, b, env, false),
        Expr::Binary(BinaryOp::Or, a, b) => lazy(model, a, b, env, true),
        Expr::Binary(op, a, b) => {
            let (a, b) = (eval(model, a, env), eval(model, b, env));
            let compare = !matches!(
                op,
                BinaryOp::Add | BinaryOp::Sub | BinaryOp::Mul | BinaryOp::Div | BinaryOp::Pow
            );
            match (a, b) {
                (Abs::Set(a), Abs::Set(b)) => Abs::of(
                    a.iter()
                        .flat_map(|&x| b.iter().map(move |&y| binary(*op, x, y)))
                        .collect(),
                ),
                _ if compare => Abs::either(),
                _ => Abs::Any,
            }
        }
        Expr::If(c, a, b) => {
            let c = eval(model, c, env);
            match (c.can_be(true), c.can_be(false)) {
                (true, false) => eval(model, a, env),
                (false, true) => eval(model, b, env),
                _ => eval(model, a, env).union(&eval(model, b, env)),
            }
        }
        Expr::Call(Function::Min | Function::Max, args) => {
            let max = matches!(expr, Expr::Call(Function::Max, _));
            let mut acc: Option<Abs> = None;
            for arg in args {
                let v = eval(model, arg, env);
                acc = Some(match (acc, v) {
                    (None, v) => v,
                    (Some(Abs::Set(a)), Abs::Set(b)) => Abs::of(
                        a.iter()
                            .flat_map(|&x| {
                                b.iter()
                                    .map(move |&y| if max { x.max(y) } else { x.min(y) })
                            })
                            .collect(),
                    ),
                    _ => Abs::Any,
                });
            }
            acc.unwrap_or(Abs::Any)
        }
        Expr::Call(_, _) => Abs::Any,
    }
}

/// `a and b` (`or_` false) or `a or b` (`or_` true), lazily as the engine
/// does: `and` gives 0 or `b`'s value, `or` gives 1 or `b`'s value.
fn lazy(model: &Model, a: &Expr, b: &Expr, env: &[Abs], or_: bool) -> Abs {
    let a = eval(model, a, env);
    let short = Abs::Set(vec![truth(or_)]);
    match (a.can_be(or_), a.can_be(!or_)) {
        (true, false) => short,
        (false, _) => eval(model, b, env),
        (true, true) => short.union(&eval(model, b, env)),
    }
}

/// `f` applied to each value.
fn map(a: &Abs, f: impl Fn(f64) -> f64) -> Abs {
    match a {
        Abs::Any => Abs::Any,
        Abs::Set(v) => Abs::of(v.iter().map(|&x| f(x)).collect()),
    }
}

/// 1 for true, 0 for false.
fn truth(b: bool) -> f64 {
    f64::from(u8::from(b))
}

/// A binary operator other than `and` and `or` on two values.
fn binary(op: BinaryOp, x: f64, y: f64) -> f64 {
    match op {
        BinaryOp::Add => x + y,
        BinaryOp::Sub => x - y,
        BinaryOp::Mul => x * y,
        BinaryOp::Div => x / y,
        BinaryOp::Pow => x.powf(y),
        BinaryOp::Eq => truth(x == y),
        BinaryOp::Ne => truth(x != y),
        BinaryOp::Lt => truth(x < y),
        BinaryOp::Le => truth(x <= y),
        BinaryOp::Gt => truth(x > y),
        BinaryOp::Ge => truth(x >= y),
        BinaryOp::And => truth(x != 0.0 && y != 0.0),
        BinaryOp::Or => truth(x != 0.0 || y != 0.0),
    }
}

#[cfg(test)]
#[path = "decided_tests.rs"]
mod tests;
