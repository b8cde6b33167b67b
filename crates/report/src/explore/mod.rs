//! `explore.html`: one self-contained page where a reader restricts the
//! model's parameters to the ranges they believe and watches every headline
//! probability, matched-baseline difference and claim verdict change.
//!
//! The page never resamples. It carries the run's per-draw values (each
//! parameter's value on the grid of four significant digits that its
//! sliders and links use ([`decimal_keys`]); each headline outcome's `hits`
//! and `given` per scenario and matched baseline, and those of each claim's
//! event, in one table of count series ([`Series`]), from which the script
//! computes each claim's value as the analysis does; and whether each claim
//! holds) and its script recomputes every number over the draws whose
//! parameters lie inside every range the reader set (contract 1.1, section
//! 6). So the numbers are exact for the kept draws; how many are kept is
//! shown.
//!
//! With the crux analysis (claims of two or more authors), one preset per
//! poster shows that poster's world: the draws where their claims hold
//! ([`uchronia_analysis::crux::Poster::world_positions`]), carried as a
//! bitset over the page's draws ([`world_bits`]). Pressing it replaces the
//! reader's ranges with that world, and any range set afterwards narrows
//! it; the fragment `#author=NAME` holds the choice (contract 1.1, 6).
//!
//! This module gathers the data ([`data`]); [`page`] writes the HTML around
//! it, with model text escaped by the summaries' own escaping; the script and
//! style sheet are `explore.js` and `explore.css`, inlined and allowed by
//! their hashes in the page's Content-Security-Policy. The script builds
//! each parameter's control ([`belief_params`]) from the data, its label
//! and doc set as text: two hundred of them written as HTML weighed a fifth
//! of the shipped page.

pub mod page;

use std::collections::{BTreeMap, BTreeSet};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Value, json};
use uchronia_analysis::findings::{Against, Flag};
use uchronia_engine::tally::{OutcomeTally, ScenarioTally};
use uchronia_model::OutcomeId;

use crate::report::Report;
pub use crate::report::{ClaimEvent, Explore};
use crate::summary::escape::plain;

/// The most parameter draws a page carries: beyond it, an evenly spaced
/// subset of the draws (see [`subset`]), which the page says.
pub const MAX_DRAWS: usize = 5000;

/// Below this many kept draws the page warns that its numbers are rough.
pub const FEW_KEPT: usize = 50;

/// The positions of the draws a page of `draws` draws carries: all of them
/// up to [`MAX_DRAWS`], else `floor(i * draws / MAX_DRAWS)` for each `i`,
/// evenly spread and the same for the same run.
pub fn subset(draws: usize) -> Vec<usize> {
    if draws <= MAX_DRAWS {
        return (0..draws).collect();
    }
    (0..MAX_DRAWS).map(|i| i * draws / MAX_DRAWS).collect()
}

/// The parameters the page puts first, as controls: the significant graph
/// ancestors of the headline outcomes (sensitivity rows) and the claims'
/// drivers, strongest first (largest rank correlation with any of them;
/// equal strengths in name order). All others go in the "more beliefs" list.
pub fn control_params<'a>(report: &Report<'a>) -> Vec<String> {
    let headline: BTreeSet<&str> = (report.headline_booleans().into_iter())
        .map(|o| report.outcome_name(o))
        .collect();
    let mut strength: BTreeMap<&str, f64> = BTreeMap::new();
    let mut add = |param: &'a str, rho: f64| {
        let s = strength.entry(param).or_insert(0.0);
        *s = s.max(rho.abs());
    };
    for r in report.sensitivity {
        if r.ancestor && r.significant && headline.contains(r.outcome.as_str()) {
            add(&r.param, r.rank_corr.unwrap_or(0.0));
        }
    }
    for driver in report.claims.iter().flat_map(|c| &c.drivers) {
        add(&driver.param, driver.rank_corr);
    }
    let mut params: Vec<(&str, f64)> = strength.into_iter().collect();
    params.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(b.0)));
    params.into_iter().map(|(p, _)| p.to_string()).collect()
}

