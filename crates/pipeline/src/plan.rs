//! The size of a run, checked: D parameter draws of T trials on K threads,
//! and the part of the draws a shard runs.

use uchronia_engine::RunConfig;
use uchronia_model::ScenarioId;

use crate::failure::Failure;

/// Most parameter draws (`--draws`): each draw keeps a tally of its own.
pub const MAX_DRAWS: u64 = 100_000_000;

/// Most worker threads (`--threads`).
pub const MAX_THREADS: usize = 1024;

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
        if draws > MAX_DRAWS {
            return Err(Failure::input(format!(
                "--draws {draws} is more than the limit of {MAX_DRAWS}: every draw keeps its own tally, so memory grows with --draws (a few thousand draws give the credible intervals to two digits)",
            )));
        }
        if trials < draws {
            return Err(Failure::input(format!(
                "--trials ({trials}) must be at least --draws ({draws}): every parameter draw needs at least one trial"
            )));
        }
        let threads = match threads {
            Some(0) => return Err(Failure::input("--threads must be at least 1")),
            Some(threads) if threads > MAX_THREADS => {
                return Err(Failure::input(format!(
                    "--threads {threads} is more than the limit of {MAX_THREADS} (this machine has {} cores)",
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

    /// The engine's settings for all D draws of `scenarios` with `seed`.
    pub fn config(&self, seed: u64, scenarios: Vec<ScenarioId>) -> RunConfig {
        RunConfig {
            seed,
            draws: self.draws,
            trials_per_draw: self.trials_per_draw,
            scenarios,
            draw_range: 0..self.draws,
            design: uchronia_engine::Design::Random,
        }
    }
}

/// The number of cores this process may use (1 when unknown).
pub fn available_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
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

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn the_config_covers_every_draw_of_the_plan() {
        let (plan, _) = Plan::new(1000, 100, Some(1)).expect("valid");
        let config = plan.config(7, vec![1, 0]);
        assert_eq!(
            (config.seed, config.draws, config.trials_per_draw),
            (7, 100, 10)
        );
        assert_eq!(config.draw_range, 0..100);
        assert_eq!(config.scenarios, vec![1, 0]);
    }
}
