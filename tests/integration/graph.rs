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
