//! The HTML of `explore.html`: every piece of model and claims text is
//! written here, through the summaries' escaping (`summary::escape::html`),
//! but the parameters' labels and docs, which the script sets as text (never
//! as markup) when it builds their controls from the data. The script and the
//! style sheet are inlined and allowed by their SHA-256 hashes in the page's
//! Content-Security-Policy, which forbids everything else: no request of any
//! kind leaves the page.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use sha2::{Digest, Sha256};

use super::{Explore, MAX_DRAWS, data};
use uchronia_analysis::crux::Poster;

use crate::format::{count, percent};
use crate::report::Report;
use crate::summary::escape::html;
use crate::summary::reading::reading;

/// The page's script: reads the data block, keeps the draws inside the
/// reader's ranges and fills in every number.
pub const SCRIPT: &str = include_str!("explore.js");

/// The page's style sheet.
pub const STYLE: &str = include_str!("explore.css");

/// `'sha256-…'` of a script or style element's text, for the CSP.
pub fn csp_hash(text: &str) -> String {
    format!(
        "'sha256-{}'",
        STANDARD.encode(Sha256::digest(text.as_bytes()))
    )
}

/// The page's Content-Security-Policy: its own script and style sheet, by
/// hash, and nothing else (no request, no form, no base URL).
pub fn csp() -> String {
    format!(
        "default-src 'none'; script-src {}; style-src {}; base-uri 'none'; form-action 'none'",
        csp_hash(SCRIPT),
        csp_hash(STYLE)
    )
}

/// The whole page.
pub fn render(report: &Report, explore: &Explore) -> String {
    let model = report.model;
    let info = report.info;
    let mut out = String::new();
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str(&format!(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"{}\">\n",
        csp()
    ));
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str(&format!(
        "<title>Explore: {}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        html(&model.title)
    ));
    out.push_str(&format!("<header>\n<h1>{}</h1>\n", html(&model.title)));
    if let Some(doc) = &model.doc {
        out.push_str(&format!("<p class=\"doc\">{}</p>\n", html(doc)));
    }
    let draws = info.draws as usize;
    let carried = draws.min(MAX_DRAWS);
    out.push_str(&format!(
        "<p>Move a belief to the range you hold: the page keeps the parameter draws whose values lie inside every range you set, and recomputes every number below from what the run found in those draws. Nothing is rerun, so the numbers are exact for the kept draws; the fewer they are, the rougher the numbers. The run: <code>{}</code>, {} parameter draws of {} trials each, seed {}.</p>\n",
        html(&info.model),
        count(info.draws),
        count(info.trials_per_draw),
        info.seed
    ));
    if carried < draws {
        out.push_str(&format!(
            "<p class=\"note\" id=\"subset\">This page carries {} of the run's {} draws (an evenly spaced subset, the same for the same run): numbers over all draws are in summary.html.</p>\n",
            count(carried as u64),
            count(draws as u64)
        ));
    }
    out.push_str("<noscript><p class=\"warning\">This page needs JavaScript to show its beliefs and recompute its numbers; summary.html shows the numbers for every draw.</p></noscript>\n</header>\n");
    out.push_str("<main>\n");
    status(report, &mut out, carried);
    out.push_str("<div class=\"columns\">\n<div class=\"answers\">\n");
    headline(report, &mut out);
    matched(report, &mut out);
    claims(report, &mut out);
    out.push_str("</div>\n<div class=\"side\">\n");
    presets(report, &mut out);
    beliefs(report, &mut out);
    out.push_str("</div>\n</div>\n</main>\n");
    out.push_str(&format!(
        "<script type=\"application/json\" id=\"explore-data\">{}</script>\n",
        data(report, explore)
    ));
    out.push_str(&format!("<script>{SCRIPT}</script>\n</body>\n</html>\n"));
    out
}

/// The kept count, the poster whose world is shown, the warning, and the
/// link.
fn status(report: &Report, out: &mut String, carried: usize) {
    out.push_str(&format!(
        "<section class=\"status\" aria-label=\"Kept draws\">\n<p class=\"kept\" aria-live=\"polite\"><strong data-kept>{carried}</strong> of {carried} draws kept <span id=\"ranges\"></span></p>\n"
    ));
    for poster in report.crux.iter().flat_map(|c| &c.posters) {
        out.push_str(&format!(
            "<p class=\"world\" data-world-note=\"{}\" hidden>{}</p>\n",
            html(&poster.author),
            world_note(poster)
        ));
    }
    out.push_str("<p class=\"warning\" id=\"warning\" hidden>Fewer than 50 draws are kept: these numbers are rough. <span id=\"rerun-why\"></span> <code id=\"rerun\"></code></p>\n");
    out.push_str("<p class=\"buttons\"><button type=\"button\" id=\"copy\">Copy link</button> <button type=\"button\" id=\"reset\">Reset every belief</button> <button type=\"button\" id=\"to-beliefs\" class=\"narrow\">Your beliefs</button> <label>Link to this world: <input id=\"link\" readonly size=\"40\"></label> <span id=\"copied\" role=\"status\"></span></p>\n</section>\n");
}

