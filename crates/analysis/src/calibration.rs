//! Calibration: how well a model's reference scenario foresaw what really
//! happened ([`History`]), and whether it meets its [`Targets`].
//!
//! - A real **boolean** outcome is scored by its probability `p` (the mean
//!   over parameter draws, as in `outcomes.csv`, with the 90% credible
//!   interval of the per-draw probabilities) and its Brier score
//!   `(p - y)^2`, y = 1 when it happened and 0 when not. The probability
//!   the model gave to *what happened* is `p` or `1 - p`.
//! - A real **numeric** value is placed in the pooled distribution of the
//!   outcome's values: inside its 90% interval `[q05, q95]` or not, and its
//!   percentile rank (the share of the pooled values below it, see
//!   [`crate::cdf`]).
//!
//! A statistic the run leaves undefined (an outcome whose `given` never
//! held) is `None`, and a target that needs it counts as missed.
//!
//! The **aggregate scores** (the mean Brier score, its skill against a
//! shrug, the mean log score) count each real event once: a row that asks
//! the same question as an earlier one (a node's fact row beside an
//! outcome that is that node) is marked `same_event_as` and left out, and
//! so is a row the scenario decides rightly (what happened has probability
//! exactly 1 in every draw: given, not foreseen). Otherwise a model would score better
//! for saying the same thing twice, or for what its scenario fixes.

use uchronia_engine::tally::{OutcomeTally, Tally};
use uchronia_model::{Model, OutcomeId};

use crate::cdf::sketch_percentile;
use crate::{summarize_boolean, summarize_numeric};
use uchronia_claims::history::{History, RealValue, Targets};

/// How a run scored against history.
#[derive(Clone, Debug, PartialEq)]
pub struct Calibration {
    /// The scenario scored.
    pub scenario: String,
    /// One row per real outcome, in the history file's order.
    pub rows: Vec<CalibrationRow>,
    /// The mean Brier score over the counted boolean rows (see
    /// [`CalibrationRow::counted`]).
    pub mean_brier: Option<f64>,
    /// How many boolean rows the aggregate scores count: distinct events
    /// the scenario leaves open.
    pub events: usize,
    /// The Brier skill score against a shrug (p = 0.5 for every event,
    /// Brier 0.25): `1 - mean_brier / 0.25`; 0 is no skill, 1 is certainty
    /// that proved right.
    pub brier_skill: Option<f64>,
    /// The mean log score in bits, `-log2 P(real)` over the counted rows
    /// (a shrug scores 1 bit); infinite when an event that happened (or one
    /// that did not) was given no chance at all.
    pub mean_log_score: Option<f64>,
    /// D: parameter draws.
    pub draws: u64,
    /// D x T: trials.
    pub trials: u64,
}

impl Calibration {
    /// The counted rows' mean Brier score split by what happened: `[(n,
    /// mean) of the events that happened, (n, mean) of those that did
    /// not]`. A model of many easy non-events can score well overall and
    /// still be worse than a shrug on what did happen; this shows it.
    pub fn brier_by_outcome(&self) -> [(usize, Option<f64>); 2] {
        [true, false].map(|happened| {
            let briers: Vec<f64> = (self.rows.iter())
                .filter(|r| r.counted() && r.real == RealValue::Boolean(happened))
                .filter_map(|r| r.brier)
                .collect();
            let n = briers.len();
            (n, (n > 0).then(|| briers.iter().sum::<f64>() / n as f64))
        })
    }
}

/// One real outcome against the model.
#[derive(Clone, Debug, PartialEq)]
pub struct CalibrationRow {
    /// The outcome's name.
    pub outcome: String,
    /// What really happened.
    pub real: RealValue,
    /// Boolean: `p_mean`; numeric: the pooled median.
    pub p_or_q50: Option<f64>,
    /// Boolean: 5% quantile of the per-draw probabilities; numeric: 5%
    /// quantile of the pooled values.
    pub q05: Option<f64>,
    /// The matching 95% quantile.
    pub q95: Option<f64>,
    /// Boolean only: `(p - y)^2`.
    pub brier: Option<f64>,
    /// Boolean only: the probability of what happened (`p` or `1 - p`).
    pub p_real: Option<f64>,
    /// Boolean only: the Monte Carlo standard error of `p_mean` (and so of
    /// `p_real`), over draws.
    pub mc_se: Option<f64>,
    /// Numeric only: whether `q05 <= real <= q95`.
    pub inside_90: Option<bool>,
    /// Numeric only: the share of pooled values below the real one (mid-rank).
    pub percentile: Option<f64>,
    /// The history file's note.
    pub note: Option<String>,
    /// Boolean only: the earlier row that asks the same question (the same
    /// expression, or its negation with the opposite real value).
    pub same_event_as: Option<String>,
}

