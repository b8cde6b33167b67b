//! `claims.csv`: one row per claim checked in the run, written through
//! polars in the same float format as the other tables (see [`crate::tables`]).
//! Cells that do not apply (`than` of an absolute claim, the band of a
//! comparative one) and statistics that are undefined are empty, never NaN.
//! After the drivers come `post`, `known_through` (the year of a dated
//! claim, empty otherwise) and `flags` (joined by `;`).

use std::path::Path;

use polars::prelude::*;
use uchronia_analysis::claims::drivers_text;
use uchronia_analysis::findings::{ClaimSummary, flags_text};
use uchronia_model::{Model, Named};

use crate::ReportError;
use crate::tables::{csv_bytes, label_column};

/// Columns of `claims.csv`, in order.
pub const CLAIMS_COLUMNS: [&str; 19] = [
    "claim",
    "author",
    "scenario",
    "than",
    "event",
    "given",
    "says",
    "band_lo",
    "band_hi",
    "estimate",
    "q05",
    "q95",
    "credence",
    "verdict",
    "drivers",
    "post",
    "known_through",
    "flags",
    "label",
];

/// `claims.csv`: one row per claim, in the order given; `label` is the
/// event's display name (the event as written when it is an expression).
pub fn claims_table(model: &Model, claims: &[ClaimSummary]) -> PolarsResult<DataFrame> {
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
        Column::new(
            c[15].into(),
            claims.iter().map(|r| r.post).collect::<Vec<_>>(),
        ),
        Column::new(
            c[16].into(),
            claims.iter().map(|r| r.known_through).collect::<Vec<_>>(),
        ),
        Column::new(
            c[17].into(),
            claims
                .iter()
                .map(|r| (!r.flags.is_empty()).then(|| flags_text(&r.flags)))
                .collect::<Vec<Option<String>>>(),
        ),
        label_column(model, Named::Item, claims.iter().map(|r| r.event.as_str())),
    ];
    DataFrame::new(claims.len(), columns)
}

/// Writes `claims.csv` into the report folder `dir` (which exists).
pub fn write_claims(dir: &Path, model: &Model, claims: &[ClaimSummary]) -> Result<(), ReportError> {
    let table_error = |source| ReportError::Table {
        table: "claims.csv",
        source,
    };
    let mut table = claims_table(model, claims).map_err(table_error)?;
    let bytes = csv_bytes(&mut table).map_err(table_error)?;
    let path = dir.join("claims.csv");
    std::fs::write(&path, bytes).map_err(|source| ReportError::Io { path, source })
}

#[cfg(test)]
mod tests {
    use super::*;
    use uchronia_analysis::findings::{Driver, Flag, Verdict};

    fn claim(id: &str) -> ClaimSummary {
        ClaimSummary {
            id: id.into(),
            author: "anonymous poster".into(),
            quote: "q".into(),
            scenario: "trotsky_in_power".into(),
            than: None,
            event: "west_posture == 'anti_soviet_bloc' or x".into(),
            given: None,
            says: "likely".into(),
            band: Some((0.66, 1.0)),
            estimate: Some(0.7),
            q05: Some(0.5),
            q50: Some(0.7),
            q95: Some(0.9),
            credence: Some(0.8),
            verdict: Verdict::Supported,
            defined_draws: 100,
            undefined_draws: 0,
            drivers: vec![Driver {
                param: "p_x".into(),
                rank_corr: -0.2,
                holds_when: Some("p_x < 0.31".into()),
            }],
            post: Some(12),
            known_through: None,
            flags: Vec::new(),
            one_belief: None,
        }
    }

    #[test]
    fn claims_csv_has_its_columns_and_empty_cells_for_undefined_values() {
        let mut undefined = claim("never");
        undefined.than = Some("history".into());
        undefined.says = "lower".into();
        undefined.band = None;
        undefined.given = Some("a and not a".into());
        undefined.estimate = None;
        undefined.q05 = None;
        undefined.q50 = None;
        undefined.q95 = None;
        undefined.credence = None;
        undefined.verdict = Verdict::Undefined;
        undefined.drivers = Vec::new();
        undefined.post = None;
        undefined.flags = vec![Flag::NoPath, Flag::FewDraws];
        let mut table =
            claims_table(&crate::testing::labelled(), &[claim("a"), undefined]).expect("a table");
        let text = String::from_utf8(csv_bytes(&mut table).expect("csv")).expect("UTF-8");
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], CLAIMS_COLUMNS.join(","));
        assert_eq!(
            lines[1],
            "a,anonymous poster,trotsky_in_power,,west_posture == 'anti_soviet_bloc' or x,,likely,0.66,1,0.7,0.5,0.9,0.8,supported,p_x (-0.20; holds when p_x < 0.31),12,,,west_posture == 'anti_soviet_bloc' or x"
        );
        assert_eq!(
            lines[2],
            "never,anonymous poster,trotsky_in_power,history,west_posture == 'anti_soviet_bloc' or x,a and not a,lower,,,,,,,undefined,,,,no_path;few_draws,west_posture == 'anti_soviet_bloc' or x"
        );
        assert!(!text.contains("NaN"));
    }
}
