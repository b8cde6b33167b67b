//! Boolean nodes drawn as bit masks, against exact answers: a model whose
//! mask tables read a categorical parent and a boolean drawn per trial,
//! whose per-trial nodes read masks, and whose outcomes (with `given`) are
//! counted by popcounts, in a scenario that intervenes and one that does
//! not.

use uchronia_model::{Function, Model, Value};

use crate::support::*;

struct Masks {
    model: Model,
    /// c, c | stormy, d | c, c or d, cloudy | not d.
    outcomes: [usize; 5],
}

fn masks_model() -> Masks {
    let mut b = Builder::new();
    // a: constant p (a mask with one configuration).
    let a = b.boolean("a", num(0.3));
    // u, v: numeric; bb: a boolean whose p is numeric (drawn per trial).
    let u = b.uniform("u");
    let v = b.uniform("v");
    let bb = b.boolean("b", node(u));
    let cloudy = b.state("cloudy");
    let stormy = b.state("stormy");
    let weather = b.categorical(
        "weather",
        &["sunny", "cloudy", "stormy"],
        vec![
            p_row(Some(node(a)), vec![Some(num(0.2)), Some(num(0.5)), None]),
            w_row(None, vec![num(1.0), num(1.0), num(2.0)]),
        ],
    );
    // c: a mask table over a categorical, a mask and a per-trial boolean.
    let c = b.boolean(
        "c",
        iff(
            eq(node(weather), state(stormy)),
            iff(node(bb), num(0.9), num(0.6)),
            iff(node(a), num(0.3), num(0.1)),
        ),
    );
    // d: per trial, reading c's mask as a column.
    let d = b.boolean(
        "d",
        call(
            Function::Clamp,
            vec![
                add(mul(num(0.5), node(v)), iff(node(c), num(0.4), num(0.0))),
                num(0.0),
                num(1.0),
            ],
        ),
    );
    let o_c = b.event("c", node(c));
    let o_c_stormy = b.event_given("c_given_stormy", node(c), eq(node(weather), state(stormy)));
    let o_d_c = b.event_given("d_given_c", node(d), node(c));
    let o_c_or_d = b.event("c_or_d", or(node(c), node(d)));
    let o_cloudy = b.event_given(
        "cloudy_given_not_d",
        eq(node(weather), state(cloudy)),
        not(node(d)),
    );
    b.scenario("observe", vec![], vec![]);
    b.scenario("b_forced", vec![(bb, Value::Boolean(true))], vec![]);
    Masks {
        model: b.build(),
        outcomes: [o_c, o_c_stormy, o_d_c, o_c_or_d, o_cloudy],
    }
}

/// The exact answers by enumeration, and the probability of each
/// outcome's `given`.
fn exact(b_forced: bool) -> ([f64; 5], [f64; 5]) {
    let (mut c_p, mut stormy_p, mut c_stormy, mut d_c, mut c_or_d, mut not_d, mut cloudy_not_d) =
        (0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0);
    for a in [false, true] {
        let pa = if a { 0.3 } else { 0.7 };
        for bb in [false, true] {
            // P(b) = E[u] = 1/2.
            let pb = if b_forced {
                f64::from(u8::from(bb))
            } else {
                0.5
            };
            let weather = if a {
                [0.2, 0.5, 0.3]
            } else {
                [0.25, 0.25, 0.5]
            };
            for (w, &pw) in weather.iter().enumerate() {
                let p_c = match (w == 2, bb, a) {
                    (true, true, _) => 0.9,
                    (true, false, _) => 0.6,
                    (false, _, true) => 0.3,
                    (false, _, false) => 0.1,
                };
                for c in [false, true] {
                    let pc = if c { p_c } else { 1.0 - p_c };
                    // P(d | c) = E[v / 2] + 0.4 c.
                    let p_d = if c { 0.65 } else { 0.25 };
                    for d in [false, true] {
                        let pd = if d { p_d } else { 1.0 - p_d };
                        let p = pa * pb * pw * pc * pd;
                        let f = |x: bool| if x { p } else { 0.0 };
                        c_p += f(c);
                        stormy_p += f(w == 2);
                        c_stormy += f(c && w == 2);
                        d_c += f(d && c);
                        c_or_d += f(c || d);
                        not_d += f(!d);
                        cloudy_not_d += f(!d && w == 1);
                    }
                }
            }
        }
    }
    (
        [
            c_p,
            c_stormy / stormy_p,
            d_c / c_p,
            c_or_d,
            cloudy_not_d / not_d,
        ],
        [1.0, stormy_p, c_p, 1.0, not_d],
    )
}

#[test]
fn mask_nodes_and_popcount_outcomes_match_enumeration() {
    let m = masks_model();
    let (draws, trials) = (4, 100_000);
    let tally = run_ok(&m.model, &config(16, draws, trials, vec![0, 1]));
    let n = (draws * trials) as f64;
    for scenario in 0..2 {
        let (expected, given) = exact(scenario == 1);
        for ((&o, p), g) in m.outcomes.iter().zip(expected).zip(given) {
            let got = p_mean(&tally, scenario, o);
            let se = (p * (1.0 - p) / (n * g)).sqrt();
            assert!(
                (got - p).abs() < 4.0 * se,
                "scenario {scenario} outcome {o}: sampled {got}, exact {p}, se {se}"
            );
        }
    }
    // The intervention moves c (b is forced true) by more than noise.
    assert!(exact(true).0[0] - exact(false).0[0] > 0.05);
}

#[test]
fn mask_nodes_are_identical_across_threads_shards_and_chunk_boundaries() {
    let m = masks_model();
    // 40,000 trials per draw: 3 chunks, the last a partial batch.
    let whole = config(3, 6, 40_000, vec![0, 1]);
    let one = run_on(1, &m.model, &whole).expect("runs");
    let two = run_on(2, &m.model, &whole).expect("runs");
    fn json(t: &impl serde::Serialize) -> String {
        serde_json::to_string(t).expect("serialises")
    }
    assert_eq!(json(&one), json(&two));
    let mut parts = Vec::new();
    for range in [0..2, 2..5, 5..6] {
        let mut shard = whole.clone();
        shard.draw_range = range;
        parts.push(run_ok(&m.model, &shard));
    }
    let merged = uchronia_engine::merge::merge(parts).expect("merges");
    assert_eq!(json(&merged), json(&one));
    // A scenario alone draws what it draws beside the other (common
    // random numbers, whichever scenarios run).
    let alone = run_ok(&m.model, &config(3, 6, 40_000, vec![1]));
    assert_eq!(json(&alone.scenarios[0]), json(&one.scenarios[1]));
}
