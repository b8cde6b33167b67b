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
