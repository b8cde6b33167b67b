//! Scenarios: `do` interventions checked against the nodes' types and `set`
//! replacements of params.

use super::*;

impl Builder<'_, '_> {
    pub(super) fn scenarios(&mut self, nodes: &[Node]) -> Option<Vec<Scenario>> {
        let file = self.file;
        if file.scenarios.is_empty() {
            let message = "the model has no scenario";
            let hint = Some(
                "add at least one, e.g. [scenarios.history] with doc = \"What happened.\""
                    .to_string(),
            );
            match file.scenarios_span {
                Some(at) => self.sink.error(at, message, hint),
                None => self.sink.error_nowhere(message, hint),
            }
            return None;
        }
        let mut scenarios = Vec::new();
        let mut ok = true;
        for raw in &file.scenarios {
            let mut interventions = Vec::new();
            for (node, value, at) in &raw.interventions {
                match self.intervention(node, value, *at) {
                    Some(i) => interventions.push(i),
                    None => ok = false,
                }
            }
            let mut settings = Vec::new();
            for (param, set) in &raw.settings {
                match self.setting(param, set.as_ref()) {
                    Some(s) => settings.push(s),
                    None => ok = false,
                }
            }
            // `facts_through` first; `do` is applied after it and wins.
            let facts_through = raw.facts_through.map(|(year, _)| year);
            if let Some(year) = facts_through {
                for (node, fact) in facts_through_of(nodes, year) {
                    if !interventions.iter().any(|(id, _)| *id == node) {
                        interventions.push((node, fact));
                    }
                }
            }
            interventions.sort_by_key(|(id, _)| *id);
            settings.sort_by_key(|(id, _)| *id);
            scenarios.push(Scenario {
                name: raw.name.text.clone(),
                doc: raw.doc.clone(),
                label: raw.label.clone(),
                baseline_label: raw.baseline_label.clone(),
                interventions,
                settings,
                facts_through,
                span: raw.span,
            });
        }
        ok.then_some(scenarios)
    }

    fn intervention(&mut self, node: &Name, value: &RawValue, at: Span) -> Option<(NodeId, Value)> {
        let name = &node.text;
        let id = match self.scope.names.get(name) {
            Some(Ref::Node(id)) => *id,
            Some(Ref::Param(_)) => {
                self.sink.error(
                    node.span,
                    format!("`{name}` is a param; `do` intervenes on nodes"),
                    Some(format!("use set = {{ {name} = ... }} to replace a param")),
                );
                return None;
            }
            Some(Ref::Outcome(_)) => {
                self.sink.error(
                    node.span,
                    format!("`{name}` is an outcome; `do` intervenes on nodes"),
                    Some("intervene on the nodes the outcome is built from".to_string()),
                );
                return None;
            }
            None => {
                let hint = suggest::close(name, self.scope.nodes.iter().map(String::as_str))
                    .map(|b| format!("did you mean `{b}`?"));
                self.sink
                    .error(node.span, format!("unknown node `{name}` in `do`"), hint);
                return None;
            }
        };
        self.value_of(id, name, value, at, "`do`")
            .map(|value| (id, value))
    }

    /// `value` checked against node `id`'s type: a boolean, a number or one
    /// of its states. `who` names what gives it (`do`, `fact`) in messages.
    pub(super) fn value_of(
        &mut self,
        id: NodeId,
        name: &str,
        value: &RawValue,
        at: Span,
        who: &str,
    ) -> Option<Value> {
        let ty = self.scope.node_types[id].clone().unwrap_or(Ty::Error);
        let (wanted, hint) = match (&ty, value) {
            (Ty::Error, _) | (_, RawValue::Other(None)) => return None,
            (Ty::Boolean, RawValue::Boolean(b)) => return Some(Value::Boolean(*b)),
            (Ty::Number, RawValue::Number(x)) => return Some(Value::Number(*x)),
            (Ty::State(_), RawValue::String(s)) => {
                let states = &self.scope.node_states[id];
                if let Some(state) = self.scope.state_ids.get(s)
                    && states.contains(state)
                {
                    return Some(Value::State(*state));
                }
                let names: Vec<&str> = states
                    .iter()
                    .map(|s| self.scope.state_names[s.0 as usize].as_str())
                    .collect();
                let listed = names
                    .iter()
                    .map(|n| format!("\"{n}\""))
                    .collect::<Vec<_>>()
                    .join(", ");
                let hint = match suggest::nearest(s, names.iter().copied()) {
                    Some(best) => format!("did you mean \"{best}\"? the states are {listed}"),
                    None => format!("the states are {listed}"),
                };
                self.sink.error(
                    at,
                    format!("\"{s}\" is not a state of `{name}`"),
                    Some(hint),
                );
                return None;
            }
            (Ty::Boolean, _) => (
                "a boolean",
                format!("write {name} = true or {name} = false"),
            ),
            (Ty::Number, _) => ("a number", format!("write {name} = 1.5 (a plain number)")),
            (Ty::State(_), _) => ("a state name", format!("write {name} = \"state\"")),
        };
        let found = match value {
            RawValue::Number(_) => "a number",
            RawValue::Boolean(_) => "a boolean",
            RawValue::String(_) => "a string",
            RawValue::Other(Some(t)) => t,
            RawValue::Other(None) => "a non-finite number",
        };
        let kind = match self.file.nodes[self.node_order[id]].kind {
            Some(RawNodeKind::Derived { .. }) => "derived ",
            _ => "",
        };
        let described = check::describe(&self.scope, &ty);
        self.sink.error(
            at,
            format!("{who} gives `{name}` {found}, but the {kind}node `{name}` is {described}"),
            Some(hint),
        );
        let _ = wanted;
        None
    }

    fn setting(&mut self, param: &Name, set: Option<&RawSet>) -> Option<(ParamId, Dist)> {
        let name = &param.text;
        let id = match self.scope.names.get(name) {
            Some(Ref::Param(id)) => *id,
            Some(Ref::Node(_)) => {
                self.sink.error(
                    param.span,
                    format!("`{name}` is a node; `set` replaces params"),
                    Some(format!(
                        "use do = {{ {name} = ... }} to intervene on a node"
                    )),
                );
                return None;
            }
            Some(Ref::Outcome(_)) => {
                self.sink.error(
                    param.span,
                    format!("`{name}` is an outcome; `set` replaces params"),
                    None,
                );
                return None;
            }
            None => {
                let hint = suggest::close(name, self.scope.params.iter().map(String::as_str))
                    .map(|b| format!("did you mean `{b}`?"));
                self.sink
                    .error(param.span, format!("unknown param `{name}` in `set`"), hint);
                return None;
            }
        };
        let dist = match set? {
            RawSet::Number(x) => match Dist::new(DistKind::Fixed, &[*x]) {
                Ok(dist) => dist,
                Err(e) => {
                    self.sink.error(param.span, e.message, None);
                    return None;
                }
            },
            RawSet::Dist(raw) => self.param_dist(raw)?,
        };
        Some((id, dist))
    }
}

/// The fixings of `facts_through = year` over the loaded `nodes` (see
/// [`Model::facts_through`], which this mirrors before the model exists).
fn facts_through_of(nodes: &[Node], year: i32) -> Vec<(NodeId, Value)> {
    nodes
        .iter()
        .enumerate()
        .filter_map(|(id, node)| match (node.year, node.fact) {
            (Some(years), Some(fact)) if years.last <= year => Some((id, fact)),
            _ => None,
        })
        .collect()
}
