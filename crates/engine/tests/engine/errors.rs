//! Run-time errors: every class the language defines stops the run with a
//! message naming the node or outcome, the scenario, the draw and the params;
//! lazy evaluation never raises an error a skipped operand would have.

use uchronia_engine::{RunError, RuntimeError};
use uchronia_model::{DistKind, Function, Model, Part, Value};

use crate::support::*;

/// A model with one param `theta` (fixed at `theta`), a boolean `coin`, and
/// the node built by `build`, named `bad`; one scenario `main`.
fn with_node(theta: f64, build: impl FnOnce(&mut Builder, usize, usize)) -> Model {
    let mut b = Builder::new();
    let t = b.param("theta", dist(DistKind::Fixed, &[theta]));
    let _unrelated = b.param("unrelated", dist(DistKind::Fixed, &[3.0]));
    let coin = b.boolean("coin", num(0.5));
    build(&mut b, t, coin);
    b.scenario("main", vec![], vec![]);
    b.build()
}

fn error_of(model: &Model) -> RuntimeError {
    match try_run(model, &config(1, 3, 100, vec![0])) {
        Err(RunError::Model(e)) => e,
        Err(other) => panic!("expected a model error, got {other}"),
        Ok(_) => panic!("expected a model error, the run succeeded"),
    }
}

/// Checks the error names `bad` in scenario `main` at draw 0 and says `says`.
fn expect_node_error(model: &Model, says: &str) -> String {
    let e = error_of(model);
    let text = e.to_string();
    assert_eq!(e.node_or_outcome, "bad", "{text}");
    assert_eq!(e.scenario, "main");
    assert_eq!(e.draw, 0);
    assert!(
        text.starts_with("node bad in scenario main, parameter draw 0: "),
        "{text}"
    );
    assert!(text.contains(says), "{text:?} should contain {says:?}");
    text
}

#[test]
fn probability_outside_range_names_node_scenario_draw_and_params() {
    let model = with_node(0.65, |b, t, _| {
        b.boolean("bad", mul(param(t), num(2.0)));
    });
    let e = error_of(&model);
    assert_eq!(e.params, vec![("theta".to_string(), 0.65)]);
    assert_eq!(
        e.to_string(),
        "node bad in scenario main, parameter draw 0: probability 1.3 is outside [0, 1] (params: theta = 0.65)"
    );
}

#[test]
fn probability_params_include_ancestors_through_nodes() {
    let model = with_node(0.65, |b, t, coin| {
        let mid = b.derived("mid", iff(node(coin), param(t), param(t)));
        b.boolean("bad", add(node(mid), num(1.0)));
    });
    let e = error_of(&model);
    assert_eq!(e.params, vec![("theta".to_string(), 0.65)]);
}

#[test]
fn probability_within_tolerance_is_clamped() {
    let model = with_node(0.0, |b, _, coin| {
        let x = b.boolean("bad", iff(node(coin), num(1.0 + 5e-10), num(-5e-10)));
        b.event("x_is_coin", eq(node(x), node(coin)));
    });
    let tally = run_ok(&model, &config(1, 2, 1000, vec![0]));
    assert_eq!(
        p_mean(&tally, 0, 0),
        1.0,
        "p = 1 + 5e-10 is 1, p = -5e-10 is 0"
    );
}

#[test]
fn infinite_and_nan_probabilities() {
    let model = with_node(0.0, |b, t, _| {
        b.boolean("bad", call(Function::Ln, vec![param(t)]));
    });
    expect_node_error(&model, "probability -inf is outside [0, 1]");
    let model = with_node(0.0, |b, t, _| {
        b.boolean("bad", div(param(t), param(t)));
    });
    expect_node_error(&model, "probability NaN is outside [0, 1]");
}

