//! `uchronia run`: load the model, run every chosen scenario, write the
//! report folder, print a short table of results.
//!
//! Everything that can be refused is checked before the engine starts (the
//! model, the scenarios, the sizes, the `--out` folder, a checkpoint of
//! another command), so a long run is never lost to a typo. A run
//! interrupted with Ctrl-C writes no report (a checkpoint keeps its last
//! complete batch). With `--shard I/N` the run covers its part of the draws
//! and writes a partial result for `uchronia merge` instead of a report;
//! `--checkpoint` and `--precision` run the draws in batches
//! (`uchronia_pipeline::batches`). The report itself is written by
//! [`finish::report`](super::finish::report), shared with `merge`.

use std::path::{Path, PathBuf};

use uchronia_engine::RunConfig;
use uchronia_model::Check;
use uchronia_pipeline::batches::{self, Job, PRECISION_BATCH};
use uchronia_pipeline::claims::{self, LexiconChoice, Selection};
use uchronia_pipeline::failure::report_failure;
use uchronia_pipeline::finish::Finished;
use uchronia_pipeline::partial::{
    self, Header, HeaderSettings, Kind, PARTIAL_FILE, Partial, PrecisionHeader,
};
use uchronia_pipeline::{LoadedModel, Plan, Shard, load_model};
use uchronia_report::ReportError;

use super::{choose_scenarios, handle_ctrl_c};
use crate::args::{DesignArg, ExAnteArgs, RunArgs};
use crate::failure::Failure;
use crate::output;
use crate::progress::Terminal;

/// Shows the model's range warnings (what can stop the run with a model
/// error) and chronology warnings (a node reading its future) on stderr; with `--strict`, refuses the model when `check
/// --strict` would.
pub fn warn_ranges(model: &LoadedModel, strict: bool) -> Result<(), Failure> {
    let warnings = &model.loaded.warnings;
    if strict && let Some(failure) = super::check::strict_failure(warnings) {
        return Err(failure);
    }
    for warning in warnings
        .iter()
        .filter(|w| matches!(w.check, Check::Range | Check::Chronology))
    {
        output::diagnostic(warning);
    }
    Ok(())
}

/// Runs `uchronia run`.
pub fn run(args: &RunArgs) -> Result<(), Failure> {
    run_with(args, &Selection::Project(args.claims.clone()), false)
}

