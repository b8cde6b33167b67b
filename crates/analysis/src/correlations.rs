//! `correlations.csv`: each `[[correlations]]` block's target rank
//! correlation beside the one the run achieved (Spearman over its draws),
//! so that a reader sees the two side by side (contract 1.1, section 5).

use uchronia_engine::tally::Tally;
use uchronia_model::Model;

use crate::stats::spearman;

/// A gap between target and achieved beyond this is worth a sentence in the
/// summaries.
pub const NOTABLE_GAP: f64 = 0.05;

/// One `[[correlations]]` block, target and achieved.
#[derive(Clone, Debug, PartialEq)]
pub struct CorrelationRow {
    /// The first param, as written.
    pub param_a: String,
    /// The second param.
    pub param_b: String,
    /// The target Spearman rank correlation.
    pub target: f64,
    /// Spearman's rho of the two params' values over the run's draws, in
    /// the first scenario of the run that sets neither (`None` when every
    /// scenario sets one, or with fewer than two draws).
    pub achieved: Option<f64>,
}

impl CorrelationRow {
    /// `|target - achieved|` when it exceeds [`NOTABLE_GAP`].
    pub fn notable_gap(&self) -> Option<f64> {
        let gap = (self.target - self.achieved?).abs();
        (gap > NOTABLE_GAP).then_some(gap)
    }
}

/// One row per `[[correlations]]` block of `model`, in file order (empty
/// when it has none). A scenario that sets a param replaces its prior, so
/// the achieved value is read where neither param is set: the reference
/// scenario, when it was run and sets neither.
pub fn correlations(model: &Model, tally: &Tally) -> Vec<CorrelationRow> {
    let mut order: Vec<&_> = tally.scenarios.iter().collect();
    order.sort_by_key(|s| s.scenario != 0);
    model
        .correlations
        .iter()
        .map(|block| {
            let [a, b] = block.params;
            let sets = |id: usize| {
                (model.scenarios.get(id))
                    .is_some_and(|s| s.settings.iter().any(|(p, _)| *p == a || *p == b))
            };
            let achieved = order.iter().find(|s| !sets(s.scenario)).and_then(|s| {
                let values = |p: usize| -> Vec<f64> {
                    s.draws
                        .iter()
                        .map(|d| d.params.get(p).copied().unwrap_or(f64::NAN))
                        .collect()
                };
                spearman(&values(a), &values(b))
            });
            CorrelationRow {
                param_a: model.params[a].name.clone(),
                param_b: model.params[b].name.clone(),
                target: block.rank,
                achieved,
            }
        })
        .collect()
}