/// The parameters that get a control (a "belief"), as indices into the
/// model's parameters: first those of [`control_params`], in its order, then
/// the others (under "More beliefs"), in the model's order. A parameter
/// whose prior's 90% interval is one value (a `fixed` one) gets none.
pub fn belief_params(report: &Report) -> (Vec<usize>, Vec<usize>) {
    let params = &report.model.params;
    let varies = |&i: &usize| params[i].dist.quantile(0.05) != params[i].dist.quantile(0.95);
    let controls = control_params(report);
    let first = (controls.iter())
        .filter_map(|name| params.iter().position(|p| p.name == *name))
        .filter(varies)
        .collect();
    let more = (0..params.len())
        .filter(varies)
        .filter(|&i| !controls.contains(&params[i].name))
        .collect();
    (first, more)
}

/// Little-endian bytes, base64.
fn base64_of(bytes: impl IntoIterator<Item = u8>) -> String {
    STANDARD.encode(bytes.into_iter().collect::<Vec<u8>>())
}

/// How the page carries an array of numbers, losslessly: each value's
/// little-endian bytes (`width` of them), regrouped into byte planes (the
/// first byte of every value, then the second, ...), raw DEFLATE (RFC
/// 1951) at the best level, base64; the page's script inflates them
/// (`inflate` in explore.js). The key says the type: `f32z`, `u32z` or
/// `u16z` in planes, `f64z` and `t8z` (bytes of text) in plain order
/// (`width` 1). Planes suit counts and parameters' grid keys, whose
/// neighbours share their high bytes; 64-bit values, whose whole 8-byte
/// patterns repeat, deflate better in plain order.
fn packed(key: &str, bytes: Vec<u8>, width: usize) -> Value {
    let n = bytes.len() / width;
    let planes: Vec<u8> = (0..width)
        .flat_map(|b| (0..n).map(move |i| (i, b)))
        .map(|(i, b)| bytes[i * width + b])
        .collect();
    let deflated = miniz_oxide::deflate::compress_to_vec(&planes, 10);
    json!({ key: STANDARD.encode(deflated) })
}

/// An array of 64-bit floats (NaN for undefined).
fn floats(values: impl IntoIterator<Item = f64>) -> Value {
    packed(
        "f64z",
        values.into_iter().flat_map(f64::to_le_bytes).collect(),
        1,
    )
}

/// An array of 32-bit floats (NaN for undefined): parameter values when
/// [`decimal_keys`] cannot carry them (a value that is not finite, or one
/// beyond 10^15 in size).
fn floats32(values: impl IntoIterator<Item = f64>) -> Value {
    let bytes = values.into_iter().flat_map(|v| (v as f32).to_le_bytes());
    packed("f32z", bytes.collect(), 4)
}

/// The fewest significant digits of the grid on which [`decimal_keys`]
/// places parameter values: those of the page's sliders and links.
pub const KEY_DIGITS: usize = 4;

/// The most: a parameter whose values differ only far down (a year, 1938.2
/// to 1938.9) gets digits enough for its histogram, up to this many.
pub const MAX_KEY_DIGITS: usize = 9;

/// Codes per decade of the grid of `digits` significant digits: each
/// mantissa (`10^(digits-1)` to `10^digits - 1`) and the open interval
/// above it.
pub fn keys_per_decade(digits: usize) -> i64 {
    18 * 10i64.pow(digits as u32 - 1)
}

/// Where a positive `x` lies on the grid of `digits`-significant-digit
/// decimals: `(e, code)` with `x` equal to (the `f64` nearest to) `m * 10^e`
/// for `code = 2 * (m - 10^(digits-1))`, or strictly between (the `f64`s
/// nearest to) `m * 10^e` and `(m + 1) * 10^e` for `code` one more.
fn grid_position(x: f64, digits: usize) -> (i32, i64) {
    let decimals = digits - 1;
    let first = 10i64.pow(decimals as u32);
    let rounded = format!("{x:.decimals$e}");
    // On the grid: the f64 nearest a decimal of that many digits.
    if rounded.parse::<f64>() == Ok(x) {
        let (mantissa, exponent) = rounded.split_once('e').unwrap_or((&rounded, "0"));
        let m: i64 = mantissa.replace('.', "").parse().unwrap_or(first);
        let e: i32 = exponent.parse().unwrap_or(0);
        return (e - decimals as i32, 2 * (m - first));
    }
    // Between two: the first digits of its exact decimal expansion (60
    // digits are far more than an f64 needs to settle them).
    let exact = format!("{x:.60e}");
    let (mantissa, exponent) = exact.split_once('e').unwrap_or((&exact, "0"));
    let m: i64 = mantissa.replace('.', "")[..digits].parse().unwrap_or(first);
    let e: i32 = exponent.parse().unwrap_or(0);
    (e - decimals as i32, 2 * (m - first) + 1)
}

