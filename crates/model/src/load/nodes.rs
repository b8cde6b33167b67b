//! Nodes and tables: each node's kind lowered (boolean, derived, numeric,
//! categorical with its rows of `p` or `weights`) and the outcomes.

use super::*;

impl Builder<'_, '_> {
    pub(super) fn nodes(&mut self) -> Option<Vec<Node>> {
        let file = self.file;
        let mut nodes = Vec::new();
        let mut ok = true;
        for id in 0..self.node_order.len() {
            let i = self.node_order[id];
            let raw = &file.nodes[i];
            let Some(raw_kind) = &raw.kind else {
                ok = false;
                continue;
            };
            let kind = self.node_kind(&raw.name.text, raw_kind, i, id);
            let Some(kind) = kind else {
                self.scope.node_types[id] = Some(Ty::Error);
                ok = false;
                continue;
            };
            let fact = match &raw.fact {
                Some((value, at)) => {
                    match self.value_of(id, &raw.name.text, value, *at, "`fact`") {
                        Some(fact) => Some(fact),
                        None => {
                            ok = false;
                            None
                        }
                    }
                }
                None => None,
            };
            nodes.push(Node {
                name: raw.name.text.clone(),
                doc: raw.doc.clone(),
                label: raw.label.clone(),
                source: raw.source.clone(),
                kind,
                parents: self.node_parents[i].clone(),
                year: raw.year.map(|(years, _)| years),
                fact,
                span: raw.span,
            });
        }
        ok.then_some(nodes)
    }

    fn node_kind(
        &mut self,
        node: &str,
        kind: &RawNodeKind,
        file_index: usize,
        id: NodeId,
    ) -> Option<NodeKind> {
        match kind {
            RawNodeKind::Boolean { p } => {
                let raw = p;
                let p = self.number(raw, "`p`")?;
                if let Some(x) = constant(&p)
                    && !(-TOLERANCE..=1.0 + TOLERANCE).contains(&x)
                {
                    self.sink.error(
                        expr_span(raw),
                        format!("`p` of node `{node}` is {x}, not a probability in [0, 1]"),
                        None,
                    );
                    return None;
                }
                Some(NodeKind::Boolean { p })
            }
            RawNodeKind::Derived { value } => {
                let (value, ty) = self.typed(
                    value,
                    Want::NumberOrBoolean,
                    "a derived node's value",
                    false,
                )?;
                self.scope.node_types[id] = Some(ty);
                Some(NodeKind::Derived { value })
            }
            RawNodeKind::Numeric {
                dist,
                lower,
                upper,
                round,
            } => self.numeric(dist, lower, upper, *round),
            RawNodeKind::Categorical { rows, .. } => {
                let states = self.node_states[file_index].clone();
                let table = self.categorical(node, &states, rows)?;
                Some(NodeKind::Categorical { states, table })
            }
        }
    }

    fn numeric(
        &mut self,
        dist: &RawDist<RawExpr>,
        lower: &Option<RawExpr>,
        upper: &Option<RawExpr>,
        round: bool,
    ) -> Option<NodeKind> {
        let kind = dist.kind;
        let dist_expr = match &dist.form {
            DistForm::Args(raw_args) => {
                let mut args = Vec::new();
                for (key, (raw, _)) in kind.keys().iter().zip(raw_args) {
                    args.push(self.number(raw, &format!("`{key}`")));
                }
                let args: Option<Vec<Expr>> = args.into_iter().collect();
                let args = args?;
                let known: Vec<Option<f64>> = args.iter().map(constant).collect();
                if let Err(e) = kind.check(&known) {
                    let at = e
                        .argument
                        .and_then(|i| raw_args.get(i))
                        .map_or(dist.span, |(raw, _)| expr_span(raw));
                    self.sink.error(at, e.message, None);
                    return None;
                }
                DistExpr::Args { kind, args }
            }
            DistForm::Ci90(raw_lo, raw_hi, at) => {
                let lo = self.number(raw_lo, "the 5% quantile of `ci90`");
                let hi = self.number(raw_hi, "the 95% quantile of `ci90`");
                let (lo, hi) = (lo?, hi?);
                if let Err(e) = kind.check_ci90(constant(&lo), constant(&hi)) {
                    self.sink.error(*at, e.message, None);
                    return None;
                }
                DistExpr::Ci90 { kind, lo, hi }
            }
        };
        let lower_expr = match lower {
            Some(raw) => Some(self.number(raw, "`lower`")?),
            None => None,
        };
        let upper_expr = match upper {
            Some(raw) => Some(self.number(raw, "`upper`")?),
            None => None,
        };
        if let (Some(lo), Some(hi), Some(raw)) = (
            lower_expr.as_ref().and_then(constant),
            upper_expr.as_ref().and_then(constant),
            upper,
        ) && lo > hi
        {
            self.sink.error(
                raw.span,
                format!("`lower` ({lo}) is greater than `upper` ({hi})"),
                None,
            );
            return None;
        }
        for (bound, raw) in [(&lower_expr, lower), (&upper_expr, upper)] {
            if let (Some(x), Some(raw)) = (bound.as_ref().and_then(constant), raw)
                && !x.is_finite()
            {
                self.sink.error(
                    raw.span,
                    format!("a bound evaluates to {x}, not a finite number"),
                    None,
                );
                return None;
            }
        }
        Some(NodeKind::Numeric {
            dist: dist_expr,
            lower: lower_expr,
            upper: upper_expr,
            round,
        })
    }

