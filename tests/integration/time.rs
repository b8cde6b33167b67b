//! Time end to end (contract 1.1, sections 1 to 3 and 5): `facts_through`
//! equal to the `do` it stands for, byte for byte; dated claims
//! (`known_through`) in claims.csv and the verdict table, with their exact
//! answers on tests/models/chain.toml.

use std::path::Path;

use crate::util::{arg, cell, csv, model, temp, uchronia};

const SIZE: [&str; 6] = ["--trials", "200000", "--draws", "50", "--seed", "7"];

/// Runs `args` plus [`SIZE`] and `--out out`, expecting success.
fn run_ok(args: &[&str], out: &Path) -> String {
    let mut all: Vec<&str> = args.to_vec();
    all.extend(SIZE);
    all.extend(["--out", arg(out)]);
    let run = uchronia(&all);
    assert_eq!(run.status, 0, "stderr: {}", run.stderr);
    run.stdout
}

/// A number cell.
fn number(text: &str) -> f64 {
    text.parse()
        .unwrap_or_else(|_| panic!("{text:?} is not a number"))
}

#[test]
fn facts_through_gives_the_same_tables_as_the_equivalent_do_byte_for_byte() {
    let dir = temp();
    let chain = std::fs::read_to_string(model("chain")).expect("the fixture");
    let spelled = chain
        .replace(
            "facts_through = 1925\n",
            "do = { uprising = true, purge = false }\n",
        )
        .replace(
            "facts_through = 1920\ndo = { uprising = false }",
            "do = { uprising = false }",
        );
    assert_ne!(chain, spelled);
    let models = dir.path().join("models");
    std::fs::create_dir(&models).expect("models/");
    std::fs::write(models.join("facts.toml"), &chain).expect("written");
    std::fs::write(models.join("spelled.toml"), &spelled).expect("written");
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    run_ok(&["run", arg(&models.join("facts.toml"))], &a);
    run_ok(&["run", arg(&models.join("spelled.toml"))], &b);
    for table in ["outcomes.csv", "comparison.csv", "sensitivity.csv"] {
        let left = std::fs::read(a.join(table)).expect("written");
        let right = std::fs::read(b.join(table)).expect("written");
        assert!(left == right, "{table} differs");
    }
}

#[test]
fn dated_claims_are_judged_in_the_world_as_known_that_year() {
    let dir = temp();
    let out = dir.path().join("report");
    let stdout = run_ok(
        &[
            "claims",
            "tests/claims/chain.toml",
            "--lexicon",
            "data/estimative-words.toml",
        ],
        &out,
    );
    let (header, rows) = csv(&out.join("claims.csv"));
    // `says` holds a quoted comma: count the columns after it from the end.
    let rows: Vec<Vec<String>> = rows
        .into_iter()
        .map(|r| {
            let extra = r.len() - header.len();
            let mut fixed = r[..6].to_vec();
            fixed.push(r[6..=6 + extra].join(","));
            fixed.extend(r[7 + extra..].iter().cloned());
            fixed
        })
        .collect();
    let column = |name: &str| header.iter().position(|h| h == name).expect("a column");
    let row = |id: &str| rows.iter().find(|r| r[0] == id).expect("a row");
    let dated = row("lost-cause-by-1925");
    assert_eq!(dated[column("known_through")], "1925");
    assert_eq!(dated[column("post")], "3");
    // The model's own scenario of that world is reused.
    assert_eq!(dated[column("scenario")], "known_1925");
    assert_eq!(dated[column("verdict")], "supported");
    // No parameter uncertainty is left: 200,000 independent trials.
    let se = (0.25_f64 * 0.75 / 2e5).sqrt();
    let estimate = number(&dated[column("estimate")]);
    assert!((estimate - 0.25).abs() < 4.0 * se, "{estimate}");
    let added = row("open-in-1923");
    assert_eq!(added[column("known_through")], "1923");
    assert_eq!(added[column("scenario")], "known_through_1923");
    let estimate = number(&added[column("estimate")]);
    assert!(
        (estimate - 0.53).abs() < 4.0 * (0.53_f64 * 0.47 / 2e5).sqrt(),
        "{estimate}"
    );
    assert_eq!(row("undated")[column("known_through")], "");
    // The verdict table says which world.
    assert!(stdout.contains("known through 1925"), "{stdout}");
    assert!(stdout.contains("known through 1923"), "{stdout}");
    // The added world is a scenario of the run like any other.
    let outcomes = csv(&out.join("outcomes.csv"));
    let p = number(&cell(&outcomes, "known_through_1923", "won", "p_mean"));
    assert_eq!(p, number(&added[column("estimate")]));
}

