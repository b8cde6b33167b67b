//! `uchronia calibrate`: scores against tests/data/history.toml (for the
//! small model) and data/history.toml (the shipped model's targets), exit
//! statuses, and mistakes in history files shown at their place.

use std::path::Path;

use crate::util::{arg, model, temp, uchronia};

/// Trials enough for the small model's probabilities to be within 0.003.
const SIZE: [&str; 4] = ["--trials", "500000", "--draws", "500"];

fn calibrate(extra: &[&str]) -> crate::util::Run {
    let small = model("small");
    let mut args = vec!["calibrate", small.as_str(), "tests/data/history.toml"];
    args.extend(SIZE);
    args.extend(extra);
    uchronia(&args)
}

/// The records of a CSV file whose quoted cells may hold commas and `""`.
fn records(path: &Path) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(path).expect("the CSV file exists");
    text.lines()
        .map(|line| {
            let mut cells = vec![String::new()];
            let mut quoted = false;
            let mut chars = line.chars().peekable();
            while let Some(c) = chars.next() {
                match (c, quoted) {
                    ('"', true) if chars.peek() == Some(&'"') => {
                        chars.next();
                        cells.last_mut().expect("a cell").push('"');
                    }
                    ('"', _) => quoted = !quoted,
                    (',', false) => cells.push(String::new()),
                    (c, _) => cells.last_mut().expect("a cell").push(c),
                }
            }
            cells
        })
        .collect()
}

fn number(text: &str) -> f64 {
    text.parse()
        .unwrap_or_else(|_| panic!("'{text}' is a number"))
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("written");
    arg(&path).to_string()
}

