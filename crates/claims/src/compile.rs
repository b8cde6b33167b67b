//! The second stage of loading a claims file: each claim checked against
//! the model and the lexicon. Its scenarios (a name, a year it is
//! `known_through`, or a matched baseline `S~baseline`), its `event` and
//! `given` (compiled by the model's own checker and required to be
//! boolean), and the phrase or band in `says` (with `than`, a comparative
//! word). Every error is collected, at its place in the file.

use uchronia_model::baseline::BASELINE_SUFFIX;
use uchronia_model::reader::Sink;
use uchronia_model::suggest;
use uchronia_model::{Diagnostics, Expr, Model, ScenarioId, Span, Type};

use crate::lexicon::Lexicon;
use crate::{Claim, ClaimsFile, Located, RawClaim, RawSays, Test, known, matched, nearest};

/// Checks every claim of `file` against `model` and `lexicon`. On failure,
/// every error found, in source order.
pub fn compile(
    file: &ClaimsFile,
    model: &Model,
    lexicon: &Lexicon,
) -> Result<Vec<Claim>, Diagnostics> {
    let mut sink = Sink::new(&file.path, &file.source);
    let claims: Vec<Claim> = file
        .claims
        .iter()
        .filter_map(|raw| compile_claim(&mut sink, file, raw, model, lexicon))
        .collect();
    sink.finish()?;
    Ok(claims)
}

/// The scenario of the world as known through `year`, which
/// [`known::add_known_scenarios`] gave the model.
fn known_of(sink: &mut Sink, model: &Model, year: i64, at: Span) -> Option<ScenarioId> {
    if year > 1_000_000 {
        sink.error(
            at,
            format!("`known_through` is out of range: {year}; years lie within ±1000000"),
            None,
        );
        return None;
    }
    let found = i32::try_from(year)
        .ok()
        .and_then(|y| known::known_scenario(model, y));
    if found.is_none() {
        sink.error(
            at,
            format!("no scenario of the world as known through {year}"),
            Some("add the claims' dated scenarios first (known::add_known_scenarios)".into()),
        );
    }
    found
}

fn scenario_of(sink: &mut Sink, model: &Model, name: &Located, key: &str) -> Option<ScenarioId> {
    let found = model.scenario_id(&name.text);
    if let Some(id) = found.or_else(|| matched::find(model, &name.text)) {
        return Some(id);
    }
    if let Some((message, hint)) = matched::why_no_baseline(model, &name.text) {
        sink.error(name.span, message, Some(hint));
        return None;
    }
    let names: Vec<&str> = model.scenarios.iter().map(|s| s.name.as_str()).collect();
    // `S~baseline` with S misspelt: the nearest S, with its suffix.
    let (wanted, suffix) = match name.text.strip_suffix(BASELINE_SUFFIX) {
        Some(of) => (of, BASELINE_SUFFIX),
        None => (name.text.as_str(), ""),
    };
    let hint = match suggest::close(wanted, names.iter().copied()) {
        Some(near) => format!("did you mean `{near}{suffix}`?"),
        None => format!("the model's scenarios: {}", suggest::list(&names)),
    };
    sink.error(
        name.span,
        format!(
            "unknown scenario `{}` in `{key}`: model `{}` has no such scenario",
            name.text, model.name
        ),
        Some(hint),
    );
    None
}

/// Compiles `event` or `given`: names, states and types by the model's own
/// checker, then the requirement that it be a boolean.
fn condition(sink: &mut Sink, model: &Model, expr: &Located, key: &str) -> Option<Expr> {
    match uchronia_model::compile_expression(model, &expr.text, true) {
        Err(error) => {
            sink.error(expr.file_span(error.span), error.message, error.hint);
            None
        }
        Ok((_, ty)) if ty != Type::Boolean => {
            let (found, hint) = match ty {
                Type::Number => (
                    "a number",
                    format!("compare it with a threshold, e.g. `{} > 0.5`", expr.text),
                ),
                _ => (
                    "a state",
                    format!("compare it with a state, e.g. `{} == 'STATE'`", expr.text),
                ),
            };
            sink.error(
                expr.span,
                format!("`{key}` must be a boolean expression, found {found}"),
                Some(hint),
            );
            None
        }
        Ok((compiled, _)) => Some(compiled),
    }
}

