//! Sampled probabilities against exact answers enumerated by hand, for an
//! observational scenario and one that intervenes on a middle node.

use uchronia_model::{DistKind, Function, Model, Value};

use crate::support::*;

/// rain -> sprinkler -> wet, and a categorical weather node with a table
/// that depends on rain, feeding `slippery`.
struct Network {
    model: Model,
    rain: usize,
    wet: usize,
    stormy: usize,
    slippery: usize,
    sunny_given_wet: usize,
}

fn network() -> Network {
    let mut b = Builder::new();
    // Params are fixed, so every draw has the same exact answer.
    let p_rain = b.param("p_rain", dist(DistKind::Fixed, &[0.2]));
    let rain = b.boolean("rain", param(p_rain));
    let sprinkler = b.boolean("sprinkler", iff(node(rain), num(0.01), num(0.4)));
    let wet = b.boolean(
        "wet",
        iff(
            and(node(rain), node(sprinkler)),
            num(0.99),
            iff(
                node(rain),
                num(0.8),
                iff(node(sprinkler), num(0.9), num(0.0)),
            ),
        ),
    );
    let sunny = b.state("sunny");
    let stormy_state = b.state("stormy");
    let weather = b.categorical(
        "weather",
        &["sunny", "cloudy", "stormy"],
        vec![
            p_row(Some(node(rain)), vec![Some(num(0.1)), Some(num(0.5)), None]),
            w_row(None, vec![num(6.0), num(3.0), num(1.0)]),
        ],
    );
    let slippery = b.boolean(
        "slippery",
        iff(
            or(eq(node(weather), state(stormy_state)), node(wet)),
            num(0.7),
            num(0.05),
        ),
    );
    let o_rain = b.event("rain", node(rain));
    let o_wet = b.event("wet", node(wet));
    let o_stormy = b.event("stormy", eq(node(weather), state(stormy_state)));
    let o_slippery = b.event("slippery", node(slippery));
    let o_sunny_given_wet = b.event_given(
        "sunny_given_wet",
        eq(node(weather), state(sunny)),
        outcome(o_wet),
    );
    b.scenario("observe", vec![], vec![]);
    b.scenario(
        "sprinkler_on",
        vec![(sprinkler, Value::Boolean(true))],
        vec![],
    );
    Network {
        model: b.build(),
        rain: o_rain,
        wet: o_wet,
        stormy: o_stormy,
        slippery: o_slippery,
        sunny_given_wet: o_sunny_given_wet,
    }
}

/// Exact probabilities by enumeration: (rain, wet, stormy, slippery, sunny | wet).
fn exact(sprinkler_forced: bool) -> [f64; 5] {
    let (mut rain_p, mut wet_p, mut stormy_p, mut slippery_p, mut sunny_wet) =
        (0.0, 0.0, 0.0, 0.0, 0.0);
    for rain in [false, true] {
        let pr = if rain { 0.2 } else { 0.8 };
        for sprinkler in [false, true] {
            let p_s = if rain { 0.01 } else { 0.4 };
            let ps = if sprinkler_forced {
                f64::from(u8::from(sprinkler))
            } else if sprinkler {
                p_s
            } else {
                1.0 - p_s
            };
            let p_wet = match (rain, sprinkler) {
                (true, true) => 0.99,
                (true, false) => 0.8,
                (false, true) => 0.9,
                (false, false) => 0.0,
            };
            for wet in [false, true] {
                let pw = if wet { p_wet } else { 1.0 - p_wet };
                let weather: [f64; 3] = if rain {
                    [0.1, 0.5, 0.4]
                } else {
                    [0.6, 0.3, 0.1]
                };
                for (w, pweather) in weather.iter().enumerate() {
                    let stormy = w == 2;
                    let prob = pr * ps * pw * pweather;
                    let p_slip = if stormy || wet { 0.7 } else { 0.05 };
                    rain_p += prob * f64::from(u8::from(rain));
                    wet_p += prob * f64::from(u8::from(wet));
                    stormy_p += prob * f64::from(u8::from(stormy));
                    slippery_p += prob * p_slip;
                    if wet && w == 0 {
                        sunny_wet += prob;
                    }
                }
            }
        }
    }
    [rain_p, wet_p, stormy_p, slippery_p, sunny_wet / wet_p]
}

