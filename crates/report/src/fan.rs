//! `fan.csv`: the fan chart's data, one row per year outcome, scenario and
//! year of the outcome's span (`outcome,scenario,year,p_mean,mc_se,p_q05,
//! p_q50,p_q95,draws,label`; `label` is the outcome's display name),
//! written when the model has an outcome that is a year, in the float
//! format of the other tables.

use std::path::Path;

use polars::prelude::*;
use uchronia_analysis::fan::FanRow;
use uchronia_model::{Model, Named};

use crate::ReportError;
use crate::tables::csv_bytes;

/// Columns of `fan.csv`, in order.
pub const FAN_COLUMNS: [&str; 10] = [
    "outcome", "scenario", "year", "p_mean", "mc_se", "p_q05", "p_q50", "p_q95", "draws", "label",
];

/// `fan.csv` as a table (an empty cell: not defined, no draw had a value).
pub fn fan_table(model: &Model, rows: &[FanRow]) -> PolarsResult<DataFrame> {
    let c = FAN_COLUMNS;
    let names = |f: fn(&FanRow) -> &str| rows.iter().map(f).collect::<Vec<&str>>();
    let float = |f: fn(&FanRow) -> Option<f64>| rows.iter().map(f).collect::<Vec<_>>();
    DataFrame::new(
        rows.len(),
        vec![
            Column::new(c[0].into(), names(|r| &r.outcome)),
            Column::new(c[1].into(), names(|r| &r.scenario)),
            Column::new(
                c[2].into(),
                rows.iter().map(|r| r.year).collect::<Vec<i32>>(),
            ),
            Column::new(c[3].into(), float(|r| r.p_mean)),
            Column::new(c[4].into(), float(|r| r.mc_se)),
            Column::new(c[5].into(), float(|r| r.p_q05)),
            Column::new(c[6].into(), float(|r| r.p_q50)),
            Column::new(c[7].into(), float(|r| r.p_q95)),
            Column::new(
                c[8].into(),
                rows.iter().map(|r| r.draws).collect::<Vec<u64>>(),
            ),
            crate::tables::label_column(
                model,
                Named::Item,
                rows.iter().map(|r| r.outcome.as_str()),
            ),
        ],
    )
}

/// Writes `fan.csv` into the folder `dir`.
pub fn write_fan(dir: &Path, model: &Model, rows: &[FanRow]) -> Result<(), ReportError> {
    let table_error = |source| ReportError::Table {
        table: "fan.csv",
        source,
    };
    let mut table = fan_table(model, rows).map_err(table_error)?;
    let bytes = csv_bytes(&mut table).map_err(table_error)?;
    crate::write_file(&dir.join("fan.csv"), &bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fan_csv_has_its_exact_columns_and_empty_cells_for_undefined() {
        let row = |year, p_mean| FanRow {
            outcome: "won".into(),
            scenario: "history".into(),
            year,
            p_mean,
            mc_se: p_mean.map(|_| 0.01),
            p_q05: p_mean,
            p_q50: p_mean,
            p_q95: p_mean,
            draws: 4,
        };
        let model = crate::testing::labelled();
        let rows = [row(1938, Some(0.25)), row(1939, None)];
        let mut table = fan_table(&model, &rows).expect("a table");
        let text = String::from_utf8(csv_bytes(&mut table).expect("csv")).expect("utf-8");
        assert_eq!(
            text,
            "outcome,scenario,year,p_mean,mc_se,p_q05,p_q50,p_q95,draws,label\n\
             won,history,1938,0.25,0.01,0.25,0.25,0.25,4,The reformer wins\n\
             won,history,1939,,,,,,4,The reformer wins\n"
        );
    }
}
