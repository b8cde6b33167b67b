//! Crux analysis: what each poster's claims commit them to, and the belief
//! that separates two posters (docs/crux.md). Pure functions over the tally
//! a claims run already holds: no new trials.
//!
//! - **Kept draws.** A parameter draw is kept for an author when each of
//!   their claims holds in it, with the claim's band widened on each side by
//!   [`WIDEN`] Monte Carlo standard errors of the draw's value (contract 1.1,
//!   section 5). The standard error of `p_d = k / n` is that of the smoothed
//!   share `(k + 0.5) / (n + 1)`, so it is never zero; a comparative claim's
//!   difference gets `sqrt(se_1^2 + se_0^2)`. A draw where a claim is
//!   undefined (its `given` never held) does not keep it.
//! - **The author's world** is the kept draws, or, when no draw keeps every
//!   claim, the draws that keep a largest consistent subset of them
//!   ([`crate::conflicts`]).
//! - **Implied quantiles** of a parameter are type-7 quantiles of its values
//!   over the world's draws; the prior's are over all draws. **Prior
//!   quantile units**: a value's mid-rank share among all draws' values, so
//!   `shift` = that share of the implied median minus 0.5 (the prior
//!   median's share), in [-0.5, 0.5]. A parameter that cannot reach any of
//!   the author's claims in the graph, and that no `[[correlations]]` block
//!   pairs with one that can, is independent of which draws are kept: its
//!   implied quantiles are the prior's and its shift is 0.
//! - **Crux** of two authors: the parameters that can reach at least one of
//!   their claims (or are paired by `[[correlations]]` with one that can), ranked by `gap = |shift_a - shift_b|`; and the scenario
//!   and outcome whose world probability differs most between them, among
//!   those the crux parameter (or one paired with it) can reach in that
//!   scenario's graph: the question names an event the belief moves, not
//!   one that differs between the worlds for other reasons (and a pair
//!   without a significant gap has no question).
//! - **Noise.** A world of `k` of the `D` draws picked at random, whatever
//!   the parameter, still moves its implied median: the median's place has
//!   a standard deviation of `sqrt(1 / (4 (k + 2)) * (D - k) / (D - 1))` in
//!   prior quantile units (the median of `k` uniform places, a beta of
//!   variance `1 / (4 (k + 2))`, drawn without replacement). A gap is
//!   **significant** when it lies beyond the 99% bound of that noise for
//!   the two worlds, `Z_995 * sqrt(noise_a^2 + noise_b^2)` (independent
//!   worlds; worlds that share draws move together, so the bound is
//!   conservative). The crux of a pair is its largest significant gap: a
//!   gap within the noise is no disagreement, however it ranks.

use uchronia_claims::known::added_for_dated_claims;
use uchronia_claims::{Claim, Rule, Test};
use uchronia_engine::tally::{OutcomeTally, ScenarioTally, Tally};
use uchronia_model::baseline::is_baseline_name;
use uchronia_model::{Model, OutcomeId, OutcomeKind, ParamId};

use crate::ancestry::ancestry_in_scenario;
use crate::conflicts::{self, DrawSet, Found};
use crate::flags::ancestor_params;
use crate::stats::{Z_995, quantile_type7};

/// Standard errors the band of a claim is widened by on each side.
pub const WIDEN: f64 = 3.0;

/// Below this many draws in an author's world, the report says so.
pub const FEW_KEPT: u64 = 30;

/// The number of kept draws a suggested `--draws` aims at.
pub const KEPT_TARGET: u64 = 100;

/// The crux analysis of one run.
#[derive(Clone, Debug, PartialEq)]
pub struct Crux {
    /// D: the draws of the run.
    pub draws: u64,
    /// One per author, in order of their first claim.
    pub posters: Vec<Poster>,
    /// One per pair of authors (in poster order).
    pub pairs: Vec<Pair>,
}

