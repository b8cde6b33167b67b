//! One test per class of error: the message, its line and column, and the
//! hint where the hint is the point.

mod common;

use common::{check, check_file, framed, hint};
use uchronia_model::load;

const FLAG: &str = "[nodes.flag]\ndoc = \"d\"\np = 0.5\n";
const LEADER: &str =
    "[nodes.leader]\ndoc = \"d\"\nstates = [\"stalin\", \"trotsky\"]\np = { trotsky = 0.3 }\n";

// ---- TOML ----

#[test]
fn malformed_toml_points_at_the_toml_error() {
    let d = check_file("[model]\nname = \"t\"\ntitle = = 3\n", "invalid TOML", 3, 9);
    assert!(
        d.to_string().starts_with("m.toml:3:9: error: invalid TOML"),
        "{d}"
    );
}

#[test]
fn non_finite_numbers_are_errors_anywhere() {
    check(
        "[params.x]\ndoc = \"d\"\ndist = \"fixed\"\nvalue = inf",
        "non-finite number `inf`",
        4,
        9,
    );
    check(
        "[nodes.n]\ndoc = \"d\"\np = nan",
        "non-finite number `nan`",
        3,
        5,
    );
    check(
        "[report]\nheadline = [-inf]",
        "non-finite number `-inf`",
        2,
        13,
    );
}

#[test]
fn unknown_top_level_table_suggests_the_nearest() {
    let d = check(
        "[parms.x]\ndist = \"fixed\"\nvalue = 1",
        "unknown top-level table `parms`",
        1,
        2,
    );
    assert_eq!(hint(&d), "did you mean `params`?");
}

#[test]
fn unknown_key_suggests_the_nearest() {
    let d = check(
        "[params.x]\ndist = \"beta\"\na = 1\nb = 2\ndocc = \"d\"",
        "unknown key `docc` in param `x`",
        5,
        1,
    );
    assert_eq!(hint(&d), "did you mean `doc`?");
    let d = check(
        "[outcomes.o]\ndoc = \"d\"\nwhen = \"true\"\nwhne = \"x\"",
        "unknown key `whne`",
        4,
        1,
    );
    assert_eq!(hint(&d), "did you mean `when`?");
    check_file(
        "[model]\nname = \"t\"\ntitle = \"T\"\nauthor = \"me\"\n[scenarios.s]\n",
        "unknown key `author` in [model]",
        4,
        1,
    );
}

#[test]
fn key_of_another_distribution() {
    let d = check(
        "[params.x]\ndoc = \"d\"\ndist = \"beta\"\nmean = 1\na = 1\nb = 1",
        "`mean` is not a key of `beta`",
        4,
        1,
    );
    assert!(hint(&d).contains("`a`, `b`"), "{d}");
}

#[test]
fn key_of_another_node_kind() {
    let d = check(
        "[nodes.n]\ndoc = \"d\"\np = 0.5\nlower = 0",
        "`lower` does not belong in a boolean node",
        4,
        1,
    );
    assert!(hint(&d).contains("`p`"), "{d}");
}

#[test]
fn missing_model_table_name_and_title() {
    check_file(
        "[scenarios.s]\ndoc = \"d\"\n",
        "missing [model] table",
        1,
        1,
    );
    check_file(
        "[model]\ntitle = \"T\"\n[scenarios.s]\n",
        "[model] is missing `name`",
        1,
        1,
    );
    check_file(
        "\n[model]\nname = \"t\"\n[scenarios.s]\n",
        "[model] is missing `title`",
        2,
        1,
    );
}

#[test]
fn invalid_model_name() {
    check_file(
        "[model]\nname = \"My Model\"\ntitle = \"T\"\n[scenarios.s]\n",
        "invalid model name `My Model`",
        2,
        8,
    );
}

#[test]
fn wrong_toml_types() {
    let d = check(
        "[params.x]\ndist = \"beta\"\na = \"3\"\nb = 1",
        "`a` must be a number, found a string",
        3,
        5,
    );
    assert!(hint(&d).contains("plain numbers"), "{d}");
    check(
        "[params.x]\ndist = 3",
        "`dist` must be a string, found a number",
        2,
        8,
    );
    check(
        "[nodes.n]\np = true",
        "`p` must be an expression (a string or a number), found a boolean",
        2,
        5,
    );
    check(
        "[nodes.n]\ndist = \"normal\"\nmean = 0\nsd = 1\nround = \"yes\"",
        "`round` must be a boolean",
        5,
        9,
    );
    check(
        "[params]\nx = 3",
        "param `x` must be a table, found a number",
        2,
        5,
    );
    check(
        "[outcomes.o]\ndoc = 3\nwhen = \"true\"",
        "`doc` must be a string, found a number",
        2,
        7,
    );
    check(
        "[params.x]\ndoc = \"d\"\nsource = \"a\"\ndist = \"fixed\"\nvalue = 1",
        "`source` must be an array of strings",
        3,
        10,
    );
}

