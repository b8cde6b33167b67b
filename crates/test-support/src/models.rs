//! Builds small `Model`s by hand (the IR structs directly, no loader) and
//! runs them, so the engine's tests, benchmarks and examples depend on
//! nothing but the contract types.

use std::sync::atomic::AtomicBool;

use uchronia_engine::{RunConfig, RunError, Tally, run};
use uchronia_model::{
    BinaryOp, Dist, DistExpr, DistKind, Expr, Function, Model, Node, NodeId, NodeKind, Outcome,
    OutcomeId, OutcomeKind, Param, ParamId, Probs, Ref, ReportSettings, Row, Scenario, ScenarioId,
    Span, StateId, UnaryOp, Value,
};

/// A model under construction; names and states are registered as added.
pub struct Builder {
    /// The model so far.
    pub model: Model,
}

fn collect_refs(expr: &Expr, out: &mut Vec<Ref>) {
    match expr {
        Expr::Number(_) | Expr::Boolean(_) | Expr::State(_) => {}
        Expr::Ref(r) => {
            if !out.contains(r) {
                out.push(*r);
            }
        }
        Expr::Unary(_, a) => collect_refs(a, out),
        Expr::Binary(_, a, b) => {
            collect_refs(a, out);
            collect_refs(b, out);
        }
        Expr::If(c, a, b) => {
            collect_refs(c, out);
            collect_refs(a, out);
            collect_refs(b, out);
        }
        Expr::Call(_, args) => args.iter().for_each(|a| collect_refs(a, out)),
    }
}

impl Default for Builder {
    fn default() -> Self {
        Self::new()
    }
}

impl Builder {
    /// An empty model named `test`, with no scenario yet.
    pub fn new() -> Builder {
        Builder {
            model: Model {
                name: "test".into(),
                title: "Test".into(),
                doc: None,
                params: Vec::new(),
                nodes: Vec::new(),
                outcomes: Vec::new(),
                scenarios: Vec::new(),
                state_names: Vec::new(),
                report: ReportSettings::default(),
                correlations: Vec::new(),
                ex_ante: Vec::new(),
            },
        }
    }

    /// Adds a parameter.
    pub fn param(&mut self, name: &str, dist: Dist) -> ParamId {
        self.model.params.push(Param {
            name: name.into(),
            doc: None,
            label: None,
            source: Vec::new(),
            hindsight: None,
            ex_ante_group: None,
            ex_ante: None,
            dist,
            span: Span::default(),
        });
        self.model.params.len() - 1
    }

    fn node(&mut self, name: &str, kind: NodeKind, exprs: &[&Expr]) -> NodeId {
        let mut parents = Vec::new();
        for e in exprs {
            collect_refs(e, &mut parents);
        }
        self.model.nodes.push(Node {
            name: name.into(),
            doc: None,
            label: None,
            source: Vec::new(),
            kind,
            parents,
            year: None,
            fact: None,
            span: Span::default(),
        });
        self.model.nodes.len() - 1
    }

    /// Adds a boolean node with probability `p`.
    pub fn boolean(&mut self, name: &str, p: Expr) -> NodeId {
        let refs = p.clone();
        self.node(name, NodeKind::Boolean { p }, &[&refs])
    }

    /// Adds a derived node.
    pub fn derived(&mut self, name: &str, value: Expr) -> NodeId {
        let refs = value.clone();
        self.node(name, NodeKind::Derived { value }, &[&refs])
    }

    /// The interned id of a state name (added when new).
    pub fn state(&mut self, name: &str) -> StateId {
        let names = &mut self.model.state_names;
        let index = names.iter().position(|n| n == name).unwrap_or_else(|| {
            names.push(name.into());
            names.len() - 1
        });
        StateId(index as u32)
    }

    /// Adds a categorical node with its states and rows.
    pub fn categorical(&mut self, name: &str, states: &[&str], table: Vec<Row>) -> NodeId {
        let states: Vec<StateId> = states.iter().map(|s| self.state(s)).collect();
        let mut exprs: Vec<Expr> = Vec::new();
        for row in &table {
            exprs.extend(row.when.clone());
            match &row.probs {
                Probs::P(ps) => exprs.extend(ps.iter().flatten().cloned()),
                Probs::Weights(ws) => exprs.extend(ws.iter().cloned()),
            }
        }
        let refs: Vec<&Expr> = exprs.iter().collect();
        self.node(name, NodeKind::Categorical { states, table }, &refs)
    }

