//! End-to-end tests of the `uchronia` binary: one test binary, split by
//! theme (as ripgrep does). Each test runs the built binary on a fixture of
//! `tests/models/` and checks exit statuses, messages and report files.

mod check;
mod errors;
mod run;
mod scale;
mod util;
