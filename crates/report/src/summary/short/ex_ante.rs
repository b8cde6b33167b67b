//! The sentence of the "In short" opening that gives its first sentence's
//! effects again with the priors the model writes as judged before the
//! events (`ex_ante`): "With those priors as the modeller judges them before the events
//! instead (uchronia run --ex-ante), the same effects are +1.2 points (90%
//! interval -0.6 to +3.4), ...", naming each effect whose interval
//! excluded zero and whose sign now flips or whose interval now reaches
//! across zero. A flip inside an interval that already crossed zero is
//! noise, and is not named.
//!
//! The numbers are the `matched` rows of `Report::ex_ante`: `uchronia run`
//! reruns the opening's scenario and its matched baseline, alone, with
//! every param that has an `ex_ante` prior drawn from it and the run's own
//! seed, draws, trials and design. The engine's random streams depend on
//! the seed, the draw, the chunk and the node, never on which scenarios
//! run beside, so these are the very rows that `uchronia run --ex-ante`
//! writes for that pair in comparison.csv.

use super::Effect;
use crate::format::points_bare;
use crate::report::Report;

/// The sentence, or `None` when the rerun was not made (an `--ex-ante` run,
/// a model without `ex_ante` priors, `--no-ex-ante-check`) or lacks a row
/// of one of `effects`.
pub(super) fn ex_ante_sentence(report: &Report, effects: &[Effect]) -> Option<String> {
    let model = report.model;
    if effects.is_empty() || report.ex_ante.is_empty() || !model.ex_ante.is_empty() {
        return None;
    }
    let again: Vec<(f64, f64, f64)> = effects
        .iter()
        .map(|e| {
            let name = report.outcome_name(e.outcome);
            let row = (report.ex_ante.iter()).find(|r| {
                r.scenario == e.scenario && r.reference == e.baseline && r.outcome == name
            })?;
            Some((row.diff?, row.diff_q05?, row.diff_q95?))
        })
        .collect::<Option<_>>()?;
    let marked = (model.params.iter())
        .filter(|p| p.hindsight.is_some())
        .count();
    let with_prior = (model.params.iter())
        .filter(|p| p.hindsight.is_some() && p.ex_ante.is_some())
        .count();
    let lead = if with_prior == marked {
        "With those priors as the modeller judges them before the events instead".to_string()
    } else {
        format!(
            "With priors as the modeller judges them before the events instead for the {with_prior} of them that have one"
        )
    };
    let numbers: Vec<String> = (again.iter().enumerate())
        .map(|(i, &(diff, q05, q95))| match i {
            0 => format!(
                "{} points (90% interval {} to {})",
                points_bare(diff),
                points_bare(q05),
                points_bare(q95)
            ),
            _ => format!(
                "{} ({} to {})",
                points_bare(diff),
                points_bare(q05),
                points_bare(q95)
            ),
        })
        .collect();
    let same = if effects.len() == 1 {
        "the same effect is"
    } else {
        "the same effects are"
    };
    let label = |e: &Effect| format!("“{}”", report.outcome_label(e.outcome));
    let mut flipped = Vec::new();
    let mut spans_zero = Vec::new();
    for (e, &(diff, q05, q95)) in effects.iter().zip(&again) {
        // Only an effect whose interval excluded zero can change in a way
        // worth naming: a flip inside an interval across zero is noise.
        let clear = e.q05 > 0.0 || e.q95 < 0.0;
        if clear && e.diff * diff < 0.0 {
            flipped.push(label(e));
        } else if clear && q05 < 0.0 && q95 > 0.0 {
            spans_zero.push(label(e));
        }
    }
    let mut changes = Vec::new();
    if effects.len() == 1 {
        if !flipped.is_empty() {
            changes.push("it changes sign".to_string());
        } else if !spans_zero.is_empty() {
            changes.push("its interval now reaches across zero".to_string());
        }
    } else {
        match flipped.len() {
            0 => {}
            1 => changes.push(format!("{} changes sign", flipped[0])),
            _ => changes.push(format!("{} change sign", and_list(&flipped))),
        }
        match spans_zero.len() {
            0 => {}
            1 => changes.push(format!(
                "the interval of {} now reaches across zero",
                spans_zero[0]
            )),
            _ => changes.push(format!(
                "the intervals of {} now reach across zero",
                and_list(&spans_zero)
            )),
        }
    }
    // Where every interval now reaches across zero, say so plainly: a list
    // of the ones that changed would read as the whole of what changed.
    let none_clear = again.iter().all(|&(_, q05, q95)| q05 < 0.0 && q95 > 0.0);
    if none_clear && effects.len() > 1 {
        changes.retain(|c| !c.contains("across zero"));
        changes.push(match effects.len() {
            2 => "neither can now be told from zero".to_string(),
            _ => "none of them can now be told from zero".to_string(),
        });
    }
    let changes = match changes.is_empty() {
        true => String::new(),
        false => format!(": {}", and_list(&changes)),
    };
    Some(format!(
        "{lead} (uchronia run --ex-ante), {same} {}{changes}.",
        and_list(&numbers)
    ))
}

