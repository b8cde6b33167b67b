//! Claims against a matched baseline: `than = "S~baseline"` (or `scenario`)
//! names S's fixings without its divergence, the same world the run pairs
//! S with in `comparison.csv` (contract 1.1, section 2). A claim that Trotsky
//! would do more than Stalin is then tested against "Stalin leads from
//! 1924", not against a reference whose leader is left to chance.
//!
//! [`add_matched_baselines`] gives the model each such baseline before the
//! claims are compiled, built exactly as the run builds it, so that the
//! run's own pairing of S with its baseline finds this very scenario (same
//! fixings) and the engine runs it once. Where a scenario of the model
//! already has the baseline's fixings (the reference, often), [`find`]
//! names that one and nothing is added.

use uchronia_model::baseline::{BASELINE_SUFFIX, baseline_of, same_fixings};
use uchronia_model::{Model, ScenarioId};

use crate::ClaimsFile;

/// Adds to `model`, in order of first mention, the matched baseline of each
/// scenario S that a claim of `files` names as `S~baseline` in `scenario` or
/// `than`, where S exists and has a divergence. Names that do not resolve
/// are left for the compiler to report at their line.
pub fn add_matched_baselines(model: &mut Model, files: &[ClaimsFile]) {
    let names = (files.iter().flat_map(|f| &f.claims))
        .flat_map(|claim| claim.scenario.iter().chain(&claim.than));
    for name in names {
        let Some(of) = name.text.strip_suffix(BASELINE_SUFFIX) else {
            continue;
        };
        if model.scenario_id(&name.text).is_some() || find(model, &name.text).is_some() {
            continue;
        }
        let baseline = model
            .scenario_id(of)
            .and_then(|scenario| baseline_of(model, scenario));
        if let Some(baseline) = baseline {
            model.scenarios.push(baseline);
        }
    }
}

/// The scenario `name` (`S~baseline`) stands for: the first of the model
/// with the fixings of S's matched baseline, whatever its name.
pub fn find(model: &Model, name: &str) -> Option<ScenarioId> {
    let of = model.scenario_id(name.strip_suffix(BASELINE_SUFFIX)?)?;
    let fixings = baseline_of(model, of)?;
    (model.scenarios.iter()).position(|s| same_fixings(s, &fixings))
}

/// Why `name` (`S~baseline`) names no scenario, with a hint, when S is a
/// scenario without a divergence; `None` when S is not a scenario at all.
pub fn why_no_baseline(model: &Model, name: &str) -> Option<(String, String)> {
    let of = name.strip_suffix(BASELINE_SUFFIX)?;
    let scenario = model.scenario_id(of)?;
    if baseline_of(model, scenario).is_some() {
        return Some((
            format!("the matched baseline of `{of}` was not added to the model"),
            "add the claims' matched baselines first (matched::add_matched_baselines)".into(),
        ));
    }
    let reference = model.scenarios.first().map_or("", |s| s.name.as_str());
    Some((
        format!(
            "scenario `{of}` has no matched baseline: its `do` fixes nothing that differs from the facts and the reference"
        ),
        format!("compare with the reference `{reference}`, or with another scenario"),
    ))
}
