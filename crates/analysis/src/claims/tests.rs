//! Tests of claim evaluation: a small model whose probabilities are known
//! exactly, run through the engine with a fixed seed, and the helpers
//! (Spearman, the holds-when range) on hand-made data.

use std::sync::atomic::AtomicBool;

use uchronia_engine::RunConfig;

use super::*;
use crate::findings::Flag;
use crate::stats::average_ranks;

/// Exact probabilities, with fixed parameters except `u`:
/// P(a) = 0.3; P(c | a) = 0.8, P(c | not a) = 0.1, so P(c) = 0.31 and
/// P(a | c) = 0.24 / 0.31; under `force_a`, P(c) = 0.8; P(b) = u, with
/// u ~ uniform(0, 1); P(rare) = 0.0005, independent of everything.
const MODEL: &str = r#"
[model]
name = "exact"
title = "Known probabilities"

[params.u]
doc = "An uncertain probability."
dist = "uniform"
low = 0
high = 1

[params.k]
doc = "A fixed probability."
dist = "fixed"
value = 0.3

[nodes.a]
doc = "A."
p = "k"

[nodes.c]
doc = "C."
p = "if(a, 0.8, 0.1)"

[nodes.b]
doc = "B."
p = "u"

[nodes.rare]
doc = "A rare event."
p = 0.0005

[outcomes.c_happens]
doc = "C."
when = "c"

[scenarios.history]
doc = "As it went."

[scenarios.force_a]
doc = "A is made to happen."
do = { a = true }
"#;

const CLAIMS: &str = r#"
model = "exact.toml"

[[claims]]
id = "c-in-band"
author = "x"
quote = "q"
scenario = "history"
event = "c"
says = [0.25, 0.40]

[[claims]]
id = "c-outside"
author = "x"
quote = "q"
scenario = "history"
event = "c_happens"
says = [0.5, 1.0]

[[claims]]
id = "a-given-c"
author = "x"
quote = "q"
scenario = "history"
event = "a"
given = "c"
says = [0.6, 0.9]

[[claims]]
id = "c-higher"
author = "x"
quote = "q"
scenario = "force_a"
than = "history"
event = "c"
says = "much higher"

[[claims]]
id = "c-lower"
author = "x"
quote = "q"
scenario = "force_a"
than = "history"
event = "c"
says = "lower"

[[claims]]
id = "b-uncertain"
author = "x"
quote = "q"
scenario = "history"
event = "b"
says = [0.0, 0.3]

[[claims]]
id = "never"
author = "x"
quote = "q"
scenario = "history"
event = "c"
given = "a and not a"
says = [0.0, 0.5]

[[claims]]
id = "rare-given"
author = "x"
quote = "q"
scenario = "history"
event = "c"
given = "rare"
says = [0.0, 1.0]
"#;

const DRAWS: u64 = 400;
const TRIALS: u64 = 2000;

/// Runs the claims above and returns their summaries by id.
fn evaluated() -> Vec<ClaimSummary> {
    evaluated_with(CLAIMS)
}

/// Runs the claims of `claims_text` against the model above.
fn evaluated_with(claims_text: &str) -> Vec<ClaimSummary> {
    let (extended, tally, claims, outcomes, verdicts) = run_with(claims_text);
    evaluate(&extended, &tally, &claims, &outcomes, &verdicts)
}

/// The model with the claims of `claims_text` attached, its tally, the
/// claims, their hidden outcomes and the lexicon's verdict rules.
fn run_with(claims_text: &str) -> (Model, Tally, Vec<Claim>, Vec<OutcomeId>, VerdictRules) {
    let model = uchronia_model::load("exact.toml", MODEL)
        .expect("valid model")
        .model;
    let lexicon = uchronia_claims::load_lexicon(
        "estimative-words.toml",
        include_str!("../../../../data/estimative-words.toml"),
    )
    .expect("valid lexicon");
    let file = uchronia_claims::parse("claims.toml", claims_text).expect("valid claims");
    let claims = uchronia_claims::compile(&file, &model, &lexicon).expect("claims compile");
    let (extended, outcomes) = uchronia_claims::attach(&model, &claims);
    let config = RunConfig {
        seed: 7,
        draws: DRAWS,
        trials_per_draw: TRIALS,
        scenarios: vec![0, 1],
        draw_range: 0..DRAWS,
        design: Default::default(),
    };
    let tally = uchronia_engine::run(&extended, &config, &|_| {}, &AtomicBool::new(false))
        .expect("the run succeeds");
    (extended, tally, claims, outcomes, lexicon.verdicts)
}

