//! The spanned TOML reader that every input file of uchronia goes through:
//! models (`raw/read.rs`), claims files and the lexicon, and history files
//! (`uchronia-claims`). It parses the document with its spans, and its typed
//! getters report a wrong type, an unknown key (with the nearest valid one),
//! a missing key or a non-finite number as a [`Diagnostic`] at its place in
//! the file, then keep going, so that one read reports every mistake.

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::diagnostic::{Diagnostic, Diagnostics, LineIndex, Severity};
use crate::ir::Span;
use crate::suggest;

/// Most errors one file records; past it, they are only counted. A hostile
/// file can hold millions of mistakes, and nobody reads past the first few.
pub const MAX_ERRORS: usize = 100;

/// Most warnings one file records; past it, they are only counted.
pub const MAX_WARNINGS: usize = 1000;

/// Collects the diagnostics of one file as the reader goes.
pub struct Sink<'s> {
    path: &'s str,
    source: &'s str,
    index: LineIndex,
    /// Errors so far (at most [`MAX_ERRORS`]).
    pub errors: Vec<Diagnostic>,
    /// Warnings so far (at most [`MAX_WARNINGS`]).
    pub warnings: Vec<Diagnostic>,
    /// Errors found past [`MAX_ERRORS`], not recorded.
    pub more_errors: usize,
    /// Warnings found past [`MAX_WARNINGS`], not recorded.
    pub more_warnings: usize,
}

impl<'s> Sink<'s> {
    /// A sink for the file `path` whose text is `source`.
    pub fn new(path: &'s str, source: &'s str) -> Sink<'s> {
        Sink {
            path,
            source,
            index: LineIndex::new(source),
            errors: Vec::new(),
            warnings: Vec::new(),
            more_errors: 0,
            more_warnings: 0,
        }
    }

    /// The file's text.
    pub fn source(&self) -> &'s str {
        self.source
    }

    /// The 1-based line of byte `offset` (for "the first is on line N").
    pub fn line_of(&self, offset: usize) -> usize {
        self.index.line(offset)
    }

    fn diagnostic(
        &self,
        severity: Severity,
        span: Option<Span>,
        message: impl Into<String>,
        hint: Option<String>,
    ) -> Diagnostic {
        Diagnostic::with_index(
            severity,
            self.path,
            self.source,
            &self.index,
            span,
            message,
            hint,
        )
    }

    /// Records an error at `span`.
    pub fn error(&mut self, span: Span, message: impl Into<String>, hint: Option<String>) {
        self.push_error(Some(span), message, hint);
    }

    /// Records an error with no place in the file.
    pub fn error_nowhere(&mut self, message: impl Into<String>, hint: Option<String>) {
        self.push_error(None, message, hint);
    }

    fn push_error(&mut self, span: Option<Span>, message: impl Into<String>, hint: Option<String>) {
        if self.errors.len() >= MAX_ERRORS {
            self.more_errors += 1;
            return;
        }
        let d = self.diagnostic(Severity::Error, span, message, hint);
        self.errors.push(d);
    }

    /// Records a warning.
    pub fn warn(&mut self, span: Span, message: impl Into<String>, hint: Option<String>) {
        if self.warnings.len() >= MAX_WARNINGS {
            self.more_warnings += 1;
            return;
        }
        let d = self.diagnostic(Severity::Warning, Some(span), message, hint);
        self.warnings.push(d);
    }

    /// A diagnostic with no place in the file (for summaries).
    pub fn note(&self, severity: Severity, message: impl Into<String>) -> Diagnostic {
        self.diagnostic(severity, None, message, None)
    }

    /// The errors in source order (those without a place first, repeats
    /// dropped, the count of unrecorded ones last), or `Ok` when there are
    /// none. For files without warnings (claims, lexicon, history).
    pub fn finish(self) -> Result<(), Diagnostics> {
        if self.errors.is_empty() {
            return Ok(());
        }
        let more = (self.more_errors > 0).then(|| {
            self.note(
                Severity::Error,
                format!(
                    "{} more errors not shown (only the first {MAX_ERRORS} are)",
                    self.more_errors
                ),
            )
        });
        let mut errors = self.errors;
        errors.sort_by_key(|d| d.span.map_or(0, |s| s.start));
        errors.dedup();
        errors.extend(more);
        Err(Diagnostics(errors))
    }
}

