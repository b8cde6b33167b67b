//! `uncertainty.png`: how sure the model is about each headline probability.
//! For each boolean headline outcome, a panel with one violin per scenario:
//! the distribution over parameter draws of the per-draw probability `p_d`
//! (a kernel density estimate), its 90% interval as a line and its mean
//! as a dot. A wide violin means the answer depends on what we do not know
//! about the world; a narrow one, that the model is sure of it.

use std::path::Path;

use plotters::prelude::*;
use plotters::style::text_anchor::HPos;

use super::canvas::{
    Drawn, Frame, Header, LegendEntry, Swatch, Vertical, X_AXIS_HEIGHT, fit, nice_ticks, put,
    render, text_width,
};
use super::style::{self, GRID, INK, MARGIN, WIDTH};
use crate::per_draw;
use crate::report::Report;

/// One scenario's draws in one panel.
#[derive(Clone, Debug, PartialEq)]
pub struct Violin {
    /// Scenario name.
    pub scenario: String,
    /// Colour.
    pub colour: RGBColor,
    /// The per-draw probabilities, sorted.
    pub values: Vec<f64>,
}

/// One outcome's panel.
#[derive(Clone, Debug, PartialEq)]
pub struct Panel {
    /// The outcome.
    pub outcome: String,
    /// One violin per scenario.
    pub violins: Vec<Violin>,
    /// The probability range shown.
    pub range: (f64, f64),
}

/// The chart.
#[derive(Clone, Debug, PartialEq)]
pub struct UncertaintyChart {
    /// Title, explanation, legend.
    pub header: Header,
    /// One panel per headline outcome.
    pub panels: Vec<Panel>,
}

const VIOLIN_ROW: i32 = 34;
const PANEL_TITLE: i32 = 30;
const PANEL_GAP: i32 = 18;

/// The chart, or `None` when there is no boolean outcome.
pub fn chart(report: &Report) -> Option<UncertaintyChart> {
    let outcomes = report.headline_booleans();
    if outcomes.is_empty() {
        return None;
    }
    let scenarios = report.scenarios();
    let panels = outcomes
        .into_iter()
        .map(|outcome| {
            let violins: Vec<Violin> = scenarios
                .iter()
                .map(|scenario| Violin {
                    scenario: scenario.label.to_string(),
                    colour: style::scenario_colour(scenario.position),
                    values: per_draw::sorted_values(&per_draw::boolean_p(scenario.tally, outcome)),
                })
                .collect();
            let range = panel_range(&violins);
            Panel {
                outcome: report.outcome_label(outcome).to_string(),
                violins,
                range,
            }
        })
        .collect();
    let legend = scenarios
        .iter()
        .map(|s| LegendEntry {
            label: s.label.to_string(),
            colour: style::scenario_colour(s.position),
            swatch: Swatch::Square,
        })
        .collect();
    Some(UncertaintyChart {
        header: Header {
            title: "How sure is the model? Each probability across parameter draws".into(),
            lines: vec![
                format!("Model: {}", report.model.title),
                format!(
                    "Each violin shows how the outcome's probability varies over the {} parameter draws (each draw is one way the uncertain world could be; {} trials each). Line: the middle 90% of draws; dot: the mean, as in the tables. Each panel has its own scale.",
                    crate::format::count(report.info.draws),
                    crate::format::count(report.info.trials_per_draw)
                ),
            ],
            legend,
        },
        panels,
    })
}

/// A range that holds the middle 98% of every violin's draws, widened to
/// round numbers and kept within 0..1.
fn panel_range(violins: &[Violin]) -> (f64, f64) {
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for violin in violins {
        if let (Some(a), Some(b)) = (
            uchronia_analysis::quantile_type7(&violin.values, 0.01),
            uchronia_analysis::quantile_type7(&violin.values, 0.99),
        ) {
            lo = lo.min(a);
            hi = hi.max(b);
        }
    }
    if !(lo.is_finite() && hi.is_finite()) {
        return (0.0, 1.0);
    }
    // At least five points wide, so that a sure answer still looks sure.
    let pad = (0.05 - (hi - lo)).max(0.0) / 2.0;
    let (lo, hi) = super::canvas::nice_range((lo - pad).max(0.0), (hi + pad).min(1.0));
    (lo.max(0.0), hi.min(1.0))
}

/// A kernel density estimate of sorted `values` at `points` (Gaussian kernel,
/// Silverman's bandwidth), scaled so that its largest value is 1. `None`
/// when the values do not vary (the violin is then a single line).
pub fn density(values: &[f64], points: &[f64]) -> Option<Vec<f64>> {
    let n = values.len();
    if n < 2 {
        return None;
    }
    let sd = uchronia_analysis::sample_sd(values)?;
    let q25 = uchronia_analysis::quantile_type7(values, 0.25)?;
    let q75 = uchronia_analysis::quantile_type7(values, 0.75)?;
    let spread = if q75 > q25 {
        sd.min((q75 - q25) / 1.34)
    } else {
        sd
    };
    let bandwidth = 0.9 * spread * (n as f64).powf(-0.2);
    if !(bandwidth > 0.0 && bandwidth.is_finite()) {
        return None;
    }
    let mut density: Vec<f64> = points
        .iter()
        .map(|&x| {
            values
                .iter()
                .map(|&v| {
                    let z = (x - v) / bandwidth;
                    (-0.5 * z * z).exp()
                })
                .sum::<f64>()
        })
        .collect();
    let top = density.iter().copied().fold(0.0, f64::max);
    if top <= 0.0 {
        return None;
    }
    density.iter_mut().for_each(|d| *d /= top);
    Some(density)
}

impl UncertaintyChart {
    /// The chart's title.
    pub fn title(&self) -> String {
        self.header.title.clone()
    }

