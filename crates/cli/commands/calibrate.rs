//! `uchronia calibrate`: run the history file's scenario and score what the
//! model foresaw against what really happened: the history file's outcomes,
//! and every `fact` of the model's nodes that the scenario leaves free.
//!
//! The scoring is `uchronia_analysis::calibration`; this command reads the
//! files, runs the engine on the one scenario, prints the scores as a table,
//! writes `calibration.csv` and, with `--strict`, turns a missed target into
//! exit status 1. Bad input (the model, the history file, the options) is
//! refused before the engine starts, with exit status 2.

use std::path::{Component, Path, PathBuf};
use std::time::Instant;

use uchronia_analysis::calibration::{
    Calibration, EDGE_SES, Miss, SHRUG_BRIER, calibrate as score, check_targets, on_the_edge,
};
use uchronia_claims::history::{History, RealValue, Targets, parse_history};
use uchronia_pipeline::failure::report_failure;
use uchronia_pipeline::{LoadedModel, Runner, load_model};

use super::handle_ctrl_c;
use crate::args::{CalibrateArgs, ExAnteArgs};
use crate::failure::Failure;
use crate::output;

/// Runs `uchronia calibrate`.
pub fn calibrate(args: &CalibrateArgs) -> Result<(), Failure> {
    let (plan, note) = args.sampling.plan()?;
    for (flag, value) in [
        ("--min-probability", args.min_probability),
        ("--max-brier", args.max_brier),
    ] {
        if let Some(x) = value
            && !(0.0..=1.0).contains(&x)
        {
            return Err(Failure::input(format!("{flag} must be in [0, 1], not {x}")));
        }
    }
    let mut model = load_model(&args.model)?;
    let ex_ante = super::run::apply_ex_ante(&mut model, &args.ex_ante)?;
    let history_path = args
        .history
        .clone()
        .unwrap_or_else(|| default_history(&args.model));
    let mut history = load_history(&history_path, &model)?;
    // The model's own facts are scored too: the history file need not
    // repeat them.
    uchronia_claims::history::add_facts(&mut model.loaded.model, &mut history);
    let ir = &model.loaded.model;
    if let Some(written_for) = &history.model {
        warn_if_other_model(&history_path, written_for, &args.model);
    }
    let mut targets = history.targets.clone();
    if let Some(p) = args.min_probability {
        targets.min_probability = p;
    }
    if let Some(b) = args.max_brier {
        targets.max_mean_brier = b;
    }
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("reports").join(default_folder(&ir.name, &args.ex_ante)));
    crate::limits::check_memory(ir, &plan, 1)?;
    uchronia_report::check_out(&out, &crate::input::files_read(), &[]).map_err(report_failure)?;
    if let Some(note) = note {
        output::warning(&note);
    }

    let config = plan.config(args.sampling.seed, vec![history.scenario]);
    let runner = Runner::new(plan.threads)?;
    handle_ctrl_c();
    let started = Instant::now();
    let result = runner.run_loaded(&model, &config);
    let seconds = started.elapsed().as_secs_f64();
    let tally = result?;
    let calibration =
        score(ir, &tally, &history).map_err(|error| Failure::other(error.to_string()))?;
    let misses = check_targets(&calibration, &targets);
    uchronia_report::calibration::write_calibration(&out, ir, &calibration)
        .map_err(report_failure)?;

    let mut text = format!(
        "calibration of {} under scenario `{}` against {}\n{} trials ({} draws x {}), seed {}, {:.1} s\n\n",
        model.path,
        calibration.scenario,
        history_path.display(),
        plan.trials(),
        plan.draws,
        plan.trials_per_draw,
        args.sampling.seed,
        seconds,
    );
    text.push_str(&super::run::ex_ante_note(&ex_ante));
    text.push_str(&scores_table(&calibration, &misses, &targets));
    text.push('\n');
    text.push_str(&summary_lines(&calibration, &targets, &misses));
    text.push_str(&format!("calibration written to {}\n", out.display()));
    output::print(&text);

    // A miss the history file accepts is reported above, never a failure.
    let failing: Vec<&Miss> = misses.iter().filter(|m| !m.accepted).collect();
    if args.strict && !failing.is_empty() {
        let list: Vec<String> = failing.iter().map(|m| format!("  - {m}")).collect();
        return Err(Failure::other(format!(
            "{} calibration target(s) missed (--strict):\n{}",
            failing.len(),
            list.join("\n")
        )));
    }
    Ok(())
}

