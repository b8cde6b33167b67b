//! A model's causal graph as a self-contained SVG picture (`uchronia graph
//! --svg`), laid out by our own layered layout (`uchronia-layout`), so no
//! Graphviz is needed.
//!
//! It shows what the DOT text shows ([`crate::graph`] builds the vertices
//! and edges of both), in the same colours: grey ellipses for parameters;
//! boxes for nodes (boolean blue, categorical yellow and rounded, numeric
//! green, derived white and dashed); violet double octagons for outcomes;
//! red, bold, with `= value` under the name, what `--scenario` sets; dashed
//! grey edges into a set node (cut by the intervention). A legend sits under
//! the drawing, each vertex carries its `doc` as a tooltip (`<title>`).
//!
//! **Layers.** Rows come from `uchronia_layout::longest_path_layers`: each
//! vertex one row below its lowest parent, which in a historical model is
//! roughly the order of time. When nodes have a `year` (contract 1.1), rows
//! come from `uchronia_layout::banded_layers` instead, a timeline: a dated
//! node's band is its first year's rank (or a parent's band, if later),
//! an undated node's the latest of its parents', a parameter's the earliest
//! of its children's ([`bands`]), so every edge points down.
//!
//! **Text.** Box sizes come from the advance widths of DejaVu Sans (the
//! charts' embedded font) at the SVG's font size, with a margin; the SVG
//! asks for DejaVu Sans first, then Verdana (as wide), then any sans-serif
//! (narrower), so text stays inside its box whatever font the viewer has.
//! Every piece of model text is escaped for XML, and characters that XML
//! cannot hold (most control characters) become U+FFFD, so any name or doc
//! gives a well-formed file.
//!
//! Deterministic: the same model and options give the same bytes.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::OnceLock;

use ab_glyph::{Font as _, FontRef};
use uchronia_layout::{Options, Point, Rect, Size};
use uchronia_model::Model;

use crate::graph::{GraphOptions, Look, NodeLook, Vertex, elements, title};

/// Font size of names, in pixels.
const NAME_SIZE: f64 = 13.0;
/// Font size of `= value` lines and of the legend.
const SMALL_SIZE: f64 = 11.0;
/// Font size of the title.
const TITLE_SIZE: f64 = 16.0;
/// Space between text and the side of its box.
const PAD: f64 = 10.0;
/// Widths are measured in DejaVu Sans and widened by this factor, for
/// viewers that substitute a slightly wider font.
const SLACK: f64 = 1.06;
/// Height of a one-line box and of a two-line box.
const ONE_LINE: f64 = 28.0;
const TWO_LINES: f64 = 44.0;
/// The corner cut of an outcome's octagon, and the gap of its double line.
const CUT: f64 = 7.0;
const DOUBLE: f64 = 3.0;
/// Space above the drawing for the title, and below it for the legend.
const TITLE_HEIGHT: f64 = 36.0;
const LEGEND_HEIGHT: f64 = 44.0;

/// The colours shared with the DOT output.
const SET_FILL: &str = "#f4a6a6";
const SET_LINE: &str = "#b22222";
const EDGE: &str = "#6b6b6b";
const CUT_EDGE: &str = "#bbbbbb";

/// Why a graph could not be drawn (a bug: the model is acyclic).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GraphError(pub String);

impl std::fmt::Display for GraphError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "cannot draw the graph: {}", self.0)
    }
}

impl std::error::Error for GraphError {}

