//! Time and facts (contract 1.1, sections 1 and 2) through `load`: `year`
//! and `fact` read and checked at their line, the chronology warning at the
//! line and column of every place a node can read a parent, and
//! `facts_through` scenarios built from the facts.

mod common;

use common::{check, framed, hint, ok};
use uchronia_model::{Check, Diagnostic, Value, Years, load};

fn chronology(body: &str) -> Vec<Diagnostic> {
    ok(body)
        .warnings
        .into_iter()
        .filter(|w| w.check == Check::Chronology)
        .collect()
}

/// The single chronology warning of `body`, at (`line` within the body, `column`).
fn one_warning(body: &str, line: usize, column: usize, message: &str) {
    let found = chronology(body);
    assert_eq!(found.len(), 1, "{found:?}");
    let w = &found[0];
    assert_eq!(
        (w.line, w.column),
        (line + common::HEADER_LINES, column),
        "{w}"
    );
    assert_eq!(w.message, message, "{w}");
    assert!(w.check.strict(), "--strict makes it an error");
}

const LATE: &str = "[nodes.late]\ndoc = \"d\"\nyear = 1935\np = 0.5\n";

#[test]
fn years_and_facts_are_read_as_written() {
    let loaded = ok(
        "[nodes.a]\ndoc = \"d\"\nyear = 1933\nfact = true\np = 0.5\n\
         [nodes.b]\ndoc = \"d\"\nyear = [1930, 1933]\nfact = \"x\"\nstates = [\"x\", \"y\"]\np = { x = 0.5 }\n\
         [nodes.c]\ndoc = \"d\"\nfact = 2.5\ndist = \"normal\"\nmean = 0\nsd = 1\n\
         [nodes.d]\ndoc = \"d\"\nvalue = \"c * 2\"\nfact = 5\n\
         [outcomes.o]\ndoc = \"d\"\nwhen = \"a and b == 'x' and d > c\"\n",
    );
    let m = &loaded.model;
    let node = |name: &str| m.nodes.iter().find(|n| n.name == name).expect("a node");
    assert_eq!(
        node("a").year,
        Some(Years {
            first: 1933,
            last: 1933
        })
    );
    assert_eq!(node("a").fact, Some(Value::Boolean(true)));
    assert_eq!(
        node("b").year,
        Some(Years {
            first: 1930,
            last: 1933
        })
    );
    assert_eq!(
        node("b").year.map(|y| y.to_string()),
        Some("1930-1933".into())
    );
    assert!(matches!(node("b").fact, Some(Value::State(_))));
    assert_eq!(node("c").year, None);
    assert_eq!(node("c").fact, Some(Value::Number(2.5)));
    assert_eq!(node("d").fact, Some(Value::Number(5.0)));
    assert_eq!(m.fact_years(), [1933]);
}

#[test]
fn a_fact_that_is_not_a_value_of_its_node_is_refused_at_its_line() {
    let d = check(
        "[nodes.a]\ndoc = \"d\"\nfact = \"yes\"\np = 0.5\n",
        "`fact` gives `a` a string, but the node `a` is a boolean",
        3,
        8,
    );
    assert!(hint(&d).contains("a = true"), "{d}");
    let d = check(
        "[nodes.b]\ndoc = \"d\"\nstates = [\"won\", \"lost\"]\np = { won = 0.5 }\nfact = \"wom\"\n",
        "\"wom\" is not a state of `b`",
        5,
        8,
    );
    assert!(hint(&d).contains("did you mean \"won\"?"), "{d}");
    check(
        "[nodes.c]\ndoc = \"d\"\ndist = \"normal\"\nmean = 0\nsd = 1\nfact = true\n",
        "`fact` gives `c` a boolean, but the node `c` is a number",
        6,
        8,
    );
    check(
        "[nodes.d]\ndoc = \"d\"\nvalue = \"1 > 0\"\nfact = 3\n",
        "`fact` gives `d` a number, but the derived node `d` is a boolean",
        4,
        8,
    );
}

