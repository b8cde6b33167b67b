//! `[[correlations]]` and `run --design random|lhs` end to end:
//! correlations.csv beside the other tables, the design recorded in
//! run.json and in shards, and Latin hypercube and correlated runs merged
//! from shards byte for byte.

use std::path::Path;

use crate::util::{arg, csv, model, temp, uchronia};

/// The tables whose bytes must not depend on threads or shards.
const TABLES: [&str; 3] = ["outcomes.csv", "numeric.csv", "correlations.csv"];

const SIZE: [&str; 4] = ["--trials", "61000", "--draws", "61"];

fn run(out: &Path, extra: &[&str]) {
    let correlated = model("correlated");
    let mut args = vec!["run", correlated.as_str(), "--quiet", "--out", arg(out)];
    args.extend(SIZE);
    args.extend(extra);
    let run = uchronia(&args);
    assert_eq!(run.status, 0, "stderr: {}", run.stderr);
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn a_correlated_model_writes_correlations_csv_with_target_and_achieved() {
    let dir = temp();
    let out = dir.path().join("report");
    let correlated = model("correlated");
    let size = ["--trials", "200000", "--draws", "2000"];
    let mut args = vec!["run", correlated.as_str(), "--quiet", "--out", arg(&out)];
    args.extend(size);
    let run = uchronia(&args);
    assert_eq!(run.status, 0, "stderr: {}", run.stderr);
    let (header, rows) = csv(&out.join("correlations.csv"));
    assert_eq!(
        header,
        ["param_a", "param_b", "target", "achieved", "label"]
    );
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0][..3], ["support", "base_year", "0.6"]);
    let achieved: f64 = rows[0][3].parse().expect("a number");
    assert!((achieved - 0.6).abs() < 0.05, "achieved {achieved}");
    assert!(read(&out.join("uchronia-manifest.txt")).contains("correlations.csv"));
    assert!(read(&out.join("summary.md")).contains("Correlated parameters"));
    // A default run records no design; a model without correlations, no table.
    assert!(!read(&out.join("run.json")).contains("design"));
    let plain = dir.path().join("plain");
    let small = model("small");
    let mut args = vec!["run", small.as_str(), "--quiet", "--out", arg(&plain)];
    args.extend(SIZE);
    assert_eq!(uchronia(&args).status, 0);
    assert!(!plain.join("correlations.csv").exists());
}

#[test]
fn lhs_runs_merge_from_shards_byte_for_byte_and_record_their_design() {
    let dir = temp();
    let whole = dir.path().join("whole");
    run(&whole, &["--design", "lhs", "--threads", "2"]);
    let json = read(&whole.join("run.json"));
    assert!(json.contains("\"design\": \"lhs\""), "{json}");
    assert!(read(&whole.join("summary.md")).contains("--design lhs"));
    let mut parts = Vec::new();
    for i in 1..=3 {
        let part = dir.path().join(format!("shard-{i}"));
        run(
            &part,
            &[
                "--design",
                "lhs",
                "--threads",
                "1",
                "--shard",
                &format!("{i}/3"),
            ],
        );
        parts.push(part);
    }
    let merged = dir.path().join("merged");
    let mut args = vec!["merge", "--quiet", "--out", arg(&merged)];
    args.extend(parts.iter().map(|p| arg(p)));
    let merge = uchronia(&args);
    assert_eq!(merge.status, 0, "stderr: {}", merge.stderr);
    for table in TABLES {
        assert_eq!(
            read(&whole.join(table)),
            read(&merged.join(table)),
            "{table} differs"
        );
    }
    // The random design gives other draws (the small model's boolean
    // outcomes do not depend on its params; the crisis year does).
    let random = dir.path().join("random");
    run(&random, &[]);
    assert_ne!(
        read(&whole.join("numeric.csv")),
        read(&random.join("numeric.csv"))
    );
}

#[test]
fn shards_of_two_designs_do_not_merge() {
    let dir = temp();
    let first = dir.path().join("first");
    let second = dir.path().join("second");
    run(&first, &["--shard", "1/2"]);
    run(&second, &["--shard", "2/2", "--design", "lhs"]);
    let out = dir.path().join("merged");
    let merge = uchronia(&["merge", "--out", arg(&out), arg(&first), arg(&second)]);
    assert_eq!(merge.status, 2, "stderr: {}", merge.stderr);
    assert!(
        merge.stderr.contains("design lhs there, random here"),
        "{}",
        merge.stderr
    );
}
