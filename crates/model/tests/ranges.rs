//! The range analysis and the dead-end check, through `load`: intervals that
//! contain the exact range, warnings at the expression's line and column,
//! silence where the bound is provably inside the domain, and dead ends
//! named exactly.

mod common;

use common::{HEADER_LINES, ok};
use uchronia_model::{Check, Diagnostic};

/// Two params uniform on [0, 1] and a boolean node `f`, read by the outcome
/// with everything in `body`'s nodes (named in `reads`).
fn model(body: &str, reads: &str) -> String {
    format!(
        "[params.x]\ndoc = \"d\"\ndist = \"uniform\"\nlow = 0\nhigh = 1\n\n[params.y]\ndoc = \"d\"\ndist = \"uniform\"\nlow = 0\nhigh = 1\n\n[nodes.f]\ndoc = \"d\"\np = \"x\"\n\n{body}\n[outcomes.o]\ndoc = \"d\"\nwhen = \"f and y >= 0 and {reads}\"\n"
    )
}

fn range_warnings(body: &str, reads: &str) -> Vec<Diagnostic> {
    ok(&model(body, reads))
        .warnings
        .into_iter()
        .filter(|w| w.check == Check::Range)
        .collect()
}

/// The `[lo, hi]` a warning says the expression can reach.
fn reached(w: &Diagnostic) -> (f64, f64) {
    let start = ["reach [", "sum to ["]
        .iter()
        .find_map(|head| w.message.find(head).map(|i| i + head.len()))
        .expect("an interval");
    let rest = &w.message[start..];
    let end = rest.find(']').expect("closed");
    let mut parts = rest[..end]
        .split(", ")
        .map(|x| x.parse::<f64>().expect("a number"));
    (parts.next().expect("lo"), parts.next().expect("hi"))
}

/// The line of `[nodes.n]`'s expression in the framed file (the body of
/// `model` puts `p = ...` on line 19 of the body).
const P_LINE: usize = HEADER_LINES + 19;

#[test]
fn a_probability_that_can_exceed_one_is_warned_at_its_place_with_its_range() {
    let warnings = range_warnings("[nodes.n]\ndoc = \"d\"\np = \"x * 5\"\n", "n");
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    let w = &warnings[0];
    assert_eq!((w.line, w.column), (P_LINE, 6), "{w}");
    let (lo, hi) = reached(w);
    // Exact range [0, 5]: the interval must contain it.
    assert!(lo <= 0.0 && hi >= 5.0, "{w}");
    assert!(
        w.hint
            .as_deref()
            .unwrap_or("")
            .contains("clamp(x * 5, 0, 1)"),
        "{w}"
    );
    assert!(w.to_string().contains("warning:"), "{w}");
}

#[test]
fn known_ranges_are_contained_and_tight_where_the_analysis_is_exact() {
    // Each expression's exact range, scaled so that it leaves [0, 1].
    let cases = [
        ("x * (1 - x) * 8", 0.0, 2.0),
        ("x + y + 0.5", 0.5, 2.5),
        ("2 * x - y", -1.0, 2.0),
        ("if(x > 0.5, x * 2, -x)", -0.5, 2.0),
        ("(x + 1) ^ 2 - 1", 0.0, 3.0),
        ("max(x, y) * 3", 0.0, 3.0),
    ];
    for (expr, lo, hi) in cases {
        let body = format!("[nodes.n]\ndoc = \"d\"\np = \"{expr}\"\n");
        let warnings = range_warnings(&body, "n");
        assert_eq!(warnings.len(), 1, "{expr}: {warnings:?}");
        let (a, b) = reached(&warnings[0]);
        assert!(
            a <= lo + 1e-9 && b >= hi - 1e-9,
            "{expr}: [{a}, {b}] misses [{lo}, {hi}]"
        );
        // Monotone or split: no looser than a tenth of the exact width.
        assert!(
            b - a <= (hi - lo) * 1.1 + 1e-6,
            "{expr}: [{a}, {b}] is loose"
        );
        assert_eq!(warnings[0].line, P_LINE, "{expr}");
    }
}

#[test]
fn provably_inside_the_domain_gives_no_warning() {
    for expr in [
        "x * (1 - x) * 4",
        "x + (1 - x)",
        "clamp(x * 5, 0, 1)",
        "min(1, x * 5)",
        "if(x > 0.2, 0.2, x) * 5",
        "if(f, x, 1 - x)",
        "logistic(ln(x + 0.01) * 3)",
        "max(0, x - y) + 0.4 * (1 - max(0, x - y))",
        "x * y",
        "1 - (1 - x) * (1 - y)",
    ] {
        let body = format!("[nodes.n]\ndoc = \"d\"\np = \"{expr}\"\n");
        let warnings = range_warnings(&body, "n");
        assert!(warnings.is_empty(), "{expr}: {warnings:?}");
    }
}

