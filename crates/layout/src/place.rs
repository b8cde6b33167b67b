//! Step 3 and 4: coordinates of the boxes and the routes of the edges.
//!
//! Rows are stacked top to bottom, each as tall as its tallest box, with
//! `layer_gap` between them; boxes are centred on their row's middle line.
//! Horizontally, each row keeps its order and its gaps (`box_gap` between
//! boxes, `edge_gap` next to an edge passing through), and each vertex is
//! pulled towards the mean x of its neighbours in the row above, then
//! below, and so on. For one row this is a least-squares fit under order
//! constraints, solved exactly by pool-adjacent-violators (isotonic
//! regression): the row moves as little as possible while no two boxes get
//! closer than their gap. Dummies weigh more, which straightens long edges.

use crate::order::Layered;
use crate::{Layout, Options, Point, Rect};

/// Alternating sweeps of the pull towards neighbours.
const PASSES: usize = 12;

/// How much more a dummy resists being moved away from its target than a
/// box does.
const DUMMY_WEIGHT: f64 = 4.0;

/// The x of every vertex's centre and the top and height of every row.
pub(crate) struct Placed {
    pub x: Vec<f64>,
    pub row_top: Vec<f64>,
    pub row_height: Vec<f64>,
}

/// Places every vertex of `graph`.
pub(crate) fn coordinates(graph: &Layered, options: &Options) -> Placed {
    let mut x = vec![0.0; graph.layer.len()];
    for layer in 0..graph.rows.len() {
        let targets: Vec<f64> = vec![0.0; graph.rows[layer].len()];
        fit_row(graph, layer, &targets, &mut x, options);
    }
    for pass in 0..PASSES {
        // Down, up, ..., and the last pass looks both ways.
        let (use_above, use_below) = match (pass % 2, pass + 1 == PASSES) {
            (_, true) => (true, true),
            (0, _) => (true, false),
            _ => (false, true),
        };
        let layers: Vec<usize> = if pass % 2 == 0 {
            (0..graph.rows.len()).collect()
        } else {
            (0..graph.rows.len()).rev().collect()
        };
        for layer in layers {
            let targets: Vec<f64> = graph.rows[layer]
                .iter()
                .map(|&v| {
                    let mut neighbours: Vec<usize> = Vec::new();
                    if use_above {
                        neighbours.extend(&graph.above[v]);
                    }
                    if use_below {
                        neighbours.extend(&graph.below[v]);
                    }
                    if neighbours.is_empty() {
                        x[v]
                    } else {
                        neighbours.iter().map(|&n| x[n]).sum::<f64>() / neighbours.len() as f64
                    }
                })
                .collect();
            fit_row(graph, layer, &targets, &mut x, options);
        }
    }
    // Shift so that the leftmost box edge sits at the margin.
    let left = (0..x.len())
        .map(|v| x[v] - graph.size[v].width / 2.0)
        .fold(f64::INFINITY, f64::min);
    if left.is_finite() {
        for value in &mut x {
            *value += options.margin - left;
        }
    }
    let mut row_top = Vec::with_capacity(graph.rows.len());
    let mut row_height = Vec::with_capacity(graph.rows.len());
    let mut top = options.margin;
    for row in &graph.rows {
        let height = row
            .iter()
            .map(|&v| graph.size[v].height)
            .fold(0.0, f64::max);
        row_top.push(top);
        row_height.push(height);
        top += height + options.layer_gap;
    }
    Placed {
        x,
        row_top,
        row_height,
    }
}

/// Places one row as close to `targets` as its order and gaps allow.
fn fit_row(graph: &Layered, layer: usize, targets: &[f64], x: &mut [f64], options: &Options) {
    let row = &graph.rows[layer];
    if row.is_empty() {
        return;
    }
    // x[i] >= x[i-1] + gap[i]: with offsets c[i] (the sum of gaps so far),
    // y[i] = x[i] - c[i] must be non-decreasing, and y fits targets - c.
    let mut offset = Vec::with_capacity(row.len());
    let mut sum = 0.0;
    for (i, &v) in row.iter().enumerate() {
        if i > 0 {
            let u = row[i - 1];
            let gap = if graph.is_dummy(u) || graph.is_dummy(v) {
                options.edge_gap
            } else {
                options.box_gap
            };
            sum += (graph.size[u].width + graph.size[v].width) / 2.0 + gap;
        }
        offset.push(sum);
    }
    let weights: Vec<f64> = row
        .iter()
        .map(|&v| if graph.is_dummy(v) { DUMMY_WEIGHT } else { 1.0 })
        .collect();
    let wanted: Vec<f64> = targets.iter().zip(&offset).map(|(t, c)| t - c).collect();
    let fitted = isotonic(&wanted, &weights);
    for (i, &v) in row.iter().enumerate() {
        x[v] = fitted[i] + offset[i];
    }
}

