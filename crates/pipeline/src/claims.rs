//! Claims in a run: finding the claims files that name the model, loading
//! them and the lexicon, and attaching the claims to the model as hidden
//! outcomes.
//!
//! Everything here happens before the engine starts: a typo in a claims
//! file exits with status 2 and its diagnostics, never after a long run.
//!
//! Where files are found. A model's *project* is the folder above the
//! model's folder (`models/trotsky.toml` -> `.`). `uchronia run` checks every
//! `<project>/data/claims/*.toml` whose `model` (relative to the claims
//! file) is the model being run, comparing canonical paths, and notes the
//! others on stderr; `--claims FILE` adds files whatever model they name.
//! The lexicon is the file `--lexicon` names; else
//! `<project>/data/estimative-words.toml` when there is one; else the one
//! built into the binary (the shipped `data/estimative-words.toml`), so that
//! a model and claims file anywhere can be run. It is read only when there
//! are claims, and run.json says which one was used.

use std::path::{Component, Path, PathBuf};

use uchronia_analysis::claims::evaluate;
use uchronia_analysis::findings::ClaimSummary;
use uchronia_claims::{Claim, ClaimsFile, Lexicon, VerdictRules};
use uchronia_engine::RuntimeError;
use uchronia_engine::tally::Tally;
use uchronia_model::{Diagnostic, Model, OutcomeId, ScenarioId, Severity};

use crate::failure::Failure;
use crate::model::LoadedModel;
use crate::observe::Observer;

/// Which claims a run checks.
#[derive(Clone, Debug)]
pub enum Selection {
    /// `uchronia run`: the project's claims files that name the model, and
    /// these files (`--claims`) whatever model they name.
    Project(Vec<PathBuf>),
    /// `uchronia claims FILE`: that file's claims only.
    Only(PathBuf),
    /// These files' claims only, in their order, whatever model they name:
    /// `uchronia crux FILE...`, and `uchronia merge` (the files the shards
    /// ran).
    Files(Vec<PathBuf>),
}

/// Which lexicon judges the claims.
#[derive(Clone, Copy, Debug)]
pub enum LexiconChoice<'a> {
    /// `--lexicon FILE` when given, else the project's, else the built-in one.
    Usual(Option<&'a Path>),
    /// The built-in one, whatever the project holds (a merge of shards that
    /// used it).
    BuiltIn,
}

/// The lexicon a run used.
#[derive(Clone, Debug)]
pub struct UsedLexicon {
    /// Its path as shown, or `built-in`.
    pub name: String,
    /// Its text: shards record its sha256, so that `merge` judges with the
    /// very same words.
    pub source: String,
}

/// The claims of a run, compiled and attached to the model.
pub struct Checked {
    /// The model with one hidden outcome per claim: the engine runs this.
    pub model: Model,
    /// The claims, file by file, in file order.
    pub claims: Vec<Claim>,
    /// The hidden outcome of each claim.
    pub outcomes: Vec<OutcomeId>,
    /// The lexicon's verdict thresholds.
    pub verdicts: VerdictRules,
    /// Each claims file's path and text, for run-time diagnostics.
    pub files: Vec<(String, String)>,
    /// The lexicon used.
    pub lexicon: UsedLexicon,
}

impl Checked {
    /// Every claim's summary from the run's tally.
    pub fn evaluate(&self, tally: &Tally) -> Vec<ClaimSummary> {
        evaluate(
            &self.model,
            tally,
            &self.claims,
            &self.outcomes,
            &self.verdicts,
        )
    }

    /// A run-time error in a claim's expression, shown at the claim in its
    /// file; `None` when the error is not about a claim.
    pub fn runtime_failure(&self, error: &RuntimeError) -> Option<Failure> {
        if !error.is_outcome {
            return None;
        }
        let position = self
            .outcomes
            .iter()
            .position(|&id| self.model.outcomes[id].name == error.node_or_outcome)?;
        let claim = &self.claims[position];
        let (path, source) = self.files.iter().find(|(path, _)| *path == claim.file)?;
        let diagnostic = Diagnostic::new(
            Severity::Error,
            path,
            source,
            Some(claim.span),
            error.to_string(),
            Some(format!(
                "the claim's event or given failed at run time: `{}`",
                claim.event_text
            )),
        );
        Some(Failure::diagnostics(diagnostic))
    }
}

