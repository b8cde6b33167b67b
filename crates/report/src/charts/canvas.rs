//! Drawing in pixels: the PNG file, text placed where it is meant to be,
//! wrapped and shortened to fit, the header every chart starts with, and a
//! [`Frame`] that maps data to pixels and draws its axes.
//!
//! Charts are laid out by hand rather than with plotters' `ChartBuilder`
//! because their height depends on their content (one row per claim, per
//! scenario, per parameter): every label's place is computed, so none can
//! overlap another. Text is measured with the embedded font before the image
//! exists, which is what lets a chart be sized to its rows.

use std::path::Path;

use plotters::prelude::*;
use plotters::style::text_anchor::HPos;

use super::font::{self, Font};
use super::style::{self, GRID, INK, MARGIN, MUTED, PAPER};

pub use super::surface::{Area, ChartError, Drawn};

/// Draws a `width` x `height` chart with `draw` and writes it as a PNG file
/// (a palette image, see [`super::encode`]).
pub fn render(
    path: &Path,
    (width, height): (u32, u32),
    draw: impl FnOnce(&Area) -> Drawn,
) -> Drawn {
    font::ensure_registered().map_err(ChartError)?;
    let height = height.max(1);
    let mut pixels = vec![0u8; width as usize * height as usize * 3];
    {
        let root = BitMapBackend::with_buffer(&mut pixels, (width, height)).into_drawing_area();
        root.fill(&PAPER)?;
        draw(&root)?;
        root.present()?;
    }
    let bytes = super::encode::png_bytes(&pixels, width, height).map_err(ChartError)?;
    std::fs::write(path, bytes).map_err(|e| ChartError(format!("{}: {e}", path.display())))
}

/// Where a line of text sits vertically relative to the `y` it is given.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Vertical {
    /// The tops of capitals at `y`.
    Top,
    /// The middle of capitals at `y` (for labels beside a mark).
    Middle,
    /// The baseline at `y`.
    Baseline,
}

/// The width in pixels of `text` in `style`.
pub fn text_width(text: &str, style: &Font) -> i32 {
    style.width(text)
}

/// Draws `text` with its horizontal anchor `h` at `x` and its vertical
/// placement `v` at `y` (vertical text is centred on `(x, y)` whatever `h`
/// and `v`).
pub fn put(
    area: &Area,
    text: &str,
    style: &Font,
    (x, y): (i32, i32),
    h: HPos,
    v: Vertical,
) -> Drawn {
    let width = style.width(text);
    let cap = style.cap_height().round() as i32;
    if style.vertical {
        return style.draw(area, text, (x + cap / 2, y + width / 2));
    }
    let left = match h {
        HPos::Left => x,
        HPos::Center => x - width / 2,
        HPos::Right => x - width,
    };
    let baseline = match v {
        Vertical::Top => y + cap,
        Vertical::Middle => y + cap / 2,
        Vertical::Baseline => y,
    };
    style.draw(area, text, (left, baseline))
}

/// `text` shortened with an ellipsis so that it is at most `width` pixels wide.
pub fn fit(text: &str, style: &Font, width: i32) -> String {
    if text_width(text, style) <= width {
        return text.to_string();
    }
    let chars: Vec<char> = text.chars().collect();
    let mut keep = chars.len();
    while keep > 0 {
        keep -= 1;
        let candidate: String = chars[..keep].iter().collect::<String>() + "…";
        if text_width(&candidate, style) <= width {
            return candidate;
        }
    }
    String::new()
}

/// `text` broken into lines at spaces so that each is at most `width` pixels
/// wide (a single word wider than that is shortened). Line breaks in `text`
/// are kept; at most `max_lines` lines, the last one shortened.
pub fn wrap(text: &str, style: &Font, width: i32, max_lines: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for paragraph in text.lines() {
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            let candidate = if line.is_empty() {
                word.to_string()
            } else {
                format!("{line} {word}")
            };
            if text_width(&candidate, style) <= width || line.is_empty() {
                line = candidate;
            } else {
                lines.push(std::mem::take(&mut line));
                line = word.to_string();
            }
        }
        if !line.is_empty() {
            lines.push(line);
        }
    }
    if lines.len() > max_lines {
        lines.truncate(max_lines);
        if let Some(last) = lines.last_mut() {
            *last = fit(&format!("{last} …"), style, width);
        }
    }
    lines
        .into_iter()
        .map(|line| fit(&line, style, width))
        .collect()
}

