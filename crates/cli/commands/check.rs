//! `uchronia check MODEL`: validate a model and print what it contains.
//!
//! On errors the diagnostics go to stderr and the exit status is 2. On
//! success stdout lists the params with their distributions (and how many
//! rest on judgement alone), the nodes in
//! topological order with their kind and parents, the outcomes and the
//! scenarios, then the warnings: the loader's (a missing `doc`, a range that
//! can leave its domain, a dead end, ...), `source` keys that
//! `data/sources.toml` does not define and scenarios confounded against
//! the reference (nodes that they and the reference fix differently, not
//! downstream of their divergence). Warnings fail the check only with
//! `--strict`, and the notes on sourcing never do (see [`strict_failure`]).

use std::path::{Path, PathBuf};

use uchronia_model::{
    Check, Diagnostic, JUDGEMENT, Model, OutcomeKind, Severity, Sourcing, Span, Value,
};

use uchronia_pipeline::{LoadedModel, load_model};

use crate::args::CheckArgs;
use crate::failure::Failure;
use crate::output;

/// Runs `uchronia check`.
pub fn check(args: &CheckArgs) -> Result<(), Failure> {
    if let Some(outcome) = &args.explain {
        return super::explain::explain(&args.model, outcome, args.scenario.as_deref());
    }
    let model = load_model(&args.model)?;
    let ir = &model.loaded.model;
    let mut text = describe(ir);

    // The loader already warns about missing docs; only the sources file,
    // which it cannot see (it does no IO), is checked here.
    let mut warnings: Vec<Diagnostic> = model.loaded.warnings.clone();
    warnings.extend(unresolved_sources(&model, &args.model));
    // Scenarios whose comparison with the reference is unfair.
    let every: Vec<usize> = (0..ir.scenarios.len()).collect();
    warnings.extend(super::confounders::diagnostics(
        &model,
        &every,
        Severity::Warning,
    ));
    if args.strict
        && let Some(failure) = strict_failure(&warnings)
    {
        return Err(failure);
    }

    if warnings.is_empty() {
        text.push_str("\nno warnings\n");
    } else {
        text.push_str(&format!("\nwarnings ({})\n", warnings.len()));
        for warning in &warnings {
            text.push_str(&warning.to_string());
            text.push('\n');
        }
    }
    text.push_str(&format!("\n{} is valid\n", model.path));
    output::print(&text);
    Ok(())
}

/// Under `--strict`: the failure that lists every warning that counts as an
/// error (every warning but the notes on sourcing, [`Check::strict`]), shown
/// as errors; `None` when there is none.
pub fn strict_failure(warnings: &[Diagnostic]) -> Option<Failure> {
    let failing: Vec<String> = warnings
        .iter()
        .filter(|w| w.fails_strict())
        .map(|w| {
            let mut error = w.clone();
            error.severity = Severity::Error;
            error.to_string()
        })
        .collect();
    if failing.is_empty() {
        return None;
    }
    let count = failing.len();
    let noun = if count == 1 { "warning" } else { "warnings" };
    Some(Failure::diagnostics(format!(
        "{}\n\nerror: --strict: the model has {count} {noun}, shown above as errors",
        failing.join("\n\n")
    )))
}