#[test]
fn observational_and_intervened_match_enumeration() {
    let net = network();
    let (draws, trials) = (4, 150_000);
    let tally = run_ok(&net.model, &config(11, draws, trials, vec![0, 1]));
    let n = (draws * trials) as f64;
    for scenario in 0..2 {
        let expected = exact(scenario == 1);
        let outcomes = [
            net.rain,
            net.wet,
            net.stormy,
            net.slippery,
            net.sunny_given_wet,
        ];
        for (o, p) in outcomes.into_iter().zip(expected) {
            let got = p_mean(&tally, scenario, o);
            // The conditional one is over fewer trials: its n is n * P(wet).
            let trials_used = if o == net.sunny_given_wet {
                n * expected[1]
            } else {
                n
            };
            let se = (p * (1.0 - p) / trials_used).sqrt();
            assert!(
                (got - p).abs() < 4.0 * se,
                "scenario {scenario} outcome {o}: sampled {got}, exact {p}, se {se}"
            );
        }
    }
    // The intervention changes downstream (wet) but not upstream (rain).
    let observe = exact(false);
    let forced = exact(true);
    assert!((observe[0] - forced[0]).abs() < 1e-15);
    assert!(forced[1] - observe[1] > 0.3);
    // Rain draws are common random numbers: identical counts in both scenarios.
    let rain0 = p_draws(&tally, 0, net.rain);
    let rain1 = p_draws(&tally, 1, net.rain);
    assert_eq!(rain0, rain1);
}

#[test]
fn given_counts_only_trials_where_it_holds() {
    let net = network();
    let tally = run_ok(&net.model, &config(5, 1, 50_000, vec![0]));
    let draw = &tally.scenarios[0].draws[0];
    let (
        uchronia_engine::OutcomeTally::Boolean {
            given: wet_hits, ..
        },
        uchronia_engine::OutcomeTally::Boolean { given, hits },
    ) = (draw.outcomes[net.wet], draw.outcomes[net.sunny_given_wet])
    else {
        panic!("boolean outcomes");
    };
    assert_eq!(
        wet_hits, 50_000,
        "an outcome without given counts every trial"
    );
    let wet_count = match draw.outcomes[net.wet] {
        uchronia_engine::OutcomeTally::Boolean { hits, .. } => hits,
        _ => unreachable!(),
    };
    assert_eq!(given, wet_count);
    assert!(hits < given);
}

/// Tables over a numeric derived node of booleans (inlined into its
/// parents) and over a categorical whose state ids have gaps (a state
/// shared with another node) give the exact answers.
#[test]
fn tables_through_derived_scores_and_shared_states() {
    let mut b = Builder::new();
    let a = b.boolean("a", num(0.3));
    let c = b.boolean("c", num(0.6));
    // A score summed from booleans, then a logistic of it.
    let score = b.derived(
        "score",
        add(
            iff(node(a), num(2.0), num(-1.0)),
            iff(node(c), num(0.5), num(0.0)),
        ),
    );
    let up = b.boolean("up", call(Function::Logistic, vec![node(score)]));
    // Interned ids: first = 0, middle = 1, last = 2 ... then other = 3, so
    // `second`'s states are {3, 0, 4}: not consecutive.
    b.categorical(
        "first",
        &["first", "middle", "last"],
        vec![w_row(None, vec![num(1.0), num(1.0), num(1.0)])],
    );
    let other = b.state("other");
    let first_state = b.state("first");
    let second = b.categorical(
        "second",
        &["other", "first", "fourth"],
        vec![
            p_row(Some(node(a)), vec![Some(num(0.5)), Some(num(0.25)), None]),
            w_row(None, vec![num(1.0), num(2.0), num(1.0)]),
        ],
    );
    let _ = other;
    let hit = b.boolean(
        "hit",
        iff(
            eq(node(second), state(first_state)),
            num(0.9),
            iff(node(c), num(0.2), num(0.0)),
        ),
    );
    let o_up = b.event("up", node(up));
    let o_hit = b.event("hit", node(hit));
    b.scenario("base", vec![], vec![]);
    let model = b.build();

    let logistic = |x: f64| 1.0 / (1.0 + (-x).exp());
    let mut p_up = 0.0;
    let mut p_hit = 0.0;
    for (va, pa) in [(true, 0.3), (false, 0.7)] {
        for (vc, pc) in [(true, 0.6), (false, 0.4)] {
            let s = if va { 2.0 } else { -1.0 } + if vc { 0.5 } else { 0.0 };
            p_up += pa * pc * logistic(s);
            let p_first = if va { 0.25 } else { 0.5 };
            p_hit += pa * pc * (p_first * 0.9 + (1.0 - p_first) * if vc { 0.2 } else { 0.0 });
        }
    }
    let n = 400_000u64;
    let tally = run_ok(&model, &config(31, 1, n, vec![0]));
    for (o, p) in [(o_up, p_up), (o_hit, p_hit)] {
        let got = p_mean(&tally, 0, o);
        let se = (p * (1.0 - p) / n as f64).sqrt();
        assert!(
            (got - p).abs() < 4.0 * se,
            "outcome {o}: sampled {got}, exact {p}"
        );
    }
}