/// How a legend entry is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Swatch {
    /// A dot on a short whisker (a point estimate and its interval).
    Dot,
    /// A filled square (a bar or a band).
    Square,
    /// A short thick line (a curve).
    Line,
}

/// One entry of a legend.
#[derive(Clone, Debug, PartialEq)]
pub struct LegendEntry {
    /// What the colour stands for.
    pub label: String,
    /// Its colour.
    pub colour: RGBColor,
    /// How it is drawn.
    pub swatch: Swatch,
}

/// The top of a chart: a bold title, lines of explanation under it, and a
/// legend that wraps onto as many lines as it needs.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Header {
    /// What the chart shows.
    pub title: String,
    /// How to read it (each is wrapped to the chart's width).
    pub lines: Vec<String>,
    /// What the colours mean.
    pub legend: Vec<LegendEntry>,
}

const LINE_GAP: i32 = 6;
const SWATCH_WIDTH: i32 = 26;
const ENTRY_GAP: i32 = 22;

impl Header {
    fn title_style() -> Font {
        style::bold(style::TITLE_SIZE, &INK)
    }

    fn line_style() -> Font {
        style::text(style::SUBTITLE_SIZE, &MUTED)
    }

    fn legend_style() -> Font {
        style::text(style::LABEL_SIZE, &INK)
    }

    fn title_lines(&self, width: i32) -> Vec<String> {
        wrap(&self.title, &Header::title_style(), width, 2)
    }

    fn explanation_lines(&self, width: i32) -> Vec<String> {
        self.lines
            .iter()
            .flat_map(|line| wrap(line, &Header::line_style(), width, 4))
            .collect()
    }

    /// The legend's entries laid out in lines: (line, x offset, label).
    fn legend_layout(&self, width: i32) -> Vec<(usize, i32, String)> {
        let style = Header::legend_style();
        let mut placed = Vec::new();
        let (mut line, mut x) = (0, 0);
        for entry in &self.legend {
            let label = fit(&entry.label, &style, width - SWATCH_WIDTH - 8);
            let entry_width = SWATCH_WIDTH + 8 + text_width(&label, &style);
            if x > 0 && x + entry_width > width {
                line += 1;
                x = 0;
            }
            placed.push((line, x, label));
            x += entry_width + ENTRY_GAP;
        }
        placed
    }

    /// The height the header takes in a chart `width` pixels wide.
    pub fn height(&self, width: i32) -> i32 {
        let inner = width - 2 * MARGIN;
        let title = self.title_lines(inner).len() as i32;
        let lines = self.explanation_lines(inner).len() as i32;
        let legend_lines = self
            .legend_layout(inner)
            .last()
            .map_or(0, |(line, _, _)| *line as i32 + 1);
        let mut height = MARGIN + title * (style::TITLE_SIZE as i32 + LINE_GAP);
        height += lines * (style::SUBTITLE_SIZE as i32 + LINE_GAP);
        if legend_lines > 0 {
            height += 8 + legend_lines * (style::LABEL_SIZE as i32 + 10);
        }
        height + 12
    }

    /// Draws the header with its top at `top` in `area` (`width` pixels
    /// wide); returns the y where the chart's body starts (`top` plus
    /// [`Header::height`]).
    pub fn draw(&self, area: &Area, width: i32, top: i32) -> Result<i32, ChartError> {
        let inner = width - 2 * MARGIN;
        let mut y = top + MARGIN;
        for line in self.title_lines(inner) {
            put(
                area,
                &line,
                &Header::title_style(),
                (MARGIN, y),
                HPos::Left,
                Vertical::Top,
            )?;
            y += style::TITLE_SIZE as i32 + LINE_GAP;
        }
        for line in self.explanation_lines(inner) {
            put(
                area,
                &line,
                &Header::line_style(),
                (MARGIN, y),
                HPos::Left,
                Vertical::Top,
            )?;
            y += style::SUBTITLE_SIZE as i32 + LINE_GAP;
        }
        let layout = self.legend_layout(inner);
        if !layout.is_empty() {
            y += 8;
            let line_height = style::LABEL_SIZE as i32 + 10;
            for ((line, x, label), entry) in layout.iter().zip(&self.legend) {
                let x = MARGIN + x;
                let middle = y + *line as i32 * line_height + style::LABEL_SIZE as i32 / 2;
                draw_swatch(area, entry, (x, middle))?;
                put(
                    area,
                    label,
                    &Header::legend_style(),
                    (x + SWATCH_WIDTH + 8, middle),
                    HPos::Left,
                    Vertical::Middle,
                )?;
            }
            let lines = layout.last().map_or(0, |(line, _, _)| *line as i32 + 1);
            y += lines * line_height;
        }
        Ok(y + 12)
    }
}

