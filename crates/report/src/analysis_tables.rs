//! `sensitivity.csv`, `comparison.csv` and `sweep.csv`: the tables of the
//! analyses built on a run's parameter draws, in the same float format as
//! the other tables (see [`crate::tables`]).
//!
//! The columns of each table are documented in docs/sensitivity.md;
//! `comparison.csv` adds `diff_q05,diff_q95,unpaired_se` after them, then
//! contract 1.1's `against,confounders`; `sensitivity.csv` adds contract
//! 1.1's `ancestor,significant`. Each ends with `label` (see
//! [`crate::tables::label_column`]): the param's in `sensitivity.csv`, the
//! outcome's in the others.

use std::path::Path;

use polars::prelude::*;
use uchronia_analysis::findings::{ComparisonRow, SensitivityRow, SweepRow};
use uchronia_model::{Model, Named};

use crate::tables::{ANALYSIS_DIGITS, csv_bytes, label_column, rounded_csv_bytes};
use crate::{ReportError, RunInfo, folder::replace_dir};

/// Columns of `sensitivity.csv`, in order.
pub const SENSITIVITY_COLUMNS: [&str; 10] = [
    "scenario",
    "outcome",
    "param",
    "rank_corr",
    "swing_low",
    "swing_high",
    "first_order",
    "ancestor",
    "significant",
    "label",
];

/// Columns of `comparison.csv`, in order: the contract's six, then ours.
pub const COMPARISON_COLUMNS: [&str; 12] = [
    "scenario",
    "reference",
    "outcome",
    "diff",
    "diff_se",
    "ratio",
    "diff_q05",
    "diff_q95",
    "unpaired_se",
    "against",
    "confounders",
    "label",
];

/// Columns of `sweep.csv`, in order.
pub const SWEEP_COLUMNS: [&str; 10] = [
    "param", "value", "scenario", "outcome", "p_mean", "mc_se", "p_q05", "p_q50", "p_q95", "label",
];

/// A text column of `rows`.
fn text<R>(name: &str, rows: &[R], f: impl Fn(&R) -> &str) -> Column {
    Column::new(name.into(), rows.iter().map(f).collect::<Vec<&str>>())
}

/// A `true`/`false` column of `rows`.
fn flag<R>(name: &str, rows: &[R], f: impl Fn(&R) -> bool) -> Column {
    Column::new(
        name.into(),
        rows.iter()
            .map(|r| if f(r) { "true" } else { "false" })
            .collect::<Vec<&str>>(),
    )
}

/// An optional float column of `rows` (None is an empty cell).
fn float<R>(name: &str, rows: &[R], f: impl Fn(&R) -> Option<f64>) -> Column {
    Column::new(
        name.into(),
        rows.iter().map(f).collect::<Vec<Option<f64>>>(),
    )
}

/// `sensitivity.csv`: one row per scenario, outcome and parameter.
pub fn sensitivity_table(model: &Model, rows: &[SensitivityRow]) -> PolarsResult<DataFrame> {
    let c = SENSITIVITY_COLUMNS;
    let columns = vec![
        text(c[0], rows, |r| &r.scenario),
        text(c[1], rows, |r| &r.outcome),
        text(c[2], rows, |r| &r.param),
        float(c[3], rows, |r| r.rank_corr),
        float(c[4], rows, |r| r.swing_low),
        float(c[5], rows, |r| r.swing_high),
        float(c[6], rows, |r| r.first_order),
        flag(c[7], rows, |r| r.ancestor),
        flag(c[8], rows, |r| r.significant),
        label_column(model, Named::Item, rows.iter().map(|r| r.param.as_str())),
    ];
    DataFrame::new(rows.len(), columns)
}

/// `comparison.csv`: one row per non-reference scenario and outcome.
pub fn comparison_table(model: &Model, rows: &[ComparisonRow]) -> PolarsResult<DataFrame> {
    let c = COMPARISON_COLUMNS;
    let columns = vec![
        text(c[0], rows, |r| &r.scenario),
        text(c[1], rows, |r| &r.reference),
        text(c[2], rows, |r| &r.outcome),
        float(c[3], rows, |r| r.diff),
        float(c[4], rows, |r| r.diff_se),
        float(c[5], rows, |r| r.ratio),
        float(c[6], rows, |r| r.diff_q05),
        float(c[7], rows, |r| r.diff_q95),
        float(c[8], rows, |r| r.unpaired_se),
        text(c[9], rows, |r| r.against.as_str()),
        Column::new(
            c[10].into(),
            rows.iter()
                .map(|r| (!r.confounders.is_empty()).then(|| r.confounders.join(";")))
                .collect::<Vec<Option<String>>>(),
        ),
        label_column(model, Named::Item, rows.iter().map(|r| r.outcome.as_str())),
    ];
    DataFrame::new(rows.len(), columns)
}

/// `sweep.csv`: one row per swept value, scenario and boolean outcome.
pub fn sweep_table(model: &Model, rows: &[SweepRow]) -> PolarsResult<DataFrame> {
    let c = SWEEP_COLUMNS;
    let columns = vec![
        text(c[0], rows, |r| &r.param),
        Column::new(
            c[1].into(),
            rows.iter().map(|r| r.value).collect::<Vec<f64>>(),
        ),
        text(c[2], rows, |r| &r.scenario),
        text(c[3], rows, |r| &r.outcome),
        float(c[4], rows, |r| r.p_mean),
        float(c[5], rows, |r| r.mc_se),
        float(c[6], rows, |r| r.p_q05),
        float(c[7], rows, |r| r.p_q50),
        float(c[8], rows, |r| r.p_q95),
        label_column(model, Named::Item, rows.iter().map(|r| r.outcome.as_str())),
    ];
    DataFrame::new(rows.len(), columns)
}

