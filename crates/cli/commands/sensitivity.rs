//! The text `uchronia run` prints after its table of results: for each
//! headline outcome, how each scenario differs from the reference (paired
//! over draws) and which parameters drive it in the reference scenario.
//! The full tables are `comparison.csv` and `sensitivity.csv`.

use uchronia_analysis::findings::{ComparisonRow, SensitivityRow};
use uchronia_analysis::{ancestry, ancestry_in_scenario};
use uchronia_model::{Model, OutcomeId, OutcomeKind};

use crate::output;

/// How many parameters the driver lines name per outcome.
const TOP_DRIVERS: usize = 3;

/// How many boolean outcomes stand in for headlines when the model names none.
const DEFAULT_HEADLINES: usize = 5;

/// The model's headline outcomes (`[report] headline`), or its first five
/// listed boolean outcomes.
pub fn headline_outcomes(model: &Model) -> Vec<OutcomeId> {
    if !model.report.headline.is_empty() {
        return model.report.headline.clone();
    }
    (0..model.outcomes.len())
        .filter(|&o| {
            model.outcomes[o].listed
                && matches!(model.outcomes[o].kind, OutcomeKind::Boolean { .. })
        })
        .take(DEFAULT_HEADLINES)
        .collect()
}

/// The differences from the reference and the top drivers of each headline
/// outcome, or nothing when there is nothing to say.
pub fn findings_text(
    model: &Model,
    comparison: &[ComparisonRow],
    sensitivity: &[SensitivityRow],
) -> String {
    let headlines = headline_outcomes(model);
    let mut text = String::new();

    if let Some(reference) = comparison.first().map(|r| r.reference.as_str()) {
        text.push_str(&format!(
            "\ndifference from {reference} (paired over draws; 90% interval of the per-draw difference)\n"
        ));
        let mut rows = vec![
            ["scenario", "outcome", "diff", "se", "90% interval", "ratio"]
                .map(String::from)
                .to_vec(),
        ];
        for row in comparison {
            if !headlines
                .iter()
                .any(|&o| model.outcomes[o].name == row.outcome)
            {
                continue;
            }
            rows.push(vec![
                row.scenario.clone(),
                row.outcome.clone(),
                signed(row.diff),
                output::maybe(row.diff_se),
                output::interval(row.diff_q05, row.diff_q95),
                row.ratio
                    .map_or_else(|| "-".into(), |r| format!("x{}", output::number(r))),
            ]);
        }
        text.push_str(&output::columns(&rows, "llrrll", 2));
    }

    let reference = comparison
        .first()
        .map(|r| r.reference.as_str())
        .or_else(|| sensitivity.first().map(|r| r.scenario.as_str()));
    let Some(reference) = reference else {
        return text;
    };
    let mut rows = Vec::new();
    for &outcome in &headlines {
        let drivers = top_drivers(model, sensitivity, reference, outcome, TOP_DRIVERS);
        let named: Vec<String> = drivers
            .iter()
            .map(|row| format!("{} {}", row.param, signed(row.rank_corr)))
            .collect();
        let named = if named.is_empty() {
            "no varying parameter reaches it".to_string()
        } else {
            named.join(", ")
        };
        rows.push(vec![model.outcomes[outcome].name.clone(), named]);
    }
    if !rows.is_empty() {
        text.push_str(&format!(
            "\ntop drivers in {reference} (Spearman rank correlation of the parameter with the outcome over draws)\n"
        ));
        text.push_str(&output::columns(&rows, "ll", 2));
    }
    text
}

/// The `count` rows of `scenario` and `outcome` with the largest
/// |rank_corr|, among the parameters the outcome depends on in the graph of
/// that scenario (others could only show noise); ties keep model order.
pub fn top_drivers<'a>(
    model: &Model,
    rows: &'a [SensitivityRow],
    scenario: &str,
    outcome: OutcomeId,
    count: usize,
) -> Vec<&'a SensitivityRow> {
    let found = match model.scenario_id(scenario) {
        Some(id) => ancestry_in_scenario(model, outcome, id),
        None => ancestry(model, outcome),
    };
    let ancestors: Vec<&str> = found
        .params
        .iter()
        .map(|&(p, _)| model.params[p].name.as_str())
        .collect();
    let name = &model.outcomes[outcome].name;
    let mut found: Vec<(&SensitivityRow, f64)> = rows
        .iter()
        .filter(|r| r.scenario == scenario && &r.outcome == name)
        .filter(|r| ancestors.contains(&r.param.as_str()))
        .filter_map(|r| Some((r, r.rank_corr?.abs())))
        .collect();
    // A stable sort keeps model order among equal correlations.
    found.sort_by(|a, b| b.1.total_cmp(&a.1));
    found.into_iter().take(count).map(|(r, _)| r).collect()
}

/// A statistic with its sign: `+0.1234`, `-0.0500`, or `-`.
pub fn signed(x: Option<f64>) -> String {
    match x {
        Some(x) if x > 0.0 => format!("+{}", output::number(x)),
        Some(x) => output::number(x),
        None => "-".into(),
    }
}
