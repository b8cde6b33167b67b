//! Compiling a program: the model for one scenario and parameter draw,
//! with constants folded, expressions over discrete nodes tabulated and the
//! rest turned into column code (see `program.rs`).

use uchronia_distributions::{Dist, Sampler};
use uchronia_model::{DistExpr, Model, NodeKind, OutcomeKind, Scenario, StateId, Type};

use crate::categorical::{Categorical, Rows};
use crate::column::{Code, Slots};
use crate::expr::{CExpr, Env, compile};
use crate::index::Index;
use crate::mask::{Configs, MAX_CONFIGS};
use crate::probability::{NO_THRESHOLD, check_probability, threshold};
use crate::program::{DistOp, MaskOf, NodeOp, OutcomeOp, Program, takes_word};
use crate::table::{Discrete, reads, slots_of, tabulate};

impl Program {
    /// Compiles `model` for `scenario` with the parameter values `params`.
    pub(crate) fn compile(model: &Model, scenario: &Scenario, params: &[f64]) -> Program {
        let n_nodes = model.nodes.len();
        let domains = slot_domains(model);
        let mut alloc = Slots::new(n_nodes + model.outcomes.len());
        // A rank slot for each categorical node whose state ids have gaps,
        // so that tables over it need no lookup to find the offset.
        let ranks: Vec<Option<usize>> = model
            .nodes
            .iter()
            .map(|node| match &node.kind {
                NodeKind::Categorical { states, .. } if !consecutive(states) => {
                    Some(alloc.permanent())
                }
                _ => None,
            })
            .collect();
        let mut masks = MaskIds::new(model);
        let mut discrete = Discrete::new(domains, ranks.clone());
        let mut known: Vec<Option<f64>> = vec![None; n_nodes];
        for &(node, value) in &scenario.interventions {
            if let Some(slot) = known.get_mut(node) {
                *slot = Some(value.as_f64());
            }
        }
        let mut ops = Vec::new();
        // The slot each op writes, for the masks packed after it.
        let mut op_slots = Vec::new();
        let mut word = 0;
        let mut max_states = 0;
        for (slot, node) in model.nodes.iter().enumerate() {
            // The temporaries of the node before are free again.
            alloc.release();
            let this_word = word;
            if takes_word(&node.kind) {
                word += 1;
            }
            if known[slot].is_some() {
                continue;
            }
            let env = Env {
                params,
                known: &known,
                outcome_base: n_nodes,
            };
            let op = match &node.kind {
                NodeKind::Boolean { p } => {
                    let p = compile(p, &env);
                    match p.as_const().map(check_probability) {
                        // open01 is never 0 or 1, so these are certain.
                        Some(Ok(p)) if p == 0.0 || p == 1.0 => {
                            known[slot] = Some(p);
                            continue;
                        }
                        Some(Ok(p)) => NodeOp::BooleanFixed {
                            slot,
                            threshold: threshold(p),
                        },
                        Some(Err(_)) => NodeOp::Boolean {
                            slot,
                            p: Code::new(p, &mut alloc, None),
                        },
                        None => boolean_op(slot, p, &discrete, &mut masks, &mut alloc),
                    }
                }
                NodeKind::Categorical { states, table } => {
                    max_states = max_states.max(states.len());
                    let rows = Rows::compile(table, states.len(), &env, &discrete, &mut alloc);
                    NodeOp::Categorical(Categorical::new(
                        slot,
                        this_word,
                        ranks[slot],
                        states,
                        rows,
                    ))
                }
                NodeKind::Numeric {
                    dist,
                    lower,
                    upper,
                    round,
                } => {
                    let dist = match dist {
                        DistExpr::Args { kind, args } => {
                            let args: Vec<CExpr> = args.iter().map(|a| compile(a, &env)).collect();
                            let constants: Option<Vec<f64>> =
                                args.iter().map(CExpr::as_const).collect();
                            match constants.and_then(|c| Dist::new(*kind, &c).ok()) {
                                Some(d) => DistOp::Fixed(Sampler::new(d)),
                                None => DistOp::Args {
                                    kind: *kind,
                                    args: args
                                        .into_iter()
                                        .map(|a| {
                                            Code::new(tabulate(a, &discrete), &mut alloc, None)
                                        })
                                        .collect(),
                                },
                            }
                        }
                        DistExpr::Ci90 { kind, lo, hi } => {
                            let (lo, hi) = (compile(lo, &env), compile(hi, &env));
                            let fixed = match (lo.as_const(), hi.as_const()) {
                                (Some(l), Some(h)) => Dist::from_ci90(*kind, l, h).ok(),
                                _ => None,
                            };
                            match fixed {
                                Some(d) => DistOp::Fixed(Sampler::new(d)),
                                None => DistOp::Ci90 {
                                    kind: *kind,
                                    lo: Code::new(tabulate(lo, &discrete), &mut alloc, None),
                                    hi: Code::new(tabulate(hi, &discrete), &mut alloc, None),
                                },
                            }
                        }
                    };
                    let mut bound = |e: &Option<uchronia_model::Expr>| {
                        e.as_ref().map(|e| {
                            Code::new(tabulate(compile(e, &env), &discrete), &mut alloc, None)
                        })
                    };
                    let (lower, upper) = (bound(lower), bound(upper));
                    NodeOp::Numeric {
                        slot,
                        word: this_word,
                        dist,
                        lower,
                        upper,
                        round: *round,
                    }
                }
                NodeKind::Derived { value } => {
                    let value = compile(value, &env);
                    match value.as_const() {
                        Some(x) => {
                            known[slot] = Some(x);
                            continue;
                        }
                        None => {
                            discrete.offer_inline(slot, &value);
                            NodeOp::Derived {
                                slot,
                                value: Code::new(
                                    tabulate(value, &discrete),
                                    &mut alloc,
                                    Some(slot),
                                ),
                            }
                        }
                    }
                }
            };
            ops.push(op);
            op_slots.push(slot);
        }

        let env = Env {
            params,
            known: &known,
            outcome_base: n_nodes,
        };
        let mut outcomes: Vec<OutcomeOp> = model
            .outcomes
            .iter()
            .enumerate()
            .map(|(outcome, o)| {
                let (value, given, numeric) = match &o.kind {
                    OutcomeKind::Boolean { when, given } => (when, given, false),
                    OutcomeKind::Numeric { value, given } => (value, given, true),
                };
                alloc.release();
                let given = given
                    .as_ref()
                    .map(|g| Code::new(tabulate(compile(g, &env), &discrete), &mut alloc, None));
                let value = Code::new(tabulate(compile(value, &env), &discrete), &mut alloc, None);
                let masks = if numeric {
                    None
                } else {
                    outcome_masks(
                        &value.expr,
                        given.as_ref().map(|g| &g.expr),
                        &discrete,
                        &mut masks,
                    )
                };
                OutcomeOp {
                    slot: n_nodes + outcome,
                    outcome,
                    given,
                    numeric,
                    value,
                    read: false,
                    masks,
                }
            })
            .collect();
        let ops = masks.with_packs(ops, &op_slots);
        let columns = columns_read(&ops, &outcomes, alloc.len());

        // Which outcome slots other outcomes read.
        let mut read = vec![false; model.outcomes.len()];
        for op in &outcomes {
            let mut slots = Vec::new();
            for code in op.given.iter().chain([&op.value]) {
                slots_of(&code.expr, &mut slots);
            }
            for slot in slots {
                if let Some(read) = slot.checked_sub(n_nodes).and_then(|o| read.get_mut(o)) {
                    *read = true;
                }
            }
        }
        for op in &mut outcomes {
            op.read = read[op.outcome];
        }

        let mut initial_slots = vec![0.0; alloc.len()];
        for (slot, value) in known.iter().enumerate() {
            if let Some(value) = value {
                initial_slots[slot] = *value;
            }
        }
        for (value, slot) in alloc.constants() {
            initial_slots[slot] = value;
        }
        // The rank of an intervened categorical node.
        for ((node, rank), value) in model.nodes.iter().zip(&ranks).zip(&known) {
            if let (NodeKind::Categorical { states, .. }, Some(rank), Some(value)) =
                (&node.kind, rank, value)
            {
                initial_slots[*rank] = states
                    .iter()
                    .position(|s| s.value() == *value)
                    .map_or(f64::NAN, |r| r as f64);
            }
        }
        Program {
            nodes: ops,
            outcomes,
            initial_slots,
            max_states,
            n_masks: masks.len(),
            columns,
        }
    }
}