#[test]
fn a_claim_with_both_scenario_and_known_through_is_refused_at_its_line() {
    let dir = temp();
    let claims = dir.path().join("c.toml");
    let text = std::fs::read_to_string("tests/claims/chain.toml")
        .expect("the fixture")
        .replace(
            "model = \"../models/chain.toml\"",
            &format!(
                "model = \"{}\"",
                Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join("tests/models/chain.toml")
                    .display()
            ),
        )
        .replace(
            "known_through = 1925\n",
            "known_through = 1925\nscenario = \"open\"\n",
        );
    std::fs::write(&claims, text).expect("written");
    let run = uchronia(&[
        "claims",
        arg(&claims),
        "--quiet",
        "--out",
        arg(&dir.path().join("o")),
    ]);
    assert_eq!(run.status, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains(":16:1: error: a claim gives `scenario` or `known_through`, not both"),
        "{}",
        run.stderr
    );
}

/// Runs `uchronia inevitability` on the chain with `extra` options into `out`.
fn inevitability(extra: &[&str], out: &Path) -> String {
    let mut args = vec!["inevitability", "tests/models/chain.toml"];
    args.extend(extra);
    run_ok(&args, out)
}

/// `inevitability.csv` rows as (known_through, outcome) -> (p_mean, mc_se, facts).
fn curve_rows(out: &Path) -> Vec<(i32, String, f64, f64, usize)> {
    let (header, rows) = csv(&out.join("inevitability.csv"));
    assert_eq!(
        header.join(","),
        "known_through,outcome,p_mean,mc_se,p_q05,p_q50,p_q95,facts,label"
    );
    rows.iter()
        .map(|r| {
            (
                r[0].parse().expect("a year"),
                r[1].clone(),
                number(&r[2]),
                number(&r[3]),
                r[7].parse().expect("a count"),
            )
        })
        .collect()
}

#[test]
fn inevitability_curves_are_exact_on_the_chain_within_four_standard_errors() {
    let dir = temp();
    let out = dir.path().join("inev");
    let stdout = inevitability(&[], &out);
    // By hand (tests/models/chain.toml): P(purge) = 0.4 + 0.4 pa with
    // E[pa] = 0.5; won = 0.25 + 0.35 P(purge), lost = 0.25 + 0.05 P(purge),
    // draw = 0.5 - 0.4 P(purge).
    let exact = [
        (1919, 0, [0.46, 0.28, 0.26]),
        (1920, 1, [0.53, 0.29, 0.18]),
        (1925, 2, [0.25, 0.25, 0.50]),
        (1930, 3, [1.0, 0.0, 0.0]),
    ];
    let rows = curve_rows(&out);
    assert_eq!(rows.len(), 12);
    for (year, facts, ps) in exact {
        for (outcome, p) in ["won", "lost", "draw"].iter().zip(ps) {
            let row = rows
                .iter()
                .find(|r| r.0 == year && r.1 == *outcome)
                .unwrap_or_else(|| panic!("no row {year},{outcome}"));
            assert_eq!(row.4, facts, "{row:?}");
            // At least the binomial error of the trials, so a zero mc_se
            // of a settled outcome cannot hide a wrong value.
            let se = row.3.max((p * (1.0 - p) / 2e5_f64).sqrt()).max(1e-12);
            assert!((row.2 - p).abs() <= 4.0 * se, "{row:?} vs {p}");
        }
    }
    // Known through 1920, the purge is likelier and a win with it.
    assert!(stdout.contains("known through"), "{stdout}");
    for file in [
        "inevitability_won.png",
        "inevitability_lost.png",
        "inevitability_draw.png",
        "inevitability_stacked.png",
        "run.json",
    ] {
        assert!(out.join(file).is_file(), "{file}");
    }
}

#[test]
fn inevitability_is_byte_identical_across_thread_counts() {
    let dir = temp();
    let (one, two) = (dir.path().join("one"), dir.path().join("two"));
    inevitability(&["--threads", "1"], &one);
    inevitability(&["--threads", "2"], &two);
    for file in [
        "inevitability.csv",
        "inevitability_won.png",
        "inevitability_stacked.png",
    ] {
        let a = std::fs::read(one.join(file)).expect("written");
        let b = std::fs::read(two.join(file)).expect("written");
        assert!(a == b, "{file} differs");
    }
}

