//! `inevitability_<outcome>.png` and `inevitability_stacked.png`: how an
//! outcome's probability moves as the facts become known, year by year
//! (Tetlock and Lebow's inevitability curves). One curve per outcome through
//! the mean probability at each year, with its 90% interval over the
//! parameter draws shaded; the first point, a year before the first fact,
//! is the world with nothing known. When the outcomes are alternatives that
//! cover every case, the stacked chart shows their means piled to 100%:
//! the growing layer is the inevitability curve, the shrinking ones the
//! impossibility curves of the alternatives.

use std::path::Path;

use plotters::prelude::*;
use plotters::style::text_anchor::HPos;
use uchronia_analysis::inevitability::InevitabilityRow;
use uchronia_model::{Model, Named};

use super::canvas::{
    Drawn, Frame, Header, LegendEntry, Swatch, Vertical, X_AXIS_HEIGHT, nice_ticks, put, render,
};
use super::style::{self, INK, MARGIN, WIDTH};

const PLOT: i32 = 380;

/// One outcome's points: `(year, p_mean, p_q05, p_q95)`, by year.
type Points = Vec<(f64, f64, Option<f64>, Option<f64>)>;

/// An inevitability chart: curves with bands, or stacked means.
#[derive(Clone, Debug, PartialEq)]
pub struct InevitabilityChart {
    /// Title, explanation, legend.
    pub header: Header,
    /// Each outcome's name, colour and points.
    pub curves: Vec<(String, RGBColor, Points)>,
    /// Whether to stack the means (the outcomes sum to 1).
    pub stacked: bool,
    /// The years shown.
    pub years: (f64, f64),
}

/// The outcomes of `rows`, in order of first appearance.
pub fn outcomes(rows: &[InevitabilityRow]) -> Vec<&str> {
    let mut seen: Vec<&str> = Vec::new();
    for row in rows {
        if !seen.contains(&row.outcome.as_str()) {
            seen.push(&row.outcome);
        }
    }
    seen
}

/// `points` as steps: what is known at a year holds until the next year at
/// which a fact becomes known (the last for one more year), so each value
/// is drawn flat until then: a segment per point, two entries each.
fn steps(points: &Points) -> Points {
    let mut out = Vec::with_capacity(2 * points.len());
    for (i, &point) in points.iter().enumerate() {
        let end = points.get(i + 1).map_or(point.0 + 1.0, |next| next.0);
        out.push(point);
        out.push((end, point.1, point.2, point.3));
    }
    out
}

fn points(rows: &[InevitabilityRow], outcome: &str) -> Points {
    rows.iter()
        .filter(|r| r.outcome == outcome)
        .filter_map(|r| Some((f64::from(r.known_through), r.p_mean?, r.p_q05, r.p_q95)))
        .collect()
}

/// The chart of `chosen` outcomes among `rows`: one curve each, or stacked.
pub fn chart(
    rows: &[InevitabilityRow],
    chosen: &[&str],
    stacked: bool,
    model: &Model,
) -> InevitabilityChart {
    let model_title = &model.title;
    let curves: Vec<(String, RGBColor, Points)> = chosen
        .iter()
        .enumerate()
        // In a stack, black would hide the labels: the palette from its second colour.
        .map(|(i, name)| {
            let colour = style::scenario_colour(i + usize::from(stacked));
            (
                model.display_name(Named::Item, name).to_string(),
                colour,
                points(rows, name),
            )
        })
        .collect();
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for (_, _, points) in &curves {
        for point in points {
            lo = lo.min(point.0);
            hi = hi.max(point.0);
        }
    }
    // One year past the last point, where the last step is drawn.
    let years = if lo.is_finite() {
        (lo, hi + 1.0)
    } else {
        (0.0, 1.0)
    };
    let first = years.0;
    let (title, reading) = if stacked {
        (
            "Inevitability and impossibility curves: the alternatives as the facts become known"
                .to_string(),
            format!(
                "Each layer: an alternative's mean probability in the world as known through the year on the horizontal axis, held until the next fact becomes known; the layers sum to 100%. A layer that grows to fill the chart is becoming inevitable; one that thins to nothing, impossible. At {first}: nothing known yet."
            ),
        )
    } else {
        let name = (curves.iter().map(|(label, _, _)| label.as_str()))
            .collect::<Vec<_>>()
            .join(", ");
        (
            format!("Inevitability curve of {name}: its probability as the facts become known"),
            format!(
                "Line: the mean probability over the parameter draws in the world as known through the year on the horizontal axis (every fact decided by then fixed), held until the next fact becomes known; shaded: the 90% interval over those draws. At {first}: nothing known yet."
            ),
        )
    };
    let legend = curves
        .iter()
        .map(|(name, colour, _)| LegendEntry {
            label: name.clone(),
            colour: *colour,
            swatch: if stacked {
                Swatch::Square
            } else {
                Swatch::Line
            },
        })
        .collect();
    InevitabilityChart {
        header: Header {
            title,
            lines: vec![format!("Model: {model_title}"), reading],
            legend,
        },
        curves,
        stacked,
        years,
    }
}

