//! `uchronia crux` end to end, on tests/models/bands.toml and
//! tests/claims/posters.toml: the four crux files with the contract's
//! columns, the known conflict (and no consistent poster) in
//! conflicts.csv, the section on stdout, too few draws, byte-identical
//! files across thread counts, and `run` writing the crux files only for
//! claims of two or more authors.

use std::path::Path;

use crate::util::{arg, csv, model, temp, uchronia};

const CLAIMS: &str = "tests/claims/posters.toml";
const LEXICON: &str = "data/estimative-words.toml";
const CRUX_FILES: [&str; 4] = ["posters.csv", "crux.csv", "worlds.csv", "conflicts.csv"];

fn crux(out: &Path, extra: &[&str]) -> crate::util::Run {
    let mut args = vec![
        "crux",
        CLAIMS,
        "--lexicon",
        LEXICON,
        "--trials",
        "40000",
        "--draws",
        "400",
        "--out",
    ];
    args.push(arg(out));
    args.extend(extra);
    let run = uchronia(&args);
    assert_eq!(run.status, 0, "stderr: {}", run.stderr);
    run
}

#[test]
fn crux_writes_the_contracts_files_and_finds_the_conflict() {
    let dir = temp();
    let out = dir.path().join("crux");
    let run = crux(&out, &[]);
    let (header, rows) = csv(&out.join("posters.csv"));
    assert_eq!(
        header.join(","),
        "author,claims,draws_kept,param,prior_q05,prior_q50,prior_q95,implied_q05,implied_q50,implied_q95,shift,label"
    );
    assert_eq!(rows.len(), 3 * 3);
    // The unread parameter is not shifted, for anyone.
    for row in rows.iter().filter(|r| r[3] == "unread") {
        assert_eq!(row[10], "0", "{row:?}");
        assert_eq!(row[4..7], row[7..10], "{row:?}");
    }
    let (header, rows) = csv(&out.join("crux.csv"));
    assert_eq!(
        header.join(","),
        "author_a,author_b,rank,param,shift_a,shift_b,gap,significant,label"
    );
    let first = rows.iter().find(|r| r[0] == "alice" && r[1] == "bob");
    let first = first.expect("a row for alice and bob");
    assert_eq!((first[2].as_str(), first[3].as_str()), ("1", "a"));
    // By default only the gaps beyond their worlds' noise are written.
    assert!(rows.iter().all(|r| r[7] == "true"), "{rows:?}");
    assert!(rows.iter().all(|r| r[3] != "unread"));
    let (header, rows) = csv(&out.join("worlds.csv"));
    assert_eq!(
        header.join(","),
        "author,scenario,outcome,p_mean,p_q05,p_q95,label"
    );
    assert_eq!(rows.len(), 3 * 3);
    // The known conflict, and no consistent poster listed.
    let text = std::fs::read_to_string(out.join("conflicts.csv")).expect("conflicts.csv");
    assert_eq!(text, "author,claims\ncarol,carol-high;carol-low\n");
    assert!(
        run.stdout.contains("Where the posters disagree"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains(
            "carol: these two claims cannot both hold in this model: carol-high, carol-low"
        ),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("leaving out carol-low"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("alice and bob: the crux is “a” "),
        "{}",
        run.stdout
    );
    for chart in ["crux.png", "worlds.png"] {
        let bytes = std::fs::read(out.join(chart)).expect("the chart exists");
        assert!(bytes.starts_with(b"\x89PNG"), "{chart} is a PNG");
    }
    let summary = std::fs::read_to_string(out.join("summary.md")).expect("summary.md");
    assert!(
        summary.contains("![The crux parameters in each poster's world](crux.png)"),
        "{summary}"
    );
    assert!(summary.contains("## Where the posters disagree"));
    assert!(
        summary.contains("uchronia crux tests/claims/posters.toml --model"),
        "{summary}"
    );
}

#[test]
fn crux_files_are_byte_identical_across_thread_counts() {
    let dir = temp();
    let one = dir.path().join("one");
    let three = dir.path().join("three");
    crux(&one, &["--threads", "1"]);
    crux(&three, &["--threads", "3"]);
    for file in CRUX_FILES {
        let a = std::fs::read(one.join(file)).expect("written with one thread");
        let b = std::fs::read(three.join(file)).expect("written with three");
        assert!(a == b, "{file} differs between 1 and 3 threads");
    }
    // The summary records the threads; its crux section does not depend on them.
    let section = |dir: &Path| {
        let text = std::fs::read_to_string(dir.join("summary.md")).expect("summary.md");
        let start = text
            .find("## Where the posters disagree")
            .expect("the section");
        let end = text.find("## Reproduce").expect("the next section");
        text[start..end].to_string()
    };
    assert_eq!(section(&one), section(&three));
}

#[test]
fn too_few_kept_draws_are_named_with_the_draws_that_would_do() {
    let dir = temp();
    let out = dir.path().join("few");
    let run = uchronia(&[
        "crux",
        CLAIMS,
        "--lexicon",
        LEXICON,
        "--trials",
        "4000",
        "--draws",
        "40",
        "--out",
        arg(&out),
    ]);
    assert_eq!(run.status, 0, "stderr: {}", run.stderr);
    // Bob keeps about 15% of 40 draws: a few, far below 30.
    assert!(
        run.stdout.contains("bob's world has only") && run.stdout.contains("run with --draws "),
        "{}",
        run.stdout
    );
}

#[test]
fn run_writes_the_crux_files_only_for_two_authors_or_more() {
    let dir = temp();
    let with = dir.path().join("with");
    let bands = model("bands");
    let run = uchronia(&[
        "run",
        &bands,
        "--claims",
        CLAIMS,
        "--lexicon",
        LEXICON,
        "--trials",
        "4000",
        "--draws",
        "40",
        "--out",
        arg(&with),
    ]);
    assert_eq!(run.status, 0, "stderr: {}", run.stderr);
    assert!(with.join("crux.csv").is_file());
    assert!(run.stdout.contains("Where the posters disagree"));
    let without = dir.path().join("without");
    let run = uchronia(&[
        "run",
        &bands,
        "--trials",
        "4000",
        "--draws",
        "40",
        "--out",
        arg(&without),
    ]);
    assert_eq!(run.status, 0, "stderr: {}", run.stderr);
    assert!(!without.join("crux.csv").exists());
    assert!(!without.join("posters.csv").exists());
}
