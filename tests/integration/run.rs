//! `uchronia run`: report files, statistics, determinism across threads,
//! scenario selection and the `--out` folder.

use crate::util::{arg, cell, csv, entries, model, temp, uchronia};

const SMALL: [&str; 4] = ["--trials", "200000", "--draws", "100"];

fn run_small(out: &std::path::Path, extra: &[&str]) -> crate::util::Run {
    let small = model("small");
    let mut args = vec!["run", small.as_str()];
    args.extend(SMALL);
    args.extend(["--out", arg(out)]);
    args.extend(extra);
    uchronia(&args)
}

fn number(text: &str) -> f64 {
    text.parse()
        .unwrap_or_else(|_| panic!("'{text}' is a number"))
}

#[test]
fn run_writes_the_report_files_with_their_columns_and_rows() {
    let dir = temp();
    let out = dir.path().join("report");
    let run = run_small(&out, &["--threads", "2"]);
    assert_eq!(run.status, 0, "stderr: {}", run.stderr);

    let outcomes = csv(&out.join("outcomes.csv"));
    assert_eq!(
        outcomes.0,
        [
            "scenario", "outcome", "p_mean", "mc_se", "p_q05", "p_q50", "p_q95", "draws", "trials",
            "label"
        ]
    );
    // Two scenarios x two boolean outcomes.
    assert_eq!(outcomes.1.len(), 4);
    assert_eq!(cell(&outcomes, "history", "crisis_happens", "draws"), "100");
    assert_eq!(
        cell(&outcomes, "history", "crisis_happens", "trials"),
        "200000"
    );

    let numeric = csv(&out.join("numeric.csv"));
    assert_eq!(
        numeric.0,
        [
            "scenario", "outcome", "mean", "mean_se", "sd", "q05", "q50", "q95", "share", "draws",
            "trials", "label"
        ]
    );
    assert_eq!(numeric.1.len(), 2);

    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("run.json")).expect("run.json"))
            .expect("valid JSON");
    assert_eq!(json["seed"], 1);
    assert_eq!(json["draws"], 100);
    assert_eq!(json["trials_per_draw"], 2000);
    assert_eq!(json["trials"], 200000);
    assert_eq!(json["threads"], 2);
    assert_eq!(
        json["scenarios"],
        serde_json::json!(["history", "reform_passes"])
    );
    assert_eq!(json["model_sha256"].as_str().map(str::len), Some(64));
    assert!(json["version"].is_string());
    assert!(json["trials_per_second"].as_f64().is_some_and(|x| x > 0.0));

    assert!(run.stdout.contains("history"), "stdout: {}", run.stdout);
    assert!(run.stdout.contains("reform_passes"));
    assert!(run.stdout.contains("90% interval"));
    assert!(
        run.stdout
            .contains(&format!("report written to {}", out.display()))
    );
}

#[test]
fn run_estimates_the_probabilities_worked_out_by_hand() {
    let dir = temp();
    let out = dir.path().join("report");
    let run = run_small(&out, &[]);
    assert_eq!(run.status, 0, "stderr: {}", run.stderr);
    let outcomes = csv(&out.join("outcomes.csv"));
    // history: leader by weights 1:8:1; reform_passes: p 0.6, 0.3, rest 0.1.
    // crisis: 0.7 under a hardliner, else 0.2.
    for (scenario, outcome, expected) in [
        ("history", "reformer_leads", 0.1),
        ("history", "crisis_happens", 0.8 * 0.7 + 0.2 * 0.2),
        ("reform_passes", "reformer_leads", 0.6),
        ("reform_passes", "crisis_happens", 0.3 * 0.7 + 0.7 * 0.2),
    ] {
        let p = number(&cell(&outcomes, scenario, outcome, "p_mean"));
        let se = number(&cell(&outcomes, scenario, outcome, "mc_se"));
        assert!(se > 0.0 && se < 0.01, "{scenario} {outcome}: se {se}");
        assert!(
            (p - expected).abs() < 4.0 * se,
            "{scenario} {outcome}: {p} vs {expected} (se {se})"
        );
        let q05 = number(&cell(&outcomes, scenario, outcome, "p_q05"));
        let q95 = number(&cell(&outcomes, scenario, outcome, "p_q95"));
        assert!(q05 <= p && p <= q95);
    }

    let numeric = csv(&out.join("numeric.csv"));
    let share = number(&cell(&numeric, "history", "crisis_start", "share"));
    assert!((share - 0.6).abs() < 0.01, "share {share}");
    // crisis_year ~ round(Normal(base_year, 2)), base_year ~ U(1930, 1940).
    let mean = number(&cell(&numeric, "history", "crisis_start", "mean"));
    let mean_se = number(&cell(&numeric, "history", "crisis_start", "mean_se"));
    assert!(
        (mean - 1935.0).abs() < 4.0 * mean_se,
        "mean {mean} se {mean_se}"
    );
    let sd = number(&cell(&numeric, "history", "crisis_start", "sd"));
    let expected_sd = (100.0f64 / 12.0 + 4.0 + 1.0 / 12.0).sqrt();
    assert!((sd - expected_sd).abs() < 0.3, "sd {sd} vs {expected_sd}");
    let q50 = number(&cell(&numeric, "history", "crisis_start", "q50"));
    // The sketch is within 0.5% of the true quantile (the language allows it).
    assert!((q50 - 1935.0).abs() <= 0.005 * 1935.0, "median {q50}");
}