impl InevitabilityChart {
    /// The chart's title.
    pub fn title(&self) -> String {
        self.header.title.clone()
    }

    /// The chart's height in pixels.
    pub fn height(&self) -> i32 {
        self.header.height(WIDTH as i32) + 20 + PLOT + X_AXIS_HEIGHT + MARGIN
    }

    /// Draws the chart into a PNG file at `path`.
    pub fn write(&self, path: &Path) -> Drawn {
        let width = WIDTH as i32;
        render(path, (WIDTH, self.height() as u32), |area| {
            let top = self.header.draw(area, width, 0)? + 20;
            let frame = Frame {
                left: MARGIN + 90,
                top,
                right: width - MARGIN - 10,
                bottom: top + PLOT,
                x: self.years,
                y: (0.0, 1.0),
            };
            let span = self.years.1 - self.years.0;
            let (x_ticks, x_step) =
                nice_ticks(self.years.0, self.years.1, span.clamp(1.0, 10.0) as usize);
            frame.x_axis(
                area,
                &x_ticks,
                &|x| crate::format::value_tick(x, x_step.max(1.0)),
                "facts known through the end of (year)",
            )?;
            let (y_ticks, y_step) = nice_ticks(0.0, 1.0, 6);
            frame.y_axis(
                area,
                &y_ticks,
                &|y| crate::format::percent_tick(y, y_step),
                "probability (%)",
                MARGIN + 10,
            )?;
            if self.stacked {
                self.draw_stacked(area, &frame)
            } else {
                self.draw_curves(area, &frame)
            }
        })
    }

    fn draw_curves(
        &self,
        area: &super::canvas::Area,
        frame: &Frame,
    ) -> Result<(), super::canvas::ChartError> {
        for (_, colour, points) in self.curves.iter().rev() {
            let stepped = steps(points);
            let band: Vec<(i32, i32)> = (stepped.iter())
                .filter_map(|&(x, _, lo, _)| Some((frame.px(x), frame.py(lo?))))
                .chain(
                    stepped
                        .iter()
                        .rev()
                        .filter_map(|&(x, _, _, hi)| Some((frame.px(x), frame.py(hi?)))),
                )
                .collect();
            if band.len() >= 3 {
                area.draw(&Polygon::new(band, colour.mix(0.18).filled()))?;
            }
        }
        for (_, colour, points) in self.curves.iter().rev() {
            let line: Vec<(i32, i32)> = (steps(points).iter())
                .map(|&(x, mean, _, _)| (frame.px(x), frame.py(mean)))
                .collect();
            area.draw(&PathElement::new(line, colour.stroke_width(3)))?;
            for &(x, mean, _, _) in points {
                area.draw(&Circle::new(
                    (frame.px(x), frame.py(mean)),
                    4,
                    colour.filled(),
                ))?;
            }
        }
        Ok(())
    }

    fn draw_stacked(
        &self,
        area: &super::canvas::Area,
        frame: &Frame,
    ) -> Result<(), super::canvas::ChartError> {
        let Some((_, _, first)) = self.curves.first() else {
            return Ok(());
        };
        let years: Vec<f64> = steps(first).iter().map(|p| p.0).collect();
        let mut below = vec![0.0; years.len()];
        let mut labels = Vec::new();
        for (name, colour, points) in &self.curves {
            let above: Vec<f64> = (below.iter().zip(&steps(points)))
                .map(|(b, p)| (b + p.1).min(1.0))
                .collect();
            let outline: Vec<(i32, i32)> = (years.iter().zip(&below))
                .map(|(&x, &y)| (frame.px(x), frame.py(y)))
                .chain(
                    (years.iter().zip(&above))
                        .rev()
                        .map(|(&x, &y)| (frame.px(x), frame.py(y))),
                )
                .collect();
            area.draw(&Polygon::new(outline, colour.mix(0.75).filled()))?;
            // The layer's name in its tallest step, when it is tall enough:
            // steps are the pairs of entries (2k, 2k + 1).
            let tallest = (0..years.len() / 2).max_by(|&a, &b| {
                (above[2 * a] - below[2 * a]).total_cmp(&(above[2 * b] - below[2 * b]))
            });
            if let Some(step) = tallest
                && above[2 * step] - below[2 * step] > 0.06
            {
                let y = frame.py((above[2 * step] + below[2 * step]) / 2.0);
                let x = frame.px((years[2 * step] + years[2 * step + 1]) / 2.0);
                labels.push((name, (x.clamp(frame.left + 40, frame.right - 40), y)));
            }
            below = above;
        }
        // Labels last, so that no layer covers one.
        for (name, at) in labels {
            put(
                area,
                name,
                &style::bold(style::LABEL_SIZE, &INK),
                at,
                HPos::Center,
                Vertical::Middle,
            )?;
        }
        Ok(())
    }
}
