//! The summaries' note on how the parameter draws were made: Latin
//! hypercube sampling when asked for, and the correlated params, naming
//! every pair whose achieved rank correlation is more than 0.05 from its
//! target (the full table is correlations.csv).

use uchronia_analysis::correlations::NOTABLE_GAP;
use uchronia_engine::Design;

use super::{Block, text};
use crate::report::Report;

/// The blocks of the note (none for a default run of a model without
/// correlations).
pub(super) fn blocks(report: &Report, blocks: &mut Vec<Block>) {
    if report.info.design == Design::Lhs {
        blocks.push(Block::Paragraph(vec![text(
            "Parameter draws: Latin hypercube (--design lhs): each uncorrelated parameter's draws fall one in each of as many equal-probability strata of its prior.",
        )]));
    }
    let rows = report.correlations;
    if rows.is_empty() {
        return;
    }
    blocks.push(Block::Heading(2, "Correlated parameters".into()));
    let gaps: Vec<_> = rows
        .iter()
        .filter_map(|row| row.notable_gap().map(|gap| (row, gap)))
        .collect();
    if gaps.is_empty() {
        blocks.push(Block::Paragraph(vec![text(format!(
            "{} pair(s) of parameters are rank-correlated; every achieved rank correlation is within {NOTABLE_GAP} of its target (correlations.csv).",
            rows.len()
        ))]));
        return;
    }
    blocks.push(Block::Paragraph(vec![text(format!(
        "{} pair(s) of parameters are rank-correlated (correlations.csv); achieved more than {NOTABLE_GAP} from target:",
        rows.len()
    ))]));
    let lines = gaps
        .into_iter()
        .map(|(row, gap)| {
            vec![
                super::item(report, &row.param_a),
                text(" and "),
                super::item(report, &row.param_b),
                text(format!(
                    ": target {:.2}, achieved {:.2} (gap {gap:.2})",
                    row.target,
                    row.achieved.unwrap_or(f64::NAN)
                )),
            ]
        })
        .collect();
    blocks.push(Block::List(lines));
}

#[cfg(test)]
mod tests {
    use uchronia_analysis::CorrelationRow;
    use uchronia_engine::Design;

    use crate::summary::{build, markdown};
    use crate::testing::Fixture;

    fn row(a: &str, b: &str, target: f64, achieved: f64) -> CorrelationRow {
        CorrelationRow {
            param_a: a.into(),
            param_b: b.into(),
            target,
            achieved: Some(achieved),
        }
    }

    #[test]
    fn the_summary_names_only_the_gaps_beyond_0_05_and_the_lhs_design() {
        let mut fixture = Fixture::plain();
        let plain = markdown::render(&build(&fixture.report(), &[]));
        assert!(!plain.contains("Correlated parameters") && !plain.contains("Latin"));
        fixture.info.design = Design::Lhs;
        let rows = [
            row("hawk", "dove", 0.5, 0.43),
            row("left", "right", 0.3, 0.27),
        ];
        let mut report = fixture.report();
        report.correlations = &rows;
        let text = markdown::render(&build(&report, &[]));
        assert!(text.contains("Latin hypercube"), "{text}");
        assert!(
            text.contains("target 0.50, achieved 0.43 (gap 0.07)"),
            "{text}"
        );
        assert!(!text.contains("`left`"), "{text}");
        let close = [row("left", "right", 0.3, 0.27)];
        report.correlations = &close;
        let text = markdown::render(&build(&report, &[]));
        assert!(
            text.contains("every achieved rank correlation is within 0.05"),
            "{text}"
        );
    }
}
