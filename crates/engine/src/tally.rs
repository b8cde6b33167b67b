//! What a run produces: counts, sums and a sketch per parameter draw, never a
//! row per trial, so memory does not grow with the number of trials.
//!
//! Every accumulator merges exactly and in a fixed order, so the same seed
//! gives the same bits whatever the number of threads or shards.
//
use serde::{Deserialize, Serialize};
use uchronia_model::ScenarioId;

use crate::Design;

pub use crate::sketch::Sketch;

/// The result of a run: one [`ScenarioTally`] per requested scenario.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Tally {
    /// The seed.
    pub seed: u64,
    /// D: the number of parameter draws of the whole run (all shards).
    pub draws: u64,
    /// T: trials per parameter draw.
    pub trials_per_draw: u64,
    /// The parameter draws this tally covers (all of 0..draws unless sharded).
    pub draw_range: std::ops::Range<u64>,
    /// Per scenario, in the order requested.
    pub scenarios: Vec<ScenarioTally>,
    /// How the draws were made; left out of files when `random`, so a
    /// default run's tally is the one it always was.
    #[serde(default, skip_serializing_if = "Design::is_random")]
    pub design: Design,
}

/// The tallies of one scenario.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ScenarioTally {
    /// Which scenario.
    pub scenario: ScenarioId,
    /// One entry per parameter draw, in draw order.
    pub draws: Vec<DrawTally>,
    /// Per outcome (indexed by `OutcomeId`): the pooled values of a numeric
    /// outcome over all draws and trials where its `given` holds; `None` for
    /// boolean outcomes.
    pub sketches: Vec<Option<Sketch>>,
}

/// The tallies of one parameter draw in one scenario.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct DrawTally {
    /// The draw's index in 0..D.
    pub index: u64,
    /// The parameters' values in this draw and scenario (after `set`), by `ParamId`.
    pub params: Vec<f64>,
    /// Per outcome, indexed by `OutcomeId`.
    pub outcomes: Vec<OutcomeTally>,
    /// One entry per outcome that is a year (`Model::year_outcomes`), in
    /// outcome order; empty, and left out of files, for a model without one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub years: Vec<YearCounts>,
}

/// A year outcome's values in one draw, counted by year over its span
/// (bounded by the span, whatever the number of trials).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct YearCounts {
    /// Which outcome (an `OutcomeId`).
    pub outcome: usize,
    /// The span's first year.
    pub first: i32,
    /// `counts[i]`: trials (where `given` held) whose value is at most
    /// `first + i` and, for `i > 0`, above `first + i - 1`. Values after
    /// the span's last year are not counted here (the outcome's moments
    /// count them).
    pub counts: Vec<u64>,
}

impl YearCounts {
    /// No values yet, over the years `first..=last`.
    pub fn new(outcome: usize, first: i32, last: i32) -> YearCounts {
        let len = usize::try_from(i64::from(last) - i64::from(first) + 1).unwrap_or(0);
        YearCounts {
            outcome,
            first,
            counts: vec![0; len],
        }
    }

    /// Counts each of `values` in its year (NaN is never passed: numeric
    /// outcomes fail the run on a value that is not finite).
    pub fn push_all(&mut self, values: &[f64]) {
        let first = f64::from(self.first);
        // Past the span nothing is counted: clamping there first keeps the
        // casts below exact.
        let past = self.counts.len() as f64;
        for &value in values {
            // The bin of the first year at or after `value` (its ceiling,
            // by truncating casts: `ceil` is a library call on the baseline
            // target); everything before the span falls in the first bin.
            let offset = (value - first).clamp(0.0, past);
            let whole = offset as i64;
            let bin = whole + i64::from((whole as f64) < offset);
            if let Some(count) = self.counts.get_mut(bin as usize) {
                *count += 1;
            }
        }
    }

    /// Adds the counts of `other`, a tally of the same outcome and span.
    pub fn add(&mut self, other: &YearCounts) {
        for (mine, theirs) in self.counts.iter_mut().zip(&other.counts) {
            *mine += theirs;
        }
    }

    /// `(year, trials with a value at most that year)` for each year of the span.
    pub fn cumulative(&self) -> Vec<(i32, u64)> {
        let mut total = 0;
        (self.counts.iter().enumerate())
            .map(|(i, &count)| {
                total += count;
                (self.first.saturating_add(i as i32), total)
            })
            .collect()
    }
}

/// One outcome's tally in one draw.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum OutcomeTally {
    /// A boolean outcome: `given` trials where its condition held (all trials
    /// when it has none) and `hits` of them where the event held.
    Boolean {
        /// Trials where `given` held.
        given: u64,
        /// Of those, trials where the event held.
        hits: u64,
    },
    /// A numeric outcome: moments of its value over the trials where `given` held.
    Numeric(Moments),
}

/// Count, mean and sum of squared deviations (Chan et al.'s mergeable form).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Moments {
    /// Number of values.
    pub count: u64,
    /// Their mean (0 when `count` is 0).
    pub mean: f64,
    /// Sum of squared deviations from the mean.
    pub m2: f64,
}

impl Moments {
    /// Adds one value (Welford's update).
    #[inline]
    pub fn push(&mut self, x: f64) {
        self.count += 1;
        let delta = x - self.mean;
        self.mean += delta / self.count as f64;
        self.m2 += delta * (x - self.mean);
    }

    /// The moments of `values`, by two passes (mean, then squared
    /// deviations from it).
    pub fn of(values: &[f64]) -> Moments {
        if values.is_empty() {
            return Moments::default();
        }
        let n = values.len() as f64;
        let mean = values.iter().sum::<f64>() / n;
        let m2 = values.iter().map(|x| (x - mean) * (x - mean)).sum();
        Moments {
            count: values.len() as u64,
            mean,
            m2,
        }
    }

    /// Adds every value of `other` (Chan et al.'s pairwise formula). Merging
    /// in a fixed order gives the same bits every time.
    pub fn merge(&mut self, other: &Moments) {
        if other.count == 0 {
            return;
        }
        if self.count == 0 {
            *self = *other;
            return;
        }
        let (na, nb) = (self.count as f64, other.count as f64);
        let n = na + nb;
        let delta = other.mean - self.mean;
        self.mean += delta * (nb / n);
        self.m2 += other.m2 + delta * delta * (na * nb / n);
        self.count += other.count;
    }

    /// The sample variance (n - 1), or `None` with fewer than two values.
    pub fn sample_variance(&self) -> Option<f64> {
        (self.count >= 2).then(|| self.m2 / (self.count - 1) as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::YearCounts;

    #[test]
    fn a_value_counts_in_the_first_year_at_or_after_it() {
        let mut counts = YearCounts::new(0, 1930, 1933);
        counts.push_all(&[
            1800.0, 1930.0, 1930.2, 1931.0, 1932.999, 1933.0, 1933.5, 1e300,
        ]);
        assert_eq!(counts.counts, vec![2, 2, 0, 2]);
        assert_eq!(
            counts.cumulative(),
            vec![(1930, 2), (1931, 4), (1932, 4), (1933, 6)]
        );
        let mut twice = counts.clone();
        twice.add(&counts);
        assert_eq!(twice.counts, vec![4, 4, 0, 4]);
    }
}
