//! [`Report`]: everything a report shows, in one value, and the views of it
//! that the charts and summaries share (scenarios in display order, headline
//! outcomes, paired differences).
//!
//! Analyses that are computed elsewhere (claims, sensitivity, comparison,
//! sweeps) arrive as slices of their result rows; an empty slice means "not
//! computed" and the report leaves that part out (or says so).

use std::collections::BTreeSet;

use uchronia_analysis::crux::Crux;
use uchronia_analysis::findings::{Against, ClaimSummary, ComparisonRow, SensitivityRow, SweepRow};
use uchronia_analysis::{BooleanSummary, CorrelationRow, NumericSummary, Summary};
use uchronia_claims::VerdictRules;
use uchronia_engine::tally::{ScenarioTally, Tally};
use uchronia_model::{Model, Named, OutcomeId, OutcomeKind};

use crate::RunInfo;

/// Everything one report shows.
#[derive(Clone, Debug)]
pub struct Report<'a> {
    /// The model that was run.
    pub model: &'a Model,
    /// What the run produced.
    pub tally: &'a Tally,
    /// Its summary (`uchronia_analysis::summarize(model, tally)`).
    pub summary: &'a Summary,
    /// The run's settings, as in `run.json`.
    pub info: &'a RunInfo,
    /// Claims checked against the run (empty: none).
    pub claims: &'a [ClaimSummary],
    /// Sensitivity rows (empty: not computed; no tornado charts).
    pub sensitivity: &'a [SensitivityRow],
    /// Comparison rows (empty: the report computes the paired differences
    /// it shows from the tally).
    pub comparison: &'a [ComparisonRow],
    /// Sweep rows (empty: no sweep charts).
    pub sweep: &'a [SweepRow],
    /// The crux analysis (None: no crux files, charts or section).
    pub crux: Option<&'a Crux>,
    /// Target against achieved rank correlations (empty: the model has
    /// none; no correlations.csv).
    pub correlations: &'a [CorrelationRow],
    /// The command that reproduces the run, as it should be shown.
    pub command: String,
    /// Whether to write `draws.parquet`.
    pub parquet: bool,
    /// `--standalone`: inline the charts in `summary.html` instead of
    /// linking the PNG files beside it.
    pub standalone: bool,
    /// `--full`: every row of `sensitivity.csv`, not only those whose
    /// parameter is an ancestor of the outcome and beyond the noise bound.
    pub full: bool,
    /// What `explore.html` needs beyond the rest (`None`: no page).
    pub explore: Option<Explore<'a>>,
    /// The `matched` comparison rows of the scenario that "In short" opens
    /// with, against its matched baseline, rerun with every param that has
    /// an `ex_ante` prior drawn from it (empty: not computed; the opening
    /// then says nothing of them).
    pub ex_ante: &'a [ComparisonRow],
}