#[test]
fn a_bad_year_is_refused_at_its_line() {
    check(
        "[nodes.a]\ndoc = \"d\"\nyear = [1933, 1930]\np = 0.5\n",
        "`year` runs backwards: 1933 is after 1930",
        3,
        8,
    );
    check(
        "[nodes.a]\ndoc = \"d\"\nyear = 1933.5\np = 0.5\n",
        "`year` must be a whole year, found a number",
        3,
        8,
    );
    check(
        "[nodes.a]\ndoc = \"d\"\nyear = [1930]\np = 0.5\n",
        "`year` as a span is [first, last], found 1 items",
        3,
        8,
    );
    check(
        "[nodes.a]\ndoc = \"d\"\nyear = \"1933\"\np = 0.5\n",
        "`year` must be a whole year, found a string",
        3,
        8,
    );
    check(
        "[params.x]\ndoc = \"d\"\nyear = 1930\ndist = \"uniform\"\nlow = 0\nhigh = 1\n",
        "`year` does not belong in param `x`",
        3,
        1,
    );
    check(
        "[outcomes.o]\ndoc = \"d\"\nfact = true\nwhen = \"1 > 0\"\n",
        "`fact` does not belong in outcome `o`",
        3,
        1,
    );
    check(
        "[scenarios.s]\ndoc = \"d\"\nfacts_through = \"1922\"\n",
        "`facts_through` must be a whole year, found a string",
        3,
        17,
    );
}

#[test]
fn a_boolean_reading_a_later_parent_is_warned_at_the_name() {
    one_warning(
        &format!("{LATE}[nodes.early]\ndoc = \"d\"\nyear = 1931\np = \"if(late, 0.9, 0.1)\"\n"),
        8,
        9,
        "early (1931) reads late (1935), which is decided later",
    );
}

#[test]
fn a_derived_value_reading_a_later_parent_is_warned() {
    one_warning(
        &format!("{LATE}[nodes.early]\ndoc = \"d\"\nyear = 1931\nvalue = \"not late\"\n"),
        8,
        14,
        "early (1931) reads late (1935), which is decided later",
    );
}

#[test]
fn a_table_row_condition_reading_a_later_parent_is_warned() {
    one_warning(
        &format!(
            "{LATE}[nodes.early]\ndoc = \"d\"\nyear = [1920, 1931]\nstates = [\"x\", \"y\"]\n\
             [[nodes.early.table]]\nwhen = \"late\"\np = {{ x = 0.2 }}\n\
             [[nodes.early.table]]\np = {{ x = 0.5 }}\n"
        ),
        10,
        9,
        "early (1920-1931) reads late (1935), which is decided later",
    );
}

#[test]
fn a_table_row_probability_reading_a_later_parent_is_warned() {
    one_warning(
        &format!(
            "{LATE}[nodes.early]\ndoc = \"d\"\nyear = 1931\nstates = [\"x\", \"y\"]\n\
             [[nodes.early.table]]\nwhen = \"1 > 0\"\np = {{ x = 0.2 }}\n\
             [[nodes.early.table]]\nweights = {{ x = \"if(late, 1, 2)\", y = 1 }}\n"
        ),
        13,
        21,
        "early (1931) reads late (1935), which is decided later",
    );
}

#[test]
fn a_distribution_argument_or_clamp_reading_a_later_parent_is_warned() {
    one_warning(
        &format!(
            "{LATE}[nodes.early]\ndoc = \"d\"\nyear = 1931\ndist = \"normal\"\nmean = 0\nsd = \"if(late, 1, 2)\"\n"
        ),
        10,
        10,
        "early (1931) reads late (1935), which is decided later",
    );
    one_warning(
        &format!(
            "{LATE}[nodes.early]\ndoc = \"d\"\nyear = 1931\ndist = \"normal\"\nmean = 0\nsd = 1\nupper = \"if(late, 1, 2)\"\n"
        ),
        11,
        13,
        "early (1931) reads late (1935), which is decided later",
    );
}

