//! The premise sentence of the "In short" opening, which follows the answer
//! to the title's question: how likely the world that the question imagines
//! is where chance decides it. The answer's effects are read against a
//! matched baseline, which takes that world as given; this sentence says
//! how far the reference is from it, so that a reader can weigh the effects.

use uchronia_analysis::decided::decided_value;
use uchronia_model::{Named, OutcomeId, OutcomeKind};

use super::settled;
use crate::format::percent;
use crate::report::Report;

/// "Its premise includes “A”, the least likely of the outcomes it sets,
/// which has 2.9% in the reference, “R” (90% interval ...); of the
/// scenarios that leave it to chance, “S” gives it most, 23.2% (...).":
/// the listed boolean that `scenario` sets true with the smallest chance
/// in the reference, read where chance decides it. A reader weighing a
/// counterfactual's effects wants to know how far-fetched its world is.
pub(super) fn premise_sentence(report: &Report, scenario: &str) -> Option<String> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::summary::short::sentences;
    use crate::testing::{Fixture, matched};

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
}
