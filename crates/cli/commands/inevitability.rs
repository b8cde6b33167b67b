//! `uchronia inevitability [MODEL] [--outcome O]... [--scenario S] [--ex-ante]`:
//! Tetlock and Lebow's inevitability curves (docs/inevitability.md). For
//! each year at which a fact becomes known, and once with nothing known,
//! the probability of each outcome in the world as known through that
//! year; with `--scenario`, that scenario's own `do` and `set` are applied
//! after the facts. Every year is a scenario of one run, so the years share
//! their random numbers. Writes `inevitability.csv`, the charts and
//! `run.json` into reports/<model>-inevitability/ (replaced as a whole,
//! with the output folder's safety checks). With `--ex-ante` the params
//! with an `ex_ante` prior draw from it, as in `run` and `calibrate`, so
//! that the curve is the one seen without hindsight.

use std::path::PathBuf;
use std::time::Instant;

use uchronia_analysis::inevitability::{InevitabilityRow, curves, partition, points};
use uchronia_model::{Model, OutcomeId, OutcomeKind};
use uchronia_pipeline::failure::report_failure;
use uchronia_pipeline::partial::sha256_hex;
use uchronia_pipeline::{LoadedModel, Observer, Runner, load_model, run_failure};
use uchronia_report::RunInfo;

use super::{choose_scenarios, handle_ctrl_c};
use crate::args::{ExAnteArgs, InevitabilityArgs};
use crate::failure::Failure;
use crate::output;
use crate::progress::Terminal;

/// Runs `uchronia inevitability`.
pub fn inevitability(args: &InevitabilityArgs) -> Result<(), Failure> {
    let (plan, note) = args.sampling.plan()?;
    let mut model = load_model(&args.model)?;
    let ex_ante = super::run::apply_ex_ante(&mut model, &args.ex_ante)?;
    super::run::warn_ranges(&model, args.strict)?;
    let ir = &model.loaded.model;
    let outcomes = choose_outcomes(ir, &args.outcomes)?;
    let base = match &args.scenario {
        Some(name) => choose_scenarios(ir, std::slice::from_ref(name))?
            .first()
            .copied(),
        None => None,
    };
    let points = points(ir, base);
    if points.is_empty() {
        return Err(Failure::input(format!(
            "model {} has no node with both `year` and `fact`: nothing becomes known, so there is no curve to draw (see docs/model-format.md)",
            ir.name
        )));
    }
    // The years are the run's scenarios, in order: one pass of the engine.
    let mut timed = ir.clone();
    timed.scenarios = points.iter().map(|p| p.scenario.clone()).collect();
    let timed = LoadedModel {
        path: model.path.clone(),
        source: model.source.clone(),
        loaded: uchronia_model::Loaded {
            model: timed,
            warnings: Vec::new(),
        },
    };
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("reports").join(default_folder(&ir.name, &args.ex_ante)));
    crate::limits::check_memory(ir, &plan, points.len())?;
    let total = crate::limits::total_trials(&plan, points.len() as u64, "year(s)")?;
    uchronia_report::check_out(&out, &crate::input::files_read(), &[]).map_err(report_failure)?;
    if let Some(note) = note {
        output::warning(&note);
    }

    let observer = Terminal::new(args.quiet);
    observer.start(Some(total), 0);
    let runner = Runner::new(plan.threads)?;
    handle_ctrl_c();
    let started = Instant::now();
    let config = plan.config(args.sampling.seed, (0..points.len()).collect());
    let result = runner.run(&timed.loaded.model, &config, &|done| observer.advance(done));
    observer.finish();
    let tally = result.map_err(|error| run_failure(error, &timed))?;
    let seconds = started.elapsed().as_secs_f64();
    let rows = curves(&timed.loaded.model, &tally, &points, &outcomes);
    let stacked = partition(&tally, &outcomes);
    let info = RunInfo {
        model: model.path.clone(),
        model_sha256: sha256_hex(model.source.as_bytes()),
        seed: args.sampling.seed,
        trials: plan.trials(),
        draws: plan.draws,
        trials_per_draw: plan.trials_per_draw,
        design: tally.design,
        scenarios: points.iter().map(|p| p.scenario.name.clone()).collect(),
        threads: plan.threads,
        version: env!("CARGO_PKG_VERSION").into(),
        elapsed_seconds: seconds,
        trials_per_second: if seconds > 0.0 {
            total as f64 / seconds
        } else {
            0.0
        },
        lexicon: None,
        ex_ante: ex_ante.clone(),
    };
    uchronia_report::write_inevitability(&out, ir, &rows, stacked, &info)
        .map_err(report_failure)?;

    let mut text = String::new();
    if !args.quiet {
        text.push_str(&super::run::ex_ante_note(&ex_ante));
        text.push_str(&table(&rows));
        text.push_str(&format!(
            "\n{} year(s) x {} trials ({} draws x {}), {:.1} s{}\n",
            points.len(),
            plan.trials(),
            plan.draws,
            plan.trials_per_draw,
            seconds,
            if stacked {
                "; the outcomes cover every case: stacked chart drawn"
            } else {
                ""
            }
        ));
    }
    text.push_str(&format!("inevitability written to {}\n", out.display()));
    output::print(&text);
    Ok(())
}

