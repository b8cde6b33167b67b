//! Claims against a run: a [`Tally`] that includes the claims' hidden
//! outcomes (see `uchronia_claims::attach`) in, one [`ClaimSummary`] per
//! claim out. Pure functions, no IO.
//!
//! Per parameter draw d, with `k` trials where the event and `given` held
//! and `n` where `given` held (all trials without `given`):
//!
//! - an **absolute** claim has `p_d = k / n` and holds when `lo <= p_d <= hi`;
//! - a **comparative** claim pairs the draw under `scenario` and `than`
//!   (same draw, common random numbers): `d = p_scenario - p_than` on the raw
//!   shares, `OR = odds(p~_scenario) / odds(p~_than)` with the smoothed
//!   `p~ = (k + 0.5) / (n + 1)`, and holds when the lexicon's rule holds;
//! - a draw with `n = 0` (on either side, for comparatives) is undefined:
//!   left out of everything below, and counted.
//!
//! The estimate is the mean over defined draws of `p_d` (or `d`), with
//! type-7 quantiles of the same; the credence is the share of defined draws
//! in which the claim holds; the verdict follows from the lexicon's
//! thresholds, unless the graph decides the claim (flags `by_construction`
//! or `no_path`, see [`crate::flags`]): its verdict is then `untestable`.
//! A claim with fewer than [`FEW_DRAWS`] defined draws is flagged
//! `few_draws`. A comparative claim is flagged `no_difference` when the
//! lexicon's word for no difference ("about the same") holds in at least
//! half of its defined draws. A claim is flagged `one_belief` when one
//! ancestor parameter's rank correlation with its per-draw quantity (`p_d`
//! or `d`) is at least [`ONE_BELIEF`] in absolute value (the parameter is
//! named in [`ClaimSummary::one_belief`]), unless it is already
//! `prior_only`. A claim that holds in every one of at least [`FEW_DRAWS`]
//! defined draws, or in none, is flagged `unanimous` (unless `untestable`
//! or `prior_only`): its verdict is as strong as the priors' ranges.
//!
//! Drivers rank the parameters by Spearman correlation, over the defined
//! draws, between the parameter's value (in the claim's scenario) and
//! whether the claim holds; when the claim holds in every defined draw or in
//! none, that indicator carries no information and `p_d` (or `d`) is used
//! instead. Only parameters that are graph ancestors of the claim's event or
//! `given` (in its scenario's graph, or `than`'s) and whose correlation lies
//! beyond the 99% noise bound ([`crate::stats::noise_bound`]) are drivers;
//! there may be none.

use uchronia_claims::{Claim, Test, VerdictRules};
use uchronia_engine::tally::{OutcomeTally, ScenarioTally, Tally};
use uchronia_model::{Model, OutcomeId, ScenarioId};

use crate::findings::{ClaimSummary, Driver, FEW_DRAWS, Flag, KNIFE_EDGE_SE, ONE_BELIEF, Verdict};
use crate::flags::{ancestor_params, graph_flags};
use crate::stats::{beyond_noise, quantile_type7, spearman};

/// How many drivers a claim lists.
pub const DRIVERS: usize = 3;

/// Equal-count bins used to describe where the strongest driver makes the
/// claim hold.
pub const HOLDS_WHEN_BINS: usize = 10;

/// Evaluates every claim against `tally`. `model` is the model the tally
/// was run on (with the claims attached), `outcomes[i]` the hidden outcome
/// of `claims[i]`, `verdicts` the lexicon's thresholds. A claim whose
/// scenario (or `than`) the tally lacks is undefined in every draw.
pub fn evaluate(
    model: &Model,
    tally: &Tally,
    claims: &[Claim],
    outcomes: &[OutcomeId],
    verdicts: &VerdictRules,
) -> Vec<ClaimSummary> {
    claims
        .iter()
        .zip(outcomes)
        .map(|(claim, &outcome)| evaluate_one(model, tally, claim, outcome, verdicts))
        .collect()
}

/// One draw of one claim, when defined.
#[derive(Clone, Copy, Debug)]
struct DrawResult {
    /// Position of the draw in the scenario's tally.
    position: usize,
    /// `p_d` (absolute) or `d` (comparative).
    value: f64,
    /// Whether the claim holds in this draw.
    holds: bool,
    /// Comparative claims: whether the lexicon's word for no difference
    /// holds in this draw.
    same: bool,
}

fn scenario_tally(tally: &Tally, scenario: ScenarioId) -> Option<&ScenarioTally> {
    tally.scenarios.iter().find(|s| s.scenario == scenario)
}

