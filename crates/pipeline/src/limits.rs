//! The sizes a run may have, and the checks that keep the arithmetic on
//! them from overflowing: every product of user-given counts (trials x
//! scenarios x sweep values for progress totals, draws x the per-draw tally
//! for memory) is computed here with checked arithmetic, and a size that
//! cannot work is refused before the engine starts, with a message that says
//! which option to lower. The limits are documented in docs/errors.md.

use uchronia_model::Model;

use crate::failure::Failure;
use crate::plan::Plan;
// The limits of D and K are checked where the plan is made.
pub use crate::plan::{MAX_DRAWS, MAX_THREADS};

/// Most memory the per-draw tallies may take, by the estimate of
/// [`tally_bytes`]: 4 GiB.
pub const MAX_TALLY_BYTES: u64 = 4 << 30;

/// Rough bytes the engine and the analysis keep per parameter draw and
/// scenario: the draw's param values (twice: the tally and the ranks of the
/// sensitivity analysis), each outcome's counts or moments, and the vectors'
/// own overhead. An estimate, on the generous side.
pub fn bytes_per_draw(model: &Model) -> u64 {
    let params = model.params.len() as u64;
    let outcomes = model.outcomes.len() as u64;
    64 + 16 * params + 48 * outcomes
}

/// Estimated bytes of the per-draw tallies of `draws` draws of `scenarios`
/// scenarios (saturating: an absurd size is refused, not wrapped).
pub fn tally_bytes(model: &Model, draws: u64, scenarios: usize) -> u64 {
    bytes_per_draw(model)
        .saturating_mul(draws)
        .saturating_mul(scenarios as u64)
}

/// Refuses a run whose per-draw tallies would not fit in [`MAX_TALLY_BYTES`].
pub fn check_memory(model: &Model, plan: &Plan, scenarios: usize) -> Result<(), Failure> {
    let bytes = tally_bytes(model, plan.draws, scenarios);
    if bytes <= MAX_TALLY_BYTES {
        return Ok(());
    }
    let per_scenario = MAX_TALLY_BYTES / bytes_per_draw(model).max(1);
    let most = per_scenario / (scenarios as u64).max(1);
    Err(Failure::input(format!(
        "--draws {} would need about {} of memory for the per-draw tallies of {} scenario(s) ({} bytes per draw and scenario); the limit is {}: use --draws {} or fewer, or choose fewer --scenario",
        plan.draws,
        gib(bytes),
        scenarios,
        bytes_per_draw(model),
        gib(MAX_TALLY_BYTES),
        most.max(1)
    )))
}

/// Total trials of `runs` runs of `plan.trials()` each (scenarios, or
/// scenarios x sweep values), refused when it does not fit in 64 bits.
pub fn total_trials(plan: &Plan, runs: u64, what: &str) -> Result<u64, Failure> {
    plan.trials().checked_mul(runs).ok_or_else(|| {
        Failure::input(format!(
            "{} trials x {runs} {what} is more than 2^64 trials in all, which cannot be counted: lower --trials",
            plan.trials()
        ))
    })
}

/// Bytes for people: `12.3 GiB`.
fn gib(bytes: u64) -> String {
    format!("{:.1} GiB", bytes as f64 / (1u64 << 30) as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(trials: u64, draws: u64) -> Plan {
        Plan::new(trials, draws, Some(1)).expect("a valid plan").0
    }

    #[test]
    fn totals_that_overflow_are_refused() {
        let near_max = plan(u64::MAX, 1);
        assert!(total_trials(&near_max, 1, "scenario runs").is_ok());
        let failure = total_trials(&near_max, 2, "scenario runs").expect_err("overflows");
        assert_eq!(failure.status, 2);
        assert!(
            failure.message.contains("lower --trials"),
            "{}",
            failure.message
        );
        assert_eq!(
            total_trials(&plan(1000, 10), 6, "runs").expect("fits"),
            6000
        );
    }

    #[test]
    fn absurd_draws_and_threads_are_refused() {
        for (draws, threads, needle) in [
            (
                MAX_DRAWS + 1,
                Some(1),
                "is more than the limit of 100000000",
            ),
            (
                10,
                Some(MAX_THREADS + 1),
                "--threads 1025 is more than the limit",
            ),
        ] {
            let failure = Plan::new(u64::MAX, draws, threads).expect_err("refused");
            assert_eq!(failure.status, 2);
            assert!(failure.message.contains(needle), "{}", failure.message);
        }
        assert!(Plan::new(u64::MAX, MAX_DRAWS, Some(MAX_THREADS)).is_ok());
    }

    #[test]
    fn the_tally_estimate_saturates_instead_of_wrapping() {
        let source = "[model]\nname = \"m\"\ntitle = \"t\"\n[params.p]\ndist = \"fixed\"\nvalue = 1\n[nodes.e]\np = 0.5\n[outcomes.o]\nwhen = \"e\"\n[scenarios.s]\n";
        let model = uchronia_model::load("m.toml", source).expect("valid").model;
        assert_eq!(bytes_per_draw(&model), 64 + 16 + 48);
        assert_eq!(tally_bytes(&model, u64::MAX, 3), u64::MAX);
        assert!(check_memory(&model, &plan(1_000_000, 1000), 1).is_ok());
        let failure = check_memory(&model, &plan(u64::MAX, MAX_DRAWS), 6).expect_err("too big");
        assert!(
            failure.message.contains("the limit is 4.0 GiB"),
            "{}",
            failure.message
        );
    }
}
