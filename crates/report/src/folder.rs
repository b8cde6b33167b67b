//! The atomic report folder: everything is written into a temporary sibling
//! of the target, which is then renamed into place.
//!
//! A failed or interrupted write therefore never leaves a half-written
//! report, and never touches the previous one: the temporary folder is
//! removed on any error (it is a [`tempfile::TempDir`]), and the old report is
//! only moved aside once the new one is complete, then deleted.

use std::fs;
use std::path::{Path, PathBuf};

use crate::ReportError;

/// Checks that `out` can be a report folder, before any work is done: it is
/// not a file, it has a name, and its parent folder exists (it is created if
/// needed) and accepts new entries (a temporary folder is made and removed).
pub fn check_out(out: &Path) -> Result<(), ReportError> {
    let parent = parent_of(out)?;
    tempfile::Builder::new()
        .prefix(&temp_prefix(out, "check"))
        .tempdir_in(&parent)
        .map_err(|source| ReportError::Unwritable {
            path: parent.clone(),
            source,
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
    let temp = tempfile::Builder::new()
        .prefix(&temp_prefix(out, "tmp"))
        .tempdir_in(&parent)
        .map_err(|source| ReportError::Unwritable {
            path: parent.clone(),
            source,
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
            source,
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

/// A hidden name next to `out` for temporary folders: `.NAME.KIND-`.
fn temp_prefix(out: &Path, kind: &str) -> String {
    let name = out
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    format!(".{name}.{kind}-{}-", std::process::id())
}
