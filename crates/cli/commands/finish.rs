//! From a finished tally to the report folder: the one path that `run`
//! (plain, checkpointed or with a precision target) and `merge` share, so a
//! merged or resumed report is the very report a plain run writes.
//!
//! The tally may hold matched baselines (`S~baseline`, run beside their
//! scenarios): they give the `matched` rows of comparison.csv and nothing
//! else, so every other table is the one a run without them writes.
//!
//! Everything the report holds is computed from the model and the tally
//! alone (D is the number of draws in the tally, T and the seed are the
//! tally's), never from how the draws were split or when they ran.

use std::path::{Path, PathBuf};

use uchronia_engine::Tally;
use uchronia_report::RunInfo;

use super::LoadedModel;
use super::claims::{self, Checked};
use super::run::{report_failure, results_table};
use crate::failure::Failure;
use crate::output;

/// A finished run, ready to be written as a report.
pub struct Finished<'a> {
    /// The model the tally came from.
    pub model: &'a LoadedModel,
    /// The tally of every draw.
    pub tally: &'a Tally,
    /// Worker threads (for run.json).
    pub threads: usize,
    /// Seconds the engine ran (for run.json).
    pub elapsed_seconds: f64,
    /// The report folder, replaced as a whole.
    pub out: &'a Path,
    /// No table of results.
    pub quiet: bool,
    /// Folders inside the previous `out` (relative to it) whose files are
    /// copied into the new report: the shard folders a merge read from there.
    pub carry: &'a [PathBuf],
    /// The claims attached to `model`, judged in the report.
    pub claims: Option<&'a Checked>,
    /// The command that reproduces the report (shown in the summaries).
    pub command: String,
    /// Also write draws.parquet.
    pub parquet: bool,
    /// Print only the claims' verdicts (`uchronia claims`).
    pub verdicts_only: bool,
}

/// Summarises the tally, writes the report folder and prints the table of
/// results (unless quiet) and where the report is.
pub fn write_report(finished: &Finished) -> Result<(), Failure> {
    // Matched baselines feed the `matched` comparison rows only; every
    // other table is of the model's own scenarios.
    let full = &finished.model.loaded.model;
    let run: Vec<usize> = finished
        .tally
        .scenarios
        .iter()
        .map(|s| s.scenario)
        .collect();
    let matched = uchronia_model::baseline::matched_pairs(full, &run);
    let shown_model = uchronia_model::baseline::without_baselines(full);
    let ir = &shown_model;
    let shown_tally = Tally {
        seed: finished.tally.seed,
        draws: finished.tally.draws,
        trials_per_draw: finished.tally.trials_per_draw,
        draw_range: finished.tally.draw_range.clone(),
        scenarios: (finished.tally.scenarios.iter())
            .filter(|s| s.scenario < ir.scenarios.len())
            .cloned()
            .collect(),
    };
    let tally = &shown_tally;
    let draws = tally.scenarios.first().map_or(0, |s| s.draws.len() as u64);
    let trials = draws * tally.trials_per_draw;
    let total = trials * tally.scenarios.len() as u64;
    let seconds = finished.elapsed_seconds;
    let summary = uchronia_analysis::summarize(ir, tally);
    let info = RunInfo {
        model: finished.model.path.clone(),
        model_sha256: super::partial::sha256_hex(finished.model.source.as_bytes()),
        seed: tally.seed,
        trials,
        draws,
        trials_per_draw: tally.trials_per_draw,
        scenarios: tally
            .scenarios
            .iter()
            .map(|s| ir.scenarios[s.scenario].name.clone())
            .collect(),
        threads: finished.threads,
        version: env!("CARGO_PKG_VERSION").into(),
        elapsed_seconds: seconds,
        trials_per_second: if seconds > 0.0 {
            total as f64 / seconds
        } else {
            0.0
        },
    };
    let sensitivity = uchronia_analysis::sensitivity(ir, tally);
    let mut comparison = uchronia_analysis::compare(ir, tally);
    comparison.extend(uchronia_analysis::compare_matched(
        full,
        finished.tally,
        &matched,
    ));
    let claim_summaries = finished.claims.map(|checked| checked.evaluate(tally));
    let mut report = uchronia_report::Report::new(ir, tally, &summary, &info);
    report.command = finished.command.clone();
    report.parquet = finished.parquet;
    report.sensitivity = &sensitivity;
    report.comparison = &comparison;
    if let Some(claims) = &claim_summaries {
        report.claims = claims;
    }
    let out = finished.out;
    uchronia_report::replace_dir_carrying(out, finished.carry, |dir| {
        uchronia_report::write_into(dir, &report)
    })
    .map_err(report_failure)?;

    let mut text = String::new();
    if !finished.quiet {
        if !finished.verdicts_only {
            text.push_str(&results_table(&summary));
            text.push_str(&super::sensitivity::findings_text(
                ir,
                &comparison,
                &sensitivity,
            ));
        }
        if let Some(claims) = &claim_summaries {
            if !text.is_empty() {
                text.push('\n');
            }
            text.push_str(&claims::verdict_table(claims));
        }
        text.push_str(&format!(
            "\n{trials} trials per scenario ({draws} draws x {}), {} scenario(s), {:.1} s, {} trials/s\n",
            tally.trials_per_draw,
            tally.scenarios.len(),
            seconds,
            output::number(info.trials_per_second),
        ));
    }
    text.push_str(&format!("report written to {}\n", out.display()));
    output::print(&text);
    Ok(())
}
