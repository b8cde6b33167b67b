//! The inevitability folder (`uchronia inevitability`): `inevitability.csv`
//! (contract 1.1, section 5), one `inevitability_<outcome>.png` per outcome
//! and, when the outcomes are alternatives that cover every case,
//! `inevitability_stacked.png`; and `run.json`.

use std::path::Path;

use polars::prelude::*;
use uchronia_analysis::inevitability::InevitabilityRow;
use uchronia_model::{Model, Named};

use crate::charts::canvas::ChartError;
use crate::charts::{ChartFile, inevitability, stem};
use crate::{ReportError, RunInfo, replace_dir};

/// The columns of `inevitability.csv`, in order.
pub const INEVITABILITY_COLUMNS: [&str; 9] = [
    "known_through",
    "outcome",
    "p_mean",
    "mc_se",
    "p_q05",
    "p_q50",
    "p_q95",
    "facts",
    "label",
];

/// `inevitability.csv` as a table; `label` is the outcome's.
pub fn inevitability_table(model: &Model, rows: &[InevitabilityRow]) -> PolarsResult<DataFrame> {
    let c = INEVITABILITY_COLUMNS;
    let float = |name: &str, get: fn(&InevitabilityRow) -> Option<f64>| {
        Column::new(name.into(), rows.iter().map(get).collect::<Vec<_>>())
    };
    let columns = vec![
        Column::new(
            c[0].into(),
            rows.iter()
                .map(|r| i64::from(r.known_through))
                .collect::<Vec<_>>(),
        ),
        Column::new(
            c[1].into(),
            rows.iter().map(|r| r.outcome.as_str()).collect::<Vec<_>>(),
        ),
        float(c[2], |r| r.p_mean),
        float(c[3], |r| r.mc_se),
        float(c[4], |r| r.p_q05),
        float(c[5], |r| r.p_q50),
        float(c[6], |r| r.p_q95),
        Column::new(
            c[7].into(),
            rows.iter().map(|r| r.facts as u64).collect::<Vec<_>>(),
        ),
        crate::tables::label_column(model, Named::Item, rows.iter().map(|r| r.outcome.as_str())),
    ];
    DataFrame::new(rows.len(), columns)
}

/// Writes the inevitability folder `out` (replacing any previous one
/// atomically). `stacked`: the outcomes cover every case, so a stacked
/// chart of them is drawn too. Returns the charts written.
pub fn write_inevitability(
    out: &Path,
    model: &Model,
    rows: &[InevitabilityRow],
    stacked: bool,
    info: &RunInfo,
) -> Result<Vec<ChartFile>, ReportError> {
    let mut charts = Vec::new();
    replace_dir(out, |dir| {
        crate::analysis_tables::write_table(
            dir,
            "inevitability.csv",
            inevitability_table(model, rows),
            None,
        )?;
        charts.clear();
        let outcomes = inevitability::outcomes(rows);
        let mut drawn: Vec<(String, inevitability::InevitabilityChart)> = outcomes
            .iter()
            .map(|&name| {
                (
                    format!("inevitability_{}.png", stem(name)),
                    inevitability::chart(rows, &[name], false, model),
                )
            })
            .collect();
        if stacked {
            drawn.push((
                "inevitability_stacked.png".to_string(),
                inevitability::chart(rows, &outcomes, true, model),
            ));
        }
        for (file, chart) in drawn {
            chart
                .write(&dir.join(&file))
                .map_err(|ChartError(message)| ReportError::Chart {
                    file: file.clone(),
                    message,
                })?;
            charts.push(ChartFile {
                file,
                title: chart.title(),
            });
        }
        let mut json = serde_json::to_vec_pretty(info)?;
        json.push(b'\n');
        crate::write_file(&dir.join("run.json"), &json)
    })?;
    Ok(charts)
}
