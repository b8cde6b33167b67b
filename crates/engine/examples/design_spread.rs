//! How much `--design lhs` narrows the Monte Carlo error of `p_mean`: runs
//! a model (default: the shipped one) over 20 seeds with each design and
//! prints, per design, the spread of every listed boolean outcome's
//! `p_mean` across seeds (its real Monte Carlo error) beside the mean
//! `mc_se` a single run reports (`sd(p_d) / sqrt(D)`, the formula for
//! independent draws). docs/performance.md has the figures:
//! `cargo run --release -p uchronia-engine --example design_spread [MODEL D T]`.

use std::sync::atomic::AtomicBool;

use uchronia_engine::{Design, OutcomeTally, RunConfig, Tally, run};
use uchronia_model::{Model, OutcomeKind};

const SEEDS: u64 = 20;

/// Per (scenario, listed boolean outcome): p_mean and the iid mc_se.
fn estimates(model: &Model, tally: &Tally) -> Vec<(f64, f64)> {
    let mut out = Vec::new();
    for scenario in &tally.scenarios {
        for (o, outcome) in model.outcomes.iter().enumerate() {
            if !outcome.listed || !matches!(outcome.kind, OutcomeKind::Boolean { .. }) {
                continue;
            }
            let p: Vec<f64> = (scenario.draws.iter())
                .filter_map(|d| match d.outcomes[o] {
                    OutcomeTally::Boolean { given, hits } if given > 0 => {
                        Some(hits as f64 / given as f64)
                    }
                    _ => None,
                })
                .collect();
            let (mean, sd) = mean_sd(&p);
            out.push((mean, sd / (p.len() as f64).sqrt()));
        }
    }
    out
}

fn mean_sd(x: &[f64]) -> (f64, f64) {
    let n = x.len() as f64;
    let mean = x.iter().sum::<f64>() / n;
    let var = x.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / (n - 1.0);
    (mean, var.sqrt())
}

fn main() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    let args: Vec<String> = std::env::args().skip(1).collect();
    let path = args
        .first()
        .cloned()
        .unwrap_or_else(|| format!("{root}/models/trotsky.toml"));
    let draws: u64 = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(200);
    let trials: u64 = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(2000);
    let source = std::fs::read_to_string(&path).expect("the model file");
    let model = uchronia_model::load(&path, &source)
        .expect("the model loads")
        .model;
    println!("{path}: D = {draws}, T = {trials}, seeds 1..={SEEDS}, all scenarios");
    let mut spreads = Vec::new();
    for design in [Design::Random, Design::Lhs] {
        // Per (scenario, outcome): p_mean over seeds, and the reported mc_se.
        let mut means: Vec<Vec<f64>> = Vec::new();
        let mut reported: Vec<f64> = Vec::new();
        for seed in 1..=SEEDS {
            let config = RunConfig {
                seed,
                draws,
                trials_per_draw: trials,
                scenarios: (0..model.scenarios.len()).collect(),
                draw_range: 0..draws,
                design,
            };
            let tally = run(&model, &config, &|_| {}, &AtomicBool::new(false)).expect("runs");
            let found = estimates(&model, &tally);
            means.resize(found.len(), Vec::new());
            reported.resize(found.len(), 0.0);
            for (k, (p, se)) in found.into_iter().enumerate() {
                means[k].push(p);
                reported[k] += se / SEEDS as f64;
            }
        }
        let spread: Vec<f64> = means.iter().map(|m| mean_sd(m).1).collect();
        let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
        println!(
            "{:<7} mean over {} (scenario, outcome) pairs: sd of p_mean across seeds {:.5}, reported mc_se {:.5}",
            design.name(),
            spread.len(),
            mean(&spread),
            mean(&reported)
        );
        spreads.push(spread);
    }
    // Per pair, the ratio of the spreads (lhs / random); pairs with no
    // spread at all (certain outcomes) are left out.
    let mut ratios: Vec<f64> = (spreads[0].iter().zip(&spreads[1]))
        .filter(|(r, _)| **r > 0.0)
        .map(|(r, l)| l / r)
        .collect();
    ratios.sort_by(f64::total_cmp);
    let at = |q: f64| ratios[((ratios.len() - 1) as f64 * q).round() as usize];
    println!(
        "lhs / random sd of p_mean over {} pairs: median {:.3}, quartiles {:.3} to {:.3}, min {:.3}, max {:.3}",
        ratios.len(),
        at(0.5),
        at(0.25),
        at(0.75),
        at(0.0),
        at(1.0)
    );
}