/// Per slot, whether `ops` or `outcomes` read its column: a boolean node
/// that only masks read need not expand its mask.
pub(crate) fn columns_read<'a>(
    ops: impl IntoIterator<Item = &'a NodeOp>,
    outcomes: &[OutcomeOp],
    n_slots: usize,
) -> Vec<bool> {
    let mut slots = Vec::new();
    for op in ops {
        match op {
            NodeOp::BooleanFixed { .. }
            | NodeOp::BooleanMask { .. }
            | NodeOp::Pack { .. }
            | NodeOp::Copy { .. } => {}
            NodeOp::BooleanTable { index, p, .. } => {
                slots.extend(index.slots());
                reads(p, &mut slots);
            }
            NodeOp::Boolean { p, .. } => reads(&p.expr, &mut slots),
            NodeOp::Categorical(node) => node.reads(&mut slots),
            NodeOp::Numeric {
                dist, lower, upper, ..
            } => {
                let codes: Vec<&Code> = match dist {
                    DistOp::Fixed(_) => Vec::new(),
                    DistOp::Args { args, .. } => args.iter().collect(),
                    DistOp::Ci90 { lo, hi, .. } => vec![lo, hi],
                };
                for code in codes.into_iter().chain(lower).chain(upper) {
                    reads(&code.expr, &mut slots);
                }
            }
            NodeOp::Derived { value, .. } => reads(&value.expr, &mut slots),
        }
    }
    for op in outcomes.iter().filter(|op| op.masks.is_none()) {
        for code in op.given.iter().chain([&op.value]) {
            reads(&code.expr, &mut slots);
        }
    }
    let mut columns = vec![false; n_slots];
    for slot in slots {
        if let Some(read) = columns.get_mut(slot) {
            *read = true;
        }
    }
    columns
}

