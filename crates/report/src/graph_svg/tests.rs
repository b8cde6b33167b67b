//! The SVG graph: a well-formed XML file (parsed with quick-xml), every
//! vertex drawn with its name, no two boxes overlapping, scenario marks and
//! cut edges as in the DOT text, hostile text escaped, and the same bytes
//! every time.

use quick_xml::Reader;
use quick_xml::events::Event;

use super::*;

const MODEL: &str = r#"
[model]
name = "tiny"
title = "Tiny </svg><script>alert('x')</script> & \"quoted\" ]]> \u0001 end"

[params.support]
doc = "Support </title> & <b>bold</b>, a 'quote' and a bell \u0007."
dist = "beta"
a = 2
b = 2

[params.base]
dist = "uniform"
low = 1930
high = 1940

[nodes.reform]
p = "support"

[nodes.leader]
states = ["reformer", "hardliner"]
[[nodes.leader.table]]
when = "reform"
p = { reformer = 0.7, hardliner = 0.3 }
[[nodes.leader.table]]
p = { reformer = 0.2, hardliner = 0.8 }

[nodes.year]
dist = "normal"
mean = "base"
sd = 2

[nodes.reformer_rules]
value = "leader == 'reformer'"

[outcomes.reformer_leads]
when = "reformer_rules"

[outcomes.crisis_year]
value = "year"
given = "reform"

[scenarios.history]
do = { reform = false }

[scenarios.hardline]
do = { leader = "hardliner" }
set = { support = 0.5 }
"#;

fn model() -> Model {
    uchronia_model::load("tiny.toml", MODEL)
        .expect("the test model is valid")
        .model
}

fn svg(params: bool, scenario: Option<&str>) -> String {
    let model = model();
    let scenario = scenario.map(|name| model.scenario_id(name).expect("a scenario"));
    model_svg(&model, &GraphOptions { params, scenario }).expect("drawn")
}

/// Parses `text` as XML; returns the root's name and the text of every
/// run of characters between tags, entities resolved.
fn parse(text: &str) -> (String, Vec<String>) {
    let mut reader = Reader::from_str(text);
    let mut root = None;
    let mut texts = Vec::new();
    let mut current = String::new();
    let mut depth = 0i32;
    loop {
        let event = reader
            .read_event()
            .unwrap_or_else(|e| panic!("not well-formed at {}: {e}", reader.buffer_position()));
        match &event {
            Event::Text(t) => {
                let raw = String::from_utf8_lossy(t.as_ref()).into_owned();
                current.push_str(&raw);
                continue;
            }
            Event::GeneralRef(r) => {
                // quick-xml 0.39 reports entity references apart from text.
                let name = String::from_utf8_lossy(r.as_ref()).into_owned();
                current.push_str(match name.as_str() {
                    "amp" => "&",
                    "lt" => "<",
                    "gt" => ">",
                    "quot" => "\"",
                    "#39" => "'",
                    other => panic!("unknown entity &{other};"),
                });
                continue;
            }
            _ => {}
        }
        if !current.trim().is_empty() {
            texts.push(std::mem::take(&mut current));
        }
        current.clear();
        match event {
            Event::Start(start) => {
                depth += 1;
                let name = String::from_utf8_lossy(start.name().as_ref()).into_owned();
                root.get_or_insert(name);
            }
            Event::End(_) => depth -= 1,
            Event::Eof => break,
            _ => {}
        }
        assert!(depth >= 0, "more closing tags than opening ones");
    }
    assert_eq!(depth, 0, "unclosed elements");
    (root.expect("a root element"), texts)
}

