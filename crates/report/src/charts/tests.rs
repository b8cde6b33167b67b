//! Every chart is a PNG of the size its content asks for, and not blank:
//! more than one colour, and dark pixels of text. Set
//! `UCHRONIA_CHARTS_TO=DIR` to keep the fixture's charts in DIR and look at
//! them.

use std::path::{Path, PathBuf};

use super::*;
use crate::testing::{Fixture, read_png};

/// A folder for the charts: `UCHRONIA_CHARTS_TO` or a temporary one.
fn folder() -> (Option<tempfile::TempDir>, PathBuf) {
    match std::env::var_os("UCHRONIA_CHARTS_TO") {
        Some(dir) => {
            let dir = PathBuf::from(dir);
            std::fs::create_dir_all(&dir).expect("the folder");
            (None, dir)
        }
        None => {
            let temp = tempfile::tempdir().expect("temp dir");
            let path = temp.path().to_path_buf();
            (Some(temp), path)
        }
    }
}

fn check_png(path: &Path, height: i32) {
    let image = read_png(path);
    assert_eq!(
        (image.width, image.height),
        (WIDTH, height as u32),
        "{}",
        path.display()
    );
    let first = image.pixels[0];
    assert!(
        image.pixels.iter().any(|p| *p != first),
        "{} is blank",
        path.display()
    );
    let dark = image
        .pixels
        .iter()
        .filter(|p| p.iter().all(|&c| c < 80))
        .count();
    assert!(
        dark > 500,
        "{}: {dark} dark pixels, expected text",
        path.display()
    );
    let colourful = image
        .pixels
        .iter()
        .filter(|p| p.iter().max().unwrap_or(&0) - p.iter().min().unwrap_or(&0) > 80)
        .count();
    assert!(colourful > 100, "{}: no coloured marks", path.display());
}

#[test]
fn every_chart_is_a_png_of_its_size_with_text_and_colour() {
    let fixture = Fixture::plain();
    let report = fixture.report();
    let (_keep, dir) = folder();
    let written = write_all(&dir, &report).expect("charts");
    let files: Vec<&str> = written.iter().map(|c| c.file.as_str()).collect();
    assert_eq!(
        files,
        [
            "outcomes.png",
            "difference.png",
            "uncertainty.png",
            "crisis_start.png",
            "outcomes_all.png",
            "claims.png",
            "tornado_crisis_happens.png",
            "sweep_support.png",
        ]
    );
    let width = WIDTH as i32;
    let headline = report.headline_booleans();
    check_png(
        &dir.join("outcomes.png"),
        outcomes::panel(&report, &headline, outcomes::HEADLINE_TITLE).height(width),
    );
    let all = report.boolean_outcomes();
    check_png(
        &dir.join("outcomes_all.png"),
        outcomes::panel(&report, &all, outcomes::ALL_TITLE).height(width),
    );
    let difference = difference::panel(&report).expect("two scenarios");
    check_png(&dir.join("difference.png"), difference.height(width));
    let uncertainty = uncertainty::chart(&report).expect("a boolean outcome");
    check_png(&dir.join("uncertainty.png"), uncertainty.height());
    let numeric = numeric::chart(&report, 2);
    check_png(&dir.join("crisis_start.png"), numeric.height());
    let claims: i32 = claims::panels(&fixture.claims, &fixture.model)
        .iter()
        .map(|p| p.height(width))
        .sum();
    check_png(&dir.join("claims.png"), claims);
    let tornado = &tornado::panels(&report)[0];
    check_png(
        &dir.join("tornado_crisis_happens.png"),
        tornado.panel.height(width),
    );
    let sweep = &sweep::charts(&fixture.sweep, &fixture.model)[0];
    check_png(&dir.join("sweep_support.png"), sweep.height());
}

#[test]
fn row_charts_grow_with_their_rows() {
    let fixture = Fixture::plain();
    let report = fixture.report();
    let width = WIDTH as i32;
    let one = outcomes::panel(&report, &[0], "t").height(width);
    let two = outcomes::panel(&report, &[0, 1], "t").height(width);
    // One more outcome: one more group of two scenario rows.
    assert_eq!(two - one, 2 * style::ROW_HEIGHT + style::GROUP_GAP);
    let claims = claims::panels(&fixture.claims, &fixture.model);
    assert_eq!(claims.len(), 2, "absolute and comparative panels");
    assert_eq!(claims[0].groups.len(), 3);
    assert_eq!(claims[1].groups.len(), 1);
    assert_eq!(claims[1].scale, rows::Scale::Points);
}

