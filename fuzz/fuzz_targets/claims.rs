//! Fuzzes the claims loader: `parse` then `compile` against the shipped
//! model and lexicon. Any text must give claims or diagnostics, never panic.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use uchronia_claims::Lexicon;
use uchronia_model::Model;

const MODEL: &str = include_str!("../../models/trotsky.toml");
const LEXICON: &str = include_str!("../../data/estimative-words.toml");

fn fixtures() -> &'static (Model, Lexicon) {
    static FIXTURES: OnceLock<(Model, Lexicon)> = OnceLock::new();
    FIXTURES.get_or_init(|| {
        let model = uchronia_model::load("models/trotsky.toml", MODEL)
            .expect("the shipped model is valid")
            .model;
        let lexicon = uchronia_claims::load_lexicon("data/estimative-words.toml", LEXICON)
            .expect("the shipped lexicon is valid");
        (model, lexicon)
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (model, lexicon) = fixtures();
    match uchronia_claims::parse("fuzz.toml", text) {
        Ok(file) => match uchronia_claims::compile(&file, model, lexicon) {
            Ok(claims) => {
                let _ = uchronia_claims::attach(model, &claims);
            }
            Err(diagnostics) => {
                let _ = diagnostics.to_string();
            }
        },
        Err(diagnostics) => {
            let _ = diagnostics.to_string();
        }
    }
});