/// The default output folder's name under `reports/`.
fn default_folder(model: &str, ex_ante: &ExAnteArgs) -> String {
    format!("{model}-inevitability{}", ex_ante.folder_suffix())
}

/// The outcomes named (boolean ones only), or the model's headline boolean
/// outcomes, or every boolean outcome when it has no headline.
fn choose_outcomes(model: &Model, names: &[String]) -> Result<Vec<OutcomeId>, Failure> {
    let is_boolean = |o: OutcomeId| matches!(model.outcomes[o].kind, OutcomeKind::Boolean { .. });
    if names.is_empty() {
        let headline: Vec<OutcomeId> = (model.report.headline.iter().copied())
            .filter(|&o| is_boolean(o))
            .collect();
        let chosen: Vec<OutcomeId> = if headline.is_empty() {
            (0..model.outcomes.len())
                .filter(|&o| model.outcomes[o].listed && is_boolean(o))
                .collect()
        } else {
            headline
        };
        if chosen.is_empty() {
            return Err(Failure::input(format!(
                "model {} has no boolean outcome: inevitability curves are probabilities",
                model.name
            )));
        }
        return Ok(chosen);
    }
    super::named_boolean_outcomes(model, names, "inevitability curves are probabilities")
}

/// The curves as a table: one line per year, one column per outcome
/// (`p_mean [p_q05, p_q95]`).
fn table(rows: &[InevitabilityRow]) -> String {
    let outcomes = uchronia_report::charts::inevitability::outcomes(rows);
    let mut years: Vec<(i32, usize)> = rows.iter().map(|r| (r.known_through, r.facts)).collect();
    years.dedup();
    let mut lines = vec![{
        let mut header = vec!["known through".to_string(), "facts".to_string()];
        header.extend(outcomes.iter().map(|o| o.to_string()));
        header
    }];
    for (year, facts) in years {
        let mut line = vec![year.to_string(), facts.to_string()];
        for outcome in &outcomes {
            let row = rows
                .iter()
                .find(|r| r.known_through == year && r.outcome == *outcome);
            line.push(
                match row.and_then(|r| Some((r.p_mean?, r.p_q05?, r.p_q95?))) {
                    Some((mean, lo, hi)) => format!(
                        "{} [{}, {}]",
                        output::number(mean),
                        output::number(lo),
                        output::number(hi)
                    ),
                    None => "-".into(),
                },
            );
        }
        lines.push(line);
    }
    let align: String = std::iter::repeat_n('l', lines[0].len()).collect();
    output::columns(&lines, &align, 0)
}
