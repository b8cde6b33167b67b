//! The lexicon by meaning, on the shipped lexicon: every wording it lists
//! for a comparative word is that word, and "did you mean" offers phrases
//! of the claim's kind and direction (docs/claims.md). The property test
//! checks that a typo of a comparative wording is never answered with a
//! word of the opposite direction.

use std::sync::OnceLock;

use proptest::prelude::*;
use uchronia_claims::nearest::{self, Direction};
use uchronia_claims::{Lexicon, Rule, load_lexicon};

const LEXICON: &str = include_str!("../../../data/estimative-words.toml");

fn lexicon() -> &'static Lexicon {
    static LEXICON_ONCE: OnceLock<Lexicon> = OnceLock::new();
    LEXICON_ONCE.get_or_init(|| load_lexicon("words.toml", LEXICON).expect("the shipped lexicon"))
}

fn direction(rule: &Rule) -> Direction {
    match rule {
        Rule::Below { .. } => Direction::Down,
        Rule::Within { .. } => Direction::Even,
        Rule::Above { .. } => Direction::Up,
    }
}

/// Every wording of every comparative word, with the word's direction.
fn comparative_wordings() -> Vec<(String, Direction)> {
    let mut all = Vec::new();
    for word in lexicon().comparatives.values() {
        all.push((word.word.clone(), direction(&word.rule)));
        for phrase in &word.phrases {
            all.push((phrase.clone(), direction(&word.rule)));
        }
    }
    all
}

#[test]
fn every_listed_wording_is_its_comparative_word() {
    let lexicon = lexicon();
    let far = lexicon.comparative("Far more likely ").expect("listed");
    assert_eq!(far.word, "much higher");
    for word in lexicon.comparatives.values() {
        for phrase in &word.phrases {
            let found = lexicon.comparative(phrase).expect("every listed wording");
            assert_eq!(found.word, word.word, "{phrase}");
        }
    }
    assert!(lexicon.comparative("far more likeli").is_none());
}

#[test]
fn a_typo_gets_the_word_of_its_direction_with_what_it_means() {
    let suggestion = nearest::comparative(lexicon(), "far more likeli").expect("a suggestion");
    assert_eq!(suggestion.key, "much higher");
    assert_eq!(suggestion.meaning, "d > 0.05 and OR > 2");
    assert_eq!(suggestion.direction, Direction::Up);
    assert_eq!(
        suggestion.near,
        [("higher".to_string(), "d > 0.02 and OR > 1.11".to_string())]
    );
    assert_eq!(
        suggestion.hint(),
        "did you mean \"much higher\"? \"much higher\" means d > 0.05 and OR > 2; near it in meaning: \"higher\" (d > 0.02 and OR > 1.11)"
    );
    // The words decide the direction even where the spelling is nearer to
    // the opposite word: "more chance" is four edits from "less chance"
    // (lower) and five from "more of a chance" (higher).
    let more = nearest::comparative(lexicon(), "more chance").expect("a suggestion");
    assert_eq!(more.key, "higher");
    let less = nearest::comparative(lexicon(), "a lot less likely").expect("a suggestion");
    assert_eq!(less.direction, Direction::Down);
}

#[test]
fn fair_chance_is_answered_by_the_phrase_whose_note_names_it() {
    // "even chance" is as near in spelling, but means 45–55%; the lexicon's
    // note on "a good chance" discusses "fair chance" (median reading 60%).
    let suggestion = nearest::phrase(lexicon(), "fair chance").expect("a suggestion");
    assert_eq!(suggestion.key, "a good chance");
    assert_eq!(suggestion.meaning, "33–100%");
    assert!(
        suggestion
            .near
            .iter()
            .all(|(key, meaning)| key != "even chance" && meaning == "33–100%"),
        "{:?}",
        suggestion.near
    );
}

#[test]
fn an_absolute_typo_keeps_its_direction_and_ranks_the_rest_by_band() {
    let unlikely = nearest::phrase(lexicon(), "very unlikley").expect("a suggestion");
    assert_eq!(unlikely.key, "very unlikely");
    assert_eq!(unlikely.meaning, "0–10%");
    assert_eq!(unlikely.direction, Direction::Down);
    // Nearest bands first: the other 0–10% phrases before anything wider.
    assert!(
        unlikely.near.iter().all(|(_, meaning)| meaning == "0–10%"),
        "{:?}",
        unlikely.near
    );
    let even = nearest::phrase(lexicon(), "even chanse").expect("a suggestion");
    assert_eq!(even.key, "even chance");
    assert_eq!(even.meaning, "45–55%");
}

/// One typo: a character dropped, doubled, swapped with the next, or
/// replaced by a letter.
fn typo(text: &str, at: usize, kind: u8, letter: char) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    let at = at % chars.len();
    match kind % 4 {
        0 => {
            chars.remove(at);
        }
        1 => chars.insert(at, chars[at]),
        2 if at + 1 < chars.len() => chars.swap(at, at + 1),
        _ => chars[at] = letter,
    }
    chars.into_iter().collect()
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 512,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn a_suggestion_never_flips_the_direction_of_a_comparative(
        pick in 0usize..1000,
        at in 0usize..1000,
        kind in 0u8..4,
        letter in proptest::char::range('a', 'z'),
        // An extra word that carries no direction of its own (a word that
        // does, "lower more", makes the claim contradict itself).
        extra in proptest::option::of("[qxz]{1,8}"),
    ) {
        let wordings = comparative_wordings();
        let (wording, direction) = &wordings[pick % wordings.len()];
        let mut says = typo(wording, at, kind, letter);
        if let Some(extra) = extra {
            says = format!("{says} {extra}");
        }
        if lexicon().comparative(&says).is_none() {
            let suggestion = nearest::comparative(lexicon(), &says);
            let suggestion = suggestion.expect("an unknown word always gets a suggestion");
            prop_assert_eq!(suggestion.direction, *direction, "{} -> {}", says, suggestion.key);
            for (key, _) in &suggestion.near {
                let word = &lexicon().comparatives[key];
                prop_assert_eq!(direction_of(word), *direction);
            }
        }
    }
}

fn direction_of(word: &uchronia_claims::Comparative) -> Direction {
    direction(&word.rule)
}
