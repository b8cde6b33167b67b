//! Tests of the explore page's making: the draws it carries, how numbers
//! are packed, its Content-Security-Policy, its escaping of hostile text
//! and which parameters become controls, with what words (the script
//! builds the controls from them). The page's behaviour in a browser
//! is tested end to end in `crates/pipeline/tests/explore/`.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::Value;
use uchronia_claims::VerdictRules;

use super::page::{SCRIPT, STYLE, csp_hash, render};
use super::*;
use crate::testing::{Fixture, HOSTILE, hostile};

fn explore(fixture: &Fixture) -> Explore<'_> {
    Explore {
        full_model: &fixture.model,
        full_tally: &fixture.tally,
        claims: fixture.claims.iter().map(|_| Vec::new()).collect(),
        claim_events: Vec::new(),
        verdicts: Some(VerdictRules {
            supported: 0.75,
            contradicted: 0.25,
        }),
    }
}

/// The text between `open` and the next `close` after it.
fn between<'a>(text: &'a str, open: &str, close: &str) -> &'a str {
    let start = text.find(open).expect("the opening") + open.len();
    let end = text[start..].find(close).expect("the closing") + start;
    &text[start..end]
}

fn page_and_data(fixture: &Fixture) -> (String, Value) {
    let report = fixture.report();
    let page = render(&report, &explore(fixture));
    let json = between(
        &page,
        "<script type=\"application/json\" id=\"explore-data\">",
        "</script>",
    );
    let data = serde_json::from_str(json).expect("the data block is JSON");
    (page, data)
}

#[test]
fn a_subset_is_evenly_spread_and_only_beyond_the_cap() {
    assert_eq!(subset(3), [0, 1, 2]);
    assert_eq!(subset(MAX_DRAWS).len(), MAX_DRAWS);
    let picked = subset(3 * MAX_DRAWS + 1);
    assert_eq!(picked.len(), MAX_DRAWS);
    assert_eq!(picked[..3], [0, 3, 6]);
    assert!(
        picked
            .windows(2)
            .all(|w| w[1] - w[0] == 3 || w[1] - w[0] == 4)
    );
    assert_eq!(
        picked,
        subset(3 * MAX_DRAWS + 1),
        "the same for the same run"
    );
}

/// The little-endian bytes of a packed array (`key`, `width` bytes a
/// value): inflated, then taken out of their byte planes.
fn unpacked(spec: &serde_json::Value, key: &str, width: usize) -> Vec<u8> {
    let deflated = STANDARD
        .decode(spec[key].as_str().expect("a packed array"))
        .expect("base64");
    let planes = miniz_oxide::inflate::decompress_to_vec(&deflated).expect("raw deflate");
    let n = planes.len() / width;
    (0..n)
        .flat_map(|i| (0..width).map(move |b| (i, b)))
        .map(|(i, b)| planes[b * n + i])
        .collect()
}

/// The numbers of a [`counts`] array, as the page decodes them.
fn counted(spec: &Value) -> Vec<u64> {
    if let Some(all) = spec.get("all") {
        return vec![all.as_u64().expect("a count")];
    }
    if spec.get("u16z").is_some() {
        let bytes = unpacked(spec, "u16z", 2);
        return (bytes.chunks(2))
            .map(|b| u64::from(u16::from_le_bytes(b.try_into().expect("2 bytes"))))
            .collect();
    }
    let bytes = unpacked(spec, "u32z", 4);
    (bytes.chunks(4))
        .map(|b| u64::from(u32::from_le_bytes(b.try_into().expect("4 bytes"))))
        .collect()
}

/// Parameter values as the page's script decodes them (`gridValue` in
/// explore.js): the same operations on the same f64s.
fn grid_values(spec: &Value) -> Vec<f64> {
    let dec = &spec["decimal"];
    let digits = dec["digits"].as_u64().expect("digits") as usize;
    let per_decade = keys_per_decade(digits);
    let first = 10i64.pow(digits as u32 - 1);
    let e0 = dec["e0"].as_i64().expect("e0");
    let offset = dec["offset"].as_i64().expect("offset");
    (counted(&dec["keys"]).into_iter())
        .map(|u| {
            let key = u as i64 + offset;
            if key == 0 {
                return 0.0;
            }
            let k = key.abs() - 1;
            let e = e0 + k / per_decade;
            let code = k % per_decade;
            let m = (first + code / 2) as f64;
            let ten = |n: i64| 10f64.powi(n as i32);
            let v = match (code % 2 == 0, e < 0) {
                (true, true) => m / ten(-e),
                (true, false) => m * ten(e),
                (false, true) => (2.0 * m + 1.0) / (2.0 * ten(-e)),
                (false, false) => (2.0 * m + 1.0) * ten(e) / 2.0,
            };
            if key < 0 { -v } else { v }
        })
        .collect()
}

