//! The "In short" opening of every summary: at most three sentences written
//! from the results. The largest effect of a divergence alone (a `matched`
//! comparison row of a headline outcome, never a raw difference between
//! scenarios), the tally of the claims' verdicts, and the sharpest crux.
//! Where the model names the scenario that asks its title's question
//! (`[report] question`), the first sentence answers it instead: that
//! scenario's largest effects against its matched baseline, and the next
//! says how likely its premise is where chance decides it. Each sentence is
//! left out when its analysis was not run.

use uchronia_analysis::crux::{Crux, FEW_KEPT, Pair};
use uchronia_analysis::decided::decided_value;
use uchronia_analysis::findings::{Against, ClaimSummary, Flag, ONE_BELIEF, Verdict};
use uchronia_analysis::stats::Z_995;
use uchronia_model::{Model, Named, OutcomeId, OutcomeKind};

use crate::format::{count, percent, points_bare};
use crate::report::Report;

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
    // A question whose scenario has no effect to show (its rows all set or
    // ordered by one belief) leaves the first sentence to the largest effect.
    if let Some(answer) = question.and_then(|s| answer_sentence(report, s)) {
        out.push(answer);
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
            "The largest effect of a divergence alone: in “{}”, “{}” is {} points {more} likely than in {baseline} (mean over draws; 90% interval {} to {}).",
            model.display_name(Named::Scenario, &e.scenario),
            report.outcome_label(e.outcome),
            points_bare(e.diff.abs()).trim_start_matches('+'),
            points_bare(e.q05),
            points_bare(e.q95),
        ));
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
fn answer_sentence(report: &Report, scenario: &str) -> Option<String> {
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
    Some(format!(
        "The title's question, answered by “{}” against the same world without its divergence (its matched baseline): {list}; means over draws, the largest effects among the headline outcomes that the scenario does not set.",
        model.display_name(Named::Scenario, scenario),
    ))
}

