//! From a finished tally to the analysed results and the report folder: the
//! one path that `run` (plain, checkpointed or with a precision target) and
//! `merge` share, so a merged or resumed report is the very report a plain
//! run writes.
//!
//! The tally may hold matched baselines (`S~baseline`, run beside their
//! scenarios): they give the `matched` rows of comparison.csv and nothing
//! else, so every other table is the one a run without them writes.
//!
//! Everything the report holds is computed from the model and the tally
//! alone (D is the number of draws in the tally, T and the seed are the
//! tally's), never from how the draws were split or when they ran.

use std::path::{Path, PathBuf};

use uchronia_analysis::claims::per_draw;
use uchronia_analysis::crux::Crux;
use uchronia_analysis::findings::{ClaimSummary, ComparisonRow, SensitivityRow};
use uchronia_analysis::{CorrelationRow, Summary};
use uchronia_engine::Tally;
use uchronia_model::Model;
use uchronia_model::baseline::{matched_pairs, without_baselines};
use uchronia_report::RunInfo;
use uchronia_report::explore::{ClaimEvent, Explore};

use crate::claims::Checked;
use crate::failure::{Failure, report_failure};
use crate::model::LoadedModel;

/// A finished run, ready to be analysed and written as a report.
pub struct Finished<'a> {
    /// The model the tally came from.
    pub model: &'a LoadedModel,
    /// The tally of every draw.
    pub tally: &'a Tally,
    /// Worker threads (for run.json).
    pub threads: usize,
    /// Seconds the engine ran (for run.json).
    pub elapsed_seconds: f64,
    /// The report folder, replaced as a whole.
    pub out: &'a Path,
    /// Folders inside the previous `out` (relative to it) whose files are
    /// copied into the new report: the shard folders a merge read from there.
    pub carry: &'a [PathBuf],
    /// The claims attached to `model`, judged in the report.
    pub claims: Option<&'a Checked>,
    /// The command that reproduces the report (shown in the summaries).
    pub command: String,
    /// Also write draws.parquet.
    pub parquet: bool,
    /// `--full`: every row of sensitivity.csv, not only the ancestors'.
    pub full: bool,
    /// `--standalone`: summary.html with its charts inlined.
    pub standalone: bool,
    /// Analyse the posters' cruxes even when the claims have one author
    /// (`uchronia crux`); a run does it when they have at least two.
    pub crux: bool,
    /// Rerun the opening's effects with the ex-ante priors
    /// ([`ex_ante_check`](crate::ex_ante_check)); `--no-ex-ante-check`
    /// turns it off.
    pub ex_ante_check: bool,
}

/// What the analyses made of a finished run: what a front end shows.
pub struct Analysed {
    /// The model without its matched baselines: what the tables are about.
    pub model: Model,
    /// The tally of the model's own scenarios (baselines left out).
    pub tally: Tally,
    /// Each outcome's estimates per scenario.
    pub summary: Summary,
    /// Which parameters drive each outcome.
    pub sensitivity: Vec<SensitivityRow>,
    /// Each scenario against the reference, then each diverging scenario
    /// against its matched baseline; paired over draws.
    pub comparison: Vec<ComparisonRow>,
    /// The claims' verdicts, when the run had claims.
    pub claims: Option<Vec<ClaimSummary>>,
    /// What each poster's claims commit them to and what separates them
    /// (docs/crux.md): with claims of at least two authors, or when asked.
    pub crux: Option<Crux>,
    /// Target against achieved rank correlations (empty: none in the model).
    pub correlations: Vec<CorrelationRow>,
    /// The run's settings and speed (run.json).
    pub info: RunInfo,
    /// The opening's effects with the ex-ante priors: empty from
    /// [`analyse`], filled by [`ex_ante_check::check`](crate::ex_ante_check::check).
    pub ex_ante: Vec<ComparisonRow>,
}