/// `(given, hits)` of `outcome` in each draw of `scenario`.
fn counts(scenario: &ScenarioTally, outcome: OutcomeId) -> Vec<(u64, u64)> {
    scenario
        .draws
        .iter()
        .map(|draw| match draw.outcomes.get(outcome) {
            Some(OutcomeTally::Boolean { given, hits }) => (*given, *hits),
            _ => (0, 0),
        })
        .collect()
}

/// The odds of the smoothed share `(k + 0.5) / (n + 1)`: finite and positive
/// for every `0 <= k <= n`.
fn smoothed_odds(n: u64, k: u64) -> f64 {
    let p = (k as f64 + 0.5) / (n as f64 + 1.0);
    p / (1.0 - p)
}

/// The per-draw results of a claim: defined draws, and the number of
/// undefined ones.
fn draw_results(tally: &Tally, claim: &Claim, outcome: OutcomeId) -> (Vec<DrawResult>, u64) {
    let Some(main) = scenario_tally(tally, claim.scenario) else {
        return (Vec::new(), tally.draw_range.end - tally.draw_range.start);
    };
    let here = counts(main, outcome);
    let mut results = Vec::with_capacity(here.len());
    match (&claim.test, &claim.than) {
        (Test::Band { lo, hi }, _) => {
            for (position, &(n, k)) in here.iter().enumerate() {
                if n == 0 {
                    continue;
                }
                let p = k as f64 / n as f64;
                results.push(DrawResult {
                    position,
                    value: p,
                    holds: *lo <= p && p <= *hi,
                    same: false,
                });
            }
        }
        (Test::Compare { rule, same, .. }, Some((than, _))) => {
            let Some(other) = scenario_tally(tally, *than) else {
                return (Vec::new(), here.len() as u64);
            };
            let there = counts(other, outcome);
            for (position, (&(n1, k1), &(n0, k0))) in here.iter().zip(&there).enumerate() {
                if n1 == 0 || n0 == 0 {
                    continue;
                }
                let d = k1 as f64 / n1 as f64 - k0 as f64 / n0 as f64;
                let odds_ratio = smoothed_odds(n1, k1) / smoothed_odds(n0, k0);
                results.push(DrawResult {
                    position,
                    value: d,
                    holds: rule.holds(d, odds_ratio),
                    same: same.is_some_and(|same| same.holds(d, odds_ratio)),
                });
            }
        }
        (Test::Compare { .. }, None) => return (Vec::new(), here.len() as u64),
    }
    let undefined = (here.len() - results.len()) as u64;
    (results, undefined)
}

/// A claim in each draw of its scenario's tally, in draw order: `Some((p_d
/// or d, holds))` where it is defined, `None` where it is not (the same
/// values and rule [`evaluate`] judges it by; the explore page re-judges
/// claims over the draws a reader keeps).
pub fn per_draw(tally: &Tally, claim: &Claim, outcome: OutcomeId) -> Vec<Option<(f64, bool)>> {
    let (results, undefined) = draw_results(tally, claim, outcome);
    let mut draws = vec![None; results.len() + undefined as usize];
    for r in results {
        if let Some(slot) = draws.get_mut(r.position) {
            *slot = Some((r.value, r.holds));
        }
    }
    draws
}

fn evaluate_one(
    model: &Model,
    tally: &Tally,
    claim: &Claim,
    outcome: OutcomeId,
    verdicts: &VerdictRules,
) -> ClaimSummary {
    let (results, undefined_draws) = draw_results(tally, claim, outcome);
    let mut values: Vec<f64> = results.iter().map(|r| r.value).collect();
    let estimate = mean(&values);
    values.sort_by(f64::total_cmp);
    let held = results.iter().filter(|r| r.holds).count();
    let credence = (!results.is_empty()).then(|| held as f64 / results.len() as f64);
    let allowed = ancestor_params(model, claim, outcome);
    let drivers = match scenario_tally(tally, claim.scenario) {
        Some(scenario) => drivers(model, scenario, &results, &allowed),
        None => Vec::new(),
    };
    let mut flags = graph_flags(model, claim, outcome);
    if (results.len() as u64) < FEW_DRAWS {
        flags.push(Flag::FewDraws);
    }
    if !flags.iter().any(|f| f.untestable()) && no_difference(claim, &results) {
        flags.push(Flag::NoDifference);
    }
    let one_belief = match scenario_tally(tally, claim.scenario) {
        Some(scenario) if !flags.contains(&Flag::PriorOnly) => {
            one_belief(model, scenario, &results, &allowed)
        }
        _ => None,
    };
    if one_belief.is_some() {
        flags.push(Flag::OneBelief);
    }
    if unanimous(&flags, held, results.len()) {
        flags.push(Flag::Unanimous);
    }
    if knife_edge(&flags, credence, results.len(), verdicts) {
        flags.push(Flag::KnifeEdge);
    }
    let verdict = if flags.iter().any(|f| f.untestable()) {
        Verdict::Untestable
    } else {
        verdict(credence, verdicts)
    };
    ClaimSummary {
        id: claim.id.clone(),
        author: claim.author.clone(),
        quote: claim.quote.clone(),
        scenario: claim.scenario_name.clone(),
        than: claim.than.as_ref().map(|(_, name)| name.clone()),
        event: claim.event_text.clone(),
        given: claim.given_text.clone(),
        says: claim.says.clone(),
        band: claim.band(),
        estimate,
        q05: quantile_type7(&values, 0.05),
        q50: quantile_type7(&values, 0.50),
        q95: quantile_type7(&values, 0.95),
        credence,
        verdict,
        defined_draws: results.len() as u64,
        undefined_draws,
        drivers,
        post: claim.post,
        known_through: claim.known_through,
        flags,
        one_belief,
    }
}

