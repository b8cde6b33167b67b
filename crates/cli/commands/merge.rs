//! `uchronia merge DIR... --out DIR`: the partial results of
//! `run --shard I/N` combined into the report one unsharded run writes.
//!
//! Every part is checked before anything is written: all are finished
//! shards of one command (same model sha256, seed, sizes, scenarios, number
//! of shards and uchronia version), none is given twice and none is missing.
//! The model file is read again (from the path the shards recorded, or
//! `--model`) and must have the sha256 they ran. The tallies are merged
//! exactly (`uchronia_engine::merge`) and the report is written by the same
//! function as `run`'s, so the CSV files are byte-identical to an unsharded
//! run's. When the shards ran claims, their files (and the lexicon) are
//! read again, must have the sha256 the shards recorded, and are attached to
//! the model as the run attached them: the claims are judged from the
//! shards' tallies and claims.csv is the unsharded run's too.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use uchronia_pipeline::claims::{self, Checked, LexiconChoice, Selection};
use uchronia_pipeline::failure::report_failure;
use uchronia_pipeline::finish::Finished;
use uchronia_pipeline::partial::{self, Kind, PARTIAL_FILE, Partial};
use uchronia_pipeline::{LoadedModel, load_model};

use super::finish::{self, Shown};
use crate::args::MergeArgs;
use crate::failure::Failure;
use crate::progress::Terminal;

/// One part as given on the command line.
struct Part {
    /// The folder (or file) given.
    given: PathBuf,
    /// What it holds.
    partial: Partial,
}

/// Runs `uchronia merge`.
pub fn merge(args: &MergeArgs) -> Result<(), Failure> {
    let parts = args
        .parts
        .iter()
        .map(|given| read_part(given))
        .collect::<Result<Vec<Part>, Failure>>()?;
    let Some(first) = parts.first() else {
        return Err(Failure::input("give the folders of the shards to merge"));
    };
    let header = first.partial.header.clone();
    for part in &parts[1..] {
        let differences = header.differences(&part.partial.header, true);
        if !differences.is_empty() {
            return Err(Failure::input(format!(
                "{} and {} come from different runs ({}): only the shards of one command merge",
                part.given.display(),
                first.given.display(),
                differences.join("; ")
            )));
        }
    }
    check_complete(&parts)?;

    let plain = find_model(args.model.as_deref(), &header)?;
    let claim_paths = check_claims(&header)?;
    let checked = attach_claims(&plain, &header, &claim_paths, args)?;
    // The shards ran the model with their claims attached (hidden outcomes).
    let mut model = match &checked {
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
    // The run added the worlds of its dated claims and the matched
    // baselines its claims name (attaching the claims added them already),
    // then its scenarios' other matched baselines: add the same ones, in the
    // same order.
    uchronia_claims::known::restore_known_scenarios(&mut model.loaded.model, &header.scenarios);
    let mut chosen: Vec<usize> = (header.scenarios.iter())
        .filter_map(|name| model.loaded.model.scenario_id(name))
        .collect();
    uchronia_model::baseline::add_baselines(&mut model.loaded.model, &mut chosen);
    let threads = parts.iter().map(|p| p.partial.threads).max().unwrap_or(1);
    let elapsed_seconds = parts.iter().map(|p| p.partial.elapsed_seconds).sum();
    let givens: Vec<PathBuf> = parts.iter().map(|p| p.given.clone()).collect();
    let tally = uchronia_engine::merge::merge(parts.into_iter().map(|p| p.partial.tally).collect())
        .map_err(|error| Failure::input(format!("cannot merge the shards: {error}")))?;
    if tally.draw_range != (0..header.draws) {
        return Err(Failure::input(format!(
            "the shards hold draws {}..{}, not all of 0..{}",
            tally.draw_range.start, tally.draw_range.end, header.draws
        )));
    }
    let scenarios_match = tally.scenarios.len() == header.scenarios.len()
        && tally
            .scenarios
            .iter()
            .zip(&header.scenarios)
            .all(|(s, name)| {
                model
                    .loaded
                    .model
                    .scenarios
                    .get(s.scenario)
                    .is_some_and(|scenario| &scenario.name == name)
            });
    if !scenarios_match {
        return Err(Failure::input(
            "the shards' scenarios do not match the model's: they are damaged",
        ));
    }

    let out = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("reports").join(&header.model_name));
    let carry = folders_inside(&out, &givens);
    uchronia_report::check_out(&out, &crate::input::files_read(), &carry)
        .map_err(report_failure)?;
    let finished = Finished {
        model: &model,
        tally: &tally,
        threads,
        elapsed_seconds,
        out: &out,
        carry: &carry,
        claims: checked.as_ref(),
        // A shard knows the one-process command; shards from before it
        // was recorded leave the summaries' plain `uchronia run` line.
        command: header.command.as_ref().map_or_else(String::new, |command| {
            let mut words = vec![command.clone()];
            words.extend(super::run::report_flags(&args.report));
            words.extend([
                "--out".into(),
                super::run::shell_word(&out.display().to_string()),
            ]);
            words.join(" ")
        }),
        parquet: false,
        full: args.report.full,
        standalone: args.report.standalone,
        crux: false,
        ex_ante_check: !args.report.no_ex_ante_check,
    };
    let shown = Shown {
        quiet: args.quiet,
        verdicts_only: false,
        crux_only: false,
    };
    finish::report(&finished, shown)
}