    /// Adds a numeric node with distribution arguments, clamps and rounding.
    pub fn numeric(
        &mut self,
        name: &str,
        kind: DistKind,
        args: Vec<Expr>,
        lower: Option<Expr>,
        upper: Option<Expr>,
        round: bool,
    ) -> NodeId {
        let mut exprs: Vec<Expr> = args.clone();
        exprs.extend(lower.clone());
        exprs.extend(upper.clone());
        let refs: Vec<&Expr> = exprs.iter().collect();
        let kind = NodeKind::Numeric {
            dist: DistExpr::Args { kind, args },
            lower,
            upper,
            round,
        };
        self.node(name, kind, &refs)
    }

    /// Adds a numeric node uniform on [0, 1], without clamps or rounding: a
    /// number drawn anew every trial, the plainest one for a test whose
    /// nodes must read a value that changes from trial to trial.
    pub fn uniform(&mut self, name: &str) -> NodeId {
        self.numeric(
            name,
            DistKind::Uniform,
            vec![num(0.0), num(1.0)],
            None,
            None,
            false,
        )
    }

    /// Adds a numeric node given by its 90% interval.
    pub fn numeric_ci90(&mut self, name: &str, kind: DistKind, lo: Expr, hi: Expr) -> NodeId {
        let refs = [lo.clone(), hi.clone()];
        let kind = NodeKind::Numeric {
            dist: DistExpr::Ci90 { kind, lo, hi },
            lower: None,
            upper: None,
            round: false,
        };
        self.node(name, kind, &[&refs[0], &refs[1]])
    }

    fn outcome(&mut self, name: &str, kind: OutcomeKind) -> OutcomeId {
        self.model.outcomes.push(Outcome {
            name: name.into(),
            doc: None,
            label: None,
            kind,
            span: Span::default(),
            listed: true,
        });
        self.model.outcomes.len() - 1
    }

    /// Adds a boolean outcome.
    pub fn event(&mut self, name: &str, when: Expr) -> OutcomeId {
        self.outcome(name, OutcomeKind::Boolean { when, given: None })
    }

    /// Adds a boolean outcome that counts only where `given` holds.
    pub fn event_given(&mut self, name: &str, when: Expr, given: Expr) -> OutcomeId {
        self.outcome(
            name,
            OutcomeKind::Boolean {
                when,
                given: Some(given),
            },
        )
    }

    /// Adds a numeric outcome.
    pub fn value(&mut self, name: &str, value: Expr, given: Option<Expr>) -> OutcomeId {
        self.outcome(name, OutcomeKind::Numeric { value, given })
    }

    /// Adds a scenario with its interventions and parameter settings.
    pub fn scenario(
        &mut self,
        name: &str,
        mut interventions: Vec<(NodeId, Value)>,
        mut settings: Vec<(ParamId, Dist)>,
    ) -> ScenarioId {
        interventions.sort_by_key(|(n, _)| *n);
        settings.sort_by_key(|(p, _)| *p);
        self.model.scenarios.push(Scenario {
            name: name.into(),
            doc: None,
            label: None,
            baseline_label: None,
            interventions,
            settings,
            facts_through: None,
            span: Span::default(),
        });
        self.model.scenarios.len() - 1
    }

    /// The finished model.
    pub fn build(self) -> Model {
        self.model
    }
}

// Expression constructors.

