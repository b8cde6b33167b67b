//! `claims.png`: the claims forest plot. Each claim is a row; the range of
//! probability it claims is shaded, and the model's mean and 90% interval
//! are drawn over it in the colour of the verdict, which is also written out
//! at the right with the claim's credence (the share of parameter draws in
//! which it holds). A verdict that the graph decides reads `untestable`
//! with its reason, and a `prior_only` claim's verdict says that it tests
//! the prior, not the model.
//!
//! Absolute claims ("X was likely") are on the probability scale;
//! comparative claims ("X was more likely under A than under B") on the
//! scale of the paired difference `p(scenario) - p(than)`, in a second panel.

use uchronia_analysis::findings::{ClaimSummary, Verdict, claim_verdict_text};
use uchronia_model::Model;

use super::canvas::{Header, LegendEntry, Swatch, nice_range};
use super::rows::{Group, Mark, Row, RowPanel, Scale};
use super::style::{self, INK, SHADE};

/// The panels: absolute claims, then comparative claims (each only when
/// there are such claims).
pub fn panels(claims: &[ClaimSummary], model: &Model) -> Vec<RowPanel> {
    let model_title = &model.title;
    let (comparative, absolute): (Vec<&ClaimSummary>, Vec<&ClaimSummary>) =
        claims.iter().partition(|c| c.than.is_some());
    let mut panels = Vec::new();
    if !absolute.is_empty() {
        panels.push(RowPanel {
            header: Header {
                title: "Claims against the model: probabilities".into(),
                lines: vec![
                    format!("Model: {model_title}"),
                    "Grey band: the range of probability the claim's words mean. Dot: the model's mean probability over parameter draws, as in the tables; whiskers: its 90% interval. Right: the verdict and the share of draws in which the claim holds.".into(),
                ],
                legend: legend(true),
            },
            groups: absolute.iter().map(|c| group(c, model)).collect(),
            range: (0.0, 1.0),
            scale: Scale::Percent,
            axis: "probability of the claimed event (%)".into(),
            lines: Vec::new(),
        });
    }
    if !comparative.is_empty() {
        let extent = comparative
            .iter()
            .flat_map(|c| [c.q05, c.estimate, c.q95])
            .flatten()
            .chain(
                comparative
                    .iter()
                    .filter_map(|c| c.band)
                    .flat_map(|(lo, hi)| [lo, hi]),
            )
            .fold(0.05_f64, |m, x| m.max(x.abs()))
            .min(1.0);
        let (_, hi) = nice_range(0.0, extent);
        panels.push(RowPanel {
            header: Header {
                title: "Comparative claims: how much more (or less) likely".into(),
                lines: vec![
                    format!("Model: {model_title}"),
                    "Dot: the model's mean difference p(scenario) − p(compared scenario) over parameter draws, paired draw by draw; whiskers: its 90% interval. Right of zero: more likely in the claim's scenario.".into(),
                ],
                legend: legend(false),
            },
            groups: comparative.iter().map(|c| group(c, model)).collect(),
            range: (-hi, hi),
            scale: Scale::Points,
            axis: "difference in probability (percentage points)".into(),
            lines: vec![(0.0, INK)],
        });
    }
    panels
}

fn legend(with_band: bool) -> Vec<LegendEntry> {
    let mut legend = Vec::new();
    if with_band {
        legend.push(LegendEntry {
            label: "claimed range".into(),
            colour: SHADE,
            swatch: Swatch::Square,
        });
    }
    for verdict in [
        Verdict::Supported,
        Verdict::Contested,
        Verdict::Contradicted,
        Verdict::Undefined,
        Verdict::Untestable,
    ] {
        legend.push(LegendEntry {
            label: verdict.as_str().into(),
            colour: style::verdict_colour(verdict),
            swatch: Swatch::Dot,
        });
    }
    legend
}

fn group(claim: &ClaimSummary, model: &Model) -> Group {
    let colour = style::verdict_colour(claim.verdict);
    let mut marks = Vec::new();
    if let Some((lo, hi)) = claim.band {
        marks.push(Mark::Band {
            lo,
            hi,
            colour: SHADE,
        });
    }
    if let (Some(lo), Some(hi)) = (claim.q05, claim.q95) {
        marks.push(Mark::Whisker { lo, hi, colour });
    }
    if let Some(x) = claim.estimate {
        marks.push(Mark::Dot { x, colour });
    }
    let verdict = claim_verdict_text(claim);
    let note = match claim.credence {
        Some(credence) if claim.verdict != Verdict::Untestable => {
            format!("{verdict} ({} of draws)", crate::format::percent(credence))
        }
        _ => verdict,
    };
    // A dated claim's world is a year, not a scenario of the model; its
    // name then has no label and stands as it is.
    let world = claim.world();
    let world = model.display_scenario(&world);
    let detail = match &claim.than {
        Some(than) => format!(
            "{} · {world} vs {}",
            claim.author,
            model.display_scenario(than)
        ),
        None => format!("{} · {world}", claim.author),
    };
    Group {
        label: claim.id.clone(),
        detail: Some(detail),
        rows: vec![Row {
            marks,
            note: Some((note, colour)),
        }],
    }
}
