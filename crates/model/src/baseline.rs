//! Fair comparisons between scenarios (contract 1.1, section 2): each
//! scenario's divergence, its matched baseline `S~baseline`, and the
//! confounders that make a comparison with the reference unfair.
//!
//! - The **divergence** of a scenario S: the entries of S's `do` whose value
//!   differs from the node's fact or, for a node without a fact, from the
//!   value the reference scenario fixes it to (or that the reference does not
//!   fix at all).
//! - The **matched baseline** B(S): S's fixings (its `do` and its `set`) with
//!   each divergence node set back to its fact, or to the reference's value,
//!   or left free where neither exists. S and B(S) differ by the divergence
//!   alone, so their paired difference is the divergence's effect.
//! - The **confounders** of S against the reference R: the nodes that
//!   exactly one of S and R fixes (or both fix to different values), other
//!   than S's divergence nodes and their descendants in the graph. A node
//!   downstream of the divergence is part of its effect, never a confounder.
//!
//! Pure functions of the [`Model`]: no IO, no randomness.

use crate::ir::{Model, Node, NodeId, Ref, Scenario, ScenarioId, Value};

/// The suffix of a matched baseline's name: `brest_1918~baseline`. A model's
/// own names match `[a-z][a-z0-9_]*`, so `~` never clashes with one.
pub const BASELINE_SUFFIX: &str = "~baseline";

/// Whether a scenario name is that of an added matched baseline.
pub fn is_baseline_name(name: &str) -> bool {
    name.contains('~')
}

/// A node's real value (`fact`), when the model gives one; where it does
/// not, the reference scenario's fixed value stands in, as the contract says.
pub fn fact(node: &Node) -> Option<Value> {
    node.fact
}

/// What a node is set back to when it is not diverged: its fact first, then
/// the reference's value; `None` leaves it free.
fn undiverged_value(model: &Model, node: NodeId) -> Option<Value> {
    fact(&model.nodes[node]).or_else(|| fixed_value(model.scenarios.first()?, node))
}

/// The value `scenario` fixes `node` to with `do`, if it does.
pub fn fixed_value(scenario: &Scenario, node: NodeId) -> Option<Value> {
    scenario
        .interventions
        .iter()
        .find(|(n, _)| *n == node)
        .map(|(_, v)| *v)
}

/// The divergence nodes of scenario `scenario`, in node order. Empty for the
/// reference scenario (scenario 0) and for a scenario that only repeats
/// what is known.
pub fn divergence(model: &Model, scenario: ScenarioId) -> Vec<NodeId> {
    if scenario == 0 {
        return Vec::new();
    }
    model.scenarios[scenario]
        .interventions
        .iter()
        .filter(|&&(node, value)| undiverged_value(model, node) != Some(value))
        .map(|&(node, _)| node)
        .collect()
}

/// `descendant[n]`: whether node `n` is one of `from` or lies downstream of
/// one of them in the model's graph (before any `do` cut).
pub fn downstream(model: &Model, from: &[NodeId]) -> Vec<bool> {
    let mut reached = vec![false; model.nodes.len()];
    for &node in from {
        reached[node] = true;
    }
    // Nodes are in topological order: every parent comes before its child.
    for node in 0..model.nodes.len() {
        if !reached[node] {
            reached[node] = model.nodes[node]
                .parents
                .iter()
                .any(|p| matches!(p, Ref::Node(parent) if reached[*parent]));
        }
    }
    reached
}

/// The confounders of `scenario` against the reference (scenario 0), in
/// node order: nodes fixed by exactly one of the two, or by both to
/// different values, that are neither divergence nodes nor downstream of
/// them. Empty for the reference itself.
pub fn confounders(model: &Model, scenario: ScenarioId) -> Vec<NodeId> {
    confounders_against(model, scenario, 0)
}

/// The confounders of `scenario` against scenario `other` (a run that
/// leaves out the reference compares with its first scenario instead).
pub fn confounders_against(model: &Model, scenario: ScenarioId, other: ScenarioId) -> Vec<NodeId> {
    if scenario == other || scenario >= model.scenarios.len() || other >= model.scenarios.len() {
        return Vec::new();
    }
    let here = &model.scenarios[scenario];
    let reference = &model.scenarios[other];
    let downstream = downstream(model, &divergence(model, scenario));
    (0..model.nodes.len())
        .filter(|&node| !downstream[node])
        .filter(|&node| fixed_value(here, node) != fixed_value(reference, node))
        .collect()
}