#[test]
fn the_difference_chart_shows_the_paired_per_draw_difference() {
    let fixture = Fixture::plain();
    let report = fixture.report();
    let scenarios = report.scenarios();
    let outcome = 1; // crisis_happens: 0.6 in history, 0.3 with the reform forced.
    let d = report
        .difference(&scenarios[1], &scenarios[0], outcome)
        .expect("defined");
    let a = crate::per_draw::boolean_p(scenarios[1].tally, outcome);
    let b = crate::per_draw::boolean_p(scenarios[0].tally, outcome);
    let by_hand: Vec<f64> = a
        .iter()
        .zip(&b)
        .map(|(x, y)| x.1.expect("p") - y.1.expect("p"))
        .collect();
    let mean = by_hand.iter().sum::<f64>() / by_hand.len() as f64;
    assert!((d.mean - mean).abs() < 1e-12);
    // The truth is -0.3; 40 draws of 500 trials: se about 0.03 / sqrt(40)... well within 0.05.
    assert!((d.mean + 0.3).abs() < 0.05, "{}", d.mean);
    assert!(d.q05 <= d.mean && d.mean <= d.q95);
}

#[test]
fn tornados_put_the_widest_swing_on_top() {
    let fixture = Fixture::plain();
    let rows: Vec<&uchronia_analysis::findings::SensitivityRow> = fixture
        .sensitivity
        .iter()
        .filter(|r| r.outcome == "crisis_start")
        .collect();
    let panel = tornado::panel(
        &rows,
        "crisis_start",
        "history",
        Some(1935.0),
        false,
        &fixture.model,
    );
    let labels: Vec<&str> = panel.groups.iter().map(|g| g.label.as_str()).collect();
    assert_eq!(labels, ["base_year", "support"]);
    assert_eq!(panel.scale, rows::Scale::Value);
    assert!(panel.range.0 <= 1931.5 && panel.range.1 >= 1938.5);
}

#[test]
fn file_names_are_safe_and_never_collide_with_the_report_s_own() {
    assert_eq!(stem("great_war_year"), "great_war_year");
    assert_eq!(stem("../x y"), "___x_y");
    assert_eq!(numeric_stem("outcomes"), "numeric_outcomes");
    assert_eq!(numeric_stem("tornado_x"), "numeric_tornado_x");
    assert_eq!(numeric_stem("year"), "year");
}

#[test]
fn a_long_label_is_shortened_to_its_column() {
    let font = style::text(style::LABEL_SIZE, &style::INK);
    let long = "a_very_long_outcome_name_that_goes_on_and_on_and_on_and_on_and_on";
    let short = canvas::fit(long, &font, 200);
    assert!(short.ends_with('…'));
    assert!(font.width(&short) <= 200);
    let lines = canvas::wrap(
        "one two three four five six seven eight nine ten",
        &font,
        120,
        2,
    );
    assert_eq!(lines.len(), 2);
    assert!(lines.iter().all(|l| font.width(l) <= 120), "{lines:?}");
}

#[test]
fn claims_and_sweep_charts_can_be_written_on_their_own() {
    let fixture = Fixture::plain();
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("claims.png");
    write_claims_chart(&path, &fixture.claims, &fixture.model).expect("claims chart");
    let claims: i32 = claims::panels(&fixture.claims, &fixture.model)
        .iter()
        .map(|p| p.height(WIDTH as i32))
        .sum();
    check_png(&path, claims);
    let written =
        write_sweep_charts(dir.path(), &fixture.model, &fixture.sweep).expect("sweep charts");
    assert_eq!(written.len(), 1);
    assert_eq!(written[0].file, "sweep_support.png");
    check_png(
        &dir.path().join("sweep_support.png"),
        sweep::charts(&fixture.sweep, &fixture.model)[0].height(),
    );
}

#[test]
fn outcomes_all_is_split_into_even_pages_a_screen_tall() {
    let ids: Vec<usize> = (0..44).collect();
    // 9 scenarios: 9 rows of 20 pixels and a gap of 14 an outcome, 8 a page.
    let sizes: Vec<usize> = outcomes::pages(&ids, 9).iter().map(|p| p.len()).collect();
    assert_eq!(sizes, [8, 8, 7, 7, 7, 7]);
    let joined: Vec<usize> = outcomes::pages(&ids, 9).concat();
    assert_eq!(joined, ids, "in order, each once");
    // Two scenarios: 29 outcomes a page; a few outcomes stay on one page.
    assert_eq!(outcomes::pages(&ids, 2).len(), 2);
    assert_eq!(outcomes::pages(&ids[..5], 9).len(), 1);
    assert!(outcomes::pages(&[], 9).is_empty());
}

#[test]
fn fourteen_scenarios_get_fourteen_colours_and_the_fifteenth_repeats_the_first() {
    use super::style::scenario_colour;
    let colours: Vec<(u8, u8, u8)> = (0..14)
        .map(|i| {
            let c = scenario_colour(i);
            (c.0, c.1, c.2)
        })
        .collect();
    for (i, a) in colours.iter().enumerate() {
        for b in &colours[i + 1..] {
            assert_ne!(a, b, "{colours:?}");
        }
    }
    let (first, again) = (scenario_colour(0), scenario_colour(14));
    assert_eq!((first.0, first.1, first.2), (again.0, again.1, again.2));
}