/// Finds, loads and compiles the claims a run of the model at `model_path`
/// checks, and attaches them to the model. The lexicon is `lexicon`, or the
/// project's. `None` when there are no claims.
pub fn prepare(
    model_path: &Path,
    model: &LoadedModel,
    selection: &Selection,
    lexicon: LexiconChoice,
    observer: &dyn Observer,
) -> Result<Option<Checked>, Failure> {
    let project = project_of(model_path);
    let mut paths: Vec<PathBuf> = Vec::new();
    let mut parsed: Vec<ClaimsFile> = Vec::new();
    let mut errors: Vec<String> = Vec::new();
    let mut add = |path: &Path, check_model: bool| -> Result<(), Failure> {
        let canonical = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
        if paths.contains(&canonical) {
            return Ok(());
        }
        let (shown, source) = read_claims(path)?;
        let file = match uchronia_claims::parse(&shown, &source) {
            Ok(file) => file,
            Err(diagnostics) => {
                errors.push(diagnostics.to_string());
                return Ok(());
            }
        };
        let names_model = same_file(&model_of(path, &file), model_path);
        if check_model && !names_model {
            observer.note(&format!(
                "skipping {shown}: its claims are about {}, not {}",
                file.model,
                model_path.display()
            ));
            return Ok(());
        }
        if !check_model && !names_model {
            observer.note(&format!(
                "checking {shown} (written for {}) against {}",
                file.model,
                model_path.display()
            ));
        }
        paths.push(canonical);
        parsed.push(file);
        Ok(())
    };
    match selection {
        Selection::Only(path) => add(path, false)?,
        Selection::Files(paths) => {
            for path in paths {
                add(path, false)?;
            }
        }
        Selection::Project(extra) => {
            for path in project_claims(&project)? {
                add(&path, true)?;
            }
            for path in extra {
                add(path, false)?;
            }
        }
    }
    if !errors.is_empty() {
        return Err(Failure::diagnostics(errors.join("\n\n")));
    }
    if parsed.is_empty() {
        return Ok(None);
    }

    let (lexicon, used) = load_lexicon(lexicon, &project)?;
    // Dated claims (`known_through = Y`) are judged in the world as known
    // in Y: the model gets that scenario first, if it has none like it.
    // Then the matched baselines that claims name (`S~baseline`), which the
    // run's pairing of S with its baseline will find and reuse.
    let mut dated = model.loaded.model.clone();
    uchronia_claims::known::add_known_scenarios(&mut dated, &parsed);
    uchronia_claims::matched::add_matched_baselines(&mut dated, &parsed);
    let ir = &dated;
    let mut claims = Vec::new();
    for file in &parsed {
        match uchronia_claims::compile(file, ir, &lexicon) {
            Ok(compiled) => claims.extend(compiled),
            Err(diagnostics) => errors.push(diagnostics.to_string()),
        }
    }
    if !errors.is_empty() {
        return Err(Failure::diagnostics(errors.join("\n\n")));
    }
    let (extended, outcomes) = uchronia_claims::attach(ir, &claims);
    Ok(Some(Checked {
        model: extended,
        claims,
        outcomes,
        verdicts: lexicon.verdicts,
        files: parsed.into_iter().map(|f| (f.path, f.source)).collect(),
        lexicon: used,
    }))
}

/// Adds to `chosen` the scenarios the claims need that `--scenario` left
/// out, and tells `observer` so.
pub fn add_needed_scenarios(
    model: &Model,
    chosen: &mut Vec<ScenarioId>,
    claims: &[Claim],
    observer: &dyn Observer,
) {
    let mut added = Vec::new();
    for id in uchronia_claims::scenarios_needed(claims) {
        if chosen.contains(&id) {
            continue;
        }
        // A chosen scenario's matched baseline runs anyway: no news.
        let name = model.scenarios[id].name.as_str();
        let of = name.strip_suffix(uchronia_model::baseline::BASELINE_SUFFIX);
        let runs_anyway = of
            .and_then(|of| model.scenario_id(of))
            .is_some_and(|of| chosen.contains(&of));
        chosen.push(id);
        if !runs_anyway {
            added.push(name);
        }
    }
    if !added.is_empty() {
        observer.note(&format!(
            "also running scenario(s) {}: the claims need them",
            added.join(", ")
        ));
    }
}

