//! `[[correlations]]` blocks: each names two distinct params (with the
//! nearest name as a hint) and a rank in (-1, 1), no pair twice, and all
//! blocks together form a positive definite matrix. One that is not is an
//! error at the block that makes it so (the first, in file order, at which
//! the blocks so far stop being positive definite), naming the smallest
//! eigenvalue; it is never repaired.

use uchronia_distributions::{Copula, MIN_EIGENVALUE};

use super::*;

/// Most params that correlations may tie together: the positive-definite
/// check factors a matrix of this size once per block.
pub const MAX_CORRELATED_PARAMS: usize = 100;

impl Builder<'_, '_> {
    /// The checked blocks; `params` are the built params (`None` when they
    /// failed, which is reported already).
    pub(super) fn correlations(&mut self, params: Option<&[Param]>) -> Option<Vec<Correlation>> {
        let file = self.file;
        let mut out = Vec::new();
        let mut ok = true;
        let mut seen: HashMap<[ParamId; 2], Span> = HashMap::new();
        for raw in &file.correlations {
            let ids = raw
                .params
                .as_ref()
                .map(|[a, b]| (self.param_id(a), self.param_id(b)));
            let rank = raw.rank.and_then(|(rank, at)| self.rank(rank, at));
            let (Some((Some(a), Some(b))), Some(rank)) = (ids, rank) else {
                ok = false;
                continue;
            };
            let names = raw.params.as_ref().map(|[a, b]| (a, b));
            let Some((name_a, name_b)) = names else {
                ok = false;
                continue;
            };
            if a == b {
                self.sink.error(
                    name_b.span,
                    format!(
                        "a param cannot be correlated with itself (`{}`)",
                        name_a.text
                    ),
                    Some("name two different params".to_string()),
                );
                ok = false;
                continue;
            }
            if let Some(params) = params {
                for (id, name) in [(a, name_a), (b, name_b)] {
                    if params
                        .get(id)
                        .is_some_and(|p| p.dist.kind() == DistKind::Fixed)
                    {
                        self.sink.error(
                            name.span,
                            format!(
                                "param `{}` is fixed: a single value has no ranks to correlate",
                                name.text
                            ),
                            Some("correlate params with an uncertain distribution".to_string()),
                        );
                        ok = false;
                    }
                }
            }
            let key = [a.min(b), a.max(b)];
            if let Some(first) = seen.get(&key) {
                let line = self.sink.line_of(first.start);
                self.sink.error(
                    raw.span,
                    format!(
                        "the pair `{}`, `{}` is already correlated (line {line})",
                        name_a.text, name_b.text
                    ),
                    Some("give each pair of params one [[correlations]] block".to_string()),
                );
                ok = false;
                continue;
            }
            seen.insert(key, raw.span);
            out.push(Correlation {
                params: [a, b],
                rank,
                span: raw.span,
            });
        }
        if !ok {
            return None;
        }
        let mut members: Vec<ParamId> = out.iter().flat_map(|c| c.params).collect();
        members.sort_unstable();
        members.dedup();
        if members.len() > MAX_CORRELATED_PARAMS {
            let at = out.last().map_or(Span::default(), |c| c.span);
            self.sink.error(
                at,
                format!(
                    "correlations tie together {} params; at most {MAX_CORRELATED_PARAMS} may be correlated",
                    members.len()
                ),
                Some("correlate the few params whose beliefs really go together".to_string()),
            );
            return None;
        }
        self.positive_definite(&out)?;
        Some(out)
    }

    /// The param named `name`, or an error with the nearest param's name.
    fn param_id(&mut self, name: &Name) -> Option<ParamId> {
        let text = &name.text;
        match self.scope.names.get(text) {
            Some(Ref::Param(id)) => Some(*id),
            Some(other) => {
                let what = match other {
                    Ref::Node(_) => "a node",
                    _ => "an outcome",
                };
                self.sink.error(
                    name.span,
                    format!("`{text}` is {what}; correlations are between params"),
                    Some(
                        "rank correlations tie beliefs (params) across parameter draws, not events"
                            .to_string(),
                    ),
                );
                None
            }
            None => {
                let hint = suggest::close(text, self.scope.params.iter().map(String::as_str))
                    .map(|b| format!("did you mean `{b}`?"));
                self.sink.error(
                    name.span,
                    format!("unknown param `{text}` in [[correlations]]"),
                    hint,
                );
                None
            }
        }
    }

    fn rank(&mut self, rank: f64, at: Span) -> Option<f64> {
        if rank > -1.0 && rank < 1.0 {
            return Some(rank);
        }
        self.sink.error(
            at,
            format!("`rank` must be in (-1, 1), found {rank}"),
            Some(
                "a rank correlation of +-1 would make two params one; use a value such as 0.8"
                    .to_string(),
            ),
        );
        None
    }

    /// Refuses blocks whose matrix is not positive definite, at the first
    /// block where the blocks so far stop being so.
    fn positive_definite(&mut self, blocks: &[Correlation]) -> Option<()> {
        let pairs: Vec<(usize, usize, f64)> = blocks
            .iter()
            .map(|c| (c.params[0], c.params[1], c.rank))
            .collect();
        if Copula::new(&pairs).is_ok() {
            return Some(());
        }
        for end in 1..=pairs.len() {
            let Err(error) = Copula::new(&pairs[..end]) else {
                continue;
            };
            let block = &blocks[end - 1];
            let message = if error.normal_scores {
                format!(
                    "the correlations up to this block are positive definite as ranks, but not as the normal scores the copula needs (2 sin(pi rank / 6)): smallest eigenvalue {:.4}",
                    error.smallest_eigenvalue
                )
            } else {
                format!(
                    "the correlations up to this block do not form a positive definite matrix: smallest eigenvalue {:.4} (it must be above {MIN_EIGENVALUE:e})",
                    error.smallest_eigenvalue
                )
            };
            self.sink.error(
                block.span,
                message,
                Some("these params cannot all be this strongly related at once: weaken this rank or the others among its params (uchronia does not repair a matrix)".to_string()),
            );
            return None;
        }
        None
    }
}
