//! The run: parameter draws, work units in ordered blocks, and the fold of
//! each block's results into the per-draw tallies.

use std::sync::atomic::{AtomicBool, Ordering};

use rand::Rng;
use rayon::prelude::*;
use uchronia_model::{Expr, Model, OutcomeKind, ParamId, Ref, Scenario};

use crate::batch::{BATCH, Batch, Scratch};
use crate::draws::DrawDesign;
use crate::fault::{Fault, Place, describe};
use crate::mask::BatchWords;
use crate::program::{OutcomeAcc, Program, takes_word};
use crate::sketch::Sketch;
use crate::streams::{planes_key, trials_stream};
use crate::tally::{DrawTally, Moments, OutcomeTally, ScenarioTally, Tally, YearCounts};
use crate::{BLOCK_UNITS, CHUNK_TRIALS, RunConfig, RunError, RuntimeError};

/// One (draw, chunk) of work.
#[derive(Clone, Copy, Debug)]
struct Unit {
    draw: u64,
    chunk: u64,
    trials: u64,
}

/// What every unit of one draw shares: per requested scenario, the
/// parameter values and the compiled program.
struct DrawSetup {
    params: Vec<Vec<f64>>,
    programs: Vec<Program>,
}

/// The first fault of a unit, by (trial, scenario, node or outcome order).
struct UnitFault {
    scenario: usize,
    place: Place,
    fault: Fault,
}

/// The parameter values of `draw`, one per scenario: the same uniform per
/// parameter in every scenario (from the run's design), through the
/// scenario's own distribution. Quantiles can be costly (beta's is a
/// numerical inversion), so the model's own values are computed once and a
/// scenario recomputes only the params it sets.
fn draw_params(
    model: &Model,
    scenarios: &[&Scenario],
    design: &DrawDesign,
    draw: u64,
) -> Vec<Vec<f64>> {
    let uniforms = design.uniforms(draw);
    let base: Vec<f64> = model
        .params
        .iter()
        .zip(&uniforms)
        .map(|(param, &u)| param.dist.quantile(u))
        .collect();
    scenarios
        .iter()
        .map(|scenario| {
            let mut values = base.clone();
            for (param, dist) in &scenario.settings {
                if let (Some(value), Some(&u)) = (values.get_mut(*param), uniforms.get(*param)) {
                    *value = dist.quantile(u);
                }
            }
            values
        })
        .collect()
}

/// Runs the trials of one unit for every scenario.
fn run_unit(
    model: &Model,
    setup: &DrawSetup,
    unit: Unit,
    seed: u64,
    n_words: usize,
) -> Result<Vec<Vec<OutcomeAcc>>, UnitFault> {
    let mut accs: Vec<Vec<OutcomeAcc>> = setup
        .programs
        .iter()
        .map(|_| OutcomeAcc::for_model(model))
        .collect();
    if unit.trials == 0 {
        return Ok(accs);
    }
    let mut stream = trials_stream(seed, unit.draw, unit.chunk);
    let planes = planes_key(seed, unit.draw, unit.chunk);
    // Words and slots of a batch are slot-major: word `w` of trial `t` at
    // `w * BATCH + t`. Words are still drawn trial by trial, node by node;
    // boolean nodes draw from the batch's planes instead.
    let mut words = vec![0u64; n_words * BATCH];
    let mut batches: Vec<Batch> = setup.programs.iter().map(|p| p.batch(BATCH)).collect();
    let max_states = setup
        .programs
        .iter()
        .map(|p| p.max_states)
        .max()
        .unwrap_or(0);
    let mut scratch = Scratch::new(max_states);
    let mut done = 0;
    while done < unit.trials {
        let n = (unit.trials - done).min(BATCH as u64) as usize;
        let bits = BatchWords::new(planes, done / BATCH as u64);
        for t in 0..n {
            for column in words.chunks_exact_mut(BATCH) {
                column[t] = stream.next_u64();
            }
        }
        for ((program, batch), accs) in setup.programs.iter().zip(&mut batches).zip(&mut accs) {
            if let Err((place, fault)) =
                program.run_batch(&words, bits, batch, BATCH, n, &mut scratch, accs)
            {
                return Err(
                    first_fault(model, setup, &words, bits, n, n_words).unwrap_or(UnitFault {
                        scenario: 0,
                        place,
                        fault,
                    }),
                );
            }
        }
        done += n as u64;
    }
    Ok(accs)
}