/// What one author's claims commit them to.
#[derive(Clone, Debug, PartialEq)]
pub struct Poster {
    /// The author.
    pub author: String,
    /// Ids of all their claims, in file order.
    pub claims: Vec<String>,
    /// Draws that keep every one of their claims.
    pub kept: u64,
    /// A smallest set of their claims that no draw keeps (when `kept` is 0).
    pub conflict: Option<Conflict>,
    /// Ids of the claims their world keeps: all of them, or a largest
    /// consistent subset.
    pub world_claims: Vec<String>,
    /// The draws of their world.
    pub world_draws: u64,
    /// The positions of those draws in the tally, ascending (`world_draws`
    /// of them): explore.html's preset for the author keeps these.
    pub world_positions: Vec<usize>,
    /// When the world has fewer than [`FEW_KEPT`] draws: the `--draws` that
    /// would give about [`KEPT_TARGET`].
    pub draws_needed: Option<u64>,
    /// One per model parameter, in model order.
    pub params: Vec<Implied>,
    /// Listed boolean outcomes in their world, per scenario (tally order).
    pub world: Vec<WorldRow>,
}

impl Poster {
    /// The claims left out of the world (when it is a subset).
    pub fn left_out(&self) -> Vec<&str> {
        (self.claims.iter())
            .filter(|c| !self.world_claims.contains(c))
            .map(String::as_str)
            .collect()
    }
}

/// A set of one author's claims that no draw satisfies together.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Conflict {
    /// Claim ids, in file order.
    pub claims: Vec<String>,
    /// Whether the search tried every subset (then no smaller set exists).
    pub exhaustive: bool,
}

/// One parameter in one author's world against its prior.
#[derive(Clone, Debug, PartialEq)]
pub struct Implied {
    /// The parameter.
    pub param: String,
    /// Prior 5%, 50% and 95% (over all draws).
    pub prior: [Option<f64>; 3],
    /// The same over the world's draws.
    pub implied: [Option<f64>; 3],
    /// Implied median minus prior median, in prior quantile units.
    pub shift: Option<f64>,
    /// Whether the parameter can reach one of the author's claims.
    pub reaches: bool,
    /// The standard deviation of `shift` in a world of the same size picked
    /// at random ([`shift_noise`]); 0 where the parameter cannot reach.
    pub noise: f64,
}

/// A boolean outcome's probability in an author's world.
#[derive(Clone, Debug, PartialEq)]
pub struct WorldRow {
    /// Scenario name.
    pub scenario: String,
    /// Outcome name.
    pub outcome: String,
    /// Mean of `p_d` over the world's draws where it is defined.
    pub p_mean: Option<f64>,
    /// Type-7 5% quantile of the same.
    pub p_q05: Option<f64>,
    /// Type-7 95% quantile of the same.
    pub p_q95: Option<f64>,
}

/// Two authors and what separates them.
#[derive(Clone, Debug, PartialEq)]
pub struct Pair {
    /// The first author (earlier in poster order).
    pub a: String,
    /// The second author.
    pub b: String,
    /// Parameters that reach a claim of either, largest gap first.
    pub ranked: Vec<CruxRow>,
    /// The scenario and outcome whose probability differs most between the
    /// two worlds, with both probabilities.
    pub question: Option<Question>,
}

impl Pair {
    /// The pair's crux: its largest significant gap.
    pub fn crux(&self) -> Option<&CruxRow> {
        self.ranked.iter().find(|row| row.significant)
    }
}

/// One parameter's place in a pair's ranking.
#[derive(Clone, Debug, PartialEq)]
pub struct CruxRow {
    /// The parameter.
    pub param: String,
    /// Its shift in the first author's world.
    pub shift_a: f64,
    /// Its shift in the second author's world.
    pub shift_b: f64,
    /// `|shift_a - shift_b|`.
    pub gap: f64,
    /// Whether `gap` lies beyond the 99% bound of the two worlds' noise.
    pub significant: bool,
}

