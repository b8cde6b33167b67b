//! The posters' presets in a real browser: pressing one (a real click, and
//! Enter on a focused button) shows that poster's world, and every number
//! on the page is then the tally's over the draws of that world (and of any
//! range set afterwards); a link `#author=NAME` shows it on load; a name
//! that posted nothing is ignored, and the page says so.

use serde_json::Value;
use uchronia_analysis::crux::kept_by;

use super::webdriver::{Browser, ENTER};
use super::{DRAWS, Run, TRIALS_PER_DRAW, check_page, run};

/// The page's preset buttons: author, `aria-pressed`, and the visible
/// world note's text ("" when none is shown).
const PRESETS: &str = r#"
const buttons = Array.from(document.querySelectorAll('button[data-author]'))
  .map(b => [b.dataset.author, b.getAttribute('aria-pressed'), b.textContent]);
const notes = Array.from(document.querySelectorAll('[data-world-note]')).filter(n => !n.hidden);
return { buttons: buttons, note: notes.map(n => n.textContent).join('|'),
  ranges: document.getElementById('ranges').textContent,
  ignored: document.getElementById('copied').textContent };
"#;

/// The author whose button is pressed (none: `None`), and the note shown.
fn pressed(browser: &Browser) -> (Option<String>, String, Value) {
    let state = browser.run(PRESETS);
    let buttons = state["buttons"].as_array().expect("buttons");
    let pressed: Vec<&str> = (buttons.iter())
        .filter(|b| b[1] == "true")
        .filter_map(|b| b[0].as_str())
        .collect();
    assert!(pressed.len() <= 1, "one world at a time: {pressed:?}");
    let note = state["note"].as_str().expect("a note").to_string();
    (pressed.first().map(|a| a.to_string()), note, state)
}

/// Each poster's world is where each of their claims holds (they have one
/// claim each, and none conflicts): checked here from the tally itself.
fn check_worlds(run: &Run) {
    let crux = run
        .analysed
        .crux
        .as_ref()
        .expect("four authors: a crux analysis");
    let authors: Vec<&str> = crux.posters.iter().map(|p| p.author.as_str()).collect();
    assert_eq!(authors, ["Ann <b>", "Bob", "Di", "Cy"]);
    for poster in &crux.posters {
        let i = (run.checked.claims.iter())
            .position(|c| c.author == poster.author)
            .expect("a claim");
        let holds = kept_by(
            &run.tally,
            &run.checked.claims[i],
            run.checked.outcomes[i],
            DRAWS as usize,
        );
        let world: Vec<usize> = (0..DRAWS as usize).filter(|&d| holds[d]).collect();
        assert_eq!(poster.world_positions, world, "{}'s world", poster.author);
        assert!(
            world.len() >= 30 && world.len() < DRAWS as usize,
            "{}'s world keeps {} draws: too few, or all",
            poster.author,
            world.len()
        );
    }
}