impl CalibrationRow {
    /// Whether the aggregate scores count this row: a boolean row with a
    /// probability, not a repeat of an earlier event, and not
    /// [`decided`](Self::decided) by the scenario.
    pub fn counted(&self) -> bool {
        self.brier.is_some() && self.same_event_as.is_none() && !self.decided()
    }

    /// Whether the scenario decides this boolean row, and rightly: the
    /// probability of what happened is exactly 1 in every draw (given, not
    /// foreseen). A row decided wrongly (exactly 0) is a forecast that
    /// failed, and counts.
    pub fn decided(&self) -> bool {
        self.brier.is_some() && self.p_real == Some(1.0)
    }
}

/// A target the model missed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Miss {
    /// The outcome that missed its target; `None` for the mean Brier score.
    pub outcome: Option<String>,
    /// What was missed, in one sentence.
    pub message: String,
    /// The history file accepts this miss (`accepted_misses`): it is
    /// reported, but `--strict` does not fail on it.
    pub accepted: bool,
}

impl Miss {
    fn new(outcome: Option<&str>, message: String) -> Miss {
        Miss {
            outcome: outcome.map(String::from),
            message,
            accepted: false,
        }
    }
}

impl std::fmt::Display for Miss {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// Why a tally cannot be scored against a history.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CalibrationError {
    /// The tally does not contain the history's scenario.
    #[error("the run did not include scenario `{0}`, which the history scores")]
    ScenarioNotRun(String),
}

/// Scores `history` against `tally`, a run of `model` that includes the
/// history's scenario.
pub fn calibrate(
    model: &Model,
    tally: &Tally,
    history: &History,
) -> Result<Calibration, CalibrationError> {
    let scenario_name = model.scenarios[history.scenario].name.clone();
    let Some(scenario) = tally
        .scenarios
        .iter()
        .find(|s| s.scenario == history.scenario)
    else {
        return Err(CalibrationError::ScenarioNotRun(scenario_name));
    };
    let draws = scenario.draws.len() as u64;
    let trials = draws * tally.trials_per_draw;
    let mut rows: Vec<CalibrationRow> = Vec::with_capacity(history.outcomes.len());
    // Each boolean row's per-draw (given, hits), to find rows that are one
    // event in this scenario (empty for numeric rows).
    let mut all_counts: Vec<Vec<(u64, u64)>> = Vec::with_capacity(history.outcomes.len());
    for real in &history.outcomes {
        let id: OutcomeId = real.outcome;
        let mut row = CalibrationRow {
            outcome: real.name.clone(),
            real: real.value,
            p_or_q50: None,
            q05: None,
            q95: None,
            brier: None,
            p_real: None,
            mc_se: None,
            inside_90: None,
            percentile: None,
            note: real.note.clone(),
            same_event_as: None,
        };
        match real.value {
            RealValue::Boolean(happened) => {
                let counts: Vec<(u64, u64)> = scenario
                    .draws
                    .iter()
                    .map(|draw| match draw.outcomes.get(id) {
                        Some(OutcomeTally::Boolean { given, hits }) => (*given, *hits),
                        _ => (0, 0),
                    })
                    .collect();
                let summary = summarize_boolean(&counts);
                row.p_or_q50 = summary.p_mean;
                row.q05 = summary.p_q05;
                row.q95 = summary.p_q95;
                row.brier = summary.p_mean.map(|p| brier(p, happened));
                row.p_real = summary.p_mean.map(|p| if happened { p } else { 1.0 - p });
                row.mc_se = summary.mc_se;
                all_counts.push(counts);
            }
            RealValue::Number(x) => {
                all_counts.push(Vec::new());
                let moments: Vec<_> = scenario
                    .draws
                    .iter()
                    .map(|draw| match draw.outcomes.get(id) {
                        Some(OutcomeTally::Numeric(moments)) => *moments,
                        _ => Default::default(),
                    })
                    .collect();
                let sketch = scenario.sketches.get(id).and_then(Option::as_ref);
                let summary = summarize_numeric(&moments, sketch, trials);
                row.p_or_q50 = summary.q50;
                row.q05 = summary.q05;
                row.q95 = summary.q95;
                row.inside_90 = match (summary.q05, summary.q95) {
                    (Some(lo), Some(hi)) => Some(lo <= x && x <= hi),
                    _ => None,
                };
                row.percentile = sketch.and_then(|s| sketch_percentile(s, x));
            }
        }
        if let RealValue::Boolean(happened) = real.value {
            let mine = all_counts.last().map_or(&[][..], Vec::as_slice);
            row.same_event_as = (history.outcomes.iter())
                .zip(&rows)
                .zip(&all_counts)
                .find(|((earlier, _), theirs)| match earlier.value {
                    RealValue::Boolean(b) => {
                        same_event(model, (earlier.outcome, b), (real.outcome, happened))
                            || same_counts((theirs, b), (mine, happened))
                    }
                    RealValue::Number(_) => false,
                })
                .map(|((_, earlier), _)| {
                    earlier
                        .same_event_as
                        .clone()
                        .unwrap_or(earlier.outcome.clone())
                });
        }
        rows.push(row);
    }
    let counted: Vec<&CalibrationRow> = rows.iter().filter(|r| r.counted()).collect();
    let events = counted.len();
    let mean = |score: fn(&CalibrationRow) -> f64| {
        (events > 0).then(|| counted.iter().map(|r| score(r)).sum::<f64>() / events as f64)
    };
    let mean_brier = mean(|r| r.brier.unwrap_or(f64::NAN));
    let mean_log_score = mean(|r| -r.p_real.unwrap_or(f64::NAN).log2());
    Ok(Calibration {
        scenario: scenario_name,
        rows,
        mean_brier,
        events,
        brier_skill: mean_brier.map(|b| 1.0 - b / SHRUG_BRIER),
        mean_log_score,
        draws,
        trials,
    })
}

