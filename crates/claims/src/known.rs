//! Dated claims (contract 1.1, section 3): `known_through = Y` in place of
//! `scenario` judges a claim in the world as known in year Y, the scenario
//! `facts_through = Y` with no `do`: the facts of every node decided by the
//! end of Y fixed, everything after left to chance.
//!
//! [`add_known_scenarios`] gives each such year its scenario before the
//! claims are compiled: a scenario of the model with exactly those fixings
//! (and no `set`) is reused; otherwise one is appended, named
//! `known_through_Y`, and run in the same pass as every other scenario.

use uchronia_model::{Model, Scenario, ScenarioId};

use crate::ClaimsFile;

/// The name of a scenario added for dated claims: this, then the year.
const PREFIX: &str = "known_through_";

/// The scenario of the world as known through `year`, if `model` has one:
/// the first whose fixings are exactly the facts through `year` and that
/// sets no param.
pub fn known_scenario(model: &Model, year: i32) -> Option<ScenarioId> {
    let fixings = model.facts_through(year);
    model
        .scenarios
        .iter()
        .position(|s| s.settings.is_empty() && s.interventions == fixings)
}

/// Adds to `model` the scenario of each year some claim of `files` is
/// `known_through`, where the model has none with its fixings (see
/// [`known_scenario`]), in order of first mention.
pub fn add_known_scenarios(model: &mut Model, files: &[ClaimsFile]) {
    let years = files
        .iter()
        .flat_map(|f| &f.claims)
        .filter_map(|c| c.known_through.map(|(year, _)| year));
    for year in years {
        let Ok(year) = i32::try_from(year) else {
            continue;
        };
        if known_scenario(model, year).is_some() {
            continue;
        }
        let mut name = format!("{PREFIX}{year}");
        while model.scenario_id(&name).is_some() {
            name.push('_');
        }
        let world = world(model, year, name);
        model.scenarios.push(world);
    }
}

/// Whether `scenario` is one that [`add_known_scenarios`] (or
/// [`restore_known_scenarios`]) added for dated claims, not one the model
/// file wrote: such a world is for judging dated claims, not one a reader
/// would pick to settle an argument.
pub fn added_for_dated_claims(scenario: &Scenario) -> bool {
    scenario.name.starts_with(PREFIX) && scenario.span == Default::default()
}

/// The scenario of the world as known through `year`, named `name`.
fn world(model: &Model, year: i32, name: String) -> Scenario {
    Scenario {
        name,
        doc: Some(format!(
            "The world as known at the end of {year}: every fact through {year} fixed, \
             everything after left to chance (added for dated claims)."
        )),
        label: Some(format!("As known at the end of {year} (for dated claims)")),
        baseline_label: None,
        interventions: model.facts_through(year),
        settings: Vec::new(),
        facts_through: Some(year),
        span: Default::default(),
    }
}

/// Adds back, in order, the scenarios a run added for dated claims, from
/// the run's scenario names (`known_through_Y`, as [`add_known_scenarios`]
/// names them) that `model` lacks: `merge` rebuilds the run's scenarios
/// this way, with the same ids, before it adds the matched baselines.
pub fn restore_known_scenarios(model: &mut Model, names: &[String]) {
    for name in names {
        if model.scenario_id(name).is_some() {
            continue;
        }
        let year = name
            .strip_prefix(PREFIX)
            .map(|rest| rest.trim_end_matches('_'))
            .and_then(|digits| digits.parse::<i32>().ok());
        if let Some(year) = year {
            let world = world(model, year, name.clone());
            model.scenarios.push(world);
        }
    }
}