#[test]
fn categorical_probability_errors() {
    let states = ["a", "b", "c"];
    let model = with_node(0.5, |b, t, _| {
        b.categorical(
            "bad",
            &states,
            vec![p_row(
                None,
                vec![Some(param(t)), Some(num(0.3)), Some(num(0.3))],
            )],
        );
    });
    expect_node_error(&model, ", not 1");
    let model = with_node(0.9, |b, t, _| {
        b.categorical(
            "bad",
            &states,
            vec![p_row(None, vec![Some(param(t)), Some(num(0.3)), None])],
        );
    });
    expect_node_error(&model, "for state 'c'");
    let model = with_node(1.5, |b, t, _| {
        b.categorical(
            "bad",
            &states,
            vec![p_row(None, vec![Some(param(t)), None, Some(num(0.0))])],
        );
    });
    expect_node_error(&model, "probability 1.5 of state 'a' is outside [0, 1]");
    let model = with_node(-0.5, |b, t, _| {
        b.categorical(
            "bad",
            &states,
            vec![w_row(None, vec![num(1.0), param(t), num(1.0)])],
        );
    });
    expect_node_error(&model, "weight -0.5 of state 'b' is negative");
    let model = with_node(0.0, |b, t, _| {
        b.categorical(
            "bad",
            &states,
            vec![w_row(None, vec![param(t), param(t), num(-1e-10)])],
        );
    });
    expect_node_error(&model, "the weights sum to zero");
    let model = with_node(0.0, |b, t, _| {
        b.categorical(
            "bad",
            &states,
            vec![w_row(
                None,
                vec![num(1.0), div(num(1.0), param(t)), num(1.0)],
            )],
        );
    });
    expect_node_error(&model, "weight of state 'b' is inf");
}

#[test]
fn tiny_negative_weights_count_as_zero() {
    let model = with_node(0.0, |b, _, _| {
        let x = b.categorical(
            "bad",
            &["a", "b"],
            vec![w_row(None, vec![num(-1e-10), num(2.0)])],
        );
        let s = b.state("a");
        b.event("is_a", eq(node(x), state(s)));
    });
    let tally = run_ok(&model, &config(1, 1, 5000, vec![0]));
    assert_eq!(p_mean(&tally, 0, 0), 0.0);
}

#[test]
fn distribution_argument_errors() {
    let model = with_node(-1.0, |b, t, _| {
        b.numeric(
            "bad",
            DistKind::Normal,
            vec![num(0.0), param(t)],
            None,
            None,
            false,
        );
    });
    let text = expect_node_error(&model, "distribution arguments: ");
    assert!(text.contains("(params: theta = -1)"), "{text}");
    let model = with_node(0.0, |b, t, _| {
        b.numeric(
            "bad",
            DistKind::Beta,
            vec![div(param(t), param(t)), num(1.0)],
            None,
            None,
            false,
        );
    });
    expect_node_error(&model, "beta argument a is NaN");
    let model = with_node(0.0, |b, t, _| {
        b.numeric(
            "bad",
            DistKind::Normal,
            vec![div(num(1.0), param(t)), num(1.0)],
            None,
            None,
            false,
        );
    });
    expect_node_error(&model, "normal argument mean is inf");
    let model = with_node(2.0, |b, t, _| {
        b.numeric_ci90("bad", DistKind::Normal, param(t), num(1.0));
    });
    expect_node_error(&model, "distribution arguments: ");
    // The same error with per-trial arguments.
    let model = with_node(-1.0, |b, t, coin| {
        b.numeric(
            "bad",
            DistKind::Normal,
            vec![num(0.0), iff(node(coin), param(t), param(t))],
            None,
            None,
            false,
        );
    });
    expect_node_error(&model, "distribution arguments: ");
}

#[test]
fn bound_errors() {
    let model = with_node(2.0, |b, t, _| {
        b.numeric(
            "bad",
            DistKind::Normal,
            vec![num(0.0), num(1.0)],
            Some(param(t)),
            Some(num(1.0)),
            false,
        );
    });
    expect_node_error(&model, "lower bound 2 is greater than upper bound 1");
    let model = with_node(0.0, |b, t, _| {
        b.numeric(
            "bad",
            DistKind::Normal,
            vec![num(0.0), num(1.0)],
            None,
            Some(div(num(1.0), param(t))),
            false,
        );
    });
    expect_node_error(&model, "upper bound is inf");
    let model = with_node(2.0, |b, t, coin| {
        b.derived(
            "bad",
            call(
                Function::Clamp,
                vec![iff(node(coin), num(1.0), num(0.0)), param(t), num(1.0)],
            ),
        );
    });
    expect_node_error(
        &model,
        "clamp lower bound 2 is greater than its upper bound 1",
    );
    let model = with_node(0.0, |b, t, coin| {
        b.derived(
            "bad",
            call(
                Function::Clamp,
                vec![
                    iff(node(coin), num(1.0), num(0.0)),
                    num(0.0),
                    div(num(1.0), param(t)),
                ],
            ),
        );
    });
    expect_node_error(&model, "a clamp bound is inf");
}

#[test]
fn bounds_crossed_in_some_trials_only() {
    // The bounds change every trial and cross only where `coin` holds: the
    // batch cannot be clamped at once, and trial by trial the fault is named.
    let model = with_node(2.0, |b, t, coin| {
        b.numeric(
            "bad",
            DistKind::Normal,
            vec![num(0.0), num(1.0)],
            Some(iff(node(coin), param(t), num(0.0))),
            Some(num(1.0)),
            false,
        );
    });
    expect_node_error(&model, "lower bound 2 is greater than upper bound 1");
}

