//! A quick fuzz test without dependencies: about 10,000 mutations of a valid
//! model (and of random text) go through `load`, which must return, never
//! panic; every diagnostic must render. A fixed xorshift seed keeps it
//! reproducible; a failure prints the input.

mod common;

use std::panic::{AssertUnwindSafe, catch_unwind};

use uchronia_model::{compile_expression, load};

const BASE: &str = r#"
[model]
name = "fuzz"
title = "Fuzz"

[params.support]
doc = "d"
source = ["k"]
dist = "beta"
a = 3
b = 7

[params.rate]
doc = "d"
dist = "beta"
ci90 = [0.1, 0.4]

[params.shift]
dist = "normal"
ci90 = [10, 20]

[params.size]
dist = "lognormal"
mu = 0
sigma = 0.5

[params.guess]
dist = "pert"
min = 0
mode = 1
max = 4

[nodes.leader]
doc = "d"
states = ["stalin", "trotsky", "bukharin"]

[[nodes.leader.table]]
when = "read and not ill"
p = { trotsky = "support", stalin = "0.8 * (1 - support)" }

[[nodes.leader.table]]
weights = { stalin = 80, bukharin = 10, trotsky = 2 }

[nodes.read]
p = 0.3

[nodes.ill]
p = "clamp(rate, 0, 1)"

[nodes.year]
dist = "normal"
mean = "1939 + if(leader == 'trotsky', 2, 0) - 2^-1 * -2^2"
sd = 1.5
lower = 1935
upper = "1950"
round = true

[nodes.army]
dist = "beta"
ci90 = ["0.5", 0.9]

[nodes.stable]
value = "leader == 'stalin' or (year > 1940 and not ill)"

[outcomes.trotsky_leads]
when = "leader == 'trotsky'"

[outcomes.war]
value = "year"
given = "early"

[outcomes.early]
when = "stable and year < 1945"

[scenarios.history]
do = { read = false }

[scenarios.testament]
do = { year = 1941, stable = true, leader = "trotsky" }
set = { support = { dist = "beta", a = 4, b = 6 }, rate = 0.1 }

[report]
headline = ["trotsky_leads"]
"#;

/// Pieces that are likely to reach deep into the loader when inserted.
const PIECES: &[&str] = &[
    "\"",
    "'",
    "[",
    "]",
    "{",
    "}",
    "=",
    "(",
    ")",
    ",",
    "\n",
    " ",
    ".",
    "-",
    "+",
    "*",
    "/",
    "^",
    "<",
    ">=",
    "==",
    "!=",
    "0",
    "1",
    "0.5",
    "1e9",
    "-1",
    "inf",
    "nan",
    "true",
    "false",
    "and",
    "or",
    "not",
    "if(",
    "min(",
    "clamp(",
    "'trotsky'",
    "'x'",
    "leader",
    "support",
    "year",
    "stable",
    "early",
    "dist",
    "beta",
    "ci90",
    "states",
    "p",
    "weights",
    "when",
    "value",
    "given",
    "do",
    "set",
    "[nodes.x]",
    "[[nodes.leader.table]]",
    "[params.q]",
    "[outcomes.o]",
    "[scenarios.s]",
    "\"\"\"",
    "×",
    "é",
    "\t",
    "#",
    "\\",
    "\\u00",
    "0x1F",
    "1_0",
];

struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn mutate(rng: &mut XorShift, text: &[char]) -> Vec<char> {
    let mut out = text.to_vec();
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(out.len() + 1);
        match rng.below(6) {
            0 => {
                let len = rng.below(12).min(out.len() - at.min(out.len()));
                out.drain(at..at + len);
            }
            1 | 2 => {
                let piece = PIECES[rng.below(PIECES.len())];
                out.splice(at..at, piece.chars());
            }
            3 if at < out.len() => out[at] = char::from(32 + rng.below(95) as u8),
            4 => {
                // Copy a random slice somewhere else (duplicates keys and tables).
                let from = rng.below(out.len());
                let len = rng.below(40).min(out.len() - from);
                let slice: Vec<char> = out[from..from + len].to_vec();
                let to = rng.below(out.len() + 1);
                out.splice(to..to, slice);
            }
            _ => {
                let len = rng.below(3);
                let end = (at + len).min(out.len());
                out.drain(at..end);
            }
        }
    }
    out
}

/// Loads `text` and renders what comes out; true when it loaded.
fn exercise(text: &str) -> bool {
    match load("fuzz.toml", text) {
        Ok(loaded) => {
            for w in &loaded.warnings {
                let _ = w.to_string();
            }
            // Expressions over the loaded model: pieces of the text itself.
            for line in text.lines().take(5) {
                let _ = compile_expression(&loaded.model, line, true);
            }
            true
        }
        Err(errors) => {
            assert!(!errors.0.is_empty());
            let _ = errors.to_string();
            false
        }
    }
}

#[test]
fn the_base_model_loads() {
    let loaded = load("fuzz.toml", BASE).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(loaded.model.nodes.len(), 6);
}

#[test]
fn mutated_models_never_panic() {
    let base: Vec<char> = BASE.chars().collect();
    let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
    let mut loaded = 0;
    for i in 0..8_000 {
        let text: String = mutate(&mut rng, &base).into_iter().collect();
        match catch_unwind(AssertUnwindSafe(|| exercise(&text))) {
            Ok(ok) => loaded += usize::from(ok),
            Err(_) => panic!("load panicked on mutation {i}:\n{text}"),
        }
    }
    // Many mutations are harmless (in docs, whitespace): the test must reach
    // the whole loader, not only the TOML parser.
    assert!(loaded > 200, "only {loaded} mutations loaded");
}

#[test]
fn random_text_never_panics() {
    let mut rng = XorShift(12345);
    let model = load("fuzz.toml", BASE)
        .unwrap_or_else(|e| panic!("{e}"))
        .model;
    for i in 0..2_000 {
        let mut text = String::new();
        for _ in 0..rng.below(30) {
            text.push_str(PIECES[rng.below(PIECES.len())]);
        }
        if catch_unwind(AssertUnwindSafe(|| exercise(&text))).is_err() {
            panic!("load panicked on random text {i}:\n{text}");
        }
        let expression = text.replace('\n', " ");
        if catch_unwind(AssertUnwindSafe(|| {
            compile_expression(&model, &expression, true)
        }))
        .is_err()
        {
            panic!("compile_expression panicked on {expression:?}");
        }
    }
}
