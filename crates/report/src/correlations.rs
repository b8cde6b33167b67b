//! `correlations.csv`: `param_a,param_b,target,achieved`, one row per
//! `[[correlations]]` block (contract 1.1, section 5), written when the
//! model has correlations, in the float format of the other tables. Then
//! `label`: the two params' display names joined by ` ~ `.

use std::path::Path;

use polars::prelude::*;
use uchronia_analysis::CorrelationRow;
use uchronia_model::{Model, Named};

use crate::ReportError;
use crate::tables::csv_bytes;

/// Columns of `correlations.csv`, in order.
pub const CORRELATIONS_COLUMNS: [&str; 5] = ["param_a", "param_b", "target", "achieved", "label"];

/// `correlations.csv` as a table (an empty `achieved` cell: not defined).
pub fn correlations_table(model: &Model, rows: &[CorrelationRow]) -> PolarsResult<DataFrame> {
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
            Column::new(
                "label".into(),
                rows.iter()
                    .map(|r| {
                        let name = |param| model.display_name(Named::Item, param);
                        format!("{} ~ {}", name(&r.param_a), name(&r.param_b))
                    })
                    .collect::<Vec<String>>(),
            ),
        ],
    )
}

/// Writes `correlations.csv` into the folder `dir`.
pub fn write_correlations(
    dir: &Path,
    model: &Model,
    rows: &[CorrelationRow],
) -> Result<(), ReportError> {
    let table_error = |source| ReportError::Table {
        table: "correlations.csv",
        source,
    };
    let mut table = correlations_table(model, rows).map_err(table_error)?;
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
                param_a: "support".into(),
                param_b: "pinned".into(),
                target: -0.25,
                achieved: None,
            },
        ];
        let mut table = correlations_table(&crate::testing::labelled(), &rows).expect("a table");
        let csv = String::from_utf8(csv_bytes(&mut table).expect("CSV")).expect("UTF-8");
        assert_eq!(
            csv,
            "param_a,param_b,target,achieved,label\n\
             p_nazis_hist,p_west_fights,0.5,0.4875,p_nazis_hist ~ p_west_fights\n\
             support,pinned,-0.25,,\"Support, in the Central Committee ~ pinned\"\n"
        );
    }
}
