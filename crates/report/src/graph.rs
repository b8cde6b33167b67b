//! A model's causal graph as Graphviz DOT text (`uchronia graph`).
//!
//! What is drawn, and how:
//!
//! | element | shape and colour |
//! |---|---|
//! | parameter | grey ellipse |
//! | boolean node | blue box |
//! | categorical node | yellow box with rounded corners |
//! | numeric node | green box |
//! | derived node | white dashed box (no randomness of its own) |
//! | boolean outcome | violet double octagon |
//! | numeric outcome | pale violet double octagon |
//! | node set by the scenario's `do` | red, bold, label `name = value`; its incoming edges dashed grey (cut) |
//! | parameter replaced by the scenario's `set` | red ellipse, label `name = value` |
//!
//! The graph is laid out top to bottom, which in a historical model is
//! roughly the order of time. When nodes have a `year`, it is a timeline:
//! each dated node shows its years, the years run down the side, and the
//! nodes of one (first) year share its rank (`rank=same`). Edges run from each node's parents (its `parents` in the model) and from
//! everything an outcome's expressions name. The text is deterministic: each
//! group of vertices is sorted by name, edges by their ends, so the same
//! model and options give the same bytes. Every string is quoted, with `"`
//! and `\` escaped, so any name or doc is safe.
//!
//! Pure: a [`Model`] in, a `String` out.

use std::collections::BTreeSet;
use std::fmt::Write;

use uchronia_model::{Dist, Expr, Model, NodeKind, OutcomeKind, ParamId, Ref, ScenarioId, Value};

/// What to draw.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct GraphOptions {
    /// Draw the parameters and their edges.
    pub params: bool,
    /// Mark this scenario's interventions.
    pub scenario: Option<ScenarioId>,
}

/// How a vertex is drawn, whatever the output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Look {
    /// A parameter the scenario leaves alone.
    Param,
    /// A parameter replaced by the scenario's `set`.
    ParamSet,
    /// A node the scenario leaves alone, by kind.
    Node(NodeLook),
    /// A node set by the scenario's `do`.
    NodeSet,
    /// An outcome; `numeric` for a numeric one.
    Outcome {
        /// A numeric outcome (paler).
        numeric: bool,
    },
}

/// The kinds of node, as drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum NodeLook {
    Boolean,
    Categorical,
    Numeric,
    Derived,
}

/// One vertex of the drawing.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Vertex {
    /// The identifier: `param.`, `node.` or `outcome.` and the name.
    pub id: String,
    /// The name shown.
    pub name: String,
    /// `= value` under the name, for an intervention.
    pub value: Option<String>,
    pub look: Look,
    /// The model's `doc`, shown as a tooltip.
    pub doc: Option<String>,
    /// A node's `year`: the drawing ranks it on the timeline.
    pub year: Option<uchronia_model::Years>,
}

/// What a drawing of the graph shows, the same for DOT and SVG: the
/// vertices in groups (parameters, nodes, outcomes) in model order, and the
/// edges as (from, to, cut), deduplicated and sorted.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Elements {
    pub params: Vec<Vertex>,
    pub nodes: Vec<Vertex>,
    pub outcomes: Vec<Vertex>,
    pub edges: BTreeSet<(String, String, bool)>,
}