/// Whether two boolean rows are one event *in this run*: the same per-draw
/// counts in every draw with the same real value, or complementary counts
/// (hits of one = misses of the other) with opposite values. Two events
/// that differ in even one trial in a million would almost surely differ
/// in some draw's count; but counts that never move off 0 or the whole
/// (an event the scenario decides) say nothing, so some draw must have
/// hits strictly between. This catches what the expressions cannot show:
/// `stalin_removed` and `stalin_removed_1924` are one event once 1923 is
/// fixed, though the model writes them apart.
fn same_counts(a: (&[(u64, u64)], bool), b: (&[(u64, u64)], bool)) -> bool {
    let ((ca, ya), (cb, yb)) = (a, b);
    let open = ca.iter().any(|&(given, hits)| hits > 0 && hits < given);
    open && ca.len() == cb.len()
        && ca.iter().zip(cb).all(|(&(ga, ha), &(gb, hb))| {
            ga == gb && if ya == yb { ha == hb } else { ha == gb - hb }
        })
}

/// The Brier score of a shrug, p = 0.5: the no-skill baseline.
pub const SHRUG_BRIER: f64 = 0.25;

/// Whether two real boolean outcomes are one event: the same question with
/// the same answer, or one the negation of the other with opposite answers.
/// Each is `(outcome, what really happened)`. An outcome that only names
/// another outcome is read through to it.
fn same_event(model: &Model, a: (OutcomeId, bool), b: (OutcomeId, bool)) -> bool {
    use uchronia_model::{Expr, OutcomeKind, Ref, UnaryOp};
    fn question(model: &Model, outcome: OutcomeId) -> Option<(&Expr, &Option<Expr>)> {
        match &model.outcomes[outcome].kind {
            OutcomeKind::Boolean {
                when: Expr::Ref(Ref::Outcome(other)),
                given: None,
            } if *other != outcome => question(model, *other),
            OutcomeKind::Boolean { when, given } => Some((when, given)),
            OutcomeKind::Numeric { .. } => None,
        }
    }
    let (Some((when_a, given_a)), Some((when_b, given_b))) =
        (question(model, a.0), question(model, b.0))
    else {
        return false;
    };
    let negation =
        |x: &Expr, y: &Expr| matches!(x, Expr::Unary(UnaryOp::Not, inner) if **inner == *y);
    given_a == given_b
        && if a.1 == b.1 {
            when_a == when_b
        } else {
            negation(when_a, when_b) || negation(when_b, when_a)
        }
}

