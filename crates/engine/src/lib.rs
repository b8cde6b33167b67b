//! The two-dimensional Monte Carlo engine.
//!
//! CONTRACT (implementation pending; crates/cli calls it):
//!
//! ```text
//! pub struct RunConfig { pub seed: u64, pub draws: u64, pub trials_per_draw: u64,
//!                        pub scenarios: Vec<ScenarioId>, pub draw_range: Range<u64> }
//! pub fn run(model: &Model, config: &RunConfig, progress: &(dyn Fn(u64) + Sync),
//!            cancel: &AtomicBool) -> Result<Tally, RunError>
//! ```
//! `progress` receives the number of trials just finished (summed over
//! scenarios); the caller sets the rayon thread pool. `RunError` is either a
//! model error found at run time (`RunError::Model`, exit status 2) or
//! `RunError::Cancelled`.

pub mod sketch;
pub mod tally;
