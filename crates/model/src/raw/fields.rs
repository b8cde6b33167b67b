//! Typed fields of a model's tables, shared by the readers of stage one
//! (`read.rs` for the document, params, outcomes and scenarios; `nodes.rs`
//! for nodes): a key's value, `source` lists, expressions, and the
//! distribution tables of params, numeric nodes and scenario `set`s.

use toml::de::{DeTable, DeValue};
use uchronia_distributions::DistKind;

use super::{DistForm, RawDist, RawExpr};
use crate::ir::Span;
use crate::parser::{Ast, AstKind, parse};
use crate::reader::{
    Sink, Value, check_keys, key_span, number_of, span, string, string_base, type_name, wrong_type,
};
use crate::suggest;

/// The keys a node table may have, whatever its kind.
pub(super) const NODE_KEYS: [&str; 14] = [
    "doc", "label", "source", "year", "fact", "p", "states", "weights", "table", "dist", "ci90",
    "lower", "upper", "round",
];

/// Every key of every distribution.
pub(super) fn all_dist_keys() -> Vec<&'static str> {
    let mut keys = Vec::new();
    for kind in DistKind::ALL {
        for key in kind.keys() {
            if !keys.contains(key) {
                keys.push(*key);
            }
        }
    }
    keys
}

pub(super) fn get<'a, 'i>(table: &'a DeTable<'i>, key: &str) -> Option<&'a Value<'i>> {
    table.get(key)
}

pub(super) fn sources(sink: &mut Sink, table: &DeTable) -> Vec<String> {
    let Some(value) = get(table, "source") else {
        return Vec::new();
    };
    let hint = Some("write source = [\"key\", ...] with keys of data/sources.toml".to_string());
    let DeValue::Array(items) = value.get_ref() else {
        wrong_type(sink, "source", "an array of strings", value, hint);
        return Vec::new();
    };
    let mut keys = Vec::new();
    for item in items.iter() {
        match item.get_ref() {
            DeValue::String(s) => keys.push(s.to_string()),
            other => sink.error(
                span(item),
                format!("`source` must hold strings, found {}", type_name(other)),
                hint.clone(),
            ),
        }
    }
    keys
}

/// Reads an EXPR (a string or a bare number) and parses it.
pub(super) fn expr(sink: &mut Sink, key: &str, value: &Value) -> Option<RawExpr> {
    let value_span = span(value);
    match value.get_ref() {
        DeValue::Integer(_) | DeValue::Float(_) => {
            let x = number_of(value.get_ref())?;
            let text = sink
                .source()
                .get(value_span.start..value_span.end)
                .unwrap_or("")
                .to_string();
            let ast = Ast {
                kind: AstKind::Number(x),
                span: Span {
                    start: 0,
                    end: text.len(),
                },
                height: 1,
            };
            Some(RawExpr {
                text,
                ast: Some(ast),
                base: Some(value_span.start),
                span: value_span,
            })
        }
        DeValue::String(s) => {
            let text = s.to_string();
            let base = string_base(sink.source(), value_span, &text);
            let mut raw = RawExpr {
                text,
                ast: None,
                base,
                span: value_span,
            };
            match parse(&raw.text) {
                Ok(ast) => raw.ast = Some(ast),
                Err(e) => sink.error(raw.file_span(e.span), e.message, e.hint),
            }
            Some(raw)
        }
        DeValue::Boolean(b) => {
            let hint = Some(format!(
                "an expression is a string or a number: write `{key} = \"{b}\"`"
            ));
            wrong_type(
                sink,
                key,
                "an expression (a string or a number)",
                value,
                hint,
            );
            None
        }
        _ => {
            wrong_type(
                sink,
                key,
                "an expression (a string or a number)",
                value,
                None,
            );
            None
        }
    }
}

pub(super) fn opt_expr(sink: &mut Sink, table: &DeTable, key: &str) -> Option<RawExpr> {
    get(table, key).and_then(|value| expr(sink, key, value))
}