// ---- names ----

#[test]
fn invalid_and_reserved_names() {
    let d = check(
        "[params.Foo]\ndist = \"fixed\"\nvalue = 1",
        "invalid param name `Foo`",
        1,
        9,
    );
    assert!(hint(&d).contains("`foo`"), "{d}");
    check(
        "[nodes.exp]\np = 0.5",
        "`exp` is a reserved word and cannot name a node",
        1,
        8,
    );
    check(
        "[outcomes.and]\nwhen = \"true\"",
        "`and` is a reserved word",
        1,
        11,
    );
    check(
        "[scenarios.Base]\ndoc = \"d\"",
        "invalid scenario name `Base`",
        1,
        12,
    );
    check(
        "[nodes.c]\nstates = [\"a\", \"B c\"]\np = { a = 1 }",
        "invalid state name `B c`",
        2,
        16,
    );
}

#[test]
fn shared_namespace_duplicate_points_at_the_second() {
    let d = check(
        "[params.x]\ndoc = \"d\"\ndist = \"fixed\"\nvalue = 1\n\n[outcomes.x]\nwhen = \"true\"",
        "`x` is already the name of a param (line 4)",
        6,
        11,
    );
    assert!(hint(&d).contains("one namespace"), "{d}");
}

// ---- params ----

#[test]
fn param_missing_dist_or_keys() {
    let d = check(
        "[params.x]\ndoc = \"d\"\na = 1",
        "param `x` is missing `dist`",
        1,
        1,
    );
    assert!(hint(&d).contains("`beta`"), "{d}");
    let d = check(
        "[params.x]\ndist = \"beta\"\na = 1",
        "param `x` (`beta`) is missing `b`",
        1,
        1,
    );
    assert!(hint(&d).contains("ci90"), "{d}");
}

#[test]
fn unknown_distribution() {
    let d = check(
        "[params.x]\ndist = \"betta\"\na = 1\nb = 1",
        "unknown distribution `betta`",
        2,
        8,
    );
    assert_eq!(hint(&d), "did you mean `beta`?");
}

#[test]
fn ci90_forms() {
    check(
        "[params.x]\ndist = \"normal\"\nci90 = [1, 2]\nmean = 3",
        "`ci90` and `mean` cannot both be given",
        4,
        1,
    );
    check(
        "[params.x]\ndist = \"uniform\"\nci90 = [1, 2]",
        "`uniform` does not accept `ci90`",
        3,
        1,
    );
    check(
        "[params.x]\ndist = \"beta\"\nci90 = [0.1, 1.5]",
        "ci90 of beta needs 0 < lo < hi < 1, got hi = 1.5",
        3,
        8,
    );
    check(
        "[params.x]\ndist = \"normal\"\nci90 = [2, 1]",
        "ci90 needs lo < hi, got [2, 1]",
        3,
        8,
    );
    check(
        "[params.x]\ndist = \"lognormal\"\nci90 = [0, 1]",
        "ci90 of lognormal needs 0 < lo",
        3,
        8,
    );
    check(
        "[params.x]\ndist = \"normal\"\nci90 = [1, 2, 3]",
        "`ci90` must have two values",
        3,
        8,
    );
}

#[test]
fn param_domains() {
    check(
        "[params.x]\ndist = \"beta\"\na = 0\nb = 2",
        "beta needs a > 0, got a = 0",
        3,
        5,
    );
    check(
        "[params.x]\ndist = \"uniform\"\nlow = 2\nhigh = 1",
        "uniform needs low <= high, got low = 2 and high = 1",
        4,
        8,
    );
    check(
        "[params.x]\ndist = \"pert\"\nmin = 0\nmode = 5\nmax = 3",
        "pert needs mode <= max",
        5,
        7,
    );
    check(
        "[params.x]\ndist = \"normal\"\nmean = 0\nsd = -1",
        "normal needs sd >= 0, got sd = -1",
        4,
        6,
    );
    check(
        "[params.x]\ndist = \"gamma\"\nshape = 0\nscale = 2",
        "gamma needs shape > 0, got shape = 0",
        3,
        9,
    );
    check(
        "[params.x]\ndist = \"gamma\"\nshape = 2\nscale = -1",
        "gamma needs scale > 0, got scale = -1",
        4,
        9,
    );
    check(
        "[params.x]\ndist = \"gamma\"\nci90 = [0, 3]",
        "ci90 of gamma needs 0 < lo, got lo = 0",
        3,
        8,
    );
    check(
        "[params.x]\ndist = \"lognormal\"\nmu = 0\nsigma = -0.5",
        "lognormal needs sigma >= 0",
        4,
        9,
    );
}

