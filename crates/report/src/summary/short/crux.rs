//! The crux sentence that closes the "In short" opening: the one pair of
//! posters who disagree most, the parameter their claims pull furthest
//! apart, and what would settle it. The section "Where the posters
//! disagree" ([`crate::summary::crux`]) lists every pair; the opening has
//! room for one, so the choice matters: a pair of worlds thick enough to
//! read, whose posters hold opposite views, comes before a wider gap that
//! is a hint or one poster's view against the prior, and the sentence says
//! so when it has to name such a pair.

use uchronia_analysis::crux::{Crux, FEW_KEPT, Pair};
use uchronia_analysis::stats::Z_995;
use uchronia_model::{Model, Named};

use crate::format::{count, percent};

/// The pair of posters whose first crux has the largest gap (the earlier
/// pair on a tie), among pairs whose two worlds each keep at least
/// [`FEW_KEPT`] draws when any pair does: a gap between thin worlds is a
/// hint, not the sharpest finding.
pub(super) fn sharpest(crux: &Crux) -> Option<&Pair> {
    let gap = |p: &Pair| p.crux().map(|r| r.gap);
    let thick = |p: &Pair| world_draws(crux, &p.a).min(world_draws(crux, &p.b)) >= FEW_KEPT;
    let best = |keep: &dyn Fn(&Pair) -> bool| {
        crux.pairs
            .iter()
            .filter(|p| gap(p).is_some_and(f64::is_finite))
            .filter(|p| keep(p))
            .fold(None, |best: Option<&Pair>, p| match best {
                Some(b) if gap(b) >= gap(p) => Some(b),
                _ => Some(p),
            })
    };
    // A disagreement needs two views: a pair in which both posters' claims
    // move the crux, in opposite directions, comes before one in which only
    // one poster's do (the other's world leaves it where the prior put it).
    best(&|p| thick(p) && two_sided(crux, p))
        .or_else(|| best(&thick))
        .or_else(|| best(&|_| true))
}

/// Whether `author`'s world moves `param`'s median beyond the 99% bound of
/// the noise of a world of its size picked at random: their claims commit
/// them on it.
fn holds_a_view(crux: &Crux, author: &str, param: &str) -> Option<f64> {
    let poster = crux.posters.iter().find(|p| p.author == author)?;
    let implied = poster.params.iter().find(|i| i.param == param)?;
    let shift = implied.shift?;
    (implied.reaches && shift.abs() > Z_995 * implied.noise).then_some(shift)
}

/// Each poster's view of `pair`'s crux parameter ([`holds_a_view`]), when
/// the pair has a crux.
fn views(crux: &Crux, pair: &Pair) -> Option<(Option<f64>, Option<f64>)> {
    let row = pair.crux()?;
    Some((
        holds_a_view(crux, &pair.a, &row.param),
        holds_a_view(crux, &pair.b, &row.param),
    ))
}

/// Whether both posters of `pair` hold a view of its crux parameter, and
/// opposite ones.
fn two_sided(crux: &Crux, pair: &Pair) -> bool {
    matches!(views(crux, pair), Some((Some(a), Some(b))) if a.signum() != b.signum())
}

/// The draws of `author`'s world (0 for an author the crux does not list).
fn world_draws(crux: &Crux, author: &str) -> u64 {
    (crux.posters.iter())
        .find(|p| p.author == author)
        .map_or(0, |p| p.world_draws)
}

/// The least difference between two worlds' probabilities of an outcome
/// for it to settle their argument: a question whose answer moves by a few
/// points either way would not change anyone's mind.
const SETTLES: f64 = 0.05;

