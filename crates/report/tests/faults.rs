//! Write errors injected into `replace_dir`: whatever fails while the new
//! report is written (a full disk, here `/dev/full`; an error of the caller),
//! the previous report is left whole and no temporary folder remains.

use std::fs;
use std::path::{Path, PathBuf};

use uchronia_report::{ReportError, replace_dir};

/// The entries of a folder, sorted.
fn entries(dir: &Path) -> Vec<PathBuf> {
    let mut entries: Vec<PathBuf> = fs::read_dir(dir)
        .expect("a folder")
        .map(|e| e.expect("an entry").path())
        .collect();
    entries.sort();
    entries
}

/// A folder holding a previous report `report/outcomes.csv`.
fn with_previous() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let out = dir.path().join("report");
    replace_dir(&out, |d| {
        fs::write(d.join("outcomes.csv"), "old").map_err(|source| ReportError::Io {
            path: d.to_path_buf(),
            source,
        })
    })
    .expect("the first report is written");
    (dir, out)
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_leaves_the_previous_report_whole() {
    let (dir, out) = with_previous();
    let error = replace_dir(&out, |d| {
        fs::write(d.join("outcomes.csv"), "new").expect("a first file fits");
        // Writing to /dev/full fails as a full disk does: ENOSPC.
        fs::write("/dev/full", "more").map_err(|source| ReportError::Io {
            path: d.join("numeric.csv"),
            source,
        })
    })
    .expect_err("the disk is full");
    assert!(
        error.to_string().contains("No space left on device"),
        "{error}"
    );
    assert!(!error.is_bad_input(), "a machine failure: exit status 1");
    assert_eq!(
        fs::read_to_string(out.join("outcomes.csv")).expect("kept"),
        "old"
    );
    assert_eq!(entries(dir.path()), [out]);
}

#[test]
fn a_failing_writer_leaves_the_previous_report_whole() {
    let (dir, out) = with_previous();
    let result = replace_dir(&out, |d| {
        fs::write(d.join("outcomes.csv"), "new").expect("written");
        Err(ReportError::OutIsFile(d.to_path_buf()))
    });
    assert!(result.is_err());
    assert_eq!(
        fs::read_to_string(out.join("outcomes.csv")).expect("kept"),
        "old"
    );
    assert_eq!(entries(dir.path()), [out]);
}

#[test]
fn a_panicking_writer_leaves_the_previous_report_whole() {
    let (dir, out) = with_previous();
    let result = std::panic::catch_unwind(|| {
        replace_dir(&out, |d| {
            fs::write(d.join("outcomes.csv"), "new").expect("written");
            panic!("a bug while writing");
        })
    });
    assert!(result.is_err());
    assert_eq!(
        fs::read_to_string(out.join("outcomes.csv")).expect("kept"),
        "old"
    );
    assert_eq!(
        entries(dir.path()),
        [out],
        "the temporary folder is dropped on unwind"
    );
}