/// Four significant digits for a message (`-` when undefined).
fn short(x: Option<f64>) -> String {
    match x {
        Some(x) if x != 0.0 && x.is_finite() => {
            let digits = (3 - x.abs().log10().floor() as i32).max(0) as usize;
            format!("{x:.digits$}")
        }
        Some(x) => x.to_string(),
        None => "-".into(),
    }
}

/// The Brier score of probability `p` for an event that happened or not.
pub fn brier(p: f64, happened: bool) -> f64 {
    let y = if happened { 1.0 } else { 0.0 };
    (p - y) * (p - y)
}

/// How many standard errors from the threshold a probability must lie for
/// its target's verdict to be firm: within them, another seed could decide
/// it the other way (as a claim's `knife_edge`).
pub const EDGE_SES: f64 = 2.0;

/// Whether `row`'s probability of what happened lies within [`EDGE_SES`]
/// standard errors of `min_probability`, met or missed.
pub fn on_the_edge(row: &CalibrationRow, min_probability: f64) -> bool {
    match (row.p_real, row.mc_se) {
        (Some(p), Some(se)) => (p - min_probability).abs() < EDGE_SES * se,
        _ => false,
    }
}

/// Every target `calibration` misses, in row order, the mean Brier score last,
/// each marked `accepted` where the history file accepts it. Empty when all
/// are met.
pub fn check_targets(calibration: &Calibration, targets: &Targets) -> Vec<Miss> {
    let mut misses = Vec::new();
    for row in &calibration.rows {
        match row.real {
            RealValue::Boolean(happened) => match row.p_real {
                Some(p) if p >= targets.min_probability => {}
                Some(p) => misses.push(Miss::new(
                    Some(&row.outcome),
                    format!(
                        "`{}` {}, but the model gives that probability {:.3} (target: at least {})",
                        row.outcome,
                        if happened {
                            "happened"
                        } else {
                            "did not happen"
                        },
                        p,
                        targets.min_probability
                    ),
                )),
                None => misses.push(Miss::new(
                    Some(&row.outcome),
                    format!(
                        "`{}` has no probability: its condition never held",
                        row.outcome
                    ),
                )),
            },
            RealValue::Number(x) if targets.numeric_inside_90 => match row.inside_90 {
                Some(true) => {}
                Some(false) => misses.push(Miss::new(
                    Some(&row.outcome),
                    format!(
                        "`{}` was really {x}, outside the model's 90% interval [{}, {}]",
                        row.outcome,
                        short(row.q05),
                        short(row.q95)
                    ),
                )),
                None => misses.push(Miss::new(
                    Some(&row.outcome),
                    format!("`{}` has no 90% interval: it took no value", row.outcome),
                )),
            },
            RealValue::Number(_) => {}
        }
    }
    match calibration.mean_brier {
        Some(b) if b <= targets.max_mean_brier => {}
        Some(b) => misses.push(Miss::new(
            None,
            format!(
                "the mean Brier score is {b:.4} (target: at most {})",
                targets.max_mean_brier
            ),
        )),
        // No boolean outcome to score: nothing to miss.
        None => {}
    }
    for miss in &mut misses {
        miss.accepted = (miss.outcome.as_deref()).is_some_and(|o| targets.accepts_miss(o));
        // A repeat of an earlier row's event misses with it: say so, so that
        // a reader does not count one miss twice.
        let row = (calibration.rows.iter()).find(|r| Some(&r.outcome) == miss.outcome.as_ref());
        if let Some(first) = row.and_then(|r| r.same_event_as.as_ref()) {
            miss.message
                .push_str(&format!(" (the same event as `{first}`)"));
        }
    }
    misses
}

#[cfg(test)]
mod tests {
    use super::*;
    use uchronia_claims::history::parse_history;
    use uchronia_engine::tally::{DrawTally, Moments, ScenarioTally, Sketch};

    use uchronia_test_support::texts::EVENT_AND_YEAR as MODEL;