#[test]
fn nan_comparison_and_nan_through_min() {
    let model = with_node(-1.0, |b, t, _| {
        let x = b.derived("x", call(Function::Sqrt, vec![param(t)]));
        b.boolean("bad", iff(gt(node(x), num(0.0)), num(0.5), num(0.1)));
    });
    expect_node_error(&model, "NaN reaches a comparison");
    let model = with_node(-1.0, |b, t, coin| {
        let m = call(
            Function::Min,
            vec![
                call(Function::Sqrt, vec![param(t)]),
                iff(node(coin), num(0.2), num(0.3)),
            ],
        );
        b.boolean("bad", m);
    });
    expect_node_error(&model, "probability NaN");
    // Infinities pass comparisons.
    let model = with_node(0.0, |b, t, _| {
        let x = b.derived("x", call(Function::Ln, vec![param(t)]));
        b.boolean("bad", iff(gt(node(x), num(0.0)), num(0.5), num(0.1)));
    });
    run_ok(&model, &config(1, 1, 100, vec![0]));
}

#[test]
fn outcome_errors_name_the_outcome() {
    let model = with_node(0.0, |b, t, coin| {
        let x = b.derived("x", iff(node(coin), div(num(1.0), param(t)), num(1.0)));
        b.value("bad_value", node(x), None);
    });
    let e = error_of(&model);
    assert_eq!(e.node_or_outcome, "bad_value");
    assert!(e.is_outcome);
    let text = e.to_string();
    assert!(
        text.starts_with(
            "outcome bad_value in scenario main, parameter draw 0: outcome value is inf"
        ),
        "{text}"
    );
    assert!(text.ends_with("(params: theta = 0)"), "{text}");
}

#[test]
fn laziness_guards_errors() {
    // `x_ok and x > 5` where x is NaN exactly when x_ok is false.
    let model = with_node(-1.0, |b, t, coin| {
        let x = b.derived(
            "x",
            iff(node(coin), num(7.0), call(Function::Sqrt, vec![param(t)])),
        );
        b.event("big", and(node(coin), gt(node(x), num(5.0))));
        b.event("or_form", or(not(node(coin)), gt(node(x), num(5.0))));
        // An `if` whose untaken branch would fail (the condition is not constant).
        let always = or(node(coin), not(node(coin)));
        b.boolean(
            "safe",
            iff(
                always.clone(),
                num(0.5),
                call(Function::Clamp, vec![num(0.5), num(1.0), num(0.0)]),
            ),
        );
        // A table whose later rows would fail if evaluated.
        b.categorical(
            "table",
            &["a", "b"],
            vec![
                p_row(Some(always), vec![Some(num(0.5)), None]),
                p_row(Some(gt(node(x), num(0.0))), vec![Some(num(2.0)), None]),
                w_row(None, vec![num(-1.0), num(1.0)]),
            ],
        );
    });
    let tally = run_ok(&model, &config(1, 2, 4000, vec![0]));
    let p = p_mean(&tally, 0, 0);
    assert!((p - 0.5).abs() < 0.05, "{p}");
    // Constant folding is lazy too: a constant-false guard drops the failing side.
    let model = with_node(-1.0, |b, t, _| {
        let never = b.boolean("never", num(0.0));
        b.boolean("safe", iff(node(never), num(2.0), num(0.5)));
        b.event(
            "e",
            and(
                node(never),
                gt(call(Function::Sqrt, vec![param(t)]), num(1.0)),
            ),
        );
    });
    run_ok(&model, &config(1, 2, 100, vec![0]));
}

#[test]
fn interventions_skip_failing_expressions() {
    let mut b = Builder::new();
    let t = b.param("theta", dist(DistKind::Fixed, &[3.0]));
    let bad = b.boolean("bad", param(t));
    b.event("bad", node(bad));
    b.scenario("broken", vec![], vec![]);
    b.scenario("fixed", vec![(bad, Value::Boolean(true))], vec![]);
    let model = b.build();
    let tally = run_ok(&model, &config(1, 2, 100, vec![1]));
    assert_eq!(p_mean(&tally, 0, 0), 1.0);
    let e = match try_run(&model, &config(1, 2, 100, vec![1, 0])) {
        Err(RunError::Model(e)) => e,
        _ => panic!("expected an error"),
    };
    assert_eq!(e.scenario, "broken");
}

