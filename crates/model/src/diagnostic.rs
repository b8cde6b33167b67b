//! Diagnostics: a message tied to a place in the model file, shown the way
//! compilers show them (`path:line:column: error: message`, the source line,
//! carets under the offending text, then a `help:` line).
//!
//! A diagnostic computes its line, column and source line when it is made, so
//! that it can be displayed without the source text at hand.

use std::fmt;

use crate::ir::Span;

/// How serious a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    /// The model is invalid.
    Error,
    /// The model is valid but something deserves a look (a missing `doc`, say).
    Warning,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        })
    }
}

/// Which check a warning comes from. `--strict` makes every warning an error
/// except those whose check is not [`Check::strict`]: the notes on sourcing,
/// which starter models carry on purpose until their author finds sources.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Check {
    /// Anything not named below (a missing `doc`, an empty model, ...).
    #[default]
    General,
    /// A probability, weight or distribution argument that can leave its
    /// domain (the range analysis).
    Range,
    /// A node that feeds no outcome, or a param that nothing reads.
    DeadEnd,
    /// A node that reads a parent decided later than itself (`year`).
    Chronology,
    /// A source that is missing or unresolved: a note, never a strict error.
    Sourcing,
}

impl Check {
    /// Whether `--strict` turns warnings of this check into errors.
    pub fn strict(self) -> bool {
        !matches!(self, Check::Sourcing)
    }
}

/// One error or warning about a model file.
#[derive(Clone, Debug, PartialEq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// What is wrong, in one sentence without a final full stop.
    pub message: String,
    /// The file, as the caller named it.
    pub path: String,
    /// The offending bytes of the source, when there are any.
    pub span: Option<Span>,
    /// 1-based line of the span's start.
    pub line: usize,
    /// 1-based column (in characters) of the span's start.
    pub column: usize,
    /// How to fix it, when there is something useful to say.
    pub hint: Option<String>,
    /// The text of the line the span starts on (without its line break);
    /// on a very long line, only a window of it around the column.
    pub source_line: String,
    /// Characters of the line cut before `source_line` (0 unless the line
    /// was longer than [`MAX_KEPT`] characters). Added in the hardening
    /// work, so that a diagnostic about a line of megabytes stays small.
    pub source_line_from: usize,
    /// The check a warning comes from (meaningless for errors).
    pub check: Check,
    /// Other places the message names, shown after the source line (added
    /// so that a run-time error can point at an expression and still say
    /// which node holds it).
    pub notes: Vec<Note>,
}

/// A second place a diagnostic names, as `note: path:line:column: message`.
#[derive(Clone, Debug, PartialEq)]
pub struct Note {
    /// What is there, in a few words.
    pub message: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column (in characters).
    pub column: usize,
}

impl Diagnostic {
    /// A diagnostic about `span` of `source` (the whole file).
    pub fn new(
        severity: Severity,
        path: &str,
        source: &str,
        span: Option<Span>,
        message: impl Into<String>,
        hint: Option<String>,
    ) -> Diagnostic {
        Diagnostic::with_index(
            severity,
            path,
            source,
            &LineIndex::new(source),
            span,
            message,
            hint,
        )
    }

    /// [`Diagnostic::new`] with the line index of `source` made once by the
    /// caller: a file with thousands of diagnostics (a warning for every
    /// undocumented node) must not rescan the text for each.
    pub fn with_index(
        severity: Severity,
        path: &str,
        source: &str,
        index: &LineIndex,
        span: Option<Span>,
        message: impl Into<String>,
        hint: Option<String>,
    ) -> Diagnostic {
        let located = match span {
            Some(span) => index.locate(source, span.start),
            None => Located {
                line: 1,
                column: 1,
                text: String::new(),
                from: 0,
            },
        };
        Diagnostic {
            severity,
            message: message.into(),
            path: path.to_string(),
            span,
            line: located.line,
            column: located.column,
            hint,
            source_line: located.text,
            source_line_from: located.from,
            check: Check::General,
            notes: Vec::new(),
        }
    }

    /// The same diagnostic with a note about `span` of `source`.
    pub fn with_note(mut self, source: &str, span: Span, message: impl Into<String>) -> Diagnostic {
        let located = LineIndex::new(source).locate(source, span.start);
        self.notes.push(Note {
            message: message.into(),
            line: located.line,
            column: located.column,
        });
        self
    }

    /// The same diagnostic, marked as coming from `check`.
    pub fn from_check(mut self, check: Check) -> Diagnostic {
        self.check = check;
        self
    }

    /// Whether this fails a `--strict` check: every error, and every warning
    /// of a strict [`Check`].
    pub fn fails_strict(&self) -> bool {
        self.severity == Severity::Error || self.check.strict()
    }

    /// The column's index (0-based, in characters) within `source_line`.
    fn column_in_kept(&self) -> usize {
        self.column
            .saturating_sub(1)
            .saturating_sub(self.source_line_from)
    }

