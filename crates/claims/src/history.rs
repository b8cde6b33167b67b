//! Reading a history file (`data/history.toml`): what really happened, as
//! real values of a model's outcomes, checked against that model.
//!
//! The file is read with its spans, so that every mistake is reported at its
//! line and column, the way model errors are (`uchronia_model::Diagnostic`),
//! and every mistake in the file is reported at once. The layout:
//!
//! ```toml
//! model = "../models/trotsky.toml"   # optional: the model it was written for
//! scenario = "history"               # optional: the scenario scored [default: the first]
//!
//! [outcomes]                         # outcome name = true / false / number
//! great_war = true
//! great_war_year = 1939
//!
//! [notes]                            # optional: why, under the same names
//! great_war = "1 September 1939 [tooze2006]."
//!
//! [targets]                          # optional: what `calibrate --strict` demands
//! min_probability = 0.3              # of each real boolean outcome
//! max_mean_brier = 0.2
//! numeric_inside_90 = true           # each real number inside its 90% interval
//! accepted_misses = ["great_war"]   # missed, reported as missed, not failing --strict
//! ```
//!
//! Reading a history file is pure: text in, a [`History`] or [`Diagnostics`] out.

use toml::de::{DeTable, DeValue};
use uchronia_model::reader::{self, Sink, Value, check_keys, number_of, span, type_name};
use uchronia_model::suggest;
use uchronia_model::{Diagnostics, Model, OutcomeId, OutcomeKind, ScenarioId, Span};

/// The top-level keys a history file may have.
const TOP_KEYS: [&str; 5] = ["model", "scenario", "outcomes", "notes", "targets"];

/// The keys of the `[targets]` table.
const TARGET_KEYS: [&str; 4] = [
    "min_probability",
    "max_mean_brier",
    "numeric_inside_90",
    "accepted_misses",
];

/// A history file, checked against its model.
#[derive(Clone, Debug, PartialEq)]
pub struct History {
    /// The `model` key as written (a path relative to the history file).
    pub model: Option<String>,
    /// The scenario whose outcomes are scored (`scenario`, default the first).
    pub scenario: ScenarioId,
    /// The real outcomes, in file order.
    pub outcomes: Vec<RealOutcome>,
    /// What `calibrate --strict` demands.
    pub targets: Targets,
}

/// The real value of one outcome.
#[derive(Clone, Debug, PartialEq)]
pub struct RealOutcome {
    /// The outcome.
    pub outcome: OutcomeId,
    /// Its name.
    pub name: String,
    /// What really happened.
    pub value: RealValue,
    /// The note under the same name in `[notes]`.
    pub note: Option<String>,
}

/// A real value: a boolean outcome's truth or a numeric outcome's number.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum RealValue {
    /// A boolean outcome happened (true) or not (false).
    Boolean(bool),
    /// A numeric outcome's real value.
    Number(f64),
}

/// The calibration targets: what a model must reach under its reference
/// scenario for `calibrate --strict` to pass.
#[derive(Clone, Debug, PartialEq)]
pub struct Targets {
    /// Each real boolean outcome's probability of what happened (p for a
    /// true outcome, 1 - p for a false one) is at least this.
    pub min_probability: f64,
    /// The mean Brier score over the boolean outcomes is at most this.
    pub max_mean_brier: f64,
    /// Each real numeric value lies inside its outcome's 90% interval.
    pub numeric_inside_90: bool,
    /// `accepted_misses`: outcomes whose miss of `min_probability` the file
    /// accepts (and says why): still reported as missed, but `--strict`
    /// does not fail on them. The bar stays where it is for every outcome.
    pub accepted_misses: Vec<String>,
}

impl Targets {
    /// Whether the history file accepts `outcome`'s miss.
    pub fn accepts_miss(&self, outcome: &str) -> bool {
        self.accepted_misses.iter().any(|name| name == outcome)
    }
}

impl Default for Targets {
    /// The shipped model's targets (issue 3): 0.3, 0.2, inside.
    fn default() -> Targets {
        Targets {
            min_probability: 0.3,
            max_mean_brier: 0.2,
            numeric_inside_90: true,
            accepted_misses: Vec::new(),
        }
    }
}

/// Reads the history file `path` (as the user named it) whose text is
/// `source`, against `model`. Every mistake is a diagnostic with its place.
pub fn parse_history(path: &str, source: &str, model: &Model) -> Result<History, Diagnostics> {
    let root = reader::parse_document(path, source)?;
    let mut sink = Sink::new(path, source);
    reader::report_non_finite(&mut sink, root.get_ref());
    let history = Reader { sink: &mut sink }.read(root.get_ref(), model);
    sink.finish().map(|()| history)
}