/// The model's contents, one section per table.
fn describe(model: &Model) -> String {
    let mut text = format!("model {}: {}\n", model.name, model.title);

    text.push_str(&format!("\nparams ({})\n", model.params.len()));
    let rows: Vec<Vec<String>> = model
        .params
        .iter()
        .map(|p| vec![p.name.clone(), super::describe::dist(&p.dist)])
        .collect();
    text.push_str(&output::columns(&rows, "ll", 2));
    if !model.params.is_empty() {
        text.push_str(&sourcing_line(model));
    }

    text.push_str(&format!(
        "\nnodes ({}, in topological order)\n",
        model.nodes.len()
    ));
    // Years and facts get a column only in models that have them, so that
    // a v1 model's summary is what it was.
    let timed = model
        .nodes
        .iter()
        .any(|n| n.year.is_some() || n.fact.is_some());
    let rows: Vec<Vec<String>> = model
        .nodes
        .iter()
        .map(|node| {
            let parents: Vec<&str> = node.parents.iter().map(|r| model.ref_name(*r)).collect();
            let parents = if parents.is_empty() {
                "parents: -".to_string()
            } else {
                format!("parents: {}", parents.join(", "))
            };
            let mut row = vec![
                node.name.clone(),
                super::describe::node_kind(model, &node.kind),
                parents,
            ];
            if timed {
                row.push(time_text(model, node));
            }
            row
        })
        .collect();
    text.push_str(&output::columns(
        &rows,
        if timed { "llll" } else { "lll" },
        2,
    ));

    text.push_str(&format!(
        "\noutcomes ({})\n",
        model.outcomes.iter().filter(|o| o.listed).count()
    ));
    let rows: Vec<Vec<String>> = model
        .outcomes
        .iter()
        .filter(|o| o.listed)
        .map(|outcome| {
            let kind = match &outcome.kind {
                OutcomeKind::Boolean { given: None, .. } => "boolean",
                OutcomeKind::Boolean { given: Some(_), .. } => "boolean, given a condition",
                OutcomeKind::Numeric { given: None, .. } => "numeric",
                OutcomeKind::Numeric { given: Some(_), .. } => "numeric, given a condition",
            };
            vec![outcome.name.clone(), kind.to_string()]
        })
        .collect();
    text.push_str(&output::columns(&rows, "ll", 2));

    text.push_str(&format!(
        "\nscenarios ({}; the first is the reference)\n",
        model.scenarios.len()
    ));
    let rows: Vec<Vec<String>> = model
        .scenarios
        .iter()
        .map(|scenario| {
            // The fixings `facts_through` made are summed up, not listed.
            let from_facts: Vec<_> = scenario
                .facts_through
                .map(|year| model.facts_through(year))
                .unwrap_or_default()
                .into_iter()
                .filter(|fixing| scenario.interventions.contains(fixing))
                .collect();
            let mut parts: Vec<String> = Vec::new();
            if let Some(year) = scenario.facts_through {
                let n = from_facts.len();
                let noun = if n == 1 { "fact" } else { "facts" };
                parts.push(format!("facts_through = {year} ({n} {noun})"));
            }
            parts.extend(
                scenario
                    .interventions
                    .iter()
                    .filter(|fixing| !from_facts.contains(fixing))
                    .map(|(node, value)| {
                        format!(
                            "do {} = {}",
                            model.nodes[*node].name,
                            value_text(model, *value)
                        )
                    }),
            );
            parts.extend(scenario.settings.iter().map(|(param, d)| {
                format!(
                    "set {} = {}",
                    model.params[*param].name,
                    super::describe::dist(d)
                )
            }));
            if parts.is_empty() {
                parts.push("no intervention".into());
            }
            vec![scenario.name.clone(), parts.join("; ")]
        })
        .collect();
    text.push_str(&output::columns(&rows, "ll", 2));
    text
}

/// A node's `year` and `fact` as the summary shows them (`-` for neither).
fn time_text(model: &Model, node: &uchronia_model::Node) -> String {
    let mut parts = Vec::new();
    if let Some(years) = node.year {
        parts.push(format!("year {years}"));
    }
    if let Some(fact) = node.fact {
        parts.push(format!("fact {}", value_text(model, fact)));
    }
    if parts.is_empty() {
        "-".to_string()
    } else {
        parts.join(", ")
    }
}

/// A `do` value as written in a model file.
fn value_text(model: &Model, value: Value) -> String {
    match value {
        Value::Number(x) => x.to_string(),
        Value::Boolean(b) => b.to_string(),
        Value::State(s) => format!("'{}'", model.state_names[s.0 as usize]),
    }
}

