//! The readable report: `summary.md`, `summary.bbcode` and `summary.html`.
//!
//! The content is built once, as a small [`Document`] of headings,
//! paragraphs, tables, quotes, images and code, and then rendered three
//! times ([`markdown`], [`bbcode`], [`html`]). Every piece of text in a
//! document is escaped by the renderer for its format ([`escape`]), so text
//! from a model or a claims file can never become markup in any of them.

pub mod bbcode;
mod correlations;
pub mod crux;
pub mod escape;
pub mod html;
pub mod markdown;

use std::path::Path;

use uchronia_analysis::findings::{Verdict, verdict_text};
use uchronia_model::{Named, OutcomeKind};

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

/// Writes the three summaries into `dir`, which already holds `charts`.
pub fn write_all(dir: &Path, report: &Report, charts: &[ChartFile]) -> Result<(), ReportError> {
    let document = build(report, charts);
    write_file(
        &dir.join("summary.md"),
        markdown::render(&document).as_bytes(),
    )?;
    write_file(
        &dir.join("summary.bbcode"),
        bbcode::render(&document).as_bytes(),
    )?;
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
    let info = report.info;
    blocks.push(Block::Heading(1, model.title.clone()));
    if let Some(doc) = &model.doc {
        blocks.push(Block::Paragraph(vec![text(doc.clone())]));
    }
    blocks.push(Block::Paragraph(vec![text(format!(
        "What the model {} says, from {} trials per scenario spread over {} parameter draws (each draw is one way the uncertain world could be). Probabilities are means over draws; intervals are 90% credible intervals (5th to 95th percentile over draws).",
        model.name,
        count(info.trials),
        count(info.draws)
    ))]));

    headlines(report, &mut blocks);
    if report.explore.is_some() {
        blocks.push(Block::Paragraph(vec![
            text("Disagree with one of the model's beliefs? Open "),
            Inline::File("explore.html".into()),
            text(" in this folder: restrict any parameter to the range you believe and every probability, difference and verdict is recomputed over the draws that remain."),
        ]));
    }
    model_section(report, &mut blocks);
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
        blocks.push(Block::Paragraph(vec![text(
            "Each poster's world is the parameter draws in which all their claims hold (each band widened by 3 Monte Carlo standard errors). The crux of two posters is the parameter whose median differs most between their worlds, in prior quantiles; the question is the outcome whose probability differs most. posters.csv, crux.csv, worlds.csv and conflicts.csv hold the details; docs/crux.md explains the method.",
        )]));
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

/// A matrix of the headline outcomes: one row per outcome, one column per scenario.
fn headlines(report: &Report, blocks: &mut Vec<Block>) {
    let scenarios = report.scenarios();
    let outcomes = report.headline_booleans();
    if outcomes.is_empty() || scenarios.is_empty() {
        return;
    }
    blocks.push(Block::Heading(2, "Headline results".into()));
    blocks.push(Block::Paragraph(vec![text(
        "Probability of each headline outcome in each scenario, with its 90% credible interval.",
    )]));
    let mut header = vec!["outcome".to_string()];
    header.extend(scenarios.iter().map(|s| s.label.to_string()));
    let rows = outcomes
        .iter()
        .map(|&outcome| {
            let name = report.outcome_name(outcome);
            let mut row = vec![vec![item(report, name)]];
            for scenario in &scenarios {
                let cell = match report.boolean_row(scenario.name, name) {
                    Some(r) => format!(
                        "{} ({})",
                        maybe_percent(r.p_mean),
                        interval(r.p_q05, r.p_q95)
                    ),
                    None => "-".into(),
                };
                row.push(vec![text(cell)]);
            }
            row
        })
        .collect();
    blocks.push(Block::Table { header, rows });
}

fn interval(lo: Option<f64>, hi: Option<f64>) -> String {
    match (lo, hi) {
        (Some(lo), Some(hi)) => format!("{} to {}", percent(lo), percent(hi)),
        _ => "-".into(),
    }
}

fn model_section(report: &Report, blocks: &mut Vec<Block>) {
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
        ],
    });
    blocks.push(Block::Paragraph(vec![text(
        "Scenarios (the first is the reference, what happened):",
    )]));
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
                if let Some(doc) = &s.doc {
                    line.push(text(format!(": {doc}")));
                }
                line
            })
            .collect(),
    ));
}

