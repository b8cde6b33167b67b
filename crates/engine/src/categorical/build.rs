//! Building a categorical node's rows at compile time: constant rows
//! precomputed, rows over discrete parents substituted and tabulated into a
//! table of cumulative sums and thresholds, a row chosen by one lookup where
//! the `when`s read only discrete parents, and the slots each row's code
//! writes. The draw itself is in the parent module.

use uchronia_distributions::open01;
use uchronia_model::Probs;

use super::{
    CatProbs, CatRow, CatTable, Chooser, FAST_STATES, RowCode, fallback_state, resolve_p,
    resolve_row, resolve_weights,
};
use crate::column::{Code, Slots};
use crate::expr::{CExpr, Env, compile};
use crate::probability::threshold_where;
use crate::table::{Discrete, tabulate};

/// Compiles a row's probabilities, precomputing them when they are constant
/// and valid (an invalid constant row stays dynamic and fails when selected).
pub(super) fn compile_probs(probs: &Probs, env: &Env) -> CatProbs {
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

/// The expressions of categorical rows, in order.
pub(super) fn row_exprs(rows: &[CatRow]) -> Vec<&CExpr> {
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
            source: row.source,
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
pub(super) fn tabulate_row(row: CatRow, discrete: &Discrete) -> CatRow {
    let tab = |e: CExpr| tabulate(e, discrete);
    CatRow {
        source: row.source,
        when: row.when.map(tab),
        probs: match row.probs {
            fixed @ CatProbs::Fixed { .. } => fixed,
            CatProbs::P(entries) => CatProbs::P(entries.into_iter().map(|e| e.map(tab)).collect()),
            CatProbs::Weights(entries) => CatProbs::Weights(entries.into_iter().map(tab).collect()),
        },
    }
}

/// The column code of rows evaluated per trial.
pub(super) fn row_codes(rows: &[CatRow], alloc: &mut Slots) -> Vec<RowCode> {
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

/// The [`Chooser`] of rows evaluated per trial: when every `when` reads
/// only discrete slots (directly or through inlined nodes) and, at every
/// position of their parents, the `when`s up to the first that holds
/// evaluate without a fault, as `resolve_row_by` evaluates them. Rows of
/// more than [`FAST_STATES`] states keep their `when`s' code instead.
pub(super) fn row_chooser(rows: &[CatRow], discrete: &Discrete) -> Option<Chooser> {
    let whens: Vec<&CExpr> = rows.iter().filter_map(|row| row.when.as_ref()).collect();
    if whens.is_empty() || rows.iter().any(|row| row_states(row) > FAST_STATES) {
        return None;
    }
    let (index, inlined) = discrete.index_for(&whens, 1)?;
    let whens: Vec<Option<&CExpr>> = {
        let mut forms = inlined.as_deref().unwrap_or(&[]).iter();
        rows.iter()
            .map(|row| {
                let written = row.when.as_ref()?;
                Some(if inlined.is_some() {
                    forms.next()?
                } else {
                    written
                })
            })
            .collect()
    };
    let mut chosen = vec![u32::MAX; index.padded()];
    let mut complete = true;
    let mut slots = vec![0.0; discrete.domains.len()];
    index
        .clone()
        .for_each(&discrete.domains, &mut slots, |position, slots| {
            let mut row = rows.len() - 1;
            for (i, when) in whens.iter().enumerate() {
                let taken = match when {
                    None => true,
                    Some(when) => match when.eval(slots) {
                        Ok(value) => value != 0.0,
                        Err(_) => {
                            complete = false;
                            return;
                        }
                    },
                };
                if taken {
                    row = i;
                    break;
                }
            }
            chosen[position] = row as u32;
        });
    complete.then_some(Chooser {
        index,
        rows: chosen,
    })
}

/// The number of states a row gives probabilities or weights for (none for
/// fixed ones, which are not read from columns).
fn row_states(row: &CatRow) -> usize {
    match &row.probs {
        CatProbs::Fixed { .. } => 0,
        CatProbs::P(entries) => entries.len(),
        CatProbs::Weights(entries) => entries.len(),
    }
}

/// Tabulates a categorical node's rows over its discrete parents.
pub(super) fn categorical_table(
    rows: &[CatRow],
    n: usize,
    discrete: &Discrete,
) -> Option<Box<CatTable>> {
    let (index, inlined) = discrete.index_for(&row_exprs(rows), n)?;
    let substituted;
    let rows = if inlined.is_some() {
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