/// Replays a failed batch trial by trial, scenarios in order, to find the
/// first fault by (trial, scenario, node): the batch runs node by node, so
/// the fault it stopped at may not be that one.
fn first_fault(
    model: &Model,
    setup: &DrawSetup,
    words: &[u64],
    bits: BatchWords,
    n: usize,
    n_words: usize,
) -> Option<UnitFault> {
    let mut trial_words = vec![0u64; n_words];
    let mut scratch = Scratch::new(0);
    let mut accs = OutcomeAcc::for_model(model);
    for t in 0..n {
        for (w, word) in trial_words.iter_mut().enumerate() {
            *word = words[w * BATCH + t];
        }
        for (scenario, program) in setup.programs.iter().enumerate() {
            let mut batch = program.batch(1);
            if let Err((place, fault)) = program.run_batch(
                &trial_words,
                bits.at_lane(t),
                &mut batch,
                1,
                1,
                &mut scratch,
                &mut accs,
            ) {
                return Some(UnitFault {
                    scenario,
                    place,
                    fault,
                });
            }
        }
    }
    None
}

/// Collects the params that `expr` names, directly or through nodes and outcomes.
fn expr_params(model: &Model, expr: &Expr, out: &mut Vec<ParamId>, seen_outcomes: &mut Vec<bool>) {
    match expr {
        Expr::Number(_) | Expr::Boolean(_) | Expr::State(_) => {}
        Expr::Ref(Ref::Param(p)) => out.push(*p),
        Expr::Ref(Ref::Node(n)) => out.extend(model.param_ancestors(*n)),
        Expr::Ref(Ref::Outcome(o)) => outcome_params(model, *o, out, seen_outcomes),
        Expr::Unary(_, a) => expr_params(model, a, out, seen_outcomes),
        Expr::Binary(_, a, b) => {
            expr_params(model, a, out, seen_outcomes);
            expr_params(model, b, out, seen_outcomes);
        }
        Expr::If(c, a, b) => {
            for e in [c, a, b] {
                expr_params(model, e, out, seen_outcomes);
            }
        }
        Expr::Call(_, args) => {
            for e in args {
                expr_params(model, e, out, seen_outcomes);
            }
        }
    }
}

fn outcome_params(model: &Model, outcome: usize, out: &mut Vec<ParamId>, seen: &mut Vec<bool>) {
    if seen.get(outcome).copied().unwrap_or(true) {
        return;
    }
    seen[outcome] = true;
    let (value, given) = match &model.outcomes[outcome].kind {
        OutcomeKind::Boolean { when, given } => (when, given),
        OutcomeKind::Numeric { value, given } => (value, given),
    };
    expr_params(model, value, out, seen);
    if let Some(given) = given {
        expr_params(model, given, out, seen);
    }
}

/// The params a node or outcome depends on, sorted by id.
fn place_params(model: &Model, place: Place) -> Vec<ParamId> {
    let mut params = match place {
        Place::Node(node) => model.param_ancestors(node),
        Place::Outcome(outcome) => {
            let mut out = Vec::new();
            let mut seen = vec![false; model.outcomes.len()];
            outcome_params(model, outcome, &mut out, &mut seen);
            out
        }
    };
    params.sort_unstable();
    params.dedup();
    params
}

/// Turns a unit's fault into the error the caller shows.
fn runtime_error(
    model: &Model,
    scenarios: &[&Scenario],
    setup: &DrawSetup,
    draw: u64,
    fault: UnitFault,
) -> RuntimeError {
    let values = &setup.params[fault.scenario];
    let (name, is_outcome) = match fault.place {
        Place::Node(n) => (model.nodes[n].name.clone(), false),
        Place::Outcome(o) => (model.outcomes[o].name.clone(), true),
    };
    RuntimeError {
        message: describe(fault.fault.kind(), model, fault.place),
        part: fault.fault.0.part,
        node_or_outcome: name,
        is_outcome,
        scenario: scenarios[fault.scenario].name.clone(),
        draw,
        params: place_params(model, fault.place)
            .into_iter()
            .map(|p| (model.params[p].name.clone(), values[p]))
            .collect(),
    }
}

/// Adds one unit's accumulators to the draw's tally and the scenario's sketches.
fn fold_unit(tally: &mut ScenarioTally, accs: &[OutcomeAcc]) {
    let Some(draw) = tally.draws.last_mut() else {
        return;
    };
    for (outcome, acc) in accs.iter().enumerate() {
        match (acc, &mut draw.outcomes[outcome]) {
            (OutcomeAcc::Boolean { given, hits }, OutcomeTally::Boolean { given: g, hits: h }) => {
                *g += given;
                *h += hits;
            }
            (
                OutcomeAcc::Numeric {
                    moments,
                    sketch,
                    years,
                },
                OutcomeTally::Numeric(m),
            ) => {
                m.merge(moments);
                if let Some(Some(pooled)) = tally.sketches.get_mut(outcome) {
                    pooled.merge(sketch);
                }
                if let Some(years) = years
                    && let Some(counts) = draw.years.iter_mut().find(|c| c.outcome == outcome)
                {
                    counts.add(years);
                }
            }
            _ => {}
        }
    }
}

