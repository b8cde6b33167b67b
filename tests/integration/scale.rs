//! Scaling out (docs/scale-out.md): `run --shard I/N` and `merge`, which must
//! give the unsharded report byte for byte; `--checkpoint`, which must survive
//! `kill -9` and Ctrl-C; `--precision`, which adds draws until the intervals
//! are narrow; and the exit statuses of each.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::util::{arg, csv, entries, model, temp, uchronia};

/// The CSV files whose bytes must not depend on sharding or interruption.
const TABLES: [&str; 2] = ["outcomes.csv", "numeric.csv"];

/// The small model at 103 draws (not a multiple of 4: shards of 26, 26, 26, 25).
const SIZE: [&str; 4] = ["--trials", "206000", "--draws", "103"];

fn assert_same_tables(left: &Path, right: &Path) {
    for table in TABLES {
        let a = std::fs::read(left.join(table)).expect("a table");
        let b = std::fs::read(right.join(table)).expect("a table");
        assert!(
            a == b,
            "{table} differs between {} and {}:\n{}\n---\n{}",
            left.display(),
            right.display(),
            String::from_utf8_lossy(&a),
            String::from_utf8_lossy(&b)
        );
    }
}

/// Starts `uchronia args...` in the repository root without waiting.
fn spawn(args: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_uchronia"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts")
}

/// Runs the small model's shard `index` of `count` into `out`.
fn shard_args(index: u64, count: u64, out: &Path, extra: &[&str]) -> Vec<String> {
    let mut args: Vec<String> = vec!["run".into(), model("small")];
    args.extend(SIZE.iter().map(|s| s.to_string()));
    args.extend([
        "--quiet".into(),
        "--shard".into(),
        format!("{index}/{count}"),
    ]);
    args.extend(["--out".into(), arg(out).to_string()]);
    args.extend(extra.iter().map(|s| s.to_string()));
    args
}

fn run_strings(args: &[String]) -> crate::util::Run {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    uchronia(&args)
}

/// An unsharded run of the small model at [`SIZE`] into `out`.
fn plain_run(out: &Path) {
    let small = model("small");
    let mut args = vec!["run", small.as_str(), "--quiet", "--out", arg(out)];
    args.extend(SIZE);
    let run = uchronia(&args);
    assert_eq!(run.status, 0, "stderr: {}", run.stderr);
}

#[test]
fn four_shards_run_in_parallel_merge_to_the_unsharded_report_byte_for_byte() {
    let dir = temp();
    let shards: Vec<PathBuf> = (1..=4)
        .map(|i| dir.path().join(format!("shards/{i}")))
        .collect();
    // Separate processes at the same time, one thread each, as on a cluster.
    let children: Vec<Child> = shards
        .iter()
        .enumerate()
        .map(|(k, out)| {
            let args = shard_args(k as u64 + 1, 4, out, &["--threads", "1"]);
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            spawn(&args)
        })
        .collect();
    for child in children {
        let output = child.wait_with_output().expect("the shard ends");
        assert!(
            output.status.success(),
            "stderr: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    for out in &shards {
        // A shard folder holds its partial result and its manifest: no CSV.
        assert_eq!(
            entries(out),
            [out.join("partial.json"), out.join("uchronia-manifest.txt")]
        );
    }
    let header: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(shards[1].join("partial.json")).expect("partial.json"),
    )
    .expect("JSON");
    assert_eq!(header["header"]["shard"]["index"], 2);
    assert_eq!(header["header"]["shard"]["count"], 4);
    assert_eq!(header["header"]["model_name"], "small");
    assert_eq!(
        header["header"]["model"]["sha256"].as_str().map(str::len),
        Some(64)
    );
    assert_eq!(header["tally"]["draw_range"]["start"], 26);
    assert_eq!(header["tally"]["draw_range"]["end"], 52);

    let merged = dir.path().join("merged");
    // Out of order on purpose.
    let merge = uchronia(&[
        "merge",
        arg(&shards[2]),
        arg(&shards[0]),
        arg(&shards[3]),
        arg(&shards[1]),
        "--out",
        arg(&merged),
    ]);
    assert_eq!(merge.status, 0, "stderr: {}", merge.stderr);
    assert!(
        merge.stdout.contains("report written to"),
        "{}",
        merge.stdout
    );
    let plain = dir.path().join("plain");
    plain_run(&plain);
    assert_same_tables(&merged, &plain);
    let (_, rows) = csv(&merged.join("outcomes.csv"));
    assert!(rows.iter().all(|row| row[7] == "103" && row[8] == "206000"));
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(merged.join("run.json")).expect("run.json"))
            .expect("JSON");
    assert_eq!(json["draws"], 103);
    assert_eq!(json["seed"], 1);
}