// ---- nodes ----

#[test]
fn node_needs_exactly_one_kind() {
    let d = check(
        "[nodes.n]\ndoc = \"d\"",
        "node `n` has none of `p`, `states`, `dist`, `value`",
        1,
        1,
    );
    assert!(hint(&d).contains("exactly one"), "{d}");
    check(
        "[nodes.n]\np = 0.5\nvalue = \"1\"",
        "node `n` has both `p` and `value`",
        3,
        1,
    );
    check(
        "[nodes.n]\nstates = [\"a\", \"b\"]\ndist = \"normal\"",
        "node `n` has both `states` and `dist`",
        3,
        1,
    );
}

#[test]
fn boolean_node_probability() {
    check(
        "[nodes.n]\np = 1.3",
        "`p` of node `n` is 1.3, not a probability in [0, 1]",
        2,
        5,
    );
    check(
        "[nodes.n]\np = \"0.5 + 0.75\"",
        "`p` of node `n` is 1.25",
        2,
        6,
    );
    let d = check(
        &format!("{FLAG}[nodes.n]\np = \"flag\""),
        "`p` must be a number, found a boolean",
        5,
        6,
    );
    assert_eq!(hint(&d), "booleans are not numbers: write if(flag, 1, 0)");
}

#[test]
fn categorical_states() {
    check(
        "[nodes.c]\nstates = [\"a\"]\np = { a = 1 }",
        "categorical node `c` needs at least two states, found 1",
        2,
        10,
    );
    check(
        "[nodes.c]\nstates = [\"a\", \"b\", \"a\"]\np = { a = 1 }",
        "state 'a' is listed twice",
        2,
        21,
    );
    check(
        "[nodes.c]\nstates = [\"a\", \"b\"]",
        "categorical node `c` needs one of `p`, `weights`, `table`",
        1,
        1,
    );
    check(
        "[nodes.c]\nstates = [\"a\", \"b\"]\np = { a = 1 }\nweights = { a = 1, b = 1 }",
        "has both `p` and `weights`",
        4,
        1,
    );
    check(
        "[nodes.c]\nstates = [\"a\", \"b\"]\np = 0.5",
        "`p` must be a table of states",
        3,
        5,
    );
}

#[test]
fn categorical_probabilities() {
    check(
        "[nodes.c]\nstates = [\"a\", \"b\"]\np = { a = 0.5, b = 0.8 }",
        "the probabilities of `c` sum to 1.3, not 1",
        3,
        5,
    );
    let d = check(
        "[nodes.c]\nstates = [\"a\", \"bee\"]\np = { a = 0.5, be = 0.5 }",
        "'be' is not a state of `c`",
        3,
        16,
    );
    assert!(hint(&d).starts_with("did you mean 'bee'?"), "{d}");
    check(
        "[nodes.c]\nstates = [\"a\", \"b\", \"c\"]\np = { a = 0.2 }",
        "must give every state, or all but one: missing 'b', 'c'",
        3,
        5,
    );
    check(
        "[nodes.c]\nstates = [\"a\", \"b\", \"c\"]\np = { a = 0.7, b = 0.6 }",
        "leaving 'c' a negative remainder",
        3,
        5,
    );
    check(
        "[nodes.c]\nstates = [\"a\", \"b\", \"c\"]\np = { a = 1.5, b = 0 }",
        "probability 1.5 of `c` is not in [0, 1]",
        3,
        11,
    );
}

#[test]
fn categorical_weights() {
    check(
        "[nodes.c]\nstates = [\"a\", \"b\"]\nweights = { a = 1 }",
        "`weights` of `c` must give every state: missing 'b'",
        3,
        11,
    );
    check(
        "[nodes.c]\nstates = [\"a\", \"b\"]\nweights = { a = -1, b = 2 }",
        "weight -1 of `c` is not a non-negative number",
        3,
        17,
    );
    check(
        "[nodes.c]\nstates = [\"a\", \"b\"]\nweights = { a = 0, b = 0 }",
        "the weights of `c` sum to zero",
        3,
        11,
    );
}

