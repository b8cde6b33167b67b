//! `uchronia graph`: DOT on stdout, scenario marks, hidden parameters, and
//! (when Graphviz is installed) text that `dot` accepts.

use std::io::Write;
use std::process::{Command, Stdio};

use crate::util::{model, uchronia};

#[test]
fn graph_prints_the_small_models_vertices_and_edges() {
    let run = uchronia(&["graph", &model("small")]);
    assert_eq!(run.status, 0, "stderr: {}", run.stderr);
    let dot = &run.stdout;
    assert!(dot.contains("digraph \"small\" {"), "{dot}");
    for vertex in [
        "\"param.support\" [",
        "\"param.base_year\" [",
        "\"node.reform\" [",
        "\"node.leader\" [",
        "\"node.crisis_year\" [",
        "\"node.reformer_in_power\" [",
        "\"outcome.crisis_start\" [",
    ] {
        assert!(dot.contains(vertex), "no {vertex} in {dot}");
    }
    for edge in [
        "\"param.support\" -> \"node.reform\";",
        "\"node.leader\" -> \"node.crisis\";",
        "\"param.base_year\" -> \"node.crisis_year\";",
        "\"node.crisis_year\" -> \"outcome.crisis_start\";",
        "\"node.crisis\" -> \"outcome.crisis_start\";",
    ] {
        assert!(dot.contains(edge), "no {edge} in {dot}");
    }
    // Parameters are shown for a small model, and nothing is marked.
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    assert!(!dot.contains("style=dashed"));
}

#[test]
fn a_scenario_is_marked_and_its_cut_edges_dashed() {
    let run = uchronia(&["graph", &model("small"), "--scenario", "reform_passes"]);
    assert_eq!(run.status, 0, "stderr: {}", run.stderr);
    let dot = &run.stdout;
    assert!(dot.contains("label=\"reform\\n= true\""), "{dot}");
    assert!(dot.contains("label=\"support\\n= 0.5\""), "{dot}");
    assert!(
        dot.contains("\"param.support\" -> \"node.reform\" [style=dashed"),
        "{dot}"
    );

    let no_params = uchronia(&["graph", &model("small"), "--no-params"]);
    assert_eq!(no_params.status, 0);
    assert!(!no_params.stdout.contains("param."), "{}", no_params.stdout);
    assert!(
        no_params
            .stdout
            .contains("\"node.reform\" -> \"node.leader\";")
    );
}

#[test]
fn graph_refuses_an_unknown_scenario_and_conflicting_flags() {
    let run = uchronia(&["graph", &model("small"), "--scenario", "reform_pases"]);
    assert_eq!(run.status, 2);
    assert!(run.stderr.contains("reform_passes"), "{}", run.stderr);
    assert!(run.stdout.is_empty());

    let run = uchronia(&["graph", &model("small"), "--params", "--no-params"]);
    assert_eq!(run.status, 2);
}

#[test]
fn the_shipped_models_graph_leaves_its_parameters_out_by_default() {
    let run = uchronia(&["graph"]);
    assert_eq!(run.status, 0, "stderr: {}", run.stderr);
    assert!(!run.stdout.contains("\"param."));
    assert!(
        run.stderr.contains("parameters are left out"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.contains("\"outcome.great_war\" ["));

    let all = uchronia(&["graph", "--params"]);
    assert_eq!(all.status, 0);
    assert!(all.stdout.contains("\"param.p_brest_left_wins\" ["));
    // Deterministic: the same bytes twice.
    assert_eq!(all.stdout, uchronia(&["graph", "--params"]).stdout);
}

/// Graphviz reads what `graph` writes. Skipped (passing) when `dot` is not
/// installed: the tests must not require Graphviz.
#[test]
fn graphviz_accepts_the_dot_text_when_installed() {
    let Ok(mut child) = Command::new("dot")
        .arg("-Tsvg")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
    else {
        eprintln!("graphviz is not installed: skipped");
        return;
    };
    let run = uchronia(&["graph", "--scenario", "trotsky_in_power"]);
    assert_eq!(run.status, 0, "stderr: {}", run.stderr);
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(run.stdout.as_bytes())
        .expect("dot reads its input");
    let output = child.wait_with_output().expect("dot finishes");
    assert!(
        output.status.success(),
        "dot: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stdout).contains("<svg"));
}

#[test]
fn graph_svg_draws_a_picture_with_every_vertex_and_the_scenarios_marks() {
    let run = uchronia(&[
        "graph",
        &model("small"),
        "--svg",
        "--scenario",
        "reform_passes",
    ]);
    assert_eq!(run.status, 0, "stderr: {}", run.stderr);
    let svg = &run.stdout;
    assert!(
        svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""),
        "{svg}"
    );
    assert!(svg.trim_end().ends_with("</svg>"));
    for name in [
        "support",
        "base_year",
        "reform",
        "leader",
        "crisis",
        "crisis_year",
        "reformer_in_power",
        "reformer_leads",
        "crisis_happens",
        "crisis_start",
    ] {
        assert!(
            svg.contains(&format!(">{name}</text>")),
            "no {name} in {svg}"
        );
    }
    assert!(svg.contains(">= true</text>"), "{svg}");
    assert!(svg.contains(">= 0.5</text>"), "{svg}");
    assert!(svg.contains("support \u{2192} reform</title>"));
    // The DOT text is unchanged by the new flag's existence.
    let dot = uchronia(&["graph", &model("small")]);
    assert!(dot.stdout.starts_with("// uchronia graph of model small"));
}

#[test]
fn the_shipped_models_svg_leaves_its_parameters_out_as_the_dot_does() {
    let run = uchronia(&["graph", "--svg"]);
    assert_eq!(run.status, 0, "stderr: {}", run.stderr);
    assert!(
        run.stderr.contains("parameters are left out"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.contains(">great_war</text>"));
    assert!(!run.stdout.contains(">p_brest_left_wins</text>"));
    let dot = uchronia(&["graph"]).stdout;
    // One drawn edge per DOT edge; the invisible chain that orders the
    // year labels of a dated model (one line, `"year.1918" -> ...`) is
    // not an edge of the model.
    let edges: usize = dot
        .lines()
        .filter(|line| !line.trim_start().starts_with("\"year."))
        .map(|line| line.matches(" -> ").count())
        .sum();
    assert_eq!(
        run.stdout
            .matches("marker-end=\"url(#arrow)\"><title>")
            .count(),
        edges
    );
    assert_eq!(run.stdout, uchronia(&["graph", "--svg"]).stdout);
}
