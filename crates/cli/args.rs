//! The command line, as clap derive structs that mirror the text.
//!
//! Parsing only checks shapes (a number is a number); the rules that tie
//! options together (`--trials` at least `--draws`, no zero counts) are
//! checked by [`RunArgs::plan`] so that each gets its own clear message.
//! The names and flags are a fixed contract (ARCHITECTURE.md, "Command line").

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

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
    /// Check one claims file against its model: run the model and write the
    /// report with that file's claims (claims.csv and the verdicts).
    Claims(ClaimsArgs),
    /// Combine the partial results of `run --shard I/N` into one report.
    Merge(MergeArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell or
    /// elvish) on stdout; docs/commands.md says where to install it.
    Completions(CompletionsArgs),
    /// Print the manual page (roff) on stdout, or with --dir write one page
    /// per command (uchronia.1, uchronia-run.1, ...) into a folder.
    Man(ManArgs),
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
    /// Refuse to run (exit status 2) when `check --strict` would fail: the
    /// model's warnings (confounded scenarios, ranges, dead ends, missing
    /// docs) count as errors; notes on sourcing do not.
    #[arg(long)]
    pub strict: bool,
}

/// The options `run` and `claims` share.
#[derive(Clone, Debug, Args)]
pub struct RunOptions {
    /// Total trials per scenario, spread over the parameter draws (N / D each,
    /// rounded down). Underscores are allowed: 10_000_000.
    #[arg(long, value_name = "N", default_value = "10_000_000", value_parser = parse_count)]
    pub trials: u64,
    /// Parameter draws (the outer loop: what we do not know about the world).
    #[arg(long, value_name = "D", default_value = "1_000", value_parser = parse_count)]
    pub draws: u64,
    /// Seed of every random stream; the same seed gives the same report.
    #[arg(long, value_name = "S", default_value_t = 1)]
    pub seed: u64,
    /// Worker threads [default: all cores]. The report does not depend on it.
    #[arg(long, value_name = "K")]
    pub threads: Option<usize>,
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
    /// in the model's project, the folder above the model's].
    #[arg(long, value_name = "FILE")]
    pub lexicon: Option<PathBuf>,
    /// Also write draws.parquet: one row per scenario and parameter draw,
    /// with each parameter's value and each outcome's per-draw result.
    #[arg(long)]
    pub parquet: bool,
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
}

impl ClaimsArgs {
    /// The `run` options these stand for, with the claims file's model and
    /// only that file's claims.
    pub fn run_args(&self, model: PathBuf) -> RunArgs {
        RunArgs {
            model,
            options: self.options.clone(),
            claims: Vec::new(),
            shard: None,
            checkpoint: None,
            precision: None,
            max_draws: DEFAULT_MAX_DRAWS,
            strict: false,
        }
    }
}

/// Part `index` of `count` (1-based): `--shard I/N`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    /// I, from 1 to N.
    pub index: u64,
    /// N, at least 1.
    pub count: u64,
}