#[test]
fn parameter_values_keep_every_comparison_with_a_four_digit_bound() {
    // Values off the grid, on it (0.5, 0.1234 as read), negative, zero,
    // across decades, and next to grid points.
    let mut values = vec![
        0.5,
        "0.1234".parse().expect("a number"),
        0.123_449_999,
        0.123_450_001,
        -0.002_718_28,
        0.0,
        3.172_839_506_172_839,
        9_999.5,
        1e-7,
        12_345_678.9,
        0.099_999_9,
    ];
    values.extend((0..200).map(|i| 0.05 + f64::from(i) * 0.004_567_891));
    let spec = decimal_keys(&values).expect("finite values");
    let back = grid_values(&spec);
    assert_eq!(back.len(), values.len());
    assert_eq!(back[0], 0.5, "a value on the grid comes back exactly");
    assert_eq!(back[1], values[1]);
    assert_eq!(back[5], 0.0);
    // Every bound with four significant digits (or fewer) near each value:
    // the page keeps a draw exactly when the run's value would be kept.
    for (&v, &b) in values.iter().zip(&back) {
        if v == 0.0 {
            continue;
        }
        let near: f64 = format!("{v:.3e}").parse().expect("a number");
        let step = 10f64.powi(v.abs().log10().floor() as i32 - 3);
        for k in -3..=3 {
            let text = format!("{:.3e}", near + f64::from(k) * step);
            let bound: f64 = text.parse().expect("a bound");
            assert_eq!(v >= bound, b >= bound, "{v} against {text}");
            assert_eq!(v <= bound, b <= bound, "{v} against {text}");
        }
        // Never further off than half a unit of the fourth digit.
        assert!(
            (v - b).abs() <= 0.5 * step * 1.000_001,
            "{v} came back as {b}"
        );
    }
    // Keys are small numbers: two bytes each for values within a decade or so.
    let one_decade: Vec<f64> = (0..1000)
        .map(|i| 0.1 + f64::from(i) * 0.000_873_1)
        .collect();
    let spec = decimal_keys(&one_decade).expect("finite values");
    assert!(spec["decimal"]["keys"].get("u16z").is_some(), "{spec}");
    assert_eq!(spec["decimal"]["digits"], 4);
    // Years that differ within a year get the digits their histogram needs,
    // and still keep every comparison with a four-digit bound.
    let years: Vec<f64> = (0..1000)
        .map(|i| 1938.0 + f64::from(i) * 0.002_501_3)
        .collect();
    let spec = decimal_keys(&years).expect("finite values");
    assert_eq!(
        spec["decimal"]["digits"], 7,
        "a step of 0.001 for a span of 2.5"
    );
    let back = grid_values(&spec);
    for (v, b) in years.iter().zip(&back) {
        assert!((v - b).abs() <= 0.000_5 * 1.000_001, "{v} came back as {b}");
        for bound in [1938.0, 1939.0] {
            assert_eq!(*v >= bound, *b >= bound, "{v} against {bound}");
            assert_eq!(*v <= bound, *b <= bound, "{v} against {bound}");
        }
    }
    // What the grid cannot carry falls back to 32-bit floats.
    assert!(decimal_keys(&[0.5, f64::NAN]).is_none());
    assert!(decimal_keys(&[0.5, 1e300]).is_none());
}

#[test]
fn counts_take_the_narrowest_exact_form() {
    assert_eq!(counts(&[7, 7, 7]), serde_json::json!({ "all": 7 }));
    let small = counts(&[1, 65_535]);
    assert_eq!(unpacked(&small, "u16z", 2), [1, 0, 255, 255]);
    let large = counts(&[1, 65_536]);
    assert_eq!(unpacked(&large, "u32z", 4), [1, 0, 0, 0, 0, 0, 1, 0]);
    let huge = counts(&[1, 1 << 40]);
    assert_eq!(
        unpacked(&huge, "f64z", 1)[8..],
        ((1u64 << 40) as f64).to_le_bytes()
    );
}