#[test]
fn categorical_tables() {
    let rows = "[nodes.c]\nstates = [\"a\", \"b\"]\n\n[[nodes.c.table]]\np = { a = 1 }\n\n[[nodes.c.table]]\nweights = { a = 1, b = 1 }";
    check(rows, "row 1 of the table of `c` needs `when`", 4, 1);
    let rows =
        "[nodes.c]\nstates = [\"a\", \"b\"]\n\n[[nodes.c.table]]\nwhen = \"true\"\np = { a = 1 }";
    check(
        rows,
        "the last row of the table of `c` must not have `when`",
        5,
        8,
    );
    let rows = "[nodes.c]\nstates = [\"a\", \"b\"]\n\n[[nodes.c.table]]\nwhen = \"0.5\"\np = { a = 1 }\n[[nodes.c.table]]\np = { b = 1 }";
    let d = check(rows, "`when` must be a boolean, found a number", 5, 9);
    assert_eq!(hint(&d), "compare it, as in `0.5 > 0.5`");
    let rows = "[nodes.c]\nstates = [\"a\", \"b\"]\n\n[[nodes.c.table]]\nwhen = \"true\"\np = { a = 1 }\nweights = { a = 1, b = 1 }\n[[nodes.c.table]]\np = { b = 1 }";
    check(rows, "a table row has both `p` and `weights`", 7, 1);
    let rows = "[nodes.c]\nstates = [\"a\", \"b\"]\n\n[[nodes.c.table]]\nwhen = \"true\"\n[[nodes.c.table]]\np = { b = 1 }";
    check(rows, "a table row needs `p` or `weights`", 4, 1);
}

#[test]
fn numeric_nodes() {
    check(
        "[nodes.n]\ndist = \"beta\"\na = 0\nb = \"2\"",
        "beta needs a > 0, got a = 0",
        3,
        5,
    );
    check(
        "[nodes.n]\ndist = \"normal\"\nmean = \"1\"\nsd = \"-1\"",
        "normal needs sd >= 0, got sd = -1",
        4,
        7,
    );
    check(
        "[nodes.n]\ndist = \"gamma\"\nshape = \"2\"\nscale = \"0\"",
        "gamma needs scale > 0, got scale = 0",
        4,
        10,
    );
    check(
        "[nodes.n]\ndist = \"normal\"\nmean = 0\nsd = 1\nlower = 5\nupper = 2",
        "`lower` (5) is greater than `upper` (2)",
        6,
        9,
    );
    check(
        "[nodes.n]\ndist = \"uniform\"\nci90 = [\"0\", \"1\"]",
        "`uniform` does not accept `ci90`",
        3,
        1,
    );
    check(
        "[nodes.n]\ndist = \"normal\"\nci90 = [\"3\", \"1\"]",
        "ci90 needs lo < hi, got [3, 1]",
        3,
        8,
    );
    let d = check(
        &format!("{FLAG}[nodes.n]\ndist = \"normal\"\nmean = \"flag\"\nsd = 1"),
        "`mean` must be a number, found a boolean",
        6,
        9,
    );
    assert_eq!(hint(&d), "booleans are not numbers: write if(flag, 1, 0)");
    check(
        "[nodes.n]\ndist = \"normal\"\nmean = 0\nsd = 1\nvalue = \"2\"",
        "node `n` has both `dist` and `value`",
        5,
        1,
    );
}

#[test]
fn derived_nodes_are_numbers_or_booleans() {
    let d = check(
        &format!("{LEADER}[nodes.d]\nvalue = \"leader\""),
        "a derived node's value must be a number or a boolean, found a state of `leader`",
        6,
        10,
    );
    assert_eq!(hint(&d), "compare it: `leader == 'state'`");
}

// ---- expressions ----

#[test]
fn booleans_are_not_numbers() {
    let d = check(
        &format!("{FLAG}[nodes.n]\np = \"0.3 * flag\""),
        "`*` takes numbers, but `flag` is a boolean",
        5,
        12,
    );
    assert_eq!(hint(&d), "write if(flag, 0.3, 0)");
    check(
        &format!("{FLAG}[nodes.n]\np = \"flag + 1\""),
        "`+` takes numbers, but `flag` is a boolean",
        5,
        6,
    );
    check(
        &format!("{FLAG}[nodes.n]\np = \"-flag\""),
        "unary `-` takes numbers",
        5,
        7,
    );
    check(
        &format!("{FLAG}[nodes.n]\np = \"if(flag < 1, 0.1, 0.2)\""),
        "`<` takes numbers, but `flag` is a boolean",
        5,
        9,
    );
    check(
        &format!("{FLAG}[nodes.n]\np = \"exp(flag)\""),
        "`exp` takes numbers, but `flag` is a boolean",
        5,
        10,
    );
}

