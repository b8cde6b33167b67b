//! Valid models: the IR they produce (order, parents, states, remainders,
//! interventions) and the expression language through `compile_expression`.

mod common;

use uchronia_model::*;

const FULL: &str = r#"
[model]
name = "every-feature_1"
title = "Every feature of the language"
doc = "A model that uses each table, key, distribution and node kind once."

[params.support]
doc = "Share of the Central Committee that backs Trotsky."
source = ["deutscher1959", "carr1954"]
dist = "beta"
a = 3
b = 7

[params.ill_rate]
doc = "Chance Trotsky is ill at the decisive moment."
dist = "beta"
ci90 = [0.1, 0.4]

[params.fixed_one]
doc = "A fixed number."
dist = "fixed"
value = 1

[params.spread]
doc = "A uniform."
dist = "uniform"
low = 0
high = 2

[params.guess]
doc = "A PERT."
dist = "pert"
min = 0
mode = 1
max = 4

[params.tri]
doc = "A triangular."
dist = "triangular"
min = 0
mode = 0.5
max = 1

[params.shift]
doc = "A normal by its 90% interval."
dist = "normal"
ci90 = [10, 20]

[params.noise]
doc = "A normal."
dist = "normal"
mean = 0
sd = 1

[params.scale]
doc = "A lognormal by its 90% interval."
dist = "lognormal"
ci90 = [1, 100]

[params.size]
doc = "A lognormal."
dist = "lognormal"
mu = 0
sigma = 0.5

[nodes.leader]
doc = "Who leads the USSR by 1928."
source = ["service2009"]
states = ["stalin", "trotsky", "bukharin", "collective"]

[[nodes.leader.table]]
when = "testament_read and not trotsky_ill"
p = { trotsky = "support", stalin = "0.8 * (1 - support)", bukharin = "0.1 * (1 - support)" }

[[nodes.leader.table]]
weights = { stalin = 80, bukharin = 10, trotsky = 2, collective = 8 }

[nodes.testament_read]
doc = "Lenin's testament is read to the congress."
p = 0.3

[nodes.trotsky_ill]
doc = "Trotsky is ill."
p = "ill_rate"

[nodes.purge]
doc = "How far the purges go."
states = ["none", "partial", "great"]
p = { none = 0.2, great = "0.1 + 0.1 * support" }

[nodes.war_year]
doc = "Year the war starts."
dist = "normal"
mean = "1939 + if(leader == 'trotsky', 2, 0)"
sd = 1.5
lower = 1935
upper = "1950"
round = true

[nodes.army]
doc = "Army readiness."
dist = "beta"
ci90 = ["0.5", 0.9]

[nodes.stable]
doc = "The regime is stable."
value = "leader == 'stalin' or purge != 'great'"

[nodes.score]
doc = "Precedence check."
value = "-2^2 + 2^-1 + 2^3^2"

[nodes.weighted]
doc = "Shares a state name with leader."
states = ["a", "trotsky"]
weights = { a = "1 + spread", trotsky = 1 }

[outcomes.trotsky_leads]
doc = "Trotsky leads in 1928."
when = "leader == 'trotsky'"

[outcomes.war_start]
doc = "Year the war starts, where the regime is stable."
value = "war_year"
given = "stable_war"

[outcomes.stable_war]
doc = "The regime is stable and the war starts before 1945."
when = "stable and war_year < 1945"

[scenarios.history]
doc = "What happened."
do = { testament_read = false }

[scenarios.testament]
doc = "The testament is read."
do = { war_year = 1941, stable = true, leader = "trotsky", testament_read = true }
set = { support = { dist = "beta", a = 4, b = 6 }, ill_rate = 0.1 }

[report]
headline = ["trotsky_leads"]
"#;

fn full() -> Loaded {
    match load("full.toml", FULL) {
        Ok(loaded) => loaded,
        Err(errors) => panic!("{errors}"),
    }
}

fn node_id(model: &Model, name: &str) -> NodeId {
    model
        .nodes
        .iter()
        .position(|n| n.name == name)
        .expect("node exists")
}

