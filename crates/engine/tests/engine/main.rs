//! The engine's integration tests, one binary split by theme. Models are
//! built by hand from the IR types (see `support`), so most of these tests
//! need no loader; `toml` loads models written in the model language.

use uchronia_test_support::models as support;

mod designs;
mod determinism;
mod errors;
mod exact;
mod masks;
mod numeric;
mod params;
mod run;
mod toml;
mod years;
