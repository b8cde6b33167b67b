//! The text `uchronia run` prints after its table of results: for each
//! headline outcome, first the effect of each scenario's divergence alone
//! (against its matched baseline), then how each scenario differs from the
//! reference with its confounders named (paired over draws), and which
//! parameters drive it in the reference scenario (graph ancestors beyond the
//! 99% noise bound only).
//! The full tables are `comparison.csv` and `sensitivity.csv`.

use uchronia_analysis::findings::{Against, ComparisonRow, SensitivityRow};
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

    let is_headline = |row: &&ComparisonRow| {
        headlines
            .iter()
            .any(|&o| model.outcomes[o].name == row.outcome)
    };
    let matched: Vec<&ComparisonRow> = (comparison.iter())
        .filter(|r| r.against == Against::Matched)
        .filter(is_headline)
        .collect();
    if !matched.is_empty() {
        text.push_str(
            "\neffect of the divergence alone (against the matched baseline: the same fixings without the divergence; paired over draws)\n",
        );
        text.push_str(&difference_table(&matched, true));
    }
    let against_reference: Vec<&ComparisonRow> = (comparison.iter())
        .filter(|r| r.against == Against::Reference)
        .collect();
    if let Some(reference) = against_reference.first().map(|r| r.reference.as_str()) {
        text.push_str(&format!(
            "\ndifference from {reference} (paired over draws; 90% interval of the per-draw difference)\n"
        ));
        let shown: Vec<&ComparisonRow> = against_reference
            .iter()
            .copied()
            .filter(is_headline)
            .collect();
        text.push_str(&difference_table(&shown, false));
        let mut named: Vec<(&str, &[String])> = Vec::new();
        for row in &against_reference {
            if !row.confounders.is_empty() && !named.iter().any(|(s, _)| *s == row.scenario) {
                named.push((&row.scenario, &row.confounders));
            }
        }
        for (scenario, nodes) in named {
            text.push_str(&format!(
                "  {scenario} is confounded against {reference}: they fix {} differently\n",
                nodes.join(", ")
            ));
        }
    }

    let reference = comparison
        .iter()
        .find(|r| r.against == Against::Reference)
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
            "no parameter stands out".to_string()
        } else {
            named.join(", ")
        };
        rows.push(vec![model.outcomes[outcome].name.clone(), named]);
    }
    if !rows.is_empty() {
        text.push_str(&format!(
            "\ntop drivers in {reference} (Spearman rank correlation of the parameter with the outcome over draws; graph ancestors beyond the 99% noise bound only)\n"
        ));
        text.push_str(&output::columns(&rows, "ll", 2));
    }
    text
}

/// The `count` rows of `scenario` and `outcome` with the largest
/// |rank_corr|, among the parameters the outcome depends on in the graph of
/// that scenario (others could only show noise) whose correlation lies
/// beyond the 99% noise bound; ties keep model order.
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
        .filter(|r| ancestors.contains(&r.param.as_str()) && r.significant)
        .filter_map(|r| Some((r, r.rank_corr?.abs())))
        .collect();
    // A stable sort keeps model order among equal correlations.
    found.sort_by(|a, b| b.1.total_cmp(&a.1));
    found.into_iter().take(count).map(|(r, _)| r).collect()
}

/// The rows as an aligned table: scenario, (baseline,) outcome, difference,
/// its standard error, 90% interval and ratio.
fn difference_table(rows: &[&ComparisonRow], with_baseline: bool) -> String {
    let mut header = vec!["scenario"];
    if with_baseline {
        header.push("baseline");
    }
    header.extend(["outcome", "diff", "se", "90% interval", "ratio"]);
    let mut table = vec![header.into_iter().map(String::from).collect::<Vec<_>>()];
    for row in rows {
        let mut cells = vec![row.scenario.clone()];
        if with_baseline {
            cells.push(row.reference.clone());
        }
        cells.extend([
            row.outcome.clone(),
            signed(row.diff),
            output::maybe(row.diff_se),
            output::interval(row.diff_q05, row.diff_q95),
            row.ratio
                .map_or_else(|| "-".into(), |r| format!("x{}", output::number(r))),
        ]);
        table.push(cells);
    }
    let align = if with_baseline { "lllrrll" } else { "llrrll" };
    output::columns(&table, align, 2)
}

/// A statistic with its sign: `+0.1234`, `-0.0500`, or `-`.
pub fn signed(x: Option<f64>) -> String {
    match x {
        Some(x) if x > 0.0 => format!("+{}", output::number(x)),
        Some(x) => output::number(x),
        None => "-".into(),
    }
}
