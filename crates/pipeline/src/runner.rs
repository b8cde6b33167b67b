//! Running the engine: one thread pool, the cancel flag that Ctrl-C sets,
//! and engine errors turned into failures at their place in the model file.

use std::sync::atomic::{AtomicBool, Ordering};

use uchronia_engine::{RunConfig, RunError, RuntimeError, Tally};
use uchronia_model::locate::{Owner, part_place};
use uchronia_model::{Diagnostic, Model, Severity};

use crate::failure::Failure;
use crate::model::LoadedModel;

/// Set to stop every run (by the front end's Ctrl-C handler); the engine
/// polls it and stops with `RunError::Cancelled`.
pub static CANCEL: AtomicBool = AtomicBool::new(false);

/// Whether the runs were asked to stop.
pub fn cancelled() -> bool {
    CANCEL.load(Ordering::SeqCst)
}

/// A pool of worker threads that runs models.
pub struct Runner {
    pool: rayon::ThreadPool,
}

impl Runner {
    /// A runner on exactly `threads` workers.
    pub fn new(threads: usize) -> Result<Runner, Failure> {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .map_err(|error| Failure::other(format!("cannot start {threads} threads: {error}")))?;
        Ok(Runner { pool })
    }

    /// Runs `model` (the loaded one, or one derived from it: claims attached,
    /// a parameter fixed) with `config`, calling `progress` with each chunk's
    /// trials. A cancel that comes as the engine finishes still counts:
    /// `RunError::Cancelled`.
    pub fn run(
        &self,
        model: &Model,
        config: &RunConfig,
        progress: &(dyn Fn(u64) + Sync),
    ) -> Result<Tally, RunError> {
        let tally = self.run_batch(model, config, progress)?;
        if cancelled() {
            return Err(RunError::Cancelled);
        }
        Ok(tally)
    }

    /// [`Runner::run`], except that a cancel that comes as the engine
    /// finishes is left to the caller, who may first keep the tally (a
    /// checkpoint of the last complete batch).
    pub fn run_batch(
        &self,
        model: &Model,
        config: &RunConfig,
        progress: &(dyn Fn(u64) + Sync),
    ) -> Result<Tally, RunError> {
        self.pool
            .install(|| uchronia_engine::run(model, config, progress, &CANCEL))
    }

    /// Runs the loaded model itself, without progress, failing as
    /// [`run_failure`] says.
    pub fn run_loaded(&self, model: &LoadedModel, config: &RunConfig) -> Result<Tally, Failure> {
        self.run(&model.loaded.model, config, &|_| {})
            .map_err(|error| run_failure(error, model))
    }

    /// Runs `work` on the pool's threads (a measurement on the same threads).
    pub fn install<T: Send>(&self, work: impl FnOnce() -> T + Send) -> T {
        self.pool.install(work)
    }
}

/// Turns an engine error into a failure. A model error found at run time is
/// bad input shown at the expression that gave the bad value, with a note
/// at its node's or outcome's table (at the table alone when no single
/// expression is to blame).
pub fn run_failure(error: RunError, model: &LoadedModel) -> Failure {
    match error {
        RunError::Cancelled => Failure::interrupted(),
        RunError::Model(error) => Failure::diagnostics(runtime_diagnostic(&error, model)),
        other => Failure::other(other.to_string()),
    }
}

/// The diagnostic of a model error found at run time.
fn runtime_diagnostic(error: &RuntimeError, model: &LoadedModel) -> Diagnostic {
    let (owner, what) = if error.is_outcome {
        (Owner::Outcome, "outcomes")
    } else {
        (Owner::Node, "nodes")
    };
    let model_ir = &model.loaded.model;
    let table = if error.is_outcome {
        model_ir
            .outcomes
            .iter()
            .find(|o| o.name == error.node_or_outcome)
            .map(|o| o.span)
    } else {
        model_ir
            .nodes
            .iter()
            .find(|n| n.name == error.node_or_outcome)
            .map(|n| n.span)
    };
    let place = error
        .part
        .and_then(|part| part_place(&model.source, owner, &error.node_or_outcome, part));
    let Some(place) = place else {
        return Diagnostic::new(
            Severity::Error,
            &model.path,
            &model.source,
            table,
            error.to_string(),
            None,
        );
    };
    Diagnostic::new(
        Severity::Error,
        &model.path,
        &model.source,
        Some(place.expression),
        error.to_string(),
        None,
    )
    .with_note(
        &model.source,
        place.table,
        format!("in [{what}.{}]", error.node_or_outcome),
    )
}
