//! The "In short" opening of every summary: a few sentences written
//! from the results. The largest effect of a divergence alone (a `matched`
//! comparison row of a headline outcome, never a raw difference between
//! scenarios), the tally of the claims' verdicts, and the sharpest crux.
//! Where the model names the scenario that asks its title's question
//! (`[report] question`), the first sentence answers it instead: that
//! scenario's largest effects against its matched baseline, and the next
//! says how likely its premise is where chance decides it. Right after the
//! first sentence, when the run reran its scenario with the ex-ante priors
//! (`Report::ex_ante`), one more gives the same effects with them. Each
//! sentence is left out when its analysis was not run.
//!
//! This module chooses the effects, counts the verdicts and puts the
//! sentences in order. The premise sentence (`premise`), the crux sentence
//! (`crux`) and the sentence that gives the first one's effects again with
//! the priors written without hindsight (`ex_ante`) each read a part of the
//! results that nothing else here reads (the summary rows of the reference,
//! the posters' worlds, the ex-ante rerun's rows), so each has a module of
//! its own.

mod crux;
mod ex_ante;
mod premise;

use uchronia_analysis::decided::decided_value;
use uchronia_analysis::findings::{Against, ClaimSummary, Flag, ONE_BELIEF, Verdict};
use uchronia_model::{Model, Named, OutcomeId, OutcomeKind};

use crate::format::points_bare;
use crate::report::Report;
use crux::{crux_sentence, sharpest};
use ex_ante::ex_ante_sentence;
use premise::premise_sentence;

/// The largest effect of a divergence alone on a boolean outcome.
#[derive(Clone, Debug, PartialEq)]
pub struct Effect {
    /// The scenario whose divergence it is.
    pub scenario: String,
    /// Its matched baseline.
    pub baseline: String,
    /// The outcome.
    pub outcome: OutcomeId,
    /// Mean paired difference (scenario - baseline) over draws.
    pub diff: f64,
    /// Its 90% interval.
    pub q05: f64,
    /// Its 90% interval's upper end.
    pub q95: f64,
}

/// The opening's sentences (none when no analysis behind them was run).
pub fn sentences(report: &Report) -> Vec<String> {
    let model = report.model;
    let mut out = Vec::new();
    let question = question(model);
    // The opening's effects are the question's, or, where its scenario has
    // none to show (its rows all set or ordered by one belief), the largest
    // effect. With the ex-ante check's sentence to follow, the hindsight
    // sentence need not point to `run --ex-ante`: the next gives its answer.
    let checked = ex_ante_sentence(report, &opening_effects(report));
    if let Some(answer) = question.and_then(|s| answer_sentence(report, s, checked.is_some())) {
        out.push(answer);
        out.extend(checked);
        out.extend(question.and_then(|s| premise_sentence(report, s)));
    } else if let Some(e) = largest_matched_effect(report) {
        let more = if e.diff >= 0.0 { "more" } else { "less" };
        // A baseline the analysis made (`S~baseline`) has no name a reader
        // knows: say what it is.
        let baseline = if e.baseline.ends_with("~baseline") {
            "its matched baseline (the same world with the divergence undone)".to_string()
        } else {
            format!(
                "its matched baseline, “{}”",
                model.display_name(Named::Scenario, &e.baseline)
            )
        };
        out.push(format!(
            "The largest effect of a divergence alone: in “{}”, “{}” is {} points {more} likely than in {baseline} (mean over draws; 90% interval {} to {}).{}",
            model.display_name(Named::Scenario, &e.scenario),
            report.outcome_label(e.outcome),
            points_bare(e.diff.abs()).trim_start_matches('+'),
            points_bare(e.q05),
            points_bare(e.q95),
            hindsight_clause(model, 1, checked.is_some()),
        ));
        out.extend(checked);
    }
    if let Some(tally) = tally_sentence(report.claims) {
        out.push(tally);
    }
    if let Some((crux, pair)) = report.crux.and_then(|c| sharpest(c).map(|p| (c, p))) {
        out.push(crux_sentence(model, crux, pair));
    }
    out
}

/// The scenario that asks the model's title question (`[report] question`),
/// when it names one.
pub(crate) fn question(model: &Model) -> Option<&str> {
    (model.report.question)
        .and_then(|i| model.scenarios.get(i))
        .map(|s| s.name.as_str())
}