/// "Its premise includes “A”, the least likely of the outcomes it sets,
/// which has 2.9% in the reference, “R” (90% interval ...); of the
/// scenarios that leave it to chance, “S” gives it most, 23.2% (...).":
/// the listed boolean that `scenario` sets true with the smallest chance
/// in the reference, read where chance decides it. A reader weighing a
/// counterfactual's effects wants to know how far-fetched its world is.
fn premise_sentence(report: &Report, scenario: &str) -> Option<String> {
    let model = report.model;
    let sets_true = |o: OutcomeId| match &model.outcomes[o].kind {
        OutcomeKind::Boolean { when, given } => {
            let id = model.scenario_id(scenario)?;
            (decided_value(model, when, given.as_ref(), id) == Some(1.0)).then_some(())
        }
        OutcomeKind::Numeric { .. } => None,
    };
    let reference = &model.scenarios.first()?.name;
    if reference == scenario {
        return None;
    }
    let row = |s: &str, o: OutcomeId| {
        let name = report.outcome_name(o);
        (report.summary.boolean.iter()).find(|r| r.scenario == s && r.outcome == name)
    };
    // Of the listed outcomes the scenario sets, the least likely where chance
    // decides it: the premise is at least that far-fetched (a conjunction of
    // them is rarer still).
    let (premise, at_reference) = (report.boolean_outcomes().into_iter())
        .filter(|&o| sets_true(o).is_some() && !settled(model, reference, o))
        .filter_map(|o| Some((o, row(reference, o)?)))
        .filter(|(_, r)| r.p_mean.is_some())
        .min_by(|a, b| {
            a.1.p_mean
                .unwrap_or(0.0)
                .total_cmp(&b.1.p_mean.unwrap_or(0.0))
        })?;
    let (p, q05, q95) = (
        at_reference.p_mean?,
        at_reference.p_q05?,
        at_reference.p_q95?,
    );
    let most = (model.scenarios.iter().skip(1))
        .filter(|s| s.name != scenario && !settled(model, &s.name, premise))
        .filter_map(|s| Some((s, row(&s.name, premise)?)))
        .filter(|(_, r)| r.p_mean.is_some())
        .max_by(|a, b| {
            a.1.p_mean
                .unwrap_or(0.0)
                .total_cmp(&b.1.p_mean.unwrap_or(0.0))
        });
    let most = match most {
        Some((s, r)) if r.p_mean > Some(p) => format!(
            "; of the scenarios that leave it to chance, “{}” gives it most, {} (90% interval {} to {})",
            model.display_name(Named::Scenario, &s.name),
            percent(r.p_mean.unwrap_or(0.0)),
            percent(r.p_q05.unwrap_or(0.0)),
            percent(r.p_q95.unwrap_or(0.0)),
        ),
        _ => String::new(),
    };
    Some(format!(
        "Its premise includes “{}”, the least likely of the outcomes it sets, which has {} in the reference, “{}” (90% interval {} to {}){most}.",
        report.outcome_label(premise),
        percent(p),
        model.display_name(Named::Scenario, reference),
        percent(q05),
        percent(q95),
    ))
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

/// The pair of posters whose first crux has the largest gap (the earlier
/// pair on a tie), among pairs whose two worlds each keep at least
/// [`FEW_KEPT`] draws when any pair does: a gap between thin worlds is a
/// hint, not the sharpest finding.
pub fn sharpest(crux: &Crux) -> Option<&Pair> {
    let gap = |p: &Pair| p.crux().map(|r| r.gap);
    let thick = |p: &Pair| world_draws(crux, &p.a).min(world_draws(crux, &p.b)) >= FEW_KEPT;
    let best = |keep: &dyn Fn(&Pair) -> bool| {
        crux.pairs
            .iter()
            .filter(|p| gap(p).is_some_and(f64::is_finite))
            .filter(|p| keep(p))
            .fold(None, |best: Option<&Pair>, p| match best {
                Some(b) if gap(b) >= gap(p) => Some(b),
                _ => Some(p),
            })
    };
    // A disagreement needs two views: a pair in which both posters' claims
    // move the crux, in opposite directions, comes before one in which only
    // one poster's do (the other's world leaves it where the prior put it).
    best(&|p| thick(p) && two_sided(crux, p))
        .or_else(|| best(&thick))
        .or_else(|| best(&|_| true))
}

/// Whether `author`'s world moves `param`'s median beyond the 99% bound of
/// the noise of a world of its size picked at random: their claims commit
/// them on it.
fn holds_a_view(crux: &Crux, author: &str, param: &str) -> Option<f64> {
    let poster = crux.posters.iter().find(|p| p.author == author)?;
    let implied = poster.params.iter().find(|i| i.param == param)?;
    let shift = implied.shift?;
    (implied.reaches && shift.abs() > Z_995 * implied.noise).then_some(shift)
}

/// Each poster's view of `pair`'s crux parameter ([`holds_a_view`]), when
/// the pair has a crux.
fn views(crux: &Crux, pair: &Pair) -> Option<(Option<f64>, Option<f64>)> {
    let row = pair.crux()?;
    Some((
        holds_a_view(crux, &pair.a, &row.param),
        holds_a_view(crux, &pair.b, &row.param),
    ))
}

/// Whether both posters of `pair` hold a view of its crux parameter, and
/// opposite ones.
fn two_sided(crux: &Crux, pair: &Pair) -> bool {
    matches!(views(crux, pair), Some((Some(a), Some(b))) if a.signum() != b.signum())
}

/// The draws of `author`'s world (0 for an author the crux does not list).
fn world_draws(crux: &Crux, author: &str) -> u64 {
    (crux.posters.iter())
        .find(|p| p.author == author)
        .map_or(0, |p| p.world_draws)
}

/// The least difference between two worlds' probabilities of an outcome
/// for it to settle their argument: a question whose answer moves by a few
/// points either way would not change anyone's mind.
const SETTLES: f64 = 0.05;

fn crux_sentence(model: &Model, crux: &Crux, pair: &Pair) -> String {
    let (a, b) = (&pair.a, &pair.b);
    let (na, nb) = (world_draws(crux, a), world_draws(crux, b));
    let thin = if na.min(nb) < FEW_KEPT {
        "; worlds this thin make it a hint, not a finding"
    } else {
        ""
    };
    let mut s = match pair.crux() {
        Some(row) => format!(
            "The posters disagree most over “{}”: “{a}” and “{b}”, whose claims hold together in {} and {} of the {} draws, put its median {:.2} prior quantiles apart{thin}",
            model.display_name(Named::Item, &row.param),
            count(na),
            count(nb),
            count(crux.draws),
            row.gap
        ),
        None => format!("The posters disagree most between “{a}” and “{b}”"),
    };
    if let Some(views) = views(crux, pair).filter(|_| !two_sided(crux, pair)) {
        s.push_str(match views {
            (Some(_), None) => ", though only the first's claims move it beyond chance",
            (None, Some(_)) => ", though only the second's claims move it beyond chance",
            (Some(_), Some(_)) => ", though both move it the same way",
            (None, None) => ", though neither's claims alone move it beyond chance",
        });
    }
    if let Some(q) = &pair.question {
        let (outcome, scenario) = (
            model.display_name(Named::Item, &q.outcome),
            model.display_name(Named::Scenario, &q.scenario),
        );
        let (pa, pb) = (percent(q.p_a), percent(q.p_b));
        if (q.p_a - q.p_b).abs() >= SETTLES {
            s.push_str(&format!(
                "; what would settle it is “{outcome}” in “{scenario}”: {pa} in the world of the first, {pb} in that of the second"
            ));
        } else {
            s.push_str(&format!(
                "; nothing the model computes would settle it: the outcome that tells their worlds apart best, “{outcome}” in “{scenario}”, is {pa} in the first and {pb} in the second"
            ));
        }
    }
    s.push('.');
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{Fixture, claims};
    use uchronia_analysis::findings::{ComparisonRow, SensitivityRow};

    fn matched(scenario: &str, outcome: &str, diff: f64) -> ComparisonRow {
        ComparisonRow {
            scenario: scenario.into(),
            reference: format!("{scenario}~baseline"),
            against: Against::Matched,
            confounders: Vec::new(),
            outcome: outcome.into(),
            diff: Some(diff),
            diff_se: Some(0.01),
            diff_q05: Some(diff - 0.1),
            diff_q95: Some(diff + 0.1),
            ratio: None,
            unpaired_se: None,
        }
    }

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

    #[test]
    fn the_premise_the_question_sets_is_read_where_chance_decides_it() {
        // With a reference that leaves the reform to chance, the premise
        // that reform_forced sets (reform_passes) is read there.
        let mut fixture = Fixture::new("t", "d", &["reform_passes", "crisis_happens"]);
        fixture.model.scenarios[0].interventions.clear();
        fixture.tally = crate::testing::tally(&fixture.model);
        fixture.summary = uchronia_analysis::summarize(&fixture.model, &fixture.tally);
        fixture.model.report.question = Some(1);
        let rows = vec![matched("reform_forced", "crisis_happens", -0.05)];
        let mut report = fixture.report();
        report.comparison = &rows;
        let row = (report.summary.boolean.iter())
            .find(|r| r.scenario == "history" && r.outcome == "reform_passes")
            .expect("the premise's row");
        let p = row.p_mean.expect("p");
        // support ~ beta(3, 7): P(reform) = 0.3 in expectation.
        assert!(p > 0.1 && p < 0.5, "{p}");
        let text = sentences(&report).join(" ");
        let premise = format!(
            "Its premise includes “reform_passes”, the least likely of the outcomes it sets, which has {} in the reference, “history” (90% interval {} to {}).",
            percent(p),
            percent(row.p_q05.expect("q05")),
            percent(row.p_q95.expect("q95")),
        );
        assert!(text.contains(&premise), "{text}");
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

    fn poster(author: &str, world_draws: u64) -> uchronia_analysis::crux::Poster {
        uchronia_analysis::crux::Poster {
            author: author.into(),
            claims: Vec::new(),
            kept: world_draws,
            conflict: None,
            world_claims: Vec::new(),
            world_draws,
            world_positions: Vec::new(),
            draws_needed: None,
            params: Vec::new(),
            world: Vec::new(),
        }
    }

    fn pair(a: &str, b: &str, gap: f64) -> Pair {
        Pair {
            a: a.into(),
            b: b.into(),
            ranked: vec![uchronia_analysis::crux::CruxRow {
                param: "p".into(),
                shift_a: 0.0,
                shift_b: gap,
                gap,
                significant: true,
            }],
            question: None,
        }
    }

    #[test]
    fn the_sharpest_pair_comes_from_worlds_thick_enough_to_read() {
        let mut crux = Crux {
            draws: 1000,
            posters: vec![poster("thin", 6), poster("wide", 500), poster("broad", 400)],
            pairs: vec![pair("thin", "wide", 0.9), pair("wide", "broad", 0.2)],
        };
        // The larger gap rests on a world of 6 draws: the pair of two
        // worlds of 30 draws or more is the sharpest.
        let sharp = sharpest(&crux).expect("a pair");
        assert_eq!((sharp.a.as_str(), sharp.b.as_str()), ("wide", "broad"));
        let model = crate::testing::labelled();
        let text = crux_sentence(&model, &crux, sharp);
        assert!(
            text.contains("whose claims hold together in 500 and 400 of the 1,000 draws,"),
            "{text}"
        );
        assert!(!text.contains("hint"), "{text}");
        // With no such pair, the thin one is named, and said to be thin.
        crux.pairs.pop();
        let sharp = sharpest(&crux).expect("a pair");
        assert_eq!(sharp.a, "thin");
        let text = crux_sentence(&model, &crux, sharp);
        assert!(text.contains("6 and 500 of the 1,000 draws"), "{text}");
        assert!(
            text.contains("worlds this thin make it a hint, not a finding"),
            "{text}"
        );
    }

    #[test]
    fn a_disagreement_needs_two_views() {
        let implied = |shift: f64| uchronia_analysis::crux::Implied {
            param: "p".into(),
            prior: [None; 3],
            implied: [None; 3],
            shift: Some(shift),
            reaches: true,
            noise: 0.02,
        };
        let with = |author: &str, shift: f64| {
            let mut p = poster(author, 300);
            p.params = vec![implied(shift)];
            p
        };
        // "lone" holds a view (+0.6), "blank" none (0.01, within the
        // noise), "low" the opposite one (-0.2). The larger gap, lone
        // against blank, is one poster's view against the prior.
        let crux = Crux {
            draws: 1000,
            posters: vec![with("lone", 0.6), with("blank", 0.01), with("low", -0.2)],
            pairs: vec![
                pair("lone", "blank", 0.59),
                pair("blank", "low", 0.21),
                pair("lone", "low", 0.4),
            ],
        };
        let sharp = sharpest(&crux).expect("a pair");
        assert_eq!((sharp.a.as_str(), sharp.b.as_str()), ("lone", "low"));
        let model = crate::testing::labelled();
        let text = crux_sentence(&model, &crux, sharp);
        assert!(!text.contains("though"), "{text}");
        let text = crux_sentence(&model, &crux, &crux.pairs[0]);
        assert!(
            text.contains("though only the first's claims move it beyond chance"),
            "{text}"
        );
        let text = crux_sentence(&model, &crux, &crux.pairs[1]);
        assert!(
            text.contains("though only the second's claims move it beyond chance"),
            "{text}"
        );
    }

    #[test]
    fn a_question_that_moves_a_few_points_settles_nothing() {
        let model = crate::testing::labelled();
        let crux = Crux {
            draws: 1000,
            posters: vec![poster("a", 300), poster("b", 400)],
            pairs: vec![pair("a", "b", 0.5)],
        };
        let mut with = crux.pairs[0].clone();
        let ask = |p_b: f64| uchronia_analysis::crux::Question {
            scenario: "history".into(),
            outcome: "won".into(),
            p_a: 0.147,
            p_b,
        };
        with.question = Some(ask(0.126));
        let text = crux_sentence(&model, &crux, &with);
        assert!(
            text.contains("nothing the model computes would settle it"),
            "{text}"
        );
        assert!(!text.contains("what would settle it is"), "{text}");
        with.question = Some(ask(0.05));
        let text = crux_sentence(&model, &crux, &with);
        assert!(text.contains("what would settle it is"), "{text}");
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
