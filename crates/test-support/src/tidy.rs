//! The repository's tidy checks, in the manner of rust-analyzer's: small
//! functions over one file's text, each unit-tested here on a bad input, and
//! `tests/tidy.rs`, which runs them over the whole tree.
//!
//! - every `.rs` file opens with a `//!` comment that says what it is for;
//! - every repository path that `ARCHITECTURE.md`, `README.md` and `docs/`
//!   name exists (Markdown links relative to the document, bare paths such
//!   as `crates/engine/src/exec.rs` relative to the repository);
//! - no planning leftovers (see [`LEFTOVERS`]).

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// The top-level folders from which the documents name paths.
pub const ROOTS: [&str; 8] = [
    "bench", "crates", "data", "docs", "fuzz", "models", "reports", "tests",
];

/// Markers of plans that were never meant to stay in the tree. This file
/// names them, so it is the one file the check skips.
pub const LEFTOVERS: [&str; 4] = [
    "CONTRACT",
    "TODO(plan)",
    "Added to the contract",
    "written before the implementation",
];

/// Whether a Rust source file opens with a `//!` comment.
pub fn has_header(text: &str) -> bool {
    text.starts_with("//!")
}

/// The planning leftovers in a text: `(line, marker)`, lines from 1.
pub fn leftovers(text: &str) -> Vec<(usize, &'static str)> {
    let mut found = Vec::new();
    for (i, line) in text.lines().enumerate() {
        for marker in LEFTOVERS {
            if line.contains(marker) {
                found.push((i + 1, marker));
            }
        }
    }
    found
}

/// A path named by a document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mention {
    /// The line it is on, from 1.
    pub line: usize,
    /// The path as written, without a `#fragment`.
    pub path: String,
    /// Whether it is a Markdown link target, relative to the document's
    /// folder (else it is relative to the repository).
    pub link: bool,
}

/// The paths a Markdown text names: the targets of its relative links, and
/// the bare paths that start with one of [`ROOTS`]. Patterns
/// (`crates/{a,b}.rs`, `fuzz/artifacts/TARGET/crash-*`) are left out.
pub fn mentions(text: &str) -> Vec<Mention> {
    let mut found = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line_no = i + 1;
        // Link targets: `](target)`.
        let mut rest = line;
        while let Some(at) = rest.find("](") {
            rest = &rest[at + 2..];
            let end = rest.find([')', ' ']).unwrap_or(rest.len());
            let target = rest[..end].split('#').next().unwrap_or("");
            let external = target.contains("://") || target.starts_with("mailto:");
            if !target.is_empty() && !external {
                found.push(Mention {
                    line: line_no,
                    path: target.to_string(),
                    link: true,
                });
            }
        }
        // Bare paths.
        let bytes = line.as_bytes();
        for (at, _) in line.char_indices() {
            let Some(root) = ROOTS
                .iter()
                .find(|root| line[at..].starts_with(&format!("{root}/")))
            else {
                continue;
            };
            let before = at.checked_sub(1).map(|b| bytes[b]);
            let inside_word =
                before.is_some_and(|b| b.is_ascii_alphanumeric() || b"_./-".contains(&b));
            let link_target = at >= 2 && &line[at - 2..at] == "](";
            if inside_word || link_target {
                continue;
            }
            let length = line[at..]
                .find(|c: char| !(c.is_ascii_alphanumeric() || "_./-".contains(c)))
                .unwrap_or(line.len() - at);
            let next = line[at + length..].chars().next();
            if next.is_some_and(|c| "{*<[".contains(c)) {
                continue;
            }
            let path = line[at..at + length].trim_end_matches(['.', '-']);
            if path.len() > root.len() + 1 {
                found.push(Mention {
                    line: line_no,
                    path: path.to_string(),
                    link: false,
                });
            }
        }
    }
    found
}

/// The paths that a document at `doc` (inside `repo`) with text `text`
/// names and that do not exist, as `doc:line: path`; a path that starts
/// with one of `placeholders` is an example, not a file of the tree.
pub fn missing_paths(repo: &Path, doc: &Path, text: &str, placeholders: &[&str]) -> Vec<String> {
    let folder = doc.parent().unwrap_or(repo);
    let shown = doc.strip_prefix(repo).unwrap_or(doc).display();
    mentions(text)
        .into_iter()
        .filter(|m| !placeholders.iter().any(|p| m.path.starts_with(p)))
        .filter(|m| {
            let base = if m.link { folder } else { repo };
            !base.join(&m.path).exists()
        })
        .map(|m| format!("{shown}:{}: {}", m.line, m.path))
        .collect()
}

/// The files under `dir` whose names end with one of `extensions`, sorted;
/// hidden folders and build output (`target`) are skipped.
pub fn files(dir: &Path, extensions: &[&str]) -> io::Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in fs::read_dir(&dir)? {
            let path = entry?.path();
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if path.is_dir() {
                if !name.starts_with('.') && name != "target" {
                    pending.push(path);
                }
            } else if extensions.iter().any(|e| name.ends_with(e)) {
                found.push(path);
            }
        }
    }
    found.sort();
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_without_a_header_is_found() {
        assert!(has_header("//! What this is for.\n\nfn main() {}\n"));
        assert!(!has_header("// A plain comment.\nfn main() {}\n"));
        assert!(!has_header("\n//! Too late.\n"));
    }

    #[test]
    fn leftovers_are_found_with_their_line() {
        let text = "fine\n// TODO(plan): later\nfine\n(Added to the contract in May.)\n";
        assert_eq!(
            leftovers(text),
            [(2, "TODO(plan)"), (4, "Added to the contract")]
        );
        assert!(leftovers("the contract types\n").is_empty());
    }

    #[test]
    fn links_and_bare_paths_are_mentions_but_patterns_are_not() {
        let text = "See `crates/engine/src/exec.rs`.\n\
                    A [link](models/trotsky.md#calibration) and [web](https://x.org/crates/y).\n\
                    Moves `crates/cli/{a,b}.rs` and fuzz/artifacts/TARGET/crash-*; ../crates/z.rs\n";
        let found = mentions(text);
        assert_eq!(
            found,
            [
                Mention {
                    line: 1,
                    path: "crates/engine/src/exec.rs".into(),
                    link: false
                },
                Mention {
                    line: 2,
                    path: "models/trotsky.md".into(),
                    link: true
                },
            ]
        );
    }

    #[test]
    fn missing_paths_are_reported_and_placeholders_are_not() {
        let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let doc = repo.join("docs/example.md");
        let text = "Here: `crates/test-support/src/tidy.rs`.\n\
                    Gone: `crates/test-support/src/gone.rs`.\n\
                    Run `uchronia check models/m.toml`.\n\
                    A [link](testing.md) and a [dead one](nowhere.md).\n";
        assert_eq!(
            missing_paths(&repo, &doc, text, &["models/m.toml"]),
            [
                "docs/example.md:2: crates/test-support/src/gone.rs",
                "docs/example.md:4: nowhere.md",
            ]
        );
    }
}