/// The effects that the opening's first sentence names: the answer to the
/// title's question ([`answer_effects`]) when it has any, else the largest
/// effect of any scenario ([`largest_matched_effect`]); empty when there is
/// no such sentence. Their scenario is the one whose pair `uchronia run`
/// reruns with the ex-ante priors.
pub fn opening_effects(report: &Report) -> Vec<Effect> {
    let answer = question(report.model).map_or_else(Vec::new, |s| answer_effects(report, s));
    if answer.is_empty() {
        largest_matched_effect(report).into_iter().collect()
    } else {
        answer
    }
}

/// The `matched` comparison row with the largest absolute mean difference,
/// among the headline boolean outcomes (all listed booleans when no
/// headline one has such a row), leaving out outcomes that the scenario
/// settles by construction, and outcomes whose probability in the scenario
/// one parameter orders (|rank correlation| at least [`ONE_BELIEF`] in
/// `sensitivity.csv`, as for a claim's `one_belief`): their difference
/// says what the scenario or that one belief assumes ("Trotsky in power
/// exports revolution" is `p_trotsky_activist`), not what the model finds.
/// Ties go to the earlier row.
pub fn largest_matched_effect(report: &Report) -> Option<Effect> {
    matched_effects(report, None).into_iter().next()
}

/// How many effects the answer to the title's question names.
const ANSWER_EFFECTS: usize = 3;

/// The effects that answer the title's question: `scenario`'s matched
/// effects, chosen as for [`largest_matched_effect`], largest first; at
/// most [`ANSWER_EFFECTS`].
pub fn answer_effects(report: &Report, scenario: &str) -> Vec<Effect> {
    let mut effects = matched_effects(report, Some(scenario));
    effects.truncate(ANSWER_EFFECTS);
    effects
}

/// Every `matched` row (of `scenario` only, when given) on a headline
/// boolean outcome, or on any listed boolean when no headline one has such
/// a row, as an effect, leaving out the outcomes the scenario settles and
/// those one belief orders; largest absolute difference first, ties in row
/// order.
fn matched_effects(report: &Report, scenario: Option<&str>) -> Vec<Effect> {
    let headline = report.headline_booleans();
    let listed = report.boolean_outcomes();
    for outcomes in [headline, listed] {
        let mut effects: Vec<Effect> = Vec::new();
        for row in report.comparison {
            if row.against != Against::Matched
                || scenario.is_some_and(|s| s != row.scenario.as_str())
            {
                continue;
            }
            let Some(&outcome) = outcomes
                .iter()
                .find(|&&o| report.outcome_name(o) == row.outcome)
            else {
                continue;
            };
            let (Some(diff), Some(q05), Some(q95)) = (row.diff, row.diff_q05, row.diff_q95) else {
                continue;
            };
            if settled(report.model, &row.scenario, outcome)
                || one_belief(report, &row.scenario, &row.outcome)
            {
                continue;
            }
            effects.push(Effect {
                scenario: row.scenario.clone(),
                baseline: row.reference.clone(),
                outcome,
                diff,
                q05,
                q95,
            });
        }
        if !effects.is_empty() {
            // A stable sort keeps row order among equal sizes.
            effects.sort_by(|a, b| b.diff.abs().total_cmp(&a.diff.abs()));
            return effects;
        }
    }
    Vec::new()
}