/// Per mask id, whether `ops` or `outcomes` read the mask.
pub(crate) fn masks_read<'a>(
    ops: impl IntoIterator<Item = &'a NodeOp>,
    outcomes: &[OutcomeOp],
    n_masks: usize,
) -> Vec<bool> {
    let mut ids = Vec::new();
    let terms = |configs: &Configs, ids: &mut Vec<u32>| {
        ids.extend(configs.terms.iter().map(|&(id, _)| id));
    };
    for op in ops {
        if let NodeOp::BooleanMask { configs, .. } = op {
            terms(configs, &mut ids);
        }
    }
    for (value, given) in outcomes.iter().filter_map(|op| op.masks.as_ref()) {
        for of in std::iter::once(value).chain(given) {
            match of {
                MaskOf::Mask(id) => ids.push(*id),
                MaskOf::Table { configs, .. } => terms(configs, &mut ids),
            }
        }
    }
    let mut read = vec![false; n_masks];
    for id in ids {
        if let Some(read) = read.get_mut(id as usize) {
            *read = true;
        }
    }
    read
}

/// The masks that mask tables read: a boolean node's own (its id is its
/// slot), and one per state of a categorical node or of the true lanes of
/// a derived boolean node, made only when something reads them.
struct MaskIds {
    /// Per node slot, `(value, mask id)` for each value, or `None`.
    values: Vec<Option<Vec<(f64, u32)>>>,
    /// Per node slot: a boolean, whose one mask is of its true lanes.
    boolean: Vec<bool>,
    /// Per node slot: its masks are made after it runs, when read (marked
    /// by a categorical node as it draws, packed from a derived boolean's
    /// column), not by the boolean node itself.
    packed: Vec<bool>,
    /// Per node slot: something reads its masks.
    used: Vec<bool>,
    n_masks: usize,
}

