//! The command line, as clap derive structs that mirror the text.
//!
//! Parsing only checks shapes (a number is a number); the rules that tie
//! options together (`--trials` at least `--draws`, no zero counts) are
//! checked by [`SamplingArgs::plan`] so that each gets its own clear
//! message. The names and flags are a fixed contract (docs/commands.md).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use uchronia_pipeline::{Plan, Shard};

use crate::failure::Failure;

/// The model `run`, `bench` and friends use when none is given.
pub const DEFAULT_MODEL: &str = "models/trotsky.toml";

/// uchronia answers "what if?" questions about history with numbers.
#[derive(Debug, Parser)]
#[command(name = "uchronia", version, about, propagate_version = true)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run every scenario of a model and write the report folder.
    Run(RunArgs),
    /// Validate a model and print what it contains; exit 0 when valid.
    Check(CheckArgs),
    /// Measure throughput, with the random-number limit beside it.
    Bench(BenchArgs),
    /// Score the model's reference scenario against what really happened.
    ///
    /// Runs the history file's scenario (its `scenario` key, default the
    /// model's first), then scores each real outcome: a boolean one by its
    /// probability, 90% interval and Brier score (p - y)^2; a numeric one by
    /// whether the real value lies in the 90% interval of the model's values,
    /// and by its percentile rank. Prints a table, writes calibration.csv.
    /// Exit status: 0 when scored (whatever the scores); 1 with --strict when
    /// a target is missed; 2 for bad input (an unknown outcome, a number for a
    /// boolean outcome, ...). See docs/calibration.md.
    Calibrate(CalibrateArgs),
    /// Print the model's graph as Graphviz DOT, or with --svg as a picture.
    ///
    /// The DOT text renders with Graphviz (`dot -Tsvg`); --svg draws an SVG
    /// picture with uchronia's own layered layout, no Graphviz needed.
    ///
    /// Parameters are grey ellipses; nodes are boxes (boolean blue,
    /// categorical yellow and rounded, numeric green, derived dashed);
    /// outcomes are violet double octagons. With --scenario, the nodes its
    /// `do` sets and the parameters its `set` replaces are red with
    /// `= value`, and the edges into a set node are dashed grey (cut). The
    /// text is sorted, so the same model gives the same bytes.
    Graph(GraphArgs),
    /// Fix one parameter at each of a range of values in turn and report
    /// each outcome's probability (docs/sensitivity.md).
    Sweep(SweepArgs),
    /// Inevitability curves: each outcome's probability as the facts become
    /// known, year by year (docs/inevitability.md).
    ///
    /// One point per year at which a fact becomes known (the last year of a
    /// node with `year` and `fact`), plus one with nothing known; each with
    /// its 90% interval over the parameter draws. All the years run in one
    /// pass with common random numbers. Writes inevitability.csv and
    /// inevitability_<outcome>.png (and inevitability_stacked.png when the
    /// outcomes cover every case) into --out.
    Inevitability(InevitabilityArgs),
    /// Check one claims file against its model: run the model and write the
    /// report with that file's claims (claims.csv and the verdicts).
    Claims(ClaimsArgs),
    /// What each poster's claims commit them to, and the belief that
    /// separates two posters (docs/crux.md).
    ///
    /// Runs the model with the claims, then, per author: the parameter draws
    /// in which all their claims hold, the implied 5/50/95% of every
    /// parameter against its prior, their world's outcome probabilities, and
    /// a smallest set of their claims that cannot hold together; per pair of
    /// authors, the parameters ranked by the gap between their implied
    /// medians. Writes posters.csv, crux.csv, worlds.csv and conflicts.csv
    /// with the rest of the report, into reports/<model name>-crux/.
    Crux(CruxArgs),
    /// Combine the partial results of `run --shard I/N` into one report.
    Merge(MergeArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell or
    /// elvish) on stdout; docs/commands.md says where to install it.
    Completions(CompletionsArgs),
    /// Print the manual page (roff) on stdout, or with --dir write one page
    /// per command (uchronia.1, uchronia-run.1, ...) into a folder.
    Man(ManArgs),
    /// Write a starter model from a template: a succession struggle, an
    /// alliance choice, or a war and its outcome (--list shows them). Every
    /// line is explained, the numbers are placeholders to source, and the
    /// model passes `check --strict` as written (docs/writing-a-model.md).
    New(NewArgs),
}

