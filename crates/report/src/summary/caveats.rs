//! "What the headline numbers cannot tell": warnings written under the
//! headline table from the run's own analysis, for any model.
//!
//! A probability in that table can look like a finding when it is not:
//!
//! - **one belief**: most of its spread over parameter draws follows one
//!   parameter (first-order index at least [`MOSTLY_ONE_BELIEF`] in the
//!   reference), so its level mostly restates that prior;
//! - **both ways**: the question's scenario moves it by little on average
//!   while its paired difference runs well into both signs (see
//!   [`two_sided`]): the mean is beliefs that cancel, not a finding of no
//!   effect;
//! - **hindsight**: a parameter marked `hindsight` in the model (set
//!   knowing how things turned out) moves it; or, in a report run with
//!   `--ex-ante`, which parameters drew from their ex-ante priors instead.
//!
//! Each kind needs the analysis behind it (sensitivity rows, comparison
//! rows); without them nothing is written.

use uchronia_model::{Named, OutcomeId};

use super::{Block, Inline, Line, short, text};
use crate::format::{percent, points_bare};
use crate::report::{Difference, Report};

/// The first-order index from which one parameter is said to carry most
/// of an outcome's spread over draws: half of its variance.
pub const MOSTLY_ONE_BELIEF: f64 = 0.5;

/// The first-order index from which a hindsight parameter is named beside
/// an outcome it moves.
pub const HINDSIGHT_SHARE: f64 = 0.05;

/// The smallest reach into the other sign (on both sides) for a difference
/// to count as running both ways: one percentage point.
pub const BOTH_WAYS_REACH: f64 = 0.01;

/// The heading and the list, or nothing when there is nothing to say.
pub fn blocks(report: &Report) -> Vec<Block> {
    let mut lines: Vec<Line> = Vec::new();
    lines.extend(ex_ante_line(report));
    lines.extend(one_belief_lines(report));
    lines.extend(both_ways_lines(report));
    lines.extend(hindsight_lines(report));
    if lines.is_empty() {
        return Vec::new();
    }
    vec![
        Block::Paragraph(vec![
            Inline::Strong("What the headline numbers cannot tell.".into()),
            text(
                " Computed from this run's own analysis (sensitivity.csv, comparison.csv); docs/reports.md says how.",
            ),
        ]),
        Block::List(lines),
    ]
}

/// The reference scenario's name (the first in the report's order).
fn reference<'r>(report: &Report<'r>) -> Option<&'r str> {
    report.scenarios().first().map(|s| s.name)
}

/// The headline boolean outcomes `scenario` does not settle.
fn open_headlines<'r>(report: &Report<'r>, scenario: &str) -> Vec<OutcomeId> {
    report
        .headline_booleans()
        .into_iter()
        .filter(|&o| !short::settled(report.model, scenario, o))
        .collect()
}

/// The significant ancestor rows of `outcome` in `scenario`, largest
/// first-order index first (ties in row order).
fn drivers<'r>(report: &Report<'r>, scenario: &str, outcome: &str) -> Vec<(&'r str, f64)> {
    let mut rows: Vec<(&str, f64)> = report
        .sensitivity
        .iter()
        .filter(|r| r.scenario == scenario && r.outcome == outcome && r.ancestor && r.significant)
        .filter_map(|r| r.first_order.map(|s| (r.param.as_str(), s)))
        .collect();
    rows.sort_by(|a, b| b.1.total_cmp(&a.1));
    rows
}

/// "“A” (12.3% in the reference): 77% of its spread over draws follows one
/// belief, “p”; the number mostly restates that prior.", for the reference
/// and for the scenario of the title's question, whose numbers a reader
/// quotes first.
fn one_belief_lines(report: &Report) -> Vec<Line> {
    let model = report.model;
    let mut lines = Vec::new();
    for (i, scenario) in read_scenarios(report).iter().enumerate() {
        let place = match i {
            0 => "in the reference".to_string(),
            _ => format!("under “{}”", model.display_name(Named::Scenario, scenario)),
        };
        for outcome in open_headlines(report, scenario) {
            let name = report.outcome_name(outcome);
            let Some(&(param, share)) = drivers(report, scenario, name).first() else {
                continue;
            };
            if share < MOSTLY_ONE_BELIEF {
                continue;
            }
            let level = report
                .boolean_row(scenario, name)
                .and_then(|r| r.p_mean)
                .map_or_else(String::new, |p| format!(" ({} {place})", percent(p)));
            lines.push(vec![text(format!(
                "“{}”{level}: {} of its spread over draws follows one belief, “{}”, so the number mostly restates that prior (explore.html moves it).",
                report.outcome_label(outcome),
                percent(share.min(1.0)),
                model.display_name(Named::Item, param),
            ))]);
        }
    }
    lines
}

