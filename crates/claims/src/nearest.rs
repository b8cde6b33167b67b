//! "Did you mean ...?" for a `says` the lexicon does not know, by meaning
//! first and spelling second (docs/claims.md, "When `says` is not in the
//! lexicon").
//!
//! A misspelt estimative phrase is a claim about a probability, so the worst
//! suggestion is one that reads well and means the opposite ("much lower"
//! for "more chance"). The suggestion has the claim's kind (a comparative
//! word with `than`, an absolute phrase without). Within it: a phrase whose
//! note quotes `says`; else the wording `says` is a close typo of; else,
//! among the phrases of the direction its words point (when they tell), the
//! nearest in spelling. The phrases offered beside it are those of the same
//! direction whose bands are nearest to the suggestion's.

use uchronia_model::suggest;

use crate::lexicon::{Lexicon, Rule, normalise};

/// Where a phrase points: an absolute phrase by its band's centre (below
/// 45%, 45–55%, above 55%: ICD 203's "even chance" is the middle), a
/// comparative word by its rule (lower, the same, higher).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// Unlikely, or lower.
    Down,
    /// Even odds, or about the same.
    Even,
    /// Likely, or higher.
    Up,
}

/// A suggestion for an unknown `says`.
#[derive(Clone, Debug, PartialEq)]
pub struct Suggestion {
    /// The lexicon key suggested.
    pub key: String,
    /// What it means: `45–55%`, or its rule on paired draws.
    pub meaning: String,
    /// Where it points.
    pub direction: Direction,
    /// Up to two more keys of the same kind and direction, nearest in
    /// meaning to the suggestion first, each with what it means.
    pub near: Vec<(String, String)>,
}

impl Suggestion {
    /// `did you mean "even chance"? "even chance" means 45–55%; near it in
    /// meaning: ...`
    pub fn hint(&self) -> String {
        let mut hint = format!(
            "did you mean \"{}\"? \"{}\" means {}",
            self.key, self.key, self.meaning
        );
        if !self.near.is_empty() {
            let near: Vec<String> = self
                .near
                .iter()
                .map(|(key, meaning)| format!("\"{key}\" ({meaning})"))
                .collect();
            hint.push_str(&format!("; near it in meaning: {}", near.join(", ")));
        }
        hint
    }
}

/// One key of the lexicon, as the suggester sees it.
struct Entry<'a> {
    key: &'a str,
    /// The key and, for comparatives, the wordings listed under it.
    wordings: Vec<&'a str>,
    direction: Direction,
    /// A band (absolute) or the rule's threshold on `d` twice (comparative):
    /// what "near in meaning" measures.
    band: (f64, f64),
    meaning: String,
    note: Option<&'a str>,
}

/// The absolute phrase nearest to `says` (a claim without `than`).
pub fn phrase(lexicon: &Lexicon, says: &str) -> Option<Suggestion> {
    let entries = lexicon
        .phrases
        .values()
        .map(|phrase| {
            let (lo, hi) = phrase.band;
            let centre = (lo + hi) / 2.0;
            let direction = if centre < 0.45 {
                Direction::Down
            } else if centre > 0.55 {
                Direction::Up
            } else {
                Direction::Even
            };
            Entry {
                key: &phrase.key,
                wordings: vec![phrase.key.as_str()],
                direction,
                band: phrase.band,
                meaning: format!("{}–{}%", percent(lo), percent(hi)),
                note: phrase.note.as_deref(),
            }
        })
        .collect();
    suggest_among(entries, says)
}

/// The comparative word nearest to `says` (a claim with `than`).
pub fn comparative(lexicon: &Lexicon, says: &str) -> Option<Suggestion> {
    let entries = lexicon
        .comparatives
        .values()
        .map(|word| {
            let mut wordings = vec![word.word.as_str()];
            wordings.extend(word.phrases.iter().map(String::as_str));
            let (direction, d) = match word.rule {
                Rule::Below { d, .. } => (Direction::Down, d),
                Rule::Within { .. } => (Direction::Even, 0.0),
                Rule::Above { d, .. } => (Direction::Up, d),
            };
            Entry {
                key: &word.word,
                wordings,
                direction,
                band: (d, d),
                meaning: rule_text(&word.rule),
                note: word.note.as_deref(),
            }
        })
        .collect();
    suggest_among(entries, says)
}

/// The rule in symbols: `d > 0.05 and OR > 2`.
pub fn rule_text(rule: &Rule) -> String {
    match *rule {
        Rule::Below { d, odds_ratio } => format!("d < {} and OR < {}", num(d), num(odds_ratio)),
        Rule::Above { d, odds_ratio } => format!("d > {} and OR > {}", num(d), num(odds_ratio)),
        Rule::Within {
            d,
            odds_ratio: (lo, hi),
        } => format!("|d| <= {} or {} <= OR <= {}", num(d), num(lo), num(hi)),
    }
}

