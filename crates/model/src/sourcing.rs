//! How much of a model rests on the modeller's judgement: counted once here
//! so that `check` and the report say the same thing.

use crate::Model;

/// The source key that marks a number as the modeller's own estimate
/// (`data/sources.toml`'s `[judgement]`).
pub const JUDGEMENT: &str = "judgement";

/// How a model's params are sourced.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sourcing {
    /// Params whose only source is `judgement`.
    pub alone: usize,
    /// Params that cite `judgement`, alone or beside a source (a source
    /// beside it may give the direction or an anchor, not the number).
    pub any: usize,
    /// Params that cite no source at all.
    pub unsourced: usize,
    /// All params.
    pub total: usize,
}

impl Sourcing {
    /// Counts `model`'s params.
    pub fn of(model: &Model) -> Sourcing {
        let judgement = |s: &String| s == JUDGEMENT;
        let params = &model.params;
        Sourcing {
            alone: params
                .iter()
                .filter(|p| !p.source.is_empty() && p.source.iter().all(judgement))
                .count(),
            any: params
                .iter()
                .filter(|p| p.source.iter().any(judgement))
                .count(),
            unsourced: params.iter().filter(|p| p.source.is_empty()).count(),
            total: params.len(),
        }
    }
}