/// Parses `source` as a TOML document; a syntax error is one diagnostic.
pub fn parse_document<'i>(
    path: &str,
    source: &'i str,
) -> Result<Spanned<DeTable<'i>>, Diagnostics> {
    DeTable::parse(source).map_err(|error| {
        let span = error.span().map(|r| Span {
            start: r.start,
            end: r.end,
        });
        let message = format!("invalid TOML: {}", error.message().trim());
        Diagnostics(vec![Diagnostic::new(
            Severity::Error,
            path,
            source,
            span,
            message,
            None,
        )])
    })
}

/// A TOML value with its span.
pub type Value<'i> = Spanned<DeValue<'i>>;

/// The span of a spanned TOML item.
pub fn span<T>(item: &Spanned<T>) -> Span {
    let range = item.span();
    Span {
        start: range.start,
        end: range.end,
    }
}

/// How a TOML value's type reads in a message.
pub fn type_name(value: &DeValue) -> &'static str {
    match value {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) | DeValue::Float(_) => "a number",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date",
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
    }
}

/// The number in a TOML integer or float; `None` for other types and for
/// non-finite floats (reported once, by [`report_non_finite`]).
pub fn number_of(value: &DeValue) -> Option<f64> {
    match value {
        // TOML integers are 64-bit; larger ones are reported by
        // `report_non_finite`.
        DeValue::Integer(i) => i64::from_str_radix(i.as_str(), i.radix())
            .ok()
            .map(|i| i as f64),
        DeValue::Float(f) => f.as_str().parse::<f64>().ok().filter(|x| x.is_finite()),
        _ => None,
    }
}

/// Reports every `inf` and `nan` in the document, every float too large
/// for an f64 (`1e400`), and every integer that does not fit in 64 bits
/// (which the TOML reader keeps as text). The getters then skip such
/// numbers silently, knowing they were reported here once.
pub fn report_non_finite(sink: &mut Sink, root: &DeTable) {
    let mut stack: Vec<&Value> = root.values().collect();
    while let Some(value) = stack.pop() {
        match value.get_ref() {
            DeValue::Float(f) if number_of(value.get_ref()).is_none() => {
                sink.error(
                    span(value),
                    format!("non-finite number `{}`: numbers must be finite", f.as_str()),
                    None,
                );
            }
            DeValue::Integer(i) if number_of(value.get_ref()).is_none() => {
                sink.error(
                    span(value),
                    format!(
                        "integer `{}` does not fit in 64 bits",
                        sink.source()
                            .get(span(value).start..span(value).end)
                            .unwrap_or(i.as_str())
                    ),
                    Some("write it as a float, e.g. 1e20".to_string()),
                );
            }
            DeValue::Array(items) => stack.extend(items.iter()),
            DeValue::Table(table) => stack.extend(table.values()),
            _ => {}
        }
    }
}

/// Reports keys of `table` that are not in `allowed`, with the nearest
/// valid key as a hint. Keys in `elsewhere` exist in the file's language
/// but not in this kind of table; `what` names the table in messages.
pub fn check_keys(
    sink: &mut Sink,
    table: &DeTable,
    allowed: &[&str],
    elsewhere: &[&str],
    what: &str,
) {
    for key in table.keys() {
        let name = key.get_ref().as_ref();
        if allowed.contains(&name) {
            continue;
        }
        if elsewhere.contains(&name) {
            sink.error(
                span(key),
                format!("`{name}` does not belong in {what}"),
                Some(format!("keys of {what}: {}", suggest::list(allowed))),
            );
        } else if what == "the top level" {
            sink.error(
                span(key),
                format!("unknown top-level table `{name}`"),
                suggest::key_hint(name, allowed),
            );
        } else {
            sink.error(
                span(key),
                format!("unknown key `{name}` in {what}"),
                suggest::key_hint(name, allowed),
            );
        }
    }
}

/// The span of `key`'s name in `table`.
pub fn key_span(table: &DeTable, key: &str) -> Option<Span> {
    table.get_key_value(key).map(|(k, _)| span(k))
}

