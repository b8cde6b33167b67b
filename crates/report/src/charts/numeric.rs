//! `<outcome>.png` for each numeric outcome: its distribution in each
//! scenario as a cumulative distribution (the share of trials whose value is
//! at or below x), read from the pooled quantile sketch at many quantiles.
//!
//! A CDF rather than histograms: several scenarios overlay without hiding
//! one another, medians and intervals read straight off the 50%, 5% and 95%
//! lines, and a shift to the right means "later" or "more" at a glance.

use std::path::Path;

use plotters::prelude::*;
use uchronia_model::{OutcomeId, OutcomeKind};

use super::canvas::{
    self, Drawn, Frame, Header, LegendEntry, Swatch, X_AXIS_HEIGHT, nice_range, nice_ticks, render,
};
use super::style::{self, MARGIN, MUTED, WIDTH};
use crate::report::Report;

/// Quantiles at which each curve is evaluated.
fn quantile_grid() -> Vec<f64> {
    let mut grid = vec![0.001, 0.0025];
    grid.extend((1..200).map(|i| f64::from(i) * 0.005));
    grid.extend([0.9975, 0.999]);
    grid
}

/// One scenario's curve.
#[derive(Clone, Debug, PartialEq)]
pub struct Curve {
    /// Colour.
    pub colour: RGBColor,
    /// `(value, cumulative share)` points, increasing.
    pub points: Vec<(f64, f64)>,
}

/// A numeric outcome's chart.
#[derive(Clone, Debug, PartialEq)]
pub struct NumericChart {
    /// Title, explanation, legend.
    pub header: Header,
    /// The outcome's display name (the axis description).
    pub outcome: String,
    /// One curve per scenario with values.
    pub curves: Vec<Curve>,
    /// The value range shown.
    pub range: (f64, f64),
}

const HEIGHT_OF_PLOT: i32 = 520;

/// The chart of numeric outcome `outcome`.
pub fn chart(report: &Report, outcome: OutcomeId) -> NumericChart {
    let name = report.outcome_name(outcome);
    let label = report.outcome_label(outcome);
    let model_outcome = &report.model.outcomes[outcome];
    let conditional = matches!(
        model_outcome.kind,
        OutcomeKind::Numeric { given: Some(_), .. }
    );
    let grid = quantile_grid();
    let mut curves = Vec::new();
    let mut legend = Vec::new();
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for scenario in report.scenarios() {
        let colour = style::scenario_colour(scenario.position);
        let row = report.numeric_row(scenario.name, name);
        let sketch = scenario
            .tally
            .sketches
            .get(outcome)
            .and_then(Option::as_ref);
        let points: Vec<(f64, f64)> = sketch
            .map(|sketch| {
                (grid.iter())
                    .filter_map(|&q| sketch.quantile(q).filter(|x| x.is_finite()).map(|x| (x, q)))
                    .collect()
            })
            .unwrap_or_default();
        let mut entry = scenario.label.to_string();
        match row.and_then(|r| r.mean) {
            Some(mean) => {
                entry.push_str(&format!(": mean {}", crate::format::number(mean)));
                if let (Some(q05), Some(q95)) = (row.and_then(|r| r.q05), row.and_then(|r| r.q95)) {
                    entry.push_str(&format!(
                        ", 90% of values {} to {}",
                        crate::format::number(q05),
                        crate::format::number(q95)
                    ));
                }
                if conditional && let Some(r) = row {
                    entry.push_str(&format!(
                        "; defined in {} of trials",
                        crate::format::percent(r.share)
                    ));
                }
            }
            None => entry.push_str(": no values"),
        }
        legend.push(LegendEntry {
            label: entry,
            colour,
            swatch: Swatch::Line,
        });
        // The plotted range leaves out the extreme half percent at each end.
        for &(x, q) in &points {
            if (0.005..=0.995).contains(&q) {
                lo = lo.min(x);
                hi = hi.max(x);
            }
        }
        if !points.is_empty() {
            curves.push(Curve { colour, points });
        }
    }
    let range = if lo.is_finite() && hi.is_finite() {
        nice_range(lo, hi)
    } else {
        (0.0, 1.0)
    };
    let mut lines = vec![format!("Model: {}", report.model.title)];
    if let Some(doc) = &model_outcome.doc {
        lines.push(format!("{label}: {doc}"));
    }
    lines.push(format!(
        "Each curve: the share of trials (over all {} parameter draws) in which {label} is at or below the value on the horizontal axis{}. A curve further right means larger values; where it crosses 50% is the median.",
        crate::format::count(report.info.draws),
        if conditional { ", among the trials in which it is defined" } else { "" },
    ));
    NumericChart {
        header: Header {
            title: format!("Distribution of {label} in each scenario"),
            lines,
            legend,
        },
        outcome: label.to_string(),
        curves,
        range,
    }
}

impl NumericChart {
    /// The chart's title.
    pub fn title(&self) -> String {
        self.header.title.clone()
    }

    /// The chart's height in pixels.
    pub fn height(&self) -> i32 {
        self.header.height(WIDTH as i32) + HEIGHT_OF_PLOT + X_AXIS_HEIGHT + MARGIN
    }

    /// Draws the chart into a PNG file at `path`.
    pub fn write(&self, path: &Path) -> Drawn {
        let width = WIDTH as i32;
        render(path, (WIDTH, self.height() as u32), |area| {
            let top = self.header.draw(area, width, 0)?;
            let frame = Frame {
                left: MARGIN + 90,
                top: top + 8,
                right: width - MARGIN - 10,
                bottom: top + 8 + HEIGHT_OF_PLOT,
                x: self.range,
                y: (0.0, 1.0),
            };
            let (x_ticks, x_step) = nice_ticks(self.range.0, self.range.1, 10);
            frame.x_axis(
                area,
                &x_ticks,
                &|x| crate::format::value_tick(x, x_step),
                &format!("{} (value of the outcome)", self.outcome),
            )?;
            let (y_ticks, y_step) = nice_ticks(0.0, 1.0, 10);
            frame.y_axis(
                area,
                &y_ticks,
                &|y| crate::format::percent_tick(y, y_step),
                "share of trials at or below the value (%)",
                MARGIN + 10,
            )?;
            // The median line, a little darker than the grid.
            let median = frame.py(0.5);
            area.draw(&PathElement::new(
                vec![(frame.left, median), (frame.right, median)],
                MUTED.stroke_width(1),
            ))?;
            // The reference first and widest, each next curve narrower on
            // top of it: where scenarios agree, their lines show as nested
            // stripes instead of hiding one another.
            let count = self.curves.len() as u32;
            for (index, curve) in self.curves.iter().enumerate() {
                let width = 2 + (count - 1 - index as u32).min(5);
                // A step function: the share stays level until the next value.
                let mut points: Vec<(i32, i32)> = Vec::with_capacity(2 * curve.points.len());
                for &(x, q) in curve
                    .points
                    .iter()
                    .filter(|(x, _)| (self.range.0..=self.range.1).contains(x))
                {
                    let (px, py) = (frame.px(x), frame.py(q));
                    if let Some(&(_, previous)) = points.last() {
                        points.push((px, previous));
                    }
                    points.push((px, py));
                }
                area.draw(&PathElement::new(points, curve.colour.stroke_width(width)))?;
            }
            canvas::put(
                area,
                "median",
                &style::text(style::TICK_SIZE, &MUTED),
                (frame.right - 4, median - 4),
                plotters::style::text_anchor::HPos::Right,
                canvas::Vertical::Baseline,
            )?;
            Ok(())
        })
    }
}
