//! Code shared by the tests of several crates, as an ordinary crate that
//! they take as a dev-dependency (never a dependency, never published):
//! models built by hand from the IR types and run ([`models`]), random edits
//! of a text for the loaders' property tests ([`mutate`]), model texts that
//! several crates' tests load ([`texts`]), and the checks
//! that keep the repository tidy ([`tidy`], run by `tests/tidy.rs`).

pub mod models;
pub mod mutate;
pub mod texts;
pub mod tidy;
