//! One look for every chart: sizes, margins, the typeface and the colours.
//!
//! Scenarios are told apart by the Okabe-Ito palette (Okabe and Ito, "Color
//! Universal Design", 2008), chosen so that readers with the common forms of
//! colour blindness still see eight distinct hues; the reference scenario is
//! always black, so the reference reads as the baseline. Verdicts use the
//! same palette and are always written out in words as well, so no meaning
//! rests on colour alone.

use plotters::style::RGBColor;
use uchronia_analysis::findings::Verdict;

use super::font::Font;

/// Width of every chart, in pixels.
pub const WIDTH: u32 = 1200;
/// Space between the image's edge and anything drawn.
pub const MARGIN: i32 = 24;

/// The chart's title.
pub const TITLE_SIZE: f64 = 28.0;
/// Lines under the title (what is shown, how to read it).
pub const SUBTITLE_SIZE: f64 = 17.0;
/// Axis descriptions ("probability (%)").
pub const AXIS_SIZE: f64 = 18.0;
/// Row labels, panel titles and legend entries.
pub const LABEL_SIZE: f64 = 16.0;
/// Tick labels and notes.
pub const TICK_SIZE: f64 = 15.0;

/// Height of one row (a scenario's whisker, a claim, a parameter) in a row chart.
pub const ROW_HEIGHT: i32 = 20;
/// Extra space between groups of rows.
pub const GROUP_GAP: i32 = 14;

/// Text and axes.
pub const INK: RGBColor = RGBColor(0x1f, 0x1f, 0x1f);
/// Secondary text (subtitles, notes).
pub const MUTED: RGBColor = RGBColor(0x55, 0x55, 0x55);
/// Grid lines and group separators.
pub const GRID: RGBColor = RGBColor(0xe3, 0xe3, 0xe3);
/// Shading behind marks (a claim's band).
pub const SHADE: RGBColor = RGBColor(0xd9, 0xd9, 0xd9);
/// The background.
pub const PAPER: RGBColor = RGBColor(0xff, 0xff, 0xff);

/// The Okabe-Ito palette, reordered so that the first colours are the
/// easiest to tell apart on white (yellow, the faintest, comes last).
pub const OKABE_ITO: [RGBColor; 8] = [
    RGBColor(0x00, 0x00, 0x00), // black
    RGBColor(0x00, 0x72, 0xb2), // blue
    RGBColor(0xe6, 0x9f, 0x00), // orange
    RGBColor(0x00, 0x9e, 0x73), // bluish green
    RGBColor(0xcc, 0x79, 0xa7), // reddish purple
    RGBColor(0xd5, 0x5e, 0x00), // vermillion
    RGBColor(0x56, 0xb4, 0xe9), // sky blue
    RGBColor(0xf0, 0xe4, 0x42), // yellow
];

/// Six more colours for the scenarios after the eighth, from Paul Tol's
/// colour-blind-safe "muted" scheme (wine, olive, indigo, teal, rose,
/// purple): a model with a dated claim's scenario easily has nine.
const MORE: [RGBColor; 6] = [
    RGBColor(0x88, 0x22, 0x55),
    RGBColor(0x99, 0x99, 0x33),
    RGBColor(0x33, 0x22, 0x88),
    RGBColor(0x44, 0xaa, 0x99),
    RGBColor(0xcc, 0x66, 0x77),
    RGBColor(0xaa, 0x44, 0x99),
];

/// The colour of the scenario at `index` in run order (0 is the reference:
/// black). Beyond fourteen scenarios the colours repeat.
pub fn scenario_colour(index: usize) -> RGBColor {
    let index = index % (OKABE_ITO.len() + MORE.len());
    match OKABE_ITO.get(index) {
        Some(colour) => *colour,
        None => MORE[index - OKABE_ITO.len()],
    }
}

/// The colour of a verdict: green, orange, vermillion, grey, and reddish
/// purple for `untestable`.
pub fn verdict_colour(verdict: Verdict) -> RGBColor {
    match verdict {
        Verdict::Supported => OKABE_ITO[3],
        Verdict::Contested => OKABE_ITO[2],
        Verdict::Contradicted => OKABE_ITO[5],
        Verdict::Undefined => RGBColor(0x99, 0x99, 0x99),
        Verdict::Untestable => OKABE_ITO[4],
    }
}

/// Low end of a tornado bar (the parameter in its lowest fifth).
pub const LOW_SWING: RGBColor = OKABE_ITO[1];
/// High end of a tornado bar (the parameter in its highest fifth).
pub const HIGH_SWING: RGBColor = OKABE_ITO[5];

/// Regular text of `size` in `colour`.
pub fn text(size: f64, colour: &RGBColor) -> Font {
    Font {
        size,
        bold: false,
        colour: *colour,
        vertical: false,
    }
}

/// Bold text of `size` in `colour`.
pub fn bold(size: f64, colour: &RGBColor) -> Font {
    Font {
        bold: true,
        ..text(size, colour)
    }
}

/// Text of `size` turned a quarter left, for a vertical axis description.
pub fn vertical(size: f64, colour: &RGBColor) -> Font {
    Font {
        vertical: true,
        ..text(size, colour)
    }
}
