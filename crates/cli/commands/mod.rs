//! The subcommands, one module each, and what they share: reading and
//! loading a model, choosing scenarios, the thread pool, Ctrl-C, and turning
//! engine errors into failures.

pub mod batches;
pub mod bench;
pub mod calibrate;
pub mod check;
pub mod claims;
pub mod confounders;
pub mod explain;
pub mod finish;
pub mod graph;
pub mod merge;
pub mod partial;
pub mod run;
pub mod sensitivity;
pub mod shell;
pub mod sweep;

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use uchronia_engine::RunError;
use uchronia_model::{Diagnostic, Loaded, Model, ScenarioId, Severity};

use crate::failure::Failure;

/// Set by Ctrl-C; the engine polls it and stops with `RunError::Cancelled`.
pub static CANCEL: AtomicBool = AtomicBool::new(false);

/// A model file's text and what the loader made of it.
pub struct LoadedModel {
    /// The path as the user gave it (diagnostics show it).
    pub path: String,
    /// The file's text.
    pub source: String,
    /// The validated model and its warnings.
    pub loaded: Loaded,
}

/// Reads and validates a model file. A missing file and an invalid model
/// are both bad input (exit status 2).
pub fn load_model(path: &Path) -> Result<LoadedModel, Failure> {
    let shown = path.display().to_string();
    let source = crate::input::read_text(path, "model", "")?;
    let loaded = uchronia_model::load(&shown, &source).map_err(Failure::diagnostics)?;
    Ok(LoadedModel {
        path: shown,
        source,
        loaded,
    })
}

/// The scenarios named on the command line, in the order given (duplicates
/// dropped), or every scenario in file order when none is named. An unknown
/// name is bad input, with the nearest name as a hint.
pub fn choose_scenarios(model: &Model, names: &[String]) -> Result<Vec<ScenarioId>, Failure> {
    if names.is_empty() {
        return Ok((0..model.scenarios.len()).collect());
    }
    let mut chosen = Vec::new();
    for name in names {
        let Some(id) = model.scenario_id(name) else {
            let known: Vec<&str> = model.scenarios.iter().map(|s| s.name.as_str()).collect();
            let hint = match nearest(name, &known) {
                Some(near) => format!(" (did you mean '{near}'?)"),
                None => format!(" (the model's scenarios are: {})", known.join(", ")),
            };
            return Err(Failure::input(format!(
                "model {} has no scenario '{name}'{hint}",
                model.name
            )));
        };
        if !chosen.contains(&id) {
            chosen.push(id);
        }
    }
    Ok(chosen)
}

/// The known name closest to `name`, when it is close enough to be a typo
/// (by the workspace's one suggester, `uchronia_model::suggest`).
pub fn nearest<'a>(name: &str, known: &[&'a str]) -> Option<&'a str> {
    uchronia_model::suggest::close(name, known.iter().copied())
}

/// A rayon pool of exactly `threads` workers.
pub fn thread_pool(threads: usize) -> Result<rayon::ThreadPool, Failure> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|error| Failure::other(format!("cannot start {threads} threads: {error}")))
}

/// Makes Ctrl-C (SIGINT), SIGTERM and SIGHUP set [`CANCEL`]; a second one
/// exits at once with 130. Without a handler (the platform refused) the
/// signal simply kills the process, which is still safe: reports are
/// written to a temporary folder first, and a later run removes what a
/// killed one left (`uchronia_report::check_out`).
pub fn handle_ctrl_c() {
    let _ = ctrlc::set_handler(|| {
        if CANCEL.swap(true, Ordering::SeqCst) {
            std::process::exit(130);
        }
    });
}

/// Whether Ctrl-C was pressed.
pub fn cancelled() -> bool {
    CANCEL.load(Ordering::SeqCst)
}

/// Turns an engine error into a failure. A model error found at run time is
/// bad input (exit status 2) shown at the node's or outcome's place in the
/// file.
pub fn run_failure(error: RunError, model: &LoadedModel) -> Failure {
    match error {
        RunError::Cancelled => Failure::interrupted(),
        RunError::Model(error) => {
            let model_ir = &model.loaded.model;
            let span = if error.is_outcome {
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
            let diagnostic = Diagnostic::new(
                Severity::Error,
                &model.path,
                &model.source,
                span,
                error.to_string(),
                None,
            );
            Failure::diagnostics(diagnostic)
        }
        other => Failure::other(other.to_string()),
    }
}
