//! The subcommands, one module each, and what they share: choosing
//! scenarios by name and Ctrl-C. The work itself (loading, running,
//! analysing, writing) is the pipeline's (`uchronia_pipeline`).

pub mod bench;
pub mod calibrate;
pub mod check;
pub mod claims;
pub mod confounders;
pub mod crux;
pub mod describe;
pub mod explain;
pub mod finish;
pub mod graph;
pub mod inevitability;
pub mod merge;
pub mod new;
pub mod run;
pub mod sensitivity;
pub mod shell;
pub mod sweep;

use std::sync::atomic::Ordering;

use uchronia_model::{Model, OutcomeId, OutcomeKind, ScenarioId};
use uchronia_pipeline::CANCEL;

use crate::failure::Failure;

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
/// The boolean outcomes `names` names, in the order given with duplicates
/// dropped; an unknown name gets the nearest one as a hint, a numeric one
/// is refused with `why` ("a sweep reports probabilities").
pub fn named_boolean_outcomes(
    model: &Model,
    names: &[String],
    why: &str,
) -> Result<Vec<OutcomeId>, Failure> {
    let mut chosen = Vec::new();
    for name in names {
        let Some(id) = model.outcomes.iter().position(|o| &o.name == name) else {
            let known: Vec<&str> = model.outcomes.iter().map(|o| o.name.as_str()).collect();
            let hint = nearest(name, &known)
                .map(|near| format!(" (did you mean '{near}'?)"))
                .unwrap_or_default();
            return Err(Failure::input(format!(
                "model {} has no outcome '{name}'{hint}",
                model.name
            )));
        };
        if !matches!(model.outcomes[id].kind, OutcomeKind::Boolean { .. }) {
            return Err(Failure::input(format!(
                "outcome '{name}' is numeric; {why}, so name a boolean outcome"
            )));
        }
        if !chosen.contains(&id) {
            chosen.push(id);
        }
    }
    Ok(chosen)
}

/// (by the workspace's one suggester, `uchronia_model::suggest`).
pub fn nearest<'a>(name: &str, known: &[&'a str]) -> Option<&'a str> {
    uchronia_model::suggest::close(name, known.iter().copied())
}

/// Makes Ctrl-C (SIGINT), SIGTERM and SIGHUP set the pipeline's [`CANCEL`];
/// a second one exits at once with 130. Without a handler (the platform refused) the
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