#[test]
fn logic_takes_booleans() {
    let d = check(
        "[nodes.n]\np = 0.5\n[nodes.m]\np = \"if(n and 0.5, 1, 0)\"",
        "`and` takes booleans, but `0.5` is a number",
        4,
        15,
    );
    assert_eq!(hint(&d), "compare it, as in `0.5 > 0`");
    check(
        "[nodes.n]\np = \"if(not 0.5, 1, 0)\"",
        "`not` takes booleans",
        2,
        13,
    );
    check(
        "[nodes.n]\np = \"if(0.5, 1, 0)\"",
        "the condition of `if` takes booleans, but `0.5` is a number",
        2,
        9,
    );
}

#[test]
fn equality_needs_one_type() {
    check(
        &format!("{FLAG}[nodes.n]\np = \"if(flag == 1, 0.1, 0.2)\""),
        "`==` needs operands of one type, but `flag` is a boolean and `1` is a number",
        5,
        14,
    );
    check(
        &format!("{FLAG}[nodes.n]\np = \"if(flag, 1, true)\""),
        "the branches of `if` need one type",
        5,
        6,
    );
}

#[test]
fn comparisons_do_not_chain() {
    let d = check(
        "[nodes.n]\np = \"if(0 < 1 < 2, 1, 0)\"",
        "comparisons cannot be chained",
        2,
        15,
    );
    assert_eq!(hint(&d), "write `a < b and b < c`");
}

#[test]
fn unknown_names_and_functions() {
    let body = "[params.support]\ndoc = \"d\"\ndist = \"beta\"\na = 3\nb = 7\n[nodes.n]\np = \"suport * 2\"";
    let d = check(body, "unknown name `suport`", 7, 6);
    assert_eq!(hint(&d), "did you mean `support`?");
    let d = check(
        "[nodes.n]\np = \"expp(1)\"",
        "unknown function `expp`",
        2,
        6,
    );
    assert_eq!(hint(&d), "did you mean `exp`?");
    check("[nodes.n]\np = \"exp + 1\"", "`exp` is a function", 2, 6);
    check(
        "[params.x]\ndist = \"fixed\"\nvalue = 1\n[nodes.n]\np = \"x(1)\"",
        "`x` is not a function",
        5,
        6,
    );
}

#[test]
fn function_arity() {
    check(
        "[nodes.n]\np = \"clamp(1, 0)\"",
        "`clamp` takes 3 arguments: clamp(x, lo, hi), found 2",
        2,
        6,
    );
    check(
        "[nodes.n]\np = \"min(0.5)\"",
        "`min` takes at least 2 arguments, found 1",
        2,
        6,
    );
    check(
        "[nodes.n]\np = \"max()\"",
        "`max` takes at least 2 arguments, found 0",
        2,
        6,
    );
    check(
        "[nodes.n]\np = \"sqrt(0.1, 0.2)\"",
        "`sqrt` takes 1 argument, found 2",
        2,
        6,
    );
    check(
        "[nodes.n]\np = \"if(true, 1)\"",
        "`if` takes 3 arguments",
        2,
        6,
    );
}

#[test]
fn state_literals_are_checked_against_their_node() {
    let d = check(
        &format!("{LEADER}[nodes.n]\np = \"if(leader == 'trotskyy', 0.9, 0.1)\""),
        "'trotskyy' is not a state of `leader`",
        6,
        19,
    );
    assert!(hint(&d).starts_with("did you mean 'trotsky'?"), "{d}");
    common::ok(&format!(
        "{LEADER}[nodes.n]\ndoc = \"d\"\np = \"if('stalin' == leader, 1, 0)\""
    ));
}

#[test]
fn state_literals_need_a_categorical_node() {
    check(
        "[nodes.n]\np = \"if('a' == 'b', 1, 0)\"",
        "`==` between two state literals ('a' and 'b')",
        2,
        9,
    );
    check(
        "[outcomes.o]\nwhen = \"'a'\"",
        "the state literal 'a' must be compared with a categorical node",
        2,
        9,
    );
    check(
        "[nodes.x]\np = 0.5\n[nodes.n]\np = \"if(x == 'a', 1, 0)\"",
        "compares the state 'a' with `x`, which is a boolean",
        4,
        14,
    );
    check(
        "[nodes.n]\np = \"if(true, 'a', 'b') \"",
        "both branches of `if` are state literals",
        2,
        15,
    );
}