#[test]
fn pressing_a_posters_preset_shows_their_world() {
    let run = run();
    check_worlds(&run);
    let url = format!("file://{}", run.out.join("explore.html").display());
    let browser = Browser::start();
    browser.open(&url);
    assert_eq!(pressed(&browser).0, None);

    // A range first: Ann's preset replaces it with her world. Her name
    // needs escaping in the link, and the page escapes it.
    browser.open(&format!("{url}#p_war=0.3..0.6"));
    browser.click("button[data-author=\"Ann <b>\"]");
    let ann = check_page(&browser, &run, "Ann's preset");
    assert_eq!(ann["hash"], "#author=Ann%20%3Cb%3E");
    let anns = run.analysed.crux.as_ref().expect("crux").posters[0].world_draws;
    assert_eq!(ann["kept"].as_u64(), Some(anns));
    let (author, note, state) = pressed(&browser);
    assert_eq!(author.as_deref(), Some("Ann <b>"));
    assert_eq!(
        note,
        "Showing Ann <b>'s world: the draws where their claim war-likely holds."
    );
    assert_eq!(state["ranges"], "in the poster's world below");
    let slider = browser.run(
        "return document.querySelector('input[data-param=\"p_war\"][data-bound=\"lo\"]').value;",
    );
    assert_eq!(slider, "0", "the range was replaced");

    // A range set afterwards narrows her world.
    browser.run(
        "const s = document.querySelector('input[data-param=\"p_turn\"][data-bound=\"hi\"]'); s.value = '500'; s.dispatchEvent(new Event('input', {bubbles: true})); s.dispatchEvent(new Event('change', {bubbles: true}));",
    );
    let narrowed = check_page(&browser, &run, "Ann's world narrowed");
    let hash = narrowed["hash"].as_str().expect("a fragment");
    assert!(
        hash.starts_with("#author=Ann%20%3Cb%3E&p_turn=..0."),
        "{hash}"
    );
    assert!(narrowed["kept"].as_u64() < Some(anns));
    assert_eq!(pressed(&browser).0.as_deref(), Some("Ann <b>"));

    // Another poster, by the keyboard: Enter on the focused button.
    browser.keys("button[data-author=\"Di\"]", ENTER);
    let di = check_page(&browser, &run, "Di's preset");
    assert_eq!(di["hash"], "#author=Di");
    let (author, note, _) = pressed(&browser);
    assert_eq!(author.as_deref(), Some("Di"));
    assert!(note.starts_with("Showing Di's world"), "{note}");
    assert_ne!(ann["shown"], di["shown"], "two worlds, two sets of numbers");

    // Pressed again, it leaves the world: every draw.
    browser.click("button[data-author=\"Di\"]");
    let all = check_page(&browser, &run, "no world");
    assert_eq!(all["kept"].as_u64(), Some(DRAWS));
    let (author, note, state) = pressed(&browser);
    assert_eq!((author, note.as_str()), (None, ""));
    assert_eq!(state["ranges"], "(no belief restricted)");
    assert_eq!(all["hash"], "", "no state, no fragment");

    // Reset leaves a world too.
    browser.click("button[data-author=\"Bob\"]");
    assert!(check_page(&browser, &run, "Bob's preset")["kept"].as_u64() < Some(DRAWS));
    browser.click("#reset");
    assert_eq!(
        check_page(&browser, &run, "reset")["kept"].as_u64(),
        Some(DRAWS)
    );
    assert_eq!(pressed(&browser).0, None);

    browser.click("button[data-author=\"Cy\"]");
    check_page(&browser, &run, "Cy's preset");
    browser.screenshot(&super::screenshot_path("explore-preset.png"));
}

#[test]
fn a_link_names_a_posters_world_and_an_unknown_name_is_said() {
    let run = run();
    let url = format!("file://{}", run.out.join("explore.html").display());
    let browser = Browser::start();

    // A link with an author and a range: his world, narrowed.
    browser.open(&format!("{url}#author=Cy&p_war=..0.6"));
    let cy = check_page(&browser, &run, "Cy's link");
    let cys = run.analysed.crux.as_ref().expect("crux").posters[3].world_draws;
    assert!(cy["kept"].as_u64() < Some(cys), "{}", cy["kept"]);
    let (author, note, state) = pressed(&browser);
    assert_eq!(author.as_deref(), Some("Cy"));
    assert!(note.starts_with("Showing Cy's world"), "{note}");
    assert_eq!(state["ignored"], "");
    // Few draws of his world kept: a larger run reads all of his world.
    let warning = cy["warning"].as_str().expect("the warning is shown");
    let wanted = (DRAWS * 100).div_ceil(cy["kept"].as_u64().expect("kept"));
    assert!(
        warning.contains(&format!(
            "worlds.csv give the world's numbers over all its draws: uchronia run models/explore.toml --draws {wanted} --trials {} --seed 11",
            wanted * TRIALS_PER_DRAW
        )),
        "{warning}"
    );

    // An escaped name, as a forum might pass it on.
    browser.open(&format!("{url}#author=Ann%20%3Cb%3E"));
    check_page(&browser, &run, "Ann's link");
    assert_eq!(pressed(&browser).0.as_deref(), Some("Ann <b>"));

    // Nobody called Zed posted: the name is ignored, and the page says so.
    browser.open(&format!("{url}#author=Zed&p_war=..0.6"));
    let zed = check_page(&browser, &run, "unknown author");
    let (author, note, state) = pressed(&browser);
    assert_eq!((author, note.as_str()), (None, ""));
    assert_eq!(state["ignored"], "Ignored in the link: author=Zed");
    assert!(zed["kept"].as_u64() < Some(DRAWS));
    assert!(
        zed["kept"].as_u64() > cy["kept"].as_u64(),
        "the range alone"
    );
}
