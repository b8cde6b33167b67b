//! Compiling a program: the model for one scenario and parameter draw,
//! with constants folded, expressions over discrete nodes tabulated and the
//! rest turned into column code (see `program.rs`).

use uchronia_distributions::{Dist, Sampler};
use uchronia_model::{DistExpr, Model, NodeKind, OutcomeKind, Scenario, StateId, Type};

use crate::categorical::{Categorical, Rows};
use crate::column::{Code, Slots};
use crate::expr::{CExpr, Env, compile};
use crate::probability::{NO_THRESHOLD, check_probability, threshold};
use crate::program::{DistOp, NodeOp, OutcomeOp, Program, is_stochastic};
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
        let mut discrete = Discrete::new(domains, ranks.clone());
        let mut known: Vec<Option<f64>> = vec![None; n_nodes];
        for &(node, value) in &scenario.interventions {
            if let Some(slot) = known.get_mut(node) {
                *slot = Some(value.as_f64());
            }
        }
        let mut ops = Vec::new();
        let mut word = 0;
        let mut max_states = 0;
        for (slot, node) in model.nodes.iter().enumerate() {
            // The temporaries of the node before are free again.
            alloc.release();
            let this_word = word;
            if is_stochastic(&node.kind) {
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
                            word: this_word,
                            threshold: threshold(p),
                        },
                        Some(Err(_)) => NodeOp::Boolean {
                            slot,
                            word: this_word,
                            p: Code::new(p, &mut alloc, None),
                        },
                        None => boolean_op(slot, this_word, p, &discrete, &mut alloc),
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
                OutcomeOp {
                    slot: n_nodes + outcome,
                    outcome,
                    given: given.as_ref().map(|g| {
                        Code::new(tabulate(compile(g, &env), &discrete), &mut alloc, None)
                    }),
                    numeric,
                    value: Code::new(tabulate(compile(value, &env), &discrete), &mut alloc, None),
                    read: false,
                }
            })
            .collect();

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
        }
    }
}

/// A boolean node with a varying probability: a table when its parents are
/// discrete, the expression otherwise.
fn boolean_op(
    slot: usize,
    word: usize,
    p: CExpr,
    discrete: &Discrete,
    alloc: &mut Slots,
) -> NodeOp {
    let Some((index, inlined)) = discrete.index_for(&[&p], 1) else {
        return NodeOp::Boolean {
            slot,
            word,
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
    NodeOp::BooleanTable {
        slot,
        word,
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