impl MaskIds {
    fn new(model: &Model) -> MaskIds {
        let n = model.nodes.len();
        let mut next = n;
        let mut ids = MaskIds {
            values: vec![None; n],
            boolean: vec![false; n],
            packed: vec![false; n],
            used: vec![false; n],
            n_masks: n,
        };
        for (slot, node) in model.nodes.iter().enumerate() {
            match &node.kind {
                NodeKind::Boolean { .. } => {
                    ids.values[slot] = Some(vec![(1.0, slot as u32)]);
                    ids.boolean[slot] = true;
                }
                NodeKind::Derived { .. } if model.node_type(slot) == Type::Boolean => {
                    ids.values[slot] = Some(vec![(1.0, slot as u32)]);
                    ids.boolean[slot] = true;
                    ids.packed[slot] = true;
                }
                NodeKind::Categorical { states, .. } => {
                    let values = states
                        .iter()
                        .map(|s| {
                            next += 1;
                            (s.value(), (next - 1) as u32)
                        })
                        .collect();
                    ids.values[slot] = Some(values);
                    ids.packed[slot] = true;
                }
                _ => {}
            }
        }
        ids.n_masks = next;
        ids
    }

    fn len(&self) -> usize {
        self.n_masks
    }

    /// The mask term of `slot == value`, if the slot has masks.
    fn term(&self, slot: usize, value: f64) -> Option<(u32, bool)> {
        let values = self.values.get(slot)?.as_ref()?;
        if self.boolean[slot] {
            let (_, id) = values[0];
            return match value {
                1.0 => Some((id, false)),
                0.0 => Some((id, true)),
                _ => None,
            };
        }
        values
            .iter()
            .find(|&&(v, _)| v == value)
            .map(|&(_, id)| (id, false))
    }

    /// The configurations of `index`'s parents as masks, grouped by their
    /// entries of `keys` (one per position), and each group's key; if there
    /// are at most [`MAX_CONFIGS`] and every parent has masks (marked used).
    fn configs(
        &mut self,
        index: &Index,
        discrete: &Discrete,
        keys: &[u64],
    ) -> Option<(Configs, Vec<u64>)> {
        let size = index.size();
        let parents = index.slots();
        if size > MAX_CONFIGS
            || parents
                .iter()
                .any(|&s| self.values.get(s).is_none_or(Option::is_none))
        {
            return None;
        }
        let k = parents.len();
        let mut terms = vec![None; size * k];
        let mut slots = vec![0.0; discrete.domains.len()];
        index.for_each(&discrete.domains, &mut slots, |position, slots| {
            for (i, &parent) in parents.iter().enumerate() {
                if let Some(term) = terms.get_mut(position * k + i) {
                    *term = self.term(parent, slots[parent]);
                }
            }
        });
        let terms: Option<Vec<(u32, bool)>> = terms.into_iter().collect();
        let terms = terms?;
        for &parent in &parents {
            self.used[parent] = true;
        }
        let mut distinct: Vec<u64> = Vec::new();
        let group = keys[..size]
            .iter()
            .map(|key| match distinct.iter().position(|d| d == key) {
                Some(g) => g as u32,
                None => {
                    distinct.push(*key);
                    (distinct.len() - 1) as u32
                }
            })
            .collect();
        let configs = Configs {
            terms,
            k,
            group,
            groups: distinct.len(),
            derived: None,
        };
        Some((configs, distinct))
    }

