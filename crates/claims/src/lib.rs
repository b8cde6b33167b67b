//! Claims files (`data/claims/*.toml`): what people said about a probability,
//! in their words, translated into the model's terms; and the lexicon
//! (`data/estimative-words.toml`) that says what their words mean.
//!
//! Loading is two-staged, like the model's. [`parse`] reads the text alone
//! (keys, types, ids, bands, the `model` path), which is all a caller needs
//! to find the model the file is about. [`compile`] then checks every claim
//! against that model and a [`Lexicon`]: scenarios, expressions (compiled
//! with the model's own checker, errors shown at their place inside the TOML
//! string), types, and the phrase in `says`. Both collect every error they
//! can, each with file, line and column.
//!
//! [`attach`] appends one hidden boolean outcome per claim to a clone of the
//! model (`listed: false`), so the engine tallies every claim in the same
//! run, with common random numbers; `uchronia_analysis::claims` turns those
//! tallies into verdicts.
//!
//! History files (`data/history.toml`: what really happened, as real values
//! of the model's outcomes) are read here too ([`history`]), the same way;
//! `uchronia_analysis::calibration` scores a run against them.
//!
//! Every file goes through the model crate's spanned TOML reader
//! (`uchronia_model::reader`), so all input errors look alike.
//!
//! This crate does no IO: callers hand it the texts and the paths to show.

mod compile;
pub mod history;
pub mod known;
pub mod lexicon;
pub mod matched;
pub mod nearest;

use std::collections::HashSet;

use toml::de::{DeTable, DeValue};
use uchronia_model::{Diagnostics, Expr, Model, Outcome, OutcomeId, OutcomeKind, ScenarioId, Span};

pub use compile::compile;
pub use lexicon::{
    BUILT_IN_LEXICON, BUILT_IN_NAME, Comparative, Lexicon, LexiconSource, Phrase, PhraseKind, Rule,
    VerdictRules, load_lexicon,
};

use crate::lexicon::check_band;
use uchronia_model::reader::{
    self, Sink, check_keys, number_pair, opt_string, req_string, span, string_base, wrong_type,
};

/// A claims file as written, checked on its own (without the model).
#[derive(Clone, Debug)]
pub struct ClaimsFile {
    /// The file, as the caller named it (shown in messages).
    pub path: String,
    /// The file's text (kept for diagnostics at compile time).
    pub source: String,
    /// `model`: the model's path, relative to the claims file.
    pub model: String,
    /// Where the `model` value is.
    pub model_span: Span,
    /// `[source] title`.
    pub title: Option<String>,
    /// `[source] kind`.
    pub kind: Option<String>,
    /// The claims, in file order.
    pub claims: Vec<RawClaim>,
}

/// A string with where it is, and where its text starts in the file when
/// the TOML string holds it verbatim (so expression errors point inside it).
#[derive(Clone, Debug)]
pub struct Located {
    /// The text.
    pub text: String,
    /// The whole TOML value.
    pub span: Span,
    /// File offset of the text's first byte, when verbatim.
    pub base: Option<usize>,
}

impl Located {
    /// The file span of `inner`, a span within the text.
    fn file_span(&self, inner: Span) -> Span {
        match self.base {
            Some(base) => Span {
                start: base + inner.start,
                end: base + inner.end,
            },
            None => self.span,
        }
    }
}

/// What `says` holds as written.
#[derive(Clone, Debug)]
pub enum RawSays {
    /// A phrase or comparative word.
    Phrase(Located),
    /// An explicit band `[lo, hi]` (already checked), and its text.
    Band((f64, f64), Located),
}

/// One `[[claims]]` table as written.
#[derive(Clone, Debug)]
pub struct RawClaim {
    /// `id`.
    pub id: Located,
    /// `author`.
    pub author: String,
    /// `quote`.
    pub quote: String,
    /// `scenario`; `None` when the claim is `known_through` a year instead.
    pub scenario: Option<Located>,
    /// `known_through`: the year through which the world is known, with
    /// where it is.
    pub known_through: Option<(i64, Span)>,
    /// `than`.
    pub than: Option<Located>,
    /// `event`.
    pub event: Located,
    /// `given`.
    pub given: Option<Located>,
    /// `says`.
    pub says: RawSays,
    /// `doc`.
    pub doc: Option<String>,
    /// `post`: the post's number in its thread.
    pub post: Option<i64>,
    /// The table.
    pub span: Span,
}

