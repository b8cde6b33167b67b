//! Property-based fuzzing of the claims loader, short enough for every
//! `cargo test`: mutations of the shipped claims file go through `parse`
//! and `compile` against the shipped model and lexicon. They must return,
//! never panic, and every diagnostic must point inside the file and render.
//! The coverage-guided fuzzer `fuzz/fuzz_targets/claims.rs` runs the same
//! entry points for minutes (docs/testing.md).

use std::sync::OnceLock;

use uchronia_test_support::mutate;

use proptest::prelude::*;
use uchronia_claims::Lexicon;
use uchronia_model::{Diagnostic, Model};

const MODEL: &str = include_str!("../../../models/trotsky.toml");
const LEXICON: &str = include_str!("../../../data/estimative-words.toml");

/// A small valid claims file about the shipped model, the base of the
/// mutations: an absolute claim with `given`, a band, a comparative claim.
const BASE: &str = r#"model = "../../models/trotsky.toml"

[source]
title = "Properties"
kind = "test"

[[claims]]
id = "leads"
author = "a"
quote = "q"
scenario = "testament_1923"
event = "leader_1928 == 'trotsky'"
given = "not trotsky_ill"
says = "unlikely"

[[claims]]
id = "band"
author = "a"
quote = "q"
scenario = "history"
event = "trotsky_leads_1928"
says = [0.0, 0.2]

[[claims]]
id = "worse"
author = "a"
quote = "q"
scenario = "testament_1923"
than = "history"
event = "trotsky_leads_1928"
says = "much higher"
"#;

const TOKENS: &[&str] = &[
    "[[claims]]\n",
    "[source]\n",
    "id = \"x\"\n",
    "says = ",
    "\"likely\"",
    "\"much lower\"",
    "[0.9, 0.1]",
    "[nan, 1]",
    "1e400",
    "99999999999999999999",
    "than = \"history\"\n",
    "given = \"",
    "event = \"",
    "scenario = \"",
    "\"",
    "'",
    "(",
    ")",
    " and ",
    "not ",
    "==",
    "'trotsky'",
    "leader_1928",
    "trotsky_cc_support",
    "é",
    "\u{0}",
    "\n",
    "=",
    "{",
    "}",
    "[",
    "]",
    "((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((",
    "model = \"x\"\n",
];

fn fixtures() -> &'static (Model, Lexicon) {
    static FIXTURES: OnceLock<(Model, Lexicon)> = OnceLock::new();
    FIXTURES.get_or_init(|| {
        let model = uchronia_model::load("models/trotsky.toml", MODEL)
            .expect("the shipped model is valid")
            .model;
        let lexicon = uchronia_claims::load_lexicon("data/estimative-words.toml", LEXICON)
            .expect("the shipped lexicon is valid");
        (model, lexicon)
    })
}

fn sound(diagnostic: &Diagnostic, source: &str) -> Result<(), TestCaseError> {
    let lines = source.split('\n').count();
    prop_assert!(
        diagnostic.line >= 1 && diagnostic.line <= lines,
        "{diagnostic:?}"
    );
    if let Some(span) = diagnostic.span {
        prop_assert!(
            span.start <= span.end && span.end <= source.len(),
            "{diagnostic:?}"
        );
    }
    prop_assert!(!diagnostic.to_string().is_empty());
    Ok(())
}

/// Runs both stages; checks every diagnostic either gives.
fn exercise(text: &str) -> Result<(), TestCaseError> {
    let (model, lexicon) = fixtures();
    let file = match uchronia_claims::parse("c.toml", text) {
        Ok(file) => file,
        Err(diagnostics) => {
            for diagnostic in &diagnostics.0 {
                sound(diagnostic, text)?;
            }
            return Ok(());
        }
    };
    match uchronia_claims::compile(&file, model, lexicon) {
        Ok(claims) => {
            let (attached, ids) = uchronia_claims::attach(model, &claims);
            prop_assert_eq!(ids.len(), claims.len());
            prop_assert_eq!(attached.outcomes.len(), model.outcomes.len() + claims.len());
        }
        Err(diagnostics) => {
            for diagnostic in &diagnostics.0 {
                sound(diagnostic, text)?;
            }
        }
    }
    Ok(())
}

#[test]
fn the_base_claims_compile() {
    let (model, lexicon) = fixtures();
    let file = uchronia_claims::parse("c.toml", BASE).expect("parses");
    let claims = uchronia_claims::compile(&file, model, lexicon).expect("compiles");
    assert_eq!(claims.len(), 3);
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 300,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn parse_and_compile_never_panic_on_a_mutated_file(edits in prop::collection::vec(mutate::edit(TOKENS.len(), 120), 1..8)) {
        exercise(&mutate::apply(BASE, &edits, TOKENS))?;
    }

    #[test]
    fn parse_and_compile_never_panic_on_arbitrary_text(text in "(?s).{0,300}") {
        exercise(&text)?;
    }
}
