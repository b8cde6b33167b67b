//! The pipeline of a uchronia run, from files to an analysed report, as a
//! library that front ends call: the `uchronia` binary today, and the coming
//! commands (inevitability, crux) and the explore page.
//!
//! "Run these scenarios with these claims, then analyse and report" is three
//! calls, each returning data and printing nothing:
//!
//! 1. [`claims::prepare`] finds, loads and compiles the claims files and
//!    attaches their claims to the model as hidden outcomes;
//! 2. [`batches::execute`] runs the chosen scenarios' draws (in batches, with
//!    a checkpoint or a precision target when asked) and returns the tally;
//! 3. [`finish::analyse`] summarises the tally and [`finish::write_report`]
//!    writes the report folder; the [`finish::Analysed`] value is what a
//!    front end shows; between the two, [`ex_ante_check::check`] reruns
//!    the effects that the report's opening names with the ex-ante priors.
//!
//! Smaller runs (a sweep's values, calibration, `check --explain`, the
//! benchmark) use [`Plan::config`] and a [`Runner`]. What the user should
//! hear while a run goes (notes, progress) goes to an [`Observer`]; every
//! failure is a [`Failure`] whose kind the front end maps to its exit status.

pub mod batches;
pub mod claims;
pub mod ex_ante_check;
pub mod failure;
pub mod finish;
pub mod input;
pub mod limits;
mod model;
mod observe;
pub mod partial;
mod plan;
mod runner;

pub use failure::Failure;
pub use model::{LoadedModel, load_model};
pub use observe::{Observer, Silent, Widest};
pub use plan::{Plan, Shard, available_threads};
pub use runner::{CANCEL, Runner, cancelled, run_failure};

/// The uchronia version recorded in run.json and in partial files.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