/// The SVG picture of `model`'s graph.
pub fn model_svg(model: &Model, options: &GraphOptions) -> Result<String, GraphError> {
    let scenario = options.scenario.and_then(|id| model.scenarios.get(id));
    let parts = elements(model, options);
    // Model order (params, nodes, outcomes): the file's order is usually the
    // story's, a good first order for each row.
    let vertices: Vec<&Vertex> = parts
        .params
        .iter()
        .chain(&parts.nodes)
        .chain(&parts.outcomes)
        .collect();
    let index: BTreeMap<&str, usize> = vertices
        .iter()
        .enumerate()
        .map(|(i, v)| (v.id.as_str(), i))
        .collect();
    let mut edges = Vec::new();
    let mut cut = Vec::new();
    for (from, to, is_cut) in &parts.edges {
        if let (Some(&a), Some(&b)) = (index.get(from.as_str()), index.get(to.as_str())) {
            edges.push((a, b));
            cut.push(*is_cut);
        }
    }
    let sizes: Vec<Size> = vertices.iter().map(|v| size(v)).collect();
    let layers = layers(&vertices, &edges).map_err(|e| GraphError(e.to_string()))?;
    let placed = uchronia_layout::layout(&sizes, &edges, &layers, &Options::default())
        .map_err(|e| GraphError(e.to_string()))?;

    let title = title(model, scenario);
    let legend = legend_items(scenario.is_some());
    let legend_width = legend_width(&legend);
    let width = placed
        .width
        .max(legend_width + 32.0)
        .max(text_width(&title, TITLE_SIZE, true) + 32.0)
        .ceil();
    let height = (TITLE_HEIGHT + placed.height + LEGEND_HEIGHT).ceil();

    let mut svg = String::new();
    let _ = writeln!(
        svg,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"DejaVu Sans, Verdana, Geneva, sans-serif\">"
    );
    let _ = writeln!(svg, "<title>{}</title>", xml(&title));
    svg.push_str(&defs());
    let _ = writeln!(
        svg,
        "<rect x=\"0\" y=\"0\" width=\"{width}\" height=\"{height}\" fill=\"#ffffff\"/>"
    );
    let _ = writeln!(
        svg,
        "<text x=\"16\" y=\"24\" font-size=\"{TITLE_SIZE}\" font-weight=\"bold\" fill=\"#222222\">{}</text>",
        xml(&title)
    );
    let _ = writeln!(svg, "<g transform=\"translate(0 {TITLE_HEIGHT})\">");
    // Edges first, so that boxes sit on top of their ends.
    svg.push_str("<g fill=\"none\">\n");
    for (e, route) in placed.routes.iter().enumerate() {
        let (from, to) = edges[e];
        let mut route = route.clone();
        if let Some(first) = route.first_mut() {
            first.y = leave_y(vertices[from], &placed.boxes[from], first.x);
        }
        let (colour, dash, marker) = if cut[e] {
            (CUT_EDGE, " stroke-dasharray=\"5 3\"", "cut")
        } else {
            (EDGE, "", "arrow")
        };
        let _ = writeln!(
            svg,
            "<path d=\"{}\" stroke=\"{colour}\" stroke-width=\"1.2\"{dash} marker-end=\"url(#{marker})\"><title>{} \u{2192} {}</title></path>",
            path(&route),
            xml(&vertices[from].name),
            xml(&vertices[to].name)
        );
    }
    svg.push_str("</g>\n");
    for (i, vertex) in vertices.iter().enumerate() {
        svg.push_str(&shape(vertex, &placed.boxes[i]));
    }
    svg.push_str("</g>\n");
    svg.push_str(&legend_svg(&legend, TITLE_HEIGHT + placed.height + 8.0));
    svg.push_str("</svg>\n");
    Ok(svg)
}