/// The vertices and edges of `model`'s graph under `options`.
pub(crate) fn elements(model: &Model, options: &GraphOptions) -> Elements {
    let scenario = options.scenario.and_then(|id| model.scenarios.get(id));
    let intervened: Vec<Option<Value>> = (0..model.nodes.len())
        .map(|id| {
            scenario.and_then(|s| {
                s.interventions
                    .iter()
                    .find(|(node, _)| *node == id)
                    .map(|(_, v)| *v)
            })
        })
        .collect();
    let settings: Vec<Option<&Dist>> = (0..model.params.len())
        .map(|id| {
            scenario.and_then(|s| {
                s.settings
                    .iter()
                    .find(|(param, _)| *param == id)
                    .map(|(_, d)| d)
            })
        })
        .collect();

    let mut params = Vec::new();
    if options.params {
        for (id, param) in model.params.iter().enumerate() {
            let (value, look) = match settings[id] {
                Some(dist) => (Some(dist_text(dist)), Look::ParamSet),
                None => (None, Look::Param),
            };
            params.push(Vertex {
                id: param_id(model, id),
                name: param.name.clone(),
                value,
                look,
                doc: param.doc.clone(),
                year: None,
            });
        }
    }
    let nodes = model
        .nodes
        .iter()
        .enumerate()
        .map(|(id, node)| {
            let (value, look) = match intervened[id] {
                Some(value) => (Some(value_text(model, value)), Look::NodeSet),
                None => (None, Look::Node(node_look(&node.kind))),
            };
            // A dated node shows its years beside its name.
            let name = match node.year {
                Some(years) => format!("{} ({years})", node.name),
                None => node.name.clone(),
            };
            Vertex {
                id: node_id(model, id),
                name,
                value,
                look,
                doc: node.doc.clone(),
                year: node.year,
            }
        })
        .collect();
    let listed: Vec<usize> = (0..model.outcomes.len())
        .filter(|&id| model.outcomes[id].listed)
        .collect();
    let outcomes = listed
        .iter()
        .map(|&id| {
            let outcome = &model.outcomes[id];
            Vertex {
                id: outcome_id(model, id),
                name: outcome.name.clone(),
                value: None,
                look: Look::Outcome {
                    numeric: matches!(outcome.kind, OutcomeKind::Numeric { .. }),
                },
                doc: outcome.doc.clone(),
                year: None,
            }
        })
        .collect();

    let mut edges: BTreeSet<(String, String, bool)> = BTreeSet::new();
    for (id, node) in model.nodes.iter().enumerate() {
        let cut = intervened[id].is_some();
        for &parent in &node.parents {
            if let Some(from) = ref_id(model, parent, options.params) {
                edges.insert((from, node_id(model, id), cut));
            }
        }
    }
    for &id in &listed {
        let mut refs = Vec::new();
        match &model.outcomes[id].kind {
            OutcomeKind::Boolean { when, given } => {
                collect_refs(when, &mut refs);
                if let Some(given) = given {
                    collect_refs(given, &mut refs);
                }
            }
            OutcomeKind::Numeric { value, given } => {
                collect_refs(value, &mut refs);
                if let Some(given) = given {
                    collect_refs(given, &mut refs);
                }
            }
        }
        for parent in refs {
            if let Ref::Outcome(other) = parent
                && !model.outcomes[other].listed
            {
                continue;
            }
            if let Some(from) = ref_id(model, parent, options.params) {
                edges.insert((from, outcome_id(model, id), false));
            }
        }
    }
    Elements {
        params,
        nodes,
        outcomes,
        edges,
    }
}

/// The DOT text of `model`'s graph.
pub fn model_dot(model: &Model, options: &GraphOptions) -> String {
    let scenario = options.scenario.and_then(|id| model.scenarios.get(id));
    let parts = elements(model, options);
    let mut dot = String::new();
    let _ = writeln!(dot, "// uchronia graph of model {}", model.name);
    let _ = writeln!(dot, "digraph {} {{", quote(&model.name));
    let _ = writeln!(
        dot,
        "  graph [rankdir=TB, ranksep=0.4, nodesep=0.15, fontname=\"Helvetica\", labelloc=t, label={}];",
        quote(&title(model, scenario))
    );
    dot.push_str("  node [fontname=\"Helvetica\", fontsize=10, height=0.3];\n");
    dot.push_str("  edge [color=\"#666666\", arrowsize=0.6];\n");
    for (heading, group) in [
        ("parameters", &parts.params),
        ("nodes", &parts.nodes),
        ("outcomes", &parts.outcomes),
    ] {
        if group.is_empty() {
            continue;
        }
        let _ = write!(dot, "\n  // {heading}\n");
        let lines = group
            .iter()
            .map(|v| {
                let style = dot_style(v.look);
                vertex(
                    &v.id,
                    &label(&v.name, v.value.as_deref()),
                    &style,
                    v.doc.as_deref(),
                )
            })
            .collect();
        push_sorted(&mut dot, lines);
    }
    if !parts.edges.is_empty() {
        dot.push_str("\n  // edges (dashed: cut by the scenario's `do`)\n");
        for (from, to, cut) in parts.edges {
            let style = if cut {
                " [style=dashed, color=\"#bbbbbb\"]"
            } else {
                ""
            };
            let _ = writeln!(dot, "  {} -> {}{style};", quote(&from), quote(&to));
        }
    }
    dot.push_str(&timeline(&parts.nodes));
    dot.push_str("}\n");
    dot
}

