//! Labels (`label = "..."`, docs/model-format.md): the report shows them in
//! place of identifiers, every CSV keeps its identifier columns and ends
//! with a `label` column, and the numbers are those of the same model
//! without labels.

use std::path::Path;

use crate::util::{arg, model, temp, uchronia};

// --full: every row of sensitivity.csv, so that `support` (no ancestor of
// anything in this model's scenarios) has rows and its label is seen.
const SIZE: [&str; 7] = [
    "--trials", "20000", "--draws", "20", "--seed", "5", "--full",
];

fn run(name: &str, out: &Path) {
    let file = model(name);
    let mut args = vec!["run", file.as_str(), "--out", arg(out)];
    args.extend(SIZE);
    let run = uchronia(&args);
    assert_eq!(run.status, 0, "stderr: {}", run.stderr);
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|_| panic!("{} exists", path.display()))
}

/// The lines of a CSV file without its last column (cells here never hold
/// a comma before the last column).
fn without_last_column(text: &str) -> Vec<String> {
    text.lines()
        .map(|line| {
            // A quoted last cell may hold commas: cut at the first comma
            // that opens it.
            let cut = match line.find(",\"") {
                Some(at) => at,
                None => line.rfind(',').expect("a comma"),
            };
            line[..cut].to_string()
        })
        .collect()
}

#[test]
fn labels_name_things_in_the_report_and_change_no_number() {
    let dir = temp();
    let (labelled, plain) = (dir.path().join("labelled"), dir.path().join("plain"));
    run("labelled", &labelled);
    run("small", &plain);

    let outcomes = read(&labelled.join("outcomes.csv"));
    let mut lines = outcomes.lines();
    assert_eq!(
        lines.next(),
        Some("scenario,outcome,p_mean,mc_se,p_q05,p_q50,p_q95,draws,trials,label")
    );
    let rows: Vec<&str> = lines.collect();
    assert!(
        rows.iter()
            .any(|r| r.starts_with("history,reformer_leads,") && r.ends_with(",The reformer leads")),
        "{outcomes}"
    );
    assert!(
        rows.iter()
            .any(|r| r.starts_with("history,crisis_happens,") && r.ends_with(",crisis_happens")),
        "an outcome without a label: its identifier\n{outcomes}"
    );
    let numeric = read(&labelled.join("numeric.csv"));
    assert!(
        numeric
            .lines()
            .next()
            .is_some_and(|h| h.ends_with(",trials,label"))
    );
    assert!(numeric.contains(",Year of the crisis\n"), "{numeric}");
    let sensitivity = read(&labelled.join("sensitivity.csv"));
    assert!(
        sensitivity.contains(",support,")
            && sensitivity.contains(",\"Support for the reformer, in the party\"\n"),
        "a label with a comma is quoted\n{sensitivity}"
    );

    // Labels are names, nothing more: without the label column, every table
    // is the unlabelled model's, byte for byte.
    for file in [
        "outcomes.csv",
        "numeric.csv",
        "comparison.csv",
        "sensitivity.csv",
    ] {
        assert_eq!(
            without_last_column(&read(&labelled.join(file))),
            without_last_column(&read(&plain.join(file))),
            "{file}"
        );
    }

    let summary = read(&labelled.join("summary.md"));
    assert!(summary.contains("| The reformer leads |"), "{summary}");
    assert!(!summary.contains("`reformer_leads`"), "{summary}");
    assert!(summary.contains("`crisis_happens`"), "{summary}");
    assert!(
        summary.contains("### What happened (reference)"),
        "{summary}"
    );
    assert!(summary.contains("What happened (`history`)"), "{summary}");
    let html = read(&labelled.join("summary.html"));
    assert!(html.contains("The reformer leads"));
    let bbcode = read(&labelled.join("summary.bbcode"));
    assert!(bbcode.contains("The reformer leads"));
}