/// The layout alone, for tests: the boxes in the order of [`elements`]'
/// groups (params, nodes, outcomes).
#[cfg(test)]
pub(crate) fn layout_of(
    model: &Model,
    options: &GraphOptions,
) -> (Vec<String>, uchronia_layout::Layout) {
    let parts = elements(model, options);
    let vertices: Vec<&Vertex> = parts
        .params
        .iter()
        .chain(&parts.nodes)
        .chain(&parts.outcomes)
        .collect();
    let index: BTreeMap<&str, usize> = vertices
        .iter()
        .enumerate()
        .map(|(i, v)| (v.id.as_str(), i))
        .collect();
    let edges: Vec<(usize, usize)> = parts
        .edges
        .iter()
        .filter_map(|(a, b, _)| Some((*index.get(a.as_str())?, *index.get(b.as_str())?)))
        .collect();
    let sizes: Vec<Size> = vertices.iter().map(|v| size(v)).collect();
    let layers = layers(&vertices, &edges).expect("acyclic");
    let placed =
        uchronia_layout::layout(&sizes, &edges, &layers, &Options::default()).expect("laid out");
    (vertices.iter().map(|v| v.id.clone()).collect(), placed)
}

/// The rows: by year when some node has one (a timeline), else by longest
/// path.
fn layers(
    vertices: &[&Vertex],
    edges: &[(usize, usize)],
) -> Result<Vec<usize>, uchronia_layout::LayoutError> {
    match bands(vertices, edges) {
        Some(band) => uchronia_layout::banded_layers(vertices.len(), edges, &band),
        None => uchronia_layout::longest_path_layers(vertices.len(), edges),
    }
}

/// Each vertex's band on the timeline, so that no edge goes up a band:
/// a dated node at least its first year's rank, anything at least its
/// parents' bands, then each source (a parameter) moved down to the
/// earliest band of its children. `None` when no vertex has a year.
pub(crate) fn bands(vertices: &[&Vertex], edges: &[(usize, usize)]) -> Option<Vec<usize>> {
    let mut years: Vec<i32> = vertices
        .iter()
        .filter_map(|v| v.year.map(|y| y.first))
        .collect();
    if years.is_empty() {
        return None;
    }
    years.sort_unstable();
    years.dedup();
    let rank = |year: i32| years.partition_point(|&y| y < year);
    let count = vertices.len();
    let mut parents: Vec<Vec<usize>> = vec![Vec::new(); count];
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); count];
    for &(from, to) in edges {
        parents[to].push(from);
        children[from].push(to);
    }
    // Relax in rounds until nothing moves: at most one round per vertex on
    // an acyclic graph (the layout refuses a cycle anyway).
    let mut band: Vec<usize> = vertices
        .iter()
        .map(|v| v.year.map_or(0, |y| rank(y.first)))
        .collect();
    for _ in 0..=count {
        let mut moved = false;
        for v in 0..count {
            let lowest = parents[v].iter().map(|&p| band[p]).max().unwrap_or(0);
            if lowest > band[v] {
                band[v] = lowest;
                moved = true;
            }
        }
        if !moved {
            break;
        }
    }
    for v in 0..count {
        if parents[v].is_empty()
            && vertices[v].year.is_none()
            && let Some(earliest) = children[v].iter().map(|&c| band[c]).min()
        {
            band[v] = earliest;
        }
    }
    Some(band)
}

/// The size of a vertex's shape: its text's width plus padding, wider for
/// the shapes whose sides slope (ellipse, octagon).
fn size(vertex: &Vertex) -> Size {
    let mut text = text_width(&vertex.name, NAME_SIZE, is_set(vertex.look));
    if let Some(value) = &vertex.value {
        text = text.max(text_width(&format!("= {value}"), SMALL_SIZE, false));
    }
    let height = if vertex.value.is_some() {
        TWO_LINES
    } else {
        ONE_LINE
    };
    let width = match vertex.look {
        // An ellipse holds a w x h text box when its half-axes are
        // (w/2)/sqrt(1 - t^2) and (h/2)/t; t = 0.6 keeps it flat.
        Look::Param | Look::ParamSet => (text + 2.0 * PAD) / 0.8,
        Look::Outcome { .. } => text + 2.0 * (PAD + CUT),
        _ => text + 2.0 * PAD,
    };
    Size {
        width: width.ceil(),
        height,
    }
}

