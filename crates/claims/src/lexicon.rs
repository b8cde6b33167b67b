//! The lexicon of estimative words (`data/estimative-words.toml`): what a
//! phrase means as a band of probability, the comparative words' rules on
//! paired draws, and the credence thresholds of the verdicts.
//!
//! The file's header comment is the schema; this module implements it and
//! refuses anything else, so a verdict never rests on a band the loader had
//! to guess at.

use std::collections::BTreeMap;

use toml::de::{DeTable, DeValue};
use uchronia_model::{Diagnostics, Span};

use uchronia_model::reader::{
    self, Sink, check_keys, key_span, number, number_pair, opt_string, req_number, req_string,
    span, wrong_type,
};

/// What a claim's credence must reach for each verdict.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct VerdictRules {
    /// Credence at or above this: supported.
    pub supported: f64,
    /// Credence at or below this: contradicted.
    pub contradicted: f64,
}

/// A published scale or survey that bands come from.
#[derive(Clone, Debug, PartialEq)]
pub struct LexiconSource {
    /// Its key in `[sources]`.
    pub key: String,
    /// Title.
    pub title: String,
    /// Author(s).
    pub author: String,
    /// Publisher.
    pub publisher: String,
    /// Year, when known.
    pub year: Option<i64>,
    /// Address, when known.
    pub url: Option<String>,
    /// What it is and how it is used.
    pub note: Option<String>,
}

/// Whether a phrase is a term of its scale or an everyday phrase mapped onto one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PhraseKind {
    /// A term of the source scale.
    Scale,
    /// An everyday phrase mapped by judgement onto a term of the scale.
    Mapped,
}

/// An absolute phrase: the probability lies in `band`.
#[derive(Clone, Debug, PartialEq)]
pub struct Phrase {
    /// The phrase (a lowercase key).
    pub key: String,
    /// `[lo, hi]`, closed, `0 <= lo < hi <= 1`.
    pub band: (f64, f64),
    /// Key of the source scale.
    pub source: String,
    /// Scale term or mapped phrase.
    pub kind: PhraseKind,
    /// The term of the source scale it stands for.
    pub maps_to: String,
    /// Why this band.
    pub note: Option<String>,
}

/// A comparative word's rule on a draw's difference `d = p_scenario - p_than`
/// and odds ratio `OR` (see the lexicon's header for the smoothing).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Rule {
    /// Holds when `d < d_below` and `OR < odds_ratio_below`.
    Below {
        /// Threshold on `d`.
        d: f64,
        /// Threshold on `OR`.
        odds_ratio: f64,
    },
    /// Holds when `d > d_above` and `OR > odds_ratio_above`.
    Above {
        /// Threshold on `d`.
        d: f64,
        /// Threshold on `OR`.
        odds_ratio: f64,
    },
    /// Holds when `|d| <= d_within` or `lo <= OR <= hi`.
    Within {
        /// Threshold on `|d|`.
        d: f64,
        /// The odds-ratio interval `[lo, hi]`.
        odds_ratio: (f64, f64),
    },
}

impl Rule {
    /// Whether the rule holds for a draw's difference and odds ratio.
    pub fn holds(&self, d: f64, odds_ratio: f64) -> bool {
        match *self {
            Rule::Below {
                d: dt,
                odds_ratio: ot,
            } => d < dt && odds_ratio < ot,
            Rule::Above {
                d: dt,
                odds_ratio: ot,
            } => d > dt && odds_ratio > ot,
            Rule::Within {
                d: dt,
                odds_ratio: (lo, hi),
            } => d.abs() <= dt || (lo <= odds_ratio && odds_ratio <= hi),
        }
    }
}

/// A comparative word: `lower`, `much higher`, `about the same`, ...
#[derive(Clone, Debug, PartialEq)]
pub struct Comparative {
    /// The word (a lowercase key).
    pub word: String,
    /// The rule in words, for people.
    pub rule_text: String,
    /// The rule.
    pub rule: Rule,
    /// Everyday wordings that mean it; a claim's `says` may use them.
    pub phrases: Vec<String>,
    /// Why these thresholds.
    pub note: Option<String>,
}