#[test]
fn csv_files_are_byte_identical_for_one_and_two_threads() {
    let dir = temp();
    let one = dir.path().join("one");
    let two = dir.path().join("two");
    assert_eq!(run_small(&one, &["--threads", "1", "--quiet"]).status, 0);
    assert_eq!(run_small(&two, &["--threads", "2", "--quiet"]).status, 0);
    for file in ["outcomes.csv", "numeric.csv"] {
        let a = std::fs::read(one.join(file)).expect("one");
        let b = std::fs::read(two.join(file)).expect("two");
        assert!(!a.is_empty());
        assert_eq!(a, b, "{file} differs between thread counts");
    }
}

#[test]
fn another_seed_gives_other_numbers() {
    let dir = temp();
    let a = dir.path().join("a");
    let b = dir.path().join("b");
    assert_eq!(run_small(&a, &["--quiet"]).status, 0);
    assert_eq!(run_small(&b, &["--quiet", "--seed", "7"]).status, 0);
    let read = |p: &std::path::Path| std::fs::read(p.join("outcomes.csv")).expect("csv");
    assert_ne!(read(&a), read(&b));
}

#[test]
fn scenario_selects_rows_and_a_typo_gets_a_hint() {
    let dir = temp();
    let out = dir.path().join("report");
    let run = run_small(&out, &["--scenario", "reform_passes", "--quiet"]);
    assert_eq!(run.status, 0, "stderr: {}", run.stderr);
    let outcomes = csv(&out.join("outcomes.csv"));
    assert_eq!(outcomes.1.len(), 2);
    assert!(outcomes.1.iter().all(|row| row[0] == "reform_passes"));

    let typo = dir.path().join("typo");
    let run = run_small(&typo, &["--scenario", "reform_pases"]);
    assert_eq!(run.status, 2);
    assert!(
        run.stderr.contains("reform_pases"),
        "stderr: {}",
        run.stderr
    );
    assert!(
        run.stderr.contains("did you mean 'reform_passes'"),
        "stderr: {}",
        run.stderr
    );
    assert!(!typo.exists());
}

#[test]
fn trials_that_do_not_divide_are_rounded_down_and_said() {
    let dir = temp();
    let out = dir.path().join("report");
    let small = model("small");
    let run = uchronia(&[
        "run",
        &small,
        "--trials",
        "100050",
        "--draws",
        "100",
        "--out",
        arg(&out),
        "--quiet",
    ]);
    assert_eq!(run.status, 0, "stderr: {}", run.stderr);
    assert!(
        run.stderr.contains("not a multiple"),
        "stderr: {}",
        run.stderr
    );
    let outcomes = csv(&out.join("outcomes.csv"));
    assert_eq!(
        cell(&outcomes, "history", "reformer_leads", "trials"),
        "100000"
    );
}