    fn model() -> Model {
        uchronia_model::load("tiny.toml", MODEL)
            .expect("valid")
            .model
    }

    /// Two draws of 10 trials: 2 then 4 hits (p_d = 0.2, 0.4); the years
    /// 1930..=1939 once each in each draw.
    fn tally() -> Tally {
        let years: Vec<f64> = (1930..1940).map(f64::from).collect();
        let mut sketch = Sketch::new();
        for _ in 0..2 {
            for &y in &years {
                sketch.push(y);
            }
        }
        let draw = |index, hits| DrawTally {
            index,
            params: vec![0.5],
            outcomes: vec![
                OutcomeTally::Boolean { given: 10, hits },
                OutcomeTally::Numeric(Moments::of(&years)),
            ],
            years: Vec::new(),
        };
        Tally {
            seed: 1,
            draws: 2,
            trials_per_draw: 10,
            draw_range: 0..2,
            design: Default::default(),
            scenarios: vec![ScenarioTally {
                scenario: 0,
                draws: vec![draw(0, 2), draw(1, 4)],
                sketches: vec![None, Some(sketch)],
            }],
        }
    }

    fn history(text: &str) -> History {
        parse_history("h.toml", text, &model()).expect("valid history")
    }

    #[test]
    fn boolean_outcomes_get_probability_interval_and_brier_score() {
        let h = history("[outcomes]\nevent_happens = false\n");
        let c = calibrate(&model(), &tally(), &h).expect("scored");
        let row = &c.rows[0];
        assert!((row.p_or_q50.expect("p") - 0.3).abs() < 1e-12);
        // Type-7 quantiles of [0.2, 0.4].
        assert!((row.q05.expect("q05") - 0.21).abs() < 1e-12);
        assert!((row.q95.expect("q95") - 0.39).abs() < 1e-12);
        assert!((row.brier.expect("brier") - 0.09).abs() < 1e-12);
        assert!((row.p_real.expect("p_real") - 0.7).abs() < 1e-12);
        assert_eq!(row.inside_90, None);
        assert!((c.mean_brier.expect("mean") - 0.09).abs() < 1e-12);
        assert_eq!((c.draws, c.trials), (2, 20));
    }

    #[test]
    fn numeric_outcomes_get_interval_membership_and_percentile() {
        let h = history("[outcomes]\nevent_year = 1935\n");
        let c = calibrate(&model(), &tally(), &h).expect("scored");
        let row = &c.rows[0];
        // 20 values, two of each year 1930..=1939; type 7 at 5%: h = 0.95,
        // between ranks 0 and 1, both 1930.
        assert_eq!(row.q05, Some(1930.0));
        assert_eq!(row.q95, Some(1939.0));
        assert_eq!(row.inside_90, Some(true));
        // 1935 fills ranks 10 and 11 of 0..=19: the quantile is below 1935
        // up to level 10/19 and at most 1935 up to 11/19.
        let percentile = row.percentile.expect("percentile");
        assert!((percentile - 10.5 / 19.0).abs() < 1e-9, "{percentile}");
        assert_eq!(c.mean_brier, None);
        assert_eq!(row.brier, None);

        let outside = history("[outcomes]\nevent_year = 1941\n");
        let c = calibrate(&model(), &tally(), &outside).expect("scored");
        assert_eq!(c.rows[0].inside_90, Some(false));
        assert_eq!(c.rows[0].percentile, Some(1.0));
    }

    #[test]
    fn targets_report_each_miss() {
        let h = history("[outcomes]\nevent_happens = true\nevent_year = 1945\n");
        let c = calibrate(&model(), &tally(), &h).expect("scored");
        // p = 0.3 for what happened: exactly at the default target.
        assert!((c.rows[0].p_real.expect("p") - 0.3).abs() < 1e-12);
        let misses = check_targets(&c, &Targets::default());
        // Brier 0.49 > 0.2 and 1945 outside [1930, 1939]; 0.3 may round
        // below 0.3 in floating point, so accept 2 or 3 misses.
        let text: Vec<String> = misses.iter().map(ToString::to_string).collect();
        assert!(text.iter().any(|m| m.contains("event_year")), "{text:?}");
        assert!(text.iter().any(|m| m.contains("Brier")), "{text:?}");

        let lenient = Targets {
            min_probability: 0.1,
            max_mean_brier: 0.5,
            numeric_inside_90: false,
            accepted_misses: Vec::new(),
        };
        assert_eq!(check_targets(&c, &lenient), Vec::new());
        let strict = Targets {
            min_probability: 0.5,
            ..lenient.clone()
        };
        let misses = check_targets(&c, &strict);
        assert_eq!(misses.len(), 1);
        assert!(misses[0].message.contains("`event_happens` happened, but"));
        assert_eq!(misses[0].outcome.as_deref(), Some("event_happens"));
        let misses = check_targets(&c, &Targets::default());
        let year = misses
            .iter()
            .find(|m| m.outcome.as_deref() == Some("event_year"))
            .expect("the year misses");
        assert!(year.message.contains("[1930, 1939]"), "{}", year.message);
        let brier = misses.last().expect("the Brier miss");
        assert_eq!(brier.outcome, None);
    }

