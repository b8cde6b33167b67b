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
use crate::table::{Discrete, slots_of, tabulate};

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
        }
    }
}

/// The masks that mask tables read: a boolean node's own (its id is its
/// slot), and one per value of a categorical or derived boolean node, which
/// is packed from its column after it runs, when something reads it.
struct MaskIds {
    /// Per node slot, `(value, mask id)` for each value, or `None`.
    values: Vec<Option<Vec<(f64, u32)>>>,
    /// Per node slot: a boolean, whose one mask is of its true lanes.
    boolean: Vec<bool>,
    /// Per node slot: its masks are packed from its column, when read.
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

    /// The configurations of `index`'s parents as masks, if there are at
    /// most [`MAX_CONFIGS`] and every parent has masks (marked used).
    fn configs(&mut self, index: &Index, discrete: &Discrete) -> Option<Configs> {
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
        Some(Configs { terms, k })
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
                let configs = self.configs(&table.index, discrete)?;
                let truth = table.values[..configs.len()]
                    .iter()
                    .map(|&v| v != 0.0)
                    .collect();
                Some(MaskOf::Table { configs, truth })
            }
            _ => None,
        }
    }

    /// `ops` with a [`NodeOp::Pack`] after each op whose slot's masks are
    /// packed and read.
    fn with_packs(&self, ops: Vec<NodeOp>, op_slots: &[usize]) -> Vec<NodeOp> {
        let mut out = Vec::with_capacity(ops.len());
        for (op, &slot) in ops.into_iter().zip(op_slots) {
            out.push(op);
            if self.packed[slot]
                && self.used[slot]
                && let Some(values) = &self.values[slot]
            {
                out.push(NodeOp::Pack {
                    slot,
                    values: values.clone(),
                    boolean: self.boolean[slot],
                });
            }
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
    let evaluated = if inlined {
        discrete.substitute(&p)
    } else {
        p.clone()
    };
    let mut thresholds = vec![NO_THRESHOLD; index.padded()];
    let mut slots = vec![0.0; discrete.domains.len()];
    index.for_each(&discrete.domains, &mut slots, |position, slots| {
        if let Ok(value) = evaluated.eval(slots).and_then(check_probability) {
            thresholds[position] = threshold(value);
        }
    });
    let complete = !thresholds[..index.size()].contains(&NO_THRESHOLD);
    if complete && let Some(configs) = masks.configs(&index, discrete) {
        thresholds.truncate(index.size());
        return NodeOp::BooleanMask {
            slot,
            configs,
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
    use uchronia_model::{DistKind, Value};
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
        let u = b.numeric(
            "u",
            DistKind::Uniform,
            vec![num(0.0), num(1.0)],
            None,
            None,
            false,
        );
        let x = b.boolean("x", node(u));
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
                "categorical",
                "pack",
                "mask"
            ]
        );
        let masked: Vec<bool> = observe.outcomes.iter().map(|o| o.masks.is_some()).collect();
        assert_eq!(masked, [true, true, false]);
        // With x intervened, c's table no longer reads it.
        let x_on = Program::compile(&model, &model.scenarios[1], &[]);
        assert_eq!(
            kinds(&x_on),
            ["fixed", "numeric", "categorical", "pack", "mask"]
        );
    }
}
