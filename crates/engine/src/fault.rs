//! Run-time faults: what went wrong while evaluating one node or outcome.
//!
//! The trial loop only learns *that* something failed and with which values;
//! it has no names at hand. A [`Fault`] is boxed so that `Result<f64, Fault>`
//! stays two words in the hot loop, and it is turned into a sentence, with
//! state names, only when the run reports it. On its way out it learns which
//! expression of its node or outcome gave the bad value (a [`Part`]), so
//! that the message can point at that text.

use uchronia_distributions::DistKind;
use uchronia_model::{Model, NodeKind, Part, StateId};

/// Probabilities within this of [0, 1] are clamped; weights within it below
/// zero count as zero; all-state `p` must sum to 1 within it.
pub(crate) const TOLERANCE: f64 = 1e-9;

/// A run-time error of one evaluation, boxed to keep the success path small.
#[derive(Debug)]
pub(crate) struct Fault(pub(crate) Box<Detail>);

/// What a [`Fault`] holds.
#[derive(Debug)]
pub(crate) struct Detail {
    /// What went wrong.
    pub(crate) kind: FaultKind,
    /// The expression of the node or outcome that gave the bad value, once
    /// known.
    pub(crate) part: Option<Part>,
}

/// The kinds of run-time error the language defines.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum FaultKind {
    /// A boolean node's probability outside [0, 1] by more than the tolerance,
    /// or not finite.
    Probability(f64),
    /// A categorical `p.STATE` outside [0, 1] by more than the tolerance, or not finite.
    StateProbability { state: usize, value: f64 },
    /// All-state `p` not summing to 1 within the tolerance.
    ProbabilitySum(f64),
    /// The remainder `1 - sum` below -tolerance.
    Remainder { state: usize, remainder: f64 },
    /// A weight below -tolerance, or not finite.
    Weight { state: usize, value: f64 },
    /// Weights summing to zero.
    ZeroWeightSum,
    /// A distribution argument that is not finite.
    DistArgumentNotFinite {
        kind: DistKind,
        index: usize,
        ci90: bool,
        value: f64,
    },
    /// Arguments outside the distribution's domain (the dist crate's sentence).
    DistDomain(String),
    /// A numeric node's `lower` or `upper` that is not finite.
    BoundNotFinite { upper: bool, value: f64 },
    /// A numeric node's `lower` above its `upper`.
    BoundsCrossed { lower: f64, upper: f64 },
    /// A `clamp` bound that is not finite.
    ClampBoundNotFinite(f64),
    /// `clamp(x, lo, hi)` with lo > hi.
    ClampBoundsCrossed { lo: f64, hi: f64 },
    /// A NaN reached a comparison.
    NanComparison,
    /// A numeric outcome's value is not finite.
    OutcomeValue(f64),
}

impl Fault {
    /// A fault of this kind.
    #[cold]
    pub(crate) fn new(kind: FaultKind) -> Fault {
        Fault(Box::new(Detail { kind, part: None }))
    }

    /// The fault, blamed on `part` unless a closer part is already known
    /// (faults are tagged from the inside out).
    #[cold]
    pub(crate) fn at(mut self, part: Part) -> Fault {
        self.0.part.get_or_insert(part);
        self
    }

    /// What went wrong.
    pub(crate) fn kind(&self) -> &FaultKind {
        &self.0.kind
    }
}

/// An index (a row, a state, an argument) as a [`Part`] holds it; past
/// `u32::MAX` (never in a model that loads) it saturates.
#[cold]
pub(crate) fn part_index(index: usize) -> u32 {
    u32::try_from(index).unwrap_or(u32::MAX)
}

/// Where a fault happened: a node or an outcome.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Place {
    /// `Model::nodes[i]`.
    Node(usize),
    /// `Model::outcomes[i]`.
    Outcome(usize),
}

/// The sentence that describes `kind`, naming states of the node at `place`.
pub(crate) fn describe(kind: &FaultKind, model: &Model, place: Place) -> String {
    let state = |index: usize| -> String {
        let Place::Node(node) = place else {
            return format!("#{index}");
        };
        match &model.nodes[node].kind {
            NodeKind::Categorical { states, .. } => states
                .get(index)
                .and_then(|&StateId(id)| model.state_names.get(id as usize))
                .map_or_else(|| format!("#{index}"), |name| format!("'{name}'")),
            _ => format!("#{index}"),
        }
    };
    match kind {
        FaultKind::Probability(p) => format!("probability {p} is outside [0, 1]"),
        FaultKind::StateProbability { state: s, value } => {
            format!(
                "probability {value} of state {} is outside [0, 1]",
                state(*s)
            )
        }
        FaultKind::ProbabilitySum(sum) => {
            format!("the probabilities of the states sum to {sum}, not 1")
        }
        FaultKind::Remainder {
            state: s,
            remainder,
        } => format!(
            "the probabilities of the other states sum to more than 1, leaving {remainder} for state {}",
            state(*s)
        ),
        FaultKind::Weight { state: s, value } => {
            if value.is_finite() {
                format!("weight {value} of state {} is negative", state(*s))
            } else {
                format!("weight of state {} is {value}", state(*s))
            }
        }
        FaultKind::ZeroWeightSum => "the weights sum to zero".to_string(),
        FaultKind::DistArgumentNotFinite {
            kind,
            index,
            ci90,
            value,
        } => {
            let key = if *ci90 {
                if *index == 0 { "ci90 low" } else { "ci90 high" }
            } else {
                kind.keys().get(*index).copied().unwrap_or("argument")
            };
            format!("{} argument {key} is {value}", kind.name())
        }
        FaultKind::DistDomain(message) => format!("distribution arguments: {message}"),
        FaultKind::BoundNotFinite { upper, value } => {
            let which = if *upper { "upper" } else { "lower" };
            format!("{which} bound is {value}")
        }
        FaultKind::BoundsCrossed { lower, upper } => {
            format!("lower bound {lower} is greater than upper bound {upper}")
        }
        FaultKind::ClampBoundNotFinite(value) => format!("a clamp bound is {value}"),
        FaultKind::ClampBoundsCrossed { lo, hi } => {
            format!("clamp lower bound {lo} is greater than its upper bound {hi}")
        }
        FaultKind::NanComparison => "NaN reaches a comparison".to_string(),
        FaultKind::OutcomeValue(value) => format!("outcome value is {value}"),
    }
}