#[test]
fn per_draw_values_are_the_ones_the_summary_is_made_of() {
    let (model, tally, claims, outcomes, verdicts) = run_with(CLAIMS);
    let all = evaluate(&model, &tally, &claims, &outcomes, &verdicts);
    for ((claim, &outcome), summary) in claims.iter().zip(&outcomes).zip(&all) {
        let draws = per_draw(&tally, claim, outcome);
        assert_eq!(draws.len() as u64, DRAWS, "{}", claim.id);
        let defined: Vec<(f64, bool)> = draws.iter().flatten().copied().collect();
        assert_eq!(defined.len() as u64, summary.defined_draws, "{}", claim.id);
        if defined.is_empty() {
            assert_eq!(summary.credence, None);
            continue;
        }
        let held = defined.iter().filter(|(_, holds)| *holds).count();
        let mean = defined.iter().map(|(v, _)| v).sum::<f64>() / defined.len() as f64;
        assert_eq!(summary.credence, Some(held as f64 / defined.len() as f64));
        assert_eq!(summary.estimate, Some(mean), "{}", claim.id);
    }
}

fn find<'a>(all: &'a [ClaimSummary], id: &str) -> &'a ClaimSummary {
    all.iter()
        .find(|c| c.id == id)
        .unwrap_or_else(|| panic!("no claim {id}"))
}

/// Asserts `estimate` is within 4 standard errors of `truth`.
fn close(estimate: Option<f64>, truth: f64, se: f64, what: &str) {
    let estimate = estimate.unwrap_or_else(|| panic!("{what}: no estimate"));
    assert!(
        (estimate - truth).abs() < 4.0 * se,
        "{what}: estimate {estimate}, truth {truth}, 4 se = {}",
        4.0 * se
    );
}

/// Standard error of the mean of D per-draw shares of T trials each, when
/// every draw has the same probability p.
fn binomial_se(p: f64, trials_per_draw: f64) -> f64 {
    (p * (1.0 - p) / (trials_per_draw * DRAWS as f64)).sqrt()
}

#[test]
fn claims_are_evaluated_against_exact_probabilities() {
    let all = evaluated();
    assert_eq!(all.len(), 8);

    let inside = find(&all, "c-in-band");
    close(
        inside.estimate,
        0.31,
        binomial_se(0.31, TRIALS as f64),
        "P(c)",
    );
    assert_eq!(inside.credence, Some(1.0));
    assert_eq!(inside.verdict, Verdict::Supported);
    assert_eq!((inside.defined_draws, inside.undefined_draws), (DRAWS, 0));
    assert_eq!(inside.band, Some((0.25, 0.40)));
    let (q05, q50, q95) = (
        inside.q05.unwrap(),
        inside.q50.unwrap(),
        inside.q95.unwrap(),
    );
    assert!(q05 < 0.31 && 0.31 < q95 && q05 <= q50 && q50 <= q95);
    // Only binomial noise: sd of p_d is about 0.0103, so the 90% range is
    // about 0.034 wide.
    assert!((q95 - q05 - 0.034).abs() < 0.01, "{q05} {q95}");

    let outside = find(&all, "c-outside");
    close(
        outside.estimate,
        0.31,
        binomial_se(0.31, TRIALS as f64),
        "P(c) via outcome",
    );
    assert_eq!(outside.credence, Some(0.0));
    assert_eq!(outside.verdict, Verdict::Contradicted);

    // P(a | c) over about 0.31 T trials per draw; k / n is unbiased given n.
    let conditional = find(&all, "a-given-c");
    let p = 0.24 / 0.31;
    close(
        conditional.estimate,
        p,
        binomial_se(p, 0.31 * TRIALS as f64),
        "P(a | c)",
    );
    assert_eq!(conditional.credence, Some(1.0));
    assert_eq!(conditional.given.as_deref(), Some("c"));

    // d = 0.8 - 0.31 with common random numbers: the bound below ignores
    // their (helpful) correlation.
    let higher = find(&all, "c-higher");
    let se = binomial_se(0.8, TRIALS as f64) + binomial_se(0.31, TRIALS as f64);
    close(higher.estimate, 0.49, se, "d");
    assert_eq!(higher.credence, Some(1.0));
    assert_eq!(higher.verdict, Verdict::Supported);
    assert_eq!(higher.band, None);
    assert_eq!(higher.than.as_deref(), Some("history"));
    let lower = find(&all, "c-lower");
    assert_eq!(lower.credence, Some(0.0));
    assert_eq!(lower.verdict, Verdict::Contradicted);
}