/// Runs the model of `args` with the claims `selection` picks (`uchronia
/// run` and `uchronia claims` differ only there, and in `claims` printing
/// the verdicts alone). `crux` is `uchronia crux`: the crux analysis even
/// for one author, its own default folder, and only its section printed.
pub fn run_with(args: &RunArgs, selection: &Selection, crux: bool) -> Result<(), Failure> {
    let (plan, note) = args.options.sampling.plan()?;
    let mut plain = load_model(&args.model)?;
    if args.options.ex_ante.wanted() {
        use_ex_ante_priors(&mut plain, &args.options.ex_ante, &args.scale)?;
    }
    warn_ranges(&plain, args.strict)?;
    let mut scenarios = choose_scenarios(&plain.loaded.model, &args.options.scenarios)?;
    let observer = Terminal::new(args.options.quiet);
    let checked = claims::prepare(
        &args.model,
        &plain,
        selection,
        LexiconChoice::Usual(args.options.lexicon.as_deref()),
        &observer,
    )?;
    if crux && checked.is_none() {
        return Err(Failure::input(format!(
            "no claims about {}: uchronia crux compares posters' claims (give claims files, uchronia crux FILE..., or put them in data/claims/ of the model's project)",
            args.model.display()
        )));
    }
    if let Some(checked) = &checked {
        claims::add_needed_scenarios(&checked.model, &mut scenarios, &checked.claims, &observer);
    }
    super::confounders::check_run(&plain, &scenarios, args.strict)?;
    // The engine runs the model with the claims attached, when there are any:
    // each claim is a hidden outcome, tallied with common random numbers.
    let model = match &checked {
        Some(checked) => LoadedModel {
            path: plain.path.clone(),
            source: plain.source.clone(),
            loaded: uchronia_model::Loaded {
                model: checked.model.clone(),
                warnings: Vec::new(),
            },
        },
        None => plain,
    };
    // Each diverging scenario's matched baseline runs in the same pass.
    let mut model = model;
    uchronia_model::baseline::add_baselines(&mut model.loaded.model, &mut scenarios);
    let ir = &model.loaded.model;
    check_modes(args, &plan)?;
    let out = args.options.out.clone().unwrap_or_else(|| match crux {
        true => PathBuf::from("reports").join(format!("{}-crux", ir.name)),
        false if args.options.ex_ante.wanted() => PathBuf::from("reports").join(format!(
            "{}{}",
            ir.name,
            args.options.ex_ante.folder_suffix()
        )),
        false => default_out(&ir.name, args.scale.shard),
    });
    crate::limits::check_memory(ir, &plan, scenarios.len())?;
    crate::limits::total_trials(&plan, scenarios.len() as u64, "scenario(s)")?;
    if let Some(checkpoint) = &args.scale.checkpoint {
        check_checkpoint_path(checkpoint)?;
        crate::input::note_input(checkpoint);
    }
    uchronia_report::check_out(&out, &crate::input::files_read(), &[]).map_err(report_failure)?;
    if let Some(note) = note {
        output::warning(&note);
    }

    let claim_files: Vec<(String, Vec<u8>)> = checked.as_ref().map_or_else(Vec::new, |c| {
        c.files
            .iter()
            .map(|(path, source)| (path.clone(), source.clone().into_bytes()))
            .collect()
    });
    let precision = args.scale.precision.map(|half_width| PrecisionHeader {
        half_width,
        max_draws: args.scale.max_draws,
    });
    // With a precision target D grows batch by batch up to the cap; the
    // engine's draws do not depend on D, only on their index.
    let draws = precision.map_or(plan.draws, |p| p.max_draws);
    let settings = HeaderSettings {
        model: &model,
        claims: &claim_files,
        lexicon: checked.as_ref().map(|c| &c.lexicon),
        seed: args.options.sampling.seed,
        draws,
        trials_per_draw: plan.trials_per_draw,
        scenarios: scenarios
            .iter()
            .map(|&id| ir.scenarios[id].name.clone())
            .collect(),
        shard: args.scale.shard,
        precision,
        design: args.options.design.design(),
        command: Some(command_words(args, &plan, selection, crux).join(" ")),
    };
    let checkpoint_header = Header::new(Kind::Checkpoint, &settings);
    let range = args
        .scale
        .shard
        .map_or(0..draws, |shard| shard.range(draws));
    let batch = if precision.is_some() {
        PRECISION_BATCH
    } else if args.scale.checkpoint.is_some() {
        batches::checkpoint_batch(
            range.end - range.start,
            plan.trials_per_draw,
            scenarios.len() as u64,
        )
    } else {
        (range.end - range.start).max(1)
    };
    let job = Job {
        model: &model,
        config: RunConfig {
            seed: args.options.sampling.seed,
            draws,
            trials_per_draw: plan.trials_per_draw,
            scenarios: scenarios.clone(),
            draw_range: range.clone(),
            design: args.options.design.design(),
        },
        range: range.clone(),
        batch,
        checkpoint: args
            .scale
            .checkpoint
            .as_deref()
            .map(|path| (path, &checkpoint_header)),
        precision: args.scale.precision,
        threads: plan.threads,
        claims: checked.as_ref(),
    };
    handle_ctrl_c();
    let done = batches::execute(&job, &observer)?;

    if let Some(shard) = args.scale.shard {
        let partial = Partial {
            header: Header::new(Kind::Shard, &settings),
            elapsed_seconds: done.elapsed_seconds,
            threads: plan.threads,
            tally: done.tally,
        };
        uchronia_report::replace_dir(&out, |dir| {
            let path = dir.join(PARTIAL_FILE);
            partial::write_file(&path, &partial).map_err(|source| ReportError::Io { path, source })
        })
        .map_err(report_failure)?;
        remove_checkpoint(args.scale.checkpoint.as_deref());
        let mut text = String::new();
        if !args.options.quiet {
            text.push_str(&format!(
                "shard {}/{}: draws {}..{} of {} ({} trials each, {} scenario(s)), {:.1} s\n",
                shard.index,
                shard.count,
                range.start,
                range.end,
                draws,
                plan.trials_per_draw,
                scenarios.len(),
                done.elapsed_seconds,
            ));
        }
        text.push_str(&format!(
            "partial result written to {}\n",
            out.join(PARTIAL_FILE).display()
        ));
        output::print(&text);
        return Ok(());
    }

    if let (Some(target), Some(widest)) = (args.scale.precision, &done.precision) {
        let final_draws = done.tally.draw_range.end;
        let size = format!(
            "{final_draws} draws x {} trials = {} trials per scenario",
            plan.trials_per_draw,
            final_draws * plan.trials_per_draw
        );
        let place = format!(
            "widest 95% half-width {} ({} in {})",
            output::number(widest.half_width),
            widest.outcome,
            widest.scenario
        );
        if widest.half_width <= target {
            output::print(&format!(
                "precision {target} reached with {size}; {place}\n"
            ));
        } else {
            output::warning(&format!(
                "precision {target} not reached: stopped at --max-draws {} ({size}); {place}. Raise --max-draws, or --trials per draw, to go further",
                args.scale.max_draws
            ));
        }
    }
    let finished = Finished {
        model: &model,
        tally: &done.tally,
        threads: plan.threads,
        elapsed_seconds: done.elapsed_seconds,
        out: &out,
        carry: &[],
        claims: checked.as_ref(),
        command: command_line(args, &plan, &out, selection, crux),
        parquet: args.options.parquet,
        full: args.options.report.full,
        standalone: args.options.report.standalone,
        crux,
        ex_ante_check: !args.options.report.no_ex_ante_check,
    };
    let shown = super::finish::Shown {
        quiet: args.options.quiet,
        verdicts_only: matches!(selection, Selection::Only(_)),
        crux_only: crux,
    };
    super::finish::report(&finished, shown)?;
    remove_checkpoint(args.scale.checkpoint.as_deref());
    Ok(())
}