/// The non-decreasing sequence closest to `values` in weighted least
/// squares (pool-adjacent-violators).
fn isotonic(values: &[f64], weights: &[f64]) -> Vec<f64> {
    // Blocks of (weight, weighted sum, length), merged while out of order.
    let mut blocks: Vec<(f64, f64, usize)> = Vec::with_capacity(values.len());
    for (&value, &weight) in values.iter().zip(weights) {
        blocks.push((weight, weight * value, 1));
        while blocks.len() > 1 {
            let (w2, s2, n2) = blocks[blocks.len() - 1];
            let (w1, s1, n1) = blocks[blocks.len() - 2];
            if s1 / w1 <= s2 / w2 {
                break;
            }
            blocks.pop();
            let last = blocks.len() - 1;
            blocks[last] = (w1 + w2, s1 + s2, n1 + n2);
        }
    }
    blocks
        .into_iter()
        .flat_map(|(w, s, n)| std::iter::repeat_n(s / w, n))
        .collect()
}

/// The boxes, the routes and the drawing's size.
pub(crate) fn finish(
    graph: &Layered,
    placed: &Placed,
    edges: &[(usize, usize)],
    options: &Options,
    crossings: usize,
) -> Layout {
    let boxes: Vec<Rect> = (0..graph.real)
        .map(|v| {
            let size = graph.size[v];
            let layer = graph.layer[v];
            let middle = placed.row_top[layer] + placed.row_height[layer] / 2.0;
            Rect {
                x: placed.x[v] - size.width / 2.0,
                y: middle - size.height / 2.0,
                width: size.width,
                height: size.height,
            }
        })
        .collect();
    let out_ports = ports(graph, placed, edges, &boxes, true);
    let in_ports = ports(graph, placed, edges, &boxes, false);
    let mut routes = Vec::with_capacity(edges.len());
    for (e, chain) in graph.chains.iter().enumerate() {
        let (from, to) = edges[e];
        let mut route = Vec::new();
        let start = Point {
            x: out_ports[e],
            y: boxes[from].y + boxes[from].height,
        };
        route.push(start);
        let row_bottom = |layer: usize| placed.row_top[layer] + placed.row_height[layer];
        let from_bottom = row_bottom(graph.layer[from]);
        if from_bottom > start.y {
            route.push(Point {
                x: start.x,
                y: from_bottom,
            });
        }
        for &dummy in &chain[1..chain.len() - 1] {
            let layer = graph.layer[dummy];
            for y in [placed.row_top[layer], row_bottom(layer)] {
                route.push(Point {
                    x: placed.x[dummy],
                    y,
                });
            }
        }
        let end = Point {
            x: in_ports[e],
            y: boxes[to].y,
        };
        let to_top = placed.row_top[graph.layer[to]];
        if to_top < end.y {
            route.push(Point {
                x: end.x,
                y: to_top,
            });
        }
        route.push(end);
        routes.push(route);
    }
    let width = boxes
        .iter()
        .map(|b| b.x + b.width)
        .chain(graph.rows.iter().flatten().map(|&v| placed.x[v]))
        .fold(0.0, f64::max)
        + options.margin;
    let height = match (placed.row_top.last(), placed.row_height.last()) {
        (Some(top), Some(height)) => top + height + options.margin,
        _ => 2.0 * options.margin,
    };
    Layout {
        boxes,
        routes,
        width,
        height,
        crossings,
    }
}

/// The x where each edge leaves its source (`outgoing`) or enters its
/// target: the edges of one box side are spread over the middle 60% of its
/// width, in the order of the x of their next (or previous) vertex, so that
/// they do not cross at the box.
fn ports(
    graph: &Layered,
    placed: &Placed,
    edges: &[(usize, usize)],
    boxes: &[Rect],
    outgoing: bool,
) -> Vec<f64> {
    let mut port = vec![0.0; edges.len()];
    let mut by_vertex: Vec<Vec<(f64, usize)>> = vec![Vec::new(); graph.real];
    for (e, chain) in graph.chains.iter().enumerate() {
        let (vertex, other) = if outgoing {
            (chain[0], chain[1])
        } else {
            (chain[chain.len() - 1], chain[chain.len() - 2])
        };
        by_vertex[vertex].push((placed.x[other], e));
    }
    for (v, mut list) in by_vertex.into_iter().enumerate() {
        list.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        let count = list.len() as f64;
        let b = boxes[v];
        let centre = b.x + b.width / 2.0;
        for (i, &(_, e)) in list.iter().enumerate() {
            port[e] = centre + 0.6 * b.width * ((i as f64 + 0.5) / count - 0.5);
        }
    }
    port
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn isotonic_regression_pools_violators_by_weight() {
        assert_eq!(isotonic(&[1.0, 2.0, 3.0], &[1.0; 3]), [1.0, 2.0, 3.0]);
        assert_eq!(isotonic(&[3.0, 1.0], &[1.0, 1.0]), [2.0, 2.0]);
        assert_eq!(isotonic(&[3.0, 0.0], &[1.0, 2.0]), [1.0, 1.0]);
        assert_eq!(
            isotonic(&[1.0, 4.0, 2.0, 0.0], &[1.0; 4]),
            [1.0, 2.0, 2.0, 2.0]
        );
    }
}
