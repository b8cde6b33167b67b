//! Faults: a run that fails for any reason (a bad `--out`, a model error at
//! run time, a signal, a process killed outright while writing) leaves the
//! previous report whole, and leaves no temporary folder behind, or has the
//! next run clean it up. (The full-disk case is checked by hand on a small
//! tmpfs, see docs/errors.md; `crates/report/tests/faults.rs` injects write
//! errors.)

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::util::{arg, entries, model, temp, uchronia};

/// Every file of a report folder with its bytes, sorted by name.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    entries(dir)
        .into_iter()
        .map(|path| {
            let bytes = std::fs::read(&path).expect("a report file");
            (path, bytes)
        })
        .collect()
}

/// Runs the small model into `out`, successfully, and returns its files.
fn previous_report(out: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let run = uchronia(&[
        "run",
        &model("small"),
        "--trials",
        "2000",
        "--draws",
        "20",
        "--quiet",
        "--out",
        arg(out),
    ]);
    assert_eq!(run.status, 0, "stderr: {}", run.stderr);
    let files = snapshot(out);
    assert!(files.len() >= 3, "{files:?}");
    files
}

#[test]
fn a_model_error_at_run_time_leaves_the_previous_report_whole() {
    let dir = temp();
    let out = dir.path().join("report");
    let before = previous_report(&out);
    let run = uchronia(&[
        "run",
        &model("runtime_error"),
        "--trials",
        "1000",
        "--draws",
        "10",
        "--out",
        arg(&out),
    ]);
    assert_eq!(run.status, 2, "stderr: {}", run.stderr);
    assert_eq!(snapshot(&out), before);
    assert_eq!(entries(dir.path()), [out], "no temporary folder");
}

#[test]
fn an_invalid_model_leaves_the_previous_report_whole() {
    let dir = temp();
    let out = dir.path().join("report");
    let before = previous_report(&out);
    let run = uchronia(&["run", &model("bad_expression"), "--out", arg(&out)]);
    assert_eq!(run.status, 2, "stderr: {}", run.stderr);
    assert_eq!(snapshot(&out), before);
    assert_eq!(entries(dir.path()), [out]);
}

/// Starts a run far longer than the test waits for, into `out`.
fn endless_run(out: &Path) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_uchronia"))
        .args(["run", &model("small"), "--trials", "1e12", "--draws", "100"])
        .args(["--out", arg(out)])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts")
}

#[cfg(unix)]
#[test]
fn sigterm_and_sigint_stop_the_run_with_130_and_leave_the_previous_report_whole() {
    for signal in ["-TERM", "-INT", "-HUP"] {
        let dir = temp();
        let out = dir.path().join("report");
        let before = previous_report(&out);
        let child = endless_run(&out);
        // Time to load the model and install the handler.
        std::thread::sleep(Duration::from_millis(1000));
        let kill = Command::new("kill")
            .args([signal, &child.id().to_string()])
            .status()
            .expect("kill runs");
        assert!(kill.success());
        let started = Instant::now();
        let output = child.wait_with_output().expect("the binary ends");
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "{signal}: promptly"
        );
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(130), "{signal}: {stderr}");
        assert_eq!(stderr.trim_end(), "error: interrupted", "{signal}");
        assert_eq!(snapshot(&out), before, "{signal}");
        assert_eq!(entries(dir.path()), [out], "{signal}: no temporary folder");
    }
}

/// A run killed outright while writing its report (here by the file-size
/// limit: SIGXFSZ at the first byte written to a report file) cannot clean up.
/// The previous report is untouched, and the next run removes the dead
/// run's temporary folder.
#[cfg(target_os = "linux")]
#[test]
fn a_run_killed_while_writing_leaves_the_previous_report_and_the_next_run_cleans_up() {
    let dir = temp();
    let out = dir.path().join("report");
    let before = previous_report(&out);
    let script = format!(
        "ulimit -f 0; exec '{}' run {} --trials 2000 --draws 20 --seed 7 --quiet --out '{}'",
        env!("CARGO_BIN_EXE_uchronia"),
        model("small"),
        out.display()
    );
    let status = Command::new("sh")
        .args(["-c", &script])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stderr(Stdio::null())
        .status()
        .expect("sh runs");
    assert_eq!(status.code(), None, "killed by a signal, not exited");
    assert_eq!(snapshot(&out), before, "the previous report is whole");
    let left: Vec<PathBuf> = entries(dir.path())
        .into_iter()
        .filter(|p| *p != out)
        .collect();
    assert_eq!(left.len(), 1, "the dead run's temporary folder: {left:?}");

    // The next run, even one that fails later, tidies up first.
    let run = uchronia(&[
        "run",
        &model("runtime_error"),
        "--trials",
        "100",
        "--draws",
        "10",
        "--out",
        arg(&out),
    ]);
    assert_eq!(run.status, 2);
    assert_eq!(entries(dir.path()), std::slice::from_ref(&out));
    assert_eq!(snapshot(&out), before);
}