    /// The tiny model with two more outcomes: the same question as
    /// `event_happens` again, and its negation.
    fn model_with_repeats() -> Model {
        let text = format!(
            "{MODEL}\n[outcomes.event_again]\nwhen = \"event\"\n\n[outcomes.no_event]\nwhen = \"not event\"\n\n[outcomes.event_twice]\nwhen = \"event and event\"\n"
        );
        uchronia_model::load("tiny.toml", &text)
            .expect("valid")
            .model
    }

    /// `tally()` with `event_again` hit `again` times in each draw and
    /// `no_event` the complement of `event_happens`.
    fn tally_with_repeats(again: u64) -> Tally {
        let mut t = tally();
        for draw in &mut t.scenarios[0].draws {
            let Some(OutcomeTally::Boolean { hits, .. }) = draw.outcomes.first().copied() else {
                unreachable!("a boolean first outcome")
            };
            draw.outcomes.push(OutcomeTally::Boolean {
                given: 10,
                hits: again,
            });
            draw.outcomes.push(OutcomeTally::Boolean {
                given: 10,
                hits: 10 - hits,
            });
            // event_twice: written apart, the same counts as event_happens.
            draw.outcomes
                .push(OutcomeTally::Boolean { given: 10, hits });
        }
        t.scenarios[0].sketches.extend([None, None, None]);
        t
    }

    #[test]
    fn the_aggregate_scores_count_each_event_once() {
        let model = model_with_repeats();
        let h = parse_history(
            "h.toml",
            "[outcomes]\nevent_happens = false\nevent_again = false\nno_event = true\n",
            &model,
        )
        .expect("valid history");
        // event_again hit as often as event_happens: the same numbers.
        let mut t = tally_with_repeats(0);
        for draw in &mut t.scenarios[0].draws {
            let first = draw.outcomes[0];
            draw.outcomes[2] = first;
        }
        let c = calibrate(&model, &t, &h).expect("scored");
        let same: Vec<Option<&str>> = c.rows.iter().map(|r| r.same_event_as.as_deref()).collect();
        assert_eq!(same, [None, Some("event_happens"), Some("event_happens")]);
        assert_eq!(c.events, 1);
        // One event, p = 0.3 for what did not happen: Brier 0.09, skill
        // 1 - 0.09 / 0.25, log score -log2(0.7).
        assert!((c.mean_brier.expect("mean") - 0.09).abs() < 1e-12);
        assert!((c.brier_skill.expect("skill") - 0.64).abs() < 1e-12);
        assert!((c.mean_log_score.expect("log") + 0.7f64.log2()).abs() < 1e-12);
        // Not the same event when the answers disagree with the question.
        let h = parse_history(
            "h.toml",
            "[outcomes]\nevent_happens = false\nno_event = false\n",
            &model,
        )
        .expect("valid history");
        let c = calibrate(&model, &t, &h).expect("scored");
        assert_eq!(c.rows[1].same_event_as, None);
        assert_eq!(c.events, 2);
    }

