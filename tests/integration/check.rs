//! `uchronia check`: what it prints about a valid model, and its warnings.

use crate::util::{arg, model, temp, uchronia};

fn position(text: &str, needle: &str) -> usize {
    text.find(needle)
        .unwrap_or_else(|| panic!("'{needle}' not in:\n{text}"))
}

#[test]
fn check_lists_params_nodes_in_topological_order_outcomes_and_scenarios() {
    let run = uchronia(&["check", &model("small")]);
    assert_eq!(run.status, 0, "stderr: {}", run.stderr);
    let out = &run.stdout;
    assert!(out.contains("beta(a = 3, b = 7)"), "{out}");
    assert!(out.contains("uniform(low = 1930, high = 1940)"), "{out}");

    let nodes = &out[position(out, "\nnodes")..position(out, "\noutcomes")];
    // `crisis` comes first in the file but depends on `leader`.
    let order: Vec<usize> = ["reform ", "leader ", "crisis ", "reformer_in_power "]
        .iter()
        .map(|name| position(nodes, &format!("\n  {name}")))
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{nodes}");
    assert!(position(nodes, "\n  crisis_year ") > 0);
    assert!(nodes.contains("parents: leader"), "{nodes}");
    assert!(
        nodes.contains("categorical [reformer, hardliner, council]"),
        "{nodes}"
    );
    assert!(nodes.contains("numeric normal"), "{nodes}");
    assert!(nodes.contains("derived boolean"), "{nodes}");

    let outcomes = &out[position(out, "\noutcomes")..position(out, "\nscenarios")];
    assert!(outcomes.contains("crisis_start"));
    assert!(
        outcomes.contains("numeric, given a condition"),
        "{outcomes}"
    );

    let scenarios = &out[position(out, "\nscenarios")..];
    assert!(scenarios.contains("do reform = false"), "{scenarios}");
    assert!(
        scenarios.contains("do reform = true; set support = fixed(value = 0.5)"),
        "{scenarios}"
    );
    assert!(out.contains("is valid"));
}

#[test]
fn check_warns_about_source_keys_that_data_sources_does_not_define() {
    let dir = temp();
    std::fs::create_dir(dir.path().join("models")).expect("models/");
    std::fs::create_dir(dir.path().join("data")).expect("data/");
    let copy = dir.path().join("models").join("small.toml");
    std::fs::copy(model("small"), &copy).expect("copied");
    std::fs::write(
        dir.path().join("data").join("sources.toml"),
        "[known_book]\ntitle = \"A book\"\n",
    )
    .expect("sources");
    let run = uchronia(&["check", arg(&copy)]);
    assert_eq!(run.status, 0, "stderr: {}", run.stderr);
    assert!(run.stdout.contains("missing_book"), "{}", run.stdout);
    assert!(!run.stdout.contains("`known_book`"), "{}", run.stdout);
    assert!(run.stdout.contains("warnings (1)"), "{}", run.stdout);

    // Without data/sources.toml nothing can be checked, and nothing is said.
    std::fs::remove_file(dir.path().join("data").join("sources.toml")).expect("removed");
    let run = uchronia(&["check", arg(&copy)]);
    assert_eq!(run.status, 0);
    assert!(!run.stdout.contains("missing_book"), "{}", run.stdout);
}

#[test]
fn check_warns_about_missing_docs_and_still_succeeds() {
    let path = model("undocumented");
    let run = uchronia(&["check", &path]);
    assert_eq!(run.status, 0, "stderr: {}", run.stderr);
    for name in [
        "param `x`",
        "node `event`",
        "outcome `event_happens`",
        "scenario `base`",
    ] {
        assert!(
            run.stdout
                .lines()
                .any(|line| line.contains(&path) && line.contains(name) && line.contains("doc")),
            "no warning for {name}:\n{}",
            run.stdout
        );
    }
}