/// The outcome that would settle an argument.
#[derive(Clone, Debug, PartialEq)]
pub struct Question {
    /// Scenario name.
    pub scenario: String,
    /// Outcome name.
    pub outcome: String,
    /// Its probability in the first author's world.
    pub p_a: f64,
    /// In the second's.
    pub p_b: f64,
}

/// The crux analysis of `claims` (hidden outcomes `outcomes` in `model`,
/// the model the tally ran) over `tally`.
pub fn analyse(model: &Model, tally: &Tally, claims: &[Claim], outcomes: &[OutcomeId]) -> Crux {
    let len = tally.scenarios.first().map_or(0, |s| s.draws.len());
    let values = param_values(model, tally);
    let priors: Vec<Vec<f64>> = values.iter().map(|v| sorted(v.clone())).collect();
    let mut authors: Vec<&str> = Vec::new();
    for claim in claims {
        if !authors.contains(&claim.author.as_str()) {
            authors.push(&claim.author);
        }
    }
    let holds: Vec<DrawSet> = (claims.iter().zip(outcomes))
        .map(|(claim, &outcome)| DrawSet::from_bools(&kept_by(tally, claim, outcome, len)))
        .collect();
    let mut reaches_of: Vec<Vec<bool>> = Vec::new();
    let posters: Vec<Poster> = authors
        .iter()
        .map(|&author| {
            let mine: Vec<usize> = (0..claims.len())
                .filter(|&i| claims[i].author == author)
                .collect();
            let mut reaches = vec![false; model.params.len()];
            for &i in &mine {
                for (p, r) in ancestor_params(model, &claims[i], outcomes[i])
                    .into_iter()
                    .enumerate()
                {
                    reaches[p] |= r;
                }
            }
            let reaches = with_correlated(model, reaches);
            let poster = poster(
                model, tally, claims, &holds, &mine, &values, &priors, &reaches, len,
            );
            reaches_of.push(reaches);
            poster
        })
        .collect();
    let row_params = world_row_params(model, tally);
    let mut pairs = Vec::new();
    for a in 0..posters.len() {
        for b in a + 1..posters.len() {
            let reach: Vec<bool> = (reaches_of[a].iter().zip(&reaches_of[b]))
                .map(|(x, y)| *x || *y)
                .collect();
            pairs.push(pair(model, &posters[a], &posters[b], &reach, &row_params));
        }
    }
    Crux {
        draws: len as u64,
        posters,
        pairs,
    }
}

/// Each parameter's value per draw position, taken from the first scenario
/// of the tally that does not `set` it (the first scenario otherwise).
fn param_values(model: &Model, tally: &Tally) -> Vec<Vec<f64>> {
    (0..model.params.len())
        .map(|p| {
            let free = |s: &&ScenarioTally| {
                (model.scenarios.get(s.scenario))
                    .is_some_and(|sc| sc.settings.iter().all(|(q, _)| *q != p))
            };
            let source = (tally.scenarios.iter().find(free)).or(tally.scenarios.first());
            source.map_or_else(Vec::new, |s| {
                (s.draws.iter())
                    .map(|d| d.params.get(p).copied().unwrap_or(f64::NAN))
                    .collect()
            })
        })
        .collect()
}