#[test]
fn calibrate_scores_each_real_outcome_and_writes_calibration_csv() {
    let dir = temp();
    let out = dir.path().join("calibration");
    let run = calibrate(&["--out", arg(&out)]);
    assert_eq!(run.status, 0, "stderr: {}", run.stderr);
    let rows = records(&out.join("calibration.csv"));
    assert_eq!(
        rows[0],
        [
            "outcome",
            "kind",
            "real",
            "p_or_q50",
            "q05",
            "q95",
            "brier",
            "inside_90",
            "note",
            "percentile",
            "label",
            "same_event_as",
            "counted"
        ]
    );
    assert_eq!(rows.len(), 4);
    // Two distinct events, both counted; the number is not an event.
    let counted: Vec<&str> = rows[1..].iter().map(|r| r[12].as_str()).collect();
    assert_eq!(counted, ["true", "true", ""]);
    assert!(rows[1..].iter().all(|r| r[11].is_empty()), "{rows:?}");

    // P(reformer leads) = 0.1 exactly under `history`; it did not happen.
    let reformer = &rows[1];
    assert_eq!(reformer[..3], ["reformer_leads", "boolean", "false"]);
    let p = number(&reformer[3]);
    assert!((p - 0.1).abs() < 0.003, "p = {p}");
    assert!((number(&reformer[6]) - p * p).abs() < 1e-12);
    assert_eq!(reformer[7], "");
    assert_eq!(
        reformer[8],
        "The hardliner led, as he does eight times in ten."
    );

    // P(crisis) = 0.6; it happened: Brier (1 - 0.6)^2 = 0.16.
    let crisis = &rows[2];
    assert_eq!(crisis[..3], ["crisis_happens", "boolean", "true"]);
    assert!((number(&crisis[3]) - 0.6).abs() < 0.003, "{crisis:?}");
    assert!((number(&crisis[6]) - 0.16).abs() < 0.003, "{crisis:?}");

    // crisis_start = round(uniform(1930, 1940) + normal(0, 2)): median
    // 1935, and 1936 at mid-rank (F(1935.5) + F(1936.5)) / 2 = 0.598 (the
    // base year is drawn once per draw: sd of the pooled share about 0.02).
    let start = &rows[3];
    assert_eq!(start[..3], ["crisis_start", "numeric", "1936"]);
    assert_eq!(start[3], "1935");
    assert!(number(&start[4]) < 1932.0 && number(&start[5]) > 1938.0);
    assert_eq!(start[6], "");
    assert_eq!(start[7], "true");
    assert_eq!(start[8], "1936, \"a year of crisis\".");
    let percentile = number(&start[9]);
    assert!((percentile - 0.598).abs() < 0.08, "{percentile}");

    // The table on stdout, and the mean Brier score (0.01 + 0.16) / 2.
    assert!(run.stdout.contains("crisis_start"), "{}", run.stdout);
    assert!(
        run.stdout.contains("mean Brier score 0.08"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("all targets met"), "{}", run.stdout);
}

/// `calibrate MODEL tests/data/history.toml` at the test size into `out`,
/// with `extra` options.
fn score_small(model: &str, extra: &[&str], out: &Path) -> crate::util::Run {
    let mut args = vec!["calibrate", model, "tests/data/history.toml"];
    args.extend(SIZE);
    args.extend(["--out", arg(out)]);
    args.extend(extra);
    uchronia(&args)
}

/// The small model with `base_year` marked `hindsight` and given an ex-ante
/// prior of 1940-50 (its own is 1930-40), written into `dir`.
fn small_with_ex_ante(dir: &Path) -> String {
    let text = std::fs::read_to_string(model("small")).expect("the small model");
    let marked = text.replace(
        "[params.base_year]\n",
        "[params.base_year]\nhindsight = \"centred on the real crisis\"\nex_ante = { dist = \"uniform\", low = 1940, high = 1950 }\n",
    );
    assert_ne!(marked, text);
    write(dir, "small.toml", &marked)
}

/// `--ex-ante` draws each `hindsight` param from its `ex_ante` prior: the
/// small model's crisis year, centred on 1935 by its own prior, moves to
/// 1945 under an ex-ante prior of 1940-50, and the real 1936 falls out of
/// its interval. A model without an ex-ante prior is bad input.
#[test]
fn calibrate_ex_ante_scores_the_model_without_its_hindsight() {
    let dir = temp();
    let small = small_with_ex_ante(dir.path());
    let score = |extra: &[&str], out: &Path| score_small(&small, extra, out);
    let own = dir.path().join("own");
    let run = score(&[], &own);
    assert_eq!(run.status, 0, "stderr: {}", run.stderr);
    assert!(!run.stdout.contains("ex ante"), "{}", run.stdout);
    assert_eq!(records(&own.join("calibration.csv"))[3][3], "1935");

    let ex_ante = dir.path().join("ex-ante");
    let run = score(&["--ex-ante"], &ex_ante);
    assert_eq!(run.status, 0, "stderr: {}", run.stderr);
    assert!(
        run.stdout.contains("ex ante: 1 param(s) draw from their `ex_ante` prior, not the one set with hindsight: `base_year`"),
        "{}",
        run.stdout
    );
    let start = &records(&ex_ante.join("calibration.csv"))[3];
    assert_eq!(start[..4], ["crisis_start", "numeric", "1936", "1945"]);
    assert_eq!(start[7], "false");
    // The boolean outcomes do not read the year: unchanged.
    assert!(
        run.stdout.contains("mean Brier score 0.08"),
        "{}",
        run.stdout
    );

    let plain = model("small");
    let run = uchronia(&[
        "calibrate",
        &plain,
        "--ex-ante",
        "--out",
        arg(&dir.path().join("x")),
    ]);
    assert_eq!(run.status, 2, "stdout: {}", run.stdout);
    assert!(
        run.stderr
            .contains("has an `ex_ante` prior, so there is nothing to change"),
        "{}",
        run.stderr
    );
    assert!(!dir.path().join("x").exists());
}

/// `--ex-ante-group NAME` swaps only the priors of that group: the crisis
/// year's prior, in group `timing`, moves the year as `--ex-ante` does; a
/// group the model does not have is bad input with the nearest name, and
/// nothing is written.
#[test]
fn an_ex_ante_group_swaps_only_its_priors() {
    let dir = temp();
    let small = small_with_ex_ante(dir.path());
    let text = std::fs::read_to_string(&small).expect("the marked model");
    let grouped = text.replace(
        "ex_ante = { dist = \"uniform\", low = 1940, high = 1950 }\n",
        "ex_ante = { dist = \"uniform\", low = 1940, high = 1950 }\nex_ante_group = \"timing\"\n",
    );
    assert_ne!(grouped, text);
    std::fs::write(&small, grouped).expect("written");
    let score = |extra: &[&str], out: &Path| score_small(&small, extra, out);
    let out = dir.path().join("timing");
    let run = score(&["--ex-ante-group", "timing"], &out);
    assert_eq!(run.status, 0, "stderr: {}", run.stderr);
    assert!(run.stdout.contains("`base_year`"), "{}", run.stdout);
    assert_eq!(records(&out.join("calibration.csv"))[3][3], "1945");

    let wrong = dir.path().join("wrong");
    let run = score(&["--ex-ante-group", "timeing"], &wrong);
    assert_eq!(run.status, 2, "stdout: {}", run.stdout);
    assert!(
        run.stderr.contains("--ex-ante-group timeing: no param of")
            && run.stderr.contains("did you mean 'timing'?"),
        "{}",
        run.stderr
    );
    assert!(!wrong.exists());
    // All of them or some groups, not both.
    let both = score(&["--ex-ante", "--ex-ante-group", "timing"], &wrong);
    assert_eq!(both.status, 2, "stdout: {}", both.stdout);
    assert!(
        both.stderr.contains("cannot be used with"),
        "{}",
        both.stderr
    );
}

/// `run --ex-ante` writes the whole report with the ex-ante priors: run.json
/// lists them, the summary says so first, and the crisis year moves as in
/// `calibrate --ex-ante`. Shards do not record it, so it is refused there.
#[test]
fn run_ex_ante_writes_the_report_without_the_hindsight() {
    let dir = temp();
    let small = small_with_ex_ante(dir.path());
    let out = dir.path().join("ex-ante");
    let size = ["--trials", "20000", "--draws", "20", "--quiet"];
    let mut args = vec!["run", small.as_str(), "--ex-ante", "--out", arg(&out)];
    args.extend(size);
    let run = uchronia(&args);
    assert_eq!(run.status, 0, "stderr: {}", run.stderr);
    let json = std::fs::read_to_string(out.join("run.json")).expect("run.json");
    assert!(
        json.contains("\"ex_ante\": [\n    \"base_year\"\n  ]"),
        "{json}"
    );
    let summary = std::fs::read_to_string(out.join("summary.md")).expect("summary.md");
    assert!(summary.contains("This report is ex ante"), "{summary}");
    assert!(!summary.contains("was set with hindsight"), "{summary}");
    let numeric = std::fs::read_to_string(out.join("numeric.csv")).expect("numeric.csv");
    let history_row = (numeric.lines())
        .find(|l| l.starts_with("history,crisis_start,"))
        .expect("the crisis year under history");
    let mean: f64 = history_row
        .split(',')
        .nth(2)
        .expect("a mean")
        .parse()
        .expect("a number");
    assert!((mean - 1945.0).abs() < 1.0, "{history_row}");

    // Without the flag: the model's own prior, and the hindsight named.
    let own = dir.path().join("own");
    let mut args = vec!["run", small.as_str(), "--out", arg(&own)];
    args.extend(size);
    assert_eq!(uchronia(&args).status, 0);
    let json = std::fs::read_to_string(own.join("run.json")).expect("run.json");
    assert!(!json.contains("ex_ante"), "{json}");

    let shard = dir.path().join("s");
    let mut args = vec![
        "run",
        small.as_str(),
        "--ex-ante",
        "--shard",
        "1/2",
        "--out",
        arg(&shard),
    ];
    args.extend(size);
    let refused = uchronia(&args);
    assert_eq!(refused.status, 2);
    assert!(
        refused
            .stderr
            .contains("--ex-ante cannot be combined with --shard"),
        "{}",
        refused.stderr
    );
}

#[test]
fn calibrate_finds_the_history_beside_the_models_folder() {
    let dir = temp();
    let out = dir.path().join("calibration");
    let small = model("small");
    let run = uchronia(&[
        "calibrate",
        &small,
        "--trials",
        "20000",
        "--draws",
        "20",
        "--out",
        arg(&out),
    ]);
    assert_eq!(run.status, 0, "stderr: {}", run.stderr);
    assert!(
        run.stdout.contains("against tests/data/history.toml"),
        "{}",
        run.stdout
    );
    assert!(out.join("calibration.csv").exists());
}

#[test]
fn a_missed_target_fails_only_with_strict() {
    let dir = temp();
    let out = dir.path().join("calibration");
    // P(crisis) = 0.6 < 0.9: missed; the reformer's 0.9 is not.
    let lenient = calibrate(&["--min-probability", "0.85", "--out", arg(&out)]);
    assert_eq!(lenient.status, 0, "stderr: {}", lenient.stderr);
    assert!(
        lenient.stdout.contains("1 target(s) missed"),
        "{}",
        lenient.stdout
    );
    assert!(lenient.stdout.contains("MISSED"));

    let strict = calibrate(&[
        "--strict",
        "--min-probability",
        "0.85",
        "--max-brier",
        "0.05",
        "--out",
        arg(&out),
    ]);
    assert_eq!(strict.status, 1, "stderr: {}", strict.stderr);
    assert!(
        strict.stderr.contains("2 calibration target(s) missed"),
        "{}",
        strict.stderr
    );
    assert!(strict.stderr.contains("`crisis_happens` happened, but"));
    assert!(strict.stderr.contains("mean Brier score"));
    assert!(!strict.stderr.contains("reformer_leads"));
    // The scores are still written: the run itself succeeded.
    assert!(out.join("calibration.csv").exists());

    let met = calibrate(&["--strict", "--out", arg(&out)]);
    assert_eq!(met.status, 0, "stderr: {}", met.stderr);
}

/// A miss the history file accepts is printed as a miss but does not fail
/// `--strict`; a miss it does not accept still does.
#[test]
fn an_accepted_miss_is_reported_and_does_not_fail_strict() {
    let dir = temp();
    let out = dir.path().join("calibration");
    let small = model("small");
    let base = std::fs::read_to_string("tests/data/history.toml").expect("the test history");
    let history = write(
        dir.path(),
        "accepted.toml",
        &format!("{base}\n[targets]\naccepted_misses = [\"crisis_happens\"]\n"),
    );
    let run = |extra: &[&str]| {
        let mut args = vec!["calibrate", small.as_str(), history.as_str(), "--strict"];
        args.extend(SIZE);
        args.extend(extra);
        args.extend(["--out", arg(&out)]);
        uchronia(&args)
    };
    // P(crisis) = 0.6 < 0.85: missed, and accepted.
    let accepted = run(&["--min-probability", "0.85"]);
    assert_eq!(accepted.status, 0, "stderr: {}", accepted.stderr);
    assert!(
        accepted.stdout.contains("MISSED (accepted)"),
        "{}",
        accepted.stdout
    );
    assert!(
        accepted.stdout.contains(
            "1 target(s) missed, each a miss the history file accepts (it says why); no other miss"
        ),
        "{}",
        accepted.stdout
    );
    // The Brier score's miss is not accepted: --strict fails on it alone.
    let failing = run(&["--min-probability", "0.85", "--max-brier", "0.05"]);
    assert_eq!(failing.status, 1, "stderr: {}", failing.stderr);
    assert!(
        failing.stderr.contains("1 calibration target(s) missed"),
        "{}",
        failing.stderr
    );
    assert!(failing.stderr.contains("mean Brier score"));
    assert!(!failing.stderr.contains("`crisis_happens` happened"));
    // At the default bar (0.3) the crisis (0.6) is met: the acceptance is stale.
    let met = run(&[]);
    assert_eq!(met.status, 0, "stderr: {}", met.stderr);
    assert!(met.stdout.contains("all targets met"), "{}", met.stdout);
    assert!(
        met.stdout.contains(
            "accepted as misses in the history file but met: `crisis_happens` (the acceptance can go)"
        ),
        "{}",
        met.stdout
    );
}

#[test]
fn mistakes_in_the_history_file_are_bad_input_at_their_place() {
    let dir = temp();
    let out = dir.path().join("calibration");
    let small = model("small");
    let unknown = write(
        dir.path(),
        "unknown.toml",
        "[outcomes]\ncrisis_happens = true\ncrisis_happen = true\n",
    );
    let run = uchronia(&["calibrate", &small, &unknown, "--out", arg(&out)]);
    assert_eq!(run.status, 2, "stderr: {}", run.stderr);
    assert!(
        run.stderr.contains(&format!(
            "{unknown}:3:1: error: model `small` has no outcome `crisis_happen`"
        )),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("did you mean `crisis_happens`?"));
    assert!(!out.exists(), "nothing is written for bad input");

    let wrong_type = write(
        dir.path(),
        "wrong_type.toml",
        "[outcomes]\ncrisis_happens = 1\ncrisis_start = false\n",
    );
    let run = uchronia(&["calibrate", &small, &wrong_type, "--out", arg(&out)]);
    assert_eq!(run.status, 2);
    assert!(
        run.stderr.contains(&format!("{wrong_type}:2:18: error:")),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("must be true or false, found a number"));
    assert!(run.stderr.contains(&format!("{wrong_type}:3:16: error:")));
    assert!(run.stderr.contains("must be a number, found a boolean"));

    let scenario = write(
        dir.path(),
        "scenario.toml",
        "scenario = \"histry\"\n[outcomes]\ncrisis_happens = true\n",
    );
    let run = uchronia(&["calibrate", &small, &scenario, "--out", arg(&out)]);
    assert_eq!(run.status, 2);
    assert!(
        run.stderr.contains("no scenario `histry`"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("did you mean `history`?"));

    let missing = dir.path().join("missing.toml");
    let run = uchronia(&["calibrate", &small, arg(&missing), "--out", arg(&out)]);
    assert_eq!(run.status, 2);
    assert!(
        run.stderr.contains("cannot read history file"),
        "{}",
        run.stderr
    );

    let run = calibrate(&["--min-probability", "1.5", "--out", arg(&out)]);
    assert_eq!(run.status, 2);
    assert!(run.stderr.contains("--min-probability must be in [0, 1]"));
    assert!(!out.exists());
}

/// The shipped model meets the targets of data/history.toml (issue 3):
/// every real outcome at probability 0.3 or more, mean Brier score at most
/// 0.2, every real number inside its 90% interval, but for the misses that
/// data/history.toml accepts with its reasons (the wartime alliance and the
/// pact of 1939), which must still be printed as misses. A new miss fails
/// here, by design.
#[test]
fn the_shipped_model_meets_its_calibration_targets() {
    let dir = temp();
    let out = dir.path().join("calibration");
    let run = uchronia(&[
        "calibrate",
        "--strict",
        "--trials",
        "1000000",
        "--draws",
        "500",
        "--out",
        arg(&out),
    ]);
    assert_eq!(
        run.status, 0,
        "stdout: {}\nstderr: {}",
        run.stdout, run.stderr
    );
    assert!(
        run.stdout
            .contains("each a miss the history file accepts (it says why); no other miss"),
        "{}",
        run.stdout
    );
    assert!(
        !run.stdout.contains("the acceptance can go"),
        "{}",
        run.stdout
    );
    for accepted in ["us_soviet_alliance", "fact.pact_1939"] {
        assert!(
            run.stdout.contains(&format!(
                "  - `{accepted}` happened, but the model gives that probability"
            )),
            "{accepted} is reported as a miss: {}",
            run.stdout
        );
    }
    assert!(run.stdout.contains("MISSED (accepted)"), "{}", run.stdout);
    let rows = records(&out.join("calibration.csv"));
    let history = std::fs::read_to_string("data/history.toml").expect("data/history.toml");
    let section = history
        .split("\n[outcomes]\n")
        .nth(1)
        .and_then(|rest| rest.split("\n[").next())
        .expect("an [outcomes] table");
    let listed = section.lines().filter(|line| line.contains(" = ")).count();
    // The model's own facts are scored too, one `fact.NODE` row each for
    // the nodes the reference leaves free (facts after 1923).
    let outcomes = rows.iter().filter(|r| !r[0].starts_with("fact.")).count();
    assert_eq!(
        outcomes,
        listed + 1,
        "one row per real outcome, and the header"
    );
    let facts = rows.len() - outcomes;
    assert!(facts >= 40, "the facts of 1924-55 are scored: {facts}");
}