#[test]
fn merge_into_the_folder_that_holds_the_shards_keeps_them() {
    let dir = temp();
    let report = dir.path().join("report");
    let shards: Vec<PathBuf> = (1..=2)
        .map(|i| report.join(format!("shard-{i}-of-2")))
        .collect();
    for (k, out) in shards.iter().enumerate() {
        let run = run_strings(&shard_args(k as u64 + 1, 2, out, &[]));
        assert_eq!(run.status, 0, "stderr: {}", run.stderr);
        assert!(run.stdout.contains("partial.json"), "{}", run.stdout);
    }
    let merge = uchronia(&[
        "merge",
        arg(&shards[0]),
        arg(&shards[1]),
        "--out",
        arg(&report),
        "--quiet",
    ]);
    assert_eq!(merge.status, 0, "stderr: {}", merge.stderr);
    assert!(report.join("outcomes.csv").is_file());
    for shard in &shards {
        assert!(
            shard.join("partial.json").is_file(),
            "{} kept",
            shard.display()
        );
    }
    let plain = dir.path().join("plain");
    plain_run(&plain);
    assert_same_tables(&report, &plain);
}

/// The lines of a summary that depend on the run's speed or on how it was
/// launched, not on its numbers.
fn numbers_only(text: &str) -> Vec<&str> {
    text.lines()
        .filter(|line| !line.contains("trials per second") && !line.contains(" --out "))
        .collect()
}

#[test]
fn shards_of_claims_merge_to_the_one_process_report_claims_included() {
    // `uchronia claims` takes --shard; with the lexicon in a file of its
    // own (`--lexicon`), which merge reads again.
    let dir = temp();
    let path = |name: &str| dir.path().join(name);
    let lexicon = path("words.toml");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("data/estimative-words.toml"),
        &lexicon,
    )
    .expect("copy");
    let claims_run = |out: &Path, extra: &[&str]| {
        let mut args = vec!["claims", "tests/claims/small.toml"];
        args.extend(SIZE);
        args.extend(["--quiet", "--lexicon", arg(&lexicon), "--out", arg(out)]);
        args.extend(extra);
        let run = uchronia(&args);
        assert_eq!(run.status, 0, "stderr: {}", run.stderr);
    };
    for i in 1..=3 {
        claims_run(&path(&format!("s{i}")), &["--shard", &format!("{i}/3")]);
    }
    let header: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(path("s1/partial.json")).expect("partial.json"),
    )
    .expect("JSON");
    assert_eq!(
        header["header"]["claims"][0]["path"],
        "tests/claims/small.toml"
    );
    assert_eq!(header["header"]["lexicon"]["path"], arg(&lexicon));
    let merged = path("merged");
    let merge = uchronia(&[
        "merge",
        arg(&path("s3")),
        arg(&path("s1")),
        arg(&path("s2")),
        "--out",
        arg(&merged),
    ]);
    assert_eq!(merge.status, 0, "stderr: {}", merge.stderr);
    assert!(merge.stdout.contains("crisis-likely"), "{}", merge.stdout);
    // The merged report names the one-process command, with its own folder.
    let summary = std::fs::read_to_string(merged.join("summary.md")).expect("summary.md");
    assert!(
        summary.contains("uchronia claims tests/claims/small.toml --trials")
            && summary.contains(&format!("--out {}", arg(&merged))),
        "{summary}"
    );
    let plain = path("plain");
    claims_run(&plain, &[]);
    // Every table and chart, claims.csv included, byte for byte; the
    // summaries but for the speed and the command line; run.json but for
    // the time.
    let names: Vec<PathBuf> = entries(&plain);
    assert!(names.contains(&plain.join("claims.csv")), "{names:?}");
    assert_eq!(
        entries(&merged)
            .iter()
            .map(|p| p.file_name())
            .collect::<Vec<_>>(),
        names.iter().map(|p| p.file_name()).collect::<Vec<_>>()
    );
    for file in &names {
        let name = file.file_name().and_then(|n| n.to_str()).expect("a name");
        let a = std::fs::read(file).expect("plain");
        let b = std::fs::read(merged.join(name)).expect("merged");
        if name.starts_with("summary.") {
            let (a, b) = (String::from_utf8_lossy(&a), String::from_utf8_lossy(&b));
            assert_eq!(numbers_only(&a), numbers_only(&b), "{name}");
        } else if name == "run.json" {
            let json = |bytes: &[u8]| {
                let mut value: serde_json::Value = serde_json::from_slice(bytes).expect("JSON");
                for key in ["elapsed_seconds", "trials_per_second", "threads"] {
                    value[key] = serde_json::Value::Null;
                }
                value
            };
            assert_eq!(json(&a), json(&b));
        } else {
            assert!(
                a == b,
                "{name} differs between the merged and the plain report"
            );
        }
    }

    // A lexicon changed since the shards ran is refused, as a claims file is.
    std::fs::write(&lexicon, "# changed\n").expect("written");
    let shards: Vec<PathBuf> = ["s1", "s2", "s3"].iter().map(|s| path(s)).collect();
    let again = |extra: &[&str]| {
        let mut args = vec!["merge"];
        args.extend(shards.iter().map(|s| arg(s)));
        args.extend(["--out", arg(&merged)]);
        args.extend(extra);
        uchronia(&args)
    };
    let refused = again(&[]);
    assert_eq!(refused.status, 2, "stderr: {}", refused.stderr);
    assert!(
        refused.stderr.contains("--lexicon FILE"),
        "{}",
        refused.stderr
    );
    // ... unless --lexicon gives the file they used.
    let saved = path("saved.toml");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("data/estimative-words.toml"),
        &saved,
    )
    .expect("copy");
    let merge = again(&["--lexicon", arg(&saved), "--quiet"]);
    assert_eq!(merge.status, 0, "stderr: {}", merge.stderr);
    assert_eq!(
        std::fs::read(merged.join("claims.csv")).expect("claims.csv"),
        std::fs::read(plain.join("claims.csv")).expect("claims.csv")
    );
}