/// The timeline of the dated nodes: one rank per first year, with the
/// years down the side joined by invisible edges so that they keep their
/// order. Empty when no node has a `year`.
fn timeline(nodes: &[Vertex]) -> String {
    let mut years: std::collections::BTreeMap<i32, Vec<&str>> = std::collections::BTreeMap::new();
    for node in nodes {
        if let Some(year) = node.year {
            years.entry(year.first).or_default().push(&node.id);
        }
    }
    if years.is_empty() {
        return String::new();
    }
    let mut dot =
        String::from("\n  // timeline: the nodes with a `year`, ranked by their first year\n");
    for year in years.keys() {
        let _ = writeln!(
            dot,
            "  {} [label=\"{year}\", shape=plaintext, fontcolor=\"#555555\"];",
            quote(&format!("year.{year}"))
        );
    }
    let chain: Vec<String> = years.keys().map(|y| quote(&format!("year.{y}"))).collect();
    if chain.len() > 1 {
        let _ = writeln!(dot, "  {} [style=invis];", chain.join(" -> "));
    }
    for (year, ids) in &years {
        let mut ranked = vec![quote(&format!("year.{year}"))];
        let mut ids: Vec<String> = ids.iter().map(|id| quote(id)).collect();
        ids.sort();
        ranked.extend(ids);
        let _ = writeln!(dot, "  {{ rank=same; {}; }}", ranked.join("; "));
    }
    dot
}

/// The drawing's title: the model's, and the scenario's name when marked.
pub(crate) fn title(model: &Model, scenario: Option<&uchronia_model::Scenario>) -> String {
    match scenario {
        Some(s) => format!("{} (scenario: {})", model.title, s.name),
        None => model.title.clone(),
    }
}

/// The DOT attributes of a look.
fn dot_style(look: Look) -> String {
    match look {
        Look::Param => "shape=ellipse, color=\"#999999\", fontcolor=\"#555555\"".into(),
        Look::ParamSet => {
            "shape=ellipse, style=\"filled,bold\", fillcolor=\"#f4a6a6\", color=\"#b22222\"".into()
        }
        Look::Node(kind) => node_style(kind).into(),
        Look::NodeSet => {
            "shape=box, style=\"filled,bold\", fillcolor=\"#f4a6a6\", color=\"#b22222\"".into()
        }
        Look::Outcome { numeric } => {
            let fill = if numeric { "#efe6fa" } else { "#d9c8ef" };
            format!("shape=doubleoctagon, style=filled, fillcolor=\"{fill}\", margin=0.02")
        }
    }
}

/// How a node of `kind` is drawn.
fn node_look(kind: &NodeKind) -> NodeLook {
    match kind {
        NodeKind::Boolean { .. } => NodeLook::Boolean,
        NodeKind::Categorical { .. } => NodeLook::Categorical,
        NodeKind::Numeric { .. } => NodeLook::Numeric,
        NodeKind::Derived { .. } => NodeLook::Derived,
    }
}

/// The style of a node that the scenario leaves alone, by kind.
fn node_style(kind: NodeLook) -> &'static str {
    match kind {
        NodeLook::Boolean => "shape=box, style=filled, fillcolor=\"#dbe9f6\"",
        NodeLook::Categorical => "shape=box, style=\"filled,rounded\", fillcolor=\"#fdf0c4\"",
        NodeLook::Numeric => "shape=box, style=filled, fillcolor=\"#dcefd8\"",
        NodeLook::Derived => "shape=box, style=\"dashed\"",
    }
}

/// One vertex line (without indentation or line end).
fn vertex(id: &str, label: &str, style: &str, doc: Option<&str>) -> String {
    let mut line = format!("{} [label={label}, {style}", quote(id));
    if let Some(doc) = doc {
        let _ = write!(line, ", tooltip={}", quote(doc));
    }
    line.push(']');
    line
}

/// Appends `lines`, sorted, each indented and ended with `;`.
fn push_sorted(dot: &mut String, mut lines: Vec<String>) {
    lines.sort();
    for line in lines {
        let _ = writeln!(dot, "  {line};");
    }
}

