//! The ex-ante check of "In short" (docs/reports.md): a run of a model with
//! `ex_ante` priors gives the opening's effects again with those priors, in
//! one sentence of summary.md, summary.html and the first forum post, with
//! the numbers that `run --ex-ante` writes for that pair in comparison.csv;
//! a model without them, `--no-ex-ante-check` and `--ex-ante` itself give no
//! such sentence; and shards merge to the same sentence.

use std::path::Path;

use crate::util::{arg, csv, model, temp, uchronia};

/// Small enough for a test, big enough for the fixture's effects to keep
/// their signs: 103 draws, so that three shards are uneven.
const SIZE: [&str; 4] = ["--trials", "206000", "--draws", "103"];

/// Where the added sentence starts.
const LEAD: &str = "With those priors as the modeller judges them before the events instead (uchronia run --ex-ante), the same effects are ";

/// Runs `uchronia run MODEL` at [`SIZE`] into `out` with `extra` options,
/// and checks that it succeeded.
fn run(model: &str, out: &Path, extra: &[&str]) -> crate::util::Run {
    let mut args = vec!["run", model, "--out", arg(out)];
    args.extend(SIZE);
    args.extend(extra);
    let run = uchronia(&args);
    assert_eq!(run.status, 0, "stderr: {}", run.stderr);
    run
}

/// The "In short" paragraph of summary.md.
fn in_short(dir: &Path) -> String {
    let text = std::fs::read_to_string(dir.join("summary.md")).expect("summary.md");
    (text.lines())
        .find(|line| line.starts_with("**In short.**"))
        .expect("an In short paragraph")
        .to_string()
}

/// The `diff`, `diff_q05` and `diff_q95` of the `matched` rows of `reform`
/// in a comparison.csv, in points, outcome by outcome in the order of
/// `outcomes`.
fn effects_from(comparison: &Path, outcomes: &[&str]) -> Vec<f64> {
    let (header, rows) = csv(comparison);
    let at = |name: &str| header.iter().position(|h| h == name).expect("a column");
    let mut numbers = Vec::new();
    for &outcome in outcomes {
        let row = (rows.iter())
            .find(|r| r[0] == "reform" && r[2] == outcome && r[at("against")] == "matched")
            .unwrap_or_else(|| panic!("no matched row of {outcome}"));
        for column in ["diff", "diff_q05", "diff_q95"] {
            numbers.push(100.0 * row[at(column)].parse::<f64>().expect("a number"));
        }
    }
    numbers
}

/// The numbers of the added sentence, as written: "+3.9 points (90%
/// interval -8.6 to +17.5) and +1.9 (-4.3 to +9.1)" gives six.
fn effects_said(opening: &str) -> Vec<f64> {
    let start = opening.find(LEAD).expect("the sentence") + LEAD.len();
    let rest = &opening[start..];
    // The list ends at the first colon or full stop that is not a decimal
    // point.
    let bytes = rest.as_bytes();
    let end = (0..bytes.len())
        .find(|&j| {
            matches!(bytes[j], b':' | b'.') && !bytes.get(j + 1).is_some_and(u8::is_ascii_digit)
        })
        .unwrap_or(bytes.len());
    rest[..end]
        .replace("(90% interval", " ")
        .replace(['(', ')', ','], " ")
        .split_whitespace()
        .filter(|w| !matches!(*w, "points" | "to" | "and"))
        .map(|w| w.parse().unwrap_or_else(|_| panic!("a number: {w}")))
        .collect()
}

/// `said` is `exact` as the report rounds it: one decimal from 1 point
/// up, two below (comparison.csv keeps four significant digits).
fn rounds_to(said: f64, exact: f64) -> bool {
    let unit = if exact.abs() < 1.0 { 0.01 } else { 0.1 };
    (said - exact).abs() <= unit / 2.0 + exact.abs() * 5e-4 + 1e-9
}

