//! The readable report: `summary.md`, `summary.bbcode` and `summary.html`.
//!
//! The content is built once, as a small [`Document`] of headings,
//! paragraphs, tables, quotes, images and code, and then rendered three
//! times ([`markdown`], [`bbcode`], [`html`]). Every piece of text in a
//! document is escaped by the renderer for its format ([`escape`]), so text
//! from a model or a claims file can never become markup in any of them.

pub mod bbcode;
pub mod caveats;
mod correlations;
pub mod crux;
pub mod escape;
pub mod html;
pub mod markdown;
pub mod post;
pub mod reading;
pub mod short;

use std::path::Path;

use uchronia_analysis::findings::{ClaimSummary, Flag, Verdict, claim_verdict_text_labelled};
use uchronia_model::{Model, Named, OutcomeId, OutcomeKind, Sourcing};

use crate::charts::ChartFile;
use crate::format::{count, maybe_number, maybe_percent, number, percent, points, points_bare};
use crate::report::Report;
use crate::{ReportError, write_file};

/// A piece of text in a line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Inline {
    /// Plain text.
    Text(String),
    /// Bold text.
    Strong(String),
    /// A name or a value, in a fixed-width font.
    Code(String),
    /// A file of the report folder: a link in HTML and Markdown, its name in
    /// BBCode (a forum post has no folder). Only a safe file name
    /// (`html::is_safe_file_name`) becomes a link.
    File(String),
}

/// A line of text: inline pieces one after the other.
pub type Line = Vec<Inline>;

/// A block of the document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Block {
    /// A heading of level 1 to 3.
    Heading(u8, String),
    /// A paragraph.
    Paragraph(Line),
    /// A quotation.
    Quote(Line),
    /// A bulleted list.
    List(Vec<Line>),
    /// A table: header cells and rows of cells.
    Table {
        /// The header row.
        header: Vec<String>,
        /// The rows.
        rows: Vec<Vec<Line>>,
    },
    /// A chart: its file name in the report folder and its alt text.
    Image {
        /// The PNG's file name (letters, digits, `_`, `-`, `.` only).
        file: String,
        /// What it shows.
        alt: String,
    },
    /// A command to copy.
    Code(String),
}

/// A summary, ready to render.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Document {
    /// The document's title (the model's title).
    pub title: String,
    /// Its blocks in order.
    pub blocks: Vec<Block>,
}

fn text(s: impl Into<String>) -> Inline {
    Inline::Text(s.into())
}

fn strong(s: impl Into<String>) -> Inline {
    Inline::Strong(s.into())
}

fn code(s: impl Into<String>) -> Inline {
    Inline::Code(s.into())
}

/// A param, node or outcome as the summaries name it: its label as plain
/// text, or its identifier as code when it has no label.
fn item(report: &Report, name: &str) -> Inline {
    match report.model.label(Named::Item, name) {
        Some(label) => text(label),
        None => code(name),
    }
}

/// Writes the summaries into `dir`, which already holds `charts`:
/// `summary.md`, `summary.html`, and the forum posts `summary.bbcode`,
/// `summary-2.bbcode`, ... ([`post`]).
pub fn write_all(dir: &Path, report: &Report, charts: &[ChartFile]) -> Result<(), ReportError> {
    let document = build(report, charts);
    write_file(
        &dir.join("summary.md"),
        markdown::render(&document).as_bytes(),
    )?;
    for (i, text) in post::posts(report, charts).iter().enumerate() {
        write_file(&dir.join(post::file_name(i)), text.as_bytes())?;
    }
    let read = |file: &str| {
        std::fs::read(dir.join(file)).map_err(|source| ReportError::Io {
            path: dir.join(file),
            source,
        })
    };
    let charts = if report.standalone {
        html::Charts::Inlined(read)
    } else {
        html::Charts::Linked
    };
    let html = html::render(&document, charts)?;
    write_file(&dir.join("summary.html"), html.as_bytes())
}

