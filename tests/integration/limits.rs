//! Limits that hold end to end: a model of 10,000 nodes checks and runs,
//! in time linear in its size (compared with 2,000 nodes, so that a busy
//! machine does not fail the test), and a node of 100,000 states runs.

use std::path::Path;
use std::time::{Duration, Instant};

use crate::util::{arg, temp, uchronia};

/// Writes a model of `n` documented boolean nodes in a chain and returns its path.
fn chain(dir: &Path, n: usize) -> std::path::PathBuf {
    let mut text = String::from(
        "[model]\nname = \"big\"\ntitle = \"Big\"\n\n[params.s]\ndoc = \"d\"\ndist = \"beta\"\na = 3\nb = 7\n\n[nodes.n0]\ndoc = \"d\"\np = \"s\"\n\n",
    );
    for i in 1..n {
        text.push_str(&format!(
            "[nodes.n{i}]\ndoc = \"d\"\np = \"if(n{}, 0.6, 0.4)\"\n\n",
            i - 1
        ));
    }
    text.push_str(&format!(
        "[outcomes.last]\ndoc = \"d\"\nwhen = \"n{}\"\n\n[scenarios.base]\ndoc = \"d\"\n\n[scenarios.first_fails]\ndoc = \"d\"\ndo = {{ n0 = false }}\n",
        n - 1
    ));
    let path = dir.join(format!("chain{n}.toml"));
    std::fs::write(&path, text).expect("written");
    path
}

/// The fastest of three `uchronia check` runs.
fn time_check(path: &Path) -> Duration {
    (0..3)
        .map(|_| {
            let started = Instant::now();
            let run = uchronia(&["check", arg(path)]);
            assert_eq!(run.status, 0, "stderr: {}", run.stderr);
            started.elapsed()
        })
        .min()
        .expect("three runs")
}

#[test]
fn ten_thousand_nodes_check_in_linear_time_and_run() {
    let dir = temp();
    let small = chain(dir.path(), 2_000);
    let large = chain(dir.path(), 10_000);
    let (t_small, t_large) = (time_check(&small), time_check(&large));
    let ratio = t_large.as_secs_f64() / t_small.as_secs_f64().max(1e-6);
    assert!(
        ratio < 12.0,
        "2,000 nodes {t_small:?}, 10,000 nodes {t_large:?} (x{ratio:.1}; linear is 5)"
    );
    assert!(t_large < Duration::from_secs(20), "{t_large:?}");

    let out = dir.path().join("report");
    let run = uchronia(&[
        "run",
        arg(&large),
        "--trials",
        "2000",
        "--draws",
        "20",
        "--quiet",
        "--out",
        arg(&out),
    ]);
    assert_eq!(run.status, 0, "stderr: {}", run.stderr);
    let outcomes = std::fs::read_to_string(out.join("outcomes.csv")).expect("written");
    // A long chain forgets its start: P(last) = 0.5 in both scenarios, as
    // the chain's fixed point of x -> 0.4 + 0.2 x is 0.5.
    for line in outcomes.lines().skip(1) {
        let p: f64 = line
            .split(',')
            .nth(2)
            .expect("p_mean")
            .parse()
            .expect("a number");
        assert!((p - 0.5).abs() < 0.05, "{line}");
    }
}

#[test]
fn a_node_with_a_hundred_thousand_states_runs() {
    let dir = temp();
    let n = 100_000;
    let states: Vec<String> = (0..n).map(|i| format!("\"s{i}\"")).collect();
    let weights: Vec<String> = (0..n).map(|i| format!("s{i} = 1")).collect();
    let text = format!(
        "[model]\nname = \"m\"\ntitle = \"t\"\n[nodes.c]\nstates = [{}]\nweights = {{ {} }}\n[outcomes.low]\nwhen = \"c == 's0' or c == 's1'\"\n[scenarios.base]\n",
        states.join(", "),
        weights.join(", ")
    );
    let path = dir.path().join("states.toml");
    std::fs::write(&path, text).expect("written");
    let out = dir.path().join("report");
    let started = Instant::now();
    let run = uchronia(&[
        "run",
        arg(&path),
        "--trials",
        "1000",
        "--draws",
        "10",
        "--quiet",
        "--out",
        arg(&out),
    ]);
    assert_eq!(run.status, 0, "stderr: {}", run.stderr);
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "{:?}",
        started.elapsed()
    );
}
