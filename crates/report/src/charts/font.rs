//! The one typeface of every chart, DejaVu Sans (regular and bold),
//! compiled into the binary from the `dejavu` crate, and the code that
//! draws text with it.
//!
//! plotters is built with `ab_glyph` and without `ttf`, so nothing ever
//! reads the system's fonts: a chart renders the same on a server without
//! fonts as on a desktop. The font is registered with plotters for every
//! family name it may ask for ([`ensure_registered`]), but the charts draw
//! their text here, with ab_glyph directly: plotters 0.3.7's ab_glyph path
//! places each glyph without its left side bearing, which spaces letters
//! unevenly ("Wh at", "ha d l ed"). Drawing the glyphs at their true
//! positions, with kerning, gives text as the font designed it, and the
//! measurements used for layout come from the same code that draws.

use std::sync::OnceLock;

use ab_glyph::{Font as _, FontRef, PxScale, ScaleFont, point};
use plotters::prelude::*;
use plotters::style::{FontStyle, register_font};

use super::surface::{Area, ChartError};

/// Every family name plotters may ask for (`sans-serif` is its default for
/// axis text); all map to DejaVu Sans.
const FAMILIES: [&str; 3] = ["sans-serif", "serif", "monospace"];

/// Registers the embedded font with plotters, once per process, for every
/// family it may ask for. Returns why it failed when the font bytes cannot
/// be read (a broken build, not bad input).
pub fn ensure_registered() -> Result<(), String> {
    static REGISTERED: OnceLock<Result<(), String>> = OnceLock::new();
    REGISTERED
        .get_or_init(|| {
            let cuts: [(FontStyle, &'static [u8]); 2] = [
                (FontStyle::Normal, dejavu::sans::regular()),
                (FontStyle::Bold, dejavu::sans::bold()),
            ];
            for family in FAMILIES {
                for (style, bytes) in cuts {
                    register_font(family, style, bytes)
                        .map_err(|_| format!("the embedded font for '{family}' cannot be read"))?;
                }
            }
            faces().map(|_| ())
        })
        .clone()
}

struct Faces {
    regular: FontRef<'static>,
    bold: FontRef<'static>,
}

fn faces() -> Result<&'static Faces, String> {
    static FACES: OnceLock<Result<Faces, String>> = OnceLock::new();
    FACES
        .get_or_init(|| {
            let read = |bytes: &'static [u8]| {
                FontRef::try_from_slice(bytes)
                    .map_err(|_| "the embedded font cannot be read".to_string())
            };
            Ok(Faces {
                regular: read(dejavu::sans::regular())?,
                bold: read(dejavu::sans::bold())?,
            })
        })
        .as_ref()
        .map_err(Clone::clone)
}

/// How a piece of text is drawn.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Font {
    /// Size in pixels: the font's full height (ascender to descender).
    pub size: f64,
    /// Bold rather than regular.
    pub bold: bool,
    /// Colour.
    pub colour: RGBColor,
    /// Turned a quarter left, reading upwards (a vertical axis description).
    pub vertical: bool,
}

impl Font {
    fn face(&self) -> Option<&'static FontRef<'static>> {
        let faces = faces().ok()?;
        Some(if self.bold {
            &faces.bold
        } else {
            &faces.regular
        })
    }

    /// The width of `text` in pixels (its advance, with kerning).
    pub fn width(&self, text: &str) -> i32 {
        let Some(face) = self.face() else {
            return 0;
        };
        let font = face.as_scaled(PxScale::from(self.size as f32));
        let mut width = 0.0f32;
        let mut previous = None;
        for c in text.chars() {
            let id = font.glyph_id(c);
            if let Some(previous) = previous {
                width += font.kern(previous, id);
            }
            width += font.h_advance(id);
            previous = Some(id);
        }
        width.ceil() as i32
    }

