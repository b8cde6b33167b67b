//! The batch: how many trials run together node by node, the values each
//! scenario holds for them, and the work space they share. A leaf of the
//! engine's modules, so that the column code, the tables and the program
//! all size their arrays from it.

/// Trials evaluated together, node by node: the dispatch on each node is
/// paid once per batch, and the inner loops over trials vectorise.
pub(crate) const BATCH: usize = 64;

/// At most this many configurations of a table's parents are drawn as
/// masks (a table with more costs more in masks than in lookups per
/// trial); the work space keeps one lane mask per configuration.
pub(crate) const MAX_CONFIGS: usize = 64;

/// Work space for running batches, made once per work unit so that no
/// array is allocated or zeroed per node.
pub(crate) struct Scratch {
    /// A categorical row's probabilities.
    pub(crate) probs: Vec<f64>,
    /// Table positions of a batch.
    pub(crate) positions: [f64; BATCH],
    /// Values of a batch (table entries, outcome values).
    pub(crate) values: [f64; BATCH],
    /// Thresholds of a batch.
    pub(crate) limits: [u64; BATCH],
    /// The lanes of each configuration of a mask table.
    pub(crate) configs: [u64; MAX_CONFIGS],
}

impl Scratch {
    /// Room for rows of `max_states` states.
    pub(crate) fn new(max_states: usize) -> Scratch {
        Scratch {
            probs: Vec::with_capacity(max_states),
            positions: [0.0; BATCH],
            values: [0.0; BATCH],
            limits: [0; BATCH],
            configs: [0; MAX_CONFIGS],
        }
    }
}

/// One scenario's values of a batch of `stride` trials, kept until the
/// batch's later scenarios have run, so that they can copy the nodes they
/// share with it (`share.rs`).
pub(crate) struct Batch {
    /// Slot-major: slot `i` of trial `t` at `slots[i * stride + t]`.
    pub(crate) slots: Vec<f64>,
    /// The masks, by mask id (see `program.rs`).
    pub(crate) masks: Vec<u64>,
}
