//! `uchronia run`: load the model (and the claims about it, see
//! [`super::claims`]), run every chosen scenario, write the report folder,
//! print a short table of results and the claims' verdicts.
//!
//! Everything that can be refused is checked before the engine starts (the
//! model, the scenarios, the sizes, the `--out` folder), so a long run is
//! never lost to a typo. A run interrupted with Ctrl-C writes nothing.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressState, ProgressStyle};
use sha2::{Digest, Sha256};
use uchronia_analysis::Summary;
use uchronia_engine::{RunConfig, RunError};
use uchronia_report::{ReportError, RunInfo};

use super::claims::{self, Selection};
use super::{cancelled, choose_scenarios, handle_ctrl_c, load_model, run_failure, thread_pool};
use crate::args::{Plan, RunArgs};
use crate::failure::Failure;
use crate::output;

/// Runs `uchronia run`.
pub fn run(args: &RunArgs) -> Result<(), Failure> {
    run_with(args, &Selection::Project)
}

/// Runs the model of `args` with the claims `selection` picks (`uchronia
/// run` and `uchronia claims` differ only there, and in `claims` printing
/// the verdicts alone).
pub fn run_with(args: &RunArgs, selection: &Selection) -> Result<(), Failure> {
    let (plan, note) = Plan::new(args.trials, args.draws, args.threads)?;
    let model = load_model(&args.model)?;
    let mut scenarios = choose_scenarios(&model.loaded.model, &args.scenarios)?;
    let checked = claims::prepare(args, &model, selection)?;
    if let Some(checked) = &checked {
        claims::add_needed_scenarios(&checked.model, &mut scenarios, &checked.claims);
    }
    // The engine runs the model with the claims attached, when there are any.
    let ir = checked.as_ref().map_or(&model.loaded.model, |c| &c.model);
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("reports").join(&ir.name));
    crate::limits::check_memory(ir, &plan, scenarios.len())?;
    let total = crate::limits::total_trials(&plan, scenarios.len() as u64, "scenario(s)")?;
    uchronia_report::check_out(&out).map_err(report_failure)?;
    if let Some(note) = note {
        output::warning(&note);
    }

    let config = RunConfig {
        seed: args.seed,
        draws: plan.draws,
        trials_per_draw: plan.trials_per_draw,
        scenarios: scenarios.clone(),
        draw_range: 0..plan.draws,
    };
    let bar = progress_bar(total, args.quiet);
    let pool = thread_pool(plan.threads)?;
    handle_ctrl_c();
    let started = Instant::now();
    let result =
        pool.install(|| uchronia_engine::run(ir, &config, &|done| bar.inc(done), &super::CANCEL));
    let elapsed = started.elapsed();
    bar.finish_and_clear();
    let tally = result.map_err(|error| match (&error, &checked) {
        (RunError::Model(runtime), Some(checked)) => checked
            .runtime_failure(runtime)
            .unwrap_or_else(|| run_failure(error, &model)),
        _ => run_failure(error, &model),
    })?;
    if cancelled() {
        return Err(Failure::interrupted());
    }

    let summary = uchronia_analysis::summarize(ir, &tally);
    let claim_summaries = checked.as_ref().map(|c| c.evaluate(&tally));
    let seconds = elapsed.as_secs_f64();
    let info = RunInfo {
        model: model.path.clone(),
        model_sha256: sha256_hex(model.source.as_bytes()),
        seed: args.seed,
        trials: plan.trials(),
        draws: plan.draws,
        trials_per_draw: plan.trials_per_draw,
        scenarios: scenarios
            .iter()
            .map(|&id| ir.scenarios[id].name.clone())
            .collect(),
        threads: plan.threads,
        version: env!("CARGO_PKG_VERSION").into(),
        elapsed_seconds: seconds,
        trials_per_second: if seconds > 0.0 {
            total as f64 / seconds
        } else {
            0.0
        },
    };
    let sensitivity = uchronia_analysis::sensitivity(ir, &tally);
    let comparison = uchronia_analysis::compare(ir, &tally);
    uchronia_report::replace_dir(&out, |dir| {
        uchronia_report::write_files(dir, &summary, &info)?;
        uchronia_report::write_analysis_files(dir, &sensitivity, &comparison)?;
        match &claim_summaries {
            Some(claims) => uchronia_report::write_claims(dir, claims),
            None => Ok(()),
        }
    })
    .map_err(report_failure)?;

    let mut text = String::new();
    if !args.quiet {
        if !matches!(selection, Selection::Only(_)) {
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
            "\n{} trials per scenario ({} draws x {}), {} scenario(s), {:.1} s, {} trials/s\n",
            plan.trials(),
            plan.draws,
            plan.trials_per_draw,
            scenarios.len(),
            seconds,
            output::number(info.trials_per_second),
        ));
    }
    text.push_str(&format!("report written to {}\n", out.display()));
    output::print(&text);
    Ok(())
}

/// A bad `--out` is the user's input (exit 2); other write failures are not.
pub fn report_failure(error: ReportError) -> Failure {
    if error.is_bad_input() {
        Failure::input(error.to_string())
    } else {
        Failure::other(error.to_string())
    }
}

/// A progress bar on stderr with speed and ETA, or a hidden one when stderr
/// is not a terminal or `--quiet` is given.
pub fn progress_bar(total: u64, quiet: bool) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(total);
    if let Ok(style) = ProgressStyle::with_template(
        "{elapsed_precise} [{wide_bar}] {percent:>3}%  {human_pos}/{human_len} trials  {rate} trials/s  ETA {eta}",
    ) {
        let rate = |state: &ProgressState, w: &mut dyn std::fmt::Write| {
            let _ = w.write_str(&output::number(state.per_sec()));
        };
        bar.set_style(style.with_key("rate", rate).progress_chars("=> "));
    }
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}

/// The results, aligned: per scenario, each boolean outcome's probability
/// and 90% credible interval over draws, each numeric outcome's mean and
/// 90% interval of its values.
fn results_table(summary: &Summary) -> String {
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
                interval(row.p_q05, row.p_q95),
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
                interval(row.q05, row.q95),
                note,
            ]);
        }
    }
    output::columns(&rows, "lllrll", 0)
}

/// `[lo, hi]` for people, or `-`.
pub fn interval(lo: Option<f64>, hi: Option<f64>) -> String {
    match (lo, hi) {
        (Some(lo), Some(hi)) => format!("[{}, {}]", output::number(lo), output::number(hi)),
        _ => "-".into(),
    }
}

/// Lowercase hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}
