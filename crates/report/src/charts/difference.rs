//! `difference.png`: each scenario minus the reference, per boolean
//! headline outcome, as the mean and 90% interval of the paired per-draw
//! differences (the scenarios share draws and random numbers, so the
//! difference is measured draw by draw).

use super::canvas::nice_range;
use super::canvas::{Header, LegendEntry, Swatch};
use super::rows::{Group, Mark, Row, RowPanel, Scale};
use super::style::{self, INK};
use crate::report::Report;

/// The panel, or `None` when the run has a single scenario.
pub fn panel(report: &Report) -> Option<RowPanel> {
    let scenarios = report.scenarios();
    let (reference, others) = scenarios.split_first()?;
    if others.is_empty() {
        return None;
    }
    let mut extent: f64 = 0.05;
    let groups: Vec<Group> = report
        .headline_booleans()
        .into_iter()
        .map(|outcome| {
            let rows = others
                .iter()
                .map(|scenario| {
                    let colour = style::scenario_colour(scenario.position);
                    match report.difference(scenario, reference, outcome) {
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
                                note: Some((crate::format::points(d.mean), colour)),
                            }
                        }
                        None => Row {
                            marks: Vec::new(),
                            note: Some(("undefined".into(), colour)),
                        },
                    }
                })
                .collect();
            Group {
                label: report.outcome_name(outcome).to_string(),
                detail: None,
                rows,
            }
        })
        .collect();
    let (_, hi) = nice_range(0.0, extent.min(1.0));
    let legend = others
        .iter()
        .map(|s| LegendEntry {
            label: format!("{} − {}", s.name, reference.name),
            colour: style::scenario_colour(s.position),
            swatch: Swatch::Dot,
        })
        .collect();
    Some(RowPanel {
        header: Header {
            title: format!(
                "What each scenario changes, compared with {}",
                reference.name
            ),
            lines: vec![
                format!("Model: {}", report.model.title),
                format!(
                    "Difference in probability (scenario minus {}), in percentage points, paired draw by draw over {} parameter draws. Dot: mean difference; whiskers: 90% interval of the per-draw differences. Right of the zero line: more likely than in {}.",
                    reference.name,
                    crate::format::count(report.info.draws),
                    reference.name
                ),
            ],
            legend,
        },
        groups,
        range: (-hi, hi),
        scale: Scale::Points,
        axis: format!("difference from {} (percentage points)", reference.name),
        lines: vec![(0.0, INK)],
    })
}
