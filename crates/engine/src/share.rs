//! Nodes a scenario cannot change, computed once per batch. With common
//! random numbers a node draws the same words and planes in every scenario
//! (`streams.rs`, `mask.rs`), so a node that two scenarios of a draw treat
//! alike (neither intervenes on it, or both fix it to the same value), whose
//! params have the same values and whose parents are alike in turn, is
//! compiled alike and has the same column, masks and faults in both, trial
//! for trial. [`Sources`] finds, per scenario, the first scenario with each
//! node alike, from the graph, the scenarios' `do` and the draw's param
//! values; [`Sources::share`] then replaces a later program's ops for such a
//! node by a copy of what that program reads of it from the earlier
//! scenario's batch (`NodeOp::Copy`), or by nothing when it reads nothing.
//!
//! Scenarios run in order within a batch, so the earlier scenario has run
//! when the copy is made; a fault in a shared node stops the batch at the
//! earlier scenario, as it did before, and the trial-by-trial replay that
//! names the first fault runs the same copies.

use uchronia_model::{Model, Ref, Scenario};

use crate::compile::{columns_read, masks_read};
use crate::program::{NodeOp, Program};

/// Per scenario of a draw, in run order, per node: the first scenario
/// (itself when no earlier one is alike) whose node is alike, so that its
/// values are the same in every trial.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Sources(pub(crate) Vec<Vec<usize>>);

impl Sources {
    /// The sources of the scenarios of one draw, whose param values are
    /// `params` (one vector per scenario).
    pub(crate) fn find(model: &Model, scenarios: &[&Scenario], params: &[Vec<f64>]) -> Sources {
        let fixed: Vec<Vec<Option<u64>>> = scenarios
            .iter()
            .map(|scenario| {
                let mut fixed = vec![None; model.nodes.len()];
                for &(node, value) in &scenario.interventions {
                    if let Some(f) = fixed.get_mut(node) {
                        *f = Some(value.as_f64().to_bits());
                    }
                }
                fixed
            })
            .collect();
        let mut sources: Vec<Vec<usize>> = Vec::with_capacity(scenarios.len());
        for s in 0..scenarios.len() {
            let mut nodes = Vec::with_capacity(model.nodes.len());
            for (v, node) in model.nodes.iter().enumerate() {
                // Node order is topological: the parents' sources are known,
                // and two scenarios alike with a third are alike.
                let alike = |r: usize| match (fixed[r][v], fixed[s][v]) {
                    (Some(a), Some(b)) => a == b,
                    (None, None) => node.parents.iter().all(|&parent| match parent {
                        Ref::Param(p) => {
                            let value = |x: usize| params[x].get(p).map(|v| v.to_bits());
                            value(r) == value(s)
                        }
                        Ref::Node(u) => nodes.get(u) == sources[r].get(u),
                        // Nodes do not read outcomes.
                        Ref::Outcome(_) => false,
                    }),
                    _ => false,
                };
                let source = (0..s).find(|&r| alike(r)).unwrap_or(s);
                nodes.push(source);
            }
            sources.push(nodes);
        }
        Sources(sources)
    }

    /// Replaces, in each program after the first, the ops of every node that
    /// an earlier program runs alike by a copy of what the program's other
    /// ops and its outcomes read of it (see [`copies`]). `programs` are the
    /// draw's, in run order.
    pub(crate) fn share(&self, programs: &mut [Program]) {
        for s in 1..programs.len() {
            let (earlier, rest) = programs.split_at_mut(s);
            let program = &mut rest[0];
            let source = |op: &NodeOp| op.slot().map_or(s, |v| self.0[s][v]);
            if program.nodes.iter().all(|op| source(op) == s) {
                continue;
            }
            let ops = std::mem::take(&mut program.nodes);
            // Ops of shared nodes read only shared nodes (their parents are
            // alike), so these are what the copies must provide.
            let kept = || ops.iter().filter(|op| source(op) == s);
            let columns = columns_read(kept(), &program.outcomes, program.columns.len());
            let masks = masks_read(kept(), &program.outcomes, program.n_masks);
            let mut out = Vec::with_capacity(ops.len());
            let mut ops = ops.into_iter().peekable();
            while let Some(op) = ops.next() {
                let from = source(&op);
                let Some(slot) = op.slot().filter(|_| from != s) else {
                    out.push(op);
                    continue;
                };
                // A node's ops are consecutive: the node's, then its pack.
                let mut own = vec![op];
                while let Some(next) = ops.next_if(|next| next.slot() == Some(slot)) {
                    own.push(next);
                }
                match Writes::of(&earlier[from], slot) {
                    Some(theirs) => {
                        let mine = Writes::of_ops(program, &own);
                        out.extend(copies(from, slot, &mine, &theirs, &columns, &masks));
                    }
                    // Not run there after all: run here (never, as alike
                    // nodes compile alike, but never wrong).
                    None => out.extend(own),
                }
            }
            program.nodes = out;
        }
    }
}

