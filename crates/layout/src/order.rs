//! Step 2: the order of the vertices within each layer.
//!
//! An edge spanning several layers is split by dummy vertices (width 0),
//! one per layer it crosses, so that every edge of the [`Layered`] graph
//! joins two adjacent layers and crossings can be counted layer by layer.
//! Then the layers are sorted by the barycentre (mean position) of each
//! vertex's neighbours in the layer above, top to bottom, then in the layer
//! below, bottom to top, and so on; the order with the fewest crossings seen
//! is kept. A vertex without neighbours on that side keeps its place.

use crate::Size;

/// Sweeps of the barycentre heuristic (half down, half up).
const SWEEPS: usize = 24;

/// The graph with dummies, every edge between adjacent layers.
#[derive(Clone, Debug)]
pub(crate) struct Layered {
    /// Layer of each vertex: the real ones first (input indices), then dummies.
    pub layer: Vec<usize>,
    /// Size of each vertex (dummies are 0 x 0).
    pub size: Vec<Size>,
    /// The number of real vertices.
    pub real: usize,
    /// Neighbours in the layer above, one entry per edge.
    pub above: Vec<Vec<usize>>,
    /// Neighbours in the layer below, one entry per edge.
    pub below: Vec<Vec<usize>>,
    /// The vertices of each layer, left to right.
    pub rows: Vec<Vec<usize>>,
    /// Per input edge, the vertices it passes: source, dummies, target.
    pub chains: Vec<Vec<usize>>,
}

impl Layered {
    /// Splits long edges; each layer starts in index order.
    pub fn new(sizes: &[Size], edges: &[(usize, usize)], layers: &[usize]) -> Layered {
        let mut graph = Layered {
            layer: layers.to_vec(),
            size: sizes.to_vec(),
            real: sizes.len(),
            above: vec![Vec::new(); sizes.len()],
            below: vec![Vec::new(); sizes.len()],
            rows: Vec::new(),
            chains: Vec::with_capacity(edges.len()),
        };
        for &(from, to) in edges {
            let mut chain = vec![from];
            let mut previous = from;
            for layer in layers[from] + 1..layers[to] {
                let dummy = graph.layer.len();
                graph.layer.push(layer);
                graph.size.push(Size {
                    width: 0.0,
                    height: 0.0,
                });
                graph.above.push(Vec::new());
                graph.below.push(Vec::new());
                graph.link(previous, dummy);
                chain.push(dummy);
                previous = dummy;
            }
            graph.link(previous, to);
            chain.push(to);
            graph.chains.push(chain);
        }
        let count = graph.layer.iter().map(|&l| l + 1).max().unwrap_or(0);
        graph.rows = vec![Vec::new(); count];
        for (v, &l) in graph.layer.iter().enumerate() {
            graph.rows[l].push(v);
        }
        graph
    }

    fn link(&mut self, upper: usize, lower: usize) {
        self.below[upper].push(lower);
        self.above[lower].push(upper);
    }

    /// Whether `v` is a dummy.
    pub fn is_dummy(&self, v: usize) -> bool {
        v >= self.real
    }

    /// The position of every vertex within its row.
    pub fn positions(&self) -> Vec<usize> {
        let mut position = vec![0; self.layer.len()];
        for row in &self.rows {
            for (i, &v) in row.iter().enumerate() {
                position[v] = i;
            }
        }
        position
    }

    /// The number of crossings of edges between every pair of adjacent rows.
    pub fn crossings(&self) -> usize {
        let position = self.positions();
        let mut total = 0;
        for row in &self.rows {
            let mut ends: Vec<(usize, usize)> = row
                .iter()
                .flat_map(|&v| self.below[v].iter().map(move |&w| (v, w)))
                .map(|(v, w)| (position[v], position[w]))
                .collect();
            ends.sort_unstable();
            // Two edges cross when their upper ends and lower ends are in
            // opposite orders; sorted by upper end, count inversions below.
            for i in 0..ends.len() {
                for j in i + 1..ends.len() {
                    if ends[i].0 < ends[j].0 && ends[i].1 > ends[j].1 {
                        total += 1;
                    }
                }
            }
        }
        total
    }
}

