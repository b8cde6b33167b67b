//! Crux analysis on a model whose answers are known exactly: uniform
//! priors, and claims that are thresholds on a parameter, so a poster's kept
//! draws are the draws where the parameter lies in a band, and the implied
//! quantiles are those of a truncated uniform.

use std::sync::atomic::AtomicBool;

use uchronia_analysis::crux::{Crux, analyse, kept_by};
use uchronia_engine::RunConfig;

const MODEL: &str = r#"
[model]
name = "bands"
title = "Bands"

[params.a]
dist = "uniform"
low = 0
high = 1

[params.b]
dist = "uniform"
low = 0
high = 1

[params.unread]
dist = "uniform"
low = 0
high = 1

[nodes.na]
p = "a"

[nodes.nb]
p = "b"

[nodes.nu]
p = "unread"

[outcomes.na_happens]
when = "na"

[outcomes.nb_happens]
when = "nb"

[scenarios.history]
"#;

/// Alice: a >= 0.6. Bob: a <= 0.3 and b >= 0.5. Carol: a >= 0.6 and
/// a <= 0.3 (a conflict) and b >= 0.5.
const CLAIMS: &str = r#"
model = "bands.toml"

[[claims]]
id = "alice-high"
author = "alice"
quote = "a is high"
scenario = "history"
event = "a >= 0.6"
says = [0.9, 1.0]

[[claims]]
id = "bob-low"
author = "bob"
quote = "a is low"
scenario = "history"
event = "a <= 0.3"
says = [0.9, 1.0]

[[claims]]
id = "bob-b"
author = "bob"
quote = "b is high"
scenario = "history"
event = "b >= 0.5"
says = [0.9, 1.0]

[[claims]]
id = "carol-high"
author = "carol"
quote = "a is high"
scenario = "history"
event = "a >= 0.6"
says = [0.9, 1.0]

[[claims]]
id = "carol-low"
author = "carol"
quote = "a is low"
scenario = "history"
event = "a <= 0.3"
says = [0.9, 1.0]

[[claims]]
id = "carol-b"
author = "carol"
quote = "b is high"
scenario = "history"
event = "b >= 0.5"
says = [0.9, 1.0]
"#;

const DRAWS: u64 = 4000;

fn crux() -> Crux {
    run().0
}

/// The crux analysis of `model` (the claims of [`CLAIMS`]).
fn crux_of(model: &str) -> Crux {
    run_model(model).0
}

/// The crux analysis, with the tally, claims and hidden outcomes it read.
fn run() -> (
    Crux,
    uchronia_engine::tally::Tally,
    Vec<uchronia_claims::Claim>,
    Vec<uchronia_model::OutcomeId>,
) {
    run_model(MODEL)
}

/// [`run`] on the model text `text`.
fn run_model(
    text: &str,
) -> (
    Crux,
    uchronia_engine::tally::Tally,
    Vec<uchronia_claims::Claim>,
    Vec<uchronia_model::OutcomeId>,
) {
    run_with(text, CLAIMS)
}

/// [`run`] on the model text `text` with the claims `claims_text`.
fn run_with(
    text: &str,
    claims_text: &str,
) -> (
    Crux,
    uchronia_engine::tally::Tally,
    Vec<uchronia_claims::Claim>,
    Vec<uchronia_model::OutcomeId>,
) {
    let model = uchronia_model::load("bands.toml", text)
        .expect("the model loads")
        .model;
    let lexicon = uchronia_claims::load_lexicon(
        "estimative-words.toml",
        include_str!("../../../data/estimative-words.toml"),
    )
    .expect("the lexicon loads");
    let file = uchronia_claims::parse("claims.toml", claims_text).expect("the claims parse");
    let claims = uchronia_claims::compile(&file, &model, &lexicon).expect("the claims compile");
    let (extended, outcomes) = uchronia_claims::attach(&model, &claims);
    let config = RunConfig {
        seed: 7,
        draws: DRAWS,
        trials_per_draw: 20,
        scenarios: vec![0],
        draw_range: 0..DRAWS,
        design: Default::default(),
    };
    let tally = uchronia_engine::run(&extended, &config, &|_| {}, &AtomicBool::new(false))
        .expect("the run succeeds");
    let crux = analyse(&extended, &tally, &claims, &outcomes);
    (crux, tally, claims, outcomes)
}

