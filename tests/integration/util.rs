//! Running the binary and reading what it wrote.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// What a run of the binary produced.
pub struct Run {
    pub status: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `uchronia` with `args` in the repository root.
pub fn uchronia(args: &[&str]) -> Run {
    let output: Output = Command::new(env!("CARGO_BIN_EXE_uchronia"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs");
    Run {
        status: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// The path of a fixture model, relative to the repository root.
pub fn model(name: &str) -> String {
    format!("tests/models/{name}.toml")
}

/// A path as a `&str` argument.
pub fn arg(path: &Path) -> &str {
    path.to_str().expect("a UTF-8 path")
}

/// Reads a CSV file into its header and rows of cells.
pub fn csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let text = std::fs::read_to_string(path).expect("the CSV file exists");
    let mut lines = text.lines();
    let header = lines
        .next()
        .expect("a header")
        .split(',')
        .map(String::from)
        .collect();
    let rows = lines
        .map(|line| line.split(',').map(String::from).collect())
        .collect();
    (header, rows)
}

/// The cell of `column` in the row whose first two cells are `scenario`, `outcome`.
pub fn cell(
    table: &(Vec<String>, Vec<Vec<String>>),
    scenario: &str,
    outcome: &str,
    column: &str,
) -> String {
    let (header, rows) = table;
    let index = header
        .iter()
        .position(|h| h == column)
        .unwrap_or_else(|| panic!("no column {column}"));
    let row = rows
        .iter()
        .find(|row| row[0] == scenario && row[1] == outcome)
        .unwrap_or_else(|| panic!("no row {scenario},{outcome}"));
    row[index].clone()
}

/// A fresh temporary folder.
pub fn temp() -> tempfile::TempDir {
    tempfile::tempdir().expect("a temporary folder")
}

/// The entries of a folder, sorted.
pub fn entries(dir: &Path) -> Vec<PathBuf> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("a folder")
        .map(|e| e.expect("an entry").path())
        .collect();
    entries.sort();
    entries
}