#[test]
fn state_literal_in_if_branch_meets_the_other_branch() {
    let body = format!("{LEADER}[outcomes.o]\nwhen = \"if(true, 'stalin', leader) == 'trotzky'\"");
    let d = check(&body, "'trotzky' is not a state of `leader`", 6, 39);
    assert!(hint(&d).starts_with("did you mean 'trotsky'?"), "{d}");
    check(
        &format!("{LEADER}[outcomes.o]\nwhen = \"if(true, 'stalyn', leader) == 'trotsky'\""),
        "'stalyn' is not a state of `leader`",
        6,
        18,
    );
}

#[test]
fn syntax_errors_point_inside_the_string() {
    check(
        "[nodes.n]\np = \"0.5 +\"",
        "expected an operand, found the end of the expression",
        2,
        11,
    );
    let d = check(
        "[nodes.n]\np = \"if(x = 1, 1, 0)\"",
        "unexpected character `=`",
        2,
        11,
    );
    assert_eq!(hint(&d), "write `==` to compare");
    check(
        "[outcomes.o]\nwhen = \"x == 'a\"",
        "unterminated state literal",
        2,
        14,
    );
    check(
        "[nodes.n]\np = \"(0.5\"",
        "expected `)`, found the end of the expression",
        2,
        10,
    );
    check(
        "[nodes.n]\np = \"0.5)\"",
        "unexpected `)` after a complete expression",
        2,
        9,
    );
    check("[nodes.n]\np = \"\"", "empty expression", 2, 6);
    check("[nodes.n]\np = \"1e+\"", "malformed number `1e+`", 2, 6);
    check(
        "[nodes.n]\np = \"0.5 0.2\"",
        "unexpected a number after a complete expression",
        2,
        10,
    );
}

#[test]
fn escaped_strings_fall_back_to_the_whole_value() {
    check(
        "[nodes.n]\np = \"0.5 \\u002B\"",
        "expected an operand",
        2,
        5,
    );
}

#[test]
fn multi_line_strings_keep_exact_places() {
    check(
        "[nodes.n]\np = \"\"\"\n  0.5 *\n  true\"\"\"",
        "`*` takes numbers, but `true` is a boolean",
        4,
        3,
    );
}

#[test]
fn nesting_limit_is_an_error_not_an_overflow() {
    let deep = format!("{}0.5{}", "(".repeat(10_000), ")".repeat(10_000));
    check(
        &format!("[nodes.n]\np = \"{deep}\""),
        "expression nested too deeply (more than 64 levels)",
        2,
        71,
    );
    let minus = format!("{}1", "-".repeat(10_000));
    check(
        &format!("[nodes.n]\nvalue = \"{minus}\""),
        "nested too deeply",
        2,
        75,
    );
    let fine = format!("{}0.5{}", "(".repeat(64), ")".repeat(64));
    common::ok(&format!("[nodes.n]\ndoc = \"d\"\np = \"{fine}\""));
    let long = vec!["0.001"; 10_000].join(" + ");
    check(
        &format!("[nodes.n]\np = \"{long}\""),
        "expression too deep (more than 256 nested operations)",
        2,
        6,
    );
}

#[test]
fn nodes_cannot_name_outcomes() {
    let d = check(
        "[outcomes.o]\nwhen = \"true\"\n[nodes.n]\np = \"if(o, 1, 0)\"",
        "`o` is an outcome, and outcomes cannot be named here",
        4,
        9,
    );
    assert!(hint(&d).contains("drawn before outcomes"), "{d}");
}

#[test]
fn cycles_are_listed_in_order() {
    let body =
        "[nodes.a]\nvalue = \"c + 1\"\n[nodes.b]\nvalue = \"a * 2\"\n[nodes.c]\nvalue = \"b - 1\"";
    // At the reference that closes the loop: `a` reads `c`.
    let d = check(body, "cycle: a -> b -> c -> a; `a` reads `c` here", 2, 10);
    assert!(hint(&d).contains("a node cannot depend on itself"), "{d}");
    check(
        "[nodes.z]\np = 0.5\n[nodes.a]\nvalue = \"a\"",
        "cycle: a -> a; `a` reads `a` here",
        4,
        10,
    );
    check(
        "[outcomes.o]\nwhen = \"not p\"\n[outcomes.p]\nwhen = \"o\"",
        "cycle: o -> p -> o; `o` reads `p` here",
        2,
        13,
    );
    // The reference is found in whichever expression holds it.
    check(
        "[nodes.a]\nstates = [\"x\", \"y\"]\ntable = [\n  { when = \"b > 1\", p = { x = 1 } },\n  { p = { x = \"0.5\" } },\n]\n[nodes.b]\nvalue = \"if(a == 'x', 1, 2)\"",
        "cycle: a -> b -> a; `a` reads `b` here",
        4,
        13,
    );
}