/// Reads a history file into a sink.
struct Reader<'a, 's> {
    sink: &'a mut Sink<'s>,
}

impl Reader<'_, '_> {
    fn error(&mut self, span: Option<Span>, message: impl Into<String>, hint: Option<String>) {
        match span {
            Some(span) => self.sink.error(span, message, hint),
            None => self.sink.error_nowhere(message, hint),
        }
    }

    fn read(&mut self, root: &DeTable, model: &Model) -> History {
        check_keys(self.sink, root, &TOP_KEYS, &[], "a history file");
        let model_key = root
            .get("model")
            .and_then(|value| self.string(value, "model"));
        let scenario = self.scenario(root, model);
        let notes = self.notes(root);
        let outcomes = self.outcomes(root, model, &notes);
        let targets = self.targets(root, &outcomes, model);
        History {
            model: model_key,
            scenario,
            outcomes,
            targets,
        }
    }

    fn string(&mut self, value: &Value, key: &str) -> Option<String> {
        match value.get_ref() {
            DeValue::String(text) => Some(text.to_string()),
            other => {
                self.error(
                    Some(span(value)),
                    format!("`{key}` must be a string, found {}", type_name(other)),
                    None,
                );
                None
            }
        }
    }

    fn table<'a, 'i>(&mut self, root: &'a DeTable<'i>, key: &str) -> Option<&'a DeTable<'i>> {
        let value = root.get(key)?;
        match value.get_ref() {
            DeValue::Table(table) => Some(table),
            other => {
                self.error(
                    Some(span(value)),
                    format!("`{key}` must be a table, found {}", type_name(other)),
                    Some(format!("write it as a `[{key}]` section")),
                );
                None
            }
        }
    }

    fn scenario(&mut self, root: &DeTable, model: &Model) -> ScenarioId {
        let Some(value) = root.get("scenario") else {
            return 0;
        };
        let Some(name) = self.string(value, "scenario") else {
            return 0;
        };
        if let Some(id) = model.scenario_id(&name) {
            return id;
        }
        let known: Vec<&str> = model.scenarios.iter().map(|s| s.name.as_str()).collect();
        self.error(
            Some(span(value)),
            format!("model `{}` has no scenario `{name}`", model.name),
            suggest::name_hint(&name, &known),
        );
        0
    }

    /// The `[notes]` table: (name, span of the key, note).
    fn notes(&mut self, root: &DeTable) -> Vec<(String, Span, String)> {
        let Some(table) = self.table(root, "notes") else {
            return Vec::new();
        };
        let mut notes = Vec::new();
        for (key, value) in table {
            let name = key.get_ref().to_string();
            if let Some(text) = self.string(value, &format!("notes.{name}")) {
                notes.push((name, span(key), text));
            }
        }
        notes
    }

    fn outcomes(
        &mut self,
        root: &DeTable,
        model: &Model,
        notes: &[(String, Span, String)],
    ) -> Vec<RealOutcome> {
        let Some(table) = self.table(root, "outcomes") else {
            if !root.contains_key("outcomes") {
                self.error(
                    None,
                    "a history file needs an `[outcomes]` table of real values",
                    Some(
                        "write `[outcomes]`, then `outcome_name = true`, `false` or a number"
                            .into(),
                    ),
                );
            }
            return Vec::new();
        };
        if table.is_empty() {
            self.error(
                Some(span(&root["outcomes"])),
                "the `[outcomes]` table is empty: there is nothing to score",
                None,
            );
        }
        let listed: Vec<&str> = model
            .outcomes
            .iter()
            .filter(|o| o.listed)
            .map(|o| o.name.as_str())
            .collect();
        let mut real = Vec::new();
        for (key, value) in table {
            let name = key.get_ref().as_ref();
            let Some(id) = model
                .outcomes
                .iter()
                .position(|o| o.listed && o.name == name)
            else {
                self.error(
                    Some(span(key)),
                    format!("model `{}` has no outcome `{name}`", model.name),
                    suggest::name_hint(name, &listed),
                );
                continue;
            };
            let Some(value) = self.real_value(value, model, id) else {
                continue;
            };
            let note = notes
                .iter()
                .find(|(note_name, _, _)| note_name == name)
                .map(|(_, _, text)| text.clone());
            real.push(RealOutcome {
                outcome: id,
                name: name.to_string(),
                value,
                note,
            });
        }
        for (name, key_span, _) in notes {
            if !table.contains_key(name.as_str()) {
                let names: Vec<&str> = table.keys().map(|k| k.get_ref().as_ref()).collect();
                self.error(
                    Some(*key_span),
                    format!("a note for `{name}`, which has no real value in `[outcomes]`"),
                    suggest::name_hint(name, &names),
                );
            }
        }
        real
    }

