//! `correlations.csv`: `param_a,param_b,target,achieved`, one row per
//! `[[correlations]]` block (contract 1.1, section 5), written when the
//! model has correlations, in the float format of the other tables.

use std::path::Path;

use polars::prelude::*;
use uchronia_analysis::CorrelationRow;

use crate::ReportError;
use crate::tables::csv_bytes;

/// Columns of `correlations.csv`, in order.
pub const CORRELATIONS_COLUMNS: [&str; 4] = ["param_a", "param_b", "target", "achieved"];

/// `correlations.csv` as a table (an empty `achieved` cell: not defined).
pub fn correlations_table(rows: &[CorrelationRow]) -> PolarsResult<DataFrame> {
    let names = |f: fn(&CorrelationRow) -> &str| rows.iter().map(f).collect::<Vec<&str>>();
    DataFrame::new(
        rows.len(),
        vec![
            Column::new("param_a".into(), names(|r| &r.param_a)),
            Column::new("param_b".into(), names(|r| &r.param_b)),
            Column::new(
                "target".into(),
                rows.iter().map(|r| r.target).collect::<Vec<f64>>(),
            ),
            Column::new(
                "achieved".into(),
                rows.iter()
                    .map(|r| r.achieved)
                    .collect::<Vec<Option<f64>>>(),
            ),
        ],
    )
}

/// Writes `correlations.csv` into the folder `dir`.
pub fn write_correlations(dir: &Path, rows: &[CorrelationRow]) -> Result<(), ReportError> {
    let table_error = |source| ReportError::Table {
        table: "correlations.csv",
        source,
    };
    let mut table = correlations_table(rows).map_err(table_error)?;
    let bytes = csv_bytes(&mut table).map_err(table_error)?;
    crate::write_file(&dir.join("correlations.csv"), &bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn correlations_csv_has_its_exact_columns() {
        let rows = [
            CorrelationRow {
                param_a: "p_nazis_hist".into(),
                param_b: "p_west_fights".into(),
                target: 0.5,
                achieved: Some(0.4875),
            },
            CorrelationRow {
                param_a: "a".into(),
                param_b: "b".into(),
                target: -0.25,
                achieved: None,
            },
        ];
        let mut table = correlations_table(&rows).expect("a table");
        let csv = String::from_utf8(csv_bytes(&mut table).expect("CSV")).expect("UTF-8");
        assert_eq!(
            csv,
            "param_a,param_b,target,achieved\np_nazis_hist,p_west_fights,0.5,0.4875\na,b,-0.25,\n"
        );
    }
}