#[test]
fn the_opening_gives_its_effects_with_the_ex_ante_priors_as_run_ex_ante_does() {
    let dir = temp();
    let fixture = model("ex_ante");
    let shipped = dir.path().join("shipped");
    let printed = run(&fixture, &shipped, &[]);
    assert!(
        printed.stdout.contains(
            "ex-ante check of \"In short\": reform and its matched baseline again with 1 ex-ante prior(s), "
        ),
        "{}",
        printed.stdout
    );
    let ex_ante = dir.path().join("ex-ante");
    run(&fixture, &ex_ante, &["--ex-ante"]);

    // The shipped prior's effects, largest first, then the same effects
    // with the ex-ante prior: run --ex-ante's numbers for that pair.
    let outcomes = ["crisis_breaks_out", "regime_falls"];
    let opening = in_short(&shipped);
    assert!(
        opening.contains("“A crisis breaks out” is ") && opening.contains("points less likely"),
        "{opening}"
    );
    assert!(
        opening.contains(&format!("(marked hindsight). {LEAD}")),
        "{opening}"
    );
    assert!(
        opening.contains(": “A crisis breaks out” and “The regime falls” change sign and neither can now be told from zero."),
        "{opening}"
    );
    let said = effects_said(&opening);
    let exact = effects_from(&ex_ante.join("comparison.csv"), &outcomes);
    assert_eq!(said.len(), exact.len(), "{opening}");
    for (said, exact) in said.iter().zip(&exact) {
        assert!(rounds_to(*said, *exact), "{said} for {exact}: {opening}");
    }
    // The shipped numbers are not those.
    let own = effects_from(&shipped.join("comparison.csv"), &outcomes);
    assert!(own[0] < -10.0 && exact[0] > 0.0, "{own:?} {exact:?}");
    // The same sentence in summary.html and the first forum post.
    let start = opening.find(LEAD).expect("the sentence");
    let sentence = &opening[start..opening[start..].find(" from zero.").expect("its end") + start];
    let post = std::fs::read_to_string(shipped.join("summary.bbcode")).expect("the post");
    let post_opening = post.split("\n\n").nth(1).expect("the opening");
    assert!(post_opening.starts_with("[b]In short.[/b]"), "{post}");
    assert!(post_opening.contains(sentence), "{post_opening}");
    let html = std::fs::read_to_string(shipped.join("summary.html")).expect("the page");
    let plain = &sentence[..sentence.find(':').expect("a colon")];
    assert!(html.contains(plain), "{html}");

    // The ex-ante run says which priors it used, and checks nothing more.
    let own = in_short(&ex_ante);
    assert!(!own.contains(LEAD), "{own}");
    assert!(
        own.contains("It uses, for the parameter set with hindsight, the prior written without it (--ex-ante).")
            || own.contains("These use, for the parameter set with hindsight, the prior written without it (--ex-ante)."),
        "{own}"
    );
}

#[test]
fn no_sentence_without_ex_ante_priors_or_with_no_ex_ante_check() {
    let dir = temp();
    // The small model has no `ex_ante` prior: no check, no sentence.
    let small = dir.path().join("small");
    let printed = run(&model("small"), &small, &[]);
    assert!(
        !printed.stdout.contains("ex-ante check"),
        "{}",
        printed.stdout
    );
    let opening = in_short(&small);
    assert!(
        opening.starts_with("**In short.** The largest effect"),
        "{opening}"
    );
    assert!(!opening.contains("without hindsight"), "{opening}");

    // --no-ex-ante-check: the opening as before, and the command that
    // reproduces the report says so.
    let off = dir.path().join("off");
    let printed = run(&model("ex_ante"), &off, &["--no-ex-ante-check"]);
    assert!(
        !printed.stdout.contains("ex-ante check"),
        "{}",
        printed.stdout
    );
    let opening = in_short(&off);
    assert!(opening.contains("is the fairer test of them."), "{opening}");
    assert!(!opening.contains(LEAD), "{opening}");
    let summary = std::fs::read_to_string(off.join("summary.md")).expect("summary.md");
    assert!(summary.contains(" --no-ex-ante-check --out "), "{summary}");
}

#[test]
fn shards_merge_to_the_same_sentence() {
    let dir = temp();
    let fixture = model("ex_ante");
    let shards: Vec<_> = (1..=3)
        .map(|i| dir.path().join(format!("shard-{i}")))
        .collect();
    for (i, out) in shards.iter().enumerate() {
        let shard = format!("{}/3", i + 1);
        run(
            &fixture,
            out,
            &["--quiet", "--threads", "1", "--shard", &shard],
        );
    }
    let merged = dir.path().join("merged");
    let mut args = vec!["merge"];
    args.extend(shards.iter().map(|s| arg(s)));
    args.extend(["--out", arg(&merged)]);
    let merge = uchronia(&args);
    assert_eq!(merge.status, 0, "stderr: {}", merge.stderr);
    assert!(merge.stdout.contains("ex-ante check"), "{}", merge.stdout);
    let plain = dir.path().join("plain");
    run(&fixture, &plain, &["--quiet"]);
    assert!(in_short(&plain).contains(LEAD));
    assert_eq!(in_short(&merged), in_short(&plain));
    for file in ["comparison.csv", "summary.bbcode"] {
        let read = |dir: &Path| std::fs::read_to_string(dir.join(file)).expect(file);
        // The posts differ only in their timing line and --out.
        let tidy = |text: String, out: &Path| {
            (text.lines())
                .filter(|l| !l.contains("trials per second"))
                .map(|l| l.replace(arg(out), "OUT"))
                .collect::<Vec<_>>()
                .join("\n")
        };
        assert_eq!(
            tidy(read(&merged), &merged),
            tidy(read(&plain), &plain),
            "{file}"
        );
    }
    // Merged with --no-ex-ante-check, the sentence is left out.
    let off = dir.path().join("off");
    let mut args = vec!["merge", "--no-ex-ante-check", "--quiet"];
    args.extend(shards.iter().map(|s| arg(s)));
    args.extend(["--out", arg(&off)]);
    let merge = uchronia(&args);
    assert_eq!(merge.status, 0, "stderr: {}", merge.stderr);
    assert!(!in_short(&off).contains(LEAD));
}