impl<'a> Report<'a> {
    /// A report of a run with no claims, sensitivity, comparison or sweep,
    /// no Parquet table and no command line; set the fields to add them.
    pub fn new(
        model: &'a Model,
        tally: &'a Tally,
        summary: &'a Summary,
        info: &'a RunInfo,
    ) -> Report<'a> {
        Report {
            model,
            tally,
            summary,
            info,
            claims: &[],
            sensitivity: &[],
            comparison: &[],
            sweep: &[],
            crux: None,
            correlations: &[],
            command: String::new(),
            parquet: false,
            standalone: false,
            full: false,
            explore: None,
            ex_ante: &[],
        }
    }

    /// The scenarios of the run, the reference first (the model's first
    /// scenario when it was run, else the first run), then in run order.
    pub fn scenarios(&self) -> Vec<ScenarioView<'a>> {
        let model = self.model;
        let reference = self
            .tally
            .scenarios
            .iter()
            .position(|s| s.scenario == 0)
            .unwrap_or(0);
        let mut order: Vec<usize> = vec![reference];
        order.extend((0..self.tally.scenarios.len()).filter(|&i| i != reference));
        order
            .into_iter()
            .filter_map(|i| self.tally.scenarios.get(i))
            .enumerate()
            .filter_map(|(position, tally)| {
                let scenario = model.scenarios.get(tally.scenario)?;
                Some(ScenarioView {
                    name: &scenario.name,
                    label: model.display_name(Named::Scenario, &scenario.name),
                    doc: scenario.doc.as_deref(),
                    tally,
                    position,
                })
            })
            .collect()
    }

    /// Listed boolean outcomes, in model order.
    pub fn boolean_outcomes(&self) -> Vec<OutcomeId> {
        self.listed(|kind| matches!(kind, OutcomeKind::Boolean { .. }))
    }

    /// Listed numeric outcomes, in model order.
    pub fn numeric_outcomes(&self) -> Vec<OutcomeId> {
        self.listed(|kind| matches!(kind, OutcomeKind::Numeric { .. }))
    }

    fn listed(&self, keep: impl Fn(&OutcomeKind) -> bool) -> Vec<OutcomeId> {
        (self.model.outcomes.iter().enumerate())
            .filter(|(_, outcome)| outcome.listed && keep(&outcome.kind))
            .map(|(id, _)| id)
            .collect()
    }

    /// The headline outcomes (`[report] headline`, in its order), or every
    /// listed outcome when the model names none.
    pub fn headline(&self) -> Vec<OutcomeId> {
        let listed: Vec<OutcomeId> = (self.model.report.headline.iter().copied())
            .filter(|&id| self.model.outcomes.get(id).is_some_and(|o| o.listed))
            .collect();
        if listed.is_empty() {
            let mut all = self.boolean_outcomes();
            all.extend(self.numeric_outcomes());
            all.sort_unstable();
            return all;
        }
        listed
    }

    /// The boolean headline outcomes (every listed boolean outcome when the
    /// model names no boolean headline).
    pub fn headline_booleans(&self) -> Vec<OutcomeId> {
        let booleans = self.boolean_outcomes();
        let chosen: Vec<OutcomeId> = (self.model.report.headline.iter().copied())
            .filter(|id| booleans.contains(id))
            .collect();
        if chosen.is_empty() { booleans } else { chosen }
    }

    /// Whether the headline booleans leave some boolean outcome out (then
    /// the report has a second chart with all of them).
    pub fn headline_is_a_subset(&self) -> bool {
        self.headline_booleans().len() < self.boolean_outcomes().len()
    }

    /// The outcome's name.
    pub fn outcome_name(&self, outcome: OutcomeId) -> &'a str {
        self.model
            .outcomes
            .get(outcome)
            .map_or("", |o| o.name.as_str())
    }

    /// The outcome's display name: its label, or its name.
    pub fn outcome_label(&self, outcome: OutcomeId) -> &'a str {
        self.model
            .display_name(Named::Item, self.outcome_name(outcome))
    }

    /// The display name of a param, node or outcome given by its name.
    pub fn label(&self, name: &'a str) -> &'a str {
        self.model.display_name(Named::Item, name)
    }

    /// The display name of a scenario given by its name.
    pub fn scenario_label(&self, name: &'a str) -> &'a str {
        self.model.display_name(Named::Scenario, name)
    }

    /// The summary row of a boolean outcome in a scenario.
    pub fn boolean_row(&self, scenario: &str, outcome: &str) -> Option<&'a BooleanSummary> {
        (self.summary.boolean.iter()).find(|r| r.scenario == scenario && r.outcome == outcome)
    }

    /// The summary row of a numeric outcome in a scenario.
    pub fn numeric_row(&self, scenario: &str, outcome: &str) -> Option<&'a NumericSummary> {
        (self.summary.numeric.iter()).find(|r| r.scenario == scenario && r.outcome == outcome)
    }

    /// The paired difference of a boolean outcome's probability between
    /// `scenario` and `reference`, as the analysis computed it (its
    /// `reference` comparison row): the chart draws what comparison.csv
    /// says. `None` when the analysis has no such row.
    pub fn difference(
        &self,
        scenario: &ScenarioView,
        reference: &ScenarioView,
        outcome: OutcomeId,
    ) -> Option<Difference> {
        let name = self.outcome_name(outcome);
        let row = self.comparison.iter().find(|r| {
            r.against == Against::Reference
                && r.scenario == scenario.name
                && r.reference == reference.name
                && r.outcome == name
        })?;
        Some(Difference {
            mean: row.diff?,
            q05: row.diff_q05?,
            q95: row.diff_q95?,
        })
    }

    /// The effect of `scenario`'s divergence alone on a boolean outcome:
    /// its `matched` comparison row (against its matched baseline), when
    /// it has one, with the baseline's name.
    pub fn matched(&self, scenario: &str, outcome: OutcomeId) -> Option<(&'a str, Difference)> {
        let name = self.outcome_name(outcome);
        let row = self.comparison.iter().find(|r| {
            r.against == Against::Matched && r.scenario == scenario && r.outcome == name
        })?;
        Some((
            row.reference.as_str(),
            Difference {
                mean: row.diff?,
                q05: row.diff_q05?,
                q95: row.diff_q95?,
            },
        ))
    }

    /// The confounders of `scenario` against the reference, from its
    /// `reference` comparison rows (empty when none, or not computed).
    pub fn confounders(&self, scenario: &str) -> &'a [String] {
        self.comparison
            .iter()
            .find(|r| r.against == Against::Reference && r.scenario == scenario)
            .map_or(&[], |r| r.confounders.as_slice())
    }

    /// How many distinct sources (keys of `data/sources.toml`) the model's
    /// parameters and nodes cite.
    pub fn sources_cited(&self) -> usize {
        let params = self.model.params.iter().flat_map(|p| &p.source);
        let nodes = self.model.nodes.iter().flat_map(|n| &n.source);
        params.chain(nodes).collect::<BTreeSet<&String>>().len()
    }
}