fn is_set(look: Look) -> bool {
    matches!(look, Look::NodeSet | Look::ParamSet)
}

/// The SVG of one vertex: its shape, its text and its tooltip.
fn shape(vertex: &Vertex, b: &Rect) -> String {
    let (fill, line, width, dash) = colours(vertex.look);
    let stroke = format!("fill=\"{fill}\" stroke=\"{line}\" stroke-width=\"{width}\"{dash}");
    let mut out = String::from("<g>");
    let tooltip = match &vertex.doc {
        Some(doc) => format!("{}: {}", vertex.name, doc),
        None => vertex.name.clone(),
    };
    let _ = write!(out, "<title>{}</title>", xml(&tooltip));
    match vertex.look {
        Look::Param | Look::ParamSet => {
            let _ = write!(
                out,
                "<ellipse cx=\"{}\" cy=\"{}\" rx=\"{}\" ry=\"{}\" {stroke}/>",
                n(b.x + b.width / 2.0),
                n(b.y + b.height / 2.0),
                n(b.width / 2.0),
                n(b.height / 2.0)
            );
        }
        Look::Outcome { .. } => {
            let _ = write!(out, "<polygon points=\"{}\" {stroke}/>", octagon(b, 0.0));
            let _ = write!(
                out,
                "<polygon points=\"{}\" fill=\"none\" stroke=\"{line}\" stroke-width=\"1\"/>",
                octagon(b, DOUBLE)
            );
        }
        Look::Node(NodeLook::Categorical) => {
            let _ = write!(out, "<rect {} rx=\"8\" {stroke}/>", rect_attributes(b));
        }
        _ => {
            let _ = write!(out, "<rect {} {stroke}/>", rect_attributes(b));
        }
    }
    let centre = b.x + b.width / 2.0;
    let middle = b.y + b.height / 2.0;
    let weight = if is_set(vertex.look) {
        " font-weight=\"bold\""
    } else {
        ""
    };
    let text_colour = if vertex.look == Look::Param {
        "#555555"
    } else {
        "#1a1a1a"
    };
    let name_y = match vertex.value {
        Some(_) => middle - 3.0,
        None => middle + 0.35 * NAME_SIZE,
    };
    let _ = write!(
        out,
        "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"{NAME_SIZE}\"{weight} fill=\"{text_colour}\">{}</text>",
        n(centre),
        n(name_y),
        xml(&vertex.name)
    );
    if let Some(value) = &vertex.value {
        let _ = write!(
            out,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"{SMALL_SIZE}\" fill=\"{SET_LINE}\">= {}</text>",
            n(centre),
            n(middle + 13.0),
            xml(value)
        );
    }
    out.push_str("</g>\n");
    out
}

/// Fill, line colour, line width and dash of a look (the DOT colours).
fn colours(look: Look) -> (&'static str, &'static str, f64, &'static str) {
    match look {
        Look::Param => ("#ffffff", "#999999", 1.0, ""),
        Look::ParamSet | Look::NodeSet => (SET_FILL, SET_LINE, 2.0, ""),
        Look::Node(NodeLook::Boolean) => ("#dbe9f6", "#4a6a8a", 1.0, ""),
        Look::Node(NodeLook::Categorical) => ("#fdf0c4", "#8a7a3a", 1.0, ""),
        Look::Node(NodeLook::Numeric) => ("#dcefd8", "#4a7a4a", 1.0, ""),
        Look::Node(NodeLook::Derived) => ("#ffffff", "#555555", 1.0, " stroke-dasharray=\"4 3\""),
        Look::Outcome { numeric: false } => ("#d9c8ef", "#5a3a8a", 1.0, ""),
        Look::Outcome { numeric: true } => ("#efe6fa", "#5a3a8a", 1.0, ""),
    }
}

fn rect_attributes(b: &Rect) -> String {
    format!(
        "x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"",
        n(b.x),
        n(b.y),
        n(b.width),
        n(b.height)
    )
}

