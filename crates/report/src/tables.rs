//! The report's tables as polars `DataFrame`s, and their CSV form.
//!
//! **Float format.** Every float is written in positional notation with the
//! shortest decimal that reads back as the same `f64` (Rust's `Display`,
//! selected with `float_scientific = Some(false)` and no fixed precision):
//! lossless, and a pure function of the bits, so identical tallies give
//! byte-identical files. A statistic that is undefined (no draw, no value) is
//! an empty cell. Integers are written as integers.
//!
//! **Precision.** The tables of estimates (`outcomes.csv`, `numeric.csv`,
//! `fan.csv`, `claims.csv`, and those of `sweep`, `inevitability`,
//! `calibrate`) keep that full precision. The analyses built on them
//! (`sensitivity.csv`, `comparison.csv`, `posters.csv`, `crux.csv`,
//! `worlds.csv`) round every float to [`ANALYSIS_DIGITS`] significant digits
//! first ([`rounded_csv_bytes`]): their numbers are means and quantiles over
//! at most a few thousand draws, whose Monte Carlo error is in the second or
//! third significant digit, so the digits past the fourth are noise (`0.10464528000000001`
//! is `0.1046`); they were a third of those files' bytes.
//!
//! **Labels.** Every CSV keeps its identifier columns and ends with a
//! `label` column ([`label_column`]): the display name of the row's subject
//! (its `label` in the model, or its identifier). Outside tools read columns
//! by position, so the label only ever comes last.

use polars::prelude::*;
use uchronia_analysis::Summary;
use uchronia_model::{Model, Named};

/// Columns of `outcomes.csv`, in order.
pub const OUTCOMES_COLUMNS: [&str; 10] = [
    "scenario", "outcome", "p_mean", "mc_se", "p_q05", "p_q50", "p_q95", "draws", "trials", "label",
];

/// Columns of `numeric.csv`, in order.
pub const NUMERIC_COLUMNS: [&str; 12] = [
    "scenario", "outcome", "mean", "mean_se", "sd", "q05", "q50", "q95", "share", "draws",
    "trials", "label",
];

/// The `label` column that ends every CSV: for each of `names` (the row's
/// subject, an identifier of kind `what`), its display name.
pub fn label_column<'a>(
    model: &'a Model,
    what: Named,
    names: impl IntoIterator<Item = &'a str>,
) -> Column {
    let labels: Vec<&str> = names
        .into_iter()
        .map(|name| model.display_name(what, name))
        .collect();
    Column::new("label".into(), labels)
}

/// `outcomes.csv`: one row per scenario and boolean outcome; `label` is the
/// outcome's.
pub fn outcomes_table(model: &Model, summary: &Summary) -> PolarsResult<DataFrame> {
    let rows = &summary.boolean;
    let text = |f: fn(&uchronia_analysis::BooleanSummary) -> &str| {
        rows.iter().map(f).collect::<Vec<&str>>()
    };
    let float = |f: fn(&uchronia_analysis::BooleanSummary) -> Option<f64>| {
        rows.iter().map(f).collect::<Vec<_>>()
    };
    let columns = vec![
        Column::new(OUTCOMES_COLUMNS[0].into(), text(|r| &r.scenario)),
        Column::new(OUTCOMES_COLUMNS[1].into(), text(|r| &r.outcome)),
        Column::new(OUTCOMES_COLUMNS[2].into(), float(|r| r.p_mean)),
        Column::new(OUTCOMES_COLUMNS[3].into(), float(|r| r.mc_se)),
        Column::new(OUTCOMES_COLUMNS[4].into(), float(|r| r.p_q05)),
        Column::new(OUTCOMES_COLUMNS[5].into(), float(|r| r.p_q50)),
        Column::new(OUTCOMES_COLUMNS[6].into(), float(|r| r.p_q95)),
        Column::new(
            OUTCOMES_COLUMNS[7].into(),
            rows.iter().map(|r| r.draws).collect::<Vec<u64>>(),
        ),
        Column::new(
            OUTCOMES_COLUMNS[8].into(),
            rows.iter().map(|r| r.trials).collect::<Vec<u64>>(),
        ),
        label_column(model, Named::Item, rows.iter().map(|r| r.outcome.as_str())),
    ];
    DataFrame::new(rows.len(), columns)
}