/// "a", "a and b", "a, b and c".
fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::summary::short::{answer_effects, sentences};
    use crate::testing::{Fixture, matched};
    use uchronia_analysis::findings::ComparisonRow;

    /// A `matched` row of `reform_forced` with its own interval.
    fn row(outcome: &str, diff: f64, q05: f64, q95: f64) -> ComparisonRow {
        let mut row = matched("reform_forced", outcome, diff);
        row.diff_q05 = Some(q05);
        row.diff_q95 = Some(q95);
        row
    }

    /// The fixture with `reform_forced` as its question and its first
    /// param marked `hindsight` with an `ex_ante` prior.
    fn fixture() -> Fixture {
        let mut fixture = Fixture::new("t", "d", &["reform_passes", "crisis_happens"]);
        fixture.model.report.question =
            (fixture.model.scenarios.iter()).position(|s| s.name == "reform_forced");
        fixture.model.params[0].hindsight = Some("set after the vote".into());
        fixture.model.params[0].ex_ante = Some(fixture.model.params[0].dist);
        fixture
    }

    #[test]
    fn the_sentence_follows_the_answer_and_names_a_flipped_sign() {
        let fixture = fixture();
        let shipped = vec![row("crisis_happens", -0.05, -0.12, -0.01)];
        let ex_ante = vec![row("crisis_happens", 0.003, -0.009, 0.017)];
        let mut report = fixture.report();
        report.comparison = &shipped;
        assert_eq!(answer_effects(&report, "reform_forced").len(), 1);
        let without = sentences(&report);
        assert!(
            !without.join(" ").contains("With those priors"),
            "{without:?}"
        );
        report.ex_ante = &ex_ante;
        let with = sentences(&report);
        assert_eq!(with.len(), without.len() + 1);
        // The hindsight sentence leaves the pointer to `run --ex-ante` to the
        // sentence that gives its answer.
        assert!(
            without[0].contains("is the fairer test of it."),
            "{}",
            without[0]
        );
        assert!(!with[0].contains("fairer test"), "{}", with[0]);
        assert!(
            with[0].ends_with("set knowing how things turned out (marked hindsight)."),
            "{}",
            with[0]
        );
        assert_eq!(
            with[1],
            "With those priors as the modeller judges them before the events instead (uchronia run --ex-ante), the same effect is +0.30 points (90% interval -0.90 to +1.7): it changes sign."
        );
    }

    #[test]
    fn several_effects_all_across_zero_are_said_plainly_and_a_flip_inside_one_is_not_named() {
        let mut fixture = fixture();
        // A second marked param without an ex-ante prior: only one of the
        // two is swapped.
        fixture.model.params[1].hindsight = Some("known later".into());
        let effects = [
            Effect {
                scenario: "reform_forced".into(),
                baseline: "reform_forced~baseline".into(),
                outcome: 0,
                diff: 0.055,
                q05: 0.026,
                q95: 0.089,
            },
            Effect {
                scenario: "reform_forced".into(),
                baseline: "reform_forced~baseline".into(),
                outcome: 1,
                diff: -0.042,
                q05: -0.105,
                q95: 0.014,
            },
        ];
        let mut report = fixture.report();
        let names = [
            report.outcome_name(0).to_string(),
            report.outcome_name(1).to_string(),
        ];
        let rows = vec![
            row(&names[0], 0.012, -0.006, 0.034),
            row(&names[1], 0.003, -0.009, 0.017),
        ];
        report.ex_ante = &rows;
        let text = ex_ante_sentence(&report, &effects).expect("a sentence");
        assert_eq!(
            text,
            format!(
                "With priors as the modeller judges them before the events instead for the 1 of them that have one (uchronia run --ex-ante), the same effects are +1.2 points (90% interval -0.60 to +3.4) and +0.30 (-0.90 to +1.7): neither can now be told from zero."
            )
        );
        // The second effect flips too, but its interval already crossed
        // zero: a flip there is noise, and is not named.
        assert!(!text.contains("changes sign"), "{text}");
        // A missing row, or a run already made with the ex-ante priors,
        // gives no sentence.
        report.ex_ante = &rows[..1];
        assert_eq!(ex_ante_sentence(&report, &effects), None);
        report.ex_ante = &rows;
        let mut swapped = fixture.model.clone();
        swapped.ex_ante = vec![0];
        report.model = &swapped;
        assert_eq!(ex_ante_sentence(&report, &effects), None);
    }
}
