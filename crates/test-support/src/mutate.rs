//! Random edits of a valid text, for the property tests of the loaders (the
//! model's in `crates/model/tests/properties.rs`, the claims file's in
//! `crates/claims/tests/properties.rs`): insert a token, delete a run of
//! characters, or duplicate one. Each test brings its own tokens.

use proptest::prelude::*;

/// A random edit of a text: where, and what to do there.
#[derive(Clone, Debug)]
pub enum Edit {
    /// Insert token number `.1` at the place.
    Insert(prop::sample::Index, usize),
    /// Delete `.1` characters from the place.
    Delete(prop::sample::Index, usize),
    /// Copy `.1` characters from the place in front of themselves.
    Duplicate(prop::sample::Index, usize),
}

/// Edits with a token among `tokens` of them and copies of at most
/// `longest_copy - 1` characters.
pub fn edit(tokens: usize, longest_copy: usize) -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<prop::sample::Index>(), 0..tokens).prop_map(|(i, t)| Edit::Insert(i, t)),
        (any::<prop::sample::Index>(), 1usize..40).prop_map(|(i, n)| Edit::Delete(i, n)),
        (any::<prop::sample::Index>(), 1usize..longest_copy)
            .prop_map(|(i, n)| Edit::Duplicate(i, n)),
    ]
}

/// Applies `edits` to `text`, at character boundaries, inserting from `tokens`.
pub fn apply(text: &str, edits: &[Edit], tokens: &[&str]) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for edit in edits {
        let len = chars.len().max(1);
        match edit {
            Edit::Insert(at, token) => {
                let at = at.index(len + 1).min(chars.len());
                chars.splice(at..at, tokens[*token].chars());
            }
            Edit::Delete(at, n) => {
                let at = at.index(len).min(chars.len());
                let end = (at + n).min(chars.len());
                chars.drain(at..end);
            }
            Edit::Duplicate(at, n) => {
                let at = at.index(len).min(chars.len());
                let end = (at + n).min(chars.len());
                let copy: Vec<char> = chars[at..end].to_vec();
                chars.splice(at..at, copy);
            }
        }
    }
    chars.into_iter().collect()
}
