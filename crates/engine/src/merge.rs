//! Merging tallies of consecutive draw ranges: the tallies of shards, or of
//! the batches of a checkpointed run, into the tally of the whole range.
//!
//! A run over draws `a..b` has exactly the draws `a..b` of the whole run (the
//! engine's determinism contract), so merging concatenates the per-draw
//! tallies in draw order and merges the pooled sketches, which is exact and
//! order-independent ([`Sketch::merge`]). The result is therefore the very
//! tally one run over the whole range gives, bit for bit. Pure, no IO.

use crate::tally::{ScenarioTally, Tally};

/// Why two tallies cannot be merged.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MergeError {
    /// Nothing to merge.
    #[error("no tally to merge")]
    Empty,
    /// The tallies come from runs with different settings.
    #[error("the tallies come from different runs: {what} {left} and {right}")]
    Settings {
        /// Which setting differs: "seed", "design", "draws", "trials per draw"
        /// or "scenarios".
        what: &'static str,
        /// Its value in the first tally.
        left: String,
        /// Its value in the other tally.
        right: String,
    },
    /// The draw ranges are not consecutive: a gap or an overlap.
    #[error(
        "the draw ranges do not follow on: one ends at draw {left_end}, the next starts at draw {right_start}"
    )]
    NotConsecutive {
        /// Where the first range ends.
        left_end: u64,
        /// Where the next range starts.
        right_start: u64,
    },
    /// A tally's contents do not match its own header (a damaged file).
    #[error("a tally's scenario {scenario} has {found} draws where its range says {expected}")]
    Inconsistent {
        /// The scenario's position in the tally.
        scenario: usize,
        /// Draws its range covers.
        expected: u64,
        /// Draws it holds.
        found: u64,
    },
}

impl Tally {
    /// An empty tally of the same run that starts at draw `start`: appending
    /// the tallies of `start..` to it gives their merge.
    pub fn empty_like(&self, start: u64) -> Tally {
        Tally {
            seed: self.seed,
            draws: self.draws,
            trials_per_draw: self.trials_per_draw,
            draw_range: start..start,
            design: self.design,
            scenarios: self
                .scenarios
                .iter()
                .map(|scenario| ScenarioTally {
                    scenario: scenario.scenario,
                    draws: Vec::new(),
                    sketches: scenario
                        .sketches
                        .iter()
                        .map(|sketch| sketch.as_ref().map(|_| crate::Sketch::new()))
                        .collect(),
                })
                .collect(),
        }
    }

    /// Appends `next`, the tally of the draws that follow this one's, with
    /// the same seed, trials per draw and scenarios. `draws` (D) may differ:
    /// a run that grows its number of draws batch by batch keeps this
    /// tally's. On error `self` is left unchanged.
    pub fn append(&mut self, next: Tally) -> Result<(), MergeError> {
        self.check_compatible(&next, false)?;
        check_consistent(&next)?;
        if next.draw_range.start != self.draw_range.end {
            return Err(MergeError::NotConsecutive {
                left_end: self.draw_range.end,
                right_start: next.draw_range.start,
            });
        }
        self.draw_range.end = next.draw_range.end;
        for (mine, theirs) in self.scenarios.iter_mut().zip(next.scenarios) {
            mine.draws.extend(theirs.draws);
            for (sketch, other) in mine.sketches.iter_mut().zip(&theirs.sketches) {
                if let (Some(sketch), Some(other)) = (sketch, other) {
                    sketch.merge(other);
                }
            }
        }
        Ok(())
    }

    /// Whether `other` comes from the same run: same seed, trials per draw
    /// and scenarios, and (when `same_draws`) the same D.
    fn check_compatible(&self, other: &Tally, same_draws: bool) -> Result<(), MergeError> {
        let differ =
            |what, left: String, right: String| Err(MergeError::Settings { what, left, right });
        if self.seed != other.seed {
            return differ("seed", self.seed.to_string(), other.seed.to_string());
        }
        if self.design != other.design {
            let name = |t: &Tally| t.design.name().to_string();
            return differ("design", name(self), name(other));
        }
        if same_draws && self.draws != other.draws {
            return differ("draws", self.draws.to_string(), other.draws.to_string());
        }
        if self.trials_per_draw != other.trials_per_draw {
            return differ(
                "trials per draw",
                self.trials_per_draw.to_string(),
                other.trials_per_draw.to_string(),
            );
        }
        let ids = |t: &Tally| t.scenarios.iter().map(|s| s.scenario).collect::<Vec<_>>();
        let shapes = |t: &Tally| {
            t.scenarios
                .iter()
                .map(|s| s.sketches.iter().map(Option::is_some).collect::<Vec<_>>())
                .collect::<Vec<_>>()
        };
        if ids(self) != ids(other) || shapes(self) != shapes(other) {
            return differ(
                "scenarios",
                format!("{:?}", ids(self)),
                format!("{:?}", ids(other)),
            );
        }
        Ok(())
    }
}

