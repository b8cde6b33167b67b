//! `difference.png`: per boolean headline outcome, each scenario's effect,
//! as the mean and 90% interval of paired per-draw differences (the
//! scenarios share draws and random numbers, so the difference is measured
//! draw by draw). A scenario with a matched baseline shows first the effect
//! of its divergence alone (minus the baseline, note "alone"), then its
//! difference from the reference (note "vs <reference>", and "confounded"
//! when other fixings differ too).

use super::canvas::nice_range;
use super::canvas::{Header, LegendEntry, Swatch};
use super::rows::{Group, Mark, Row, RowPanel, Scale};
use super::style::{self, INK};
use crate::report::{Difference, Report};

/// The panel, or `None` when the run has a single scenario.
pub fn panel(report: &Report) -> Option<RowPanel> {
    let scenarios = report.scenarios();
    let (reference, others) = scenarios.split_first()?;
    if others.is_empty() {
        return None;
    }
    let mut extent: f64 = 0.05;
    let mut row = |d: Option<Difference>, colour, what: String| match d {
        Some(d) => {
            extent = extent.max(d.q05.abs()).max(d.q95.abs()).max(d.mean.abs());
            Row {
                marks: vec![
                    Mark::Whisker {
                        lo: d.q05,
                        hi: d.q95,
                        colour,
                    },
                    Mark::Dot { x: d.mean, colour },
                ],
                note: Some((format!("{} {what}", crate::format::points(d.mean)), colour)),
            }
        }
        None => Row {
            marks: Vec::new(),
            note: Some((format!("undefined {what}"), colour)),
        },
    };
    let groups: Vec<Group> = report
        .headline_booleans()
        .into_iter()
        .map(|outcome| {
            let mut rows = Vec::new();
            for scenario in others {
                let colour = style::scenario_colour(scenario.position);
                // The divergence alone first, then the whole difference.
                if let Some((_, d)) = report.matched(scenario.name, outcome) {
                    rows.push(row(Some(d), colour, "alone".into()));
                }
                let confounded = if report.confounders(scenario.name).is_empty() {
                    ""
                } else {
                    ", confounded"
                };
                rows.push(row(
                    report.difference(scenario, reference, outcome),
                    colour,
                    format!("vs {}{confounded}", reference.label),
                ));
            }
            Group {
                label: report.outcome_label(outcome).to_string(),
                detail: None,
                rows,
            }
        })
        .collect();
    let (_, hi) = nice_range(0.0, extent.min(1.0));
    let legend = others
        .iter()
        .map(|s| LegendEntry {
            label: s.label.to_string(),
            colour: style::scenario_colour(s.position),
            swatch: Swatch::Dot,
        })
        .collect();
    Some(RowPanel {
        header: Header {
            title: format!(
                "What each divergence changes: alone, then compared with {}",
                reference.label
            ),
            lines: vec![
                format!("Model: {}", report.model.title),
                format!(
                    "Difference in probability, in percentage points, paired draw by draw over {} parameter draws. \"alone\": the scenario minus its matched baseline (the same fixings without the divergence); \"vs {}\": the scenario minus {}, which also carries any other fixing that differs (\"confounded\"). Dot: mean difference; whiskers: 90% interval of the per-draw differences.",
                    crate::format::count(report.info.draws),
                    reference.label,
                    reference.label
                ),
            ],
            legend,
        },
        groups,
        range: (-hi, hi),
        scale: Scale::Points,
        axis: format!("difference from {} (percentage points)", reference.label),
        lines: vec![(0.0, INK)],
    })
}