/// A name as the page shows it: `label` as text when it differs from the
/// identifier `name`, else the identifier as code (as before labels).
fn shown(label: &str, name: &str) -> String {
    if label == name {
        format!("<code>{}</code>", html(name))
    } else {
        html(label)
    }
}

/// Probabilities of the headline outcomes per scenario, and the chart.
fn headline(report: &Report, out: &mut String) {
    let scenarios = report.scenarios();
    let outcomes = report.headline_booleans();
    out.push_str(
        "<section aria-labelledby=\"h-headline\">\n<h2 id=\"h-headline\">Headline outcomes</h2>\n",
    );
    out.push_str("<p>Probability of each headline outcome in each scenario: the mean over the kept draws, with the 90% interval over them (5th to 95th percentile).</p>\n");
    out.push_str("<div class=\"scroll\"><table>\n<thead><tr><th>outcome</th>");
    for s in &scenarios {
        out.push_str(&format!("<th>{}</th>", shown(s.label, s.name)));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for &o in &outcomes {
        let name = html(report.outcome_name(o));
        let label = shown(report.outcome_label(o), report.outcome_name(o));
        out.push_str(&format!("<tr><th>{label}</th>"));
        for s in &scenarios {
            let s = html(s.name);
            out.push_str(&format!(
                "<td><span class=\"p\" data-scenario=\"{s}\" data-outcome=\"{name}\">-</span> <span class=\"ci\" data-ci-scenario=\"{s}\" data-ci-outcome=\"{name}\"></span></td>"
            ));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table></div>\n");
    out.push_str("<svg id=\"chart\" class=\"chart\" role=\"img\" aria-labelledby=\"chart-title\"><title id=\"chart-title\">The headline outcomes over the kept draws: a dot for each scenario's probability, a line for its 90% interval</title></svg>\n");
    out.push_str("<p class=\"legend\">");
    for s in &scenarios {
        out.push_str(&format!(
            "<span class=\"key s{}\">{}</span> ",
            s.position % 8,
            html(s.label)
        ));
    }
    out.push_str("</p>\n</section>\n");
}

/// Each diverging scenario against its matched baseline.
fn matched(report: &Report, out: &mut String) {
    let scenarios = report.scenarios();
    let outcomes = report.headline_booleans();
    let pairs: Vec<(&str, &str)> = (scenarios.iter())
        .filter_map(|s| {
            let (baseline, _) = outcomes.iter().find_map(|&o| report.matched(s.name, o))?;
            Some((s.name, baseline))
        })
        .collect();
    if pairs.is_empty() {
        return;
    }
    out.push_str(
        "<section aria-labelledby=\"h-matched\">\n<h2 id=\"h-matched\">The divergence alone</h2>\n",
    );
    out.push_str("<p>Each scenario against its matched baseline (the same world with only the divergence undone): the paired difference in percentage points, mean over the kept draws, with its 90% interval.</p>\n");
    out.push_str("<div class=\"scroll\"><table>\n<thead><tr><th>outcome</th>");
    for (s, baseline) in &pairs {
        out.push_str(&format!(
            "<th>{} vs {}</th>",
            shown(report.scenario_label(s), s),
            shown(report.scenario_label(baseline), baseline)
        ));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for &o in &outcomes {
        let name = html(report.outcome_name(o));
        let label = shown(report.outcome_label(o), report.outcome_name(o));
        out.push_str(&format!("<tr><th>{label}</th>"));
        for (s, _) in &pairs {
            out.push_str(&format!(
                "<td><span class=\"d\" data-diff-scenario=\"{}\" data-diff-outcome=\"{name}\">-</span></td>",
                html(s)
            ));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table></div>\n</section>\n");
}

/// The claims: credence, estimate and verdict over the kept draws.
fn claims(report: &Report, out: &mut String) {
    if report.claims.is_empty() {
        return;
    }
    out.push_str("<section aria-labelledby=\"h-claims\">\n<h2 id=\"h-claims\">Claims</h2>\n");
    out.push_str("<p>Credence: the share of kept draws in which the claim holds; the verdict follows from it by the lexicon's thresholds, as in summary.html. The model's value is a probability, or for a comparison a difference in percentage points: mean over the kept draws, as in the tables (90% interval). Read as: the event the model measures and, for a conditional claim, the condition (given) it is measured under.</p>\n");
    out.push_str("<div class=\"scroll\"><table>\n<thead><tr><th>claim</th><th>author</th><th>scenario</th><th>read as</th><th>says</th><th>model</th><th>credence</th><th>verdict</th><th>draws</th></tr></thead>\n<tbody>\n");
    for c in report.claims {
        let id = html(&c.id);
        let scenario = match &c.than {
            Some(than) => format!(
                "{} vs {}",
                html(&report.model.display_scenario(&c.scenario)),
                html(&report.model.display_scenario(than))
            ),
            None => html(&report.model.display_scenario(&c.scenario)),
        };
        let says = match c.band {
            Some((lo, hi)) => format!("{} ({} to {})", html(&c.says), percent(lo), percent(hi)),
            None => html(&c.says),
        };
        let reading = crate::summary::html::inline(&reading(report.model, c));
        out.push_str(&format!(
            "<tr><th><code>{id}</code></th><td>{}</td><td>{scenario}</td><td>{reading}</td><td>{says}</td><td data-claim-estimate=\"{id}\">-</td><td data-claim-credence=\"{id}\">-</td><td><strong data-claim-verdict=\"{id}\">-</strong></td><td data-claim-draws=\"{id}\">-</td></tr>\n",
            html(&c.author)
        ));
    }
    out.push_str("</tbody>\n</table></div>\n</section>\n");
}

/// What a poster's preset keeps, in words: their world's claims, and those
/// it leaves out when no draw keeps them all.
fn world_note(poster: &Poster) -> String {
    let ids = |ids: &[&str]| {
        (ids.iter())
            .map(|id| format!("<code>{}</code>", html(id)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let author = html(&poster.author);
    let world: Vec<&str> = poster.world_claims.iter().map(String::as_str).collect();
    let left_out = poster.left_out();
    if world.is_empty() && !left_out.is_empty() {
        format!(
            "Showing {author}'s world: no draw keeps any of their claims ({}), so it is every draw.",
            ids(&left_out)
        )
    } else if !left_out.is_empty() {
        format!(
            "Showing {author}'s world: no draw keeps all their claims, so it keeps the draws where the most of them hold together ({}); it leaves out {}.",
            ids(&world),
            ids(&left_out)
        )
    } else if let [claim] = &world[..] {
        format!(
            "Showing {author}'s world: the draws where their claim {} holds.",
            ids(&[claim])
        )
    } else {
        format!(
            "Showing {author}'s world: the draws where all {} of their claims hold ({}).",
            world.len(),
            ids(&world)
        )
    }
}

/// One preset per poster (with the crux analysis): a button that shows
/// their world.
fn presets(report: &Report, out: &mut String) {
    let Some(crux) = report.crux.filter(|c| !c.posters.is_empty()) else {
        return;
    };
    out.push_str("<section class=\"posters\" aria-labelledby=\"h-posters\">\n<h2 id=\"h-posters\">Posters' worlds</h2>\n");
    out.push_str(&format!("<p>A poster's world is the draws in which their claims hold, each allowing for the draw's own Monte Carlo error (its band widened by {} standard errors: the crux analysis, as in summary.html). The claims' credences below count strictly, so in a poster's own world they can fall short of 100%.</p>\n", uchronia_analysis::crux::WIDEN));
    out.push_str("<p>Pressing a poster's button keeps exactly those draws, in place of the ranges you set; a range you set afterwards narrows their world further. Press the button again, or reset every belief, to leave their world.</p>\n");
    out.push_str("<p class=\"presets\" role=\"group\" aria-label=\"Posters' worlds\">");
    for poster in &crux.posters {
        let author = html(&poster.author);
        out.push_str(&format!(
            "<button type=\"button\" data-author=\"{author}\" aria-pressed=\"false\">{author}'s world</button> "
        ));
    }
    out.push_str("</p>\n</section>\n");
}

/// The controls: the parameters that matter, then "more beliefs". The
/// script builds each one (a fieldset with its histogram, prior interval
/// and two sliders) from the data ([`super::belief_params`]) into this section.
fn beliefs(report: &Report, out: &mut String) {
    let (_, more) = super::belief_params(report);
    out.push_str("<section class=\"beliefs\" aria-labelledby=\"h-beliefs\">\n<h2 id=\"h-beliefs\">Your beliefs</h2>\n");
    out.push_str("<p>The parameters that move the headline outcomes or the claims, strongest first. Each shows the draws' histogram (grey), the prior's 90% interval (the band) and the draws kept (dark). Set the lowest and highest value you believe; the ends mean no limit. Arrow keys move a slider one step.</p>\n");
    out.push_str(&format!(
        "<details class=\"more\"><summary>More beliefs ({})</summary>\n</details>\n</section>\n",
        more.len()
    ));
}