/// Reads the partial result in folder (or file) `given`.
fn read_part(given: &Path) -> Result<Part, Failure> {
    let file = if given.is_dir() {
        let file = given.join(PARTIAL_FILE);
        if !file.is_file() {
            return Err(Failure::input(format!(
                "{} holds no partial result (no {PARTIAL_FILE}): give the --out folders of `uchronia run --shard I/N`",
                given.display()
            )));
        }
        file
    } else if given.is_file() {
        given.to_path_buf()
    } else {
        return Err(Failure::input(format!(
            "{} does not exist",
            given.display()
        )));
    };
    crate::input::note_input(&file);
    let partial = partial::read(&file)?;
    if partial.header.kind != Kind::Shard || partial.header.shard.is_none() {
        return Err(Failure::input(format!(
            "{} is a checkpoint of an unfinished run, not a shard's result: rerun its command to finish it",
            file.display()
        )));
    }
    Ok(Part {
        given: given.to_path_buf(),
        partial,
    })
}

/// Every shard from 1 to N once.
fn check_complete(parts: &[Part]) -> Result<(), Failure> {
    let mut seen: BTreeMap<u64, &Path> = BTreeMap::new();
    let mut count = 0;
    for part in parts {
        let Some(shard) = part.partial.header.shard else {
            continue;
        };
        count = shard.count;
        if let Some(earlier) = seen.insert(shard.index, &part.given) {
            return Err(Failure::input(format!(
                "shard {}/{} is given twice: {} and {}",
                shard.index,
                shard.count,
                earlier.display(),
                part.given.display()
            )));
        }
    }
    let missing: Vec<String> = (1..=count)
        .filter(|index| !seen.contains_key(index))
        .map(|index| format!("{index}/{count}"))
        .collect();
    if !missing.is_empty() {
        let (noun, verb) = if missing.len() == 1 {
            ("shard", "is")
        } else {
            ("shards", "are")
        };
        return Err(Failure::input(format!(
            "{noun} {} {verb} missing: a merge needs all {count} parts (run them with the same options and `--shard I/{count}`)",
            missing.join(", ")
        )));
    }
    Ok(())
}

/// The model the shards ran: `--model`, else the path they recorded (as
/// given, then absolute), with the sha256 they recorded.
fn find_model(given: Option<&Path>, header: &partial::Header) -> Result<LoadedModel, Failure> {
    let path = match given {
        Some(path) => path.to_path_buf(),
        None => {
            let recorded = PathBuf::from(&header.model.path);
            let absolute = header.model.absolute.as_ref().map(PathBuf::from);
            match absolute {
                Some(absolute) if !recorded.is_file() && absolute.is_file() => absolute,
                _ if recorded.is_file() => recorded,
                _ => {
                    return Err(Failure::input(format!(
                        "cannot find the model the shards ran at {}{}: give it with --model FILE",
                        header.model.path,
                        header
                            .model
                            .absolute
                            .as_ref()
                            .map(|a| format!(" or {a}"))
                            .unwrap_or_default()
                    )));
                }
            }
        }
    };
    let model = load_model(&path)?;
    let sha256 = partial::sha256_hex(model.source.as_bytes());
    if sha256 != header.model.sha256 {
        return Err(Failure::input(format!(
            "model {} has sha256 {sha256}, but the shards ran a model with sha256 {} ({}): give the file they ran with --model FILE",
            model.path, header.model.sha256, header.model.path
        )));
    }
    Ok(model)
}

