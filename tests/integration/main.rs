//! End-to-end tests of the `uchronia` binary: one test binary, split by
//! theme (as ripgrep does). Each test runs the built binary on a fixture of
//! `tests/models/` and checks exit statuses, messages and report files.

mod calibrate;
mod catalogue;
mod check;
mod claims;
mod crux;
mod designs;
mod errors;
mod ex_ante_check;
mod fan;
mod faults;
mod graph;
mod honest;
mod labels;
mod limits;
mod new;
mod out_folder;
mod run;
mod scale;
mod sensitivity;
mod shell;
mod shipped;
mod time;
mod util;