// ---- outcomes ----

#[test]
fn outcome_forms() {
    check(
        "[outcomes.o]\nwhen = \"true\"\nvalue = \"1\"",
        "outcome `o` has both `when` and `value`",
        3,
        1,
    );
    check(
        "[outcomes.o]\ndoc = \"d\"",
        "outcome `o` needs `when` or `value`",
        1,
        1,
    );
    check(
        "[outcomes.o]\nwhen = \"true\"\ngiven = \"true\"",
        "`given` is only for numeric outcomes",
        3,
        1,
    );
    check(
        "[outcomes.o]\nvalue = \"true\"",
        "`value` of an outcome must be a number, found a boolean",
        2,
        10,
    );
    check(
        "[outcomes.o]\nvalue = \"1\"\ngiven = \"2\"",
        "`given` must be a boolean, found a number",
        3,
        10,
    );
    check(
        "[outcomes.o]\nwhen = \"1\"",
        "`when` must be a boolean, found a number",
        2,
        9,
    );
}

// ---- scenarios ----

#[test]
fn at_least_one_scenario() {
    check_file(
        "[model]\nname = \"t\"\ntitle = \"T\"\n",
        "the model has no scenario",
        1,
        1,
    );
}

#[test]
fn do_targets_nodes() {
    let param = "[params.x]\ndoc = \"d\"\ndist = \"fixed\"\nvalue = 1\n";
    let d = check(
        &format!("{param}[scenarios.s]\ndo = {{ x = 2 }}"),
        "`x` is a param; `do` intervenes on nodes",
        6,
        8,
    );
    assert!(hint(&d).contains("use set"), "{d}");
    let d = check(
        &format!("{FLAG}[scenarios.s]\ndo = {{ flagg = true }}"),
        "unknown node `flagg` in `do`",
        5,
        8,
    );
    assert_eq!(hint(&d), "did you mean `flag`?");
    check(
        "[outcomes.o]\nwhen = \"true\"\n[scenarios.s]\ndo = { o = true }",
        "`o` is an outcome",
        4,
        8,
    );
}

#[test]
fn do_values_have_the_node_type() {
    check(
        &format!("{FLAG}[scenarios.s]\ndo = {{ flag = 1 }}"),
        "`do` gives `flag` a number, but the node `flag` is a boolean",
        5,
        15,
    );
    let d = check(
        &format!("{LEADER}[scenarios.s]\ndo = {{ leader = \"trotskyy\" }}"),
        "\"trotskyy\" is not a state of `leader`",
        6,
        17,
    );
    assert!(hint(&d).starts_with("did you mean \"trotsky\"?"), "{d}");
    check(
        &format!("{LEADER}[scenarios.s]\ndo = {{ leader = true }}"),
        "`do` gives `leader` a boolean, but the node `leader` is a state of `leader`",
        6,
        17,
    );
    check(
        "[nodes.n]\ndist = \"normal\"\nmean = 0\nsd = 1\n[scenarios.s]\ndo = { n = \"x\" }",
        "`do` gives `n` a string",
        6,
        12,
    );
    check(
        "[nodes.d]\nvalue = \"1 > 0\"\n[scenarios.s]\ndo = { d = 2 }",
        "the derived node `d` is a boolean",
        4,
        12,
    );
    check(
        "[nodes.d]\nvalue = \"1 + 1\"\n[scenarios.s]\ndo = { d = false }",
        "the derived node `d` is a number",
        4,
        12,
    );
}

#[test]
fn set_targets_params() {
    let d = check(
        &format!("{FLAG}[scenarios.s]\nset = {{ flag = 0.5 }}"),
        "`flag` is a node; `set` replaces params",
        5,
        9,
    );
    assert!(hint(&d).contains("use do"), "{d}");
    let param = "[params.support]\ndoc = \"d\"\ndist = \"fixed\"\nvalue = 1\n";
    let d = check(
        &format!("{param}[scenarios.s]\nset = {{ suport = 0.5 }}"),
        "unknown param `suport` in `set`",
        6,
        9,
    );
    assert_eq!(hint(&d), "did you mean `support`?");
    check(
        &format!("{param}[scenarios.s]\nset = {{ support = {{ dist = \"beta\", a = 0, b = 1 }} }}"),
        "beta needs a > 0, got a = 0",
        6,
        40,
    );
    check(
        &format!("{param}[scenarios.s]\nset = {{ support = {{ dist = \"beta\", a = 1 }} }}"),
        "the new distribution of `support` (`beta`) is missing `b`",
        6,
        19,
    );
    check(
        &format!("{param}[scenarios.s]\nset = {{ support = \"0.5\" }}"),
        "`set` takes a number or a distribution, found a string",
        6,
        19,
    );
    check(
        &format!(
            "{param}[scenarios.s]\nset = {{ support = {{ dist = \"beta\", a = 1, b = 1, c = 1 }} }}"
        ),
        "unknown key `c`",
        6,
        50,
    );
}

