//! Running a program over a batch of trials, node by node and then outcome
//! by outcome, slot-major so that the inner loops over trials vectorise.

use rand::SeedableRng;
use rand_xoshiro::SplitMix64;
use uchronia_distributions::{Dist, DistKind, DomainError, MAX_ARGS, Sampler};
use uchronia_model::Part;

use crate::batch::{BATCH, Batch, Scratch};
use crate::column::{Code, round};
use crate::expr::CExpr;
use crate::fault::{Fault, FaultKind, Place, part_index};
use crate::mask::{
    BatchWords, config_plane, constant_plane, draw, expand, lane_plane, lanes, pack,
};
use crate::probability::{NO_THRESHOLD, check_probability, threshold};
use crate::program::{DistOp, MaskOf, NodeOp, OutcomeAcc, OutcomeOp, Program};
use crate::tally::Moments;

impl Program {
    /// The values of a batch of `stride` trials, with the constants filled
    /// in.
    pub(crate) fn batch(&self, stride: usize) -> Batch {
        Batch {
            slots: (self.initial_slots.iter())
                .flat_map(|&value| std::iter::repeat_n(value, stride))
                .collect(),
            masks: vec![0; self.n_masks],
        }
    }

    /// Runs trials `0..n` of `batch`, of `stride` trials (see [`Batch`]):
    /// every node in order, then every outcome, adding to `accs`. Boolean
    /// nodes draw from the planes of `bits`; nodes shared with an earlier
    /// scenario are copied from its batch in `earlier` (in run order). A
    /// fault stops the batch; its trial is not necessarily the first that
    /// fails (find that with `n = stride = 1`, trial by trial, each from its
    /// own lane of `bits`).
    #[inline]
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn run_batch(
        &self,
        words: &[u64],
        bits: BatchWords,
        earlier: &[Batch],
        batch: &mut Batch,
        stride: usize,
        n: usize,
        scratch: &mut Scratch,
        accs: &mut [OutcomeAcc],
    ) -> Result<(), (Place, Fault)> {
        debug_assert!(n <= stride && n <= BATCH);
        for op in &self.nodes {
            run_node(
                op,
                words,
                bits,
                &self.columns,
                earlier,
                batch,
                stride,
                n,
                scratch,
            )?;
        }
        for op in &self.outcomes {
            run_outcome(op, batch, stride, n, accs, scratch)
                .map_err(|f| (Place::Outcome(op.outcome), f))?;
        }
        Ok(())
    }
}

