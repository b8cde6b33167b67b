//! The end of `run`, `claims` and `merge`: the pipeline analyses the tally,
//! reruns the opening's effects with the ex-ante priors
//! (`uchronia_pipeline::ex_ante_check`) and writes the report folder
//! (`uchronia_pipeline::finish`), and this
//! prints what it hands back: the table of results, the findings, the
//! claims' verdicts and where the report is.

use uchronia_analysis::Summary;
use uchronia_analysis::findings::{ClaimSummary, Verdict, claim_verdict_text};
use uchronia_pipeline::ex_ante_check;
use uchronia_pipeline::finish::{self, Finished};

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
    /// Only where the posters disagree (`uchronia crux`).
    pub crux_only: bool,
}

/// Analyses the tally, writes the report folder and prints the results
/// (unless quiet) and where the report is.
pub fn report(finished: &Finished, shown: Shown) -> Result<(), Failure> {
    let mut analysed = finish::analyse(finished);
    let check = ex_ante_check::check(finished, &analysed)?;
    analysed.ex_ante = check.rows;
    finish::write_report(finished, &analysed)?;

    let ir = &analysed.model;
    let tally = &analysed.tally;
    let info = &analysed.info;
    let mut text = String::new();
    if !shown.quiet {
        if !shown.verdicts_only && !shown.crux_only {
            text.push_str(&results_table(&analysed.summary));
            text.push_str(&findings_text(
                ir,
                &analysed.comparison,
                &analysed.sensitivity,
            ));
        }
        if let Some(claims) = analysed.claims.as_ref().filter(|_| !shown.crux_only) {
            if !text.is_empty() {
                text.push('\n');
            }
            text.push_str(&verdict_table(claims));
        }
        if let Some(crux) = &analysed.crux {
            if !text.is_empty() {
                text.push('\n');
            }
            text.push_str(&crux_section(ir, crux));
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
        if !analysed.ex_ante.is_empty() {
            text.push_str(&format!(
                "ex-ante check of \"In short\": {} and its matched baseline again with {} ex-ante prior(s), {:.1} s\n",
                check.scenario, check.params, check.elapsed_seconds,
            ));
        }
    }
    text.push_str(&format!("report written to {}\n", finished.out.display()));
    output::print(&text);
    Ok(())
}

/// The results, aligned: per scenario, each boolean outcome's probability
/// and 90% credible interval over draws, each numeric outcome's mean and
/// 90% interval of its values.
pub fn results_table(summary: &Summary) -> String {
    let mut rows = vec![vec![
        "scenario".to_string(),
        "outcome".to_string(),
        "".to_string(),
        "estimate".to_string(),
        "90% interval".to_string(),
        "".to_string(),
    ]];
    let mut scenario_order: Vec<&str> = Vec::new();
    for name in summary
        .boolean
        .iter()
        .map(|r| r.scenario.as_str())
        .chain(summary.numeric.iter().map(|r| r.scenario.as_str()))
    {
        if !scenario_order.contains(&name) {
            scenario_order.push(name);
        }
    }
    for (i, scenario) in scenario_order.into_iter().enumerate() {
        if i > 0 {
            // A blank line between scenarios.
            rows.push(Vec::new());
        }
        for row in summary.boolean.iter().filter(|r| r.scenario == scenario) {
            let note = if row.undefined_draws > 0 {
                format!("({} draws undefined)", row.undefined_draws)
            } else {
                String::new()
            };
            rows.push(vec![
                scenario.to_string(),
                row.outcome.clone(),
                "p".into(),
                output::maybe(row.p_mean),
                output::interval(row.p_q05, row.p_q95),
                note,
            ]);
        }
        for row in summary.numeric.iter().filter(|r| r.scenario == scenario) {
            let note = if row.share < 1.0 {
                format!("(given in {:.1}% of trials)", 100.0 * row.share)
            } else {
                String::new()
            };
            rows.push(vec![
                scenario.to_string(),
                row.outcome.clone(),
                "mean".into(),
                output::maybe(row.mean),
                output::interval(row.q05, row.q95),
                note,
            ]);
        }
    }
    output::columns(&rows, "lllrll", 0)
}

/// The verdicts, aligned: claim, scenario, what it says, the estimate with
/// its 90% interval over draws, the credence and the verdict.
pub fn verdict_table(claims: &[ClaimSummary]) -> String {
    let mut rows = vec![
        [
            "claim",
            "scenario",
            "says",
            "estimate",
            "90% interval",
            "credence",
            "verdict",
            "",
        ]
        .map(String::from)
        .to_vec(),
    ];
    for claim in claims {
        let says = match &claim.than {
            // "about the same as history", "lower than history".
            Some(than) if claim.says.trim().ends_with("same") => {
                format!("{} as {than}", claim.says)
            }
            Some(than) => format!("{} than {than}", claim.says),
            None => claim.says.clone(),
        };
        let estimate = match (&claim.than, claim.estimate) {
            // A comparative estimate is a difference: show its sign.
            (Some(_), Some(d)) if d > 0.0 => format!("+{}", output::number(d)),
            (_, estimate) => output::maybe(estimate),
        };
        let interval = match (claim.q05, claim.q95) {
            (Some(lo), Some(hi)) => format!("[{}, {}]", output::number(lo), output::number(hi)),
            _ => "-".into(),
        };
        let credence = claim
            .credence
            .map_or_else(|| "-".into(), |c| format!("{c:.2}"));
        let note = if claim.undefined_draws > 0 && claim.verdict != Verdict::Undefined {
            format!("({} draws undefined)", claim.undefined_draws)
        } else {
            String::new()
        };
        rows.push(vec![
            claim.id.clone(),
            claim.world(),
            says,
            estimate,
            interval,
            credence,
            claim_verdict_text(claim),
            note,
        ]);
    }
    output::columns(&rows, "lllrlrll", 0)
}

/// The section "Where the posters disagree" as plain text.
fn crux_section(model: &uchronia_model::Model, crux: &uchronia_analysis::crux::Crux) -> String {
    let mut text = format!("{}\n", uchronia_report::summary::crux::TITLE);
    for line in uchronia_report::summary::crux::lines(model, crux) {
        text.push_str(&format!("  - {line}\n"));
    }
    text
}