/// The matched baseline's fixings for `scenario`: its `do` with each
/// divergence node set back (or dropped where it has no undiverged value),
/// and its `set` unchanged. `None` when the scenario has no divergence.
pub fn baseline_of(model: &Model, scenario: ScenarioId) -> Option<Scenario> {
    let diverged = divergence(model, scenario);
    if diverged.is_empty() {
        return None;
    }
    let source = &model.scenarios[scenario];
    let interventions = source
        .interventions
        .iter()
        .filter_map(|&(node, value)| {
            if diverged.contains(&node) {
                undiverged_value(model, node).map(|v| (node, v))
            } else {
                Some((node, value))
            }
        })
        .collect();
    Some(Scenario {
        name: format!("{}{BASELINE_SUFFIX}", source.name),
        doc: Some(format!(
            "Matched baseline of {}: its fixings without its divergence.",
            source.name
        )),
        // Charts show a baseline beside its scenario: name it after the
        // scenario's `baseline_label`, else its label.
        label: (source.baseline_label.as_ref())
            .or(source.label.as_ref())
            .map(|label| format!("{label} (matched baseline)")),
        baseline_label: None,
        interventions,
        settings: source.settings.clone(),
        facts_through: None,
        span: source.span,
    })
}

/// Whether two scenarios fix the same nodes and params to the same values.
pub fn same_fixings(a: &Scenario, b: &Scenario) -> bool {
    a.interventions == b.interventions && a.settings == b.settings
}

/// One scenario paired with its matched baseline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Matched {
    /// The scenario.
    pub scenario: ScenarioId,
    /// Its matched baseline: an existing scenario of the run with the same
    /// fixings, or one added as `S~baseline`.
    pub baseline: ScenarioId,
}

/// Adds to `model` the matched baselines of the scenarios in `chosen` that
/// have a divergence, and returns the pairs. A baseline whose fixings equal
/// those of a scenario in `chosen` is that scenario; otherwise it is
/// appended to `model.scenarios` as `S~baseline` (once, however many
/// scenarios share it) and its id pushed to `chosen`, so that the engine runs
/// it in the same pass, with common random numbers.
pub fn add_baselines(model: &mut Model, chosen: &mut Vec<ScenarioId>) -> Vec<Matched> {
    let mut pairs = Vec::new();
    let wanted: Vec<ScenarioId> = chosen.clone();
    for scenario in wanted {
        let Some(fixings) = baseline_of(model, scenario) else {
            continue;
        };
        let existing = chosen
            .iter()
            .copied()
            .find(|&id| same_fixings(&model.scenarios[id], &fixings));
        let baseline = match existing {
            Some(id) => id,
            None => {
                model.scenarios.push(fixings);
                let id = model.scenarios.len() - 1;
                chosen.push(id);
                id
            }
        };
        pairs.push(Matched { scenario, baseline });
    }
    pairs
}

/// The matched baseline of each diverging scenario among `run` (the
/// scenarios of a run, baselines included, in run order), as
/// [`add_baselines`] chose it: the first scenario of `run` with the
/// baseline's fixings. Scenarios whose baseline `run` lacks are left out.
pub fn matched_pairs(model: &Model, run: &[ScenarioId]) -> Vec<Matched> {
    run.iter()
        .filter(|&&id| !is_baseline_name(&model.scenarios[id].name))
        .filter_map(|&scenario| {
            let fixings = baseline_of(model, scenario)?;
            let baseline = run
                .iter()
                .copied()
                .find(|&id| same_fixings(&model.scenarios[id], &fixings))?;
            Some(Matched { scenario, baseline })
        })
        .collect()
}

/// A copy of `model` without the matched baselines [`add_baselines`]
/// appended: the model as its file defines it, with the same scenario ids.
pub fn without_baselines(model: &Model) -> Model {
    let mut shown = model.clone();
    shown.scenarios.retain(|s| !is_baseline_name(&s.name));
    shown
}

#[cfg(test)]
mod tests {
    use super::*;

    const MODEL: &str = r#"
[model]
name = "m"
title = "t"
[params.p]
dist = "uniform"
low = 0.1
high = 0.9
[nodes.early]
p = "p"
[nodes.other]
p = "0.5"
[nodes.late]
p = "if(early, 0.9, 0.1)"
[nodes.last]
p = "if(late and other, 0.8, 0.2)"
[outcomes.won]
when = "last"
[scenarios.history]
do = { early = false, other = true }
[scenarios.turn]
do = { early = true }
[scenarios.turn_matched]
do = { early = true, other = true }
[scenarios.fixed_late]
do = { early = false, other = true, late = true }
[scenarios.same]
do = { early = false, other = true }
"#;

