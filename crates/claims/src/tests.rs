//! Tests of the claims loader and the lexicon: valid files load, and every
//! class of error is reported at its line and column with a useful hint.

use super::*;

/// A small model with two scenarios, boolean, categorical and numeric nodes.
const MODEL: &str = r#"
[model]
name = "t"
title = "A test model"

[params.u]
doc = "An uncertain share."
dist = "uniform"
low = 0
high = 1

[nodes.a]
doc = "A."
p = 0.3

[nodes.c]
doc = "C."
p = "if(a, 0.8, 0.1)"

[nodes.who]
doc = "Who."
states = ["x", "y"]
p = { x = 0.5, y = 0.5 }

[outcomes.c_happens]
doc = "C happens."
when = "c"

[scenarios.history]
doc = "As it went."
set = { u = 0.5 }

[scenarios.force_a]
doc = "A is made to happen."
do = { a = true }
"#;

/// A lexicon with two phrases and two comparative words.
const LEXICON: &str = r#"
version = 1

[verdicts]
supported = 0.75
contradicted = 0.25
no_defined_draws = "undefined"

[sources.ipcc]
title = "Guidance"
author = "Someone"
publisher = "IPCC"

[phrases.likely]
band = [0.66, 1.0]
source = "ipcc"
kind = "scale"
maps_to = "likely"

[phrases.unlikely]
band = [0.0, 0.33]
source = "ipcc"
kind = "scale"
maps_to = "unlikely"

[comparatives.higher]
rule = "d > 0.02 and OR > 1/0.9"
d_above = 0.02
odds_ratio_above = 1.1111111111111112

[comparatives."about the same"]
rule = "|d| <= 0.02 or 0.9 <= OR <= 1/0.9"
d_within = 0.02
odds_ratio_within = [0.9, 1.1111111111111112]
"#;

fn model() -> Model {
    uchronia_model::load("m.toml", MODEL)
        .expect("the test model is valid")
        .model
}

fn lexicon() -> Lexicon {
    load_lexicon("words.toml", LEXICON).expect("the test lexicon is valid")
}

/// Parses and compiles a claims file; the rendered errors on failure.
fn check(source: &str) -> Result<Vec<Claim>, String> {
    let file = parse("c.toml", source).map_err(|d| d.to_string())?;
    compile(&file, &model(), &lexicon()).map_err(|d| d.to_string())
}

/// The errors of a claims file that should fail, rendered.
fn errors(source: &str) -> String {
    match check(source) {
        Ok(_) => panic!("expected errors for:\n{source}"),
        Err(text) => text,
    }
}

/// A claims file with one claim made of `body` (lines after the header).
fn one(body: &str) -> String {
    format!("model = \"m.toml\"\n\n[[claims]]\n{body}")
}

const GOOD: &str = "id = \"a\"\nauthor = \"x\"\nquote = \"q\"\nscenario = \"history\"\nevent = \"c\"\nsays = \"likely\"\n";

#[test]
fn a_valid_file_compiles_absolute_conditional_comparative_and_band_claims() {
    let source = r#"model = "../models/m.toml"

[source]
title = "A thread"
kind = "forum thread"

[[claims]]
id = "abs"
author = "x"
quote = "q"
scenario = "history"
event = "c_happens"
says = "  Likely "

[[claims]]
id = "cond-1"
author = "x"
quote = "q"
scenario = "history"
event = "a"
given = "c and who == 'x'"
says = [0.2, 0.9]
doc = "Why."

[[claims]]
id = "cmp_2"
author = "x"
quote = "q"
scenario = "force_a"
than = "history"
event = "c"
says = "higher"
"#;
    let file = parse("c.toml", source).expect("valid");
    assert_eq!(file.model, "../models/m.toml");
    assert_eq!(file.title.as_deref(), Some("A thread"));
    let claims = compile(&file, &model(), &lexicon()).expect("valid");
    assert_eq!(claims.len(), 3);
    assert_eq!(claims[0].test, Test::Band { lo: 0.66, hi: 1.0 });
    assert_eq!(claims[0].says, "  Likely ");
    assert_eq!(claims[1].test, Test::Band { lo: 0.2, hi: 0.9 });
    assert_eq!(claims[1].says, "[0.2, 0.9]");
    assert_eq!(claims[1].given_text.as_deref(), Some("c and who == 'x'"));
    assert!(matches!(&claims[2].test, Test::Compare { word, .. } if word == "higher"));
    assert_eq!(claims[2].than, Some((0, "history".to_string())));
    assert_eq!(scenarios_needed(&claims), vec![0, 1]);

    let (extended, outcomes) = attach(&model(), &claims);
    assert_eq!(outcomes, vec![1, 2, 3]);
    assert_eq!(extended.outcomes.len(), 4);
    assert!(extended.outcomes[1..].iter().all(|o| !o.listed));
    assert_eq!(extended.outcomes[1].name, "claim abs");
    match &extended.outcomes[2].kind {
        OutcomeKind::Boolean { given, .. } => assert!(given.is_some()),
        OutcomeKind::Numeric { .. } => panic!("a claim is a boolean outcome"),
    }
}

