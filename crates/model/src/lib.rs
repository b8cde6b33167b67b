//! The uchronia model language: TOML text in, a validated [`Model`] out.
//!
//! Loading is two-staged: the TOML is read with its spans into raw tables that
//! mirror the text, then converted into the typed [`ir`] that later stages
//! consume without re-checking. Validation collects every diagnostic it can
//! instead of stopping at the first, and each carries file, line and column.
//! This crate does no IO: callers hand it the text and the path to show.

pub mod ir;

pub use ir::*;

// CONTRACT (implementation pending in this crate; crates/cli and crates/analysis
// call these):
//
//   pub fn load(path: &str, source: &str) -> Result<Loaded, Diagnostics>
//   pub struct Loaded { pub model: Model, pub warnings: Vec<Diagnostic> }
//   pub struct Diagnostics(pub Vec<Diagnostic>)   // impl Display + Error
//   pub struct Diagnostic { severity, message, path, line, column, hint, .. } // Display:
//        "{path}:{line}:{column}: error: {message}" then the source line with the
//        span underlined, then "help: {hint}" when there is one.
//   pub fn compile_expression(model: &Model, text: &str, allow_outcomes: bool)
//        -> Result<(Expr, Type), ExprError>  // for claims files: names, states, types checked
