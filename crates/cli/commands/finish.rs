//! The end of `run`, `claims` and `merge`: the pipeline analyses the tally
//! and writes the report folder (`uchronia_pipeline::finish`), and this
//! prints what it hands back: the table of results, the findings, the
//! claims' verdicts and where the report is.

use uchronia_pipeline::finish::{self, Finished};

use super::claims::verdict_table;
use super::run::results_table;
use super::sensitivity::findings_text;
use crate::failure::Failure;
use crate::output;

/// What to print of a finished run.
#[derive(Clone, Copy, Debug)]
pub struct Shown {
    /// Only where the report is.
    pub quiet: bool,
    /// Only the claims' verdicts (`uchronia claims`).
    pub verdicts_only: bool,
}

/// Analyses the tally, writes the report folder and prints the results
/// (unless quiet) and where the report is.
pub fn report(finished: &Finished, shown: Shown) -> Result<(), Failure> {
    let analysed = finish::analyse(finished);
    finish::write_report(finished, &analysed)?;

    let ir = &finished.model.loaded.model;
    let tally = finished.tally;
    let info = &analysed.info;
    let mut text = String::new();
    if !shown.quiet {
        if !shown.verdicts_only {
            text.push_str(&results_table(&analysed.summary));
            text.push_str(&findings_text(
                ir,
                &analysed.comparison,
                &analysed.sensitivity,
            ));
        }
        if let Some(claims) = &analysed.claims {
            if !text.is_empty() {
                text.push('\n');
            }
            text.push_str(&verdict_table(claims));
        }
        text.push_str(&format!(
            "\n{} trials per scenario ({} draws x {}), {} scenario(s), {:.1} s, {} trials/s\n",
            info.trials,
            info.draws,
            tally.trials_per_draw,
            tally.scenarios.len(),
            info.elapsed_seconds,
            output::number(info.trials_per_second),
        ));
    }
    text.push_str(&format!("report written to {}\n", finished.out.display()));
    output::print(&text);
    Ok(())
}
