//! Row charts: one horizontal row per item (a scenario's estimate, a claim,
//! a parameter), grouped under a label on the left, against one horizontal
//! axis. The outcomes, difference, claims and tornado charts are all row
//! charts; only their rows differ.
//!
//! The panel is as tall as its rows need and its label column as wide as
//! its longest label (up to 40% of the width, beyond which labels are
//! shortened with an ellipsis), so labels never overlap each other or the
//! marks.

use plotters::prelude::*;
use plotters::style::text_anchor::HPos;

use super::canvas::{
    Area, ChartError, Frame, Header, Vertical, X_AXIS_HEIGHT, fit, nice_ticks, put, text_width,
};
use super::style::{self, GRID, GROUP_GAP, INK, MARGIN, MUTED, ROW_HEIGHT};

/// Something drawn on a row, in data units of the horizontal axis.
#[derive(Clone, Debug, PartialEq)]
pub enum Mark {
    /// A light shaded band from `lo` to `hi`, as tall as the row.
    Band {
        /// Left end.
        lo: f64,
        /// Right end.
        hi: f64,
        /// Fill.
        colour: RGBColor,
    },
    /// An interval: a line from `lo` to `hi` with end caps.
    Whisker {
        /// Left end.
        lo: f64,
        /// Right end.
        hi: f64,
        /// Colour.
        colour: RGBColor,
    },
    /// A point estimate.
    Dot {
        /// Where.
        x: f64,
        /// Colour.
        colour: RGBColor,
    },
    /// A solid bar from `from` to `to`.
    Bar {
        /// One end.
        from: f64,
        /// The other end.
        to: f64,
        /// Fill.
        colour: RGBColor,
    },
}

/// One row: its marks, and an optional note in the right-hand column.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Row {
    /// What is drawn, in order (later marks on top).
    pub marks: Vec<Mark>,
    /// Text right of the axis, in a colour.
    pub note: Option<(String, RGBColor)>,
}

/// Rows under one label.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Group {
    /// The label left of the rows (shortened to fit the label column).
    pub label: String,
    /// A second, smaller line under the label (who said it, about what);
    /// the group is then at least two rows tall.
    pub detail: Option<String>,
    /// Its rows, top to bottom.
    pub rows: Vec<Row>,
}

/// The horizontal axis of a row chart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scale {
    /// Probabilities, labelled in percent.
    Percent,
    /// Differences of probabilities, labelled in signed percentage points.
    Points,
    /// Plain values.
    Value,
}

/// A row chart panel: a header, groups of rows, and the axis under them.
#[derive(Clone, Debug, PartialEq)]
pub struct RowPanel {
    /// Title, explanation and legend.
    pub header: Header,
    /// The groups, top to bottom.
    pub groups: Vec<Group>,
    /// The data range of the axis.
    pub range: (f64, f64),
    /// How the axis is labelled.
    pub scale: Scale,
    /// The axis description (with units).
    pub axis: String,
    /// Vertical lines across all rows (a zero line, an overall mean).
    pub lines: Vec<(f64, RGBColor)>,
}

const LABEL_PAD: i32 = 14;

impl RowPanel {
    fn label_style() -> super::font::Font {
        style::text(style::LABEL_SIZE, &INK)
    }

    fn note_style() -> super::font::Font {
        style::text(style::TICK_SIZE, &INK)
    }

    fn detail_style() -> super::font::Font {
        style::text(style::TICK_SIZE, &MUTED)
    }

    fn label_width(&self, width: i32) -> i32 {
        let widest = self
            .groups
            .iter()
            .map(|group| {
                let label = text_width(&group.label, &RowPanel::label_style());
                let detail =
                    (group.detail.as_ref()).map_or(0, |d| text_width(d, &RowPanel::detail_style()));
                label.max(detail)
            })
            .max()
            .unwrap_or(0);
        (widest + LABEL_PAD).min(width * 2 / 5)
    }

    fn note_width(&self, width: i32) -> i32 {
        let widest = self
            .groups
            .iter()
            .flat_map(|group| &group.rows)
            .filter_map(|row| row.note.as_ref())
            .map(|(note, _)| text_width(note, &RowPanel::note_style()))
            .max();
        widest.map_or(0, |w| (w + LABEL_PAD).min(width / 4))
    }

    fn rows_height(&self) -> i32 {
        self.groups
            .iter()
            .map(|group| group_rows(group) * ROW_HEIGHT + GROUP_GAP)
            .sum()
    }

    /// The height of the panel in a chart `width` pixels wide.
    pub fn height(&self, width: i32) -> i32 {
        self.header.height(width) + 4 + self.rows_height() + X_AXIS_HEIGHT + MARGIN / 2
    }

