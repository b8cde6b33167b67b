//! Tests of the tables and the atomic folder, on hand-built summaries.

use super::*;
use crate::testing::labelled;
use uchronia_analysis::{BooleanSummary, NumericSummary};

fn summary() -> Summary {
    let boolean = |scenario: &str, outcome: &str, p: f64| BooleanSummary {
        scenario: scenario.into(),
        outcome: outcome.into(),
        p_mean: Some(p),
        mc_se: Some(0.001),
        p_q05: Some(p / 2.0),
        p_q50: Some(p),
        p_q95: Some(0.1 + 0.2),
        draws: 100,
        trials: 200_000,
        undefined_draws: 0,
    };
    Summary {
        boolean: vec![
            boolean("history", "won", 0.25),
            boolean("history", "lost", 0.75),
            boolean("divergence", "won", 1e-7),
            boolean("divergence", "lost", 1.0),
        ],
        numeric: vec![
            NumericSummary {
                scenario: "history".into(),
                outcome: "year".into(),
                mean: Some(1939.5),
                mean_se: Some(0.01),
                sd: Some(2.5),
                q05: Some(1935.0),
                q50: Some(1939.0),
                q95: Some(1944.0),
                share: 0.625,
                draws: 100,
                trials: 200_000,
            },
            NumericSummary {
                scenario: "divergence".into(),
                outcome: "year".into(),
                mean: None,
                mean_se: None,
                sd: None,
                q05: None,
                q50: None,
                q95: None,
                share: 0.0,
                draws: 100,
                trials: 200_000,
            },
        ],
    }
}

fn info() -> RunInfo {
    RunInfo {
        model: "models/m.toml".into(),
        model_sha256: "00".repeat(32),
        seed: 1,
        trials: 200_000,
        draws: 100,
        trials_per_draw: 2000,
        design: Default::default(),
        scenarios: vec!["history".into(), "divergence".into()],
        threads: 2,
        version: "0.1.0".into(),
        elapsed_seconds: 0.5,
        trials_per_second: 800_000.0,
        lexicon: None,
        ex_ante: Vec::new(),
    }
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).expect("readable")
}

#[test]
fn writes_the_three_files_with_their_columns_and_rows() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("reports").join("m");
    write_report(&out, &labelled(), &summary(), &info()).expect("written");

    let outcomes = read(&out.join("outcomes.csv"));
    let lines: Vec<&str> = outcomes.lines().collect();
    assert_eq!(lines[0], OUTCOMES_COLUMNS.join(","));
    assert_eq!(lines.len(), 1 + 4);
    assert_eq!(
        lines[1],
        "history,won,0.25,0.001,0.125,0.25,0.30000000000000004,100,200000,The reformer wins"
    );
    assert_eq!(
        lines[3],
        "divergence,won,0.0000001,0.001,0.00000005,0.0000001,0.30000000000000004,100,200000,The reformer wins"
    );

    let numeric = read(&out.join("numeric.csv"));
    let lines: Vec<&str> = numeric.lines().collect();
    assert_eq!(lines[0], NUMERIC_COLUMNS.join(","));
    assert_eq!(lines.len(), 1 + 2);
    assert_eq!(
        lines[1],
        "history,year,1939.5,0.01,2.5,1935,1939,1944,0.625,100,200000,year"
    );
    assert_eq!(
        lines[2], "divergence,year,,,,,,,0,100,200000,year",
        "undefined is empty, never NaN"
    );

    let json: serde_json::Value = serde_json::from_str(&read(&out.join("run.json"))).expect("json");
    assert_eq!(json["seed"], 1);
    assert_eq!(json["trials_per_draw"], 2000);
    assert_eq!(json["scenarios"][1], "divergence");
    assert_eq!(json["model_sha256"].as_str().map(str::len), Some(64));

    let entries = fs::read_dir(out.parent().expect("parent"))
        .expect("list")
        .count();
    assert_eq!(entries, 1, "no temporary folder left behind");
}

#[test]
fn identical_summaries_give_identical_bytes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    write_report(&a, &labelled(), &summary(), &info()).expect("written");
    let mut other = info();
    other.threads = 1;
    other.elapsed_seconds = 3.0;
    write_report(&b, &labelled(), &summary(), &other).expect("written");
    for file in ["outcomes.csv", "numeric.csv"] {
        assert_eq!(
            fs::read(a.join(file)).expect("a"),
            fs::read(b.join(file)).expect("b")
        );
    }
}

#[test]
fn a_new_report_replaces_the_old_one_entirely() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("m");
    fs::create_dir(&out).expect("old report");
    // An old report's file that the new one does not write again.
    fs::write(out.join("stale.txt"), "old").expect("old file");
    fs::write(out.join(MANIFEST_FILE), "# old\nstale.txt\n").expect("manifest");
    write_report(&out, &labelled(), &summary(), &info()).expect("written");
    assert!(out.join("outcomes.csv").exists());
    assert!(!out.join("stale.txt").exists());
    assert_eq!(fs::read_dir(dir.path()).expect("list").count(), 1);
}