#[test]
fn shards_judged_with_the_built_in_lexicon_merge_with_it() {
    // A model and claims file outside any project: no lexicon file at all.
    let dir = temp();
    let folder = dir.path().join("anywhere");
    std::fs::create_dir(&folder).expect("a folder");
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::copy(repo.join("tests/models/small.toml"), folder.join("m.toml")).expect("copy");
    let claims = std::fs::read_to_string(repo.join("tests/claims/small.toml")).expect("claims");
    let file = folder.join("c.toml");
    std::fs::write(&file, claims.replace("../models/small.toml", "m.toml")).expect("write");
    let claims_run = |out: &Path, extra: &[&str]| {
        let mut args = vec!["claims", arg(&file), "--quiet", "--out", arg(out)];
        args.extend(SIZE);
        args.extend(extra);
        let run = uchronia(&args);
        assert_eq!(run.status, 0, "stderr: {}", run.stderr);
    };
    let (s1, s2) = (dir.path().join("s1"), dir.path().join("s2"));
    claims_run(&s1, &["--shard", "1/2"]);
    claims_run(&s2, &["--shard", "2/2"]);
    let merged = dir.path().join("merged");
    let merge = uchronia(&[
        "merge",
        arg(&s1),
        arg(&s2),
        "--quiet",
        "--out",
        arg(&merged),
    ]);
    assert_eq!(merge.status, 0, "stderr: {}", merge.stderr);
    let plain = dir.path().join("plain");
    claims_run(&plain, &[]);
    assert_eq!(
        std::fs::read(merged.join("claims.csv")).expect("claims.csv"),
        std::fs::read(plain.join("claims.csv")).expect("claims.csv")
    );
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(merged.join("run.json")).expect("run.json"))
            .expect("JSON");
    assert_eq!(json["lexicon"], "built-in");
}

