//! Sensitivity, comparison, sweeps and `check --explain`, end to end: the
//! report's `sensitivity.csv` and `comparison.csv`, what `run` prints about
//! them, `uchronia sweep` (its rows equal separate runs with the parameter
//! fixed) and its argument errors.

use crate::util::{arg, csv, model, temp, uchronia};

const SMALL: [&str; 6] = ["--trials", "100000", "--draws", "100", "--seed", "3"];

fn find<'a>(table: &'a (Vec<String>, Vec<Vec<String>>), key: &[&str]) -> &'a Vec<String> {
    table
        .1
        .iter()
        .find(|row| row.iter().zip(key).all(|(cell, k)| cell == k))
        .unwrap_or_else(|| panic!("no row starting {key:?}"))
}

fn column(table: &(Vec<String>, Vec<Vec<String>>), name: &str) -> usize {
    table
        .0
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name}"))
}

#[test]
fn by_default_sensitivity_csv_keeps_exactly_the_ancestor_rows_of_full() {
    let dir = temp();
    let small = model("small");
    let read = |extra: &[&str]| {
        let out = dir.path().join(extra.len().to_string());
        let mut args = vec!["run", small.as_str(), "--quiet", "--out", arg(&out)];
        args.extend(SMALL);
        args.extend(extra);
        let run = uchronia(&args);
        assert_eq!(run.status, 0, "stderr: {}", run.stderr);
        std::fs::read_to_string(out.join("sensitivity.csv")).expect("sensitivity.csv")
    };
    let (light, full) = (read(&[]), read(&["--full"]));
    let ancestor = 7; // the `ancestor` column
    let kept: Vec<&str> = (full.lines().enumerate())
        .filter(|(i, line)| *i == 0 || line.split(',').nth(ancestor) == Some("true"))
        .map(|(_, line)| line)
        .collect();
    assert_eq!(light.lines().collect::<Vec<_>>(), kept);
    // Both kinds exist in the small model, so the filter did something.
    assert!(
        kept.len() > 1 && kept.len() < full.lines().count(),
        "{full}"
    );
}

