//! Model texts that the tests of several crates load (the loader's input,
//! where [`crate::models`] builds the IR by hand).

/// A model of one event and the year it happens, with two scenarios:
/// `history` (nothing fixed) and `other` (the event fixed false). The
/// calibration and history-file tests score and parse against it.
pub const EVENT_AND_YEAR: &str = r#"
[model]
name = "tiny"
title = "Tiny"

[params.p]
dist = "beta"
a = 2
b = 2

[nodes.event]
p = "p"

[nodes.year]
dist = "uniform"
low = 1930
high = 1940

[outcomes.event_happens]
when = "event"

[outcomes.event_year]
value = "year"

[scenarios.history]
doc = "Nothing changed."

[scenarios.other]
do = { event = false }
"#;
