//! `[[correlations]]` blocks: what loads, and each error at its place.

mod common;

use common::{check, check_file, framed, hint};
use uchronia_model::load;

const PARAMS: &str = "[params.a]\ndoc = \"d\"\ndist = \"beta\"\na = 2\nb = 2\n\
[params.b]\ndoc = \"d\"\ndist = \"uniform\"\nlow = 0\nhigh = 1\n\
[params.c]\ndoc = \"d\"\ndist = \"normal\"\nmean = 0\nsd = 1\n\
[params.k]\ndoc = \"d\"\ndist = \"fixed\"\nvalue = 3\n";

/// Lines of [`PARAMS`].
const PARAM_LINES: usize = 19;

fn block(a: &str, b: &str, rank: &str) -> String {
    format!("[[correlations]]\nparams = [\"{a}\", \"{b}\"]\nrank = {rank}\n")
}

#[test]
fn blocks_load_in_file_order_with_their_params_and_ranks() {
    let text = framed(&format!(
        "{PARAMS}{}{}",
        block("b", "a", "0.5"),
        block("a", "c", "-0.25")
    ));
    let loaded = load("m.toml", &text).expect("loads");
    let got: Vec<([usize; 2], f64)> = (loaded.model.correlations.iter())
        .map(|c| (c.params, c.rank))
        .collect();
    assert_eq!(got, vec![([1, 0], 0.5), ([0, 2], -0.25)]);
    assert!(
        load("m.toml", &framed(PARAMS))
            .expect("loads")
            .model
            .correlations
            .is_empty()
    );
}

#[test]
fn an_unknown_param_gets_the_nearest_name() {
    let body = format!("{PARAMS}{}", block("a", "bb", "0.5"));
    let d = check(
        &body,
        "unknown param `bb` in [[correlations]]",
        PARAM_LINES + 2,
        16,
    );
    assert_eq!(hint(&d), "did you mean `b`?");
}

#[test]
fn a_node_is_not_a_param() {
    let body = format!(
        "{PARAMS}[nodes.n]\ndoc = \"d\"\np = 0.5\n{}",
        block("n", "a", "0.5")
    );
    check(
        &body,
        "`n` is a node; correlations are between params",
        PARAM_LINES + 5,
        11,
    );
}

#[test]
fn rank_must_lie_strictly_between_minus_one_and_one() {
    for rank in ["1", "-1.0", "1.5"] {
        let body = format!("{PARAMS}{}", block("a", "b", rank));
        check(&body, "`rank` must be in (-1, 1)", PARAM_LINES + 3, 8);
    }
}

#[test]
fn a_param_is_not_correlated_with_itself_nor_a_fixed_one() {
    let body = format!("{PARAMS}{}", block("a", "a", "0.5"));
    check(
        &body,
        "a param cannot be correlated with itself",
        PARAM_LINES + 2,
        16,
    );
    let body = format!("{PARAMS}{}", block("a", "k", "0.5"));
    check(&body, "param `k` is fixed", PARAM_LINES + 2, 16);
}

#[test]
fn a_pair_given_twice_is_refused_at_the_second_block() {
    let body = format!(
        "{PARAMS}{}{}",
        block("a", "b", "0.5"),
        block("b", "a", "0.2")
    );
    let d = check(&body, "is already correlated (line 23)", PARAM_LINES + 4, 1);
    assert!(d.message.contains("`b`, `a`"), "{d}");
}

#[test]
fn keys_and_types_are_checked() {
    let body = format!("{PARAMS}[[correlations]]\nparams = [\"a\"]\nrank = 0.5\nranks = 1\n");
    check(
        &body,
        "`params` must name two params, found 1",
        PARAM_LINES + 2,
        10,
    );
    check(
        &body,
        "unknown key `ranks` in [[correlations]]",
        PARAM_LINES + 4,
        1,
    );
    let body = format!("{PARAMS}[[correlations]]\nparams = [\"a\", \"b\"]\n");
    check(
        &body,
        "missing key `rank` in [[correlations]]",
        PARAM_LINES + 1,
        1,
    );
    let text = format!("correlations = 3\n{}", framed(""));
    check_file(&text, "`correlations` must be an array of tables", 1, 16);
}

#[test]
fn a_matrix_that_is_not_positive_definite_is_refused_at_the_block_that_breaks_it() {
    // Pairwise -0.6 among three params: eigenvalue 1 + 2(-0.6) = -0.2.
    let body = format!(
        "{PARAMS}{}{}{}",
        block("a", "b", "-0.6"),
        block("a", "c", "-0.6"),
        block("b", "c", "-0.6")
    );
    let d = check(
        &body,
        "do not form a positive definite matrix: smallest eigenvalue -0.2000",
        PARAM_LINES + 7,
        1,
    );
    assert!(hint(&d).contains("does not repair"), "{d}");
    // The same ranks at -0.45 are fine (1 + 2(-0.45) = 0.1).
    let body = body.replace("-0.6", "-0.45");
    load("m.toml", &framed(&body)).expect("positive definite");
}
