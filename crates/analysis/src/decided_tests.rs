//! Tests of [`crate::decided`]: small models where what the expressions
//! decide is known by hand, and the shipped Trotsky claim decided through
//! its tables.

use uchronia_claims::Claim;
use uchronia_model::{Expr, Model};

use crate::decided::decided_value;
use crate::findings::Flag;
use crate::flags::graph_flags;

/// `gate` can only happen after `trigger` (its probability is 0 otherwise).
/// Given `gate`, every row of `shape` still possible puts all its weight on
/// `x` or `y`; `loose` has the same rows but one keeps a parameter-dependent
/// probability on `z`.
const MODEL: &str = r#"
[model]
name = "tables"
title = "Decided through tables"

[params.q]
doc = "An uncertain probability."
dist = "uniform"
low = 0
high = 1

[nodes.trigger]
doc = "Trigger."
p = "q"

[nodes.other]
doc = "Another chance."
states = ["a", "b"]
p = { a = "q" }

[nodes.gate]
doc = "Only after the trigger."
p = "if(trigger, q, 0)"

[nodes.escalates]
doc = "Derived from the gate."
value = "trigger and (gate or other == 'b')"

[nodes.shape]
doc = "Decided by the gate."
states = ["x", "y", "z"]

[[nodes.shape.table]]
when = "not trigger"
p = { z = "q", x = 0, y = 0 }

[[nodes.shape.table]]
when = "escalates and other == 'b'"
weights = { x = 1, y = 0, z = 0 }

[[nodes.shape.table]]
when = "escalates"
weights = { x = 0, y = 1, z = 0 }

[[nodes.shape.table]]
p = { x = "q", y = "1 - q", z = 0 }

[nodes.loose]
doc = "Like shape, but one row leaves z to a parameter."
states = ["x", "y", "z"]

[[nodes.loose.table]]
when = "not trigger"
p = { z = "q", x = 0, y = 0 }

[[nodes.loose.table]]
when = "escalates and other == 'b'"
weights = { x = 1, y = 0, z = 0 }

[[nodes.loose.table]]
when = "escalates"
p = { y = "q", x = 0 }

[[nodes.loose.table]]
p = { x = "q", y = "1 - q", z = 0 }

[nodes.sure]
doc = "Certain."
p = 1

[outcomes.gate_happens]
doc = "The gate."
when = "gate"

[scenarios.history]
doc = "As it went."

[scenarios.no_trigger]
doc = "No trigger."
do = { trigger = false }
"#;

fn model() -> Model {
    uchronia_model::load("tables.toml", MODEL)
        .expect("valid model")
        .model
}

fn expr(model: &Model, text: &str) -> Expr {
    uchronia_model::compile_expression(model, text, true)
        .expect("valid expression")
        .0
}

/// What `event` is decided to be given `given` in scenario `scenario`.
fn decided(event: &str, given: Option<&str>, scenario: usize) -> Option<f64> {
    let m = model();
    let event = expr(&m, event);
    let given = given.map(|g| expr(&m, g));
    decided_value(&m, &event, given.as_ref(), scenario)
}

#[test]
fn a_table_decides_the_event_given_its_condition() {
    let claimed = "shape == 'x' or shape == 'y'";
    assert_eq!(decided(claimed, Some("gate"), 0), Some(1.0));
    // Through an outcome, too.
    assert_eq!(decided(claimed, Some("gate_happens"), 0), Some(1.0));
    // Which of the two is chance (`other`).
    assert_eq!(decided("shape == 'x'", Some("gate"), 0), None);
    // Without the condition, chance decides.
    assert_eq!(decided(claimed, None, 0), None);
    assert_eq!(decided(claimed, Some("other == 'b'"), 0), None);
}

#[test]
fn a_row_that_keeps_a_parameter_dependent_probability_is_not_decided() {
    assert_eq!(
        decided("loose == 'x' or loose == 'y'", Some("gate"), 0),
        None
    );
    assert_eq!(
        decided("loose != 'z'", Some("gate and other == 'b'"), 0),
        Some(1.0)
    );
}

#[test]
fn fixings_constants_and_impossible_conditions() {
    // `do` cuts the trigger: the gate's probability is a constant 0.
    assert_eq!(decided("gate", None, 1), Some(0.0));
    assert_eq!(
        decided("shape", None, 1),
        Some(f64::from(state(&model(), "z")))
    );
    assert_eq!(decided("gate", None, 0), None);
    assert_eq!(decided("sure", None, 0), Some(1.0));
    assert_eq!(decided("sure and trigger", None, 0), None);
    // A condition no world meets decides nothing.
    assert_eq!(
        decided("shape == 'x'", Some("gate and not trigger"), 0),
        None
    );
    assert_eq!(decided("shape == 'x'", Some("gate"), 1), None);
}

/// The id of the state named `name`.
fn state(model: &Model, name: &str) -> u32 {
    let index = model
        .state_names
        .iter()
        .position(|s| s == name)
        .expect("a state");
    u32::try_from(index).expect("few states")
}

/// The shipped Trotsky model and thread, compiled (nothing is run).
fn trotsky() -> (Model, Vec<Claim>, Vec<usize>) {
    let mut model = uchronia_model::load(
        "models/trotsky.toml",
        include_str!("../../../models/trotsky.toml"),
    )
    .expect("valid model")
    .model;
    let lexicon = uchronia_claims::load_lexicon(
        "estimative-words.toml",
        include_str!("../../../data/estimative-words.toml"),
    )
    .expect("valid lexicon");
    let file = uchronia_claims::parse(
        "trotsky-thread.toml",
        include_str!("../../../data/claims/trotsky-thread.toml"),
    )
    .expect("valid claims");
    // The dated claims (`known_through`) read scenarios the run adds.
    uchronia_claims::known::add_known_scenarios(&mut model, std::slice::from_ref(&file));
    // So do the matched baselines that claims name (`S~baseline`).
    uchronia_claims::matched::add_matched_baselines(&mut model, std::slice::from_ref(&file));
    let claims = uchronia_claims::compile(&file, &model, &lexicon).expect("claims compile");
    let (extended, outcomes) = uchronia_claims::attach(&model, &claims);
    (extended, claims, outcomes)
}

/// The second edition of the claims file tests every claim as its author
/// meant it: none may be settled by the model's construction (the first
/// edition's `war-against-ussr`, conditioned on its own event, was).
#[test]
fn no_shipped_claim_is_by_construction() {
    let (model, claims, outcomes) = trotsky();
    let decided: Vec<&str> = claims
        .iter()
        .zip(&outcomes)
        .filter(|(claim, outcome)| {
            graph_flags(&model, claim, **outcome).contains(&Flag::ByConstruction)
        })
        .map(|(claim, _)| claim.id.as_str())
        .collect();
    assert!(decided.is_empty(), "{decided:?}");
}
