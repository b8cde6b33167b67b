//! `uchronia sweep MODEL --param NAME --values LO:HI:STEP`: fix one
//! parameter at each value in turn, every other parameter still uncertain,
//! and report each boolean outcome's probability with its credible interval.
//!
//! Every value is run with the same seed, so the other parameters take the
//! same values in the same draws and the trials share their random numbers:
//! differences between values are the parameter's doing, not noise. A row of
//! `sweep.csv` equals, bit for bit, the `outcomes.csv` row of a `run` of the
//! model with the parameter `fixed` at that value (same seed, trials, draws).
//! Everything is checked before the first run starts.

use std::path::PathBuf;
use std::time::Instant;

use uchronia_analysis::findings::SweepRow;
use uchronia_model::{Dist, Model, OutcomeId, OutcomeKind, ParamId};
use uchronia_pipeline::failure::report_failure;
use uchronia_pipeline::partial::sha256_hex;
use uchronia_pipeline::{Observer, Runner, load_model, run_failure};
use uchronia_report::RunInfo;

use super::{choose_scenarios, handle_ctrl_c, nearest};
use crate::args::SweepArgs;
use crate::failure::Failure;
use crate::output;
use crate::progress::Terminal;

/// At most this many values per sweep.
pub const MAX_VALUES: usize = 1000;

/// Runs `uchronia sweep`.
pub fn sweep(args: &SweepArgs) -> Result<(), Failure> {
    let values = parse_values(&args.values)?;
    let (plan, note) = args.sampling.plan()?;
    let model = load_model(&args.model)?;
    let ir = &model.loaded.model;
    let param = find_param(ir, &args.param)?;
    let outcomes = choose_outcomes(ir, &args.outcomes)?;
    let scenarios = choose_scenarios(ir, &args.scenarios)?;
    let out = args.out.clone().unwrap_or_else(|| {
        // Beside the run's report, not inside it: `run` replaces its folder whole.
        PathBuf::from("reports").join(format!("{}-sweep-{}", ir.name, ir.params[param].name))
    });
    crate::limits::check_memory(ir, &plan, scenarios.len())?;
    let total = crate::limits::total_trials(
        &plan,
        (scenarios.len() as u64).saturating_mul(values.len() as u64),
        "scenario runs",
    )?;
    uchronia_report::check_out(&out, &crate::input::files_read(), &[]).map_err(report_failure)?;
    if let Some(note) = note {
        output::warning(&note);
    }
    for &scenario in &scenarios {
        let setting = ir.scenarios[scenario]
            .settings
            .iter()
            .find(|(p, _)| *p == param);
        if let Some((_, dist)) = setting {
            output::note(&format!(
                "scenario {} sets {} to {}, which overrides the sweep there: its rows are the same for every value",
                ir.scenarios[scenario].name,
                ir.params[param].name,
                super::describe::dist(dist)
            ));
        }
    }
    if let Some(outside) = outside_support(&ir.params[param].dist, &values) {
        output::note(&format!(
            "{outside} is outside the range of {}'s distribution {}; it is run as a belief all the same",
            ir.params[param].name,
            super::describe::dist(&ir.params[param].dist)
        ));
    }

    let observer = Terminal::new(args.quiet);
    observer.start(Some(total), 0);
    let runner = Runner::new(plan.threads)?;
    handle_ctrl_c();
    let started = Instant::now();
    let mut rows = Vec::new();
    let config = plan.config(args.sampling.seed, scenarios.clone());
    for &value in &values {
        let fixed = uchronia_analysis::fix_param(ir, param, value)
            .map_err(|e| Failure::input(format!("--values: {e}")))?;
        let result = runner.run(&fixed, &config, &|done| observer.advance(done));
        let tally = match result {
            Ok(tally) => tally,
            Err(error) => {
                observer.finish();
                let failure = run_failure(error, &model);
                if failure.status == 2 {
                    output::note(&format!(
                        "the failing run had {} = {value}",
                        ir.params[param].name
                    ));
                }
                return Err(failure);
            }
        };
        rows.extend(uchronia_analysis::sweep_rows(
            &fixed, &tally, param, value, &outcomes,
        ));
    }
    observer.finish();
    let seconds = started.elapsed().as_secs_f64();

    let info = RunInfo {
        model: model.path.clone(),
        model_sha256: sha256_hex(model.source.as_bytes()),
        seed: args.sampling.seed,
        trials: plan.trials(),
        draws: plan.draws,
        trials_per_draw: plan.trials_per_draw,
        design: Default::default(),
        scenarios: scenarios
            .iter()
            .map(|&id| ir.scenarios[id].name.clone())
            .collect(),
        threads: plan.threads,
        version: env!("CARGO_PKG_VERSION").into(),
        elapsed_seconds: seconds,
        trials_per_second: if seconds > 0.0 {
            total as f64 / seconds
        } else {
            0.0
        },
        lexicon: None,
        ex_ante: Vec::new(),
    };
    let chart = charted(&rows, !args.outcomes.is_empty());
    uchronia_report::write_sweep(&out, ir, &rows, &chart, &info).map_err(report_failure)?;

    let mut text = String::new();
    if !args.quiet {
        if args.outcomes.is_empty() {
            text.push_str(&moving_first(&rows));
        } else {
            text.push_str(&sweep_table(&rows));
        }
        text.push_str(&format!(
            "\n{} value(s) x {} trials per scenario ({} draws x {}), {} scenario(s), {:.1} s\n",
            values.len(),
            plan.trials(),
            plan.draws,
            plan.trials_per_draw,
            scenarios.len(),
            seconds,
        ));
    }
    text.push_str(&format!("sweep written to {}\n", out.display()));
    output::print(&text);
    Ok(())
}

