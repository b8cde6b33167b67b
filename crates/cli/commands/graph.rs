//! `uchronia graph`: the model's graph as Graphviz DOT on stdout, or with
//! `--svg` as an SVG picture.
//!
//! The DOT text comes from `uchronia_report::graph`, the SVG from
//! `uchronia_report::graph_svg`; this command only
//! loads the model, resolves `--scenario` and decides whether parameters are
//! drawn: by default only for models of at most [`MAX_PARAMS_SHOWN`]
//! parameters (a note on stderr says when they are left out), since a
//! hundred ellipses feeding every node hide the causal chain.

use uchronia_report::graph::{GraphOptions, model_dot};
use uchronia_report::graph_svg::model_svg;

use uchronia_pipeline::load_model;

use super::choose_scenarios;
use crate::args::GraphArgs;
use crate::failure::Failure;
use crate::output;

/// Models with more parameters than this are drawn without them unless
/// `--params` is given.
pub const MAX_PARAMS_SHOWN: usize = 40;

/// Runs `uchronia graph`.
pub fn graph(args: &GraphArgs) -> Result<(), Failure> {
    let model = load_model(&args.model)?;
    let ir = &model.loaded.model;
    let scenario = match &args.scenario {
        Some(name) => choose_scenarios(ir, std::slice::from_ref(name))?
            .first()
            .copied(),
        None => None,
    };
    let params = if args.params {
        true
    } else if args.no_params {
        false
    } else {
        let shown = ir.params.len() <= MAX_PARAMS_SHOWN;
        if !shown {
            output::note(&format!(
                "the {} parameters are left out of the graph (more than {MAX_PARAMS_SHOWN}); --params draws them",
                ir.params.len()
            ));
        }
        shown
    };
    let options = GraphOptions { params, scenario };
    if args.svg {
        let svg = model_svg(ir, &options).map_err(|error| Failure::other(error.to_string()))?;
        output::print(&svg);
    } else {
        output::print(&model_dot(ir, &options));
    }
    Ok(())
}
