//! `calibration.csv`: how a run scored against history, one row per real
//! outcome (see `uchronia_analysis::calibration`).
//!
//! Columns: `outcome,kind,real,p_or_q50,q05,q95,brier,inside_90,note,percentile,label,same_event_as,counted`
//! (`label`: the outcome's display name; `same_event_as`: the earlier row
//! that asks the same question; `counted`: whether the mean Brier score
//! counts the row, see `uchronia_analysis::calibration`).
//! `kind` is `boolean` or `numeric`; `real` is `true`/`false` or the number;
//! `brier` is empty for numeric rows, `inside_90` and `percentile` for
//! boolean rows. Floats are written as in the other tables (shortest
//! round-trip, positional), so the file is a pure function of the scores.

use std::path::Path;

use polars::prelude::*;
use uchronia_analysis::calibration::{Calibration, CalibrationRow};
use uchronia_claims::history::RealValue;
use uchronia_model::{Model, Named};

use crate::{ReportError, csv_bytes, replace_dir};

/// Columns of `calibration.csv`, in order.
pub const CALIBRATION_COLUMNS: [&str; 13] = [
    "outcome",
    "kind",
    "real",
    "p_or_q50",
    "q05",
    "q95",
    "brier",
    "inside_90",
    "note",
    "percentile",
    "label",
    "same_event_as",
    "counted",
];

/// `calibration.csv` as a table; `label` is the outcome's.
pub fn calibration_table(model: &Model, calibration: &Calibration) -> PolarsResult<DataFrame> {
    let rows = &calibration.rows;
    let float = |f: fn(&CalibrationRow) -> Option<f64>| rows.iter().map(f).collect::<Vec<_>>();
    let kind: Vec<&str> = rows
        .iter()
        .map(|r| match r.real {
            RealValue::Boolean(_) => "boolean",
            RealValue::Number(_) => "numeric",
        })
        .collect();
    let real: Vec<String> = rows
        .iter()
        .map(|r| match r.real {
            RealValue::Boolean(b) => b.to_string(),
            RealValue::Number(x) => x.to_string(),
        })
        .collect();
    let columns = vec![
        Column::new(
            CALIBRATION_COLUMNS[0].into(),
            rows.iter().map(|r| r.outcome.as_str()).collect::<Vec<_>>(),
        ),
        Column::new(CALIBRATION_COLUMNS[1].into(), kind),
        Column::new(CALIBRATION_COLUMNS[2].into(), real),
        Column::new(CALIBRATION_COLUMNS[3].into(), float(|r| r.p_or_q50)),
        Column::new(CALIBRATION_COLUMNS[4].into(), float(|r| r.q05)),
        Column::new(CALIBRATION_COLUMNS[5].into(), float(|r| r.q95)),
        Column::new(CALIBRATION_COLUMNS[6].into(), float(|r| r.brier)),
        Column::new(
            CALIBRATION_COLUMNS[7].into(),
            rows.iter().map(|r| r.inside_90).collect::<Vec<_>>(),
        ),
        Column::new(
            CALIBRATION_COLUMNS[8].into(),
            rows.iter().map(|r| r.note.as_deref()).collect::<Vec<_>>(),
        ),
        Column::new(CALIBRATION_COLUMNS[9].into(), float(|r| r.percentile)),
        crate::tables::label_column(model, Named::Item, rows.iter().map(|r| r.outcome.as_str())),
        Column::new(
            CALIBRATION_COLUMNS[11].into(),
            rows.iter()
                .map(|r| r.same_event_as.as_deref())
                .collect::<Vec<_>>(),
        ),
        Column::new(
            CALIBRATION_COLUMNS[12].into(),
            rows.iter()
                .map(|r| r.brier.is_some().then(|| r.counted()))
                .collect::<Vec<_>>(),
        ),
    ];
    DataFrame::new(rows.len(), columns)
}

/// Writes the folder `out` (replacing any previous one atomically) holding
/// `calibration.csv`.
pub fn write_calibration(
    out: &Path,
    model: &Model,
    calibration: &Calibration,
) -> Result<(), ReportError> {
    let table_error = |source| ReportError::Table {
        table: "calibration.csv",
        source,
    };
    let mut table = calibration_table(model, calibration).map_err(table_error)?;
    let bytes = csv_bytes(&mut table).map_err(table_error)?;
    replace_dir(out, |dir| {
        let path = dir.join("calibration.csv");
        std::fs::write(&path, &bytes).map_err(|source| ReportError::Io { path, source })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(outcome: &str, real: RealValue) -> CalibrationRow {
        CalibrationRow {
            outcome: outcome.into(),
            real,
            p_or_q50: Some(0.25),
            q05: Some(0.125),
            q95: Some(0.5),
            brier: None,
            p_real: None,
            mc_se: None,
            inside_90: None,
            percentile: None,
            note: None,
            same_event_as: None,
        }
    }

    #[test]
    fn the_csv_has_its_columns_and_leaves_undefined_cells_empty() {
        let mut boolean = row("war", RealValue::Boolean(false));
        boolean.brier = Some(0.0625);
        boolean.note = Some("It began, \"in 1939\".".into());
        let mut again = row("war_again", RealValue::Boolean(false));
        again.brier = Some(0.0625);
        again.same_event_as = Some("war".into());
        let mut numeric = row("year", RealValue::Number(1939.0));
        numeric.inside_90 = Some(true);
        numeric.percentile = Some(0.5);
        let calibration = Calibration {
            scenario: "history".into(),
            rows: vec![boolean, again, numeric],
            mean_brier: Some(0.0625),
            events: 1,
            brier_skill: Some(0.75),
            mean_log_score: Some(0.415),
            draws: 2,
            trials: 20,
        };
        let dir = tempfile::tempdir().expect("a temporary folder");
        let out = dir.path().join("calibration");
        write_calibration(&out, &crate::testing::labelled(), &calibration).expect("written");
        let text = std::fs::read_to_string(out.join("calibration.csv")).expect("the file");
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], CALIBRATION_COLUMNS.join(","));
        assert_eq!(
            lines[1],
            "war,boolean,false,0.25,0.125,0.5,0.0625,,\"It began, \"\"in 1939\"\".\",,war,,true"
        );
        assert_eq!(
            lines[2],
            "war_again,boolean,false,0.25,0.125,0.5,0.0625,,,,war_again,war,false"
        );
        assert_eq!(
            lines[3],
            "year,numeric,1939,0.25,0.125,0.5,,true,,0.5,year,,"
        );
        assert_eq!(lines.len(), 4);
    }
}
