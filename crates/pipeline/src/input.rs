//! Reading the text files users give: models, claims files, the lexicon,
//! history files. One function, so that every kind of file is refused the
//! same way when it is not what it should be: a folder, a file larger than
//! [`MAX_TEXT_BYTES`] (read no further, so `/dev/zero` cannot fill memory),
//! bytes that are not UTF-8, or a NUL byte (a binary file that happens to be
//! valid UTF-8). Each message names the file and, for bad bytes, the line and
//! column of the first one.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::failure::Failure;

/// The largest text file read: the model loader's own limit, which the
/// claims files, the lexicon and history files share.
pub const MAX_TEXT_BYTES: usize = uchronia_model::MAX_SOURCE_BYTES;

/// Every file this process has read as input, in order: a command's output
/// folder must not hold any of them (`uchronia_report::check_out`).
static FILES_READ: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Notes that the command reads (or will write and read back) `path`, so
/// that no output folder may hold it. [`read_text`] notes every file it reads.
pub fn note_input(path: &Path) {
    if let Ok(mut files) = FILES_READ.lock() {
        files.push(path.to_path_buf());
    }
}

/// The files noted by [`note_input`] so far.
pub fn files_read() -> Vec<PathBuf> {
    FILES_READ
        .lock()
        .map(|files| files.clone())
        .unwrap_or_default()
}

/// Reads `path` as UTF-8 text. `what` names the kind of file in messages
/// (`model`, `claims file`, ...); `advice` is appended to the message when
/// the file cannot be opened or read. Every failure is bad input (exit 2).
pub fn read_text(path: &Path, what: &str, advice: &str) -> Result<String, Failure> {
    note_input(path);
    let shown = path.display();
    let cannot =
        |reason: String| Failure::input(format!("cannot read {what} {shown}: {reason}{advice}"));
    if path.is_dir() {
        return Err(cannot("it is a folder, not a file".to_string()));
    }
    let file = std::fs::File::open(path).map_err(|error| cannot(error.to_string()))?;
    let mut bytes = Vec::new();
    // One byte past the limit tells a file at the limit from a larger one.
    file.take(MAX_TEXT_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|error| cannot(error.to_string()))?;
    if bytes.len() > MAX_TEXT_BYTES {
        return Err(Failure::input(format!(
            "{what} {shown} is larger than {} MiB, the limit: is it the right file?",
            MAX_TEXT_BYTES >> 20
        )));
    }
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(error) => {
            let valid = error.utf8_error().valid_up_to();
            let bytes = error.as_bytes();
            let (line, column) = line_column(&bytes[..valid]);
            return Err(Failure::input(format!(
                "{what} {shown} is not UTF-8 text: byte 0x{:02X} at line {line}, column {column} (is it a binary file, or saved in another encoding?)",
                bytes[valid]
            )));
        }
    };
    if let Some(at) = text.find('\0') {
        let (line, column) = line_column(&text.as_bytes()[..at]);
        return Err(Failure::input(format!(
            "{what} {shown} is not text: a NUL byte at line {line}, column {column} (is it a binary file?)"
        )));
    }
    Ok(text)
}

/// 1-based line and column (in characters) just after `before`, valid UTF-8.
fn line_column(before: &[u8]) -> (usize, usize) {
    let text = String::from_utf8_lossy(before);
    let line = text.matches('\n').count() + 1;
    let column = text.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(bytes: &[u8]) -> Result<String, Failure> {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let path = dir.path().join("file.toml");
        std::fs::write(&path, bytes).expect("written");
        read_text(&path, "model", "")
    }

    #[test]
    fn text_is_read_whole() {
        assert_eq!(
            read("a = 1\né = 2\n".as_bytes()).expect("text"),
            "a = 1\né = 2\n"
        );
        assert_eq!(read(b"").expect("empty text"), "");
    }

    #[test]
    fn bad_bytes_are_named_with_their_line_and_column() {
        let failure = read(b"a = 1\nb = \"\xc3\xa9\xff\"\n").expect_err("not UTF-8");
        assert_eq!(failure.status, 2);
        assert!(
            failure
                .message
                .contains("is not UTF-8 text: byte 0xFF at line 2, column 7"),
            "{}",
            failure.message
        );
        let failure = read(b"a = 1\0").expect_err("binary");
        assert!(
            failure.message.contains("a NUL byte at line 1, column 6"),
            "{}",
            failure.message
        );
    }

    #[test]
    fn a_folder_is_refused() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let failure = read_text(dir.path(), "model", "").expect_err("a folder");
        assert!(
            failure.message.ends_with("it is a folder, not a file"),
            "{}",
            failure.message
        );
    }

    #[test]
    fn an_endless_file_is_refused_at_the_limit() {
        let failure = read_text(Path::new("/dev/zero"), "model", "").expect_err("too large");
        assert!(
            failure.message.contains("larger than 16 MiB"),
            "{}",
            failure.message
        );
    }
}