/// The points of an octagon filling `b`, shrunk by `inset`.
fn octagon(b: &Rect, inset: f64) -> String {
    let (l, t) = (b.x + inset, b.y + inset);
    let (r, bottom) = (b.x + b.width - inset, b.y + b.height - inset);
    let c = CUT - inset / 2.0;
    [
        (l + c, t),
        (r - c, t),
        (r, t + c),
        (r, bottom - c),
        (r - c, bottom),
        (l + c, bottom),
        (l, bottom - c),
        (l, t + c),
    ]
    .iter()
    .map(|(x, y)| format!("{},{}", n(*x), n(*y)))
    .collect::<Vec<_>>()
    .join(" ")
}

/// Where an edge leaving at `x` meets the bottom of its source's shape:
/// the box's bottom, or the ellipse's curve for a parameter.
fn leave_y(vertex: &Vertex, b: &Rect, x: f64) -> f64 {
    match vertex.look {
        Look::Param | Look::ParamSet => {
            let (rx, ry) = (b.width / 2.0, b.height / 2.0);
            let dx = ((x - b.x - rx) / rx).clamp(-1.0, 1.0);
            b.y + ry + ry * (1.0 - dx * dx).sqrt()
        }
        _ => b.y + b.height,
    }
}

/// A smooth path through `points`: straight where vertical, and between
/// rows a cubic curve that leaves and arrives vertically.
fn path(points: &[Point]) -> String {
    let mut d = String::new();
    for (i, p) in points.iter().enumerate() {
        if i == 0 {
            let _ = write!(d, "M{},{}", n(p.x), n(p.y));
            continue;
        }
        let q = points[i - 1];
        if (q.x - p.x).abs() < 0.05 {
            let _ = write!(d, " L{},{}", n(p.x), n(p.y));
        } else {
            let mid = (q.y + p.y) / 2.0;
            let _ = write!(
                d,
                " C{},{} {},{} {},{}",
                n(q.x),
                n(mid),
                n(p.x),
                n(mid),
                n(p.x),
                n(p.y)
            );
        }
    }
    d
}

/// The arrowheads of edges.
fn defs() -> String {
    let mut defs = String::from("<defs>\n");
    for (id, colour) in [("arrow", EDGE), ("cut", CUT_EDGE)] {
        let _ = writeln!(
            defs,
            "<marker id=\"{id}\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"{colour}\"/></marker>"
        );
    }
    defs.push_str("</defs>\n");
    defs
}

/// One entry of the legend: a sample shape and its meaning.
struct LegendItem {
    look: Option<Look>,
    text: &'static str,
}

fn legend_items(scenario: bool) -> Vec<LegendItem> {
    let mut items = vec![
        LegendItem {
            look: Some(Look::Param),
            text: "parameter",
        },
        LegendItem {
            look: Some(Look::Node(NodeLook::Boolean)),
            text: "boolean",
        },
        LegendItem {
            look: Some(Look::Node(NodeLook::Categorical)),
            text: "categorical",
        },
        LegendItem {
            look: Some(Look::Node(NodeLook::Numeric)),
            text: "numeric",
        },
        LegendItem {
            look: Some(Look::Node(NodeLook::Derived)),
            text: "derived",
        },
        LegendItem {
            look: Some(Look::Outcome { numeric: false }),
            text: "outcome",
        },
    ];
    if scenario {
        items.push(LegendItem {
            look: Some(Look::NodeSet),
            text: "set by the scenario",
        });
        items.push(LegendItem {
            look: None,
            text: "cut by the scenario",
        });
    }
    items
}

/// The width of one legend entry: sample, gap, text, gap.
fn legend_entry_width(item: &LegendItem) -> f64 {
    28.0 + 6.0 + text_width(item.text, SMALL_SIZE, false) + 18.0
}