/// A claims file's path as shown and its text; unreadable is bad input.
pub fn read_claims(path: &Path) -> Result<(String, String), Failure> {
    let shown = path.display().to_string();
    let source = crate::input::read_text(path, "claims file", "")?;
    Ok((shown, source))
}

/// The model a claims file names, resolved against the file's folder.
pub fn model_of(claims_path: &Path, file: &ClaimsFile) -> PathBuf {
    let folder = claims_path.parent().unwrap_or(Path::new(""));
    normalise(&folder.join(&file.model))
}

/// Whether two paths name the same existing file.
fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// A model's project: the folder above the model's folder.
pub fn project_of(model: &Path) -> PathBuf {
    let folder = model.parent().unwrap_or(Path::new(""));
    match folder.components().next_back() {
        Some(Component::Normal(_)) => folder.parent().unwrap_or(Path::new("")).to_path_buf(),
        _ => normalise(&folder.join("..")),
    }
}

/// `<project>/data/claims/*.toml`, sorted by name; none when the folder
/// does not exist.
fn project_claims(project: &Path) -> Result<Vec<PathBuf>, Failure> {
    let folder = project.join("data").join("claims");
    if !folder.is_dir() {
        return Ok(Vec::new());
    }
    let entries = std::fs::read_dir(&folder)
        .map_err(|error| Failure::input(format!("cannot read {}: {error}", folder.display())))?;
    let mut paths: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|e| e == "toml") && path.is_file())
        .collect();
    paths.sort();
    Ok(paths)
}

/// Reads and validates the lexicon `choice` names: `--lexicon FILE`, else
/// the project's, else the built-in one.
fn load_lexicon(choice: LexiconChoice, project: &Path) -> Result<(Lexicon, UsedLexicon), Failure> {
    let project_file = project.join("data").join("estimative-words.toml");
    let path = match choice {
        LexiconChoice::Usual(Some(path)) => path.to_path_buf(),
        LexiconChoice::Usual(None) if project_file.is_file() => project_file,
        LexiconChoice::Usual(None) | LexiconChoice::BuiltIn => {
            let used = UsedLexicon {
                name: uchronia_claims::BUILT_IN_NAME.to_string(),
                source: uchronia_claims::BUILT_IN_LEXICON.to_string(),
            };
            let lexicon = uchronia_claims::load_lexicon(&used.name, &used.source)
                .map_err(Failure::diagnostics)?;
            return Ok((lexicon, used));
        }
    };
    let shown = path.display().to_string();
    let source = crate::input::read_text(
        &path,
        "the lexicon",
        " (leave out --lexicon to use the project's or the built-in one)",
    )?;
    let lexicon = uchronia_claims::load_lexicon(&shown, &source).map_err(Failure::diagnostics)?;
    Ok((
        lexicon,
        UsedLexicon {
            name: shown,
            source,
        },
    ))
}

/// Removes `.` and folds `name/..` out of a path, without touching the
/// disk: `data/claims/../../models/m.toml` -> `models/m.toml`.
fn normalise(path: &Path) -> PathBuf {
    let mut out: Vec<Component> = Vec::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => match out.last() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                Some(Component::RootDir | Component::Prefix(_)) => {}
                _ => out.push(component),
            },
            other => out.push(other),
        }
    }
    if out.is_empty() {
        return PathBuf::from(".");
    }
    out.iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_fold_parent_folders_lexically() {
        assert_eq!(
            normalise(Path::new("data/claims/../../models/m.toml")),
            PathBuf::from("models/m.toml")
        );
        assert_eq!(
            normalise(Path::new("../x/./y.toml")),
            PathBuf::from("../x/y.toml")
        );
        assert_eq!(normalise(Path::new("a/..")), PathBuf::from("."));
    }

    #[test]
    fn the_project_is_the_folder_above_the_models_folder() {
        assert_eq!(
            project_of(Path::new("models/trotsky.toml")),
            PathBuf::from("")
        );
        assert_eq!(
            project_of(Path::new("/w/repo/models/m.toml")),
            PathBuf::from("/w/repo")
        );
        assert_eq!(project_of(Path::new("m.toml")), PathBuf::from(".."));
        assert_eq!(project_of(Path::new("./m.toml")), PathBuf::from(".."));
    }
}