/// The default cap of `--max-draws`.
pub const DEFAULT_MAX_DRAWS: u64 = 1_000_000;

/// `uchronia run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// The model file.
    #[arg(value_name = "MODEL", default_value = DEFAULT_MODEL)]
    pub model: PathBuf,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub options: RunOptions,
    /// Also check the claims of this file (repeat for several), besides those
    /// of <project>/data/claims/ that name the model.
    #[arg(long = "claims", value_name = "FILE")]
    pub claims: Vec<PathBuf>,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub scale: ScaleArgs,
    /// Refuse to run (exit status 2) when `check --strict` would fail: the
    /// model's warnings (confounded scenarios, ranges, dead ends, missing
    /// docs) count as errors; notes on sourcing do not.
    #[arg(long)]
    pub strict: bool,
}

/// How a long run is split, saved and sized: the options `run` and `claims`
/// share for scaling out (docs/scale-out.md).
#[derive(Clone, Debug, Args)]
pub struct ScaleArgs {
    /// Run only part I of N of the parameter draws (I from 1 to N, as Slurm
    /// array indices and GNU parallel's {#}) and write a partial result,
    /// `partial.json`, into --out [default: reports/<model name>/shard-I-of-N/].
    /// `uchronia merge` combines the N parts into the report an unsharded run
    /// writes, byte for byte. See docs/scale-out.md.
    #[arg(long, value_name = "I/N", value_parser = parse_shard)]
    pub shard: Option<Shard>,
    /// Save progress to FILE after each batch of parameter draws. Rerunning
    /// the same command after a crash, a kill or Ctrl-C resumes from it, with
    /// the same report as an uninterrupted run; FILE is removed when the run
    /// completes.
    #[arg(long, value_name = "FILE")]
    pub checkpoint: Option<PathBuf>,
    /// Add parameter draws, 100 at a time, until every boolean outcome's 95%
    /// interval on its probability (1.96 x mc_se) has half-width at most E in
    /// every scenario. Trials per draw stay --trials / --draws.
    #[arg(long, value_name = "E", value_parser = parse_precision)]
    pub precision: Option<f64>,
    /// With --precision: stop at this many parameter draws even if the
    /// target is not reached.
    #[arg(long, value_name = "D", default_value_t = DEFAULT_MAX_DRAWS, value_parser = parse_count)]
    pub max_draws: u64,
}

/// How much to sample and from which seed: the run options of every command
/// that runs the engine for a report (`run`, `claims`, `sweep`,
/// `calibrate`). The defaults are `run`'s; `sweep` and `calibrate` set
/// their own with `mut_arg`.
#[derive(Clone, Debug, Args)]
pub struct SamplingArgs {
    /// Total trials per scenario, spread over the parameter draws (N / D each,
    /// rounded down). Underscores are allowed: 10_000_000.
    #[arg(long, value_name = "N", default_value = "10_000_000", value_parser = parse_count)]
    pub trials: u64,
    /// Parameter draws (the outer loop: what we do not know about the world).
    #[arg(long, value_name = "D", default_value = "1_000", value_parser = parse_count)]
    pub draws: u64,
    /// Seed of every random stream; the same seed gives the same numbers.
    #[arg(long, value_name = "S", default_value_t = 1)]
    pub seed: u64,
    /// Worker threads [default: all cores]. The numbers do not depend on it.
    #[arg(long, value_name = "K")]
    pub threads: Option<usize>,
}