    /// The mask of `expr`, a boolean outcome's value or `given`: a node's
    /// mask, or a complete table over parents with masks.
    fn mask_of(&mut self, expr: &CExpr, discrete: &Discrete) -> Option<MaskOf> {
        match expr {
            CExpr::Slot(slot) if self.boolean.get(*slot).copied().unwrap_or(false) => {
                self.used[*slot] = true;
                Some(MaskOf::Mask(*slot as u32))
            }
            CExpr::Table(table) if table.complete => {
                let size = table.index.size();
                let keys: Vec<u64> = (table.values[..size].iter())
                    .map(|&v| u64::from(v != 0.0))
                    .collect();
                let (configs, keys) = self.configs(&table.index, discrete, &keys)?;
                let truth: Vec<bool> = keys.into_iter().map(|t| t == 1).collect();
                // Only the configurations of the rarer value are ANDed.
                let trues = configs.count(|g| truth[g]);
                let complement = 2 * trues > configs.len();
                let configs = configs.only(|g| truth[g] != complement);
                Some(MaskOf::Table {
                    configs,
                    complement,
                })
            }
            _ => None,
        }
    }

    /// `ops` with the masks that are read written: a categorical node
    /// marks its states' masks as it draws them, and a [`NodeOp::Pack`]
    /// follows a derived boolean node.
    fn with_packs(&self, ops: Vec<NodeOp>, op_slots: &[usize]) -> Vec<NodeOp> {
        let mut out = Vec::with_capacity(ops.len());
        for (mut op, &slot) in ops.into_iter().zip(op_slots) {
            let values = match &self.values[slot] {
                Some(values) if self.packed[slot] && self.used[slot] => values,
                _ => {
                    out.push(op);
                    continue;
                }
            };
            if let NodeOp::Categorical(node) = &mut op {
                node.write_masks(values.iter().map(|&(_, id)| id).collect());
                out.push(op);
                continue;
            }
            out.push(op);
            out.push(NodeOp::Pack {
                slot,
                values: values.clone(),
                boolean: self.boolean[slot],
            });
        }
        out
    }
}

/// A boolean outcome's value and `given` as masks, when both have them.
fn outcome_masks(
    value: &CExpr,
    given: Option<&CExpr>,
    discrete: &Discrete,
    masks: &mut MaskIds,
) -> Option<(MaskOf, Option<MaskOf>)> {
    let given = match given {
        Some(g) => Some(masks.mask_of(g, discrete)?),
        None => None,
    };
    Some((masks.mask_of(value, discrete)?, given))
}

/// A boolean node with a varying probability: a table when its parents are
/// discrete, the expression otherwise.
fn boolean_op(
    slot: usize,
    p: CExpr,
    discrete: &Discrete,
    masks: &mut MaskIds,
    alloc: &mut Slots,
) -> NodeOp {
    let Some((index, inlined)) = discrete.index_for(&[&p], 1) else {
        return NodeOp::Boolean {
            slot,
            p: Code::new(tabulate(p, discrete), alloc, None),
        };
    };
    let evaluated = match &inlined {
        Some(inlined) => &inlined[0],
        None => &p,
    };
    let mut thresholds = vec![NO_THRESHOLD; index.padded()];
    let mut slots = vec![0.0; discrete.domains.len()];
    index.for_each(&discrete.domains, &mut slots, |position, slots| {
        if let Ok(value) = evaluated.eval(slots).and_then(check_probability) {
            thresholds[position] = threshold(value);
        }
    });
    let complete = !thresholds[..index.size()].contains(&NO_THRESHOLD);
    if complete && let Some((configs, thresholds)) = masks.configs(&index, discrete, &thresholds) {
        return NodeOp::BooleanMask {
            slot,
            // The lanes past a partial batch never reach a draw (it reads
            // only the batch's lanes), so a derived group may have them.
            configs: configs.derive_largest(),
            thresholds,
        };
    }
    NodeOp::BooleanTable {
        slot,
        index,
        complete,
        thresholds,
        p,
    }
}