/// How a claim is tested in each parameter draw.
#[derive(Clone, Debug, PartialEq)]
pub enum Test {
    /// Absolute: the draw's share `p_d` lies in `[lo, hi]`.
    Band {
        /// Lower end (inclusive).
        lo: f64,
        /// Upper end (inclusive).
        hi: f64,
    },
    /// Comparative: the comparative word's rule holds for the draw's
    /// difference and odds ratio between `scenario` and `than`.
    Compare {
        /// The lexicon's key.
        word: String,
        /// The rule.
        rule: Rule,
        /// The lexicon's rule for no difference (its `within` word, "about
        /// the same"), if it has one: the draws where it holds are those
        /// where the model finds no difference either way.
        same: Option<Rule>,
    },
}

/// A claim checked against a model and a lexicon, ready to be tallied.
#[derive(Clone, Debug)]
pub struct Claim {
    /// `id`.
    pub id: String,
    /// `author`.
    pub author: String,
    /// `quote`.
    pub quote: String,
    /// `doc`.
    pub doc: Option<String>,
    /// `post`: the post's number in its thread.
    pub post: Option<i64>,
    /// The scenario the claim is about.
    pub scenario: ScenarioId,
    /// Its name.
    pub scenario_name: String,
    /// `known_through = Y`: the claim is judged in the world as known in
    /// year Y (`scenario` is then that world's scenario).
    pub known_through: Option<i64>,
    /// For a comparative claim, the scenario it compares with, and its name.
    pub than: Option<(ScenarioId, String)>,
    /// The event, as written.
    pub event_text: String,
    /// The condition, as written.
    pub given_text: Option<String>,
    /// The event, compiled.
    pub event: Expr,
    /// The condition, compiled.
    pub given: Option<Expr>,
    /// `says` as written: the phrase, or the band's text (`[0.6667, 1.0]`).
    pub says: String,
    /// How the claim is tested.
    pub test: Test,
    /// The claims file, as named (for messages).
    pub file: String,
    /// Where the claim is in that file.
    pub span: Span,
}

impl Claim {
    /// The band of an absolute claim.
    pub fn band(&self) -> Option<(f64, f64)> {
        match self.test {
            Test::Band { lo, hi } => Some((lo, hi)),
            Test::Compare { .. } => None,
        }
    }
}

/// Keys of a `[[claims]]` table.
const CLAIM_KEYS: [&str; 11] = [
    "id",
    "author",
    "quote",
    "scenario",
    "known_through",
    "event",
    "given",
    "says",
    "than",
    "doc",
    "post",
];

