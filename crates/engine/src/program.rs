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
use uchronia_dist::{Dist, open01};
use uchronia_model::{DistExpr, Model, NodeKind, OutcomeKind, Probs, Scenario};

use crate::expr::{CExpr, Env, compile};
use crate::fault::{Fault, FaultKind, Place, TOLERANCE};
use crate::sketch::Sketch;
use crate::tally::Moments;

/// One node's work in a trial.
#[derive(Debug)]
enum NodeOp {
    /// A boolean node with a constant probability: one comparison.
    BooleanFixed { slot: usize, word: usize, p: f64 },
    /// A boolean node whose probability depends on the trial.
    Boolean { slot: usize, word: usize, p: CExpr },
    /// A categorical node.
    Categorical {
        slot: usize,
        word: usize,
        rows: Vec<CatRow>,
        states: Vec<f64>,
    },
    /// A numeric node.
    Numeric {
        slot: usize,
        word: usize,
        dist: DistOp,
        lower: Option<CExpr>,
        upper: Option<CExpr>,
        round: bool,
    },
    /// A derived node that is not constant.
    Derived { slot: usize, value: CExpr },
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
    /// Constant and valid: cumulative sums, their total, and the state taken
    /// when rounding leaves the uniform above the last sum.
    Fixed {
        cumulative: Vec<f64>,
        total: f64,
        fallback: usize,
    },
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
        kind: uchronia_dist::DistKind,
        args: Vec<CExpr>,
    },
    /// `ci90` computed per trial.
    Ci90 {
        kind: uchronia_dist::DistKind,
        lo: CExpr,
        hi: CExpr,
    },
}

/// One outcome's work in a trial.
#[derive(Debug)]
struct OutcomeOp {
    slot: usize,
    outcome: usize,
    given: Option<CExpr>,
    numeric: bool,
    value: CExpr,
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
    probabilities.iter().rposition(|&p| p > 0.0).unwrap_or(0)
}

/// Precomputes a constant row: cumulative sums in the order [`pick`] adds them.
fn fixed_row(probabilities: &[f64], total: f64) -> CatProbs {
    let mut cumulative = Vec::with_capacity(probabilities.len());
    let mut sum = 0.0;
    for p in probabilities {
        sum += p;
        cumulative.push(sum);
    }
    let fallback = probabilities.iter().rposition(|&p| p > 0.0).unwrap_or(0);
    CatProbs::Fixed {
        cumulative,
        total,
        fallback,
    }
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
                return fixed_row(&values, 1.0);
            }
            CatProbs::P(compiled)
        }
        Probs::Weights(entries) => {
            let compiled: Vec<CExpr> = entries.iter().map(|e| compile(e, env)).collect();
            let constants: Option<Vec<f64>> = compiled.iter().map(CExpr::as_const).collect();
            if let Some(mut values) = constants
                && let Ok(total) = resolve_weights(&mut values)
            {
                return fixed_row(&values, total);
            }
            CatProbs::Weights(compiled)
        }
    }
}

