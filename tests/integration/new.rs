//! `uchronia new`: every template is written, passes `check --strict` with
//! its placeholder sources noted as unsourced, and runs; `--list` lists them;
//! an existing file and an unknown template are refused.

use std::path::Path;

use crate::util::{arg, temp, uchronia};

const TEMPLATES: [&str; 3] = ["succession", "alliance", "war"];

/// A project folder with the shipped sources file, so that `check` can tell
/// the placeholder keys from real ones.
fn project() -> tempfile::TempDir {
    let dir = temp();
    std::fs::create_dir_all(dir.path().join("data")).expect("a folder");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("data/sources.toml"),
        dir.path().join("data/sources.toml"),
    )
    .expect("copy");
    dir
}

#[test]
fn every_template_passes_check_strict_with_its_sources_unsourced_and_runs() {
    let dir = project();
    for name in TEMPLATES {
        let file = dir.path().join(format!("models/my-{name}.toml"));
        let new = uchronia(&["new", arg(&file), "--template", name]);
        assert_eq!(new.status, 0, "{name}: {}", new.stderr);
        assert!(new.stdout.contains("check"), "{}", new.stdout);
        assert!(
            !new.stderr.contains("note"),
            "a sources file is there: {}",
            new.stderr
        );
        let text = std::fs::read_to_string(&file).expect("written");
        assert!(
            text.contains(&format!("name = \"my_{name}\"")),
            "named after its file: {text}"
        );
        let check = uchronia(&["check", arg(&file), "--strict"]);
        assert_eq!(check.status, 0, "{name}: {}", check.stderr);
        let shown = format!("{}{}", check.stdout, check.stderr);
        assert!(!shown.contains("error"), "{name}: {shown}");
        // Each param and node cites a placeholder: noted, never an error.
        let notes = shown.matches("cites source `todo_").count();
        assert!(notes >= 3, "{name}: {shown}");
        let out = dir.path().join(format!("reports/{name}"));
        let run = uchronia(&[
            "run",
            arg(&file),
            "--trials",
            "20000",
            "--draws",
            "20",
            "--quiet",
            "--strict",
            "--out",
            arg(&out),
        ]);
        assert_eq!(run.status, 0, "{name}: {}", run.stderr);
        assert!(out.join("outcomes.csv").is_file());
    }
}

#[test]
fn the_list_names_every_template_and_the_default_is_the_first() {
    let list = uchronia(&["new", "--list"]);
    assert_eq!(list.status, 0, "{}", list.stderr);
    let names: Vec<&str> = list
        .stdout
        .lines()
        .filter_map(|line| line.split_whitespace().next())
        .collect();
    assert_eq!(names, TEMPLATES);
    let dir = temp();
    let file = dir.path().join("q.toml");
    let new = uchronia(&["new", arg(&file)]);
    assert_eq!(new.status, 0, "{}", new.stderr);
    let text = std::fs::read_to_string(&file).expect("written");
    assert!(
        text.contains("[nodes.successor]"),
        "the succession template"
    );
    // No sources file around: `new` says where `check` looks for one.
    assert!(
        new.stderr.contains("note: there is no") && new.stderr.contains("sources.toml"),
        "{}",
        new.stderr
    );
}

#[test]
fn an_existing_file_and_an_unknown_template_are_refused() {
    let dir = temp();
    let file = dir.path().join("taken.toml");
    std::fs::write(&file, "mine").expect("written");
    let new = uchronia(&["new", arg(&file)]);
    assert_eq!(new.status, 2);
    assert!(new.stderr.contains("never overwrites"), "{}", new.stderr);
    assert_eq!(std::fs::read_to_string(&file).expect("kept"), "mine");
    let other = dir.path().join("other.toml");
    let new = uchronia(&["new", arg(&other), "--template", "wat"]);
    assert_eq!(new.status, 2);
    assert!(new.stderr.contains("did you mean 'war'?"), "{}", new.stderr);
    assert!(!other.exists());
    let new = uchronia(&["new"]);
    assert_eq!(new.status, 2, "{}", new.stderr);
}