/// The digits of a parameter's grid: four, or more when a grid step at its
/// largest magnitude would be more than 1/1,000 of the span of its values
/// (a thirty-third of a histogram bin), up to [`MAX_KEY_DIGITS`].
fn key_digits(values: &[f64]) -> usize {
    let largest = values.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    let (lo, hi) = (values.iter()).fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| {
        (lo.min(v), hi.max(v))
    });
    if largest == 0.0 || hi <= lo {
        return KEY_DIGITS;
    }
    let magnitude = largest.log10().floor() as i32;
    (KEY_DIGITS..=MAX_KEY_DIGITS)
        .find(|&d| 10f64.powi(magnitude - d as i32 + 1) <= (hi - lo) / 1000.0)
        .unwrap_or(MAX_KEY_DIGITS)
}

/// Parameter values on a grid of decimals with at least four significant
/// digits, which is all the page compares them with: a slider's value and a
/// link's range have at most four. Each value is carried as the grid point
/// it is, or as the middle of the open interval between the two grid points
/// around it; so for any range whose ends have four significant digits or
/// fewer the page keeps exactly the draws the run's own values would (a
/// longer end is compared to within half a grid step), and the histograms
/// (30 bins) cannot tell the difference: the grid has more digits where
/// four would move a value by more than 1/2,000 of the span ([`key_digits`]).
///
/// The code of a value: its decade `e` from the smallest one `e0`, times
/// [`keys_per_decade`], plus its `code` ([`grid_position`]), plus one,
/// negated for a negative value; 0 for zero. The page's script
/// (`gridValue` in explore.js) turns a code back into the value `m / 10^-e`
/// or `(2m + 1) / (2 * 10^-e)`. The codes, less the smallest, are packed as
/// [`counts`]. `None` when a value is not finite or a decade is beyond
/// 10^15, where the page would not decode it exactly.
fn decimal_keys(values: &[f64]) -> Option<Value> {
    if values.iter().any(|v| !v.is_finite() || v.abs() >= 1e15) {
        return None;
    }
    let digits = key_digits(values);
    let positions: Vec<Option<(i32, i64)>> = (values.iter())
        .map(|&v| (v != 0.0).then(|| grid_position(v.abs(), digits)))
        .collect();
    let e0 = positions.iter().flatten().map(|p| p.0).min().unwrap_or(0);
    if e0 < -22 {
        return None;
    }
    let keys: Vec<i64> = (values.iter().zip(&positions))
        .map(|(&v, position)| match position {
            Some((e, code)) => {
                let key = i64::from(e - e0) * keys_per_decade(digits) + code + 1;
                if v < 0.0 { -key } else { key }
            }
            None => 0,
        })
        .collect();
    let offset = keys.iter().copied().min().unwrap_or(0);
    let shifted: Vec<u64> = keys.iter().map(|&k| (k - offset) as u64).collect();
    Some(json!({ "decimal": {
        "digits": digits, "e0": e0, "offset": offset, "keys": counts(&shifted),
    } }))
}

/// An array of counts: one number when all are equal, else 16-bit integers
/// when they fit, else 32-bit, else 64-bit floats (exact below 2^53).
fn counts(values: &[u64]) -> Value {
    let max = values.iter().copied().max().unwrap_or(0);
    if values.iter().all(|&v| Some(&v) == values.first()) {
        json!({ "all": max })
    } else if max <= u64::from(u16::MAX) {
        let bytes = values.iter().flat_map(|&v| (v as u16).to_le_bytes());
        packed("u16z", bytes.collect(), 2)
    } else if u32::try_from(max).is_ok() {
        let bytes = values.iter().flat_map(|&v| (v as u32).to_le_bytes());
        packed("u32z", bytes.collect(), 4)
    } else {
        floats(values.iter().map(|&v| v as f64))
    }
}