/// "The title's question, answered by “S” against the same world without
/// its divergence (its matched baseline): “A”
/// is 8.0 points more likely (90% interval ...), “B” 5.4 points more
/// (...) and “C” 2.1 points less (...)."
fn answer_sentence(report: &Report, scenario: &str, checked: bool) -> Option<String> {
    let effects = answer_effects(report, scenario);
    let first = effects.first()?;
    let model = report.model;
    let interval = |e: &Effect| {
        format!(
            "90% interval {} to {}",
            points_bare(e.q05),
            points_bare(e.q95)
        )
    };
    let size = |e: &Effect| {
        points_bare(e.diff.abs())
            .trim_start_matches('+')
            .to_string()
    };
    let way = |e: &Effect| if e.diff >= 0.0 { "more" } else { "less" };
    let mut parts = vec![format!(
        "“{}” is {} points {} likely ({})",
        report.outcome_label(first.outcome),
        size(first),
        way(first),
        interval(first)
    )];
    for e in &effects[1..] {
        parts.push(format!(
            "“{}” {} points {} ({})",
            report.outcome_label(e.outcome),
            size(e),
            way(e),
            interval(e)
        ));
    }
    let list = match parts.len() {
        1 => parts.remove(0),
        n => format!("{} and {}", parts[..n - 1].join(", "), parts[n - 1]),
    };
    // A `baseline_label` says who stands in the divergence's place.
    let against = match (model.scenarios.iter())
        .find(|s| s.name == scenario)
        .and_then(|s| s.baseline_label.as_deref())
    {
        Some(label) => format!("against “{label}”, the same world"),
        None => "against the same world".to_string(),
    };
    // An effect left out because one belief orders it may be the largest:
    // say so, or the reader takes the list for the largest of all.
    let left_out = ordered_by_one_belief(report, scenario)
        .filter(|e| e.diff.abs() > first.diff.abs())
        .map_or_else(String::new, |e| {
            format!(
                " (“{}”, {} points, is left out: one belief orders it)",
                report.outcome_label(e.outcome),
                points_bare(e.diff)
            )
        });
    Some(format!(
        "The title's question, answered by “{}” {against} without its divergence (its matched baseline): {list}; means over draws, the largest effects among the headline outcomes that the scenario does not set{left_out}.{}",
        model.display_name(Named::Scenario, scenario),
        hindsight_clause(model, effects.len(), checked),
    ))
}

/// The largest `matched` effect of `scenario` on a headline boolean that
/// the scenario does not settle but one belief orders (so the opening
/// leaves it out).
fn ordered_by_one_belief(report: &Report, scenario: &str) -> Option<Effect> {
    let headline = report.headline_booleans();
    (report.comparison.iter())
        .filter(|row| row.against == Against::Matched && row.scenario == scenario)
        .filter(|row| one_belief(report, &row.scenario, &row.outcome))
        .filter_map(|row| {
            let outcome = *(headline.iter()).find(|&&o| report.outcome_name(o) == row.outcome)?;
            let (diff, q05, q95) = (row.diff?, row.diff_q05?, row.diff_q95?);
            (!settled(report.model, &row.scenario, outcome)).then(|| Effect {
                scenario: row.scenario.clone(),
                baseline: row.reference.clone(),
                outcome,
                diff,
                q05,
                q95,
            })
        })
        .max_by(|a, b| a.diff.abs().total_cmp(&b.diff.abs()))
}

/// What the priors of the `effects` just given know, as a sentence: a model with params marked `hindsight` gives
/// its effects from the priors as shipped unless the run drew those params
/// from their `ex_ante` priors (which clears their mark). Empty for a model
/// without them. Where the ex-ante check's sentence follows (`checked`), it
/// does not point to `run --ex-ante`: that sentence gives its answer.
fn hindsight_clause(model: &Model, effects: usize, checked: bool) -> String {
    let (uses, them) = if effects == 1 {
        ("It uses", "it")
    } else {
        ("These use", "them")
    };
    let kept = (model.params.iter())
        .filter(|p| p.hindsight.is_some())
        .count();
    let swapped = model.ex_ante.len();
    let were = if kept == 1 { "was" } else { "were" };
    match (swapped, kept) {
        (0, 0) => String::new(),
        (0, n) if checked => format!(
            " {uses} the priors as shipped, {n} of which {were} set knowing how things turned out (marked hindsight)."
        ),
        (0, n) => format!(
            " {uses} the priors as shipped, {n} of which {were} set knowing how things turned out (marked hindsight); uchronia run --ex-ante, with priors written without that knowledge, is the fairer test of {them}."
        ),
        (1, 0) => format!(
            " {uses}, for the parameter set with hindsight, the prior written without it (--ex-ante)."
        ),
        (k, 0) => format!(
            " {uses}, for the {k} parameters set with hindsight, the priors written without it (--ex-ante)."
        ),
        (k, n) => format!(
            " {uses}, for {k} of the {} parameters set with hindsight, the priors written without it (--ex-ante-group); the other {n} keep theirs.",
            k + n
        ),
    }
}

/// Whether one parameter orders the outcome's probability in the scenario
/// over the draws.
fn one_belief(report: &Report, scenario: &str, outcome: &str) -> bool {
    report.sensitivity.iter().any(|r| {
        r.scenario == scenario
            && r.outcome == outcome
            && r.rank_corr.is_some_and(|rho| rho.abs() >= ONE_BELIEF)
    })
}