/// One author's poster: kept draws, conflict, world, implied quantiles.
#[allow(clippy::too_many_arguments)]
fn poster(
    model: &Model,
    tally: &Tally,
    claims: &[Claim],
    holds: &[DrawSet],
    mine: &[usize],
    values: &[Vec<f64>],
    priors: &[Vec<f64>],
    reaches: &[bool],
    len: usize,
) -> Poster {
    let sets: Vec<DrawSet> = mine.iter().map(|&i| holds[i].clone()).collect();
    let all: Vec<usize> = (0..sets.len()).collect();
    let kept = conflicts::kept(&sets, &all, len);
    let ids = |found: &[usize]| -> Vec<String> {
        found.iter().map(|&j| claims[mine[j]].id.clone()).collect()
    };
    let (conflict, world_claims, world) = if kept.count() > 0 || sets.is_empty() {
        (None, all.clone(), kept.clone())
    } else {
        let conflict = conflicts::smallest_conflict(&sets, len).map(|f: Found| Conflict {
            claims: ids(&f.claims),
            exhaustive: f.exhaustive,
        });
        let subset = conflicts::largest_consistent(&sets, len).claims;
        let world = conflicts::kept(&sets, &subset, len);
        (conflict, subset, world)
    };
    let positions: Vec<usize> = (0..len).filter(|&i| world.contains(i)).collect();
    let world_draws = positions.len() as u64;
    let draws_needed = (world_draws < FEW_KEPT && world_draws > 0).then(|| {
        let wanted = (KEPT_TARGET as f64 * len as f64 / world_draws as f64).ceil() as u64;
        wanted.div_ceil(100) * 100
    });
    let params = (model.params.iter().enumerate())
        .map(|(p, param)| implied(&param.name, &values[p], &priors[p], &positions, reaches[p]))
        .collect();
    Poster {
        author: claims[mine[0]].author.clone(),
        claims: ids(&all),
        kept: kept.count(),
        conflict,
        world_claims: ids(&world_claims),
        world_draws,
        draws_needed,
        params,
        world: world_rows(model, tally, &positions),
        world_positions: positions,
    }
}

/// A parameter's implied quantiles over the draws at `positions`.
fn implied(
    name: &str,
    values: &[f64],
    prior: &[f64],
    positions: &[usize],
    reaches: bool,
) -> Implied {
    let q = |v: &[f64]| [0.05, 0.5, 0.95].map(|p| quantile_type7(v, p));
    let prior_q = q(prior);
    let (implied_q, shift, noise) = if reaches {
        let world = sorted(positions.iter().map(|&i| values[i]).collect());
        let implied_q = q(&world);
        let shift = implied_q[1].map(|m| quantile_units(prior, m) - 0.5);
        (implied_q, shift, shift_noise(positions.len(), values.len()))
    } else {
        // Independent of the kept draws: the prior, exactly.
        (prior_q, prior_q[1].map(|_| 0.0), 0.0)
    };
    Implied {
        param: name.to_string(),
        prior: prior_q,
        implied: implied_q,
        shift,
        reaches,
        noise,
    }
}

/// The standard deviation of a shift in a world of `kept` of `draws` draws
/// picked at random: the sample median's place, `1 / (4 (kept + 2))` in
/// variance (exact for an odd `kept`, a beta), times the finite-population
/// correction `(draws - kept) / (draws - 1)`. Infinite for an empty world.
pub fn shift_noise(kept: usize, draws: usize) -> f64 {
    if kept == 0 {
        return f64::INFINITY;
    }
    let correction = if draws > 1 {
        (draws - kept.min(draws)) as f64 / (draws - 1) as f64
    } else {
        0.0
    };
    (correction / (4.0 * (kept as f64 + 2.0))).sqrt()
}

/// `reaches` widened by the params that a `[[correlations]]` block pairs
/// with one that reaches: the kept draws select on the reaching one, so
/// its partner's values shift too. One step is enough: pairs not listed
/// are independent in the copula, whatever else they are paired with.
fn with_correlated(model: &Model, reaches: Vec<bool>) -> Vec<bool> {
    let mut out = reaches.clone();
    for correlation in &model.correlations {
        let [a, b] = correlation.params;
        if reaches.get(a) == Some(&true) || reaches.get(b) == Some(&true) {
            out[a] = true;
            out[b] = true;
        }
    }
    out
}

/// The mid-rank share of `x` among the sorted values `prior`: (values below
/// + half the values equal) / all.
pub fn quantile_units(prior: &[f64], x: f64) -> f64 {
    if prior.is_empty() {
        return 0.5;
    }
    let below = prior.partition_point(|v| *v < x);
    let not_above = prior.partition_point(|v| *v <= x);
    (below as f64 + 0.5 * (not_above - below) as f64) / prior.len() as f64
}

fn sorted(mut v: Vec<f64>) -> Vec<f64> {
    v.sort_by(f64::total_cmp);
    v
}