/// The standard error of the sample median of `n` draws from a density
/// `f` at the median: `1 / (2 f sqrt(n))`.
fn median_se(f: f64, n: u64) -> f64 {
    1.0 / (2.0 * f * (n as f64).sqrt())
}

#[test]
fn truncated_uniform_medians_are_recovered() {
    let crux = crux();
    let alice = &crux.posters[0];
    assert_eq!(alice.author, "alice");
    // a in [0.6, 1]: 40% of the draws, median 0.8, 5% at 0.62, 95% at 0.98.
    let share = alice.kept as f64 / DRAWS as f64;
    let share_se = (0.4 * 0.6 / DRAWS as f64).sqrt();
    assert!((share - 0.4).abs() < 4.0 * share_se, "alice keeps {share}");
    let a = &alice.params[0];
    let se = median_se(2.5, alice.kept);
    let [q05, q50, q95] = a.implied.map(|q| q.expect("a quantile"));
    assert!((q50 - 0.8).abs() < 4.0 * se, "alice's median of a: {q50}");
    assert!((q05 - 0.62).abs() < 0.01, "alice's 5% of a: {q05}");
    assert!((q95 - 0.98).abs() < 0.01, "alice's 95% of a: {q95}");
    // In prior quantile units the median 0.8 sits at 0.8: a shift of +0.3.
    let shift = a.shift.expect("a shift");
    assert!((shift - 0.3).abs() < 0.02, "alice's shift of a: {shift}");

    let bob = &crux.posters[1];
    // a in [0, 0.3] and b in [0.5, 1]: medians 0.15 and 0.75.
    let se = median_se(1.0 / 0.3, bob.kept);
    let q50 = bob.params[0].implied[1].expect("a median");
    assert!((q50 - 0.15).abs() < 4.0 * se, "bob's median of a: {q50}");
    let se = median_se(2.0, bob.kept);
    let q50 = bob.params[1].implied[1].expect("a median");
    assert!((q50 - 0.75).abs() < 4.0 * se, "bob's median of b: {q50}");
}

#[test]
fn a_parameter_no_claim_reads_is_not_shifted() {
    let crux = crux();
    for poster in &crux.posters {
        let unread = &poster.params[2];
        assert_eq!(unread.param, "unread");
        assert!(!unread.reaches);
        assert_eq!(unread.shift, Some(0.0));
        assert_eq!(unread.implied, unread.prior);
    }
    // Alice's claims do not read b either.
    assert_eq!(crux.posters[0].params[1].shift, Some(0.0));
    // And no pair ranks it.
    for pair in &crux.pairs {
        assert!(pair.ranked.iter().all(|row| row.param != "unread"));
    }
}

#[test]
fn a_parameter_correlated_with_a_claims_parameter_shifts_with_it() {
    // `unread` reaches no claim, but rank-correlated 0.9 with `a` it moves
    // with a: Alice's world (a >= 0.6) must put its median well above the
    // prior's, where without the correlation it stays exactly the prior.
    let correlated =
        format!("{MODEL}\n[[correlations]]\nparams = [\"a\", \"unread\"]\nrank = 0.9\n");
    let crux = crux_of(&correlated);
    let alice = &crux.posters[0];
    let unread = &alice.params[2];
    assert_eq!(unread.param, "unread");
    assert!(unread.reaches);
    let shift = unread.shift.expect("a shift");
    assert!(shift > 0.15, "alice's shift of unread: {shift}");
    // b is paired with nothing: still the prior, exactly.
    assert_eq!(alice.params[1].shift, Some(0.0));
}

#[test]
fn the_crux_of_alice_and_bob_is_a() {
    let crux = crux();
    let pair = &crux.pairs[0];
    assert_eq!((pair.a.as_str(), pair.b.as_str()), ("alice", "bob"));
    assert_eq!(pair.ranked[0].param, "a");
    // Medians 0.8 and 0.15: 0.65 prior quantiles apart.
    assert!((pair.ranked[0].gap - 0.65).abs() < 0.03);
    assert!(pair.ranked[0].significant);
    assert_eq!(pair.crux().map(|r| r.param.as_str()), Some("a"));
    assert_eq!(pair.ranked[1].param, "b");
    let question = pair.question.as_ref().expect("a question");
    assert_eq!(question.outcome, "na_happens");
    assert!((question.p_a - 0.8).abs() < 0.02 && (question.p_b - 0.15).abs() < 0.02);
}