/// The possible values of every slot (nodes, then outcomes) when they are
/// few: booleans and states. Numbers have none.
fn slot_domains(model: &Model) -> Vec<Option<Vec<f64>>> {
    let boolean = || Some(vec![0.0, 1.0]);
    let nodes = model
        .nodes
        .iter()
        .enumerate()
        .map(|(id, node)| match &node.kind {
            NodeKind::Boolean { .. } => boolean(),
            NodeKind::Categorical { states, .. } => {
                Some(states.iter().map(|s| s.value()).collect())
            }
            NodeKind::Numeric { .. } => None,
            NodeKind::Derived { .. } => match model.node_type(id) {
                Type::Number => None,
                Type::Boolean => boolean(),
                // A derived state-valued node is not in the language; no table.
                Type::State => None,
            },
        });
    let outcomes = model.outcomes.iter().map(|o| match o.kind {
        OutcomeKind::Boolean { .. } => boolean(),
        OutcomeKind::Numeric { .. } => None,
    });
    nodes.chain(outcomes).collect()
}

/// Whether the ids of `states` are consecutive numbers (in any order).
fn consecutive(states: &[StateId]) -> bool {
    let values = states.iter().map(|s| s.value());
    let min = values.clone().fold(f64::INFINITY, f64::min);
    let max = values.fold(f64::NEG_INFINITY, f64::max);
    max - min + 1.0 == states.len() as f64
}

#[cfg(test)]
mod tests {
    use uchronia_model::Value;
    use uchronia_test_support::models::*;

    use crate::program::{NodeOp, Program};

    /// Which path each node and outcome takes: tables over parents with
    /// masks are masks (a categorical parent packed first), a `p` over a
    /// number is drawn per trial, and boolean outcomes over masks are
    /// popcounts.
    #[test]
    fn tables_over_masks_are_masks_and_the_rest_per_trial() {
        let mut b = Builder::new();
        let a = b.boolean("a", num(0.3));
        let u = b.uniform("u");
        let x = b.boolean("x", node(u));
        let y = b.derived("y", and(node(a), node(x)));
        let stormy = b.state("stormy");
        let w = b.categorical(
            "w",
            &["calm", "stormy"],
            vec![
                p_row(Some(node(a)), vec![Some(num(0.5)), None]),
                p_row(None, vec![Some(num(0.1)), None]),
            ],
        );
        let c = b.boolean(
            "c",
            iff(
                eq(node(w), state(stormy)),
                iff(node(x), num(0.9), num(0.6)),
                num(0.2),
            ),
        );
        b.event("c", node(c));
        b.event_given("c_given_x", node(c), or(node(x), node(a)));
        b.value("u", node(u), Some(node(c)));
        b.event("y", node(y));
        b.scenario("observe", vec![], vec![]);
        b.scenario("x_on", vec![(x, Value::Boolean(true))], vec![]);
        let model = b.build();
        let kinds = |program: &Program| -> Vec<&'static str> {
            program
                .nodes
                .iter()
                .map(|op| match op {
                    NodeOp::BooleanFixed { .. } => "fixed",
                    NodeOp::BooleanMask { .. } => "mask",
                    NodeOp::BooleanTable { .. } => "table",
                    NodeOp::Boolean { .. } => "per trial",
                    NodeOp::Categorical(_) => "categorical",
                    NodeOp::Numeric { .. } => "numeric",
                    NodeOp::Derived { .. } => "derived",
                    NodeOp::Pack { .. } => "pack",
                    NodeOp::Copy { .. } => "copy",
                })
                .collect()
        };
        let observe = Program::compile(&model, &model.scenarios[0], &[]);
        assert_eq!(
            kinds(&observe),
            [
                "fixed",
                "numeric",
                "per trial",
                "derived",
                "pack",
                "categorical",
                "mask"
            ]
        );
        let masked: Vec<bool> = observe.outcomes.iter().map(|o| o.masks.is_some()).collect();
        assert_eq!(masked, [true, true, false, true]);
        // With x intervened, c's table no longer reads it.
        let x_on = Program::compile(&model, &model.scenarios[1], &[]);
        assert_eq!(
            kinds(&x_on),
            ["fixed", "numeric", "derived", "pack", "categorical", "mask"]
        );
    }
}