impl SamplingArgs {
    /// The validated size of the run, and a note when `--trials` is not a
    /// multiple of `--draws`.
    pub fn plan(&self) -> Result<(Plan, Option<String>), Failure> {
        Plan::new(self.trials, self.draws, self.threads)
    }
}

/// The options `run` and `claims` share.
#[derive(Clone, Debug, Args)]
pub struct RunOptions {
    #[command(flatten)]
    #[allow(missing_docs)]
    pub sampling: SamplingArgs,
    /// Run only this scenario (repeat for several) [default: all, in file order].
    #[arg(long = "scenario", value_name = "NAME")]
    pub scenarios: Vec<String>,
    /// The report folder [default: reports/<model name>/]. It is replaced as a
    /// whole when the run completes.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// No progress bar and no table of results (errors and warnings still go
    /// to stderr; the report's path is still printed).
    #[arg(long)]
    pub quiet: bool,
    /// The lexicon of estimative words [default: data/estimative-words.toml
    /// in the model's project (the folder above the model's) when there is
    /// one, else the lexicon built into uchronia].
    #[arg(long, value_name = "FILE")]
    pub lexicon: Option<PathBuf>,
    /// Also write draws.parquet: one row per scenario and parameter draw,
    /// with each parameter's value and each outcome's per-draw result.
    #[arg(long)]
    pub parquet: bool,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub report: ReportArgs,
    /// How the parameter draws fill the priors: `random` (independent
    /// draws) or `lhs` (Latin hypercube: each param's D draws fall one in
    /// each of D equal-probability strata of its prior).
    #[arg(long, value_enum, value_name = "DESIGN", default_value_t = DesignArg::Random)]
    pub design: DesignArg,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub ex_ante: ExAnteArgs,
}

/// `--ex-ante` and `--ex-ante-group` (`run`, `claims`, `crux`, `calibrate`,
/// `inevitability`): the model as seen without hindsight, whole or in part.
#[derive(Debug, Args, Clone, Default)]
pub struct ExAnteArgs {
    /// Draw every param that has an `ex_ante` prior from it instead of its
    /// own: the model as seen without hindsight (the default output folder
    /// gains `-ex-ante`; not with --shard or --checkpoint).
    #[arg(long, conflicts_with = "groups")]
    pub ex_ante: bool,
    /// Like --ex-ante, but only the params whose `ex_ante_group` is NAME
    /// (repeat for several); the others keep their own priors (the default
    /// output folder gains `-ex-ante-NAME`).
    #[arg(long = "ex-ante-group", value_name = "NAME")]
    pub groups: Vec<String>,
}

impl ExAnteArgs {
    /// Whether any prior is to be swapped.
    pub fn wanted(&self) -> bool {
        self.ex_ante || !self.groups.is_empty()
    }

    /// What the default output folder's name gains: `-ex-ante`, or
    /// `-ex-ante-NAME...` for groups; nothing without the flags.
    pub fn folder_suffix(&self) -> String {
        match (self.wanted(), self.groups.is_empty()) {
            (false, _) => String::new(),
            (true, true) => "-ex-ante".into(),
            (true, false) => format!("-ex-ante-{}", self.groups.join("-")),
        }
    }
}

/// How much the report keeps, how summary.html shows its charts, and
/// whether "In short" is checked with the ex-ante priors (`run`, `claims`,
/// `crux`, `merge`).
#[derive(Clone, Copy, Debug, Default, Args)]
pub struct ReportArgs {
    /// Keep every row of sensitivity.csv and crux.csv [default: only the
    /// rows of parameters that can reach the outcome with a correlation
    /// beyond noise, and the crux gaps beyond their worlds' noise].
    #[arg(long)]
    pub full: bool,
    /// Inline the charts in summary.html, to send it alone [default: it
    /// links the PNG files beside it].
    #[arg(long)]
    pub standalone: bool,
    /// Do not rerun the effects that "In short" names with the ex-ante
    /// priors [default: on a model with `ex_ante` priors, a run without
    /// --ex-ante reruns that scenario and its matched baseline with them and
    /// says what they give].
    #[arg(long)]
    pub no_ex_ante_check: bool,
}

