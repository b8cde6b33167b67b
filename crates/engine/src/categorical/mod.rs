//! Categorical nodes: their rows compiled (constant rows precomputed, rows
//! over discrete parents resolved once into a table of cumulative sums and
//! thresholds) and a state drawn for each trial of a batch. Building the rows
//! at compile time is in [`build`].

use uchronia_distributions::open01;
use uchronia_model::{Part, Row, StateId};

use crate::batch::Scratch;
use crate::column::{Code, Slots};
use crate::expr::{CExpr, Env, compile};
use crate::fault::{Fault, FaultKind, Place, TOLERANCE, part_index};
use crate::index::{Index, to_index};
use crate::table::{Discrete, reads};

mod build;
use build::{categorical_table, compile_probs, row_chooser, row_codes, row_exprs, tabulate_row};

/// A categorical node, with a table of its resolved rows when its parents
/// are discrete.
#[derive(Debug)]
pub(crate) struct Categorical {
    slot: usize,
    word: usize,
    /// Where the index of the drawn state goes too (see `Discrete`).
    rank: Option<usize>,
    states: Vec<f64>,
    rows: Rows,
    /// Per state, the id of the mask of the lanes that drew it, when a
    /// mask reads them (see `mask.rs`).
    masks: Option<Vec<u32>>,
}

/// A categorical node's compiled rows.
#[derive(Debug)]
pub(crate) struct Rows {
    table: Option<Box<CatTable>>,
    rows: Vec<CatRow>,
    /// Column code of the rows when there is no table.
    codes: Option<Vec<RowCode>>,
    /// Without a table, the row each combination of the `when`s' discrete
    /// parents takes, when every `when` is discrete (see [`Chooser`]).
    chooser: Option<Chooser>,
}

/// The row that rows over numbers take, by the values of their `when`s'
/// discrete parents: a war's outcome reads a number (its collapse risk), but
/// which row applies depends on the war's shape alone. One lookup per trial
/// then replaces a table lookup per `when` and the search for the first
/// that holds.
#[derive(Debug)]
struct Chooser {
    index: Index,
    /// The row taken at each position (padding unused).
    rows: Vec<u32>,
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
    /// The row's index in the model (rows that can never be taken are
    /// dropped), for pointing at its text when it fails.
    source: u32,
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

impl Categorical {
    /// The node in `slot` with random word `word` and rank slot `rank`.
    pub(crate) fn new(
        slot: usize,
        word: usize,
        rank: Option<usize>,
        states: &[StateId],
        rows: Rows,
    ) -> Categorical {
        Categorical {
            slot,
            word,
            rank,
            states: states.iter().map(|s| s.value()).collect(),
            rows,
            masks: None,
        }
    }

    /// The node's slot.
    pub(crate) fn slot(&self) -> usize {
        self.slot
    }

    /// The slots it writes: its own, and its rank's if it has one.
    pub(crate) fn columns(&self) -> impl Iterator<Item = usize> {
        std::iter::once(self.slot).chain(self.rank)
    }

    /// The masks it writes, if any, with the state each holds.
    pub(crate) fn masks(&self) -> Vec<(f64, u32)> {
        let ids = self.masks.as_deref().unwrap_or(&[]);
        self.states
            .iter()
            .copied()
            .zip(ids.iter().copied())
            .collect()
    }

    /// Makes the node write, per state, the mask of the lanes that drew it.
    pub(crate) fn write_masks(&mut self, ids: Vec<u32>) {
        self.masks = Some(ids);
    }

    /// Adds the slots whose columns the node reads (see [`reads`]).
    pub(crate) fn reads(&self, out: &mut Vec<usize>) {
        if let Some(table) = &self.rows.table {
            out.extend(table.index.slots());
        }
        if let Some(chooser) = &self.rows.chooser {
            out.extend(chooser.index.slots());
        }
        for expr in row_exprs(&self.rows.rows) {
            reads(expr, out);
        }
    }

