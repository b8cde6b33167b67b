//! Fuzzes the expression parser and checker against a fixed small model
//! with every kind of name: params, boolean, categorical, numeric and
//! derived nodes, boolean and numeric outcomes.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use uchronia_model::Model;

const MODEL: &str = r#"
[model]
name = "fuzz"
title = "The fixed model of the expression fuzzer"

[params.support]
dist = "beta"
a = 3
b = 7

[nodes.reform]
p = "support"

[nodes.leader]
states = ["reformer", "hardliner", "council"]
weights = { reformer = 1, hardliner = 8, council = 1 }

[nodes.year]
dist = "normal"
mean = 1930
sd = 2

[nodes.in_power]
value = "leader == 'reformer'"

[outcomes.reformer_leads]
when = "in_power"

[outcomes.start]
value = "year"
given = "reform"

[scenarios.history]
do = { reform = false }
"#;

fn model() -> &'static Model {
    static MODEL_IR: OnceLock<Model> = OnceLock::new();
    MODEL_IR.get_or_init(|| {
        uchronia_model::load("fuzz.toml", MODEL)
            .expect("the fixed model is valid")
            .model
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&flag, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    match uchronia_model::compile_expression(model(), text, flag & 1 == 1) {
        Ok(_) => {}
        Err(error) => {
            let _ = error.to_string();
        }
    }
});
