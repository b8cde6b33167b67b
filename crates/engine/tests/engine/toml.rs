//! Models written in the model language (loaded by `uchronia_model::load`)
//! rather than built by hand: exact answers and common random numbers,
//! checked on what a user would write.

use uchronia_engine::{OutcomeTally, Tally};
use uchronia_model::Model;

use crate::support::*;

fn load(source: &str) -> Model {
    match uchronia_model::load("test.toml", source) {
        Ok(loaded) => loaded.model,
        Err(errors) => panic!("the test model does not load: {errors:?}"),
    }
}

fn outcome(model: &Model, name: &str) -> usize {
    model
        .outcomes
        .iter()
        .position(|o| o.name == name)
        .unwrap_or_else(|| panic!("no outcome {name}"))
}

/// Per draw, (given, hits) of boolean outcome `o` in scenario `s`.
fn counts(tally: &Tally, s: usize, o: usize) -> Vec<(u64, u64)> {
    tally.scenarios[s]
        .draws
        .iter()
        .map(|d| match d.outcomes[o] {
            OutcomeTally::Boolean { given, hits } => (given, hits),
            OutcomeTally::Numeric(_) => panic!("not a boolean outcome"),
        })
        .collect()
}

/// The Asia chest-clinic network (Lauritzen and Spiegelhalter), as in
/// bench/models/asia.toml, with a second scenario that stops smoking.
const ASIA: &str = r#"
[model]
name = "asia"
title = "Asia"
doc = "The chest clinic."

[params.p_smoker]
doc = "Share of smokers."
dist = "uniform"
low = 0.45
high = 0.55

[nodes.asia]
doc = "Visit to Asia."
p = 0.01

[nodes.smoke]
doc = "Smoker."
p = "p_smoker"

[nodes.tub]
doc = "Tuberculosis."
p = "if(asia, 0.05, 0.01)"

[nodes.lung]
doc = "Lung cancer."
p = "if(smoke, 0.1, 0.01)"

[nodes.bronc]
doc = "Bronchitis."
p = "if(smoke, 0.6, 0.3)"

[nodes.either]
doc = "Tuberculosis or lung cancer."
value = "tub or lung"

[nodes.xray]
doc = "Positive X-ray."
p = "if(either, 0.98, 0.05)"

[nodes.dysp]
doc = "Dyspnoea."
p = "if(either, if(bronc, 0.9, 0.7), if(bronc, 0.8, 0.1))"

[outcomes.lung_cancer]
doc = "Lung cancer."
when = "lung"

[outcomes.dyspnoea]
doc = "Dyspnoea."
when = "dysp"

[outcomes.positive_xray]
doc = "Positive X-ray."
when = "xray"

[outcomes.tub_with_symptoms]
doc = "Tuberculosis with a positive X-ray and dyspnoea."
when = "tub and xray and dysp"

[outcomes.visited_asia]
doc = "Visited Asia (upstream of smoking)."
when = "asia"

[scenarios.clinic]
doc = "As they come."

[scenarios.no_smoking]
doc = "Nobody smokes."
do = { smoke = false }
"#;

/// The exact probabilities of the Asia outcomes for a smoking share `s`,
/// by enumerating the network: (lung, dysp, xray, tub and xray and dysp).
fn asia_exact(s: f64) -> [f64; 4] {
    let mut p = [0.0; 4];
    let pick = |x: bool, q: f64| if x { q } else { 1.0 - q };
    for bits in 0..128u32 {
        let [asia, smoke, tub, lung, bronc, xray, dysp] =
            std::array::from_fn(|i| bits >> i & 1 == 1);
        let either = tub || lung;
        let p_dysp = match (either, bronc) {
            (true, true) => 0.9,
            (true, false) => 0.7,
            (false, true) => 0.8,
            (false, false) => 0.1,
        };
        let w = pick(asia, 0.01)
            * pick(smoke, s)
            * pick(tub, if asia { 0.05 } else { 0.01 })
            * pick(lung, if smoke { 0.1 } else { 0.01 })
            * pick(bronc, if smoke { 0.6 } else { 0.3 })
            * pick(xray, if either { 0.98 } else { 0.05 })
            * pick(dysp, p_dysp);
        for (sum, holds) in p.iter_mut().zip([lung, dysp, xray, tub && xray && dysp]) {
            if holds {
                *sum += w;
            }
        }
    }
    p
}