/// The summary's content.
pub fn build(report: &Report, charts: &[ChartFile]) -> Document {
    let mut blocks = Vec::new();
    let model = report.model;
    blocks.push(Block::Heading(1, model.title.clone()));
    blocks.extend(in_short(report));
    blocks.extend(headlines(report));
    if let Some(doc) = &model.doc {
        blocks.push(Block::Paragraph(vec![text(doc.clone())]));
    }
    blocks.push(scope(report));
    if report.explore.is_some() {
        blocks.push(Block::Paragraph(vec![
            text("Disagree with one of the model's beliefs? Open "),
            Inline::File("explore.html".into()),
            text(" in this folder: restrict any parameter to the range you believe and every probability, difference and verdict is recomputed over the draws that remain."),
        ]));
    }
    model_section(report, &mut blocks, true);
    settings(report, &mut blocks);
    correlations::blocks(report, &mut blocks);
    results(report, &mut blocks);
    if !charts.is_empty() {
        blocks.push(Block::Heading(2, "Charts".into()));
        for chart in charts {
            blocks.push(Block::Paragraph(vec![strong(chart.title.clone())]));
            blocks.push(Block::Image {
                file: chart.file.clone(),
                alt: chart.title.clone(),
            });
        }
    }
    claims(report, &mut blocks);
    if let Some(found) = report.crux {
        blocks.push(Block::Heading(2, crux::TITLE.into()));
        blocks.push(crux_intro());
        blocks.push(Block::List(
            crux::lines(model, found)
                .into_iter()
                .map(|l| vec![text(l)])
                .collect(),
        ));
    }
    reproduce(report, &mut blocks);
    Document {
        title: model.title.clone(),
        blocks,
    }
}

/// The "In short" paragraph ([`short`]), when there is something to say.
fn in_short(report: &Report) -> Option<Block> {
    let sentences = short::sentences(report);
    if sentences.is_empty() {
        return None;
    }
    Some(Block::Paragraph(vec![
        strong("In short."),
        text(format!(" {}", sentences.join(" "))),
    ]))
}

/// What the numbers are: trials, draws, and that every probability is a
/// mean over draws.
pub(crate) fn scope(report: &Report) -> Block {
    let info = report.info;
    Block::Paragraph(vec![text(format!(
        "What the model {} says, from {} trials per scenario spread over {} parameter draws (each draw is one way the uncertain world could be). Every probability, difference and estimate is a mean over draws; intervals are 90% credible intervals (5th to 95th percentile over draws).",
        report.model.name,
        count(info.trials),
        count(info.draws)
    ))])
}

pub(crate) fn crux_intro() -> Block {
    Block::Paragraph(vec![text(
        "Each poster's world is the parameter draws in which all their claims hold (each band widened by 3 Monte Carlo standard errors). The crux of two posters is the parameter whose median differs most between their worlds, in prior quantiles, among the gaps beyond what worlds of their sizes picked at random would show; the question is the outcome it moves whose probability differs most. posters.csv, crux.csv, worlds.csv and conflicts.csv hold the details; docs/crux.md explains the method.",
    )])
}

/// The headline matrix: one row per headline outcome, one column per
/// scenario, each cell the mean probability and its 90% interval.
fn headlines(report: &Report) -> Vec<Block> {
    let Some(table) = headline_table(report, true) else {
        return Vec::new();
    };
    let mut blocks = vec![
        Block::Heading(2, "Headline results".into()),
        Block::Paragraph(vec![text(
            "Mean probability of each headline outcome in each scenario, with its 90% credible interval.",
        )]),
        table,
    ];
    blocks.extend(set_by_scenario_note(report));
    blocks.extend(caveats::blocks(report));
    blocks
}

/// The mark of a headline cell that the scenario's own `do` decides.
pub(crate) const SET_MARK: &str = "*";

/// [`SET_MARK`] when the scenario's `do` decides the outcome, else nothing.
pub(crate) fn set_mark(report: &Report, scenario: &str, outcome: OutcomeId) -> &'static str {
    if short::settled(report.model, scenario, outcome) {
        SET_MARK
    } else {
        ""
    }
}

/// Whether any headline cell carries [`SET_MARK`].
fn any_set_by_scenario(report: &Report) -> bool {
    let scenarios = report.scenarios();
    report.headline_booleans().iter().any(|&outcome| {
        scenarios
            .iter()
            .any(|s| !set_mark(report, s.name, outcome).is_empty())
    })
}