#[test]
fn a_dated_claim_equals_the_curves_value_for_its_year() {
    let dir = temp();
    let (curves, claims) = (dir.path().join("curves"), dir.path().join("claims"));
    inevitability(&["--outcome", "won"], &curves);
    run_ok(
        &[
            "claims",
            "tests/claims/chain.toml",
            "--lexicon",
            "data/estimative-words.toml",
        ],
        &claims,
    );
    let text = std::fs::read_to_string(claims.join("claims.csv")).expect("claims.csv");
    let line = text
        .lines()
        .find(|l| l.starts_with("lost-cause-by-1925,"))
        .expect("the dated claim");
    // The estimate comes after the band (`says` holds a quoted comma).
    let after = &line[line.find("\",").expect("says is quoted") + 2..];
    let cells: Vec<&str> = after.split(',').collect();
    let estimate = number(cells[2]);
    let rows = curve_rows(&curves);
    let at_1925 = rows
        .iter()
        .find(|r| r.0 == 1925 && r.1 == "won")
        .expect("the 1925 point");
    assert_eq!(estimate, at_1925.2, "{line}");
}

#[test]
fn inevitability_refuses_a_model_without_facts_and_a_numeric_outcome() {
    let dir = temp();
    let run = uchronia(&[
        "inevitability",
        &model("small"),
        "--out",
        arg(&dir.path().join("o")),
    ]);
    assert_eq!(run.status, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("has no node with both `year` and `fact`"),
        "{}",
        run.stderr
    );
    let run = uchronia(&[
        "inevitability",
        &model("chain"),
        "--outcome",
        "wno",
        "--out",
        arg(&dir.path().join("o")),
    ]);
    assert_eq!(run.status, 2, "{}", run.stderr);
    assert!(run.stderr.contains("did you mean 'won'?"), "{}", run.stderr);
}

/// `--ex-ante` draws the curve without hindsight: with the uprising's
/// chance marked `hindsight` and given an ex-ante prior of 0.1-0.3 (mean
/// 0.2), the war is won with 0.25 + 0.35 (0.4 + 0.4 x 0.2) = 0.418 while
/// nothing is known, against 0.46 with the model's own prior; once the
/// uprising is a fact (1920) the prior no longer matters (0.53 either way).
#[test]
fn inevitability_ex_ante_draws_the_curve_without_hindsight() {
    let dir = temp();
    let text = std::fs::read_to_string(model("chain")).expect("the chain");
    let marked = text.replace(
        "[params.pa]\n",
        "[params.pa]\nhindsight = \"set knowing the uprising came\"\nex_ante = { dist = \"uniform\", low = 0.1, high = 0.3 }\n",
    );
    assert_ne!(marked, text);
    let chain = dir.path().join("chain.toml");
    std::fs::write(&chain, marked).expect("written");
    let out = dir.path().join("inev");
    let stdout = run_ok(
        &[
            "inevitability",
            arg(&chain),
            "--outcome",
            "won",
            "--ex-ante",
        ],
        &out,
    );
    assert!(
        stdout.starts_with("ex ante: 1 param(s) draw from their `ex_ante` prior, not the one set with hindsight: `pa`"),
        "{stdout}"
    );
    let rows = curve_rows(&out);
    for (year, p) in [(1919, 0.418), (1920, 0.53)] {
        let row = (rows.iter())
            .find(|r| r.0 == year && r.1 == "won")
            .unwrap_or_else(|| panic!("no row {year}"));
        let se = row.3.max((p * (1.0 - p) / 2e5_f64).sqrt());
        assert!((row.2 - p).abs() <= 4.0 * se, "{row:?} vs {p}");
    }
    let run_json = std::fs::read_to_string(out.join("run.json")).expect("run.json");
    assert!(
        run_json.contains("\"ex_ante\": [\n    \"pa\"\n  ]"),
        "{run_json}"
    );
    // The chain itself has no ex-ante prior: nothing to change, bad input.
    let run = uchronia(&[
        "inevitability",
        &model("chain"),
        "--ex-ante",
        "--out",
        arg(&dir.path().join("none")),
    ]);
    assert_eq!(run.status, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("has an `ex_ante` prior, so there is nothing to change"),
        "{}",
        run.stderr
    );
}

#[test]
fn inevitability_keeps_the_output_folders_safety() {
    let dir = temp();
    let out = dir.path().join("mine");
    std::fs::create_dir(&out).expect("a folder");
    std::fs::write(out.join("notes.txt"), "mine").expect("written");
    let run = uchronia(&["inevitability", &model("chain"), "--out", arg(&out)]);
    assert_eq!(run.status, 2, "{}", run.stderr);
    assert!(out.join("notes.txt").is_file());
}