/// One scenario as the report shows it.
#[derive(Clone, Copy, Debug)]
pub struct ScenarioView<'a> {
    /// Its name.
    pub name: &'a str,
    /// Its display name: its label, or its name.
    pub label: &'a str,
    /// Its one-sentence description.
    pub doc: Option<&'a str>,
    /// Its tallies.
    pub tally: &'a ScenarioTally,
    /// Its place in display order: 0 is the reference; it picks the colour.
    pub position: usize,
}

/// A paired difference over draws: its mean and 90% interval.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Difference {
    /// Mean of the per-draw differences.
    pub mean: f64,
    /// Their 5% quantile.
    pub q05: f64,
    /// Their 95% quantile.
    pub q95: f64,
}

/// Where a claim's per-draw value comes from, in [`Explore::full_tally`]:
/// `hits / given` of `outcome` in `scenario`, less the same in `than` for a
/// comparative claim (`uchronia_analysis::claims::per_draw`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClaimEvent {
    /// The claim's scenario.
    pub scenario: uchronia_model::ScenarioId,
    /// The scenario it compares with (comparative claims only).
    pub than: Option<uchronia_model::ScenarioId>,
    /// The claim's event, an outcome of the full model.
    pub outcome: OutcomeId,
}

/// What `explore.html` needs beyond the report itself ([`crate::explore`]).
#[derive(Clone, Debug)]
pub struct Explore<'a> {
    /// The model with its matched baselines (the report's model has none).
    pub full_model: &'a Model,
    /// The tally with the matched baselines' scenarios.
    pub full_tally: &'a Tally,
    /// Per claim, in the order of the report's claims: its value and whether
    /// it holds in each draw of its scenario, `None` where undefined
    /// (`uchronia_analysis::claims::per_draw`).
    pub claims: Vec<Vec<Option<(f64, bool)>>>,
    /// Per claim, in the same order, what its per-draw value is made of
    /// (the page carries these counts rather than the values, a third of
    /// the bytes); `None`, or a shorter list, carries the values themselves.
    pub claim_events: Vec<Option<ClaimEvent>>,
    /// The lexicon's verdict thresholds (`None`: no claims).
    pub verdicts: Option<VerdictRules>,
}