#[test]
fn a_known_conflicting_pair_is_found() {
    let crux = crux();
    assert!(crux.posters[0].conflict.is_none());
    assert!(crux.posters[1].conflict.is_none());
    let carol = &crux.posters[2];
    assert_eq!(carol.kept, 0);
    let conflict = carol.conflict.as_ref().expect("carol's claims conflict");
    assert_eq!(conflict.claims, ["carol-high", "carol-low"]);
    assert!(conflict.exhaustive);
    // Her world keeps a largest consistent subset and names what it leaves out.
    assert_eq!(carol.world_claims, ["carol-high", "carol-b"]);
    assert_eq!(carol.left_out(), ["carol-low"]);
    assert!(carol.world_draws > 0);
}

#[test]
fn a_world_is_the_draws_where_its_claims_hold() {
    let (crux, tally, claims, outcomes) = run();
    let holds = |id: &str| {
        let i = claims.iter().position(|c| c.id == id).expect("a claim");
        kept_by(&tally, &claims[i], outcomes[i], DRAWS as usize)
    };
    let world = |ids: &[&str]| -> Vec<usize> {
        let each: Vec<Vec<bool>> = ids.iter().map(|id| holds(id)).collect();
        (0..DRAWS as usize)
            .filter(|&d| each.iter().all(|h| h[d]))
            .collect()
    };
    let [alice, bob, carol] = &crux.posters[..] else {
        panic!("three posters");
    };
    assert_eq!(alice.world_positions, world(&["alice-high"]));
    assert_eq!(bob.world_positions, world(&["bob-low", "bob-b"]));
    // Carol's claims conflict: her world is her largest consistent subset's.
    assert_eq!(carol.world_positions, world(&["carol-high", "carol-b"]));
    for poster in &crux.posters {
        assert_eq!(poster.world_positions.len() as u64, poster.world_draws);
        assert!(poster.world_draws > 0 && poster.world_draws < DRAWS);
    }
}

#[test]
fn the_question_is_an_event_the_crux_belief_moves() {
    // The crux of Alice (a >= 0.6, c >= 0.3) and Bob (a <= 0.3, c <= 0.7)
    // is a (medians 0.8 and 0.15: a gap of 0.65, against c's 0.30). The
    // outcome on c differs more between their worlds (0.65 against 0.35)
    // than the one on a (0.4 + 0.2 a: 0.56 against 0.43), but c cannot be
    // what settles an argument about a: the question is na_happens.
    let model = r#"
[model]
name = "bands"
title = "Bands"

[params.a]
dist = "uniform"
low = 0
high = 1

[params.c]
dist = "uniform"
low = 0
high = 1

[nodes.na]
p = "0.4 + 0.2 * a"

[nodes.nc]
p = "c"

[outcomes.na_happens]
when = "na"

[outcomes.nc_happens]
when = "nc"

[scenarios.history]
"#;
    let claims = r#"
model = "bands.toml"

[[claims]]
id = "alice-a"
author = "alice"
quote = "a is high"
scenario = "history"
event = "a >= 0.6"
says = [0.9, 1.0]

[[claims]]
id = "alice-c"
author = "alice"
quote = "c is not low"
scenario = "history"
event = "c >= 0.3"
says = [0.9, 1.0]

[[claims]]
id = "bob-a"
author = "bob"
quote = "a is low"
scenario = "history"
event = "a <= 0.3"
says = [0.9, 1.0]

[[claims]]
id = "bob-c"
author = "bob"
quote = "c is not high"
scenario = "history"
event = "c <= 0.7"
says = [0.9, 1.0]
"#;
    let crux = run_with(model, claims).0;
    let pair = &crux.pairs[0];
    assert_eq!(pair.ranked[0].param, "a");
    assert_eq!(pair.ranked[1].param, "c");
    let question = pair.question.as_ref().expect("a question");
    assert_eq!(question.outcome, "na_happens");
    assert!((question.p_a - 0.56).abs() < 0.02, "{}", question.p_a);
    assert!((question.p_b - 0.43).abs() < 0.02, "{}", question.p_b);
}
