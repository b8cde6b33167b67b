//! `tornado_<outcome>.png`: the parameters that move a headline outcome the
//! most, in the reference scenario. Each bar runs from the outcome's mean
//! over the draws with the parameter in its lowest fifth (blue) to the mean
//! over the draws with it in its highest fifth (vermillion), through the
//! overall mean (the black line); the ten widest swings, widest on top.
//! Only parameters that mean something are shown: graph ancestors of the
//! outcome whose rank correlation lies beyond the 99% noise bound
//! (`ancestor` and `significant` in sensitivity.csv). An outcome with none
//! gets no tornado: no parameter stands out.

use uchronia_analysis::findings::SensitivityRow;
use uchronia_model::{Model, Named, OutcomeKind};

use super::canvas::{Header, LegendEntry, Swatch, nice_range};
use super::rows::{Group, Mark, Row, RowPanel, Scale, muted_note};
use super::style::{HIGH_SWING, INK, LOW_SWING};
use crate::report::Report;

/// How many parameters a tornado shows.
pub const STRONGEST: usize = 10;

/// A tornado chart and the outcome it is about.
#[derive(Clone, Debug, PartialEq)]
pub struct Tornado {
    /// The outcome's name (the file is `tornado_<outcome>.png`).
    pub outcome: String,
    /// The chart.
    pub panel: RowPanel,
}

/// One tornado per headline outcome that has sensitivity rows.
pub fn panels(report: &Report) -> Vec<Tornado> {
    if report.sensitivity.is_empty() {
        return Vec::new();
    }
    let scenarios = report.scenarios();
    let mut tornados = Vec::new();
    for outcome in report.headline() {
        let name = report.outcome_name(outcome);
        let is_boolean = matches!(
            report.model.outcomes[outcome].kind,
            OutcomeKind::Boolean { .. }
        );
        // The reference scenario, or the first scenario that has rows.
        let Some(scenario) = scenarios.iter().map(|s| s.name).find(|s| {
            report
                .sensitivity
                .iter()
                .any(|r| r.scenario == *s && r.outcome == name)
        }) else {
            continue;
        };
        let rows: Vec<&SensitivityRow> = (report.sensitivity.iter())
            .filter(|r| r.scenario == scenario && r.outcome == name)
            .filter(|r| r.ancestor && r.significant)
            .collect();
        if rows.is_empty() {
            continue;
        }
        let centre = if is_boolean {
            report.boolean_row(scenario, name).and_then(|r| r.p_mean)
        } else {
            report.numeric_row(scenario, name).and_then(|r| r.mean)
        };
        tornados.push(Tornado {
            outcome: name.to_string(),
            panel: panel(&rows, name, scenario, centre, is_boolean, report.model),
        });
    }
    tornados
}

/// The width of a row's swing, for sorting (undefined swings last).
fn swing(row: &SensitivityRow) -> f64 {
    match (row.swing_low, row.swing_high) {
        (Some(lo), Some(hi)) => (hi - lo).abs(),
        _ => -1.0,
    }
}

/// The tornado of `rows` (one scenario and outcome), around `centre`.
pub fn panel(
    rows: &[&SensitivityRow],
    outcome: &str,
    scenario: &str,
    centre: Option<f64>,
    is_boolean: bool,
    model: &Model,
) -> RowPanel {
    let model_title = &model.title;
    let outcome = model.display_name(Named::Item, outcome);
    let scenario = model.display_name(Named::Scenario, scenario);
    let mut sorted: Vec<&SensitivityRow> = rows.to_vec();
    sorted.sort_by(|a, b| {
        swing(b).total_cmp(&swing(a)).then_with(|| {
            let strength = |r: &SensitivityRow| r.rank_corr.map_or(-1.0, f64::abs);
            strength(b).total_cmp(&strength(a))
        })
    });
    sorted.truncate(STRONGEST);
    let centre = centre.unwrap_or_else(|| {
        let middles: Vec<f64> = (sorted.iter())
            .filter_map(|r| Some((r.swing_low? + r.swing_high?) / 2.0))
            .collect();
        if middles.is_empty() {
            0.0
        } else {
            middles.iter().sum::<f64>() / middles.len() as f64
        }
    });
    let (mut lo, mut hi) = (centre, centre);
    let groups = sorted
        .iter()
        .map(|row| {
            let mut marks = Vec::new();
            if let Some(low) = row.swing_low {
                marks.push(Mark::Bar {
                    from: centre,
                    to: low,
                    colour: LOW_SWING,
                });
                lo = lo.min(low);
                hi = hi.max(low);
            }
            if let Some(high) = row.swing_high {
                marks.push(Mark::Bar {
                    from: centre,
                    to: high,
                    colour: HIGH_SWING,
                });
                lo = lo.min(high);
                hi = hi.max(high);
            }
            let note = match row.rank_corr {
                Some(rho) => muted_note(format!("rank corr. {rho:+.2}")),
                None => muted_note("rank corr. -"),
            };
            Group {
                label: model.display_name(Named::Item, &row.param).to_string(),
                detail: None,
                rows: vec![Row { marks, note }],
            }
        })
        .collect();
    let range = if is_boolean {
        let (a, b) = nice_range((lo - 0.01).max(0.0), (hi + 0.01).min(1.0));
        (a.max(0.0), b.min(1.0))
    } else {
        nice_range(lo, hi)
    };
    let measure = if is_boolean { "probability" } else { "mean" };
    RowPanel {
        header: Header {
            title: format!("What moves {outcome} most (scenario {scenario})"),
            lines: vec![
                format!("Model: {model_title}"),
                format!(
                    "Each bar: the outcome's {measure} over the parameter draws in which that parameter is in its lowest fifth (blue end) and in its highest fifth (vermillion end). Black line: the overall {measure}. The {STRONGEST} widest swings, widest first; right: Spearman rank correlation."
                ),
            ],
            legend: vec![
                LegendEntry {
                    label: "parameter in its lowest fifth".into(),
                    colour: LOW_SWING,
                    swatch: Swatch::Square,
                },
                LegendEntry {
                    label: "parameter in its highest fifth".into(),
                    colour: HIGH_SWING,
                    swatch: Swatch::Square,
                },
            ],
        },
        groups,
        range,
        scale: if is_boolean {
            Scale::Percent
        } else {
            Scale::Value
        },
        axis: if is_boolean {
            format!("probability of {outcome} (%)")
        } else {
            format!("mean of {outcome}")
        },
        lines: vec![(centre, INK)],
    }
}