fn legend_width(items: &[LegendItem]) -> f64 {
    items.iter().map(legend_entry_width).sum()
}

/// The legend: one row of samples at `top`.
fn legend_svg(items: &[LegendItem], top: f64) -> String {
    let mut out = String::from("<g font-size=\"11\" fill=\"#333333\">\n");
    let mut x = 16.0;
    let y = top + 8.0;
    for item in items {
        let sample = Rect {
            x,
            y,
            width: 28.0,
            height: 16.0,
        };
        match item.look {
            Some(look) => {
                let (fill, line, width, dash) = colours(look);
                let stroke =
                    format!("fill=\"{fill}\" stroke=\"{line}\" stroke-width=\"{width}\"{dash}");
                match look {
                    Look::Param => {
                        let _ = write!(
                            out,
                            "<ellipse cx=\"{}\" cy=\"{}\" rx=\"14\" ry=\"8\" {stroke}/>",
                            n(x + 14.0),
                            n(y + 8.0)
                        );
                    }
                    Look::Outcome { .. } => {
                        let _ = write!(
                            out,
                            "<polygon points=\"{}\" {stroke}/>",
                            octagon(&sample, 0.0)
                        );
                    }
                    Look::Node(NodeLook::Categorical) => {
                        let _ = write!(
                            out,
                            "<rect {} rx=\"5\" {stroke}/>",
                            rect_attributes(&sample)
                        );
                    }
                    _ => {
                        let _ = write!(out, "<rect {} {stroke}/>", rect_attributes(&sample));
                    }
                }
            }
            None => {
                let _ = write!(
                    out,
                    "<path d=\"M{},{} L{},{}\" stroke=\"{CUT_EDGE}\" stroke-width=\"1.2\" stroke-dasharray=\"5 3\" marker-end=\"url(#cut)\"/>",
                    n(x),
                    n(y + 8.0),
                    n(x + 28.0),
                    n(y + 8.0)
                );
            }
        }
        let _ = writeln!(
            out,
            "<text x=\"{}\" y=\"{}\">{}</text>",
            n(x + 34.0),
            n(y + 12.0),
            item.text
        );
        x += legend_entry_width(item);
    }
    out.push_str("</g>\n");
    out
}

/// A coordinate with one decimal (enough for a screen, and stable text).
fn n(x: f64) -> String {
    format!("{x:.1}")
}

/// The width of `text` in DejaVu Sans at `size` pixels per em, widened by
/// [`SLACK`]; 0.62 em per character if the embedded font cannot be read.
fn text_width(text: &str, size: f64, bold: bool) -> f64 {
    static FACES: OnceLock<Option<(FontRef<'static>, FontRef<'static>)>> = OnceLock::new();
    let faces = FACES.get_or_init(|| {
        let regular = FontRef::try_from_slice(dejavu::sans::regular()).ok()?;
        let bold = FontRef::try_from_slice(dejavu::sans::bold()).ok()?;
        Some((regular, bold))
    });
    let Some((regular, heavy)) = faces else {
        return 0.62 * size * text.chars().count() as f64 * SLACK;
    };
    let face = if bold { heavy } else { regular };
    let em = f64::from(face.units_per_em().unwrap_or(2048.0));
    let mut units = 0.0f64;
    let mut previous = None;
    for c in text.chars() {
        let id = face.glyph_id(c);
        if let Some(previous) = previous {
            units += f64::from(face.kern_unscaled(previous, id));
        }
        units += f64::from(face.h_advance_unscaled(id));
        previous = Some(id);
    }
    units / em * size * SLACK
}

/// `text` escaped for XML text and attribute values; characters XML 1.0
/// cannot hold become U+FFFD.
pub fn xml(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            '\t' | '\n' | '\r' => escaped.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {
                escaped.push('\u{FFFD}')
            }
            c => escaped.push(c),
        }
    }
    escaped
}

#[cfg(test)]
mod tests;