/// A number.
pub fn num(x: f64) -> Expr {
    Expr::Number(x)
}
/// `true`.
pub fn tru() -> Expr {
    Expr::Boolean(true)
}
/// A parameter reference.
pub fn param(p: ParamId) -> Expr {
    Expr::Ref(Ref::Param(p))
}
/// A node reference.
pub fn node(n: NodeId) -> Expr {
    Expr::Ref(Ref::Node(n))
}
/// An outcome reference.
pub fn outcome(o: OutcomeId) -> Expr {
    Expr::Ref(Ref::Outcome(o))
}
/// A state.
pub fn state(s: StateId) -> Expr {
    Expr::State(s)
}
/// A binary operation.
pub fn bin(op: BinaryOp, a: Expr, b: Expr) -> Expr {
    Expr::Binary(op, Box::new(a), Box::new(b))
}
/// `a and b`.
pub fn and(a: Expr, b: Expr) -> Expr {
    bin(BinaryOp::And, a, b)
}
/// `a or b`.
pub fn or(a: Expr, b: Expr) -> Expr {
    bin(BinaryOp::Or, a, b)
}
/// `not a`.
pub fn not(a: Expr) -> Expr {
    Expr::Unary(UnaryOp::Not, Box::new(a))
}
/// `-a`.
pub fn neg(a: Expr) -> Expr {
    Expr::Unary(UnaryOp::Neg, Box::new(a))
}
/// `a == b`.
pub fn eq(a: Expr, b: Expr) -> Expr {
    bin(BinaryOp::Eq, a, b)
}
/// `a > b`.
pub fn gt(a: Expr, b: Expr) -> Expr {
    bin(BinaryOp::Gt, a, b)
}
/// `a * b`.
pub fn mul(a: Expr, b: Expr) -> Expr {
    bin(BinaryOp::Mul, a, b)
}
/// `a + b`.
pub fn add(a: Expr, b: Expr) -> Expr {
    bin(BinaryOp::Add, a, b)
}
/// `a - b`.
pub fn sub(a: Expr, b: Expr) -> Expr {
    bin(BinaryOp::Sub, a, b)
}
/// `a / b`.
pub fn div(a: Expr, b: Expr) -> Expr {
    bin(BinaryOp::Div, a, b)
}
/// `if c then a else b`.
pub fn iff(c: Expr, a: Expr, b: Expr) -> Expr {
    Expr::If(Box::new(c), Box::new(a), Box::new(b))
}
/// A function call.
pub fn call(f: Function, args: Vec<Expr>) -> Expr {
    Expr::Call(f, args)
}

/// A row with `p.STATE` entries (`None` takes the remainder).
pub fn p_row(when: Option<Expr>, ps: Vec<Option<Expr>>) -> Row {
    Row {
        when,
        probs: Probs::P(ps),
    }
}

/// A row with weights.
pub fn w_row(when: Option<Expr>, ws: Vec<Expr>) -> Row {
    Row {
        when,
        probs: Probs::Weights(ws),
    }
}

/// A valid distribution (panics on invalid arguments: a test bug).
pub fn dist(kind: DistKind, args: &[f64]) -> Dist {
    Dist::new(kind, args).expect("valid test distribution")
}

/// A whole run of `draws` draws of `trials` trials.
pub fn config(seed: u64, draws: u64, trials: u64, scenarios: Vec<ScenarioId>) -> RunConfig {
    RunConfig {
        seed,
        draws,
        trials_per_draw: trials,
        scenarios,
        draw_range: 0..draws,
        design: Default::default(),
    }
}

/// Runs on the current pool without progress or cancellation.
pub fn try_run(model: &Model, config: &RunConfig) -> Result<Tally, RunError> {
    run(model, config, &|_| {}, &AtomicBool::new(false))
}

/// [`try_run`], which must succeed.
pub fn run_ok(model: &Model, config: &RunConfig) -> Tally {
    match try_run(model, config) {
        Ok(tally) => tally,
        Err(e) => panic!("run failed: {e}"),
    }
}

/// Runs inside a rayon pool of `threads` threads.
pub fn run_on(threads: usize, model: &Model, config: &RunConfig) -> Result<Tally, RunError> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("pool");
    pool.install(|| try_run(model, config))
}

/// Per draw, the fraction of trials where boolean outcome `o` held.
pub fn p_draws(tally: &Tally, scenario: usize, o: OutcomeId) -> Vec<f64> {
    tally.scenarios[scenario]
        .draws
        .iter()
        .map(|d| match d.outcomes[o] {
            uchronia_engine::OutcomeTally::Boolean { given, hits } => hits as f64 / given as f64,
            _ => panic!("not a boolean outcome"),
        })
        .collect()
}

/// Mean over draws of `p_d`.
pub fn p_mean(tally: &Tally, scenario: usize, o: OutcomeId) -> f64 {
    let ps = p_draws(tally, scenario, o);
    ps.iter().sum::<f64>() / ps.len() as f64
}

/// The pooled moments of numeric outcome `o`.
pub fn pooled(tally: &Tally, scenario: usize, o: OutcomeId) -> uchronia_engine::Moments {
    let mut m = uchronia_engine::Moments::default();
    for d in &tally.scenarios[scenario].draws {
        match &d.outcomes[o] {
            uchronia_engine::OutcomeTally::Numeric(x) => m.merge(x),
            _ => panic!("not a numeric outcome"),
        }
    }
    m
}

/// The sample variance.
pub fn variance(xs: &[f64]) -> f64 {
    let n = xs.len() as f64;
    let mean = xs.iter().sum::<f64>() / n;
    xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)
}