    /// The height of capital letters above the baseline, in pixels.
    pub fn cap_height(&self) -> f64 {
        let Some(face) = self.face() else {
            return 0.7 * self.size;
        };
        let font = face.as_scaled(PxScale::from(self.size as f32));
        let glyph = font.scaled_glyph('H');
        match font.outline_glyph(glyph) {
            Some(outline) => f64::from(-outline.px_bounds().min.y),
            None => 0.7 * self.size,
        }
    }

    /// Draws `text` with the start of its baseline at `origin` (for vertical
    /// text, the baseline runs upwards from `origin`).
    pub fn draw(&self, area: &Area, text: &str, origin: (i32, i32)) -> Result<(), ChartError> {
        let face =
            (self.face()).ok_or_else(|| ChartError("the embedded font cannot be read".into()))?;
        let font = face.as_scaled(PxScale::from(self.size as f32));
        let mut caret = 0.0f32;
        let mut previous = None;
        let mut pixels: Vec<(i32, i32, f32)> = Vec::new();
        for c in text.chars() {
            let id = font.glyph_id(c);
            if let Some(previous) = previous {
                caret += font.kern(previous, id);
            }
            let glyph = id.with_scale_and_position(font.scale(), point(caret, 0.0));
            if let Some(outline) = font.outline_glyph(glyph) {
                let bounds = outline.px_bounds();
                outline.draw(|x, y, coverage| {
                    let gx = bounds.min.x as i32 + x as i32;
                    let gy = bounds.min.y as i32 + y as i32;
                    pixels.push((gx, gy, coverage));
                });
            }
            caret += font.h_advance(id);
            previous = Some(id);
        }
        for (gx, gy, coverage) in pixels {
            let coverage = quantized(coverage);
            if coverage <= 0.0 {
                continue;
            }
            let (x, y) = if self.vertical {
                (origin.0 + gy, origin.1 - gx)
            } else {
                (origin.0 + gx, origin.1 + gy)
            };
            area.draw_pixel((x, y), &self.colour.mix(coverage))?;
        }
        Ok(())
    }
}

/// How many levels of coverage (besides none) an edge pixel of text can
/// take. The rasteriser gives a pixel's coverage as any fraction; rounded to
/// fifths, a glyph's edge still reads as smooth at the charts' size (side by
/// side with the unrounded text, at twice the size, no difference shows),
/// but a chart has a few dozen colours instead of hundreds, and its PNG
/// file is 40% smaller (the shipped model's charts: 2.10 MB before, 1.19 MB).
pub const COVERAGE_LEVELS: f32 = 5.0;

/// `coverage` rounded to the nearest of [`COVERAGE_LEVELS`] steps (0 to 1).
pub fn quantized(coverage: f32) -> f64 {
    f64::from((coverage.clamp(0.0, 1.0) * COVERAGE_LEVELS).round() / COVERAGE_LEVELS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coverage_takes_one_of_a_few_levels() {
        assert_eq!(quantized(0.0), 0.0);
        assert_eq!(quantized(0.05), 0.0);
        assert_eq!(quantized(1.0), 1.0);
        assert_eq!(quantized(1.3), 1.0);
        let levels: std::collections::BTreeSet<u64> = (0..=1000)
            .map(|i| quantized(i as f32 / 1000.0).to_bits())
            .collect();
        assert_eq!(levels.len(), COVERAGE_LEVELS as usize + 1);
    }

    #[test]
    fn the_embedded_font_registers_and_measures() {
        ensure_registered().expect("the font reads");
        let font = Font {
            size: 16.0,
            bold: false,
            colour: BLACK,
            vertical: false,
        };
        let narrow = font.width("iii");
        let wide = font.width("WWW");
        assert!(narrow > 0 && wide > 2 * narrow, "{narrow} {wide}");
        let bold = Font { bold: true, ..font };
        assert!(bold.width("WWW") > wide);
        let cap = font.cap_height();
        assert!((8.0..12.0).contains(&cap), "cap height {cap}");
    }
}