/// `--design`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum DesignArg {
    /// Independent draws.
    Random,
    /// Latin hypercube sampling.
    Lhs,
}

impl DesignArg {
    /// The engine's design.
    pub fn design(self) -> uchronia_engine::Design {
        match self {
            DesignArg::Random => uchronia_engine::Design::Random,
            DesignArg::Lhs => uchronia_engine::Design::Lhs,
        }
    }
}

/// `uchronia claims`: the options of `run`, with a claims file in place of
/// the model (the file names its model).
#[derive(Debug, Args)]
pub struct ClaimsArgs {
    /// The claims file; its `model` key names the model, relative to it.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub options: RunOptions,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub scale: ScaleArgs,
}

impl ClaimsArgs {
    /// The `run` options these stand for, with the claims file's model and
    /// only that file's claims.
    pub fn run_args(&self, model: PathBuf) -> RunArgs {
        RunArgs {
            model,
            options: self.options.clone(),
            claims: Vec::new(),
            scale: self.scale.clone(),
            strict: false,
        }
    }
}

/// `uchronia crux`: the options of `run`, with claims files to compare.
#[derive(Debug, Args)]
pub struct CruxArgs {
    /// Claims files [default: the claims files in <project>/data/claims/
    /// that name the model].
    #[arg(value_name = "CLAIMS")]
    pub claims: Vec<PathBuf>,
    /// The model file [default: the model the first claims file names, or
    /// models/trotsky.toml without claims files].
    #[arg(long, value_name = "MODEL")]
    pub model: Option<PathBuf>,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub options: RunOptions,
}

impl CruxArgs {
    /// The `run` options these stand for, with the model `model`.
    pub fn run_args(&self, model: PathBuf) -> RunArgs {
        RunArgs {
            model,
            options: self.options.clone(),
            claims: Vec::new(),
            scale: ScaleArgs {
                shard: None,
                checkpoint: None,
                precision: None,
                max_draws: DEFAULT_MAX_DRAWS,
            },
            strict: false,
        }
    }
}

/// `uchronia merge`.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// Folders written by `run --shard I/N` (or their partial.json files),
    /// one per part, in any order.
    #[arg(value_name = "DIR", required = true)]
    pub parts: Vec<PathBuf>,
    /// The report folder [default: reports/<model name>/]. It is replaced as
    /// a whole; shard folders inside it are carried over into the new one.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// The model file [default: the path the shards recorded]. Its sha256
    /// must match the one the shards ran.
    #[arg(long, value_name = "FILE")]
    pub model: Option<PathBuf>,
    /// The lexicon the shards' claims were judged with [default: the path
    /// the shards recorded, or the built-in one]. Its sha256 must match.
    #[arg(long, value_name = "FILE")]
    pub lexicon: Option<PathBuf>,
    /// No table of results.
    #[arg(long)]
    pub quiet: bool,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub report: ReportArgs,
}

/// `uchronia check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The model file.
    #[arg(value_name = "MODEL")]
    pub model: PathBuf,
    /// Instead of the model's contents, list what this outcome depends on:
    /// its parameters ordered by influence (measured by a quick run of 200
    /// draws x 2,000 trials, seed 1) and its nodes by graph distance.
    #[arg(long, value_name = "OUTCOME")]
    pub explain: Option<String>,
    /// The scenario of `--explain` [default: the reference, the first].
    #[arg(long, value_name = "NAME", requires = "explain")]
    pub scenario: Option<String>,
    /// Warnings count as errors (exit status 2): confounded scenarios,
    /// ranges that can leave their domain, dead ends, missing docs. Notes on
    /// sourcing (source keys that data/sources.toml does not define) never do.
    #[arg(long, conflicts_with = "explain")]
    pub strict: bool,
}

/// `uchronia sweep`.
#[derive(Debug, Args)]
#[command(mut_arg("trials", |arg| arg
    .default_value("1_000_000")
    .help("Total trials per scenario for each value, spread over the draws")))]
