//! Fuzzes the model loader: any text must load or give diagnostics that
//! display, never panic, overflow the stack or hang.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match uchronia_model::load("fuzz.toml", text) {
        Ok(loaded) => {
            for warning in &loaded.warnings {
                let _ = warning.to_string();
            }
        }
        Err(diagnostics) => {
            let _ = diagnostics.to_string();
        }
    }
});
