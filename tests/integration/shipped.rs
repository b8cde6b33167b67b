//! The committed report of the shipped model, `reports/trotsky/` (what the
//! main job writes): its weight, and the precision of its tables
//! (docs/reports.md, "How big a report is").

use std::fs;
use std::path::{Path, PathBuf};

fn report() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("reports/trotsky")
}

/// Significant digits of a decimal as the tables write it (`0.00123` has 3).
fn significant_digits(cell: &str) -> usize {
    let digits: String = cell.chars().filter(char::is_ascii_digit).collect();
    digits.trim_start_matches('0').trim_end_matches('0').len()
}

/// The cells of a CSV line that are decimals with a point.
fn decimals(line: &str) -> Vec<&str> {
    (line.split(','))
        .filter(|c| c.contains('.') && c.parse::<f64>().is_ok())
        .collect()
}

#[test]
fn the_shipped_report_weighs_under_four_megabytes() {
    let mut total = 0;
    for entry in fs::read_dir(report()).expect("reports/trotsky") {
        let entry = entry.expect("an entry");
        total += entry.metadata().expect("its size").len();
    }
    assert!(
        total < 4_000_000,
        "reports/trotsky holds {total} bytes of files, not under 4,000,000"
    );
}

#[test]
fn the_analysis_tables_keep_four_significant_digits() {
    for file in [
        "sensitivity.csv",
        "comparison.csv",
        "posters.csv",
        "crux.csv",
        "worlds.csv",
    ] {
        let text = fs::read_to_string(report().join(file)).expect("the table");
        let mut seen = 0;
        for line in text.lines().skip(1) {
            for cell in decimals(line) {
                seen += 1;
                assert!(significant_digits(cell) <= 4, "{file}: {cell} in {line}");
            }
        }
        assert!(seen > 0, "{file} has decimals");
    }
    // The tables of estimates keep full precision: some cell needs more.
    let outcomes = fs::read_to_string(report().join("outcomes.csv")).expect("outcomes.csv");
    assert!(
        (outcomes.lines().skip(1))
            .flat_map(decimals)
            .any(|cell| significant_digits(cell) > 4),
        "outcomes.csv keeps every digit"
    );
}