/// Parses `LO:HI:STEP` into the values `LO, LO + STEP, ...` up to HI
/// included (within `STEP * 1e-9`). When the three are written as plain
/// decimals, each value is rounded to their largest number of decimals, so
/// `0:1:0.1` gives `0.3`, not `0.30000000000000004`.
pub fn parse_values(text: &str) -> Result<Vec<f64>, Failure> {
    let usage = || {
        Failure::input(format!(
            "--values '{text}' is not LO:HI:STEP (three numbers, e.g. 0.2:0.6:0.05)"
        ))
    };
    let parts: Vec<&str> = text.split(':').map(str::trim).collect();
    let [lo_text, hi_text, step_text] = parts.as_slice() else {
        return Err(usage());
    };
    let number = |part: &str, what: &str| -> Result<f64, Failure> {
        let x: f64 = part.parse().map_err(|_| usage())?;
        if !x.is_finite() {
            return Err(Failure::input(format!(
                "--values: {what} '{part}' is not a finite number"
            )));
        }
        Ok(x)
    };
    let lo = number(lo_text, "LO")?;
    let hi = number(hi_text, "HI")?;
    let step = number(step_text, "STEP")?;
    if step <= 0.0 {
        return Err(Failure::input(format!(
            "--values: STEP must be positive, not {step_text}"
        )));
    }
    if lo > hi {
        return Err(Failure::input(format!(
            "--values: LO ({lo_text}) is above HI ({hi_text})"
        )));
    }
    let steps = ((hi - lo) / step + 1e-9).floor();
    if !steps.is_finite() || steps + 1.0 > MAX_VALUES as f64 {
        return Err(Failure::input(format!(
            "--values {text} gives more than {MAX_VALUES} values: use a larger STEP"
        )));
    }
    let decimals = [lo_text, hi_text, step_text]
        .iter()
        .map(|part| plain_decimals(part))
        .try_fold(0, |most: usize, d| d.map(|d| most.max(d)));
    let values = (0..=steps as usize)
        .map(|i| {
            let x = lo + i as f64 * step;
            match decimals {
                Some(d) if d <= 15 => format!("{x:.d$}").parse().unwrap_or(x),
                _ => x,
            }
        })
        .collect();
    Ok(values)
}

/// The number of decimals of a number written as a plain decimal
/// (`-0.25` has 2), or `None` for other forms (`1e-3`).
fn plain_decimals(text: &str) -> Option<usize> {
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    if !digits.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return None;
    }
    Some(digits.split_once('.').map_or(0, |(_, d)| d.len()))
}

