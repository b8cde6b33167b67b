//! The crux files of a report (contract 1.1, section 5; docs/crux.md):
//! `posters.csv`, `crux.csv`, `worlds.csv` and `conflicts.csv`, from one
//! [`Crux`] value, through polars in the float format of the other tables.
//! Undefined statistics are empty cells, never NaN. `posters.csv` and
//! `crux.csv` end with the param's `label`, `worlds.csv` with the outcome's;
//! `conflicts.csv` names only authors and claims, so it has none.
//! `crux.csv` keeps the significant gaps (beyond their worlds' noise) unless
//! the report is `--full`; ranks count every gap, so the two agree.

use std::path::Path;

use polars::prelude::*;
use uchronia_analysis::crux::Crux;
use uchronia_model::{Model, Named};

use crate::ReportError;
use crate::tables::{ANALYSIS_DIGITS, label_column, rounded_csv_bytes};

/// Columns of `posters.csv`, in order.
pub const POSTERS_COLUMNS: [&str; 12] = [
    "author",
    "claims",
    "draws_kept",
    "param",
    "prior_q05",
    "prior_q50",
    "prior_q95",
    "implied_q05",
    "implied_q50",
    "implied_q95",
    "shift",
    "label",
];

/// Columns of `crux.csv`, in order.
pub const CRUX_COLUMNS: [&str; 9] = [
    "author_a",
    "author_b",
    "rank",
    "param",
    "shift_a",
    "shift_b",
    "gap",
    "significant",
    "label",
];

/// Columns of `worlds.csv`, in order.
pub const WORLDS_COLUMNS: [&str; 7] = [
    "author", "scenario", "outcome", "p_mean", "p_q05", "p_q95", "label",
];

/// Columns of `conflicts.csv`, in order.
pub const CONFLICTS_COLUMNS: [&str; 2] = ["author", "claims"];

/// `posters.csv`: one row per author and parameter. `claims` and
/// `draws_kept` are those of the author's world (all their claims, or a
/// largest consistent subset when they conflict).
pub fn posters_table(model: &Model, crux: &Crux) -> PolarsResult<DataFrame> {
    let rows: Vec<_> = (crux.posters.iter())
        .flat_map(|poster| poster.params.iter().map(move |p| (poster, p)))
        .collect();
    let c = POSTERS_COLUMNS;
    let float = |f: &dyn Fn(&uchronia_analysis::crux::Implied) -> Option<f64>| {
        rows.iter().map(|(_, p)| f(p)).collect::<Vec<_>>()
    };
    let columns = vec![
        Column::new(
            c[0].into(),
            rows.iter()
                .map(|(a, _)| a.author.as_str())
                .collect::<Vec<_>>(),
        ),
        Column::new(
            c[1].into(),
            rows.iter()
                .map(|(a, _)| a.world_claims.len() as u64)
                .collect::<Vec<_>>(),
        ),
        Column::new(
            c[2].into(),
            rows.iter().map(|(a, _)| a.world_draws).collect::<Vec<_>>(),
        ),
        Column::new(
            c[3].into(),
            rows.iter()
                .map(|(_, p)| p.param.as_str())
                .collect::<Vec<_>>(),
        ),
        Column::new(c[4].into(), float(&|p| p.prior[0])),
        Column::new(c[5].into(), float(&|p| p.prior[1])),
        Column::new(c[6].into(), float(&|p| p.prior[2])),
        Column::new(c[7].into(), float(&|p| p.implied[0])),
        Column::new(c[8].into(), float(&|p| p.implied[1])),
        Column::new(c[9].into(), float(&|p| p.implied[2])),
        Column::new(c[10].into(), float(&|p| p.shift)),
        label_column(
            model,
            Named::Item,
            rows.iter().map(|(_, p)| p.param.as_str()),
        ),
    ];
    DataFrame::new(rows.len(), columns)
}

/// `crux.csv`: per pair of authors, the parameters that reach a claim of
/// either, ranked by gap (rank 1 = the largest); only the significant gaps
/// unless `full`.
pub fn crux_table(model: &Model, crux: &Crux, full: bool) -> PolarsResult<DataFrame> {
    let rows: Vec<_> = (crux.pairs.iter())
        .flat_map(|pair| {
            (pair.ranked.iter().enumerate()).map(move |(i, row)| (pair, i as u64 + 1, row))
        })
        .filter(|(_, _, row)| full || row.significant)
        .collect();
    let c = CRUX_COLUMNS;
    let columns = vec![
        Column::new(
            c[0].into(),
            rows.iter().map(|r| r.0.a.as_str()).collect::<Vec<_>>(),
        ),
        Column::new(
            c[1].into(),
            rows.iter().map(|r| r.0.b.as_str()).collect::<Vec<_>>(),
        ),
        Column::new(c[2].into(), rows.iter().map(|r| r.1).collect::<Vec<_>>()),
        Column::new(
            c[3].into(),
            rows.iter().map(|r| r.2.param.as_str()).collect::<Vec<_>>(),
        ),
        Column::new(
            c[4].into(),
            rows.iter().map(|r| r.2.shift_a).collect::<Vec<_>>(),
        ),
        Column::new(
            c[5].into(),
            rows.iter().map(|r| r.2.shift_b).collect::<Vec<_>>(),
        ),
        Column::new(
            c[6].into(),
            rows.iter().map(|r| r.2.gap).collect::<Vec<_>>(),
        ),
        Column::new(
            c[7].into(),
            rows.iter().map(|r| r.2.significant).collect::<Vec<_>>(),
        ),
        label_column(model, Named::Item, rows.iter().map(|r| r.2.param.as_str())),
    ];
    DataFrame::new(rows.len(), columns)
}

