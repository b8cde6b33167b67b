//! The flat program of one (scenario, parameter draw): the model with every
//! parameter a constant, intervened nodes and parameter-only expressions
//! folded, and the trial loop reduced to arithmetic over `f64` slots.
//!
//! Slot `i < nodes.len()` holds node `i`; outcomes follow. Each stochastic
//! node reads its own word of the trial's random words (index fixed by node
//! order over *all* stochastic nodes, intervened or not), so scenarios share
//! common random numbers and no node's randomness shifts when another is
//! skipped.

use rand::SeedableRng;
use rand_xoshiro::SplitMix64;
use uchronia_distributions::{Dist, DistKind, MAX_ARGS, open01};
use uchronia_model::{DistExpr, Model, NodeKind, OutcomeKind, Probs, Scenario, Type};

use crate::column::{Code, Slots, round};
use crate::expr::{CExpr, Env, compile};
use crate::fault::{Fault, FaultKind, Place, TOLERANCE};
use crate::sketch::Sketch;
use crate::table::{Discrete, Index, slots_of, tabulate, to_index};
use crate::tally::Moments;

/// One node's work in a trial.
#[derive(Debug)]
enum NodeOp {
    /// A boolean node with a constant probability: one integer comparison
    /// (see [`threshold`]).
    BooleanFixed {
        slot: usize,
        word: usize,
        threshold: u64,
    },
    /// A boolean node whose probability is a table over discrete parents,
    /// stored as thresholds; [`NO_THRESHOLD`] falls back to `p`.
    BooleanTable {
        slot: usize,
        word: usize,
        index: Index,
        thresholds: Vec<u64>,
        /// Whether every entry has a threshold (no fallback to `p`).
        complete: bool,
        p: CExpr,
    },
    /// A boolean node whose probability depends on the trial.
    Boolean { slot: usize, word: usize, p: Code },
    /// A categorical node, with a table of its resolved rows when its
    /// parents are discrete.
    Categorical {
        slot: usize,
        word: usize,
        /// Where the index of the drawn state goes too (see `Discrete`).
        rank: Option<usize>,
        table: Option<Box<CatTable>>,
        rows: Vec<CatRow>,
        /// Column code of the rows when there is no table.
        codes: Option<Vec<RowCode>>,
        states: Vec<f64>,
    },
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
}

/// The column code of a categorical row: its `when` and its entries (none
/// for fixed probabilities).
#[derive(Debug)]
struct RowCode {
    when: Option<Code>,
    entries: Vec<Option<Code>>,
}

/// A categorical node's rows resolved for every combination of its
/// parents: cumulative sums (`n` per position), their total (NaN: fall
/// back to the rows), and the state taken when rounding leaves the uniform
/// above the last sum.
#[derive(Debug)]
struct CatTable {
    index: Index,
    n: usize,
    cumulative: Vec<f64>,
    totals: Vec<f64>,
    fallbacks: Vec<usize>,
    /// The cumulative sums as thresholds on a word's top bits (`n` per
    /// position): the uniform times the total is below sum `j` exactly when
    /// `word >> 11 < limits[j]` (see [`threshold_where`]).
    limits: Vec<u64>,
    /// Whether every position has its sums (no total is NaN).
    complete: bool,
}

/// A table row of a categorical node.
#[derive(Debug)]
struct CatRow {
    /// `None`: the row is taken whenever it is reached.
    when: Option<CExpr>,
    probs: CatProbs,
}

/// A row's probabilities.
#[derive(Debug)]
enum CatProbs {
    /// Constant and valid: the probabilities (or weights) and their total.
    Fixed { probs: Vec<f64>, total: f64 },
    /// `p.STATE`, `None` taking the remainder.
    P(Vec<Option<CExpr>>),
    /// `weights.STATE`.
    Weights(Vec<CExpr>),
}

/// A numeric node's distribution.
#[derive(Debug)]
enum DistOp {
    /// Constant arguments, validated once.
    Fixed(Dist),
    /// Arguments computed per trial.
    Args {
        kind: uchronia_distributions::DistKind,
        args: Vec<Code>,
    },
    /// `ci90` computed per trial.
    Ci90 {
        kind: uchronia_distributions::DistKind,
        lo: Code,
        hi: Code,
    },
}

/// One outcome's work in a trial.
#[derive(Debug)]
struct OutcomeOp {
    slot: usize,
    outcome: usize,
    given: Option<Code>,
    numeric: bool,
    value: Code,
    /// Whether another outcome reads this one's slot (else the slot need
    /// not be written).
    read: bool,
}

/// What one outcome accumulates over the trials of a work unit.
#[derive(Clone, Debug)]
pub(crate) enum OutcomeAcc {
    /// Trials where `given` held, and hits among them.
    Boolean { given: u64, hits: u64 },
    /// Moments and the sketch of the values where `given` held.
    Numeric { moments: Moments, sketch: Sketch },
}