#[test]
fn an_uncertain_parameter_gives_its_analytic_credence_and_drives_the_claim() {
    let all = evaluated();
    let claim = find(&all, "b-uncertain");
    // p_d is u (within binomial noise of about 0.01), so the claim holds
    // when u <= 0.3: credence P(u <= 0.3) = 0.3, sd sqrt(0.21 / 400).
    let credence = claim.credence.expect("defined");
    assert!(
        (credence - 0.3).abs() < 4.0 * (0.21f64 / DRAWS as f64).sqrt() + 0.01,
        "credence {credence}"
    );
    assert_eq!(claim.verdict, Verdict::Contested);
    close(
        claim.estimate,
        0.5,
        (1.0 / 12.0 / DRAWS as f64).sqrt(),
        "mean of u",
    );

    // u is the only varying parameter; Spearman of u with the indicator
    // {u < 0.3} is -sqrt(3 * 0.3 * 0.7) = -0.79.
    assert_eq!(claim.drivers.len(), 1, "{:?}", claim.drivers);
    let driver = &claim.drivers[0];
    assert_eq!(driver.param, "u");
    assert!(
        (driver.rank_corr + 0.794).abs() < 0.1,
        "{}",
        driver.rank_corr
    );
    let range = driver.holds_when.as_deref().expect("a range");
    let x: f64 = range
        .strip_prefix("u < ")
        .unwrap_or_else(|| panic!("{range}"))
        .parse()
        .expect("a number");
    assert!((x - 0.3).abs() < 0.1, "{range}");
}

#[test]
fn draws_where_given_never_holds_are_undefined_and_counted() {
    let all = evaluated();
    let never = find(&all, "never");
    assert_eq!((never.defined_draws, never.undefined_draws), (0, DRAWS));
    assert_eq!(never.verdict, Verdict::Undefined);
    assert_eq!(
        (never.estimate, never.q05, never.q95, never.credence),
        (None, None, None, None)
    );
    assert!(never.drivers.is_empty());

    // P(rare never holds in T trials) = 0.9995^2000 = 0.368.
    let rare = find(&all, "rare-given");
    assert_eq!(rare.defined_draws + rare.undefined_draws, DRAWS);
    let expected = DRAWS as f64 * 0.9995f64.powi(TRIALS as i32);
    let sd = (expected * (1.0 - expected / DRAWS as f64)).sqrt();
    assert!(
        (rare.undefined_draws as f64 - expected).abs() < 4.0 * sd,
        "{} undefined, expected {expected}",
        rare.undefined_draws
    );
    assert_eq!(rare.credence, Some(1.0));
    for value in [rare.estimate, rare.q05, rare.q95] {
        assert!(value.is_some_and(f64::is_finite));
    }
}

#[test]
fn verdicts_follow_the_thresholds() {
    let rules = VerdictRules {
        supported: 0.75,
        contradicted: 0.25,
    };
    assert_eq!(verdict(Some(0.75), &rules), Verdict::Supported);
    assert_eq!(verdict(Some(0.7499), &rules), Verdict::Contested);
    assert_eq!(verdict(Some(0.25), &rules), Verdict::Contradicted);
    assert_eq!(verdict(Some(0.2501), &rules), Verdict::Contested);
    assert_eq!(verdict(None, &rules), Verdict::Undefined);
}

