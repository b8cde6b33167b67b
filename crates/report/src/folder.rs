//! The report folder: written atomically, and never over a user's files.
//!
//! Everything is written into a temporary sibling of the target, which is
//! then renamed into place. A failed or interrupted write therefore never
//! leaves a half-written report, and never touches the previous one: the
//! temporary folder is removed on any error (it is a [`tempfile::TempDir`]),
//! and the old report is only moved aside once the new one is complete, then
//! deleted.
//!
//! Replacing a folder whole is right for a report and wrong for anything
//! else, so every report carries a manifest ([`MANIFEST_FILE`]) of the files
//! uchronia wrote into it. A folder may be replaced only when it is absent,
//! empty, or holds nothing but the files of its manifest (and the folders a
//! merge carries over into the new report); anything else is a user's file,
//! and the command is refused before it runs. So is a folder that holds an
//! input of the command (the model, a claims file, the lexicon, ...), even
//! one listed on a manifest.
//!
//! A process killed outright (SIGKILL, a power cut, a full disk's SIGXFSZ)
//! cannot clean up after itself. So [`check_out`] and [`replace_dir`] first
//! look for what a dead run left next to `out` (folders named after a
//! process that no longer exists): its temporary folders are removed, and a
//! previous report it had moved aside is put back when `out` is missing.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use crate::ReportError;

/// The manifest every report folder carries: the files uchronia wrote there,
/// one path a line (relative, `/`-separated, sorted), after a comment that
/// says what the file is for.
pub const MANIFEST_FILE: &str = "uchronia-manifest.txt";

/// The manifest's opening lines (each starts with `#`).
const MANIFEST_HEADER: &str = "\
# Written by uchronia: the files it wrote in this folder, one a line.
# A later run with --out this folder replaces exactly these files, and
# refuses to write here at all while the folder holds anything else.
";

/// Checks that `out` can be a report folder, before any work is done: it is
/// not a file, it has a name, it holds none of `inputs` (the files the
/// command reads) and nothing but an earlier report (see [`MANIFEST_FILE`])
/// apart from the `carried` folders (relative to `out`: a merge's shards,
/// copied into the new report by [`replace_dir_carrying`]), and its parent
/// folder exists (it is created if needed) and accepts new entries (a
/// temporary folder is made and removed).
pub fn check_out(out: &Path, inputs: &[PathBuf], carried: &[PathBuf]) -> Result<(), ReportError> {
    // A merge's shards are inputs inside `out`, carried into the new report.
    let carried_inside: Vec<PathBuf> = carried.iter().map(|c| out.join(c)).collect();
    let replaced: Vec<PathBuf> = (inputs.iter())
        .filter(|input| !carried_inside.iter().any(|c| inside(input, c)))
        .cloned()
        .collect();
    let parent = parent_of(out)?;
    if let Some(input) = input_inside(out, &replaced) {
        return Err(ReportError::HoldsInput {
            out: out.to_path_buf(),
            input,
        });
    }
    recover_stale(out, &parent);
    ensure_replaceable(out, carried)?;
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
/// it succeeds, the folder gets its manifest and becomes `out` (a previous
/// `out` is moved aside, then deleted); when it fails, or when anything here
/// fails, the temporary folder is removed and a previous `out` is left as it
/// was. A previous `out` that holds anything but an earlier report is never
/// replaced ([`ReportError::Foreign`]).
pub fn replace_dir(
    out: &Path,
    fill: impl FnOnce(&Path) -> Result<(), ReportError>,
) -> Result<(), ReportError> {
    replace_dir_carrying(out, &[], fill)
}

/// [`replace_dir`], copying the files of the `carried` folders of the
/// previous `out` (relative to it: the shard folders a merge read from
/// there) into the new report, so that replacing `out` loses none of them.
pub fn replace_dir_carrying(
    out: &Path,
    carried: &[PathBuf],
    fill: impl FnOnce(&Path) -> Result<(), ReportError>,
) -> Result<(), ReportError> {
    let parent = parent_of(out)?;
    recover_stale(out, &parent);
    ensure_replaceable(out, carried)?;
    let temp = tempfile::Builder::new()
        .prefix(&temp_prefix(out, "tmp"))
        .tempdir_in(&parent)
        .map_err(|source| ReportError::Unwritable {
            path: parent.clone(),
            source: without_temp_path(source),
        })?;
    fill(temp.path())?;
    for folder in carried {
        copy_files(&out.join(folder), &temp.path().join(folder))?;
    }
    write_manifest(temp.path())?;
    // Checked again at the last moment: a file the user saved into `out`
    // while the report was being written is theirs too.
    ensure_replaceable(out, carried)?;

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

/// Refuses `out` when it holds anything but an earlier report: a file or
/// folder that is neither on its manifest nor inside a `carried` folder.
/// An absent or empty folder is fine.
fn ensure_replaceable(out: &Path, carried: &[PathBuf]) -> Result<(), ReportError> {
    if !out.is_dir() {
        return Ok(());
    }
    let manifest = read_manifest(out);
    let listed = manifest.clone().unwrap_or_default();
    // Every folder on the way to a listed file is the report's too.
    let mut folders: BTreeSet<String> = BTreeSet::new();
    for file in &listed {
        let mut at = 0;
        while let Some(slash) = file[at..].find('/') {
            folders.insert(file[..at + slash].to_string());
            at += slash + 1;
        }
    }
    let carried: Vec<String> = carried.iter().map(|c| relative_name(c)).collect();
    let foreign = first_foreign(out, "", &|relative: &str, is_dir: bool| {
        relative == MANIFEST_FILE && manifest.is_some()
            || listed.contains(relative)
            || is_dir && folders.contains(relative)
            || carried
                .iter()
                .any(|c| relative == c || relative.starts_with(&format!("{c}/")))
    })
    .map_err(|source| ReportError::Io {
        path: out.to_path_buf(),
        source,
    })?;
    match foreign {
        None => Ok(()),
        Some(file) => Err(ReportError::Foreign {
            out: out.to_path_buf(),
            file: PathBuf::from(file),
            // A report of uchronia 0.1, written before manifests.
            unlisted_report: manifest.is_none() && out.join("run.json").is_file(),
        }),
    }
}

/// The first entry under `dir` (depth first, by name) that `ours` does not
/// accept, as a `/`-separated path relative to the report folder. Folders
/// that `ours` accepts are not entered (their contents are accepted too);
/// links are never followed.
fn first_foreign(
    dir: &Path,
    prefix: &str,
    ours: &dyn Fn(&str, bool) -> bool,
) -> std::io::Result<Option<String>> {
    let mut entries: Vec<(String, PathBuf, bool)> = Vec::new();
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let is_dir = entry.file_type()?.is_dir();
        entries.push((format!("{prefix}{name}"), entry.path(), is_dir));
    }
    entries.sort();
    for (relative, path, is_dir) in entries {
        if ours(&relative, false) {
            continue;
        }
        if !is_dir {
            return Ok(Some(relative));
        }
        // A folder is the report's when a listed file lies inside it; then
        // what else it holds is judged file by file.
        if !ours(&relative, true) {
            return Ok(Some(format!("{relative}/")));
        }
        if let Some(found) = first_foreign(&path, &format!("{relative}/"), ours)? {
            return Ok(Some(found));
        }
    }
    Ok(None)
}

/// The files a report's manifest lists, or `None` when the folder has no
/// manifest (or one that cannot be read: then nothing in it is ours).
fn read_manifest(out: &Path) -> Option<BTreeSet<String>> {
    let text = fs::read_to_string(out.join(MANIFEST_FILE)).ok()?;
    Some(
        text.lines()
            .filter(|line| !line.is_empty() && !line.starts_with('#'))
            .map(str::to_string)
            .collect(),
    )
}

/// Writes the manifest of the finished report folder `dir`: every file in
/// it (and in its subfolders), by relative path.
fn write_manifest(dir: &Path) -> Result<(), ReportError> {
    let mut files = Vec::new();
    list_files(dir, "", &mut files).map_err(|source| ReportError::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    files.sort();
    let mut text = String::from(MANIFEST_HEADER);
    for file in files {
        text.push_str(&file);
        text.push('\n');
    }
    let path = dir.join(MANIFEST_FILE);
    fs::write(&path, text).map_err(|source| ReportError::Io { path, source })
}

/// Appends every file under `dir` to `files`, as `prefix` + relative path.
fn list_files(dir: &Path, prefix: &str, files: &mut Vec<String>) -> std::io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let name = format!("{prefix}{}", entry.file_name().to_string_lossy());
        if entry.file_type()?.is_dir() {
            list_files(&entry.path(), &format!("{name}/"), files)?;
        } else if name != MANIFEST_FILE {
            files.push(name);
        }
    }
    Ok(())
}