/// A quoted label: the name, and on a second line `= value` when given.
fn label(name: &str, value: Option<&str>) -> String {
    match value {
        // `\n` is DOT's line break inside a label; the parts are escaped.
        Some(value) => format!("\"{}\\n= {}\"", escape(name), escape(value)),
        None => quote(name),
    }
}

/// The vertex identifiers: a prefix per kind keeps names of different kinds apart.
fn param_id(model: &Model, id: ParamId) -> String {
    format!("param.{}", model.params[id].name)
}

fn node_id(model: &Model, id: usize) -> String {
    format!("node.{}", model.nodes[id].name)
}

fn outcome_id(model: &Model, id: usize) -> String {
    format!("outcome.{}", model.outcomes[id].name)
}

/// The vertex a reference points at; `None` for a hidden parameter.
fn ref_id(model: &Model, r: Ref, params: bool) -> Option<String> {
    match r {
        Ref::Param(id) => params.then(|| param_id(model, id)),
        Ref::Node(id) => Some(node_id(model, id)),
        Ref::Outcome(id) => Some(outcome_id(model, id)),
    }
}

/// Every name `expr` mentions, in first-mention order, once each.
fn collect_refs(expr: &Expr, refs: &mut Vec<Ref>) {
    match expr {
        Expr::Number(_) | Expr::Boolean(_) | Expr::State(_) => {}
        Expr::Ref(r) => {
            if !refs.contains(r) {
                refs.push(*r);
            }
        }
        Expr::Unary(_, a) => collect_refs(a, refs),
        Expr::Binary(_, a, b) => {
            collect_refs(a, refs);
            collect_refs(b, refs);
        }
        Expr::If(c, a, b) => {
            collect_refs(c, refs);
            collect_refs(a, refs);
            collect_refs(b, refs);
        }
        Expr::Call(_, args) => {
            for arg in args {
                collect_refs(arg, refs);
            }
        }
    }
}

/// An intervention's value as the model file writes it.
fn value_text(model: &Model, value: Value) -> String {
    match value {
        Value::Number(x) => x.to_string(),
        Value::Boolean(b) => b.to_string(),
        Value::State(s) => model
            .state_names
            .get(s.0 as usize)
            .map_or_else(|| format!("state {}", s.0), |name| format!("'{name}'")),
    }
}

/// A `set` replacement: its number, or its distribution and mean.
fn dist_text(dist: &Dist) -> String {
    match dist {
        Dist::Fixed { value, .. } => value.to_string(),
        other => format!("{} (mean {:.3})", other.kind().name(), other.mean()),
    }
}

/// `text` as a quoted DOT string.
pub fn quote(text: &str) -> String {
    format!("\"{}\"", escape(text))
}

/// `text` with `\` and `"` escaped and line breaks as DOT's `\n`.
fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => escaped.push_str("\\\\"),
            '"' => escaped.push_str("\\\""),
            '\n' => escaped.push_str("\\n"),
            '\r' => {}
            c => escaped.push(c),
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;

    const MODEL: &str = r#"
[model]
name = "tiny"
title = "Tiny \"quoted\""

[params.support]
doc = "Support, with a \\ backslash and \"quotes\"."
dist = "beta"
a = 2
b = 2

[nodes.reform]
p = "support"

[nodes.leader]
states = ["reformer", "hardliner"]
[[nodes.leader.table]]
when = "reform"
p = { reformer = 0.7, hardliner = 0.3 }
[[nodes.leader.table]]
p = { reformer = 0.2, hardliner = 0.8 }

[nodes.year]
dist = "normal"
mean = 1935
sd = 2

[nodes.reformer_rules]
value = "leader == 'reformer'"

[outcomes.reformer_leads]
when = "reformer_rules"

[outcomes.crisis_year]
value = "year"
given = "reform"

[scenarios.history]
do = { reform = false }

