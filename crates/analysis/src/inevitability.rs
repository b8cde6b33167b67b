//! Inevitability curves (Tetlock and Lebow; contract 1.1, section 5): the
//! probability of an outcome in the world as known through year Y, for
//! every year Y at which a fact becomes known, and once with nothing known.
//!
//! Each point of a curve is a scenario: the facts through Y fixed (`do`),
//! everything after left to chance, and optionally a base scenario's own
//! `do` and `set` applied after the facts. All points run in one pass of
//! the engine, so they share their random numbers (common random numbers):
//! a step between two years is the facts' effect, not noise.

use uchronia_engine::tally::{OutcomeTally, Tally};
use uchronia_model::{Model, NodeId, OutcomeId, Scenario, ScenarioId, Value};

use crate::{boolean_counts, summarize_boolean};

/// One point of the curves: the world as known through `year`.
#[derive(Clone, Debug)]
pub struct Point {
    /// The year the facts are known through.
    pub year: i32,
    /// The number of nodes the facts fix (`facts_through = year`).
    pub facts: usize,
    /// The point's scenario, for the engine.
    pub scenario: Scenario,
}

/// A row of `inevitability.csv`.
#[derive(Clone, Debug, PartialEq)]
pub struct InevitabilityRow {
    /// The year the facts are known through.
    pub known_through: i32,
    /// The outcome.
    pub outcome: String,
    /// Mean over draws of the per-draw probability.
    pub p_mean: Option<f64>,
    /// Its Monte Carlo standard error.
    pub mc_se: Option<f64>,
    /// 5% quantile over draws.
    pub p_q05: Option<f64>,
    /// Median over draws.
    pub p_q50: Option<f64>,
    /// 95% quantile over draws.
    pub p_q95: Option<f64>,
    /// The number of nodes fixed by the facts.
    pub facts: usize,
}

/// The points of the curves of `model`: a first one the year before the
/// first fact becomes known, with nothing known, then one per year at which
/// a fact becomes known. `base`'s `do` is applied after the facts and its
/// `set` kept. Empty when no node has both a `year` and a `fact`.
pub fn points(model: &Model, base: Option<ScenarioId>) -> Vec<Point> {
    let years = model.fact_years();
    let Some(&first) = years.first() else {
        return Vec::new();
    };
    let base = base.and_then(|id| model.scenarios.get(id));
    std::iter::once(first.saturating_sub(1))
        .chain(years)
        .map(|year| {
            let facts = model.facts_through(year);
            let mut fixings: Vec<(NodeId, Value)> = facts.clone();
            if let Some(base) = base {
                fixings.retain(|(node, _)| !base.interventions.iter().any(|(n, _)| n == node));
                fixings.extend(base.interventions.iter().copied());
                fixings.sort_by_key(|(node, _)| *node);
            }
            let name = match base {
                Some(base) => format!("{}@{year}", base.name),
                None => format!("known_through_{year}"),
            };
            Point {
                year,
                facts: facts.len(),
                scenario: Scenario {
                    name,
                    doc: Some(format!("The world as known at the end of {year}.")),
                    label: None,
                    baseline_label: None,
                    interventions: fixings,
                    settings: base.map(|b| b.settings.clone()).unwrap_or_default(),
                    facts_through: Some(year),
                    span: Default::default(),
                },
            }
        })
        .collect()
}

/// The rows of `inevitability.csv`: for each point (by year) and each of
/// `outcomes` (boolean), its probability over the draws. `tally` holds the
/// points' scenarios, in the order of `points`.
pub fn curves(
    model: &Model,
    tally: &Tally,
    points: &[Point],
    outcomes: &[OutcomeId],
) -> Vec<InevitabilityRow> {
    let mut rows = Vec::new();
    for (point, scenario) in points.iter().zip(&tally.scenarios) {
        for &outcome in outcomes {
            let summary = summarize_boolean(&boolean_counts(scenario, outcome));
            rows.push(InevitabilityRow {
                known_through: point.year,
                outcome: model.outcomes[outcome].name.clone(),
                p_mean: summary.p_mean,
                mc_se: summary.mc_se,
                p_q05: summary.p_q05,
                p_q50: summary.p_q50,
                p_q95: summary.p_q95,
                facts: point.facts,
            });
        }
    }
    rows
}

/// Whether `outcomes` are alternatives that cover every case: in every
/// draw of every scenario of `tally`, their hits add up to the trials
/// exactly (so their probabilities sum to 1 and a stacked chart of them is
/// honest). Needs two outcomes or more, none with `given`.
pub fn partition(tally: &Tally, outcomes: &[OutcomeId]) -> bool {
    if outcomes.len() < 2 || tally.scenarios.is_empty() {
        return false;
    }
    tally.scenarios.iter().all(|scenario| {
        scenario.draws.iter().all(|draw| {
            let mut hits = 0u64;
            for &outcome in outcomes {
                match draw.outcomes.get(outcome) {
                    Some(OutcomeTally::Boolean { given, hits: h })
                        if *given == tally.trials_per_draw =>
                    {
                        hits += h
                    }
                    _ => return false,
                }
            }
            hits == tally.trials_per_draw
        })
    })
}