/// Runs one node for trials `0..n` of a batch laid out slot-major (slot `i`
/// of trial `t` at `slots[i * stride + t]`, word `w` at `words[w * stride + t]`).
#[inline]
#[allow(clippy::too_many_arguments)]
fn run_node(
    op: &NodeOp,
    words: &[u64],
    bits: BatchWords,
    columns: &[bool],
    earlier: &[Batch],
    batch: &mut Batch,
    stride: usize,
    n: usize,
    scratch: &mut Scratch,
) -> Result<(), (Place, Fault)> {
    let (slots, masks) = (&mut batch.slots[..], &mut batch.masks[..]);
    match op {
        NodeOp::BooleanFixed { slot, threshold } => {
            let mask = draw(bits, *slot, n, |b, _| constant_plane(*threshold, b));
            boolean(*slot, mask, columns, slots, masks, stride, n);
        }
        NodeOp::BooleanMask {
            slot,
            configs,
            thresholds,
        } => {
            let lanes = &mut scratch.configs[..thresholds.len()];
            configs.masks(masks, lanes);
            let lanes = &*lanes;
            let mask = draw(bits, *slot, n, |b, _| config_plane(lanes, thresholds, b));
            boolean(*slot, mask, columns, slots, masks, stride, n);
        }
        NodeOp::BooleanTable {
            slot,
            index,
            thresholds,
            complete,
            p,
        } => {
            // The thresholds (a lookup per trial), then the draws.
            let limits = &mut scratch.limits[..n];
            index.lookups(
                thresholds,
                NO_THRESHOLD,
                slots,
                stride,
                limits,
                &mut scratch.positions,
            );
            // Entries without a threshold are computed from the expression.
            if !*complete && limits.contains(&NO_THRESHOLD) {
                for (t, limit) in limits.iter_mut().enumerate() {
                    if *limit == NO_THRESHOLD {
                        *limit = p
                            .eval_at(slots, stride, t)
                            .and_then(check_probability)
                            .map(threshold)
                            .map_err(|f| (Place::Node(*slot), f.at(Part::P)))?;
                    }
                }
            }
            let limits = &*limits;
            let mask = draw(bits, *slot, n, |b, open| lane_plane(limits, b, open));
            boolean(*slot, mask, columns, slots, masks, stride, n);
        }
        NodeOp::Boolean { slot, p } => {
            let sure = p.run(slots, stride, n, scratch);
            for t in 0..n {
                let value = if sure {
                    slots[p.result * stride + t]
                } else {
                    p.expr
                        .eval_at(slots, stride, t)
                        .map_err(|f| (Place::Node(*slot), f.at(Part::P)))?
                };
                let p =
                    check_probability(value).map_err(|f| (Place::Node(*slot), f.at(Part::P)))?;
                scratch.limits[t] = threshold(p);
            }
            let limits = &scratch.limits[..n];
            let mask = draw(bits, *slot, n, |b, open| lane_plane(limits, b, open));
            boolean(*slot, mask, columns, slots, masks, stride, n);
        }
        NodeOp::Pack {
            slot,
            values,
            boolean,
        } => {
            let column = &slots[slot * stride..][..n];
            if *boolean {
                if let Some(&(_, id)) = values.first() {
                    masks[id as usize] = pack(column, |x| x != 0.0);
                }
            } else {
                for &(value, id) in values {
                    masks[id as usize] = pack(column, |x| x == value);
                }
            }
        }
        NodeOp::Categorical(node) => node.run(words, slots, masks, stride, n, scratch)?,
        NodeOp::Copy {
            from,
            columns,
            masks: ids,
            expand_mask,
        } => copy(
            &earlier[*from],
            columns,
            ids,
            *expand_mask,
            slots,
            masks,
            stride,
            n,
        ),
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
            if sure && let DistOp::Fixed(sampler) = dist {
                // The common case: one sampler for the whole column, its
                // kind matched once; then the bounds, trial by trial.
                let seeds = &words[word * stride..word * stride + n];
                let column = &mut slots[slot * stride..slot * stride + n];
                sampler.fill(seeds, column, SplitMix64::seed_from_u64);
                return bound_column(*slot, lower, upper, *round, slots, stride, n);
            }
            if sure && let DistOp::Args { kind, args } = dist {
                // Arguments that change every trial: checked without
                // building a `Dist`; a broken rule goes the long way below,
                // which names it.
                let mut values = [0.0; MAX_ARGS];
                let k = args.len().min(MAX_ARGS);
                for t in 0..n {
                    for (value, arg) in values.iter_mut().zip(args) {
                        *value = slots[arg.result * stride + t];
                    }
                    let w = words[word * stride + t];
                    let value = |code: &Code| Ok(slots[code.result * stride + t]);
                    // The draw only: the bounds follow for the whole batch.
                    let x = match Sampler::checked(*kind, &values[..k]) {
                        Some(sampler) => Ok(sampler.sample(&mut SplitMix64::seed_from_u64(w))),
                        None => numeric(dist, &None, &None, false, w, value),
                    }
                    .map_err(|f| (Place::Node(*slot), f))?;
                    slots[slot * stride + t] = x;
                }
                return bound_column(*slot, lower, upper, *round, slots, stride, n);
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
                        .map_err(|f| (Place::Node(*slot), f.at(Part::Value)))?;
                }
            }
        }
    }
    Ok(())
}

/// Copies the columns and masks of a node alike in an earlier scenario
/// (`share.rs`) from its batch `source`: its values are this scenario's,
/// trial for trial. A boolean column it did not expand is expanded here.
#[inline(never)]
#[allow(clippy::too_many_arguments)]
fn copy(
    source: &Batch,
    columns: &[usize],
    ids: &[u32],
    expand_mask: Option<usize>,
    slots: &mut [f64],
    masks: &mut [u64],
    stride: usize,
    n: usize,
) {
    for &slot in columns {
        let at = slot * stride;
        slots[at..at + n].copy_from_slice(&source.slots[at..at + n]);
    }
    for &id in ids {
        masks[id as usize] = source.masks[id as usize];
    }
    if let Some(slot) = expand_mask {
        expand(masks[slot], &mut slots[slot * stride..][..n]);
    }
}