/// Whether a claim holds in all of at least [`FEW_DRAWS`] defined draws or
/// in none of them, and is judged on its numbers (not `untestable`, not
/// `prior_only`, which already says that the prior alone decides it).
fn unanimous(flags: &[Flag], held: usize, defined: usize) -> bool {
    let judged = !flags
        .iter()
        .any(|f| f.untestable() || *f == Flag::PriorOnly);
    judged && defined as u64 >= FEW_DRAWS && (held == 0 || held == defined)
}

/// Whether a judged claim's credence (a share of `defined` draws) lies
/// within [`KNIFE_EDGE_SE`] standard errors, `sqrt(c (1 - c) / n)`, of the
/// threshold of `supported` or of `contradicted`: the verdict then rests on
/// which draws the seed gave. An untestable claim has no verdict to turn.
fn knife_edge(flags: &[Flag], credence: Option<f64>, defined: usize, rules: &VerdictRules) -> bool {
    let Some(c) = credence else { return false };
    if defined == 0 || flags.iter().any(|f| f.untestable()) {
        return false;
    }
    let se = (c * (1.0 - c) / defined as f64).sqrt();
    [rules.supported, rules.contradicted]
        .iter()
        .any(|&t| (c - t).abs() <= KNIFE_EDGE_SE * se)
}

/// Whether a comparative claim's draws mostly find no difference: the
/// lexicon's word for it holds in at least half of the defined draws. Never
/// for a claim that itself says there is none.
fn no_difference(claim: &Claim, results: &[DrawResult]) -> bool {
    let Test::Compare { rule, same, .. } = &claim.test else {
        return false;
    };
    if results.is_empty() || same.is_none() || Some(*rule) == *same {
        return false;
    }
    let same_draws = results.iter().filter(|r| r.same).count();
    2 * same_draws >= results.len()
}

/// The ancestor parameter whose values order the claim's per-draw quantity
/// almost as the claim does (|Spearman| >= [`ONE_BELIEF`]), strongest
/// first; ties keep the model's order.
fn one_belief(
    model: &Model,
    scenario: &ScenarioTally,
    results: &[DrawResult],
    allowed: &[bool],
) -> Option<String> {
    let values: Vec<f64> = results.iter().map(|r| r.value).collect();
    if values.windows(2).all(|w| w[0] == w[1]) {
        return None;
    }
    let mut best: Option<(usize, f64)> = None;
    for param in (0..model.params.len()).filter(|&p| allowed.get(p) == Some(&true)) {
        let Some(x) = param_values(scenario, results, param) else {
            continue;
        };
        if let Some(rho) = spearman(&x, &values).map(f64::abs)
            && rho >= ONE_BELIEF
            && best.is_none_or(|(_, b)| rho > b)
        {
            best = Some((param, rho));
        }
    }
    best.map(|(param, _)| model.params[param].name.clone())
}

/// The verdict for a credence: `Undefined` without one.
pub fn verdict(credence: Option<f64>, rules: &VerdictRules) -> Verdict {
    match credence {
        None => Verdict::Undefined,
        Some(c) if c >= rules.supported => Verdict::Supported,
        Some(c) if c <= rules.contradicted => Verdict::Contradicted,
        Some(_) => Verdict::Contested,
    }
}

/// The values of `param` in the claim's defined draws, or `None` when one
/// is missing or not finite, or all are equal (no ranking to speak of).
fn param_values(
    scenario: &ScenarioTally,
    results: &[DrawResult],
    param: usize,
) -> Option<Vec<f64>> {
    let x: Vec<f64> = results
        .iter()
        .map(|r| {
            scenario.draws[r.position]
                .params
                .get(param)
                .copied()
                .unwrap_or(f64::NAN)
        })
        .collect();
    let usable = x.iter().all(|v| v.is_finite()) && !x.windows(2).all(|w| w[0] == w[1]);
    usable.then_some(x)
}

