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
    /// The text of the line the span starts on (without its line break).
    pub source_line: String,
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
        let (line, column, source_line) = match span {
            Some(span) => locate(source, span.start),
            None => (1, 1, String::new()),
        };
        Diagnostic {
            severity,
            message: message.into(),
            path: path.to_string(),
            span,
            line,
            column,
            hint,
            source_line,
        }
    }

    /// Number of carets to draw under the source line: the span's length in
    /// characters, cut at the end of the line, at least one.
    fn caret_count(&self) -> usize {
        let Some(span) = self.span else { return 0 };
        let rest: String = self
            .source_line
            .chars()
            .skip(self.column.saturating_sub(1))
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

/// Line (1-based), column (1-based, in characters) and line text of `offset`.
fn locate(source: &str, offset: usize) -> (usize, usize, String) {
    let mut offset = offset.min(source.len());
    while !source.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &source[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let line_end = source[offset..]
        .find('\n')
        .map_or(source.len(), |i| offset + i);
    let text = source[line_start..line_end].trim_end_matches('\r');
    let column = source[line_start..offset].chars().count() + 1;
    (line, column, text.to_string())
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
            let (from, to) = if chars.len() > MAX_SHOWN {
                let from = (self.column.saturating_sub(1)).saturating_sub(MAX_SHOWN / 2);
                (from, (from + MAX_SHOWN).min(chars.len()))
            } else {
                (0, chars.len())
            };
            let before = if from > 0 { "..." } else { "" };
            let after = if to < chars.len() { "..." } else { "" };
            let shown: String = chars[from..to].iter().collect();
            write!(
                f,
                "\n{gutter} |\n{number} | {before}{shown}{after}\n{gutter} | "
            )?;
            let pad = " ".repeat(self.column.saturating_sub(1) - from + before.len());
            let carets = self
                .caret_count()
                .min(to.saturating_sub(self.column.saturating_sub(1)).max(1));
            write!(f, "{pad}{}", "^".repeat(carets))?;
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
