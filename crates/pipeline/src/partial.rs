//! Partial results on disk: the `partial.json` a shard writes
//! (`run --shard I/N`) and the file of `run --checkpoint FILE`.
//!
//! Both are one JSON document: a [`Header`] that says which command made it
//! (the model's sha256, seed, design, sizes, scenarios, shard, precision
//! target, uchronia version) and the engine's [`Tally`] of the draws done. JSON keeps
//! every `f64` exactly (shortest round-trip form, parsed back with serde_json's
//! `float_roundtrip`), so a merged or resumed report is byte-identical to an
//! unsharded, uninterrupted one. A checkpoint is written atomically: to
//! `FILE.tmp`, flushed to disk, then renamed over `FILE`, so a kill at any
//! moment leaves either the previous checkpoint or the new one.

use std::fs::File;
use std::io::{BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uchronia_engine::{Design, Tally};

use crate::claims::UsedLexicon;
use crate::failure::Failure;
use crate::model::LoadedModel;
use crate::plan::Shard;

/// The format of partial files; a reader refuses any other.
pub const FORMAT: u32 = 1;

/// The name of a shard's partial result inside its folder.
pub const PARTIAL_FILE: &str = "partial.json";

/// What a partial file is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A finished shard, for `uchronia merge`.
    Shard,
    /// An unfinished run, for the same `uchronia run --checkpoint` to resume.
    Checkpoint,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Shard => "a shard's partial result",
            Kind::Checkpoint => "a checkpoint",
        }
    }
}

/// A file the run read, by path and content.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileDigest {
    /// The path as given on the command line.
    pub path: String,
    /// The absolute path, when it could be resolved: `merge` tries it when
    /// `path` does not lead to the file from where it runs.
    pub absolute: Option<String>,
    /// SHA-256 of the file's bytes, lowercase hex.
    pub sha256: String,
}

impl FileDigest {
    /// The digest of the lexicon a run used: the built-in one by its name
    /// (it is no file), another as a file.
    pub fn of_lexicon(used: &UsedLexicon) -> FileDigest {
        if used.name == uchronia_claims::BUILT_IN_NAME {
            FileDigest {
                path: used.name.clone(),
                absolute: None,
                sha256: sha256_hex(used.source.as_bytes()),
            }
        } else {
            FileDigest::of(&used.name, used.source.as_bytes())
        }
    }

    /// The digest of `text`, read from `path`.
    pub fn of(path: &str, text: &[u8]) -> FileDigest {
        FileDigest {
            path: path.to_string(),
            absolute: std::fs::canonicalize(path)
                .ok()
                .map(|p| p.display().to_string()),
            sha256: sha256_hex(text),
        }
    }
}

/// `--shard I/N` as recorded in a header.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShardHeader {
    /// I, from 1 to N.
    pub index: u64,
    /// N.
    pub count: u64,
}

impl From<Shard> for ShardHeader {
    fn from(shard: Shard) -> ShardHeader {
        ShardHeader {
            index: shard.index,
            count: shard.count,
        }
    }
}

/// `--precision E --max-draws D` as recorded in a header.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct PrecisionHeader {
    /// E: the largest half-width allowed.
    pub half_width: f64,
    /// The cap on parameter draws.
    pub max_draws: u64,
}

/// Which command made a partial file: everything that decides its numbers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Header {
    /// [`FORMAT`].
    pub format: u32,
    /// A shard's result or a checkpoint.
    pub kind: Kind,
    /// The uchronia version that wrote it.
    pub uchronia_version: String,
    /// The engine's random stream ([`uchronia_engine::STREAM_VERSION`]):
    /// the same seed gives other numbers in another stream, so files of two
    /// streams never merge. Absent from files written before stream 2,
    /// which read as stream 1.
    #[serde(default = "stream_one")]
    pub stream_version: u32,
    /// The model's name.
    pub model_name: String,
    /// The model file.
    pub model: FileDigest,
    /// The claims files of the run, if any.
    pub claims: Vec<FileDigest>,
    /// The lexicon that judged the claims (`built-in` or a file), when
    /// there are claims. Added after format 1 was fixed: absent from older
    /// files, which `merge` then cannot judge claims from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lexicon: Option<FileDigest>,
    /// The seed.
    pub seed: u64,
    /// D: parameter draws of the whole run (the cap, with a precision target).
    pub draws: u64,
    /// T: trials per draw.
    pub trials_per_draw: u64,
    /// The scenarios, in order.
    pub scenarios: Vec<String>,
    /// The part of the draws, when sharded.
    pub shard: Option<ShardHeader>,
    /// The precision target, if any.
    pub precision: Option<PrecisionHeader>,
    /// How the parameter draws were made (`--design`; `random` in files
    /// written before it existed).
    #[serde(default)]
    pub design: Design,
    /// The command that gives the same report in one process, without its
    /// `--out` (merge adds its own), so that a merged report can say how
    /// to reproduce it. Absent from files written before it was added; not
    /// compared between shards, as it names paths.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub command: Option<String>,
}

