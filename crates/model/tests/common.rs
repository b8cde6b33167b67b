//! Helpers shared by the model tests: a minimal frame around fixtures and a
//! `check` helper that asserts an error's message and place.

#![allow(dead_code)]

use uchronia_model::{Diagnostic, Loaded, load};

/// Lines that [`framed`] puts before the body.
pub const HEADER_LINES: usize = 3;

/// A valid model around `body`: `[model]` first (3 lines), then the body,
/// then a reference scenario unless the body has scenarios of its own.
pub fn framed(body: &str) -> String {
    let mut text = format!("[model]\nname = \"t\"\ntitle = \"T\"\n{body}\n");
    if !body.contains("[scenarios") {
        text.push_str("\n[scenarios.base]\ndoc = \"d\"\n");
    }
    text
}

/// Loads `body` in the frame and asserts that one error contains `expected`
/// at `line` (counted within the body, from 1) and `column`.
pub fn check(body: &str, expected: &str, line: usize, column: usize) -> Diagnostic {
    check_file(&framed(body), expected, line + HEADER_LINES, column)
}

/// Like [`check`] for a whole file (`line` counted in the file).
pub fn check_file(text: &str, expected: &str, line: usize, column: usize) -> Diagnostic {
    let errors = match load("m.toml", text) {
        Ok(_) => panic!("expected an error containing {expected:?}, but the model loaded:\n{text}"),
        Err(errors) => errors,
    };
    let Some(found) = errors.0.iter().find(|d| d.message.contains(expected)) else {
        panic!("no error contains {expected:?}; the errors were:\n{errors}");
    };
    assert_eq!(
        (found.line, found.column),
        (line, column),
        "wrong place for:\n{found}\nall errors:\n{errors}"
    );
    found.clone()
}

/// Loads `body` in the frame and expects success.
pub fn ok(body: &str) -> Loaded {
    let text = framed(body);
    match load("m.toml", &text) {
        Ok(loaded) => loaded,
        Err(errors) => panic!("expected the model to load:\n{errors}\n--- text:\n{text}"),
    }
}

/// The hint of a diagnostic, or "".
pub fn hint(d: &Diagnostic) -> &str {
    d.hint.as_deref().unwrap_or("")
}
