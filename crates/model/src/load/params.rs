//! Params: the constant arguments of distributions checked against their
//! domains, each error placed at the argument that breaks a rule.

use super::*;

/// The first domain rule that known arguments break: which argument to blame
/// and why. Arguments not known at load time are `None`.
pub(super) fn domain_error(kind: DistKind, args: &[Option<f64>]) -> Option<(usize, String)> {
    let keys = kind.keys();
    for (i, arg) in args.iter().enumerate() {
        if let Some(x) = arg
            && !x.is_finite()
        {
            return Some((
                i,
                format!(
                    "{} of `{}` is {x}, not a finite number",
                    keys[i],
                    kind.name()
                ),
            ));
        }
    }
    let positive = |i: usize| match args[i] {
        Some(x) if x <= 0.0 => Some((
            i,
            format!(
                "{} needs {} > 0, got {} = {x}",
                kind.name(),
                keys[i],
                keys[i]
            ),
        )),
        _ => None,
    };
    let non_negative = |i: usize| match args[i] {
        Some(x) if x < 0.0 => Some((
            i,
            format!(
                "{} needs {} >= 0, got {} = {x}",
                kind.name(),
                keys[i],
                keys[i]
            ),
        )),
        _ => None,
    };
    let ordered = |i: usize, j: usize| match (args[i], args[j]) {
        (Some(a), Some(b)) if a > b => Some((
            j,
            format!(
                "{} needs {} <= {}, got {} = {a} and {} = {b}",
                kind.name(),
                keys[i],
                keys[j],
                keys[i],
                keys[j]
            ),
        )),
        _ => None,
    };
    match kind {
        DistKind::Fixed => None,
        DistKind::Uniform => ordered(0, 1),
        DistKind::Beta => positive(0).or_else(|| positive(1)),
        DistKind::Pert | DistKind::Triangular => ordered(0, 1)
            .or_else(|| ordered(1, 2))
            .or_else(|| ordered(0, 2)),
        DistKind::Normal | DistKind::LogNormal => non_negative(1),
    }
}

/// The first rule a `ci90 = [lo, hi]` with known ends breaks.
pub(super) fn ci90_error(kind: DistKind, lo: Option<f64>, hi: Option<f64>) -> Option<String> {
    let name = kind.name();
    for x in [lo, hi].into_iter().flatten() {
        if !x.is_finite() {
            return Some(format!("ci90 of `{name}` holds {x}, not a finite number"));
        }
    }
    if let (Some(lo), Some(hi)) = (lo, hi)
        && lo >= hi
    {
        return Some(format!("ci90 needs lo < hi, got [{lo}, {hi}]"));
    }
    match kind {
        DistKind::Beta => match (lo, hi) {
            (Some(lo), _) if lo <= 0.0 => {
                Some(format!("ci90 of beta needs 0 < lo < hi < 1, got lo = {lo}"))
            }
            (_, Some(hi)) if hi >= 1.0 => {
                Some(format!("ci90 of beta needs 0 < lo < hi < 1, got hi = {hi}"))
            }
            _ => None,
        },
        DistKind::LogNormal => match lo {
            Some(lo) if lo <= 0.0 => Some(format!("ci90 of lognormal needs 0 < lo, got lo = {lo}")),
            _ => None,
        },
        _ => None,
    }
}

impl Builder<'_, '_> {
    /// A param's (or `set`'s) distribution, validated with the dist crate.
    pub(super) fn param_dist(&mut self, raw: &RawDist<f64>) -> Option<Dist> {
        match &raw.form {
            DistForm::Args(args) => {
                let known: Vec<Option<f64>> = args.iter().map(|(x, _)| Some(*x)).collect();
                if let Some((i, message)) = domain_error(raw.kind, &known) {
                    self.sink.error(args[i].1, message, None);
                    return None;
                }
                let values: Vec<f64> = args.iter().map(|(x, _)| *x).collect();
                match Dist::new(raw.kind, &values) {
                    Ok(dist) => Some(dist),
                    Err(e) => {
                        self.sink.error(raw.span, e.0, None);
                        None
                    }
                }
            }
            DistForm::Ci90(lo, hi, at) => {
                if let Some(message) = ci90_error(raw.kind, Some(*lo), Some(*hi)) {
                    self.sink.error(*at, message, None);
                    return None;
                }
                match Dist::from_ci90(raw.kind, *lo, *hi) {
                    Ok(dist) => Some(dist),
                    Err(e) => {
                        self.sink.error(*at, e.0, None);
                        None
                    }
                }
            }
        }
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
                    source: raw.source.clone(),
                    dist,
                    span: raw.span,
                }),
                None => ok = false,
            }
        }
        ok.then_some(params)
    }
}