fn suggest_among(entries: Vec<Entry>, says: &str) -> Option<Suggestion> {
    let says = normalise(says);
    let all: Vec<&Entry> = entries.iter().collect();
    // The lexicon's own word first, then a plain typo, whose spelling says
    // what was meant; only a wording that is no typo needs its words read
    // for a direction.
    let best = named_in_a_note(&all, &says)
        .or_else(|| close_typo(&all, &says))
        .or_else(|| {
            let direction = cue_direction(&entries, &says);
            let pool: Vec<&Entry> = all
                .iter()
                .copied()
                .filter(|e| direction.is_none_or(|d| e.direction == d))
                .collect();
            nearest_spelling(&pool, &says)
        })?;
    let mut near: Vec<&Entry> = all
        .iter()
        .copied()
        .filter(|e| e.key != best.key && e.direction == best.direction)
        .collect();
    near.sort_by(|a, b| {
        let (da, db) = (
            band_distance(a.band, best.band),
            band_distance(b.band, best.band),
        );
        da.total_cmp(&db)
            .then_with(|| spelling(a, &says).cmp(&spelling(b, &says)))
            .then_with(|| a.key.cmp(b.key))
    });
    Some(Suggestion {
        key: best.key.to_string(),
        meaning: best.meaning.clone(),
        direction: best.direction,
        near: near
            .into_iter()
            .take(2)
            .map(|e| (e.key.to_string(), e.meaning.clone()))
            .collect(),
    })
}

/// The direction the words of `says` point, when they agree: a word of
/// three letters or more points when it appears in the wordings of one
/// direction only, as "higher", "more" or "unlikely" do and "likely" or
/// "chance" do not. A word of four letters or more also points when it is
/// one edit per three letters from such a word ("hihger").
fn cue_direction(entries: &[Entry], says: &str) -> Option<Direction> {
    let mut vocabulary: Vec<(&str, Vec<Direction>)> = Vec::new();
    for entry in entries {
        for word in entry.wordings.iter().flat_map(|w| words(w)) {
            match vocabulary.iter_mut().find(|(known, _)| *known == word) {
                Some((_, directions)) if !directions.contains(&entry.direction) => {
                    directions.push(entry.direction)
                }
                Some(_) => {}
                None => vocabulary.push((word, vec![entry.direction])),
            }
        }
    }
    let known: Vec<&str> = vocabulary.iter().map(|(word, _)| *word).collect();
    let mut found: Option<Direction> = None;
    for word in words(says) {
        let length = word.chars().count();
        let matched = if length < 3 {
            None // "a", "of", "as", "be": grammar, not direction
        } else if known.contains(&word) {
            Some(word)
        } else if length >= 4 {
            suggest::nearest(word, known.iter().copied())
                .filter(|k| suggest::distance(word, k) <= length / 3)
        } else {
            None
        };
        let Some((_, directions)) = matched.and_then(|m| vocabulary.iter().find(|(k, _)| *k == m))
        else {
            continue;
        };
        if let [direction] = directions.as_slice() {
            if found.is_some_and(|f| f != *direction) {
                return None; // "more lower": the words disagree
            }
            found = Some(*direction);
        }
    }
    found
}

/// An entry whose note quotes `says` ('fair chance'): the lexicon's author
/// has already said that the two are near in meaning.
fn named_in_a_note<'a>(pool: &[&'a Entry<'a>], says: &str) -> Option<&'a Entry<'a>> {
    if says.chars().count() < 3 {
        return None;
    }
    let quoted = [format!("'{says}'"), format!("\"{says}\"")];
    pool.iter().copied().find(|e| {
        e.note
            .map(str::to_lowercase)
            .is_some_and(|note| quoted.iter().any(|q| note.contains(q.as_str())))
    })
}

/// The entry with a wording that `says` is a close typo of (at most a third
/// of its length in edits, as for every name).
fn close_typo<'a>(pool: &[&'a Entry<'a>], says: &str) -> Option<&'a Entry<'a>> {
    let wordings = pool.iter().flat_map(|e| e.wordings.iter().copied());
    let best = suggest::close(says, wordings)?;
    pool.iter().copied().find(|e| e.wordings.contains(&best))
}

/// The entry with the wording nearest to `says` in spelling, however far.
fn nearest_spelling<'a>(pool: &[&'a Entry<'a>], says: &str) -> Option<&'a Entry<'a>> {
    let wordings = pool.iter().flat_map(|e| e.wordings.iter().copied());
    let best = suggest::nearest(says, wordings)?;
    pool.iter().copied().find(|e| e.wordings.contains(&best))
}

/// The edit distance from `says` to the entry's nearest wording.
fn spelling(entry: &Entry, says: &str) -> usize {
    entry
        .wordings
        .iter()
        .map(|w| suggest::distance(says, w))
        .min()
        .unwrap_or(usize::MAX)
}

fn band_distance(a: (f64, f64), b: (f64, f64)) -> f64 {
    (a.0 - b.0).abs() + (a.1 - b.1).abs()
}

/// The words of a wording: letters, digits and apostrophes.
fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .filter(|w| !w.is_empty())
}

/// A probability as a percentage: 0.45 is `45`, 0.995 is `99.5`.
fn percent(p: f64) -> String {
    num(p * 100.0)
}

/// A number with at most two decimals, without trailing zeros.
fn num(x: f64) -> String {
    let text = format!("{x:.2}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" {
        "0".to_string()
    } else {
        text.to_string()
    }
}