/// Reports a value of the wrong type.
pub fn wrong_type(sink: &mut Sink, key: &str, wanted: &str, value: &Value, hint: Option<String>) {
    sink.error(
        span(value),
        format!(
            "`{key}` must be {wanted}, found {}",
            type_name(value.get_ref())
        ),
        hint,
    );
}

/// Reports a missing required key of the table at `table_span`.
pub fn missing(sink: &mut Sink, table_span: Span, key: &str, what: &str, hint: Option<String>) {
    sink.error(table_span, format!("missing key `{key}` in {what}"), hint);
}

/// A string value, reporting a wrong type.
pub fn string(sink: &mut Sink, key: &str, value: &Value) -> Option<String> {
    match value.get_ref() {
        DeValue::String(s) => Some(s.to_string()),
        _ => {
            wrong_type(sink, key, "a string", value, None);
            None
        }
    }
}

/// An optional string key.
pub fn opt_string(sink: &mut Sink, table: &DeTable, key: &str) -> Option<String> {
    table.get(key).and_then(|value| string(sink, key, value))
}

/// An optional `label = "..."`: the name a report shows for a param, node,
/// outcome or scenario. It must be a non-empty single line, because tables,
/// chart rows and CSV cells hold it on one line.
pub fn opt_label(sink: &mut Sink, table: &DeTable) -> Option<String> {
    opt_label_at(sink, table, "label")
}

/// An optional one-line name under `key` (`label`, a scenario's
/// `baseline_label`), checked as [`opt_label`] checks `label`.
pub fn opt_label_at(sink: &mut Sink, table: &DeTable, key: &str) -> Option<String> {
    let value = table.get(key)?;
    let text = string(sink, key, value)?;
    let example = match key {
        "label" => "Trotsky leads the USSR in 1928",
        _ => "Stalin leads from 1924",
    };
    let hint = Some(format!("write one short line, e.g. {key} = \"{example}\""));
    if text.trim().is_empty() {
        sink.error(span(value), format!("`{key}` is empty"), hint);
        None
    } else if text.contains(['\n', '\r']) {
        sink.error(span(value), format!("`{key}` must be a single line"), hint);
        None
    } else {
        Some(text)
    }
}

/// An optional whole number `>= 0` (`post = 12`), reporting anything else.
pub fn opt_count(sink: &mut Sink, table: &DeTable, key: &str, meaning: &str) -> Option<i64> {
    let value = table.get(key)?;
    let whole = match value.get_ref() {
        DeValue::Integer(i) => i64::from_str_radix(i.as_str(), i.radix())
            .ok()
            .filter(|n| *n >= 0),
        _ => None,
    };
    if whole.is_none() {
        sink.error(
            span(value),
            format!("`{key}` must be a whole number of at least 0 ({meaning})"),
            Some(format!("write e.g. `{key} = 12`")),
        );
    }
    whole
}

/// A required string key, with its value's span.
pub fn req_string(
    sink: &mut Sink,
    table: &DeTable,
    table_span: Span,
    key: &str,
    what: &str,
) -> Option<(String, Span)> {
    match table.get(key) {
        None => {
            missing(sink, table_span, key, what, None);
            None
        }
        Some(value) => string(sink, key, value).map(|s| (s, span(value))),
    }
}

/// A number, reporting a wrong type (with `hint`). A non-finite number is
/// `None`: [`report_non_finite`] reports it once for the whole document.
pub fn number(sink: &mut Sink, key: &str, value: &Value, hint: Option<&str>) -> Option<f64> {
    match value.get_ref() {
        DeValue::Integer(_) | DeValue::Float(_) => number_of(value.get_ref()),
        _ => {
            wrong_type(sink, key, "a number", value, hint.map(str::to_string));
            None
        }
    }
}

/// A required number key.
pub fn req_number(
    sink: &mut Sink,
    table: &DeTable,
    table_span: Span,
    key: &str,
    what: &str,
) -> Option<f64> {
    match table.get(key) {
        None => {
            missing(sink, table_span, key, what, None);
            None
        }
        Some(value) => number(sink, key, value, None),
    }
}