    fn real_value(&mut self, value: &Value, model: &Model, id: OutcomeId) -> Option<RealValue> {
        let outcome = &model.outcomes[id];
        let found = value.get_ref();
        match (&outcome.kind, found) {
            (OutcomeKind::Boolean { .. }, DeValue::Boolean(b)) => Some(RealValue::Boolean(*b)),
            (OutcomeKind::Numeric { .. }, DeValue::Integer(_) | DeValue::Float(_)) => {
                // A non-finite number was reported by `report_non_finite`.
                number_of(found).map(RealValue::Number)
            }
            (OutcomeKind::Boolean { .. }, other) => {
                self.error(
                    Some(span(value)),
                    format!(
                        "`{}` is a boolean outcome: its real value must be true or false, found {}",
                        outcome.name,
                        type_name(other)
                    ),
                    None,
                );
                None
            }
            (OutcomeKind::Numeric { .. }, other) => {
                self.error(
                    Some(span(value)),
                    format!(
                        "`{}` is a numeric outcome: its real value must be a number, found {}",
                        outcome.name,
                        type_name(other)
                    ),
                    None,
                );
                None
            }
        }
    }

    fn targets(&mut self, root: &DeTable, outcomes: &[RealOutcome], model: &Model) -> Targets {
        let mut targets = Targets::default();
        let Some(table) = self.table(root, "targets") else {
            return targets;
        };
        for (key, value) in table {
            let name = key.get_ref().as_ref();
            match name {
                "min_probability" | "max_mean_brier" => {
                    let non_finite =
                        matches!(value.get_ref(), DeValue::Integer(_) | DeValue::Float(_))
                            && number_of(value.get_ref()).is_none();
                    if non_finite {
                        continue; // reported by `report_non_finite`
                    }
                    let Some(x) = number_of(value.get_ref()).filter(|x| (0.0..=1.0).contains(x))
                    else {
                        self.error(
                            Some(span(value)),
                            format!("`targets.{name}` must be a number in [0, 1]"),
                            None,
                        );
                        continue;
                    };
                    if name == "min_probability" {
                        targets.min_probability = x;
                    } else {
                        targets.max_mean_brier = x;
                    }
                }
                "accepted_misses" => {
                    targets.accepted_misses = self.accepted_misses(value, outcomes, model);
                }
                "numeric_inside_90" => match value.get_ref() {
                    DeValue::Boolean(b) => targets.numeric_inside_90 = *b,
                    other => self.error(
                        Some(span(value)),
                        format!(
                            "`targets.numeric_inside_90` must be true or false, found {}",
                            type_name(other)
                        ),
                        None,
                    ),
                },
                _ => self.error(
                    Some(span(key)),
                    format!("unknown key `{name}` in `[targets]`"),
                    suggest::key_hint(name, &TARGET_KEYS),
                ),
            }
        }
        targets
    }

    /// `accepted_misses = ["outcome", ...]`: each name a yes/no outcome of
    /// `[outcomes]` or a yes/no fact row (`"fact.NODE"`, for a node with a
    /// `true`/`false` or state fact).
    fn accepted_misses(
        &mut self,
        value: &Value,
        outcomes: &[RealOutcome],
        model: &Model,
    ) -> Vec<String> {
        let hint = || Some("write accepted_misses = [\"outcome\", ...]".to_string());
        let DeValue::Array(items) = value.get_ref() else {
            self.error(
                Some(span(value)),
                format!(
                    "`targets.accepted_misses` must be an array of outcome names, found {}",
                    type_name(value.get_ref())
                ),
                hint(),
            );
            return Vec::new();
        };
        let facts: Vec<String> = (model.nodes.iter())
            .filter(|n| {
                matches!(
                    n.fact,
                    Some(uchronia_model::Value::Boolean(_) | uchronia_model::Value::State(_))
                )
            })
            .map(|n| fact_row_name(&n.name))
            .collect();
        let booleans: Vec<&str> = (outcomes.iter())
            .filter(|o| matches!(o.value, RealValue::Boolean(_)))
            .map(|o| o.name.as_str())
            .chain(facts.iter().map(String::as_str))
            .collect();
        let mut accepted = Vec::new();
        for item in items.iter() {
            let DeValue::String(name) = item.get_ref() else {
                self.error(
                    Some(span(item)),
                    format!(
                        "`targets.accepted_misses` must hold outcome names, found {}",
                        type_name(item.get_ref())
                    ),
                    hint(),
                );
                continue;
            };
            if booleans.contains(&name.as_ref()) {
                accepted.push(name.to_string());
            } else {
                self.error(
                    Some(span(item)),
                    format!(
                        "`{name}` in `targets.accepted_misses` is not a yes/no outcome of [outcomes] or a yes/no fact (\"fact.NODE\")"
                    ),
                    suggest::name_hint(name, &booleans),
                );
            }
        }
        accepted
    }
}