/// A run killed between moving the old report aside and moving the new one
/// in leaves no `out` at all: the next run puts the old one back first.
#[cfg(target_os = "linux")]
#[test]
fn a_report_moved_aside_by_a_dead_run_is_put_back() {
    let dir = temp();
    let out = dir.path().join("report");
    let before = previous_report(&out);
    // PIDs stop below 2^22 on Linux: this process cannot exist.
    let aside = dir.path().join(".report.old-4194999-AbCdEf");
    std::fs::rename(&out, &aside).expect("moved aside");
    let temp_left = dir.path().join(".report.tmp-4194999-GhIjKl");
    std::fs::create_dir(&temp_left).expect("a half-written report");
    std::fs::write(temp_left.join("outcomes.csv"), "half").expect("written");

    let run = uchronia(&["run", &model("bad_expression"), "--out", arg(&out)]);
    assert_eq!(run.status, 2, "the model is invalid: nothing runs");
    // Nothing was recovered: the model failed before --out was looked at.
    assert!(!out.exists());

    let run = uchronia(&[
        "run",
        &model("runtime_error"),
        "--trials",
        "100",
        "--draws",
        "10",
        "--out",
        arg(&out),
    ]);
    assert_eq!(run.status, 2);
    assert_eq!(entries(dir.path()), std::slice::from_ref(&out));
    let restored: Vec<(PathBuf, Vec<u8>)> = snapshot(&out);
    assert_eq!(restored, before);
}

#[cfg(unix)]
#[test]
fn a_read_only_parent_is_bad_input() {
    if running_as_root() {
        eprintln!(
            "skipped: running as root, where permissions do not bite (/sys covers it in the catalogue)"
        );
        return;
    }
    use std::os::unix::fs::PermissionsExt;
    let dir = temp();
    let parent = dir.path().join("locked");
    std::fs::create_dir(&parent).expect("a folder");
    std::fs::set_permissions(&parent, std::fs::Permissions::from_mode(0o555)).expect("chmod");
    let out = parent.join("report");
    let run = uchronia(&[
        "run",
        &model("small"),
        "--trials",
        "100",
        "--draws",
        "10",
        "--out",
        arg(&out),
    ]);
    std::fs::set_permissions(&parent, std::fs::Permissions::from_mode(0o755)).expect("chmod back");
    assert_eq!(run.status, 2, "stderr: {}", run.stderr);
    assert!(
        run.stderr.contains("cannot write a report into"),
        "{}",
        run.stderr
    );
    assert!(entries(&parent).is_empty());
}

/// Whether this process runs as root (uid 0), from /proc.
fn running_as_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|line| line.starts_with("Uid:"))
                .map(|line| line.split_whitespace().nth(1) == Some("0"))
        })
        .unwrap_or(false)
}

#[test]
fn a_closed_stderr_does_not_turn_an_error_into_a_crash() {
    // stderr closed: the error cannot be printed, but the status stands.
    let status = Command::new(env!("CARGO_BIN_EXE_uchronia"))
        .args(["check", "tests/models/no_such_model.toml"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stderr(Stdio::null())
        .status()
        .expect("the binary runs");
    assert_eq!(status.code(), Some(2));
    #[cfg(unix)]
    {
        // A pipe whose reader is gone: writes fail with EPIPE.
        let mut child = Command::new(env!("CARGO_BIN_EXE_uchronia"))
            .args(["check", "tests/models/no_such_model.toml"])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .stderr(Stdio::piped())
            .spawn()
            .expect("the binary runs");
        drop(child.stderr.take());
        let status = child.wait().expect("it ends");
        assert_eq!(status.code(), Some(2), "not 134 (abort)");

        // A note that cannot be printed does not fail a command that works
        // (the sweep notes that a scenario overrides the swept param).
        let dir = temp();
        let out = dir.path().join("sweep");
        let mut child = Command::new(env!("CARGO_BIN_EXE_uchronia"))
            .args([
                "sweep",
                &model("small"),
                "--param",
                "support",
                "--values",
                "0:1:0.5",
            ])
            .args([
                "--trials",
                "100",
                "--draws",
                "10",
                "--quiet",
                "--out",
                arg(&out),
            ])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the binary runs");
        drop(child.stderr.take());
        let status = child.wait().expect("it ends");
        assert_eq!(status.code(), Some(0), "not 1 (a panic on the note)");
        assert!(out.join("sweep.csv").exists());
    }
}
