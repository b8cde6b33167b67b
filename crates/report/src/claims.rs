//! `claims.csv`: one row per claim checked in the run, written through
//! polars in the same float format as the other tables (see [`crate::tables`]).
//! Cells that do not apply (`than` of an absolute claim, the band of a
//! comparative one) and statistics that are undefined are empty, never NaN.

use std::path::Path;

use polars::prelude::*;
use uchronia_analysis::claims::drivers_text;
use uchronia_analysis::findings::ClaimSummary;

use crate::ReportError;
use crate::tables::csv_bytes;

/// Columns of `claims.csv`, in order.
pub const CLAIMS_COLUMNS: [&str; 15] = [
    "claim", "author", "scenario", "than", "event", "given", "says", "band_lo", "band_hi",
    "estimate", "q05", "q95", "credence", "verdict", "drivers",
];

/// `claims.csv`: one row per claim, in the order given.
pub fn claims_table(claims: &[ClaimSummary]) -> PolarsResult<DataFrame> {
    let text = |f: fn(&ClaimSummary) -> &str| claims.iter().map(f).collect::<Vec<&str>>();
    let maybe_text =
        |f: fn(&ClaimSummary) -> Option<&str>| claims.iter().map(f).collect::<Vec<Option<&str>>>();
    let float = |f: fn(&ClaimSummary) -> Option<f64>| claims.iter().map(f).collect::<Vec<_>>();
    let c = CLAIMS_COLUMNS;
    let columns = vec![
        Column::new(c[0].into(), text(|r| &r.id)),
        Column::new(c[1].into(), text(|r| &r.author)),
        Column::new(c[2].into(), text(|r| &r.scenario)),
        Column::new(c[3].into(), maybe_text(|r| r.than.as_deref())),
        Column::new(c[4].into(), text(|r| &r.event)),
        Column::new(c[5].into(), maybe_text(|r| r.given.as_deref())),
        Column::new(c[6].into(), text(|r| &r.says)),
        Column::new(c[7].into(), float(|r| r.band.map(|b| b.0))),
        Column::new(c[8].into(), float(|r| r.band.map(|b| b.1))),
        Column::new(c[9].into(), float(|r| r.estimate)),
        Column::new(c[10].into(), float(|r| r.q05)),
        Column::new(c[11].into(), float(|r| r.q95)),
        Column::new(c[12].into(), float(|r| r.credence)),
        Column::new(c[13].into(), text(|r| r.verdict.as_str())),
        Column::new(
            c[14].into(),
            claims
                .iter()
                .map(|r| (!r.drivers.is_empty()).then(|| drivers_text(&r.drivers)))
                .collect::<Vec<Option<String>>>(),
        ),
    ];
    DataFrame::new(claims.len(), columns)
}

/// Writes `claims.csv` into the report folder `dir` (which exists).
pub fn write_claims(dir: &Path, claims: &[ClaimSummary]) -> Result<(), ReportError> {
    let table_error = |source| ReportError::Table {
        table: "claims.csv",
        source,
    };
    let mut table = claims_table(claims).map_err(table_error)?;
    let bytes = csv_bytes(&mut table).map_err(table_error)?;
    let path = dir.join("claims.csv");
    std::fs::write(&path, bytes).map_err(|source| ReportError::Io { path, source })
}
