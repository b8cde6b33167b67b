//! `draws.parquet`: one row per (scenario, parameter draw), for readers who
//! want to redo the analysis in their own notebook.
//!
//! Columns: `scenario`, `draw` (the draw's index), one column per parameter
//! (its value in that draw and scenario, after `set`), one column per listed
//! boolean outcome (its probability `p_d = hits / given` in that draw, null
//! where `given` never held) and one per listed numeric outcome (its mean in
//! that draw, null where it had no value). Parameters and outcomes share one
//! namespace in a model, so their names never collide with each other; a
//! name that would collide with `scenario` or `draw` gets a `param_` or
//! `outcome_` prefix.

use polars::prelude::*;
use uchronia_engine::tally::Tally;
use uchronia_model::{Model, OutcomeKind};

use crate::per_draw;

/// The draws table.
pub fn draws_table(model: &Model, tally: &Tally) -> PolarsResult<DataFrame> {
    let rows: usize = tally.scenarios.iter().map(|s| s.draws.len()).sum();
    let mut scenario = Vec::with_capacity(rows);
    let mut draw = Vec::with_capacity(rows);
    for s in &tally.scenarios {
        let name = model
            .scenarios
            .get(s.scenario)
            .map_or("", |sc| sc.name.as_str());
        for d in &s.draws {
            scenario.push(name);
            draw.push(d.index);
        }
    }
    let fixed = ["scenario", "draw"];
    let column_name = |name: &str, prefix: &str| {
        if fixed.contains(&name) {
            format!("{prefix}_{name}")
        } else {
            name.to_string()
        }
    };
    let mut columns = vec![
        Column::new("scenario".into(), scenario),
        Column::new("draw".into(), draw),
    ];
    for (id, param) in model.params.iter().enumerate() {
        let values: Vec<Option<f64>> = (tally.scenarios.iter())
            .flat_map(|s| s.draws.iter().map(move |d| d.params.get(id).copied()))
            .collect();
        columns.push(Column::new(
            column_name(&param.name, "param").into(),
            values,
        ));
    }
    for (id, outcome) in model.outcomes.iter().enumerate() {
        if !outcome.listed {
            continue;
        }
        let values: Vec<Option<f64>> = match outcome.kind {
            OutcomeKind::Boolean { .. } => (tally.scenarios.iter())
                .flat_map(|s| per_draw::boolean_p(s, id).into_iter().map(|(_, p)| p))
                .collect(),
            OutcomeKind::Numeric { .. } => (tally.scenarios.iter())
                .flat_map(|s| per_draw::numeric_mean(s, id).into_iter().map(|(_, m)| m))
                .collect(),
        };
        columns.push(Column::new(
            column_name(&outcome.name, "outcome").into(),
            values,
        ));
    }
    DataFrame::new(rows, columns)
}

/// The Parquet bytes of `table`.
pub fn parquet_bytes(table: &mut DataFrame) -> PolarsResult<Vec<u8>> {
    let mut bytes = Vec::new();
    ParquetWriter::new(&mut bytes).finish(table)?;
    Ok(bytes)
}
