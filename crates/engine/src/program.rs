//! The flat program of one (scenario, parameter draw): the model with every
//! parameter a constant, intervened nodes and parameter-only expressions
//! folded, and the trial loop reduced to arithmetic over `f64` slots. This
//! file says what a program is; `compile.rs` builds one, `exec.rs` runs it
//! over a batch, and `categorical.rs` holds the categorical nodes.
//!
//! Slot `i < nodes.len()` holds node `i`; outcomes follow. Each categorical
//! and numeric node reads its own word of the trial's random words (index
//! fixed by node order over *all* such nodes, intervened or not), and each
//! boolean node draws its batch from planes keyed by its node id (see
//! `mask.rs`), so scenarios share common random numbers and no node's
//! randomness shifts when another is skipped. Boolean nodes write a bit mask
//! of the batch (mask id = their slot) as well as their column; categorical
//! and derived boolean nodes that a mask reads are packed into masks after
//! they run.

use uchronia_distributions::{DistKind, Sampler};
use uchronia_model::{Model, NodeKind, OutcomeKind};

use crate::categorical::Categorical;
use crate::column::Code;
use crate::expr::CExpr;
use crate::index::Index;
use crate::mask::Configs;
use crate::sketch::Sketch;
use crate::tally::{Moments, YearCounts};

/// One node's work in a trial.
#[derive(Debug)]
pub(crate) enum NodeOp {
    /// A boolean node with a constant probability, as a
    /// [`threshold`](crate::probability::threshold).
    BooleanFixed { slot: usize, threshold: u64 },
    /// A boolean node whose probability is a complete table over at most
    /// [`MAX_CONFIGS`](crate::mask::MAX_CONFIGS) configurations of parents
    /// that have masks, drawn as masks: one threshold per group of
    /// configurations (those that share it).
    BooleanMask {
        slot: usize,
        configs: Configs,
        thresholds: Vec<u64>,
    },
    /// A boolean node whose probability is a table over discrete parents,
    /// stored as thresholds and looked up per trial; `NO_THRESHOLD` falls
    /// back to `p`.
    BooleanTable {
        slot: usize,
        index: Index,
        thresholds: Vec<u64>,
        /// Whether every entry has a threshold (no fallback to `p`).
        complete: bool,
        p: CExpr,
    },
    /// A boolean node whose probability depends on the trial.
    Boolean { slot: usize, p: Code },
    /// A categorical node.
    Categorical(Categorical),
    /// A numeric node.
    Numeric {
        slot: usize,
        word: usize,
        dist: DistOp,
        lower: Option<Code>,
        upper: Option<Code>,
        round: bool,
    },
    /// A derived node that is not constant (its code writes its slot).
    Derived { slot: usize, value: Code },
    /// Masks of the slot just written (a categorical or derived boolean
    /// node that a mask reads): per value, the mask of the lanes that hold
    /// it (a boolean's single mask is of its true lanes).
    Pack {
        slot: usize,
        values: Vec<(f64, u32)>,
        boolean: bool,
    },
    /// A node alike in an earlier scenario of the draw, which ran it (see
    /// `share.rs`): what this program reads of it, copied from that
    /// scenario's batch.
    Copy {
        /// The scenario, by its place in the draw's run order.
        from: usize,
        /// The slots whose columns are copied.
        columns: Vec<usize>,
        /// The masks copied, by id.
        masks: Vec<u32>,
        /// A boolean node whose column this program reads but the earlier
        /// one did not expand: expanded here from its (copied) mask.
        expand_mask: Option<usize>,
    },
}

impl NodeOp {
    /// The slot of the node this op runs (none for a copy).
    pub(crate) fn slot(&self) -> Option<usize> {
        match self {
            NodeOp::BooleanFixed { slot, .. }
            | NodeOp::BooleanMask { slot, .. }
            | NodeOp::BooleanTable { slot, .. }
            | NodeOp::Boolean { slot, .. }
            | NodeOp::Numeric { slot, .. }
            | NodeOp::Derived { slot, .. }
            | NodeOp::Pack { slot, .. } => Some(*slot),
            NodeOp::Categorical(node) => Some(node.slot()),
            NodeOp::Copy { .. } => None,
        }
    }
}

