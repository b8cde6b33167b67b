//! Names: the model's header, the shared namespace of params, nodes and
//! outcomes, the topological sort of nodes and outcomes, the interning of
//! states, the scope expressions are checked in, the `headline` and the
//! warnings for missing `doc`.

use super::*;

/// The expressions of an outcome: `when` or `value`, then `given`.
fn outcome_exprs(outcome: &raw::RawOutcome) -> Vec<&RawExpr> {
    let mut exprs: Vec<&RawExpr> = Vec::new();
    match &outcome.kind {
        Some(RawOutcomeKind::When(e) | RawOutcomeKind::Value(e)) => exprs.push(e),
        None => {}
    }
    exprs.extend(outcome.given.iter());
    exprs
}

/// Whether `name` may name a param, node, outcome, scenario or state.
pub fn valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// Whether `name` is reserved: an operator, a literal, `if` or a function.
pub fn reserved(name: &str) -> bool {
    KEYWORDS.contains(&name) || check::function(name).is_some()
}

fn check_name(sink: &mut Sink, name: &Name, what: &str) -> bool {
    let text = &name.text;
    if !valid_name(text) {
        let fixed: String = text
            .to_ascii_lowercase()
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect();
        let hint = if valid_name(&fixed) && !reserved(&fixed) {
            format!("names match [a-z][a-z0-9_]*, e.g. `{fixed}`")
        } else {
            "names match [a-z][a-z0-9_]*: a lowercase letter, then lowercase letters, digits or _"
                .to_string()
        };
        sink.error(
            name.span,
            format!("invalid {what} name `{text}`"),
            Some(hint),
        );
        return false;
    }
    if reserved(text) {
        sink.error(
            name.span,
            format!("`{text}` is a reserved word and cannot name a {what}"),
            Some(format!(
                "reserved: {}, and the function names; try `{text}_1`",
                KEYWORDS.join(", ")
            )),
        );
        return false;
    }
    true
}

impl Builder<'_, '_> {
    pub(super) fn header(&mut self) -> (Option<String>, Option<String>) {
        let file = self.file;
        let name = file.name.as_ref().and_then(|name| {
            let text = &name.text;
            let mut chars = text.chars();
            let ok = chars
                .next()
                .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
                && chars
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-');
            if !ok {
                self.sink.error(
                    name.span,
                    format!("invalid model name `{text}`"),
                    Some(
                        "the model name matches [a-z0-9][a-z0-9_-]* (it names the report folder)"
                            .to_string(),
                    ),
                );
                return None;
            }
            Some(text.clone())
        });
        (name, file.title.clone())
    }

    /// Checks names and builds the shared namespace of params, nodes and
    /// outcomes (the first definition in the file wins).
    pub(super) fn namespace(&mut self) {
        let file = self.file;
        let mut all: Vec<(&Name, Ref, &str)> = Vec::new();
        all.extend(
            file.params
                .iter()
                .enumerate()
                .map(|(i, p)| (&p.name, Ref::Param(i), "param")),
        );
        all.extend(
            file.nodes
                .iter()
                .enumerate()
                .map(|(i, n)| (&n.name, Ref::Node(i), "node")),
        );
        all.extend(
            file.outcomes
                .iter()
                .enumerate()
                .map(|(i, o)| (&o.name, Ref::Outcome(i), "outcome")),
        );
        all.sort_by_key(|(name, _, _)| name.span.start);
        let mut first: HashMap<&str, (&str, Span)> = HashMap::new();
        for (name, r, what) in all {
            if !check_name(self.sink, name, what) {
                continue;
            }
            if let Some((other, at)) = first.get(name.text.as_str()) {
                let line = self.sink.line_of(at.start);
                self.sink.error(
                    name.span,
                    format!(
                        "`{}` is already the name of a {other} (line {line})",
                        name.text
                    ),
                    Some(
                        "params, nodes and outcomes share one namespace: rename one of them"
                            .to_string(),
                    ),
                );
                continue;
            }
            first.insert(&name.text, (what, name.span));
            self.names.insert(name.text.clone(), r);
        }
        for scenario in &file.scenarios {
            check_name(self.sink, &scenario.name, "scenario");
        }
    }