#[test]
fn an_unknown_key_gets_the_nearest_key() {
    let text = errors(&one(&format!("{GOOD}evnt = \"c\"\n")));
    assert!(
        text.contains("c.toml:10:1: error: unknown key `evnt`"),
        "{text}"
    );
    assert!(text.contains("did you mean `event`?"), "{text}");
}

#[test]
fn a_missing_key_is_reported_at_the_claim() {
    let text = errors(&one(
        "id = \"a\"\nauthor = \"x\"\nscenario = \"history\"\nevent = \"c\"\nsays = \"likely\"\n",
    ));
    assert!(
        text.contains("c.toml:3:1: error: missing key `quote` in a claim"),
        "{text}"
    );
}

#[test]
fn a_bad_id_and_a_duplicate_id_are_refused() {
    let text = errors(&one(&GOOD.replace("\"a\"", "\"Bad Id\"")));
    assert!(
        text.contains("c.toml:4:6: error: invalid claim id \"Bad Id\""),
        "{text}"
    );
    assert!(text.contains("\"bad-id\""), "a fixed id as hint: {text}");

    let source = format!("{}\n[[claims]]\n{GOOD}", one(GOOD));
    let text = errors(&source);
    assert!(
        text.contains("c.toml:12:6: error: duplicate claim id \"a\""),
        "{text}"
    );
    assert!(text.contains("line 4"), "{text}");
}

#[test]
fn an_unknown_scenario_gets_the_nearest_one() {
    let text = errors(&one(&GOOD.replace("\"history\"", "\"histry\"")));
    assert!(
        text.contains("c.toml:7:12: error: unknown scenario `histry`"),
        "{text}"
    );
    assert!(text.contains("did you mean `history`?"), "{text}");
}

#[test]
fn than_equal_to_scenario_is_refused() {
    let body = GOOD.replace("\"likely\"", "\"higher\"") + "than = \"history\"\n";
    let text = errors(&one(&body));
    assert!(
        text.contains("c.toml:10:8: error: `than` is the claim's own scenario"),
        "{text}"
    );
}

#[test]
fn an_expression_error_points_inside_the_string() {
    let text = errors(&one(&GOOD.replace("event = \"c\"", "event = \"a and cc\"")));
    // `cc` starts at column 16 of line 8: `event = "a and cc"`.
    assert!(text.contains("c.toml:8:16: error:"), "{text}");
    assert!(text.contains("`c`"), "the nearest name: {text}");

    let text = errors(&one(&format!("{GOOD}given = \"who == 'z'\"\n")));
    assert!(text.contains("c.toml:10:"), "{text}");
}

#[test]
fn an_event_or_given_that_is_not_boolean_is_refused() {
    let text = errors(&one(&GOOD.replace("event = \"c\"", "event = \"u * 2\"")));
    assert!(
        text.contains("c.toml:8:9: error: `event` must be a boolean expression, found a number"),
        "{text}"
    );
    assert!(text.contains("u * 2 > 0.5"), "{text}");

    let text = errors(&one(&format!("{GOOD}given = \"who\"\n")));
    assert!(
        text.contains("c.toml:10:9: error: `given` must be a boolean expression, found a state"),
        "{text}"
    );
}

#[test]
fn an_unknown_phrase_gets_the_nearest_phrase() {
    let text = errors(&one(&GOOD.replace("\"likely\"", "\"likley\"")));
    assert!(
        text.contains("c.toml:9:8: error: unknown phrase \"likley\""),
        "{text}"
    );
    assert!(
        text.contains("did you mean \"likely\"? \"likely\" means 66–100%; or add the phrase"),
        "{text}"
    );

    let body = GOOD.replace("\"likely\"", "\"highr\"") + "than = \"force_a\"\n";
    let text = errors(&one(&body));
    assert!(
        text.contains("unknown comparative word \"highr\""),
        "{text}"
    );
    assert!(text.contains("\"higher\""), "{text}");
}