fn draw_swatch(area: &Area, entry: &LegendEntry, (x, middle): (i32, i32)) -> Drawn {
    let colour = entry.colour;
    match entry.swatch {
        Swatch::Dot => {
            area.draw(&PathElement::new(
                vec![(x, middle), (x + SWATCH_WIDTH, middle)],
                colour.stroke_width(2),
            ))?;
            area.draw(&Circle::new(
                (x + SWATCH_WIDTH / 2, middle),
                5,
                colour.filled(),
            ))?;
        }
        Swatch::Square => {
            area.draw(&Rectangle::new(
                [(x + 4, middle - 8), (x + SWATCH_WIDTH - 4, middle + 8)],
                colour.filled(),
            ))?;
        }
        Swatch::Line => {
            area.draw(&PathElement::new(
                vec![(x, middle), (x + SWATCH_WIDTH, middle)],
                colour.stroke_width(4),
            ))?;
        }
    }
    Ok(())
}

/// A rectangle of pixels that shows the data ranges `x` and `y`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Frame {
    /// Left edge, in pixels.
    pub left: i32,
    /// Top edge.
    pub top: i32,
    /// Right edge.
    pub right: i32,
    /// Bottom edge.
    pub bottom: i32,
    /// The data at the left and right edges.
    pub x: (f64, f64),
    /// The data at the bottom and top edges.
    pub y: (f64, f64),
}

impl Frame {
    /// The pixel column of data `x` (outside the range it is clamped to the edge).
    pub fn px(&self, x: f64) -> i32 {
        let span = self.x.1 - self.x.0;
        let share = if span > 0.0 {
            (x - self.x.0) / span
        } else {
            0.5
        };
        let share = if share.is_finite() {
            share.clamp(0.0, 1.0)
        } else {
            0.0
        };
        self.left + (share * (self.right - self.left) as f64).round() as i32
    }

    /// The pixel row of data `y` (clamped to the frame).
    pub fn py(&self, y: f64) -> i32 {
        let span = self.y.1 - self.y.0;
        let share = if span > 0.0 {
            (y - self.y.0) / span
        } else {
            0.5
        };
        let share = if share.is_finite() {
            share.clamp(0.0, 1.0)
        } else {
            0.0
        };
        self.bottom - (share * (self.bottom - self.top) as f64).round() as i32
    }

    /// Draws vertical grid lines and labels at `ticks` under the frame, and
    /// `description` centred below them. Returns nothing; the caller has left
    /// [`X_AXIS_HEIGHT`] pixels below the frame for it.
    pub fn x_axis(
        &self,
        area: &Area,
        ticks: &[f64],
        format: &dyn Fn(f64) -> String,
        description: &str,
    ) -> Drawn {
        let tick_style = style::text(style::TICK_SIZE, &INK);
        for &tick in ticks {
            let x = self.px(tick);
            area.draw(&PathElement::new(
                vec![(x, self.top), (x, self.bottom)],
                GRID.stroke_width(1),
            ))?;
            area.draw(&PathElement::new(
                vec![(x, self.bottom), (x, self.bottom + 5)],
                INK.stroke_width(1),
            ))?;
            put(
                area,
                &format(tick),
                &tick_style,
                (x, self.bottom + 9),
                HPos::Center,
                Vertical::Top,
            )?;
        }
        area.draw(&PathElement::new(
            vec![(self.left, self.bottom), (self.right, self.bottom)],
            INK.stroke_width(1),
        ))?;
        let description_style = style::text(style::AXIS_SIZE, &INK);
        let description = fit(description, &description_style, self.right - self.left);
        put(
            area,
            &description,
            &description_style,
            (
                (self.left + self.right) / 2,
                self.bottom + 9 + style::TICK_SIZE as i32 + 12,
            ),
            HPos::Center,
            Vertical::Top,
        )?;
        Ok(())
    }

