//! Crux analysis over 100,000 parameter draws (issue: "seconds, not
//! minutes"): a generated model of 12 uniform parameters read by one node
//! each, four posters with 4 to 12 banded claims (the last with a conflict,
//! so the exhaustive search runs over all 4,096 subsets), and a tally built
//! directly (each draw's hits drawn from a fixed-seed generator), so the
//! timing is the analysis alone. Run with `cargo bench -p uchronia-analysis`;
//! docs/performance.md has the figures.

use uchronia_analysis::crux::analyse;
use uchronia_engine::tally::{DrawTally, OutcomeTally, ScenarioTally, Tally};

const DRAWS: u64 = 100_000;
const TRIALS: u64 = 1000;
const PARAMS: usize = 12;

fn model_text() -> String {
    let mut text = String::from("[model]\nname = \"crux_bench\"\ntitle = \"Crux bench\"\n");
    for i in 0..PARAMS {
        text.push_str(&format!(
            "[params.p{i}]\ndist = \"uniform\"\nlow = 0\nhigh = 1\n[nodes.n{i}]\np = \"p{i}\"\n[outcomes.o{i}]\nwhen = \"n{i}\"\n"
        ));
    }
    text.push_str("[scenarios.history]\n");
    text
}

/// Four posters: 4, 6, 8 and 12 claims, each "n_i lies in a band"; the last
/// poster claims both n0 high and n0 low.
fn claims_text() -> String {
    let mut text = String::from("model = \"crux_bench.toml\"\n");
    let mut claim = |author: &str, id: usize, node: usize, lo: f64, hi: f64| {
        text.push_str(&format!(
            "[[claims]]\nid = \"{author}-{id}\"\nauthor = \"{author}\"\nquote = \"q\"\nscenario = \"history\"\nevent = \"n{node}\"\nsays = [{lo}, {hi}]\n"
        ));
    };
    for (author, count, lo, hi) in [("a", 4, 0.3, 1.0), ("b", 6, 0.0, 0.7), ("c", 8, 0.1, 0.9)] {
        for i in 0..count {
            claim(author, i, i, lo, hi);
        }
    }
    claim("d", 0, 0, 0.8, 1.0);
    claim("d", 1, 0, 0.0, 0.2);
    for i in 2..12 {
        claim("d", i, i, 0.2, 1.0);
    }
    text
}

/// A small fixed generator (SplitMix64), so the tally is the same every time.
fn next(state: &mut u64) -> f64 {
    *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
}

fn main() {
    divan::main();
}

#[divan::bench(sample_count = 5)]
fn crux_100k_draws(bencher: divan::Bencher) {
    let model = uchronia_model::load("crux_bench.toml", &model_text())
        .expect("the model loads")
        .model;
    let lexicon = uchronia_claims::load_lexicon(
        "estimative-words.toml",
        include_str!("../../../data/estimative-words.toml"),
    )
    .expect("the lexicon loads");
    let file = uchronia_claims::parse("claims.toml", &claims_text()).expect("the claims parse");
    let claims = uchronia_claims::compile(&file, &model, &lexicon).expect("the claims compile");
    let (extended, outcomes) = uchronia_claims::attach(&model, &claims);
    let mut state = 1u64;
    let draws = (0..DRAWS)
        .map(|index| {
            let params: Vec<f64> = (0..PARAMS).map(|_| next(&mut state)).collect();
            // Each outcome o_i (and each claim on n_i) hits about p_i of the trials.
            let hits = |p: f64| (p * TRIALS as f64).round() as u64;
            let mut tallies: Vec<OutcomeTally> = params
                .iter()
                .map(|&p| OutcomeTally::Boolean {
                    given: TRIALS,
                    hits: hits(p),
                })
                .collect();
            for claim in &claims {
                let node: usize = claim.event_text[1..].parse().expect("n<i>");
                tallies.push(OutcomeTally::Boolean {
                    given: TRIALS,
                    hits: hits(params[node]),
                });
            }
            DrawTally {
                index,
                params,
                outcomes: tallies,
                years: Vec::new(),
            }
        })
        .collect();
    let tally = Tally {
        seed: 1,
        draws: DRAWS,
        trials_per_draw: TRIALS,
        draw_range: 0..DRAWS,
        design: Default::default(),
        scenarios: vec![ScenarioTally {
            scenario: 0,
            draws,
            sketches: vec![None; extended.outcomes.len()],
        }],
    };
    assert_eq!(outcomes.len(), claims.len());
    let started = std::time::Instant::now();
    let crux = analyse(&extended, &tally, &claims, &outcomes);
    eprintln!(
        "crux over {DRAWS} draws, {} claims, {} posters: {:.3} s (poster d's conflict: {:?})",
        claims.len(),
        crux.posters.len(),
        started.elapsed().as_secs_f64(),
        crux.posters[3].conflict.as_ref().map(|c| &c.claims)
    );
    bencher.bench_local(|| analyse(&extended, &tally, &claims, &outcomes));
}
