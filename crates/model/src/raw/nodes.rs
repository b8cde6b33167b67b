//! A model's node tables (`[nodes.NAME]`) read into raw nodes: which kind
//! a node is (boolean, categorical, numeric, derived) and its keys, rows
//! and expressions, checked as far as the text alone decides.

use toml::de::{DeTable, DeValue};

use super::fields::{NODE_KEYS, all_dist_keys, expr, get, opt_expr, read_dist, sources};
use super::time::{read_fact, read_year};
use super::{Name, RawNode, RawNodeKind, RawProbs, RawRow};
use crate::ir::Span;
use crate::reader::{
    Sink, Value, check_keys, key_span, opt_label, opt_string, span, type_name, wrong_type,
};

pub(super) fn read_node(sink: &mut Sink, name: Name, table: &DeTable, table_span: Span) -> RawNode {
    let doc = opt_string(sink, table, "doc");
    let label = opt_label(sink, table);
    let source = sources(sink, table);
    let year = read_year(sink, table);
    let fact = read_fact(table);
    let kind = read_node_kind(sink, &name, table, table_span);
    RawNode {
        name,
        doc,
        label,
        source,
        kind,
        year,
        fact,
        span: table_span,
    }
}

fn read_node_kind(
    sink: &mut Sink,
    name: &Name,
    table: &DeTable,
    table_span: Span,
) -> Option<RawNodeKind> {
    let node = &name.text;
    let fixed =
        matches!(get(table, "dist").map(|v| v.get_ref()), Some(DeValue::String(s)) if s == "fixed");
    // The keys that decide the kind; `p` belongs to categorical nodes too and
    // `value` to `fixed` distributions.
    let mut markers: Vec<&str> = Vec::new();
    for key in ["states", "dist", "p", "value"] {
        let taken = match key {
            "p" => get(table, "states").is_some(),
            "value" => get(table, "dist").is_some() && fixed,
            _ => false,
        };
        if get(table, key).is_some() && !taken {
            markers.push(key);
        }
    }
    let mut all_keys: Vec<&str> = NODE_KEYS.to_vec();
    all_keys.extend(all_dist_keys());
    match markers.as_slice() {
        [] => {
            check_keys(sink, table, &all_keys, &[], &format!("node `{node}`"));
            sink.error(
                table_span,
                format!("node `{node}` has none of `p`, `states`, `dist`, `value`"),
                Some("a node is exactly one of: p = EXPR (boolean), states = [...] (categorical), dist = \"...\" (numeric), value = EXPR (derived)".to_string()),
            );
            None
        }
        [_, second, ..] => {
            let at = key_span(table, second).unwrap_or(table_span);
            sink.error(
                at,
                format!("node `{node}` has both `{}` and `{second}`", markers[0]),
                Some("a node is exactly one of: p = EXPR (boolean), states = [...] (categorical), dist = \"...\" (numeric), value = EXPR (derived)".to_string()),
            );
            None
        }
        ["p"] => {
            check_keys(
                sink,
                table,
                &["doc", "label", "source", "year", "fact", "p"],
                &all_keys,
                "a boolean node",
            );
            let p = expr(sink, "p", get(table, "p")?)?;
            Some(RawNodeKind::Boolean { p })
        }
        ["value"] => {
            check_keys(
                sink,
                table,
                &["doc", "label", "source", "year", "fact", "value"],
                &all_keys,
                "a derived node",
            );
            let value = expr(sink, "value", get(table, "value")?)?;
            Some(RawNodeKind::Derived { value })
        }
        ["dist"] => {
            let dist = read_dist(
                sink,
                table,
                table_span,
                &[
                    "doc", "label", "source", "year", "fact", "lower", "upper", "round",
                ],
                "a numeric node",
                expr,
            );
            let lower = opt_expr(sink, table, "lower");
            let upper = opt_expr(sink, table, "upper");
            let round = match get(table, "round") {
                None => false,
                Some(value) => match value.get_ref() {
                    DeValue::Boolean(b) => *b,
                    _ => {
                        wrong_type(
                            sink,
                            "round",
                            "a boolean",
                            value,
                            Some("write round = true".to_string()),
                        );
                        false
                    }
                },
            };
            Some(RawNodeKind::Numeric {
                dist: Box::new(dist?),
                lower,
                upper,
                round,
            })
        }
        _ => read_categorical(sink, node, table, table_span, &all_keys),
    }
}