impl Program {
    /// Compiles `model` for `scenario` with the parameter values `params`.
    pub(crate) fn compile(model: &Model, scenario: &Scenario, params: &[f64]) -> Program {
        let n_nodes = model.nodes.len();
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
                            p,
                        },
                        _ => NodeOp::Boolean {
                            slot,
                            word: this_word,
                            p,
                        },
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
                    let states = states.iter().map(|s| s.value()).collect();
                    NodeOp::Categorical {
                        slot,
                        word: this_word,
                        rows,
                        states,
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
                                Some(d)
                                    if args
                                        .iter()
                                        .all(|a| a.as_const().is_some_and(f64::is_finite)) =>
                                {
                                    DistOp::Fixed(d)
                                }
                                _ => DistOp::Args { kind: *kind, args },
                            }
                        }
                        DistExpr::Ci90 { kind, lo, hi } => {
                            let (lo, hi) = (compile(lo, &env), compile(hi, &env));
                            match (lo.as_const(), hi.as_const()) {
                                (Some(l), Some(h)) if l.is_finite() && h.is_finite() => {
                                    match Dist::from_ci90(*kind, l, h) {
                                        Ok(d) => DistOp::Fixed(d),
                                        Err(_) => DistOp::Ci90 {
                                            kind: *kind,
                                            lo,
                                            hi,
                                        },
                                    }
                                }
                                _ => DistOp::Ci90 {
                                    kind: *kind,
                                    lo,
                                    hi,
                                },
                            }
                        }
                    };
                    NodeOp::Numeric {
                        slot,
                        word: this_word,
                        dist,
                        lower: lower.as_ref().map(|e| compile(e, &env)),
                        upper: upper.as_ref().map(|e| compile(e, &env)),
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
                        None => NodeOp::Derived { slot, value },
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
        let outcomes = model
            .outcomes
            .iter()
            .enumerate()
            .map(|(outcome, o)| {
                let (value, given, numeric) = match &o.kind {
                    OutcomeKind::Boolean { when, given } => (when, given, false),
                    OutcomeKind::Numeric { value, given } => (value, given, true),
                };
                OutcomeOp {
                    slot: n_nodes + outcome,
                    outcome,
                    given: given.as_ref().map(|g| compile(g, &env)),
                    numeric,
                    value: compile(value, &env),
                }
            })
            .collect();

        let mut initial_slots = vec![0.0; n_nodes + model.outcomes.len()];
        for (slot, value) in known.iter().enumerate() {
            if let Some(value) = value {
                initial_slots[slot] = *value;
            }
        }
        Program {
            nodes: ops,
            outcomes,
            initial_slots,
            max_states,
        }
    }

    /// Runs one trial: evaluates every node in order from `words`, then every
    /// outcome, adding to `accs`. The first fault stops the trial.
    #[inline]
    pub(crate) fn run_trial(
        &self,
        words: &[u64],
        slots: &mut [f64],
        scratch: &mut Vec<f64>,
        accs: &mut [OutcomeAcc],
    ) -> Result<(), (Place, Fault)> {
        for op in &self.nodes {
            run_node(op, words, slots, scratch)?;
        }
        for op in &self.outcomes {
            run_outcome(op, slots, accs).map_err(|f| (Place::Outcome(op.outcome), f))?;
        }
        Ok(())
    }
}

#[inline]
fn run_node(
    op: &NodeOp,
    words: &[u64],
    slots: &mut [f64],
    scratch: &mut Vec<f64>,
) -> Result<(), (Place, Fault)> {
    match op {
        NodeOp::BooleanFixed { slot, word, p } => {
            slots[*slot] = if open01(words[*word]) < *p { 1.0 } else { 0.0 };
        }
        NodeOp::Boolean { slot, word, p } => {
            let at = |f| (Place::Node(*slot), f);
            let p = p.eval(slots).and_then(check_probability).map_err(at)?;
            slots[*slot] = if open01(words[*word]) < p { 1.0 } else { 0.0 };
        }
        NodeOp::Categorical {
            slot,
            word,
            rows,
            states,
        } => {
            let at = |f| (Place::Node(*slot), f);
            let state = categorical(rows, open01(words[*word]), slots, scratch).map_err(at)?;
            slots[*slot] = states.get(state).copied().unwrap_or(f64::NAN);
        }
        NodeOp::Numeric {
            slot,
            word,
            dist,
            lower,
            upper,
            round,
        } => {
            let at = |f| (Place::Node(*slot), f);
            let x = numeric(dist, lower, upper, *round, words[*word], slots).map_err(at)?;
            slots[*slot] = x;
        }
        NodeOp::Derived { slot, value } => {
            slots[*slot] = value.eval(slots).map_err(|f| (Place::Node(*slot), f))?;
        }
    }
    Ok(())
}

/// Selects a row (evaluating `when`s only up to it) and draws a state index.
#[inline]
fn categorical(
    rows: &[CatRow],
    u: f64,
    slots: &[f64],
    scratch: &mut Vec<f64>,
) -> Result<usize, Fault> {
    let mut chosen = rows.last();
    for row in rows {
        let taken = match &row.when {
            None => true,
            Some(when) => when.eval(slots)? != 0.0,
        };
        if taken {
            chosen = Some(row);
            break;
        }
    }
    let Some(row) = chosen else {
        return Ok(0);
    };
    match &row.probs {
        CatProbs::Fixed {
            cumulative,
            total,
            fallback,
        } => {
            let x = u * total;
            Ok(cumulative.iter().position(|&c| x < c).unwrap_or(*fallback))
        }
        CatProbs::P(entries) => {
            scratch.clear();
            for entry in entries {
                scratch.push(match entry {
                    Some(e) => e.eval(slots)?,
                    None => 0.0,
                });
            }
            let missing = entries.iter().position(Option::is_none);
            resolve_p(scratch, missing).map_err(Fault::new)?;
            Ok(pick(u, scratch))
        }
        CatProbs::Weights(entries) => {
            scratch.clear();
            for entry in entries {
                scratch.push(entry.eval(slots)?);
            }
            let total = resolve_weights(scratch).map_err(Fault::new)?;
            Ok(pick(u * total, scratch))
        }
    }
}