    /// Draws the node for trials `0..n` of a batch laid out slot-major (see
    /// `run_node` in `exec.rs`).
    #[inline]
    pub(crate) fn run(
        &self,
        words: &[u64],
        slots: &mut [f64],
        masks: &mut [u64],
        stride: usize,
        n: usize,
        scratch: &mut Scratch,
    ) -> Result<(), (Place, Fault)> {
        let Categorical {
            slot,
            word,
            rank,
            states,
            rows:
                Rows {
                    table,
                    rows,
                    codes,
                    chooser,
                },
            masks: ids,
        } = self;
        // Rows without a table: their code over the batch, if sure (the
        // `when`s only without a chooser).
        let mut sure = false;
        if let Some(codes) = codes {
            sure = true;
            for row in codes {
                let when = row.when.iter().filter(|_| chooser.is_none());
                for code in when.chain(row.entries.iter().flatten()) {
                    sure &= code.run(slots, stride, n, scratch);
                }
            }
        }
        let Scratch {
            probs, positions, ..
        } = scratch;
        // The lanes of each state, set as states are drawn.
        let ids = ids.as_deref().unwrap_or(&[]);
        for &id in ids {
            masks[id as usize] = 0;
        }
        let mut mark = |state: usize, t: usize| {
            if let Some(&id) = ids.get(state) {
                masks[id as usize] |= 1 << t;
            }
        };
        let positions = &mut positions[..n];
        if let Some(table) = table {
            table.index.positions(slots, stride, positions);
        } else if let Some(chooser) = chooser {
            chooser.index.positions(slots, stride, positions);
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
                mark(state, t);
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
                None if let Some(codes) = codes
                    && sure
                    && let Some(state) = {
                        let chosen = chooser.as_ref().map(|c| c.rows.get(position).copied());
                        pick_from_columns(rows, codes, chosen, slots, stride, t, u)
                    } =>
                {
                    state
                }
                None => {
                    let total = match codes {
                        // The `when`s' code has not run with a chooser.
                        Some(codes) if sure && chooser.is_none() => {
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
            mark(state, t);
        }
        Ok(())
    }
}

impl Rows {
    /// Compiles the rows of a node of `n` states: rows after one that is
    /// always taken are dropped, and rows over discrete parents become a table.
    pub(crate) fn compile(
        table: &[Row],
        n: usize,
        env: &Env,
        discrete: &Discrete,
        alloc: &mut Slots,
    ) -> Rows {
        let mut rows = Vec::new();
        for (source, row) in table.iter().enumerate() {
            let source = part_index(source);
            let when = row.when.as_ref().map(|w| compile(w, env));
            match when.as_ref().and_then(CExpr::as_const) {
                Some(0.0) => continue,
                Some(_) => {
                    rows.push(CatRow {
                        source,
                        when: None,
                        probs: compile_probs(&row.probs, env),
                    });
                    break;
                }
                None => rows.push(CatRow {
                    source,
                    when,
                    probs: compile_probs(&row.probs, env),
                }),
            }
        }
        let table = categorical_table(&rows, n, discrete);
        let mut codes = None;
        let mut chooser = None;
        if table.is_none() {
            chooser = row_chooser(&rows, discrete);
            // Rows evaluated per trial: their discrete parts
            // (the `when`s, typically) still become lookups.
            rows = rows
                .into_iter()
                .map(|row| tabulate_row(row, discrete))
                .collect();
            codes = Some(row_codes(&rows, alloc));
        }
        Rows {
            table,
            rows,
            codes,
            chooser,
        }
    }
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

/// Most states a row may have for [`pick_from_columns`] (a row with more
/// goes the general way).
const FAST_STATES: usize = 16;

/// The state drawn by uniform `u` in trial `t` from rows whose code has run
/// over the batch (`sure`): [`resolve_row_by`] and [`pick`] with the same
/// operations in the same order, so the same state, but on a stack array
/// and without building errors. `None` when the chosen row does not
/// resolve (or has more than [`FAST_STATES`] states): the caller then goes
/// the general way, which names the fault.
///
/// With a [`Chooser`], `chosen` is `Some` and holds the row it gives
/// (`None` past its table: never, by construction).
#[inline]
fn pick_from_columns(
    rows: &[CatRow],
    codes: &[RowCode],
    chosen: Option<Option<u32>>,
    slots: &[f64],
    stride: usize,
    t: usize,
    u: f64,
) -> Option<usize> {
    let column = |code: &Code| slots[code.result * stride + t];
    let i = match chosen {
        Some(row) => row? as usize,
        None => rows
            .iter()
            .zip(codes)
            .position(|(row, code)| {
                row.when.is_none() || code.when.as_ref().map_or(1.0, column) != 0.0
            })
            .or(rows.len().checked_sub(1))?,
    };
    let (row, codes) = (rows.get(i)?, codes.get(i)?);
    let entries = &codes.entries;
    let mut values = [0.0; FAST_STATES];
    let values = values.get_mut(..entries.len())?;
    for (value, entry) in values.iter_mut().zip(entries) {
        *value = entry.as_ref().map_or(0.0, column);
    }
    match &row.probs {
        CatProbs::Fixed { probs, total } => Some(pick(u * total, probs)),
        CatProbs::P(p) => {
            resolve_p(values, p.iter().position(Option::is_none)).ok()?;
            Some(pick(u * 1.0, values))
        }
        CatProbs::Weights(_) => {
            let total = resolve_weights(values).ok()?;
            Some(pick(u * total, values))
        }
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
        let taken =
            row.when.is_none() || when(i).map_err(|f| f.at(Part::When { row: row.source }))? != 0.0;
        if taken {
            chosen = Some(i);
            break;
        }
    }
    probs.clear();
    let Some(i) = chosen else {
        return Err(Fault::new(FaultKind::ZeroWeightSum));
    };
    let source = rows[i].source;
    let entry = |j: usize| {
        entry(i, j).map_err(|f| {
            f.at(Part::Entry {
                row: source,
                state: part_index(j),
            })
        })
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
                probs.push(entry(j)?);
            }
            let missing = entries.iter().position(Option::is_none);
            resolve_p(probs, missing).map_err(|kind| row_fault(kind, source))?;
            Ok(1.0)
        }
        CatProbs::Weights(entries) => {
            for j in 0..entries.len() {
                probs.push(entry(j)?);
            }
            resolve_weights(probs).map_err(|kind| row_fault(kind, source))
        }
    }
}

/// A row's probabilities or weights that do not resolve, blamed on the
/// state's entry when one is to blame, else on the row's table.
#[cold]
fn row_fault(kind: FaultKind, row: u32) -> Fault {
    let part = match kind {
        FaultKind::StateProbability { state, .. } | FaultKind::Weight { state, .. } => {
            Part::Entry {
                row,
                state: part_index(state),
            }
        }
        _ => Part::Probs { row },
    };
    Fault::new(kind).at(part)
}

#[cfg(test)]
mod tests {
    use super::*;

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
