//! Stage one: a model's TOML document, read with its spans into the raw
//! tables of `raw.rs` through the shared reader (`crate::reader`). This
//! stage checks what the text alone decides: which keys exist, TOML types,
//! which keys go together, finite numbers, expression syntax. Names, types
//! and the graph are stage two's business (`load.rs`).

use toml::de::{DeTable, DeValue};
use uchronia_distributions::DistKind;

use super::nodes::read_node;
use super::{
    DistForm, Name, RawDist, RawExpr, RawFile, RawOutcome, RawOutcomeKind, RawParam, RawScenario,
    RawSet,
};
use crate::ir::Span;
use crate::parser::{Ast, AstKind, parse};
use crate::reader::{
    Sink, Value, check_keys, key_span, number, number_of, opt_label, opt_string, span, string,
    string_base, type_name, wrong_type,
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

/// Reads the whole document.
pub fn read(sink: &mut Sink, root: &DeTable) -> RawFile {
    let mut file = RawFile::default();
    check_keys(
        sink,
        root,
        &[
            "model",
            "params",
            "nodes",
            "outcomes",
            "scenarios",
            "report",
            "correlations",
        ],
        &[],
        "the top level",
    );
    match get(root, "model") {
        None => sink.error_nowhere(
            "missing [model] table",
            Some("start the file with [model], name = \"...\" and title = \"...\"".to_string()),
        ),
        Some(value) => match value.get_ref() {
            DeValue::Table(table) => read_header(sink, table, span(value), &mut file),
            _ => wrong_type(sink, "model", "a table", value, None),
        },
    }
    for (name, value, table) in entries(sink, root, "params", "param") {
        file.params.push(read_param(sink, name, table, span(value)));
    }
    for (name, value, table) in entries(sink, root, "nodes", "node") {
        file.nodes.push(read_node(sink, name, table, span(value)));
    }
    for (name, value, table) in entries(sink, root, "outcomes", "outcome") {
        file.outcomes
            .push(read_outcome(sink, name, table, span(value)));
    }
    for (name, value, table) in entries(sink, root, "scenarios", "scenario") {
        file.scenarios
            .push(read_scenario(sink, name, table, span(value)));
    }
    file.scenarios_span = root.get_key_value("scenarios").map(|(k, _)| span(k));
    file.correlations = super::correlations::read(sink, root);
    if let Some(value) = get(root, "report") {
        match value.get_ref() {
            DeValue::Table(table) => file.headline = read_report(sink, table),
            _ => wrong_type(sink, "report", "a table", value, None),
        }
    }
    file
}

/// The `NAME = { ... }` entries of a top-level table such as `[params]`.
fn entries<'a, 'i>(
    sink: &mut Sink,
    root: &'a DeTable<'i>,
    key: &str,
    singular: &str,
) -> Vec<(Name, &'a Value<'i>, &'a DeTable<'i>)> {
    let Some(value) = get(root, key) else {
        return Vec::new();
    };
    let DeValue::Table(table) = value.get_ref() else {
        wrong_type(
            sink,
            key,
            "a table",
            value,
            Some(format!("write [{key}.NAME] tables")),
        );
        return Vec::new();
    };
    let mut out = Vec::new();
    for (name, item) in table.iter() {
        let name_text = name.get_ref().to_string();
        match item.get_ref() {
            DeValue::Table(inner) => out.push((
                Name {
                    text: name_text,
                    span: span(name),
                },
                item,
                inner,
            )),
            other => sink.error(
                span(item),
                format!(
                    "{singular} `{name_text}` must be a table, found {}",
                    type_name(other)
                ),
                Some(format!("write it as a [{key}.{name_text}] table")),
            ),
        }
    }
    out
}

fn read_header(sink: &mut Sink, table: &DeTable, table_span: Span, file: &mut RawFile) {
    check_keys(sink, table, &["name", "title", "doc"], &[], "[model]");
    match get(table, "name") {
        None => sink.error(
            table_span,
            "[model] is missing `name`",
            Some("add name = \"my_model\" (it names the report folder)".to_string()),
        ),
        Some(value) => {
            if let Some(text) = string(sink, "name", value) {
                file.name = Some(Name {
                    text,
                    span: span(value),
                });
            }
        }
    }
    match get(table, "title") {
        None => sink.error(
            table_span,
            "[model] is missing `title`",
            Some("add title = \"What if ...?\"".to_string()),
        ),
        Some(value) => file.title = string(sink, "title", value),
    }
    file.doc = opt_string(sink, table, "doc");
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

fn param_arg(sink: &mut Sink, key: &str, value: &Value) -> Option<f64> {
    number(
        sink,
        key,
        value,
        Some("param arguments are plain numbers; expressions belong in nodes"),
    )
}

fn read_param(sink: &mut Sink, name: Name, table: &DeTable, table_span: Span) -> RawParam {
    let what = format!("param `{}`", name.text);
    let dist = read_dist(
        sink,
        table,
        table_span,
        &["doc", "label", "source"],
        &what,
        param_arg,
    );
    RawParam {
        doc: opt_string(sink, table, "doc"),
        label: opt_label(sink, table),
        source: sources(sink, table),
        dist,
        name,
        span: table_span,
    }
}

fn read_outcome(sink: &mut Sink, name: Name, table: &DeTable, table_span: Span) -> RawOutcome {
    let outcome = name.text.clone();
    check_keys(
        sink,
        table,
        &["doc", "label", "when", "value", "given"],
        &["year", "fact"],
        &format!("outcome `{outcome}`"),
    );
    let doc = opt_string(sink, table, "doc");
    let label = opt_label(sink, table);
    let kind = match (get(table, "when"), get(table, "value")) {
        (Some(_), Some(_)) => {
            let at = key_span(table, "value").unwrap_or(table_span);
            sink.error(at, format!("outcome `{outcome}` has both `when` and `value`"), Some("an outcome is either `when = EXPR` (a probability) or `value = EXPR` (a distribution)".to_string()));
            None
        }
        (Some(value), None) => expr(sink, "when", value).map(RawOutcomeKind::When),
        (None, Some(value)) => expr(sink, "value", value).map(RawOutcomeKind::Value),
        (None, None) => {
            sink.error(
                table_span,
                format!("outcome `{outcome}` needs `when` or `value`"),
                Some(
                    "write when = EXPR for a probability, or value = EXPR for a distribution"
                        .to_string(),
                ),
            );
            None
        }
    };
    let given = opt_expr(sink, table, "given");
    if let (Some(_), Some(_)) = (&given, get(table, "when")) {
        let at = key_span(table, "given").unwrap_or(table_span);
        sink.error(at, "`given` is only for numeric outcomes (`value = ...`)", Some("a boolean outcome is a probability over all trials; a claim with `given` asks for P(event | given)".to_string()));
    }
    RawOutcome {
        name,
        doc,
        label,
        kind,
        given,
        span: table_span,
    }
}

fn read_scenario(sink: &mut Sink, name: Name, table: &DeTable, table_span: Span) -> RawScenario {
    check_keys(
        sink,
        table,
        &["doc", "label", "facts_through", "do", "set"],
        &[],
        &format!("scenario `{}`", name.text),
    );
    let doc = opt_string(sink, table, "doc");
    let label = opt_label(sink, table);
    let mut interventions = Vec::new();
    if let Some(value) = get(table, "do") {
        match value.get_ref() {
            DeValue::Table(entries) => {
                for (node, item) in entries.iter() {
                    let raw = super::time::raw_value(item);
                    interventions.push((
                        Name {
                            text: node.get_ref().to_string(),
                            span: span(node),
                        },
                        raw,
                        span(item),
                    ));
                }
            }
            _ => wrong_type(
                sink,
                "do",
                "a table",
                value,
                Some("write do = { node = value, ... }".to_string()),
            ),
        }
    }
    let mut settings = Vec::new();
    if let Some(value) = get(table, "set") {
        match value.get_ref() {
            DeValue::Table(entries) => {
                for (param, item) in entries.iter() {
                    let set = match item.get_ref() {
                        DeValue::Integer(_) | DeValue::Float(_) => {
                            number_of(item.get_ref()).map(RawSet::Number)
                        }
                        DeValue::Table(dist) => {
                            let what = format!("the new distribution of `{}`", param.get_ref());
                            read_dist(sink, dist, span(item), &[], &what, param_arg)
                                .map(RawSet::Dist)
                        }
                        other => {
                            sink.error(
                                span(item),
                                format!(
                                    "`set` takes a number or a distribution, found {}",
                                    type_name(other)
                                ),
                                Some(format!(
                                    "write {} = 0.5 or {} = {{ dist = \"beta\", a = 2, b = 5 }}",
                                    param.get_ref(),
                                    param.get_ref()
                                )),
                            );
                            None
                        }
                    };
                    settings.push((
                        Name {
                            text: param.get_ref().to_string(),
                            span: span(param),
                        },
                        set,
                    ));
                }
            }
            _ => wrong_type(
                sink,
                "set",
                "a table",
                value,
                Some("write set = { param = value, ... }".to_string()),
            ),
        }
    }
    RawScenario {
        name,
        doc,
        label,
        interventions,
        settings,
        facts_through: super::time::read_facts_through(sink, table),
        span: table_span,
    }
}

fn read_report(sink: &mut Sink, table: &DeTable) -> Vec<Name> {
    check_keys(sink, table, &["headline"], &[], "[report]");
    let Some(value) = get(table, "headline") else {
        return Vec::new();
    };
    let hint = Some("write headline = [\"outcome\", ...]".to_string());
    let DeValue::Array(items) = value.get_ref() else {
        wrong_type(sink, "headline", "an array of outcome names", value, hint);
        return Vec::new();
    };
    let mut names = Vec::new();
    for item in items.iter() {
        match item.get_ref() {
            DeValue::String(s) => names.push(Name {
                text: s.to_string(),
                span: span(item),
            }),
            other => sink.error(
                span(item),
                format!(
                    "`headline` must hold outcome names, found {}",
                    type_name(other)
                ),
                hint.clone(),
            ),
        }
    }
    names
}
