//! The catalogue of bad input (docs/errors.md): every way a model, a claims
//! file, the lexicon, a history file, the command line, a run or the output
//! folder can be wrong, with the message each gets and its exit status.
//!
//! Each case writes its files into a fresh project folder (`models/m.toml`,
//! `data/estimative-words.toml`, ...), runs the binary there, and checks the
//! exit status, that nothing panicked, and a fragment of the message. Then
//! the tables of docs/errors.md are compared with what the cases printed, so
//! the documentation quotes real messages and cannot drift from them. After
//! changing a message, regenerate the tables with
//! `UCHRONIA_BLESS=1 cargo test --test integration catalogue`.

use std::path::Path;
use std::process::Command;

/// A valid model, documented throughout (no warnings), that the model cases
/// edit: every kind of node, a numeric outcome with `given`, two scenarios.
const MODEL: &str = r#"[model]
name = "m"
title = "A small model"

[params.support]
doc = "Share of support."
dist = "beta"
a = 3
b = 7

[params.shift]
doc = "A shift."
dist = "normal"
mean = 0
sd = 1

[nodes.reform]
doc = "The reform passes."
p = "support"

[nodes.leader]
doc = "Who leads."
states = ["reformer", "hardliner"]
p = { reformer = "if(reform, 0.6, 0.2)", hardliner = "if(reform, 0.4, 0.8)" }

[nodes.year]
doc = "The year of the crisis."
dist = "normal"
mean = "1930 + shift"
sd = 2

[nodes.crisis]
doc = "A crisis breaks out."
p = "if(leader == 'hardliner', 0.7, 0.2)"

[outcomes.reformer_leads]
doc = "The reformer leads."
when = "leader == 'reformer'"

[outcomes.crisis_year]
doc = "The year of the crisis, where there is one."
value = "year"
given = "crisis"

[scenarios.history]
doc = "What happened."
do = { reform = false }

[scenarios.reform_passes]
doc = "The reform passes."
do = { reform = true }
"#;

/// A valid claims file about [`MODEL`].
const CLAIMS: &str = r#"model = "../../models/m.toml"

[source]
title = "Test claims"
kind = "fixture"

[[claims]]
id = "crisis-likely"
author = "tester"
quote = "A crisis was likely."
scenario = "history"
event = "crisis"
says = "likely"
"#;

/// A valid history file for [`MODEL`].
const HISTORY: &str = r#"model = "../models/m.toml"
scenario = "history"

[outcomes]
reformer_leads = false
crisis_year = 1931
"#;

/// Where a case's input goes wrong: the sections of docs/errors.md.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Section {
    Model,
    Claims,
    Lexicon,
    History,
    CommandLine,
    RunTime,
    Output,
}

impl Section {
    const ALL: [Section; 7] = [
        Section::Model,
        Section::Claims,
        Section::Lexicon,
        Section::History,
        Section::CommandLine,
        Section::RunTime,
        Section::Output,
    ];

    /// The marker name of the section's table in docs/errors.md.
    fn key(self) -> &'static str {
        match self {
            Section::Model => "model",
            Section::Claims => "claims",
            Section::Lexicon => "lexicon",
            Section::History => "history",
            Section::CommandLine => "command-line",
            Section::RunTime => "run-time",
            Section::Output => "output",
        }
    }
}

