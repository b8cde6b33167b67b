//! Honest comparisons end to end: the confounder check of `check` and
//! `run` (named exactly, never downstream of the divergence; errors with
//! `--strict`), the matched baseline's rows, and a model whose scenarios do
//! not diverge (no new rows).

use std::path::{Path, PathBuf};

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

/// A claims file about the confounded fixture, written beside its runs:
/// one claim that `turn` raises `last` against `than`.
fn matched_claims(dir: &Path, than: &str) -> PathBuf {
    claims_about(dir, "turn", than)
}

/// A claims file with one claim that `scenario` raises `last` against `than`.
fn claims_about(dir: &Path, scenario: &str, than: &str) -> PathBuf {
    let model = Path::new(env!("CARGO_MANIFEST_DIR")).join(model("confounded"));
    let text = format!(
        "model = {model:?}\n\n[source]\ntitle = \"t\"\nkind = \"fixture\"\n\n\
         [[claims]]\nid = \"turn-raises-last\"\nauthor = \"tester\"\nquote = \"q\"\n\
         scenario = \"{scenario}\"\nthan = \"{than}\"\nevent = \"last\"\nsays = \"higher\"\n"
    );
    let path = dir.join("claims.toml");
    std::fs::write(&path, text).expect("write the claims");
    path
}

/// A small run of the confounded fixture with `claims`; it must succeed.
fn run_with_claims(claims: &Path, out: &Path, extra: &[&str]) -> crate::util::Run {
    let mut args = vec![
        "run",
        "tests/models/confounded.toml",
        "--claims",
        arg(claims),
    ];
    args.extend(["--lexicon", "data/estimative-words.toml", "--out", arg(out)]);
    args.extend(SMALL);
    args.extend(extra);
    let run = uchronia(&args);
    assert_eq!(run.status, 0, "stderr: {}", run.stderr);
    run
}

/// The one claim's `than` and estimate in `out`, beside `scenario`'s
/// matched row of comparison.csv: its baseline, difference and standard
/// error. The two differences must be the same pair's (comparison.csv
/// rounds to four significant digits).
fn claim_beside_matched_row(out: &Path, scenario: &str) -> (String, f64, String, f64) {
    let table = csv(&out.join("claims.csv"));
    let column = |name: &str| table.0.iter().position(|c| c == name).expect(name);
    let row = &table.1[0];
    assert_eq!(row[column("verdict")], "supported");
    let estimate: f64 = row[column("estimate")].parse().expect("a number");
    let comparison = csv(&out.join("comparison.csv"));
    let matched = (comparison.1.iter())
        .find(|r| r[0] == scenario && r[9] == "matched")
        .expect("the scenario's matched row");
    let diff: f64 = matched[3].parse().expect("a number");
    assert!((estimate - diff).abs() <= 5e-5, "{estimate} against {diff}");
    let se: f64 = matched[4].parse().expect("a number");
    (
        row[column("than")].clone(),
        estimate,
        matched[1].clone(),
        se,
    )
}

#[test]
fn a_claim_against_a_matched_baseline_reads_the_matched_comparison() {
    let dir = temp();
    let claims = matched_claims(dir.path(), "turn~baseline");
    let plain = dir.path().join("plain");
    run_with_claims(&claims, &plain, &[]);
    // turn: early and late fixed, other free: P(last) = 0.5 * 0.8 + 0.5 * 0.2
    // = 0.5. Its baseline sets early back and leaves late free: P(late) =
    // 0.1, P(last) = 0.05 * 0.8 + 0.95 * 0.2 = 0.23. The effect is 0.27.
    let (than, estimate, baseline, se) = claim_beside_matched_row(&plain, "turn");
    assert_eq!(than, "turn~baseline");
    assert_eq!(baseline, "turn~baseline");
    assert!((estimate - 0.27).abs() < 4.0 * se, "{estimate} ± {se}");
    // The baseline stays out of the scenario tables and run.json.
    let outcomes = csv(&plain.join("outcomes.csv"));
    assert!(outcomes.1.iter().all(|r| !r[0].contains('~')));
    let json = std::fs::read_to_string(plain.join("run.json")).expect("run.json");
    assert!(!json.contains("~baseline"), "{json}");

    // Shards merge into the same claims and comparisons, byte for byte.
    let (one, two) = (dir.path().join("s1"), dir.path().join("s2"));
    run_with_claims(&claims, &one, &["--shard", "1/2"]);
    run_with_claims(&claims, &two, &["--shard", "2/2"]);
    let merged = dir.path().join("merged");
    let merge = uchronia(&["merge", arg(&one), arg(&two), "--out", arg(&merged)]);
    assert_eq!(merge.status, 0, "{}", merge.stderr);
    for file in ["claims.csv", "comparison.csv", "outcomes.csv"] {
        let a = std::fs::read_to_string(merged.join(file)).expect("merged");
        let b = std::fs::read_to_string(plain.join(file)).expect("plain");
        assert_eq!(a, b, "{file}");
    }
}

/// `fair`'s baseline has the fixings of `history`: the claim reads that
/// scenario and the run adds none.
#[test]
fn a_matched_baseline_with_a_scenarios_fixings_is_that_scenario() {
    let dir = temp();
    let claims = claims_about(dir.path(), "fair", "fair~baseline");
    let out = dir.path().join("report");
    let run = run_with_claims(&claims, &out, &[]);
    assert!(!run.stderr.contains("also running"), "{}", run.stderr);
    // fair: P(last) = 0.9 * 0.8 + 0.1 * 0.2 = 0.74; history: 0.1 * 0.8 +
    // 0.9 * 0.2 = 0.26. The matched row is fair against history itself.
    let (than, estimate, baseline, se) = claim_beside_matched_row(&out, "fair");
    assert_eq!(than, "fair~baseline");
    assert_eq!(baseline, "history");
    assert!((estimate - 0.48).abs() < 4.0 * se, "{estimate} ± {se}");
}

#[test]
fn a_matched_baseline_that_does_not_exist_is_refused_at_its_line() {
    let dir = temp();
    for (than, message, hint) in [
        (
            "history~baseline",
            "scenario `history` has no matched baseline",
            "compare with the reference `history`",
        ),
        (
            "trun~baseline",
            "unknown scenario `trun~baseline`",
            "did you mean `turn~baseline`?",
        ),
    ] {
        let claims = matched_claims(dir.path(), than);
        let out = dir.path().join("never");
        let run = uchronia(&[
            "run",
            "tests/models/confounded.toml",
            "--claims",
            arg(&claims),
            "--out",
            arg(&out),
        ]);
        assert_eq!(run.status, 2, "{}", run.stderr);
        assert!(
            run.stderr.contains("claims.toml:12:8: error: "),
            "{}",
            run.stderr
        );
        assert!(run.stderr.contains(message), "{}", run.stderr);
        assert!(run.stderr.contains(hint), "{}", run.stderr);
        assert!(!out.exists());
    }
}