#[test]
fn packed_arrays_are_byte_planes_deflated_and_smaller_for_smooth_values() {
    // Two values of two bytes: planes [low, low, high, high].
    let spec = packed("u16z", vec![1, 2, 3, 4], 2);
    let deflated = STANDARD
        .decode(spec["u16z"].as_str().expect("packed"))
        .expect("base64");
    let planes = miniz_oxide::inflate::decompress_to_vec(&deflated).expect("raw deflate");
    assert_eq!(planes, [1, 3, 2, 4]);
    // 1,000 probabilities near 0.3 as 64-bit floats: well under the 8,000
    // plain bytes (base64 adds a third).
    let values: Vec<f64> = (0..1000).map(|i| 0.3 + f64::from(i % 97) * 1e-4).collect();
    let spec = floats(values.iter().copied());
    let text = spec["f64z"].as_str().expect("packed");
    assert!(text.len() < 8000, "{} base64 characters", text.len());
    let back: Vec<f64> = unpacked(&spec, "f64z", 1)
        .chunks(8)
        .map(|b| f64::from_le_bytes(b.try_into().expect("8 bytes")))
        .collect();
    assert_eq!(back, values);
}

#[test]
fn the_policy_allows_exactly_the_pages_own_script_and_style() {
    let (page, _) = page_and_data(&Fixture::plain());
    let policy = between(
        &page,
        "http-equiv=\"Content-Security-Policy\" content=\"",
        "\"",
    );
    assert!(policy.starts_with("default-src 'none';"), "{policy}");
    let script = between(&page, "<script>", "</script>");
    let style = between(&page, "<style>", "</style>");
    assert_eq!((script, style), (SCRIPT, STYLE));
    assert!(policy.contains(&format!("script-src {};", csp_hash(script))));
    assert!(policy.contains(&format!("style-src {};", csp_hash(style))));
    assert_eq!(page.matches("<script").count(), 2, "the data and the code");
    assert!(!page.contains("style=\""), "no inline style attribute");
    // The one address in the page is SVG's namespace, a name, not a request.
    let page = page.replace("\"http://www.w3.org/2000/svg\"", "");
    for request in [
        "http:", "https:", "src=", "href=", "url(", "@import", "fetch(",
    ] {
        assert!(!page.contains(request), "{request} in the page");
    }
    // The SHA-256 of "abc", as the CSP writes it.
    assert_eq!(
        csp_hash("abc"),
        "'sha256-ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0='"
    );
}

#[test]
fn hostile_text_is_escaped_as_in_the_summaries() {
    let fixture = Fixture::new(&hostile(), &hostile(), &["crisis_happens"]);
    let (page, _) = page_and_data(&fixture);
    for text in HOSTILE {
        let escaped = crate::summary::escape::html(text);
        assert!(page.contains(&escaped), "{escaped} missing");
    }
    assert!(!page.contains("<script>alert"));
    assert!(!page.contains("<img"));
    let data = between(&page, "id=\"explore-data\">", "</script>");
    assert!(
        !data.contains(['<', '>', '&']),
        "the data block cannot end early"
    );
}

#[test]
fn the_data_holds_every_draw_and_the_controls() {
    let fixture = Fixture::plain();
    let (page, data) = page_and_data(&fixture);
    let draws = fixture.tally.scenarios[0].draws.len();
    assert_eq!(data["draws"].as_u64(), Some(draws as u64));
    assert_eq!(data["outcomes"], serde_json::json!(["crisis_happens"]));
    let scenarios = data["scenarios"].as_array().expect("scenarios");
    assert_eq!(scenarios.len(), fixture.tally.scenarios.len());
    // `support` (parameter 0) drives a headline outcome beyond the noise
    // bound (and drives a claim): it comes first; `base_year` (1) does
    // neither: it is under "More beliefs".
    assert_eq!(
        data["beliefs"],
        serde_json::json!({ "first": [0], "more": [1] })
    );
    assert!(
        page.contains("<details class=\"more\"><summary>More beliefs (1)</summary>\n</details>")
    );
    // Every parameter value, on the grid of four significant digits: within
    // half a unit of its fourth digit.
    let first = grid_values(&data["params"][0]["values"]);
    let reference = &fixture.tally.scenarios[0];
    assert_eq!(first.len(), reference.draws.len());
    for (got, draw) in first.iter().zip(&reference.draws) {
        let v = draw.params[0];
        let step = 10f64.powi(v.abs().log10().floor() as i32 - 3);
        assert!(
            (got - v).abs() <= 0.5 * step * 1.000_001,
            "{v} came back as {got}"
        );
    }
}