#[command(mut_arg("draws", |arg| arg
    .help("Parameter draws for each value (the same draws for every value)")))]
#[command(mut_arg("seed", |arg| arg
    .help("Seed of every random stream, the same for every value")))]
pub struct SweepArgs {
    /// The model file.
    #[arg(value_name = "MODEL", default_value = DEFAULT_MODEL)]
    pub model: PathBuf,
    /// The parameter to fix at each value in turn.
    #[arg(long, value_name = "NAME")]
    pub param: String,
    /// The values: LO:HI:STEP, HI included (e.g. 0.2:0.6:0.05; at most 1,000
    /// values). Write `--values=-1:1:0.5` or `--values -1:1:0.5` for negative values.
    #[arg(long, value_name = "LO:HI:STEP", allow_hyphen_values = true)]
    pub values: String,
    /// Report this boolean outcome (repeat for several) [default: the
    /// model's headline outcomes, or every boolean outcome].
    #[arg(long = "outcome", value_name = "NAME")]
    pub outcomes: Vec<String>,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub sampling: SamplingArgs,
    /// Run only this scenario (repeat for several) [default: all, in file order].
    #[arg(long = "scenario", value_name = "NAME")]
    pub scenarios: Vec<String>,
    /// The output folder [default: reports/<model name>-sweep-<param>/].
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// No progress bar and no table of results.
    #[arg(long)]
    pub quiet: bool,
}

/// `uchronia inevitability` (see [`Command::Inevitability`]).
#[derive(Debug, Args)]
#[command(mut_arg("trials", |arg| arg
    .default_value("1_000_000")
    .help("Total trials for each year, spread over the draws")))]
#[command(mut_arg("draws", |arg| arg
    .default_value("500")
    .help("Parameter draws (the same draws for every year)")))]
#[command(mut_arg("seed", |arg| arg
    .help("Seed of every random stream, the same for every year")))]
pub struct InevitabilityArgs {
    /// The model file.
    #[arg(value_name = "MODEL", default_value = DEFAULT_MODEL)]
    pub model: PathBuf,
    /// Draw the curve of this boolean outcome (repeat for several)
    /// [default: the model's headline outcomes, or every boolean outcome].
    #[arg(long = "outcome", value_name = "NAME")]
    pub outcomes: Vec<String>,
    /// Apply this scenario's `do` and `set` after the facts at every year
    /// (the curves of a counterfactual world) [default: the facts alone].
    #[arg(long, value_name = "NAME")]
    pub scenario: Option<String>,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub sampling: SamplingArgs,
    /// The output folder [default: reports/<model name>-inevitability/,
    /// with -ex-ante... after it under --ex-ante]. It is replaced as a whole.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// No progress bar and no table of results.
    #[arg(long)]
    pub quiet: bool,
    /// Refuse to run (exit status 2) when `check --strict` would fail.
    #[arg(long)]
    pub strict: bool,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub ex_ante: ExAnteArgs,
}

/// `uchronia bench`.
#[derive(Debug, Args)]
pub struct BenchArgs {
    /// The model file.
    #[arg(value_name = "MODEL", default_value = DEFAULT_MODEL)]
    pub model: PathBuf,
    /// Total trials per scenario for each measurement.
    #[arg(long, value_name = "N", default_value = "2_000_000", value_parser = parse_count)]
    pub trials: u64,
    /// Parameter draws for each measurement.
    #[arg(long, value_name = "D", default_value = "100", value_parser = parse_count)]
    pub draws: u64,
    /// Worker threads of the main measurement [default: all cores].
    #[arg(long, value_name = "K")]
    pub threads: Option<usize>,
}

/// `uchronia calibrate` (see [`Command::Calibrate`]).
#[derive(Debug, Args)]
#[command(mut_arg("trials", |arg| arg
    .default_value("1_000_000")
    .help("Total trials, spread over the parameter draws")))]