/// The parameter named `name`, or bad input with the nearest name as a hint.
fn find_param(model: &Model, name: &str) -> Result<ParamId, Failure> {
    if let Some(id) = model.params.iter().position(|p| p.name == name) {
        return Ok(id);
    }
    let known: Vec<&str> = model.params.iter().map(|p| p.name.as_str()).collect();
    let hint = match nearest(name, &known) {
        Some(near) => format!(" (did you mean '{near}'?)"),
        None if known.is_empty() => " (it has no parameters)".to_string(),
        None => " (`uchronia check` lists its parameters)".to_string(),
    };
    let node = model.nodes.iter().any(|n| n.name == name);
    let what = if node {
        format!("; '{name}' is a node, and only parameters can be swept")
    } else {
        String::new()
    };
    Err(Failure::input(format!(
        "model {} has no parameter '{name}'{what}{hint}",
        model.name
    )))
}

/// The boolean outcomes named by `--outcome` (in the order given,
/// duplicates dropped), or every listed boolean outcome (the table then
/// shows those the values move first: see [`sweep_table`]).
fn choose_outcomes(model: &Model, names: &[String]) -> Result<Vec<OutcomeId>, Failure> {
    let is_boolean = |o: OutcomeId| matches!(model.outcomes[o].kind, OutcomeKind::Boolean { .. });
    if names.is_empty() {
        let chosen: Vec<OutcomeId> = (0..model.outcomes.len())
            .filter(|&o| model.outcomes[o].listed && is_boolean(o))
            .collect();
        if chosen.is_empty() {
            return Err(Failure::input(format!(
                "model {} has no boolean outcome to sweep",
                model.name
            )));
        }
        return Ok(chosen);
    }
    super::named_boolean_outcomes(model, names, "a sweep reports probabilities")
}

/// The first value outside the support of `dist`, if any.
fn outside_support(dist: &Dist, values: &[f64]) -> Option<f64> {
    let (low, high) = (dist.quantile(0.0), dist.quantile(1.0));
    values.iter().copied().find(|&v| v < low || v > high)
}

/// The sweep of every outcome, for people: the table of the outcomes that
/// move beyond Monte Carlo noise in some scenario (largest spread first,
/// each with all its scenarios), then how many stay flat in every scenario,
/// by name. See `uchronia_analysis::movements` for what "move" means.
fn moving_first(rows: &[SweepRow]) -> String {
    let (moving, flat) = moving_and_flat(rows);
    let total = moving.len() + flat.len();
    let mut text = String::new();
    if !moving.is_empty() {
        let ordered: Vec<SweepRow> = moving
            .iter()
            .flat_map(|&(name, _)| rows.iter().filter(move |r| r.outcome == name))
            .cloned()
            .collect();
        text.push_str(&sweep_table(&ordered));
        text.push('\n');
    }
    let rule = format!(
        "a spread of p within {} combined Monte Carlo standard errors in every scenario",
        uchronia_analysis::FLAT_SE
    );
    if flat.is_empty() {
        text.push_str(&format!(
            "all {total} outcome(s) move across the values; none is flat ({rule})\n"
        ));
    } else {
        let shown = flat
            .iter()
            .take(MAX_FLAT_NAMES)
            .copied()
            .collect::<Vec<_>>();
        let more = flat.len().saturating_sub(MAX_FLAT_NAMES);
        let more = if more > 0 {
            format!(" and {more} more (sweep.csv has them all)")
        } else {
            String::new()
        };
        text.push_str(&format!(
            "{} of {total} outcome(s) move across the values; {} are flat ({rule}): {}{more}\n",
            moving.len(),
            flat.len(),
            shown.join(", ")
        ));
    }
    text
}

