//! The atomic report folder: everything is written into a temporary sibling
//! of the target, which is then renamed into place.
//!
//! A failed or interrupted write therefore never leaves a half-written
//! report, and never touches the previous one: the temporary folder is
//! removed on any error (it is a [`tempfile::TempDir`]), and the old report is
//! only moved aside once the new one is complete, then deleted.
//!
//! A process killed outright (SIGKILL, a power cut, a full disk's SIGXFSZ)
//! cannot clean up after itself. So [`check_out`] and [`replace_dir`] first
//! look for what a dead run left next to `out` (folders named after a
//! process that no longer exists): its temporary folders are removed, and a
//! previous report it had moved aside is put back when `out` is missing.

use std::fs;
use std::path::{Path, PathBuf};

use crate::ReportError;

/// Checks that `out` can be a report folder, before any work is done: it is
/// not a file, it has a name, and its parent folder exists (it is created if
/// needed) and accepts new entries (a temporary folder is made and removed).
pub fn check_out(out: &Path) -> Result<(), ReportError> {
    let parent = parent_of(out)?;
    recover_stale(out, &parent);
    tempfile::Builder::new()
        .prefix(&temp_prefix(out, "check"))
        .tempdir_in(&parent)
        .map_err(|source| ReportError::Unwritable {
            path: parent.clone(),
            source: without_temp_path(source),
        })?;
    Ok(())
}

/// Replaces the folder `out` with a new one that `fill` writes.
///
/// `fill` receives the path of an empty temporary folder next to `out`. When
/// it succeeds, the temporary folder becomes `out` (a previous `out` is moved
/// aside, then deleted); when it fails, or when anything here fails, the
/// temporary folder is removed and a previous `out` is left as it was.
pub fn replace_dir(
    out: &Path,
    fill: impl FnOnce(&Path) -> Result<(), ReportError>,
) -> Result<(), ReportError> {
    let parent = parent_of(out)?;
    recover_stale(out, &parent);
    let temp = tempfile::Builder::new()
        .prefix(&temp_prefix(out, "tmp"))
        .tempdir_in(&parent)
        .map_err(|source| ReportError::Unwritable {
            path: parent.clone(),
            source: without_temp_path(source),
        })?;
    fill(temp.path())?;

    if !out.exists() {
        fs::rename(temp.path(), out).map_err(|source| ReportError::Io {
            path: out.to_path_buf(),
            source,
        })?;
        // The folder now lives at `out`: do not let the guard delete it.
        let _ = temp.keep();
        return Ok(());
    }

    let aside = tempfile::Builder::new()
        .prefix(&temp_prefix(out, "old"))
        .tempdir_in(&parent)
        .map_err(|source| ReportError::Unwritable {
            path: parent.clone(),
            source: without_temp_path(source),
        })?;
    // `aside` is an empty placeholder that reserves a unique name; the old
    // report is renamed over it (rename replaces an empty directory).
    let aside_path = aside.keep();
    if let Err(source) = fs::rename(out, &aside_path) {
        let _ = fs::remove_dir(&aside_path);
        return Err(ReportError::Io {
            path: out.to_path_buf(),
            source,
        });
    }
    if let Err(source) = fs::rename(temp.path(), out) {
        // Put the old report back where it was.
        let _ = fs::rename(&aside_path, out);
        return Err(ReportError::Io {
            path: out.to_path_buf(),
            source,
        });
    }
    let _ = temp.keep();
    // The new report is in place; failing to delete the old one loses nothing.
    let _ = fs::remove_dir_all(&aside_path);
    Ok(())
}

/// The folder that holds `out`, created if needed. `out` must be a folder
/// (or not exist yet) and have a final name (not `.` or `..`).
fn parent_of(out: &Path) -> Result<PathBuf, ReportError> {
    if out.exists() && !out.is_dir() {
        return Err(ReportError::OutIsFile(out.to_path_buf()));
    }
    if out.file_name().is_none() {
        return Err(ReportError::NoFolderName(out.to_path_buf()));
    }
    let parent = match out.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&parent).map_err(|source| ReportError::Unwritable {
        path: parent.clone(),
        source,
    })?;
    Ok(parent)
}

/// Cleans up after runs that died while writing `out`: removes their
/// temporary folders and, when `out` is missing, puts back the previous
/// report one of them had moved aside. Only folders whose process is gone
/// are touched (a run still writing its report is left alone); where that
/// cannot be told (no `/proc`), nothing is. Failures are ignored: this is
/// tidying, and the run itself does not depend on it.
pub fn recover_stale(out: &Path, parent: &Path) {
    let Some(name) = out.file_name().map(|n| n.to_string_lossy().into_owned()) else {
        return;
    };
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    let prefix = format!(".{name}.");
    let mut stale: Vec<(String, PathBuf)> = Vec::new();
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let Some(rest) = file_name.strip_prefix(&prefix) else {
            continue;
        };
        let Some((kind, rest)) = rest.split_once('-') else {
            continue;
        };
        let Some((pid, _)) = rest.split_once('-') else {
            continue;
        };
        let Ok(pid) = pid.parse::<u32>() else {
            continue;
        };
        if matches!(kind, "tmp" | "old" | "check") && process_is_gone(pid) {
            stale.push((kind.to_string(), entry.path()));
        }
    }
    // Old reports first, so that one can be put back before the rest goes.
    stale.sort_by_key(|(kind, _)| kind != "old");
    for (kind, path) in stale {
        if kind == "old" && !out.exists() && fs::rename(&path, out).is_ok() {
            continue;
        }
        let _ = fs::remove_dir_all(&path);
    }
}

/// Whether no process `pid` exists (false when that cannot be told).
fn process_is_gone(pid: u32) -> bool {
    if pid == std::process::id() {
        return false;
    }
    let proc = Path::new("/proc");
    proc.join("self").exists() && !proc.join(pid.to_string()).exists()
}

/// The system's reason alone: tempfile adds the random name it tried
/// (`... at path "/x/.report.tmp-123-AbC"`), which says nothing to the user
/// and changes from run to run.
fn without_temp_path(error: std::io::Error) -> std::io::Error {
    // tempfile's wrapper hides the system's error code; its text is
    // "REASON at path \"PATH\"".
    let text = error.to_string();
    match text.split_once(" at path \"") {
        Some((reason, _)) => std::io::Error::new(error.kind(), reason.to_string()),
        None => error,
    }
}

/// A hidden name next to `out` for temporary folders: `.NAME.KIND-`.
fn temp_prefix(out: &Path, kind: &str) -> String {
    let name = out
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    format!(".{name}.{kind}-{}-", std::process::id())
}
