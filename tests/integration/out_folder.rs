//! The output folder never eats a user's files (docs/errors.md, "The output
//! folder"): every command that writes a folder refuses one that holds
//! anything uchronia did not write, or any of the command's inputs, and
//! leaves every file in it byte for byte; an earlier report is still
//! replaced whole.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::util::{arg, model, temp, uchronia};

/// Every file under `dir` with its bytes, by path relative to `dir`.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder).expect("a folder") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let bytes = std::fs::read(&path).expect("a file");
                files.insert(path.strip_prefix(dir).expect("inside").to_path_buf(), bytes);
            }
        }
    }
    files
}

/// A user's folder: their model, their claims and a note, as the forum user
/// who lost them had it.
fn sandbox(dir: &Path) -> PathBuf {
    let sandbox = dir.join("sandbox");
    std::fs::create_dir_all(&sandbox).expect("a folder");
    let small = std::fs::read(model("small")).expect("the small model");
    std::fs::write(sandbox.join("model.toml"), small).expect("written");
    std::fs::write(sandbox.join("notes.txt"), "what if Grouchy had marched").expect("written");
    sandbox
}

/// Runs `args` and asserts a refusal (exit 2, `expect` in the message) that
/// left every file under `dir` as it was.
fn assert_refused(dir: &Path, args: &[&str], expect: &str) {
    let before = snapshot(dir);
    let run = uchronia(args);
    assert_eq!(run.status, 2, "{args:?}: {}", run.stderr);
    assert!(run.stderr.contains(expect), "{args:?}: {}", run.stderr);
    assert_eq!(run.stderr.lines().count(), 1, "one message: {}", run.stderr);
    assert_eq!(snapshot(dir), before, "{args:?} changed files");
}

const SMALL_RUN: [&str; 5] = ["--trials", "2000", "--draws", "20", "--quiet"];

#[test]
fn a_folder_with_a_users_files_is_refused_by_every_command() {
    let dir = temp();
    let sandbox = sandbox(dir.path());
    let theirs = dir.path().join("theirs");
    std::fs::create_dir_all(theirs.join("drafts")).expect("a folder");
    std::fs::write(theirs.join("drafts/post.txt"), "my reply").expect("written");
    let small = model("small");
    let history = "tests/data/history.toml";
    let claims = "tests/claims/small.toml";
    let out = arg(&theirs);
    let with_run = |head: &[&str]| -> Vec<String> {
        (head.iter().chain(SMALL_RUN.iter()))
            .chain(["--out", out].iter())
            .map(|s| s.to_string())
            .collect()
    };
    let commands: Vec<Vec<String>> = vec![
        with_run(&["run", &small]),
        with_run(&["claims", claims, "--lexicon", "data/estimative-words.toml"]),
        with_run(&[
            "sweep",
            &small,
            "--param",
            "support",
            "--values",
            "0.2:0.4:0.1",
        ]),
        [
            "calibrate",
            &small,
            history,
            "--trials",
            "2000",
            "--draws",
            "20",
            "--out",
            out,
        ]
        .map(String::from)
        .to_vec(),
    ];
    for command in &commands {
        let args: Vec<&str> = command.iter().map(String::as_str).collect();
        assert_refused(
            dir.path(),
            &args,
            "holds drafts/, which uchronia did not write",
        );
    }
    // The forum user's case: the model itself lives in the folder.
    let model_inside = sandbox.join("model.toml");
    let mut args = vec!["run", arg(&model_inside)];
    args.extend(SMALL_RUN);
    args.extend(["--out", arg(&sandbox)]);
    assert_refused(dir.path(), &args, "which this command reads");
}

#[test]
fn a_folder_that_holds_an_input_is_refused_even_when_it_is_a_report() {
    let dir = temp();
    let report = dir.path().join("report");
    let small = model("small");
    let mut args = vec!["run", small.as_str()];
    args.extend(SMALL_RUN);
    args.extend(["--out", arg(&report)]);
    assert_eq!(uchronia(&args).status, 0);
    // A model saved into the report, then run into that same report.
    let inside = report.join("copy.toml");
    std::fs::copy(&small, &inside).expect("copied");
    let mut args = vec!["run", arg(&inside)];
    args.extend(SMALL_RUN);
    args.extend(["--out", arg(&report)]);
    assert_refused(dir.path(), &args, "holds");
    // And a folder above the input (an ancestor) is refused too.
    let models = dir.path().join("project");
    std::fs::create_dir_all(models.join("models")).expect("a folder");
    let deep = models.join("models/m.toml");
    std::fs::copy(&small, &deep).expect("copied");
    let mut args = vec!["run", arg(&deep)];
    args.extend(SMALL_RUN);
    args.extend(["--out", arg(&models)]);
    assert_refused(dir.path(), &args, "which this command reads");
}