/// The claims files the shards recorded still hold what they ran: their
/// paths (as recorded, else absolute), in the run's order.
fn check_claims(header: &partial::Header) -> Result<Vec<PathBuf>, Failure> {
    let mut paths = Vec::new();
    for claims in &header.claims {
        let recorded = PathBuf::from(&claims.path);
        let path = match &claims.absolute {
            Some(absolute) if !recorded.is_file() => PathBuf::from(absolute),
            _ => recorded,
        };
        crate::input::note_input(&path);
        let bytes = std::fs::read(&path).map_err(|error| {
            Failure::input(format!(
                "cannot read the claims file the shards ran, {}: {error}",
                claims.path
            ))
        })?;
        let sha256 = partial::sha256_hex(&bytes);
        if sha256 != claims.sha256 {
            return Err(Failure::input(format!(
                "claims file {} has sha256 {sha256}, but the shards ran one with sha256 {}",
                claims.path, claims.sha256
            )));
        }
        paths.push(path);
    }
    Ok(paths)
}

/// The shards' claims, compiled with the lexicon they were judged with and
/// attached to the model as the run attached them; `None` without claims.
fn attach_claims(
    model: &LoadedModel,
    header: &partial::Header,
    paths: &[PathBuf],
    args: &MergeArgs,
) -> Result<Option<Checked>, Failure> {
    if paths.is_empty() {
        return Ok(None);
    }
    let Some(recorded) = &header.lexicon else {
        return Err(Failure::input(
            "the shards ran claims but recorded no lexicon (they were written by an older uchronia): rerun them with this one",
        ));
    };
    let given = args.lexicon.as_deref();
    let built_in = recorded.path == uchronia_claims::BUILT_IN_NAME && recorded.absolute.is_none();
    let file = match given {
        Some(path) => Some(path.to_path_buf()),
        None if built_in => None,
        None => {
            let path = PathBuf::from(&recorded.path);
            match &recorded.absolute {
                Some(absolute) if !path.is_file() => Some(PathBuf::from(absolute)),
                _ => Some(path),
            }
        }
    };
    // The same words, or no verdicts: checked before the file is parsed.
    let (shown, bytes) = match &file {
        Some(file) => {
            crate::input::note_input(file);
            let bytes = std::fs::read(file).map_err(|error| {
                Failure::input(format!(
                    "cannot read the lexicon the shards used, {}: {error} (give it with --lexicon FILE)",
                    file.display()
                ))
            })?;
            (file.display().to_string(), bytes)
        }
        None => (
            uchronia_claims::BUILT_IN_NAME.to_string(),
            uchronia_claims::BUILT_IN_LEXICON.as_bytes().to_vec(),
        ),
    };
    let sha256 = partial::sha256_hex(&bytes);
    if sha256 != recorded.sha256 {
        return Err(Failure::input(format!(
            "the lexicon {shown} has sha256 {sha256}, but the shards judged their claims with one of sha256 {} ({}): give that file with --lexicon FILE",
            recorded.sha256, recorded.path
        )));
    }
    let choice = match &file {
        Some(file) => LexiconChoice::Usual(Some(file)),
        None => LexiconChoice::BuiltIn,
    };
    let observer = Terminal::new(args.quiet);
    let model_path = Path::new(&model.path);
    claims::prepare(
        model_path,
        model,
        &Selection::Files(paths.to_vec()),
        choice,
        &observer,
    )
}

/// The folders among `given` that lie inside `out`, relative to it: a new
/// report there would replace them, so they are carried over into it.
fn folders_inside(out: &Path, given: &[PathBuf]) -> Vec<PathBuf> {
    let Ok(out) = std::fs::canonicalize(out) else {
        return Vec::new();
    };
    given
        .iter()
        .filter_map(|g| {
            if g.is_dir() {
                Some(g.as_path())
            } else {
                g.parent()
            }
        })
        .filter_map(|g| std::fs::canonicalize(g).ok())
        .filter_map(|g| g.strip_prefix(&out).ok().map(Path::to_path_buf))
        .filter(|relative| !relative.as_os_str().is_empty())
        .collect()
}