/// Listed boolean outcomes' probabilities over the draws at `positions`.
fn world_rows(model: &Model, tally: &Tally, positions: &[usize]) -> Vec<WorldRow> {
    let mut rows = Vec::new();
    for scenario in &tally.scenarios {
        let Some(name) = model.scenarios.get(scenario.scenario).map(|s| &s.name) else {
            continue;
        };
        if is_baseline_name(name) {
            continue;
        }
        for (id, outcome) in model.outcomes.iter().enumerate() {
            if !outcome.listed || !matches!(outcome.kind, OutcomeKind::Boolean { .. }) {
                continue;
            }
            let p: Vec<f64> = (positions.iter())
                .filter_map(|&i| match scenario.draws.get(i)?.outcomes.get(id)? {
                    OutcomeTally::Boolean { given, hits } if *given > 0 => {
                        Some(*hits as f64 / *given as f64)
                    }
                    _ => None,
                })
                .collect();
            let mean = (!p.is_empty()).then(|| p.iter().sum::<f64>() / p.len() as f64);
            let p = sorted(p);
            rows.push(WorldRow {
                scenario: name.clone(),
                outcome: outcome.name.clone(),
                p_mean: mean,
                p_q05: quantile_type7(&p, 0.05),
                p_q95: quantile_type7(&p, 0.95),
            });
        }
    }
    rows
}

/// For each row of a world ([`world_rows`], same order), the parameters
/// that can reach its outcome in its scenario's graph.
fn world_row_params(model: &Model, tally: &Tally) -> Vec<Vec<bool>> {
    let mut rows = Vec::new();
    for scenario in &tally.scenarios {
        let shown =
            (model.scenarios.get(scenario.scenario)).is_some_and(|s| !is_baseline_name(&s.name));
        if !shown {
            continue;
        }
        for (id, outcome) in model.outcomes.iter().enumerate() {
            if !outcome.listed || !matches!(outcome.kind, OutcomeKind::Boolean { .. }) {
                continue;
            }
            let mut reach = vec![false; model.params.len()];
            for (param, _) in ancestry_in_scenario(model, id, scenario.scenario).params {
                reach[param] = true;
            }
            rows.push(reach);
        }
    }
    rows
}

/// What separates two posters.
fn pair(model: &Model, a: &Poster, b: &Poster, reach: &[bool], row_params: &[Vec<bool>]) -> Pair {
    let mut ranked: Vec<(ParamId, CruxRow)> = (a.params.iter().zip(&b.params))
        .enumerate()
        .filter(|(p, _)| reach.get(*p) == Some(&true))
        .filter_map(|(p, (x, y))| {
            let (shift_a, shift_b) = (x.shift?, y.shift?);
            let gap = (shift_a - shift_b).abs();
            let bound = Z_995 * x.noise.hypot(y.noise);
            Some((
                p,
                CruxRow {
                    param: x.param.clone(),
                    shift_a,
                    shift_b,
                    gap,
                    significant: gap > bound,
                },
            ))
        })
        .collect();
    // Largest gap first; equal gaps keep the model's order.
    ranked.sort_by(|x, y| y.1.gap.total_cmp(&x.1.gap).then(x.0.cmp(&y.0)));
    // The crux parameter (the largest significant gap) and those paired
    // with it.
    let crux: Option<Vec<bool>> = ranked
        .iter()
        .find(|(_, row)| row.significant)
        .map(|&(p, _)| {
            let mut one = vec![false; model.params.len()];
            one[p] = true;
            with_correlated(model, one)
        });
    // Without a crux (no gap beyond the noise) there is no argument for a
    // question to settle.
    let moved_by_crux = |row: usize| match &crux {
        Some(crux) => row_params
            .get(row)
            .is_some_and(|reach| reach.iter().zip(crux).any(|(r, c)| *r && *c)),
        None => false,
    };
    let mut question: Option<Question> = None;
    for (row, (x, y)) in a.world.iter().zip(&b.world).enumerate() {
        if !moved_by_crux(row) || dated_claims_world(model, &x.scenario) {
            continue;
        }
        if let (Some(p_a), Some(p_b)) = (x.p_mean, y.p_mean) {
            let better = question
                .as_ref()
                .is_none_or(|q| (p_a - p_b).abs() > (q.p_a - q.p_b).abs());
            if better {
                question = Some(Question {
                    scenario: x.scenario.clone(),
                    outcome: x.outcome.clone(),
                    p_a,
                    p_b,
                });
            }
        }
    }
    Pair {
        a: a.author.clone(),
        b: b.author.clone(),
        ranked: ranked.into_iter().map(|(_, row)| row).collect(),
        question,
    }
}