/// The footnote to [`SET_MARK`], when a headline cell has it.
pub(crate) fn set_by_scenario_note(report: &Report) -> Option<Block> {
    any_set_by_scenario(report).then(|| {
        Block::Paragraph(vec![
            text(format!("{SET_MARK} Set by the scenario: its own assumption (its ")),
            code("do"),
            text(") decides the outcome without chance, so the number is not something the model found."),
        ])
    })
}

/// The headline matrix, with or without the intervals (`None` when there
/// is no boolean outcome or no scenario).
pub(crate) fn headline_table(report: &Report, intervals: bool) -> Option<Block> {
    let scenarios = report.scenarios();
    let outcomes = report.headline_booleans();
    if outcomes.is_empty() || scenarios.is_empty() {
        return None;
    }
    let model = report.model;
    let mut header = vec!["outcome".to_string()];
    header.extend(
        scenarios
            .iter()
            .map(|s| model.display_name(Named::Scenario, s.name).to_string()),
    );
    let rows = outcomes
        .iter()
        .map(|&outcome| {
            let name = report.outcome_name(outcome);
            let mut row = vec![vec![item(report, report.outcome_name(outcome))]];
            for scenario in &scenarios {
                let mark = set_mark(report, scenario.name, outcome);
                let cell = match report.boolean_row(scenario.name, name) {
                    Some(r) if intervals => format!(
                        "{}{mark} ({})",
                        maybe_percent(r.p_mean),
                        interval(r.p_q05, r.p_q95)
                    ),
                    Some(r) => format!("{}{mark}", maybe_percent(r.p_mean)),
                    None => "-".into(),
                };
                row.push(vec![text(cell)]);
            }
            row
        })
        .collect();
    Some(Block::Table { header, rows })
}

fn interval(lo: Option<f64>, hi: Option<f64>) -> String {
    match (lo, hi) {
        (Some(lo), Some(hi)) => format!("{} to {}", percent(lo), percent(hi)),
        _ => "-".into(),
    }
}

/// "183 of 189 (58 cite nothing else)": a reader sees how much of the
/// model is judgement before any number (a source beside `judgement` gives
/// an anchor, not the number).
fn judgement_count(model: &Model) -> String {
    let s = Sourcing::of(model);
    format!("{} of {} ({} cite nothing else)", s.any, s.total, s.alone)
}

/// "The model": its counts, then its scenarios. With `results_follow`, a
/// scenario whose results come later in the same document is listed by
/// name only, since its description opens its results; otherwise (the
/// forum posts) every description is here.
pub(crate) fn model_section(report: &Report, blocks: &mut Vec<Block>, results_follow: bool) {
    let model = report.model;
    let booleans = report.boolean_outcomes().len();
    let numerics = report.numeric_outcomes().len();
    blocks.push(Block::Heading(2, "The model".into()));
    let row = |what: &str, count: String| vec![vec![text(what)], vec![text(count)]];
    blocks.push(Block::Table {
        header: vec!["".into(), "count".into()],
        rows: vec![
            row("uncertain parameters", model.params.len().to_string()),
            row("event nodes", model.nodes.len().to_string()),
            row(
                "outcomes",
                format!(
                    "{} ({booleans} yes/no, {numerics} numeric)",
                    booleans + numerics
                ),
            ),
            row("scenarios", model.scenarios.len().to_string()),
            row("sources cited", report.sources_cited().to_string()),
            row(
                "parameters citing the modeller's judgement",
                judgement_count(model),
            ),
            row(
                "parameters set with hindsight",
                model
                    .params
                    .iter()
                    .filter(|p| p.hindsight.is_some())
                    .count()
                    .to_string(),
            ),
        ],
    });
    let run: Vec<&str> = report.scenarios().iter().map(|s| s.name).collect();
    let described_below = |name: &str| results_follow && run.contains(&name);
    let lead = if model.scenarios.iter().any(|s| described_below(&s.name)) {
        "Scenarios (the first is the reference, against which the others are compared; what each fixes opens its results below):"
    } else {
        "Scenarios (the first is the reference, against which the others are compared; its own description says what it fixes):"
    };
    blocks.push(Block::Paragraph(vec![text(lead)]));
    blocks.push(Block::List(
        model
            .scenarios
            .iter()
            .map(|s| {
                // A labelled scenario keeps its identifier beside the label:
                // the CSVs and the command line use the identifier.
                let mut line = match &s.label {
                    Some(label) => {
                        vec![text(format!("{label} (")), code(s.name.clone()), text(")")]
                    }
                    None => vec![code(s.name.clone())],
                };
                if let Some(doc) = s.doc.as_ref().filter(|_| !described_below(&s.name)) {
                    line.push(text(format!(": {doc}")));
                }
                line
            })
            .collect(),
    ));
}