/// The default output folder's name under `reports/`.
fn default_folder(model: &str, ex_ante: &ExAnteArgs) -> String {
    format!("{model}-calibration{}", ex_ante.folder_suffix())
}

/// `MODEL_DIR/../data/history.toml`, written without `..` when the model's
/// folder has a parent in the path given (`models/trotsky.toml` gives
/// `data/history.toml`).
pub fn default_history(model: &Path) -> PathBuf {
    let dir = model.parent().unwrap_or(Path::new(""));
    match dir.components().next_back() {
        Some(Component::Normal(_)) => dir
            .parent()
            .unwrap_or(Path::new(""))
            .join("data")
            .join("history.toml"),
        _ => dir.join("..").join("data").join("history.toml"),
    }
}

/// Reads and checks the history file: a missing file and any mistake in it
/// are bad input (exit status 2).
fn load_history(path: &Path, model: &LoadedModel) -> Result<History, Failure> {
    let shown = path.display().to_string();
    let source = crate::input::read_text(path, "history file", "")?;
    parse_history(&shown, &source, &model.loaded.model).map_err(Failure::diagnostics)
}

/// Warns when the history file's `model` key names another file than the
/// model being scored (both resolved on disk; nothing is said when either
/// cannot be resolved).
fn warn_if_other_model(history: &Path, written_for: &str, model: &Path) {
    let base = history.parent().unwrap_or(Path::new(""));
    let (Ok(expected), Ok(given)) = (base.join(written_for).canonicalize(), model.canonicalize())
    else {
        return;
    };
    if expected != given {
        output::warning(&format!(
            "{} was written for {written_for}, not for {}",
            history.display(),
            model.display()
        ));
    }
}

/// The scores, one row per real outcome, in the history file's order.
fn scores_table(calibration: &Calibration, misses: &[Miss], targets: &Targets) -> String {
    let mut rows = vec![
        [
            "outcome",
            "real",
            "p / q50",
            "90% interval",
            "Brier",
            "P(real)",
            "rank",
            "target",
        ]
        .map(String::from)
        .to_vec(),
    ];
    for row in &calibration.rows {
        let miss = (misses.iter()).find(|m| m.outcome.as_deref() == Some(row.outcome.as_str()));
        let real = match row.real {
            RealValue::Boolean(b) => b.to_string(),
            // As written in the history file, not rounded.
            RealValue::Number(x) => x.to_string(),
        };
        let interval = match (row.q05, row.q95) {
            (Some(lo), Some(hi)) => format!("[{}, {}]", output::number(lo), output::number(hi)),
            _ => "-".into(),
        };
        let blank = |x: Option<f64>| x.map_or_else(String::new, output::number);
        rows.push(vec![
            row.outcome.clone(),
            real,
            output::maybe(row.p_or_q50),
            interval,
            // In parentheses: left out of the mean (a repeat, or given).
            match row.brier {
                Some(b) if !row.counted() => format!("({})", output::number(b)),
                b => blank(b),
            },
            blank(row.p_real),
            blank(row.percentile),
            {
                let verdict = match miss {
                    Some(m) if m.accepted => "MISSED (accepted)",
                    Some(_) => "MISSED",
                    None => "ok",
                };
                if on_the_edge(row, targets.min_probability) {
                    format!("{verdict}, on the edge")
                } else {
                    verdict.to_string()
                }
            },
        ]);
    }
    output::columns(&rows, "llrlrrrl", 0)
}