/// Whether the scenario named `name` was added for dated claims (a world
/// as known in some year): the question that settles an argument is asked
/// in the scenarios the model's author wrote.
fn dated_claims_world(model: &Model, name: &str) -> bool {
    (model.scenarios.iter())
        .find(|s| s.name == name)
        .is_some_and(added_for_dated_claims)
}

fn scenario_tally(tally: &Tally, id: usize) -> Option<&ScenarioTally> {
    tally.scenarios.iter().find(|s| s.scenario == id)
}

/// `(given, hits)` of `outcome` at draw position `i`.
fn count(scenario: &ScenarioTally, outcome: OutcomeId, i: usize) -> (u64, u64) {
    match scenario.draws.get(i).and_then(|d| d.outcomes.get(outcome)) {
        Some(OutcomeTally::Boolean { given, hits }) => (*given, *hits),
        _ => (0, 0),
    }
}

/// The share `k / n` and the standard error of the smoothed share.
fn share_and_se(n: u64, k: u64) -> (f64, f64) {
    let p = k as f64 / n as f64;
    let smooth = (k as f64 + 0.5) / (n as f64 + 1.0);
    (p, (smooth * (1.0 - smooth) / n as f64).sqrt())
}

/// Whether the claim holds, widened, at each draw position.
pub fn kept_by(tally: &Tally, claim: &Claim, outcome: OutcomeId, len: usize) -> Vec<bool> {
    let Some(main) = scenario_tally(tally, claim.scenario) else {
        return vec![false; len];
    };
    let other = claim
        .than
        .as_ref()
        .and_then(|(than, _)| scenario_tally(tally, *than));
    (0..len)
        .map(|i| {
            let (n1, k1) = count(main, outcome, i);
            if n1 == 0 {
                return false;
            }
            let (p1, se1) = share_and_se(n1, k1);
            match (&claim.test, other) {
                (Test::Band { lo, hi }, _) => {
                    let w = WIDEN * se1;
                    lo - w <= p1 && p1 <= hi + w
                }
                (Test::Compare { rule, .. }, Some(other)) => {
                    let (n0, k0) = count(other, outcome, i);
                    if n0 == 0 {
                        return false;
                    }
                    let (p0, se0) = share_and_se(n0, k0);
                    let w = WIDEN * (se1 * se1 + se0 * se0).sqrt();
                    let odds = |n: u64, k: u64| {
                        let p = (k as f64 + 0.5) / (n as f64 + 1.0);
                        p / (1.0 - p)
                    };
                    rule.holds(nearest(rule, p1 - p0, w), odds(n1, k1) / odds(n0, k0))
                }
                (Test::Compare { .. }, None) => false,
            }
        })
        .collect()
}