/// Summarises the tally of `finished`: estimates, sensitivity, comparison
/// and the claims' verdicts.
pub fn analyse(finished: &Finished) -> Analysed {
    // Matched baselines feed the `matched` comparison rows only; every
    // other table is of the model's own scenarios.
    let full = &finished.model.loaded.model;
    let run: Vec<usize> = (finished.tally.scenarios.iter())
        .map(|s| s.scenario)
        .collect();
    let matched = matched_pairs(full, &run);
    let shown_model = without_baselines(full);
    let ir = &shown_model;
    let shown_tally = Tally {
        seed: finished.tally.seed,
        draws: finished.tally.draws,
        trials_per_draw: finished.tally.trials_per_draw,
        draw_range: finished.tally.draw_range.clone(),
        design: finished.tally.design,
        scenarios: (finished.tally.scenarios.iter())
            .filter(|s| s.scenario < ir.scenarios.len())
            .cloned()
            .collect(),
    };
    let tally = &shown_tally;
    let draws = tally.scenarios.first().map_or(0, |s| s.draws.len() as u64);
    let trials = draws * tally.trials_per_draw;
    let total = trials * tally.scenarios.len() as u64;
    let seconds = finished.elapsed_seconds;
    let info = RunInfo {
        model: finished.model.path.clone(),
        model_sha256: crate::partial::sha256_hex(finished.model.source.as_bytes()),
        seed: tally.seed,
        trials,
        draws,
        trials_per_draw: tally.trials_per_draw,
        design: tally.design,
        scenarios: tally
            .scenarios
            .iter()
            .map(|s| ir.scenarios[s.scenario].name.clone())
            .collect(),
        threads: finished.threads,
        version: crate::VERSION.into(),
        elapsed_seconds: seconds,
        trials_per_second: if seconds > 0.0 {
            total as f64 / seconds
        } else {
            0.0
        },
        lexicon: finished.claims.map(|checked| checked.lexicon.name.clone()),
        ex_ante: (ir.ex_ante.iter())
            .map(|&p| ir.params[p].name.clone())
            .collect(),
    };
    let mut comparison = uchronia_analysis::compare(ir, tally);
    comparison.extend(uchronia_analysis::compare_matched(
        full,
        finished.tally,
        &matched,
    ));
    let summary = uchronia_analysis::summarize(ir, tally);
    let sensitivity = uchronia_analysis::sensitivity(ir, tally);
    // Claims read the full tally: a claim may name a matched baseline.
    let claims = finished
        .claims
        .map(|checked| checked.evaluate(finished.tally));
    let crux = finished
        .claims
        .filter(|checked| finished.crux || authors(&checked.claims) >= 2)
        .map(|checked| {
            uchronia_analysis::crux::analyse(
                &checked.model,
                finished.tally,
                &checked.claims,
                &checked.outcomes,
            )
        });
    let correlations = uchronia_analysis::correlations(ir, tally);
    Analysed {
        crux,
        correlations,
        summary,
        sensitivity,
        comparison,
        claims,
        info,
        model: shown_model,
        tally: shown_tally,
        ex_ante: Vec::new(),
    }
}

/// What the explore page needs beyond the analyses: the tally with the
/// matched baselines, and each claim's value and verdict in each draw.
fn explore<'a>(finished: &Finished<'a>) -> Explore<'a> {
    let (claims, claim_events, verdicts) = match finished.claims {
        Some(checked) => (
            (checked.claims.iter().zip(&checked.outcomes))
                .map(|(claim, &outcome)| per_draw(finished.tally, claim, outcome))
                .collect(),
            (checked.claims.iter().zip(&checked.outcomes))
                .map(|(claim, &outcome)| {
                    let than = match claim.test {
                        uchronia_claims::Test::Compare { .. } => Some(claim.than.as_ref()?.0),
                        uchronia_claims::Test::Band { .. } => None,
                    };
                    Some(ClaimEvent {
                        scenario: claim.scenario,
                        than,
                        outcome,
                    })
                })
                .collect(),
            Some(checked.verdicts),
        ),
        None => (Vec::new(), Vec::new(), None),
    };
    Explore {
        full_model: &finished.model.loaded.model,
        full_tally: finished.tally,
        claims,
        claim_events,
        verdicts,
    }
}

/// How many different authors the claims have.
fn authors(claims: &[uchronia_claims::Claim]) -> usize {
    let mut seen: Vec<&str> = Vec::new();
    for claim in claims {
        if !seen.contains(&claim.author.as_str()) {
            seen.push(&claim.author);
        }
    }
    seen.len()
}

/// Writes the report folder of `finished` from its analyses, replacing
/// `finished.out` as a whole.
pub fn write_report(finished: &Finished, analysed: &Analysed) -> Result<(), Failure> {
    let mut report = uchronia_report::Report::new(
        &analysed.model,
        &analysed.tally,
        &analysed.summary,
        &analysed.info,
    );
    report.command = finished.command.clone();
    report.parquet = finished.parquet;
    report.full = finished.full;
    report.standalone = finished.standalone;
    report.sensitivity = &analysed.sensitivity;
    report.comparison = &analysed.comparison;
    report.correlations = &analysed.correlations;
    if let Some(claims) = &analysed.claims {
        report.claims = claims;
    }
    report.explore = Some(explore(finished));
    report.crux = analysed.crux.as_ref();
    report.ex_ante = &analysed.ex_ante;
    uchronia_report::replace_dir_carrying(finished.out, finished.carry, |dir| {
        uchronia_report::write_into(dir, &report)
    })
    .map_err(report_failure)
}