#[test]
fn a_comparative_word_needs_than_and_a_phrase_refuses_it() {
    let text = errors(&one(&GOOD.replace("\"likely\"", "\"higher\"")));
    assert!(
        text.contains(
            "c.toml:9:8: error: \"higher\" is a comparative word, but the claim has no `than`"
        ),
        "{text}"
    );

    let text = errors(&one(&format!("{GOOD}than = \"force_a\"\n")));
    assert!(
        text.contains(
            "c.toml:9:8: error: \"likely\" is a phrase, but `than` makes this claim comparative"
        ),
        "{text}"
    );

    let body = GOOD.replace("\"likely\"", "[0.1, 0.2]") + "than = \"force_a\"\n";
    let text = errors(&one(&body));
    assert!(
        text.contains(
            "c.toml:9:8: error: a comparative claim (with `than`) needs a comparative word"
        ),
        "{text}"
    );
}

#[test]
fn a_band_outside_zero_one_or_reversed_is_refused() {
    for band in ["[0.5, 0.2]", "[-0.1, 0.5]", "[0.2, 1.5]", "[0.3, 0.3]"] {
        let text = errors(&one(&GOOD.replace("\"likely\"", band)));
        assert!(text.contains("c.toml:9:8: error: band"), "{band}: {text}");
        assert!(text.contains("0 <= lo < hi <= 1"), "{text}");
    }
    let text = errors(&one(&GOOD.replace("\"likely\"", "[0.5]")));
    assert!(
        text.contains("c.toml:9:8: error: `says` must hold two numbers"),
        "{text}"
    );
}

#[test]
fn a_file_without_claims_is_refused() {
    let text = errors("model = \"m.toml\"\n");
    assert!(
        text.contains("c.toml:1:1: error: the claims file has no claims"),
        "{text}"
    );
    let text = errors("model = \"m.toml\"\nclaims = []\n");
    assert!(
        text.contains("c.toml:2:10: error: the claims file has no claims"),
        "{text}"
    );
    let text = errors(&one(GOOD).replace("model = \"m.toml\"\n", ""));
    assert!(text.contains("missing key `model`"), "{text}");
}

#[test]
fn invalid_toml_is_one_error_with_its_place() {
    let text = errors("model = \"m.toml\n");
    assert!(text.contains("c.toml:1:"), "{text}");
    assert!(text.contains("invalid TOML"), "{text}");
}

#[test]
fn every_error_of_a_file_is_reported_at_once() {
    let source = format!(
        "{}\n[[claims]]\n{}",
        one(&GOOD.replace("\"history\"", "\"nope\"")),
        GOOD.replace("\"a\"", "\"b\"")
            .replace("\"likely\"", "\"likley\"")
    );
    let text = errors(&source);
    assert!(text.contains("unknown scenario `nope`"), "{text}");
    assert!(text.contains("unknown phrase \"likley\""), "{text}");
}

#[test]
fn the_shipped_lexicon_loads() {
    let source = crate::BUILT_IN_LEXICON;
    let lexicon = load_lexicon("data/estimative-words.toml", source).expect("valid");
    assert_eq!(lexicon.verdicts.supported, 0.75);
    assert_eq!(lexicon.verdicts.contradicted, 0.25);
    assert_eq!(lexicon.phrase(" Likely").map(|p| p.band), Some((0.66, 1.0)));
    let lower = lexicon.comparative("lower").expect("lower");
    assert!(lower.rule.holds(-0.03, 0.8));
    assert!(!lower.rule.holds(-0.01, 0.5));
    let same = lexicon.comparative("about the same").expect("same");
    assert!(same.rule.holds(0.3, 1.05));
    assert!(!same.rule.holds(0.3, 2.0));
    // The three words partition: exactly one holds, for a grid of draws.
    let higher = lexicon.comparative("higher").expect("higher");
    for (p1, p0) in [
        (0.5, 0.52),
        (0.1, 0.3),
        (0.9, 0.6),
        (0.001, 0.003),
        (0.5, 0.5),
    ] {
        let odds = |p: f64| p / (1.0 - p);
        let (d, or) = (p1 - p0, odds(p1) / odds(p0));
        let count = [lower, same, higher]
            .iter()
            .filter(|w| w.rule.holds(d, or))
            .count();
        assert_eq!(count, 1, "p1 = {p1}, p0 = {p0}");
    }
}