/// Whether the scenario's `do` decides the outcome without chance.
pub(crate) fn settled(model: &Model, scenario: &str, outcome: OutcomeId) -> bool {
    let Some(id) = model.scenarios.iter().position(|s| s.name == scenario) else {
        return false;
    };
    match model.outcomes.get(outcome).map(|o| &o.kind) {
        Some(OutcomeKind::Boolean { when, given }) => {
            decided_value(model, when, given.as_ref(), id).is_some()
        }
        _ => false,
    }
}

/// "Of the 40 claims checked, the model supports 9, contradicts 20 and
/// leaves 8 contested; 3 untestable.", then how many verdicts are
/// `unanimous` (they restate the priors' ranges) and how many are
/// `prior_only` (they read one parameter's prior), in one sentence, when
/// any are.
pub fn tally_sentence(claims: &[ClaimSummary]) -> Option<String> {
    if claims.is_empty() {
        return None;
    }
    let n = |v: Verdict| claims.iter().filter(|c| c.verdict == v).count();
    let mut rest = Vec::new();
    for verdict in [Verdict::Untestable, Verdict::Undefined] {
        if n(verdict) > 0 {
            rest.push(format!("{} {}", n(verdict), verdict.as_str()));
        }
    }
    let rest = if rest.is_empty() {
        String::new()
    } else {
        format!("; {}", rest.join(", "))
    };
    // Verdicts that restate the priors: `unanimous` ones (every draw agrees)
    // and `prior_only` ones (one parameter's prior decides). The two flags
    // never meet on one claim; an untestable claim is no verdict.
    let flagged = |flag: Flag| {
        (claims.iter())
            .filter(|c| c.flags.contains(&flag) && c.verdict != Verdict::Untestable)
            .count()
    };
    let (unanimous, prior_only) = (flagged(Flag::Unanimous), flagged(Flag::PriorOnly));
    let mut parts = Vec::new();
    match unanimous {
        0 => {}
        1 => parts.push("one holds in every draw or in none".to_string()),
        u => parts.push(format!("{u} hold in every draw or in none")),
    }
    match prior_only {
        0 => {}
        1 => parts.push("one reads a parameter's prior alone".to_string()),
        p => parts.push(format!("{p} read a parameter's prior alone")),
    }
    let restated = match unanimous + prior_only {
        0 => String::new(),
        1 => format!(
            " Of these verdicts, {}: it is as strong as the priors, no stronger.",
            parts.join(" and ")
        ),
        _ => format!(
            " Of these verdicts, {}: they are as strong as the priors, no stronger.",
            parts.join(" and ")
        ),
    };
    Some(format!(
        "Of the {} claims checked, the model supports {}, contradicts {} and leaves {} contested{rest}.{restated}",
        claims.len(),
        n(Verdict::Supported),
        n(Verdict::Contradicted),
        n(Verdict::Contested),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{Fixture, claims, matched};
    use uchronia_analysis::findings::{ComparisonRow, SensitivityRow};

    #[test]
    fn the_largest_matched_effect_wins_whatever_its_sign_and_reference_rows_do_not_count() {
        let fixture = Fixture::plain();
        let mut report = fixture.report();
        let mut reference = matched("reform_forced", "crisis_happens", 0.9);
        reference.against = Against::Reference;
        let rows = vec![
            matched("reform_forced", "crisis_happens", 0.12),
            matched("reform_forced", "crisis_happens", -0.30),
            reference,
        ];
        report.comparison = &rows;
        let e = largest_matched_effect(&report).expect("an effect");
        assert_eq!(e.diff, -0.30);
        assert_eq!(e.baseline, "reform_forced~baseline");
        let text = sentences(&report).join(" ");
        assert!(
            text.contains("in “reform_forced”, “crisis_happens” is 30.0 points less likely than in its matched baseline (the same world with the divergence undone) (mean over draws; 90% interval -40.0 to -20.0)."),
            "{text}"
        );
    }

    #[test]
    fn an_outcome_the_scenario_settles_by_construction_is_not_an_effect() {
        // reform_forced does `reform = true`, so reform_passes is 100% there
        // by assumption: its +70 points must not win over crisis_happens.
        let fixture = Fixture::new("t", "d", &["reform_passes", "crisis_happens"]);
        let mut report = fixture.report();
        let rows = vec![
            matched("reform_forced", "reform_passes", 0.70),
            matched("reform_forced", "crisis_happens", -0.05),
        ];
        report.comparison = &rows;
        let e = largest_matched_effect(&report).expect("an effect");
        assert_eq!(report.outcome_name(e.outcome), "crisis_happens");
        assert_eq!(e.diff, -0.05);
    }

    #[test]
    fn an_effect_that_one_belief_orders_is_not_an_effect() {
        // In reform_forced, `support` orders crisis_happens at 0.95: its
        // -30 points restate that belief, and reform_passes is settled by
        // the scenario, so no effect is left; at 0.89 it is the model's
        // finding again.
        let fixture = Fixture::new("t", "d", &["reform_passes", "crisis_happens"]);
        let rows = vec![
            matched("reform_forced", "crisis_happens", -0.30),
            matched("reform_forced", "reform_passes", 0.10),
        ];
        for (rho, winner) in [(0.95, None), (-0.95, None), (0.89, Some("crisis_happens"))] {
            let mut sensitivity = crate::testing::sensitivity();
            sensitivity.push(SensitivityRow {
                scenario: "reform_forced".into(),
                outcome: "crisis_happens".into(),
                param: "support".into(),
                rank_corr: Some(rho),
                swing_low: None,
                swing_high: None,
                first_order: None,
                ancestor: true,
                significant: true,
            });
            let mut report = fixture.report();
            report.comparison = &rows;
            report.sensitivity = &sensitivity;
            let found = largest_matched_effect(&report).map(|e| report.outcome_name(e.outcome));
            assert_eq!(found, winner, "rho {rho}");
        }
    }

    #[test]
    fn a_named_question_opens_with_its_scenarios_largest_effects_instead() {
        // reform_forced asks the question: its three largest unset effects,
        // largest first, replace the overall largest effect (other_forced's
        // 0.50), and reform_passes, which the scenario sets, is left out.
        let mut fixture = Fixture::new("t", "d", &["reform_passes", "crisis_happens"]);
        fixture.model.report.question = fixture
            .model
            .scenarios
            .iter()
            .position(|s| s.name == "reform_forced");
        assert!(fixture.model.report.question.is_some());
        let mut report = fixture.report();
        let rows = vec![
            matched("reform_forced", "reform_passes", 0.70),
            matched("reform_forced", "crisis_happens", -0.05),
            matched("other_forced", "crisis_happens", 0.50),
        ];
        report.comparison = &rows;
        let effects = answer_effects(&report, "reform_forced");
        assert_eq!(effects.len(), 1);
        assert_eq!(report.outcome_name(effects[0].outcome), "crisis_happens");
        let text = sentences(&report).join(" ");
        assert!(
            text.starts_with("The title's question, answered by “reform_forced” against the same world without its divergence (its matched baseline): “crisis_happens” is 5.0 points less likely (90% interval -15.0 to +5.0); means over draws"),
            "{text}"
        );
        assert!(!text.contains("50.0 points"), "{text}");
        // The premise it sets, reform_passes, is set in the reference
        // too (`reform = false`): no premise sentence.
        assert!(!text.contains("Its premise"), "{text}");
        // Without effects of its own, the question gives way to the largest
        // effect of any scenario.
        let other = vec![matched("other_forced", "crisis_happens", 0.50)];
        report.comparison = &other;
        assert!(answer_effects(&report, "reform_forced").is_empty());
        let text = sentences(&report).join(" ");
        assert!(!text.contains("title's question"), "{text}");
        assert!(
            text.starts_with("The largest effect of a divergence alone: in “other_forced”"),
            "{text}"
        );
    }

    /// The answer names the baseline by its `baseline_label`, and says
    /// which priors its effects use when some were set with hindsight.
    #[test]
    fn the_answer_names_the_baseline_and_what_its_priors_know() {
        let mut fixture = Fixture::new("t", "d", &["reform_passes", "crisis_happens"]);
        let question = (fixture.model.scenarios.iter()).position(|s| s.name == "reform_forced");
        fixture.model.report.question = question;
        let question = question.expect("the fixture's scenario");
        fixture.model.scenarios[question].baseline_label = Some("No reform".into());
        let rows = vec![matched("reform_forced", "crisis_happens", -0.05)];
        let text = |fixture: &Fixture| {
            let mut report = fixture.report();
            report.comparison = &rows;
            sentences(&report).join(" ")
        };
        let plain = text(&fixture);
        assert!(
            plain.starts_with("The title's question, answered by “reform_forced” against “No reform”, the same world without its divergence (its matched baseline):"),
            "{plain}"
        );
        assert!(!plain.contains("hindsight"), "{plain}");
        fixture.model.params[0].hindsight = Some("set after the vote".into());
        let shipped = text(&fixture);
        assert!(
            shipped.contains(" It uses the priors as shipped, 1 of which was set knowing how things turned out (marked hindsight); uchronia run --ex-ante, with priors written without that knowledge, is the fairer test of it."),
            "{shipped}"
        );
        // Without a question, the largest effect says the same.
        fixture.model.report.question = None;
        let largest = text(&fixture);
        assert!(
            largest.starts_with("The largest effect of a divergence alone:")
                && largest.contains("(mean over draws; 90% interval -15.0 to +5.0). It uses the priors as shipped, 1 of which was set"),
            "{largest}"
        );
        fixture.model.report.question = Some(question);
        // --ex-ante swaps the prior and clears the mark.
        fixture.model.params[0].hindsight = None;
        fixture.model.ex_ante = vec![0];
        let ex_ante = text(&fixture);
        assert!(
            ex_ante.contains(" It uses, for the parameter set with hindsight, the prior written without it (--ex-ante)."),
            "{ex_ante}"
        );
    }

    #[test]
    fn the_answer_names_at_most_three_effects_largest_first() {
        let mut fixture = Fixture::plain();
        fixture.model.report.question = Some(1);
        let scenario = fixture.model.scenarios[1].name.clone();
        let mut report = fixture.report();
        let booleans: Vec<String> = (report.boolean_outcomes().into_iter())
            .filter(|&o| !settled(report.model, &scenario, o))
            .map(|o| report.outcome_name(o).to_string())
            .collect();
        assert!(!booleans.is_empty());
        let rows: Vec<ComparisonRow> = (booleans.iter().enumerate())
            .map(|(i, o)| matched(&scenario, o, 0.01 * (i as f64 + 1.0)))
            .collect();
        report.comparison = &rows;
        let effects = answer_effects(&report, &scenario);
        assert_eq!(effects.len(), booleans.len().min(ANSWER_EFFECTS));
        assert!(
            effects
                .windows(2)
                .all(|w| w[0].diff.abs() >= w[1].diff.abs())
        );
        assert_eq!(effects[0].diff, 0.01 * booleans.len() as f64);
    }

    #[test]
    fn without_matched_rows_claims_or_crux_there_is_no_opening() {
        let fixture = Fixture::plain();
        let mut report = fixture.report();
        report.claims = &[];
        report.comparison = &[];
        report.crux = None;
        assert!(sentences(&report).is_empty());
    }

    #[test]
    fn the_tally_counts_each_verdict() {
        let all = claims("");
        let mut three = Vec::new();
        for verdict in [
            Verdict::Supported,
            Verdict::Contradicted,
            Verdict::Untestable,
        ] {
            let mut c = all.first().cloned().expect("a fixture claim");
            c.verdict = verdict;
            c.flags.clear();
            three.push(c);
        }
        assert_eq!(
            tally_sentence(&three).as_deref(),
            Some(
                "Of the 3 claims checked, the model supports 1, contradicts 1 and leaves 0 contested; 1 untestable."
            )
        );
        three[1].flags.push(Flag::Unanimous);
        assert!(
            tally_sentence(&three).is_some_and(|s| s.ends_with(
                "Of these verdicts, one holds in every draw or in none: it is as strong as the priors, no stronger."
            )),
        );
        three[0].flags.push(Flag::PriorOnly);
        three[2].flags.push(Flag::PriorOnly);
        assert!(
            tally_sentence(&three).is_some_and(|s| s.ends_with(
                "Of these verdicts, one holds in every draw or in none and one reads a parameter's prior alone: they are as strong as the priors, no stronger."
            )),
            "an untestable claim is no verdict, so one of the two prior-only claims counts"
        );
        assert_eq!(tally_sentence(&[]), None);
    }
}
