//! `fan_<outcome>.png` for each outcome that is a year: the fan chart.
//! One small panel per scenario, the reference first: the mean over the
//! parameter draws of P(the event by year Y), drawn as steps (a value known
//! at Y holds until Y + 1), with the 90% interval of the per-draw P(by Y)
//! shaded. Every other panel repeats the reference's mean as a thin grey
//! line, so a shift reads at a glance. Only the years in which something
//! moves are shown (fan.csv has the whole span).
//!
//! It stands beside `<outcome>.png`, whose pooled CDF mixes the draws: the
//! fan separates what chance decides (the curve) from what we do not know
//! (the band's width).

use std::path::Path;

use plotters::prelude::*;
use plotters::style::text_anchor::HPos;
use uchronia_analysis::fan::FanRow;
use uchronia_model::OutcomeId;

use super::canvas::{
    ChartError, Drawn, Frame, Header, LegendEntry, Swatch, Vertical, X_AXIS_HEIGHT, fit,
    nice_ticks, put, render,
};
use super::style::{self, MARGIN, MUTED, WIDTH};
use crate::report::Report;

/// The height of one panel's plot, in pixels.
const PLOT: i32 = 230;
/// Above each plot: the scenario's name.
const PANEL_TITLE: i32 = 30;
/// Between panels, vertically.
const PANEL_GAP: i32 = 18;

/// `(year, p_mean, p_q05, p_q95)`, by year.
type Points = Vec<(f64, f64, Option<f64>, Option<f64>)>;

/// One scenario's fan.
#[derive(Clone, Debug, PartialEq)]
pub struct FanPanel {
    /// The scenario's display name.
    pub scenario: String,
    /// Its colour (the reference's is black).
    pub colour: RGBColor,
    /// Its points.
    pub points: Points,
}

/// A year outcome's fan chart.
#[derive(Clone, Debug, PartialEq)]
pub struct FanChart {
    /// Title, explanation, legend.
    pub header: Header,
    /// One panel per scenario with values, the reference first.
    pub panels: Vec<FanPanel>,
    /// The years shown (one past the last, where its step ends).
    pub years: (f64, f64),
}

/// The fan chart of year outcome `id` from its rows of `rows`, with display
/// names (labels) for the outcome and the scenarios; `None` when no
/// scenario has a defined point.
pub fn chart(report: &Report, id: OutcomeId, rows: &[FanRow]) -> Option<FanChart> {
    let outcome = report.outcome_name(id);
    let label = report.outcome_label(id);
    let mut panels = Vec::new();
    for scenario in report.scenarios() {
        let points: Points = (rows.iter())
            .filter(|r| r.outcome == outcome && r.scenario == scenario.name)
            .filter_map(|r| Some((f64::from(r.year), r.p_mean?, r.p_q05, r.p_q95)))
            .collect();
        if !points.is_empty() {
            panels.push(FanPanel {
                scenario: scenario.label.to_string(),
                colour: style::scenario_colour(scenario.position),
                points,
            });
        }
    }
    let (lo, hi) = shown_years(&panels)?;
    for panel in &mut panels {
        panel.points.retain(|p| (lo..=hi).contains(&p.0));
    }
    let model_outcome = report.model.outcomes.get(id);
    let conditional = model_outcome.is_some_and(|o| {
        matches!(
            o.kind,
            uchronia_model::OutcomeKind::Numeric { given: Some(_), .. }
        )
    });
    let mut reading = format!(
        "Line: the mean over the parameter draws of P({label} is at most the year on the horizontal axis), held until the next year; shaded: the 90% interval of that probability over the draws (wide: it depends on what we do not know). Grey line: the reference's mean."
    );
    if conditional {
        reading.push_str(" Among the trials where the outcome is defined.");
    }
    let legend = panels
        .iter()
        .map(|p| LegendEntry {
            label: p.scenario.clone(),
            colour: p.colour,
            swatch: Swatch::Line,
        })
        .collect();
    Some(FanChart {
        header: Header {
            title: format!(
                "Fan chart of {label}: P(by year Y) in each scenario, with its 90% band"
            ),
            lines: vec![format!("Model: {}", report.model.title), reading],
            legend,
        },
        panels,
        years: (lo, hi + 1.0),
    })
}

/// The years to show: those where some scenario's band is off 0% and
/// 100%, with a year either side; the whole span when there are none.
/// `None` without any point.
fn shown_years(panels: &[FanPanel]) -> Option<(f64, f64)> {
    let all = panels.iter().flat_map(|p| &p.points);
    let first = all.clone().map(|p| p.0).reduce(f64::min)?;
    let last = all.clone().map(|p| p.0).reduce(f64::max)?;
    let moving =
        all.filter(|&&(_, mean, q05, q95)| q95.unwrap_or(mean) > 0.0 && q05.unwrap_or(mean) < 1.0);
    let lo = moving.clone().map(|p| p.0).reduce(f64::min);
    let hi = moving.map(|p| p.0).reduce(f64::max);
    Some(match (lo, hi) {
        (Some(lo), Some(hi)) => ((lo - 1.0).max(first), (hi + 1.0).min(last)),
        _ => (first, last),
    })
}

/// A pixel path without repeated points or the middle points of straight
/// runs: plotters draws a thick line through those with visible kinks.
fn simplify(path: Vec<(i32, i32)>) -> Vec<(i32, i32)> {
    let mut out: Vec<(i32, i32)> = Vec::with_capacity(path.len());
    for point in path {
        if out.last() == Some(&point) {
            continue;
        }
        if let [.., a, b] = out.as_slice()
            && ((a.0 == b.0 && b.0 == point.0) || (a.1 == b.1 && b.1 == point.1))
        {
            out.pop();
        }
        out.push(point);
    }
    out
}

