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

    pub(super) fn params(&mut self) -> Option<Vec<Param>> {
        let file = self.file;
        let mut params = Vec::new();
        let mut ok = true;
        for raw in &file.params {
            let dist = raw.dist.as_ref().and_then(|d| self.param_dist(d));
            match dist {
                Some(dist) => params.push(Param {
                    name: raw.name.text.clone(),
                    doc: raw.doc.clone(),
                    label: raw.label.clone(),
                    source: raw.source.clone(),
                    hindsight: raw.hindsight.clone(),
                    dist,
                    span: raw.span,
                }),
                None => ok = false,
            }
        }
        ok.then_some(params)
    }
}