/// The scenarios whose headline numbers the caveats read: the reference,
/// then the scenario of the title's question (whose numbers a reader
/// quotes first, and where other priors may matter) when it is another.
fn read_scenarios(report: &Report) -> Vec<String> {
    let mut scenarios: Vec<String> = reference(report).map(String::from).into_iter().collect();
    scenarios.extend(question_scenario(report).filter(|q| !scenarios.contains(q)));
    scenarios
}

/// Whether a paired difference runs well into both signs: each end reaches
/// at least [`BOTH_WAYS_REACH`] past zero and at least twice the mean's
/// size, so that the mean is a balance of draws that disagree in sign.
pub fn two_sided(d: &Difference) -> bool {
    let reach = (-d.q05).min(d.q95);
    reach >= BOTH_WAYS_REACH && reach >= 2.0 * d.mean.abs()
}

/// The scenario whose differences are examined: the one that asks the
/// title's question, else the one with the largest effect of a divergence
/// alone.
fn question_scenario(report: &Report) -> Option<String> {
    short::question(report.model)
        .map(String::from)
        .or_else(|| short::largest_matched_effect(report).map(|e| e.scenario))
}

/// "“A” under “S”: +0.7 points against its matched baseline, but its 90%
/// interval runs from -3.5 to +4.8: ..."
fn both_ways_lines(report: &Report) -> Vec<Line> {
    let Some(scenario) = question_scenario(report) else {
        return Vec::new();
    };
    let model = report.model;
    let mut lines = Vec::new();
    for outcome in open_headlines(report, &scenario) {
        let Some((_, d)) = report.matched(&scenario, outcome) else {
            continue;
        };
        if !two_sided(&d) {
            continue;
        }
        lines.push(vec![text(format!(
            "“{}” under “{}”: {} points against its matched baseline, but the difference's 90% interval runs from {} to {}: beliefs push it both ways, and the mean is their balance, not a finding that nothing changes.",
            report.outcome_label(outcome),
            model.display_name(Named::Scenario, &scenario),
            points_bare(d.mean),
            points_bare(d.q05),
            points_bare(d.q95),
        ))]);
    }
    lines
}

/// How many parameters a hindsight line names beside one outcome at most.
const HINDSIGHT_NAMED: usize = 3;