    fn categorical(&mut self, node: &str, states: &[StateId], rows: &[RawRow]) -> Option<Vec<Row>> {
        let mut table = Vec::new();
        let mut ok = true;
        let last = rows.len().saturating_sub(1);
        for (r, row) in rows.iter().enumerate() {
            let when = match (&row.when, r == last) {
                (Some(raw), false) => self.boolean(raw, "`when`", false).map(Some),
                (None, false) => {
                    self.sink.error(
                        row.span,
                        format!("row {} of the table of `{node}` needs `when`", r + 1),
                        Some("only the last row goes without `when`: it is used when no row above holds".to_string()),
                    );
                    None
                }
                (Some(raw), true) => {
                    let message = if row.in_table {
                        format!("the last row of the table of `{node}` must not have `when`")
                    } else {
                        format!("`when` belongs in a table row of `{node}`")
                    };
                    self.sink.error(
                        raw.span,
                        message,
                        Some("the last row is the default, used when no row above holds: drop its `when` or add a row after it".to_string()),
                    );
                    None
                }
                (None, true) => Some(None),
            };
            let probs = row
                .probs
                .as_ref()
                .and_then(|probs| self.probs(node, states, probs));
            match (when, probs) {
                (Some(when), Some(probs)) => table.push(Row { when, probs }),
                _ => ok = false,
            }
        }
        ok.then_some(table)
    }