#[test]
fn an_out_that_is_a_file_is_refused_and_nothing_is_written() {
    let dir = temp();
    let file = dir.path().join("report");
    std::fs::write(&file, "not a folder").expect("a file");
    let run = run_small(&file, &[]);
    assert_eq!(run.status, 2);
    assert!(run.stderr.starts_with("error: "), "stderr: {}", run.stderr);
    assert!(run.stderr.contains("is a file"), "stderr: {}", run.stderr);
    assert_eq!(
        std::fs::read_to_string(&file).expect("still there"),
        "not a folder"
    );
    assert_eq!(entries(dir.path()), [file]);
}

#[test]
fn an_out_under_a_file_is_refused() {
    let dir = temp();
    let file = dir.path().join("file");
    std::fs::write(&file, "x").expect("a file");
    let run = run_small(&file.join("report"), &[]);
    assert_eq!(run.status, 2);
    assert!(
        run.stderr.contains("cannot write a report"),
        "stderr: {}",
        run.stderr
    );
}

#[test]
fn a_second_run_replaces_the_report_and_leaves_no_temporary_folder() {
    let dir = temp();
    let out = dir.path().join("report");
    assert_eq!(run_small(&out, &["--quiet"]).status, 0);
    // A file the earlier report wrote (on its manifest) that this run does
    // not write again: replaced whole, the report loses it.
    std::fs::write(out.join("stale.txt"), "old").expect("a stale file");
    let manifest = out.join("uchronia-manifest.txt");
    let listed = std::fs::read_to_string(&manifest).expect("a manifest");
    std::fs::write(&manifest, format!("{listed}stale.txt\n")).expect("listed");
    let run = run_small(&out, &["--quiet", "--scenario", "history"]);
    assert_eq!(run.status, 0, "stderr: {}", run.stderr);
    assert!(!out.join("stale.txt").exists());
    assert_eq!(csv(&out.join("outcomes.csv")).1.len(), 2);
    assert_eq!(entries(dir.path()), [out]);
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_the_run_with_130_and_writes_nothing() {
    use std::process::{Command, Stdio};
    use std::time::{Duration, Instant};

    let dir = temp();
    let out = dir.path().join("report");
    // Far more trials than the test waits for: only Ctrl-C ends it.
    let child = Command::new(env!("CARGO_BIN_EXE_uchronia"))
        .args(["run", &model("small"), "--trials", "1e12", "--draws", "100"])
        .args(["--out", arg(&out)])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    // Give it time to load the model and install the handler.
    std::thread::sleep(Duration::from_millis(1000));
    let kill = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(kill.success());
    let started = Instant::now();
    let output = child.wait_with_output().expect("the binary ends");
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "it stopped promptly"
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(130), "stderr: {stderr}");
    assert_eq!(stderr.trim_end(), "error: interrupted");
    assert!(!out.exists());
    assert!(
        crate::util::entries(dir.path()).is_empty(),
        "no temporary folder left behind"
    );
}

/// The first bytes of every PNG file.
const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";