#[test]
fn strict_turns_warnings_into_errors_but_not_sourcing_notes() {
    let dir = temp();
    std::fs::create_dir_all(dir.path().join("models")).expect("models");
    std::fs::create_dir_all(dir.path().join("data")).expect("data");
    let text = "[model]\nname = \"s\"\ntitle = \"S\"\n\n[params.x]\ndoc = \"d\"\nsource = [\"nowhere\"]\ndist = \"beta\"\na = 2\nb = 2\n\n[nodes.n]\ndoc = \"d\"\np = \"x * 5\"\n\n[outcomes.o]\ndoc = \"d\"\nwhen = \"n\"\n\n[scenarios.base]\ndoc = \"d\"\n";
    let path = dir.path().join("models").join("s.toml");
    std::fs::write(&path, text).expect("model");
    std::fs::write(
        dir.path().join("data").join("sources.toml"),
        "[known]\ntitle = \"K\"\n",
    )
    .expect("sources");

    // Without --strict: a warning at the expression, exit 0.
    let run = uchronia(&["check", arg(&path)]);
    assert_eq!(run.status, 0, "stderr: {}", run.stderr);
    assert!(
        run.stdout
            .contains("s.toml:14:6: warning: the probability of `n` can reach [0, 5]"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("clamp(x * 5, 0, 1)"), "{}", run.stdout);

    // With --strict: the same, as an error, exit 2; the sourcing note is not one.
    let run = uchronia(&["check", arg(&path), "--strict"]);
    assert_eq!(run.status, 2, "stdout: {}", run.stdout);
    assert!(
        run.stderr
            .contains("s.toml:14:6: error: the probability of `n` can reach [0, 5]"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("--strict: the model has 1 warning"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("nowhere"), "{}", run.stderr);

    // `run` shows the range warning, and refuses to start with --strict.
    let out = dir.path().join("out");
    let run = uchronia(&[
        "run",
        arg(&path),
        "--trials",
        "100",
        "--draws",
        "2",
        "--quiet",
        "--strict",
        "--out",
        arg(&out),
    ]);
    assert_eq!(run.status, 2, "stderr: {}", run.stderr);
    assert!(!out.exists());

    // Clamped, the model passes --strict (the unsourced key is only a note).
    std::fs::write(&path, text.replace("x * 5", "clamp(x * 5, 0, 1)")).expect("model");
    let run = uchronia(&["check", arg(&path), "--strict"]);
    assert_eq!(run.status, 0, "stderr: {}", run.stderr);
    assert!(run.stdout.contains("nowhere"), "{}", run.stdout);
}

#[test]
fn check_shows_each_nodes_years_and_fact_and_the_facts_a_scenario_fixes() {
    let run = uchronia(&["check", &model("chain")]);
    assert_eq!(run.status, 0, "stderr: {}", run.stderr);
    let out = &run.stdout;
    let nodes = &out[position(out, "\nnodes")..position(out, "\noutcomes")];
    assert!(nodes.contains("year 1920, fact true"), "{nodes}");
    assert!(nodes.contains("year 1921-1925, fact false"), "{nodes}");
    assert!(nodes.contains("year 1928-1930, fact 'won'"), "{nodes}");
    let scenarios = &out[position(out, "\nscenarios")..];
    assert!(
        scenarios.contains("facts_through = 1925 (2 facts)\n"),
        "{scenarios}"
    );
    assert!(
        scenarios.contains("facts_through = 1920 (0 facts); do uprising = false"),
        "{scenarios}"
    );
    // A scenario that only repeats facts is still confounded against one
    // that fixes nothing (contract 1.1, section 2).
    assert!(
        out.contains("scenario known_1925 is confounded against open"),
        "{out}"
    );
    assert!(!out.contains("decided later"), "{out}");
}

#[test]
fn a_model_without_years_shows_no_time_column() {
    let run = uchronia(&["check", &model("small")]);
    assert!(!run.stdout.contains(" year 1"), "{}", run.stdout);
    assert!(!run.stdout.contains(", fact"), "{}", run.stdout);
}