#[test]
fn spearman_uses_average_ranks_for_ties() {
    assert_eq!(
        average_ranks(&[3.0, 1.0, 3.0, 2.0]),
        vec![3.5, 1.0, 3.5, 2.0]
    );
    let x = [1.0, 2.0, 3.0, 4.0];
    assert_eq!(spearman(&x, &[10.0, 20.0, 30.0, 1000.0]), Some(1.0));
    assert_eq!(spearman(&x, &[4.0, 3.0, 2.0, 1.0]), Some(-1.0));
    // Ranks of y: 1.5, 1.5, 3.5, 3.5: rho = 4 / sqrt(5 * 4).
    let rho = spearman(&x, &[0.0, 0.0, 1.0, 1.0]).expect("defined");
    assert!((rho - 4.0 / 20f64.sqrt()).abs() < 1e-12, "{rho}");
    assert_eq!(spearman(&x, &[1.0; 4]), None);
    assert_eq!(spearman(&x, &[1.0, 2.0]), None);
    assert_eq!(spearman(&[1.0], &[1.0]), None);
}

#[test]
fn holds_when_describes_one_contiguous_range() {
    let x: Vec<f64> = (0..100).map(|i| (f64::from(i) + 0.5) / 100.0).collect();
    let indicator = |f: &dyn Fn(f64) -> bool| -> Vec<f64> {
        x.iter().map(|&v| f64::from(u8::from(f(v)))).collect()
    };
    assert_eq!(
        holds_when("p", &x, &indicator(&|v| v < 0.3)).as_deref(),
        Some("p < 0.30")
    );
    assert_eq!(
        holds_when("p", &x, &indicator(&|v| v >= 0.8)).as_deref(),
        Some("p > 0.80")
    );
    assert_eq!(
        holds_when("p", &x, &indicator(&|v| (0.2..0.6).contains(&v))).as_deref(),
        Some("0.20 < p < 0.60")
    );
    // Two separate ranges, everything, nothing: no single range.
    assert_eq!(
        holds_when("p", &x, &indicator(&|v| !(0.3..0.7).contains(&v))),
        None
    );
    assert_eq!(holds_when("p", &x, &indicator(&|_| true)), None);
    assert_eq!(holds_when("p", &x, &indicator(&|_| false)), None);
    // Exactly half a bin is not "more often than not".
    assert_eq!(
        holds_when("p", &x, &indicator(&|v| v < 0.35)).as_deref(),
        Some("p < 0.30")
    );
}

#[test]
fn values_and_drivers_read_as_in_the_csv() {
    assert_eq!(format_value(0.3125), "0.31");
    assert_eq!(format_value(0.00521), "0.0052");
    assert_eq!(format_value(12.34), "12");
    assert_eq!(format_value(1939.4), "1939");
    assert_eq!(format_value(-0.25), "-0.25");
    assert_eq!(format_value(0.0), "0");
    let drivers = [
        Driver {
            param: "trotsky_cc_support".into(),
            rank_corr: 0.62,
            holds_when: Some("trotsky_cc_support < 0.31".into()),
        },
        Driver {
            param: "p_x".into(),
            rank_corr: -0.2,
            holds_when: None,
        },
    ];
    assert_eq!(
        drivers_text(&drivers),
        "trotsky_cc_support (+0.62; holds when trotsky_cc_support < 0.31); p_x (-0.20)"
    );
}

/// Claims built to carry one flag each, beside the plain claims above.
const FLAGGED: &str = r#"
model = "exact.toml"

[[claims]]
id = "a-forced"
author = "x"
quote = "q"
scenario = "force_a"
event = "a"
says = [0.9, 1.0]
post = 7

[[claims]]
id = "c-given-c"
author = "x"
quote = "q"
scenario = "history"
event = "c"
given = "c and a"
says = [0.9, 1.0]

[[claims]]
id = "u-prior"
author = "x"
quote = "q"
scenario = "history"
event = "u > 0.5"
says = [0.4, 0.6]

[[claims]]
id = "b-no-path"
author = "x"
quote = "q"
scenario = "force_a"
than = "history"
event = "b"
says = "higher"
"#;