#[test]
fn run_writes_the_charts_and_the_three_summaries() {
    let dir = temp();
    let out = dir.path().join("report");
    let run = run_small(&out, &["--quiet"]);
    assert_eq!(run.status, 0, "stderr: {}", run.stderr);
    for chart in [
        "outcomes.png",
        "difference.png",
        "uncertainty.png",
        "crisis_start.png",
    ] {
        let bytes = std::fs::read(out.join(chart)).unwrap_or_else(|_| panic!("{chart} written"));
        assert!(bytes.starts_with(PNG_SIGNATURE), "{chart} is a PNG");
    }
    assert!(!out.join("draws.parquet").exists(), "only with --parquet");
    let md = std::fs::read_to_string(out.join("summary.md")).expect("summary.md");
    for name in [
        "history",
        "reform\\_passes",
        "reformer_leads",
        "crisis_happens",
        "crisis_start",
    ] {
        assert!(md.contains(name), "summary.md names {name}");
    }
    assert!(md.contains("![Outcomes: probability in each scenario](outcomes.png)"));
    assert!(md.contains("No claims"));
    assert!(
        md.contains(&format!(
            "uchronia run tests/models/small.toml --trials 200000 --draws 100 --seed 1 --out {}",
            out.display()
        )),
        "the command that reproduces the run"
    );
    let html = std::fs::read_to_string(out.join("summary.html")).expect("summary.html");
    // The charts are linked, the files beside it; --standalone inlines them.
    assert!(
        html.contains("<img alt=\"Outcomes: probability in each scenario\" src=\"outcomes.png\">")
    );
    assert!(!html.contains("data:image"));
    // Its one link is to the explore page beside it, which is on the manifest.
    assert!(!html.contains("src=\"http"));
    assert_eq!(html.matches("href=").count(), 1);
    assert!(html.contains("<a href=\"explore.html\">"));
    assert!(md.contains("[`explore.html`](explore.html)"));
    let manifest = std::fs::read_to_string(out.join("uchronia-manifest.txt")).expect("manifest");
    assert!(manifest.lines().any(|l| l == "explore.html"));
    let page = std::fs::read_to_string(out.join("explore.html")).expect("explore.html");
    // The kept count, and the beliefs, which its script builds from the
    // data: one parameter at least has a control.
    assert!(page.contains("data-kept") && page.contains("<details class=\"more\">"));
    assert!(page.contains("\"beliefs\":{\"first\":["));
    assert!(!page.contains("\"beliefs\":{\"first\":[],\"more\":[]}"));
    let bbcode = std::fs::read_to_string(out.join("summary.bbcode")).expect("summary.bbcode");
    assert!(bbcode.contains(" (outcomes.png).[/i]"));
}

#[test]
fn parquet_writes_a_row_per_scenario_and_draw() {
    let dir = temp();
    let out = dir.path().join("report");
    let run = run_small(&out, &["--quiet", "--parquet"]);
    assert_eq!(run.status, 0, "stderr: {}", run.stderr);
    let bytes = std::fs::read(out.join("draws.parquet")).expect("draws.parquet");
    assert!(
        bytes.starts_with(b"PAR1") && bytes.ends_with(b"PAR1"),
        "a Parquet file"
    );
    // Column names sit in the footer's schema.
    for column in [
        "scenario",
        "draw",
        "support",
        "base_year",
        "reformer_leads",
        "crisis_start",
    ] {
        assert!(
            bytes.windows(column.len()).any(|w| w == column.as_bytes()),
            "column {column}"
        );
    }
    let md = std::fs::read_to_string(out.join("summary.md")).expect("summary.md");
    assert!(md.contains("--parquet"), "the command has the flag");
}

#[test]
fn a_run_that_fails_leaves_the_previous_report_untouched() {
    let dir = temp();
    let out = dir.path().join("report");
    assert_eq!(run_small(&out, &["--quiet"]).status, 0);
    let before: Vec<(std::path::PathBuf, Vec<u8>)> = entries(&out)
        .into_iter()
        .map(|path| {
            let bytes = std::fs::read(&path).expect("readable");
            (path, bytes)
        })
        .collect();
    let failing = model("runtime_error");
    let run = uchronia(&[
        "run",
        &failing,
        "--trials",
        "1000",
        "--draws",
        "10",
        "--out",
        arg(&out),
    ]);
    assert_eq!(run.status, 2, "stderr: {}", run.stderr);
    let after: Vec<(std::path::PathBuf, Vec<u8>)> = entries(&out)
        .into_iter()
        .map(|path| {
            let bytes = std::fs::read(&path).expect("readable");
            (path, bytes)
        })
        .collect();
    assert_eq!(before.len(), after.len());
    assert!(before == after, "the old report is byte for byte the same");
    assert_eq!(entries(dir.path()), [out], "no temporary folder left");
}

#[test]
fn standalone_inlines_the_charts_in_summary_html() {
    let dir = temp();
    let out = dir.path().join("report");
    let run = run_small(&out, &["--quiet", "--standalone"]);
    assert_eq!(run.status, 0, "stderr: {}", run.stderr);
    let html = std::fs::read_to_string(out.join("summary.html")).expect("summary.html");
    let images = html.matches("<img ").count();
    assert!(images >= 4, "{images} charts");
    assert_eq!(images, html.matches("src=\"data:image/png;base64,").count());
    assert!(
        html.contains("--standalone"),
        "the command that reproduces it"
    );
}