/// Clamps and rounds the column of the numeric node in `slot` over trials
/// `0..n` (its draws so far), once its bounds' code has run over the batch:
/// [`bounded`] for each trial. When every trial's bounds are finite and
/// uncrossed, as they nearly always are, it is done for the whole batch
/// with the same comparisons in the same order; otherwise trial by trial,
/// which names the fault.
#[inline]
fn bound_column(
    slot: usize,
    lower: &Option<Code>,
    upper: &Option<Code>,
    round_it: bool,
    slots: &mut [f64],
    stride: usize,
    n: usize,
) -> Result<(), (Place, Fault)> {
    if lower.is_none() && upper.is_none() && !round_it {
        return Ok(());
    }
    // A missing bound clamps nothing: no value is below -inf or above +inf.
    let constant = |code: &Option<Code>, missing: f64| match code {
        None => Some(missing),
        Some(code) => code.expr.as_const().filter(|x| x.is_finite()),
    };
    if let (Some(lo), Some(hi)) = (
        constant(lower, f64::NEG_INFINITY),
        constant(upper, f64::INFINITY),
    ) && lo <= hi
    {
        // The usual case: bounds fixed for the draw, checked once.
        clamp_column(&mut slots[slot * stride..][..n], |_| (lo, hi), round_it);
        return Ok(());
    }
    let mut lo = [f64::NEG_INFINITY; BATCH];
    let mut hi = [f64::INFINITY; BATCH];
    let (lo, hi) = (&mut lo[..n], &mut hi[..n]);
    for (code, out) in [(lower, &mut *lo), (upper, &mut *hi)] {
        if let Some(code) = code {
            out.copy_from_slice(&slots[code.result * stride..][..n]);
        }
    }
    let finite = |code: &Option<Code>, column: &[f64]| {
        code.is_none() || column.iter().all(|x| x.is_finite())
    };
    if finite(lower, lo) && finite(upper, hi) && lo.iter().zip(&*hi).all(|(l, h)| l <= h) {
        let column = &mut slots[slot * stride..][..n];
        clamp_column(column, |t| (lo[t], hi[t]), round_it);
        return Ok(());
    }
    for t in 0..n {
        let x = slots[slot * stride + t];
        slots[slot * stride + t] = bounded(x, lower, upper, round_it, |code| {
            Ok(slots[code.result * stride + t])
        })
        .map_err(|f| (Place::Node(slot), f))?;
    }
    Ok(())
}

/// [`bounded`]'s clamps and rounding of each value of `column`, between the
/// bounds `bounds(t)` of its trial (finite or missing, and not crossed).
#[inline(always)]
fn clamp_column(column: &mut [f64], bounds: impl Fn(usize) -> (f64, f64), round_it: bool) {
    for (t, x) in column.iter_mut().enumerate() {
        let (lo, hi) = bounds(t);
        let v = if *x < lo { lo } else { *x };
        let v = if v > hi { hi } else { v };
        *x = if round_it { round(v) } else { v };
    }
}

/// Stores a boolean node's mask, and its column if something reads it.
#[inline]
fn boolean(
    slot: usize,
    mask: u64,
    columns: &[bool],
    slots: &mut [f64],
    masks: &mut [u64],
    stride: usize,
    n: usize,
) {
    masks[slot] = mask;
    if columns.get(slot).copied().unwrap_or(true) {
        expand(mask, &mut slots[slot * stride..][..n]);
    }
}

/// The lanes where a boolean outcome's value (or `given`) is true.
#[inline]
fn mask_of(of: &MaskOf, masks: &[u64], scratch: &mut Scratch) -> u64 {
    match of {
        MaskOf::Mask(id) => masks[*id as usize],
        MaskOf::Table {
            configs,
            complement,
        } => {
            let lanes = &mut scratch.configs[..1];
            configs.masks(masks, lanes);
            if *complement { !lanes[0] } else { lanes[0] }
        }
    }
}

/// Checks a distribution argument: it must be finite.
#[inline]
fn argument(value: f64, kind: DistKind, index: usize, ci90: bool) -> Result<f64, Fault> {
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
    Dist::new(kind, args).map_err(domain_fault)
}

/// A broken rule of a distribution, blamed on the argument the rule names
/// (none when no single one is to blame: ends crossed, say).
#[cold]
fn domain_fault(error: DomainError) -> Fault {
    let fault = Fault::new(FaultKind::DistDomain(error.message));
    match error.argument {
        Some(index) => fault.at(Part::Arg(part_index(index))),
        None => fault,
    }
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
    let sampler = match dist {
        DistOp::Fixed(s) => *s,
        DistOp::Args { kind, args } => {
            let mut values = [0.0; MAX_ARGS];
            let n = args.len().min(values.len());
            for (index, arg) in args.iter().take(n).enumerate() {
                values[index] = value(arg)
                    .and_then(|x| argument(x, *kind, index, false))
                    .map_err(|f| f.at(Part::Arg(part_index(index))))?;
            }
            Sampler::new(dist_of(*kind, &values[..n])?)
        }
        DistOp::Ci90 { kind, lo, hi } => {
            let lo = value(lo)
                .and_then(|x| argument(x, *kind, 0, true))
                .map_err(|f| f.at(Part::Arg(0)))?;
            let hi = value(hi)
                .and_then(|x| argument(x, *kind, 1, true))
                .map_err(|f| f.at(Part::Arg(1)))?;
            Sampler::new(Dist::from_ci90(*kind, lo, hi).map_err(domain_fault)?)
        }
    };
    let mut rng = SplitMix64::seed_from_u64(word);
    bounded(sampler.sample(&mut rng), lower, upper, round_it, value)
}

