//! The forum posts: `summary.bbcode`, and `summary-2.bbcode`, ... when one
//! post cannot hold the whole report. Each post stays under
//! [`POST_LIMIT`] characters (XenForo's default limit). The first opens
//! with the short answer ([`super::short`]) and the headline means, in the
//! open; everything else sits in `[SPOILER=...]` blocks, most useful first,
//! each in the first post with room for it. A part too long for any post
//! is cut into several spoilers ("(1 of 2)"). A post that has a successor
//! ends by naming the file to post next and what it holds.

use uchronia_analysis::crux::{Crux, Pair};
use uchronia_model::{Named, OutcomeKind};

use super::bbcode;
use super::escape;
use super::{Block, Inline, Line};
use crate::charts::ChartFile;
use crate::format::{count, maybe_number, maybe_percent, points_bare};
use crate::report::Report;

/// A post's length limit in characters; every post is shorter.
pub const POST_LIMIT: usize = 10_000;

/// Room kept in each post for its continuation lines.
const RESERVE: usize = 700;

/// The longest a spoiler may be, its tags included.
const PART_MAX: usize = POST_LIMIT - 2 * RESERVE;

/// The file of the `i`-th post (0: `summary.bbcode`).
pub fn file_name(i: usize) -> String {
    if i == 0 {
        "summary.bbcode".into()
    } else {
        format!("summary-{}.bbcode", i + 1)
    }
}

/// A titled spoiler's content, before it is cut to size.
struct Section {
    title: String,
    blocks: Vec<Block>,
}

/// The posts, in order; the first is always there.
pub fn posts(report: &Report, charts: &[ChartFile]) -> Vec<String> {
    let opening = bbcode::blocks(&opening(report, charts));
    let parts: Vec<(String, String)> = sections(report, charts).into_iter().flat_map(cut).collect();
    // First fit, in order of usefulness: post 1 fills up before post 2.
    let mut bodies: Vec<(String, Vec<String>)> = vec![(opening, Vec::new())];
    for (title, text) in parts {
        let size = chars(&text);
        match bodies
            .iter_mut()
            .find(|(body, _)| chars(body) + size + RESERVE < POST_LIMIT)
        {
            Some((body, titles)) => {
                body.push_str(&text);
                titles.push(title);
            }
            None => bodies.push((text, vec![title])),
        }
    }
    let n = bodies.len();
    let title = clip(&escape::bbcode(&report.model.title), 120);
    let mut posts = Vec::with_capacity(n);
    for i in 0..n {
        let mut post = String::new();
        if i > 0 {
            post.push_str(&format!("[b]{title}: message {} of {n}[/b]\n\n", i + 1));
        }
        post.push_str(&bodies[i].0);
        if let Some((_, next)) = bodies.get(i + 1) {
            post.push_str(&continuation(i + 1, next));
        } else if n > 1 {
            post.push_str(&format!("[i]The report in {n} messages.[/i]\n"));
        }
        post.truncate(post.trim_end().len());
        post.push('\n');
        posts.push(post);
    }
    posts
}

/// The last lines of a post that has a successor: which file to post next
/// and what it holds.
fn continuation(next: usize, titles: &[String]) -> String {
    let mut unique: Vec<&str> = Vec::new();
    for t in titles {
        let base = t.split(" (").next().unwrap_or(t);
        if !unique.contains(&base) {
            unique.push(base);
        }
    }
    let holds = clip(&escape::bbcode(&unique.join("; ")), RESERVE - 200);
    format!(
        "[b]Continued in the next message:[/b] post {} as a reply ({holds}).\n\n",
        file_name(next)
    )
}

fn chars(text: &str) -> usize {
    text.chars().count()
}

