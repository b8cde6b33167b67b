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
    // Every post, one after the other.
    let mut posts = String::new();
    for i in 0.. {
        let file = post::file_name(i);
        if !dir.path().join(&file).exists() {
            break;
        }
        posts.push_str(&read(&file));
    }
    (read("summary.md"), posts, read("summary.html"))
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
            bbcode.contains(&format!(" ({chart}).[/i]")),
            "{chart} in summary.bbcode"
        );
    }
    assert!(md.contains("| `crisis_happens` |"), "a results table row");
    assert!(md.contains("### reform\\_forced"), "a section per scenario");
    assert!(md.contains("sources cited | 2"), "two distinct sources");
    // Neither param cites `judgement`: the count says so, not that it is
    // unknown.
    assert!(
        md.contains("parameters citing the modeller's judgement | 0 of 2 (0 cite nothing else) |"),
        "the judgement count"
    );
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

    // Markdown: no raw HTML, and no bracket that could make a link.
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
        "b", "/b", "i", "/i", "list", "/list", "*", "quote", "/quote", "code", "/code", "/SPOILER",
    ];
    for tag in bbcode
        .split('[')
        .skip(1)
        .map(|rest| rest.split(']').next().unwrap_or(""))
    {
        assert!(
            allowed.contains(&tag) || tag.starts_with("SPOILER="),
            "summary.bbcode has a tag [{tag}]"
        );
    }
    assert!(bbcode.contains("[SPOILER="), "the details are in spoilers");
    assert!(bbcode.contains("［url=http://evil］x［/url］"));
    for text in HOSTILE {
        assert!(!bbcode.contains(text) || !text.contains('['), "{text}");
    }
}

/// Every tag the posts may use: the ones XenForo and phpBB both render,
/// and the spoilers.
fn tags(post: &str) -> Vec<&str> {
    post.split('[')
        .skip(1)
        .map(|rest| rest.split(']').next().unwrap_or(""))
        .collect()
}

#[test]
fn the_opening_says_it_in_short_then_shows_the_headline_table() {
    let (md, bbcode, html) = render_all(&Fixture::plain());
    let short = md.find("**In short.**").expect("an In short paragraph");
    let table = md.find("| outcome |").expect("the headline table");
    let scope = md.find("What the model small says").expect("the scope");
    assert!(short < table && table < scope, "{md}");
    assert!(
        md.contains("the model supports 1, contradicts 1 and leaves 1 contested; 1 undefined.")
    );
    assert!(html.contains("<p><strong>In short.</strong>"));
    let first = bbcode.split("\n\n").nth(1).expect("a second paragraph");
    assert!(first.starts_with("[b]In short.[/b] "), "{first}");
}

#[test]
fn tables_and_claims_show_the_mean_not_the_median() {
    let mut fixture = Fixture::plain();
    // A claim whose median (0.30) and mean (0.25) differ.
    fixture.claims[0].q50 = Some(0.30);
    fixture.claims[0].estimate = Some(0.25);
    let (md, bbcode, _) = render_all(&fixture);
    assert!(md.contains("| 25.0% (20.0% to 40.0%) |"), "{md}");
    assert!(!md.contains("30.0% (20.0% to 40.0%)"));
    assert!(bbcode.contains("model 25.0% (20.0% to 40.0%)"));
    assert!(!md.contains("| median |"), "no median column");
    // A prior-only claim's per-draw value is 0 or 1: the mean, no interval.
    fixture.claims[0].flags.push(Flag::PriorOnly);
    let (md, bbcode, _) = render_all(&fixture);
    assert!(md.contains("| 25.0% |"), "{md}");
    assert!(
        bbcode.contains("model 25.0%;") || bbcode.contains("model 25.0%\n"),
        "{bbcode}"
    );
    assert!(!bbcode.contains("model 25.0% ("), "{bbcode}");
}

#[test]
fn many_long_claims_spill_into_numbered_posts_each_under_the_limit() {
    let mut fixture = Fixture::plain();
    let claims = fixture.claims.clone();
    fixture.claims = (0..300)
        .flat_map(|i| {
            claims.iter().cloned().map(move |mut c| {
                c.id = format!("{}-{i}", c.id);
                c.says = "x".repeat(40);
                c
            })
        })
        .collect();
    let report = fixture.report();
    let posts = post::posts(&report, &[]);
    assert!(posts.len() >= 3, "{} posts", posts.len());
    for (i, text) in posts.iter().enumerate() {
        let size = text.chars().count();
        assert!(size < post::POST_LIMIT, "post {i} has {size} characters");
        let next = post::file_name(i + 1);
        assert_eq!(
            text.contains(&format!("post {next} as a reply")),
            i + 1 < posts.len(),
            "post {i} names the next one only when there is one"
        );
        for tag in tags(text) {
            assert!(
                !tag.starts_with("size") && tag != "table" && tag != "img",
                "[{tag}]"
            );
        }
    }
    // Nothing is lost: every claim is in some post, once.
    let all = posts.concat();
    for c in &fixture.claims {
        assert_eq!(
            all.matches(&format!("[b]{}[/b] (", c.id)).count(),
            1,
            "{}",
            c.id
        );
    }
    assert!(
        all.contains("(1 of "),
        "the claims spoiler is cut into numbered parts"
    );
}

#[test]
fn a_number_the_scenario_sets_is_marked_in_every_headline_table() {
    // reform_forced does `reform = true`: reform_passes is 100% there by
    // assumption, and every table says so; crisis_happens is not marked.
    let fixture = Fixture::new("t", "d", &["reform_passes", "crisis_happens"]);
    let (md, bbcode, html) = render_all(&fixture);
    let note = "Set by the scenario: its own assumption";
    // Markdown escapes the mark.
    for (name, text, cell) in [
        ("md", &md, r"100%\*"),
        ("bbcode", &bbcode, "100%*"),
        ("html", &html, "100%*"),
    ] {
        assert!(text.contains(note), "{name}: {text}");
        assert!(text.contains(cell), "{name}: the marked cell");
    }
    let unmarked = Fixture::new("t", "d", &["crisis_happens"]);
    let (md, bbcode, _) = render_all(&unmarked);
    assert!(!md.contains(note) && !md.contains(r"%\*"), "{md}");
    assert!(!bbcode.contains(note), "{bbcode}");
}

#[test]
fn the_posts_show_each_claims_own_words() {
    let fixture = Fixture::plain();
    let report = fixture.report();
    let all = post::posts(&report, &[]).concat();
    for c in &fixture.claims {
        let quote: String = c.quote.chars().take(40).collect();
        assert!(
            all.contains(&format!("{}: “{quote}", c.author)),
            "{}: {all}",
            c.id
        );
    }
}

#[test]
fn a_scenario_is_described_once_in_the_summary_and_in_the_posts() {
    let fixture = Fixture::plain();
    let (md, bbcode, html) = render_all(&fixture);
    // In the summaries the description opens the scenario's results, so
    // the model's list names the scenario only.
    assert!(md.contains("- `reform_forced`\n"), "{md}");
    assert!(
        md.contains("### reform\\_forced\n\nThe reform passes.\n"),
        "{md}"
    );
    assert!(
        md.contains("what each fixes opens its results below"),
        "{md}"
    );
    assert!(
        !html.contains("reform_forced</code>: The reform passes."),
        "{html}"
    );
    assert!(html.contains("<p>The reform passes.</p>"), "{html}");
    // The posts have no results by scenario: the list keeps it.
    assert!(
        bbcode.contains("reform_forced[/font]: The reform passes.")
            || bbcode.contains("reform_forced: The reform passes."),
        "{bbcode}"
    );
}
