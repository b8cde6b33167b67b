//! Property-based fuzzing of the model crate's two entry points, short
//! enough for every `cargo test` (a few hundred cases each, seconds): the
//! coverage-guided fuzzers in `fuzz/` run the same entry points for minutes
//! (docs/testing.md). Properties: `load` and `compile_expression` return,
//! never panic, on any text; every diagnostic points inside its text (its
//! span within the source, its line within the file) and renders; and an
//! expression generated from the grammar with known names always parses.

use uchronia_test_support::mutate;

use proptest::prelude::*;
use uchronia_model::{Diagnostic, Model, compile_expression, load};

/// A valid model with every kind of node, the base of the mutations.
const BASE: &str = r#"[model]
name = "prop"
title = "Properties"

[params.support]
doc = "d"
dist = "beta"
a = 3
b = 7

[params.shift]
dist = "normal"
ci90 = [-1, 1]

[nodes.reform]
p = "support"

[nodes.leader]
states = ["reformer", "hardliner", "council"]

[[nodes.leader.table]]
when = "reform"
p = { reformer = "0.6", hardliner = 0.3 }

[[nodes.leader.table]]
weights = { reformer = 1, hardliner = 8, council = 1 }

[nodes.year]
dist = "normal"
mean = "1930 + shift"
sd = 2
round = true

[nodes.in_power]
value = "leader == 'reformer'"

[outcomes.reformer_leads]
when = "in_power"

[outcomes.start]
value = "year"
given = "reform"

[scenarios.history]
do = { reform = false }

[scenarios.reform_passes]
do = { reform = true }
set = { support = { dist = "beta", a = 4, b = 6 } }
"#;

/// Pieces of the language the mutations insert: keys, values, tables,
/// operators, and hostile bits (deep nesting, huge numbers, Unicode).
const TOKENS: &[&str] = &[
    "[nodes.x]\n",
    "[params.y]\n",
    "[[nodes.leader.table]]\n",
    "p = ",
    "value = ",
    "dist = ",
    "\"beta\"",
    "states = [\"a\", \"a\"]",
    "weights = ",
    "{ ",
    " }",
    "[",
    "]",
    "\"",
    "'",
    "=",
    "\n",
    " and ",
    " or ",
    "not ",
    "(",
    ")",
    "^",
    "-",
    "/ 0",
    "1e400",
    "nan",
    "inf",
    "99999999999999999999",
    "-0.0",
    "é",
    "😀",
    "\u{0}",
    "if(",
    "min(",
    "clamp(",
    ",",
    "reform",
    "leader",
    "'council'",
    "support",
    "year",
    "start",
    "((((((((((((((((((((",
    "[[[[[[[[[[",
    "a.b.c.d = 1\n",
    "\"\"\"",
    "\r\n",
    "\t",
    "#",
    "do = { leader = 'x' }",
];

/// A diagnostic about `source` points inside it and renders.
fn sound(diagnostic: &Diagnostic, source: &str) -> Result<(), TestCaseError> {
    let lines = source.split('\n').count();
    prop_assert!(
        diagnostic.line >= 1 && diagnostic.line <= lines,
        "{diagnostic:?}"
    );
    prop_assert!(diagnostic.column >= 1, "{diagnostic:?}");
    if let Some(span) = diagnostic.span {
        prop_assert!(
            span.start <= span.end && span.end <= source.len(),
            "{diagnostic:?}"
        );
    }
    prop_assert!(!diagnostic.to_string().is_empty());
    Ok(())
}

/// The base model, loaded once.
fn base_model() -> &'static Model {
    static MODEL: std::sync::OnceLock<Model> = std::sync::OnceLock::new();
    MODEL.get_or_init(|| {
        load("base.toml", BASE)
            .expect("the base model is valid")
            .model
    })
}

/// Expressions from the grammar over the base model's names (well typed or
/// not: the point is that they parse).
fn expression() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        (0u32..1000).prop_map(|n| format!("{}", f64::from(n) / 100.0)),
        Just("support".to_string()),
        Just("shift".to_string()),
        Just("reform".to_string()),
        Just("year".to_string()),
        Just("leader".to_string()),
        Just("'council'".to_string()),
        Just("true".to_string()),
        Just("start".to_string()),
    ];
    leaf.prop_recursive(6, 48, 3, |inner| {
        let ops = prop::sample::select(vec![
            "+", "-", "*", "/", "^", "<", "<=", "==", "!=", "and", "or",
        ]);
        let functions = prop::sample::select(vec![
            "min", "max", "exp", "ln", "sqrt", "abs", "floor", "round", "logistic", "logit",
        ]);
        prop_oneof![
            (inner.clone(), ops, inner.clone()).prop_map(|(a, op, b)| format!("({a} {op} {b})")),
            // `not` binds looser than arithmetic: `0 + not x` is an error.
            inner.clone().prop_map(|a| format!("(not {a})")),
            inner.clone().prop_map(|a| format!("(-{a})")),
            (functions, inner.clone(), inner.clone()).prop_map(|(f, a, b)| {
                if matches!(f, "min" | "max") {
                    format!("{f}({a}, {b})")
                } else {
                    format!("{f}({a})")
                }
            }),
            (inner.clone(), inner.clone(), inner)
                .prop_map(|(c, a, b)| format!("if({c}, {a}, {b})")),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 300,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn load_never_panics_on_a_mutated_model(edits in prop::collection::vec(mutate::edit(TOKENS.len(), 80), 1..8)) {
        let text = mutate::apply(BASE, &edits, TOKENS);
        match load("m.toml", &text) {
            Ok(loaded) => {
                for warning in &loaded.warnings {
                    sound(warning, &text)?;
                }
            }
            Err(diagnostics) => {
                prop_assert!(!diagnostics.0.is_empty());
                for diagnostic in &diagnostics.0 {
                    sound(diagnostic, &text)?;
                }
            }
        }
    }

    #[test]
    fn load_never_panics_on_arbitrary_text(text in "(?s).{0,400}") {
        if let Err(diagnostics) = load("m.toml", &text) {
            for diagnostic in &diagnostics.0 {
                sound(diagnostic, &text)?;
            }
        }
    }

    #[test]
    fn expressions_from_the_grammar_always_parse(text in expression(), outcomes in any::<bool>()) {
        // Type errors are fine; syntax errors would be a parser bug.
        if let Err(error) = compile_expression(base_model(), &text, outcomes) {
            prop_assert!(error.span.end <= text.len(), "{error:?} in {text}");
            let syntax = ["unexpected", "expected", "empty expression", "nested too deeply", "too deep"];
            prop_assert!(
                !syntax.iter().any(|s| error.message.starts_with(s)),
                "{error} in {text}"
            );
        }
    }

    #[test]
    fn compile_expression_never_panics_on_token_soup(
        tokens in prop::collection::vec(0..TOKENS.len(), 0..30),
        outcomes in any::<bool>(),
    ) {
        let text: String = tokens.iter().map(|&t| TOKENS[t]).collect();
        if let Err(error) = compile_expression(base_model(), &text, outcomes) {
            prop_assert!(error.span.start <= error.span.end && error.span.end <= text.len(), "{error:?}");
            prop_assert!(!error.to_string().is_empty());
        }
    }
}