#[test]
fn each_flag_appears_on_a_claim_built_to_have_it_and_not_on_others() {
    let plain = evaluated();
    for claim in &plain {
        let expected: &[Flag] = match claim.id.as_str() {
            // `given` never holds: no defined draw at all.
            "never" => &[Flag::FewDraws],
            // P(b) = u: one parameter orders its draws.
            "b-uncertain" => &[Flag::OneBelief],
            // Fixed probabilities, far enough from the band's edges that
            // chance never carries a draw across: every draw agrees.
            "c-in-band" | "c-outside" | "a-given-c" | "c-higher" | "c-lower" | "rare-given" => {
                &[Flag::Unanimous]
            }
            _ => &[],
        };
        assert_eq!(claim.flags, expected, "{}", claim.id);
        assert_ne!(claim.verdict, Verdict::Untestable, "{}", claim.id);
        assert_eq!(claim.post, None);
    }
    let flagged = evaluated_with(FLAGGED);
    let forced = find(&flagged, "a-forced");
    assert_eq!(forced.flags, [Flag::ByConstruction]);
    assert_eq!(forced.verdict, Verdict::Untestable);
    assert_eq!(forced.post, Some(7));
    let given = find(&flagged, "c-given-c");
    assert_eq!(given.flags, [Flag::ByConstruction]);
    assert_eq!(given.verdict, Verdict::Untestable);
    // Judged, but on the prior alone: P(u > 0.5) = 0.5 in every draw's
    // 0-or-1 answer, so the credence is about 0.5 and nothing is untestable.
    let prior = find(&flagged, "u-prior");
    assert_eq!(prior.flags, [Flag::PriorOnly]);
    assert_ne!(prior.verdict, Verdict::Untestable);
    assert!(
        crate::findings::verdict_text(prior.verdict, &prior.flags)
            .ends_with("(tests the prior, not the model)")
    );
    let no_path = find(&flagged, "b-no-path");
    assert_eq!(no_path.flags, [Flag::NoPath]);
    assert_eq!(no_path.verdict, Verdict::Untestable);
    assert_eq!(
        crate::findings::verdict_text(no_path.verdict, &no_path.flags),
        "untestable (no_path)"
    );
}

#[test]
fn drivers_are_ancestors_beyond_the_noise_bound() {
    let plain = evaluated();
    // c's chance does not depend on u: no parameter stands out.
    assert!(find(&plain, "c-in-band").drivers.is_empty());
    assert!(find(&plain, "c-higher").drivers.is_empty());
    // b's does: u is its one driver.
    let drivers = &find(&plain, "b-uncertain").drivers;
    assert_eq!(drivers.len(), 1);
    assert_eq!(drivers[0].param, "u");
    let bound = crate::stats::noise_bound(DRAWS as usize).expect("a bound");
    assert!((bound - 2.5758 / 399f64.sqrt()).abs() < 1e-4);
    assert!(drivers[0].rank_corr.abs() > bound);
}

/// `b or (a and rare)` reads `a`, so the scenarios differ on a path to it,
/// but by at most P(rare) = 0.0005: with common random numbers for `b`,
/// "about the same" (|d| <= 0.02) holds in every draw.
const NO_DIFFERENCE: &str = r#"
model = "exact.toml"

[[claims]]
id = "b-higher"
author = "x"
quote = "q"
scenario = "force_a"
than = "history"
event = "b or (a and rare)"
says = "higher"

[[claims]]
id = "b-same"
author = "x"
quote = "q"
scenario = "force_a"
than = "history"
event = "b or (a and rare)"
says = "about the same"

[[claims]]
id = "c-lower"
author = "x"
quote = "q"
scenario = "force_a"
than = "history"
event = "c"
says = "lower"

[[claims]]
id = "c-higher"
author = "x"
quote = "q"
scenario = "force_a"
than = "history"
event = "c"
says = "higher"
"#;