    /// The expressions of a node, in the order they appear in the file.
    fn node_exprs(kind: &RawNodeKind) -> Vec<&RawExpr> {
        let mut exprs: Vec<&RawExpr> = Vec::new();
        match kind {
            RawNodeKind::Boolean { p } => exprs.push(p),
            RawNodeKind::Derived { value } => exprs.push(value),
            RawNodeKind::Numeric {
                dist, lower, upper, ..
            } => {
                match &dist.form {
                    DistForm::Args(args) => exprs.extend(args.iter().map(|(e, _)| e)),
                    DistForm::Ci90(lo, hi, _) => exprs.extend([lo, hi]),
                }
                exprs.extend(lower.iter().chain(upper.iter()));
            }
            RawNodeKind::Categorical { rows, .. } => {
                for row in rows {
                    exprs.extend(row.when.iter());
                    if let Some(probs) = &row.probs {
                        exprs.extend(probs.entries.iter().map(|(_, e)| e));
                    }
                }
            }
        }
        exprs.sort_by_key(|e| e.span.start);
        exprs
    }

    /// The params, nodes and outcomes an expression list names, first
    /// mention first, in file indices.
    fn mentions(&self, exprs: &[&RawExpr]) -> Vec<Ref> {
        let mut refs = Vec::new();
        for e in exprs {
            if let Some(ast) = &e.ast {
                ast.for_each_name(&mut |name| {
                    if let Some(&r) = self.names.get(name)
                        && !refs.contains(&r)
                    {
                        refs.push(r);
                    }
                });
            }
        }
        refs
    }

    pub(super) fn sort_nodes(&mut self) {
        let file = self.file;
        let mut file_parents = Vec::new();
        let mut graph_parents = Vec::new();
        for node in &file.nodes {
            let exprs = node.kind.as_ref().map(Self::node_exprs).unwrap_or_default();
            let refs: Vec<Ref> = self
                .mentions(&exprs)
                .into_iter()
                .filter(|r| !matches!(r, Ref::Outcome(_)))
                .collect();
            graph_parents.push(
                refs.iter()
                    .filter_map(|r| if let Ref::Node(n) = r { Some(*n) } else { None })
                    .collect::<Vec<_>>(),
            );
            file_parents.push(refs);
        }
        let sorted = graph::sort(&graph_parents);
        if let Some(cycle) = sorted.cycle {
            self.report_cycle(
                &cycle,
                |i| &file.nodes[i].name,
                |i| {
                    file.nodes[i]
                        .kind
                        .as_ref()
                        .map(Self::node_exprs)
                        .unwrap_or_default()
                },
                "node",
            );
        }
        self.node_position = vec![0; file.nodes.len()];
        for (position, &i) in sorted.order.iter().enumerate() {
            self.node_position[i] = position;
        }
        self.node_order = sorted.order;
        let position = &self.node_position;
        self.node_parents = file_parents
            .into_iter()
            .map(|refs| {
                refs.into_iter()
                    .map(|r| match r {
                        Ref::Node(n) => Ref::Node(position[n]),
                        other => other,
                    })
                    .collect()
            })
            .collect();
    }

    pub(super) fn sort_outcomes(&mut self) {
        let file = self.file;
        let mut graph_parents = Vec::new();
        for outcome in &file.outcomes {
            let refs = self.mentions(&outcome_exprs(outcome));
            graph_parents.push(
                refs.iter()
                    .filter_map(|r| {
                        if let Ref::Outcome(o) = r {
                            Some(*o)
                        } else {
                            None
                        }
                    })
                    .collect::<Vec<_>>(),
            );
        }
        let sorted = graph::sort(&graph_parents);
        if let Some(cycle) = sorted.cycle {
            self.report_cycle(
                &cycle,
                |i| &file.outcomes[i].name,
                |i| outcome_exprs(&file.outcomes[i]),
                "outcome",
            );
        }
        self.outcome_position = vec![0; file.outcomes.len()];
        for (position, &i) in sorted.order.iter().enumerate() {
            self.outcome_position[i] = position;
        }
        self.outcome_order = sorted.order;
    }