impl Shard {
    /// The draws of this part of `0..draws`: contiguous, in order, and of
    /// sizes that differ by at most one (the first `draws % N` parts hold one
    /// more).
    pub fn range(&self, draws: u64) -> std::ops::Range<u64> {
        let (base, extra) = (draws / self.count, draws % self.count);
        let start = |k: u64| k * base + k.min(extra);
        start(self.index - 1)..start(self.index)
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
    /// No table of results.
    #[arg(long)]
    pub quiet: bool,
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
    /// Total trials per scenario for each value, spread over the draws.
    #[arg(long, value_name = "N", default_value = "1_000_000", value_parser = parse_count)]
    pub trials: u64,
    /// Parameter draws for each value (the same draws for every value).
    #[arg(long, value_name = "D", default_value = "1_000", value_parser = parse_count)]
    pub draws: u64,
    /// Seed of every random stream, the same for every value.
    #[arg(long, value_name = "S", default_value_t = 1)]
    pub seed: u64,
    /// Worker threads [default: all cores]. The results do not depend on it.
    #[arg(long, value_name = "K")]
    pub threads: Option<usize>,
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
pub struct CalibrateArgs {
    /// The model file.
    #[arg(value_name = "MODEL", default_value = DEFAULT_MODEL)]
    pub model: PathBuf,
    /// The history file [default: data/history.toml beside the model's
    /// folder, i.e. MODEL_DIR/../data/history.toml].
    #[arg(value_name = "HISTORY")]
    pub history: Option<PathBuf>,
    /// Total trials, spread over the parameter draws.
    #[arg(long, value_name = "N", default_value = "1_000_000", value_parser = parse_count)]
    pub trials: u64,
    /// Parameter draws.
    #[arg(long, value_name = "D", default_value = "500", value_parser = parse_count)]
    pub draws: u64,
    /// Seed of every random stream.
    #[arg(long, value_name = "S", default_value_t = 1)]
    pub seed: u64,
    /// Worker threads [default: all cores]. The scores do not depend on it.
    #[arg(long, value_name = "K")]
    pub threads: Option<usize>,
    /// The folder for calibration.csv [default: reports/<model name>-calibration/].
    /// It is replaced as a whole.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
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

/// D draws of T trials each: a validated size of run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Plan {
    /// D: parameter draws.
    pub draws: u64,
    /// T: trials per draw.
    pub trials_per_draw: u64,
    /// Worker threads.
    pub threads: usize,
}

impl Plan {
    /// Checks `--trials`, `--draws` and `--threads` together and splits the
    /// trials over the draws. Returns the plan and, when N is not a multiple
    /// of D, a note saying how many trials will really run.
    pub fn new(
        trials: u64,
        draws: u64,
        threads: Option<usize>,
    ) -> Result<(Plan, Option<String>), Failure> {
        if draws == 0 {
            return Err(Failure::input("--draws must be at least 1"));
        }
        if draws > crate::limits::MAX_DRAWS {
            return Err(Failure::input(format!(
                "--draws {draws} is more than the limit of {}: every draw keeps its own tally, so memory grows with --draws (a few thousand draws give the credible intervals to two digits)",
                crate::limits::MAX_DRAWS
            )));
        }
        if trials < draws {
            return Err(Failure::input(format!(
                "--trials ({trials}) must be at least --draws ({draws}): every parameter draw needs at least one trial"
            )));
        }
        let threads = match threads {
            Some(0) => return Err(Failure::input("--threads must be at least 1")),
            Some(threads) if threads > crate::limits::MAX_THREADS => {
                return Err(Failure::input(format!(
                    "--threads {threads} is more than the limit of {} (this machine has {} cores)",
                    crate::limits::MAX_THREADS,
                    available_threads()
                )));
            }
            Some(threads) => threads,
            None => available_threads(),
        };
        let trials_per_draw = trials / draws;
        let note = (!trials.is_multiple_of(draws)).then(|| {
            format!(
                "--trials {trials} is not a multiple of --draws {draws}: running {draws} draws x {trials_per_draw} trials = {} trials per scenario",
                draws * trials_per_draw
            )
        });
        let plan = Plan {
            draws,
            trials_per_draw,
            threads,
        };
        Ok((plan, note))
    }

    /// D x T: trials per scenario.
    pub fn trials(&self) -> u64 {
        self.draws * self.trials_per_draw
    }
}

/// The number of cores this process may use (1 when unknown).
pub fn available_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
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
    fn shard_ranges_tile_the_draws_with_sizes_differing_by_at_most_one() {
        for (draws, count) in [(10, 3), (1000, 16), (7, 7), (5, 8), (1, 1), (100, 1)] {
            let mut next = 0;
            let mut sizes = Vec::new();
            for index in 1..=count {
                let range = Shard { index, count }.range(draws);
                assert_eq!(range.start, next, "{draws} draws, shard {index}/{count}");
                next = range.end;
                sizes.push(range.end - range.start);
            }
            assert_eq!(next, draws);
            let (min, max) = (sizes.iter().min(), sizes.iter().max());
            assert!(
                max.zip(min).is_some_and(|(max, min)| max - min <= 1),
                "{sizes:?}"
            );
        }
        assert_eq!(Shard { index: 1, count: 3 }.range(10), 0..4);
        assert_eq!(Shard { index: 3, count: 3 }.range(10), 7..10);
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
    fn plan_splits_trials_over_draws_and_notes_the_remainder() {
        let (plan, note) = Plan::new(1000, 100, Some(2)).expect("valid");
        assert_eq!(
            (plan.draws, plan.trials_per_draw, plan.threads),
            (100, 10, 2)
        );
        assert_eq!(note, None);
        let (plan, note) = Plan::new(1050, 100, Some(1)).expect("valid");
        assert_eq!(plan.trials(), 1000);
        assert!(note.expect("a note").contains("1000 trials per scenario"));
    }

    #[test]
    fn plan_refuses_zero_draws_too_few_trials_and_zero_threads() {
        for (trials, draws, threads) in [(10, 0, None), (10, 20, None), (10, 5, Some(0))] {
            let failure = Plan::new(trials, draws, threads).expect_err("refused");
            assert_eq!(failure.status, 2);
        }
    }
}
