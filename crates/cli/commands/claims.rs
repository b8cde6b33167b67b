//! `uchronia claims FILE`: run the model a claims file names with that
//! file's claims only. Finding, loading and attaching claims is the
//! pipeline's (`uchronia_pipeline::claims`); the verdict table is printed
//! by [`finish`](super::finish).

use uchronia_model::{Diagnostic, Severity};
use uchronia_pipeline::claims::{Selection, model_of, read_claims};

use crate::args::ClaimsArgs;
use crate::failure::Failure;

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
    super::run::run_with(
        &args.run_args(model),
        &Selection::Only(args.file.clone()),
        false,
    )
}