#[test]
fn bad_shards_are_bad_usage() {
    let dir = temp();
    let out = dir.path().join("out");
    let small = model("small");
    for bad in ["0/4", "5/4", "1/0", "4", "1/4/2", "x/4"] {
        let run = uchronia(&["run", &small, "--shard", bad, "--out", arg(&out)]);
        assert_eq!(run.status, 2, "--shard {bad}: {}", run.stderr);
        assert!(
            run.stderr.contains("is not a shard") || run.stderr.contains("must be"),
            "{}",
            run.stderr
        );
    }
    let run = uchronia(&[
        "run",
        &small,
        "--trials",
        "1000",
        "--draws",
        "4",
        "--shard",
        "5/8",
        "--out",
        arg(&out),
    ]);
    assert_eq!(run.status, 2);
    assert!(
        run.stderr.contains("more shards than parameter draws"),
        "{}",
        run.stderr
    );
    let run = run_strings(&shard_args(1, 4, &out, &["--precision", "0.01"]));
    assert_eq!(run.status, 2);
    assert!(run.stderr.contains("do not go together"), "{}", run.stderr);
    assert!(!out.exists());
}

#[test]
fn merge_refuses_parts_that_do_not_make_one_run() {
    let dir = temp();
    let path = |name: &str| dir.path().join(name);
    let shard = |index, count, out: &str, extra: &[&str]| {
        let run = run_strings(&shard_args(index, count, &path(out), extra));
        assert_eq!(run.status, 0, "stderr: {}", run.stderr);
    };
    shard(1, 3, "a1", &[]);
    shard(2, 3, "a2", &[]);
    shard(3, 3, "a3", &[]);
    shard(2, 3, "seed2", &["--seed", "2"]);
    shard(2, 3, "history", &["--scenario", "history"]);
    let merge = |parts: &[&str]| {
        let mut args = vec!["merge".to_string()];
        args.extend(parts.iter().map(|p| arg(&path(p)).to_string()));
        args.extend(["--out".into(), arg(&path("merged")).into()]);
        run_strings(&args)
    };
    let refused = |parts: &[&str], expected: &[&str]| {
        let run = merge(parts);
        assert_eq!(run.status, 2, "{parts:?}: {}", run.stderr);
        for text in expected {
            assert!(run.stderr.contains(text), "{parts:?}: {}", run.stderr);
        }
        assert_eq!(run.stderr.lines().count(), 1, "one line: {}", run.stderr);
    };
    refused(&["a1", "a3"], &["shard 2/3 is missing"]);
    refused(&["a1"], &["shards 2/3, 3/3 are missing"]);
    refused(&["a1", "a2", "a2", "a3"], &["shard 2/3 is given twice"]);
    refused(
        &["a1", "seed2", "a3"],
        &["different runs", "seed 2 there, 1 here"],
    );
    refused(&["a1", "history", "a3"], &["different runs", "scenarios"]);
    std::fs::create_dir(path("empty")).expect("a folder");
    refused(&["a1", "empty", "a3"], &["holds no partial result"]);
    refused(&["a1", "nowhere", "a3"], &["does not exist"]);

    // Another version wrote one part.
    let text = std::fs::read_to_string(path("a2/partial.json")).expect("partial.json");
    let mut value: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    value["header"]["uchronia_version"] = "0.0.1".into();
    std::fs::create_dir(path("old")).expect("a folder");
    std::fs::write(path("old/partial.json"), value.to_string()).expect("written");
    refused(&["a1", "old", "a3"], &["uchronia version 0.0.1 there"]);
    // A part from before random streams were numbered (stream 1): the
    // same seed gave other numbers then.
    let mut value: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    value["header"]
        .as_object_mut()
        .expect("a header")
        .remove("stream_version");
    std::fs::create_dir(path("stream1")).expect("a folder");
    std::fs::write(path("stream1/partial.json"), value.to_string()).expect("written");
    refused(&["a1", "stream1", "a3"], &["random stream 1 there, 2 here"]);
    // A damaged part.
    std::fs::create_dir(path("cut")).expect("a folder");
    std::fs::write(path("cut/partial.json"), &text[..text.len() / 2]).expect("written");
    refused(&["a1", "cut", "a3"], &["cut/partial.json"]);
    assert!(!path("merged").exists(), "nothing written");

    // A model changed since the shards ran: refused, unless --model names
    // a file with the sha256 they ran.
    let model_copy = path("model.toml");
    let original =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(model("small")))
            .expect("the model");
    std::fs::write(&model_copy, &original).expect("written");
    for (k, name) in ["m1", "m2"].iter().enumerate() {
        let small = arg(&model_copy).to_string();
        let mut args = shard_args(k as u64 + 1, 2, &path(name), &[]);
        args[1] = small;
        let run = run_strings(&args);
        assert_eq!(run.status, 0, "stderr: {}", run.stderr);
    }
    std::fs::write(&model_copy, format!("{original}\n# changed\n")).expect("written");
    refused(&["m1", "m2"], &["sha256", "--model"]);
    let saved = path("saved.toml");
    std::fs::write(&saved, &original).expect("written");
    let run = uchronia(&[
        "merge",
        arg(&path("m1")),
        arg(&path("m2")),
        "--model",
        arg(&saved),
        "--out",
        arg(&path("merged")),
        "--quiet",
    ]);
    assert_eq!(run.status, 0, "stderr: {}", run.stderr);
    std::fs::remove_file(&model_copy).expect("removed");
    std::fs::remove_file(&saved).expect("removed");
    refused(&["m1", "m2"], &["cannot find the model", "--model"]);
}

