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

/// Claims about the labelled model: every view that shows a claim's number
/// says what the model reads it as, the event and the condition in the
/// model's labels (an outcome's label for the node it is made of), with
/// identifiers only where there is no label.
#[test]
fn a_claims_event_and_condition_are_shown_by_their_labels() {
    let dir = temp();
    let claims = dir.path().join("claims.toml");
    let model = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(model("labelled"));
    std::fs::write(
        &claims,
        format!(
            r#"model = {model:?}

[source]
title = "Labels in claims"
kind = "fixture"

[[claims]]
id = "reformer-if-crisis"
author = "tester"
quote = "Only a crisis could bring the reformer."
scenario = "history"
event = "reformer_in_power"
given = "not reform or crisis"
says = "unlikely"

[[claims]]
id = "reform-and-crisis"
author = "tester"
quote = "The reform makes no crisis."
scenario = "reform_passes"
than = "history"
event = "crisis and leader != 'hardliner'"
given = "leader != 'council'"
says = "lower"
"#
        ),
    )
    .expect("write");
    let out = dir.path().join("report");
    let mut args = vec![
        "run",
        "tests/models/labelled.toml",
        "--claims",
        arg(&claims),
    ];
    args.extend(["--out", arg(&out)]);
    args.extend(&SIZE[..6]);
    let run = uchronia(&args);
    assert_eq!(run.status, 0, "stderr: {}", run.stderr);

    let given = "given not “The reform passes” or `crisis`";
    let md = read(&out.join("summary.md"));
    // Beside the number, in the table; and after the words, in full.
    assert!(md.contains(&format!("| What happened, {given} |")), "{md}");
    assert!(
        md.contains(&format!("(read as: The reformer leads, {given}; ")),
        "{md}"
    );
    assert!(
        md.contains(
            "(read as: `crisis` and `leader` is not `hardliner`, given `leader` is not `council`"
        ),
        "{md}"
    );
    let html = read(&out.join("summary.html"));
    assert!(
        html.contains(&format!(
            "(read as: The reformer leads, {}; ",
            given.replace("`crisis`", "<code>crisis</code>")
        )),
        "{html}"
    );
    assert!(
        html.contains("<code>crisis</code> and <code>leader</code> is not <code>hardliner</code>"),
        "{html}"
    );
    let posts = read(&out.join("summary.bbcode"));
    assert!(
        posts.contains(&format!(
            "read as: The reformer leads, {}): ",
            given.replace('`', "")
        )),
        "{posts}"
    );
    let explore = read(&out.join("explore.html"));
    assert!(
        explore.contains(&format!(
            "<td>The reformer leads, {}</td>",
            given.replace("`crisis`", "<code>crisis</code>")
        )),
        "{explore}"
    );
    // The identifiers a label stands for are not shown in place of it.
    for text in [&md, &html, &posts, &explore] {
        assert!(!text.contains("reformer_in_power"));
        assert!(!text.contains("not reform or"));
    }
}