/// Evaluates a distribution argument: it must be finite.
#[inline]
fn argument(
    e: &CExpr,
    slots: &[f64],
    kind: uchronia_dist::DistKind,
    index: usize,
    ci90: bool,
) -> Result<f64, Fault> {
    let value = e.eval(slots)?;
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

/// Evaluates a numeric bound: it must be finite.
#[inline]
fn bound(e: &Option<CExpr>, slots: &[f64], upper: bool) -> Result<Option<f64>, Fault> {
    let Some(e) = e else {
        return Ok(None);
    };
    let value = e.eval(slots)?;
    if value.is_finite() {
        Ok(Some(value))
    } else {
        Err(Fault::new(FaultKind::BoundNotFinite { upper, value }))
    }
}

/// Draws a numeric node: the distribution from its own generator seeded by
/// the node's word, then the clamps, then rounding.
#[inline]
fn numeric(
    dist: &DistOp,
    lower: &Option<CExpr>,
    upper: &Option<CExpr>,
    round: bool,
    word: u64,
    slots: &[f64],
) -> Result<f64, Fault> {
    let dist = match dist {
        DistOp::Fixed(d) => *d,
        DistOp::Args { kind, args } => {
            let mut values = [0.0; 3];
            let n = args.len().min(values.len());
            for (index, arg) in args.iter().take(n).enumerate() {
                values[index] = argument(arg, slots, *kind, index, false)?;
            }
            Dist::new(*kind, &values[..n]).map_err(|e| Fault::new(FaultKind::DistDomain(e.0)))?
        }
        DistOp::Ci90 { kind, lo, hi } => {
            let lo = argument(lo, slots, *kind, 0, true)?;
            let hi = argument(hi, slots, *kind, 1, true)?;
            Dist::from_ci90(*kind, lo, hi).map_err(|e| Fault::new(FaultKind::DistDomain(e.0)))?
        }
    };
    let mut rng = SplitMix64::seed_from_u64(word);
    let mut x = dist.sample(&mut rng);
    let lower = bound(lower, slots, false)?;
    let upper = bound(upper, slots, true)?;
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
    if round {
        x = x.round();
    }
    Ok(x)
}

#[inline]
fn run_outcome(op: &OutcomeOp, slots: &mut [f64], accs: &mut [OutcomeAcc]) -> Result<(), Fault> {
    if let Some(given) = &op.given
        && given.eval(slots)? == 0.0
    {
        // Where `given` fails the outcome is not evaluated; later outcomes
        // that name it see false (boolean) or NaN (numeric).
        slots[op.slot] = if op.numeric { f64::NAN } else { 0.0 };
        return Ok(());
    }
    let value = op.value.eval(slots)?;
    match &mut accs[op.outcome] {
        OutcomeAcc::Boolean { given, hits } => {
            *given += 1;
            *hits += u64::from(value != 0.0);
        }
        OutcomeAcc::Numeric { moments, sketch } => {
            if !value.is_finite() {
                return Err(Fault::new(FaultKind::OutcomeValue(value)));
            }
            moments.push(value);
            sketch.push(value);
        }
    }
    slots[op.slot] = value;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn pick_walks_cumulative_sums() {
        assert_eq!(pick(0.1, &[0.2, 0.3, 0.5]), 0);
        assert_eq!(pick(0.2, &[0.2, 0.3, 0.5]), 1);
        assert_eq!(pick(0.99, &[0.2, 0.3, 0.5]), 2);
        assert_eq!(pick(1.0, &[0.2, 0.3, 0.5, 0.0]), 2);
    }
}