/// A relative path as the manifest writes it (`/`-separated).
fn relative_name(path: &Path) -> String {
    let parts: Vec<String> = path
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    parts.join("/")
}

/// The first of `inputs` that lies inside `out` (at any depth), when `out`
/// exists. Paths are compared resolved, so `./m.toml` and links count.
fn input_inside(out: &Path, inputs: &[PathBuf]) -> Option<PathBuf> {
    let out = fs::canonicalize(out).ok()?;
    inputs.iter().find_map(|input| {
        resolved(input)
            .filter(|path| path.starts_with(&out))
            .map(|_| input.clone())
    })
}

/// Whether `path` lies inside the folder `folder` (both resolved).
fn inside(path: &Path, folder: &Path) -> bool {
    match (resolved(path), fs::canonicalize(folder)) {
        (Some(path), Ok(folder)) => path.starts_with(folder),
        _ => false,
    }
}

/// `path` with links and `..` resolved; a file that does not exist yet (a
/// checkpoint still to be written) is resolved through its folder.
fn resolved(path: &Path) -> Option<PathBuf> {
    if let Ok(path) = fs::canonicalize(path) {
        return Some(path);
    }
    let name = path.file_name()?;
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    Some(fs::canonicalize(folder).ok()?.join(name))
}

/// Copies the files (not subfolders) of `from` into `to`, created.
fn copy_files(from: &Path, to: &Path) -> Result<(), ReportError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| ReportError::Io { path, source }
    };
    fs::create_dir_all(to).map_err(io(to))?;
    for entry in fs::read_dir(from).map_err(io(from))? {
        let entry = entry.map_err(io(from))?;
        if entry.file_type().map_err(io(&entry.path()))?.is_file() {
            fs::copy(entry.path(), to.join(entry.file_name())).map_err(io(&entry.path()))?;
        }
    }
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