fn settings(report: &Report, blocks: &mut Vec<Block>) {
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
            format!("{} (reference)", scenario.label)
        } else {
            scenario.label.to_string()
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
                    report.scenario_label(baseline)
                ));
            }
            if !is_reference {
                header.push(format!("vs {} (paired, 90% interval)", reference.label));
            }
            let rows = booleans
                .iter()
                .map(|&outcome| {
                    let name = report.outcome_name(outcome);
                    let row = report.boolean_row(scenario.name, name);
                    let mut cells = vec![
                        vec![item(report, name)],
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
                reference.label
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
            let header = ["outcome", "mean", "median", "90% of values", "defined in"]
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
                        vec![item(report, name)],
                        vec![text(maybe_number(row.and_then(|r| r.mean)))],
                        vec![text(maybe_number(row.and_then(|r| r.q50)))],
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
        blocks.push(Block::Paragraph(vec![text(
            "No claims: none were checked against this run.",
        )]));
        return;
    }
    blocks.push(Block::Paragraph(vec![text(
        "What people claimed, and what the model says. For a claim about one scenario the estimate is a probability; for a comparison (\"more likely under A than under B\") it is the paired difference in percentage points. Credence: the share of parameter draws in which the claim holds. A claim the graph decides, before any number (settled by construction, or with no path from where the two scenarios differ), is untestable; one about parameters alone tests the prior, not the model.",
    )]));
    let header = [
        "claim",
        "author",
        "scenario",
        "says",
        "model (90% interval)",
        "credence",
        "verdict",
    ]
    .map(String::from)
    .to_vec();
    let rows = claims
        .iter()
        .map(|c| {
            let comparative = c.than.is_some();
            let show = |x: f64| if comparative { points(x) } else { percent(x) };
            let estimate = match (c.q50.or(c.estimate), c.q05, c.q95) {
                (Some(m), Some(lo), Some(hi)) => {
                    format!("{} ({} to {})", show(m), show(lo), show(hi))
                }
                (Some(m), _, _) => show(m),
                _ => "-".into(),
            };
            let world = c.world();
            let world = report.model.display_name(Named::Scenario, &world);
            let scenario = match &c.than {
                Some(than) => format!(
                    "{world} vs {}",
                    report.model.display_name(Named::Scenario, than)
                ),
                None => world.to_string(),
            };
            let says = match c.band {
                Some((lo, hi)) => format!("{} ({} to {})", c.says, percent(lo), percent(hi)),
                None => c.says.clone(),
            };
            vec![
                vec![code(c.id.clone())],
                vec![text(c.author.clone())],
                vec![text(scenario)],
                vec![text(says)],
                vec![text(estimate)],
                vec![text(maybe_percent(c.credence))],
                vec![strong(verdict_text(c.verdict, &c.flags))],
            ]
        })
        .collect();
    blocks.push(Block::Table { header, rows });
    blocks.push(Block::Paragraph(vec![text("In their words:")]));
    for c in claims {
        let mut line = vec![
            strong(c.id.clone()),
            text(format!(" ({}): ", c.author)),
            text(c.quote.clone()),
        ];
        if let Some(driver) = c.drivers.first() {
            let when = driver.holds_when.clone().unwrap_or_default();
            line.push(text(format!(
                " (depends most on {}{}{})",
                report.model.display_name(Named::Item, &driver.param),
                if when.is_empty() { "" } else { "; holds when " },
                when
            )));
        } else if c.verdict != Verdict::Untestable {
            line.push(text(" (no parameter stands out)"));
        }
        blocks.push(Block::Quote(line));
    }
}

fn reproduce(report: &Report, blocks: &mut Vec<Block>) {
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