/// Every scenario of `tally` holds one draw per draw of its range.
fn check_consistent(tally: &Tally) -> Result<(), MergeError> {
    let expected = tally.draw_range.end.saturating_sub(tally.draw_range.start);
    for (scenario, part) in tally.scenarios.iter().enumerate() {
        let found = part.draws.len() as u64;
        if found != expected {
            return Err(MergeError::Inconsistent {
                scenario,
                expected,
                found,
            });
        }
    }
    Ok(())
}

/// Merges the tallies of one run's consecutive draw ranges, given in any
/// order, into the tally of their union. They must share seed, D, trials per
/// draw and scenarios, and their ranges must tile one range without gap or
/// overlap. The result equals, bit for bit, one run over that range.
pub fn merge(mut parts: Vec<Tally>) -> Result<Tally, MergeError> {
    parts.sort_by_key(|part| (part.draw_range.start, part.draw_range.end));
    let mut parts = parts.into_iter();
    let first = parts.next().ok_or(MergeError::Empty)?;
    check_consistent(&first)?;
    let mut whole = first;
    for part in parts {
        whole.check_compatible(&part, true)?;
        whole.append(part)?;
    }
    Ok(whole)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Sketch;
    use crate::tally::{DrawTally, Moments, OutcomeTally};

    /// A hand-made tally of draws `range` with one boolean and one numeric
    /// outcome in each of two scenarios; draw `d`'s values depend on `d` only.
    fn tally(range: std::ops::Range<u64>) -> Tally {
        let scenarios = [0usize, 2]
            .iter()
            .map(|&scenario| {
                let mut sketch = Sketch::new();
                let draws = range
                    .clone()
                    .map(|d| {
                        let values: Vec<f64> = (0..3).map(|k| (d * 10 + k) as f64 * 0.5).collect();
                        for &v in &values {
                            sketch.push(v);
                        }
                        DrawTally {
                            index: d,
                            params: vec![d as f64 / 7.0],
                            outcomes: vec![
                                OutcomeTally::Boolean {
                                    given: 3,
                                    hits: d % 4,
                                },
                                OutcomeTally::Numeric(Moments::of(&values)),
                            ],
                            years: Vec::new(),
                        }
                    })
                    .collect();
                ScenarioTally {
                    scenario,
                    draws,
                    sketches: vec![None, Some(sketch)],
                }
            })
            .collect();
        Tally {
            seed: 5,
            draws: 200,
            trials_per_draw: 3,
            draw_range: range,
            design: Default::default(),
            scenarios,
        }
    }

    fn json(tally: &Tally) -> String {
        serde_json::to_string(tally).expect("serialises")
    }

    #[test]
    fn merging_shards_in_any_order_gives_the_whole_tally() {
        // 200 draws x 3 values: past the sketch's 256 exact values, so the
        // merge goes through the buckets as well as the exact lists.
        let whole = tally(0..200);
        let parts = vec![tally(120..200), tally(0..50), tally(50..120)];
        let merged = merge(parts).expect("merges");
        assert_eq!(json(&merged), json(&whole));
        let small = merge(vec![tally(3..5), tally(0..3)]).expect("merges");
        assert_eq!(json(&small), json(&tally(0..5)));
    }

    /// The engine's determinism contract, which merging relies on: a run
    /// over draws a..b holds exactly the draws a..b of the whole run, so
    /// runs over pieces merge into the whole run, bit for bit (numeric
    /// outcome and its pooled sketch included).
    #[test]
    fn runs_over_draw_ranges_merge_into_the_whole_run() {
        let source = r#"
[model]
name = "pieces"
title = "Pieces"
doc = "A param, a stochastic node and a numeric outcome."

[params.level]
doc = "Level."
dist = "uniform"
low = 0
high = 10

[nodes.shock]
doc = "A shock."
dist = "normal"
mean = "level"
sd = 3

[nodes.big]
doc = "The shock is big."
value = "shock > 6"

[outcomes.big_shock]
doc = "A big shock."
when = "big"

[outcomes.shock_size]
doc = "The shock's size when big."
value = "shock"
given = "big"

[scenarios.history]
doc = "As it was."

[scenarios.calm]
doc = "A lower level."
set = { level = 2 }
"#;
        let model = uchronia_model::load("pieces.toml", source)
            .expect("a valid model")
            .model;
        let cancel = std::sync::atomic::AtomicBool::new(false);
        let config = |range: std::ops::Range<u64>| crate::RunConfig {
            seed: 11,
            draws: 40,
            trials_per_draw: 700,
            scenarios: vec![0, 1],
            design: Default::default(),
            draw_range: range,
        };
        let run = |range| crate::run(&model, &config(range), &|_| {}, &cancel).expect("runs");
        let whole = run(0..40);
        let parts = vec![run(25..40), run(0..9), run(9..25)];
        assert_eq!(parts[1].scenarios[0].draws[0].index, 0);
        let merged = merge(parts).expect("merges");
        assert_eq!(json(&merged), json(&whole));
        assert!(
            whole.scenarios[0].sketches[1]
                .as_ref()
                .is_some_and(|s| s.count() > 256),
            "the sketch leaves its exact mode"
        );
    }

    #[test]
    fn appending_batches_to_an_empty_tally_gives_the_whole_tally() {
        let whole = tally(0..90);
        let mut grown = whole.empty_like(0);
        for start in (0..90).step_by(30) {
            grown.append(tally(start..start + 30)).expect("appends");
        }
        assert_eq!(json(&grown), json(&whole));
    }

    #[test]
    fn gaps_overlaps_and_other_runs_are_refused() {
        assert_eq!(merge(Vec::new()).map(|_| ()), Err(MergeError::Empty));
        let gap = merge(vec![tally(0..10), tally(11..20)]).map(|_| ());
        assert_eq!(
            gap,
            Err(MergeError::NotConsecutive {
                left_end: 10,
                right_start: 11
            })
        );
        let overlap = merge(vec![tally(0..10), tally(5..20)]).map(|_| ());
        assert!(matches!(overlap, Err(MergeError::NotConsecutive { .. })));

        let mut other_seed = tally(10..20);
        other_seed.seed = 6;
        let error = merge(vec![tally(0..10), other_seed]).map(|_| ());
        assert!(matches!(
            error,
            Err(MergeError::Settings { what: "seed", .. })
        ));
        let mut other_d = tally(10..20);
        other_d.draws = 300;
        let error = merge(vec![tally(0..10), other_d]).map(|_| ());
        assert!(matches!(
            error,
            Err(MergeError::Settings { what: "draws", .. })
        ));
        let mut other_t = tally(10..20);
        other_t.trials_per_draw = 4;
        let error = merge(vec![tally(0..10), other_t]).map(|_| ());
        assert!(matches!(
            error,
            Err(MergeError::Settings {
                what: "trials per draw",
                ..
            })
        ));
        let mut other_scenarios = tally(10..20);
        other_scenarios.scenarios[1].scenario = 1;
        let error = merge(vec![tally(0..10), other_scenarios]).map(|_| ());
        assert!(matches!(
            error,
            Err(MergeError::Settings {
                what: "scenarios",
                ..
            })
        ));
    }

    #[test]
    fn a_tally_whose_draws_do_not_fill_its_range_is_refused() {
        let mut damaged = tally(10..20);
        damaged.scenarios[0].draws.pop();
        let error = merge(vec![tally(0..10), damaged]).map(|_| ());
        assert_eq!(
            error,
            Err(MergeError::Inconsistent {
                scenario: 0,
                expected: 10,
                found: 9
            })
        );
        let mut whole = tally(0..10);
        let before = json(&whole);
        let mut damaged = tally(10..20);
        damaged.scenarios[1].draws.clear();
        assert!(whole.append(damaged).is_err());
        assert_eq!(json(&whole), before, "unchanged on error");
    }
}