    #[test]
    fn rows_with_the_same_counts_in_every_draw_are_one_event_and_the_split_shows_each_side() {
        let model = model_with_repeats();
        let t = tally_with_repeats(3);
        // event_twice is another expression with event_happens's counts
        // (2 and 4 of 10); no_event's are their complement.
        let h = parse_history(
            "h.toml",
            "[outcomes]\nevent_happens = true\nevent_twice = true\nevent_again = false\n",
            &model,
        )
        .expect("valid history");
        let c = calibrate(&model, &t, &h).expect("scored");
        let same: Vec<Option<&str>> = c.rows.iter().map(|r| r.same_event_as.as_deref()).collect();
        // event_again (3 of 10 in each draw) has event_happens's expression
        // but the opposite answer: a history at odds with itself, not one
        // event.
        assert_eq!(same, [None, Some("event_happens"), None]);
        // The counts rule alone: complementary counts with opposite answers.
        assert!(same_counts(
            (&[(10, 2), (10, 4)], true),
            (&[(10, 8), (10, 6)], false)
        ));
        assert!(!same_counts(
            (&[(10, 2), (10, 4)], true),
            (&[(10, 8), (10, 6)], true)
        ));
        assert!(!same_counts(
            (&[(10, 2), (10, 4)], true),
            (&[(10, 2), (10, 5)], true)
        ));
        // Counts that never leave 0 tell nothing.
        assert!(!same_counts(
            (&[(10, 0), (10, 0)], false),
            (&[(10, 0), (10, 0)], false)
        ));
        // One event that happened (p = 0.3: Brier 0.49), one that did not
        // (event_again, p = 0.3: Brier 0.09).
        let [(n_yes, yes), (n_no, no)] = c.brier_by_outcome();
        assert_eq!((n_yes, n_no), (1, 1));
        assert!((yes.expect("mean") - 0.49).abs() < 1e-12);
        assert!((no.expect("mean") - 0.09).abs() < 1e-12);
    }

    #[test]
    fn a_row_the_scenario_decides_rightly_is_left_out_and_a_wrong_one_counts() {
        let model = model_with_repeats();
        // event_again never happens in any trial of any draw.
        let t = tally_with_repeats(0);
        let alone = parse_history("h.toml", "[outcomes]\nevent_again = false\n", &model)
            .expect("valid history");
        let c = calibrate(&model, &t, &alone).expect("scored");
        assert!(c.rows[0].decided());
        assert!(!c.rows[0].counted());
        assert_eq!((c.events, c.mean_brier), (0, None));
        let wrong = parse_history("h.toml", "[outcomes]\nevent_again = true\n", &model)
            .expect("valid history");
        let c = calibrate(&model, &t, &wrong).expect("scored");
        assert!(!c.rows[0].decided());
        assert_eq!((c.events, c.mean_brier), (1, Some(1.0)));
        assert_eq!(c.mean_log_score, Some(f64::INFINITY));
    }

    #[test]
    fn a_scenario_missing_from_the_run_is_an_error() {
        let h = history("[outcomes]\nevent_happens = true\n");
        let mut t = tally();
        t.scenarios.clear();
        assert_eq!(
            calibrate(&model(), &t, &h),
            Err(CalibrationError::ScenarioNotRun("history".into()))
        );
    }

    #[test]
    fn brier_scores_are_squared_distances() {
        assert_eq!(brier(1.0, true), 0.0);
        assert_eq!(brier(0.0, true), 1.0);
        assert!((brier(0.8, false) - 0.64).abs() < 1e-12);
    }

    #[test]
    fn a_target_within_two_standard_errors_is_on_the_edge_met_or_missed() {
        let row = |p_real: Option<f64>, mc_se: Option<f64>| CalibrationRow {
            outcome: "war".into(),
            real: RealValue::Boolean(true),
            p_or_q50: p_real,
            q05: None,
            q95: None,
            brier: None,
            p_real,
            mc_se,
            inside_90: None,
            percentile: None,
            note: None,
            same_event_as: None,
        };
        // The shipped model's wartime alliance: 0.3029 +- 0.00244.
        assert!(on_the_edge(&row(Some(0.3029), Some(0.00244)), 0.3));
        assert!(on_the_edge(&row(Some(0.2971), Some(0.00244)), 0.3));
        assert!(!on_the_edge(&row(Some(0.3050), Some(0.00244)), 0.3));
        assert!(!on_the_edge(&row(Some(0.2), Some(0.01)), 0.3));
        // Without a standard error (a numeric row) nothing is on the edge.
        assert!(!on_the_edge(&row(Some(0.3), None), 0.3));
        assert!(!on_the_edge(&row(None, Some(0.01)), 0.3));
    }
}