/// A numeric node's draw `x` after its clamps and rounding. `value` gives
/// the value of a bound's code in this trial.
#[inline]
fn bounded(
    mut x: f64,
    lower: &Option<Code>,
    upper: &Option<Code>,
    round_it: bool,
    value: impl Fn(&Code) -> Result<f64, Fault>,
) -> Result<f64, Fault> {
    let lower = bound(lower, &value, false).map_err(|f| f.at(Part::Lower))?;
    let upper = bound(upper, &value, true).map_err(|f| f.at(Part::Upper))?;
    if let (Some(lo), Some(hi)) = (lower, upper)
        && lo > hi
    {
        return Err(Fault::new(FaultKind::BoundsCrossed {
            lower: lo,
            upper: hi,
        })
        .at(Part::Lower));
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
    batch: &mut Batch,
    stride: usize,
    n: usize,
    accs: &mut [OutcomeAcc],
    scratch: &mut Scratch,
) -> Result<(), Fault> {
    let Batch { slots, masks } = batch;
    let acc = &mut accs[op.outcome];
    if let Some((value, given)) = &op.masks
        && let OutcomeAcc::Boolean { given: g, hits } = acc
    {
        // Popcounts: the lanes where `given` holds, and those where the
        // value holds too.
        let value = mask_of(value, masks, scratch);
        let given = given.as_ref().map_or(!0, |g| mask_of(g, masks, scratch)) & lanes(n);
        *g += u64::from(given.count_ones());
        *hits += u64::from((value & given).count_ones());
        if op.read {
            expand(value & given, &mut slots[op.slot * stride..][..n]);
        }
        return Ok(());
    }
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
                    slots[op.slot * stride + t] = table
                        .fallback
                        .value_at(slots, stride, t)
                        .map_err(|f| f.at(Part::Value))?;
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
    if sure
        && op.given.is_none()
        && let OutcomeAcc::Boolean { given, hits } = acc
    {
        // A boolean outcome of every trial: its column counted at once.
        let from = op.value.result * stride;
        *hits += slots[from..][..n]
            .iter()
            .map(|&value| u64::from(value != 0.0))
            .sum::<u64>();
        *given += n as u64;
        if op.read {
            slots.copy_within(from..from + n, op.slot * stride);
        }
        return Ok(());
    }
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
            && value_of(given, slots, t).map_err(|f| f.at(Part::Given))? == 0.0
        {
            // Where `given` fails the outcome is not evaluated; later
            // outcomes that name it see false (boolean) or NaN (numeric).
            slots[at] = if op.numeric { f64::NAN } else { 0.0 };
            continue;
        }
        let value = value_of(&op.value, slots, t).map_err(|f| f.at(Part::Value))?;
        match acc {
            OutcomeAcc::Boolean { given, hits } => {
                *given += 1;
                *hits += u64::from(value != 0.0);
            }
            OutcomeAcc::Numeric { sketch, .. } => {
                if !value.is_finite() {
                    return Err(Fault::new(FaultKind::OutcomeValue(value)).at(Part::Value));
                }
                values[counted] = value;
                counted += 1;
                sketch.push(value);
            }
        }
        slots[at] = value;
    }
    if let OutcomeAcc::Numeric { moments, years, .. } = acc {
        // Two passes over the batch, then one merge: no division per value.
        moments.merge(&Moments::of(&values[..counted]));
        if let Some(years) = years {
            years.push_all(&values[..counted]);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn direct_distributions_are_those_of_dist_new() {
        let values = [-2.0, -0.0, 0.0, 0.5, 1.0, 3.0, f64::NAN, f64::INFINITY];
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
                assert_eq!(
                    Sampler::checked(kind, &args),
                    expected.as_ref().ok().map(|d| Sampler::new(*d)),
                    "{kind:?} {args:?}"
                );
                let got = dist_of(kind, &args).map_err(|f| match f.0.kind {
                    FaultKind::DistDomain(message) => message,
                    other => panic!("{other:?}"),
                });
                assert_eq!(got, expected, "{kind:?} {args:?}");
            }
        }
    }
}