// ---- report ----

#[test]
fn report_headline_names_outcomes() {
    let d = check(
        "[outcomes.war]\nwhen = \"true\"\n[report]\nheadline = [\"wr\"]",
        "`headline` names `wr`, which is not an outcome",
        4,
        13,
    );
    assert_eq!(hint(&d), "did you mean `war`?");
    check(
        "[report]\ntitle = \"x\"",
        "unknown key `title` in [report]",
        2,
        1,
    );
    check(
        "[outcomes.war]\nwhen = \"true\"\n[report]\nheadline = [\"war\", \"war\"]",
        "listed twice",
        4,
        20,
    );
}

#[test]
fn report_question_names_a_scenario_other_than_the_reference() {
    let body = format!(
        "{FLAG}[outcomes.o]\nwhen = \"flag\"\n[scenarios.base]\n[scenarios.forced]\ndo = {{ flag = true }}\n[report]\n"
    );
    let d = check(
        &format!("{body}question = \"forcd\""),
        "`question` names `forcd`, which is not a scenario",
        10,
        12,
    );
    assert_eq!(hint(&d), "did you mean `forced`?");
    check(
        &format!("{body}question = \"base\""),
        "`question` names `base`, the reference scenario, which has no effect of its own",
        10,
        12,
    );
    check(
        &format!("{body}question = [\"forced\"]"),
        "`question` must be a scenario name",
        10,
        12,
    );
    let model = load("m.toml", &framed(&format!("{body}question = \"forced\""))).expect("a model");
    assert_eq!(model.model.report.question, Some(1));
}

// ---- several errors at once ----

#[test]
fn errors_are_collected_across_sections_in_source_order() {
    let body = "[params.x]\ndist = \"beta\"\na = 0\nb = 1\n\n[nodes.n]\np = \"1.5\"\n\n[nodes.m]\np = \"unknown_thing\"\n\n[outcomes.o]\nwhen = \"1\"\n\n[scenarios.s]\ndo = { nope = true }";
    let errors = load("m.toml", &framed(body)).unwrap_err();
    let messages: Vec<&str> = errors.0.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(messages.len(), 5, "{errors}");
    assert!(messages[0].contains("beta needs a > 0"), "{errors}");
    assert!(messages[1].contains("`p` of node `n` is 1.5"), "{errors}");
    assert!(
        messages[2].contains("unknown name `unknown_thing`"),
        "{errors}"
    );
    assert!(messages[3].contains("`when` must be a boolean"), "{errors}");
    assert!(messages[4].contains("unknown node `nope`"), "{errors}");
    let lines: Vec<usize> = errors.0.iter().map(|d| d.line).collect();
    let mut sorted = lines.clone();
    sorted.sort_unstable();
    assert_eq!(lines, sorted);
}

// ---- display ----

#[test]
fn display_shows_place_line_carets_and_help() {
    let body = "[params.support]\ndoc = \"d\"\ndist = \"beta\"\na = 3\nb = 7\n[nodes.n]\ndoc = \"d\"\np = \"suport * 2\"";
    let errors = load("models/x.toml", &framed(body)).unwrap_err();
    let expected =
        "models/x.toml:11:6: error: unknown name `suport`: no param or node has that name
   |
11 | p = \"suport * 2\"
   |      ^^^^^^
  help: did you mean `support`?";
    assert_eq!(errors.to_string(), expected);
}

#[test]
fn display_separates_diagnostics_with_a_blank_line() {
    let errors = load("m.toml", &framed("[nodes.a]\np = 2\n[nodes.b]\np = 3")).unwrap_err();
    let text = errors.to_string();
    assert_eq!(errors.0.len(), 2, "{text}");
    assert!(text.contains("^\n\nm.toml:"), "{text}");
    assert!(!text.contains('\u{1b}'), "no ANSI colours");
}

#[test]
fn product_of_two_booleans_gets_the_general_hint() {
    let d = check(
        &format!("{FLAG}[nodes.n]\np = \"flag * true\""),
        "`*` takes numbers, but `flag` is a boolean",
        5,
        6,
    );
    assert_eq!(hint(&d), "booleans are not numbers: write if(flag, 1, 0)");
}
