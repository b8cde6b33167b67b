//! Shared test fixtures: a small model run for real, and hand-made claims,
//! sensitivity and sweep rows (those analyses are computed elsewhere).

use std::path::Path;
use std::sync::atomic::AtomicBool;

use uchronia_analysis::Summary;
use uchronia_analysis::findings::{
    Against, ClaimSummary, ComparisonRow, Driver, SensitivityRow, SweepRow, Verdict,
};
use uchronia_engine::RunConfig;
use uchronia_engine::tally::Tally;
use uchronia_model::Model;

use crate::{Report, RunInfo};

/// Text a hostile model or claims file might carry.
pub const HOSTILE: [&str; 4] = [
    "<script>alert(1)</script>",
    "[url=http://evil]x[/url]",
    "](javascript:alert(1))",
    "<img src=x onerror=alert(1)>",
];

/// All of [`HOSTILE`] in one string.
pub fn hostile() -> String {
    HOSTILE.join(" ")
}

fn toml_string(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

/// A small model: two parameters, two boolean outcomes, a numeric outcome
/// with `given`, two scenarios; `headline` names the headline outcomes.
pub fn model(title: &str, doc: &str, headline: &[&str]) -> Model {
    let headline: Vec<String> = headline.iter().map(|h| format!("\"{h}\"")).collect();
    let source = format!(
        r#"
[model]
name = "small"
title = {title}
doc = {doc}

[report]
headline = [{headline}]

[params.support]
doc = "Share of support for the reformer."
source = ["known_book", "other_book"]
dist = "beta"
a = 3
b = 7

[params.base_year]
doc = "Year around which a crisis would start."
source = ["known_book"]
dist = "uniform"
low = 1930
high = 1940

[nodes.reform]
doc = "The reform passes."
p = "support"

[nodes.crisis]
doc = "A crisis breaks out."
p = "if(reform, 0.3, 0.6)"

[nodes.crisis_year]
doc = "Year the crisis starts."
dist = "normal"
mean = "base_year"
sd = 2
round = true

[outcomes.reform_passes]
doc = {doc}
when = "reform"

[outcomes.crisis_happens]
doc = "A crisis breaks out."
when = "crisis"

[outcomes.crisis_start]
doc = "Year the crisis starts, where there is one."
value = "crisis_year"
given = "crisis"

[scenarios.history]
doc = {doc}
do = {{ reform = false }}

[scenarios.reform_forced]
doc = "The reform passes."
do = {{ reform = true }}
"#,
        title = toml_string(title),
        doc = toml_string(doc),
        headline = headline.join(", "),
    );
    match uchronia_model::load("small.toml", &source) {
        Ok(loaded) => loaded.model,
        Err(error) => panic!("the fixture model loads: {error}"),
    }
}

/// A model that names what the hand-made table rows of the tests name
/// (`won`, `year`, `support`, `pinned`, `history`, `divergence`), some with
/// a label and some without, for the tables' `label` column.
pub fn labelled() -> Model {
    let source = r#"
[model]
name = "labelled"
title = "Labels"

[params.support]
label = "Support, in the Central Committee"
dist = "beta"
a = 3
b = 7

[params.pinned]
dist = "uniform"
low = 0
high = 1

[nodes.reform]
p = "support"

[outcomes.won]
label = "The reformer wins"
when = "reform"

[outcomes.year]
value = "pinned"

[scenarios.history]
label = "What happened"
do = { reform = false }

[scenarios.divergence]
do = { reform = true }
"#;
    match uchronia_model::load("labelled.toml", source) {
        Ok(loaded) => loaded.model,
        Err(error) => panic!("the labelled model loads: {error}"),
    }
}

/// A run of every scenario of `model`: 40 draws of 500 trials.
pub fn tally(model: &Model) -> Tally {
    let config = RunConfig {
        seed: 7,
        draws: 40,
        trials_per_draw: 500,
        scenarios: (0..model.scenarios.len()).collect(),
        draw_range: 0..40,
        design: Default::default(),
    };
    uchronia_engine::run(model, &config, &|_| {}, &AtomicBool::new(false))
        .expect("the fixture runs")
}

/// What run.json would say of [`tally`].
pub fn info(model: &Model) -> RunInfo {
    RunInfo {
        model: "small.toml".into(),
        model_sha256: "ab".repeat(32),
        seed: 7,
        trials: 20_000,
        draws: 40,
        trials_per_draw: 500,
        design: Default::default(),
        scenarios: model.scenarios.iter().map(|s| s.name.clone()).collect(),
        threads: 1,
        version: "0.1.0".into(),
        elapsed_seconds: 0.25,
        trials_per_second: 160_000.0,
        lexicon: None,
        ex_ante: Vec::new(),
    }
}

/// Four claims, one per verdict, absolute and comparative; `text` goes
/// into the quotes and authors.
pub fn claims(text: &str) -> Vec<ClaimSummary> {
    let claim =
        |id: &str, than: Option<&str>, band: Option<(f64, f64)>, q: [f64; 3], verdict: Verdict| {
            ClaimSummary {
                id: id.into(),
                author: format!("Author {text}"),
                quote: format!("It was bound to happen {text}"),
                scenario: "reform_forced".into(),
                than: than.map(String::from),
                event: "crisis".into(),
                given: None,
                says: if than.is_some() {
                    "less likely".into()
                } else {
                    "likely".into()
                },
                band,
                estimate: Some(q[1]),
                q05: Some(q[0]),
                q50: Some(q[1]),
                q95: Some(q[2]),
                credence: Some(0.8),
                verdict,
                defined_draws: 40,
                undefined_draws: 0,
                drivers: vec![Driver {
                    param: "support".into(),
                    rank_corr: -0.6,
                    holds_when: Some(format!("support < 0.31 {text}")),
                }],
                post: None,
                known_through: None,
                flags: Vec::new(),
                one_belief: None,
            }
        };
    vec![
        claim(
            "crisis_likely",
            None,
            Some((0.55, 0.8)),
            [0.2, 0.3, 0.4],
            Verdict::Contradicted,
        ),
        claim(
            "reform_likely",
            None,
            Some((0.55, 0.8)),
            [0.55, 0.7, 0.9],
            Verdict::Supported,
        ),
        claim(
            "crisis_less_likely",
            Some("history"),
            None,
            [-0.4, -0.3, 0.05],
            Verdict::Contested,
        ),
        ClaimSummary {
            estimate: None,
            q05: None,
            q50: None,
            q95: None,
            credence: None,
            ..claim(
                "never_defined",
                None,
                Some((0.0, 0.1)),
                [0.0; 3],
                Verdict::Undefined,
            )
        },
    ]
}

/// Sensitivity rows for the history scenario: `support` drives
/// crisis_happens beyond the noise bound, `base_year` does not.
pub fn sensitivity() -> Vec<SensitivityRow> {
    let row = |outcome: &str, param: &str, rho: f64, low: f64, high: f64| SensitivityRow {
        scenario: "history".into(),
        outcome: outcome.into(),
        param: param.into(),
        rank_corr: Some(rho),
        swing_low: Some(low),
        swing_high: Some(high),
        first_order: Some(rho * rho),
        ancestor: true,
        significant: rho.abs() > 0.1,
    };
    vec![
        row("crisis_happens", "support", 0.45, 0.5, 0.7),
        row("crisis_happens", "base_year", -0.01, 0.6, 0.6),
        row("crisis_start", "base_year", 0.9, 1931.5, 1938.5),
        row("crisis_start", "support", 0.0, 1935.0, 1935.1),
    ]
}

/// A `matched` comparison row of `scenario` against the baseline the
/// analysis makes for it (`scenario~baseline`): mean difference `diff` on
/// `outcome`, with the 90% interval `diff` ± 0.1.
pub fn matched(scenario: &str, outcome: &str, diff: f64) -> ComparisonRow {
    ComparisonRow {
        scenario: scenario.into(),
        reference: format!("{scenario}~baseline"),
        against: Against::Matched,
        confounders: Vec::new(),
        outcome: outcome.into(),
        diff: Some(diff),
        diff_se: Some(0.01),
        diff_q05: Some(diff - 0.1),
        diff_q95: Some(diff + 0.1),
        ratio: None,
        unpaired_se: None,
    }
}

/// Sweep rows of `support` over two scenarios and two outcomes.
pub fn sweep() -> Vec<SweepRow> {
    let mut rows = Vec::new();
    for (position, scenario) in ["history", "reform_forced"].into_iter().enumerate() {
        for outcome in ["reform_passes", "crisis_happens"] {
            for step in 0..=8 {
                let value = 0.1 + 0.1 * f64::from(step);
                let p = if outcome == "reform_passes" {
                    value
                } else {
                    0.6 - 0.3 * value - 0.1 * position as f64
                };
                rows.push(SweepRow {
                    param: "support".into(),
                    value,
                    scenario: scenario.into(),
                    outcome: outcome.into(),
                    p_mean: Some(p),
                    mc_se: Some(0.005),
                    p_q05: Some((p - 0.08).max(0.0)),
                    p_q50: Some(p),
                    p_q95: Some((p + 0.08).min(1.0)),
                });
            }
        }
    }
    rows
}

/// Everything a report needs, owned.
pub struct Fixture {
    /// The model.
    pub model: Model,
    /// Its run.
    pub tally: Tally,
    /// Its summary.
    pub summary: Summary,
    /// Its run.json.
    pub info: RunInfo,
    /// Claims.
    pub claims: Vec<ClaimSummary>,
    /// Sensitivity rows.
    pub sensitivity: Vec<SensitivityRow>,
    /// Sweep rows.
    pub sweep: Vec<SweepRow>,
    /// Comparison rows, as the analysis computes them from the tally.
    pub comparison: Vec<ComparisonRow>,
}

impl Fixture {
    /// A fixture with `title` and `doc` (and claims carrying `doc`).
    pub fn new(title: &str, doc: &str, headline: &[&str]) -> Fixture {
        let model = model(title, doc, headline);
        let tally = tally(&model);
        let summary = uchronia_analysis::summarize(&model, &tally);
        let info = info(&model);
        let comparison = uchronia_analysis::compare(&model, &tally);
        Fixture {
            comparison,
            claims: claims(doc),
            sensitivity: sensitivity(),
            sweep: sweep(),
            model,
            tally,
            summary,
            info,
        }
    }

    /// A plain fixture: harmless text, one headline outcome.
    pub fn plain() -> Fixture {
        Fixture::new(
            "A small test model",
            "A model for tests (with parentheses).",
            &["crisis_happens"],
        )
    }

    /// The report of everything in the fixture.
    pub fn report(&self) -> Report<'_> {
        let mut report = Report::new(&self.model, &self.tally, &self.summary, &self.info);
        report.claims = &self.claims;
        report.sensitivity = &self.sensitivity;
        report.sweep = &self.sweep;
        report.comparison = &self.comparison;
        report.command =
            "uchronia run small.toml --trials 20000 --draws 40 --seed 7 --out out".into();
        report.parquet = true;
        report
    }
}

/// A decoded PNG: width, height, RGB(A) pixels.
pub struct Image {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// `(r, g, b)` per pixel, row by row.
    pub pixels: Vec<[u8; 3]>,
}

/// Decodes the PNG file at `path`.
pub fn read_png(path: &Path) -> Image {
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut decoder = png::Decoder::new(std::io::BufReader::new(file));
    // Charts are palette images: expanded, their pixels are RGB.
    decoder.set_transformations(png::Transformations::EXPAND);
    let mut reader = decoder.read_info().expect("a PNG header");
    let mut buffer = vec![0; reader.output_buffer_size()];
    let frame = reader.next_frame(&mut buffer).expect("PNG pixels");
    let channels = match frame.color_type {
        png::ColorType::Rgb => 3,
        png::ColorType::Rgba => 4,
        other => panic!("unexpected colour type {other:?}"),
    };
    let pixels = buffer[..frame.buffer_size()]
        .chunks(channels)
        .map(|p| [p[0], p[1], p[2]])
        .collect();
    Image {
        width: frame.width,
        height: frame.height,
        pixels,
    }
}
