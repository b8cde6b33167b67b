//! The summaries: complete (every scenario and outcome, the claims, the
//! command), the HTML referring to nothing outside its folder (nothing
//! outside itself with `--standalone`), and proof against hostile text in
//! models and claims files.

use super::*;
use crate::testing::{Fixture, HOSTILE, hostile};

fn render_all(fixture: &Fixture) -> (String, String, String) {
    render(fixture, false)
}

/// The three summaries; `standalone`: with the charts inlined in the HTML.
fn render(fixture: &Fixture, standalone: bool) -> (String, String, String) {
    let mut report = fixture.report();
    report.standalone = standalone;
    let dir = tempfile::tempdir().expect("temp dir");
    let charts = crate::charts::write_all(dir.path(), &report).expect("charts");
    write_all(dir.path(), &report, &charts).expect("summaries");
    let read = |file: &str| std::fs::read_to_string(dir.path().join(file)).expect("written");
    (
        read("summary.md"),
        read("summary.bbcode"),
        read("summary.html"),
    )
}

#[test]
fn the_summary_names_every_scenario_outcome_and_chart_and_the_command() {
    let fixture = Fixture::plain();
    let (md, bbcode, html) = render_all(&fixture);
    for text in [&md, &bbcode, &html] {
        for scenario in &fixture.model.scenarios {
            assert!(
                text.contains(&scenario.name.replace('_', r"\_")) || text.contains(&scenario.name)
            );
        }
        for outcome in &fixture.model.outcomes {
            assert!(text.contains(&outcome.name), "{} missing", outcome.name);
        }
        assert!(text.contains("--seed 7"));
        assert!(text.contains(&"ab".repeat(32)), "the model's sha256");
        assert!(text.contains("contradicted"), "the claims' verdicts");
    }
    for chart in [
        "outcomes.png",
        "difference.png",
        "uncertainty.png",
        "crisis_start.png",
        "claims.png",
    ] {
        assert!(
            md.contains(&format!("]({chart})")),
            "{chart} embedded in summary.md"
        );
        assert!(
            bbcode.contains(&format!("[img]{chart}[/img]")),
            "{chart} in summary.bbcode"
        );
    }
    assert!(md.contains("| `crisis_happens` |"), "a results table row");
    assert!(md.contains("### reform\\_forced"), "a section per scenario");
    assert!(md.contains("sources cited | 2"), "two distinct sources");
}

#[test]
fn without_claims_the_claims_section_says_so() {
    let mut fixture = Fixture::plain();
    fixture.claims.clear();
    let (md, bbcode, html) = render_all(&fixture);
    for text in [md, bbcode, html] {
        assert!(text.contains("No claims"), "{text}");
    }
}

#[test]
fn the_html_file_links_the_charts_beside_it_and_nothing_else() {
    let fixture = Fixture::plain();
    let report = fixture.report();
    let dir = tempfile::tempdir().expect("temp dir");
    let charts = crate::charts::write_all(dir.path(), &report).expect("charts");
    write_all(dir.path(), &report, &charts).expect("summaries");
    let html = std::fs::read_to_string(dir.path().join("summary.html")).expect("written");
    for external in [
        "src=\"http",
        "src=\"/",
        "src=\"data:",
        "href=",
        "url(",
        "<script",
    ] {
        assert!(!html.contains(external), "summary.html contains {external}");
    }
    // Every image is a chart of the folder, by its plain file name.
    let sources: Vec<&str> = html
        .split("<img ")
        .skip(1)
        .filter_map(|img| img.split("src=\"").nth(1)?.split('"').next())
        .collect();
    assert_eq!(sources.len(), charts.len());
    for (source, chart) in sources.iter().zip(&charts) {
        assert_eq!(*source, chart.file);
        assert!(dir.path().join(source).is_file(), "{source} is beside it");
    }
    assert!(
        html.contains("img-src 'self' file: data:"),
        "the policy lets them load"
    );
}

#[test]
fn the_standalone_html_file_refers_to_nothing_outside_itself() {
    let (_, _, html) = render(&Fixture::plain(), true);
    for external in [
        "src=\"http",
        "href=",
        "url(",
        "<script",
        "<link",
        "@import",
        "<iframe",
    ] {
        assert!(!html.contains(external), "summary.html contains {external}");
    }
    let images = html.matches("<img ").count();
    assert_eq!(images, html.matches("src=\"data:image/png;base64,").count());
    assert!(images >= 5, "{images} inlined charts");
    assert!(html.contains("img-src data:;"), "{html}");
}

/// Occurrences of `needle` in `haystack` that are not preceded by a backslash.
fn unescaped(haystack: &str, needle: &str) -> usize {
    haystack
        .match_indices(needle)
        .filter(|(at, _)| !haystack[..*at].ends_with('\\'))
        .count()
}

#[test]
fn hostile_text_in_models_and_claims_is_inert_in_every_format() {
    let fixture = Fixture::new(&hostile(), &hostile(), &[]);
    let (md, bbcode, html) = render(&fixture, true);

    // HTML: no tag, attribute or link from the text, only its escaped form.
    for needle in [
        "<script",
        "<img src=x",
        "onerror=alert(1)>",
        "javascript:alert(1))\"",
    ] {
        assert!(!html.contains(needle), "summary.html contains {needle}");
    }
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;"));
    assert_eq!(
        html.matches("<img ").count(),
        html.matches("src=\"data:image/png;base64,").count()
    );

    // Markdown: no raw HTML, and no bracket or parenthesis that could make a link.
    assert!(!md.contains('<'), "no raw HTML at all");
    for needle in ["](javascript", "[url=", "[/url]", "<img", "<script"] {
        assert_eq!(unescaped(&md, needle), 0, "summary.md has {needle}");
    }
    // The only links are the charts'.
    let links = unescaped(&md, "](");
    assert_eq!(
        links,
        md.matches(".png)\n").count(),
        "every link is a chart"
    );
    assert!(md.contains(r"\[url=http://evil\]x\[/url\]"));
    assert!(md.contains("&lt;script&gt;"));
    // No table row was broken: every table line has the same number of cells as its header.
    for table in md.split("\n\n").filter(|b| b.starts_with('|')) {
        let cells =
            |line: &str| line.len() - line.replace('|', "").len() - line.matches(r"\|").count();
        let mut lines = table.lines();
        let header = cells(lines.next().expect("a header"));
        assert!(
            lines.all(|line| cells(line) == header),
            "a broken table:\n{table}"
        );
    }

    // BBCode: the only tags are ours.
    let allowed = [
        "b", "/b", "size=150", "/size", "table", "/table", "tr", "/tr", "td", "/td", "list",
        "/list", "*", "quote", "/quote", "img", "/img", "code", "/code",
    ];
    for tag in bbcode
        .split('[')
        .skip(1)
        .map(|rest| rest.split(']').next().unwrap_or(""))
    {
        assert!(allowed.contains(&tag), "summary.bbcode has a tag [{tag}]");
    }
    assert!(bbcode.contains("［url=http://evil］x［/url］"));
    for text in HOSTILE {
        assert!(!bbcode.contains(text) || !text.contains('['), "{text}");
    }
}