    /// Draws horizontal grid lines and labels at `ticks` left of the frame
    /// and `description` turned upright at `description_x`.
    pub fn y_axis(
        &self,
        area: &Area,
        ticks: &[f64],
        format: &dyn Fn(f64) -> String,
        description: &str,
        description_x: i32,
    ) -> Drawn {
        let tick_style = style::text(style::TICK_SIZE, &INK);
        for &tick in ticks {
            let y = self.py(tick);
            area.draw(&PathElement::new(
                vec![(self.left, y), (self.right, y)],
                GRID.stroke_width(1),
            ))?;
            area.draw(&PathElement::new(
                vec![(self.left - 5, y), (self.left, y)],
                INK.stroke_width(1),
            ))?;
            put(
                area,
                &format(tick),
                &tick_style,
                (self.left - 9, y),
                HPos::Right,
                Vertical::Middle,
            )?;
        }
        area.draw(&PathElement::new(
            vec![(self.left, self.top), (self.left, self.bottom)],
            INK.stroke_width(1),
        ))?;
        let description_style = style::vertical(style::AXIS_SIZE, &INK);
        let description = fit(description, &description_style, self.bottom - self.top);
        put(
            area,
            &description,
            &description_style,
            (description_x, (self.top + self.bottom) / 2),
            HPos::Center,
            Vertical::Middle,
        )
    }
}

/// Pixels an x axis takes below its frame: ticks, labels and description.
pub const X_AXIS_HEIGHT: i32 = 9 + style::TICK_SIZE as i32 + 12 + style::AXIS_SIZE as i32 + 8;

/// Round numbers between `lo` and `hi` for tick marks, about `count` of
/// them (1, 2 or 5 times a power of ten apart, so that years stay whole), and their spacing.
pub fn nice_ticks(lo: f64, hi: f64, count: usize) -> (Vec<f64>, f64) {
    if !(lo.is_finite() && hi.is_finite()) || hi <= lo {
        return (vec![lo], 1.0);
    }
    let raw = (hi - lo) / count.max(1) as f64;
    let power = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * power)
        .find(|step| *step >= raw)
        .unwrap_or(10.0 * power);
    let first = (lo / step).ceil() as i64;
    let last = (hi / step).floor() as i64;
    let ticks = (first..=last)
        .map(|i| i as f64 * step)
        // -0 prints as "-0".
        .map(|x| if x == 0.0 { 0.0 } else { x })
        .collect();
    (ticks, step)
}

/// `lo..hi` widened to round numbers: the nearest multiples of a nice step
/// outside the range (a range of zero width gets some room).
pub fn nice_range(lo: f64, hi: f64) -> (f64, f64) {
    let (lo, hi) = if hi > lo {
        (lo, hi)
    } else {
        let pad = if lo == 0.0 { 1.0 } else { lo.abs() * 0.1 };
        (lo - pad, hi + pad)
    };
    let (_, step) = nice_ticks(lo, hi, 8);
    ((lo / step).floor() * step, (hi / step).ceil() * step)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_ticks_are_round_and_cover_the_range() {
        let (ticks, step) = nice_ticks(0.0, 1.0, 10);
        assert_eq!(step, 0.1);
        assert_eq!(ticks.len(), 11);
        let (ticks, step) = nice_ticks(1931.0, 1949.0, 8);
        assert_eq!(step, 5.0);
        assert_eq!(ticks, [1935.0, 1940.0, 1945.0]);
        let close =
            |a: (f64, f64), b: (f64, f64)| (a.0 - b.0).abs() < 1e-9 && (a.1 - b.1).abs() < 1e-9;
        assert!(close(nice_range(-0.13, 0.27), (-0.15, 0.3)));
        assert!(close(nice_range(2.0, 2.0), (1.8, 2.2)));
    }

    #[test]
    fn frames_map_data_to_pixels_and_clamp() {
        let frame = Frame {
            left: 100,
            top: 50,
            right: 300,
            bottom: 250,
            x: (0.0, 1.0),
            y: (0.0, 10.0),
        };
        assert_eq!(frame.px(0.5), 200);
        assert_eq!(frame.px(7.0), 300);
        assert_eq!(frame.py(0.0), 250);
        assert_eq!(frame.py(10.0), 50);
        assert_eq!(frame.px(f64::NAN), 100);
    }
}