#[test]
fn the_reported_error_is_the_first_by_draw_and_is_the_same_on_any_thread_count() {
    let mut b = Builder::new();
    let t = b.param("theta", dist(DistKind::Uniform, &[0.0, 1.0]));
    let x = b.boolean("x", num(0.5));
    b.event("x", node(x));
    b.scenario("main", vec![], vec![]);
    let clean = b.model.clone();
    b.boolean("bad", iff(gt(param(t), num(0.9)), num(2.0), num(0.5)));
    let model = b.build();
    let values = run_ok(&clean, &config(17, 200, 1, vec![0]));
    let config = config(17, 200, 50_000, vec![0]);
    let first = values.scenarios[0]
        .draws
        .iter()
        .position(|d| d.params[0] > 0.9)
        .expect("some draw above 0.9");
    assert!(
        first > 0,
        "the test needs a failing draw that is not the first"
    );
    let one = match run_on(1, &model, &config) {
        Err(RunError::Model(e)) => e,
        _ => panic!("expected an error"),
    };
    let two = match run_on(2, &model, &config) {
        Err(RunError::Model(e)) => e,
        _ => panic!("expected an error"),
    };
    assert_eq!(one.draw, first as u64);
    assert_eq!(one, two);
}

/// Two error sources that fire at random trials: `bad1` (earlier in node
/// order) when the rare `c1` holds, `bad2` when the common `c2` holds.
/// `harmless` builds the same graph with valid probabilities instead.
fn two_sources(harmless: bool) -> Model {
    let mut b = Builder::new();
    let c1 = b.boolean("c1", num(0.05));
    let c2 = b.boolean("c2", num(0.3));
    let bad = if harmless { 0.9 } else { 2.0 };
    let bad1 = b.boolean("bad1", iff(node(c1), num(bad), num(0.5)));
    let bad2 = b.boolean("bad2", iff(node(c2), num(bad), num(0.5)));
    b.event("c1", node(c1));
    b.event("c2", node(c2));
    b.scenario("only_bad1", vec![(bad2, Value::Boolean(false))], vec![]);
    b.scenario("only_bad2", vec![(bad1, Value::Boolean(false))], vec![]);
    b.scenario("both", vec![], vec![]);
    b.build()
}

#[test]
fn the_first_error_is_by_trial_then_scenario_then_node_even_inside_a_batch() {
    let clean = two_sources(true);
    let model = two_sources(false);
    let mut meaningful = 0;
    for seed in 0..8 {
        // The first k trials of a draw are the same whatever T is, so the
        // hit counts for T = 1, 2, ... recover each trial's c1 and c2.
        let mut c1 = Vec::new();
        let mut c2 = Vec::new();
        let mut previous = (0, 0);
        for k in 1..=64 {
            let tally = run_ok(&clean, &config(seed, 1, k, vec![0]));
            let hits = |o: usize| match tally.scenarios[0].draws[0].outcomes[o] {
                uchronia_engine::OutcomeTally::Boolean { hits, .. } => hits,
                _ => unreachable!(),
            };
            let now = (hits(0), hits(1));
            c1.push(now.0 > previous.0);
            c2.push(now.1 > previous.1);
            previous = now;
        }
        let Some(first) = (0..64).find(|&t| c1[t] || c2[t]) else {
            continue;
        };
        let expected_node = if c1[first] { "bad1" } else { "bad2" };
        let expected_scenario = if c1[first] { "only_bad1" } else { "only_bad2" };
        // A run that took the batch's first fault, scenario by scenario or
        // node by node, would report bad1 here instead.
        if !c1[first] && c1[first..].iter().any(|&x| x) {
            meaningful += 1;
        }
        for (scenarios, name) in [(vec![0, 1], expected_scenario), (vec![2], "both")] {
            let e = match try_run(&model, &config(seed, 1, 64, scenarios)) {
                Err(RunError::Model(e)) => e,
                _ => panic!("expected an error"),
            };
            assert_eq!(
                (e.node_or_outcome.as_str(), e.scenario.as_str()),
                (expected_node, name),
                "seed {seed}"
            );
        }
    }
    assert!(
        meaningful >= 2,
        "only {meaningful} seeds exercised the ordering"
    );
}

/// The part of `bad` (or of the outcome) a run-time error blames.
fn part_of(model: &Model) -> Option<Part> {
    error_of(model).part
}

