//! The tidy checks of `src/tidy.rs` over the whole repository: `.rs` files
//! with a `//!` header, paths named by the documents that exist, and no
//! planning leftovers. A failure lists every offending file and line.

use std::fs;
use std::path::{Path, PathBuf};

use uchronia_test_support::tidy::{files, has_header, leftovers, missing_paths};

/// Paths the documents name as examples, not as files of the tree.
const PLACEHOLDERS: &[&str] = &[
    // Files named in the error messages of docs/errors.md and docs/claims.md.
    "models/m.toml",
    "models/nope.toml",
    "data/claims/c.toml",
    "data/claims/x.toml",
    // Where docs/model-format.md has the reader save its first model.
    "models/testament.toml",
    // The model, claims and report docs/writing-a-model.md has the reader make.
    "models/my_question.toml",
    "data/claims/my_question.toml",
    "reports/my_question",
    // Made by `cargo fuzz` (docs/testing.md).
    "fuzz/corpus/",
    "fuzz/artifacts/",
    // Written by the runs the documents show: `--out reports/my_model`,
    // `--parquet`, the README's example, `uchronia calibrate`.
    "reports/my_model",
    "reports/trotsky/draws.parquet",
    "reports/succession",
    "reports/trotsky-calibration",
];

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn shown(path: &Path) -> String {
    let repo = repo();
    path.strip_prefix(&repo)
        .unwrap_or(path)
        .display()
        .to_string()
}

#[test]
fn every_rust_file_opens_with_a_header() {
    let missing: Vec<String> = files(&repo(), &[".rs"])
        .expect("the tree")
        .into_iter()
        .filter(|path| !has_header(&read(path)))
        .map(|path| shown(&path))
        .collect();
    assert!(
        missing.is_empty(),
        "these files do not open with a `//!` comment that says what they are for:\n{}",
        missing.join("\n")
    );
}

#[test]
fn every_path_the_documents_name_exists() {
    let repo = repo();
    let mut documents = vec![repo.join("ARCHITECTURE.md"), repo.join("README.md")];
    documents.extend(files(&repo.join("docs"), &[".md"]).expect("docs/"));
    let missing: Vec<String> = documents
        .iter()
        .flat_map(|doc| missing_paths(&repo, doc, &read(doc), PLACEHOLDERS))
        .collect();
    assert!(
        missing.is_empty(),
        "these documents name paths that do not exist:\n{}",
        missing.join("\n")
    );
}

#[test]
fn no_planning_leftovers() {
    let found: Vec<String> = files(&repo(), &[".rs", ".md", ".toml"])
        .expect("the tree")
        .into_iter()
        // The checker names the markers.
        .filter(|path| !path.ends_with("crates/test-support/src/tidy.rs"))
        .flat_map(|path| {
            let text = read(&path);
            leftovers(&text)
                .into_iter()
                .map(|(line, marker)| format!("{}:{line}: {marker}", shown(&path)))
                .collect::<Vec<_>>()
        })
        .collect();
    assert!(
        found.is_empty(),
        "planning leftovers:\n{}",
        found.join("\n")
    );
}