/// The mean Brier score and the targets, met or missed.
fn summary_lines(calibration: &Calibration, targets: &Targets, misses: &[Miss]) -> String {
    let booleans = calibration
        .rows
        .iter()
        .filter(|r| r.brier.is_some())
        .count();
    let mut text = match calibration.mean_brier {
        Some(b) => format!(
            "mean Brier score {} over {} distinct event(s) that the scenario leaves open (target: at most {})\n",
            output::number(b),
            calibration.events,
            targets.max_mean_brier
        ),
        None => "no boolean outcome to score\n".into(),
    };
    if let (Some(skill), Some(log)) = (calibration.brier_skill, calibration.mean_log_score) {
        text.push_str(&format!(
            "against a shrug (p = 0.5 for every event: Brier {SHRUG_BRIER}, 1 bit): Brier skill {}, mean log score {} bits\n",
            output::number(skill),
            output::number(log)
        ));
    }
    let split: Vec<String> = (calibration.brier_by_outcome().into_iter())
        .zip(["that happened", "that did not"])
        .filter_map(|((n, mean), what)| {
            let mean = mean?;
            Some(format!(
                "{n} {what}: mean Brier {}, skill {}",
                output::number(mean),
                output::number(1.0 - mean / SHRUG_BRIER)
            ))
        })
        .collect();
    if split.len() == 2 {
        text.push_str(&format!(
            "by what happened (a skill below 0 is worse than the shrug): {}\n",
            split.join("; ")
        ));
    }
    let repeats: Vec<String> = (calibration.rows.iter())
        .filter_map(|r| Some(format!("`{}` = `{}`", r.outcome, r.same_event_as.as_ref()?)))
        .collect();
    let given: Vec<String> = (calibration.rows.iter())
        .filter(|r| r.decided() && r.same_event_as.is_none())
        .map(|r| format!("`{}`", r.outcome))
        .collect();
    if booleans > calibration.events {
        text.push_str(&format!(
            "left out of these scores (Brier in parentheses above): {} row(s) that repeat an earlier event{}{}; {} row(s) the scenario decides (given, not foreseen){}{}\n",
            repeats.len(),
            if repeats.is_empty() { "" } else { ": " },
            repeats.join(", "),
            given.len(),
            if given.is_empty() { "" } else { ": " },
            given.join(", "),
        ));
    }
    let inside = if targets.numeric_inside_90 {
        ", each real number inside its 90% interval"
    } else {
        ""
    };
    text.push_str(&format!(
        "targets: each real outcome at probability {} or more, mean Brier score at most {}{inside}\n",
        targets.min_probability, targets.max_mean_brier
    ));
    let edges: Vec<String> = (calibration.rows.iter())
        .filter(|r| on_the_edge(r, targets.min_probability))
        .map(|r| {
            format!(
                "`{}` ({} ± {})",
                r.outcome,
                output::maybe(r.p_real),
                output::maybe(r.mc_se)
            )
        })
        .collect();
    if !edges.is_empty() {
        text.push_str(&format!(
            "on the edge (within {EDGE_SES} standard errors of the target: another seed could decide it the other way): {}\n",
            edges.join(", ")
        ));
    }
    let accepted = misses.iter().filter(|m| m.accepted).count();
    if misses.is_empty() {
        text.push_str("all targets met\n");
    } else if accepted == misses.len() {
        text.push_str(&format!(
            "{accepted} target(s) missed, each a miss the history file accepts (it says why); no other miss:\n"
        ));
    } else {
        text.push_str(&format!("{} target(s) missed:\n", misses.len()));
    }
    for miss in misses {
        let mark = if miss.accepted { " (accepted)" } else { "" };
        text.push_str(&format!("  - {miss}{mark}\n"));
    }
    // An acceptance whose outcome now meets its target has outlived its reason.
    let stale: Vec<String> = (targets.accepted_misses.iter())
        .filter(|name| {
            !misses
                .iter()
                .any(|m| m.outcome.as_deref() == Some(name.as_str()))
        })
        .map(|name| format!("`{name}`"))
        .collect();
    if !stale.is_empty() {
        text.push_str(&format!(
            "accepted as misses in the history file but met: {} (the acceptance can go)\n",
            stale.join(", ")
        ));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_history_sits_in_data_beside_the_models_folder() {
        assert_eq!(
            default_history(Path::new("models/trotsky.toml")),
            PathBuf::from("data/history.toml")
        );
        assert_eq!(
            default_history(Path::new("/repo/models/trotsky.toml")),
            PathBuf::from("/repo/data/history.toml")
        );
        assert_eq!(
            default_history(Path::new("trotsky.toml")),
            PathBuf::from("../data/history.toml")
        );
        assert_eq!(
            default_history(Path::new("../m/x.toml")),
            PathBuf::from("../data/history.toml")
        );
    }
}
