//! What the graph says about a claim before any number is looked at: its
//! flags (docs/claims.md, "Flags") and the parameters that may drive it.
//!
//! - `by_construction`: the event is settled without chance and without any
//!   parameter. Two graph tests find it: every ancestor of the event in the
//!   scenario's graph (after its `do` cuts) is a node fixed by `do` or a
//!   `value` node, and no parameter is reached; or the `given` settles the
//!   event, because the event is the `given` itself or one of the
//!   conditions it joins with `and`. A comparative claim has it when its
//!   event is settled in both scenarios (the difference is then 0 by
//!   construction).
//! - `prior_only`: the event names parameters and nothing else.
//! - `no_path` (comparative claims): no node where the two scenarios' `do`
//!   differ, and no parameter where their `set` differs, is an ancestor of
//!   the event or the `given` in either scenario's graph.
//!
//! `few_draws` depends on the run and is added by [`crate::claims`].
//! Pure functions of the model and the claim.

use uchronia_claims::Claim;
use uchronia_model::baseline::fixed_value;
use uchronia_model::{BinaryOp, Expr, Model, NodeKind, OutcomeId, ParamId, ScenarioId};

use crate::ancestry::{Ancestry, ancestry_in_scenario, expr_ancestry_in_scenario, scenario_cuts};
use crate::findings::Flag;

/// The graph flags of `claim`, whose hidden outcome in `model` is
/// `outcome`, in the order `by_construction`, `prior_only`, `no_path`.
pub fn graph_flags(model: &Model, claim: &Claim, outcome: OutcomeId) -> Vec<Flag> {
    let mut flags = Vec::new();
    let scenarios = claim_scenarios(claim);
    let settled = scenarios
        .iter()
        .all(|&s| settled_in(model, &claim.event, claim.given.as_ref(), s));
    if settled {
        flags.push(Flag::ByConstruction);
    }
    let event = expr_ancestry_in_scenario(model, &claim.event, claim.scenario);
    if event.nodes.is_empty() && event.outcomes.is_empty() && !event.params.is_empty() {
        flags.push(Flag::PriorOnly);
    }
    if let Some((than, _)) = &claim.than
        && !has_path(model, outcome, claim.scenario, *than)
    {
        flags.push(Flag::NoPath);
    }
    flags
}

/// The scenario of the claim, and `than` for a comparative claim.
fn claim_scenarios(claim: &Claim) -> Vec<ScenarioId> {
    let mut scenarios = vec![claim.scenario];
    if let Some((than, _)) = &claim.than {
        scenarios.push(*than);
    }
    scenarios
}

/// `allowed[p]`: whether parameter `p` is an ancestor of the claim's event
/// or `given` in the graph of its scenario, or of `than` for a comparative
/// claim (after the cuts of each scenario's `do`).
pub fn ancestor_params(model: &Model, claim: &Claim, outcome: OutcomeId) -> Vec<bool> {
    let mut allowed = vec![false; model.params.len()];
    for scenario in claim_scenarios(claim) {
        for (param, _) in ancestry_in_scenario(model, outcome, scenario).params {
            allowed[param] = true;
        }
    }
    allowed
}

/// Whether `event` is settled in `scenario` without chance or parameters,
/// or by `given`.
fn settled_in(model: &Model, event: &Expr, given: Option<&Expr>, scenario: ScenarioId) -> bool {
    if given.is_some_and(|given| conjuncts(given).contains(&event)) {
        return true;
    }
    let found = expr_ancestry_in_scenario(model, event, scenario);
    deterministic(model, &found, &scenario_cuts(model, scenario))
}

/// Whether nothing in `found` draws: no parameter, and every node either
/// cut by `do` or a `value` node (whose own ancestors are in `found` too).
fn deterministic(model: &Model, found: &Ancestry, cut: &[usize]) -> bool {
    found.params.is_empty()
        && found.nodes.iter().all(|&(node, _)| {
            cut.contains(&node) || matches!(model.nodes[node].kind, NodeKind::Derived { .. })
        })
}

/// The conditions `expr` joins with `and` (itself when it joins none).
fn conjuncts(expr: &Expr) -> Vec<&Expr> {
    match expr {
        Expr::Binary(BinaryOp::And, a, b) => {
            let mut all = conjuncts(a);
            all.extend(conjuncts(b));
            all.push(expr);
            all
        }
        _ => vec![expr],
    }
}

/// Whether a node where `a` and `b` fix different values, or a parameter
/// they set differently, is an ancestor of `outcome` in either graph.
fn has_path(model: &Model, outcome: OutcomeId, a: ScenarioId, b: ScenarioId) -> bool {
    let (sa, sb) = (&model.scenarios[a], &model.scenarios[b]);
    let node_differs = |node: usize| fixed_value(sa, node) != fixed_value(sb, node);
    let setting = |s: &uchronia_model::Scenario, p: ParamId| {
        s.settings.iter().find(|(q, _)| *q == p).map(|(_, d)| *d)
    };
    let param_differs = |p: ParamId| setting(sa, p) != setting(sb, p);
    [a, b].iter().any(|&s| {
        let found = ancestry_in_scenario(model, outcome, s);
        found.nodes.iter().any(|&(n, _)| node_differs(n))
            || found.params.iter().any(|&(p, _)| param_differs(p))
    })
}