/// "The posters disagree most over “P”: “A” and “B”, whose claims hold
/// together in 500 and 400 of the 1,000 draws, put its median 0.62 prior
/// quantiles apart ...": `pair`'s crux, then whether the two worlds are
/// too thin to read, whether each poster holds a view of it, and what
/// would settle it.
pub(super) fn crux_sentence(model: &Model, crux: &Crux, pair: &Pair) -> String {
    let (a, b) = (&pair.a, &pair.b);
    let (na, nb) = (world_draws(crux, a), world_draws(crux, b));
    let thin = if na.min(nb) < FEW_KEPT {
        "; worlds this thin make it a hint, not a finding"
    } else {
        ""
    };
    let mut s = match pair.crux() {
        Some(row) => format!(
            "The posters disagree most over “{}”: “{a}” and “{b}”, whose claims hold together in {} and {} of the {} draws, put its median {:.2} prior quantiles apart{thin}",
            model.display_name(Named::Item, &row.param),
            count(na),
            count(nb),
            count(crux.draws),
            row.gap
        ),
        None => format!("The posters disagree most between “{a}” and “{b}”"),
    };
    if let Some(views) = views(crux, pair).filter(|_| !two_sided(crux, pair)) {
        s.push_str(match views {
            (Some(_), None) => ", though only the first's claims move it beyond chance",
            (None, Some(_)) => ", though only the second's claims move it beyond chance",
            (Some(_), Some(_)) => ", though both move it the same way",
            (None, None) => ", though neither's claims alone move it beyond chance",
        });
    }
    if let Some(q) = &pair.question {
        let (outcome, scenario) = (
            model.display_name(Named::Item, &q.outcome),
            model.display_name(Named::Scenario, &q.scenario),
        );
        let (pa, pb) = (percent(q.p_a), percent(q.p_b));
        if (q.p_a - q.p_b).abs() >= SETTLES {
            s.push_str(&format!(
                "; what would settle it is “{outcome}” in “{scenario}”: {pa} in the world of the first, {pb} in that of the second"
            ));
        } else {
            s.push_str(&format!(
                "; nothing the model computes would settle it: the outcome that tells their worlds apart best, “{outcome}” in “{scenario}”, is {pa} in the first and {pb} in the second"
            ));
        }
    }
    s.push('.');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn poster(author: &str, world_draws: u64) -> uchronia_analysis::crux::Poster {
        uchronia_analysis::crux::Poster {
            author: author.into(),
            claims: Vec::new(),
            kept: world_draws,
            conflict: None,
            world_claims: Vec::new(),
            world_draws,
            world_positions: Vec::new(),
            draws_needed: None,
            params: Vec::new(),
            world: Vec::new(),
        }
    }

    fn pair(a: &str, b: &str, gap: f64) -> Pair {
        Pair {
            a: a.into(),
            b: b.into(),
            ranked: vec![uchronia_analysis::crux::CruxRow {
                param: "p".into(),
                shift_a: 0.0,
                shift_b: gap,
                gap,
                significant: true,
            }],
            question: None,
        }
    }

    #[test]
    fn the_sharpest_pair_comes_from_worlds_thick_enough_to_read() {
        let mut crux = Crux {
            draws: 1000,
            posters: vec![poster("thin", 6), poster("wide", 500), poster("broad", 400)],
            pairs: vec![pair("thin", "wide", 0.9), pair("wide", "broad", 0.2)],
        };
        // The larger gap rests on a world of 6 draws: the pair of two
        // worlds of 30 draws or more is the sharpest.
        let sharp = sharpest(&crux).expect("a pair");
        assert_eq!((sharp.a.as_str(), sharp.b.as_str()), ("wide", "broad"));
        let model = crate::testing::labelled();
        let text = crux_sentence(&model, &crux, sharp);
        assert!(
            text.contains("whose claims hold together in 500 and 400 of the 1,000 draws,"),
            "{text}"
        );
        assert!(!text.contains("hint"), "{text}");
        // With no such pair, the thin one is named, and said to be thin.
        crux.pairs.pop();
        let sharp = sharpest(&crux).expect("a pair");
        assert_eq!(sharp.a, "thin");
        let text = crux_sentence(&model, &crux, sharp);
        assert!(text.contains("6 and 500 of the 1,000 draws"), "{text}");
        assert!(
            text.contains("worlds this thin make it a hint, not a finding"),
            "{text}"
        );
    }

    #[test]
    fn a_disagreement_needs_two_views() {
        let implied = |shift: f64| uchronia_analysis::crux::Implied {
            param: "p".into(),
            prior: [None; 3],
            implied: [None; 3],
            shift: Some(shift),
            reaches: true,
            noise: 0.02,
        };
        let with = |author: &str, shift: f64| {
            let mut p = poster(author, 300);
            p.params = vec![implied(shift)];
            p
        };
        // "lone" holds a view (+0.6), "blank" none (0.01, within the
        // noise), "low" the opposite one (-0.2). The larger gap, lone
        // against blank, is one poster's view against the prior.
        let crux = Crux {
            draws: 1000,
            posters: vec![with("lone", 0.6), with("blank", 0.01), with("low", -0.2)],
            pairs: vec![
                pair("lone", "blank", 0.59),
                pair("blank", "low", 0.21),
                pair("lone", "low", 0.4),
            ],
        };
        let sharp = sharpest(&crux).expect("a pair");
        assert_eq!((sharp.a.as_str(), sharp.b.as_str()), ("lone", "low"));
        let model = crate::testing::labelled();
        let text = crux_sentence(&model, &crux, sharp);
        assert!(!text.contains("though"), "{text}");
        let text = crux_sentence(&model, &crux, &crux.pairs[0]);
        assert!(
            text.contains("though only the first's claims move it beyond chance"),
            "{text}"
        );
        let text = crux_sentence(&model, &crux, &crux.pairs[1]);
        assert!(
            text.contains("though only the second's claims move it beyond chance"),
            "{text}"
        );
    }

    #[test]
    fn a_question_that_moves_a_few_points_settles_nothing() {
        let model = crate::testing::labelled();
        let crux = Crux {
            draws: 1000,
            posters: vec![poster("a", 300), poster("b", 400)],
            pairs: vec![pair("a", "b", 0.5)],
        };
        let mut with = crux.pairs[0].clone();
        let ask = |p_b: f64| uchronia_analysis::crux::Question {
            scenario: "history".into(),
            outcome: "won".into(),
            p_a: 0.147,
            p_b,
        };
        with.question = Some(ask(0.126));
        let text = crux_sentence(&model, &crux, &with);
        assert!(
            text.contains("nothing the model computes would settle it"),
            "{text}"
        );
        assert!(!text.contains("what would settle it is"), "{text}");
        with.question = Some(ask(0.05));
        let text = crux_sentence(&model, &crux, &with);
        assert!(text.contains("what would settle it is"), "{text}");
    }
}