/// The whole lexicon.
#[derive(Clone, Debug, PartialEq)]
pub struct Lexicon {
    /// Schema version (1).
    pub version: i64,
    /// Verdict thresholds.
    pub verdicts: VerdictRules,
    /// Sources by key.
    pub sources: BTreeMap<String, LexiconSource>,
    /// Absolute phrases by key.
    pub phrases: BTreeMap<String, Phrase>,
    /// Comparative words by key.
    pub comparatives: BTreeMap<String, Comparative>,
}

impl Lexicon {
    /// The rule of the lexicon's word for no difference: the first
    /// comparative (in key order) whose rule is `within`.
    pub fn same_rule(&self) -> Option<Rule> {
        self.comparatives
            .values()
            .map(|word| word.rule)
            .find(|rule| matches!(rule, Rule::Within { .. }))
    }

    /// The phrase `says` means (trimmed and lowercased, then matched exactly).
    pub fn phrase(&self, says: &str) -> Option<&Phrase> {
        self.phrases.get(&normalise(says))
    }

    /// The comparative word `says` means (trimmed and lowercased): a key,
    /// or one of the everyday wordings listed under a key (`"far more
    /// likely"` is `much higher`).
    pub fn comparative(&self, says: &str) -> Option<&Comparative> {
        let says = normalise(says);
        self.comparatives.get(&says).or_else(|| {
            self.comparatives
                .values()
                .find(|word| word.phrases.contains(&says))
        })
    }
}

/// How `says` is matched against the keys: trimmed and lowercased.
pub fn normalise(says: &str) -> String {
    says.trim().to_lowercase()
}

/// The schema version this code reads.
const VERSION: i64 = 1;

/// The shipped lexicon's text, built into the binary so that claims can be
/// judged wherever the model and claims files are (a project's own
/// `data/estimative-words.toml` or `--lexicon FILE` replaces it).
pub const BUILT_IN_LEXICON: &str = include_str!("../../../data/estimative-words.toml");

/// How run.json and messages name [`BUILT_IN_LEXICON`].
pub const BUILT_IN_NAME: &str = "built-in";

/// Loads the lexicon from its TOML text. `path` is only shown in messages.
/// On failure, every error found, in source order.
pub fn load_lexicon(path: &str, source: &str) -> Result<Lexicon, Diagnostics> {
    let root = reader::parse_document(path, source)?;
    let root = root.get_ref();
    let mut sink = Sink::new(path, source);
    reader::report_non_finite(&mut sink, root);
    check_keys(
        &mut sink,
        root,
        &["version", "verdicts", "sources", "phrases", "comparatives"],
        &[],
        "the lexicon",
    );
    let version = read_version(&mut sink, root);
    let verdicts = read_verdicts(&mut sink, root);
    let sources = read_sources(&mut sink, root);
    let phrases = read_phrases(&mut sink, root, &sources);
    let comparatives = read_comparatives(&mut sink, root);
    if phrases.is_empty() && comparatives.is_empty() && sink.errors.is_empty() {
        sink.error_nowhere(
            "the lexicon has no [phrases] and no [comparatives]",
            Some("add [phrases.\"likely\"] band = [0.66, 1.0] ... (see the schema in data/estimative-words.toml)".into()),
        );
    }
    if verdicts.is_none() && sink.errors.is_empty() {
        sink.error_nowhere("cannot read [verdicts]", None);
    }
    sink.finish()?;
    let verdicts = verdicts.expect("a lexicon without [verdicts] has an error, returned above");
    Ok(Lexicon {
        version,
        verdicts,
        sources,
        phrases,
        comparatives,
    })
}

fn read_version(sink: &mut Sink, root: &DeTable) -> i64 {
    let Some(value) = root.get("version") else {
        sink.error_nowhere(
            "missing key `version` in the lexicon",
            Some(format!("start the file with `version = {VERSION}`")),
        );
        return VERSION;
    };
    match value.get_ref() {
        DeValue::Integer(i) if i.as_str() == "1" => VERSION,
        _ => {
            sink.error(
                span(value),
                format!("unsupported lexicon version: this uchronia reads version {VERSION}"),
                None,
            );
            VERSION
        }
    }
}