/// The parameters most associated with the claim holding, strongest first,
/// among those `allowed` (graph ancestors) and beyond the noise bound.
fn drivers(
    model: &Model,
    scenario: &ScenarioTally,
    results: &[DrawResult],
    allowed: &[bool],
) -> Vec<Driver> {
    let holds: Vec<f64> = results
        .iter()
        .map(|r| f64::from(u8::from(r.holds)))
        .collect();
    let constant = holds.windows(2).all(|w| w[0] == w[1]);
    // When the claim holds everywhere or nowhere, rank against the quantity
    // the claim is about instead.
    let target: Vec<f64> = if constant {
        results.iter().map(|r| r.value).collect()
    } else {
        holds.clone()
    };
    let mut ranked: Vec<(usize, f64, Vec<f64>)> = Vec::new();
    for param in (0..model.params.len()).filter(|&p| allowed.get(p) == Some(&true)) {
        let Some(x) = param_values(scenario, results, param) else {
            continue;
        };
        if let Some(rho) = spearman(&x, &target).filter(|&r| beyond_noise(Some(r), x.len())) {
            ranked.push((param, rho, x));
        }
    }
    // Strongest first; equal strengths keep the model's parameter order.
    ranked.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()).then(a.0.cmp(&b.0)));
    ranked.truncate(DRIVERS);
    ranked
        .into_iter()
        .enumerate()
        .map(|(i, (param, rho, x))| {
            let name = model.params[param].name.clone();
            let holds_when = if i == 0 {
                holds_when(&name, &x, &holds)
            } else {
                None
            };
            Driver {
                param: name,
                rank_corr: rho,
                holds_when,
            }
        })
        .collect()
}

/// Where the claim holds more often than not, in terms of one parameter:
/// its draws are split into [`HOLDS_WHEN_BINS`] equal-count bins by value
/// (fewer with fewer draws), and the bins where the claim holds in more than
/// half the draws must form one contiguous run that is neither empty nor
/// everything. The run's edges are the midpoints between the neighbouring
/// bins' extreme values: `name < x`, `name > x` or `x < name < y`.
pub fn holds_when(name: &str, x: &[f64], holds: &[f64]) -> Option<String> {
    let n = x.len().min(holds.len());
    let bins = n.min(HOLDS_WHEN_BINS);
    if bins < 2 {
        return None;
    }
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| x[a].total_cmp(&x[b]).then(a.cmp(&b)));
    let edges: Vec<(usize, usize)> = (0..bins)
        .map(|k| (k * n / bins, (k + 1) * n / bins))
        .collect();
    let majority: Vec<bool> = edges
        .iter()
        .map(|&(start, end)| {
            let held: f64 = order[start..end].iter().map(|&i| holds[i]).sum();
            2.0 * held > (end - start) as f64
        })
        .collect();
    let first = majority.iter().position(|&m| m)?;
    let last = majority.iter().rposition(|&m| m)?;
    if majority[first..=last].iter().any(|&m| !m) || (first == 0 && last == bins - 1) {
        return None;
    }
    // The value between bin k and bin k + 1.
    let boundary = |k: usize| {
        let below = x[order[edges[k].1 - 1]];
        let above = x[order[edges[k + 1].0]];
        format_value((below + above) / 2.0)
    };
    Some(if first == 0 {
        format!("{name} < {}", boundary(last))
    } else if last == bins - 1 {
        format!("{name} > {}", boundary(first - 1))
    } else {
        format!("{} < {name} < {}", boundary(first - 1), boundary(last))
    })
}

/// A threshold for people: two significant digits below 100 (`0.31`,
/// `0.0052`, `12`), whole numbers above (`1939`).
pub fn format_value(x: f64) -> String {
    if x == 0.0 || !x.is_finite() {
        return format!("{x}");
    }
    let magnitude = x.abs().log10().floor() as i32;
    let decimals = (1 - magnitude).max(0) as usize;
    let text = format!("{x:.decimals$}");
    // Rounding may leave "-0" or "-0.00".
    if text
        .trim_start_matches('-')
        .chars()
        .all(|c| c == '0' || c == '.')
    {
        text.trim_start_matches('-').to_string()
    } else {
        text
    }
}

/// The drivers as one line, as in `claims.csv`:
/// `trotsky_cc_support (+0.62; holds when trotsky_cc_support < 0.31); p_x (-0.20)`.
pub fn drivers_text(drivers: &[Driver]) -> String {
    drivers
        .iter()
        .map(|driver| match &driver.holds_when {
            Some(range) => format!(
                "{} ({:+.2}; holds when {range})",
                driver.param, driver.rank_corr
            ),
            None => format!("{} ({:+.2})", driver.param, driver.rank_corr),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The arithmetic mean, `None` for no values.
fn mean(values: &[f64]) -> Option<f64> {
    (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
}

#[cfg(test)]
mod tests;