impl OutcomeAcc {
    /// Empty accumulators, one per outcome of `model`.
    pub(crate) fn for_model(model: &Model) -> Vec<OutcomeAcc> {
        model
            .outcomes
            .iter()
            .map(|outcome| match outcome.kind {
                OutcomeKind::Boolean { .. } => OutcomeAcc::Boolean { given: 0, hits: 0 },
                OutcomeKind::Numeric { .. } => OutcomeAcc::Numeric {
                    moments: Moments::default(),
                    sketch: Sketch::new(),
                },
            })
            .collect()
    }
}

/// The compiled model for one scenario and parameter draw.
#[derive(Debug)]
pub(crate) struct Program {
    nodes: Vec<NodeOp>,
    outcomes: Vec<OutcomeOp>,
    /// The slots at the start of every trial: constants filled in.
    pub(crate) initial_slots: Vec<f64>,
    /// The largest number of states of a categorical node (scratch size).
    pub(crate) max_states: usize,
}

/// Trials evaluated together, node by node: the dispatch on each node is
/// paid once per batch, and the inner loops over trials vectorise.
pub(crate) const BATCH: usize = 64;

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
}

impl Scratch {
    /// Room for rows of `max_states` states.
    pub(crate) fn new(max_states: usize) -> Scratch {
        Scratch {
            probs: Vec::with_capacity(max_states),
            positions: [0.0; BATCH],
            values: [0.0; BATCH],
            limits: [0; BATCH],
        }
    }
}

/// Whether a node takes a random word each trial.
pub(crate) fn is_stochastic(kind: &NodeKind) -> bool {
    !matches!(kind, NodeKind::Derived { .. })
}

/// Validates a probability: within [0, 1], or within the tolerance of it
/// (then clamped).
#[inline]
fn check_probability(p: f64) -> Result<f64, Fault> {
    if (0.0..=1.0).contains(&p) {
        return Ok(p);
    }
    if (-TOLERANCE..=1.0 + TOLERANCE).contains(&p) {
        return Ok(p.clamp(0.0, 1.0));
    }
    Err(Fault::new(FaultKind::Probability(p)))
}

/// Validates `p.STATE` values in place; the `missing` state takes the
/// remainder. Values are not normalised.
fn resolve_p(values: &mut [f64], missing: Option<usize>) -> Result<(), FaultKind> {
    let mut sum = 0.0;
    for (state, value) in values.iter_mut().enumerate() {
        if Some(state) == missing {
            continue;
        }
        let p = *value;
        if !(-TOLERANCE..=1.0 + TOLERANCE).contains(&p) {
            return Err(FaultKind::StateProbability { state, value: p });
        }
        *value = p.clamp(0.0, 1.0);
        sum += *value;
    }
    match missing {
        None if (sum - 1.0).abs() > TOLERANCE => Err(FaultKind::ProbabilitySum(sum)),
        None => Ok(()),
        Some(state) => {
            let remainder = 1.0 - sum;
            if remainder < -TOLERANCE {
                return Err(FaultKind::Remainder { state, remainder });
            }
            values[state] = remainder.max(0.0);
            Ok(())
        }
    }
}

/// Validates weights in place (tiny negatives become zero) and returns their sum.
fn resolve_weights(values: &mut [f64]) -> Result<f64, FaultKind> {
    let mut sum = 0.0;
    for (state, value) in values.iter_mut().enumerate() {
        let w = *value;
        if !w.is_finite() || w < -TOLERANCE {
            return Err(FaultKind::Weight { state, value: w });
        }
        *value = w.max(0.0);
        sum += *value;
    }
    if sum > 0.0 {
        Ok(sum)
    } else {
        Err(FaultKind::ZeroWeightSum)
    }
}

/// The state whose cumulative interval holds `x` (in [0, total)); when
/// rounding leaves `x` above every sum, the last state with positive mass.
#[inline]
fn pick(x: f64, probabilities: &[f64]) -> usize {
    let mut cumulative = 0.0;
    for (state, p) in probabilities.iter().enumerate() {
        cumulative += p;
        if x < cumulative {
            return state;
        }
    }
    fallback_state(probabilities)
}

/// The state taken when rounding leaves the uniform above every cumulative
/// sum: the last with positive mass.
fn fallback_state(probabilities: &[f64]) -> usize {
    probabilities.iter().rposition(|&p| p > 0.0).unwrap_or(0)
}

