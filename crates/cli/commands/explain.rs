//! `uchronia check MODEL --explain OUTCOME`: what an outcome depends on, for
//! the model's author.
//!
//! The ancestors come from the graph (names in the outcome's expressions,
//! their parents, and so on); how much each parameter matters comes from a
//! quick run of [`DRAWS`] draws x [`TRIALS_PER_DRAW`] trials with seed 1 in
//! one scenario: parameters are ordered by |Spearman rank correlation| with
//! the outcome's per-draw probability (or per-draw mean), then by the
//! first-order index; nodes by graph distance. See docs/sensitivity.md.

use std::path::Path;

use uchronia_analysis::findings::SensitivityRow;
use uchronia_analysis::sensitivity::sensitivity_for;
use uchronia_analysis::{ancestry, ancestry_in_scenario, summarize_boolean};
use uchronia_engine::RunConfig;
use uchronia_model::{Model, NodeKind, OutcomeId, OutcomeKind};

use super::sensitivity::signed;
use uchronia_pipeline::{Runner, available_threads, load_model};

use super::{choose_scenarios, handle_ctrl_c, nearest};
use crate::failure::Failure;
use crate::output;

/// Parameter draws of the quick run.
pub const DRAWS: u64 = 200;
/// Trials per draw of the quick run.
pub const TRIALS_PER_DRAW: u64 = 2000;
/// Seed of the quick run.
pub const SEED: u64 = 1;

/// Runs `uchronia check MODEL --explain OUTCOME [--scenario NAME]`.
pub fn explain(
    model_path: &Path,
    outcome_name: &str,
    scenario: Option<&str>,
) -> Result<(), Failure> {
    let model = load_model(model_path)?;
    let ir = &model.loaded.model;
    let outcome = find_outcome(ir, outcome_name)?;
    let scenario = match scenario {
        Some(name) => choose_scenarios(ir, &[name.to_string()])?[0],
        None => 0,
    };

    let config = RunConfig {
        seed: SEED,
        draws: DRAWS,
        trials_per_draw: TRIALS_PER_DRAW,
        scenarios: vec![scenario],
        draw_range: 0..DRAWS,
        design: Default::default(),
    };
    let runner = Runner::new(available_threads())?;
    handle_ctrl_c();
    let tally = runner.run_loaded(&model, &config)?;
    let rows = sensitivity_for(ir, &tally, &[outcome]);

    let found = ancestry_in_scenario(ir, outcome, scenario);
    let cut_off: Vec<&str> = ancestry(ir, outcome)
        .params
        .iter()
        .filter(|(p, _)| !found.params.iter().any(|(q, _)| q == p))
        .map(|&(p, _)| ir.params[p].name.as_str())
        .collect();
    let scenario_ir = &ir.scenarios[scenario];
    let mut text = format!(
        "outcome {} in scenario {}: {}\n",
        ir.outcomes[outcome].name,
        scenario_ir.name,
        estimate(ir, &tally, outcome)
    );
    if let Some(doc) = &ir.outcomes[outcome].doc {
        text.push_str(&format!("  {doc}\n"));
    }
    text.push_str(&format!(
        "quick run: {DRAWS} draws x {TRIALS_PER_DRAW} trials, seed {SEED}\n"
    ));

    // Parameters: measured influence first.
    let mut params: Vec<(&SensitivityRow, u32)> = found
        .params
        .iter()
        .filter_map(|&(p, distance)| {
            rows.iter()
                .find(|r| r.param == ir.params[p].name)
                .map(|r| (r, distance))
        })
        .collect();
    params.sort_by(|(a, da), (b, db)| {
        let strength = |r: &SensitivityRow| r.rank_corr.map(f64::abs);
        // Varying before not varying, then |rank_corr|, then the index, then distance.
        strength(b)
            .is_some()
            .cmp(&strength(a).is_some())
            .then(
                strength(b)
                    .unwrap_or(0.0)
                    .total_cmp(&strength(a).unwrap_or(0.0)),
            )
            .then(
                b.first_order
                    .unwrap_or(0.0)
                    .total_cmp(&a.first_order.unwrap_or(0.0)),
            )
            .then(da.cmp(db))
    });
    text.push_str(&format!(
        "\nparams it depends on ({} of {}; by |rank correlation| with the outcome over draws)\n",
        params.len(),
        ir.params.len()
    ));
    let mut table = vec![
        [
            "param",
            "distance",
            "rank_corr",
            "first_order",
            "lowest fifth",
            "highest fifth",
        ]
        .map(String::from)
        .to_vec(),
    ];
    for (row, distance) in &params {
        if row.rank_corr.is_none() && row.first_order.is_none() {
            table.push(vec![
                row.param.clone(),
                distance.to_string(),
                "-".into(),
                "-".into(),
                "(does not vary in this scenario)".into(),
            ]);
            continue;
        }
        table.push(vec![
            row.param.clone(),
            distance.to_string(),
            signed(row.rank_corr),
            output::maybe(row.first_order),
            output::maybe(row.swing_low),
            output::maybe(row.swing_high),
        ]);
    }
    text.push_str(&output::columns(&table, "lrrrrr", 2));
    if !cut_off.is_empty() {
        text.push_str(&format!(
            "  and {} that reach it only through nodes set by `do` in {} (no effect there): {}\n",
            cut_off.len(),
            scenario_ir.name,
            cut_off.join(", ")
        ));
    }

    text.push_str(&format!(
        "\nnodes it depends on ({}; by graph distance)\n",
        found.nodes.len()
    ));
    let mut table = vec![["node", "distance", "kind", ""].map(String::from).to_vec()];
    for &(node, distance) in &found.nodes {
        let set_here = scenario_ir.interventions.iter().any(|(n, _)| *n == node);
        table.push(vec![
            ir.nodes[node].name.clone(),
            distance.to_string(),
            short_kind(ir, node),
            if set_here {
                format!("(set by `do` in {}: its parents are cut)", scenario_ir.name)
            } else {
                String::new()
            },
        ]);
    }
    text.push_str(&output::columns(&table, "lrll", 2));
    if !found.outcomes.is_empty() {
        let names: Vec<&str> = found
            .outcomes
            .iter()
            .map(|&(o, _)| ir.outcomes[o].name.as_str())
            .collect();
        text.push_str(&format!("\noutcomes it names: {}\n", names.join(", ")));
    }
    text.push_str(
        "\nrank_corr: Spearman correlation of the param with the outcome's per-draw probability;\n\
         first_order: share of its variance explained by the param alone (binned, noise removed);\n\
         lowest/highest fifth: the outcome's mean over draws with the param in its lowest/highest fifth.\n\
         With 200 draws, |rank_corr| below about 0.14 is within noise. See docs/sensitivity.md.\n",
    );
    output::print(&text);
    Ok(())
}