/// The outcomes of `rows` that move in some scenario, with their largest
/// spread, largest first (equal spreads in first-appearance order), and
/// those flat in every scenario, in first-appearance order.
fn moving_and_flat(rows: &[SweepRow]) -> (Vec<(&str, f64)>, Vec<&str>) {
    let movements = uchronia_analysis::movements(rows);
    let mut outcomes: Vec<(&str, Option<f64>)> = Vec::new();
    for movement in &movements {
        let moved = movement.moves().then_some(movement.spread);
        match outcomes
            .iter_mut()
            .find(|(name, _)| *name == movement.outcome)
        {
            Some((_, spread)) => {
                if let Some(m) = moved {
                    *spread = Some(spread.map_or(m, |s| s.max(m)));
                }
            }
            // The name as `rows` holds it, so that it outlives `movements`.
            None => {
                if let Some(row) = rows.iter().find(|r| r.outcome == movement.outcome) {
                    outcomes.push((&row.outcome, moved));
                }
            }
        }
    }
    let mut moving: Vec<(&str, f64)> = outcomes
        .iter()
        .filter_map(|&(name, spread)| spread.map(|s| (name, s)))
        .collect();
    // Stable: equal spreads keep the model's order.
    moving.sort_by(|a, b| b.1.total_cmp(&a.1));
    let flat: Vec<&str> = outcomes
        .iter()
        .filter(|(_, spread)| spread.is_none())
        .map(|&(name, _)| name)
        .collect();
    (moving, flat)
}

/// The rows the chart draws: with `--outcome`, all of them; without, at
/// most [`MAX_CHARTED`] outcomes, those that move most first, so that the
/// chart stays readable (one panel per outcome).
fn charted(rows: &[SweepRow], named: bool) -> Vec<SweepRow> {
    if named {
        return rows.to_vec();
    }
    let (moving, flat) = moving_and_flat(rows);
    moving
        .iter()
        .map(|&(name, _)| name)
        .chain(flat)
        .take(MAX_CHARTED)
        .flat_map(|name| rows.iter().filter(move |r| r.outcome == name))
        .cloned()
        .collect()
}

/// The most outcomes the chart of a sweep without `--outcome` shows.
const MAX_CHARTED: usize = 6;

/// The flat outcomes named in the line under the table; the rest are counted.
const MAX_FLAT_NAMES: usize = 12;

/// The sweep for people: per scenario and outcome, one line per value.
fn sweep_table(rows: &[SweepRow]) -> String {
    let mut table = vec![
        ["scenario", "outcome", "value", "p", "90% interval"]
            .map(String::from)
            .to_vec(),
    ];
    let mut groups: Vec<(&str, &str)> = Vec::new();
    for row in rows {
        let key = (row.scenario.as_str(), row.outcome.as_str());
        if !groups.contains(&key) {
            groups.push(key);
        }
    }
    for (i, (scenario, outcome)) in groups.into_iter().enumerate() {
        if i > 0 {
            table.push(Vec::new());
        }
        for row in rows
            .iter()
            .filter(|r| r.scenario == scenario && r.outcome == outcome)
        {
            table.push(vec![
                scenario.to_string(),
                outcome.to_string(),
                format!("{}", row.value),
                output::maybe(row.p_mean),
                output::interval(row.p_q05, row.p_q95),
            ]);
        }
    }
    output::columns(&table, "llrrl", 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_include_hi_and_are_rounded_to_the_decimals_written() {
        let values = parse_values("0:1:0.1").expect("valid");
        assert_eq!(values.len(), 11);
        assert_eq!(values[3], 0.3);
        assert_eq!(values[10], 1.0);
        assert_eq!(parse_values("0.2:0.6:0.05").expect("valid").len(), 9);
        assert_eq!(
            parse_values("-1:1:0.5").expect("valid"),
            [-1.0, -0.5, 0.0, 0.5, 1.0]
        );
        assert_eq!(parse_values("5:5:1").expect("valid"), [5.0]);
        // HI not on the grid: the last value is below it.
        assert_eq!(
            parse_values("0:1:0.3").expect("valid"),
            [0.0, 0.3, 0.6, 0.9]
        );
        // Scientific forms are not rounded.
        assert_eq!(parse_values("0:2e-3:1e-3").expect("valid").len(), 3);
        assert_eq!(parse_values("0:999:1").expect("valid").len(), 1000);
    }

    #[test]
    fn bad_values_are_bad_input() {
        for text in [
            "0:1",
            "0:1:0",
            "0:1:-0.1",
            "1:0:0.1",
            "0:1000:1",
            "a:1:0.1",
            "NaN:1:0.1",
            "0:inf:1",
            "0:1:1:1",
        ] {
            let failure = parse_values(text).expect_err(text);
            assert_eq!(failure.status, 2, "{text}");
        }
    }
}