/// Reads a distribution table: `dist`, then its keys or `ci90`. `own` are
/// the other keys the table may have; `arg` reads one argument.
pub(super) fn read_dist<T>(
    sink: &mut Sink,
    table: &DeTable,
    table_span: Span,
    own: &[&str],
    what: &str,
    mut arg: impl FnMut(&mut Sink, &str, &Value) -> Option<T>,
) -> Option<RawDist<T>> {
    let dist_keys = all_dist_keys();
    let kind = match get(table, "dist") {
        None => {
            sink.error(
                table_span,
                format!("{what} is missing `dist`"),
                Some(dist_hint()),
            );
            None
        }
        Some(value) => match string(sink, "dist", value) {
            None => None,
            Some(name) => {
                let kind = DistKind::from_name(&name);
                if kind.is_none() {
                    let names: Vec<&str> = DistKind::ALL.iter().map(|k| k.name()).collect();
                    let hint = match suggest::close(&name, names.iter().copied()) {
                        Some(best) => format!("did you mean `{best}`?"),
                        None => format!("the distributions are {}", suggest::list(&names)),
                    };
                    sink.error(
                        span(value),
                        format!("unknown distribution `{name}`"),
                        Some(hint),
                    );
                }
                kind
            }
        },
    };
    let Some(kind) = kind else {
        // Without a kind, any distribution key may be right.
        let mut allowed: Vec<&str> = own.to_vec();
        allowed.extend(["dist", "ci90"]);
        allowed.extend(dist_keys.iter().copied());
        check_keys(sink, table, &allowed, &[], what);
        return None;
    };
    let mut allowed: Vec<&str> = own.to_vec();
    allowed.push("dist");
    if kind.accepts_ci90() {
        allowed.push("ci90");
    }
    allowed.extend(kind.keys());
    let ci90 = get(table, "ci90");
    for key in table.keys() {
        let name = key.get_ref().as_ref();
        if allowed.contains(&name) {
            continue;
        }
        if name == "ci90" {
            sink.error(
                span(key),
                format!("`{}` does not accept `ci90`", kind.name()),
                Some(format!(
                    "only {} take ci90 = [lo, hi]",
                    DistKind::ci90_kinds()
                )),
            );
        } else if dist_keys.contains(&name) {
            sink.error(
                span(key),
                format!("`{name}` is not a key of `{}`", kind.name()),
                Some(format!(
                    "{} takes {}{}",
                    kind.name(),
                    suggest::list(kind.keys()),
                    if kind.accepts_ci90() {
                        " (or ci90)"
                    } else {
                        ""
                    }
                )),
            );
        } else if !NODE_KEYS.contains(&name) || own.is_empty() {
            sink.error(
                span(key),
                format!("unknown key `{name}` in {what}"),
                suggest::key_hint(name, &allowed),
            );
        } else {
            sink.error(
                span(key),
                format!("`{name}` does not belong in {what}"),
                Some(format!("keys of {what}: {}", suggest::list(&allowed))),
            );
        }
    }
    if let (Some(ci90), true) = (ci90, kind.accepts_ci90()) {
        let ci_span = span(ci90);
        for own_key in kind.keys() {
            if let Some(at) = key_span(table, own_key) {
                sink.error(
                    at,
                    format!("`ci90` and `{own_key}` cannot both be given"),
                    Some(format!(
                        "give either ci90 = [lo, hi] or {}",
                        suggest::list(kind.keys())
                    )),
                );
                return None;
            }
        }
        let DeValue::Array(items) = ci90.get_ref() else {
            wrong_type(sink, "ci90", "an array [lo, hi]", ci90, None);
            return None;
        };
        if items.len() != 2 {
            sink.error(
                ci_span,
                format!(
                    "`ci90` must have two values [lo, hi], found {}",
                    items.len()
                ),
                None,
            );
            return None;
        }
        let lo = arg(sink, "ci90", &items[0]);
        let hi = arg(sink, "ci90", &items[1]);
        return Some(RawDist {
            kind,
            form: DistForm::Ci90(lo?, hi?, ci_span),
            span: table_span,
        });
    }
    let mut args = Vec::new();
    let mut missing = Vec::new();
    for key in kind.keys() {
        match get(table, key) {
            Some(value) => args.push(arg(sink, key, value).map(|a| (a, span(value)))),
            None => missing.push(*key),
        }
    }
    if !missing.is_empty() {
        let hint = if kind.accepts_ci90() {
            format!(
                "{} takes {}, or ci90 = [lo, hi] instead",
                kind.name(),
                suggest::list(kind.keys())
            )
        } else {
            format!("{} takes {}", kind.name(), suggest::list(kind.keys()))
        };
        sink.error(
            table_span,
            format!(
                "{what} (`{}`) is missing {}",
                kind.name(),
                suggest::list(&missing)
            ),
            Some(hint),
        );
        return None;
    }
    let args: Option<Vec<_>> = args.into_iter().collect();
    Some(RawDist {
        kind,
        form: DistForm::Args(args?),
        span: table_span,
    })
}

fn dist_hint() -> String {
    let names: Vec<&str> = DistKind::ALL.iter().map(|k| k.name()).collect();
    format!("add dist = \"...\", one of {}", suggest::list(&names))
}
