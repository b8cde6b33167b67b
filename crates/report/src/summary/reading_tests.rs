//! Expressions read in the model's words: labels in place of identifiers,
//! outcomes' events by their labels, operators in words, parentheses where
//! the grammar needs them, and a fallback that never fails.

use super::*;
use crate::testing;

const MODEL: &str = r#"
[model]
name = "words"
title = "Words"

[params.support]
label = "Support in the Central Committee"
dist = "beta"
a = 2
b = 5

[params.odds]
dist = "uniform"
low = 1
high = 3

[nodes.offensive]
p = 0.2

[nodes.polish_war]
p = 0.3

[nodes.testament]
label = "The testament is read"
p = 0.1

[nodes.leader]
states = ["stalin", "trotsky", "other"]

[[nodes.leader.table]]
weights = { stalin = 8, trotsky = 1, other = 1 }

[nodes.war_year]
dist = "uniform"
low = 1929
high = 1940
round = true

[outcomes.war_with_poland]
label = "A Soviet-Polish war"
when = "polish_war"

[outcomes.trotsky_leads]
label = "Trotsky leads in 1928"
when = "leader == 'trotsky'"

[outcomes.war_begins]
label = "The year the war begins"
value = "war_year"

[outcomes.plain]
when = "offensive and testament"

[scenarios.history]
do = { testament = false }
"#;

fn model() -> Model {
    match uchronia_model::load("words.toml", MODEL) {
        Ok(loaded) => loaded.model,
        Err(error) => panic!("the model loads: {error}"),
    }
}

fn said(source: &str) -> Line {
    expression(&model(), source)
}

/// The line as Markdown shows it, for short assertions.
fn shown(line: &Line) -> String {
    line.iter()
        .map(|piece| match piece {
            Inline::Code(s) => format!("`{s}`"),
            Inline::Text(s) | Inline::Strong(s) | Inline::File(s) => s.clone(),
        })
        .collect()
}

#[test]
fn a_lone_name_reads_as_its_label_without_quotation_marks() {
    assert_eq!(said("testament"), vec![text("The testament is read")]);
    assert_eq!(said("trotsky_leads"), vec![text("Trotsky leads in 1928")]);
    assert_eq!(said("war_with_poland"), vec![text("A Soviet-Polish war")]);
    // No label: the identifier, as code.
    assert_eq!(said("offensive"), vec![code("offensive")]);
    assert_eq!(said("plain"), vec![code("plain")]);
}

#[test]
fn an_outcomes_event_reads_as_the_outcomes_label() {
    // The node an outcome is made of, and a comparison that is exactly an
    // outcome's event, read as that outcome.
    assert_eq!(shown(&said("polish_war")), "A Soviet-Polish war");
    assert_eq!(shown(&said("leader == 'trotsky'")), "Trotsky leads in 1928");
    assert_eq!(shown(&said("war_year")), "The year the war begins");
    // Another state is not that outcome.
    assert_eq!(shown(&said("leader == 'other'")), "`leader` is `other`");
    // An unlabelled outcome lends nothing.
    assert_eq!(
        shown(&said("offensive and testament")),
        "`offensive` and “The testament is read”"
    );
}

#[test]
fn compound_expressions_read_in_words_with_labels_in_quotation_marks() {
    assert_eq!(
        shown(&said("offensive or war_with_poland")),
        "`offensive` or “A Soviet-Polish war”"
    );
    assert_eq!(
        shown(&said("offensive or polish_war")),
        "`offensive` or “A Soviet-Polish war”"
    );
    assert_eq!(
        shown(&said("leader != 'stalin' and not testament")),
        "`leader` is not `stalin` and not “The testament is read”"
    );
    assert_eq!(
        shown(&said("support <= 0.05")),
        "“Support in the Central Committee” ≤ 0.05"
    );
    assert_eq!(
        shown(&said("war_year <= 1931 and odds >= 1.5")),
        "“The year the war begins” ≤ 1931 and `odds` ≥ 1.5"
    );
    assert_eq!(
        shown(&said("testament == false")),
        "“The testament is read” is false"
    );
}

#[test]
fn parentheses_stay_where_the_grammar_needs_them() {
    assert_eq!(
        shown(&said("not (offensive and (testament or polish_war))")),
        "not (`offensive` and (“The testament is read” or “A Soviet-Polish war”))"
    );
    assert_eq!(
        shown(&said("(offensive and testament) or polish_war")),
        "(`offensive` and “The testament is read”) or “A Soviet-Polish war”"
    );
    assert_eq!(
        shown(&said("offensive or testament or not leader == 'stalin'")),
        "`offensive` or “The testament is read” or not (`leader` is `stalin`)"
    );
    assert_eq!(
        shown(&said("odds * (support + 1) > 2 - (odds - 1)")),
        "`odds` * (“Support in the Central Committee” + 1) > 2 - (`odds` - 1)"
    );
    assert_eq!(
        shown(&said("min(odds, 2) ^ -1 < if(testament, 1, 2)")),
        "min(`odds`, 2)^-1 < if(“The testament is read”, 1, 2)"
    );
}

#[test]
fn text_that_does_not_compile_is_shown_as_written() {
    assert_eq!(said(" no_such_name or "), vec![code("no_such_name or")]);
    assert_eq!(said("leader == 'tsar'"), vec![code("leader == 'tsar'")]);
    assert_eq!(said(""), vec![code("")]);
    assert_eq!(condition(&model(), "nothing"), vec![code("nothing")]);
}

#[test]
fn a_condition_quotes_even_a_lone_label() {
    let model = model();
    assert_eq!(
        shown(&condition(&model, "testament")),
        "“The testament is read”"
    );
    assert_eq!(shown(&condition(&model, "offensive")), "`offensive`");
}

#[test]
fn a_claim_reads_as_its_event_and_its_condition_in_both_scenarios_of_a_comparison() {
    let model = model();
    let mut claim = testing::claims("")[0].clone();
    claim.event = "trotsky_leads".into();
    assert_eq!(shown(&reading(&model, &claim)), "Trotsky leads in 1928");
    claim.given = Some("offensive or war_with_poland".into());
    assert_eq!(
        shown(&reading(&model, &claim)),
        "Trotsky leads in 1928, given `offensive` or “A Soviet-Polish war”"
    );
    claim.given = Some("war_with_poland".into());
    assert_eq!(
        shown(&reading(&model, &claim)),
        "Trotsky leads in 1928, given “A Soviet-Polish war”"
    );
    claim.given = Some("offensive or war_with_poland".into());
    claim.than = Some("history".into());
    assert_eq!(
        shown(&reading(&model, &claim)),
        "Trotsky leads in 1928, given `offensive` or “A Soviet-Polish war”"
    );
}