#[test]
fn beyond_the_cap_the_page_carries_a_subset_and_says_so() {
    let mut fixture = Fixture::plain();
    let draws = 2 * MAX_DRAWS + 1;
    for scenario in &mut fixture.tally.scenarios {
        let first = scenario.draws.clone();
        scenario.draws = (0..draws)
            .map(|i| {
                let mut draw = first[i % first.len()].clone();
                draw.index = i as u64;
                draw
            })
            .collect();
    }
    fixture.info.draws = draws as u64;
    let (page, data) = page_and_data(&fixture);
    assert_eq!(data["draws"].as_u64(), Some(MAX_DRAWS as u64));
    assert_eq!(data["of"].as_u64(), Some(draws as u64));
    assert!(page.contains("This page carries 5,000 of the run's 10,001 draws"));
    let values = grid_values(&data["params"][0]["values"]);
    assert_eq!(values.len(), MAX_DRAWS);
    // Draw i of the page is draw floor(i * D / MAX_DRAWS) of the run.
    let reference = &fixture.tally.scenarios[0];
    let third = reference.draws[2 * draws / MAX_DRAWS].params[0];
    assert!((values[2] - third).abs() <= 5e-4 * third.abs(), "{third}");
}

#[test]
fn a_world_maps_onto_the_pages_draws_bit_by_bit() {
    let bits = |world: &[usize], positions: &[usize]| {
        STANDARD
            .decode(world_bits(world, positions))
            .expect("base64")
    };
    // Page draws 0, 2 and 5 are run draws 0, 4 and 10: bits 0, 2 and 5.
    assert_eq!(
        bits(&[0, 3, 4, 10, 11], &[0, 2, 4, 6, 8, 10]),
        [0b0010_0101]
    );
    assert_eq!(bits(&[], &[0, 1, 2]), [0]);
    // Beyond the cap, the world of odd run draws is the page draws at odd
    // run positions: floor(i * D / MAX) with D = 3 * MAX + 1.
    let positions = subset(3 * MAX_DRAWS + 1);
    let odd: Vec<usize> = (0..3 * MAX_DRAWS + 1).filter(|d| d % 2 == 1).collect();
    let packed = bits(&odd, &positions);
    assert_eq!(packed.len(), MAX_DRAWS / 8);
    for (i, &position) in positions.iter().enumerate() {
        let bit = packed[i / 8] >> (i % 8) & 1;
        assert_eq!(bit == 1, position % 2 == 1, "page draw {i}");
    }
}

/// A poster whose world is the run draws `world`.
fn poster(author: &str, world: &[usize]) -> uchronia_analysis::crux::Poster {
    uchronia_analysis::crux::Poster {
        author: author.into(),
        claims: vec!["a1".into(), "a<2>".into()],
        kept: 0,
        conflict: None,
        world_claims: vec!["a1".into()],
        world_draws: world.len() as u64,
        world_positions: world.to_vec(),
        draws_needed: None,
        params: Vec::new(),
        world: Vec::new(),
    }
}