/// What the command that writes or reads a header runs.
pub struct HeaderSettings<'a> {
    /// The model.
    pub model: &'a LoadedModel,
    /// The claims files (path and bytes) of the run.
    pub claims: &'a [(String, Vec<u8>)],
    /// The lexicon of the claims, if any.
    pub lexicon: Option<&'a UsedLexicon>,
    /// The seed.
    pub seed: u64,
    /// D.
    pub draws: u64,
    /// T.
    pub trials_per_draw: u64,
    /// The scenarios' names, in order.
    pub scenarios: Vec<String>,
    /// `--shard`.
    pub shard: Option<Shard>,
    /// `--precision` and `--max-draws`.
    pub precision: Option<PrecisionHeader>,
    /// `--design`.
    pub design: Design,
    /// The one-process command, without `--out` ([`Header::command`]).
    pub command: Option<String>,
}

impl Header {
    /// The header of a file written by the command `settings` describe.
    pub fn new(kind: Kind, settings: &HeaderSettings) -> Header {
        Header {
            format: FORMAT,
            kind,
            uchronia_version: crate::VERSION.into(),
            stream_version: uchronia_engine::STREAM_VERSION,
            model_name: settings.model.loaded.model.name.clone(),
            model: FileDigest::of(&settings.model.path, settings.model.source.as_bytes()),
            claims: settings
                .claims
                .iter()
                .map(|(path, bytes)| FileDigest::of(path, bytes))
                .collect(),
            lexicon: settings.lexicon.map(FileDigest::of_lexicon),
            seed: settings.seed,
            draws: settings.draws,
            trials_per_draw: settings.trials_per_draw,
            scenarios: settings.scenarios.clone(),
            shard: settings.shard.map(ShardHeader::from),
            precision: settings.precision,
            design: settings.design,
            command: settings.command.clone(),
        }
    }

    /// How `other` differs from this header in what decides the numbers,
    /// one phrase per difference ("seed 2 there, 1 here"). File paths are
    /// not compared, only contents; the shard index is compared unless
    /// `any_shard_index`.
    pub fn differences(&self, other: &Header, any_shard_index: bool) -> Vec<String> {
        let mut out = Vec::new();
        let mut differ = |what: &str, here: String, there: String| {
            if here != there {
                out.push(format!("{what} {there} there, {here} here"));
            }
        };
        differ("kind", self.kind.name().into(), other.kind.name().into());
        differ(
            "uchronia version",
            self.uchronia_version.clone(),
            other.uchronia_version.clone(),
        );
        differ(
            "random stream",
            self.stream_version.to_string(),
            other.stream_version.to_string(),
        );
        differ("model", self.model_name.clone(), other.model_name.clone());
        differ(
            "model sha256",
            self.model.sha256.clone(),
            other.model.sha256.clone(),
        );
        let claims = |h: &Header| {
            let list: Vec<&str> = h.claims.iter().map(|c| c.sha256.as_str()).collect();
            format!("[{}]", list.join(", "))
        };
        differ("claims files' sha256", claims(self), claims(other));
        let lexicon = |h: &Header| {
            h.lexicon
                .as_ref()
                .map_or_else(|| "none".to_string(), |l| l.sha256.clone())
        };
        differ("lexicon sha256", lexicon(self), lexicon(other));
        differ("seed", self.seed.to_string(), other.seed.to_string());
        differ(
            "design",
            self.design.name().into(),
            other.design.name().into(),
        );
        differ("draws", self.draws.to_string(), other.draws.to_string());
        differ(
            "trials per draw",
            self.trials_per_draw.to_string(),
            other.trials_per_draw.to_string(),
        );
        differ(
            "scenarios",
            self.scenarios.join(","),
            other.scenarios.join(","),
        );
        let shard = |h: &Header| match h.shard {
            None => "none".to_string(),
            Some(s) if any_shard_index => format!("?/{}", s.count),
            Some(s) => format!("{}/{}", s.index, s.count),
        };
        differ("shard", shard(self), shard(other));
        let precision = |h: &Header| match h.precision {
            None => "none".to_string(),
            Some(p) => format!("{} (max draws {})", p.half_width, p.max_draws),
        };
        differ("precision target", precision(self), precision(other));
        out
    }
}