fn read_categorical(
    sink: &mut Sink,
    node: &str,
    table: &DeTable,
    table_span: Span,
    all_keys: &[&str],
) -> Option<RawNodeKind> {
    check_keys(
        sink,
        table,
        &[
            "doc", "label", "source", "year", "fact", "states", "p", "weights", "table",
        ],
        all_keys,
        "a categorical node",
    );
    let states_value = get(table, "states")?;
    let states_span = span(states_value);
    let mut states = Vec::new();
    match states_value.get_ref() {
        DeValue::Array(items) => {
            for item in items.iter() {
                match item.get_ref() {
                    DeValue::String(s) => states.push(Name {
                        text: s.to_string(),
                        span: span(item),
                    }),
                    other => sink.error(
                        span(item),
                        format!("states must be strings, found {}", type_name(other)),
                        None,
                    ),
                }
            }
        }
        _ => wrong_type(
            sink,
            "states",
            "an array of state names",
            states_value,
            Some("write states = [\"a\", \"b\"]".to_string()),
        ),
    }
    let forms: Vec<&str> = ["p", "weights", "table"]
        .into_iter()
        .filter(|k| get(table, k).is_some())
        .collect();
    let hint = Some(format!(
        "give p = {{ STATE = EXPR, ... }}, weights = {{ STATE = EXPR, ... }} or [[nodes.{node}.table]] rows"
    ));
    let rows = match forms.as_slice() {
        [] => {
            sink.error(
                table_span,
                format!("categorical node `{node}` needs one of `p`, `weights`, `table`"),
                hint,
            );
            return None;
        }
        [first, second, ..] => {
            let at = key_span(table, second).unwrap_or(table_span);
            sink.error(
                at,
                format!(
                    "categorical node `{node}` has both `{first}` and `{second}`: give exactly one"
                ),
                hint,
            );
            return None;
        }
        ["table"] => read_table(sink, get(table, "table")?)?,
        [key] => {
            let probs = read_probs(sink, table, key)?;
            vec![RawRow {
                when: None,
                probs: Some(probs),
                span: table_span,
                in_table: false,
            }]
        }
    };
    Some(RawNodeKind::Categorical {
        states,
        states_span,
        rows,
    })
}

fn read_probs(sink: &mut Sink, table: &DeTable, key: &str) -> Option<RawProbs> {
    let value = get(table, key)?;
    let DeValue::Table(entries) = value.get_ref() else {
        let hint = Some(format!("write {key} = {{ state_a = 0.3, state_b = 0.7 }}"));
        wrong_type(sink, key, "a table of states", value, hint);
        return None;
    };
    let mut out = Vec::new();
    let mut ok = true;
    for (state, item) in entries.iter() {
        let name = Name {
            text: state.get_ref().to_string(),
            span: span(state),
        };
        match expr(sink, &format!("{key}.{}", name.text), item) {
            Some(e) => out.push((name, e)),
            // Reported; leaving the state out would add a "missing" error.
            None => ok = false,
        }
    }
    ok.then(|| RawProbs {
        weights: key == "weights",
        entries: out,
        span: span(value),
    })
}

fn read_table(sink: &mut Sink, value: &Value) -> Option<Vec<RawRow>> {
    let hint = Some(
        "write rows as [[nodes.NAME.table]] tables with `when` and `p` or `weights`".to_string(),
    );
    let DeValue::Array(items) = value.get_ref() else {
        wrong_type(sink, "table", "an array of rows", value, hint);
        return None;
    };
    if items.is_empty() {
        sink.error(span(value), "`table` has no rows", hint);
        return None;
    }
    let mut rows = Vec::new();
    for item in items.iter() {
        let DeValue::Table(row) = item.get_ref() else {
            sink.error(
                span(item),
                format!(
                    "a table row must be a table, found {}",
                    type_name(item.get_ref())
                ),
                hint.clone(),
            );
            continue;
        };
        check_keys(sink, row, &["when", "p", "weights"], &[], "a table row");
        let when = opt_expr(sink, row, "when");
        let probs = match (get(row, "p"), get(row, "weights")) {
            (Some(_), Some(_)) => {
                let at = key_span(row, "weights").unwrap_or(span(item));
                sink.error(
                    at,
                    "a table row has both `p` and `weights`: give exactly one",
                    None,
                );
                None
            }
            (Some(_), None) => read_probs(sink, row, "p"),
            (None, Some(_)) => read_probs(sink, row, "weights"),
            (None, None) => {
                sink.error(span(item), "a table row needs `p` or `weights`", None);
                None
            }
        };
        rows.push(RawRow {
            when,
            probs,
            span: span(item),
            in_table: true,
        });
    }
    Some(rows)
}