#[test]
fn table_rows_are_bounded_where_they_apply() {
    // Row 1 holds only where x < 0.1, so x * 5 < 0.5 there; row 2's listed
    // probabilities can sum past 1.
    let body = "[nodes.n]\ndoc = \"d\"\nstates = [\"a\", \"b\", \"c\"]\n\n[[nodes.n.table]]\nwhen = \"x < 0.1\"\np = { a = \"x * 5\", b = 0.1 }\n\n[[nodes.n.table]]\np = { a = \"x\", b = \"y\" }\n";
    let warnings = range_warnings(body, "n == 'a'");
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    let w = &warnings[0];
    assert!(
        w.message.contains("row 2") && w.message.contains("sum"),
        "{w}"
    );
    assert_eq!(reached(w).1, 2.0, "{w}");
}

#[test]
fn weights_and_distribution_arguments_are_checked() {
    let body = "[nodes.n]\ndoc = \"d\"\nstates = [\"a\", \"b\"]\nweights = { a = \"x - 0.5\", b = 1 }\n\n[nodes.v]\ndoc = \"d\"\ndist = \"normal\"\nmean = 0\nsd = \"y - 0.25\"\n\n[nodes.w]\ndoc = \"d\"\ndist = \"pert\"\nmin = 0\nmode = \"x\"\nmax = \"y\"\n";
    let warnings = range_warnings(body, "n == 'a' and v > 0 and w > 0");
    let messages: Vec<&str> = warnings.iter().map(|w| w.message.as_str()).collect();
    assert_eq!(warnings.len(), 3, "{messages:?}");
    assert!(messages[0].contains("weight of `n` = 'a'"), "{messages:?}");
    assert_eq!(reached(&warnings[0]), (-0.5, 0.5));
    assert!(
        messages[1].contains("`sd` of `normal` in `v`"),
        "{messages:?}"
    );
    assert!(
        messages[2].contains("`max` of `pert` in `w` can fall below `mode`"),
        "{messages:?}"
    );
}

#[test]
fn a_scenario_setting_widens_a_params_range() {
    let body = "[nodes.n]\ndoc = \"d\"\np = \"y * 0.5\"\n\n[scenarios.base]\ndoc = \"d\"\n\n[scenarios.big]\ndoc = \"d\"\nset = { y = 3 }\n";
    let warnings = range_warnings(body, "n");
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(reached(&warnings[0]), (0.0, 1.5));
}

#[test]
fn dead_ends_and_unread_params_are_named_exactly() {
    let text = "[params.used]\ndoc = \"d\"\ndist = \"beta\"\na = 2\nb = 2\n\n[params.unused]\ndoc = \"d\"\ndist = \"beta\"\na = 2\nb = 2\n\n[params.only_dead]\ndoc = \"d\"\ndist = \"beta\"\na = 2\nb = 2\n\n[nodes.a]\ndoc = \"d\"\np = \"used\"\n\n[nodes.b]\ndoc = \"d\"\nvalue = \"a\"\n\n[nodes.dead]\ndoc = \"d\"\np = \"only_dead\"\n\n[nodes.deader]\ndoc = \"d\"\nvalue = \"dead and a\"\n\n[outcomes.o]\ndoc = \"d\"\nwhen = \"b\"\n";
    let warnings: Vec<String> = ok(text)
        .warnings
        .into_iter()
        .filter(|w| w.check == Check::DeadEnd)
        .map(|w| w.message)
        .collect();
    assert_eq!(
        warnings,
        [
            "param `unused` is read by no node or outcome",
            "node `dead` is a dead end: no outcome reads it, directly or through other nodes",
            "node `deader` is a dead end: no outcome reads it, directly or through other nodes",
        ]
    );
}

#[test]
fn the_shipped_model_has_no_warnings() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../models/trotsky.toml"
    ))
    .expect("the shipped model");
    let loaded = uchronia_model::load("trotsky.toml", &text).expect("valid");
    let strict: Vec<String> = loaded
        .warnings
        .iter()
        .filter(|w| w.fails_strict())
        .map(ToString::to_string)
        .collect();
    assert!(strict.is_empty(), "{}", strict.join("\n"));
}