/// `numeric.csv`: one row per scenario and numeric outcome; `label` is the
/// outcome's.
pub fn numeric_table(model: &Model, summary: &Summary) -> PolarsResult<DataFrame> {
    let rows = &summary.numeric;
    let text = |f: fn(&uchronia_analysis::NumericSummary) -> &str| {
        rows.iter().map(f).collect::<Vec<&str>>()
    };
    let float = |f: fn(&uchronia_analysis::NumericSummary) -> Option<f64>| {
        rows.iter().map(f).collect::<Vec<_>>()
    };
    let columns = vec![
        Column::new(NUMERIC_COLUMNS[0].into(), text(|r| &r.scenario)),
        Column::new(NUMERIC_COLUMNS[1].into(), text(|r| &r.outcome)),
        Column::new(NUMERIC_COLUMNS[2].into(), float(|r| r.mean)),
        Column::new(NUMERIC_COLUMNS[3].into(), float(|r| r.mean_se)),
        Column::new(NUMERIC_COLUMNS[4].into(), float(|r| r.sd)),
        Column::new(NUMERIC_COLUMNS[5].into(), float(|r| r.q05)),
        Column::new(NUMERIC_COLUMNS[6].into(), float(|r| r.q50)),
        Column::new(NUMERIC_COLUMNS[7].into(), float(|r| r.q95)),
        Column::new(
            NUMERIC_COLUMNS[8].into(),
            rows.iter().map(|r| r.share).collect::<Vec<f64>>(),
        ),
        Column::new(
            NUMERIC_COLUMNS[9].into(),
            rows.iter().map(|r| r.draws).collect::<Vec<u64>>(),
        ),
        Column::new(
            NUMERIC_COLUMNS[10].into(),
            rows.iter().map(|r| r.trials).collect::<Vec<u64>>(),
        ),
        label_column(model, Named::Item, rows.iter().map(|r| r.outcome.as_str())),
    ];
    DataFrame::new(rows.len(), columns)
}

/// The CSV text of `table`, in the documented float format, with a header
/// row and `\n` line ends.
pub fn csv_bytes(table: &mut DataFrame) -> PolarsResult<Vec<u8>> {
    let mut bytes = Vec::new();
    CsvWriter::new(&mut bytes)
        .include_header(true)
        .with_float_scientific(Some(false))
        .with_float_precision(None)
        .with_line_terminator("\n".into())
        .n_threads(1)
        .finish(table)?;
    Ok(bytes)
}

/// How many significant digits the analysis tables keep (see the module's
/// **Precision**).
pub const ANALYSIS_DIGITS: usize = 4;

/// `x` rounded to `digits` significant digits (at least 1), as the `f64`
/// nearest that decimal, which `Display` then writes as that decimal (the
/// shortest that reads back). Zero and non-finite values are kept.
pub fn significant(x: f64, digits: usize) -> f64 {
    if x == 0.0 || !x.is_finite() {
        return x;
    }
    let decimals = digits.max(1) - 1;
    format!("{x:.decimals$e}").parse().unwrap_or(x)
}

/// The CSV text of `table` (as [`csv_bytes`]) with every float column
/// rounded to `digits` significant digits.
pub fn rounded_csv_bytes(table: &mut DataFrame, digits: usize) -> PolarsResult<Vec<u8>> {
    let floats: Vec<PlSmallStr> = (table.columns().iter())
        .filter(|c| c.dtype() == &DataType::Float64)
        .map(|c| c.name().clone())
        .collect();
    for name in floats {
        let rounded = (table.column(&name)?.f64()?).apply_values(|x| significant(x, digits));
        table.with_column(rounded.into_column())?;
    }
    csv_bytes(table)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn significant_digits_round_to_the_nearest_decimal() {
        assert_eq!(significant(0.104_645_280_000_000_01, 6), 0.104_645);
        assert_eq!(
            significant(0.000_006_880_322_189_953_694, 6),
            0.000_006_880_32
        );
        assert_eq!(significant(-1_939.648_83, 6), -1_939.65);
        assert_eq!(significant(123_456_789.0, 6), 123_457_000.0);
        assert_eq!(significant(0.0, 6), 0.0);
        assert!(significant(f64::NAN, 6).is_nan());
        assert_eq!(significant(0.25, 1), 0.2, "ties to even");
    }

    #[test]
    fn rounded_tables_write_six_digits_and_leave_the_rest() {
        let mut table = DataFrame::new(
            3,
            vec![
                Column::new("name".into(), ["a", "b", "c"]),
                Column::new("n".into(), [1_000_001u64, 2, 3]),
                Column::new(
                    "p".into(),
                    [Some(0.104_645_280_000_000_01), None, Some(2.0 / 3.0)],
                ),
            ],
        )
        .expect("a table");
        let text = String::from_utf8(rounded_csv_bytes(&mut table, ANALYSIS_DIGITS).expect("CSV"))
            .expect("UTF-8");
        assert_eq!(text, "name,n,p\na,1000001,0.1046\nb,2,\nc,3,0.6667\n");
    }
}
