//! The report folder on disk: `outcomes.csv`, `numeric.csv` and `run.json`;
//! with [`write`], also the charts ([`charts`]), the summaries in Markdown,
//! BBCode and HTML ([`summary`]), the explore page `explore.html`
//! ([`explore`]) when the report carries its data and, on request,
//! `draws.parquet` ([`parquet`]). `docs/reports.md` describes every file.
//!
//! Tables are built as polars `DataFrame`s and written with polars'
//! `CsvWriter` in a fixed float format (see [`tables`]), so the same tally
//! gives byte-identical CSV files whatever the thread count. The folder is
//! replaced atomically (see [`folder`]): a failed or interrupted write never
//! leaves a half-written report, and never damages the previous one.
//!
//! This is the only library crate that touches disk; it knows nothing of
//! sampling, only of [`Summary`] values and the run's metadata.

pub mod analysis_tables;
pub mod calibration;
pub mod charts;
pub mod claims;
pub mod correlations;
pub mod crux;
pub mod explore;
pub mod fan;
pub mod folder;
pub mod format;
pub mod graph;
pub mod graph_svg;
pub mod inevitability;
pub mod parquet;
pub mod per_draw;
pub mod report;
pub mod summary;
pub mod tables;

use std::fs;
use std::path::{Path, PathBuf};

use serde::Serialize;
use uchronia_analysis::Summary;
use uchronia_engine::Design;
use uchronia_model::Model;

pub use analysis_tables::{
    COMPARISON_COLUMNS, SENSITIVITY_COLUMNS, SWEEP_COLUMNS, comparison_table, sensitivity_table,
    sweep_table, write_analysis_files, write_sweep,
};
pub use claims::{CLAIMS_COLUMNS, claims_table, write_claims};
pub use correlations::{CORRELATIONS_COLUMNS, correlations_table, write_correlations};
pub use fan::{FAN_COLUMNS, fan_table, write_fan};
pub use folder::{MANIFEST_FILE, check_out, replace_dir, replace_dir_carrying};
pub use inevitability::{INEVITABILITY_COLUMNS, inevitability_table, write_inevitability};
pub use report::Report;
pub use tables::{
    NUMERIC_COLUMNS, OUTCOMES_COLUMNS, csv_bytes, label_column, numeric_table, outcomes_table,
};

/// What `run.json` records about a run. Everything but `elapsed_seconds`,
/// `trials_per_second` and `threads` is the same for a repeated run.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RunInfo {
    /// The model file as given on the command line.
    pub model: String,
    /// SHA-256 of the model file's bytes, lowercase hex.
    pub model_sha256: String,
    /// The seed.
    pub seed: u64,
    /// Trials per scenario actually run: `draws * trials_per_draw`.
    pub trials: u64,
    /// D: parameter draws.
    pub draws: u64,
    /// T: trials per parameter draw.
    pub trials_per_draw: u64,
    /// How the parameter draws were made (`--design`); left out when
    /// `random`, so a default run's run.json is the one it always was.
    #[serde(skip_serializing_if = "Design::is_random")]
    pub design: Design,
    /// The scenarios run, in order.
    pub scenarios: Vec<String>,
    /// Worker threads.
    pub threads: usize,
    /// The uchronia version that wrote the report.
    pub version: String,
    /// Wall-clock seconds spent running the engine.
    pub elapsed_seconds: f64,
    /// Scenario-trials per second: `trials * scenarios / elapsed_seconds`.
    pub trials_per_second: f64,
    /// The lexicon the claims were judged with: its path, or `built-in`
    /// for the one in the binary. Absent when the run had no claims.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lexicon: Option<String>,
    /// The params drawn from their `ex_ante` priors (`--ex-ante`); left out
    /// when none, so an ordinary run's run.json is the one it always was.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ex_ante: Vec<String>,
}

/// Why a report could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// The output path exists and is not a folder.
    #[error("--out {} is a file, not a folder", .0.display())]
    OutIsFile(PathBuf),
    /// The output path has no final folder name (`.`, `..`, `/`).
    #[error("--out {} does not name a folder (give a path such as reports/my_model)", .0.display())]
    NoFolderName(PathBuf),
    /// The output folder holds something uchronia did not write there (a
    /// file or folder not on its manifest): replacing it would lose it.
    #[error("--out {} holds {}, which uchronia did not write, so the folder cannot be replaced {}", out.display(), file.display(), foreign_hint(out, *unlisted_report))]
    Foreign {
        /// The output folder.
        out: PathBuf,
        /// The first foreign entry, relative to `out` (a folder ends in `/`).
        file: PathBuf,
        /// `out` looks like a report written before reports had manifests.
        unlisted_report: bool,
    },
    /// The output folder holds a file the command reads.
    #[error("--out {} holds {}, which this command reads: a report replaces its folder whole (give --out a folder of its own, such as reports/<model name>)", out.display(), input.display())]
    HoldsInput {
        /// The output folder.
        out: PathBuf,
        /// The input inside it, as given.
        input: PathBuf,
    },
    /// The folder that should hold the report cannot be created or written.
    #[error("cannot write a report into {}: {source}", path.display())]
    Unwritable {
        /// The folder.
        path: PathBuf,
        /// The system's reason.
        source: std::io::Error,
    },
    /// Writing or moving a file failed.
    #[error("cannot write {}: {source}", path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The system's reason.
        source: std::io::Error,
    },
    /// Building or serialising a table failed.
    #[error("cannot build the {table} table: {source}")]
    Table {
        /// The file name of the table.
        table: &'static str,
        /// polars' reason.
        source: polars::error::PolarsError,
    },
    /// Serialising run.json failed.
    #[error("cannot serialise run.json: {0}")]
    Json(#[from] serde_json::Error),
    /// Drawing or writing a chart failed.
    #[error("cannot draw {file}: {message}")]
    Chart {
        /// The chart's file name.
        file: String,
        /// plotters' reason.
        message: String,
    },
}