[scenarios.hardline]
do = { leader = "hardliner" }
set = { support = 0.5 }
"#;

    fn model() -> Model {
        uchronia_model::load("tiny.toml", MODEL)
            .expect("the test model is valid")
            .model
    }

    fn dot(params: bool, scenario: Option<&str>) -> String {
        let model = model();
        let scenario = scenario.map(|name| model.scenario_id(name).expect("a scenario"));
        model_dot(&model, &GraphOptions { params, scenario })
    }

    #[test]
    fn every_vertex_and_edge_is_drawn_with_its_kind() {
        let text = dot(true, None);
        assert!(text.starts_with("// uchronia graph of model tiny"));
        assert!(text.contains("digraph \"tiny\" {"));
        assert!(text.contains("label=\"Tiny \\\"quoted\\\"\"];"), "{text}");
        for (id, shape) in [
            ("\"param.support\"", "shape=ellipse"),
            ("\"node.reform\"", "fillcolor=\"#dbe9f6\""),
            ("\"node.leader\"", "filled,rounded"),
            ("\"node.year\"", "fillcolor=\"#dcefd8\""),
            ("\"node.reformer_rules\"", "style=\"dashed\""),
            ("\"outcome.reformer_leads\"", "shape=doubleoctagon"),
            ("\"outcome.crisis_year\"", "shape=doubleoctagon"),
        ] {
            let line = text
                .lines()
                .find(|line| line.trim_start().starts_with(&format!("{id} [")))
                .unwrap_or_else(|| panic!("no vertex {id} in\n{text}"));
            assert!(line.contains(shape), "{line}");
        }
        for edge in [
            "\"param.support\" -> \"node.reform\";",
            "\"node.reform\" -> \"node.leader\";",
            "\"node.leader\" -> \"node.reformer_rules\";",
            "\"node.reformer_rules\" -> \"outcome.reformer_leads\";",
            "\"node.year\" -> \"outcome.crisis_year\";",
            "\"node.reform\" -> \"outcome.crisis_year\";",
        ] {
            assert!(text.contains(edge), "no edge {edge} in\n{text}");
        }
        assert_eq!(text.matches(" -> ").count(), 6, "{text}");
        // No scenario: nothing is marked.
        assert!(!text.contains("#f4a6a6"));
        assert!(!text.contains("dashed, color"));
    }

    #[test]
    fn docs_with_quotes_and_backslashes_are_escaped() {
        let text = dot(true, None);
        assert!(
            text.contains("tooltip=\"Support, with a \\\\ backslash and \\\"quotes\\\".\""),
            "{text}"
        );
    }

    #[test]
    fn a_scenario_marks_its_interventions_and_cuts_their_edges() {
        let text = dot(true, Some("hardline"));
        assert!(text.contains("label=\"Tiny \\\"quoted\\\" (scenario: hardline)\""));
        let leader = text
            .lines()
            .find(|l| l.contains("\"node.leader\" ["))
            .expect("the leader vertex");
        assert!(
            leader.contains("label=\"leader\\n= 'hardliner'\""),
            "{leader}"
        );
        assert!(leader.contains("#f4a6a6"), "{leader}");
        assert!(text.contains("\"node.reform\" -> \"node.leader\" [style=dashed"));
        // The edge into a node the scenario leaves alone is not cut.
        assert!(text.contains("\"param.support\" -> \"node.reform\";"));
        let support = text
            .lines()
            .find(|l| l.contains("\"param.support\" ["))
            .expect("the support vertex");
        assert!(support.contains("label=\"support\\n= 0.5\""), "{support}");

        let history = dot(true, Some("history"));
        assert!(history.contains("label=\"reform\\n= false\""));
        assert!(history.contains("\"param.support\" -> \"node.reform\" [style=dashed"));
    }

    #[test]
    fn hidden_params_take_their_edges_with_them() {
        let text = dot(false, None);
        assert!(!text.contains("param."), "{text}");
        assert_eq!(text.matches(" -> ").count(), 5);
    }

    #[test]
    fn the_text_is_sorted_and_deterministic() {
        let text = dot(true, Some("hardline"));
        assert_eq!(text, dot(true, Some("hardline")));
        let nodes: Vec<&str> = text
            .lines()
            .skip_while(|l| !l.contains("// nodes"))
            .skip(1)
            .take_while(|l| !l.is_empty())
            .collect();
        let mut sorted = nodes.clone();
        sorted.sort();
        assert_eq!(nodes.len(), 4);
        assert_eq!(nodes, sorted);
    }
}