pub(crate) fn settings(report: &Report, blocks: &mut Vec<Block>) {
    let info = report.info;
    blocks.push(Block::Heading(2, "Run settings".into()));
    blocks.push(Block::List(vec![
        vec![text("model file: "), code(info.model.clone())],
        vec![text(format!("trials per scenario: {}", count(info.trials)))],
        vec![text(format!(
            "parameter draws: {} ({} trials each)",
            count(info.draws),
            count(info.trials_per_draw)
        ))],
        vec![text(format!(
            "scenarios run: {}",
            info.scenarios.join(", ")
        ))],
        vec![text(format!("seed: {}", info.seed))],
        vec![text(format!(
            "threads: {}; {:.1} s; {} trials per second",
            info.threads,
            info.elapsed_seconds,
            count(info.trials_per_second.round() as u64)
        ))],
        vec![text(format!("uchronia version: {}", info.version))],
    ]));
}

fn results(report: &Report, blocks: &mut Vec<Block>) {
    let model = report.model;
    let scenarios = report.scenarios();
    let Some(reference) = scenarios.first() else {
        return;
    };
    // Headline outcomes first, then the others in model order.
    let headline = report.headline_booleans();
    let mut booleans = headline.clone();
    booleans.extend(
        report
            .boolean_outcomes()
            .into_iter()
            .filter(|o| !headline.contains(o)),
    );
    blocks.push(Block::Heading(2, "Results by scenario".into()));
    for scenario in &scenarios {
        let is_reference = scenario.position == 0;
        let title = if is_reference {
            format!(
                "{} (reference)",
                model.display_name(Named::Scenario, scenario.name)
            )
        } else {
            model
                .display_name(Named::Scenario, scenario.name)
                .to_string()
        };
        blocks.push(Block::Heading(3, title));
        if let Some(doc) = scenario.doc {
            blocks.push(Block::Paragraph(vec![text(doc)]));
        }
        if !booleans.is_empty() {
            let mut header: Vec<String> = ["outcome", "probability", "90% interval", "MC error"]
                .map(String::from)
                .to_vec();
            // The divergence alone leads; the whole difference comes second.
            let matched = booleans
                .iter()
                .find_map(|&o| report.matched(scenario.name, o))
                .map(|(baseline, _)| baseline);
            if let Some(baseline) = matched {
                header.push(format!(
                    "divergence alone: vs {} (paired, 90% interval)",
                    model.display_name(Named::Scenario, baseline)
                ));
            }
            if !is_reference {
                header.push(format!(
                    "vs {} (paired, 90% interval)",
                    model.display_name(Named::Scenario, reference.name)
                ));
            }
            let rows = booleans
                .iter()
                .map(|&outcome| {
                    let name = report.outcome_name(outcome);
                    let row = report.boolean_row(scenario.name, name);
                    let mut cells = vec![
                        vec![item(report, report.outcome_name(outcome))],
                        vec![text(maybe_percent(row.and_then(|r| r.p_mean)))],
                        vec![text(row.map_or("-".into(), |r| interval(r.p_q05, r.p_q95)))],
                        vec![text(format!(
                            "±{}",
                            maybe_percent(row.and_then(|r| r.mc_se))
                        ))],
                    ];
                    let show = |d: Option<crate::report::Difference>| match d {
                        Some(d) => format!(
                            "{} ({} to {})",
                            points(d.mean),
                            points_bare(d.q05),
                            points_bare(d.q95)
                        ),
                        None => "-".into(),
                    };
                    if matched.is_some() {
                        let alone = report.matched(scenario.name, outcome).map(|(_, d)| d);
                        cells.push(vec![text(show(alone))]);
                    }
                    if !is_reference {
                        cells.push(vec![text(show(
                            report.difference(scenario, reference, outcome),
                        ))]);
                    }
                    cells
                })
                .collect();
            blocks.push(Block::Table { header, rows });
        }
        let confounders = report.confounders(scenario.name);
        if !is_reference && !confounders.is_empty() {
            let mut line = vec![text(format!(
                "The difference from {} is not the effect of the divergence alone: the two scenarios also fix differently ",
                model.display_name(Named::Scenario, reference.name)
            ))];
            for (i, node) in confounders.iter().enumerate() {
                if i > 0 {
                    line.push(text(", "));
                }
                line.push(item(report, node));
            }
            line.push(text(" (confounders, none downstream of the divergence)."));
            blocks.push(Block::Paragraph(line));
        }
        let numerics = report.numeric_outcomes();
        if !numerics.is_empty() {
            let header = ["outcome", "mean", "90% of values", "defined in"]
                .map(String::from)
                .to_vec();
            let rows = numerics
                .iter()
                .map(|&outcome| {
                    let name = report.outcome_name(outcome);
                    let row = report.numeric_row(scenario.name, name);
                    let conditional = matches!(
                        report.model.outcomes[outcome].kind,
                        OutcomeKind::Numeric { given: Some(_), .. }
                    );
                    vec![
                        vec![item(report, report.outcome_name(outcome))],
                        vec![text(maybe_number(row.and_then(|r| r.mean)))],
                        vec![text(match row.and_then(|r| Some((r.q05?, r.q95?))) {
                            Some((lo, hi)) => format!("{} to {}", number(lo), number(hi)),
                            None => "-".into(),
                        })],
                        vec![text(match row {
                            Some(r) if conditional => format!("{} of trials", percent(r.share)),
                            Some(_) => "every trial".into(),
                            None => "-".into(),
                        })],
                    ]
                })
                .collect();
            blocks.push(Block::Table { header, rows });
        }
    }
}

