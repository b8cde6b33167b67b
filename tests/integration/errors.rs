//! Errors: exit statuses, one clear message with file:line:column, never a
//! panic or a backtrace.

use crate::util::{arg, model, temp, uchronia};

/// Checks the shape every error shares: no panic, no backtrace.
fn no_panic(stderr: &str) {
    assert!(!stderr.contains("panicked"), "stderr: {stderr}");
    assert!(!stderr.contains("RUST_BACKTRACE"), "stderr: {stderr}");
}

#[test]
fn a_type_error_is_shown_at_its_line_and_column() {
    let path = model("bad_expression");
    let run = uchronia(&["check", &path]);
    assert_eq!(run.status, 2);
    no_panic(&run.stderr);
    assert!(
        run.stderr.contains(&format!("{path}:17:")),
        "stderr: {}",
        run.stderr
    );
    assert!(run.stderr.contains("error:"));
    assert!(run.stdout.is_empty(), "stdout: {}", run.stdout);
}

#[test]
fn an_unknown_name_gets_the_nearest_name() {
    let path = model("unknown_name");
    let run = uchronia(&["check", &path]);
    assert_eq!(run.status, 2);
    no_panic(&run.stderr);
    assert!(
        run.stderr.contains(&format!("{path}:13:")),
        "stderr: {}",
        run.stderr
    );
    assert!(run.stderr.contains("suport"));
    assert!(run.stderr.contains("support"), "a hint: {}", run.stderr);
}

#[test]
fn a_cycle_is_an_error() {
    let path = model("cycle");
    let run = uchronia(&["check", &path]);
    assert_eq!(run.status, 2);
    no_panic(&run.stderr);
    // At the reference that closes the loop (`a` reads `b`, line 7), not
    // at the header of `a`.
    assert!(
        run.stderr.starts_with(&format!(
            "{path}:7:9: error: cycle: a -> b -> a; `a` reads `b` here\n  |\n7 | p = \"if(b, 0.5, 0.1)\"\n  |         ^\n"
        )),
        "stderr: {}",
        run.stderr
    );
}

#[test]
fn run_refuses_an_invalid_model_before_writing_anything() {
    let dir = temp();
    let out = dir.path().join("report");
    let run = uchronia(&["run", &model("bad_expression"), "--out", arg(&out)]);
    assert_eq!(run.status, 2);
    no_panic(&run.stderr);
    assert!(!out.exists());
}

#[test]
fn a_model_error_at_run_time_is_bad_input_and_writes_nothing() {
    let dir = temp();
    let out = dir.path().join("report");
    let path = model("runtime_error");
    let run = uchronia(&[
        "run",
        &path,
        "--trials",
        "1000",
        "--draws",
        "10",
        "--out",
        arg(&out),
    ]);
    assert_eq!(run.status, 2, "stderr: {}", run.stderr);
    no_panic(&run.stderr);
    assert!(
        run.stderr.contains(&format!("{path}:")),
        "stderr: {}",
        run.stderr
    );
    assert!(run.stderr.contains("risky"), "stderr: {}", run.stderr);
    assert!(
        run.stderr.contains("base"),
        "names the scenario: {}",
        run.stderr
    );
    // At the expression that gave 1.5, with the node's header as a note.
    let error = &run.stderr[run
        .stderr
        .find(&format!("{path}:14:6: error: "))
        .expect(&run.stderr)..];
    assert!(
        error.ends_with(&format!(
            "(params: scale = 1.5)\n   |\n14 | p = \"scale\"\n   |      ^^^^^\n  note: {path}:12:1: in [nodes.risky]\n"
        )),
        "stderr: {}",
        run.stderr
    );
    assert!(!out.exists());
}

#[test]
fn a_missing_model_file_is_bad_input() {
    let run = uchronia(&["check", "tests/models/no_such_model.toml"]);
    assert_eq!(run.status, 2);
    no_panic(&run.stderr);
    assert!(
        run.stderr
            .starts_with("error: cannot read model tests/models/no_such_model.toml"),
        "stderr: {}",
        run.stderr
    );
    assert_eq!(
        run.stderr.matches("error:").count(),
        1,
        "printed once: {}",
        run.stderr
    );
}

#[test]
fn bad_sizes_are_refused_with_one_clear_message() {
    let small = model("small");
    for (args, message) in [
        (vec!["--draws", "0"], "--draws must be at least 1"),
        (
            vec!["--trials", "10", "--draws", "100"],
            "--trials (10) must be at least --draws (100)",
        ),
        (vec!["--threads", "0"], "--threads must be at least 1"),
    ] {
        let mut all = vec!["run", small.as_str()];
        all.extend(args);
        let run = uchronia(&all);
        assert_eq!(run.status, 2, "{all:?}");
        no_panic(&run.stderr);
        assert!(
            run.stderr.starts_with(&format!("error: {message}")),
            "{all:?}: {}",
            run.stderr
        );
        assert_eq!(run.stderr.lines().count(), 1, "one line: {}", run.stderr);
    }
}

#[test]
fn usage_errors_exit_with_2() {
    for args in [
        vec!["run", "--no-such-flag"],
        vec!["run", "--trials", "many"],
        vec!["frobnicate"],
        vec![],
    ] {
        let run = uchronia(&args);
        assert_eq!(run.status, 2, "{args:?}: {}", run.stderr);
        no_panic(&run.stderr);
    }
}

#[test]
fn help_and_version_exit_with_0() {
    let run = uchronia(&["--help"]);
    assert_eq!(run.status, 0);
    assert!(run.stdout.contains("run"));
    assert!(run.stdout.contains("check"));
    assert!(run.stdout.contains("bench"));
    let run = uchronia(&["--version"]);
    assert_eq!(run.status, 0);
    assert!(run.stdout.starts_with("uchronia "));
}