/// The name of the calibration row that scores node `node`'s fact.
fn fact_row_name(node: &str) -> String {
    format!("fact.{node}")
}

/// Adds to `history` the facts of `model` (contract 1.1): each node with a
/// `fact` that `history`'s scenario leaves free becomes a real outcome named
/// `fact.NODE`, scored like the file's own. `model` gets one hidden outcome
/// per fact (`listed: false`): the node itself for a boolean node, `node ==
/// 'state'` for a categorical one (real: true), the node's value for a
/// numeric or derived number. Returns how many facts were added.
pub fn add_facts(model: &mut Model, history: &mut History) -> usize {
    use uchronia_model::{BinaryOp, Expr, Outcome, Ref, Value};
    let fixed: Vec<usize> = model
        .scenarios
        .get(history.scenario)
        .map(|s| s.interventions.iter().map(|(n, _)| *n).collect())
        .unwrap_or_default();
    let mut added = 0;
    for node in 0..model.nodes.len() {
        let Some(fact) = model.nodes[node].fact else {
            continue;
        };
        // A fixed node is not foreseen, it is given: nothing to score.
        if fixed.contains(&node) {
            continue;
        }
        let name = model.nodes[node].name.clone();
        let read = Expr::Ref(Ref::Node(node));
        let (kind, value, shown) = match fact {
            Value::Boolean(b) => (
                OutcomeKind::Boolean {
                    when: read,
                    given: None,
                },
                RealValue::Boolean(b),
                b.to_string(),
            ),
            Value::State(state) => (
                OutcomeKind::Boolean {
                    when: Expr::Binary(BinaryOp::Eq, Box::new(read), Box::new(Expr::State(state))),
                    given: None,
                },
                RealValue::Boolean(true),
                format!("'{}'", model.state_names[state.0 as usize]),
            ),
            Value::Number(x) => (
                OutcomeKind::Numeric {
                    value: read,
                    given: None,
                },
                RealValue::Number(x),
                x.to_string(),
            ),
        };
        let outcome = model.outcomes.len();
        model.outcomes.push(Outcome {
            name: fact_row_name(&name),
            doc: model.nodes[node].doc.clone(),
            label: model.nodes[node].label.clone(),
            kind,
            span: model.nodes[node].span,
            listed: false,
        });
        history.outcomes.push(RealOutcome {
            outcome,
            name: fact_row_name(&name),
            value,
            note: Some(format!("the model's fact: {name} = {shown}")),
        });
        added += 1;
    }
    added
}

#[cfg(test)]
mod tests {
    use super::*;

    use uchronia_test_support::texts::EVENT_AND_YEAR as MODEL;

    fn model() -> Model {
        uchronia_model::load("tiny.toml", MODEL)
            .expect("the test model is valid")
            .model
    }

    fn errors(text: &str) -> Vec<uchronia_model::Diagnostic> {
        parse_history("history.toml", text, &model())
            .expect_err("refused")
            .0
    }

    #[test]
    fn a_valid_file_gives_values_notes_scenario_and_targets() {
        let text = r#"
model = "tiny.toml"
scenario = "other"
[outcomes]
event_year = 1935
event_happens = false
[notes]
event_happens = "It did not happen."
[targets]
min_probability = 0.25
"#;
        let history = parse_history("h.toml", text, &model()).expect("valid");
        assert_eq!(history.model.as_deref(), Some("tiny.toml"));
        assert_eq!(history.scenario, 1);
        assert_eq!(history.outcomes.len(), 2);
        assert_eq!(history.outcomes[0].name, "event_year");
        assert_eq!(history.outcomes[0].value, RealValue::Number(1935.0));
        assert_eq!(history.outcomes[0].note, None);
        assert_eq!(history.outcomes[1].outcome, 0);
        assert_eq!(history.outcomes[1].value, RealValue::Boolean(false));
        assert_eq!(
            history.outcomes[1].note.as_deref(),
            Some("It did not happen.")
        );
        assert_eq!(history.targets.min_probability, 0.25);
        assert_eq!(history.targets.max_mean_brier, 0.2);
        assert!(history.targets.numeric_inside_90);
    }