fn claims(report: &Report, blocks: &mut Vec<Block>) {
    let claims = report.claims;
    blocks.push(Block::Heading(2, "Claims".into()));
    if claims.is_empty() {
        blocks.push(Block::Paragraph(vec![text(NO_CLAIMS)]));
        return;
    }
    blocks.push(Block::Paragraph(vec![text(CLAIMS_INTRO)]));
    blocks.push(claims_table(report, false));
    blocks.push(Block::Paragraph(vec![text("In their words:")]));
    blocks.extend(claim_quotes(report));
}

/// What the claims section says when no claims were checked.
pub(crate) const NO_CLAIMS: &str = "No claims: none were checked against this run.";

/// How to read the claims table.
pub(crate) const CLAIMS_INTRO: &str = "What people claimed, and what the model says. For a claim about one scenario the estimate is a probability; for a comparison (\"more likely under A than under B\") it is the paired difference in percentage points; both are means over parameter draws, with their 90% interval. Credence: the share of parameter draws in which the claim holds. A claim the graph decides, before any number (settled by construction, or with no path from where the two scenarios differ), is untestable; one about parameters alone tests the prior, not the model. A claim with a condition (\"given\", beside its scenario) is measured only where it holds, not over every history as in the results above; \"read as\", after each claim's words, names the event measured.";

/// The claims table; `compact` leaves out the author and the words (for
/// a forum post, where the thread already shows them).
/// A claim's verdict as shown to readers, its `one_belief` parameter by its
/// label.
pub(crate) fn verdict_text(model: &Model, c: &ClaimSummary) -> String {
    claim_verdict_text_labelled(c, |param| {
        model.display_name(Named::Item, param).to_string()
    })
}

/// A claim's estimate as the summaries show it, the mean with its 90%
/// interval (in points for a comparison, else in percent; the mean alone
/// for a prior-only claim), and the world it is judged in ("A vs B" for a
/// comparison).
pub(crate) fn claim_estimate_and_world(model: &Model, c: &ClaimSummary) -> (String, String) {
    let show = |x: f64| {
        if c.than.is_some() {
            points(x)
        } else {
            percent(x)
        }
    };
    // The mean, as in every other table and chart. A prior-only claim's
    // per-draw value is 0 or 1 (the prior holds in a draw or not), so its
    // quantiles ("0% to 0%") would say nothing: the mean alone.
    let prior_only = c.flags.contains(&Flag::PriorOnly);
    let estimate = match (c.estimate, c.q05, c.q95) {
        (Some(m), Some(lo), Some(hi)) if !prior_only => {
            format!("{} ({} to {})", show(m), show(lo), show(hi))
        }
        (Some(m), _, _) => show(m),
        _ => "-".into(),
    };
    let world = match c.known_through {
        Some(_) => c.world(),
        None => model.display_scenario(&c.scenario).into_owned(),
    };
    let scenario = match &c.than {
        Some(than) => format!("{world} vs {}", model.display_scenario(than)),
        None => world,
    };
    (estimate, scenario)
}