/// Writes `sensitivity.csv` and `comparison.csv` into the folder `dir`
/// (which exists: call it inside [`replace_dir`], next to
/// [`crate::write_files`]).
pub fn write_analysis_files(
    dir: &Path,
    model: &Model,
    sensitivity: &[SensitivityRow],
    comparison: &[ComparisonRow],
) -> Result<(), ReportError> {
    let digits = Some(ANALYSIS_DIGITS);
    write_table(
        dir,
        "sensitivity.csv",
        sensitivity_table(model, sensitivity),
        digits,
    )?;
    write_table(
        dir,
        "comparison.csv",
        comparison_table(model, comparison),
        digits,
    )
}

/// Writes the sweep folder `out` (replacing any previous one atomically):
/// `sweep.csv` of every row, the `sweep_<param>.png` chart of the `charted`
/// rows (one panel per outcome, so the caller keeps it to a readable few)
/// and `run.json` (the run's settings; `elapsed_seconds` and
/// `trials_per_second` cover every swept value).
pub fn write_sweep(
    out: &Path,
    model: &Model,
    rows: &[SweepRow],
    charted: &[SweepRow],
    info: &RunInfo,
) -> Result<(), ReportError> {
    replace_dir(out, |dir| {
        write_table(dir, "sweep.csv", sweep_table(model, rows), None)?;
        crate::charts::write_sweep_charts(dir, model, charted)?;
        let mut json = serde_json::to_vec_pretty(info)?;
        json.push(b'\n');
        crate::write_file(&dir.join("run.json"), &json)
    })
}

/// Serialises `table` as CSV into `dir/name`: full precision, or its floats
/// rounded to `digits` significant digits.
pub(crate) fn write_table(
    dir: &Path,
    name: &'static str,
    table: PolarsResult<DataFrame>,
    digits: Option<usize>,
) -> Result<(), ReportError> {
    let table_error = |source| ReportError::Table {
        table: name,
        source,
    };
    let mut table = table.map_err(table_error)?;
    let bytes = match digits {
        Some(digits) => rounded_csv_bytes(&mut table, digits),
        None => csv_bytes(&mut table),
    };
    crate::write_file(&dir.join(name), &bytes.map_err(table_error)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::labelled;
    use uchronia_analysis::findings::Against;

    fn csv(table: PolarsResult<DataFrame>) -> String {
        let mut table = table.expect("a table");
        String::from_utf8(csv_bytes(&mut table).expect("CSV")).expect("UTF-8")
    }

    #[test]
    fn sensitivity_csv_has_its_exact_columns_and_empty_cells_for_none() {
        let rows = [
            SensitivityRow {
                scenario: "history".into(),
                outcome: "won".into(),
                param: "support".into(),
                rank_corr: Some(0.5),
                swing_low: Some(0.1),
                swing_high: Some(0.25),
                first_order: Some(0.0),
                ancestor: true,
                significant: true,
            },
            SensitivityRow {
                scenario: "history".into(),
                outcome: "won".into(),
                param: "pinned".into(),
                rank_corr: None,
                swing_low: None,
                swing_high: None,
                first_order: None,
                ancestor: false,
                significant: false,
            },
        ];
        assert_eq!(
            csv(sensitivity_table(&labelled(), &rows)),
            "scenario,outcome,param,rank_corr,swing_low,swing_high,first_order,ancestor,significant,label\n\
             history,won,support,0.5,0.1,0.25,0,true,true,\"Support, in the Central Committee\"\n\
             history,won,pinned,,,,,false,false,pinned\n"
        );
    }

    #[test]
    fn comparison_csv_puts_the_contract_columns_first() {
        let rows = [ComparisonRow {
            scenario: "divergence".into(),
            reference: "history".into(),
            outcome: "won".into(),
            diff: Some(0.125),
            diff_se: Some(0.001),
            diff_q05: Some(-0.5),
            diff_q95: Some(0.75),
            ratio: None,
            unpaired_se: Some(0.01),
            against: Against::Reference,
            confounders: vec!["deputy".into(), "moves".into()],
        }];
        assert_eq!(
            csv(comparison_table(&labelled(), &rows)),
            "scenario,reference,outcome,diff,diff_se,ratio,diff_q05,diff_q95,unpaired_se,against,confounders,label\n\
             divergence,history,won,0.125,0.001,,-0.5,0.75,0.01,reference,deputy;moves,The reformer wins\n"
        );
    }

    #[test]
    fn sweep_csv_has_its_exact_columns() {
        let rows = [SweepRow {
            param: "support".into(),
            value: 0.4,
            scenario: "history".into(),
            outcome: "won".into(),
            p_mean: Some(0.3),
            mc_se: Some(0.002),
            p_q05: Some(0.1),
            p_q50: Some(0.3),
            p_q95: None,
        }];
        assert_eq!(
            csv(sweep_table(&labelled(), &rows)),
            "param,value,scenario,outcome,p_mean,mc_se,p_q05,p_q50,p_q95,label\n\
             support,0.4,history,won,0.3,0.002,0.1,0.3,,The reformer wins\n"
        );
    }
}
