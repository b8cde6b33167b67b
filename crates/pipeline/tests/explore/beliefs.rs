//! The beliefs' controls, which the page's script builds from its data:
//! after load each uncertain parameter has its fieldset, the very markup the
//! page once wrote as HTML (legend, doc, histogram, the prior's interval as
//! the report writes numbers, two sliders), the first ones before "More
//! beliefs" and the others inside it; a screen reader hears each slider
//! named by its label and each belief by its legend; and moving a slider
//! by the keyboard, one under "More beliefs" too, restricts its belief.

use uchronia_model::Param;
use uchronia_report::format::number;
use uchronia_report::summary::escape::html;

use super::webdriver::{ARROW_LEFT, ARROW_RIGHT, Browser};
use super::{check_page, run};

/// A parameter's fieldset as page.rs wrote it before the script built it
/// (without the line breaks between its elements, which show nothing).
fn written(param: &Param) -> String {
    let name = html(&param.name);
    let legend = match param.label.as_deref().filter(|l| *l != param.name) {
        Some(label) => html(label),
        None => format!("<code>{name}</code>"),
    };
    let doc = (param.doc.as_deref()).map_or(String::new(), |d| {
        format!("<p class=\"doc\">{}</p>", html(d))
    });
    let slider = |word: &str, start: u32, bound: &str| {
        format!(
            "<label class=\"slider\"><span>{word}</span> <input type=\"range\" min=\"0\" max=\"1000\" step=\"10\" value=\"{start}\" data-param=\"{name}\" data-bound=\"{bound}\"></label>"
        )
    };
    format!(
        "<fieldset class=\"belief\" data-belief=\"{name}\"><legend>{legend}</legend>{doc}<svg class=\"hist\" data-hist=\"{name}\" viewBox=\"0 0 300 48\" preserveAspectRatio=\"none\" aria-hidden=\"true\"></svg><p class=\"prior\">prior 90%: {} to {}; you keep: <output data-range=\"{name}\">any value</output></p>{}{}</fieldset>",
        number(param.dist.quantile(0.05)),
        number(param.dist.quantile(0.95)),
        slider("lowest", 0, "lo"),
        slider("highest", 1000, "hi"),
    )
}

/// Each fieldset on the page, in document order: its parameter, whether it
/// is under "More beliefs", and its markup as the browser serialises it,
/// less what the script adds after building it (the histogram's bars, the
/// sliders' `aria-valuetext`); `written` is parsed and serialised by the
/// same browser, so that the two compare as DOM trees; `order`, the
/// parameters the page's data puts first and under "More beliefs".
const BUILT: &str = r#"
const serialised = el => {
  const copy = el.cloneNode(true);
  copy.querySelector('svg').replaceChildren();
  for (const input of copy.querySelectorAll('input')) input.removeAttribute('aria-valuetext');
  return copy.outerHTML;
};
const built = Array.from(document.querySelectorAll('fieldset')).map(f =>
  [f.dataset.belief, f.closest('details.more') !== null, serialised(f), f.classList.contains('restricted'),
   f.querySelector('output').textContent]);
const template = document.createElement('template');
template.innerHTML = WRITTEN.join('');
const data = JSON.parse(document.getElementById('explore-data').textContent);
const names = list => list.map(i => data.params[i].name);
return { built: built, written: Array.from(template.content.children).map(f => f.outerHTML),
  order: [names(data.beliefs.first), names(data.beliefs.more)],
  summary: document.querySelector('details.more > summary').textContent };
"#;

