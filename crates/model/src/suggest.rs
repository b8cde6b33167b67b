//! "Did you mean ...?": the nearest candidate to a misspelt name, by
//! optimal-string-alignment edit distance (a swap of two letters costs one).
//! The one suggester of the workspace: models, claims, the lexicon, history
//! files and the command line all name their nearest candidates through it.

/// The edit distance between two names (optimal string alignment).
pub fn distance(a: &str, b: &str) -> usize {
    strsim::osa_distance(a, b)
}

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
/// always allowed), or one contains the other. Failing that, a candidate
/// whose start is such a typo of the whole name (`crises` for
/// `crisis_year`): people type the start of a long name.
pub fn close<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let candidates: Vec<&str> = candidates.into_iter().collect();
    let best = nearest(name, candidates.iter().copied())?;
    let distance = strsim::osa_distance(name, best);
    let allowed = (name.len().max(best.len()) / 3).max(1);
    let contains = name.len() >= 3 && (best.contains(name) || name.contains(best));
    if distance <= allowed || contains {
        return Some(best);
    }
    let length = name.chars().count();
    if length < 4 {
        return None;
    }
    candidates
        .into_iter()
        .map(|candidate| {
            let start: String = candidate.chars().take(length).collect();
            (strsim::osa_distance(name, &start), candidate)
        })
        .min_by_key(|(distance, _)| *distance)
        .filter(|(distance, _)| *distance <= length / 3)
        .map(|(_, candidate)| candidate)
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

/// A hint for an unknown name (an outcome, a scenario): the nearest known
/// one when close, else the known names when there are few enough to read.
pub fn name_hint(name: &str, known: &[&str]) -> Option<String> {
    if let Some(best) = close(name, known.iter().copied()) {
        return Some(format!("did you mean `{best}`?"));
    }
    (!known.is_empty() && known.len() <= 12).then(|| format!("known names here: {}", list(known)))
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

    #[test]
    fn close_accepts_a_typo_of_the_start_of_a_long_name() {
        assert_eq!(
            close("crises", ["reformer_leads", "crisis_year"]),
            Some("crisis_year")
        );
        assert_eq!(close("crux", ["crisis_year"]), None);
    }

    #[test]
    fn name_hints_list_few_names_and_key_hints_list_keys() {
        assert_eq!(
            name_hint("zzz", &["a", "b"]).as_deref(),
            Some("known names here: `a`, `b`")
        );
        assert_eq!(
            key_hint("zzz", &["doc"]).as_deref(),
            Some("valid keys here: `doc`")
        );
        let many: Vec<String> = (0..13).map(|i| format!("name{i}")).collect();
        let many: Vec<&str> = many.iter().map(String::as_str).collect();
        assert_eq!(name_hint("zzz", &many), None);
    }
}