#[test]
fn the_shipped_claims_compile_against_the_shipped_model() {
    let model_source = include_str!("../../../models/trotsky.toml");
    let mut model = uchronia_model::load("models/trotsky.toml", model_source)
        .expect("valid model")
        .model;
    let lexicon = load_lexicon(
        "data/estimative-words.toml",
        include_str!("../../../data/estimative-words.toml"),
    )
    .expect("valid lexicon");
    let file = parse(
        "data/claims/trotsky-thread.toml",
        include_str!("../../../data/claims/trotsky-thread.toml"),
    )
    .expect("valid claims file");
    assert_eq!(file.model, "../../models/trotsky.toml");
    // The dated claims (`known_through`) read scenarios the run adds.
    crate::known::add_known_scenarios(&mut model, std::slice::from_ref(&file));
    // So do the matched baselines that claims name (`S~baseline`).
    crate::matched::add_matched_baselines(&mut model, std::slice::from_ref(&file));
    let claims = compile(&file, &model, &lexicon).expect("every claim compiles");
    assert_eq!(claims.len(), 47);
    // The world a run adds for the dated claims is told apart from the
    // model's own scenarios, even one with the same name.
    let added: Vec<&str> = (model.scenarios.iter())
        .filter(|s| crate::known::added_for_dated_claims(s))
        .map(|s| s.name.as_str())
        .collect();
    assert_eq!(added, ["known_through_1917"]);
    let mut own = model.scenarios[0].clone();
    own.name = "known_through_1917".into();
    assert!(!crate::known::added_for_dated_claims(&own));
}

/// A lexicon with one edit applied, expected to fail.
fn lexicon_errors(from: &str, to: &str) -> String {
    assert!(LEXICON.contains(from), "{from}");
    match load_lexicon("words.toml", &LEXICON.replacen(from, to, 1)) {
        Ok(_) => panic!("expected errors after {from} -> {to}"),
        Err(d) => d.to_string(),
    }
}

#[test]
fn a_malformed_lexicon_is_refused_with_its_place() {
    let text = lexicon_errors("band = [0.66, 1.0]", "band = [0.66, 1.2]");
    assert!(
        text.contains("words.toml:15:8: error: band [0.66, 1.2]"),
        "{text}"
    );

    let text = lexicon_errors("maps_to = \"likely\"", "map_to = \"likely\"");
    assert!(
        text.contains("words.toml:18:1: error: unknown key `map_to`"),
        "{text}"
    );
    assert!(text.contains("did you mean `maps_to`?"), "{text}");
    assert!(text.contains("missing key `maps_to`"), "{text}");

    let text = lexicon_errors("source = \"ipcc\"", "source = \"ipc\"");
    assert!(
        text.contains("words.toml:16:10: error: unknown source `ipc`"),
        "{text}"
    );

    let text = lexicon_errors("kind = \"scale\"", "kind = \"mapped\"");
    assert!(text.contains("missing key `note`"), "{text}");

    let text = lexicon_errors("[phrases.likely]", "[phrases.Likely]");
    assert!(text.contains("not trimmed lowercase"), "{text}");

    let text = lexicon_errors("d_above = 0.02", "d_below = 0.02");
    assert!(text.contains("mixes two rule shapes"), "{text}");

    let text = lexicon_errors(
        "odds_ratio_above = 1.1111111111111112",
        "odds_ratio_above = -1",
    );
    assert!(text.contains("positive odds ratio"), "{text}");

    let text = lexicon_errors("supported = 0.75", "supported = 0.2");
    assert!(
        text.contains("0 <= contradicted < supported <= 1"),
        "{text}"
    );

    let text = lexicon_errors("version = 1", "version = 2");
    assert!(
        text.contains("words.toml:2:11: error: unsupported lexicon version"),
        "{text}"
    );

    let text = lexicon_errors(
        "no_defined_draws = \"undefined\"",
        "no_defined_draws = \"contested\"",
    );
    assert!(
        text.contains("`no_defined_draws` must be \"undefined\""),
        "{text}"
    );
}

#[test]
fn a_wording_listed_under_a_comparative_word_is_that_word() {
    let words = LEXICON.replacen(
        "d_above = 0.02\n",
        "d_above = 0.02\nphrases = [\"far more likely\"]\n",
        1,
    );
    let lexicon = load_lexicon("words.toml", &words).expect("valid");
    let body = GOOD.replace("\"likely\"", "\"Far more likely\"") + "than = \"force_a\"\n";
    let file = parse("c.toml", &one(&body)).expect("parses");
    let claims = compile(&file, &model(), &lexicon).expect("compiles");
    assert_eq!(claims[0].says, "Far more likely");
    assert!(
        matches!(&claims[0].test, Test::Compare { word, .. } if word == "higher"),
        "{:?}",
        claims[0].test
    );
}

#[test]
fn a_listed_wording_must_be_lowercase_and_mean_one_word() {
    let text = lexicon_errors(
        "d_above = 0.02\n",
        "d_above = 0.02\nphrases = [\"More likely\"]\n",
    );
    assert!(
        text.contains("lexicon phrase \"More likely\" is not trimmed lowercase"),
        "{text}"
    );
    let text = lexicon_errors(
        "d_within = 0.02\n",
        "d_within = 0.02\nphrases = [\"higher\"]\n",
    );
    assert!(
        text.contains("error: \"higher\" means both \"higher\" and \"about the same\""),
        "{text}"
    );
}