/// Reads a claims file from its text, checking what the text alone decides.
/// `path` is only shown in messages. On failure, every error found.
pub fn parse(path: &str, source: &str) -> Result<ClaimsFile, Diagnostics> {
    let root = reader::parse_document(path, source)?;
    let root = root.get_ref();
    let mut sink = Sink::new(path, source);
    reader::report_non_finite(&mut sink, root);
    check_keys(
        &mut sink,
        root,
        &["model", "source", "claims"],
        &[],
        "a claims file",
    );
    let model = match root.get("model") {
        None => {
            sink.error_nowhere(
                "missing key `model` in the claims file",
                Some(
                    "start the file with model = \"../../models/NAME.toml\" (relative to this file)"
                        .into(),
                ),
            );
            None
        }
        Some(value) => reader::string(&mut sink, "model", value).map(|text| (text, span(value))),
    };
    let (mut title, mut kind) = (None, None);
    if let Some(value) = root.get("source") {
        match value.get_ref() {
            DeValue::Table(table) => {
                check_keys(
                    &mut sink,
                    table,
                    &["title", "kind", "author", "url", "date", "note"],
                    &[],
                    "[source]",
                );
                title = opt_string(&mut sink, table, "title");
                kind = opt_string(&mut sink, table, "kind");
                for key in ["author", "url", "date", "note"] {
                    opt_string(&mut sink, table, key);
                }
            }
            _ => wrong_type(&mut sink, "source", "a table", value, None),
        }
    }
    let mut claims = Vec::new();
    let no_claims_hint = Some(
        "add [[claims]] tables with id, author, quote, scenario, event and says (see docs/claims.md)"
            .to_string(),
    );
    match root.get("claims") {
        None => sink.error_nowhere("the claims file has no claims", no_claims_hint),
        Some(value) => match value.get_ref() {
            DeValue::Array(items) if items.is_empty() => {
                sink.error(span(value), "the claims file has no claims", no_claims_hint)
            }
            DeValue::Array(items) => {
                for item in items.iter() {
                    match item.get_ref() {
                        DeValue::Table(table) => {
                            if let Some(claim) = read_claim(&mut sink, table, span(item)) {
                                claims.push(claim);
                            }
                        }
                        other => sink.error(
                            span(item),
                            format!(
                                "a claim must be a table, found {}",
                                reader::type_name(other)
                            ),
                            Some("write each claim as a [[claims]] table".into()),
                        ),
                    }
                }
            }
            _ => wrong_type(
                &mut sink,
                "claims",
                "an array of tables",
                value,
                Some("write each claim as a [[claims]] table".into()),
            ),
        },
    }
    check_unique_ids(&mut sink, &claims);
    sink.finish()?;
    let (model, model_span) = model.unwrap_or_default();
    Ok(ClaimsFile {
        path: path.to_string(),
        source: source.to_string(),
        model,
        model_span,
        title,
        kind,
        claims,
    })
}

/// Whether `id` matches `[a-z0-9][a-z0-9_-]*`.
pub fn valid_id(id: &str) -> bool {
    let mut chars = id.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
}

fn located(sink: &Sink, text: String, at: Span) -> Located {
    let base = string_base(sink.source(), at, &text);
    Located {
        text,
        span: at,
        base,
    }
}

fn read_claim(sink: &mut Sink, table: &DeTable, table_span: Span) -> Option<RawClaim> {
    let what = "a claim";
    check_keys(sink, table, &CLAIM_KEYS, &[], what);
    let id = req_string(sink, table, table_span, "id", what);
    if let Some((text, at)) = &id
        && !valid_id(text)
    {
        let fixed: String = text
            .trim()
            .to_ascii_lowercase()
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect();
        let hint = if valid_id(&fixed) {
            format!("ids match [a-z0-9][a-z0-9_-]*, e.g. \"{fixed}\"")
        } else {
            "ids match [a-z0-9][a-z0-9_-]*: lowercase letters, digits, - and _".to_string()
        };
        sink.error(*at, format!("invalid claim id \"{text}\""), Some(hint));
    }
    let author = req_string(sink, table, table_span, "author", what);
    let quote = req_string(sink, table, table_span, "quote", what);
    let known_through = reader::opt_count(
        sink,
        table,
        "known_through",
        "the year through which the world is known",
    )
    .zip(
        table
            .get_key_value("known_through")
            .map(|(key, _)| span(key)),
    );
    let scenario = match (table.get("scenario"), &known_through) {
        (Some(_), Some((_, at))) => {
            sink.error(
                *at,
                "a claim gives `scenario` or `known_through`, not both",
                Some(
                    "known_through = Y is the scenario `facts_through = Y` with no `do`: drop one"
                        .into(),
                ),
            );
            None
        }
        (Some(value), None) => {
            reader::string(sink, "scenario", value).map(|text| Some((text, span(value))))
        }
        (None, Some(_)) => Some(None),
        (None, None) => {
            reader::missing(
                sink,
                table_span,
                "scenario",
                what,
                Some("name a scenario of the model, or give known_through = YEAR".into()),
            );
            None
        }
    };
    let than = table
        .get("than")
        .and_then(|value| reader::string(sink, "than", value).map(|text| (text, span(value))));
    let event = req_string(sink, table, table_span, "event", what);
    let given = table
        .get("given")
        .and_then(|value| reader::string(sink, "given", value).map(|text| (text, span(value))));
    let doc = opt_string(sink, table, "doc");
    let post = reader::opt_count(sink, table, "post", "the post's number in the thread");
    let says = match table.get("says") {
        None => {
            reader::missing(
                sink,
                table_span,
                "says",
                what,
                Some("say = \"PHRASE\" (a key of the lexicon) or [lo, hi]".into()),
            );
            None
        }
        Some(value) => match value.get_ref() {
            DeValue::String(text) => {
                let text = text.to_string();
                Some(RawSays::Phrase(located(sink, text, span(value))))
            }
            DeValue::Array(_) => {
                let at = span(value);
                let text = sink
                    .source()
                    .get(at.start..at.end)
                    .unwrap_or("")
                    .to_string();
                number_pair(sink, "says", value)
                    .filter(|&band| check_band(sink, band, at))
                    .map(|band| {
                        RawSays::Band(
                            band,
                            Located {
                                text,
                                span: at,
                                base: None,
                            },
                        )
                    })
            }
            _ => {
                wrong_type(
                    sink,
                    "says",
                    "a phrase (a string) or a band [lo, hi]",
                    value,
                    None,
                );
                None
            }
        },
    };
    let (id, author, quote, scenario, event, says) =
        (id?, author?, quote?, scenario?, event?, says?);
    Some(RawClaim {
        id: Located {
            text: id.0,
            span: id.1,
            base: None,
        },
        author: author.0,
        quote: quote.0,
        scenario: scenario.map(|(text, at)| located(sink, text, at)),
        known_through,
        than: than.map(|(text, at)| located(sink, text, at)),
        event: located(sink, event.0, event.1),
        given: given.map(|(text, at)| located(sink, text, at)),
        says,
        doc,
        post,
        span: table_span,
    })
}