/// The difference within `w` of `d` that the rule likes best: the band on
/// `d` widened by `w` on each side.
fn nearest(rule: &Rule, d: f64, w: f64) -> f64 {
    match rule {
        Rule::Below { .. } => d - w,
        Rule::Above { .. } => d + w,
        Rule::Within { .. } => d.signum() * (d.abs() - w).max(0.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantile_units_are_mid_ranks() {
        let prior = [1.0, 2.0, 3.0, 4.0];
        assert_eq!(quantile_units(&prior, 2.5), 0.5);
        assert_eq!(quantile_units(&prior, 2.0), 0.375);
        assert_eq!(quantile_units(&prior, 0.0), 0.0);
        assert_eq!(quantile_units(&prior, 9.0), 1.0);
        // A fixed parameter: every value equal, always the middle.
        assert_eq!(quantile_units(&[7.0; 5], 7.0), 0.5);
    }

    #[test]
    fn the_widened_rule_moves_toward_its_region() {
        let below = Rule::Below {
            d: 0.0,
            odds_ratio: 1.0,
        };
        assert!((nearest(&below, 0.05, 0.02) - 0.03).abs() < 1e-12);
        let within = Rule::Within {
            d: 0.1,
            odds_ratio: (0.8, 1.25),
        };
        assert!((nearest(&within, -0.3, 0.1) + 0.2).abs() < 1e-12);
        assert_eq!(nearest(&within, 0.05, 0.1), 0.0);
    }

    /// splitmix64: a fixed stream of uniform words for the tests.
    fn words(seed: u64) -> impl FnMut() -> u64 {
        let mut state = seed;
        move || {
            state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        }
    }

    /// The shift of a world of `kept` of the prior's draws picked at random.
    fn random_shift(prior: &[f64], kept: usize, next: &mut impl FnMut() -> u64) -> f64 {
        // A partial Fisher-Yates shuffle picks `kept` distinct draws.
        let mut order: Vec<usize> = (0..prior.len()).collect();
        for i in 0..kept {
            let j = i + (next() % (prior.len() - i) as u64) as usize;
            order.swap(i, j);
        }
        let world = sorted(order[..kept].iter().map(|&i| prior[i]).collect());
        let median = quantile_type7(&world, 0.5).expect("a median");
        quantile_units(prior, median) - 0.5
    }

    #[test]
    fn the_shift_of_a_random_world_has_the_noise_the_formula_gives() {
        // 4,000 random worlds per size; the sample standard deviation of
        // their shifts has a relative standard error of about 1.1%, so 6%
        // is over five of them.
        let mut next = words(7);
        let draws = 1000;
        let prior = sorted((0..draws).map(|_| (next() >> 11) as f64).collect());
        for kept in [5, 24, 100, 600, 950] {
            let shifts: Vec<f64> = (0..4000)
                .map(|_| random_shift(&prior, kept, &mut next))
                .collect();
            let mean = shifts.iter().sum::<f64>() / shifts.len() as f64;
            let var =
                shifts.iter().map(|s| (s - mean).powi(2)).sum::<f64>() / (shifts.len() - 1) as f64;
            let expected = shift_noise(kept, draws);
            let ratio = var.sqrt() / expected;
            assert!(
                (ratio - 1.0).abs() < 0.06,
                "kept {kept}: sd {} against {expected}",
                var.sqrt()
            );
        }
        assert_eq!(shift_noise(1000, 1000), 0.0);
        assert!(shift_noise(0, 1000).is_infinite());
    }

    #[test]
    fn two_random_worlds_rarely_make_a_significant_gap() {
        // Two worlds picked at random share no belief: a gap beyond the
        // 99% bound comes about 1% of the time (the bound treats the worlds
        // as independent). Out of 3,000 pairs, 30 are expected; the sd of
        // that count is about 5.5, so 60 is over five sds.
        let mut next = words(11);
        let draws = 1000;
        let prior = sorted((0..draws).map(|_| (next() >> 11) as f64).collect());
        let (ka, kb) = (40, 300);
        let bound = Z_995 * shift_noise(ka, draws).hypot(shift_noise(kb, draws));
        let significant = (0..3000)
            .filter(|_| {
                let gap = (random_shift(&prior, ka, &mut next)
                    - random_shift(&prior, kb, &mut next))
                .abs();
                gap > bound
            })
            .count();
        assert!(
            significant < 60,
            "{significant} of 3,000 random pairs significant"
        );
        assert!(
            significant > 5,
            "{significant}: the bound is too wide to ever be reached"
        );
    }
}