#[test]
fn a_null_difference_is_flagged_and_shown_as_such() {
    let all = evaluated_with(NO_DIFFERENCE);
    let null = find(&all, "b-higher");
    let estimate = null.estimate.expect("defined");
    assert!((0.0..0.002).contains(&estimate), "{estimate}");
    assert_eq!(null.verdict, Verdict::Contradicted);
    assert!(null.flags.contains(&Flag::NoDifference), "{:?}", null.flags);
    assert!(
        crate::findings::claim_verdict_text(null)
            .starts_with("contradicted (the model finds no difference")
    );
    // A claim of no difference is never flagged for finding none.
    let same = find(&all, "b-same");
    assert_eq!(same.verdict, Verdict::Supported);
    assert!(!same.flags.contains(&Flag::NoDifference));
    // Contradicted by the opposite difference (0.8 against 0.31), not by
    // its absence; and a real difference, supported.
    for id in ["c-lower", "c-higher"] {
        let claim = find(&all, id);
        assert!(!claim.flags.contains(&Flag::NoDifference), "{id}");
    }
    assert_eq!(find(&all, "c-lower").verdict, Verdict::Contradicted);
    assert_eq!(find(&all, "c-higher").verdict, Verdict::Supported);
}

#[test]
fn a_claim_that_holds_in_every_draw_or_in_none_is_unanimous() {
    let all = evaluated_with(NO_DIFFERENCE);
    // 0.8 against 0.31 in every draw: "higher" holds in all, "lower" in none.
    let higher = find(&all, "c-higher");
    assert_eq!(higher.credence, Some(1.0));
    assert!(
        higher.flags.contains(&Flag::Unanimous),
        "{:?}",
        higher.flags
    );
    assert_eq!(
        crate::findings::claim_verdict_text(higher),
        "supported (holds in every draw: only beliefs outside the priors' ranges could overturn it)"
    );
    let lower = find(&all, "c-lower");
    assert_eq!(lower.credence, Some(0.0));
    assert_eq!(
        crate::findings::claim_verdict_text(lower),
        "contradicted (holds in no draw: only beliefs outside the priors' ranges could support it)"
    );
    // Not unanimous as soon as one draw differs.
    for claim in &all {
        let split = claim.credence.is_some_and(|c| c > 0.0 && c < 1.0);
        assert!(
            !(split && claim.flags.contains(&Flag::Unanimous)),
            "{}",
            claim.id
        );
    }
}

#[test]
fn a_claim_that_one_parameter_orders_names_it() {
    let all = evaluated();
    // P(b) = u in every draw, up to the trials' noise (sd at most 0.011
    // against u's spread of 0.29): the rank correlation is about 0.999.
    let one = find(&all, "b-uncertain");
    assert!(one.flags.contains(&Flag::OneBelief), "{:?}", one.flags);
    assert_eq!(one.one_belief.as_deref(), Some("u"));
    assert!(
        crate::findings::claim_verdict_text(one).ends_with("(rests on one belief: u)"),
        "{}",
        crate::findings::claim_verdict_text(one)
    );
    // P(c) reads the fixed k only: no parameter orders its draws.
    let none = find(&all, "c-in-band");
    assert!(!none.flags.contains(&Flag::OneBelief), "{:?}", none.flags);
    assert_eq!(none.one_belief, None);
}

#[test]
fn a_credence_within_two_standard_errors_of_a_threshold_is_a_knife_edge() {
    let rules = VerdictRules {
        supported: 0.75,
        contradicted: 0.25,
    };
    // 1,000 draws: the standard error at 0.75 is about 0.0137, so the
    // edge reaches about 0.027 either side of each threshold.
    assert!(knife_edge(&[], Some(0.752), 1000, &rules));
    assert!(knife_edge(&[], Some(0.726), 1000, &rules));
    assert!(knife_edge(&[], Some(0.27), 1000, &rules));
    assert!(!knife_edge(&[], Some(0.70), 1000, &rules));
    assert!(!knife_edge(&[], Some(0.5), 1000, &rules));
    assert!(!knife_edge(&[], Some(0.9), 1000, &rules));
    // Fewer draws widen the edge; no verdict, none at all.
    assert!(knife_edge(&[], Some(0.70), 100, &rules));
    assert!(!knife_edge(
        &[Flag::ByConstruction],
        Some(0.75),
        1000,
        &rules
    ));
    assert!(!knife_edge(&[], None, 1000, &rules));
    assert!(!knife_edge(&[], Some(0.75), 0, &rules));
}
