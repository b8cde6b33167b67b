//! The report's PNG charts, drawn with plotters on a bitmap and an embedded
//! font (see [`font`]), one module per kind of chart:
//!
//! | file | module |
//! |---|---|
//! | `outcomes.png`, `outcomes_all.png` (or its pages `outcomes_all_1.png`, ...) | [`outcomes`] |
//! | `difference.png` | [`difference`] |
//! | `<numeric outcome>.png` | [`numeric`] |
//! | `fan_<year outcome>.png` | [`fan`] |
//! | `uncertainty.png` | [`uncertainty`] |
//! | `claims.png` | [`claims`] |
//! | `crux.png`, `worlds.png` | [`crux`] |
//! | `tornado_<outcome>.png` | [`tornado`] |
//! | `sweep_<param>.png` | [`sweep`] |
//! | `inevitability_<outcome>.png`, `inevitability_stacked.png` | [`inevitability`] |
//!
//! Every chart is titled, says in a line under its title how to read it,
//! labels its axes with units, and is as tall as its content needs; the
//! look (sizes, colours, margins) is [`style`].

pub mod canvas;
pub mod claims;
pub mod crux;
pub mod difference;
pub mod encode;
pub mod fan;
pub mod font;
pub mod inevitability;
pub mod numeric;
pub mod outcomes;
pub mod rows;
pub mod style;
pub mod surface;
pub mod sweep;
pub mod tornado;
pub mod uncertainty;

use std::path::Path;

use uchronia_analysis::findings::{ClaimSummary, SweepRow};
use uchronia_model::Model;

use crate::ReportError;
use crate::report::Report;
use canvas::{ChartError, Drawn, render};
use rows::RowPanel;
use style::WIDTH;

/// A chart written into the report folder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChartFile {
    /// Its file name in the folder (`outcomes.png`).
    pub file: String,
    /// What it shows, in a few words (its alt text).
    pub title: String,
}

/// Draws every chart the report has data for into `dir`; returns them in
/// the order the summaries show them.
pub fn write_all(dir: &Path, report: &Report) -> Result<Vec<ChartFile>, ReportError> {
    let mut written = Vec::new();
    let mut add =
        |file: String, title: String, draw: &dyn Fn(&Path) -> Drawn| -> Result<(), ReportError> {
            draw(&dir.join(&file)).map_err(|ChartError(message)| ReportError::Chart {
                file: file.clone(),
                message,
            })?;
            written.push(ChartFile { file, title });
            Ok(())
        };

    let headline = report.headline_booleans();
    if !headline.is_empty() {
        let title = if report.headline_is_a_subset() {
            outcomes::HEADLINE_TITLE
        } else {
            outcomes::OUTCOMES_TITLE
        };
        let panel = outcomes::panel(report, &headline, title);
        add("outcomes.png".into(), title.into(), &|path| {
            write_panels(path, &[&panel])
        })?;
    }
    if let Some(panel) = difference::panel(report) {
        let title = panel.header.title.clone();
        add("difference.png".into(), title, &|path| {
            write_panels(path, &[&panel])
        })?;
    }
    if let Some(chart) = uncertainty::chart(report) {
        add("uncertainty.png".into(), chart.title(), &|path| {
            chart.write(path)
        })?;
    }
    let fan_rows = uchronia_analysis::fan::fan_rows(report.model, report.tally);
    for outcome in report.numeric_outcomes() {
        let chart = numeric::chart(report, outcome);
        let name = report.outcome_name(outcome);
        let file = format!("{}.png", numeric_stem(name));
        add(file, chart.title(), &|path| chart.write(path))?;
        // The fan of a year outcome stands beside its pooled CDF.
        if let Some(fan) = fan::chart(report, outcome, &fan_rows) {
            let file = format!("fan_{}.png", stem(name));
            add(file, fan.title(), &|path| fan.write(path))?;
        }
    }
    if report.headline_is_a_subset() {
        let all = report.boolean_outcomes();
        let pages = outcomes::pages(&all, report.scenarios().len());
        for (i, page) in pages.iter().enumerate() {
            let (file, title) = if pages.len() == 1 {
                (
                    "outcomes_all.png".to_string(),
                    outcomes::ALL_TITLE.to_string(),
                )
            } else {
                (
                    format!("outcomes_all_{}.png", i + 1),
                    format!("{} ({} of {})", outcomes::ALL_TITLE, i + 1, pages.len()),
                )
            };
            let panel = outcomes::panel(report, page, &title);
            add(file, title, &|path| write_panels(path, &[&panel]))?;
        }
    }
    if !report.claims.is_empty() {
        let panels = claims::panels(report.claims, report.model);
        let refs: Vec<&RowPanel> = panels.iter().collect();
        add(
            "claims.png".into(),
            "Claims against the model".into(),
            &|path| write_panels(path, &refs),
        )?;
    }
    if let Some(found) = report.crux {
        let panels = crux::crux_panels(found, report.model);
        if !panels.is_empty() {
            let refs: Vec<&RowPanel> = panels.iter().collect();
            add("crux.png".into(), crux::CRUX_TITLE.into(), &|path| {
                write_panels(path, &refs)
            })?;
        }
        if let Some(panel) = crux::worlds_panel(report, found) {
            add("worlds.png".into(), crux::WORLDS_TITLE.into(), &|path| {
                write_panels(path, &[&panel])
            })?;
        }
    }
    for panel in tornado::panels(report) {
        let file = format!("tornado_{}.png", stem(&panel.outcome));
        let title = panel.panel.header.title.clone();
        add(file, title, &|path| write_panels(path, &[&panel.panel]))?;
    }
    for chart in sweep::charts(report.sweep, report.model) {
        let file = format!("sweep_{}.png", stem(&chart.param));
        add(file, chart.title(), &|path| chart.write(path))?;
    }
    Ok(written)
}