/// `out` as a report with `listed` on its manifest, plus the `extra` files.
fn report_folder(out: &Path, listed: &[&str], extra: &[&str]) {
    for file in listed.iter().chain(extra) {
        let path = out.join(file);
        fs::create_dir_all(path.parent().expect("a parent")).expect("folders");
        fs::write(path, "x").expect("written");
    }
    let manifest: String = listed.iter().map(|f| format!("{f}\n")).collect();
    fs::write(out.join(MANIFEST_FILE), format!("# a report\n{manifest}")).expect("manifest");
}

#[test]
fn the_manifest_lists_every_file_written_including_subfolders() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("m");
    replace_dir(&out, |temp| {
        fs::create_dir(temp.join("shard")).expect("a subfolder");
        fs::write(temp.join("shard/partial.json"), "{}").expect("written");
        fs::write(temp.join("b.csv"), "b").expect("written");
        fs::write(temp.join("a.csv"), "a").expect("written");
        Ok(())
    })
    .expect("written");
    let manifest = read(&out.join(MANIFEST_FILE));
    let listed: Vec<&str> = manifest.lines().filter(|l| !l.starts_with('#')).collect();
    assert_eq!(listed, ["a.csv", "b.csv", "shard/partial.json"]);
    // Written by uchronia, so replaced by the next report.
    replace_dir(&out, |temp| {
        fs::write(temp.join("c.csv"), "c").map_err(|source| ReportError::Io {
            path: temp.to_path_buf(),
            source,
        })
    })
    .expect("replaced");
    assert!(!out.join("shard").exists());
}

#[test]
fn anything_off_the_manifest_is_foreign_and_kept() {
    let cases: [(&[&str], &[&str], Option<&str>); 6] = [
        (&["a.csv"], &[], None),
        (&["a.csv", "sub/b.csv"], &[], None),
        (&["a.csv"], &["notes.txt"], Some("notes.txt")),
        (&["sub/b.csv"], &["sub/mine.txt"], Some("sub/mine.txt")),
        (&["a.csv"], &["drafts/post.txt"], Some("drafts/")),
        (&[], &["z.txt", "b.txt"], Some("b.txt")),
    ];
    for (listed, extra, foreign) in cases {
        let dir = tempfile::tempdir().expect("temp dir");
        let out = dir.path().join("m");
        report_folder(&out, listed, extra);
        let result = replace_dir(&out, |_| Ok(()));
        match foreign {
            None => assert!(result.is_ok(), "{listed:?} {extra:?}: {result:?}"),
            Some(name) => {
                let error = result.expect_err("refused");
                assert!(
                    matches!(&error, ReportError::Foreign { file, .. } if file == Path::new(name)),
                    "{listed:?} {extra:?}: {error}"
                );
                assert!(error.is_bad_input());
                for file in listed.iter().chain(extra) {
                    assert_eq!(read(&out.join(file)), "x", "{file} kept");
                }
            }
        }
    }
}

#[test]
fn carried_folders_are_copied_into_the_new_report() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("m");
    fs::create_dir_all(out.join("shard-1")).expect("folders");
    fs::write(out.join("shard-1/partial.json"), "{}").expect("written");
    let carried = [PathBuf::from("shard-1")];
    assert!(check_out(&out, &[], &[]).is_err(), "not carried: foreign");
    let inputs = [out.join("shard-1/partial.json")];
    check_out(&out, &inputs, &carried).expect("a carried input is fine");
    replace_dir_carrying(&out, &carried, |_| Ok(())).expect("written");
    assert_eq!(read(&out.join("shard-1/partial.json")), "{}");
    assert!(read(&out.join(MANIFEST_FILE)).contains("shard-1/partial.json\n"));
}

#[test]
fn an_out_that_holds_an_input_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("m");
    report_folder(&out, &["model.toml"], &[]);
    let deep = dir.path().join("project/models/x.toml");
    fs::create_dir_all(deep.parent().expect("a parent")).expect("folders");
    fs::write(&deep, "x").expect("written");
    for (folder, input) in [
        (out.clone(), out.join("model.toml")),
        (dir.path().join("project"), deep.clone()),
        // A checkpoint still to be written counts through its folder.
        (out.clone(), out.join("later.checkpoint")),
    ] {
        let error = check_out(&folder, std::slice::from_ref(&input), &[]).expect_err("refused");
        assert!(
            matches!(&error, ReportError::HoldsInput { input: i, .. } if *i == input),
            "{error}"
        );
        assert!(error.is_bad_input());
    }
    check_out(&out, &[deep], &[]).expect("an input elsewhere is fine");
}

#[test]
fn a_failing_write_leaves_the_old_report_intact_and_no_temporary_folder() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("m");
    report_folder(&out, &["outcomes.csv"], &[]);
    fs::write(out.join("outcomes.csv"), "old").expect("old file");
    let result = replace_dir(&out, |temp| {
        fs::write(temp.join("outcomes.csv"), "half").expect("half-written");
        Err(ReportError::Io {
            path: temp.join("numeric.csv"),
            source: std::io::Error::other("disk full"),
        })
    });
    assert!(result.is_err());
    assert_eq!(read(&out.join("outcomes.csv")), "old");
    assert_eq!(fs::read_dir(dir.path()).expect("list").count(), 1);
}

