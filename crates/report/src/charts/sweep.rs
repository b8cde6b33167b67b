//! `sweep_<param>.png`: what happens as one parameter is fixed at a series
//! of values. One panel per outcome; in each, one line per scenario through
//! the mean probability at each value, with its 90% interval over the other
//! parameters' draws shaded.

use std::path::Path;

use plotters::prelude::*;
use plotters::style::text_anchor::HPos;
use uchronia_analysis::findings::SweepRow;
use uchronia_model::{Model, Named};

use super::canvas::{
    Drawn, Frame, Header, LegendEntry, Swatch, Vertical, X_AXIS_HEIGHT, fit, nice_range,
    nice_ticks, put, render,
};
use super::style::{self, INK, MARGIN, WIDTH};

/// One scenario's line in one panel.
#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    /// Colour.
    pub colour: RGBColor,
    /// `(value, p_mean, p_q05, p_q95)`, by value.
    pub points: Vec<(f64, f64, Option<f64>, Option<f64>)>,
}

/// One outcome's panel.
#[derive(Clone, Debug, PartialEq)]
pub struct Panel {
    /// The outcome's display name.
    pub outcome: String,
    /// One line per scenario.
    pub lines: Vec<Line>,
    /// The probability range shown.
    pub range: (f64, f64),
}

/// The sweep chart of one parameter.
#[derive(Clone, Debug, PartialEq)]
pub struct SweepChart {
    /// The swept parameter (its identifier: it names the file).
    pub param: String,
    /// The swept parameter's display name.
    pub label: String,
    /// Title, explanation, legend.
    pub header: Header,
    /// One panel per outcome.
    pub panels: Vec<Panel>,
    /// The swept values' range.
    pub values: (f64, f64),
}

const PANEL_PLOT: i32 = 260;
const PANEL_TITLE: i32 = 30;
const PANEL_GAP: i32 = 24;

/// First appearances of `key` over `rows`, in order.
fn distinct<'a>(rows: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let mut seen: Vec<&str> = Vec::new();
    for key in rows {
        if !seen.contains(&key) {
            seen.push(key);
        }
    }
    seen
}

/// One chart per swept parameter in `rows`, in order of appearance.
pub fn charts(rows: &[SweepRow], model: &Model) -> Vec<SweepChart> {
    distinct(rows.iter().map(|r| r.param.as_str()))
        .into_iter()
        .map(|param| {
            let rows: Vec<&SweepRow> = rows.iter().filter(|r| r.param == param).collect();
            chart(param, &rows, model)
        })
        .collect()
}