/// A categorical node whose rows read a number (so it has no table) and
/// whose `when`s read booleans, one of them through a derived node: the
/// row is chosen by a lookup over the `when`s' parents, the probabilities
/// come from the number every trial. Exact answers by enumeration, with and
/// without an intervention on a parent of the `when`s.
#[test]
fn rows_over_a_number_chosen_by_discrete_whens() {
    let mut b = Builder::new();
    let coin = b.boolean("coin", num(0.5));
    let other = b.boolean("other", num(0.5));
    let both = b.derived("both", and(node(coin), node(other)));
    // E[u] = 1/2, E[u^2] = 1/3.
    let u = b.uniform("u");
    let a = b.state("a");
    let c = b.state("c");
    let pick = b.categorical(
        "pick",
        &["a", "b", "c"],
        vec![
            // coin and other: P(a) = u^2, P(c) = 0, b the rest.
            p_row(
                Some(node(both)),
                vec![Some(mul(node(u), node(u))), None, Some(num(0.0))],
            ),
            // coin alone: weights u, 1, 1.
            w_row(Some(node(coin)), vec![node(u), num(1.0), num(1.0)]),
            // otherwise: c.
            p_row(None, vec![Some(num(0.0)), Some(num(0.0)), None]),
        ],
    );
    let o_a = b.event("is_a", eq(node(pick), state(a)));
    let o_c = b.event("is_c", eq(node(pick), state(c)));
    b.scenario("base", vec![], vec![]);
    b.scenario("coin", vec![(coin, Value::Boolean(true))], vec![]);
    let model = b.build();

    // E[u / (u + 2)] = 1 - 2 ln(3 / 2); E[1 / (u + 2)] = ln(3 / 2).
    let ln = (1.5f64).ln();
    let (a_weights, c_weights) = (1.0 - 2.0 * ln, ln);
    // (P(a), P(c)) given coin: other half the time (row 1), else row 2.
    let given_coin = (0.5 / 3.0 + 0.5 * a_weights, 0.5 * c_weights);
    let expected = [(0.5 * given_coin.0, 0.5 * given_coin.1 + 0.5), given_coin];
    let n = 400_000u64;
    let tally = run_ok(&model, &config(41, 1, n, vec![0, 1]));
    for (scenario, (pa, pc)) in expected.into_iter().enumerate() {
        for (o, p) in [(o_a, pa), (o_c, pc)] {
            let got = p_mean(&tally, scenario, o);
            let se = (p * (1.0 - p) / n as f64).sqrt();
            assert!(
                (got - p).abs() < 4.0 * se,
                "scenario {scenario}, outcome {o}: sampled {got}, exact {p}"
            );
        }
    }
}