fn param_id(model: &Model, name: &str) -> ParamId {
    model
        .params
        .iter()
        .position(|p| p.name == name)
        .expect("param exists")
}

#[test]
fn header_and_no_warnings() {
    let loaded = full();
    // The file shows every feature, not a working model: many of its params
    // and nodes feed no outcome (dead ends are tested in tests/ranges.rs).
    let warnings: Vec<_> = (loaded.warnings.iter())
        .filter(|w| w.check != Check::DeadEnd)
        .collect();
    assert!(warnings.is_empty(), "{warnings:?}");
    let model = &loaded.model;
    assert_eq!(model.name, "every-feature_1");
    assert_eq!(model.title, "Every feature of the language");
    assert!(model.doc.as_deref().unwrap_or("").starts_with("A model"));
}

#[test]
fn nodes_are_in_topological_order_with_file_order_ties() {
    let model = full().model;
    let names: Vec<&str> = model.nodes.iter().map(|n| n.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "testament_read",
            "trotsky_ill",
            "leader",
            "purge",
            "war_year",
            "army",
            "stable",
            "score",
            "weighted"
        ]
    );
    let outcomes: Vec<&str> = model.outcomes.iter().map(|o| o.name.as_str()).collect();
    assert_eq!(outcomes, ["trotsky_leads", "stable_war", "war_start"]);
    assert!(model.outcomes.iter().all(|o| o.listed));
}

#[test]
fn parents_in_first_mention_order() {
    let model = full().model;
    let support = param_id(&model, "support");
    let leader = &model.nodes[node_id(&model, "leader")];
    assert_eq!(
        leader.parents,
        vec![Ref::Node(0), Ref::Node(1), Ref::Param(support)]
    );
    let stable = &model.nodes[node_id(&model, "stable")];
    assert_eq!(stable.parents, vec![Ref::Node(2), Ref::Node(3)]);
    assert_eq!(
        model.nodes[node_id(&model, "trotsky_ill")].parents,
        vec![Ref::Param(param_id(&model, "ill_rate"))]
    );
    assert!(model.nodes[0].parents.is_empty());
    assert_eq!(
        model.param_ancestors(node_id(&model, "war_year")),
        vec![support, param_id(&model, "ill_rate")]
    );
}

#[test]
fn states_are_interned_model_wide() {
    let model = full().model;
    assert_eq!(
        model.state_names,
        [
            "stalin",
            "trotsky",
            "bukharin",
            "collective",
            "none",
            "partial",
            "great",
            "a"
        ]
    );
    let NodeKind::Categorical { states, .. } = &model.nodes[node_id(&model, "weighted")].kind
    else {
        panic!("categorical")
    };
    assert_eq!(states, &[StateId(7), StateId(1)]);
    assert_eq!(model.node_type(node_id(&model, "leader")), Type::State);
}

#[test]
fn categorical_tables_and_remainders() {
    let model = full().model;
    let NodeKind::Categorical { states, table } = &model.nodes[node_id(&model, "leader")].kind
    else {
        panic!("categorical")
    };
    assert_eq!(states.len(), 4);
    assert_eq!(table.len(), 2);
    assert!(table[0].when.is_some());
    let Probs::P(p) = &table[0].probs else {
        panic!("p row")
    };
    // Probabilities in the order of `states`; collective takes the remainder.
    assert_eq!(
        p[1],
        Some(Expr::Ref(Ref::Param(param_id(&model, "support"))))
    );
    assert!(p[0].is_some() && p[2].is_some() && p[3].is_none());
    assert!(table[1].when.is_none());
    let Probs::Weights(w) = &table[1].probs else {
        panic!("weights row")
    };
    assert_eq!(
        w,
        &vec![
            Expr::Number(80.0),
            Expr::Number(2.0),
            Expr::Number(10.0),
            Expr::Number(8.0)
        ]
    );

    let NodeKind::Categorical { table, .. } = &model.nodes[node_id(&model, "purge")].kind else {
        panic!()
    };
    assert_eq!(table.len(), 1);
    assert!(table[0].when.is_none());
    let Probs::P(p) = &table[0].probs else {
        panic!("p row")
    };
    assert_eq!(p[0], Some(Expr::Number(0.2)));
    assert!(p[1].is_none(), "partial takes the remainder");
}