    fn columns(&self) -> usize {
        if self.panels.len() > 1 { 2 } else { 1 }
    }

    fn panel_height(&self) -> i32 {
        let rows = self.panels.first().map_or(0, |p| p.violins.len()) as i32;
        PANEL_TITLE + rows * VIOLIN_ROW + X_AXIS_HEIGHT + PANEL_GAP
    }

    /// The chart's height in pixels.
    pub fn height(&self) -> i32 {
        let grid_rows = self.panels.len().div_ceil(self.columns()) as i32;
        self.header.height(WIDTH as i32) + grid_rows * self.panel_height() + MARGIN
    }

    /// Draws the chart into a PNG file at `path`.
    pub fn write(&self, path: &Path) -> Drawn {
        let width = WIDTH as i32;
        render(path, (WIDTH, self.height() as u32), |area| {
            let top = self.header.draw(area, width, 0)?;
            let label_style = style::text(style::LABEL_SIZE, &INK);
            let names = self.panels.first().map(|p| &p.violins[..]).unwrap_or(&[]);
            let label_width = (names
                .iter()
                .map(|v| text_width(&v.scenario, &label_style))
                .max())
            .unwrap_or(0)
            .min(width / 5)
                + 14;
            let columns = self.columns() as i32;
            let column_gap = 64;
            let panel_width =
                (width - 2 * MARGIN - label_width - (columns - 1) * column_gap) / columns;
            for (index, panel) in self.panels.iter().enumerate() {
                let (row, column) = (index as i32 / columns, index as i32 % columns);
                let panel_top = top + row * self.panel_height();
                let left = MARGIN + label_width + column * (panel_width + column_gap);
                let frame = Frame {
                    left,
                    top: panel_top + PANEL_TITLE,
                    right: left + panel_width,
                    bottom: panel_top + PANEL_TITLE + panel.violins.len() as i32 * VIOLIN_ROW,
                    x: panel.range,
                    y: (0.0, 1.0),
                };
                let title_style = style::bold(style::LABEL_SIZE + 1.0, &INK);
                let title = fit(&panel.outcome, &title_style, panel_width);
                put(
                    area,
                    &title,
                    &title_style,
                    (left, panel_top + 4),
                    HPos::Left,
                    Vertical::Top,
                )?;
                let (ticks, step) = nice_ticks(panel.range.0, panel.range.1, 6);
                frame.x_axis(
                    area,
                    &ticks,
                    &|x| crate::format::percent_tick(x, step),
                    "probability (%)",
                )?;
                for (i, violin) in panel.violins.iter().enumerate() {
                    let middle = frame.top + i as i32 * VIOLIN_ROW + VIOLIN_ROW / 2;
                    if i > 0 {
                        let y = middle - VIOLIN_ROW / 2;
                        area.draw(&PathElement::new(
                            vec![(frame.left, y), (frame.right, y)],
                            GRID.stroke_width(1),
                        ))?;
                    }
                    if column == 0 {
                        let label = fit(&violin.scenario, &label_style, label_width - 14);
                        put(
                            area,
                            &label,
                            &label_style,
                            (left - 12, middle),
                            HPos::Right,
                            Vertical::Middle,
                        )?;
                    }
                    draw_violin(area, &frame, violin, middle)?;
                }
            }
            Ok(())
        })
    }
}

fn draw_violin(area: &super::canvas::Area, frame: &Frame, violin: &Violin, middle: i32) -> Drawn {
    let values = &violin.values;
    let (Some(q05), Some(q95)) = (
        uchronia_analysis::quantile_type7(values, 0.05),
        uchronia_analysis::quantile_type7(values, 0.95),
    ) else {
        return Ok(());
    };
    // The dot is the mean over draws, the statistic every table shows.
    let mean = values.iter().sum::<f64>() / values.len() as f64;
    let half = (VIOLIN_ROW / 2 - 3) as f64;
    let steps = 160;
    let points: Vec<f64> = (0..=steps)
        .map(|i| frame.x.0 + (frame.x.1 - frame.x.0) * f64::from(i) / f64::from(steps))
        .collect();
    let colour = violin.colour;
    match density(values, &points) {
        Some(density) => {
            // Only where there is density: the tails would otherwise draw a
            // line across the whole row.
            let first = density.iter().position(|&d| d > 0.01).unwrap_or(0);
            let last = density
                .iter()
                .rposition(|&d| d > 0.01)
                .unwrap_or(steps as usize);
            let kept = || points[first..=last].iter().zip(&density[first..=last]);
            let upper = kept().map(|(&x, &d)| (frame.px(x), middle - (d * half).round() as i32));
            let lower = kept()
                .rev()
                .map(|(&x, &d)| (frame.px(x), middle + (d * half).round() as i32));
            let outline: Vec<(i32, i32)> = upper.chain(lower).collect();
            area.draw(&Polygon::new(outline.clone(), colour.mix(0.45).filled()))?;
            let mut closed = outline;
            if let Some(&first) = closed.first() {
                closed.push(first);
            }
            area.draw(&PathElement::new(closed, colour.stroke_width(1)))?;
        }
        None => {
            let x = frame.px(mean);
            area.draw(&PathElement::new(
                vec![(x, middle - half as i32), (x, middle + half as i32)],
                colour.stroke_width(3),
            ))?;
        }
    }
    area.draw(&PathElement::new(
        vec![(frame.px(q05), middle), (frame.px(q95), middle)],
        INK.stroke_width(2),
    ))?;
    area.draw(&Circle::new((frame.px(mean), middle), 5, WHITE.filled()))?;
    area.draw(&Circle::new(
        (frame.px(mean), middle),
        5,
        INK.stroke_width(2),
    ))?;
    Ok(())
}