/// Compiles a row's probabilities, precomputing them when they are constant
/// and valid (an invalid constant row stays dynamic and fails when selected).
fn compile_probs(probs: &Probs, env: &Env) -> CatProbs {
    match probs {
        Probs::P(entries) => {
            let compiled: Vec<Option<CExpr>> = entries
                .iter()
                .map(|e| e.as_ref().map(|e| compile(e, env)))
                .collect();
            let missing = compiled.iter().position(Option::is_none);
            let constants: Option<Vec<f64>> = compiled
                .iter()
                .map(|e| match e {
                    None => Some(0.0),
                    Some(e) => e.as_const(),
                })
                .collect();
            if let Some(mut values) = constants
                && resolve_p(&mut values, missing).is_ok()
            {
                return CatProbs::Fixed {
                    probs: values,
                    total: 1.0,
                };
            }
            CatProbs::P(compiled)
        }
        Probs::Weights(entries) => {
            let compiled: Vec<CExpr> = entries.iter().map(|e| compile(e, env)).collect();
            let constants: Option<Vec<f64>> = compiled.iter().map(CExpr::as_const).collect();
            if let Some(mut values) = constants
                && let Ok(total) = resolve_weights(&mut values)
            {
                return CatProbs::Fixed {
                    probs: values,
                    total,
                };
            }
            CatProbs::Weights(compiled)
        }
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
fn consecutive(states: &[uchronia_model::StateId]) -> bool {
    let values = states.iter().map(|s| s.value());
    let min = values.clone().fold(f64::INFINITY, f64::min);
    let max = values.fold(f64::NEG_INFINITY, f64::max);
    max - min + 1.0 == states.len() as f64
}

/// The expressions of categorical rows, in order.
fn row_exprs(rows: &[CatRow]) -> Vec<&CExpr> {
    let mut exprs: Vec<&CExpr> = Vec::new();
    for row in rows {
        exprs.extend(row.when.as_ref());
        match &row.probs {
            CatProbs::Fixed { .. } => {}
            CatProbs::P(entries) => exprs.extend(entries.iter().flatten()),
            CatProbs::Weights(entries) => exprs.extend(entries.iter()),
        }
    }
    exprs
}

/// Categorical rows with numeric derived parents inlined (for building tables).
fn substitute_rows(rows: &[CatRow], discrete: &Discrete) -> Vec<CatRow> {
    let sub = |e: &CExpr| discrete.substitute(e);
    rows.iter()
        .map(|row| CatRow {
            when: row.when.as_ref().map(sub),
            probs: match &row.probs {
                CatProbs::Fixed { probs, total } => CatProbs::Fixed {
                    probs: probs.clone(),
                    total: *total,
                },
                CatProbs::P(entries) => {
                    CatProbs::P(entries.iter().map(|e| e.as_ref().map(sub)).collect())
                }
                CatProbs::Weights(entries) => CatProbs::Weights(entries.iter().map(sub).collect()),
            },
        })
        .collect()
}

/// A row with each of its expressions tabulated where it can be.
fn tabulate_row(row: CatRow, discrete: &Discrete) -> CatRow {
    let tab = |e: CExpr| tabulate(e, discrete);
    CatRow {
        when: row.when.map(tab),
        probs: match row.probs {
            fixed @ CatProbs::Fixed { .. } => fixed,
            CatProbs::P(entries) => CatProbs::P(entries.into_iter().map(|e| e.map(tab)).collect()),
            CatProbs::Weights(entries) => CatProbs::Weights(entries.into_iter().map(tab).collect()),
        },
    }
}

/// The column code of rows evaluated per trial.
fn row_codes(rows: &[CatRow], alloc: &mut Slots) -> Vec<RowCode> {
    let mut code = |e: &CExpr| Code::new(e.clone(), alloc, None);
    rows.iter()
        .map(|row| RowCode {
            when: row.when.as_ref().map(&mut code),
            entries: match &row.probs {
                CatProbs::Fixed { .. } => Vec::new(),
                CatProbs::P(entries) => entries.iter().map(|e| e.as_ref().map(&mut code)).collect(),
                CatProbs::Weights(entries) => entries.iter().map(|e| Some(code(e))).collect(),
            },
        })
        .collect()
}

/// Tabulates a categorical node's rows over its discrete parents.
fn categorical_table(rows: &[CatRow], n: usize, discrete: &Discrete) -> Option<Box<CatTable>> {
    let (index, inlined) = discrete.index_for(&row_exprs(rows), n)?;
    let substituted;
    let rows = if inlined {
        substituted = substitute_rows(rows, discrete);
        &substituted[..]
    } else {
        rows
    };
    let size = index.size();
    let mut table = CatTable {
        n,
        cumulative: vec![f64::NAN; size * n],
        totals: vec![f64::NAN; size],
        fallbacks: vec![0; size],
        limits: vec![0; size * n],
        complete: false,
        index,
    };
    let mut slots = vec![0.0; discrete.domains.len()];
    let mut probs = Vec::with_capacity(n);
    table
        .index
        .clone()
        .for_each(&discrete.domains, &mut slots, |position, slots| {
            let Ok(total) = resolve_row(rows, slots, 1, 0, &mut probs) else {
                return;
            };
            let mut sum = 0.0;
            for (cumulative, p) in table.cumulative[position * n..].iter_mut().zip(&probs) {
                sum += p;
                *cumulative = sum;
            }
            table.totals[position] = total;
            table.fallbacks[position] = fallback_state(&probs);
            let sums = &table.cumulative[position * n..][..n];
            for (limit, &sum) in table.limits[position * n..].iter_mut().zip(sums) {
                *limit = threshold_where(sum / total, |k| open01(k << 11) * total < sum);
            }
        });
    table.complete = table.totals.iter().all(|t| !t.is_nan());
    if table.complete {
        // Only the thresholds are read then.
        table.cumulative = Vec::new();
        table.totals = Vec::new();
    }
    Some(Box::new(table))
}

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
                    let mut rows = Vec::new();
                    for row in table {
                        let when = row.when.as_ref().map(|w| compile(w, &env));
                        match when.as_ref().and_then(CExpr::as_const) {
                            Some(0.0) => continue,
                            Some(_) => {
                                rows.push(CatRow {
                                    when: None,
                                    probs: compile_probs(&row.probs, &env),
                                });
                                break;
                            }
                            None => rows.push(CatRow {
                                when,
                                probs: compile_probs(&row.probs, &env),
                            }),
                        }
                    }
                    let table = categorical_table(&rows, states.len(), &discrete);
                    let mut codes = None;
                    if table.is_none() {
                        // Rows evaluated per trial: their discrete parts
                        // (the `when`s, typically) still become lookups.
                        rows = rows
                            .into_iter()
                            .map(|row| tabulate_row(row, &discrete))
                            .collect();
                        codes = Some(row_codes(&rows, &mut alloc));
                    }
                    NodeOp::Categorical {
                        slot,
                        word: this_word,
                        rank: ranks[slot],
                        table,
                        rows,
                        codes,
                        states: states.iter().map(|s| s.value()).collect(),
                    }
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
                                Some(d) => DistOp::Fixed(d),
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
                                Some(d) => DistOp::Fixed(d),
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

    /// The slots of a batch of `stride` trials, slot-major, with the
    /// constants filled in.
    pub(crate) fn initial_batch(&self, stride: usize) -> Vec<f64> {
        self.initial_slots
            .iter()
            .flat_map(|&value| std::iter::repeat_n(value, stride))
            .collect()
    }

    /// Runs trials `0..n` of a batch laid out slot-major with `stride` (see
    /// [`run_node`]): every node in order, then every outcome, adding to
    /// `accs`. A fault stops the batch; its trial is not necessarily the
    /// first that fails (find that with `n = stride = 1`, trial by trial).
    #[inline]
    pub(crate) fn run_batch(
        &self,
        words: &[u64],
        slots: &mut [f64],
        stride: usize,
        n: usize,
        scratch: &mut Scratch,
        accs: &mut [OutcomeAcc],
    ) -> Result<(), (Place, Fault)> {
        debug_assert!(n <= stride && n <= BATCH);
        for op in &self.nodes {
            run_node(op, words, slots, stride, n, scratch)?;
        }
        for op in &self.outcomes {
            run_outcome(op, slots, stride, n, accs, scratch)
                .map_err(|f| (Place::Outcome(op.outcome), f))?;
        }
        Ok(())
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

/// A table entry that sends the trial to the expression.
const NO_THRESHOLD: u64 = u64::MAX;

/// The number of 53-bit integers `k` (a word's top bits, `word >> 11`)
/// whose uniform `open01` is below `p`, so that `open01(word) < p` exactly
/// when `word >> 11 < threshold(p)`: a boolean node compares integers and
/// gives the same bits as comparing uniforms. `open01` is non-decreasing in
/// `k`, so those `k` are a prefix: the estimate `p * 2^53` is moved to its
/// exact end by checking `open01` itself (which rounds above 2^52, so no
/// closed form is trusted; the steps are at most a couple).
fn threshold(p: f64) -> u64 {
    threshold_where(p, |k| open01(k << 11) < p)
}

/// The number of 53-bit integers `k` for which `below(k)` holds, when those
/// are a prefix (`below` is true up to some `k`, then false) that ends near
/// `estimate * 2^53`: the estimate is moved to the exact end.
fn threshold_where(estimate: f64, below: impl Fn(u64) -> bool) -> u64 {
    const END: u64 = 1 << 53;
    // `as` saturates: NaN gives 0, which the steps below correct.
    let mut k = ((estimate * END as f64) as u64).min(END);
    while k > 0 && !below(k - 1) {
        k -= 1;
    }
    while k < END && below(k) {
        k += 1;
    }
    k
}

/// 1.0 or 0.0: a boolean as a slot value.
#[inline]
fn bit(b: bool) -> f64 {
    f64::from(u8::from(b))
}

/// 1.0 when the word's top 53 bits are below `limit` (a [`threshold`], or
/// [`NO_THRESHOLD`], which gives 0.0), else 0.0. Computed by a subtraction's
/// sign, not a comparison: the outcome is a coin flip, and the compiler
/// would otherwise branch on it, mispredicting half the time.
#[inline]
fn draw_bit(word: u64, limit: u64) -> f64 {
    let below = (word >> 11).wrapping_sub(limit) >> 63;
    // 2^62 - 2^52 is the bit pattern of 1.0: shifts and a subtraction,
    // which vectorise where a 64-bit multiplication does not.
    f64::from_bits((below << 62) - (below << 52))
}

/// Runs one node for trials `0..n` of a batch laid out slot-major (slot `i`
/// of trial `t` at `slots[i * stride + t]`, word `w` at `words[w * stride + t]`).
#[inline]
fn run_node(
    op: &NodeOp,
    words: &[u64],
    slots: &mut [f64],
    stride: usize,
    n: usize,
    scratch: &mut Scratch,
) -> Result<(), (Place, Fault)> {
    match op {
        NodeOp::BooleanFixed {
            slot,
            word,
            threshold,
        } => {
            let words = &words[word * stride..][..n];
            let out = &mut slots[slot * stride..][..n];
            for (out, &w) in out.iter_mut().zip(words) {
                *out = draw_bit(w, *threshold);
            }
        }
        NodeOp::BooleanTable {
            slot,
            word,
            index,
            thresholds,
            complete,
            p,
        } => {
            // Two passes: the thresholds (a lookup per trial), then the
            // draws (integer arithmetic that vectorises).
            let limits = &mut scratch.limits[..n];
            index.lookups(
                thresholds,
                NO_THRESHOLD,
                slots,
                stride,
                limits,
                &mut scratch.positions,
            );
            let words = &words[word * stride..][..n];
            let out = &mut slots[slot * stride..][..n];
            for ((out, &w), &limit) in out.iter_mut().zip(words).zip(limits.iter()) {
                *out = draw_bit(w, limit);
            }
            // Entries without a threshold are redone with the expression.
            if !*complete && limits.contains(&NO_THRESHOLD) {
                for (t, &limit) in limits.iter().enumerate() {
                    if limit != NO_THRESHOLD {
                        continue;
                    }
                    let limit = p
                        .eval_at(slots, stride, t)
                        .and_then(check_probability)
                        .map(threshold)
                        .map_err(|f| (Place::Node(*slot), f))?;
                    slots[slot * stride + t] = draw_bit(words[t], limit);
                }
            }
        }
        NodeOp::Boolean { slot, word, p } => {
            let sure = p.run(slots, stride, n, scratch);
            for t in 0..n {
                let value = if sure {
                    slots[p.result * stride + t]
                } else {
                    p.expr
                        .eval_at(slots, stride, t)
                        .map_err(|f| (Place::Node(*slot), f))?
                };
                let p = check_probability(value).map_err(|f| (Place::Node(*slot), f))?;
                slots[slot * stride + t] = bit(open01(words[word * stride + t]) < p);
            }
        }
        NodeOp::Categorical {
            slot,
            word,
            rank,
            table,
            rows,
            codes,
            states,
        } => {
            // Rows without a table: their code over the batch, if sure.
            let mut sure = false;
            if let Some(codes) = codes {
                sure = true;
                for row in codes {
                    for code in row.when.iter().chain(row.entries.iter().flatten()) {
                        sure &= code.run(slots, stride, n, scratch);
                    }
                }
            }
            let Scratch {
                probs, positions, ..
            } = scratch;
            let positions = &mut positions[..n];
            if let Some(table) = table {
                table.index.positions(slots, stride, positions);
            }
            if let Some(table) = table
                && table.complete
            {
                // Every position tabled: integer comparisons of the word
                // with the sums' thresholds, as many as the sums below it.
                let words = &words[word * stride..][..n];
                for (t, (&position, &w)) in positions.iter().zip(words).enumerate() {
                    let position = to_index(position);
                    let k = w >> 11;
                    let Some(limits) = table
                        .limits
                        .get(position * table.n..)
                        .and_then(|limits| limits.get(..table.n))
                    else {
                        // Never: positions are inside the table by construction.
                        slots[slot * stride + t] = f64::NAN;
                        continue;
                    };
                    let below: usize = limits.iter().map(|&l| usize::from(k >= l)).sum();
                    let state = if below < table.n {
                        below
                    } else {
                        table.fallbacks[position]
                    };
                    slots[slot * stride + t] = states.get(state).copied().unwrap_or(f64::NAN);
                    if let Some(rank) = rank {
                        slots[rank * stride + t] = state as f64;
                    }
                }
                return Ok(());
            }
            for (t, &position) in positions.iter().enumerate() {
                let position = to_index(position);
                let u = open01(words[word * stride + t]);
                let tabled = table.as_ref().and_then(|table| {
                    let total = *table.totals.get(position)?;
                    if total.is_nan() {
                        return None;
                    }
                    let x = u * total;
                    let cumulative = &table.cumulative[position * table.n..][..table.n];
                    // The first state whose cumulative sum exceeds x is the
                    // number of sums at or below it (they never decrease):
                    // counted without a branch per state.
                    let below: usize = cumulative.iter().map(|&c| usize::from(c <= x)).sum();
                    Some(if below < table.n {
                        below
                    } else {
                        table.fallbacks[position]
                    })
                });
                let state = match tabled {
                    Some(state) => state,
                    None => {
                        let total = match codes {
                            Some(codes) if sure => {
                                let column = |code: &Code| Ok(slots[code.result * stride + t]);
                                resolve_row_by(
                                    rows,
                                    probs,
                                    |i| codes[i].when.as_ref().map_or(Ok(1.0), column),
                                    |i, j| codes[i].entries[j].as_ref().map_or(Ok(0.0), column),
                                )
                            }
                            _ => resolve_row(rows, slots, stride, t, probs),
                        }
                        .map_err(|f| (Place::Node(*slot), f))?;
                        pick(u * total, probs)
                    }
                };
                slots[slot * stride + t] = states.get(state).copied().unwrap_or(f64::NAN);
                if let Some(rank) = rank {
                    slots[rank * stride + t] = state as f64;
                }
            }
        }
        NodeOp::Numeric {
            slot,
            word,
            dist,
            lower,
            upper,
            round,
        } => {
            let mut sure = true;
            let codes: &[Code] = match dist {
                DistOp::Fixed(_) => &[],
                DistOp::Args { args, .. } => args,
                DistOp::Ci90 { lo, hi, .. } => {
                    sure &= lo.run(slots, stride, n, scratch);
                    std::slice::from_ref(hi)
                }
            };
            for code in codes.iter().chain(lower).chain(upper) {
                sure &= code.run(slots, stride, n, scratch);
            }
            for t in 0..n {
                let word = words[word * stride + t];
                let x = if sure {
                    numeric(dist, lower, upper, *round, word, |code| {
                        Ok(slots[code.result * stride + t])
                    })
                } else {
                    numeric(dist, lower, upper, *round, word, |code| {
                        code.expr.value_at(slots, stride, t)
                    })
                }
                .map_err(|f| (Place::Node(*slot), f))?;
                slots[slot * stride + t] = x;
            }
        }
        NodeOp::Derived { slot, value } => {
            if !value.run(slots, stride, n, scratch) {
                for t in 0..n {
                    slots[slot * stride + t] = value
                        .expr
                        .eval_at(slots, stride, t)
                        .map_err(|f| (Place::Node(*slot), f))?;
                }
            }
        }
    }
    Ok(())
}

/// Selects a row (evaluating `when`s only up to it) and writes its validated
/// probabilities (or weights) into `probs`; returns their total (1 for `p`).
fn resolve_row(
    rows: &[CatRow],
    slots: &[f64],
    stride: usize,
    t: usize,
    probs: &mut Vec<f64>,
) -> Result<f64, Fault> {
    let entry = |i: usize, j: usize| {
        let row: &CatRow = &rows[i];
        let e = match &row.probs {
            CatProbs::P(entries) => entries[j].as_ref(),
            CatProbs::Weights(entries) => entries.get(j),
            CatProbs::Fixed { .. } => None,
        };
        e.map_or(Ok(0.0), |e| e.eval_at(slots, stride, t))
    };
    resolve_row_by(
        rows,
        probs,
        |i| {
            rows[i]
                .when
                .as_ref()
                .map_or(Ok(1.0), |w| w.eval_at(slots, stride, t))
        },
        entry,
    )
}

/// [`resolve_row`] with the values of row `i`'s `when` (1 when it has
/// none) and of its entry `j` given by `when` and `entry`.
fn resolve_row_by(
    rows: &[CatRow],
    probs: &mut Vec<f64>,
    when: impl Fn(usize) -> Result<f64, Fault>,
    entry: impl Fn(usize, usize) -> Result<f64, Fault>,
) -> Result<f64, Fault> {
    let mut chosen = rows.len().checked_sub(1);
    for (i, row) in rows.iter().enumerate() {
        let taken = row.when.is_none() || when(i)? != 0.0;
        if taken {
            chosen = Some(i);
            break;
        }
    }
    probs.clear();
    let Some(i) = chosen else {
        return Err(Fault::new(FaultKind::ZeroWeightSum));
    };
    match &rows[i].probs {
        CatProbs::Fixed {
            probs: fixed,
            total,
        } => {
            probs.extend_from_slice(fixed);
            Ok(*total)
        }
        CatProbs::P(entries) => {
            for j in 0..entries.len() {
                probs.push(entry(i, j)?);
            }
            let missing = entries.iter().position(Option::is_none);
            resolve_p(probs, missing).map_err(Fault::new)?;
            Ok(1.0)
        }
        CatProbs::Weights(entries) => {
            for j in 0..entries.len() {
                probs.push(entry(i, j)?);
            }
            resolve_weights(probs).map_err(Fault::new)
        }
    }
}

/// Checks a distribution argument: it must be finite.
#[inline]
fn argument(
    value: f64,
    kind: uchronia_distributions::DistKind,
    index: usize,
    ci90: bool,
) -> Result<f64, Fault> {
    if value.is_finite() {
        Ok(value)
    } else {
        Err(Fault::new(FaultKind::DistArgumentNotFinite {
            kind,
            index,
            ci90,
            value,
        }))
    }
}

/// The distribution of per-trial arguments, by the one validated
/// constructor; a broken rule is a fault.
#[inline]
fn dist_of(kind: DistKind, args: &[f64]) -> Result<Dist, Fault> {
    Dist::new(kind, args).map_err(|e| Fault::new(FaultKind::DistDomain(e.message)))
}

/// Evaluates a numeric bound: it must be finite.
#[inline]
fn bound(
    e: &Option<Code>,
    value: &impl Fn(&Code) -> Result<f64, Fault>,
    upper: bool,
) -> Result<Option<f64>, Fault> {
    let Some(e) = e else {
        return Ok(None);
    };
    let value = value(e)?;
    if value.is_finite() {
        Ok(Some(value))
    } else {
        Err(Fault::new(FaultKind::BoundNotFinite { upper, value }))
    }
}

/// Draws a numeric node: the distribution from its own generator seeded by
/// the node's word, then the clamps, then rounding. `value` gives the value
/// of an argument's or bound's code in this trial.
#[inline]
fn numeric(
    dist: &DistOp,
    lower: &Option<Code>,
    upper: &Option<Code>,
    round_it: bool,
    word: u64,
    value: impl Fn(&Code) -> Result<f64, Fault>,
) -> Result<f64, Fault> {
    let dist = match dist {
        DistOp::Fixed(d) => *d,
        DistOp::Args { kind, args } => {
            let mut values = [0.0; MAX_ARGS];
            let n = args.len().min(values.len());
            for (index, arg) in args.iter().take(n).enumerate() {
                values[index] = argument(value(arg)?, *kind, index, false)?;
            }
            dist_of(*kind, &values[..n])?
        }
        DistOp::Ci90 { kind, lo, hi } => {
            let lo = argument(value(lo)?, *kind, 0, true)?;
            let hi = argument(value(hi)?, *kind, 1, true)?;
            Dist::from_ci90(*kind, lo, hi)
                .map_err(|e| Fault::new(FaultKind::DistDomain(e.message)))?
        }
    };
    let mut rng = SplitMix64::seed_from_u64(word);
    let mut x = dist.sample(&mut rng);
    let lower = bound(lower, &value, false)?;
    let upper = bound(upper, &value, true)?;
    if let (Some(lo), Some(hi)) = (lower, upper)
        && lo > hi
    {
        return Err(Fault::new(FaultKind::BoundsCrossed {
            lower: lo,
            upper: hi,
        }));
    }
    if let Some(lo) = lower
        && x < lo
    {
        x = lo;
    }
    if let Some(hi) = upper
        && x > hi
    {
        x = hi;
    }
    if round_it {
        x = round(x);
    }
    Ok(x)
}

/// Evaluates one outcome for trials `0..n` of a batch and tallies it.
#[inline]
fn run_outcome(
    op: &OutcomeOp,
    slots: &mut [f64],
    stride: usize,
    n: usize,
    accs: &mut [OutcomeAcc],
    scratch: &mut Scratch,
) -> Result<(), Fault> {
    let acc = &mut accs[op.outcome];
    if op.given.is_none()
        && let OutcomeAcc::Boolean { given, hits } = acc
        && let CExpr::Slot(source) = op.value.expr
    {
        // A boolean outcome that is a node: count (and copy its column if
        // another outcome reads it).
        if op.read {
            slots.copy_within(source * stride..source * stride + n, op.slot * stride);
        }
        let out = &slots[source * stride..][..n];
        *hits += out
            .iter()
            .map(|&value| u64::from(value != 0.0))
            .sum::<u64>();
        *given += n as u64;
        return Ok(());
    }
    if op.given.is_none()
        && let OutcomeAcc::Boolean { given, hits } = acc
        && let CExpr::Table(table) = &op.value.expr
    {
        // The common case, a boolean outcome over discrete nodes: a batch of
        // table lookups. A NaN entry falls back to the expression.
        let values = &mut scratch.values[..n];
        table.index.lookups(
            &table.values,
            f64::NAN,
            slots,
            stride,
            values,
            &mut scratch.positions,
        );
        if table.complete && !op.read {
            *hits += values
                .iter()
                .map(|&value| u64::from(value != 0.0))
                .sum::<u64>();
            *given += n as u64;
            return Ok(());
        }
        slots[op.slot * stride..][..n].copy_from_slice(values);
        if !table.complete {
            for (t, value) in values.iter().enumerate() {
                if value.is_nan() {
                    slots[op.slot * stride + t] = table.fallback.value_at(slots, stride, t)?;
                }
            }
        }
        let out = &slots[op.slot * stride..][..n];
        *hits += out
            .iter()
            .map(|&value| u64::from(value != 0.0))
            .sum::<u64>();
        *given += n as u64;
        return Ok(());
    }
    // The values of a numeric outcome where `given` holds, for their moments.
    let mut counted = 0;
    // The code of `given` and the value over the batch; if unsure, the
    // expressions trial by trial.
    let sure = op
        .given
        .as_ref()
        .is_none_or(|g| g.run(slots, stride, n, scratch))
        && op.value.run(slots, stride, n, scratch);
    let values = &mut scratch.values;
    let value_of = |code: &Code, slots: &[f64], t: usize| {
        if sure {
            Ok(slots[code.result * stride + t])
        } else {
            code.expr.value_at(slots, stride, t)
        }
    };
    for t in 0..n {
        let at = op.slot * stride + t;
        if let Some(given) = &op.given
            && value_of(given, slots, t)? == 0.0
        {
            // Where `given` fails the outcome is not evaluated; later
            // outcomes that name it see false (boolean) or NaN (numeric).
            slots[at] = if op.numeric { f64::NAN } else { 0.0 };
            continue;
        }
        let value = value_of(&op.value, slots, t)?;
        match acc {
            OutcomeAcc::Boolean { given, hits } => {
                *given += 1;
                *hits += u64::from(value != 0.0);
            }
            OutcomeAcc::Numeric { sketch, .. } => {
                if !value.is_finite() {
                    return Err(Fault::new(FaultKind::OutcomeValue(value)));
                }
                values[counted] = value;
                counted += 1;
                sketch.push(value);
            }
        }
        slots[at] = value;
    }
    if let OutcomeAcc::Numeric { moments, .. } = acc {
        // Two passes over the batch, then one merge: no division per value.
        moments.merge(&Moments::of(&values[..counted]));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::Rng;

    #[test]
    fn probabilities_clamp_within_tolerance_only() {
        assert_eq!(check_probability(1.0 + 1e-10).ok(), Some(1.0));
        assert_eq!(check_probability(-1e-10).ok(), Some(0.0));
        assert!(check_probability(1.0 + 1e-8).is_err());
        assert!(check_probability(f64::NAN).is_err());
        assert!(check_probability(f64::INFINITY).is_err());
    }

    #[test]
    fn p_rows_and_remainders() {
        let mut v = [0.2, 0.0, 0.3];
        assert_eq!(resolve_p(&mut v, Some(1)), Ok(()));
        assert!((v[1] - 0.5).abs() < 1e-15);
        let mut v = [0.7, 0.0, 0.4];
        assert!(matches!(
            resolve_p(&mut v, Some(1)),
            Err(FaultKind::Remainder { state: 1, .. })
        ));
        let mut v = [0.7, 0.2];
        assert!(matches!(
            resolve_p(&mut v, None),
            Err(FaultKind::ProbabilitySum(_))
        ));
        let mut v = [0.5, 0.5 + 5e-10];
        assert_eq!(resolve_p(&mut v, None), Ok(()));
    }

    #[test]
    fn weights() {
        let mut v = [1.0, -1e-10, 3.0];
        assert_eq!(resolve_weights(&mut v), Ok(4.0));
        assert_eq!(v[1], 0.0);
        assert!(matches!(
            resolve_weights(&mut [1.0, -0.1]),
            Err(FaultKind::Weight { state: 1, .. })
        ));
        assert_eq!(
            resolve_weights(&mut [0.0, 0.0]),
            Err(FaultKind::ZeroWeightSum)
        );
    }

    #[test]
    fn thresholds_agree_with_uniforms() {
        let mut rng = SplitMix64::seed_from_u64(7);
        let mut ps: Vec<f64> = vec![0.0, 1.0, 0.5, 1e-300, 1.0 - 1e-16, 0.3, 0.7];
        // Probabilities exactly at, and next to, a uniform's value.
        for _ in 0..200 {
            let u = open01(rng.next_u64());
            ps.extend([u, u.next_up(), u.next_down()]);
        }
        for _ in 0..200 {
            ps.push(open01(rng.next_u64()));
        }
        for &p in &ps {
            let limit = threshold(p);
            for _ in 0..200 {
                let w = rng.next_u64();
                assert_eq!(open01(w) < p, w >> 11 < limit, "p = {p}, w = {w}");
            }
            // The words on either side of the threshold.
            for k in [limit.saturating_sub(1), limit] {
                if k >= 1 << 53 {
                    continue;
                }
                let w = k << 11;
                assert_eq!(open01(w) < p, k < limit, "p = {p}, k = {k}");
            }
        }
    }

    #[test]
    fn direct_distributions_are_those_of_dist_new() {
        let values = [-2.0, -0.0, 0.0, 0.5, 1.0, 3.0];
        for kind in DistKind::ALL {
            let n = kind.keys().len();
            let mut args = vec![0.0; n];
            for k in 0..values.len().pow(n as u32) {
                let mut k = k;
                for arg in args.iter_mut() {
                    *arg = values[k % values.len()];
                    k /= values.len();
                }
                let expected = Dist::new(kind, &args).map_err(|e| e.message);
                let got = dist_of(kind, &args).map_err(|f| match *f.0 {
                    FaultKind::DistDomain(message) => message,
                    other => panic!("{other:?}"),
                });
                assert_eq!(got, expected, "{kind:?} {args:?}");
            }
        }
    }

    #[test]
    fn pick_walks_cumulative_sums() {
        assert_eq!(pick(0.1, &[0.2, 0.3, 0.5]), 0);
        assert_eq!(pick(0.2, &[0.2, 0.3, 0.5]), 1);
        assert_eq!(pick(0.99, &[0.2, 0.3, 0.5]), 2);
        assert_eq!(pick(1.0, &[0.2, 0.3, 0.5, 0.0]), 2);
    }
}
