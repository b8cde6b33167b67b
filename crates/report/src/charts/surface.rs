//! The drawing surface of a chart and the error of drawing on it: what the
//! canvas, the font and every chart share (the canvas re-exports them).

use plotters::coord::Shift;
use plotters::prelude::*;

/// The drawing surface of one chart, in pixels from its top-left corner.
pub type Area<'a> = DrawingArea<BitMapBackend<'a>, Shift>;

/// Why a chart could not be drawn or written.
#[derive(Debug)]
pub struct ChartError(pub String);

impl<E: std::error::Error + Send + Sync> From<DrawingAreaErrorKind<E>> for ChartError {
    fn from(error: DrawingAreaErrorKind<E>) -> ChartError {
        ChartError(error.to_string())
    }
}

/// What drawing returns.
pub type Drawn = Result<(), ChartError>;