#[command(mut_arg("draws", |arg| arg.default_value("500").help("Parameter draws")))]
pub struct CalibrateArgs {
    /// The model file.
    #[arg(value_name = "MODEL", default_value = DEFAULT_MODEL)]
    pub model: PathBuf,
    /// The history file [default: data/history.toml beside the model's
    /// folder, i.e. MODEL_DIR/../data/history.toml].
    #[arg(value_name = "HISTORY")]
    pub history: Option<PathBuf>,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub sampling: SamplingArgs,
    /// The folder for calibration.csv [default: reports/<model name>-calibration/,
    /// with -ex-ante... after it under --ex-ante]. It is replaced as a whole.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub ex_ante: ExAnteArgs,
    /// Exit with status 1 when a calibration target is missed (the targets
    /// are the history file's [targets], default: each real outcome at
    /// probability 0.3 or more, mean Brier score 0.2 or less, each real
    /// number inside its 90% interval).
    #[arg(long)]
    pub strict: bool,
    /// Override the target: each real boolean outcome's probability (of what
    /// happened) at least P.
    #[arg(long, value_name = "P")]
    pub min_probability: Option<f64>,
    /// Override the target: mean Brier score at most B.
    #[arg(long, value_name = "B")]
    pub max_brier: Option<f64>,
}

/// `uchronia graph` (see [`Command::Graph`]).
#[derive(Debug, Args)]
pub struct GraphArgs {
    /// The model file.
    #[arg(value_name = "MODEL", default_value = DEFAULT_MODEL)]
    pub model: PathBuf,
    /// Mark this scenario's interventions.
    #[arg(long, value_name = "NAME")]
    pub scenario: Option<String>,
    /// Draw the parameters [default: only when the model has at most 40].
    #[arg(long, conflicts_with = "no_params")]
    pub params: bool,
    /// Leave the parameters out (nodes and outcomes only).
    #[arg(long)]
    pub no_params: bool,
    /// Print an SVG picture instead of DOT text, laid out by uchronia
    /// itself (no Graphviz needed): `uchronia graph --svg > graph.svg`.
    #[arg(long)]
    pub svg: bool,
}

/// `uchronia completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_name = "SHELL", value_enum)]
    pub shell: clap_complete::Shell,
}

/// `uchronia man`.
#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write uchronia.1 and one page per command into this folder (created
    /// if absent; pages of the same names are overwritten) instead of
    /// printing uchronia.1 on stdout.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

/// `uchronia new`.
#[derive(Debug, Args)]
pub struct NewArgs {
    /// The model file to write; it must not exist (its folder is created).
    #[arg(value_name = "FILE", required_unless_present = "list")]
    pub file: Option<PathBuf>,
    /// The template [default: succession].
    #[arg(long, value_name = "NAME")]
    pub template: Option<String>,
    /// List the templates, one a line, and write nothing.
    #[arg(long, conflicts_with_all = ["file", "template"])]
    pub list: bool,
}

/// Parses a count such as `200000`, `200_000` or `2e5` (an exact integer).
fn parse_count(text: &str) -> Result<u64, String> {
    let digits: String = text.chars().filter(|c| *c != '_').collect();
    if let Ok(n) = digits.parse::<u64>() {
        return Ok(n);
    }
    let is_scientific = digits.contains(['e', 'E'])
        && digits
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, 'e' | 'E' | '.' | '+'));
    if is_scientific && let Ok(x) = digits.parse::<f64>() {
        // 2^53: every integer below it is exact in an f64.
        if x >= 0.0 && x.fract() == 0.0 && x <= 9_007_199_254_740_992.0 {
            return Ok(x as u64);
        }
    }
    Err(format!(
        "'{text}' is not a whole number (write e.g. 200000, 200_000 or 2e5)"
    ))
}