#[test]
fn the_script_builds_every_belief_as_the_page_once_wrote_it() {
    let run = run();
    let params = &run.model.loaded.model.params;
    let url = format!("file://{}", run.out.join("explore.html").display());
    let browser = Browser::start();
    browser.open(&url);
    let written: Vec<String> = params.iter().map(written).collect();
    let script = BUILT.replace("WRITTEN", &serde_json::to_string(&written).expect("JSON"));
    let page = browser.run(&script);

    // The order the data gives: the parameters that matter, then the
    // others; `k`, fixed, has no control.
    let order: [Vec<String>; 2] = serde_json::from_value(page["order"].clone()).expect("names");
    let [first, more] = &order;
    assert!(
        first.contains(&"p_war".into()) && first.contains(&"p_turn".into()),
        "{order:?}"
    );
    assert!(more.contains(&"p_noise".into()), "{order:?}");
    let mut all: Vec<&str> = first.iter().chain(more).map(String::as_str).collect();
    all.sort();
    let uncertain = [
        "big",
        "huge",
        "p_noise",
        "p_turn",
        "p_war",
        "tiny",
        "year_doubt",
    ];
    assert_eq!(all, uncertain);
    assert_eq!(page["summary"], format!("More beliefs ({})", more.len()));

    // Each fieldset where the order puts it, and as the page wrote it.
    let built = page["built"].as_array().expect("fieldsets");
    let shown: Vec<(&str, bool)> = (built.iter())
        .map(|f| (f[0].as_str().expect("a name"), f[1] == true))
        .collect();
    let wanted: Vec<(&str, bool)> = (first.iter().map(|n| (n.as_str(), false)))
        .chain(more.iter().map(|n| (n.as_str(), true)))
        .collect();
    assert_eq!(shown, wanted, "the fieldsets, in order");
    let written = page["written"].as_array().expect("parsed");
    for f in built {
        let name = f[0].as_str().expect("a name");
        let id = params.iter().position(|p| p.name == name).expect("a param");
        assert_eq!(f[2], written[id], "{name}'s fieldset");
    }
    // The legend, doc and prior of a labelled parameter, and the numbers
    // of the other branches of `number`, spelled out.
    let markup = |name: &str| {
        let f = built.iter().find(|f| f[0] == name).expect("a fieldset");
        f[2].as_str().expect("markup").to_string()
    };
    assert!(
        markup("p_war").contains(
            "<legend>Chance of &lt;i&gt;war&lt;/i&gt; &amp; more</legend><p class=\"doc\">Chance of war.</p>"
        ),
        "{}",
        markup("p_war")
    );
    assert!(markup("p_war").contains("prior 90%: 0.1400 to 0.8600;"));
    assert!(markup("year_doubt").contains("<legend><code>year_doubt</code></legend><svg"));
    assert!(markup("year_doubt").contains("prior 90%: 1937.2 to 1938.8;"));
    assert!(markup("big").contains("prior 90%: 1,100,000 to 2,900,000;"));
    assert!(markup("tiny").contains("prior 90%: 1.100e-6 to 2.900e-6;"));
    assert!(markup("huge").contains("prior 90%: 1.000e15 to 1.002e15;"));

    // Named as before: each slider by its label, each belief by its legend.
    let lo = "input[data-param=\"p_war\"][data-bound=\"lo\"]";
    assert_eq!(browser.label(lo), "lowest");
    assert_eq!(
        browser.label("input[data-param=\"p_war\"][data-bound=\"hi\"]"),
        "highest"
    );
    assert_eq!(
        browser.label("fieldset[data-belief=\"p_war\"]"),
        "Chance of <i>war</i> & more"
    );
    assert_eq!(browser.label("fieldset[data-belief=\"p_turn\"]"), "p_turn");

    // A slider moved by the keyboard restricts its belief, and one under
    // "More beliefs" too, once the list is open.
    browser.keys(lo, &ARROW_RIGHT.repeat(3));
    browser.click("details.more > summary");
    browser.keys(
        "input[data-param=\"p_noise\"][data-bound=\"hi\"]",
        &ARROW_LEFT.repeat(2),
    );
    let moved = check_page(&browser, &run, "sliders built by the script");
    let hash = moved["hash"].as_str().expect("a fragment");
    assert!(
        hash.contains("p_war=0.") && hash.contains("p_noise=..0."),
        "{hash}"
    );
    let page = browser.run(&script);
    for f in page["built"].as_array().expect("fieldsets") {
        let restricted = ["p_war", "p_noise"].contains(&f[0].as_str().expect("a name"));
        assert_eq!(f[3] == true, restricted, "{} outlined", f[0]);
        let output = f[4].as_str().expect("the range");
        assert_eq!(output == "any value", !restricted, "{}: {output}", f[0]);
    }
}