#[test]
fn an_earlier_report_is_replaced_and_only_its_manifest_counts() {
    let dir = temp();
    let report = dir.path().join("report");
    let small = model("small");
    let run_with_seed = |seed: &str| {
        let mut args = vec!["run", small.as_str(), "--seed", seed];
        args.extend(SMALL_RUN);
        args.extend(["--out", arg(&report)]);
        uchronia(&args)
    };
    assert_eq!(run_with_seed("1").status, 0);
    let manifest = std::fs::read_to_string(report.join("uchronia-manifest.txt")).expect("kept");
    let listed: Vec<&str> = manifest.lines().filter(|l| !l.starts_with('#')).collect();
    let mut on_disk: Vec<String> = snapshot(&report)
        .into_keys()
        .map(|p| p.to_string_lossy().into_owned())
        .filter(|p| p != "uchronia-manifest.txt")
        .collect();
    on_disk.sort();
    assert_eq!(
        listed, on_disk,
        "the manifest lists exactly the files written"
    );
    let first = std::fs::read(report.join("outcomes.csv")).expect("written");

    // A later run replaces the earlier report.
    let second = run_with_seed("2");
    assert_eq!(second.status, 0, "{}", second.stderr);
    assert_ne!(
        std::fs::read(report.join("outcomes.csv")).expect("written"),
        first
    );

    // A file the user adds to a report makes it theirs: refused, kept.
    std::fs::write(report.join("my notes.md"), "keep me").expect("written");
    let mut args = vec!["run", small.as_str()];
    args.extend(SMALL_RUN);
    args.extend(["--out", arg(&report)]);
    assert_refused(dir.path(), &args, "holds my notes.md");
}

#[test]
fn an_empty_folder_is_used_and_a_report_without_manifest_is_named_as_such() {
    let dir = temp();
    let empty = dir.path().join("empty");
    std::fs::create_dir_all(&empty).expect("a folder");
    let small = model("small");
    let mut args = vec!["run", small.as_str()];
    args.extend(SMALL_RUN);
    args.extend(["--out", arg(&empty)]);
    assert_eq!(uchronia(&args).status, 0);
    assert!(empty.join("outcomes.csv").is_file());

    let old = dir.path().join("old");
    std::fs::create_dir_all(&old).expect("a folder");
    std::fs::write(old.join("run.json"), "{}").expect("written");
    std::fs::write(old.join("outcomes.csv"), "scenario\n").expect("written");
    let mut args = vec!["run", small.as_str()];
    args.extend(SMALL_RUN);
    args.extend(["--out", arg(&old)]);
    assert_refused(dir.path(), &args, "looks like a report of uchronia 0.1");
}

#[test]
fn shard_folders_inside_a_report_folder_are_not_lost() {
    let dir = temp();
    let report = dir.path().join("report");
    let small = model("small");
    let shard = report.join("shard-1-of-1");
    let mut args = vec!["run", small.as_str(), "--shard", "1/1"];
    args.extend(SMALL_RUN);
    args.extend(["--out", arg(&shard)]);
    assert_eq!(uchronia(&args).status, 0);
    // A plain run into the folder that holds the shard would delete it.
    let mut args = vec!["run", small.as_str()];
    args.extend(SMALL_RUN);
    args.extend(["--out", arg(&report)]);
    assert_refused(dir.path(), &args, "holds shard-1-of-1/");
    // So would a merge, were a user's file beside it.
    std::fs::write(report.join("notes.txt"), "mine").expect("written");
    assert_refused(
        dir.path(),
        &["merge", arg(&shard), "--out", arg(&report), "--quiet"],
        "holds notes.txt",
    );
    std::fs::remove_file(report.join("notes.txt")).expect("removed");
    // A merge carries it into the report, twice in a row.
    for _ in 0..2 {
        let merge = uchronia(&["merge", arg(&shard), "--out", arg(&report), "--quiet"]);
        assert_eq!(merge.status, 0, "{}", merge.stderr);
        assert!(shard.join("partial.json").is_file());
        assert!(report.join("outcomes.csv").is_file());
    }
}
