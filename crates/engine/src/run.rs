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
use crate::share::Sources;
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
/// parameter values and the compiled program, which copies the nodes it
/// shares with an earlier scenario (`share.rs`).
struct DrawSetup {
    params: Vec<Vec<f64>>,
    programs: Vec<Program>,
}

impl DrawSetup {
    /// The programs of one draw whose param values are `params` (one vector
    /// per scenario).
    fn new(model: &Model, scenarios: &[&Scenario], params: Vec<Vec<f64>>) -> DrawSetup {
        let mut programs: Vec<Program> = scenarios
            .iter()
            .zip(&params)
            .map(|(scenario, values)| Program::compile(model, scenario, values))
            .collect();
        Sources::find(model, scenarios, &params).share(&mut programs);
        DrawSetup { params, programs }
    }
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
        for (s, (program, accs)) in setup.programs.iter().zip(&mut accs).enumerate() {
            let (earlier, batch) = batches.split_at_mut(s);
            if let Err((place, fault)) = program.run_batch(
                &words,
                bits,
                earlier,
                &mut batch[0],
                BATCH,
                n,
                &mut scratch,
                accs,
            ) {
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
        // Scenarios in order, so that copies find the earlier ones' values.
        let mut batches: Vec<Batch> = Vec::with_capacity(setup.programs.len());
        for (scenario, program) in setup.programs.iter().enumerate() {
            let mut batch = program.batch(1);
            if let Err((place, fault)) = program.run_batch(
                &trial_words,
                bits.at_lane(t),
                &batches,
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
            batches.push(batch);
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
                DrawSetup::new(
                    model,
                    &scenarios,
                    draw_params(model, &scenarios, &design, draw),
                )
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

#[cfg(test)]
mod tests {
    use uchronia_model::{DistKind, Value};
    use uchronia_test_support::models::*;

    use super::*;
    use crate::program::NodeOp;

    /// A model whose scenarios intervene on some nodes and set a param read
    /// by one: every kind of node, masks read and not read, a categorical
    /// with a rank slot, a derived boolean packed, per-trial numbers.
    /// Scenario 0 fixes the readers of some nodes' masks and columns (of
    /// w's and d's masks, of e's column), so that a later scenario sharing
    /// them must make what 0 did not; z reads w's rank.
    fn model() -> Model {
        let mut b = Builder::new();
        let pa = b.param("pa", dist(DistKind::Uniform, &[0.2, 0.8]));
        let pb = b.param("pb", dist(DistKind::Uniform, &[0.1, 0.9]));
        // States 0 and 2 of the interned names: not consecutive, so w has
        // a rank slot, which tables over it read.
        let calm = b.state("calm");
        let _ = b.state("unused");
        let a = b.boolean("a", param(pa));
        let u = b.uniform("u");
        let stormy = b.state("stormy");
        let w = b.categorical(
            "w",
            &["calm", "stormy"],
            vec![
                p_row(Some(node(a)), vec![Some(num(0.4)), None]),
                p_row(None, vec![Some(num(0.1)), None]),
            ],
        );
        let bb = b.boolean(
            "b",
            iff(
                eq(node(w), state(stormy)),
                iff(node(a), num(0.9), num(0.6)),
                num(0.2),
            ),
        );
        let x = b.boolean("x", node(u));
        let d = b.derived("d", and(node(a), not(node(x))));
        let c = b.boolean("c", iff(node(d), num(0.7), num(0.2)));
        let e = b.boolean("e", num(0.4));
        let g = b.numeric(
            "g",
            DistKind::Normal,
            vec![iff(node(e), num(1.0), num(0.0)), num(1.0)],
            None,
            None,
            false,
        );
        let y = b.numeric(
            "y",
            DistKind::Normal,
            vec![mul(node(u), param(pb)), num(0.5)],
            Some(num(-1.0)),
            Some(num(2.0)),
            false,
        );
        let z = b.derived(
            "z",
            add(
                add(node(u), node(y)),
                iff(eq(node(w), state(stormy)), num(1.0), num(0.0)),
            ),
        );
        let t = b.boolean("t", iff(eq(node(w), state(stormy)), param(pb), num(0.3)));
        // Outcomes read only the masks of a, b, x, c, e and t: only g reads
        // e's column, only b and t read w's masks, only c reads d's.
        for (name, n) in [("a", a), ("b", bb), ("x", x), ("c", c), ("e", e), ("t", t)] {
            b.event(name, node(n));
        }
        b.event_given("c_given_b", node(c), or(node(bb), node(t)));
        for (name, n) in [("u", u), ("g", g), ("y", y), ("z", z)] {
            b.value(name, node(n), None);
        }
        b.value("g_given_x", add(node(g), node(z)), Some(node(x)));
        let calm = Value::State(calm);
        let fixed = Value::Boolean(true);
        b.scenario(
            "fixed",
            vec![(bb, fixed), (t, fixed), (c, fixed), (g, Value::Number(0.5))],
            vec![],
        );
        b.scenario("reference", vec![], vec![]);
        b.scenario("do_x", vec![(x, fixed)], vec![]);
        b.scenario("set_pb", vec![], vec![(pb, dist(DistKind::Fixed, &[0.5]))]);
        b.scenario("do_x_again", vec![(x, fixed)], vec![]);
        b.scenario("do_w", vec![(w, calm)], vec![]);
        b.build()
    }

    /// Every unit of a few draws run with the draws' programs as `run`
    /// makes them and compiled alone: the same accumulators, bit for bit,
    /// or the same fault. Returns the number of copies, of copies that
    /// expand a boolean's column and of packs that follow a copy.
    fn same_with_and_without_copies(
        model: &Model,
        draws: u64,
        trials: u64,
    ) -> (usize, usize, usize) {
        let scenarios: Vec<&Scenario> = model.scenarios.iter().collect();
        let config = RunConfig {
            seed: 5,
            draws,
            trials_per_draw: trials,
            scenarios: (0..scenarios.len()).collect(),
            draw_range: 0..draws,
            design: Default::default(),
        };
        let design = DrawDesign::new(model, &config).expect("a design");
        let n_words = model.nodes.iter().filter(|n| takes_word(&n.kind)).count();
        let (mut copies, mut expanded, mut packed) = (0, 0, 0);
        for draw in 0..draws {
            let params = draw_params(model, &scenarios, &design, draw);
            let shared = DrawSetup::new(model, &scenarios, params.clone());
            let alone = DrawSetup {
                programs: (scenarios.iter().zip(&params))
                    .map(|(scenario, values)| Program::compile(model, scenario, values))
                    .collect(),
                params,
            };
            for ops in shared.programs.iter().map(|p| &p.nodes) {
                for (op, next) in ops.iter().zip(ops.iter().skip(1).map(Some).chain([None])) {
                    if let NodeOp::Copy { expand_mask, .. } = op {
                        copies += 1;
                        expanded += usize::from(expand_mask.is_some());
                        packed += usize::from(matches!(next, Some(NodeOp::Pack { .. })));
                    }
                }
            }
            for chunk in 0..trials.div_ceil(CHUNK_TRIALS) {
                let unit = Unit {
                    draw,
                    chunk,
                    trials: (trials - chunk * CHUNK_TRIALS).min(CHUNK_TRIALS),
                };
                let result = |setup: &DrawSetup| match run_unit(model, setup, unit, 5, n_words) {
                    Ok(accs) => format!("{accs:?}"),
                    Err(f) => format!("{} {:?} {:?}", f.scenario, f.place, f.fault),
                };
                assert_eq!(result(&shared), result(&alone), "draw {draw}");
            }
        }
        (copies, expanded, packed)
    }

    #[test]
    fn copied_nodes_give_what_running_them_gives() {
        let model = model();
        // A partial last batch, and a second chunk.
        let (copies, expanded, packed) =
            same_with_and_without_copies(&model, 3, CHUNK_TRIALS + 1000);
        // Scenario 0 expands a's column for nobody and packs no mask of w
        // or d: later scenarios that read them make them from the copies.
        assert!(
            copies > 0 && expanded > 0 && packed > 0,
            "{copies} {expanded} {packed}"
        );
    }

    #[test]
    fn shared_nodes_follow_the_graph_and_the_params() {
        let model = model();
        let scenarios: Vec<&Scenario> = model.scenarios.iter().collect();
        let params: Vec<Vec<f64>> = vec![
            vec![0.3, 0.7],
            vec![0.3, 0.7],
            vec![0.3, 0.7],
            vec![0.3, 0.5],
            vec![0.3, 0.7],
            vec![0.3, 0.7],
        ];
        let sources = Sources::find(&model, &scenarios, &params);
        let names: Vec<&str> = model.nodes.iter().map(|n| n.name.as_str()).collect();
        // Per scenario, the nodes it shares and where from.
        let shared = |s: usize| -> String {
            let pairs = (sources.0[s].iter().enumerate()).filter(|&(_, &r)| r != s);
            let pairs: Vec<String> = pairs.map(|(v, r)| format!("{}{r}", names[v])).collect();
            pairs.join(" ")
        };
        // `fixed` fixes b, c, g and t: the rest is the reference's.
        assert_eq!(shared(1), "a0 u0 w0 x0 d0 e0 y0 z0");
        // x's descendants d and c differ; b, g and t are the reference's.
        assert_eq!(shared(2), "a0 u0 w0 b1 e0 g1 y0 z0 t1");
        // pb's readers y and t differ, and z, which reads y.
        assert_eq!(shared(3), "a0 u0 w0 b1 x0 d0 c1 e0 g1");
        // The same `do` as do_x: every node, x itself included.
        assert_eq!(shared(4), "a0 u0 w0 b1 x2 d2 c2 e0 g1 y0 z0 t1");
        // w fixed: its readers b, t and z differ; c (over d) does not.
        assert_eq!(shared(5), "a0 u0 x0 d0 c1 e0 g1 y0");
    }
}