/// `text` cut to at most `max` characters, marked with an ellipsis.
fn clip(text: &str, max: usize) -> String {
    if chars(text) <= max {
        return text.to_string();
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// The open part of the first post: title, "In short", the headline means
/// and their chart.
fn opening(report: &Report, charts: &[ChartFile]) -> Vec<Block> {
    let mut blocks = vec![Block::Heading(1, report.model.title.clone())];
    let sentences = super::short::sentences(report);
    if !sentences.is_empty() {
        blocks.push(Block::Paragraph(vec![
            Inline::Strong("In short.".into()),
            Inline::Text(format!(" {}", sentences.join(" "))),
        ]));
    }
    if let Some(table) = super::headline_table(report, false) {
        blocks.push(Block::Paragraph(vec![Inline::Text(format!(
            "Headline outcomes: the mean probability in each scenario over {} parameter draws ({} trials per scenario). The spoilers below hold the intervals and what the numbers cannot tell, the effects, the claims and how to reproduce it all.",
            count(report.info.draws),
            count(report.info.trials)
        ))]));
        blocks.push(table);
        blocks.extend(super::set_by_scenario_note(report));
    }
    blocks.extend(images(charts, |f| f == "outcomes.png"));
    blocks
}

fn images(charts: &[ChartFile], keep: impl Fn(&str) -> bool) -> Vec<Block> {
    charts
        .iter()
        .filter(|c| keep(&c.file))
        .map(|c| Block::Image {
            file: c.file.clone(),
            alt: c.title.clone(),
        })
        .collect()
}

/// Charts that have their own section; the others go under "More charts".
const PLACED: [&str; 5] = [
    "outcomes.png",
    "difference.png",
    "claims.png",
    "crux.png",
    "worlds.png",
];

/// The spoilers, most useful first.
fn sections(report: &Report, charts: &[ChartFile]) -> Vec<Section> {
    let mut out = Vec::new();
    let mut section = |title: &str, blocks: Vec<Block>| {
        if !blocks.is_empty() {
            out.push(Section {
                title: title.into(),
                blocks,
            });
        }
    };
    section(
        "Headline outcomes with their 90% intervals",
        headline_intervals(report),
    );
    // Its own spoiler, so that the intervals keep their place in the
    // first post; the list goes into the first post with room for it.
    section(
        "What the headline numbers cannot tell",
        (super::caveats::blocks(report).into_iter())
            .filter(|b| matches!(b, Block::List(_)))
            .collect(),
    );
    let mut effects = matched_effects(report);
    effects.extend(images(charts, |f| f == "difference.png"));
    section("What each divergence changes on its own", effects);
    let mut claims = claims(report);
    claims.extend(images(charts, |f| f == "claims.png"));
    section("The claims and the model's verdicts", claims);
    let mut model = Vec::new();
    if let Some(doc) = &report.model.doc {
        model.push(text(doc));
    }
    super::model_section(report, &mut model, false);
    section("The model and its scenarios", model);
    if let Some(found) = report.crux {
        let mut blocks = disagreements(report, found);
        blocks.extend(images(charts, |f| f == "crux.png" || f == "worlds.png"));
        section(super::crux::TITLE, blocks);
    }
    section("More charts", images(charts, |f| !PLACED.contains(&f)));
    let mut run = vec![super::scope(report)];
    super::reproduce(report, &mut run);
    run.retain(|b| !matches!(b, Block::Heading(..)));
    section("How to reproduce it", run);
    section(
        "Every outcome: its mean in each scenario",
        every_outcome(report),
    );
    out
}

/// The headline matrix with intervals, in compact cells.
fn headline_intervals(report: &Report) -> Vec<Block> {
    let Some(Block::Table { header, rows }) = super::headline_table(report, false) else {
        return Vec::new();
    };
    let outcomes = report.headline_booleans();
    let scenarios = report.scenarios();
    let bare = |p: Option<f64>| maybe_percent(p).trim_end_matches('%').to_string();
    let rows = rows
        .into_iter()
        .zip(&outcomes)
        .map(|(row, &o)| {
            let mut cells = vec![row.first().cloned().unwrap_or_default()];
            cells.extend(scenarios.iter().map(|s| {
                let mark = super::set_mark(report, s.name, o);
                let cell = match report.boolean_row(s.name, report.outcome_name(o)) {
                    Some(r) => format!(
                        "{}{mark} ({}-{})",
                        bare(r.p_mean),
                        bare(r.p_q05),
                        bare(r.p_q95)
                    ),
                    None => "-".into(),
                };
                vec![Inline::Text(cell)]
            }));
            cells
        })
        .collect();
    let mut blocks = vec![
        text(
            "In percent: the mean over parameter draws, then the 90% interval (5th to 95th percentile over draws).",
        ),
        Block::Table { header, rows },
    ];
    blocks.extend(super::set_by_scenario_note(report));
    blocks
}

/// The claims as a list: verdict, credence, the model's mean (90%
/// interval) and the parameter the claim depends on most.
fn claims(report: &Report) -> Vec<Block> {
    if report.claims.is_empty() {
        return vec![text(super::NO_CLAIMS)];
    }
    let model = report.model;
    let items = report
        .claims
        .iter()
        .map(|c| {
            let (estimate, scenario) = super::claim_estimate_and_world(model, c);
            let mut line = vec![
                Inline::Strong(c.id.clone()),
                Inline::Text(format!(
                    " ({}: “{}”; {scenario}, says {}; read as: ",
                    c.author,
                    clip(&c.quote, QUOTE_MAX),
                    c.says
                )),
            ];
            line.extend(super::reading::reading(model, c));
            line.extend([
                Inline::Text("): ".into()),
                Inline::Strong(super::verdict_text(model, c)),
                Inline::Text(format!(
                    ", credence {}; model {estimate}",
                    maybe_percent(c.credence)
                )),
            ]);
            if let Some(driver) = c.drivers.first() {
                line.push(Inline::Text(format!(
                    "; depends most on {}",
                    model.display_name(Named::Item, &driver.param)
                )));
            }
            line
        })
        .collect();
    vec![
        text(
            "Each claim with its author's words (cut with … when long; in full in summary.md) and what the model reads them as: the event, and the condition it is measured under. Model: the mean over parameter draws of the probability (or, for a comparison, of the difference in points), with its 90% interval. Credence: the share of draws in which the claim holds.",
        ),
        Block::List(items),
    ]
}

/// The longest a claim's quote runs in a post, in characters.
const QUOTE_MAX: usize = 90;

/// How many pairs of posters a post shows, sharpest first.
const PAIRS: usize = 5;

/// Each poster's world, then the sharpest pairs' cruxes.
fn disagreements(report: &Report, found: &Crux) -> Vec<Block> {
    let mut pairs: Vec<&Pair> = found.pairs.iter().collect();
    let gap = |p: &Pair| p.crux().map_or(f64::NEG_INFINITY, |r| r.gap);
    // Stable: pairs with the same gap keep their order.
    pairs.sort_by(|a, b| gap(b).total_cmp(&gap(a)));
    let shown = Crux {
        draws: found.draws,
        posters: found.posters.clone(),
        pairs: pairs.iter().take(PAIRS).map(|&p| p.clone()).collect(),
    };
    let mut items: Vec<Line> = super::crux::lines(report.model, &shown)
        .into_iter()
        .map(|l| vec![Inline::Text(l)])
        .collect();
    if pairs.len() > PAIRS {
        items.push(vec![Inline::Text(format!(
            "{} more pairs of posters, with smaller gaps: summary.md and crux.csv.",
            pairs.len() - PAIRS
        ))]);
    }
    vec![
        text(
            "The pairs of posters who disagree most, the parameter their claims pull furthest apart (in prior quantiles) and the outcome that would settle it.",
        ),
        Block::List(items),
    ]
}

fn text(s: impl Into<String>) -> Block {
    Block::Paragraph(vec![Inline::Text(s.into())])
}

/// The matched comparisons of the headline outcomes: one column per
/// scenario that has them, the mean paired difference in points.
fn matched_effects(report: &Report) -> Vec<Block> {
    let model = report.model;
    let outcomes = report.headline_booleans();
    let scenarios: Vec<_> = report
        .scenarios()
        .into_iter()
        .filter(|s| {
            outcomes
                .iter()
                .any(|&o| report.matched(s.name, o).is_some())
        })
        .collect();
    if scenarios.is_empty() {
        return Vec::new();
    }
    let mut header = vec!["outcome".to_string()];
    header.extend(
        scenarios
            .iter()
            .map(|s| model.display_name(Named::Scenario, s.name).to_string()),
    );
    let rows = outcomes
        .iter()
        .map(|&o| {
            let mut row = vec![vec![Inline::Text(report.outcome_label(o).into())]];
            row.extend(scenarios.iter().map(|s| {
                let cell = report
                    .matched(s.name, o)
                    .map_or("-".into(), |(_, d)| points_bare(d.mean));
                vec![Inline::Text(cell)]
            }));
            row
        })
        .collect();
    // A scenario's own analysis-made baseline (`S~baseline`) is the
    // sentence's "same world with the divergence undone"; only a shared or
    // named baseline needs saying, and never by its internal name.
    let baselines: Vec<String> = scenarios
        .iter()
        .filter_map(|s| {
            let (baseline, _) = outcomes.iter().find_map(|&o| report.matched(s.name, o))?;
            let scenario = model.display_name(Named::Scenario, s.name);
            match baseline.strip_suffix("~baseline") {
                Some(own) if own == s.name => None,
                Some(other) => Some(format!(
                    "{scenario} shares the baseline of {}",
                    model.display_name(Named::Scenario, other)
                )),
                None => Some(format!(
                    "{scenario} against {}",
                    model.display_name(Named::Scenario, baseline)
                )),
            }
        })
        .collect();
    let shared = if baselines.is_empty() {
        String::new()
    } else {
        format!("; {}", baselines.join("; "))
    };
    vec![
        text(format!(
            "The effect of each scenario's divergence alone, in percentage points: the mean over parameter draws of the paired difference from its matched baseline, which is the same world with the divergence undone{shared}. summary.md and comparison.csv give the intervals."
        )),
        Block::Table { header, rows },
    ]
}

/// Every listed outcome's mean in each scenario: probabilities, then the
/// numeric outcomes' means.
fn every_outcome(report: &Report) -> Vec<Block> {
    let model = report.model;
    let scenarios = report.scenarios();
    let header = |first: &str| {
        let mut h = vec![first.to_string()];
        h.extend(
            scenarios
                .iter()
                .map(|s| model.display_name(Named::Scenario, s.name).to_string()),
        );
        h
    };
    let mut blocks = Vec::new();
    let booleans = report.boolean_outcomes();
    if !booleans.is_empty() {
        let rows = booleans
            .iter()
            .map(|&o| {
                let mut row = vec![vec![Inline::Text(report.outcome_label(o).into())]];
                row.extend(scenarios.iter().map(|s| {
                    let p = report
                        .boolean_row(s.name, report.outcome_name(o))
                        .and_then(|r| r.p_mean);
                    vec![Inline::Text(maybe_percent(p))]
                }));
                row
            })
            .collect();
        blocks.push(Block::Table {
            header: header("probability (mean)"),
            rows,
        });
    }
    let numerics = report.numeric_outcomes();
    if !numerics.is_empty() {
        let rows = numerics
            .iter()
            .map(|&o| {
                let conditional = matches!(
                    model.outcomes[o].kind,
                    OutcomeKind::Numeric { given: Some(_), .. }
                );
                let name = report.outcome_label(o);
                let label = if conditional {
                    format!("{name} (where defined)")
                } else {
                    name.to_string()
                };
                let mut row = vec![vec![Inline::Text(label)]];
                row.extend(scenarios.iter().map(|s| {
                    let m = report
                        .numeric_row(s.name, report.outcome_name(o))
                        .and_then(|r| r.mean);
                    vec![Inline::Text(maybe_number(m))]
                }));
                row
            })
            .collect();
        blocks.push(Block::Table {
            header: header("value (mean)"),
            rows,
        });
    }
    blocks
}

/// A section as one or more spoilers of at most [`PART_MAX`] characters:
/// (title, text) pairs.
fn cut(section: Section) -> Vec<(String, String)> {
    let room = PART_MAX - chars(&spoiler(&section.title, "")) - 20;
    let pieces: Vec<String> = section
        .blocks
        .iter()
        .flat_map(|b| fit(b.clone(), room))
        .map(|b| bbcode::block(&b))
        .collect();
    let mut groups: Vec<String> = Vec::new();
    for piece in pieces {
        match groups.last_mut() {
            Some(last) if chars(last) + chars(&piece) <= room => last.push_str(&piece),
            _ => groups.push(piece),
        }
    }
    let k = groups.len();
    groups
        .into_iter()
        .enumerate()
        .map(|(i, body)| {
            let title = if k == 1 {
                section.title.clone()
            } else {
                format!("{} ({} of {k})", section.title, i + 1)
            };
            let text = spoiler(&title, &body);
            (title, text)
        })
        .collect()
}

fn spoiler(title: &str, body: &str) -> String {
    format!(
        "[SPOILER={}]\n{}\n[/SPOILER]\n\n",
        escape::bbcode(title),
        body.trim_end()
    )
}

/// A block cut into blocks whose BBCode is at most `room` characters:
/// tables and lists by rows, a line of text clipped.
fn fit(block: Block, room: usize) -> Vec<Block> {
    if chars(&bbcode::block(&block)) <= room {
        return vec![block];
    }
    match block {
        Block::Table { header, rows } if rows.len() > 1 => {
            let (a, b) = rows.split_at(rows.len() / 2);
            let mut out = fit(
                Block::Table {
                    header: header.clone(),
                    rows: a.to_vec(),
                },
                room,
            );
            out.extend(fit(
                Block::Table {
                    header,
                    rows: b.to_vec(),
                },
                room,
            ));
            out
        }
        Block::List(items) if items.len() > 1 => {
            let (a, b) = items.split_at(items.len() / 2);
            let mut out = fit(Block::List(a.to_vec()), room);
            out.extend(fit(Block::List(b.to_vec()), room));
            out
        }
        Block::List(items) => vec![Block::List(
            items.into_iter().map(|l| clip_line(l, room / 2)).collect(),
        )],
        Block::Paragraph(line) => vec![Block::Paragraph(clip_line(line, room / 2))],
        Block::Quote(line) => vec![Block::Quote(clip_line(line, room / 2))],
        Block::Code(text) => vec![Block::Code(clip(&text, room / 2))],
        other => vec![other],
    }
}

/// A line's text cut to about `max` characters in all (escaping can only
/// lengthen it a little: brackets become their full-width forms, one
/// character each).
fn clip_line(line: Line, max: usize) -> Line {
    let mut left = max;
    let mut out = Vec::new();
    for piece in line {
        if left == 0 {
            break;
        }
        let cut = |s: String, left: &mut usize| {
            let c = clip(&s, *left);
            *left = left.saturating_sub(chars(&c));
            c
        };
        out.push(match piece {
            Inline::Text(s) => Inline::Text(cut(s, &mut left)),
            Inline::Strong(s) => Inline::Strong(cut(s, &mut left)),
            Inline::Code(s) => Inline::Code(cut(s, &mut left)),
            Inline::File(s) => Inline::File(cut(s, &mut left)),
        });
    }
    out
}