#[test]
fn one_preset_per_poster_escaped_with_their_world() {
    let fixture = Fixture::new(&hostile(), &hostile(), &["crisis_happens"]);
    let draws = fixture.tally.scenarios[0].draws.len();
    let crux = uchronia_analysis::crux::Crux {
        draws: draws as u64,
        posters: vec![poster(&hostile(), &[1, 2]), poster("Bob", &[0])],
        pairs: Vec::new(),
    };
    let mut report = fixture.report();
    report.crux = Some(&crux);
    let page = render(&report, &explore(&fixture));
    let author = crate::summary::escape::html(&hostile());
    assert!(page.contains(&format!(
        "<button type=\"button\" data-author=\"{author}\" aria-pressed=\"false\">{author}'s world</button>"
    )));
    assert!(page.contains("data-author=\"Bob\" aria-pressed=\"false\">Bob's world</button>"));
    // Bob's note: the world keeps a1 and leaves out the claim it cannot.
    assert!(page.contains(
        "<p class=\"world\" data-world-note=\"Bob\" hidden>Showing Bob's world: no draw keeps all their claims, so it keeps the draws where the most of them hold together (<code>a1</code>); it leaves out <code>a&lt;2&gt;</code>.</p>"
    ));
    assert!(!page.contains("<script>alert"));
    // A poster none of whose claims holds anywhere: their world is every draw.
    let mut nobody = poster("Cy", &(0..draws).collect::<Vec<_>>());
    nobody.world_claims.clear();
    let mut one_claim = poster("Di", &[0]);
    one_claim.claims.truncate(1);
    let crux = uchronia_analysis::crux::Crux {
        draws: draws as u64,
        posters: vec![nobody, one_claim],
        pairs: Vec::new(),
    };
    report.crux = Some(&crux);
    let other = render(&report, &explore(&fixture));
    assert!(other.contains(
        ">Showing Cy's world: no draw keeps any of their claims (<code>a1</code>, <code>a&lt;2&gt;</code>), so it is every draw.</p>"
    ));
    assert!(
        other.contains(
            ">Showing Di's world: the draws where their claim <code>a1</code> holds.</p>"
        )
    );
    let json = between(&page, "id=\"explore-data\">", "</script>");
    let data: Value = serde_json::from_str(json).expect("JSON");
    let posters = data["posters"].as_array().expect("posters");
    assert_eq!(posters.len(), 2);
    assert_eq!(posters[0]["author"].as_str(), Some(hostile().as_str()));
    let world = |p: &Value| STANDARD.decode(p["world"].as_str().expect("bits"));
    assert_eq!(world(&posters[0]).expect("base64")[0], 0b110);
    assert_eq!(world(&posters[1]).expect("base64")[0], 0b1);

    // Without the crux analysis: no presets.
    let (page, data) = page_and_data(&fixture);
    assert!(!page.contains("data-author=\"") && !page.contains("h-posters"));
    assert_eq!(data["posters"], serde_json::json!([]));
}

#[test]
fn the_controls_are_built_from_the_data_not_written_as_html() {
    let mut fixture = Fixture::plain();
    let (page, data) = page_and_data(&fixture);
    // No control in the HTML: the script builds each one from the data.
    for markup in ["<fieldset", "data-param=", "data-hist=", "class=\"slider\""] {
        assert!(!page.contains(markup), "{markup} in the page's HTML");
    }
    // Each parameter's words: its doc; no label, so none (the legend shows
    // the name as code).
    let support = &data["params"][0];
    assert_eq!(support["name"], "support");
    assert_eq!(support["doc"], "Share of support for the reformer.");
    assert!(support.get("label").is_none(), "{support}");
    // A label that differs from the name is carried, one that repeats it
    // is not; a parameter without a doc carries none.
    fixture.model.params[0].label = Some("Support, in the party".into());
    fixture.model.params[1].label = Some("base_year".into());
    fixture.model.params[1].doc = None;
    let (_, data) = page_and_data(&fixture);
    assert_eq!(data["params"][0]["label"], "Support, in the party");
    assert!(data["params"][1].get("label").is_none());
    assert!(data["params"][1].get("doc").is_none());
    // A parameter fixed at one value gets no control.
    fixture.model.params[1].dist =
        uchronia_model::Dist::new(uchronia_model::DistKind::Fixed, &[1935.0]).expect("a dist");
    let (page, data) = page_and_data(&fixture);
    assert_eq!(
        data["beliefs"],
        serde_json::json!({ "first": [0], "more": [] })
    );
    assert!(page.contains("More beliefs (0)"));
}

#[test]
fn hostile_labels_and_docs_are_carried_as_plain_text() {
    let mut fixture = Fixture::plain();
    fixture.model.params[0].label = Some(format!("{}\n\u{202e}x", hostile()));
    fixture.model.params[0].doc = Some(hostile());
    let (page, data) = page_and_data(&fixture);
    // Cleaned as the summaries clean text (a line break becomes a space, a
    // reordering mark vanishes) but not escaped: the script sets it as
    // text, so `<` reads as `<`.
    assert_eq!(data["params"][0]["label"], format!("{} x", hostile()));
    assert_eq!(data["params"][0]["doc"], hostile());
    let block = between(&page, "id=\"explore-data\">", "</script>");
    assert!(
        !block.contains(['<', '>', '&']),
        "the data block cannot end early"
    );
    assert!(!page.contains("<script>alert") && !page.contains("<img"));
    // The script never parses text as markup.
    for parse in [
        "innerHTML",
        "outerHTML",
        "insertAdjacentHTML",
        "document.write",
    ] {
        assert!(!SCRIPT.contains(parse), "{parse} in the script");
    }
}