pub(crate) fn claims_table(report: &Report, compact: bool) -> Block {
    let model = report.model;
    let mut header = vec![
        "claim",
        "author",
        "scenario",
        "says",
        "model, mean (90% interval)",
        "credence",
        "verdict",
    ];
    if compact {
        header.retain(|h| !matches!(*h, "author" | "says"));
    }
    let header = header.into_iter().map(String::from).collect();
    let rows = report
        .claims
        .iter()
        .map(|c| {
            let (estimate, scenario) = claim_estimate_and_world(model, c);
            let says = match c.band {
                Some((lo, hi)) => format!("{} ({} to {})", c.says, percent(lo), percent(hi)),
                None => c.says.clone(),
            };
            let mut row = vec![vec![code(c.id.clone())]];
            if !compact {
                row.push(vec![text(c.author.clone())]);
            }
            // A conditional claim's number is not the outcome's: the
            // condition stands beside the world it is judged in.
            let mut world = vec![text(scenario)];
            if let Some(given) = &c.given {
                world.push(text(", given "));
                world.extend(reading::condition(model, given));
            }
            row.push(world);
            if !compact {
                row.push(vec![text(says)]);
            }
            row.extend([
                vec![text(estimate)],
                vec![text(maybe_percent(c.credence))],
                vec![strong(verdict_text(model, c))],
            ]);
            row
        })
        .collect();
    Block::Table { header, rows }
}

/// Each claim in its author's words, with what the model reads them as
/// (its event and condition, [`reading`]) and the parameter it depends on
/// most.
pub(crate) fn claim_quotes(report: &Report) -> Vec<Block> {
    let model = report.model;
    report
        .claims
        .iter()
        .map(|c| {
            let mut line = vec![
                strong(c.id.clone()),
                text(format!(" ({}): ", c.author)),
                text(c.quote.clone()),
                text(" (read as: "),
            ];
            line.extend(reading::reading(model, c));
            if let Some(than) = &c.than {
                // A comparison's event alone would read as a prediction of
                // it: say which way the two worlds are compared.
                let join = if c.says.contains("same") {
                    "as"
                } else {
                    "than"
                };
                line.push(text(format!(
                    ", {} under “{}” {join} under “{}”",
                    c.says,
                    model.display_scenario(&c.scenario),
                    model.display_scenario(than)
                )));
            }
            if let Some(driver) = c.drivers.first() {
                let when = driver.holds_when.clone().unwrap_or_default();
                line.push(text(format!(
                    "; depends most on {}{}{})",
                    model.display_name(Named::Item, &driver.param),
                    if when.is_empty() { "" } else { "; holds when " },
                    when
                )));
            } else if c.verdict != Verdict::Untestable {
                line.push(text("; no parameter stands out)"));
            } else {
                line.push(text(")"));
            }
            Block::Quote(line)
        })
        .collect()
}

pub(crate) fn reproduce(report: &Report, blocks: &mut Vec<Block>) {
    let info = report.info;
    blocks.push(Block::Heading(2, "Reproduce".into()));
    blocks.push(Block::Paragraph(vec![text(format!(
        "The same command, seed and model file with uchronia {} give the same tables, byte for byte, whatever the number of threads:",
        info.version
    ))]));
    let command = if report.command.is_empty() {
        format!(
            "uchronia run {} --trials {} --draws {} --seed {}",
            info.model, info.trials, info.draws, info.seed
        )
    } else {
        report.command.clone()
    };
    blocks.push(Block::Code(command));
    blocks.push(Block::List(vec![
        vec![text(format!("seed: {}", info.seed))],
        vec![text(format!("uchronia version: {}", info.version))],
        vec![text("model sha256: "), code(info.model_sha256.clone())],
    ]));
}

#[cfg(test)]
mod tests;