/// Parses `I/N` with 1 <= I <= N.
fn parse_shard(text: &str) -> Result<Shard, String> {
    let usage = || format!("'{text}' is not a shard: write I/N with 1 <= I <= N, e.g. 3/16");
    let (index, count) = text.split_once('/').ok_or_else(usage)?;
    let index: u64 = index.trim().parse().map_err(|_| usage())?;
    let count: u64 = count.trim().parse().map_err(|_| usage())?;
    if count == 0 {
        return Err(format!(
            "'{text}': the number of shards N must be at least 1"
        ));
    }
    if index == 0 || index > count {
        return Err(format!(
            "'{text}': the shard index I must be from 1 to N = {count} (shards are numbered from 1, as Slurm array indices are)"
        ));
    }
    Ok(Shard { index, count })
}

/// Parses a precision target: a number in (0, 0.5].
fn parse_precision(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(e) if e > 0.0 && e <= 0.5 => Ok(e),
        _ => Err(format!(
            "'{text}' is not a precision target: give the largest half-width of a 95% interval on a probability, a number above 0 and at most 0.5, e.g. 0.005"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_parse_from_one_to_n_and_refuse_the_rest() {
        assert_eq!(
            parse_shard("3/16"),
            Ok(Shard {
                index: 3,
                count: 16
            })
        );
        assert_eq!(parse_shard("1/1"), Ok(Shard { index: 1, count: 1 }));
        for bad in ["0/4", "5/4", "1/0", "1", "a/4", "2/b", "-1/4", "1/4/2", ""] {
            assert!(parse_shard(bad).is_err(), "{bad} refused");
        }
    }

    #[test]
    fn precision_targets_are_positive_and_at_most_a_half() {
        assert_eq!(parse_precision("0.005"), Ok(0.005));
        for bad in ["0", "-0.01", "0.6", "nan", "inf", "x"] {
            assert!(parse_precision(bad).is_err(), "{bad} refused");
        }
    }

    #[test]
    fn counts_accept_underscores_and_exact_scientific_forms() {
        assert_eq!(parse_count("200_000"), Ok(200_000));
        assert_eq!(parse_count("2e5"), Ok(200_000));
        assert_eq!(parse_count("1.5E3"), Ok(1500));
        assert!(parse_count("1.5e0").is_err());
        assert!(parse_count("-3").is_err());
        assert!(parse_count("ten").is_err());
    }

    #[test]
    fn each_command_keeps_its_own_sampling_defaults() {
        let parse = |words: &[&str]| Cli::try_parse_from(words).expect("parses");
        let sampling = |cli: Cli| match cli.command {
            Command::Run(args) => args.options.sampling,
            Command::Claims(args) => args.options.sampling,
            Command::Crux(args) => args.options.sampling,
            Command::Sweep(args) => args.sampling,
            Command::Calibrate(args) => args.sampling,
            Command::Inevitability(args) => args.sampling,
            other => panic!("not a sampling command: {other:?}"),
        };
        let sizes = |s: SamplingArgs| (s.trials, s.draws, s.seed, s.threads);
        let sweep = [
            "uchronia", "sweep", "m.toml", "--param", "p", "--values", "0:1:1",
        ];
        assert_eq!(
            sizes(sampling(parse(&["uchronia", "run"]))),
            (10_000_000, 1000, 1, None)
        );
        assert_eq!(
            sizes(sampling(parse(&["uchronia", "claims", "c.toml"]))),
            (10_000_000, 1000, 1, None)
        );
        assert_eq!(sizes(sampling(parse(&sweep))), (1_000_000, 1000, 1, None));
        assert_eq!(
            sizes(sampling(parse(&["uchronia", "calibrate"]))),
            (1_000_000, 500, 1, None)
        );
        let given = [
            "uchronia",
            "calibrate",
            "--trials",
            "2e3",
            "--seed",
            "7",
            "--threads",
            "3",
        ];
        assert_eq!(sizes(sampling(parse(&given))), (2000, 500, 7, Some(3)));
    }

    #[test]
    fn the_pipeline_records_the_binarys_version() {
        assert_eq!(uchronia_pipeline::VERSION, env!("CARGO_PKG_VERSION"));
    }
}