/// One mistake: the files that hold it, the command that meets it, what it
/// must print and with which exit status.
struct Case {
    section: Section,
    /// The mistake, in words.
    mistake: &'static str,
    /// What it looks like, for the docs.
    example: String,
    /// Files to write (relative to the project folder) over the valid ones.
    files: Vec<(&'static str, Vec<u8>)>,
    /// The command line, after `uchronia`.
    args: Vec<String>,
    /// The expected exit status.
    status: i32,
    /// A fragment the message must contain.
    expect: &'static str,
}

/// The valid model with `from` replaced by `to` (which must be there).
fn edit(from: &str, to: &str) -> Vec<u8> {
    edit_text(MODEL, from, to).into_bytes()
}

fn edit_text(text: &str, from: &str, to: &str) -> String {
    assert!(text.contains(from), "the fixture holds {from:?}");
    text.replacen(from, to, 1)
}

fn args(line: &str) -> Vec<String> {
    line.split_whitespace().map(String::from).collect()
}

/// `uchronia check models/m.toml` on the model `text`.
fn model_case(mistake: &'static str, example: &str, text: Vec<u8>, expect: &'static str) -> Case {
    Case {
        section: Section::Model,
        mistake,
        example: example.to_string(),
        files: vec![("models/m.toml", text)],
        args: args("check models/m.toml"),
        status: 2,
        expect,
    }
}

/// A model case made by replacing `from` by `to` in the valid model; the
/// example shown is `to`.
fn model_edit(mistake: &'static str, from: &str, to: &str, expect: &'static str) -> Case {
    model_case(mistake, &shown(from, to), edit(from, to), expect)
}

/// The example of an edit: the new text, or what was removed.
fn shown(from: &str, to: &str) -> String {
    if to.is_empty() {
        format!("(no {})", from.lines().next().unwrap_or("").trim())
    } else {
        to.trim().to_string()
    }
}

/// `uchronia run` with a small size on the model `text`.
fn run_case(mistake: &'static str, example: &str, text: Vec<u8>, expect: &'static str) -> Case {
    Case {
        section: Section::RunTime,
        mistake,
        example: example.to_string(),
        files: vec![("models/m.toml", text)],
        args: args("run models/m.toml --trials 200 --draws 20 --quiet --out out"),
        status: 2,
        expect,
    }
}

/// `uchronia claims data/claims/c.toml` on the claims file `text`.
fn claims_case(mistake: &'static str, example: &str, text: Vec<u8>, expect: &'static str) -> Case {
    Case {
        section: Section::Claims,
        mistake,
        example: example.to_string(),
        files: vec![("data/claims/c.toml", text)],
        args: args("claims data/claims/c.toml --trials 200 --draws 20 --quiet --out out"),
        status: 2,
        expect,
    }
}

fn claims_edit(mistake: &'static str, from: &str, to: &str, expect: &'static str) -> Case {
    claims_case(
        mistake,
        &shown(from, to),
        edit_text(CLAIMS, from, to).into_bytes(),
        expect,
    )
}

/// The shipped lexicon.
fn lexicon() -> String {
    std::fs::read_to_string(repo("data/estimative-words.toml")).expect("the shipped lexicon")
}

/// `uchronia claims` with the lexicon `text`.
fn lexicon_case(mistake: &'static str, example: &str, text: Vec<u8>, expect: &'static str) -> Case {
    Case {
        section: Section::Lexicon,
        mistake,
        example: example.to_string(),
        files: vec![("data/estimative-words.toml", text)],
        args: args("claims data/claims/c.toml --trials 200 --draws 20 --quiet --out out"),
        status: 2,
        expect,
    }
}

fn lexicon_edit(mistake: &'static str, from: &str, to: &str, expect: &'static str) -> Case {
    lexicon_case(
        mistake,
        &shown(from, to),
        edit_text(&lexicon(), from, to).into_bytes(),
        expect,
    )
}

/// `uchronia calibrate` with the history file `text`.
fn history_case(mistake: &'static str, example: &str, text: Vec<u8>, expect: &'static str) -> Case {
    Case {
        section: Section::History,
        mistake,
        example: example.to_string(),
        files: vec![("data/history.toml", text)],
        args: args("calibrate models/m.toml --trials 200 --draws 20 --out out"),
        status: 2,
        expect,
    }
}

fn history_edit(mistake: &'static str, from: &str, to: &str, expect: &'static str) -> Case {
    history_case(
        mistake,
        &shown(from, to),
        edit_text(HISTORY, from, to).into_bytes(),
        expect,
    )
}

/// A command line (on the valid project).
fn command_case(mistake: &'static str, line: &str, expect: &'static str) -> Case {
    Case {
        section: Section::CommandLine,
        mistake,
        example: format!("uchronia {line}"),
        files: Vec::new(),
        args: args(line),
        status: 2,
        expect,
    }
}

/// An output folder (on the valid project), with files to set it up.
fn output_case(
    mistake: &'static str,
    out: &str,
    files: Vec<(&'static str, Vec<u8>)>,
    status: i32,
    expect: &'static str,
) -> Case {
    let line = format!("run models/m.toml --trials 200 --draws 20 --quiet --out {out}");
    Case {
        section: Section::Output,
        mistake,
        example: format!("--out {out}"),
        files,
        args: args(&line),
        status,
        expect,
    }
}

/// Text nested `depth` deep: `open` repeated, `middle`, `close` repeated.
fn nested(prefix: &str, open: &str, middle: &str, close: &str, depth: usize) -> Vec<u8> {
    format!(
        "{prefix}{}{middle}{}\n",
        open.repeat(depth),
        close.repeat(depth)
    )
    .into_bytes()
}

/// Every case, in the order of docs/errors.md.
fn cases() -> Vec<Case> {
    use Section::*;
    let deep_parens = format!("p = \"{}support{}\"", "(".repeat(65), ")".repeat(65));
    let long_chain = format!("p = \"support{}\"", " * 1".repeat(300));
    let mut big = MODEL.as_bytes().to_vec();
    big.extend(std::iter::repeat_n(b' ', 17 << 20));
    let mut cases = vec![
        // The file itself.
        model_case(
            "empty file",
            "(0 bytes)",
            Vec::new(),
            "missing [model] table",
        ),
        model_case(
            "binary file (not UTF-8)",
            "bytes 0xFF 0xFE ...",
            b"[model]\nname = \"\xff\xfe\"\n".to_vec(),
            "is not UTF-8 text: byte 0xFF at line 2, column 9",
        ),
        model_case(
            "binary file (UTF-8 with NUL bytes)",
            "bytes 0x00 ...",
            b"[model]\0\0\0".to_vec(),
            "is not text: a NUL byte at line 1, column 8",
        ),
        model_case(
            "a file of more than 16 MiB",
            "17 MiB of text",
            big,
            "is larger than 16 MiB, the limit",
        ),
        Case {
            section: Model,
            mistake: "no such file",
            example: "uchronia check models/nope.toml".into(),
            files: Vec::new(),
            args: args("check models/nope.toml"),
            status: 2,
            expect: "cannot read model models/nope.toml: No such file",
        },
        Case {
            section: Model,
            mistake: "a folder, not a file",
            example: "uchronia check models".into(),
            files: Vec::new(),
            args: args("check models"),
            status: 2,
            expect: "it is a folder, not a file",
        },
        Case {
            section: Model,
            mistake: "with `--strict`: a probability that can leave [0, 1] (any warning but the notes on sourcing)",
            example: "p = \"support * 5\" and uchronia check --strict".into(),
            files: vec![(
                "models/m.toml",
                edit("p = \"support\"", "p = \"support * 5\""),
            )],
            args: args("check models/m.toml --strict"),
            status: 2,
            expect: "can reach [0, 5], outside [0, 1]",
        },
        Case {
            section: Model,
            mistake: "with `--strict`: a node that feeds no outcome",
            example: "uchronia run --strict on a model with a dead end".into(),
            files: vec![(
                "models/m.toml",
                edit(
                    "[nodes.reform]",
                    "[nodes.unread]\ndoc = \"Nothing reads it.\"\np = 0.5\n\n[nodes.reform]",
                ),
            )],
            args: args("run models/m.toml --strict --trials 200 --draws 20 --quiet --out out"),
            status: 2,
            expect: "node `unread` is a dead end",
        },
        Case {
            section: Model,
            mistake: "with `--strict`: a node that reads a parent decided later (the chronology rule)",
            example: "year = 1931 on `crisis`, year = 1935 on `leader`, which it reads".into(),
            files: vec![(
                "models/m.toml",
                edit_text(
                    &edit_text(
                        MODEL,
                        "states = [\"reformer\"",
                        "year = 1935\nstates = [\"reformer\"",
                    ),
                    "p = \"if(leader == 'hardliner'",
                    "year = 1931\np = \"if(leader == 'hardliner'",
                )
                .into_bytes(),
            )],
            args: args("check models/m.toml --strict"),
            status: 2,
            expect: "crisis (1931) reads leader (1935), which is decided later",
        },
        model_edit(
            "an empty `label`",
            "doc = \"The reform passes.\"",
            "doc = \"The reform passes.\"\nlabel = \" \"",
            "`label` is empty",
        ),
        model_edit(
            "a `label` of more than one line",
            "doc = \"The reformer leads.\"",
            "doc = \"The reformer leads.\"\nlabel = \"The reformer\\nleads\"",
            "`label` must be a single line",
        ),
        model_edit(
            "a fact that is not a value of its node",
            "p = \"support\"",
            "p = \"support\"\nfact = \"yes\"",
            "`fact` gives `reform` a string, but the node `reform` is a boolean",
        ),
        model_edit(
            "a fact that is not a state of its node",
            "states = [\"reformer\", \"hardliner\"]",
            "states = [\"reformer\", \"hardliner\"]\nfact = \"reformist\"",
            "\"reformist\" is not a state of `leader`",
        ),
        model_edit(
            "a year span that runs backwards",
            "p = \"support\"",
            "p = \"support\"\nyear = [1933, 1930]",
            "`year` runs backwards: 1933 is after 1930",
        ),
        model_edit(
            "a year that is not a whole number",
            "p = \"support\"",
            "p = \"support\"\nyear = 1933.5",
            "`year` must be a whole year, found a number",
        ),
        model_edit(
            "a year on a param",
            "dist = \"beta\"",
            "year = 1930\ndist = \"beta\"",
            "`year` does not belong in param `support`",
        ),
        model_edit(
            "an empty `hindsight` on a param",
            "dist = \"beta\"",
            "hindsight = \"\"\ndist = \"beta\"",
            "`hindsight` is empty",
        ),
        model_edit(
            "`ex_ante` on a param without `hindsight`",
            "dist = \"beta\"",
            "ex_ante = { dist = \"beta\", a = 1, b = 1 }\ndist = \"beta\"",
            "`ex_ante` on `support`, which has no `hindsight`",
        ),
        model_edit(
            "an `ex_ante` that is not a prior",
            "dist = \"beta\"",
            "hindsight = \"set after the vote\"\nex_ante = 0.3\ndist = \"beta\"",
            "`ex_ante` must be a table, found",
        ),
        model_edit(
            "`ex_ante_group` on a param without `ex_ante`",
            "dist = \"beta\"",
            "hindsight = \"set after the vote\"\nex_ante_group = \"leaders\"\ndist = \"beta\"",
            "`ex_ante_group` on `support`, which has no `ex_ante` prior",
        ),
        model_edit(
            "`facts_through` that is not a year",
            "do = { reform = false }",
            "facts_through = \"1922\"\ndo = { reform = false }",
            "`facts_through` must be a whole year, found a string",
        ),
        model_edit(
            "TOML syntax error",
            "title = \"A small model\"",
            "title = \"A small model",
            "invalid TOML",
        ),
        model_case(
            "arrays nested 100,000 deep",
            "a = [[[[...]]]]",
            nested("a = ", "[", "", "]", 100_000),
            "invalid TOML: cannot recurse further",
        ),
        model_case(
            "inline tables nested 100,000 deep",
            "a = {b={b={...}}}",
            nested("a = ", "{b=", "1", "}", 100_000),
            "invalid TOML: cannot recurse further",
        ),
        model_case(
            "dotted keys 100,000 deep",
            "a.a.a.a... = 1",
            nested("a", ".a", " = 1", "", 100_000),
            "invalid TOML: recursion limit",
        ),
        // The header and names.
        model_edit(
            "no `[model]` name",
            "name = \"m\"\n",
            "",
            "[model] is missing `name`",
        ),
        model_edit(
            "unknown top-level table",
            "[params.support]",
            "[parameters.support]",
            "unknown top-level table `parameters`",
        ),
        model_edit(
            "unknown key in a table",
            "a = 3",
            "a = 3\nalpah = 1",
            "`alpah`",
        ),
        model_edit(
            "name with Unicode",
            "[params.support]",
            "[params.\"soutien_é\"]",
            "invalid param name `soutien_é`",
        ),
        model_edit(
            "name with capitals",
            "[nodes.crisis]",
            "[nodes.Crisis]",
            "invalid node name `Crisis`",
        ),
        model_edit(
            "reserved word as a name",
            "[params.shift]",
            "[params.exp]",
            "`exp` is a reserved word",
        ),
        model_edit(
            "a name used twice",
            "[nodes.crisis]",
            "[nodes.support]",
            "support",
        ),
        // Numbers.
        model_edit("`nan`", "a = 3", "a = nan", "non-finite number `nan`"),
        model_edit("`inf`", "a = 3", "a = inf", "non-finite number `inf`"),
        model_edit(
            "a float too large for 64 bits",
            "a = 3",
            "a = 1e400",
            "non-finite number `1e400`",
        ),
        model_edit(
            "an integer too large for 64 bits",
            "a = 3",
            "a = 99999999999999999999",
            "integer `99999999999999999999` does not fit in 64 bits",
        ),
        model_edit(
            "a number too large in an expression",
            "p = \"support\"",
            "p = \"support * 1e400\"",
            "number `1e400` is too large",
        ),
        // Distributions.
        model_edit(
            "unknown distribution",
            "dist = \"beta\"",
            "dist = \"betta\"",
            "betta",
        ),
        model_edit(
            "argument outside its domain",
            "a = 3",
            "a = -3",
            "beta needs a > 0",
        ),
        model_edit("missing argument", "b = 7\n", "", "`b`"),
        model_edit(
            "`ci90` bounds in the wrong order",
            "mean = 0\nsd = 1",
            "ci90 = [2, 1]",
            "ci90",
        ),
        // Expressions.
        model_edit(
            "syntax error",
            "p = \"support\"",
            "p = \"support *\"",
            "expected",
        ),
        model_edit(
            "unknown character",
            "p = \"support\"",
            "p = \"support ÷ 2\"",
            "unexpected character `÷`",
        ),
        model_edit(
            "unknown name (with the nearest)",
            "p = \"support\"",
            "p = \"suport\"",
            "unknown name `suport`",
        ),
        model_edit(
            "boolean used as a number",
            "p = \"support\"",
            "p = \"0.3 * (support > 0.5)\"",
            "boolean",
        ),
        model_edit(
            "chained comparison",
            "p = \"support\"",
            "p = \"if(0 < support < 1, 0.5, 0.1)\"",
            "comparisons cannot be chained",
        ),
        model_edit(
            "unknown state",
            "'hardliner', 0.7",
            "'hardline', 0.7",
            "'hardline'",
        ),
        model_edit(
            "nesting deeper than 64",
            "p = \"support\"",
            &deep_parens,
            "expression nested too deeply (more than 64 levels)",
        ),
        model_edit(
            "a constant probability that is NaN (found when loading)",
            "p = \"support\"",
            "p = \"0 / 0\"",
            "is NaN, not a probability in [0, 1]",
        ),
        model_edit(
            "a chain of more than 256 operations",
            "p = \"support\"",
            &long_chain,
            "expression too deep (more than 256 nested operations)",
        ),
        // The graph and its nodes.
        model_edit(
            "a cycle",
            "p = \"support\"",
            "p = \"if(crisis, 0.5, support)\"",
            "cycle",
        ),
        model_edit(
            "categorical node with one state",
            "states = [\"reformer\", \"hardliner\"]\np = { reformer = \"if(reform, 0.6, 0.2)\", hardliner = \"if(reform, 0.4, 0.8)\" }",
            "states = [\"reformer\"]\np = { reformer = 1 }",
            "needs at least two states",
        ),
        model_edit(
            "a state listed twice",
            "states = [\"reformer\", \"hardliner\"]",
            "states = [\"reformer\", \"hardliner\", \"reformer\"]",
            "state 'reformer' is listed twice",
        ),
        model_edit(
            "constant probabilities that do not sum to 1",
            "p = { reformer = \"if(reform, 0.6, 0.2)\", hardliner = \"if(reform, 0.4, 0.8)\" }",
            "p = { reformer = 0.6, hardliner = 0.6 }",
            "sum",
        ),
        model_edit(
            "outcome with neither `when` nor `value`",
            "when = \"leader == 'reformer'\"\n",
            "",
            "reformer_leads",
        ),
        // Scenarios.
        model_edit(
            "no scenario",
            "[scenarios.history]\ndoc = \"What happened.\"\ndo = { reform = false }\n\n[scenarios.reform_passes]\ndoc = \"The reform passes.\"\ndo = { reform = true }\n",
            "",
            "the model has no scenario",
        ),
        model_edit(
            "`do` value of the wrong type",
            "do = { reform = false }",
            "do = { reform = 0.5 }",
            "reform",
        ),
        model_edit(
            "`do` on an unknown node",
            "do = { reform = false }",
            "do = { reformm = false }",
            "reformm",
        ),
        model_edit(
            "`set` on an unknown param",
            "do = { reform = true }",
            "do = { reform = true }\nset = { suport = 0.5 }",
            "suport",
        ),
        // Correlations.
        model_edit(
            "correlation with an unknown param (with the nearest)",
            "[nodes.reform]",
            "[[correlations]]\nparams = [\"support\", \"shfit\"]\nrank = 0.5\n\n[nodes.reform]",
            "unknown param `shfit` in [[correlations]]",
        ),
        model_edit(
            "correlation rank outside (-1, 1)",
            "[nodes.reform]",
            "[[correlations]]\nparams = [\"support\", \"shift\"]\nrank = 1\n\n[nodes.reform]",
            "`rank` must be in (-1, 1), found 1",
        ),
        model_edit(
            "correlations that do not form a positive definite matrix",
            "[nodes.reform]",
            "[params.third]\ndoc = \"A third belief.\"\ndist = \"uniform\"\nlow = 0\nhigh = 1\n\n[[correlations]]\nparams = [\"support\", \"shift\"]\nrank = 0.9\n\n[[correlations]]\nparams = [\"support\", \"third\"]\nrank = 0.9\n\n[[correlations]]\nparams = [\"shift\", \"third\"]\nrank = -0.5\n\n[nodes.reform]",
            "do not form a positive definite matrix: smallest eigenvalue",
        ),
        model_edit(
            "`[report] question` that is not a scenario (with the nearest)",
            "do = { reform = true }\n",
            "do = { reform = true }\n\n[report]\nquestion = \"reform_pases\"\n",
            "`question` names `reform_pases`, which is not a scenario",
        ),
        model_edit(
            "`[report] question` naming the reference scenario",
            "do = { reform = true }\n",
            "do = { reform = true }\n\n[report]\nquestion = \"history\"\n",
            "the reference scenario, which has no effect of its own",
        ),
        Case {
            args: args("check models/m.toml --strict"),
            ..model_edit(
                "a confounded scenario with `--strict` (`check` or `run`)",
                "do = { reform = true }",
                "do = { leader = 'reformer' }",
                "scenario reform_passes is confounded against history: they fix reform differently",
            )
        },
    ];

    // Claims files.
    cases.extend([
        claims_case("empty file", "(0 bytes)", Vec::new(), "model"),
        claims_case(
            "binary file",
            "bytes 0xFF ...",
            b"model = \"\xff\"".to_vec(),
            "is not UTF-8 text",
        ),
        claims_edit(
            "a claim with both `scenario` and `known_through`",
            "scenario = \"history\"",
            "scenario = \"history\"\nknown_through = 1925",
            "a claim gives `scenario` or `known_through`, not both",
        ),
        claims_edit(
            "model that does not exist",
            "model = \"../../models/m.toml\"",
            "model = \"../../models/nope.toml\"",
            "nope.toml",
        ),
        claims_edit(
            "unknown phrase (with the nearest)",
            "says = \"likely\"",
            "says = \"likly\"",
            "likly",
        ),
        claims_edit(
            "band in the wrong order",
            "says = \"likely\"",
            "says = [0.9, 0.1]",
            "0.9",
        ),
        claims_edit(
            "band with a non-finite number",
            "says = \"likely\"",
            "says = [0.1, nan]",
            "finite",
        ),
        claims_edit(
            "invalid id",
            "id = \"crisis-likely\"",
            "id = \"Crisis Likely\"",
            "Crisis Likely",
        ),
        claims_edit(
            "unknown scenario",
            "scenario = \"history\"",
            "scenario = \"histroy\"",
            "histroy",
        ),
        claims_edit(
            "matched baseline of a scenario that does not diverge",
            "says = \"likely\"",
            "says = \"higher\"\nthan = \"history~baseline\"",
            "scenario `history` has no matched baseline",
        ),
        claims_edit(
            "event that is not boolean",
            "event = \"crisis\"",
            "event = \"year\"",
            "year",
        ),
        claims_edit(
            "event with an unknown name",
            "event = \"crisis\"",
            "event = \"crises\"",
            "unknown name `crises`",
        ),
        claims_edit(
            "missing key",
            "quote = \"A crisis was likely.\"\n",
            "",
            "quote",
        ),
        claims_edit(
            "`post` that is not a whole number",
            "says = \"likely\"",
            "says = \"likely\"\npost = -3",
            "`post` must be a whole number of at least 0",
        ),
        claims_edit(
            "comparative word without `than`",
            "says = \"likely\"",
            "says = \"much lower\"",
            "than",
        ),
        claims_edit(
            "unknown phrase (the nearest in meaning)",
            "says = \"likely\"",
            "says = \"fair chance\"",
            "did you mean \"a good chance\"? \"a good chance\" means 33–100%",
        ),
        claims_edit(
            "unknown comparative word (the nearest of its direction)",
            "says = \"likely\"",
            "says = \"more chance\"\nthan = \"reform_passes\"",
            "did you mean \"higher\"?",
        ),
    ]);

    // The lexicon.
    cases.extend([
        Case {
            section: Lexicon,
            mistake: "no such file",
            example: "--lexicon nope.toml".into(),
            files: Vec::new(),
            args: args(
                "claims data/claims/c.toml --trials 200 --draws 20 --quiet --out out --lexicon nope.toml",
            ),
            status: 2,
            expect: "cannot read the lexicon nope.toml",
        },
        lexicon_case(
            "binary file",
            "bytes 0xFF ...",
            b"version = 1\n\xff".to_vec(),
            "is not UTF-8 text",
        ),
        lexicon_case("empty file", "(0 bytes)", Vec::new(), "version"),
        lexicon_edit(
            "unknown version",
            "\nversion = 1\n",
            "\nversion = 2\n",
            "version",
        ),
        lexicon_edit(
            "band outside [0, 1]",
            "[phrases.likely]\nband = [",
            "[phrases.likely]\nband = [-0.5, 0.9]\nold = [",
            "band",
        ),
        lexicon_edit(
            "a wording listed under two comparative words",
            "phrases = [\"much higher\", ",
            "phrases = [\"much higher\", \"lower\", ",
            "\"lower\" means both \"lower\" and \"much higher\"",
        ),
        lexicon_edit(
            "a listed wording that is not lowercase",
            "[\"much higher\", \"far more likely\"",
            "[\"much higher\", \"Far more likely\"",
            "not trimmed lowercase",
        ),
    ]);

    // History files.
    cases.extend([
        Case {
            section: History,
            mistake: "no such file",
            example: "uchronia calibrate models/m.toml nope.toml".into(),
            files: Vec::new(),
            args: args("calibrate models/m.toml nope.toml --trials 200 --draws 20 --out out"),
            status: 2,
            expect: "cannot read history file nope.toml",
        },
        history_case(
            "binary file",
            "bytes 0xFF ...",
            b"\xff".to_vec(),
            "is not UTF-8 text",
        ),
        history_edit(
            "unknown outcome (with the nearest)",
            "reformer_leads = false",
            "reformer_lead = false",
            "reformer_lead",
        ),
        history_edit(
            "number for a boolean outcome",
            "reformer_leads = false",
            "reformer_leads = 0.5",
            "reformer_leads",
        ),
        history_edit(
            "non-finite number",
            "crisis_year = 1931",
            "crisis_year = nan",
            "crisis_year",
        ),
        history_edit(
            "target outside [0, 1]",
            "crisis_year = 1931\n",
            "crisis_year = 1931\n\n[targets]\nmin_probability = 1.5\n",
            "min_probability",
        ),
        history_edit(
            "an accepted miss naming no yes/no outcome",
            "crisis_year = 1931\n",
            "crisis_year = 1931\n\n[targets]\naccepted_misses = [\"reformer_lead\"]\n",
            "is not a yes/no outcome of [outcomes]",
        ),
    ]);

    // The command line.
    let max = u64::MAX.to_string();
    cases.extend([
        command_case("unknown option", "run --no-such-flag", "--no-such-flag"),
        command_case("unknown command", "frobnicate", "frobnicate"),
        Case {
            section: Section::CommandLine,
            mistake: "crux without claims about the model",
            example: "uchronia crux --model models/trotsky.toml".into(),
            files: vec![("models/trotsky.toml", MODEL.as_bytes().to_vec())],
            args: args("crux --model models/trotsky.toml --trials 200 --draws 20 --out out"),
            status: 2,
            expect: "no claims about models/trotsky.toml",
        },
        command_case(
            "not a whole number",
            "run models/m.toml --trials many",
            "'many' is not a whole number",
        ),
        command_case(
            "a fraction in scientific notation",
            "run models/m.toml --trials 1.5e0",
            "'1.5e0' is not a whole number",
        ),
        command_case(
            "a number beyond 64 bits",
            "run models/m.toml --trials 1e30",
            "'1e30' is not a whole number",
        ),
        command_case(
            "zero draws",
            "run models/m.toml --draws 0",
            "--draws must be at least 1",
        ),
        command_case(
            "fewer trials than draws",
            "run models/m.toml --trials 10 --draws 100",
            "--trials (10) must be at least --draws (100)",
        ),
        command_case(
            "absurd number of draws",
            "run models/m.toml --trials 1e13 --draws 1e12",
            "--draws 1000000000000 is more than the limit of 100000000",
        ),
        command_case(
            "draws whose tallies would not fit in memory",
            "run models/m.toml --trials 1e9 --draws 1e8",
            "the limit is 4.0 GiB",
        ),
        Case {
            section: CommandLine,
            mistake: "trials x scenarios beyond 64 bits",
            example: format!("uchronia run models/m.toml --trials {max}"),
            files: Vec::new(),
            args: vec![
                "run".into(),
                "models/m.toml".into(),
                "--trials".into(),
                max.clone(),
            ],
            status: 2,
            expect: "is more than 2^64 trials in all",
        },
        command_case(
            "Latin hypercube draws with a precision target",
            "run models/m.toml --design lhs --precision 0.01",
            "--design lhs and --precision do not go together",
        ),
        command_case(
            "zero threads",
            "run models/m.toml --threads 0",
            "--threads must be at least 1",
        ),
        command_case(
            "absurd number of threads",
            "run models/m.toml --threads 100000",
            "--threads 100000 is more than the limit of 1024",
        ),
        command_case(
            "unknown scenario (with the nearest)",
            "run models/m.toml --scenario histroy",
            "has no scenario 'histroy'",
        ),
        command_case(
            "sweep of an unknown param",
            "sweep models/m.toml --param suport --values 0:1:0.5",
            "suport",
        ),
        command_case(
            "sweep values that are not LO:HI:STEP",
            "sweep models/m.toml --param support --values 0:1",
            "LO:HI:STEP",
        ),
        command_case(
            "sweep of too many values",
            "sweep models/m.toml --param support --values 0:1:0.00001",
            "gives more than 1000 values",
        ),
        command_case(
            "inevitability curves of a model without facts",
            "inevitability models/m.toml",
            "has no node with both `year` and `fact`",
        ),
        Case {
            section: CommandLine,
            mistake: "inevitability curves of a numeric outcome",
            example: "inevitability models/m.toml --outcome crisis_year".into(),
            files: vec![(
                "models/m.toml",
                edit(
                    "p = \"support\"",
                    "p = \"support\"\nyear = 1925\nfact = false",
                ),
            )],
            args: args("inevitability models/m.toml --outcome crisis_year --out out"),
            status: 2,
            expect: "outcome 'crisis_year' is numeric; inevitability curves are probabilities",
        },
        command_case(
            "a calibration target outside [0, 1]",
            "calibrate models/m.toml --min-probability 1.5",
            "--min-probability must be in [0, 1], not 1.5",
        ),
        command_case(
            "a calibration target that is not a number",
            "calibrate models/m.toml --max-brier NaN",
            "--max-brier must be in [0, 1], not NaN",
        ),
        command_case(
            "`calibrate --ex-ante` on a model without `ex_ante` priors",
            "calibrate models/m.toml --ex-ante",
            "--ex-ante: no param of models/m.toml has an `ex_ante` prior",
        ),
        command_case(
            "`--ex-ante-group` naming no group of the model",
            "calibrate models/m.toml --ex-ante-group leaders",
            "--ex-ante-group leaders: no param of models/m.toml has `ex_ante_group = \"leaders\"` (it has none)",
        ),
        command_case(
            "`run --ex-ante` beside `--shard`",
            "run models/m.toml --ex-ante --shard 1/2",
            "--ex-ante cannot be combined with --shard or --checkpoint",
        ),
        command_case(
            "unknown outcome to explain",
            "check models/m.toml --explain crises",
            "crises",
        ),
        command_case(
            "completions for an unknown shell",
            "completions tcsh",
            "invalid value 'tcsh'",
        ),
        command_case(
            "a starter model over an existing file",
            "new models/m.toml",
            "models/m.toml exists: uchronia new never overwrites a file",
        ),
        command_case(
            "an unknown template",
            "new models/my_question.toml --template wars",
            "no template 'wars' (did you mean 'war'?)",
        ),
        Case {
            section: CommandLine,
            mistake: "manual pages into a file",
            example: "uchronia man --dir taken".into(),
            files: vec![("taken", b"a file".to_vec())],
            args: args("man --dir taken"),
            status: 2,
            expect: "--dir taken is a file, not a folder",
        },
    ]);

    // Run time: `crisis` is the node evaluated in every trial.
    let crisis = "p = \"if(leader == 'hardliner', 0.7, 0.2)\"";
    cases.extend([
        run_case(
            "probability outside [0, 1]",
            "p = \"support + 0.9\"",
            edit(crisis, "p = \"support + 0.9\""),
            "is outside [0, 1]",
        ),
        run_case(
            "division by zero reaching a probability",
            "p = \"support / (shift - shift)\"",
            edit(crisis, "p = \"support / (shift - shift)\""),
            "probability inf is outside [0, 1]",
        ),
        run_case(
            "NaN reaching a probability",
            "p = \"(shift - shift) / (shift - shift)\"",
            edit(crisis, "p = \"(shift - shift) / (shift - shift)\""),
            "probability NaN",
        ),
        run_case(
            "a draw outside a node's domain",
            "a = \"shift\" (shift is normal, can be negative)",
            edit(
                "dist = \"normal\"\nmean = \"1930 + shift\"\nsd = 2",
                "dist = \"beta\"\na = \"shift\"\nb = 2",
            ),
            "beta needs a > 0",
        ),
        run_case(
            "negative weight",
            "weights = { reformer = \"shift\", hardliner = 1 }",
            edit(
                "p = { reformer = \"if(reform, 0.6, 0.2)\", hardliner = \"if(reform, 0.4, 0.8)\" }",
                "weights = { reformer = \"shift\", hardliner = 1 }",
            ),
            "weight",
        ),
        run_case(
            "NaN in a comparison",
            "p = \"if(sqrt(shift) > 0, 0.7, 0.2)\"",
            edit(crisis, "p = \"if(sqrt(shift) > 0, 0.7, 0.2)\""),
            "NaN reaches a comparison",
        ),
        run_case(
            "`clamp` with lo > hi",
            "p = \"clamp(support, 1, shift)\"",
            edit(crisis, "p = \"clamp(support, 1, shift)\""),
            "clamp",
        ),
        run_case(
            "an infinity reaching an outcome",
            "value = \"ln(year - year)\"",
            edit("value = \"year\"", "value = \"ln(year - year)\""),
            "crisis_year",
        ),
        run_case(
            "`lower` above `upper`",
            "lower = \"1930 + shift\" and upper = 1930",
            edit("sd = 2", "sd = 2\nlower = \"1930 + shift\"\nupper = 1930"),
            "lower",
        ),
    ]);

    // The output folder.
    cases.extend([
        output_case(
            "a file, not a folder",
            "taken",
            vec![("taken", b"a file".to_vec())],
            2,
            "--out taken is a file, not a folder",
        ),
        output_case(
            "a folder under a file",
            "taken/report",
            vec![("taken", b"a file".to_vec())],
            2,
            "cannot write a report into taken",
        ),
        output_case(
            "no folder name",
            "..",
            Vec::new(),
            2,
            "does not name a folder",
        ),
        output_case(
            "a device",
            "/dev/full",
            Vec::new(),
            2,
            "--out /dev/full is a file, not a folder",
        ),
        output_case(
            "a folder that holds a user's files",
            "mine",
            vec![("mine/notes.txt", b"my notes".to_vec())],
            2,
            "--out mine holds notes.txt, which uchronia did not write",
        ),
        output_case(
            "a report a user added a file to",
            "old",
            vec![
                (
                    "old/uchronia-manifest.txt",
                    b"# a report\noutcomes.csv\n".to_vec(),
                ),
                ("old/outcomes.csv", b"scenario\n".to_vec()),
                ("old/draft.md", b"my draft".to_vec()),
            ],
            2,
            "--out old holds draft.md, which uchronia did not write",
        ),
        output_case(
            "a report of uchronia 0.1 (no manifest)",
            "old",
            vec![
                ("old/run.json", b"{}".to_vec()),
                ("old/outcomes.csv", b"scenario\n".to_vec()),
            ],
            2,
            "looks like a report of uchronia 0.1",
        ),
        output_case(
            "the folder that holds the model",
            "models",
            Vec::new(),
            2,
            "--out models holds models/m.toml, which this command reads",
        ),
        output_case(
            "a folder above an input",
            "data",
            Vec::new(),
            2,
            "--out data holds data/claims/c.toml, which this command reads",
        ),
        output_case(
            "a place that cannot be written",
            "/sys/uchronia-report",
            Vec::new(),
            2,
            "cannot write a report into /sys",
        ),
    ]);
    cases
}

/// The repository's copy of `path`.
fn repo(path: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// What one case printed.
struct Outcome {
    status: i32,
    stderr: String,
}

/// Writes the valid project and the case's files into `dir`, runs the case.
fn run_case_in(case: &Case, dir: &Path) -> Outcome {
    let lexicon = lexicon();
    let base: [(&str, &[u8]); 4] = [
        ("models/m.toml", MODEL.as_bytes()),
        ("data/claims/c.toml", CLAIMS.as_bytes()),
        ("data/history.toml", HISTORY.as_bytes()),
        ("data/estimative-words.toml", lexicon.as_bytes()),
    ];
    for (path, bytes) in base
        .into_iter()
        .chain(case.files.iter().map(|(p, b)| (*p, b.as_slice())))
    {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("folders");
        std::fs::write(&path, bytes).expect("written");
    }
    let output = Command::new(env!("CARGO_BIN_EXE_uchronia"))
        .args(&case.args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs");
    Outcome {
        status: output.status.code().unwrap_or(-1),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// The first error of `stderr`, for the docs: its first line, its `help:`
/// line and its `note:` lines (the source line and carets are left out).
fn first_error(stderr: &str) -> String {
    let mut lines = stderr
        .lines()
        .skip_while(|line| !(line.starts_with("error") || line.contains(": error: ")));
    let Some(first) = lines.next() else {
        return stderr.lines().next().unwrap_or("").to_string();
    };
    let mut text = first.trim_end().to_string();
    for line in lines {
        if line.is_empty() {
            break;
        }
        if let Some(help) = line.trim_start().strip_prefix("help: ") {
            text.push_str(" — help: ");
            text.push_str(help);
        }
        if let Some(note) = line.trim_start().strip_prefix("note: ") {
            text.push_str(" — note: ");
            text.push_str(note);
        }
    }
    text
}

/// A table cell in code: double backticks allow single ones inside, and a
/// `|` must be escaped even there.
fn code(text: &str) -> String {
    let text = text.replace('|', "\\|");
    let text: String = text.chars().take(300).collect();
    format!("`` {text} ``")
}

/// The markdown table of `section`.
fn table(rows: &[(&Case, &Outcome)]) -> String {
    let mut text = String::from("| mistake | example | message | exit |\n|---|---|---|---|\n");
    for (case, outcome) in rows {
        let example: String = case.example.chars().take(120).collect();
        text.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            case.mistake,
            code(&example.replace('\n', " ")),
            code(&first_error(&outcome.stderr)),
            outcome.status
        ));
    }
    text
}

/// Replaces the text between `<!-- catalogue:KEY -->` and
/// `<!-- catalogue:end -->` that follows it.
fn splice(doc: &str, key: &str, body: &str) -> String {
    let begin = format!("<!-- catalogue:{key} -->\n");
    let end = "<!-- catalogue:end -->";
    let start = doc
        .find(&begin)
        .unwrap_or_else(|| panic!("docs/errors.md has the marker {begin:?}"))
        + begin.len();
    let stop = start + doc[start..].find(end).expect("an end marker");
    format!("{}{body}{}", &doc[..start], &doc[stop..])
}

// Linux: some cases use /dev/full and /sys, and the messages quote its errors.
#[cfg(target_os = "linux")]
#[test]
fn every_mistake_gets_its_message_and_exit_status_and_the_docs_quote_them() {
    let cases = cases();
    let mut failures = Vec::new();
    let mut outcomes = Vec::new();
    for case in &cases {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let outcome = run_case_in(case, dir.path());
        let shown = format!(
            "{} / {}: uchronia {}\nstatus {}\n{}",
            case.section.key(),
            case.mistake,
            case.args.join(" "),
            outcome.status,
            outcome.stderr
        );
        if outcome.status != case.status
            || outcome.stderr.contains("panicked")
            || outcome.stderr.contains("internal error")
            || !outcome.stderr.contains(case.expect)
        {
            failures.push(format!(
                "{shown}\n(expected status {}, {:?})",
                case.status, case.expect
            ));
        }
        // Nothing is written where a run fails.
        if dir.path().join("out").exists() {
            failures.push(format!("{shown}\n(wrote out/)"));
        }
        outcomes.push(outcome);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));

    let path = repo("docs/errors.md");
    let mut doc = std::fs::read_to_string(&path).expect("docs/errors.md exists");
    for section in Section::ALL {
        let rows: Vec<(&Case, &Outcome)> = cases
            .iter()
            .zip(&outcomes)
            .filter(|(case, _)| case.section == section)
            .collect();
        doc = splice(&doc, section.key(), &table(&rows));
    }
    let on_disk = std::fs::read_to_string(&path).expect("docs/errors.md exists");
    if std::env::var_os("UCHRONIA_BLESS").is_some() {
        std::fs::write(&path, &doc).expect("docs/errors.md written");
    } else {
        assert!(
            doc == on_disk,
            "docs/errors.md does not quote the messages the binary prints: regenerate it with \
             UCHRONIA_BLESS=1 cargo test --test integration catalogue"
        );
    }
}