/// A partial file: its header, the tally of the draws done, and what they cost.
#[derive(Serialize, Deserialize)]
pub struct Partial {
    /// Which command made it.
    pub header: Header,
    /// Wall-clock seconds the engine spent on these draws (over all resumes).
    pub elapsed_seconds: f64,
    /// Worker threads of the (last) process that ran them.
    pub threads: usize,
    /// The tally of the draws done.
    pub tally: Tally,
}

/// Just enough of a partial file to refuse another format with a clear
/// message before reading the tally.
#[derive(Deserialize)]
struct Peek {
    header: PeekHeader,
}

#[derive(Deserialize)]
struct PeekHeader {
    format: u32,
    uchronia_version: String,
}

/// The random stream of a file that does not say: the one before streams
/// were numbered.
fn stream_one() -> u32 {
    1
}

/// Writes `partial` to `path` atomically: `path.tmp`, flushed to disk, then
/// renamed over `path`.
pub fn write_atomic(path: &Path, partial: &Partial) -> Result<(), Failure> {
    write_file(path, partial)
        .map_err(|error| Failure::other(format!("cannot write {}: {error}", path.display())))
}

/// [`write_atomic`] with the system's error.
pub fn write_file(path: &Path, partial: &Partial) -> std::io::Result<()> {
    let mut temp_name = path.as_os_str().to_owned();
    temp_name.push(".tmp");
    let temp = PathBuf::from(temp_name);
    let mut writer = BufWriter::with_capacity(1 << 20, File::create(&temp)?);
    serde_json::to_writer(&mut writer, partial)?;
    writer.write_all(b"\n")?;
    let file = writer.into_inner().map_err(|error| error.into_error())?;
    file.sync_all()?;
    drop(file);
    std::fs::rename(&temp, path)?;
    // Make the rename itself durable; where folders cannot be opened this is
    // best effort.
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty())
        && let Ok(folder) = File::open(parent)
    {
        let _ = folder.sync_all();
    }
    Ok(())
}

/// Reads a partial file. Every problem is bad input (exit status 2) with a
/// message naming the file.
pub fn read(path: &Path) -> Result<Partial, Failure> {
    let shown = path.display();
    let open = || {
        File::open(path)
            .map(|file| BufReader::with_capacity(1 << 20, file))
            .map_err(|error| Failure::input(format!("cannot read {shown}: {error}")))
    };
    let peek: Peek = serde_json::from_reader(open()?).map_err(|error| {
        Failure::input(format!(
            "{shown} is not a uchronia partial result (a shard's partial.json or a checkpoint): {error}"
        ))
    })?;
    if peek.header.format != FORMAT {
        return Err(Failure::input(format!(
            "{shown} has format {} (written by uchronia {}); this uchronia {} reads format {FORMAT} only: rerun it with this version",
            peek.header.format,
            peek.header.uchronia_version,
            crate::VERSION
        )));
    }
    let partial: Partial = serde_json::from_reader(open()?).map_err(|error| {
        Failure::input(format!("{shown} is damaged (it does not parse): {error}"))
    })?;
    let header = &partial.header;
    let tally = &partial.tally;
    let expected = header.scenarios.len();
    if tally.seed != header.seed
        || tally.design != header.design
        || tally.draws != header.draws
        || tally.trials_per_draw != header.trials_per_draw
        || tally.scenarios.len() != expected
        || tally.scenarios.iter().any(|s| {
            s.draws.len() as u64 != tally.draw_range.end.saturating_sub(tally.draw_range.start)
        })
    {
        return Err(Failure::input(format!(
            "{shown} is damaged: its tally does not match its header"
        )));
    }
    Ok(partial)
}

/// Lowercase hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}
