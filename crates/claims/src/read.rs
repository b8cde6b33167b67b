//! Reading TOML with its spans, the way the model loader does
//! (`crates/model/src/raw.rs`): typed getters that report a wrong type, an
//! unknown key (with the nearest valid one) or a missing key as a
//! [`Diagnostic`] at its place in the file, and keep going.

use toml::Spanned;
use toml::de::{DeTable, DeValue};
use uchronia_model::suggest;
use uchronia_model::{Diagnostic, Diagnostics, LineIndex, Severity, Span};

/// A TOML value with its span.
pub type Value<'i> = Spanned<DeValue<'i>>;

/// Most errors one file records; past it, they are only counted (a hostile
/// file can hold millions of mistakes).
pub const MAX_ERRORS: usize = 100;

/// Collects the errors of one file as the loader goes.
pub struct Sink<'s> {
    path: &'s str,
    source: &'s str,
    index: LineIndex,
    /// Errors so far (at most [`MAX_ERRORS`]).
    pub errors: Vec<Diagnostic>,
    /// Errors found past [`MAX_ERRORS`], not recorded.
    more: usize,
}

impl<'s> Sink<'s> {
    /// A sink for the file `path` whose text is `source`.
    pub fn new(path: &'s str, source: &'s str) -> Sink<'s> {
        Sink {
            path,
            source,
            index: LineIndex::new(source),
            errors: Vec::new(),
            more: 0,
        }
    }

    fn push(&mut self, span: Option<Span>, message: impl Into<String>, hint: Option<String>) {
        if self.errors.len() >= MAX_ERRORS {
            self.more += 1;
            return;
        }
        self.errors.push(Diagnostic::with_index(
            Severity::Error,
            self.path,
            self.source,
            &self.index,
            span,
            message,
            hint,
        ));
    }

    /// The file's text.
    pub fn source(&self) -> &'s str {
        self.source
    }

    /// Records an error at `span`.
    pub fn error(&mut self, span: Span, message: impl Into<String>, hint: Option<String>) {
        self.push(Some(span), message, hint);
    }

    /// Records an error with no place in the file.
    pub fn error_nowhere(&mut self, message: impl Into<String>, hint: Option<String>) {
        self.push(None, message, hint);
    }

    /// The errors in source order (those without a place first), or `Ok`
    /// when there are none.
    pub fn finish(self) -> Result<(), Diagnostics> {
        let mut errors = self.errors;
        if errors.is_empty() {
            return Ok(());
        }
        errors.sort_by_key(|d| d.span.map_or(0, |s| s.start));
        errors.dedup();
        if self.more > 0 {
            errors.push(Diagnostic::with_index(
                Severity::Error,
                self.path,
                self.source,
                &self.index,
                None,
                format!(
                    "{} more errors not shown (only the first {MAX_ERRORS} are)",
                    self.more
                ),
                None,
            ));
        }
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
/// non-finite floats.
pub fn number_of(value: &DeValue) -> Option<f64> {
    match value {
        DeValue::Integer(i) => i64::from_str_radix(i.as_str(), i.radix())
            .ok()
            .map(|i| i as f64),
        DeValue::Float(f) => f.as_str().parse::<f64>().ok().filter(|x| x.is_finite()),
        _ => None,
    }
}

/// Reports keys of `table` that are not in `allowed`, with the nearest
/// valid key as a hint.
pub fn check_keys(sink: &mut Sink, table: &DeTable, allowed: &[&str], what: &str) {
    for key in table.keys() {
        let name = key.get_ref().as_ref();
        if !allowed.contains(&name) {
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

/// A number, reporting a wrong type or a non-finite value.
pub fn number(sink: &mut Sink, key: &str, value: &Value) -> Option<f64> {
    match value.get_ref() {
        DeValue::Integer(_) | DeValue::Float(_) => {
            let x = number_of(value.get_ref());
            if x.is_none() {
                let hint = matches!(value.get_ref(), DeValue::Integer(_))
                    .then(|| "integers must fit in 64 bits: write it as a float".to_string());
                sink.error(
                    span(value),
                    format!("`{key}` must be a finite number"),
                    hint,
                );
            }
            x
        }
        _ => {
            wrong_type(sink, key, "a number", value, None);
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
        Some(value) => number(sink, key, value),
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
    let a = number(sink, key, &items[0]);
    let b = number(sink, key, &items[1]);
    Some((a?, b?))
}

/// Checks a probability band: `0 <= lo < hi <= 1`.
pub fn check_band(sink: &mut Sink, band: (f64, f64), at: Span) -> bool {
    let (lo, hi) = band;
    let ok = (0.0..=1.0).contains(&lo) && (0.0..=1.0).contains(&hi) && lo < hi;
    if !ok {
        sink.error(
            at,
            format!("band [{lo}, {hi}] is not a probability band"),
            Some("a band is [lo, hi] with 0 <= lo < hi <= 1".to_string()),
        );
    }
    ok
}

/// Where the text of a TOML string starts in the file, if the string holds
/// it verbatim (no escapes), so that offsets within the text map to file
/// offsets. (As in the model loader.)
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
