//! A layered (Sugiyama-style) layout of a directed acyclic graph, for
//! `uchronia graph --svg`: boxes of given sizes in horizontal layers, edges
//! running downwards, few crossings, no overlaps.
//!
//! The classic four steps, each in its own module, each a pure function:
//!
//! 1. **Layers** ([`layers`]): which row each vertex sits in. The caller
//!    chooses: [`longest_path_layers`] puts each vertex one row below its
//!    lowest parent (and a source just above its highest child), which in a
//!    causal model of history is roughly the order of time. The layout
//!    itself only needs every edge to go down (`layer[from] < layer[to]`),
//!    so layers can later follow the nodes' `year`s instead (a timeline):
//!    [`banded_layers`] gives each distinct year a band of rows, ordered by
//!    year, and within a band uses the longest path among that band's
//!    vertices. The chronology rule of the model (a node reads only parents
//!    decided no later) keeps every edge pointing down or within a band.
//! 2. **Order** ([`order`]): an edge spanning several layers is split by
//!    invisible "dummy" vertices, one per layer crossed, then each layer is
//!    ordered by the barycentre of its neighbours, sweeping down and up and
//!    keeping the order with the fewest crossings.
//! 3. **Coordinates** ([`place`]): each layer's vertices, in that order, are
//!    pulled towards their neighbours' x by an exact least-squares fit that
//!    keeps the gaps between boxes (pool-adjacent-violators), sweeping a few
//!    times; rows are stacked with a gap between them.
//! 4. **Routes**: each edge becomes a polyline from the bottom of its source
//!    box, through its dummies, to the top of its target box; edges leaving
//!    or entering one box are spread along its side in the order of their
//!    other ends, so they do not cross at the box.
//!
//! Deterministic: the same input gives the same output, bit for bit (ties
//! are broken by index, never by a hash).

mod layers;
mod order;
mod place;

pub use layers::{banded_layers, longest_path_layers};

/// The width and height of a box, in the caller's units (pixels in SVG).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Size {
    /// Width.
    pub width: f64,
    /// Height.
    pub height: f64,
}

/// A point; y grows downwards, as in SVG.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Point {
    /// Horizontal position.
    pub x: f64,
    /// Vertical position.
    pub y: f64,
}

/// A placed box: its top-left corner and size.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rect {
    /// Left edge.
    pub x: f64,
    /// Top edge.
    pub y: f64,
    /// Width.
    pub width: f64,
    /// Height.
    pub height: f64,
}

impl Rect {
    /// Whether the two rectangles share any interior point.
    pub fn overlaps(&self, other: &Rect) -> bool {
        self.x < other.x + other.width
            && other.x < self.x + self.width
            && self.y < other.y + other.height
            && other.y < self.y + self.height
    }
}

/// Spacing of the layout.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Options {
    /// Horizontal space between two boxes of a layer.
    pub box_gap: f64,
    /// Horizontal space kept free around an edge passing through a layer.
    pub edge_gap: f64,
    /// Vertical space between two layers.
    pub layer_gap: f64,
    /// Space around the whole drawing.
    pub margin: f64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            box_gap: 24.0,
            edge_gap: 6.0,
            layer_gap: 56.0,
            margin: 16.0,
        }
    }
}

/// The result: one box per vertex and one route per edge, in input order.
#[derive(Clone, Debug, PartialEq)]
pub struct Layout {
    /// Where each vertex's box goes.
    pub boxes: Vec<Rect>,
    /// Each edge's route: from the bottom of its source's box to the top of
    /// its target's, through one point per layer crossed. At least two points.
    pub routes: Vec<Vec<Point>>,
    /// The size of the whole drawing, margins included.
    pub width: f64,
    /// The size of the whole drawing, margins included.
    pub height: f64,
    /// The number of edge crossings between layers in the chosen order.
    pub crossings: usize,
}

/// Why a graph cannot be laid out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LayoutError {
    /// An edge names a vertex that does not exist.
    NoVertex {
        /// The edge's index.
        edge: usize,
    },
    /// An edge does not go down: `layer[from] >= layer[to]`.
    NotDownwards {
        /// The edge's index.
        edge: usize,
    },
    /// The graph has a cycle (from [`longest_path_layers`]).
    Cycle,
    /// `layers` does not have one entry per vertex.
    Layers,
}

impl std::fmt::Display for LayoutError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LayoutError::NoVertex { edge } => {
                write!(f, "edge {edge} names a vertex that does not exist")
            }
            LayoutError::NotDownwards { edge } => {
                write!(f, "edge {edge} does not go to a lower layer")
            }
            LayoutError::Cycle => write!(f, "the graph has a cycle"),
            LayoutError::Layers => write!(f, "the layers do not match the vertices"),
        }
    }
}

impl std::error::Error for LayoutError {}

/// Lays out vertices of `sizes` joined by `edges` (`(from, to)` indices), in
/// the given `layers` (row numbers from 0, top to bottom; every edge must go
/// to a higher number). Duplicate edges are allowed and drawn once each.
pub fn layout(
    sizes: &[Size],
    edges: &[(usize, usize)],
    layers: &[usize],
    options: &Options,
) -> Result<Layout, LayoutError> {
    if layers.len() != sizes.len() {
        return Err(LayoutError::Layers);
    }
    for (i, &(from, to)) in edges.iter().enumerate() {
        if from >= sizes.len() || to >= sizes.len() {
            return Err(LayoutError::NoVertex { edge: i });
        }
        if layers[from] >= layers[to] {
            return Err(LayoutError::NotDownwards { edge: i });
        }
    }
    let mut graph = order::Layered::new(sizes, edges, layers);
    let crossings = order::reduce_crossings(&mut graph);
    let placed = place::coordinates(&graph, options);
    Ok(place::finish(&graph, &placed, edges, options, crossings))
}

#[cfg(test)]
mod tests;