fn compile_claim(
    sink: &mut Sink,
    file: &ClaimsFile,
    raw: &RawClaim,
    model: &Model,
    lexicon: &Lexicon,
) -> Option<Claim> {
    let scenario = match (&raw.scenario, raw.known_through) {
        (Some(name), _) => scenario_of(sink, model, name, "scenario"),
        (None, Some((year, at))) => known_of(sink, model, year, at),
        (None, None) => None,
    };
    let than = raw
        .than
        .as_ref()
        .and_then(|than| scenario_of(sink, model, than, "than").map(|id| (id, than)));
    if let (Some(scenario), Some((than_id, than))) = (scenario, &than)
        && scenario == *than_id
    {
        sink.error(
            than.span,
            format!(
                "`than` is the claim's own scenario `{}`: a comparison needs another scenario",
                than.text
            ),
            Some("name the scenario to compare with, or drop `than` for an absolute claim".into()),
        );
    }
    let event = condition(sink, model, &raw.event, "event");
    let given = match &raw.given {
        Some(given) => condition(sink, model, given, "given").map(Some),
        None => Some(None),
    };
    let test = says_test(sink, raw, lexicon);
    let scenario = scenario?;
    let than = match (&raw.than, than) {
        (Some(_), None) => return None,
        (_, than) => than.map(|(id, located)| (id, located.text.clone())),
    };
    if than.as_ref().is_some_and(|(id, _)| *id == scenario) {
        return None;
    }
    let (event, given, test) = (event?, given?, test?);
    Some(Claim {
        id: raw.id.text.clone(),
        author: raw.author.clone(),
        quote: raw.quote.clone(),
        doc: raw.doc.clone(),
        post: raw.post,
        scenario,
        // As written: `S~baseline` may stand for a scenario of another name.
        scenario_name: (raw.scenario.as_ref()).map_or_else(
            || model.scenarios[scenario].name.clone(),
            |s| s.text.clone(),
        ),
        known_through: raw.known_through.map(|(year, _)| year),
        than,
        event_text: raw.event.text.clone(),
        given_text: raw.given.as_ref().map(|g| g.text.clone()),
        event,
        given,
        says: match &raw.says {
            RawSays::Phrase(phrase) => phrase.text.clone(),
            RawSays::Band(_, text) => text.text.clone(),
        },
        test,
        file: file.path.clone(),
        span: raw.span,
    })
}

/// What `says` means: a band, or a comparative rule; with `than` it must be
/// a comparative word, without it a phrase or a band.
fn says_test(sink: &mut Sink, raw: &RawClaim, lexicon: &Lexicon) -> Option<Test> {
    let comparative_words = || -> String {
        let words: Vec<&str> = lexicon.comparatives.keys().map(String::as_str).collect();
        suggest::list(&words)
    };
    match (&raw.says, &raw.than) {
        (RawSays::Band((lo, hi), _), None) => Some(Test::Band { lo: *lo, hi: *hi }),
        (RawSays::Band(_, at), Some(_)) => {
            sink.error(
                at.span,
                "a comparative claim (with `than`) needs a comparative word, not a band",
                Some(format!("the comparative words: {}", comparative_words())),
            );
            None
        }
        (RawSays::Phrase(says), Some(_)) => {
            if let Some(word) = lexicon.comparative(&says.text) {
                return Some(Test::Compare {
                    word: word.word.clone(),
                    rule: word.rule,
                    same: lexicon.same_rule(),
                });
            }
            if lexicon.phrase(&says.text).is_some() {
                sink.error(
                    says.span,
                    format!(
                        "\"{}\" is a phrase, but `than` makes this claim comparative",
                        says.text
                    ),
                    Some(format!(
                        "with `than`, say one of {}; or drop `than` for an absolute claim",
                        comparative_words()
                    )),
                );
                return None;
            }
            sink.error(
                says.span,
                format!("unknown comparative word \"{}\"", says.text),
                nearest::comparative(lexicon, &says.text).map(|near| near.hint()),
            );
            None
        }
        (RawSays::Phrase(says), None) => {
            if let Some(phrase) = lexicon.phrase(&says.text) {
                let (lo, hi) = phrase.band;
                return Some(Test::Band { lo, hi });
            }
            if lexicon.comparative(&says.text).is_some() {
                sink.error(
                    says.span,
                    format!(
                        "\"{}\" is a comparative word, but the claim has no `than`",
                        says.text
                    ),
                    Some("add than = \"SCENARIO\": the scenario to compare with".into()),
                );
                return None;
            }
            let hint = nearest::phrase(lexicon, &says.text).map(|near| {
                format!(
                    "{}; or add the phrase to the lexicon, or give a band: says = [lo, hi]",
                    near.hint()
                )
            });
            sink.error(
                says.span,
                format!("unknown phrase \"{}\": not in the lexicon", says.text),
                hint,
            );
            None
        }
    }
}