/// A boolean outcome's `(given, hits)` in the draws at `positions`
/// (`(0, 0)` where the tally lacks it).
fn outcome_counts(
    scenario: &ScenarioTally,
    outcome: OutcomeId,
    positions: &[usize],
) -> (Vec<u64>, Vec<u64>) {
    positions
        .iter()
        .map(
            |&i| match scenario.draws.get(i).and_then(|d| d.outcomes.get(outcome)) {
                Some(OutcomeTally::Boolean { given, hits }) => (*given, *hits),
                _ => (0, 0),
            },
        )
        .unzip()
}

/// The page's table of count series: each `{given, hits}` of an outcome
/// in a scenario's draws, carried once however many headline cells,
/// matched baselines and claims read it (a baseline shared by two
/// scenarios, a claim about a headline outcome).
#[derive(Default)]
struct Series {
    specs: Vec<Value>,
    index: BTreeMap<String, usize>,
}

impl Series {
    /// The index of `outcome`'s counts in `scenario`'s draws at
    /// `positions`, added when new.
    fn of(&mut self, scenario: &ScenarioTally, outcome: OutcomeId, positions: &[usize]) -> usize {
        let (given, hits) = outcome_counts(scenario, outcome, positions);
        let spec = json!({ "given": counts(&given), "hits": counts(&hits) });
        let key = spec.to_string();
        if let Some(&at) = self.index.get(&key) {
            return at;
        }
        self.specs.push(spec);
        self.index.insert(key, self.specs.len() - 1);
        self.specs.len() - 1
    }
}

/// A scenario's headline counts: `{name, outcomes: [series index]}`.
fn scenario_data(
    name: &str,
    scenario: &ScenarioTally,
    outcomes: &[OutcomeId],
    positions: &[usize],
    series: &mut Series,
) -> Value {
    let outcomes: Vec<usize> = (outcomes.iter())
        .map(|&o| series.of(scenario, o, positions))
        .collect();
    json!({ "name": name, "outcomes": outcomes })
}