/// What a node's ops write in a program.
#[derive(Debug, Default)]
struct Writes {
    /// The slots whose columns it writes.
    columns: Vec<usize>,
    /// Every slot that holds its values (a boolean's even when unexpanded).
    slots: Vec<usize>,
    /// Its masks, with the value each holds (a boolean's: true).
    masks: Vec<(f64, u32)>,
    /// A boolean node, drawn as a mask.
    drawn: bool,
    /// A boolean node or derived boolean (its mask is of its true lanes).
    boolean: bool,
}

impl Writes {
    /// What node `slot` writes in `program`, if the program runs it.
    fn of(program: &Program, slot: usize) -> Option<Writes> {
        let start = program
            .nodes
            .iter()
            .position(|op| op.slot() == Some(slot))?;
        let end = (program.nodes[start..].iter())
            .position(|op| op.slot() != Some(slot))
            .map_or(program.nodes.len(), |n| start + n);
        Some(Writes::of_ops(program, &program.nodes[start..end]))
    }

    /// What the ops of one node of `program` write.
    fn of_ops(program: &Program, ops: &[NodeOp]) -> Writes {
        let mut writes = Writes::default();
        for op in ops {
            match op {
                NodeOp::BooleanFixed { slot, .. }
                | NodeOp::BooleanMask { slot, .. }
                | NodeOp::BooleanTable { slot, .. }
                | NodeOp::Boolean { slot, .. } => {
                    if program.columns.get(*slot).copied().unwrap_or(true) {
                        writes.columns.push(*slot);
                    }
                    writes.slots.push(*slot);
                    writes.masks.push((1.0, *slot as u32));
                    writes.drawn = true;
                    writes.boolean = true;
                }
                NodeOp::Categorical(node) => {
                    writes.columns.extend(node.columns());
                    writes.slots.extend(node.columns());
                    writes.masks.extend(node.masks());
                }
                NodeOp::Numeric { slot, .. } | NodeOp::Derived { slot, .. } => {
                    writes.columns.push(*slot);
                    writes.slots.push(*slot);
                }
                NodeOp::Pack {
                    values, boolean, ..
                } => {
                    writes.masks.extend(values);
                    writes.boolean = *boolean;
                }
                NodeOp::Copy { .. } => {}
            }
        }
        writes
    }
}

/// The ops that give a program what it reads (`columns`, `masks`: per slot
/// and mask id, whether its own ops or outcomes read them) of node `slot`,
/// which writes `mine` there and `theirs` in the earlier scenario `from`:
/// a copy of what the earlier scenario wrote, a boolean's column expanded
/// from its copied mask where the earlier scenario did not expand it, and
/// masks it did not make packed from the copied column.
fn copies(
    from: usize,
    slot: usize,
    mine: &Writes,
    theirs: &Writes,
    columns: &[bool],
    masks: &[bool],
) -> Vec<NodeOp> {
    // A node's slots are read together: a table over a categorical node
    // reads its rank slot where its index names the node's slot.
    let read = (mine.slots.iter()).any(|&c| columns.get(c).copied().unwrap_or(true));
    let mut copied: Vec<usize> = if read { mine.slots.clone() } else { Vec::new() };
    let mut expand_mask = None;
    let mut ids: Vec<u32> = (mine.masks.iter())
        .filter(|&&(_, id)| masks.get(id as usize).copied().unwrap_or(true))
        .map(|&(_, id)| id)
        .collect();
    if theirs.drawn && copied.contains(&slot) && !theirs.columns.contains(&slot) {
        copied.retain(|&c| c != slot);
        expand_mask = Some(slot);
        ids.push(slot as u32);
    }
    let missing: Vec<(f64, u32)> = (mine.masks.iter())
        .filter(|&&(_, id)| ids.contains(&id) && !theirs.masks.iter().any(|&(_, i)| i == id))
        .copied()
        .collect();
    ids.retain(|id| !missing.iter().any(|(_, i)| i == id));
    if !missing.is_empty() && !copied.contains(&slot) {
        // Packed from the column, which the earlier scenario wrote (a node
        // drawn as a mask always makes its mask).
        copied.push(slot);
    }
    ids.sort_unstable();
    ids.dedup();
    let mut ops = Vec::new();
    if !copied.is_empty() || !ids.is_empty() || expand_mask.is_some() {
        ops.push(NodeOp::Copy {
            from,
            columns: copied,
            masks: ids,
            expand_mask,
        });
    }
    if !missing.is_empty() {
        ops.push(NodeOp::Pack {
            slot,
            values: missing,
            boolean: mine.boolean,
        });
    }
    ops
}