    /// Draws the panel with its top at `top`; returns the y below it.
    pub fn draw(&self, area: &Area, width: i32, top: i32) -> Result<i32, ChartError> {
        let body = self.header.draw(area, width, top)? + 4;
        let label_width = self.label_width(width);
        let note_width = self.note_width(width);
        let frame = Frame {
            left: MARGIN + label_width,
            top: body,
            right: width - MARGIN - note_width - 8,
            bottom: body + self.rows_height(),
            x: self.range,
            y: (0.0, 1.0),
        };
        let (ticks, step) = nice_ticks(self.range.0, self.range.1, 10);
        let scale = self.scale;
        let format = move |x: f64| match scale {
            Scale::Percent => crate::format::percent_tick(x, step),
            Scale::Points => crate::format::points_tick(x, step),
            Scale::Value => crate::format::value_tick(x, step),
        };
        frame.x_axis(area, &ticks, &format, &self.axis)?;
        for &(x, colour) in &self.lines {
            let px = frame.px(x);
            area.draw(&PathElement::new(
                vec![(px, frame.top), (px, frame.bottom)],
                colour.stroke_width(2),
            ))?;
        }

        let mut y = frame.top;
        for (index, group) in self.groups.iter().enumerate() {
            let group_height = group_rows(group) * ROW_HEIGHT;
            // Half the gap above the rows and half below keeps labels centred.
            let first = y + GROUP_GAP / 2;
            if index > 0 {
                area.draw(&PathElement::new(
                    vec![(MARGIN, y), (frame.right, y)],
                    GRID.stroke_width(1),
                ))?;
            }
            let label = fit(
                &group.label,
                &RowPanel::label_style(),
                label_width - LABEL_PAD,
            );
            let label_x = frame.left - LABEL_PAD;
            match &group.detail {
                None => {
                    let middle = first + group_height / 2;
                    put(
                        area,
                        &label,
                        &RowPanel::label_style(),
                        (label_x, middle),
                        HPos::Right,
                        Vertical::Middle,
                    )?;
                }
                Some(detail) => {
                    let detail = fit(detail, &RowPanel::detail_style(), label_width - LABEL_PAD);
                    let middle = first + ROW_HEIGHT / 2;
                    put(
                        area,
                        &label,
                        &RowPanel::label_style(),
                        (label_x, middle),
                        HPos::Right,
                        Vertical::Middle,
                    )?;
                    let below = middle + ROW_HEIGHT;
                    put(
                        area,
                        &detail,
                        &RowPanel::detail_style(),
                        (label_x, below),
                        HPos::Right,
                        Vertical::Middle,
                    )?;
                }
            }
            // Fewer rows than the group's height (a group with a detail line)
            // are centred in it.
            let offset = (group_height - group.rows.len() as i32 * ROW_HEIGHT) / 2;
            for (i, row) in group.rows.iter().enumerate() {
                let middle = first + offset + i as i32 * ROW_HEIGHT + ROW_HEIGHT / 2;
                draw_row(area, &frame, row, middle, note_width)?;
            }
            y += group_height + GROUP_GAP;
        }
        Ok(frame.bottom + X_AXIS_HEIGHT + MARGIN / 2)
    }
}

/// How many rows of height a group takes.
fn group_rows(group: &Group) -> i32 {
    let rows = group.rows.len().max(1) as i32;
    if group.detail.is_some() {
        rows.max(2)
    } else {
        rows
    }
}

fn draw_row(
    area: &Area,
    frame: &Frame,
    row: &Row,
    middle: i32,
    note_width: i32,
) -> Result<(), ChartError> {
    let half = ROW_HEIGHT / 2;
    for mark in &row.marks {
        match *mark {
            Mark::Band { lo, hi, colour } => {
                area.draw(&Rectangle::new(
                    [
                        (frame.px(lo), middle - half + 1),
                        (frame.px(hi), middle + half - 1),
                    ],
                    colour.filled(),
                ))?;
            }
            Mark::Whisker { lo, hi, colour } => {
                let (a, b) = (frame.px(lo), frame.px(hi));
                area.draw(&PathElement::new(
                    vec![(a, middle), (b, middle)],
                    colour.stroke_width(2),
                ))?;
                for x in [a, b] {
                    area.draw(&PathElement::new(
                        vec![(x, middle - 5), (x, middle + 5)],
                        colour.stroke_width(2),
                    ))?;
                }
            }
            Mark::Dot { x, colour } => {
                let x = frame.px(x);
                area.draw(&Circle::new((x, middle), 6, WHITE.filled()))?;
                area.draw(&Circle::new((x, middle), 5, colour.filled()))?;
            }
            Mark::Bar { from, to, colour } => {
                let (a, b) = (frame.px(from.min(to)), frame.px(from.max(to)));
                area.draw(&Rectangle::new(
                    [(a, middle - half + 3), (b.max(a + 1), middle + half - 3)],
                    colour.filled(),
                ))?;
            }
        }
    }
    if let Some((note, colour)) = &row.note {
        let style = style::text(style::TICK_SIZE, colour);
        let note = fit(note, &style, note_width);
        put(
            area,
            &note,
            &style,
            (frame.right + 14, middle),
            HPos::Left,
            Vertical::Middle,
        )?;
    }
    Ok(())
}

/// A note in the muted colour (for rows without a verdict).
pub fn muted_note(text: impl Into<String>) -> Option<(String, RGBColor)> {
    Some((text.into(), MUTED))
}