    #[test]
    fn the_scenario_defaults_to_the_first() {
        let history =
            parse_history("h.toml", "[outcomes]\nevent_happens = true\n", &model()).expect("valid");
        assert_eq!(history.scenario, 0);
        assert_eq!(history.targets, Targets::default());
    }

    #[test]
    fn an_unknown_outcome_is_shown_at_its_place_with_the_nearest_name() {
        let errors = errors("[outcomes]\nevent_happen = true\n");
        assert_eq!(errors.len(), 1);
        let error = &errors[0];
        assert_eq!((error.line, error.column), (2, 1));
        assert!(error.message.contains("no outcome `event_happen`"));
        assert_eq!(error.hint.as_deref(), Some("did you mean `event_happens`?"));
    }

    #[test]
    fn a_value_of_the_wrong_type_is_refused_in_both_directions() {
        let errors = errors("[outcomes]\nevent_happens = 1\nevent_year = true\n");
        assert_eq!(errors.len(), 2);
        assert!(errors[0].message.contains("boolean outcome"));
        assert_eq!((errors[0].line, errors[0].column), (2, 17));
        assert!(errors[1].message.contains("numeric outcome"));
        assert_eq!(errors[1].line, 3);
    }

    #[test]
    fn unknown_scenario_keys_and_stray_notes_are_all_reported() {
        let text = r#"scenario = "histroy"
colour = 1
[outcomes]
event_happens = true
[notes]
event_year = "no value"
[targets]
min_probability = 2
strict = true
"#;
        let errors = errors(text);
        let messages: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
        assert_eq!(errors.len(), 5, "{messages:?}");
        assert!(messages[0].contains("no scenario `histroy`"));
        assert_eq!(errors[0].hint.as_deref(), Some("did you mean `history`?"));
        assert!(messages[1].contains("unknown key `colour` in a history file"));
        assert!(messages[2].contains("note for `event_year`"));
        assert!(messages[3].contains("min_probability"));
        assert!(messages[4].contains("unknown key `strict`"));
    }

    #[test]
    fn invalid_toml_and_a_missing_outcomes_table_are_refused() {
        let errors_toml = errors("[outcomes\n");
        assert!(errors_toml[0].message.starts_with("invalid TOML"));
        let errors_missing = errors("scenario = \"history\"\n");
        assert!(errors_missing[0].message.contains("`[outcomes]`"));
    }

    #[test]
    fn a_file_may_accept_a_miss_by_name() {
        let text = r#"
[outcomes]
event_happens = false
event_year = 1935
[targets]
accepted_misses = ["event_happens"]
"#;
        let targets = parse_history("h.toml", text, &model())
            .expect("valid")
            .targets;
        assert_eq!(targets.accepted_misses, vec!["event_happens".to_string()]);
        assert!(targets.accepts_miss("event_happens"));
        assert!(!targets.accepts_miss("event_year"));
        assert_eq!(targets.min_probability, 0.3, "the bar itself stays");
    }

    #[test]
    fn an_accepted_miss_must_name_a_yes_no_outcome() {
        let shown = |list: &str| {
            let text = format!(
                "[outcomes]\nevent_happens = false\nevent_year = 1935\n[targets]\naccepted_misses = {list}\n"
            );
            errors(&text)
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n")
        };
        let typo = shown("[\"event_happen\"]");
        assert!(
            typo.contains("`event_happen` in `targets.accepted_misses` is not a yes/no outcome"),
            "{typo}"
        );
        assert!(typo.contains("event_happens"), "the nearest name: {typo}");
        // A numeric outcome has no probability to miss; the model has no
        // node with a fact, so no fact row either.
        assert!(shown("[\"event_year\"]").contains("is not a yes/no outcome"));
        assert!(shown("[\"fact.event\"]").contains("is not a yes/no outcome"));
        assert!(shown("[3]").contains("must hold outcome names"));
        assert!(shown("\"event_happens\"").contains("must be an array of outcome names"));
    }
}
