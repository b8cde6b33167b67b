//! Honest comparisons end to end: the confounder check of `check` and
//! `run` (named exactly, never downstream of the divergence; errors with
//! `--strict`), the matched baseline's rows, and a model whose scenarios do
//! not diverge (no new rows).

use crate::util::{arg, csv, model, temp, uchronia};

const SMALL: [&str; 6] = ["--trials", "20000", "--draws", "40", "--seed", "5"];

#[test]
fn check_names_the_confounders_exactly_and_never_a_descendant() {
    let path = model("confounded");
    let run = uchronia(&["check", &path]);
    assert_eq!(run.status, 0, "stderr: {}", run.stderr);
    // turn fixes `late` (downstream of its divergence `early`) and leaves
    // `other` free: only `other` is a confounder. `fair` has none.
    assert!(
        run.stdout.contains(
            "warning: scenario turn is confounded against history: they fix other differently\n"
        ),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("tests/models/confounded.toml:40:1"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("fix other, late"));
    assert!(!run.stdout.contains("scenario fair is confounded"));
}

#[test]
fn strict_turns_the_confounders_into_errors() {
    let path = model("confounded");
    let check = uchronia(&["check", &path, "--strict"]);
    assert_eq!(check.status, 2, "stdout: {}", check.stdout);
    assert!(
        check
            .stderr
            .contains("error: scenario turn is confounded against history"),
        "{}",
        check.stderr
    );
    let dir = temp();
    let out = dir.path().join("report");
    let mut args = vec!["run", path.as_str(), "--strict", "--out", arg(&out)];
    args.extend(SMALL);
    let run = uchronia(&args);
    assert_eq!(run.status, 2, "stdout: {}", run.stdout);
    assert!(!out.exists(), "a refused run writes no report");
}

#[test]
fn run_warns_and_writes_matched_and_reference_rows() {
    let path = model("confounded");
    let dir = temp();
    let out = dir.path().join("report");
    let mut args = vec!["run", path.as_str(), "--out", arg(&out)];
    args.extend(SMALL);
    let run = uchronia(&args);
    assert_eq!(run.status, 0, "stderr: {}", run.stderr);
    assert!(
        run.stderr
            .contains("warning: scenario turn is confounded against history"),
        "{}",
        run.stderr
    );
    let comparison = csv(&out.join("comparison.csv"));
    let rows: Vec<Vec<&str>> = comparison
        .1
        .iter()
        .map(|r| {
            [0, 1, 9, 10]
                .iter()
                .map(|&i| r[i].as_str())
                .collect::<Vec<&str>>()
        })
        .collect();
    assert_eq!(
        rows,
        [
            ["turn", "history", "reference", "other"],
            ["fair", "history", "reference", ""],
            ["turn", "turn~baseline", "matched", ""],
            // fair's baseline has history's fixings: it is history.
            ["fair", "history", "matched", ""],
        ]
    );
    let outcomes = csv(&out.join("outcomes.csv"));
    assert!(outcomes.1.iter().all(|r| !r[0].contains('~')));
    let json = std::fs::read_to_string(out.join("run.json")).expect("run.json");
    assert!(!json.contains("~baseline"), "{json}");
    assert!(
        run.stdout.find("effect of the divergence alone")
            < run.stdout.find("difference from history"),
        "{}",
        run.stdout
    );
}

#[test]
fn scenarios_without_a_divergence_add_no_rows() {
    let dir = temp();
    let path = dir.path().join("same.toml");
    let text = std::fs::read_to_string(model("confounded")).expect("the fixture");
    let text = text
        .replace(
            "do = { early = true, late = true }",
            "do = { early = false, other = true }",
        )
        .replace(
            "do = { early = true, other = true }",
            "do = { early = false }",
        );
    std::fs::write(&path, text).expect("write the model");
    let out = dir.path().join("report");
    let mut args = vec!["run", arg(&path), "--out", arg(&out)];
    args.extend(SMALL);
    let run = uchronia(&args);
    assert_eq!(run.status, 0, "stderr: {}", run.stderr);
    let comparison = csv(&out.join("comparison.csv"));
    // Two scenarios against the reference, one outcome: no matched rows.
    assert_eq!(comparison.1.len(), 2, "{comparison:?}");
    assert!(comparison.1.iter().all(|r| r[9] == "reference"));
    assert!(!run.stdout.contains("divergence alone"), "{}", run.stdout);
}
