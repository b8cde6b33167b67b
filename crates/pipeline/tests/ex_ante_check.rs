//! The ex-ante check of "In short" (`uchronia_pipeline::ex_ante_check`)
//! gives, bit for bit, the `matched` rows that a whole run with the ex-ante
//! priors (`uchronia run --ex-ante`) gives for the opening's scenario and
//! its matched baseline: the engine's random streams do not depend on which
//! scenarios run together.

use std::path::{Path, PathBuf};

use uchronia_analysis::findings::{Against, ComparisonRow};
use uchronia_engine::Design;
use uchronia_pipeline::batches::{self, Job};
use uchronia_pipeline::ex_ante_check;
use uchronia_pipeline::finish::{self, Analysed, Finished};
use uchronia_pipeline::{LoadedModel, Plan, Silent, load_model};

/// The fixture with an `ex_ante` prior under its question's effect.
fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/models/ex_ante.toml")
}

/// Runs every scenario of `model` (with their matched baselines) at a
/// small size and analyses it; `check` says whether to make the ex-ante
/// check, whose rows land in `Analysed::ex_ante`.
fn run(mut model: LoadedModel, design: Design, threads: usize, check: bool) -> Analysed {
    let (plan, _) = Plan::new(60_000, 30, Some(threads)).expect("a valid plan");
    let mut scenarios: Vec<usize> = (0..model.loaded.model.scenarios.len()).collect();
    uchronia_model::baseline::add_baselines(&mut model.loaded.model, &mut scenarios);
    let mut config = plan.config(7, scenarios);
    config.design = design;
    let job = Job {
        model: &model,
        config,
        range: 0..plan.draws,
        batch: plan.draws,
        checkpoint: None,
        precision: None,
        threads: plan.threads,
        claims: None,
    };
    let done = batches::execute(&job, &Silent).expect("runs");
    let out = std::env::temp_dir().join("never-written");
    let finished = Finished {
        model: &model,
        tally: &done.tally,
        threads: plan.threads,
        elapsed_seconds: done.elapsed_seconds,
        out: &out,
        carry: &[],
        claims: None,
        command: String::new(),
        parquet: false,
        full: false,
        standalone: false,
        crux: false,
        ex_ante_check: check,
    };
    let mut analysed = finish::analyse(&finished);
    analysed.ex_ante = ex_ante_check::check(&finished, &analysed)
        .expect("checked")
        .rows;
    analysed
}

fn matched(rows: &[ComparisonRow]) -> Vec<ComparisonRow> {
    (rows.iter())
        .filter(|r| r.against == Against::Matched && r.scenario == "reform")
        .cloned()
        .collect()
}

#[test]
fn the_check_gives_the_rows_of_a_whole_ex_ante_run_bit_for_bit() {
    for (design, threads) in [(Design::Random, 1), (Design::Lhs, 3)] {
        let shipped = run(
            load_model(&fixture()).expect("valid"),
            design,
            threads,
            true,
        );
        let mut swapped = load_model(&fixture()).expect("valid");
        assert_eq!(
            swapped.loaded.model.use_ex_ante_priors(&[]),
            ["reform_factor"]
        );
        let whole = run(swapped, design, 2, true);
        // The whole ex-ante run makes no check of its own.
        assert!(whole.ex_ante.is_empty());
        let expected = matched(&whole.comparison);
        assert_eq!(expected.len(), 2);
        assert_eq!(shipped.ex_ante, expected, "{design:?}");
        // And the shipped priors give other numbers.
        assert_ne!(matched(&shipped.comparison), expected);
    }
    // Asked not to, it makes none.
    let off = run(
        load_model(&fixture()).expect("valid"),
        Design::Random,
        2,
        false,
    );
    assert!(off.ex_ante.is_empty());
}