/// Waits until `path` exists (panics after a minute).
fn wait_for(path: &Path, child: &mut Child) {
    let started = Instant::now();
    while !path.exists() {
        if let Ok(Some(status)) = child.try_wait() {
            panic!("the run ended ({status}) before writing {}", path.display());
        }
        assert!(started.elapsed() < Duration::from_secs(60), "no checkpoint");
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// The draws a checkpoint holds.
fn checkpoint_draws(path: &Path) -> u64 {
    let text = std::fs::read_to_string(path).expect("the checkpoint");
    let value: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    let range = &value["tally"]["draw_range"];
    range["end"].as_u64().expect("end") - range["start"].as_u64().expect("start")
}

#[cfg(unix)]
#[test]
fn a_run_killed_with_sigkill_resumes_from_its_checkpoint_to_the_same_report() {
    let dir = temp();
    let checkpoint = dir.path().join("run.checkpoint");
    let out = dir.path().join("report");
    // 200 draws of 200,000 trials in 2 scenarios: a checkpoint every 13 draws.
    let small = model("small");
    let args = [
        "run",
        small.as_str(),
        "--trials",
        "4e7",
        "--draws",
        "200",
        "--quiet",
        "--checkpoint",
        arg(&checkpoint),
        "--out",
        arg(&out),
    ];
    let mut child = spawn(&args);
    wait_for(&checkpoint, &mut child);
    child.kill().expect("SIGKILL");
    let _ = child.wait();
    let done = checkpoint_draws(&checkpoint);
    assert!(done > 0 && done < 200, "{done} draws in the checkpoint");
    assert!(!out.exists(), "no report from a killed run");

    let resumed = uchronia(&args);
    assert_eq!(resumed.status, 0, "stderr: {}", resumed.stderr);
    assert!(
        resumed.stderr.contains(&format!(
            "resuming from checkpoint {}: {done} of 200 draws done",
            checkpoint.display()
        )),
        "stderr: {}",
        resumed.stderr
    );
    assert!(
        !checkpoint.exists(),
        "the checkpoint is removed when the run completes"
    );

    let plain = dir.path().join("plain");
    let run = uchronia(&[
        "run",
        &small,
        "--trials",
        "4e7",
        "--draws",
        "200",
        "--quiet",
        "--out",
        arg(&plain),
    ]);
    assert_eq!(run.status, 0, "stderr: {}", run.stderr);
    assert_same_tables(&out, &plain);
    assert_eq!(entries(dir.path()), [plain, out]);
}

#[cfg(unix)]
#[test]
fn ctrl_c_keeps_the_checkpoint_and_exits_130_and_another_command_cannot_use_it() {
    let dir = temp();
    let checkpoint = dir.path().join("saved/run.checkpoint");
    let out = dir.path().join("report");
    // 10,000 draws of 100,000 trials, 100 draws a batch: far longer than the
    // test waits.
    let small = model("small");
    let mut child = spawn(&[
        "run",
        &small,
        "--trials",
        "1e9",
        "--draws",
        "10000",
        "--checkpoint",
        arg(&checkpoint),
        "--out",
        arg(&out),
    ]);
    wait_for(&checkpoint, &mut child);
    let kill = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(kill.success());
    let started = Instant::now();
    let output = child.wait_with_output().expect("the run ends");
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "it stopped promptly"
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(130), "stderr: {stderr}");
    assert!(
        stderr.contains(&format!("checkpoint kept at {}", checkpoint.display())),
        "stderr: {stderr}"
    );
    assert!(
        stderr.contains("run the same command again to resume"),
        "{stderr}"
    );
    let done = checkpoint_draws(&checkpoint);
    assert!(
        done >= 100 && done.is_multiple_of(100) && done < 10_000,
        "{done}"
    );
    assert!(!out.exists(), "no half report");

    // A different command is refused and leaves the checkpoint alone.
    let run = uchronia(&[
        "run",
        &small,
        "--trials",
        "1e9",
        "--draws",
        "10000",
        "--seed",
        "2",
        "--checkpoint",
        arg(&checkpoint),
        "--out",
        arg(&out),
    ]);
    assert_eq!(run.status, 2, "stderr: {}", run.stderr);
    assert!(
        run.stderr.contains("written by a different command"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("seed 1 there, 2 here"),
        "{}",
        run.stderr
    );
    assert_eq!(checkpoint_draws(&checkpoint), done);
    // Nor is a checkpoint a shard's result.
    let merge = uchronia(&["merge", arg(&checkpoint), "--out", arg(&out)]);
    assert_eq!(merge.status, 2, "stderr: {}", merge.stderr);
    assert!(merge.stderr.contains("is a checkpoint"), "{}", merge.stderr);
}

#[test]
fn a_precision_target_adds_draws_until_every_interval_is_narrow_enough() {
    let dir = temp();
    let out = dir.path().join("precise");
    let spread = model("spread");
    // T = 1000; by hand (tests/models/spread.toml) D lands between 400 and 500.
    let target = 0.0108;
    let run = uchronia(&[
        "run",
        &spread,
        "--trials",
        "1e5",
        "--draws",
        "100",
        "--precision",
        "0.0108",
        "--out",
        arg(&out),
    ]);
    assert_eq!(run.status, 0, "stderr: {}", run.stderr);
    let outcomes = csv(&out.join("outcomes.csv"));
    let row = &outcomes.1[0];
    let draws: u64 = row[7].parse().expect("draws");
    assert_eq!(draws, 500, "predicted: between 400 and 500 draws");
    assert_eq!(row[8], "500000");
    assert!(
        run.stdout.contains(
            "precision 0.0108 reached with 500 draws x 1000 trials = 500000 trials per scenario"
        ),
        "stdout: {}",
        run.stdout
    );
    let half_width = |table: &(Vec<String>, Vec<Vec<String>>)| {
        1.96 * table.1[0][3].parse::<f64>().expect("mc_se")
    };
    assert!(half_width(&outcomes) <= target);

    // The same report as a plain run of 500 draws; 400 draws were not enough.
    let plain = dir.path().join("plain");
    let run = uchronia(&[
        "run",
        &spread,
        "--trials",
        "5e5",
        "--draws",
        "500",
        "--quiet",
        "--out",
        arg(&plain),
    ]);
    assert_eq!(run.status, 0, "stderr: {}", run.stderr);
    assert_same_tables(&out, &plain);
    let fewer = dir.path().join("fewer");
    let run = uchronia(&[
        "run",
        &spread,
        "--trials",
        "4e5",
        "--draws",
        "400",
        "--quiet",
        "--out",
        arg(&fewer),
    ]);
    assert_eq!(run.status, 0, "stderr: {}", run.stderr);
    assert!(half_width(&csv(&fewer.join("outcomes.csv"))) > target);

    // The cap: a warning, and the report of the draws run.
    let capped = dir.path().join("capped");
    let run = uchronia(&[
        "run",
        &spread,
        "--trials",
        "1e5",
        "--draws",
        "100",
        "--precision",
        "0.001",
        "--max-draws",
        "300",
        "--out",
        arg(&capped),
    ]);
    assert_eq!(run.status, 0, "stderr: {}", run.stderr);
    assert!(
        run.stderr.contains("precision 0.001 not reached"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("--max-draws 300"), "{}", run.stderr);
    assert_eq!(csv(&capped.join("outcomes.csv")).1[0][7], "300");

    for bad in ["0", "-1", "0.7", "x"] {
        let run = uchronia(&["run", &spread, "--precision", bad, "--out", arg(&capped)]);
        assert_eq!(run.status, 2, "--precision {bad}");
    }
}