/// A boolean outcome's value or `given` as a mask.
#[derive(Debug)]
pub(crate) enum MaskOf {
    /// A node's mask.
    Mask(u32),
    /// A complete table over configurations of parents with masks: the
    /// lanes of the configurations where it is true, or, when `complement`,
    /// of those where it is false, whichever are fewer (the configurations
    /// partition the lanes of a batch, so either gives the other).
    Table { configs: Configs, complement: bool },
}

/// A numeric node's distribution.
#[derive(Debug)]
pub(crate) enum DistOp {
    /// Constant arguments, validated once, with the sampler's constants
    /// computed once per parameter draw.
    Fixed(Sampler),
    /// Arguments computed per trial.
    Args { kind: DistKind, args: Vec<Code> },
    /// `ci90` computed per trial.
    Ci90 { kind: DistKind, lo: Code, hi: Code },
}

/// One outcome's work in a trial.
#[derive(Debug)]
pub(crate) struct OutcomeOp {
    pub(crate) slot: usize,
    pub(crate) outcome: usize,
    pub(crate) given: Option<Code>,
    pub(crate) numeric: bool,
    pub(crate) value: Code,
    /// Whether another outcome reads this one's slot (else the slot need
    /// not be written).
    pub(crate) read: bool,
    /// A boolean outcome whose value and `given` have masks: counted by
    /// popcounts, `(value, given)`.
    pub(crate) masks: Option<(MaskOf, Option<MaskOf>)>,
}

/// What one outcome accumulates over the trials of a work unit.
#[derive(Clone, Debug)]
pub(crate) enum OutcomeAcc {
    /// Trials where `given` held, and hits among them.
    Boolean { given: u64, hits: u64 },
    /// Moments and the sketch of the values where `given` held, and their
    /// counts by year for an outcome that is a year.
    Numeric {
        moments: Moments,
        sketch: Sketch,
        years: Option<YearCounts>,
    },
}

impl OutcomeAcc {
    /// Empty accumulators, one per outcome of `model`.
    pub(crate) fn for_model(model: &Model) -> Vec<OutcomeAcc> {
        model
            .outcomes
            .iter()
            .enumerate()
            .map(|(id, outcome)| match outcome.kind {
                OutcomeKind::Boolean { .. } => OutcomeAcc::Boolean { given: 0, hits: 0 },
                OutcomeKind::Numeric { .. } => OutcomeAcc::Numeric {
                    moments: Moments::default(),
                    sketch: Sketch::new(),
                    years: model
                        .year_outcome(id)
                        .map(|y| YearCounts::new(id, y.first, y.last)),
                },
            })
            .collect()
    }
}

/// The compiled model for one scenario and parameter draw.
#[derive(Debug)]
pub(crate) struct Program {
    pub(crate) nodes: Vec<NodeOp>,
    pub(crate) outcomes: Vec<OutcomeOp>,
    /// The slots at the start of every trial: constants filled in.
    pub(crate) initial_slots: Vec<f64>,
    /// The largest number of states of a categorical node (scratch size).
    pub(crate) max_states: usize,
    /// The number of masks of a batch (scratch size).
    pub(crate) n_masks: usize,
    /// Per slot, whether anything reads its column (a boolean node's mask
    /// is expanded to its column only then).
    pub(crate) columns: Vec<bool>,
}

/// Whether a node takes a word of the trial's random words (boolean nodes
/// draw from planes instead, derived nodes draw nothing).
pub(crate) fn takes_word(kind: &NodeKind) -> bool {
    matches!(
        kind,
        NodeKind::Categorical { .. } | NodeKind::Numeric { .. }
    )
}