/// A pair of numbers `[a, b]`, reporting anything else.
pub fn number_pair(sink: &mut Sink, key: &str, value: &Value) -> Option<(f64, f64)> {
    let hint = Some(format!("write `{key} = [lo, hi]` with two numbers"));
    let DeValue::Array(items) = value.get_ref() else {
        wrong_type(sink, key, "an array of two numbers", value, hint);
        return None;
    };
    if items.len() != 2 {
        sink.error(
            span(value),
            format!(
                "`{key}` must hold two numbers, found {} value(s)",
                items.len()
            ),
            hint,
        );
        return None;
    }
    let a = number(sink, key, &items[0], None);
    let b = number(sink, key, &items[1], None);
    Some((a?, b?))
}

/// Where the text of a TOML string starts in the file, if the string holds
/// it verbatim (no escapes), so that offsets within the text (an
/// expression's error) map to file offsets.
pub fn string_base(source: &str, value_span: Span, text: &str) -> Option<usize> {
    let raw = source.get(value_span.start..value_span.end)?;
    let triple = raw.starts_with("\"\"\"") || raw.starts_with("'''");
    let mut start = if triple {
        value_span.start + 3
    } else if raw.starts_with('"') || raw.starts_with('\'') {
        value_span.start + 1
    } else {
        return None;
    };
    // A multi-line string drops a line break right after its opening quotes.
    if triple {
        if source[start..].starts_with("\r\n") {
            start += 2;
        } else if source[start..].starts_with('\n') {
            start += 1;
        }
    }
    (source.get(start..start + text.len()) == Some(text)).then_some(start)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(source: &str, f: impl FnOnce(&mut Sink, &DeTable)) -> Vec<Diagnostic> {
        let root = parse_document("f.toml", source).expect("valid TOML");
        let mut sink = Sink::new("f.toml", source);
        report_non_finite(&mut sink, root.get_ref());
        f(&mut sink, root.get_ref());
        match sink.finish() {
            Ok(()) => Vec::new(),
            Err(errors) => errors.0,
        }
    }

    #[test]
    fn an_unknown_key_is_shown_at_its_place_with_the_nearest_key() {
        let errors = read("doc = 1\ntitel = \"x\"\n", |sink, root| {
            check_keys(sink, root, &["doc", "title"], &[], "a test file");
        });
        assert_eq!(errors.len(), 1);
        assert_eq!((errors[0].line, errors[0].column), (2, 1));
        assert_eq!(errors[0].message, "unknown key `titel` in a test file");
        assert_eq!(errors[0].hint.as_deref(), Some("did you mean `title`?"));
    }

    #[test]
    fn a_non_finite_number_is_reported_once_and_read_as_none() {
        let mut read_value = Some(Some(0.0));
        let errors = read("x = nan\n", |sink, root| {
            read_value = root.get("x").map(|v| number(sink, "x", v, None));
        });
        assert_eq!(read_value, Some(None));
        assert_eq!(errors.len(), 1);
        assert!(errors[0].message.contains("non-finite number `nan`"));
    }

    #[test]
    fn getters_report_wrong_types_and_missing_keys() {
        let errors = read("a = \"text\"\nb = [1, 2, 3]\n", |sink, root| {
            assert_eq!(
                req_number(sink, root, Span { start: 0, end: 1 }, "a", "t"),
                None
            );
            assert_eq!(number_pair(sink, "b", &root["b"]), None);
            assert_eq!(
                req_string(sink, root, Span { start: 0, end: 1 }, "c", "t"),
                None
            );
        });
        let messages: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "missing key `c` in t",
                "`a` must be a number, found a string",
                "`b` must hold two numbers, found 3 value(s)"
            ]
        );
    }

    #[test]
    fn lines_and_string_bases_map_offsets_to_the_file() {
        let source = "a = 1\nb = \"x + y\"\n";
        let sink = Sink::new("f.toml", source);
        assert_eq!(sink.line_of(0), 1);
        assert_eq!(sink.line_of(6), 2);
        let start = source.find('"').expect("a string");
        let span = Span {
            start,
            end: start + 7,
        };
        assert_eq!(string_base(source, span, "x + y"), Some(start + 1));
        assert_eq!(string_base(source, span, "x+y"), None);
    }
}