/// Refuses options that do not go together.
fn check_modes(args: &RunArgs, plan: &Plan) -> Result<(), Failure> {
    if let Some(shard) = args.scale.shard {
        if args.scale.precision.is_some() {
            return Err(Failure::input(
                "--shard and --precision do not go together: shards split a number of draws fixed in advance, a precision target decides it as it runs",
            ));
        }
        if shard.count > plan.draws {
            return Err(Failure::input(format!(
                "--shard {}/{}: more shards than parameter draws ({}); use at most {} shards or more --draws",
                shard.index, shard.count, plan.draws, plan.draws
            )));
        }
    }
    if args.scale.precision.is_some() && args.options.design == DesignArg::Lhs {
        return Err(Failure::input(
            "--design lhs and --precision do not go together: Latin hypercube strata divide a number of draws fixed in advance, a precision target decides it as it runs",
        ));
    }
    if args.scale.precision.is_some() && args.scale.max_draws == 0 {
        return Err(Failure::input("--max-draws must be at least 1"));
    }
    Ok(())
}

/// `reports/<model>/`, or `reports/<model>/shard-I-of-N/` for a shard.
/// `--ex-ante`: every param with an `ex_ante` prior draws from it. Shards
/// and checkpoints do not record it, so it is refused beside them rather
/// than let a merge mix the two kinds of run.
fn use_ex_ante_priors(
    model: &mut LoadedModel,
    ex_ante: &ExAnteArgs,
    scale: &crate::args::ScaleArgs,
) -> Result<(), Failure> {
    if scale.shard.is_some() || scale.checkpoint.is_some() {
        return Err(Failure::input(
            "--ex-ante cannot be combined with --shard or --checkpoint: their files do not record it",
        ));
    }
    apply_ex_ante(model, ex_ante).map(|_| ())
}

/// Gives every param with an `ex_ante` prior that prior (`run`, `claims`,
/// `crux`, `calibrate` and `inevitability` with `--ex-ante`), or only those
/// of the groups `--ex-ante-group` names, and returns their names. A group
/// no param has, or a model without any ex-ante prior, is bad input, since
/// the flag would change nothing.
pub(super) fn apply_ex_ante(
    model: &mut LoadedModel,
    ex_ante: &ExAnteArgs,
) -> Result<Vec<String>, Failure> {
    if !ex_ante.wanted() {
        return Ok(Vec::new());
    }
    let known = model.loaded.model.ex_ante_groups();
    for group in &ex_ante.groups {
        if !known.contains(&group.as_str()) {
            let hint = match super::nearest(group, &known) {
                Some(near) => format!(" (did you mean '{near}'?)"),
                None if known.is_empty() => " (it has none)".to_string(),
                None => format!(" (its groups: {})", known.join(", ")),
            };
            return Err(Failure::input(format!(
                "--ex-ante-group {group}: no param of {} has `ex_ante_group = \"{group}\"`{hint}",
                model.path
            )));
        }
    }
    let changed = model.loaded.model.use_ex_ante_priors(&ex_ante.groups);
    if changed.is_empty() {
        return Err(Failure::input(format!(
            "--ex-ante: no param of {} has an `ex_ante` prior, so there is nothing to change",
            model.path
        )));
    }
    Ok(changed)
}

/// The line `calibrate` and `inevitability` print before their tables
/// when `--ex-ante` changed some params (empty when it changed none).
pub(super) fn ex_ante_note(changed: &[String]) -> String {
    if changed.is_empty() {
        return String::new();
    }
    let names: Vec<String> = changed.iter().map(|n| format!("`{n}`")).collect();
    format!(
        "ex ante: {} param(s) draw from their `ex_ante` prior, not the one set with hindsight: {}\n\n",
        changed.len(),
        names.join(", ")
    )
}

