//! The crux charts (docs/crux.md):
//!
//! - `crux.png`: one panel per top crux parameter (the first-ranked of
//!   each pair of posters, then the second-ranked, up to [`CRUX_PANELS`]),
//!   each poster's implied 90% range and median against the prior's
//!   (shaded), on the parameter's own scale;
//! - `worlds.png`: the headline outcomes of the reference scenario in each
//!   poster's world, side by side: the mean probability over the world's
//!   draws and its 90% interval, one row per poster.
//!
//! Posters take the colours of the house palette in poster order, skipping
//! black (which the reference scenario uses elsewhere).

use uchronia_analysis::crux::{Crux, CruxRow};
use uchronia_model::{Model, Named};

use super::canvas::{Header, LegendEntry, Swatch, nice_range};
use super::rows::{Group, Mark, Row, RowPanel, Scale};
use super::style::{self, MUTED, SHADE};
use crate::format::percent;
use crate::report::Report;

/// At most this many parameters get a panel in `crux.png`.
pub const CRUX_PANELS: usize = 4;

/// The title of `crux.png`.
pub const CRUX_TITLE: &str = "The crux parameters in each poster's world";

/// The title of `worlds.png`.
pub const WORLDS_TITLE: &str = "Each poster's world: the headline outcomes";

fn colour(poster: usize) -> plotters::style::RGBColor {
    style::scenario_colour(poster + 1)
}

fn legend(crux: &Crux, with_prior: bool) -> Vec<LegendEntry> {
    let mut legend = Vec::new();
    if with_prior {
        legend.push(LegendEntry {
            label: "prior 90% range".into(),
            colour: SHADE,
            swatch: Swatch::Square,
        });
    }
    for (i, poster) in crux.posters.iter().enumerate() {
        legend.push(LegendEntry {
            label: poster.author.clone(),
            colour: colour(i),
            swatch: Swatch::Dot,
        });
    }
    legend
}

/// The parameters `crux.png` shows: the largest significant gap of every
/// pair, then the second, and so on, each once, up to [`CRUX_PANELS`].
pub fn crux_params(crux: &Crux) -> Vec<String> {
    let mut chosen: Vec<String> = Vec::new();
    let significant: Vec<Vec<&CruxRow>> = (crux.pairs.iter())
        .map(|p| p.ranked.iter().filter(|r| r.significant).collect())
        .collect();
    let deepest = significant.iter().map(Vec::len).max().unwrap_or(0);
    for rank in 0..deepest {
        for rows in &significant {
            if let Some(row) = rows.get(rank)
                && !chosen.contains(&row.param)
                && chosen.len() < CRUX_PANELS
            {
                chosen.push(row.param.clone());
            }
        }
    }
    chosen
}

/// The panels of `crux.png` (none when no pair ranks a parameter).
pub fn crux_panels(crux: &Crux, model: &Model) -> Vec<RowPanel> {
    let model_title = &model.title;
    crux_params(crux)
        .iter()
        .enumerate()
        .filter_map(|(n, name)| {
            let index = (crux.posters.first()?.params.iter()).position(|p| &p.param == name)?;
            let prior = crux.posters[0].params[index].prior;
            let mut values: Vec<f64> = prior.iter().flatten().copied().collect();
            let mut groups = Vec::new();
            for (i, poster) in crux.posters.iter().enumerate() {
                let implied = &poster.params[index];
                values.extend(implied.implied.iter().flatten());
                let mut marks = Vec::new();
                if let (Some(lo), Some(hi)) = (prior[0], prior[2]) {
                    marks.push(Mark::Band {
                        lo,
                        hi,
                        colour: SHADE,
                    });
                }
                if let [Some(lo), _, Some(hi)] = implied.implied {
                    marks.push(Mark::Whisker {
                        lo,
                        hi,
                        colour: colour(i),
                    });
                }
                if let Some(x) = implied.implied[1] {
                    marks.push(Mark::Dot { x, colour: colour(i) });
                }
                let note = implied
                    .shift
                    .map(|s| (format!("median at prior quantile {:.2}", 0.5 + s), MUTED));
                groups.push(Group {
                    label: poster.author.clone(),
                    detail: None,
                    rows: vec![Row { marks, note }],
                });
            }
            let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
            let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let range = if lo.is_finite() && hi.is_finite() {
                nice_range(lo, hi)
            } else {
                (0.0, 1.0)
            };
            let label = model.display_name(Named::Item, name);
            let mut lines = vec![format!("Model: {model_title}")];
            if n == 0 {
                lines.push("Grey band: the parameter's prior 90% range over all draws. Dot: its median over the draws that keep all of a poster's claims (their world); whiskers: the 90% range there. Right: where that median sits among the prior's values (0.5: not moved).".into());
            }
            Some(RowPanel {
                header: Header {
                    title: if n == 0 {
                        format!("{CRUX_TITLE}: {label}")
                    } else {
                        label.to_string()
                    },
                    lines,
                    legend: if n == 0 { legend(crux, true) } else { Vec::new() },
                },
                groups,
                range,
                scale: Scale::Value,
                axis: format!("{label} (the parameter's own units)"),
                lines: Vec::new(),
            })
        })
        .collect()
}

/// The panel of `worlds.png`: the reference scenario's headline boolean
/// outcomes, one group per outcome and one row per poster; `None` when
/// there is nothing to show.
pub fn worlds_panel(report: &Report, crux: &Crux) -> Option<RowPanel> {
    let reference = report.scenarios().first()?.name.to_string();
    let groups: Vec<Group> = report
        .headline_booleans()
        .into_iter()
        .map(|id| {
            let outcome = report.outcome_name(id);
            let rows = (crux.posters.iter().enumerate())
                .map(|(i, poster)| {
                    let row = (poster.world.iter())
                        .find(|w| w.scenario == reference && w.outcome == outcome);
                    let mut marks = Vec::new();
                    if let Some(w) = row {
                        if let (Some(lo), Some(hi)) = (w.p_q05, w.p_q95) {
                            marks.push(Mark::Whisker {
                                lo,
                                hi,
                                colour: colour(i),
                            });
                        }
                        if let Some(x) = w.p_mean {
                            marks.push(Mark::Dot {
                                x,
                                colour: colour(i),
                            });
                        }
                    }
                    let note = row
                        .and_then(|w| w.p_mean)
                        .map(|p| (format!("{}: {}", poster.author, percent(p)), colour(i)));
                    Row { marks, note }
                })
                .collect();
            Group {
                label: report.model.display_name(Named::Item, outcome).to_string(),
                detail: None,
                rows,
            }
        })
        .collect();
    if groups.is_empty() || crux.posters.is_empty() {
        return None;
    }
    Some(RowPanel {
        header: Header {
            title: WORLDS_TITLE.into(),
            lines: vec![
                format!(
                    "Model: {}; scenario {}",
                    report.model.title,
                    report.model.display_name(Named::Scenario, &reference)
                ),
                "Each poster's world is the parameter draws that keep all their claims (a largest consistent subset when they conflict). Dot: the mean probability over those draws; whiskers: its 90% interval. worlds.csv has every scenario.".into(),
            ],
            legend: legend(crux, false),
        },
        groups,
        range: (0.0, 1.0),
        scale: Scale::Percent,
        axis: "probability in the poster's world (%)".into(),
        lines: Vec::new(),
    })
}