    fn probs(&mut self, node: &str, states: &[StateId], raw: &RawProbs) -> Option<Probs> {
        let key = if raw.weights { "weights" } else { "p" };
        let mut values: Vec<Option<(Expr, Span)>> = vec![None; states.len()];
        let mut ok = true;
        let owned: Vec<String> = states
            .iter()
            .map(|s| self.scope.state_names[s.0 as usize].clone())
            .collect();
        let names: Vec<&str> = owned.iter().map(String::as_str).collect();
        let positions: HashMap<StateId, usize> =
            states.iter().enumerate().map(|(i, &s)| (s, i)).collect();
        for (state, value) in &raw.entries {
            let position = self
                .scope
                .state_ids
                .get(&state.text)
                .and_then(|id| positions.get(id).copied());
            let Some(position) = position else {
                let listed = names
                    .iter()
                    .map(|n| format!("'{n}'"))
                    .collect::<Vec<_>>()
                    .join(", ");
                let hint = match suggest::nearest(&state.text, names.iter().copied()) {
                    Some(best) => format!("did you mean '{best}'? the states are {listed}"),
                    None => format!("the states are {listed}"),
                };
                self.sink.error(
                    state.span,
                    format!("'{}' is not a state of `{node}`", state.text),
                    Some(hint),
                );
                ok = false;
                continue;
            };
            match self.number(value, &format!("`{key}.{}`", state.text)) {
                Some(e) => values[position] = Some((e, expr_span(value))),
                None => ok = false,
            }
        }
        if !ok {
            return None;
        }
        let missing: Vec<&str> = values
            .iter()
            .zip(&names)
            .filter(|(v, _)| v.is_none())
            .map(|(_, n)| *n)
            .collect();
        let missing_list = missing
            .iter()
            .map(|n| format!("'{n}'"))
            .collect::<Vec<_>>()
            .join(", ");
        if raw.weights {
            if !missing.is_empty() {
                self.sink.error(
                    raw.span,
                    format!("`weights` of `{node}` must give every state: missing {missing_list}"),
                    None,
                );
                return None;
            }
            let mut sum = Some(0.0);
            for (e, at) in values.iter().flatten() {
                match constant(e) {
                    Some(w) if w < -TOLERANCE || !w.is_finite() => {
                        self.sink.error(
                            *at,
                            format!("weight {w} of `{node}` is not a non-negative number"),
                            None,
                        );
                        return None;
                    }
                    Some(w) => sum = sum.map(|s| s + w.max(0.0)),
                    None => sum = None,
                }
            }
            if sum.is_some_and(|s| s <= 0.0) {
                self.sink.error(
                    raw.span,
                    format!("the weights of `{node}` sum to zero"),
                    Some("at least one weight must be positive".to_string()),
                );
                return None;
            }
            return Some(Probs::Weights(
                values.into_iter().flatten().map(|(e, _)| e).collect(),
            ));
        }
        if missing.len() > 1 {
            self.sink.error(
                raw.span,
                format!(
                    "`p` of `{node}` must give every state, or all but one: missing {missing_list}"
                ),
                Some(
                    "a state left out takes the remainder 1 - sum; only one may be left out"
                        .to_string(),
                ),
            );
            return None;
        }
        let mut sum = Some(0.0);
        for (e, at) in values.iter().flatten() {
            match constant(e) {
                Some(p) if !(-TOLERANCE..=1.0 + TOLERANCE).contains(&p) => {
                    self.sink.error(
                        *at,
                        format!("probability {p} of `{node}` is not in [0, 1]"),
                        None,
                    );
                    return None;
                }
                Some(p) => sum = sum.map(|s| s + p),
                None => sum = None,
            }
        }
        if let Some(sum) = sum {
            if missing.is_empty() && (sum - 1.0).abs() > TOLERANCE {
                self.sink.error(
                    raw.span,
                    format!("the probabilities of `{node}` sum to {sum}, not 1"),
                    Some(
                        "leave one state out to give it the remainder, or use weights to normalise"
                            .to_string(),
                    ),
                );
                return None;
            }
            if !missing.is_empty() && 1.0 - sum < -TOLERANCE {
                self.sink.error(
                    raw.span,
                    format!("the probabilities of `{node}` sum to {sum}, leaving {missing_list} a negative remainder"),
                    None,
                );
                return None;
            }
        }
        Some(Probs::P(
            values.into_iter().map(|v| v.map(|(e, _)| e)).collect(),
        ))
    }

    pub(super) fn outcomes(&mut self) -> Option<Vec<Outcome>> {
        let file = self.file;
        let mut outcomes = Vec::new();
        let mut ok = true;
        for id in 0..self.outcome_order.len() {
            let raw = &file.outcomes[self.outcome_order[id]];
            let given = match &raw.given {
                Some(g) => self.boolean(g, "`given`", true).map(Some),
                None => Some(None),
            };
            let kind = match &raw.kind {
                Some(RawOutcomeKind::When(e)) => self
                    .boolean(e, "`when`", true)
                    .map(|when| OutcomeKind::Boolean { when, given: None }),
                Some(RawOutcomeKind::Value(e)) => self
                    .typed(e, Want::Number, "`value` of an outcome", true)
                    .map(|(value, _)| OutcomeKind::Numeric { value, given: None }),
                None => None,
            };
            match (kind, given) {
                (Some(OutcomeKind::Numeric { value, .. }), Some(given)) => outcomes.push(Outcome {
                    name: raw.name.text.clone(),
                    doc: raw.doc.clone(),
                    label: raw.label.clone(),
                    kind: OutcomeKind::Numeric { value, given },
                    span: raw.span,
                    listed: true,
                }),
                (Some(kind @ OutcomeKind::Boolean { .. }), Some(None)) => outcomes.push(Outcome {
                    name: raw.name.text.clone(),
                    doc: raw.doc.clone(),
                    label: raw.label.clone(),
                    kind,
                    span: raw.span,
                    listed: true,
                }),
                _ => ok = false,
            }
        }
        ok.then_some(outcomes)
    }
}
