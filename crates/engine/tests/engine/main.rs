//! The engine's integration tests, one binary split by theme. Models are
//! built by hand from the IR types (see `support`), so these tests need no
//! loader.

#[path = "../support/mod.rs"]
mod support;

mod determinism;
mod errors;
mod exact;
mod numeric;
mod params;
mod run;