#[test]
fn faults_name_the_expression_that_gave_the_bad_value() {
    // A boolean node's `p`.
    let model = with_node(0.65, |b, t, _| {
        b.boolean("bad", mul(param(t), num(2.0)));
    });
    assert_eq!(part_of(&model), Some(Part::P));
    // A NaN comparison inside a derived node's value.
    let model = with_node(-1.0, |b, t, _| {
        let x = b.derived("x", call(Function::Sqrt, vec![param(t)]));
        b.derived("bad", iff(gt(node(x), num(0.0)), num(0.5), num(0.1)));
    });
    assert_eq!(part_of(&model), Some(Part::Value));
    // Categorical rows, counted in the model: a constant-false row is
    // dropped when compiled but keeps its number.
    let states = ["a", "b", "c"];
    let never = || Some(not(tru()));
    let model = with_node(1.5, |b, t, coin| {
        b.categorical(
            "bad",
            &states,
            vec![
                p_row(never(), vec![Some(num(1.0)), None, None]),
                p_row(Some(node(coin)), vec![Some(num(0.5)), None, None]),
                p_row(None, vec![Some(param(t)), None, Some(num(0.0))]),
            ],
        );
    });
    assert_eq!(part_of(&model), Some(Part::Entry { row: 2, state: 0 }));
    let model = with_node(0.5, |b, t, _| {
        b.categorical(
            "bad",
            &states,
            vec![p_row(
                None,
                vec![Some(param(t)), Some(num(0.3)), Some(num(0.3))],
            )],
        );
    });
    assert_eq!(part_of(&model), Some(Part::Probs { row: 0 }));
    let model = with_node(-0.5, |b, t, _| {
        b.categorical(
            "bad",
            &states,
            vec![w_row(None, vec![num(1.0), param(t), num(1.0)])],
        );
    });
    assert_eq!(part_of(&model), Some(Part::Entry { row: 0, state: 1 }));
    let model = with_node(0.0, |b, t, _| {
        b.categorical(
            "bad",
            &states,
            vec![w_row(None, vec![param(t), param(t), param(t)])],
        );
    });
    assert_eq!(part_of(&model), Some(Part::Probs { row: 0 }));
    let model = with_node(-1.0, |b, t, _| {
        let root = call(Function::Sqrt, vec![param(t)]);
        b.categorical(
            "bad",
            &["a", "b"],
            vec![
                p_row(Some(gt(root, num(0.0))), vec![Some(num(0.5)), None]),
                p_row(None, vec![Some(num(0.2)), None]),
            ],
        );
    });
    assert_eq!(part_of(&model), Some(Part::When { row: 0 }));
    // Distribution arguments, by their index; ci90 ends 0 and 1.
    let model = with_node(-1.0, |b, t, coin| {
        b.numeric(
            "bad",
            DistKind::Normal,
            vec![num(0.0), iff(node(coin), param(t), param(t))],
            None,
            None,
            false,
        );
    });
    assert_eq!(part_of(&model), Some(Part::Arg(1)));
    let model = with_node(0.0, |b, t, _| {
        b.numeric(
            "bad",
            DistKind::Beta,
            vec![div(param(t), param(t)), num(1.0)],
            None,
            None,
            false,
        );
    });
    assert_eq!(part_of(&model), Some(Part::Arg(0)));
    let model = with_node(0.0, |b, t, _| {
        b.numeric_ci90("bad", DistKind::Normal, num(1.0), div(num(1.0), param(t)));
    });
    assert_eq!(part_of(&model), Some(Part::Arg(1)));
    // Bounds: crossed ones blame `lower`.
    let model = with_node(2.0, |b, t, _| {
        b.numeric(
            "bad",
            DistKind::Normal,
            vec![num(0.0), num(1.0)],
            Some(param(t)),
            Some(num(1.0)),
            false,
        );
    });
    assert_eq!(part_of(&model), Some(Part::Lower));
    let model = with_node(0.0, |b, t, _| {
        b.numeric(
            "bad",
            DistKind::Normal,
            vec![num(0.0), num(1.0)],
            None,
            Some(div(num(1.0), param(t))),
            false,
        );
    });
    assert_eq!(part_of(&model), Some(Part::Upper));
    // Outcomes: the value and the condition.
    let model = with_node(0.0, |b, t, coin| {
        let x = b.derived("x", iff(node(coin), div(num(1.0), param(t)), num(1.0)));
        b.value("bad_value", node(x), None);
    });
    assert_eq!(part_of(&model), Some(Part::Value));
    let model = with_node(-1.0, |b, t, coin| {
        let x = b.derived(
            "x",
            iff(node(coin), call(Function::Sqrt, vec![param(t)]), num(1.0)),
        );
        b.value("bad_given", node(x), Some(gt(node(x), num(0.0))));
    });
    assert_eq!(part_of(&model), Some(Part::Given));
}