#[test]
fn asia_matches_its_exact_probabilities() {
    let model = load(ASIA);
    let tally = run_ok(&model, &config(5, 24, 100_000, vec![0, 1]));
    // Every outcome is linear in the smoking share, so its mean over a
    // uniform share is its value at the mean share, 0.5 (0 with no smoking).
    let names = [
        "lung_cancer",
        "dyspnoea",
        "positive_xray",
        "tub_with_symptoms",
    ];
    for (scenario, share) in [(0, 0.5), (1, 0.0)] {
        let exact = asia_exact(share);
        for (name, &expected) in names.iter().zip(&exact) {
            let ps = p_draws(&tally, scenario, outcome(&model, name));
            let mean = ps.iter().sum::<f64>() / ps.len() as f64;
            // The spread of the draws holds both the trial noise and the
            // share's variation; never below the binomial error alone.
            let trials = 24.0 * 100_000.0;
            let se = (variance(&ps) / ps.len() as f64)
                .sqrt()
                .max((expected * (1.0 - expected) / trials).sqrt());
            assert!(
                (mean - expected).abs() < 4.0 * se,
                "{name} in scenario {scenario}: {mean} against exact {expected} (se {se})"
            );
        }
    }
    // The textbook figures, as a check on the enumeration itself.
    let textbook = asia_exact(0.5);
    assert!((textbook[0] - 0.055).abs() < 1e-12);
    assert!((textbook[2] - 0.11029).abs() < 1e-5);
    assert!((textbook[1] - 0.43597).abs() < 1e-5);
}

#[test]
fn asia_scenarios_share_their_random_numbers() {
    let model = load(ASIA);
    let tally = run_ok(&model, &config(9, 6, 40_000, vec![0, 1]));
    // `asia` comes before `smoke` and does not depend on it: the same
    // trials, so the same counts in every draw.
    let asia = outcome(&model, "visited_asia");
    assert_eq!(counts(&tally, 0, asia), counts(&tally, 1, asia));
    // Stopping smoking can only remove lung cancers, trial by trial: each
    // trial draws the same word for `lung` in both scenarios, and the
    // threshold for a non-smoker (0.01) is below a smoker's (0.1).
    let lung = outcome(&model, "lung_cancer");
    let (with, without) = (counts(&tally, 0, lung), counts(&tally, 1, lung));
    for ((given_a, hits_a), (given_b, hits_b)) in with.iter().zip(&without) {
        assert_eq!(given_a, given_b);
        assert!(
            hits_b <= hits_a,
            "{hits_b} lung cancers without smoking, {hits_a} with"
        );
    }
    let removed: u64 = with.iter().zip(&without).map(|(a, b)| a.1 - b.1).sum();
    assert!(removed > 0);
}

/// Every stochastic node takes one word per trial whether it is intervened
/// or not: intervening on a node between two others leaves the later one's
/// draws, and the numeric node's values, exactly as they were.
const LAYOUT: &str = r#"
[model]
name = "layout"
title = "Layout"
doc = "Three boolean nodes, a categorical and a numeric one; the middle boolean is intervened."

[params.q]
doc = "A probability."
dist = "beta"
a = 2
b = 3

[nodes.first]
doc = "First."
p = "q"

[nodes.middle]
doc = "Middle, intervened on."
p = 0.5

[nodes.kind]
doc = "A categorical node after it."
states = ["x", "y", "z"]
weights = { x = 1, y = 2, z = 3 }

[nodes.size]
doc = "A numeric node after it."
dist = "normal"
mean = 10
sd = 2

[nodes.last]
doc = "Last, independent of the middle."
p = "if(first, 0.3, 0.6)"

[outcomes.last_holds]
doc = "Last."
when = "last"

[outcomes.kind_is_z]
doc = "The categorical node."
when = "kind == 'z'"

[outcomes.size_value]
doc = "The numeric node."
value = "size"

[outcomes.middle_or_last]
doc = "Downstream of the intervention."
when = "middle or last"

[scenarios.free]
doc = "Nothing intervened."

[scenarios.middle_true]
doc = "The middle node forced true."
do = { middle = true }
"#;

#[test]
fn interventions_leave_the_other_nodes_draws_unchanged() {
    let model = load(LAYOUT);
    let tally = run_ok(&model, &config(13, 4, 30_000, vec![0, 1]));
    for name in ["last_holds", "kind_is_z"] {
        let o = outcome(&model, name);
        assert_eq!(counts(&tally, 0, o), counts(&tally, 1, o), "{name}");
    }
    let size = outcome(&model, "size_value");
    for (a, b) in tally.scenarios[0]
        .draws
        .iter()
        .zip(&tally.scenarios[1].draws)
    {
        assert_eq!(a.outcomes[size], b.outcomes[size]);
    }
    // Downstream it changes: always true once the middle is forced.
    let o = outcome(&model, "middle_or_last");
    for (given, hits) in counts(&tally, 1, o) {
        assert_eq!(given, hits);
    }
    let free: u64 = counts(&tally, 0, o).iter().map(|c| c.1).sum();
    assert!(free < 4 * 30_000);
}