fn check_unique_ids(sink: &mut Sink, claims: &[RawClaim]) {
    // By id: a file may hold many claims.
    let mut seen: std::collections::HashMap<&str, &RawClaim> = std::collections::HashMap::new();
    for claim in claims {
        if let Some(first) = seen.get(claim.id.text.as_str()) {
            let line = sink.line_of(first.id.span.start);
            sink.error(
                claim.id.span,
                format!("duplicate claim id \"{}\"", claim.id.text),
                Some(format!(
                    "the first is on line {line}; ids must be unique in the file"
                )),
            );
        } else {
            seen.insert(&claim.id.text, claim);
        }
    }
}

/// The scenarios a set of claims needs tallied: each claim's scenario and
/// its `than`, without repeats, in first-mention order.
pub fn scenarios_needed(claims: &[Claim]) -> Vec<ScenarioId> {
    let mut needed = Vec::new();
    for claim in claims {
        let ids = std::iter::once(claim.scenario).chain(claim.than.as_ref().map(|(id, _)| *id));
        for id in ids {
            if !needed.contains(&id) {
                needed.push(id);
            }
        }
    }
    needed
}

/// A clone of `model` with one hidden boolean outcome per claim appended
/// (`listed: false`, tallied but not listed in outcomes.csv), and the
/// outcome id of each claim, in order. A comparative claim needs only one
/// outcome: it is tallied in every scenario the run includes.
///
/// The outcomes are named `claim ID` (made unique with the claims file's
/// name when two files share an id), so a run-time error in a claim's
/// expression names it.
pub fn attach(model: &Model, claims: &[Claim]) -> (Model, Vec<OutcomeId>) {
    let mut extended = model.clone();
    let mut names: HashSet<String> = model.outcomes.iter().map(|o| o.name.clone()).collect();
    let mut ids = Vec::with_capacity(claims.len());
    for claim in claims {
        let mut name = format!("claim {}", claim.id);
        if names.contains(&name) {
            name = format!("claim {} ({})", claim.id, claim.file);
        }
        let mut unique = name.clone();
        let mut n = 2;
        while names.contains(&unique) {
            unique = format!("{name} #{n}");
            n += 1;
        }
        names.insert(unique.clone());
        ids.push(extended.outcomes.len());
        extended.outcomes.push(Outcome {
            name: unique,
            doc: Some(claim.quote.clone()),
            label: None,
            kind: OutcomeKind::Boolean {
                when: claim.event.clone(),
                given: claim.given.clone(),
            },
            span: claim.span,
            listed: false,
        });
    }
    (extended, ids)
}

#[cfg(test)]
mod tests;
