//! Property test: over random small graphs, a claim's drivers are always
//! graph ancestors of its event in its scenario (after the cuts of `do`),
//! with ancestors worked out here independently of the library, from the
//! way each random model was built.

use std::sync::atomic::AtomicBool;

use proptest::prelude::*;
use uchronia_engine::RunConfig;

/// One random node: the param it reads (if any) and the earlier node it
/// reads (if any).
#[derive(Clone, Debug)]
struct NodeSpec {
    param: Option<usize>,
    parent: Option<usize>,
}

/// A random model: `params` uniform params, nodes reading them and earlier
/// nodes, a claim on node `event`, and optionally a scenario cutting node
/// `cut` with `do`.
#[derive(Clone, Debug)]
struct Spec {
    params: usize,
    nodes: Vec<NodeSpec>,
    event: usize,
    cut: Option<usize>,
}

fn spec() -> impl Strategy<Value = Spec> {
    (1usize..5, 1usize..7).prop_flat_map(|(params, count)| {
        let nodes = (0..count)
            .map(|i| {
                let parent = if i == 0 {
                    Just(None).boxed()
                } else {
                    proptest::option::of(0..i).boxed()
                };
                (proptest::option::of(0..params), parent)
                    .prop_map(|(param, parent)| NodeSpec { param, parent })
            })
            .collect::<Vec<_>>();
        (nodes, 0..count, proptest::option::of(0..count)).prop_map(move |(nodes, event, cut)| {
            Spec {
                params,
                nodes,
                event,
                cut,
            }
        })
    })
}

/// The model's TOML text.
fn model_text(spec: &Spec) -> String {
    let mut text = String::from("[model]\nname = \"random\"\ntitle = \"Random\"\n");
    for p in 0..spec.params {
        text.push_str(&format!(
            "[params.p{p}]\ndist = \"uniform\"\nlow = 0\nhigh = 1\n"
        ));
    }
    for (i, node) in spec.nodes.iter().enumerate() {
        let chance = node.param.map_or("0.5".to_string(), |p| format!("p{p}"));
        let p = match node.parent {
            Some(j) => format!("if(n{j}, {chance}, 1 - {chance})"),
            None => chance,
        };
        text.push_str(&format!("[nodes.n{i}]\np = \"{p}\"\n"));
    }
    text.push_str("[scenarios.history]\n");
    if let Some(cut) = spec.cut {
        text.push_str(&format!("[scenarios.cut]\ndo = {{ n{cut} = true }}\n"));
    }
    text
}

/// The params that can reach node `event` when node `cut` is set by `do`:
/// each node reads at most one earlier node, so the ancestors are a chain.
fn ancestors(spec: &Spec, event: usize, cut: Option<usize>) -> Vec<String> {
    let mut found = Vec::new();
    let mut at = Some(event);
    while let Some(node) = at {
        if Some(node) == cut {
            break;
        }
        if let Some(p) = spec.nodes[node].param {
            found.push(format!("p{p}"));
        }
        at = spec.nodes[node].parent;
    }
    found
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn drivers_are_always_ancestors(spec in spec()) {
        let text = model_text(&spec);
        let model = uchronia_model::load("random.toml", &text)
            .expect("the random model loads")
            .model;
        let scenario = if spec.cut.is_some() { "cut" } else { "history" };
        let claims_text = format!(
            "model = \"random.toml\"\n[[claims]]\nid = \"c\"\nauthor = \"a\"\nquote = \"q\"\nscenario = \"{scenario}\"\nevent = \"n{}\"\nsays = [0.5, 1.0]\n",
            spec.event
        );
        let lexicon = uchronia_claims::load_lexicon(
            "estimative-words.toml",
            include_str!("../../../data/estimative-words.toml"),
        )
        .expect("the lexicon loads");
        let file = uchronia_claims::parse("claims.toml", &claims_text).expect("the claims parse");
        let claims = uchronia_claims::compile(&file, &model, &lexicon).expect("the claims compile");
        let (extended, outcomes) = uchronia_claims::attach(&model, &claims);
        let draws = 60;
        let config = RunConfig {
            seed: 11,
            draws,
            trials_per_draw: 200,
            scenarios: (0..model.scenarios.len()).collect(),
            draw_range: 0..draws,
            design: Default::default(),
        };
        let tally = uchronia_engine::run(&extended, &config, &|_| {}, &AtomicBool::new(false))
            .expect("the run succeeds");
        let summaries = uchronia_analysis::claims::evaluate(
            &extended,
            &tally,
            &claims,
            &outcomes,
            &lexicon.verdicts,
        );
        let allowed = ancestors(&spec, spec.event, spec.cut);
        for driver in &summaries[0].drivers {
            prop_assert!(
                allowed.contains(&driver.param),
                "driver {} is not an ancestor ({:?}) in {}",
                driver.param,
                allowed,
                text
            );
        }
    }
}