#[test]
fn the_rule_is_first_against_last_and_needs_both_years() {
    // A parent whose span starts by the node's last year may be read.
    let body = "[nodes.parent]\ndoc = \"d\"\nyear = [1930, 1940]\np = 0.5\n\
                [nodes.child]\ndoc = \"d\"\nyear = [1925, 1930]\np = \"if(parent, 0.9, 0.1)\"\n\
                [nodes.undated]\ndoc = \"d\"\np = \"if(parent and child, 0.9, 0.1)\"\n\
                [nodes.reads_undated]\ndoc = \"d\"\nyear = 1900\np = \"if(undated, 0.9, 0.1)\"\n";
    assert!(chronology(body).is_empty());
    // One year later and it is decided after the child.
    let body = body.replace("[1930, 1940]", "[1931, 1940]");
    let found = chronology(&body);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0]
            .message
            .starts_with("child (1925-1930) reads parent (1931-1940)")
    );
}

#[test]
fn every_reading_place_is_warned_once() {
    let found = chronology(&format!(
        "{LATE}[nodes.early]\ndoc = \"d\"\nyear = 1931\np = \"if(late, 0.9, if(late, 0.5, 0.1))\"\n"
    ));
    let places: Vec<(usize, usize)> = found.iter().map(|w| (w.line, w.column)).collect();
    assert_eq!(places, [(11, 9), (11, 23)]);
}

#[test]
fn facts_through_fixes_the_facts_known_by_then_and_do_wins() {
    let text = framed(
        "[nodes.a]\ndoc = \"d\"\nyear = 1920\nfact = true\np = 0.5\n\
         [nodes.b]\ndoc = \"d\"\nyear = [1921, 1925]\nfact = false\np = \"if(a, 0.8, 0.4)\"\n\
         [nodes.c]\ndoc = \"d\"\nfact = true\np = \"if(b, 0.8, 0.4)\"\n\
         [outcomes.o]\ndoc = \"d\"\nwhen = \"c\"\n\
         [scenarios.base]\ndoc = \"d\"\n\
         [scenarios.by_1924]\ndoc = \"d\"\nfacts_through = 1924\n\
         [scenarios.by_1925]\ndoc = \"d\"\nfacts_through = 1925\ndo = { a = false }\n\
         [scenarios.spelled_out]\ndoc = \"d\"\ndo = { a = true, b = false }\n",
    );
    let m = load("m.toml", &text).expect("loads").model;
    let id = |name: &str| m.nodes.iter().position(|n| n.name == name).expect("a node");
    let s = |name: &str| &m.scenarios[m.scenario_id(name).expect("a scenario")];
    assert_eq!(
        s("by_1924").interventions,
        [(id("a"), Value::Boolean(true))]
    );
    assert_eq!(s("by_1924").facts_through, Some(1924));
    assert_eq!(
        s("by_1925").interventions,
        [
            (id("a"), Value::Boolean(false)),
            (id("b"), Value::Boolean(false))
        ]
    );
    // The same fixings as the `do` that spells them out.
    assert_eq!(m.facts_through(1925), s("spelled_out").interventions,);
    // A node with a fact but no year is never fixed this way.
    assert!(m.facts_through(3000).iter().all(|(n, _)| *n != id("c")));
    assert_eq!(m.fact_years(), [1920, 1925]);
    // Divergence is against the facts: by_1925 diverges at `a` only.
    let diverged = uchronia_model::baseline::divergence(&m, m.scenario_id("by_1925").expect("s"));
    assert_eq!(diverged, [id("a")]);
    let base = uchronia_model::baseline::baseline_of(&m, m.scenario_id("by_1925").expect("s"))
        .expect("a baseline");
    assert_eq!(base.interventions, s("spelled_out").interventions);
}