/// A named sub-table of the root (`[verdicts]`), reporting a wrong type.
fn table<'a, 'i>(
    sink: &mut Sink,
    root: &'a DeTable<'i>,
    key: &str,
) -> Option<(&'a DeTable<'i>, Span)> {
    let value = root.get(key)?;
    match value.get_ref() {
        DeValue::Table(table) => Some((table, span(value))),
        _ => {
            wrong_type(sink, key, "a table", value, None);
            None
        }
    }
}

/// The `NAME = table` entries of a root table (`[phrases."..."]`).
fn entries<'a, 'i>(
    sink: &mut Sink,
    root: &'a DeTable<'i>,
    key: &str,
) -> Vec<(String, Span, &'a DeTable<'i>, Span)> {
    let Some((outer, _)) = table(sink, root, key) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (name, value) in outer.iter() {
        match value.get_ref() {
            DeValue::Table(inner) => {
                out.push((name.get_ref().to_string(), span(name), inner, span(value)))
            }
            other => sink.error(
                span(value),
                format!(
                    "`{key}.{}` must be a table, found {}",
                    name.get_ref(),
                    reader::type_name(other)
                ),
                Some(format!(
                    "write it as a [{key}.\"{}\"] table",
                    name.get_ref()
                )),
            ),
        }
    }
    out
}

fn read_verdicts(sink: &mut Sink, root: &DeTable) -> Option<VerdictRules> {
    let Some((table, table_span)) = table(sink, root, "verdicts") else {
        if !root.contains_key("verdicts") {
            sink.error_nowhere(
                "missing table [verdicts] in the lexicon",
                Some("add [verdicts] with supported = 0.75, contradicted = 0.25 and no_defined_draws = \"undefined\"".into()),
            );
        }
        return None;
    };
    let what = "[verdicts]";
    check_keys(
        sink,
        table,
        &["supported", "contradicted", "no_defined_draws"],
        &[],
        what,
    );
    let supported = req_number(sink, table, table_span, "supported", what);
    let contradicted = req_number(sink, table, table_span, "contradicted", what);
    if let Some(value) = table.get("no_defined_draws")
        && let Some(text) = reader::string(sink, "no_defined_draws", value)
        && text != "undefined"
    {
        sink.error(
            span(value),
            format!("`no_defined_draws` must be \"undefined\", found \"{text}\""),
            Some("a claim with no defined draw has no credence, so no other verdict fits".into()),
        );
    }
    let (supported, contradicted) = (supported?, contradicted?);
    let ok = 0.0 <= contradicted && contradicted < supported && supported <= 1.0;
    if !ok {
        sink.error(
            table_span,
            format!(
                "verdict thresholds must satisfy 0 <= contradicted < supported <= 1, found contradicted = {contradicted}, supported = {supported}"
            ),
            None,
        );
        return None;
    }
    Some(VerdictRules {
        supported,
        contradicted,
    })
}

fn read_sources(sink: &mut Sink, root: &DeTable) -> BTreeMap<String, LexiconSource> {
    let mut sources = BTreeMap::new();
    for (key, _, table, table_span) in entries(sink, root, "sources") {
        let what = format!("[sources.{key}]");
        check_keys(
            sink,
            table,
            &["title", "author", "publisher", "year", "url", "note"],
            &[],
            &what,
        );
        let title = req_string(sink, table, table_span, "title", &what);
        let author = req_string(sink, table, table_span, "author", &what);
        let publisher = req_string(sink, table, table_span, "publisher", &what);
        let year = table.get("year").and_then(|value| match value.get_ref() {
            DeValue::Integer(i) => i64::from_str_radix(i.as_str(), i.radix()).ok(),
            _ => {
                wrong_type(sink, "year", "an integer", value, None);
                None
            }
        });
        let url = opt_string(sink, table, "url");
        let note = opt_string(sink, table, "note");
        if let (Some(title), Some(author), Some(publisher)) = (title, author, publisher) {
            sources.insert(
                key.clone(),
                LexiconSource {
                    key,
                    title: title.0,
                    author: author.0,
                    publisher: publisher.0,
                    year,
                    url,
                    note,
                },
            );
        }
    }
    sources
}

