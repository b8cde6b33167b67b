//! The section "Where the posters disagree" (docs/crux.md): one sentence a
//! line, built once here and shown in the three summaries and on stdout.

use uchronia_analysis::crux::{Crux, Pair, Poster};

use crate::format::{count, percent};

/// The section's title.
pub const TITLE: &str = "Where the posters disagree";

/// The section's sentences: each poster's kept draws (and conflict, and
/// too few draws), then each pair's crux and the question that would
/// settle it.
pub fn lines(crux: &Crux) -> Vec<String> {
    let mut lines = Vec::new();
    for poster in &crux.posters {
        lines.extend(poster_lines(poster, crux.draws));
    }
    lines.extend(crux.pairs.iter().map(pair_line));
    lines
}

fn poster_lines(poster: &Poster, draws: u64) -> Vec<String> {
    let mut lines = Vec::new();
    let who = &poster.author;
    let share = |n: u64| {
        if draws == 0 {
            "-".to_string()
        } else {
            percent(n as f64 / draws as f64)
        }
    };
    match &poster.conflict {
        None => lines.push(format!(
            "{who}: {} claim(s) hold together in {} of the worlds the model thinks possible ({} of {} draws).",
            poster.claims.len(),
            share(poster.kept),
            count(poster.kept),
            count(draws)
        )),
        Some(conflict) => {
            let how = if conflict.exhaustive {
                "a smallest conflict"
            } else {
                "found by a greedy search: no claim can be dropped from it, but a smaller set may exist"
            };
            let what = match conflict.claims.as_slice() {
                [one] => format!("claim {one} holds in no draw of this model"),
                [a, b] => format!("these two claims cannot both hold in this model: {a}, {b}"),
                many => format!(
                    "these {} claims cannot all hold in this model: {}",
                    many.len(),
                    many.join(", ")
                ),
            };
            lines.push(format!("{who}: {what} ({how})."));
            lines.push(format!(
                "{who}'s world keeps {} of {} claims, leaving out {}: {} of the worlds ({} of {} draws).",
                poster.world_claims.len(),
                poster.claims.len(),
                poster.left_out().join(", "),
                share(poster.world_draws),
                count(poster.world_draws),
                count(draws)
            ));
        }
    }
    if let Some(needed) = poster.draws_needed {
        lines.push(format!(
            "{who}'s world has only {} draw(s), too few to read: run with --draws {} for about 100.",
            count(poster.world_draws),
            count(needed).replace(',', "")
        ));
    }
    lines
}

fn pair_line(pair: &Pair) -> String {
    let (a, b) = (&pair.a, &pair.b);
    let crux = match pair.ranked.first() {
        Some(row) => format!(
            "the crux is {} (median at prior quantile {:.2} for {a}, {:.2} for {b}: a gap of {:.2})",
            row.param,
            0.5 + row.shift_a,
            0.5 + row.shift_b,
            row.gap
        ),
        None => "no parameter can reach their claims".to_string(),
    };
    let question = match &pair.question {
        Some(q) => format!(
            "; the question that would settle it: {} in {} ({} in {a}'s world, {} in {b}'s).",
            q.outcome,
            q.scenario,
            percent(q.p_a),
            percent(q.p_b)
        ),
        None => ".".to_string(),
    };
    format!("{a} and {b}: {crux}{question}")
}