fn chart(param: &str, rows: &[&SweepRow], model: &Model) -> SweepChart {
    let label = model.display_name(Named::Item, param);
    let model_title = &model.title;
    let scenarios = distinct(rows.iter().map(|r| r.scenario.as_str()));
    let outcomes = distinct(rows.iter().map(|r| r.outcome.as_str()));
    let (mut v_lo, mut v_hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for row in rows {
        v_lo = v_lo.min(row.value);
        v_hi = v_hi.max(row.value);
    }
    let panels = outcomes
        .iter()
        .map(|&outcome| {
            let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
            let lines = scenarios
                .iter()
                .enumerate()
                .map(|(position, &scenario)| {
                    let mut points: Vec<(f64, f64, Option<f64>, Option<f64>)> = (rows.iter())
                        .filter(|r| r.scenario == scenario && r.outcome == outcome)
                        .filter_map(|r| Some((r.value, r.p_mean?, r.p_q05, r.p_q95)))
                        .collect();
                    points.sort_by(|a, b| a.0.total_cmp(&b.0));
                    for &(_, mean, q05, q95) in &points {
                        for y in [Some(mean), q05, q95].into_iter().flatten() {
                            lo = lo.min(y);
                            hi = hi.max(y);
                        }
                    }
                    Line {
                        colour: style::scenario_colour(position),
                        points,
                    }
                })
                .collect();
            let range = if lo.is_finite() {
                let (a, b) = nice_range((lo - 0.01).max(0.0), (hi + 0.01).min(1.0));
                (a.max(0.0), b.min(1.0))
            } else {
                (0.0, 1.0)
            };
            Panel {
                outcome: model.display_name(Named::Item, outcome).to_string(),
                lines,
                range,
            }
        })
        .collect();
    let legend = scenarios
        .iter()
        .enumerate()
        .map(|(position, name)| LegendEntry {
            label: model.display_name(Named::Scenario, name).to_string(),
            colour: style::scenario_colour(position),
            swatch: Swatch::Line,
        })
        .collect();
    SweepChart {
        param: param.to_string(),
        label: label.to_string(),
        header: Header {
            title: format!("Sweep of {label}: outcomes as it is fixed at each value"),
            lines: vec![
                format!("Model: {model_title}"),
                format!(
                    "Line: the mean probability over the other parameters' draws with {label} fixed at the value on the horizontal axis; shaded: the 90% interval over those draws."
                ),
            ],
            legend,
        },
        panels,
        values: if v_lo.is_finite() {
            (v_lo, v_hi)
        } else {
            (0.0, 1.0)
        },
    }
}

impl SweepChart {
    /// The chart's title.
    pub fn title(&self) -> String {
        self.header.title.clone()
    }

    fn panel_height() -> i32 {
        PANEL_TITLE + PANEL_PLOT + X_AXIS_HEIGHT + PANEL_GAP
    }

    /// The chart's height in pixels.
    pub fn height(&self) -> i32 {
        self.header.height(WIDTH as i32)
            + self.panels.len() as i32 * SweepChart::panel_height()
            + MARGIN
    }

    /// Draws the chart into a PNG file at `path`.
    pub fn write(&self, path: &Path) -> Drawn {
        let width = WIDTH as i32;
        render(path, (WIDTH, self.height() as u32), |area| {
            let mut top = self.header.draw(area, width, 0)?;
            let (x_ticks, x_step) = nice_ticks(self.values.0, self.values.1, 10);
            for panel in &self.panels {
                let title_style = style::bold(style::LABEL_SIZE + 1.0, &INK);
                let left = MARGIN + 90;
                let title = fit(&panel.outcome, &title_style, width - left - MARGIN);
                put(
                    area,
                    &title,
                    &title_style,
                    (left, top + 4),
                    HPos::Left,
                    Vertical::Top,
                )?;
                let frame = Frame {
                    left,
                    top: top + PANEL_TITLE,
                    right: width - MARGIN - 10,
                    bottom: top + PANEL_TITLE + PANEL_PLOT,
                    x: self.values,
                    y: panel.range,
                };
                frame.x_axis(
                    area,
                    &x_ticks,
                    &|x| crate::format::value_tick(x, x_step),
                    &format!("{} (fixed value)", self.label),
                )?;
                let (y_ticks, y_step) = nice_ticks(panel.range.0, panel.range.1, 6);
                frame.y_axis(
                    area,
                    &y_ticks,
                    &|y| crate::format::percent_tick(y, y_step),
                    "probability (%)",
                    MARGIN + 10,
                )?;
                for line in panel.lines.iter().rev() {
                    let band: Vec<(i32, i32)> = (line.points.iter())
                        .filter_map(|&(x, _, lo, _)| Some((frame.px(x), frame.py(lo?))))
                        .chain(
                            line.points
                                .iter()
                                .rev()
                                .filter_map(|&(x, _, _, hi)| Some((frame.px(x), frame.py(hi?)))),
                        )
                        .collect();
                    if band.len() >= 3 {
                        area.draw(&Polygon::new(band, line.colour.mix(0.15).filled()))?;
                    }
                }
                for line in panel.lines.iter().rev() {
                    let points: Vec<(i32, i32)> = (line.points.iter())
                        .map(|&(x, mean, _, _)| (frame.px(x), frame.py(mean)))
                        .collect();
                    area.draw(&PathElement::new(
                        points.clone(),
                        line.colour.stroke_width(3),
                    ))?;
                    for point in points {
                        area.draw(&Circle::new(point, 4, line.colour.filled()))?;
                    }
                }
                top += SweepChart::panel_height();
            }
            Ok(())
        })
    }
}
