//! `uchronia crux [CLAIMS...]`: run the model with the posters' claims and
//! print where they disagree (docs/crux.md). The analysis is the
//! pipeline's (`uchronia_analysis::crux`, called from the pipeline's
//! `finish::analyse`); this picks the model and the claims, and `finish`
//! prints the section the summaries also hold.

use std::path::PathBuf;

use uchronia_model::{Diagnostic, Severity};
use uchronia_pipeline::claims::{Selection, model_of, read_claims};

use crate::args::{CruxArgs, DEFAULT_MODEL};
use crate::failure::Failure;

/// Runs `uchronia crux`: the model (`--model`, or the first claims file's,
/// or the default), with the claims files given, or the project's claims
/// files that name the model.
pub fn crux(args: &CruxArgs) -> Result<(), Failure> {
    let model = match (&args.model, args.claims.first()) {
        (Some(model), _) => model.clone(),
        (None, Some(first)) => model_named_by(first)?,
        (None, None) => PathBuf::from(DEFAULT_MODEL),
    };
    let selection = if args.claims.is_empty() {
        Selection::Project(Vec::new())
    } else {
        Selection::Files(args.claims.clone())
    };
    super::run::run_with(&args.run_args(model), &selection, true)
}

/// The model a claims file names; a missing model is bad input at the
/// file's `model` key.
fn model_named_by(path: &std::path::Path) -> Result<PathBuf, Failure> {
    let (shown, source) = read_claims(path)?;
    let file = uchronia_claims::parse(&shown, &source).map_err(Failure::diagnostics)?;
    let model = model_of(path, &file);
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
    Ok(model)
}