/// The line under the params that says how much of the model is the
/// modeller's judgement, so that a reader sees it before any number: a
/// source cited beside `judgement` may give the direction or an anchor, not
/// the number.
fn sourcing_line(model: &Model) -> String {
    let Sourcing {
        alone,
        any,
        unsourced,
        total,
    } = Sourcing::of(model);
    // Rounded to a whole percent: the share is for reading, not computing.
    let percent = |n: usize| (100.0 * n as f64 / total as f64).round();
    format!(
        "sourcing: {alone} of {total} params ({}%) rest on judgement alone (source = [\"{JUDGEMENT}\"]); {any} ({}%) cite judgement, alone or beside a source; {unsourced} cite no source ({}%)\n",
        percent(alone),
        percent(any),
        percent(unsourced)
    )
}

/// Warnings for `source` keys that `<model dir>/../data/sources.toml` does
/// not define (nothing when that file does not exist).
/// They are notes on sourcing ([`Check::Sourcing`]): never strict errors.
fn unresolved_sources(model: &LoadedModel, model_path: &Path) -> Vec<Diagnostic> {
    let sources_path = sources_file(model_path);
    let Ok(text) = std::fs::read_to_string(&sources_path) else {
        return Vec::new();
    };
    let table = match text.parse::<toml::Table>() {
        Ok(table) => table,
        Err(error) => {
            let diagnostic = Diagnostic::new(
                Severity::Warning,
                &sources_path.display().to_string(),
                "",
                None,
                format!(
                    "cannot check source keys: {} is not valid TOML: {}",
                    sources_path.display(),
                    error.message().trim()
                ),
                None,
            );
            return vec![diagnostic.from_check(Check::Sourcing)];
        }
    };
    let ir = &model.loaded.model;
    let mut cited: Vec<(&str, &str, &[String], Span)> = Vec::new();
    cited.extend(
        ir.params
            .iter()
            .map(|p| ("param", p.name.as_str(), p.source.as_slice(), p.span)),
    );
    cited.extend(
        ir.nodes
            .iter()
            .map(|n| ("node", n.name.as_str(), n.source.as_slice(), n.span)),
    );
    cited.sort_by_key(|(_, _, _, span)| span.start);
    let mut warnings = Vec::new();
    for (what, name, keys, span) in cited {
        for key in keys {
            if table.get(key).is_some_and(toml::Value::is_table) {
                continue;
            }
            let diagnostic = Diagnostic::new(
                Severity::Warning,
                &model.path,
                &model.source,
                Some(span),
                format!(
                    "{what} `{name}` cites source `{key}`, which {} does not define",
                    sources_path.display()
                ),
                Some(format!("add a [{key}] table to {}", sources_path.display())),
            );
            warnings.push(diagnostic.from_check(Check::Sourcing));
        }
    }
    warnings
}

/// `<model dir>/../data/sources.toml`.
fn sources_file(model_path: &Path) -> PathBuf {
    let dir = match model_path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    };
    dir.join("..").join("data").join("sources.toml")
}

#[cfg(test)]
mod tests {
    use super::*;

    const MODEL: &str = r#"
[model]
name = "m"
title = "M"
doc = "d"

[params.a]
doc = "a"
source = ["judgement"]
dist = "fixed"
value = 0.5

[params.b]
doc = "b"
source = ["smith2001", "judgement"]
dist = "fixed"
value = 0.5

[params.c]
doc = "c"
dist = "fixed"
value = 0.5

[params.d]
doc = "d"
source = ["judgement"]
dist = "fixed"
value = 0.5

[nodes.x]
doc = "x"
p = "a * b * c * d"

[outcomes.hit]
doc = "x"
when = "x"

[scenarios.history]
doc = "h"
"#;

    #[test]
    fn judgement_alone_counts_only_params_whose_every_source_is_judgement() {
        let loaded = uchronia_model::load("m.toml", MODEL).expect("valid");
        let s = Sourcing::of(&loaded.model);
        assert_eq!((s.alone, s.any, s.unsourced, s.total), (2, 3, 1, 4));
        assert_eq!(
            sourcing_line(&loaded.model),
            "sourcing: 2 of 4 params (50%) rest on judgement alone (source = [\"judgement\"]); 3 (75%) cite judgement, alone or beside a source; 1 cite no source (25%)\n"
        );
    }
}
