//! What an outcome depends on: its ancestors in the event graph, each with
//! its graph distance (the number of arrows on the shortest path to the
//! outcome). `uchronia check --explain` lists them, parameters ordered by
//! their measured influence, nodes by distance. In a scenario, a node set by
//! `do` keeps its place but its parents are cut.

use std::collections::VecDeque;

use uchronia_model::{Expr, Model, NodeId, OutcomeId, OutcomeKind, ParamId, Ref, ScenarioId};

/// The ancestors of one outcome, each with its graph distance, sorted by
/// distance then id.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Ancestry {
    /// Nodes the outcome depends on.
    pub nodes: Vec<(NodeId, u32)>,
    /// Parameters the outcome depends on.
    pub params: Vec<(ParamId, u32)>,
    /// Other outcomes its expressions name.
    pub outcomes: Vec<(OutcomeId, u32)>,
}

/// The ancestors of `outcome`: the names in its expressions are at distance
/// 1, their parents at 2, and so on (breadth first, so each gets its
/// shortest distance).
pub fn ancestry(model: &Model, outcome: OutcomeId) -> Ancestry {
    ancestry_with_cuts(model, outcome, &[])
}

/// The ancestors of `outcome` in scenario `scenario`: a node the scenario
/// sets with `do` is still listed, but its parents are cut (its expressions
/// are not evaluated), so what reaches the outcome only through it is not.
pub fn ancestry_in_scenario(model: &Model, outcome: OutcomeId, scenario: ScenarioId) -> Ancestry {
    ancestry_with_cuts(model, outcome, &scenario_cuts(model, scenario))
}

/// The ancestors of the names `expr` refers to (each at distance 1) in
/// scenario `scenario`, with the cuts of its `do`: what a claim's event (or
/// its `given`) depends on there.
pub fn expr_ancestry_in_scenario(model: &Model, expr: &Expr, scenario: ScenarioId) -> Ancestry {
    let mut refs = Vec::new();
    expr_refs(expr, &mut refs);
    search(model, &refs, None, &scenario_cuts(model, scenario))
}

/// The nodes scenario `scenario` sets with `do`.
pub fn scenario_cuts(model: &Model, scenario: ScenarioId) -> Vec<NodeId> {
    model.scenarios[scenario]
        .interventions
        .iter()
        .map(|&(node, _)| node)
        .collect()
}

/// Breadth-first search up the graph, not expanding the nodes in `cut`.
fn ancestry_with_cuts(model: &Model, outcome: OutcomeId, cut: &[NodeId]) -> Ancestry {
    search(model, &outcome_refs(model, outcome), Some(outcome), cut)
}

/// Breadth-first search up the graph from `start` (each at distance 1),
/// not expanding the nodes in `cut`; `itself` is left out of the result.
fn search(model: &Model, start: &[Ref], itself: Option<OutcomeId>, cut: &[NodeId]) -> Ancestry {
    let mut node_distance: Vec<Option<u32>> = vec![None; model.nodes.len()];
    let mut param_distance: Vec<Option<u32>> = vec![None; model.params.len()];
    let mut outcome_distance: Vec<Option<u32>> = vec![None; model.outcomes.len()];
    if let Some(outcome) = itself {
        outcome_distance[outcome] = Some(0);
    }
    let mut queue: VecDeque<(Ref, u32)> = VecDeque::new();
    for &place in start {
        let slot = match place {
            Ref::Param(p) => &mut param_distance[p],
            Ref::Node(n) => &mut node_distance[n],
            Ref::Outcome(o) => &mut outcome_distance[o],
        };
        if slot.is_none() {
            *slot = Some(1);
            queue.push_back((place, 1));
        }
    }
    while let Some((place, distance)) = queue.pop_front() {
        let parents = match place {
            Ref::Param(_) => continue,
            Ref::Node(node) if cut.contains(&node) => continue,
            Ref::Node(node) => model.nodes[node].parents.clone(),
            Ref::Outcome(o) => outcome_refs(model, o),
        };
        for parent in parents {
            let slot = match parent {
                Ref::Param(p) => &mut param_distance[p],
                Ref::Node(n) => &mut node_distance[n],
                Ref::Outcome(o) => &mut outcome_distance[o],
            };
            if slot.is_none() {
                *slot = Some(distance + 1);
                queue.push_back((parent, distance + 1));
            }
        }
    }
    if let Some(outcome) = itself {
        outcome_distance[outcome] = None;
    }
    Ancestry {
        nodes: sorted(&node_distance),
        params: sorted(&param_distance),
        outcomes: sorted(&outcome_distance),
    }
}

/// `(id, distance)` for every reached entry, by distance then id.
fn sorted(distances: &[Option<u32>]) -> Vec<(usize, u32)> {
    let mut reached: Vec<(usize, u32)> = distances
        .iter()
        .enumerate()
        .filter_map(|(id, d)| Some((id, (*d)?)))
        .collect();
    reached.sort_by_key(|&(id, d)| (d, id));
    reached
}

/// The names an outcome's expressions refer to, in order of mention.
fn outcome_refs(model: &Model, outcome: OutcomeId) -> Vec<Ref> {
    let mut refs = Vec::new();
    let (main, given) = match &model.outcomes[outcome].kind {
        OutcomeKind::Boolean { when, given } => (when, given),
        OutcomeKind::Numeric { value, given } => (value, given),
    };
    expr_refs(main, &mut refs);
    if let Some(given) = given {
        expr_refs(given, &mut refs);
    }
    refs
}

/// Appends the names `expr` refers to.
fn expr_refs(expr: &Expr, refs: &mut Vec<Ref>) {
    match expr {
        Expr::Number(_) | Expr::Boolean(_) | Expr::State(_) => {}
        Expr::Ref(r) => refs.push(*r),
        Expr::Unary(_, a) => expr_refs(a, refs),
        Expr::Binary(_, a, b) => {
            expr_refs(a, refs);
            expr_refs(b, refs);
        }
        Expr::If(c, a, b) => {
            expr_refs(c, refs);
            expr_refs(a, refs);
            expr_refs(b, refs);
        }
        Expr::Call(_, args) => args.iter().for_each(|a| expr_refs(a, refs)),
    }
}