fn default_out(model: &str, shard: Option<Shard>) -> PathBuf {
    let report = PathBuf::from("reports").join(model);
    match shard {
        Some(shard) => report.join(format!("shard-{}-of-{}", shard.index, shard.count)),
        None => report,
    }
}

/// A checkpoint must be a file whose folder exists (it is created).
fn check_checkpoint_path(path: &Path) -> Result<(), Failure> {
    if path.is_dir() {
        return Err(Failure::input(format!(
            "--checkpoint {} is a folder: give a file name, e.g. {}/run.checkpoint",
            path.display(),
            path.display()
        )));
    }
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|error| {
            Failure::input(format!(
                "cannot create the folder of --checkpoint {}: {error}",
                path.display()
            ))
        })?;
    }
    Ok(())
}

/// Removes a finished run's checkpoint (and a stray `.tmp` from a kill).
fn remove_checkpoint(path: Option<&Path>) {
    if let Some(path) = path {
        let _ = std::fs::remove_file(path);
        let mut temp = path.as_os_str().to_owned();
        temp.push(".tmp");
        let _ = std::fs::remove_file(PathBuf::from(temp));
    }
}

/// The command that reproduces this run, with every setting that changes
/// the numbers spelled out (defaults may change between versions).
fn command_line(
    args: &RunArgs,
    plan: &Plan,
    out: &std::path::Path,
    selection: &Selection,
    crux: bool,
) -> String {
    let mut words = command_words(args, plan, selection, crux);
    words.extend(report_flags(&args.options.report));
    words.push("--out".into());
    words.push(shell_word(&out.display().to_string()));
    words.join(" ")
}

/// The flags that shape the report folder but not its numbers, as the
/// reproduce command spells them. `merge` takes its own, so shards leave
/// them out of the command they record.
pub(crate) fn report_flags(report: &crate::args::ReportArgs) -> Vec<String> {
    let mut words = Vec::new();
    if report.full {
        words.push("--full".into());
    }
    if report.standalone {
        words.push("--standalone".into());
    }
    if report.no_ex_ante_check {
        words.push("--no-ex-ante-check".into());
    }
    words
}

/// [`command_line`] but for its `--out` and [`report_flags`]: the same for
/// every shard of a run, so that `merge` can show it with its own.
fn command_words(args: &RunArgs, plan: &Plan, selection: &Selection, crux: bool) -> Vec<String> {
    let model = shell_word(&args.model.display().to_string());
    let mut words = vec!["uchronia".to_string()];
    match (crux, selection) {
        (true, Selection::Files(files)) => {
            words.push("crux".into());
            words.extend(files.iter().map(|f| shell_word(&f.display().to_string())));
            words.extend(["--model".into(), model]);
        }
        (true, _) => words.extend(["crux".into(), "--model".into(), model]),
        // `uchronia claims FILE` judges that file's claims only; `run`
        // with the same model would judge the project's claims instead.
        (false, Selection::Only(file)) => {
            words.extend(["claims".into(), shell_word(&file.display().to_string())])
        }
        (false, _) => words.extend(["run".into(), model]),
    }
    words.extend([
        "--trials".into(),
        plan.trials().to_string(),
        "--draws".into(),
        plan.draws.to_string(),
        "--seed".into(),
        args.options.sampling.seed.to_string(),
    ]);
    if args.options.design == DesignArg::Lhs {
        words.push("--design".into());
        words.push("lhs".into());
    }
    for scenario in &args.options.scenarios {
        words.push("--scenario".into());
        words.push(shell_word(scenario));
    }
    if let Some(precision) = args.scale.precision {
        // The draws a precision target ends with depend only on the target,
        // the cap and the trials per draw: the same flags give the same report.
        words.push("--precision".into());
        words.push(precision.to_string());
        words.push("--max-draws".into());
        words.push(args.scale.max_draws.to_string());
    }
    for claims in &args.claims {
        words.push("--claims".into());
        words.push(shell_word(&claims.display().to_string()));
    }
    if let Some(lexicon) = &args.options.lexicon {
        words.push("--lexicon".into());
        words.push(shell_word(&lexicon.display().to_string()));
    }
    if args.options.parquet {
        words.push("--parquet".into());
    }
    words
}

/// `word` quoted for a POSIX shell when it holds anything but plain characters.
pub(crate) fn shell_word(word: &str) -> String {
    let plain = !word.is_empty()
        && word.chars().all(|c| {
            c.is_ascii_alphanumeric() || matches!(c, '/' | '.' | '_' | '-' | ':' | '=' | ',')
        });
    if plain {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}
