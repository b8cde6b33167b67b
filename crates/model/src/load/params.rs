//! Params: their distributions built and checked by the distributions
//! crate, each error placed at the argument that breaks a rule.

use super::*;

impl Builder<'_, '_> {
    /// A param's (or `set`'s) distribution, built by the distributions
    /// crate's one validated constructor; an error is placed at the argument
    /// it blames.
    pub(super) fn param_dist(&mut self, raw: &RawDist<f64>) -> Option<Dist> {
        let (result, at) = match &raw.form {
            DistForm::Args(args) => {
                let values: Vec<f64> = args.iter().map(|(x, _)| *x).collect();
                let result = Dist::new(raw.kind, &values);
                let blamed = result.as_ref().err().and_then(|e| e.argument);
                let at = blamed
                    .and_then(|i| args.get(i))
                    .map_or(raw.span, |(_, at)| *at);
                (result, at)
            }
            DistForm::Ci90(lo, hi, at) => (Dist::from_ci90(raw.kind, *lo, *hi), *at),
        };
        result
            .map_err(|e| self.sink.error(at, e.message, None))
            .ok()
    }

    /// A param's `ex_ante` prior: only where `hindsight` says what the
    /// param's own prior knows, since the ex-ante prior is its counterpart.
    fn ex_ante(&mut self, raw: &RawParam, dist: &RawDist<f64>) -> Option<Dist> {
        if raw.hindsight.is_none() {
            self.sink.error(
                dist.span,
                format!(
                    "`ex_ante` on `{}`, which has no `hindsight`",
                    raw.name.text
                ),
                Some("ex_ante is the prior without hindsight: say first what the param's own prior knows of what came after, hindsight = \"...\"".to_string()),
            );
            return None;
        }
        self.param_dist(dist)
    }

    /// A param's `ex_ante_group`: only beside an `ex_ante` prior, the thing
    /// it groups.
    fn ex_ante_group(&mut self, raw: &RawParam) -> Option<Option<String>> {
        let Some((group, at)) = &raw.ex_ante_group else {
            return Some(None);
        };
        if raw.ex_ante.is_none() {
            self.sink.error(
                *at,
                format!(
                    "`ex_ante_group` on `{}`, which has no `ex_ante` prior",
                    raw.name.text
                ),
                Some("the group selects ex-ante priors: give the param its prior without hindsight first, ex_ante = { ... }".to_string()),
            );
            return None;
        }
        Some(Some(group.clone()))
    }

    pub(super) fn params(&mut self) -> Option<Vec<Param>> {
        let file = self.file;
        let mut params = Vec::new();
        let mut ok = true;
        for raw in &file.params {
            let dist = raw.dist.as_ref().and_then(|d| self.param_dist(d));
            let ex_ante = raw.ex_ante.as_ref().map(|d| self.ex_ante(raw, d));
            let group = self.ex_ante_group(raw);
            match (dist, ex_ante, group) {
                (Some(dist), None | Some(Some(_)), Some(ex_ante_group)) => params.push(Param {
                    name: raw.name.text.clone(),
                    doc: raw.doc.clone(),
                    label: raw.label.clone(),
                    source: raw.source.clone(),
                    hindsight: raw.hindsight.clone(),
                    ex_ante: ex_ante.flatten(),
                    ex_ante_group,
                    dist,
                    span: raw.span,
                }),
                _ => ok = false,
            }
        }
        ok.then_some(params)
    }
}