/// Orders the rows of `graph` to reduce crossings; returns the crossings left.
pub(crate) fn reduce_crossings(graph: &mut Layered) -> usize {
    let mut best_rows = graph.rows.clone();
    let mut best = graph.crossings();
    for sweep in 0..SWEEPS {
        if best == 0 {
            break;
        }
        let downwards = sweep % 2 == 0;
        let count = graph.rows.len();
        let layers: Vec<usize> = if downwards {
            (1..count).collect()
        } else {
            (0..count.saturating_sub(1)).rev().collect()
        };
        for layer in layers {
            sort_row(graph, layer, downwards);
        }
        let crossings = graph.crossings();
        if crossings < best {
            best = crossings;
            best_rows = graph.rows.clone();
        }
    }
    graph.rows = best_rows;
    best
}

/// Sorts one row by the barycentre of each vertex's neighbours above
/// (`downwards`) or below.
fn sort_row(graph: &mut Layered, layer: usize, downwards: bool) {
    let position = graph.positions();
    let row = &graph.rows[layer];
    // Positions are scaled to [0, 1] within their rows, so that a vertex
    // without neighbours (kept at its own relative place) compares fairly
    // with rows of other lengths.
    let scale = |v: usize, positions: &[usize], rows: &[Vec<usize>]| {
        let len = rows[graph.layer[v]].len().max(1) as f64;
        (positions[v] as f64 + 0.5) / len
    };
    let mut keyed: Vec<(f64, usize, usize)> = row
        .iter()
        .enumerate()
        .map(|(i, &v)| {
            let neighbours = if downwards {
                &graph.above[v]
            } else {
                &graph.below[v]
            };
            let key = if neighbours.is_empty() {
                scale(v, &position, &graph.rows)
            } else {
                neighbours
                    .iter()
                    .map(|&n| scale(n, &position, &graph.rows))
                    .sum::<f64>()
                    / neighbours.len() as f64
            };
            (key, i, v)
        })
        .collect();
    keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    graph.rows[layer] = keyed.into_iter().map(|(_, _, v)| v).collect();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(count: usize) -> Vec<Size> {
        vec![
            Size {
                width: 10.0,
                height: 10.0
            };
            count
        ]
    }

    #[test]
    fn long_edges_get_one_dummy_per_layer_crossed() {
        let graph = Layered::new(&unit(3), &[(0, 1), (0, 2), (1, 2)], &[0, 1, 3]);
        assert_eq!(graph.layer.len(), 3 + 2 + 1);
        assert_eq!(graph.chains[0], [0, 1]);
        assert_eq!(graph.chains[1].len(), 4);
        assert_eq!(graph.chains[2].len(), 3);
        assert!(graph.chains[1][1..3].iter().all(|&d| graph.is_dummy(d)));
    }

    #[test]
    fn a_crossing_that_an_order_can_avoid_is_avoided() {
        // 0 -> 3, 1 -> 2: in index order the two edges cross.
        let mut graph = Layered::new(&unit(4), &[(0, 3), (1, 2)], &[0, 0, 1, 1]);
        assert_eq!(graph.crossings(), 1);
        assert_eq!(reduce_crossings(&mut graph), 0);
        assert_eq!(graph.crossings(), 0);
        // Every order of K(3,3) in two layers has 3 x 3 = 9 crossings.
        let mut edges = Vec::new();
        for a in 0..3 {
            for b in 3..6 {
                edges.push((a, b));
            }
        }
        let mut graph = Layered::new(&unit(6), &edges, &[0, 0, 0, 1, 1, 1]);
        assert_eq!(reduce_crossings(&mut graph), 9);
    }
}
