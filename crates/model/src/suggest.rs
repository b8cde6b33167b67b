//! "Did you mean ...?": the nearest candidate to a misspelt name, by
//! optimal-string-alignment edit distance (a swap of two letters costs one).

/// The candidate nearest to `name`, whatever the distance; ties go to the
/// first candidate. `None` only when there are no candidates.
pub fn nearest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|candidate| (strsim::osa_distance(name, candidate), candidate))
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

/// The nearest candidate if it is close enough to be a plausible typo: at
/// most a third of the longer name's length away (and at least one edit is
/// always allowed), or one contains the other.
pub fn close<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let best = nearest(name, candidates)?;
    let distance = strsim::osa_distance(name, best);
    let allowed = (name.len().max(best.len()) / 3).max(1);
    let contains = name.len() >= 3 && (best.contains(name) || name.contains(best));
    (distance <= allowed || contains).then_some(best)
}

/// A hint for an unknown key: the nearest valid one when close, else the list.
pub fn key_hint(name: &str, valid: &[&str]) -> Option<String> {
    if valid.is_empty() {
        return None;
    }
    match close(name, valid.iter().copied()) {
        Some(best) => Some(format!("did you mean `{best}`?")),
        None => Some(format!("valid keys here: {}", list(valid))),
    }
}

/// `a`, `b`, `c` for messages.
pub fn list(items: &[&str]) -> String {
    items
        .iter()
        .map(|item| format!("`{item}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_prefers_smallest_edit_distance() {
        assert_eq!(nearest("trotskyy", ["stalin", "trotsky"]), Some("trotsky"));
        assert_eq!(nearest("x", []), None);
    }

    #[test]
    fn close_rejects_far_names() {
        assert_eq!(close("docc", ["doc", "dist"]), Some("doc"));
        assert_eq!(close("weird", ["doc", "dist"]), None);
        assert_eq!(close("sd", ["mean", "sd"]), Some("sd"));
    }
}