/// A node's kind in a few words (`check` without `--explain` gives it in full).
fn short_kind(model: &Model, node: usize) -> String {
    match &model.nodes[node].kind {
        NodeKind::Categorical { states, .. } => format!("categorical, {} states", states.len()),
        kind => super::describe::node_kind(model, kind),
    }
}

/// The outcome's estimate in the quick run, in words.
fn estimate(model: &Model, tally: &uchronia_engine::Tally, outcome: OutcomeId) -> String {
    let Some(scenario) = tally.scenarios.first() else {
        return "-".into();
    };
    match model.outcomes[outcome].kind {
        OutcomeKind::Boolean { .. } => {
            let counts: Vec<(u64, u64)> = scenario
                .draws
                .iter()
                .map(|d| match d.outcomes.get(outcome) {
                    Some(uchronia_engine::OutcomeTally::Boolean { given, hits }) => (*given, *hits),
                    _ => (0, 0),
                })
                .collect();
            let summary = summarize_boolean(&counts);
            format!(
                "p = {} {}",
                output::maybe(summary.p_mean),
                output::interval(summary.p_q05, summary.p_q95)
            )
        }
        OutcomeKind::Numeric { .. } => {
            let means: Vec<f64> =
                uchronia_analysis::sensitivity::per_draw_values(scenario, outcome)
                    .into_iter()
                    .flatten()
                    .collect();
            let mean = (!means.is_empty()).then(|| means.iter().sum::<f64>() / means.len() as f64);
            format!("mean = {} (numeric)", output::maybe(mean))
        }
    }
}

/// The outcome named `name` (listed or not), or bad input with a hint.
fn find_outcome(model: &Model, name: &str) -> Result<OutcomeId, Failure> {
    if let Some(id) = model.outcomes.iter().position(|o| o.name == name) {
        return Ok(id);
    }
    let known: Vec<&str> = model.outcomes.iter().map(|o| o.name.as_str()).collect();
    let hint = nearest(name, &known)
        .map(|near| format!(" (did you mean '{near}'?)"))
        .unwrap_or_default();
    Err(Failure::input(format!(
        "model {} has no outcome '{name}'{hint}",
        model.name
    )))
}