#[test]
fn the_svg_is_well_formed_and_draws_every_vertex_with_its_name() {
    for (params, scenario) in [(true, None), (false, None), (true, Some("hardline"))] {
        let text = svg(params, scenario);
        let (root, texts) = parse(&text);
        assert_eq!(root, "svg");
        assert!(text.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        let mut names = vec![
            "reform",
            "leader",
            "year",
            "reformer_rules",
            "reformer_leads",
            "crisis_year",
        ];
        if params {
            names.extend(["support", "base"]);
        }
        for name in names {
            assert!(
                texts.iter().any(|t| t == name),
                "no text {name} in {texts:?}"
            );
        }
        // One group per vertex, each with its tooltip.
        let vertices = if params { 8 } else { 6 };
        assert_eq!(text.matches("<g><title>").count(), vertices, "{text}");
        if !params {
            assert!(!texts.iter().any(|t| t == "support"), "{texts:?}");
        }
    }
}

#[test]
fn no_two_boxes_overlap_and_each_edge_is_drawn() {
    let model = model();
    for params in [true, false] {
        let (ids, layout) = layout_of(
            &model,
            &GraphOptions {
                params,
                scenario: None,
            },
        );
        assert_eq!(ids.len(), layout.boxes.len());
        for (i, a) in layout.boxes.iter().enumerate() {
            for (j, b) in layout.boxes.iter().enumerate().skip(i + 1) {
                assert!(!a.overlaps(b), "{} overlaps {}", ids[i], ids[j]);
            }
        }
    }
    // The edges of the DOT text, one path each (arrows are markers).
    let text = svg(true, None);
    let dot = crate::graph::model_dot(
        &model,
        &GraphOptions {
            params: true,
            scenario: None,
        },
    );
    assert_eq!(
        text.matches("marker-end=\"url(#arrow)\"><title>").count(),
        dot.matches(" -> ").count()
    );
    assert!(
        text.contains("<title>support \u{2192} reform</title>"),
        "{text}"
    );
}

#[test]
fn text_fits_inside_its_box() {
    let model = model();
    let options = GraphOptions {
        params: true,
        scenario: None,
    };
    let (ids, layout) = layout_of(&model, &options);
    for (id, b) in ids.iter().zip(&layout.boxes) {
        let name = id.split_once('.').map_or(id.as_str(), |(_, n)| n);
        let width = text_width(name, NAME_SIZE, false);
        assert!(
            width + 2.0 * PAD <= b.width + 1e-9,
            "{id}: text {width} in a box of {}",
            b.width
        );
    }
    // A long name gets a wide box.
    let long = "a_very_long_name_of_an_event_that_happened";
    assert!(text_width(long, NAME_SIZE, false) > text_width("war", NAME_SIZE, false) * 10.0);
}

#[test]
fn a_scenario_marks_its_interventions_and_cuts_their_edges() {
    let text = svg(true, Some("hardline"));
    let (_, texts) = parse(&text);
    assert!(texts.iter().any(|t| t == "= 'hardliner'"), "{texts:?}");
    assert!(texts.iter().any(|t| t == "= 0.5"), "{texts:?}");
    // reform -> leader is cut; support -> reform is not (reform is not set).
    let cut: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("marker-end=\"url(#cut)\"><title>"))
        .collect();
    assert_eq!(cut.len(), 1, "{cut:?}");
    assert!(cut[0].contains("stroke-dasharray"), "{}", cut[0]);
    assert!(cut[0].contains("reform \u{2192} leader"), "{}", cut[0]);
    assert!(text.contains(&format!("fill=\"{SET_FILL}\"")));
    assert!(texts.iter().any(|t| t == "cut by the scenario"));
    // Without a scenario nothing is marked and the legend says nothing of cuts.
    let plain = svg(true, None);
    assert!(!plain.contains(SET_FILL));
    assert!(!plain.contains("url(#cut)\"><title>"));
    assert!(!plain.contains("cut by the scenario"));
}

#[test]
fn hostile_text_is_escaped_and_survives_the_round_trip() {
    let text = svg(true, None);
    assert!(!text.contains("<script>"), "{text}");
    assert!(!text.contains("</title> &"), "{text}");
    assert!(!text.contains('\u{1}') && !text.contains('\u{7}'));
    let (_, texts) = parse(&text);
    assert!(
        texts.iter().any(|t| t
            .starts_with("Tiny </svg><script>alert('x')</script> & \"quoted\" ]]> \u{FFFD} end")),
        "{texts:?}"
    );
    assert!(
        texts.iter().any(|t| t
            .contains("support: Support </title> & <b>bold</b>, a 'quote' and a bell \u{FFFD}.")),
        "{texts:?}"
    );
    assert_eq!(xml("a<b>&\"c'\u{0}"), "a&lt;b&gt;&amp;&quot;c&#39;\u{FFFD}");
}

#[test]
fn the_same_model_gives_the_same_bytes() {
    assert_eq!(svg(true, Some("hardline")), svg(true, Some("hardline")));
    assert_ne!(svg(true, None), svg(false, None));
}

const DATED: &str = r#"
[model]
name = "dated"
title = "Dated"

[params.q]
dist = "uniform"
low = 0
high = 1

[nodes.early]
year = 1920
p = "q"

[nodes.middle]
year = 1925
p = "if(early, 0.5, 0.4)"

[nodes.late_alone]
year = 1930
p = "q"

[nodes.late]
year = [1930, 1932]
p = "if(middle, 0.5, 0.4)"

[nodes.undated]
p = "if(late and late_alone, 0.5, 0.4)"

[outcomes.o]
when = "undated"

[scenarios.base]
"#;

#[test]
fn dated_nodes_are_drawn_as_a_timeline_one_band_per_year() {
    let model = uchronia_model::load("d.toml", DATED).expect("loads").model;
    let options = GraphOptions {
        params: true,
        scenario: None,
    };
    let (ids, layout) = layout_of(&model, &options);
    let top = |id: &str| {
        let i = ids.iter().position(|v| v == id).expect("a vertex");
        layout.boxes[i].y
    };
    // Longest path would put `late_alone` one row below `q`, beside
    // `early`; on the timeline it shares 1930's row with `late`.
    assert_eq!(top("node.late_alone"), top("node.late"));
    assert!(top("node.early") < top("node.middle"));
    assert!(top("node.middle") < top("node.late"));
    assert!(top("node.late") < top("node.undated"));
    // The parameter sits just above its child, in the child's band.
    assert!(top("param.q") < top("node.early"));
    let svg = model_svg(&model, &options).expect("drawn");
    assert!(svg.contains("late (1930-1932)"), "{svg}");
    // The DOT text ranks them by first year, the years down the side.
    let dot = crate::graph::model_dot(&model, &options);
    assert!(
        dot.contains("{ rank=same; \"year.1930\"; \"node.late\"; \"node.late_alone\"; }"),
        "{dot}"
    );
    assert!(
        dot.contains("\"year.1920\" -> \"year.1925\" -> \"year.1930\" [style=invis];"),
        "{dot}"
    );
    // A model without years has no timeline.
    assert!(!crate::graph::model_dot(&model_without_years(), &options).contains("timeline"));
}

fn model_without_years() -> Model {
    model()
}
