//! Stage one of `[[correlations]]` blocks (contract 1.1, section 4): each
//! block's `params` (two names) and `rank` (a number), with their spans.
//! Whether the names exist, the rank's range and the matrix are stage two's
//! business (`load/correlations.rs`).

use toml::de::{DeTable, DeValue};

use super::Name;
use crate::ir::Span;
use crate::reader::{Sink, Value, check_keys, missing, number, span, type_name, wrong_type};

/// A `[[correlations]]` block as written.
#[derive(Debug)]
pub struct RawCorrelation {
    /// The two param names, when `params` could be read.
    pub params: Option<[Name; 2]>,
    /// `rank`, with where it is, when it could be read.
    pub rank: Option<(f64, Span)>,
    /// The block.
    pub span: Span,
}

const HINT: &str = "write [[correlations]] with params = [\"a\", \"b\"] and rank = 0.5";

/// Reads the top-level `correlations` array of tables, if any.
pub(super) fn read(sink: &mut Sink, root: &DeTable) -> Vec<RawCorrelation> {
    let Some(value) = root.get("correlations") else {
        return Vec::new();
    };
    let DeValue::Array(items) = value.get_ref() else {
        wrong_type(
            sink,
            "correlations",
            "an array of tables",
            value,
            Some(HINT.to_string()),
        );
        return Vec::new();
    };
    let mut out = Vec::new();
    for item in items.iter() {
        match item.get_ref() {
            DeValue::Table(table) => out.push(read_block(sink, table, span(item))),
            other => sink.error(
                span(item),
                format!("a correlation must be a table, found {}", type_name(other)),
                Some(HINT.to_string()),
            ),
        }
    }
    out
}

fn read_block(sink: &mut Sink, table: &DeTable, block: Span) -> RawCorrelation {
    check_keys(sink, table, &["params", "rank"], &[], "[[correlations]]");
    let params = match table.get("params") {
        None => {
            missing(sink, block, "params", "[[correlations]]", Some(HINT.into()));
            None
        }
        Some(value) => read_params(sink, value),
    };
    let rank = match table.get("rank") {
        None => {
            missing(sink, block, "rank", "[[correlations]]", Some(HINT.into()));
            None
        }
        Some(value) => number(sink, "rank", value, None).map(|x| (x, span(value))),
    };
    RawCorrelation {
        params,
        rank,
        span: block,
    }
}

fn read_params(sink: &mut Sink, value: &Value) -> Option<[Name; 2]> {
    let hint = Some("write params = [\"a\", \"b\"]: the names of two params".to_string());
    let DeValue::Array(items) = value.get_ref() else {
        wrong_type(sink, "params", "an array of two param names", value, hint);
        return None;
    };
    if items.len() != 2 {
        sink.error(
            span(value),
            format!(
                "`params` must name two params, found {} value(s)",
                items.len()
            ),
            hint,
        );
        return None;
    }
    let mut names = Vec::new();
    for item in items.iter() {
        match item.get_ref() {
            DeValue::String(s) => names.push(Name {
                text: s.to_string(),
                span: span(item),
            }),
            other => sink.error(
                span(item),
                format!("`params` must hold param names, found {}", type_name(other)),
                hint.clone(),
            ),
        }
    }
    let [a, b]: [Name; 2] = names.try_into().ok()?;
    Some([a, b])
}