    fn model() -> Model {
        crate::load("m.toml", MODEL).expect("the model loads").model
    }

    fn names(model: &Model, nodes: &[NodeId]) -> Vec<String> {
        nodes.iter().map(|&n| model.nodes[n].name.clone()).collect()
    }

    fn id(model: &Model, name: &str) -> ScenarioId {
        model.scenario_id(name).expect("a scenario")
    }

    #[test]
    fn the_divergence_is_what_differs_from_the_reference() {
        let m = model();
        assert!(divergence(&m, 0).is_empty());
        assert_eq!(names(&m, &divergence(&m, id(&m, "turn"))), ["early"]);
        assert_eq!(names(&m, &divergence(&m, id(&m, "fixed_late"))), ["late"]);
        assert!(divergence(&m, id(&m, "same")).is_empty());
    }

    #[test]
    fn confounders_are_named_exactly_and_never_downstream() {
        let m = model();
        // `turn` leaves `other` free where history fixes it: a confounder.
        assert_eq!(names(&m, &confounders(&m, id(&m, "turn"))), ["other"]);
        assert!(confounders(&m, id(&m, "turn_matched")).is_empty());
        assert!(confounders(&m, id(&m, "same")).is_empty());
        // A scenario that diverges at `late`: `last` is downstream, never named.
        let mut m = model();
        m.scenarios[1].interventions = vec![(node(&m, "late"), Value::Boolean(true))];
        let found = names(&m, &confounders(&m, 1));
        assert_eq!(found, ["early", "other"]);
        m.scenarios[1].interventions = vec![
            (node(&m, "late"), Value::Boolean(true)),
            (node(&m, "last"), Value::Boolean(true)),
        ];
        assert_eq!(names(&m, &confounders(&m, 1)), ["early", "other"]);
    }

    fn node(m: &Model, name: &str) -> NodeId {
        m.nodes.iter().position(|n| n.name == name).expect("a node")
    }

    #[test]
    fn downstream_follows_the_arrows_only() {
        let m = model();
        let reached = downstream(&m, &[node(&m, "early")]);
        let got: Vec<&str> = (0..m.nodes.len())
            .filter(|&n| reached[n])
            .map(|n| m.nodes[n].name.as_str())
            .collect();
        assert_eq!(got, ["early", "late", "last"]);
    }

    #[test]
    fn baselines_are_reused_or_added_once() {
        let mut m = model();
        let mut chosen: Vec<ScenarioId> = (0..m.scenarios.len()).collect();
        let before = m.scenarios.len();
        let pairs = add_baselines(&mut m, &mut chosen);
        // turn: its baseline leaves `early` at history's false, `other` free.
        // turn_matched's baseline is history itself; fixed_late's too.
        let shown: Vec<(String, String)> = pairs
            .iter()
            .map(|p| {
                (
                    m.scenarios[p.scenario].name.clone(),
                    m.scenarios[p.baseline].name.clone(),
                )
            })
            .collect();
        assert_eq!(
            shown,
            [
                ("turn".to_string(), "turn~baseline".to_string()),
                ("turn_matched".into(), "history".into()),
                ("fixed_late".into(), "history".into()),
            ]
        );
        assert_eq!(matched_pairs(&m, &chosen), pairs);
        assert_eq!(without_baselines(&m).scenarios.len(), before);
        assert_eq!(m.scenarios.len(), before + 1);
        assert_eq!(chosen.len(), before + 1);
        let added = &m.scenarios[before];
        assert_eq!(
            added.interventions,
            vec![(node(&m, "early"), Value::Boolean(false))]
        );
        assert!(is_baseline_name(&added.name));
    }

    #[test]
    fn a_model_whose_scenarios_do_not_diverge_gets_no_baseline() {
        let mut m = model();
        m.scenarios
            .retain(|s| s.name == "history" || s.name == "same");
        let mut chosen = vec![0, 1];
        assert!(add_baselines(&mut m, &mut chosen).is_empty());
        assert_eq!(chosen, [0, 1]);
        assert_eq!(m.scenarios.len(), 2);
    }
}
