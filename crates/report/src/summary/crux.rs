//! The section "Where the posters disagree" (docs/crux.md): one sentence a
//! line, built once here and shown in the three summaries and on stdout.

use uchronia_analysis::crux::{Crux, Pair, Poster};
use uchronia_model::{Model, Named};

use crate::format::{count, percent};

/// The section's title.
pub const TITLE: &str = "Where the posters disagree";

/// The section's sentences: each poster's kept draws (and conflict, and
/// too few draws), then each pair's crux and the question that would
/// settle it. Params, outcomes and scenarios go by their display names.
pub fn lines(model: &Model, crux: &Crux) -> Vec<String> {
    let mut lines = Vec::new();
    for poster in &crux.posters {
        lines.extend(poster_lines(poster, crux.draws));
    }
    lines.extend(crux.pairs.iter().map(|pair| pair_line(model, pair)));
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

fn pair_line(model: &Model, pair: &Pair) -> String {
    let (a, b) = (&pair.a, &pair.b);
    let crux = match pair.crux() {
        Some(row) => format!(
            "the crux is “{}” (median at prior quantile {:.2} for {a}, {:.2} for {b}: a gap of {:.2})",
            model.display_name(Named::Item, &row.param),
            0.5 + row.shift_a,
            0.5 + row.shift_b,
            row.gap
        ),
        None if pair.ranked.is_empty() => "no parameter can reach their claims".to_string(),
        None => "no gap between their worlds lies beyond the noise of worlds so small".to_string(),
    };
    let question = match &pair.question {
        Some(q) => format!(
            "; the question that would settle it: {} in {} ({} in {a}'s world, {} in {b}'s).",
            model.display_name(Named::Item, &q.outcome),
            model.display_name(Named::Scenario, &q.scenario),
            percent(q.p_a),
            percent(q.p_b)
        ),
        None => ".".to_string(),
    };
    format!("{a} and {b}: {crux}{question}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use uchronia_analysis::crux::{Conflict, CruxRow, Question};

    fn poster(author: &str, claims: &[&str], kept: u64) -> Poster {
        Poster {
            author: author.into(),
            claims: claims.iter().map(|c| c.to_string()).collect(),
            kept,
            conflict: None,
            world_claims: claims.iter().map(|c| c.to_string()).collect(),
            world_draws: kept,
            world_positions: (0..kept as usize).collect(),
            draws_needed: None,
            params: Vec::new(),
            world: Vec::new(),
        }
    }

    #[test]
    fn the_section_states_shares_conflicts_few_draws_and_cruxes() {
        let alice = poster("alice", &["a1", "a2"], 400);
        let mut bob = poster("bob", &["b1", "b2", "b3"], 0);
        bob.conflict = Some(Conflict {
            claims: vec!["b1".into(), "b2".into()],
            exhaustive: true,
        });
        bob.world_claims = vec!["b1".into(), "b3".into()];
        bob.world_draws = 20;
        bob.draws_needed = Some(5000);
        let pair = Pair {
            a: "alice".into(),
            b: "bob".into(),
            // q's larger gap is within the noise of bob's 20 draws: the
            // crux is p, the largest significant gap.
            ranked: vec![
                CruxRow {
                    param: "q".into(),
                    shift_a: 0.0,
                    shift_b: 0.7,
                    gap: 0.7,
                    significant: false,
                },
                CruxRow {
                    param: "p".into(),
                    shift_a: 0.3,
                    shift_b: -0.2,
                    gap: 0.5,
                    significant: true,
                },
            ],
            question: Some(Question {
                scenario: "history".into(),
                outcome: "war".into(),
                p_a: 0.8,
                p_b: 0.25,
            }),
        };
        let crux = Crux {
            draws: 1000,
            posters: vec![alice, bob],
            pairs: vec![pair],
        };
        assert_eq!(
            lines(&crate::testing::labelled(), &crux),
            [
                "alice: 2 claim(s) hold together in 40.0% of the worlds the model thinks possible (400 of 1,000 draws).",
                "bob: these two claims cannot both hold in this model: b1, b2 (a smallest conflict).",
                "bob's world keeps 2 of 3 claims, leaving out b2: 2.0% of the worlds (20 of 1,000 draws).",
                "bob's world has only 20 draw(s), too few to read: run with --draws 5000 for about 100.",
                "alice and bob: the crux is “p” (median at prior quantile 0.80 for alice, 0.30 for bob: a gap of 0.50); the question that would settle it: war in What happened (80.0% in alice's world, 25.0% in bob's).",
            ]
        );
    }

    #[test]
    fn a_pair_without_a_significant_gap_has_no_crux() {
        let pair = Pair {
            a: "alice".into(),
            b: "bob".into(),
            ranked: vec![CruxRow {
                param: "q".into(),
                shift_a: 0.0,
                shift_b: 0.7,
                gap: 0.7,
                significant: false,
            }],
            question: None,
        };
        assert!(pair.crux().is_none());
        let line = pair_line(&crate::testing::labelled(), &pair);
        assert!(
            line.contains("no gap between their worlds lies beyond the noise"),
            "{line}"
        );
    }

    #[test]
    fn a_greedy_conflict_says_a_smaller_one_may_exist() {
        let mut carol = poster("carol", &["c1"], 0);
        carol.conflict = Some(Conflict {
            claims: vec!["c1".into()],
            exhaustive: false,
        });
        carol.world_claims = Vec::new();
        let crux = Crux {
            draws: 10,
            posters: vec![carol],
            pairs: Vec::new(),
        };
        let text = lines(&crate::testing::labelled(), &crux).join("\n");
        assert!(
            text.contains("claim c1 holds in no draw of this model"),
            "{text}"
        );
        assert!(text.contains("a smaller set may exist"), "{text}");
    }
}