/// Writes only the claims chart (for tools that check claims without a full report).
pub fn write_claims_chart(
    path: &Path,
    claims: &[ClaimSummary],
    model: &Model,
) -> Result<(), ReportError> {
    let panels = claims::panels(claims, model);
    let refs: Vec<&RowPanel> = panels.iter().collect();
    write_panels(path, &refs).map_err(|ChartError(message)| ReportError::Chart {
        file: path.display().to_string(),
        message,
    })
}

/// Writes one `sweep_<param>.png` per swept parameter in `rows` into `dir`.
pub fn write_sweep_charts(
    dir: &Path,
    model: &Model,
    rows: &[SweepRow],
) -> Result<Vec<ChartFile>, ReportError> {
    let mut written = Vec::new();
    for chart in sweep::charts(rows, model) {
        let file = format!("sweep_{}.png", stem(&chart.param));
        chart
            .write(&dir.join(&file))
            .map_err(|ChartError(message)| ReportError::Chart {
                file: file.clone(),
                message,
            })?;
        written.push(ChartFile {
            file,
            title: chart.title(),
        });
    }
    Ok(written)
}

/// Stacks row panels into one PNG.
fn write_panels(path: &Path, panels: &[&RowPanel]) -> Drawn {
    let width = WIDTH as i32;
    let height: i32 = panels.iter().map(|p| p.height(width)).sum();
    render(path, (WIDTH, height.max(1) as u32), |area| {
        let mut top = 0;
        for panel in panels {
            top = panel.draw(area, width, top)?;
        }
        Ok(())
    })
}

/// A name made safe as a file name: letters, digits, `_` and `-` are kept,
/// anything else becomes `_`.
pub fn stem(name: &str) -> String {
    let stem: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if stem.is_empty() { "_".into() } else { stem }
}

/// The file stem of a numeric outcome's chart: its name, unless that would
/// collide with one of the report's own charts.
pub fn numeric_stem(name: &str) -> String {
    let stem = stem(name);
    let reserved = [
        "outcomes",
        "outcomes_all",
        "difference",
        "uncertainty",
        "claims",
        "crux",
        "worlds",
    ];
    if reserved.contains(&stem.as_str())
        || stem.starts_with("tornado_")
        || stem.starts_with("sweep_")
        || stem.starts_with("fan_")
        || stem.starts_with("outcomes_all_")
    {
        format!("numeric_{stem}")
    } else {
        stem
    }
}

#[cfg(test)]
mod tests;
