//! A model file read and validated, with its text kept for diagnostics.

use std::path::Path;

use uchronia_model::Loaded;

use crate::failure::Failure;

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
/// are both bad input.
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