/// A generated model of `n_nodes` nodes and `n_params` params, the shape of
/// a real one: mostly boolean nodes with conditional probabilities of
/// params, categorical nodes with two-row tables, two numeric nodes and a
/// derived one; six boolean outcomes and a numeric one; two scenarios (the
/// second intervenes on an early node and sets a param).
pub fn generated_model(n_nodes: usize, n_params: usize) -> Model {
    let mut b = Builder::new();
    let mut rng = 0x2545_f491_4f6c_dd1d_u64;
    let mut next = move |n: usize| {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        (rng % n as u64) as usize
    };
    let params: Vec<usize> = (0..n_params)
        .map(|i| {
            let d = match i % 3 {
                0 => dist(
                    DistKind::Beta,
                    &[2.0 + (i % 4) as f64, 3.0 + (i % 5) as f64],
                ),
                1 => dist(DistKind::Uniform, &[0.1, 0.6]),
                _ => dist(DistKind::Pert, &[0.05, 0.3, 0.8]),
            };
            b.param(&format!("param_{i}"), d)
        })
        .collect();
    let states = ["low", "mid", "high"];
    let low = b.state("low");
    let high = b.state("high");
    let mut booleans: Vec<usize> = Vec::new();
    let mut categoricals: Vec<usize> = Vec::new();
    let mut numerics: Vec<usize> = Vec::new();
    for i in 0..n_nodes {
        let name = format!("node_{i}");
        let pa = param(params[next(params.len())]);
        let pb = param(params[next(params.len())]);
        let id = if booleans.len() < 2 {
            let id = b.boolean(&name, pa);
            booleans.push(id);
            id
        } else if i % 10 == 6 || i % 10 == 8 {
            let cond = and(
                node(booleans[next(booleans.len())]),
                not(node(booleans[next(booleans.len())])),
            );
            let id = b.categorical(
                &name,
                &states,
                vec![
                    p_row(
                        Some(cond),
                        vec![
                            Some(pa.clone()),
                            Some(mul(num(0.5), sub(num(1.0), pa))),
                            None,
                        ],
                    ),
                    w_row(None, vec![num(6.0), mul(num(4.0), pb), num(1.0)]),
                ],
            );
            categoricals.push(id);
            id
        } else if i == n_nodes / 2 || i == n_nodes / 2 + 1 {
            let id = if numerics.is_empty() {
                b.numeric(
                    "num_a",
                    DistKind::Normal,
                    vec![mul(num(10.0), pa), num(1.0)],
                    Some(num(0.0)),
                    None,
                    true,
                )
            } else {
                b.numeric(
                    "num_b",
                    DistKind::Triangular,
                    vec![num(0.0), mul(num(5.0), pa), num(5.0)],
                    None,
                    None,
                    false,
                )
            };
            numerics.push(id);
            id
        } else if i == n_nodes / 2 + 2 && numerics.len() == 2 {
            let id = b.derived(
                &name,
                gt(add(node(numerics[0]), node(numerics[1])), num(6.0)),
            );
            booleans.push(id);
            id
        } else {
            let a = node(booleans[next(booleans.len())]);
            let c = node(booleans[next(booleans.len())]);
            let p = match i % 4 {
                0 => iff(a, pa, mul(num(0.3), pb)),
                1 => iff(
                    and(a, c.clone()),
                    num(0.8),
                    iff(or(node(booleans[next(booleans.len())]), c), pa, num(0.1)),
                ),
                2 if !categoricals.is_empty() => iff(
                    eq(node(categoricals[next(categoricals.len())]), state(high)),
                    add(num(0.2), mul(num(0.5), pa)),
                    pb,
                ),
                _ => call(
                    Function::Logistic,
                    vec![sub(mul(num(3.0), pa), iff(a, num(0.5), num(1.5)))],
                ),
            };
            let id = b.boolean(&name, p);
            booleans.push(id);
            id
        };
        let _ = id;
    }
    for k in 0..6 {
        let a = booleans[booleans.len() - 1 - k * 3 % booleans.len()];
        let c = booleans[booleans.len() - 2 - k % (booleans.len() - 1)];
        b.event(&format!("event_{k}"), or(node(a), node(c)));
    }
    if let Some(&cat) = categoricals.last() {
        b.event("low_last", eq(node(cat), state(low)));
    }
    if let Some(&n) = numerics.first() {
        b.value("num_value", node(n), None);
    }
    b.scenario("base", vec![], vec![]);
    b.scenario(
        "divergence",
        vec![(booleans[3], Value::Boolean(true))],
        vec![(params[0], dist(DistKind::Beta, &[5.0, 2.0]))],
    );
    b.build()
}
