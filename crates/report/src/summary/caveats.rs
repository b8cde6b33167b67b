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
    let Some(reference) = reference(report) else {
        return Vec::new();
    };
    let model = report.model;
    let mut scenarios = vec![reference.to_string()];
    scenarios.extend(question_scenario(report).filter(|s| s != reference));
    let mut lines = Vec::new();
    for scenario in &scenarios {
        let place = if scenario == reference {
            "in the reference".to_string()
        } else {
            format!("under “{}”", model.display_name(Named::Scenario, scenario))
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

/// How many outcomes a hindsight line names at most.
const HINDSIGHT_NAMED: usize = 3;

/// One line per `hindsight` param: its reason, and the outcomes it moves
/// most in the reference (first-order index at least [`HINDSIGHT_SHARE`];
/// every listed yes/no outcome, not only the headline ones, since such a
/// param often moves one that is not in the table).
fn hindsight_lines(report: &Report) -> Vec<Line> {
    let model = report.model;
    let reference = reference(report);
    let mut lines = Vec::new();
    // Params that move no outcome by HINDSIGHT_SHARE: one line for them all.
    let mut quiet: Vec<String> = Vec::new();
    for param in &model.params {
        let Some(why) = &param.hindsight else {
            continue;
        };
        let mut moved: Vec<(OutcomeId, f64)> = Vec::new();
        if let Some(reference) = reference {
            for outcome in report.boolean_outcomes() {
                if short::settled(report.model, reference, outcome) {
                    continue;
                }
                let share = drivers(report, reference, report.outcome_name(outcome))
                    .into_iter()
                    .find(|&(p, _)| p == param.name)
                    .map(|(_, s)| s);
                if let Some(share) = share.filter(|&s| s >= HINDSIGHT_SHARE) {
                    moved.push((outcome, share));
                }
            }
        }
        let label = model.display_name(Named::Item, &param.name);
        let why = why.trim_end_matches('.');
        let (lo, hi) = param.dist.support();
        if lo != hi && moved.is_empty() {
            quiet.push(format!("“{label}” ({why})"));
            continue;
        }
        // Largest share first; a stable sort keeps the model's order on ties.
        moved.sort_by(|a, b| b.1.total_cmp(&a.1));
        let more = match moved.len().saturating_sub(HINDSIGHT_NAMED) {
            0 => String::new(),
            n => format!(" and {n} more"),
        };
        let named: Vec<String> = (moved.iter().take(HINDSIGHT_NAMED))
            .map(|&(outcome, share)| {
                format!(
                    "“{}” ({})",
                    report.outcome_label(outcome),
                    percent(share.min(1.0))
                )
            })
            .collect();
        let effect = if lo == hi {
            // A point mass has no spread to share: it sets levels instead.
            "a fixed number, so it moves nothing over draws but sets the level of everything that reads it".to_string()
        } else {
            format!("moves {}{more}", named.join(", "))
        };
        lines.push(vec![text(format!("“{label}” ({why}) {effect}."))]);
    }
    if !quiet.is_empty() {
        lines.push(vec![text(format!(
            "Also set with hindsight, moving no outcome by {} of its spread: {}.",
            percent(HINDSIGHT_SHARE),
            quiet.join("; ")
        ))]);
    }
    if lines.is_empty() {
        return lines;
    }
    // One heading says once what every line means.
    let with_prior = (model.params.iter())
        .filter(|p| p.hindsight.is_some() && p.ex_ante.is_some())
        .count();
    let mut heading = vec![text(
        "Set with hindsight (knowing how things turned out), these parameters move the outcomes named, by the share of each outcome's spread over draws in the reference: there the number is partly the record read back.",
    )];
    if with_prior > 0 {
        let (carry, those) = match with_prior {
            1 => ("1 of them carries", "it"),
            _ => ("", "those"),
        };
        let carry = if carry.is_empty() {
            format!("{with_prior} of them carry")
        } else {
            carry.to_string()
        };
        heading.extend([
            text(format!(" {carry} a prior written without hindsight: ")),
            Inline::Code("uchronia run --ex-ante".into()),
            text(format!(
                " writes this report with {those} (docs/calibration.md)."
            )),
        ]);
    }
    lines.insert(0, heading);
    lines
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
    Some(vec![text(format!(
        "This report is ex ante (run with --ex-ante): {which}: {}. Its numbers are what the model foresees from where it starts, without that hindsight.",
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
    fn every_hindsight_param_is_named_with_what_it_moves() {
        let mut fixture = Fixture::plain();
        assert!(!all_text(&blocks(&fixture.report())).contains("hindsight"));
        fixture.model.params[0].hindsight = Some("set after the vote.".into());
        fixture.model.params[1].hindsight = Some("the year it happened".into());
        let text = all_text(&blocks(&fixture.report()));
        assert!(
            text.contains(
                "Set with hindsight (knowing how things turned out), these parameters move"
            ),
            "{text}"
        );
        assert!(
            text.contains("“support” (set after the vote) moves “crisis_happens” (20.2%)."),
            "{text}"
        );
        // `base_year` drives only the numeric outcome, below the bound for
        // crisis_happens: it is named all the same, moving nothing listed.
        assert!(
            text.contains(
                "Also set with hindsight, moving no outcome by 5.0% of its spread: “base_year” (the year it happened)."
            ),
            "{text}"
        );
        // No ex-ante prior: no pointer to `--ex-ante`.
        assert!(!text.contains("--ex-ante"), "{text}");
        // A fixed number has no spread to share: the line says it sets levels.
        fixture.model.params[1].dist =
            uchronia_model::Dist::new(uchronia_model::DistKind::Fixed, &[1935.0]).expect("a point");
        let text = all_text(&blocks(&fixture.report()));
        assert!(
            text.contains(
                "“base_year” (the year it happened) a fixed number, so it moves nothing over draws"
            ),
            "{text}"
        );
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
    }
}