/// `points` as steps: each value holds for a year, two entries per point.
fn steps(points: &Points) -> Points {
    (points.iter())
        .flat_map(|&point| [point, (point.0 + 1.0, point.1, point.2, point.3)])
        .collect()
}

impl FanChart {
    /// The chart's title.
    pub fn title(&self) -> String {
        self.header.title.clone()
    }

    /// Panels per row: two, unless there is only one.
    fn columns(&self) -> usize {
        if self.panels.len() > 1 { 2 } else { 1 }
    }

    fn panel_height() -> i32 {
        PANEL_TITLE + PLOT + X_AXIS_HEIGHT + PANEL_GAP
    }

    /// The chart's height in pixels.
    pub fn height(&self) -> i32 {
        let rows = self.panels.len().div_ceil(self.columns()) as i32;
        self.header.height(WIDTH as i32) + rows * FanChart::panel_height() + MARGIN
    }

    /// Draws the chart into a PNG file at `path`.
    pub fn write(&self, path: &Path) -> Drawn {
        let width = WIDTH as i32;
        render(path, (WIDTH, self.height() as u32), |area| {
            let top = self.header.draw(area, width, 0)?;
            let columns = self.columns();
            let cell = (width - MARGIN) / columns as i32;
            let reference = self.panels.first().map(|p| steps(&p.points));
            for (i, panel) in self.panels.iter().enumerate() {
                let left = (i % columns) as i32 * cell;
                let y = top + (i / columns) as i32 * FanChart::panel_height();
                let frame = Frame {
                    left: left + MARGIN + 80,
                    top: y + PANEL_TITLE,
                    right: left + cell - 10,
                    bottom: y + PANEL_TITLE + PLOT,
                    x: self.years,
                    y: (0.0, 1.0),
                };
                let grey = reference.as_ref().filter(|_| i > 0);
                self.draw_panel(area, &frame, panel, grey)?;
            }
            Ok(())
        })
    }

    fn draw_panel(
        &self,
        area: &super::canvas::Area,
        frame: &Frame,
        panel: &FanPanel,
        reference: Option<&Points>,
    ) -> Result<(), ChartError> {
        let name_style = style::bold(style::LABEL_SIZE, &panel.colour);
        let name = fit(&panel.scenario, &name_style, frame.right - frame.left);
        put(
            area,
            &name,
            &name_style,
            (frame.left, frame.top - 8),
            HPos::Left,
            Vertical::Baseline,
        )?;
        let span = self.years.1 - self.years.0;
        let (x_ticks, x_step) =
            nice_ticks(self.years.0, self.years.1, span.clamp(1.0, 6.0) as usize);
        frame.x_axis(
            area,
            &x_ticks,
            &|x| crate::format::value_tick(x, x_step.max(1.0)),
            "year",
        )?;
        let (y_ticks, y_step) = nice_ticks(0.0, 1.0, 4);
        frame.y_axis(
            area,
            &y_ticks,
            &|y| crate::format::percent_tick(y, y_step),
            "P(by year)",
            frame.left - 70,
        )?;
        let stepped = steps(&panel.points);
        let band: Vec<(i32, i32)> = (stepped.iter())
            .filter_map(|&(x, _, lo, _)| Some((frame.px(x), frame.py(lo?))))
            .chain(
                (stepped.iter().rev())
                    .filter_map(|&(x, _, _, hi)| Some((frame.px(x), frame.py(hi?)))),
            )
            .collect();
        if band.len() >= 3 {
            area.draw(&Polygon::new(band, panel.colour.mix(0.22).filled()))?;
        }
        if let Some(reference) = reference {
            let line: Vec<(i32, i32)> = (reference.iter())
                .map(|&(x, mean, _, _)| (frame.px(x), frame.py(mean)))
                .collect();
            area.draw(&PathElement::new(
                simplify(line),
                MUTED.mix(0.8).stroke_width(2),
            ))?;
        }
        let line: Vec<(i32, i32)> = (stepped.iter())
            .map(|&(x, mean, _, _)| (frame.px(x), frame.py(mean)))
            .collect();
        area.draw(&PathElement::new(
            simplify(line),
            panel.colour.stroke_width(3),
        ))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::simplify;

    #[test]
    fn the_years_shown_are_those_that_move_with_one_either_side() {
        let panel = |points: Vec<(f64, f64, Option<f64>, Option<f64>)>| super::FanPanel {
            scenario: String::new(),
            colour: plotters::style::BLACK,
            points,
        };
        let flat = |year: f64, p: f64| (year, p, Some(p), Some(p));
        let a = panel(vec![
            flat(1920.0, 0.0),
            flat(1921.0, 0.0),
            (1922.0, 0.2, Some(0.0), Some(0.5)),
            flat(1923.0, 1.0),
            flat(1924.0, 1.0),
            flat(1925.0, 1.0),
        ]);
        let b = panel(vec![flat(1920.0, 0.0), (1923.0, 0.9, Some(0.8), Some(1.0))]);
        assert_eq!(
            super::shown_years(std::slice::from_ref(&a)),
            Some((1921.0, 1923.0))
        );
        assert_eq!(super::shown_years(&[a, b]), Some((1921.0, 1924.0)));
        let still = panel(vec![flat(1920.0, 1.0), flat(1921.0, 1.0)]);
        assert_eq!(super::shown_years(&[still]), Some((1920.0, 1921.0)));
        assert_eq!(super::shown_years(&[]), None);
    }

    #[test]
    fn straight_runs_and_repeats_become_one_segment() {
        let path = vec![(0, 5), (1, 5), (1, 5), (2, 5), (2, 3), (2, 1), (4, 1)];
        assert_eq!(simplify(path), vec![(0, 5), (2, 5), (2, 1), (4, 1)]);
    }
}
