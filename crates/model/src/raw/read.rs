//! Stage one: a model's TOML document, read with its spans into the raw
//! tables of `raw.rs` through the shared reader (`crate::reader`). This
//! stage checks what the text alone decides: which keys exist, TOML types,
//! which keys go together, finite numbers, expression syntax. Names, types
//! and the graph are stage two's business (`load.rs`).

use toml::de::{DeTable, DeValue};

use super::fields::{expr, get, opt_expr, read_dist, sources};
use super::nodes::read_node;
use super::{Name, RawDist, RawFile, RawOutcome, RawOutcomeKind, RawParam, RawScenario, RawSet};
use crate::ir::Span;
use crate::reader::{
    Sink, Value, check_keys, key_span, number, number_of, opt_label, opt_label_at, opt_string,
    span, string, type_name, wrong_type,
};

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
            DeValue::Table(table) => {
                file.headline = read_headline(sink, table);
                file.question = read_question(sink, table);
            }
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
        &[
            "doc",
            "label",
            "source",
            "hindsight",
            "ex_ante",
            "ex_ante_group",
        ],
        &what,
        param_arg,
    );
    RawParam {
        doc: opt_string(sink, table, "doc"),
        label: opt_label(sink, table),
        source: sources(sink, table),
        hindsight: opt_hindsight(sink, table),
        ex_ante: opt_ex_ante(sink, table, &name.text),
        ex_ante_group: opt_ex_ante_group(sink, table),
        dist,
        name,
        span: table_span,
    }
}

/// An optional `hindsight = "why"` on a param: a reason, so not empty.
fn opt_hindsight(sink: &mut Sink, table: &DeTable) -> Option<String> {
    let value = table.get("hindsight")?;
    let text = string(sink, "hindsight", value)?;
    if text.trim().is_empty() {
        sink.error(
            span(value),
            "`hindsight` is empty",
            Some("say what the number knows of what came after, e.g. hindsight = \"centred on the real year of the bomb\"".to_string()),
        );
        return None;
    }
    Some(text)
}

/// An optional `ex_ante_group = "name"` on a param: a group of ex-ante
/// priors that `--ex-ante-group` applies alone, written like a name so
/// that it can be typed on a command line.
fn opt_ex_ante_group(sink: &mut Sink, table: &DeTable) -> Option<(String, Span)> {
    let value = table.get("ex_ante_group")?;
    let text = string(sink, "ex_ante_group", value)?;
    let is_name = text.starts_with(|c: char| c.is_ascii_lowercase())
        && text
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if !is_name {
        sink.error(
            span(value),
            format!("`ex_ante_group` {text:?} is not a name"),
            Some("write a lower-case name such as ex_ante_group = \"leaders\" (letters, digits and _)".to_string()),
        );
        return None;
    }
    Some((text, span(value)))
}

/// An optional `ex_ante = { dist = ..., ... }` on a param: a prior written
/// like the param's own, as `set` writes a new one.
fn opt_ex_ante(sink: &mut Sink, table: &DeTable, param: &str) -> Option<RawDist<f64>> {
    let value = table.get("ex_ante")?;
    match value.get_ref() {
        DeValue::Table(dist) => {
            let what = format!("the ex-ante prior of `{param}`");
            read_dist(sink, dist, span(value), &[], &what, param_arg)
        }
        _ => {
            wrong_type(
                sink,
                "ex_ante",
                "a table",
                value,
                Some("write ex_ante = { dist = \"beta\", ci90 = [0.5, 0.9] }, a prior like the param's own".to_string()),
            );
            None
        }
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
        &[
            "doc",
            "label",
            "baseline_label",
            "facts_through",
            "do",
            "set",
        ],
        &[],
        &format!("scenario `{}`", name.text),
    );
    let doc = opt_string(sink, table, "doc");
    let label = opt_label(sink, table);
    let baseline_label = opt_label_at(sink, table, "baseline_label");
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
        baseline_label,
        interventions,
        settings,
        facts_through: super::time::read_facts_through(sink, table),
        span: table_span,
    }
}

/// `[report] question = "scenario"`, when present.
fn read_question(sink: &mut Sink, table: &DeTable) -> Option<Name> {
    let value = get(table, "question")?;
    match value.get_ref() {
        DeValue::String(s) => Some(Name {
            text: s.to_string(),
            span: span(value),
        }),
        _ => {
            let hint = Some("write question = \"scenario\"".to_string());
            wrong_type(sink, "question", "a scenario name", value, hint);
            None
        }
    }
}

fn read_headline(sink: &mut Sink, table: &DeTable) -> Vec<Name> {
    check_keys(sink, table, &["headline", "question"], &[], "[report]");
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
