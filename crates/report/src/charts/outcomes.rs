//! `outcomes.png` (and `outcomes_all.png`, in pages `outcomes_all_1.png`, ...
//! when one page would be too tall): the probability of each boolean
//! outcome in each scenario, a dot at the mean over parameter draws and a
//! whisker over the 90% credible interval; one group of rows per outcome,
//! one coloured row per scenario.

use uchronia_model::OutcomeId;

use super::canvas::{Header, LegendEntry, Swatch};
use super::rows::{Group, Mark, Row, RowPanel, Scale};
use super::style::{self, WIDTH};
use crate::report::Report;

/// The title of `outcomes.png` when it shows some of the outcomes.
pub const HEADLINE_TITLE: &str = "Headline outcomes: probability in each scenario";
/// The title of `outcomes.png` when it shows all of them.
pub const OUTCOMES_TITLE: &str = "Outcomes: probability in each scenario";
/// The most pixels of rows one page of `outcomes_all.png` holds: a page a
/// screen or a forum can show, where one chart of 40 outcomes in 9
/// scenarios would be 8,000 pixels tall.
pub const PAGE_ROWS: i32 = 1600;

/// `outcomes` split into pages of at most [`PAGE_ROWS`] pixels of rows
/// each (at least one outcome a page), in order, the pages' sizes differing
/// by at most one.
pub fn pages(outcomes: &[OutcomeId], scenarios: usize) -> Vec<&[OutcomeId]> {
    let group = scenarios.max(1) as i32 * style::ROW_HEIGHT + style::GROUP_GAP;
    let per_page = (PAGE_ROWS / group).max(1) as usize;
    let count = outcomes.len().div_ceil(per_page);
    let mut pages = Vec::with_capacity(count);
    let mut rest = outcomes;
    for page in 0..count {
        // The first `len % count` pages take one outcome more.
        let size = outcomes.len() / count + usize::from(page < outcomes.len() % count);
        let (this, next) = rest.split_at(size);
        pages.push(this);
        rest = next;
    }
    pages
}

/// The title of `outcomes_all.png`.
pub const ALL_TITLE: &str = "All outcomes: probability in each scenario";

/// The panel for `outcomes` (boolean outcome ids), titled `title`.
pub fn panel(report: &Report, outcomes: &[OutcomeId], title: &str) -> RowPanel {
    let scenarios = report.scenarios();
    let info = report.info;
    let groups = outcomes
        .iter()
        .map(|&outcome| {
            let name = report.outcome_name(outcome);
            let rows = scenarios
                .iter()
                .map(|scenario| {
                    let colour = style::scenario_colour(scenario.position);
                    let mut marks = Vec::new();
                    let row = report.boolean_row(scenario.name, name);
                    if let Some((lo, hi)) = row.and_then(|r| Some((r.p_q05?, r.p_q95?))) {
                        marks.push(Mark::Whisker { lo, hi, colour });
                    }
                    let note = match row.and_then(|r| r.p_mean) {
                        Some(x) => {
                            marks.push(Mark::Dot { x, colour });
                            crate::format::percent(x)
                        }
                        None => "undefined".into(),
                    };
                    Row {
                        marks,
                        note: Some((note, colour)),
                    }
                })
                .collect();
            Group {
                label: report.outcome_label(outcome).to_string(),
                detail: None,
                rows,
            }
        })
        .collect();
    RowPanel {
        header: Header {
            title: title.to_string(),
            lines: vec![
                format!("Model: {}", report.model.title),
                format!(
                    "Dot: mean probability over {} parameter draws ({} trials per scenario). Whiskers: 90% credible interval (5th to 95th percentile of the per-draw probability). Number on the right: the mean.",
                    crate::format::count(info.draws),
                    crate::format::count(info.trials)
                ),
            ],
            legend: legend(report),
        },
        groups,
        range: (0.0, 1.0),
        scale: Scale::Percent,
        axis: "probability of the outcome (%)".into(),
        lines: Vec::new(),
    }
}

/// One legend entry per scenario, reference first.
pub fn legend(report: &Report) -> Vec<LegendEntry> {
    report
        .scenarios()
        .iter()
        .map(|scenario| LegendEntry {
            label: if scenario.position == 0 {
                format!("{} (reference)", scenario.label)
            } else {
                scenario.label.to_string()
            },
            colour: style::scenario_colour(scenario.position),
            swatch: Swatch::Dot,
        })
        .collect()
}

/// The chart's size for a panel.
pub fn size(panel: &RowPanel) -> (u32, u32) {
    (WIDTH, panel.height(WIDTH as i32).max(1) as u32)
}