impl ReportError {
    /// Whether the error is the user's input (a bad `--out`) rather than a
    /// failure of the machine: the command line exits with 2 for those.
    pub fn is_bad_input(&self) -> bool {
        matches!(
            self,
            ReportError::OutIsFile(_)
                | ReportError::NoFolderName(_)
                | ReportError::Foreign { .. }
                | ReportError::HoldsInput { .. }
                | ReportError::Unwritable { .. }
        )
    }
}

/// The advice that ends a [`ReportError::Foreign`] message.
fn foreign_hint(out: &Path, unlisted_report: bool) -> String {
    if unlisted_report {
        format!(
            "(it looks like a report of uchronia 0.1, which kept no {MANIFEST_FILE}: delete it yourself, or give --out a new folder)"
        )
    } else {
        format!(
            "(give --out a new or empty folder, such as {})",
            out.join("report").display()
        )
    }
}

/// Writes the report folder `out` (replacing any previous one atomically):
/// `outcomes.csv`, `numeric.csv` and `run.json`.
pub fn write_report(
    out: &Path,
    model: &Model,
    summary: &Summary,
    info: &RunInfo,
) -> Result<(), ReportError> {
    replace_dir(out, |dir| write_files(dir, model, summary, info))
}

/// Writes the whole report folder `out` (replacing any previous one
/// atomically): the tables of [`write_files`], `draws.parquet` when asked
/// for, every chart, and `summary.md`, `summary.bbcode` and `summary.html`.
/// Nothing of it is in place until all of it is written.
pub fn write(out: &Path, report: &Report) -> Result<(), ReportError> {
    replace_dir(out, |dir| write_into(dir, report))
}

/// Writes every file of `report` into the folder `dir`, which exists (the
/// body of [`write`], for callers that add files of their own before the
/// folder is moved into place).
pub fn write_into(dir: &Path, report: &Report) -> Result<(), ReportError> {
    let model = report.model;
    write_files(dir, model, report.summary, report.info)?;
    // A parameter that cannot reach an outcome, or whose correlation with it
    // lies within the 99% noise bound, moves it only by noise: such rows are
    // most of the table and say nothing, so only `--full` keeps them.
    let kept: Vec<_>;
    let sensitivity = if report.full {
        report.sensitivity
    } else {
        kept = (report.sensitivity.iter())
            .filter(|r| r.ancestor && r.significant)
            .cloned()
            .collect();
        &kept
    };
    write_analysis_files(dir, model, sensitivity, report.comparison)?;
    if !report.claims.is_empty() {
        write_claims(dir, model, report.claims)?;
    }
    if let Some(crux) = report.crux {
        crux::write_crux(dir, model, crux, report.full)?;
    }
    if !report.correlations.is_empty() {
        write_correlations(dir, model, report.correlations)?;
    }
    let fan = uchronia_analysis::fan::fan_rows(report.model, report.tally);
    if !fan.is_empty() {
        write_fan(dir, report.model, &fan)?;
    }
    if report.parquet {
        let table_error = |source| ReportError::Table {
            table: "draws.parquet",
            source,
        };
        let mut draws = parquet::draws_table(report.model, report.tally).map_err(table_error)?;
        let bytes = parquet::parquet_bytes(&mut draws).map_err(table_error)?;
        write_file(&dir.join("draws.parquet"), &bytes)?;
    }
    if let Some(explore) = &report.explore {
        let page = explore::page::render(report, explore);
        write_file(&dir.join("explore.html"), page.as_bytes())?;
    }
    let charts = charts::write_all(dir, report)?;
    summary::write_all(dir, report, &charts)
}

/// Writes the report's files into the folder `dir`, which exists.
pub fn write_files(
    dir: &Path,
    model: &Model,
    summary: &Summary,
    info: &RunInfo,
) -> Result<(), ReportError> {
    let table_error = |table| move |source| ReportError::Table { table, source };
    let mut outcomes = outcomes_table(model, summary).map_err(table_error("outcomes.csv"))?;
    let outcomes = csv_bytes(&mut outcomes).map_err(table_error("outcomes.csv"))?;
    write_file(&dir.join("outcomes.csv"), &outcomes)?;

    let mut numeric = numeric_table(model, summary).map_err(table_error("numeric.csv"))?;
    let numeric = csv_bytes(&mut numeric).map_err(table_error("numeric.csv"))?;
    write_file(&dir.join("numeric.csv"), &numeric)?;

    let mut json = serde_json::to_vec_pretty(info)?;
    json.push(b'\n');
    write_file(&dir.join("run.json"), &json)
}

pub(crate) fn write_file(path: &Path, bytes: &[u8]) -> Result<(), ReportError> {
    fs::write(path, bytes).map_err(|source| ReportError::Io {
        path: path.to_path_buf(),
        source,
    })
}

#[cfg(test)]
mod testing;
#[cfg(test)]
mod tests;