/// Checks a probability band: `0 <= lo < hi <= 1`.
pub(crate) fn check_band(sink: &mut Sink, band: (f64, f64), at: Span) -> bool {
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

/// Reports a key or a listed wording (`what`) that a `says` could never
/// match (not trimmed and lowercase).
fn check_lowercase(sink: &mut Sink, what: &str, key: &str, at: Span) -> bool {
    let normal = normalise(key);
    if normal != key {
        sink.error(
            at,
            format!(
                "lexicon {what} \"{key}\" is not trimmed lowercase, so no claim could match it"
            ),
            Some(format!("write it as \"{normal}\"")),
        );
        return false;
    }
    true
}

fn read_phrases(
    sink: &mut Sink,
    root: &DeTable,
    sources: &BTreeMap<String, LexiconSource>,
) -> BTreeMap<String, Phrase> {
    let mut phrases = BTreeMap::new();
    for (key, key_at, table, table_span) in entries(sink, root, "phrases") {
        let what = format!("[phrases.\"{key}\"]");
        check_keys(
            sink,
            table,
            &["band", "source", "kind", "maps_to", "note"],
            &[],
            &what,
        );
        let lower_ok = check_lowercase(sink, "key", &key, key_at);
        let band = match table.get("band") {
            None => {
                reader::missing(sink, table_span, "band", &what, None);
                None
            }
            Some(value) => {
                number_pair(sink, "band", value).filter(|&band| check_band(sink, band, span(value)))
            }
        };
        let source = req_string(sink, table, table_span, "source", &what);
        if let Some((name, at)) = &source
            && !sources.contains_key(name)
        {
            let keys: Vec<&str> = sources.keys().map(String::as_str).collect();
            sink.error(
                *at,
                format!("unknown source `{name}`"),
                uchronia_model::suggest::close(name, keys.iter().copied())
                    .map(|near| format!("did you mean `{near}`? (keys of [sources])")),
            );
        }
        let kind = req_string(sink, table, table_span, "kind", &what).and_then(|(text, at)| {
            match text.as_str() {
                "scale" => Some(PhraseKind::Scale),
                "mapped" => Some(PhraseKind::Mapped),
                _ => {
                    sink.error(
                        at,
                        format!("`kind` must be \"scale\" or \"mapped\", found \"{text}\""),
                        None,
                    );
                    None
                }
            }
        });
        let maps_to = req_string(sink, table, table_span, "maps_to", &what);
        let note = opt_string(sink, table, "note");
        if kind == Some(PhraseKind::Mapped) && note.is_none() {
            reader::missing(
                sink,
                table_span,
                "note",
                &what,
                Some("a mapped phrase says in `note` why it has this band".into()),
            );
        }
        if let (true, Some(band), Some(source), Some(kind), Some(maps_to)) =
            (lower_ok, band, source, kind, maps_to)
        {
            phrases.insert(
                key.clone(),
                Phrase {
                    key,
                    band,
                    source: source.0,
                    kind,
                    maps_to: maps_to.0,
                    note,
                },
            );
        }
    }
    phrases
}

fn read_comparatives(sink: &mut Sink, root: &DeTable) -> BTreeMap<String, Comparative> {
    let mut words = BTreeMap::new();
    // Every wording a `says` may use (keys and listed phrases), with the
    // word it means: one wording must mean one word.
    let mut wordings: Vec<(String, String)> = Vec::new();
    for (key, key_at, table, table_span) in entries(sink, root, "comparatives") {
        let what = format!("[comparatives.\"{key}\"]");
        check_keys(
            sink,
            table,
            &[
                "rule",
                "d_below",
                "odds_ratio_below",
                "d_above",
                "odds_ratio_above",
                "d_within",
                "odds_ratio_within",
                "phrases",
                "note",
            ],
            &[],
            &what,
        );
        let lower_ok = check_lowercase(sink, "key", &key, key_at);
        let lower_ok = lower_ok && unique_wording(sink, &mut wordings, &key, &key, key_at);
        let rule_text = req_string(sink, table, table_span, "rule", &what);
        let rule = read_rule(sink, table, table_span, &what);
        let mut phrases = Vec::new();
        if let Some(value) = table.get("phrases") {
            match value.get_ref() {
                DeValue::Array(items) => {
                    for item in items.iter() {
                        if let Some(text) = reader::string(sink, "phrases", item)
                            && check_lowercase(sink, "phrase", &text, span(item))
                            && unique_wording(sink, &mut wordings, &text, &key, span(item))
                        {
                            phrases.push(text);
                        }
                    }
                }
                _ => wrong_type(sink, "phrases", "an array of strings", value, None),
            }
        }
        let note = opt_string(sink, table, "note");
        if let (true, Some(rule_text), Some(rule)) = (lower_ok, rule_text, rule) {
            words.insert(
                key.clone(),
                Comparative {
                    word: key,
                    rule_text: rule_text.0,
                    rule,
                    phrases,
                    note,
                },
            );
        }
    }
    words
}

/// Records that `wording` means the comparative `word`; reports a wording
/// that already means another word (a claim could not tell which it meant).
fn unique_wording(
    sink: &mut Sink,
    wordings: &mut Vec<(String, String)>,
    wording: &str,
    word: &str,
    at: Span,
) -> bool {
    match wordings.iter().find(|(known, _)| known == wording) {
        Some((_, other)) if other != word => {
            sink.error(
                at,
                format!("\"{wording}\" means both \"{other}\" and \"{word}\""),
                Some(
                    "a wording a claim may say must mean one comparative word: keep it under one"
                        .into(),
                ),
            );
            false
        }
        Some(_) => true,
        None => {
            wordings.push((wording.to_string(), word.to_string()));
            true
        }
    }
}

/// The one rule shape a comparative table gives: exactly one of the pairs
/// (d_below, odds_ratio_below), (d_above, odds_ratio_above),
/// (d_within, odds_ratio_within).
fn read_rule(sink: &mut Sink, table: &DeTable, table_span: Span, what: &str) -> Option<Rule> {
    let shapes = [
        ("d_below", "odds_ratio_below"),
        ("d_above", "odds_ratio_above"),
        ("d_within", "odds_ratio_within"),
    ];
    let present: Vec<usize> = (0..shapes.len())
        .filter(|&i| table.contains_key(shapes[i].0) || table.contains_key(shapes[i].1))
        .collect();
    let hint = Some(
        "give exactly one pair: d_below and odds_ratio_below (a \"lower\" word), d_above and odds_ratio_above (\"higher\"), or d_within and odds_ratio_within (\"the same\")".to_string(),
    );
    let shape = match present.as_slice() {
        [one] => *one,
        [] => {
            sink.error(table_span, format!("{what} has no rule thresholds"), hint);
            return None;
        }
        [_, second, ..] => {
            let at = key_span(table, shapes[*second].0)
                .or_else(|| key_span(table, shapes[*second].1))
                .unwrap_or(table_span);
            sink.error(at, format!("{what} mixes two rule shapes"), hint);
            return None;
        }
    };
    let (d_key, or_key) = shapes[shape];
    let d = req_number(sink, table, table_span, d_key, what);
    let odds_value = table.get(or_key);
    if odds_value.is_none() {
        reader::missing(sink, table_span, or_key, what, hint);
        return None;
    }
    let odds_value = odds_value?;
    let odds_at = span(odds_value);
    let positive = |sink: &mut Sink, x: f64| {
        if x > 0.0 {
            true
        } else {
            sink.error(
                odds_at,
                format!("`{or_key}` must be a positive odds ratio, found {x}"),
                None,
            );
            false
        }
    };
    if shape == 2 {
        let (lo, hi) = number_pair(sink, or_key, odds_value)?;
        let d = d?;
        if !(positive(sink, lo) && positive(sink, hi)) {
            return None;
        }
        if lo > hi {
            sink.error(
                odds_at,
                format!("`{or_key}` must be [lo, hi] with lo <= hi, found [{lo}, {hi}]"),
                None,
            );
            return None;
        }
        if d < 0.0 {
            sink.error(
                key_span(table, d_key).unwrap_or(table_span),
                format!("`{d_key}` must be at least 0, found {d}"),
                None,
            );
            return None;
        }
        return Some(Rule::Within {
            d,
            odds_ratio: (lo, hi),
        });
    }
    let odds_ratio = number(sink, or_key, odds_value, None)?;
    let d = d?;
    if !positive(sink, odds_ratio) {
        return None;
    }
    Some(if shape == 0 {
        Rule::Below { d, odds_ratio }
    } else {
        Rule::Above { d, odds_ratio }
    })
}
