//! The two-dimensional Monte Carlo engine: a validated [`Model`] and a
//! [`RunConfig`] in, a [`Tally`] out.
//!
//! The outer loop draws `D` parameter draws (one uniform per parameter from a
//! stream of (seed, draw), mapped through the inverse CDF, so a `set` that
//! swaps a distribution stays comonotone). The inner loop runs `T` trials per
//! draw in chunks of [`CHUNK_TRIALS`]; each (draw, chunk) is a work unit with
//! its own stream of (seed, draw, chunk). Per (scenario, draw) the model is
//! compiled into a flat program with parameters and parameter-only
//! expressions folded to constants, every expression over boolean and
//! categorical nodes turned into a lookup table (`table.rs`), and the rest
//! into flat column code over the batch (`column.rs`); the program
//! (`program.rs`, built by `compile.rs`) runs node by node over batches of
//! 64 trials (`exec.rs`, `batch.rs`). docs/performance.md has the
//! measurements. Every categorical and numeric node takes exactly one 64-bit
//! word per trial, generated once and shared by all scenarios; every boolean
//! node draws the 64 trials of a batch at once as a bit mask, from words
//! counted from (seed, draw, chunk, batch, node, plane) (`mask.rs`), the
//! same in every scenario: scenarios use common random numbers. So a node
//! that a scenario treats like an earlier scenario of the draw is run once
//! per batch, by the earlier one, and copied (`share.rs`).
//!
//! Units run in parallel in blocks of [`BLOCK_UNITS`] on the current rayon
//! pool (the caller builds it), and each block's results are folded into the
//! per-draw accumulators in unit order: the same seed gives the same bits
//! whatever the thread count or shard split. Nothing is kept per trial.
//!
//! ```text
//! pub fn run(model: &Model, config: &RunConfig, progress: &(dyn Fn(u64) + Sync),
//!            cancel: &AtomicBool) -> Result<Tally, RunError>
//! ```

mod batch;
pub mod bench;
mod categorical;
mod column;
mod compile;
mod draws;
mod exec;
mod expr;
mod fault;
mod index;
mod mask;
pub mod merge;
mod probability;
mod program;
mod run;
mod share;
pub mod sketch;
mod streams;
mod table;
pub mod tally;

use std::fmt;

use serde::{Deserialize, Serialize};
use uchronia_model::{Part, ScenarioId};

pub use run::run;
pub use tally::{DrawTally, Moments, OutcomeTally, ScenarioTally, Sketch, Tally, YearCounts};

/// The version of the random stream: which numbers a seed gives. Version 2
/// draws boolean nodes as bit masks from counted bit planes (`mask.rs`);
/// version 1 drew one word per trial for every stochastic node. Results of
/// different versions differ in every digit that carries Monte Carlo noise.
pub const STREAM_VERSION: u32 = 2;

/// Trials per work unit. Fixed, never derived from the thread count, so that
/// streams and merge order do not depend on the machine.
pub const CHUNK_TRIALS: u64 = 16_384;

/// Work units run in parallel per block; blocks are folded in order, and
/// cancellation and progress are checked between them.
pub const BLOCK_UNITS: usize = 64;

/// What to run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunConfig {
    /// The seed of every random stream.
    pub seed: u64,
    /// D: parameter draws of the whole run (all shards).
    pub draws: u64,
    /// T: trials per parameter draw.
    pub trials_per_draw: u64,
    /// The scenarios to run, in the order the tally lists them.
    pub scenarios: Vec<ScenarioId>,
    /// The draws this run covers (`0..draws` unless sharded).
    pub draw_range: std::ops::Range<u64>,
    /// How the parameter draws fill the priors.
    pub design: Design,
}

/// How the parameter draws fill the priors (`run --design`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Design {
    /// Independent uniforms per draw.
    #[default]
    Random,
    /// Latin hypercube: each param's D draws fall one in each of D
    /// equal-probability strata of its prior.
    Lhs,
}

impl Design {
    /// Its name on the command line and in files.
    pub fn name(self) -> &'static str {
        match self {
            Design::Random => "random",
            Design::Lhs => "lhs",
        }
    }

    /// Whether it is the default, `random` (files leave it out then).
    pub fn is_random(&self) -> bool {
        *self == Design::Random
    }
}

/// Why a run stopped without a tally.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// The model failed at run time (a probability outside [0, 1], say).
    #[error(transparent)]
    Model(#[from] RuntimeError),
    /// `cancel` was set.
    #[error("the run was cancelled")]
    Cancelled,
    /// The configuration does not fit the model: a scenario id out of range,
    /// or a draw range outside `0..draws`: the caller's mistake, not the
    /// model's.
    #[error("invalid run configuration: {0}")]
    Config(String),
}

/// A model error found at run time. Its display is one sentence naming the
/// node or outcome, the scenario, the draw and the values of the parameters
/// the node depends on.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub struct RuntimeError {
    /// What went wrong, e.g. "probability 1.3 is outside [0, 1]".
    pub message: String,
    /// The name of the node or outcome.
    pub node_or_outcome: String,
    /// Whether `node_or_outcome` names an outcome rather than a node. (Added
    /// to the contract, so the display can say which.)
    pub is_outcome: bool,
    /// The scenario's name.
    pub scenario: String,
    /// The parameter draw (0-based).
    pub draw: u64,
    /// The values, in this draw and scenario, of the node's parameter
    /// ancestors (`Model::param_ancestors`), by name, sorted by param id.
    pub params: Vec<(String, f64)>,
    /// The expression of the node or outcome that gave the bad value, when
    /// one is to blame (added so that the message can point at its text;
    /// `uchronia_model::locate` finds it).
    pub part: Option<Part>,
}

impl fmt::Display for RuntimeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = if self.is_outcome { "outcome" } else { "node" };
        write!(
            f,
            "{what} {} in scenario {}, parameter draw {}: {}",
            self.node_or_outcome, self.scenario, self.draw, self.message
        )?;
        if !self.params.is_empty() {
            f.write_str(" (params: ")?;
            for (i, (name, value)) in self.params.iter().enumerate() {
                if i > 0 {
                    f.write_str(", ")?;
                }
                write!(f, "{name} = {value}")?;
            }
            f.write_str(")")?;
        }
        Ok(())
    }
}