#[test]
fn inevitability_with_a_scenario_applies_its_do_after_the_facts() {
    let dir = temp();
    let out = dir.path().join("inev");
    inevitability(&["--scenario", "no_uprising", "--outcome", "won"], &out);
    let rows = curve_rows(&out);
    // No uprising: P(purge) = 0.4, won = 0.25 + 0.35 * 0.4 = 0.39 until the
    // purge's fact (false) gives 0.25, then the war's gives 1.
    for (year, p) in [(1919, 0.39), (1920, 0.39), (1925, 0.25), (1930, 1.0)] {
        let row = rows.iter().find(|r| r.0 == year).expect("a row");
        let se = row.3.max((p * (1.0 - p) / 2e5_f64).sqrt()).max(1e-12);
        assert!((row.2 - p).abs() <= 4.0 * se, "{row:?} vs {p}");
    }
}

#[test]
fn calibrate_scores_the_models_facts_that_the_scenario_leaves_free() {
    let dir = temp();
    let history = dir.path().join("history.toml");
    std::fs::write(
        &history,
        "scenario = \"known_1925\"\n[outcomes]\nwon = true\n",
    )
    .expect("written");
    let out = dir.path().join("cal");
    let run = uchronia(&[
        "calibrate",
        &model("chain"),
        arg(&history),
        "--trials",
        "200000",
        "--draws",
        "50",
        "--out",
        arg(&out),
    ]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let text = std::fs::read_to_string(out.join("calibration.csv")).expect("written");
    let rows: Vec<&str> = text.lines().skip(1).collect();
    // known_1925 fixes the uprising and the purge to their facts: only the
    // war is left to foresee, and it is scored as P(war == 'won') = 0.25.
    assert_eq!(rows.len(), 2, "{text}");
    let war = rows
        .iter()
        .find(|r| r.starts_with("fact.war,boolean,true,"))
        .expect("the war's fact is scored");
    let p = number(war.split(',').nth(3).expect("p_or_q50"));
    assert!(
        (p - 0.25).abs() < 4.0 * (0.25_f64 * 0.75 / 2e5).sqrt(),
        "{war}"
    );
    assert!(war.contains("the model's fact: war = 'won'"), "{war}");
}

#[test]
fn shards_of_a_run_with_dated_claims_merge_into_the_same_tables() {
    let dir = temp();
    let run = |extra: &[&str], out: &Path| {
        let mut args = vec![
            "run",
            "tests/models/chain.toml",
            "--claims",
            "tests/claims/chain.toml",
            "--lexicon",
            "data/estimative-words.toml",
        ];
        args.extend(extra);
        run_ok(&args, out)
    };
    let (one, two) = (dir.path().join("s1"), dir.path().join("s2"));
    run(&["--shard", "1/2"], &one);
    run(&["--shard", "2/2"], &two);
    let (merged, plain) = (dir.path().join("merged"), dir.path().join("plain"));
    let merge = uchronia(&["merge", arg(&one), arg(&two), "--out", arg(&merged)]);
    assert_eq!(merge.status, 0, "{}", merge.stderr);
    run(&[], &plain);
    let a = std::fs::read_to_string(merged.join("outcomes.csv")).expect("merged");
    let b = std::fs::read_to_string(plain.join("outcomes.csv")).expect("plain");
    assert!(a.contains("known_through_1923,won,"), "{a}");
    assert_eq!(a, b);
}

#[test]
fn run_prints_the_chronology_warning_and_strict_refuses_it() {
    let dir = temp();
    let text = std::fs::read_to_string(model("chain"))
        .expect("the fixture")
        .replace("year = 1920\n", "year = 1926\n");
    let path = dir.path().join("late.toml");
    std::fs::write(&path, text).expect("written");
    let out = dir.path().join("o");
    let run = uchronia(&[
        "run",
        arg(&path),
        "--trials",
        "2000",
        "--draws",
        "10",
        "--quiet",
        "--out",
        arg(&out),
    ]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("late.toml:27:9: warning: purge (1921-1925) reads uprising (1926), which is decided later"),
        "{}",
        run.stderr
    );
    let strict = uchronia(&["run", arg(&path), "--strict", "--quiet", "--out", arg(&out)]);
    assert_eq!(strict.status, 2, "{}", strict.stderr);
    let strict = uchronia(&[
        "inevitability",
        arg(&path),
        "--strict",
        "--quiet",
        "--out",
        arg(&out),
    ]);
    assert_eq!(strict.status, 2, "{}", strict.stderr);
}