fn empty_outcomes(model: &Model) -> Vec<OutcomeTally> {
    model
        .outcomes
        .iter()
        .map(|o| match o.kind {
            OutcomeKind::Boolean { .. } => OutcomeTally::Boolean { given: 0, hits: 0 },
            OutcomeKind::Numeric { .. } => OutcomeTally::Numeric(Moments::default()),
        })
        .collect()
}

/// Runs the two-dimensional Monte Carlo of `model` under `config` on the
/// current rayon pool. `progress` receives the number of trials finished
/// (summed over scenarios) after each block; `cancel` is checked between
/// blocks. The result is identical, bit for bit, for any thread count, and a
/// run over `0..D` has the draws of the shards that split it.
pub fn run(
    model: &Model,
    config: &RunConfig,
    progress: &(dyn Fn(u64) + Sync),
    cancel: &AtomicBool,
) -> Result<Tally, RunError> {
    let range = config.draw_range.clone();
    if range.start > range.end || range.end > config.draws {
        return Err(RunError::Config(format!(
            "draw range {}..{} is not within 0..{}",
            range.start, range.end, config.draws
        )));
    }
    let mut scenarios = Vec::with_capacity(config.scenarios.len());
    for &id in &config.scenarios {
        match model.scenarios.get(id) {
            Some(scenario) => scenarios.push(scenario),
            None => {
                return Err(RunError::Config(format!(
                    "scenario {id} does not exist (the model has {})",
                    model.scenarios.len()
                )));
            }
        }
    }
    let trials = config.trials_per_draw;
    // A draw with no trials is still one (empty) unit, so it gets its tally.
    let chunks_per_draw = trials.div_ceil(CHUNK_TRIALS).max(1);
    let n_units = (range.end - range.start)
        .checked_mul(chunks_per_draw)
        .ok_or_else(|| RunError::Config("too many trials".to_string()))?;
    let n_words = model.nodes.iter().filter(|n| takes_word(&n.kind)).count();
    let seed = config.seed;
    let design = DrawDesign::new(model, config)?;

    let mut tallies: Vec<ScenarioTally> = config
        .scenarios
        .iter()
        .map(|&scenario| ScenarioTally {
            scenario,
            draws: Vec::new(),
            sketches: model
                .outcomes
                .iter()
                .map(|o| match o.kind {
                    OutcomeKind::Boolean { .. } => None,
                    OutcomeKind::Numeric { .. } => Some(Sketch::new()),
                })
                .collect(),
        })
        .collect();

    let unit = |k: u64| {
        let chunk = k % chunks_per_draw;
        Unit {
            draw: range.start + k / chunks_per_draw,
            chunk,
            trials: (trials - chunk * CHUNK_TRIALS).min(CHUNK_TRIALS),
        }
    };
    let year_spans = model.year_outcomes();
    let mut next = 0;
    while next < n_units {
        if cancel.load(Ordering::Relaxed) {
            return Err(RunError::Cancelled);
        }
        let end = n_units.min(next + BLOCK_UNITS as u64);
        let units: Vec<Unit> = (next..end).map(unit).collect();
        let first_draw = units[0].draw;
        let last_draw = units[units.len() - 1].draw;
        let setups: Vec<DrawSetup> = (first_draw..last_draw + 1)
            .into_par_iter()
            .map(|draw| {
                let params = draw_params(model, &scenarios, &design, draw);
                let programs = scenarios
                    .iter()
                    .zip(&params)
                    .map(|(scenario, values)| Program::compile(model, scenario, values))
                    .collect();
                DrawSetup { params, programs }
            })
            .collect();
        let results: Vec<_> = units
            .par_iter()
            .map(|u| {
                run_unit(
                    model,
                    &setups[(u.draw - first_draw) as usize],
                    *u,
                    seed,
                    n_words,
                )
            })
            .collect();
        let mut done = 0;
        for (u, result) in units.iter().zip(results) {
            let setup = &setups[(u.draw - first_draw) as usize];
            let accs =
                result.map_err(|fault| runtime_error(model, &scenarios, setup, u.draw, fault))?;
            for ((tally, accs), params) in tallies.iter_mut().zip(&accs).zip(&setup.params) {
                if u.chunk == 0 {
                    tally.draws.push(DrawTally {
                        index: u.draw,
                        params: params.clone(),
                        outcomes: empty_outcomes(model),
                        years: (year_spans.iter())
                            .map(|&(o, y)| YearCounts::new(o, y.first, y.last))
                            .collect(),
                    });
                }
                fold_unit(tally, accs);
            }
            done += u.trials;
        }
        progress(done * scenarios.len() as u64);
        next = end;
    }

    Ok(Tally {
        seed,
        draws: config.draws,
        trials_per_draw: trials,
        draw_range: range,
        scenarios: tallies,
        design: config.design,
    })
}