#[test]
fn numeric_and_derived_nodes() {
    let model = full().model;
    let NodeKind::Numeric {
        dist,
        lower,
        upper,
        round,
    } = &model.nodes[node_id(&model, "war_year")].kind
    else {
        panic!("numeric")
    };
    assert!(*round);
    assert_eq!(lower, &Some(Expr::Number(1935.0)));
    assert_eq!(upper, &Some(Expr::Number(1950.0)));
    let DistExpr::Args {
        kind: DistKind::Normal,
        args,
    } = dist
    else {
        panic!("normal args")
    };
    assert_eq!(args[1], Expr::Number(1.5));
    let leader = Expr::Ref(Ref::Node(node_id(&model, "leader")));
    let is_trotsky = Expr::Binary(
        BinaryOp::Eq,
        Box::new(leader),
        Box::new(Expr::State(StateId(1))),
    );
    let expected = Expr::Binary(
        BinaryOp::Add,
        Box::new(Expr::Number(1939.0)),
        Box::new(Expr::If(
            Box::new(is_trotsky),
            Box::new(Expr::Number(2.0)),
            Box::new(Expr::Number(0.0)),
        )),
    );
    assert_eq!(args[0], expected);

    let NodeKind::Numeric {
        dist:
            DistExpr::Ci90 {
                kind: DistKind::Beta,
                lo,
                hi,
            },
        ..
    } = &model.nodes[node_id(&model, "army")].kind
    else {
        panic!("beta ci90")
    };
    assert_eq!((lo, hi), (&Expr::Number(0.5), &Expr::Number(0.9)));

    assert_eq!(model.node_type(node_id(&model, "stable")), Type::Boolean);
    assert_eq!(model.node_type(node_id(&model, "score")), Type::Number);
    let NodeKind::Derived { value } = &model.nodes[node_id(&model, "score")].kind else {
        panic!()
    };
    assert_eq!(eval(value), -4.0 + 0.5 + 512.0);
}

/// A valid distribution, by the one constructor.
fn dist(kind: DistKind, args: &[f64]) -> Dist {
    Dist::new(kind, args).expect("valid arguments")
}

#[test]
fn params_are_validated_distributions() {
    let model = full().model;
    assert_eq!(model.params.len(), 10);
    let support = &model.params[param_id(&model, "support")];
    assert_eq!(support.dist, dist(DistKind::Beta, &[3.0, 7.0]));
    assert_eq!(support.source, ["deutscher1959", "carr1954"]);
    assert_eq!(
        model.params[param_id(&model, "fixed_one")].dist,
        dist(DistKind::Fixed, &[1.0])
    );
    let shift = model.params[param_id(&model, "shift")].dist;
    assert!(
        (shift.quantile(0.05) - 10.0).abs() < 1e-6 && (shift.quantile(0.95) - 20.0).abs() < 1e-6,
        "{shift:?}"
    );
    let ill = model.params[param_id(&model, "ill_rate")].dist;
    assert!(
        (ill.cdf(0.1) - 0.05).abs() < 1e-6 && (ill.cdf(0.4) - 0.95).abs() < 1e-6,
        "{ill:?}"
    );
    let scale = model.params[param_id(&model, "scale")].dist;
    assert_eq!(scale.kind(), DistKind::LogNormal);
}

#[test]
fn outcomes_and_given() {
    let model = full().model;
    let OutcomeKind::Numeric { value, given } = &model.outcomes[2].kind else {
        panic!("numeric outcome")
    };
    assert_eq!(value, &Expr::Ref(Ref::Node(node_id(&model, "war_year"))));
    assert_eq!(given, &Some(Expr::Ref(Ref::Outcome(1))));
    let OutcomeKind::Boolean { given: None, .. } = &model.outcomes[0].kind else {
        panic!("boolean outcome")
    };
}