/// The params marked `hindsight`, read against the headline numbers: a
/// heading that says what they are and where their reasons are, then one
/// line per headline outcome of the reference that they move (the shares
/// of its spread over draws, each at least [`HINDSIGHT_SHARE`], and their
/// sum), then one line naming the others. Grouped by outcome, not by
/// param, so that a model with many such params still gets a short list
/// and the reader learns how much of each number is the record read back.
fn hindsight_lines(report: &Report) -> Vec<Line> {
    let model = report.model;
    let marked: Vec<&str> = (model.params.iter())
        .filter(|p| p.hindsight.is_some())
        .map(|p| p.name.as_str())
        .collect();
    if marked.is_empty() {
        return Vec::new();
    }
    let label = |param: &str| format!("“{}”", model.display_name(Named::Item, param));
    let scenarios = read_scenarios(report);
    let mut lines = vec![hindsight_heading(report, marked.len(), &scenarios)];
    let mut named: Vec<&str> = Vec::new();
    for (i, scenario) in scenarios.iter().enumerate() {
        let place = match i {
            0 => String::new(),
            _ => format!(" under “{}”", model.display_name(Named::Scenario, scenario)),
        };
        for outcome in open_headlines(report, scenario) {
            let name = report.outcome_name(outcome);
            let moved: Vec<(&str, f64)> = (drivers(report, scenario, name).into_iter())
                .filter(|&(p, share)| marked.contains(&p) && share >= HINDSIGHT_SHARE)
                .collect();
            if moved.is_empty() {
                continue;
            }
            let total: f64 = moved.iter().map(|&(_, share)| share).sum();
            let more = match moved.len().saturating_sub(HINDSIGHT_NAMED) {
                0 => String::new(),
                n => format!(" and {n} more"),
            };
            let shares: Vec<String> = (moved.iter().take(HINDSIGHT_NAMED))
                .map(|&(p, share)| format!("{} ({})", label(p), percent(share.min(1.0))))
                .collect();
            named.extend(moved.iter().map(|&(p, _)| p));
            let level = report
                .boolean_row(scenario, name)
                .and_then(|r| r.p_mean)
                .map_or_else(String::new, |p| format!(" ({})", percent(p)));
            lines.push(vec![text(format!(
                "“{}”{place}{level}: at least {} of its spread follows them: {}{more}.",
                report.outcome_label(outcome),
                percent(total.min(1.0)),
                shares.join(", "),
            ))]);
        }
    }
    let is_fixed = |name: &str| {
        (model.params.iter()).any(|p| p.name == name && p.dist.support().0 == p.dist.support().1)
    };
    let (fixed, others): (Vec<&str>, Vec<&str>) = (marked.iter().copied())
        .filter(|p| !named.contains(p))
        .partition(|&p| is_fixed(p));
    let list = |params: &[&str]| {
        params
            .iter()
            .map(|&p| label(p))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut rest = Vec::new();
    if !others.is_empty() {
        let lead = if named.is_empty() {
            "None of them moves a headline number"
        } else {
            "The others move no headline number"
        };
        rest.push(format!(
            "{lead} by {} of its spread: {} (what they move: sensitivity.csv)",
            percent(HINDSIGHT_SHARE),
            list(&others)
        ));
    }
    if !fixed.is_empty() {
        // A point mass has no spread to share: it sets levels instead.
        rest.push(match fixed.len() {
            1 => format!(
                "{} is a fixed number, so it moves nothing over draws but sets the level of everything that reads it",
                list(&fixed)
            ),
            _ => format!(
                "{} are fixed numbers, so they move nothing over draws but set the level of everything that reads them",
                list(&fixed)
            ),
        });
    }
    if !rest.is_empty() {
        lines.push(vec![text(format!("{}.", rest.join("; ")))]);
    }
    lines
}

/// What the hindsight lines mean, once: how many params, where their
/// reasons are, and, when some carry an `ex_ante` prior, the command that
/// writes the report with those.
fn hindsight_heading(report: &Report, marked: usize, scenarios: &[String]) -> Line {
    let model = report.model;
    let with_prior = (model.params.iter())
        .filter(|p| p.hindsight.is_some() && p.ex_ante.is_some())
        .count();
    let params = match marked {
        1 => "1 parameter".to_string(),
        n => format!("{n} parameters"),
    };
    let mut heading = vec![
        text(format!(
            "Set with hindsight (knowing how things turned out): {params}, each with its reason in the model ("
        )),
        Inline::Code("hindsight".into()),
        text(format!(
            "). Of each headline number's spread over draws in the reference{}, the share that follows them is given: there the number is partly the record read back, and a prior held narrow moves its level more than its share says.",
            match scenarios.get(1) {
                Some(question) => format!(
                    " and under “{}”",
                    model.display_name(Named::Scenario, question)
                ),
                None => String::new(),
            }
        )),
    ];
    if with_prior > 0 {
        let carry = match with_prior {
            1 if marked == 1 => "It carries a prior written without hindsight: ".to_string(),
            n if n == marked => "Each carries a prior written without hindsight: ".to_string(),
            1 => "1 of them carries a prior written without hindsight: ".to_string(),
            n => format!("{n} of them carry a prior written without hindsight: "),
        };
        let those = if with_prior == 1 { "it" } else { "those" };
        heading.extend([
            text(format!(" {carry}")),
            Inline::Code("uchronia run --ex-ante".into()),
            text(format!(
                " writes this report with {those} (docs/calibration.md)."
            )),
        ]);
    }
    heading
}

/// In a report run with `--ex-ante`: which params drew from their ex-ante
/// priors, first, since every number below depends on it.
fn ex_ante_line(report: &Report) -> Option<Line> {
    let model = report.model;
    if model.ex_ante.is_empty() {
        return None;
    }
    let names: Vec<String> = (model.ex_ante.iter())
        .map(|&p| {
            format!(
                "“{}”",
                model.display_name(Named::Item, &model.params[p].name)
            )
        })
        .collect();
    let which = match names.len() {
        1 => "1 parameter set with hindsight draws from a prior written without it".to_string(),
        n => format!("{n} parameters set with hindsight draw from priors written without it"),
    };
    let kept = (model.params.iter())
        .filter(|p| p.hindsight.is_some())
        .count();
    let rest = match kept {
        0 => String::new(),
        1 => " 1 other parameter set with hindsight keeps its prior (--ex-ante-group chose the group): the numbers are ex ante for those named only.".to_string(),
        n => format!(" {n} other parameters set with hindsight keep their priors (--ex-ante-group chose the groups): the numbers are ex ante for those named only."),
    };
    Some(vec![text(format!(
        "This report is ex ante (run with --ex-ante): {which}: {}. Its numbers are what the model foresees from where it starts, without that hindsight.{rest}",
        names.join(", ")
    ))])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::Fixture;

    fn all_text(blocks: &[Block]) -> String {
        let mut out = String::new();
        for block in blocks {
            let lines: Vec<&Line> = match block {
                Block::Paragraph(line) => vec![line],
                Block::List(lines) => lines.iter().collect(),
                _ => Vec::new(),
            };
            for line in lines {
                for inline in line {
                    if let Inline::Text(s) | Inline::Strong(s) = inline {
                        out.push_str(s);
                    }
                }
                out.push('\n');
            }
        }
        out
    }

    #[test]
    fn a_difference_runs_both_ways_only_when_both_ends_reach_well_past_zero() {
        let d = |mean, q05, q95| Difference { mean, q05, q95 };
        // The shipped model's great war under a Trotsky in power.
        assert!(two_sided(&d(0.007, -0.038, 0.049)));
        // Mostly one way: the Nazis' -4.2 points (-10.5 to +1.3).
        assert!(!two_sided(&d(-0.042, -0.105, 0.013)));
        // Both ways, but by less than a point: noise, not beliefs.
        assert!(!two_sided(&d(0.0005, -0.002, 0.0034)));
        // Wide, but the mean is larger than half of the shorter reach.
        assert!(!two_sided(&d(0.02, -0.03, 0.08)));
    }

    #[test]
    fn one_belief_is_named_from_half_of_the_spread() {
        let mut fixture = Fixture::plain();
        // The fixture's `support` carries 0.45^2 of crisis_happens' spread.
        assert!(!all_text(&blocks(&fixture.report())).contains("follows one belief"));
        fixture.sensitivity[0].first_order = Some(0.6);
        let text = all_text(&blocks(&fixture.report()));
        assert!(
            text.contains("What the headline numbers cannot tell."),
            "{text}"
        );
        assert!(
            text.contains("“crisis_happens”")
                && text.contains("60.0% of its spread over draws follows one belief, “support”"),
            "{text}"
        );
        // A row below the noise bound names nobody, whatever its index.
        fixture.sensitivity[0].significant = false;
        assert!(!all_text(&blocks(&fixture.report())).contains("follows one belief"));
    }

    #[test]
    fn hindsight_params_are_read_against_the_headline_numbers_they_move() {
        let mut fixture = Fixture::plain();
        assert!(!all_text(&blocks(&fixture.report())).contains("hindsight"));
        fixture.model.params[0].hindsight = Some("set after the vote.".into());
        fixture.model.params[1].hindsight = Some("the year it happened".into());
        let text = all_text(&blocks(&fixture.report()));
        assert!(
            text.contains(
                "Set with hindsight (knowing how things turned out): 2 parameters, each with its reason in the model ("
            ),
            "{text}"
        );
        // `support` carries 20.2% of crisis_happens' spread in the reference.
        assert!(
            text.contains(
                "“crisis_happens” (59.9%): at least 20.2% of its spread follows them: “support” (20.2%)."
            ),
            "{text}"
        );
        // `base_year` drives only the numeric outcome: named, moving nothing.
        assert!(
            text.contains(
                "The others move no headline number by 5.0% of its spread: “base_year” (what they move: sensitivity.csv)."
            ),
            "{text}"
        );
        // No ex-ante prior: no pointer to `--ex-ante`.
        assert!(!text.contains("--ex-ante"), "{text}");
        // Under the scenario of the question, a prior that moves a headline
        // number there is named too, even where it moves nothing in the
        // reference.
        fixture.model.report.question = Some(1);
        let mut there = fixture.sensitivity[0].clone();
        there.scenario = "reform_forced".into();
        there.param = "base_year".into();
        there.first_order = Some(0.3);
        fixture.sensitivity.push(there);
        let text = all_text(&blocks(&fixture.report()));
        assert!(
            text.contains("“crisis_happens” under “reform_forced” (")
                && text.contains("of its spread follows them: “base_year” (30.0%)."),
            "{text}"
        );
        assert!(
            text.contains("in the reference and under “reform_forced”"),
            "{text}"
        );
        assert!(!text.contains("The others"), "{text}");
        fixture.sensitivity.pop();
        fixture.model.report.question = None;
        // A row below the noise bound is not a share: nothing is moved.
        fixture.sensitivity[0].significant = false;
        let text = all_text(&blocks(&fixture.report()));
        assert!(
            text.contains(
                "None of them moves a headline number by 5.0% of its spread: “support”, “base_year”"
            ),
            "{text}"
        );
        fixture.sensitivity[0].significant = true;
        // A fixed number has no spread to share: the line says it sets levels.
        fixture.model.params[1].dist =
            uchronia_model::Dist::new(uchronia_model::DistKind::Fixed, &[1935.0]).expect("a point");
        let text = all_text(&blocks(&fixture.report()));
        assert!(
            text.contains(
                "“base_year” is a fixed number, so it moves nothing over draws but sets the level"
            ),
            "{text}"
        );
        assert!(!text.contains("The others"), "{text}");
        // With an ex-ante prior the heading points at `run --ex-ante`.
        fixture.model.params[0].ex_ante = Some(fixture.model.params[0].dist);
        let text = all_text(&blocks(&fixture.report()));
        assert!(
            text.contains(
                "1 of them carries a prior written without hindsight:  writes this report with it"
            ),
            "{text}"
        );
        let code = blocks(&fixture.report()).iter().any(|b| match b {
            Block::List(lines) => lines
                .iter()
                .flatten()
                .any(|i| *i == Inline::Code("uchronia run --ex-ante".into())),
            _ => false,
        });
        assert!(code, "the command in a fixed-width font");
        // When every one has an ex-ante prior, the heading says so.
        fixture.model.params[1].ex_ante = Some(fixture.model.params[1].dist);
        let text = all_text(&blocks(&fixture.report()));
        assert!(
            text.contains(
                "Each carries a prior written without hindsight:  writes this report with those"
            ),
            "{text}"
        );
    }

    #[test]
    fn an_ex_ante_report_says_so_first() {
        let mut fixture = Fixture::plain();
        fixture.model.ex_ante = vec![0];
        let text = all_text(&blocks(&fixture.report()));
        assert!(
            text.contains("This report is ex ante (run with --ex-ante): 1 parameter set with hindsight draws from a prior written without it: “support”."),
            "{text}"
        );
        assert!(!text.contains("keeps its prior"), "{text}");
        // A group chosen: the params of other groups keep their hindsight.
        fixture.model.params[1].hindsight = Some("the year it happened".into());
        let text = all_text(&blocks(&fixture.report()));
        assert!(
            text.contains("1 other parameter set with hindsight keeps its prior (--ex-ante-group chose the group): the numbers are ex ante for those named only."),
            "{text}"
        );
    }
}