    /// Reports a cycle at the reference that closes it: the first vertex
    /// of `cycle` reads the last one, in one of the expressions `exprs`
    /// gives (at its header if that reference cannot be found).
    fn report_cycle<'n>(
        &mut self,
        cycle: &[usize],
        name: impl Fn(usize) -> &'n Name,
        exprs: impl Fn(usize) -> Vec<&'n RawExpr>,
        what: &str,
    ) {
        let (Some(&first), Some(&last)) = (cycle.first(), cycle.last()) else {
            return;
        };
        let mut names: Vec<&str> = cycle.iter().map(|&i| name(i).text.as_str()).collect();
        names.push(&name(first).text);
        let (reader, read) = (&name(first).text, &name(last).text);
        let reference = exprs(first).into_iter().find_map(|e| {
            let at = e.ast.as_ref()?.name_span(read)?;
            Some(e.file_span(at))
        });
        let at = reference.unwrap_or(name(first).span);
        self.sink.error(
            at,
            format!(
                "cycle: {}; `{reader}` reads `{read}` here",
                names.join(" -> ")
            ),
            Some(
                format!(
                    "an {what} cannot depend on itself, directly or through others: remove one reference of the loop"
                )
                .replace("an node", "a node"),
            ),
        );
    }

    pub(super) fn intern_states(&mut self) {
        let file = self.file;
        let mut ids: HashMap<String, StateId> = HashMap::new();
        let mut names: Vec<String> = Vec::new();
        for node in &file.nodes {
            let mut states = Vec::new();
            // A set beside the list: a node may have many states.
            let mut seen = std::collections::HashSet::new();
            if let Some(RawNodeKind::Categorical {
                states: raw_states,
                states_span,
                ..
            }) = &node.kind
            {
                for state in raw_states {
                    if !check_name(self.sink, state, "state") {
                        continue;
                    }
                    let id = *ids.entry(state.text.clone()).or_insert_with(|| {
                        names.push(state.text.clone());
                        StateId((names.len() - 1) as u32)
                    });
                    if !seen.insert(id) {
                        self.sink.error(
                            state.span,
                            format!("state '{}' is listed twice", state.text),
                            None,
                        );
                        continue;
                    }
                    states.push(id);
                }
                if raw_states.len() < 2 {
                    self.sink.error(
                        *states_span,
                        format!(
                            "categorical node `{}` needs at least two states, found {}",
                            node.name.text,
                            raw_states.len()
                        ),
                        Some(
                            "a node with one outcome is certain: use value = ... or a boolean node"
                                .to_string(),
                        ),
                    );
                }
            }
            self.node_states.push(states);
        }
        self.scope.state_names = names;
        self.scope.state_ids = ids;
    }

    pub(super) fn make_scope(&mut self) {
        let file = self.file;
        let scope = &mut self.scope;
        for (name, r) in &self.names {
            let r = match *r {
                Ref::Node(n) => Ref::Node(self.node_position[n]),
                Ref::Outcome(o) => Ref::Outcome(self.outcome_position[o]),
                other => other,
            };
            scope.names.insert(name.clone(), r);
        }
        scope.params = file.params.iter().map(|p| p.name.text.clone()).collect();
        scope.nodes = self
            .node_order
            .iter()
            .map(|&i| file.nodes[i].name.text.clone())
            .collect();
        scope.outcomes = self
            .outcome_order
            .iter()
            .map(|&i| file.outcomes[i].name.text.clone())
            .collect();
        scope.node_states = self
            .node_order
            .iter()
            .map(|&i| self.node_states[i].clone())
            .collect();
        scope.node_types = self
            .node_order
            .iter()
            .enumerate()
            .map(|(id, &i)| match &file.nodes[i].kind {
                None => Some(Ty::Error),
                Some(RawNodeKind::Boolean { .. }) => Some(Ty::Boolean),
                Some(RawNodeKind::Categorical { .. }) => Some(Ty::State(vec![id])),
                Some(RawNodeKind::Numeric { .. }) => Some(Ty::Number),
                Some(RawNodeKind::Derived { .. }) => None,
            })
            .collect();
        scope.outcome_types = self
            .outcome_order
            .iter()
            .map(|&i| match &file.outcomes[i].kind {
                Some(RawOutcomeKind::When(_)) => Ty::Boolean,
                Some(RawOutcomeKind::Value(_)) => Ty::Number,
                None => Ty::Error,
            })
            .collect();
    }

    pub(super) fn headline(&mut self) -> Option<Vec<OutcomeId>> {
        let file = self.file;
        let mut ids = Vec::new();
        let mut ok = true;
        for name in &file.headline {
            match self.scope.names.get(&name.text) {
                Some(Ref::Outcome(id)) if ids.contains(id) => {
                    self.sink.error(
                        name.span,
                        format!("outcome `{}` is listed twice in `headline`", name.text),
                        None,
                    );
                    ok = false;
                }
                Some(Ref::Outcome(id)) => ids.push(*id),
                _ => {
                    let hint =
                        suggest::close(&name.text, self.scope.outcomes.iter().map(String::as_str))
                            .map(|b| format!("did you mean `{b}`?"));
                    self.sink.error(
                        name.span,
                        format!("`headline` names `{}`, which is not an outcome", name.text),
                        hint,
                    );
                    ok = false;
                }
            }
        }
        ok.then_some(ids)
    }

    /// `[report] question`: a scenario other than the reference, whose
    /// effects against its matched baseline answer the title. `None` when
    /// it is wrong (and reported); `Some(None)` when absent.
    pub(super) fn question(&mut self, scenarios: Option<&[Scenario]>) -> Option<Option<usize>> {
        let Some(name) = &self.file.question else {
            return Some(None);
        };
        let scenarios = scenarios?;
        match scenarios.iter().position(|s| s.name == name.text) {
            Some(0) => {
                self.sink.error(
                    name.span,
                    format!(
                        "`question` names `{}`, the reference scenario, which has no effect of its own",
                        name.text
                    ),
                    Some("name the scenario whose divergence asks the title's question".into()),
                );
                None
            }
            Some(i) => Some(Some(i)),
            None => {
                let hint = suggest::close(&name.text, scenarios.iter().map(|s| s.name.as_str()))
                    .map(|b| format!("did you mean `{b}`?"));
                self.sink.error(
                    name.span,
                    format!("`question` names `{}`, which is not a scenario", name.text),
                    hint,
                );
                None
            }
        }
    }

    pub(super) fn doc_warnings(&mut self) {
        let file = self.file;
        let hint = || Some("add doc = \"...\": one sentence saying what it stands for".to_string());
        for p in &file.params {
            if p.doc.is_none() {
                self.sink.warn(
                    p.name.span,
                    format!("param `{}` has no `doc`", p.name.text),
                    hint(),
                );
            }
        }
        for n in &file.nodes {
            if n.doc.is_none() {
                self.sink.warn(
                    n.name.span,
                    format!("node `{}` has no `doc`", n.name.text),
                    hint(),
                );
            }
        }
        for o in &file.outcomes {
            if o.doc.is_none() {
                self.sink.warn(
                    o.name.span,
                    format!("outcome `{}` has no `doc`", o.name.text),
                    hint(),
                );
            }
        }
        for s in &file.scenarios {
            if s.doc.is_none() {
                self.sink.warn(
                    s.name.span,
                    format!("scenario `{}` has no `doc`", s.name.text),
                    hint(),
                );
            }
        }
        if file.outcomes.is_empty() && file.name.is_some() {
            self.sink.warn(
                file.name.as_ref().map_or(Span::default(), |n| n.span),
                "the model has no outcomes: its report will be empty",
                Some("add [outcomes.NAME] with when = EXPR or value = EXPR".to_string()),
            );
        }
    }
}