#[test]
fn scenarios_sorted_by_id() {
    let model = full().model;
    assert_eq!(model.scenarios.len(), 2);
    assert_eq!(model.scenarios[0].name, "history");
    assert_eq!(model.scenario_id("testament"), Some(1));
    let testament = &model.scenarios[1];
    assert_eq!(
        testament.interventions,
        vec![
            (0, Value::Boolean(true)),
            (2, Value::State(StateId(1))),
            (4, Value::Number(1941.0)),
            (6, Value::Boolean(true)),
        ]
    );
    assert_eq!(
        testament.settings,
        vec![
            (0, dist(DistKind::Beta, &[4.0, 6.0])),
            (1, dist(DistKind::Fixed, &[0.1]))
        ]
    );
    assert_eq!(model.report.headline, vec![0]);
}

#[test]
fn missing_docs_are_warnings() {
    let loaded = uchronia_model::load(
        "w.toml",
        "[model]\nname = \"w\"\ntitle = \"W\"\n[params.x]\nsource = [\"k\"]\ndist = \"fixed\"\nvalue = 1\n[nodes.n]\np = \"x / 2\"\n[outcomes.o]\nwhen = \"n\"\n[scenarios.s]\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let messages: Vec<String> = loaded
        .warnings
        .iter()
        .map(|w| format!("{}:{} {}", w.line, w.column, w.message))
        .collect();
    assert_eq!(
        messages,
        [
            "4:9 param `x` has no `doc`",
            "8:8 node `n` has no `doc`",
            "10:11 outcome `o` has no `doc`",
            "12:12 scenario `s` has no `doc`"
        ]
    );
    assert!(
        loaded.warnings[0]
            .to_string()
            .starts_with("w.toml:4:9: warning: param `x` has no `doc`")
    );
    assert_eq!(loaded.model.params[0].source, ["k"]);
}

#[test]
fn a_model_with_no_params_or_nodes_loads() {
    let loaded = common::ok("[outcomes.always]\ndoc = \"d\"\nwhen = \"true\"");
    assert!(loaded.model.nodes.is_empty());
    assert_eq!(loaded.model.outcomes.len(), 1);
}

// ---- compile_expression ----

/// Evaluates an expression made of literals only.
fn eval(e: &Expr) -> f64 {
    match e {
        Expr::Number(x) => *x,
        Expr::Boolean(b) => f64::from(u8::from(*b)),
        Expr::Unary(UnaryOp::Neg, a) => -eval(a),
        Expr::Unary(UnaryOp::Not, a) => 1.0 - eval(a),
        Expr::Binary(op, a, b) => {
            let (a, b) = (eval(a), eval(b));
            let t = |c: bool| f64::from(u8::from(c));
            match op {
                BinaryOp::Add => a + b,
                BinaryOp::Sub => a - b,
                BinaryOp::Mul => a * b,
                BinaryOp::Div => a / b,
                BinaryOp::Pow => a.powf(b),
                BinaryOp::Eq => t(a == b),
                BinaryOp::Ne => t(a != b),
                BinaryOp::Lt => t(a < b),
                BinaryOp::Le => t(a <= b),
                BinaryOp::Gt => t(a > b),
                BinaryOp::Ge => t(a >= b),
                BinaryOp::And => t(a != 0.0 && b != 0.0),
                BinaryOp::Or => t(a != 0.0 || b != 0.0),
            }
        }
        Expr::If(c, a, b) => {
            if eval(c) != 0.0 {
                eval(a)
            } else {
                eval(b)
            }
        }
        Expr::Call(f, args) => {
            let x = eval(&args[0]);
            match f {
                Function::Min => args.iter().map(eval).fold(f64::INFINITY, f64::min),
                Function::Max => args.iter().map(eval).fold(f64::NEG_INFINITY, f64::max),
                Function::Clamp => x.clamp(eval(&args[1]), eval(&args[2])),
                Function::Logistic => 1.0 / (1.0 + (-x).exp()),
                Function::Logit => (x / (1.0 - x)).ln(),
                Function::Exp => x.exp(),
                Function::Ln => x.ln(),
                Function::Sqrt => x.sqrt(),
                Function::Abs => x.abs(),
                Function::Floor => x.floor(),
                Function::Round => x.round(),
            }
        }
        other => panic!("not a literal expression: {other:?}"),
    }
}

#[test]
fn precedence_and_literals() {
    let model = full().model;
    let cases: &[(&str, f64)] = &[
        ("-2^2", -4.0),
        ("2^-1", 0.5),
        ("2^3^2", 512.0),
        ("1 + 2 * 3", 7.0),
        ("(1 + 2) * 3", 9.0),
        ("10 - 4 - 3", 3.0),
        ("8 / 4 / 2", 1.0),
        ("-3 * -2", 6.0),
        ("- -1", 1.0),
        (".5 + 5.", 5.5),
        ("1e-3 * 1000", 1.0),
        ("2.5E+3", 2500.0),
        ("min(3, 1, 2) + max(1, 5)", 6.0),
        (
            "clamp(5, 0, 1) + abs(-2) + floor(1.7) + round(2.5) + round(-2.5)",
            1.0 + 2.0 + 1.0 + 3.0 - 3.0,
        ),
        (
            "sqrt(16) + exp(0) + ln(1) + logistic(0) + logit(0.5)",
            4.0 + 1.0 + 0.0 + 0.5 + 0.0,
        ),
        ("if(1 < 2, 10, 20)", 10.0),
    ];
    for (text, want) in cases {
        let (expr, ty) =
            compile_expression(&model, text, false).unwrap_or_else(|e| panic!("{text}: {e}"));
        assert_eq!(ty, Type::Number, "{text}");
        assert_eq!(eval(&expr), *want, "{text}");
    }
    let booleans: &[(&str, bool)] = &[
        ("true or false and false", true),
        ("not true == false", true),
        ("not false and false", false),
        (
            "1 < 2 and 2 <= 2 and 3 > 2 and 3 >= 3 and 1 != 2 and 1 == 1",
            true,
        ),
        ("true == (1 > 0)", true),
        ("if(false, true, false) or not not true", true),
    ];
    for (text, want) in booleans {
        let (expr, ty) =
            compile_expression(&model, text, false).unwrap_or_else(|e| panic!("{text}: {e}"));
        assert_eq!(ty, Type::Boolean, "{text}");
        assert_eq!(eval(&expr) != 0.0, *want, "{text}");
    }
}

#[test]
fn compile_expression_resolves_names_states_and_outcomes() {
    let model = full().model;
    let (expr, ty) =
        compile_expression(&model, "leader == 'trotsky' and trotsky_leads", true).unwrap();
    assert_eq!(ty, Type::Boolean);
    let Expr::Binary(BinaryOp::And, left, right) = expr else {
        panic!("and")
    };
    assert_eq!(*right, Expr::Ref(Ref::Outcome(0)));
    assert_eq!(
        *left,
        Expr::Binary(
            BinaryOp::Eq,
            Box::new(Expr::Ref(Ref::Node(2))),
            Box::new(Expr::State(StateId(1)))
        )
    );

    // Two categorical nodes compare by state name.
    let (_, ty) = compile_expression(&model, "leader == weighted", false).unwrap();
    assert_eq!(ty, Type::Boolean);
    let (_, ty) = compile_expression(&model, "if(stable, leader, weighted)", false).unwrap();
    assert_eq!(ty, Type::State);
    compile_expression(&model, "if(stable, leader, weighted) == 'a'", false).unwrap();
    let (_, ty) = compile_expression(&model, "support * 2 + war_start", true).unwrap();
    assert_eq!(ty, Type::Number);

    let err = compile_expression(&model, "trotsky_leads", false).unwrap_err();
    assert!(
        err.message.contains("`trotsky_leads` is an outcome"),
        "{err}"
    );
    assert_eq!(err.span, Span { start: 0, end: 13 });

    let err = compile_expression(&model, "leader == 'trotskyy'", false).unwrap_err();
    assert_eq!(err.message, "'trotskyy' is not a state of `leader`");
    assert_eq!(err.span, Span { start: 10, end: 20 });
    assert!(
        err.hint
            .as_deref()
            .unwrap_or("")
            .starts_with("did you mean 'trotsky'?")
    );

    let err = compile_expression(&model, "0.3 * stable", false).unwrap_err();
    assert_eq!(err.hint.as_deref(), Some("write if(stable, 0.3, 0)"));
    assert_eq!(err.span, Span { start: 6, end: 12 });

    let err = compile_expression(&model, "a < b < c", false).unwrap_err();
    assert_eq!(err.message, "comparisons cannot be chained");
}

#[test]
fn file_order_is_kept_not_alphabetical() {
    let text = "[model]\nname = \"o\"\ntitle = \"O\"\n[nodes.zeta]\ndoc = \"d\"\np = 0.5\n[params.b]\ndoc = \"d\"\ndist = \"fixed\"\nvalue = 1\n[nodes.alpha]\ndoc = \"d\"\np = 0.5\n[params.a]\ndoc = \"d\"\ndist = \"fixed\"\nvalue = 2\n[scenarios.zz]\ndoc = \"Reference.\"\n[scenarios.aa]\ndoc = \"Other.\"\n";
    let model = load("o.toml", text).unwrap_or_else(|e| panic!("{e}")).model;
    let names = |v: Vec<&str>| v.join(",");
    assert_eq!(
        names(model.nodes.iter().map(|n| n.name.as_str()).collect()),
        "zeta,alpha"
    );
    assert_eq!(
        names(model.params.iter().map(|p| p.name.as_str()).collect()),
        "b,a"
    );
    assert_eq!(
        names(model.scenarios.iter().map(|s| s.name.as_str()).collect()),
        "zz,aa"
    );
}

#[test]
fn long_lines_are_shown_as_a_window_around_the_column() {
    let long = format!("{} + nope", vec!["0.001"; 100].join(" + "));
    let text = format!(
        "[model]\nname = \"w\"\ntitle = \"W\"\n[nodes.n]\ndoc = \"d\"\np = \"{long}\"\n[scenarios.s]\ndoc = \"d\"\n"
    );
    let errors = load("w.toml", &text).unwrap_err();
    let shown = errors.to_string();
    let lines: Vec<&str> = shown.lines().collect();
    assert!(lines[0].starts_with("w.toml:6:"), "{shown}");
    assert!(
        lines[2].starts_with("6 | ...") && lines[2].contains("+ nope"),
        "{shown}"
    );
    assert!(lines[2].len() < 140, "{shown}");
    // The carets sit under `nope`.
    let caret = lines[3].find('^').expect("carets");
    assert_eq!(&lines[2][caret..caret + 4], "nope", "{shown}");
}

/// The complete model of docs/model-format.md, between its markers.
fn documented_model() -> String {
    let doc = include_str!("../../../docs/model-format.md");
    let start = doc
        .find("<!-- complete-model:start -->")
        .expect("start marker");
    let end = doc.find("<!-- complete-model:end -->").expect("end marker");
    let block = &doc[start..end];
    let open = block.find("```toml\n").expect("toml block") + "```toml\n".len();
    let close = block.rfind("```").expect("closing fence");
    block[open..close].to_string()
}

#[test]
fn the_documented_complete_model_loads_without_warnings() {
    let loaded =
        load("docs/model-format.md", &documented_model()).unwrap_or_else(|e| panic!("{e}"));
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    let model = loaded.model;
    assert_eq!(model.name, "soviet-succession");
    assert_eq!(model.scenarios[0].name, "history");
    assert_eq!(model.report.headline.len(), 2);
    let kinds: Vec<&str> = model
        .nodes
        .iter()
        .map(|n| match n.kind {
            NodeKind::Boolean { .. } => "boolean",
            NodeKind::Categorical { .. } => "categorical",
            NodeKind::Numeric { .. } => "numeric",
            NodeKind::Derived { .. } => "derived",
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "boolean",
            "boolean",
            "categorical",
            "categorical",
            "numeric",
            "derived"
        ]
    );
}

#[test]
fn the_documented_state_error_is_what_the_loader_prints() {
    let text = documented_model().replace(
        "when = \"leader_1928 == 'trotsky'\"",
        "when = \"leader_1928 == 'trotskyy'\"",
    );
    let errors = load("m.toml", &text).unwrap_err();
    let doc = include_str!("../../../docs/model-format.md");
    let shown = errors.to_string();
    assert!(
        doc.contains(&shown),
        "docs/model-format.md should show:\n{shown}"
    );
}
