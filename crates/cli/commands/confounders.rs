//! The confounder check that `check` and `run` share: per scenario, the
//! nodes that make its comparison with the reference unfair
//! (`uchronia_model::baseline::confounders`), as a warning at the
//! scenario's place in the model file, or with `--strict` an error (exit 2).

use uchronia_model::baseline::{confounders, divergence};
use uchronia_model::{Diagnostic, Diagnostics, ScenarioId, Severity};

use crate::failure::Failure;
use uchronia_pipeline::LoadedModel;

/// One diagnostic per scenario of `scenarios` that has confounders, in the
/// order given, of the given severity.
pub fn diagnostics(
    model: &LoadedModel,
    scenarios: &[ScenarioId],
    severity: Severity,
) -> Vec<Diagnostic> {
    let ir = &model.loaded.model;
    let Some(reference) = ir.scenarios.first() else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for &id in scenarios {
        let nodes = confounders(ir, id);
        if nodes.is_empty() {
            continue;
        }
        let names: Vec<&str> = nodes.iter().map(|&n| ir.nodes[n].name.as_str()).collect();
        let diverged: Vec<&str> = divergence(ir, id)
            .iter()
            .map(|&n| ir.nodes[n].name.as_str())
            .collect();
        let scenario = &ir.scenarios[id];
        let what = if diverged.is_empty() {
            "it has no divergence of its own".to_string()
        } else {
            format!(
                "its divergence is {}; the matched rows of comparison.csv (against {}~baseline) give its effect alone",
                diverged.join(", "),
                scenario.name
            )
        };
        found.push(Diagnostic::new(
            severity,
            &model.path,
            &model.source,
            Some(scenario.span),
            format!(
                "scenario {} is confounded against {}: they fix {} differently",
                scenario.name,
                reference.name,
                names.join(", ")
            ),
            Some(format!(
                "{what}; to compare like with like, fix {} the same way in both scenarios, or in neither",
                if names.len() == 1 { "it" } else { "them" },
            )),
        ));
    }
    found
}

/// Warns on stderr about the confounded scenarios among `scenarios`, or
/// with `strict` fails with them as errors (exit status 2).
pub fn check_run(
    model: &LoadedModel,
    scenarios: &[ScenarioId],
    strict: bool,
) -> Result<(), Failure> {
    let severity = if strict {
        Severity::Error
    } else {
        Severity::Warning
    };
    let found = diagnostics(model, scenarios, severity);
    if strict && !found.is_empty() {
        return Err(Failure::diagnostics(Diagnostics(found)));
    }
    for diagnostic in found {
        crate::output::diagnostic(&diagnostic);
    }
    Ok(())
}