    /// Number of carets to draw under the source line: the span's length in
    /// characters, cut at the end of the line, at least one.
    fn caret_count(&self) -> usize {
        let Some(span) = self.span else { return 0 };
        let rest: String = self
            .source_line
            .chars()
            .skip(self.column_in_kept())
            .collect();
        let wanted = span.end.saturating_sub(span.start);
        // Count characters covering `wanted` bytes, stopping at the line end.
        let mut bytes = 0;
        let mut chars = 0;
        for c in rest.chars() {
            if bytes >= wanted {
                break;
            }
            bytes += c.len_utf8();
            chars += 1;
        }
        chars.max(1)
    }
}

/// Longest source line shown whole; longer ones are cut around the column.
const MAX_SHOWN: usize = 120;

/// Longest source line kept whole in a diagnostic; of a longer one, a window
/// of this many characters around the column is kept (wider than
/// [`MAX_SHOWN`], so that the display can still tell a cut end).
pub const MAX_KEPT: usize = 1000;

/// Where each line of a text starts, and whether it is ASCII, so that a byte
/// offset becomes a line in O(log n) and a column in O(1) on ASCII lines.
#[derive(Clone, Debug)]
pub struct LineIndex {
    /// Byte offset of each line's first byte.
    starts: Vec<usize>,
    /// Whether each line is ASCII (its columns are byte offsets).
    ascii: Vec<bool>,
}

/// A place in the source, for a diagnostic.
struct Located {
    line: usize,
    column: usize,
    text: String,
    from: usize,
}

impl LineIndex {
    /// Indexes `source` (one pass).
    pub fn new(source: &str) -> LineIndex {
        let mut starts = vec![0];
        let mut ascii = Vec::new();
        let mut line_ascii = true;
        for (i, byte) in source.bytes().enumerate() {
            if byte == b'\n' {
                starts.push(i + 1);
                ascii.push(line_ascii);
                line_ascii = true;
            } else if !byte.is_ascii() {
                line_ascii = false;
            }
        }
        ascii.push(line_ascii);
        LineIndex { starts, ascii }
    }

    /// The line (1-based) of byte `offset`.
    pub fn line(&self, offset: usize) -> usize {
        // The number of line starts at or before `offset`; the first is 0.
        self.starts.partition_point(|&s| s <= offset)
    }

    /// Line (1-based), column (1-based, in characters) and the kept text of
    /// the line of `offset` (all of it, or a window on a very long line).
    fn locate(&self, source: &str, offset: usize) -> Located {
        let mut offset = offset.min(source.len());
        while !source.is_char_boundary(offset) {
            offset -= 1;
        }
        // The last line start at or before `offset`.
        let line_index = self.starts.partition_point(|&s| s <= offset) - 1;
        let line_start = self.starts[line_index];
        let line_end = self
            .starts
            .get(line_index + 1)
            .map_or(source.len(), |&next| next - 1);
        let line_text = source[line_start..line_end].trim_end_matches('\r');
        let ascii = self.ascii[line_index];
        let column_index = if ascii {
            offset - line_start
        } else {
            source[line_start..offset].chars().count()
        };
        let length = if ascii {
            line_text.len()
        } else {
            line_text.chars().count()
        };
        let (from, text) = if length <= MAX_KEPT {
            (0, line_text.to_string())
        } else {
            let from = column_index.saturating_sub(MAX_KEPT / 2);
            let to = (from + MAX_KEPT).min(length);
            let text = if ascii {
                line_text[from..to].to_string()
            } else {
                line_text.chars().skip(from).take(to - from).collect()
            };
            (from, text)
        };
        Located {
            line: line_index + 1,
            column: column_index + 1,
            text,
            from,
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}: {}",
            self.path, self.line, self.column, self.severity, self.message
        )?;
        if self.span.is_some() {
            let number = self.line.to_string();
            let gutter = " ".repeat(number.len());
            // Tabs would shift the carets; show them as single spaces.
            let chars: Vec<char> = self
                .source_line
                .chars()
                .map(|c| if c == '\t' { ' ' } else { c })
                .collect();
            // A very long line is shown as a window around the column.
            let column = self.column_in_kept();
            let (from, to) = if chars.len() > MAX_SHOWN {
                let from = column.saturating_sub(MAX_SHOWN / 2);
                (from, (from + MAX_SHOWN).min(chars.len()))
            } else {
                (0, chars.len())
            };
            let before = if from > 0 || self.source_line_from > 0 {
                "..."
            } else {
                ""
            };
            let after = if to < chars.len() { "..." } else { "" };
            let shown: String = chars[from..to].iter().collect();
            write!(
                f,
                "\n{gutter} |\n{number} | {before}{shown}{after}\n{gutter} | "
            )?;
            let pad = " ".repeat(column.saturating_sub(from) + before.len());
            let carets = self.caret_count().min(to.saturating_sub(column).max(1));
            write!(f, "{pad}{}", "^".repeat(carets))?;
        }
        for note in &self.notes {
            write!(
                f,
                "\n  note: {}:{}:{}: {}",
                self.path, note.line, note.column, note.message
            )?;
        }
        if let Some(hint) = &self.hint {
            write!(f, "\n  help: {hint}")?;
        }
        Ok(())
    }
}

/// Every error found in a model file (at least one), in source order.
#[derive(Clone, Debug, PartialEq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, diagnostic) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("\n\n")?;
            }
            write!(f, "{diagnostic}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}
