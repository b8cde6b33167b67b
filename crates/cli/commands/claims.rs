//! `uchronia claims FILE`: run the model a claims file names with that
//! file's claims only, and the table of verdicts that `run` and `claims`
//! print. Finding, loading and attaching claims is the pipeline's
//! (`uchronia_pipeline::claims`).

use uchronia_analysis::findings::{ClaimSummary, Verdict};
use uchronia_model::{Diagnostic, Severity};
use uchronia_pipeline::claims::{Selection, model_of, read_claims};

use crate::args::ClaimsArgs;
use crate::failure::Failure;
use crate::output;

/// Runs `uchronia claims FILE`: the file's model, with the file's claims.
pub fn claims(args: &ClaimsArgs) -> Result<(), Failure> {
    let (shown, source) = read_claims(&args.file)?;
    let file = uchronia_claims::parse(&shown, &source).map_err(Failure::diagnostics)?;
    let model = model_of(&args.file, &file);
    if !model.is_file() {
        let diagnostic = Diagnostic::new(
            Severity::Error,
            &shown,
            &source,
            Some(file.model_span),
            format!("the claims file's model {} does not exist", model.display()),
            Some("`model` is a path relative to the claims file".into()),
        );
        return Err(Failure::diagnostics(diagnostic));
    }
    super::run::run_with(&args.run_args(model), &Selection::Only(args.file.clone()))
}

/// The verdicts, aligned: claim, scenario, what it says, the estimate with
/// its 90% interval over draws, the credence and the verdict.
pub fn verdict_table(claims: &[ClaimSummary]) -> String {
    let mut rows = vec![
        [
            "claim",
            "scenario",
            "says",
            "estimate",
            "90% interval",
            "credence",
            "verdict",
            "",
        ]
        .map(String::from)
        .to_vec(),
    ];
    for claim in claims {
        let says = match &claim.than {
            // "about the same as history", "lower than history".
            Some(than) if claim.says.trim().ends_with("same") => {
                format!("{} as {than}", claim.says)
            }
            Some(than) => format!("{} than {than}", claim.says),
            None => claim.says.clone(),
        };
        let estimate = match (&claim.than, claim.estimate) {
            // A comparative estimate is a difference: show its sign.
            (Some(_), Some(d)) if d > 0.0 => format!("+{}", output::number(d)),
            (_, estimate) => output::maybe(estimate),
        };
        let interval = match (claim.q05, claim.q95) {
            (Some(lo), Some(hi)) => format!("[{}, {}]", output::number(lo), output::number(hi)),
            _ => "-".into(),
        };
        let credence = claim
            .credence
            .map_or_else(|| "-".into(), |c| format!("{c:.2}"));
        let note = if claim.undefined_draws > 0 && claim.verdict != Verdict::Undefined {
            format!("({} draws undefined)", claim.undefined_draws)
        } else {
            String::new()
        };
        rows.push(vec![
            claim.id.clone(),
            claim.scenario.clone(),
            says,
            estimate,
            interval,
            credence,
            claim.verdict.as_str().to_string(),
            note,
        ]);
    }
    output::columns(&rows, "lllrlrll", 0)
}