/// The page's data, as JSON text safe inside a `<script>` element (`<`, `>`
/// and `&` are written as `\u003c`, `\u003e`, `\u0026`).
pub fn data(report: &Report, explore: &Explore) -> String {
    let scenarios = report.scenarios();
    let draws = scenarios.first().map_or(0, |s| s.tally.draws.len());
    let positions = subset(draws);
    let headline = report.headline_booleans();
    let params: Vec<Value> = (report.model.params.iter().enumerate())
        .map(|(id, param)| {
            let values: Vec<f64> = (positions.iter())
                .map(|&i| {
                    let draw = scenarios.first().and_then(|s| s.tally.draws.get(i));
                    draw.and_then(|d| d.params.get(id))
                        .copied()
                        .unwrap_or(f64::NAN)
                })
                .collect();
            let constant = values.iter().all(|v| Some(v) == values.first());
            let mut value = json!({
                "name": param.name,
                "q05": finite(param.dist.quantile(0.05)),
                "q95": finite(param.dist.quantile(0.95)),
                "values": if constant {
                    json!({ "all": values.first().copied().and_then(finite) })
                } else {
                    decimal_keys(&values).unwrap_or_else(|| floats32(values))
                },
            });
            // The control's words, which the script sets as text: the
            // label (absent, the legend shows the name as code) and doc.
            if let Some(label) = param.label.as_deref().filter(|l| *l != param.name) {
                value["label"] = json!(plain(label));
            }
            if let Some(doc) = &param.doc {
                value["doc"] = json!(plain(doc));
            }
            value
        })
        .collect();
    let (first, more) = belief_params(report);
    let mut series = Series::default();
    let shown: Vec<Value> = (scenarios.iter())
        .map(|s| scenario_data(s.name, s.tally, &headline, &positions, &mut series))
        .collect();
    // Each scenario's matched baseline, from the full tally.
    let baselines: Vec<Value> = (scenarios.iter().enumerate())
        .filter_map(|(i, s)| {
            let name = (report.comparison.iter())
                .find(|r| r.against == Against::Matched && r.scenario == s.name)
                .map(|r| r.reference.as_str())?;
            let id = (explore.full_model.scenarios.iter()).position(|sc| sc.name == name)?;
            let tally = (explore.full_tally.scenarios.iter()).find(|t| t.scenario == id)?;
            let mut value = scenario_data(name, tally, &headline, &positions, &mut series);
            value["of"] = json!(i);
            Some(value)
        })
        .collect();
    // The counts claims' values are made of, in the series table.
    let mut series_of = |scenario: usize, outcome: OutcomeId| -> Option<usize> {
        let tally = (explore.full_tally.scenarios.iter()).find(|t| t.scenario == scenario)?;
        Some(series.of(tally, outcome, &positions))
    };
    let claims: Vec<Value> = (report.claims.iter().zip(&explore.claims).enumerate())
        .map(|(c, (claim, draws))| {
            let at = |i: usize| draws.get(i).copied().flatten();
            let untestable: Vec<&str> = (claim.flags.iter())
                .filter(|f| f.untestable())
                .map(|f| f.as_str())
                .collect();
            // `hits / given` (less the other scenario's), as the analysis
            // computes it; else the values themselves.
            let event = explore.claim_events.get(c).copied().flatten();
            let counts = event.and_then(|e| {
                let here = series_of(e.scenario, e.outcome)?;
                match e.than {
                    Some(than) => Some(json!([here, series_of(than, e.outcome)?])),
                    None => Some(json!([here])),
                }
            });
            let values = match counts {
                Some(counts) => json!({ "series": counts }),
                None => floats(
                    positions
                        .iter()
                        .map(|&i| at(i).map_or(f64::NAN, |(v, _)| v)),
                ),
            };
            json!({
                "id": claim.id,
                "comparative": claim.than.is_some(),
                "untestable": untestable,
                "prior_only": claim.flags.contains(&Flag::PriorOnly),
                "values": values,
                "holds": packed("t8z", positions.iter().map(|&i| match at(i) {
                    Some((_, true)) => b'1',
                    Some((_, false)) => b'0',
                    None => b'-',
                }).collect(), 1),
            })
        })
        .collect();
    let info = report.info;
    let value = json!({
        "draws": positions.len(),
        "of": draws,
        "trials_per_draw": info.trials_per_draw,
        "seed": info.seed,
        "model": info.model,
        "max_draws": MAX_DRAWS,
        "few_kept": FEW_KEPT,
        "few_draws": uchronia_analysis::findings::FEW_DRAWS,
        "rules": explore.verdicts.map(|v| json!({ "supported": v.supported, "contradicted": v.contradicted })),
        "outcomes": headline.iter().map(|&o| report.outcome_name(o)).collect::<Vec<_>>(),
        // What the chart writes beside each outcome: its display name.
        "labels": headline.iter().map(|&o| report.outcome_label(o)).collect::<Vec<_>>(),
        "params": params,
        "beliefs": { "first": first, "more": more },
        "scenarios": shown,
        "baselines": baselines,
        "claims": claims,
        "series": series.specs,
        "posters": posters(report, &positions),
    });
    script_safe(&value.to_string())
}

/// Which of the page's draws (at `positions`, ascending) lie in a world
/// (`world`, ascending draw positions of the run): one bit per page draw,
/// least significant bit first, base64.
pub fn world_bits(world: &[usize], positions: &[usize]) -> String {
    let mut bytes = vec![0u8; positions.len().div_ceil(8)];
    for (i, position) in positions.iter().enumerate() {
        if world.binary_search(position).is_ok() {
            bytes[i / 8] |= 1 << (i % 8);
        }
    }
    base64_of(bytes)
}

/// The posters' presets: `{author, world}` each, `world` the
/// [`world_bits`] of their world (none without the crux analysis). Their
/// words are in the page's HTML.
fn posters(report: &Report, positions: &[usize]) -> Vec<Value> {
    (report.crux.iter().flat_map(|c| &c.posters))
        .map(|poster| {
            json!({
                "author": poster.author,
                "world": world_bits(&poster.world_positions, positions),
            })
        })
        .collect()
}

fn finite(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}

/// JSON text that cannot close or open anything inside a `<script>`.
fn script_safe(json: &str) -> String {
    json.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

#[cfg(test)]
mod tests;
