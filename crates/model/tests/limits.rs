//! Limits that hold: large models load in time linear in their size, and
//! hostile sizes (many states, many errors, a line of megabytes, a text past
//! the size limit) get a bounded answer. Timings are compared between two
//! sizes rather than against a clock, so that a slow or busy machine does not
//! fail them: linear work grows 10x from 2,000 to 20,000 nodes, quadratic
//! 100x; the bound between them (40x) leaves room for a machine whose load
//! changes between the two timings.

use std::time::{Duration, Instant};

use uchronia_model::{MAX_KEPT, MAX_SOURCE_BYTES, load};

/// A model of `n` boolean nodes in a chain, each depending on the one
/// before, with or without docs (without, each node gets a warning).
fn chain(n: usize, docs: bool) -> String {
    let doc = if docs { "doc = \"d\"\n" } else { "" };
    let mut text = format!(
        "[model]\nname = \"big\"\ntitle = \"Big\"\n\n[params.s]\n{doc}dist = \"beta\"\na = 3\nb = 7\n\n[nodes.n0]\n{doc}p = \"s\"\n\n"
    );
    for i in 1..n {
        text.push_str(&format!(
            "[nodes.n{i}]\n{doc}p = \"if(n{}, 0.6, 0.4)\"\n\n",
            i - 1
        ));
    }
    text.push_str(&format!(
        "[outcomes.o]\n{doc}when = \"n{}\"\n\n[scenarios.base]\n{doc}",
        n - 1
    ));
    text
}

/// The fastest of three loads of `text` (the least disturbed by other work).
fn time_load(text: &str) -> Duration {
    (0..3)
        .map(|_| {
            let started = Instant::now();
            let loaded = load("big.toml", text).expect("the model is valid");
            assert!(!loaded.model.nodes.is_empty());
            started.elapsed()
        })
        .min()
        .expect("three runs")
}

#[test]
fn twenty_thousand_nodes_load_in_linear_time() {
    for docs in [true, false] {
        let small = time_load(&chain(2_000, docs));
        let large = time_load(&chain(20_000, docs));
        let ratio = large.as_secs_f64() / small.as_secs_f64().max(1e-6);
        // Linear is 10; quadratic would be 100. A shared machine.
        assert!(
            ratio < 40.0,
            "docs {docs}: 2,000 nodes {small:?}, 20,000 nodes {large:?} (x{ratio:.1})"
        );
        assert!(
            large < Duration::from_secs(20),
            "20,000 nodes took {large:?}"
        );
    }
}

#[test]
fn warnings_past_the_cap_are_counted_not_kept() {
    let loaded = load("big.toml", &chain(3_000, false)).expect("valid");
    // 3,000 nodes, a param, an outcome and a scenario lack their docs.
    assert_eq!(loaded.warnings.len(), 1001);
    let last = loaded.warnings.last().expect("a summary").to_string();
    assert!(
        last.contains("2003 more warnings not shown (only the first 1000 are)"),
        "{last}"
    );
}

#[test]
fn a_node_with_a_hundred_thousand_states_loads() {
    let n = 100_000;
    let states: Vec<String> = (0..n).map(|i| format!("\"s{i}\"")).collect();
    let weights: Vec<String> = (0..n).map(|i| format!("s{i} = 1")).collect();
    let text = format!(
        "[model]\nname = \"m\"\ntitle = \"t\"\n[nodes.c]\nstates = [{}]\nweights = {{ {} }}\n[outcomes.o]\nwhen = \"c == 's7'\"\n[scenarios.base]\n",
        states.join(", "),
        weights.join(", ")
    );
    let started = Instant::now();
    let loaded = load("m.toml", &text).expect("valid");
    assert_eq!(loaded.model.state_names.len(), n);
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn errors_past_the_cap_are_counted_and_long_lines_are_cut() {
    // One line of 20,000 unknown keys in an inline table: 20,000 errors on
    // a line of about 200 KB. Quadratic work here would take minutes.
    let keys: Vec<String> = (0..20_000).map(|i| format!("bad_key_{i} = 1")).collect();
    let text = format!(
        "params = {{ p = {{ dist = \"fixed\", value = 1, {} }} }}\n[model]\nname = \"m\"\ntitle = \"t\"\n[scenarios.base]\n",
        keys.join(", ")
    );
    let started = Instant::now();
    let errors = load("m.toml", &text).expect_err("invalid").0;
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(errors.len(), 101, "100 errors and the count of the rest");
    assert!(
        errors[100]
            .message
            .ends_with("more errors not shown (only the first 100 are)"),
        "{}",
        errors[100].message
    );
    for error in &errors[..100] {
        assert_eq!(error.line, 1);
        assert!(error.source_line.chars().count() <= MAX_KEPT);
        // The window still holds the offending key under the caret.
        let shown = error.to_string();
        assert!(shown.contains("bad_key_"), "{shown}");
        assert!(
            shown.lines().all(|line| line.chars().count() < 400),
            "{shown}"
        );
    }
}

#[test]
fn a_text_past_the_size_limit_is_refused_without_parsing() {
    let mut text = String::from("[model]\nname = \"m\"\ntitle = \"t\"\n[scenarios.base]\n");
    text.push_str(&"#".repeat(MAX_SOURCE_BYTES));
    let errors = load("big.toml", &text).expect_err("too large").0;
    assert_eq!(errors.len(), 1);
    assert!(
        errors[0]
            .message
            .contains("the limit is 16777216 bytes (16 MiB)"),
        "{}",
        errors[0].message
    );
}

#[test]
fn deep_toml_nesting_is_an_error_not_a_stack_overflow() {
    for (open, middle, close) in [("[", "", "]"), ("{b=", "1", "}")] {
        let text = format!(
            "a = {}{middle}{}\n",
            open.repeat(100_000),
            close.repeat(100_000)
        );
        let errors = load("deep.toml", &text).expect_err("refused").0;
        assert!(
            errors[0].message.starts_with("invalid TOML"),
            "{}",
            errors[0].message
        );
    }
    let text = format!("a{} = 1\n", ".a".repeat(100_000));
    let errors = load("deep.toml", &text).expect_err("refused").0;
    assert!(
        errors[0].message.contains("recursion limit"),
        "{}",
        errors[0].message
    );
}

#[test]
fn integers_beyond_64_bits_are_named() {
    let text = "[model]\nname = \"m\"\ntitle = \"t\"\n[params.p]\ndist = \"fixed\"\nvalue = 99999999999999999999\n[nodes.e]\np = 0.5\n[outcomes.o]\nwhen = \"e\"\n[scenarios.base]\ndo = { e = -99999999999999999999 }\n";
    let errors = load("m.toml", text).expect_err("invalid").0;
    let messages: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "integer `99999999999999999999` does not fit in 64 bits",
            "integer `-99999999999999999999` does not fit in 64 bits",
        ]
    );
    assert_eq!((errors[0].line, errors[0].column), (6, 9));
}
