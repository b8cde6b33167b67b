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
}

/// `uchronia run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// The model file.
    #[arg(value_name = "MODEL", default_value = DEFAULT_MODEL)]
    pub model: PathBuf,
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
    /// Also write draws.parquet: one row per scenario and parameter draw,
    /// with each parameter's value and each outcome's per-draw result.
    #[arg(long)]
    pub parquet: bool,
}

/// `uchronia check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The model file.
    #[arg(value_name = "MODEL")]
    pub model: PathBuf,
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
        if trials < draws {
            return Err(Failure::input(format!(
                "--trials ({trials}) must be at least --draws ({draws}): every parameter draw needs at least one trial"
            )));
        }
        let threads = match threads {
            Some(0) => return Err(Failure::input("--threads must be at least 1")),
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

#[cfg(test)]
mod tests {
    use super::*;

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