/// `worlds.csv`: each author's world, per scenario and listed boolean
/// outcome.
pub fn worlds_table(model: &Model, crux: &Crux) -> PolarsResult<DataFrame> {
    let rows: Vec<_> = (crux.posters.iter())
        .flat_map(|poster| poster.world.iter().map(move |w| (poster, w)))
        .collect();
    let c = WORLDS_COLUMNS;
    let columns = vec![
        Column::new(
            c[0].into(),
            rows.iter().map(|r| r.0.author.as_str()).collect::<Vec<_>>(),
        ),
        Column::new(
            c[1].into(),
            rows.iter()
                .map(|r| r.1.scenario.as_str())
                .collect::<Vec<_>>(),
        ),
        Column::new(
            c[2].into(),
            rows.iter()
                .map(|r| r.1.outcome.as_str())
                .collect::<Vec<_>>(),
        ),
        Column::new(
            c[3].into(),
            rows.iter().map(|r| r.1.p_mean).collect::<Vec<_>>(),
        ),
        Column::new(
            c[4].into(),
            rows.iter().map(|r| r.1.p_q05).collect::<Vec<_>>(),
        ),
        Column::new(
            c[5].into(),
            rows.iter().map(|r| r.1.p_q95).collect::<Vec<_>>(),
        ),
        label_column(
            model,
            Named::Item,
            rows.iter().map(|r| r.1.outcome.as_str()),
        ),
    ];
    DataFrame::new(rows.len(), columns)
}

/// `conflicts.csv`: one row per author whose claims no draw keeps together:
/// a smallest conflicting set, ids joined by `;`. Header only when none.
pub fn conflicts_table(_model: &Model, crux: &Crux) -> PolarsResult<DataFrame> {
    let rows: Vec<(&str, String)> = (crux.posters.iter())
        .filter_map(|p| Some((p.author.as_str(), p.conflict.as_ref()?.claims.join(";"))))
        .collect();
    let c = CONFLICTS_COLUMNS;
    let columns = vec![
        Column::new(c[0].into(), rows.iter().map(|r| r.0).collect::<Vec<_>>()),
        Column::new(
            c[1].into(),
            rows.iter().map(|r| r.1.as_str()).collect::<Vec<_>>(),
        ),
    ];
    DataFrame::new(rows.len(), columns)
}

/// Writes the four crux tables into the report folder `dir` (which exists);
/// `full` keeps every row of `crux.csv`.
pub fn write_crux(dir: &Path, model: &Model, crux: &Crux, full: bool) -> Result<(), ReportError> {
    let tables: [(&'static str, PolarsResult<DataFrame>); 4] = [
        ("posters.csv", posters_table(model, crux)),
        ("crux.csv", crux_table(model, crux, full)),
        ("worlds.csv", worlds_table(model, crux)),
        ("conflicts.csv", conflicts_table(model, crux)),
    ];
    for (name, table) in tables {
        let table_error = |source| ReportError::Table {
            table: name,
            source,
        };
        let mut table = table.map_err(table_error)?;
        let bytes = rounded_csv_bytes(&mut table, ANALYSIS_DIGITS).map_err(table_error)?;
        crate::write_file(&dir.join(name), &bytes)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tables::csv_bytes;
    use uchronia_analysis::crux::{CruxRow, Pair};

    fn row(param: &str, gap: f64, significant: bool) -> CruxRow {
        CruxRow {
            param: param.into(),
            shift_a: gap,
            shift_b: 0.0,
            gap,
            significant,
        }
    }

    #[test]
    fn crux_csv_keeps_the_significant_gaps_unless_full_with_ranks_over_all() {
        let crux = Crux {
            draws: 100,
            posters: Vec::new(),
            pairs: vec![Pair {
                a: "alice".into(),
                b: "bob".into(),
                ranked: vec![row("noise", 0.4, false), row("belief", 0.3, true)],
                question: None,
            }],
        };
        let model = crate::testing::labelled();
        let default = crux_table(&model, &crux, false).expect("a table");
        assert_eq!(default.height(), 1);
        let text = String::from_utf8(csv_bytes(&mut default.clone()).expect("csv")).expect("utf-8");
        assert!(
            text.lines()
                .nth(1)
                .is_some_and(|l| l.starts_with("alice,bob,2,belief,")),
            "{text}"
        );
        let full = crux_table(&model, &crux, true).expect("a table");
        assert_eq!(full.height(), 2);
    }
}