#[test]
fn run_writes_sensitivity_and_comparison_with_their_exact_columns() {
    let dir = temp();
    let out = dir.path().join("report");
    let small = model("small");
    let mut args = vec!["run", small.as_str(), "--out", arg(&out), "--full"];
    args.extend(SMALL);
    let run = uchronia(&args);
    assert_eq!(run.status, 0, "stderr: {}", run.stderr);

    let sensitivity = csv(&out.join("sensitivity.csv"));
    assert_eq!(
        sensitivity.0,
        [
            "scenario",
            "outcome",
            "param",
            "rank_corr",
            "swing_low",
            "swing_high",
            "first_order",
            "ancestor",
            "significant",
            "label"
        ]
    );
    // --full: 2 scenarios x 3 listed outcomes x 2 params.
    assert_eq!(sensitivity.1.len(), 12);
    // crisis_start's per-draw mean follows base_year (crisis_year ~ normal(base_year, 2)).
    let rank = column(&sensitivity, "rank_corr");
    let year = find(&sensitivity, &["history", "crisis_start", "base_year"]);
    let rho: f64 = year[rank].parse().expect("a number");
    assert!(rho > 0.9, "{year:?}");
    // reform_passes sets support to a number: empty cells.
    let set = find(
        &sensitivity,
        &["reform_passes", "reformer_leads", "support"],
    );
    // ... and support cannot reach reformer_leads there: reform is set by `do`.
    assert_eq!(&set[3..], ["", "", "", "", "false", "false", "support"]);

    let comparison = csv(&out.join("comparison.csv"));
    assert_eq!(
        comparison.0,
        [
            "scenario",
            "reference",
            "outcome",
            "diff",
            "diff_se",
            "ratio",
            "diff_q05",
            "diff_q95",
            "unpaired_se",
            "against",
            "confounders",
            "label"
        ]
    );
    // 3 outcomes against the reference, then the same against the matched
    // baseline reform_passes~baseline (reform = false, support = 0.5).
    assert_eq!(comparison.1.len(), 6);
    let leads = find(&comparison, &["reform_passes", "history", "reformer_leads"]);
    // history: reformer by weight 1/10; reform_passes: 0.6. Paired over
    // draws with common random numbers.
    let diff: f64 = leads[column(&comparison, "diff")].parse().expect("diff");
    let se: f64 = leads[column(&comparison, "diff_se")].parse().expect("se");
    assert!((diff - 0.5).abs() < 4.0 * se + 1e-9, "{leads:?}");
    let against = column(&comparison, "against");
    assert_eq!(leads[against], "reference");
    assert_eq!(leads[column(&comparison, "confounders")], "");

    // The effect of the divergence alone, known by hand: with support = 0.5
    // in both, reform = true gives P(reformer) = 0.6 and P(crisis) = 0.3 x
    // 0.7 + 0.7 x 0.2 = 0.35; reform = false gives 0.1 and 0.8 x 0.7 + 0.2 x
    // 0.2 = 0.6.
    for (outcome, truth) in [("reformer_leads", 0.5), ("crisis_happens", -0.25)] {
        let row = find(
            &comparison,
            &["reform_passes", "reform_passes~baseline", outcome],
        );
        assert_eq!(row[against], "matched");
        let diff: f64 = row[column(&comparison, "diff")].parse().expect("diff");
        let se: f64 = row[column(&comparison, "diff_se")].parse().expect("se");
        assert!((diff - truth).abs() < 4.0 * se + 1e-9, "{row:?}");
    }
    // The baseline adds no rows to the other tables.
    let outcomes = csv(&out.join("outcomes.csv"));
    assert!(
        outcomes.1.iter().all(|r| !r[0].contains('~')),
        "{outcomes:?}"
    );
    assert!(sensitivity.1.iter().all(|r| !r[0].contains('~')));
    // Only graph ancestors can be significant drivers: base_year cannot
    // reach reformer_leads.
    let ancestor = column(&sensitivity, "ancestor");
    let significant = column(&sensitivity, "significant");
    let far = find(&sensitivity, &["history", "reformer_leads", "base_year"]);
    assert_eq!(far[ancestor], "false");
    assert_eq!(year[ancestor], "true");
    assert_eq!(year[significant], "true");
    assert!(
        run.stdout.contains("effect of the divergence alone"),
        "{}",
        run.stdout
    );

    assert!(
        run.stdout.contains("difference from history"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("top drivers in history"),
        "{}",
        run.stdout
    );
}

#[test]
fn sweep_rows_equal_separate_runs_with_the_parameter_fixed() {
    let dir = temp();
    let out = dir.path().join("sweep");
    let small = model("small");
    let mut args = vec![
        "sweep",
        small.as_str(),
        "--param",
        "support",
        "--values",
        "0.2:0.6:0.2",
        "--out",
        arg(&out),
    ];
    args.extend(SMALL);
    let run = uchronia(&args);
    assert_eq!(run.status, 0, "stderr: {}", run.stderr);
    // reform_passes sets support = 0.5: it overrides the sweep, and says so.
    assert!(
        run.stderr.contains("scenario reform_passes sets support"),
        "{}",
        run.stderr
    );
    let sweep = csv(&out.join("sweep.csv"));
    assert_eq!(
        sweep.0,
        [
            "param", "value", "scenario", "outcome", "p_mean", "mc_se", "p_q05", "p_q50", "p_q95",
            "label"
        ]
    );
    // 3 values x 2 scenarios x 2 boolean outcomes.
    assert_eq!(sweep.1.len(), 12);
    assert!(out.join("run.json").is_file());

    let source = std::fs::read_to_string(&small).expect("the fixture");
    let beta = "dist = \"beta\"\na = 3\nb = 7";
    assert!(source.contains(beta));
    for value in ["0.2", "0.4", "0.6"] {
        let fixed_model = dir.path().join(format!("small-{value}.toml"));
        std::fs::write(
            &fixed_model,
            source.replace(beta, &format!("dist = \"fixed\"\nvalue = {value}")),
        )
        .expect("written");
        let report = dir.path().join(format!("run-{value}"));
        let mut args = vec!["run", arg(&fixed_model), "--out", arg(&report), "--quiet"];
        args.extend(SMALL);
        let run = uchronia(&args);
        assert_eq!(run.status, 0, "stderr: {}", run.stderr);
        let outcomes = csv(&report.join("outcomes.csv"));
        for scenario in ["history", "reform_passes"] {
            for outcome in ["reformer_leads", "crisis_happens"] {
                let swept = find(&sweep, &["support", value, scenario, outcome]);
                let separate = find(&outcomes, &[scenario, outcome]);
                // p_mean, mc_se, p_q05, p_q50, p_q95: the same text.
                assert_eq!(swept[4..9], separate[2..7], "{value} {scenario} {outcome}");
            }
        }
    }
    // history does not depend on support (reform is set false), but
    // reform_passes overrides it: rows equal across values there too.
    let at = |value| {
        find(
            &sweep,
            &["support", value, "reform_passes", "reformer_leads"],
        )[4]
        .clone()
    };
    assert_eq!(at("0.2"), at("0.6"));
}

/// Three outcomes: `a` follows the swept `x`, `b` reads only `y`, and `c`
/// moves with `x` by a thousandth, far inside the noise.
const MOVES: &str = r#"[model]
name = "moves"
title = "Outcomes that move and outcomes that do not"

[params.x]
doc = "Swept."
dist = "uniform"
low = 0.1
high = 0.9

[params.y]
doc = "Not swept."
dist = "uniform"
low = 0.1
high = 0.9

[nodes.a]
doc = "Follows x."
p = "x"

[nodes.b]
doc = "Follows y."
p = "y"

[nodes.c]
doc = "Barely follows x."
p = "0.5 + 0.001 * x"

[outcomes.c_happens]
doc = "c"
when = "c"

[outcomes.b_happens]
doc = "b"
when = "b"

[outcomes.a_happens]
doc = "a"
when = "a"

[scenarios.base]
doc = "Nothing set."
"#;

#[test]
fn sweep_without_outcome_lists_the_moving_outcomes_first_and_counts_the_flat() {
    let dir = temp();
    let path = dir.path().join("moves.toml");
    std::fs::write(&path, MOVES).expect("written");
    let out = dir.path().join("sweep");
    let mut args = vec![
        "sweep",
        arg(&path),
        "--param",
        "x",
        "--values",
        "0.2:0.8:0.3",
        "--out",
        arg(&out),
    ];
    args.extend(SMALL);
    let run = uchronia(&args);
    assert_eq!(run.status, 0, "stderr: {}", run.stderr);
    let text = &run.stdout;
    // Only a_happens has rows in the table; the others are named as flat.
    assert!(text.contains("base      a_happens    0.5"), "{text}");
    assert_eq!(text.matches("a_happens").count(), 3, "{text}");
    assert!(
        text.contains("1 of 3 outcome(s) move across the values; 2 are flat"),
        "{text}"
    );
    assert!(
        text.contains("standard errors in every scenario): c_happens, b_happens"),
        "{text}"
    );
    // sweep.csv keeps every outcome: 3 values x 3 outcomes.
    assert_eq!(csv(&out.join("sweep.csv")).1.len(), 9);
    assert!(out.join("sweep_x.png").is_file());

    // Named outcomes are shown as given, flat or not, with no verdict.
    let mut named = args.clone();
    named.extend(["--outcome", "b_happens", "--outcome", "a_happens"]);
    let run = uchronia(&named);
    assert_eq!(run.status, 0, "stderr: {}", run.stderr);
    assert_eq!(run.stdout.matches("b_happens").count(), 3, "{}", run.stdout);
    assert!(!run.stdout.contains("are flat"), "{}", run.stdout);
}

#[test]
fn sweep_refuses_bad_arguments_with_status_2() {
    let small = model("small");
    let cases: [(&[&str], &str); 7] = [
        (
            &["--param", "support", "--values", "0:1:0"],
            "STEP must be positive",
        ),
        (
            &["--param", "support", "--values", "1:0:0.1"],
            "is above HI",
        ),
        (
            &["--param", "support", "--values", "0:1:0.0001"],
            "more than 1000 values",
        ),
        (
            &["--param", "support", "--values", "nan:1:0.1"],
            "not a finite number",
        ),
        (
            &["--param", "support", "--values", "0-1"],
            "is not LO:HI:STEP",
        ),
        (
            &["--param", "suport", "--values", "0:1:0.5"],
            "did you mean 'support'",
        ),
        (
            &[
                "--param",
                "support",
                "--values",
                "0:1:0.5",
                "--outcome",
                "crisis_start",
            ],
            "is numeric",
        ),
    ];
    let dir = temp();
    let out = dir.path().join("never");
    for (extra, message) in cases {
        let mut args = vec!["sweep", small.as_str(), "--out", arg(&out)];
        args.extend(extra);
        let run = uchronia(&args);
        assert_eq!(run.status, 2, "{extra:?}: {}", run.stderr);
        assert!(run.stderr.contains(message), "{extra:?}: {}", run.stderr);
    }
    assert!(!out.exists());
}

#[test]
fn check_explain_lists_ancestors_and_orders_params_by_influence() {
    let run = uchronia(&["check", &model("small"), "--explain", "crisis_start"]);
    assert_eq!(run.status, 0, "stderr: {}", run.stderr);
    let out = &run.stdout;
    assert!(
        out.contains("outcome crisis_start in scenario history"),
        "{out}"
    );
    assert!(out.contains("base_year"), "{out}");
    // crisis_start depends on crisis_year and crisis; support reaches it only
    // through reform, which history sets with `do`.
    assert!(
        out.contains("only through nodes set by `do` in history"),
        "{out}"
    );
    assert!(out.contains("crisis_year"), "{out}");
    assert!(out.contains("(set by `do` in history"), "{out}");

    let run = uchronia(&[
        "check",
        &model("small"),
        "--explain",
        "crisis_happen",
        "--scenario",
        "history",
    ]);
    assert_eq!(run.status, 2);
    assert!(
        run.stderr.contains("did you mean 'crisis_happens'"),
        "{}",
        run.stderr
    );
}

#[test]
fn sensitivity_comparison_and_sweep_are_byte_identical_across_thread_counts() {
    let dir = temp();
    let small = model("small");
    let mut outputs = Vec::new();
    for threads in ["1", "2"] {
        let report = dir.path().join(format!("run-{threads}"));
        let mut args = vec!["run", small.as_str(), "--out", arg(&report), "--quiet"];
        args.extend(SMALL);
        args.extend(["--threads", threads]);
        assert_eq!(uchronia(&args).status, 0);
        let sweep = dir.path().join(format!("sweep-{threads}"));
        let mut args = vec!["sweep", small.as_str(), "--param", "base_year"];
        args.extend(["--values", "1930:1940:5", "--out", arg(&sweep), "--quiet"]);
        args.extend(SMALL);
        args.extend(["--threads", threads]);
        assert_eq!(uchronia(&args).status, 0);
        outputs.push([
            std::fs::read(report.join("sensitivity.csv")).expect("sensitivity.csv"),
            std::fs::read(report.join("comparison.csv")).expect("comparison.csv"),
            std::fs::read(sweep.join("sweep.csv")).expect("sweep.csv"),
        ]);
    }
    assert!(outputs[0].iter().all(|bytes| bytes.len() > 100));
    assert_eq!(outputs[0], outputs[1]);
}