#[test]
fn an_out_that_is_a_file_is_refused_and_left_alone() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("m");
    fs::write(&out, "a file").expect("file");
    let error = write_report(&out, &labelled(), &summary(), &info()).expect_err("refused");
    assert!(matches!(error, ReportError::OutIsFile(_)), "{error}");
    assert!(error.is_bad_input());
    assert!(check_out(&out, &[], &[]).is_err());
    assert_eq!(read(&out), "a file");
    assert_eq!(fs::read_dir(dir.path()).expect("list").count(), 1);
}

#[test]
fn an_out_under_a_file_is_unwritable() {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::write(dir.path().join("f"), "a file").expect("file");
    let error = check_out(&dir.path().join("f").join("m"), &[], &[]).expect_err("refused");
    assert!(matches!(error, ReportError::Unwritable { .. }), "{error}");
    assert!(error.is_bad_input());
}

#[test]
fn check_out_creates_the_parent_and_leaves_nothing_else() {
    let dir = tempfile::tempdir().expect("temp dir");
    let parent = dir.path().join("reports");
    check_out(&parent.join("m"), &[], &[]).expect("fine");
    assert!(parent.is_dir());
    assert_eq!(fs::read_dir(&parent).expect("list").count(), 0);
}

mod full_report {
    use super::*;
    use crate::testing::Fixture;
    use polars::prelude::{ParquetReader, SerReader};

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .expect("list")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn write_puts_tables_charts_and_summaries_in_the_folder() {
        let fixture = Fixture::plain();
        let dir = tempfile::tempdir().expect("temp dir");
        let out = dir.path().join("small");
        write(&out, &fixture.report()).expect("written");
        assert_eq!(
            names(&out),
            [
                "claims.csv",
                "claims.png",
                "comparison.csv",
                "crisis_start.png",
                "difference.png",
                "draws.parquet",
                "numeric.csv",
                "outcomes.csv",
                "outcomes.png",
                "outcomes_all.png",
                "run.json",
                "sensitivity.csv",
                "summary.bbcode",
                "summary.html",
                "summary.md",
                "sweep_support.png",
                "tornado_crisis_happens.png",
                "uchronia-manifest.txt",
                "uncertainty.png",
            ]
        );
        assert_eq!(names(dir.path()), ["small"], "no temporary folder left");
    }

    #[test]
    fn draws_parquet_has_a_row_per_scenario_and_draw() {
        let fixture = Fixture::plain();
        let mut table = parquet::draws_table(&fixture.model, &fixture.tally).expect("table");
        let bytes = parquet::parquet_bytes(&mut table).expect("parquet");
        let read = ParquetReader::new(std::io::Cursor::new(bytes))
            .finish()
            .expect("reads back");
        let columns: Vec<String> = read
            .get_column_names()
            .iter()
            .map(|c| c.to_string())
            .collect();
        assert_eq!(
            columns,
            [
                "scenario",
                "draw",
                "support",
                "base_year",
                "reform_passes",
                "crisis_happens",
                "crisis_start"
            ]
        );
        assert_eq!(read.height(), 2 * 40);
        // The per-draw probabilities average to the summary's p_mean.
        let crisis = read
            .column("crisis_happens")
            .expect("column")
            .f64()
            .expect("floats")
            .clone();
        let history: Vec<f64> = crisis
            .iter()
            .take(40)
            .map(|p| p.expect("defined"))
            .collect();
        let mean = history.iter().sum::<f64>() / 40.0;
        let row = fixture
            .summary
            .boolean
            .iter()
            .find(|r| r.scenario == "history" && r.outcome == "crisis_happens")
            .expect("row");
        assert!((mean - row.p_mean.expect("p")).abs() < 1e-12);
        // reform_forced forces reform: its p_d is exactly 1 in every draw.
        let reform = read
            .column("reform_passes")
            .expect("column")
            .f64()
            .expect("floats")
            .clone();
        assert!(reform.iter().skip(40).all(|p| p == Some(1.0)));
    }

    #[test]
    fn without_parquet_there_is_no_draws_table() {
        let fixture = Fixture::plain();
        let mut report = fixture.report();
        report.parquet = false;
        let dir = tempfile::tempdir().expect("temp dir");
        let out = dir.path().join("small");
        write(&out, &report).expect("written");
        assert!(!out.join("draws.parquet").exists());
    }

    #[test]
    fn a_full_report_replaces_an_old_one_whole() {
        let fixture = Fixture::plain();
        let dir = tempfile::tempdir().expect("temp dir");
        let out = dir.path().join("small");
        write(&out, &fixture.report()).expect("first");
        assert!(read(&out.join(MANIFEST_FILE)).contains("\nclaims.png\n"));
        let mut report = fixture.report();
        report.claims = &[];
        write(&out, &report).expect("second");
        assert!(
            !out.join("claims.png").exists(),
            "the old report's claims chart is gone"
        );
        assert!(read(&out.join("summary.md")).contains("No claims"));
        assert_eq!(names(dir.path()), ["small"]);
    }
}
