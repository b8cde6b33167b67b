//! Step 1: the layer (row) of each vertex.
//!
//! [`longest_path_layers`] is the default: a vertex sits one row below its
//! lowest parent, so every edge points down and a causal chain reads top to
//! bottom. A source (a vertex without parents, such as a parameter) is then
//! moved down to just above its highest child, so that it sits beside what
//! it feeds instead of at the top with a long edge. Another layering (by
//! year) can replace this function: the rest of the layout takes any layers
//! whose edges point down. [`banded_layers`] is that layering, ready for
//! the nodes' `year`s: give each vertex its year (or its year's rank) as its
//! band, and the rows become a timeline.

use crate::LayoutError;

/// The longest-path layers of the graph of `count` vertices joined by
/// `edges`, sources moved down beside their children. Fails on a cycle or
/// an edge naming a missing vertex.
pub fn longest_path_layers(
    count: usize,
    edges: &[(usize, usize)],
) -> Result<Vec<usize>, LayoutError> {
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); count];
    let mut parents = vec![0usize; count];
    for (i, &(from, to)) in edges.iter().enumerate() {
        if from >= count || to >= count {
            return Err(LayoutError::NoVertex { edge: i });
        }
        children[from].push(to);
        parents[to] += 1;
    }
    let is_source: Vec<bool> = parents.iter().map(|&p| p == 0).collect();
    let mut layer = vec![0usize; count];
    for v in topological_order(count, edges)? {
        for &child in &children[v] {
            layer[child] = layer[child].max(layer[v] + 1);
        }
    }
    for v in 0..count {
        if is_source[v]
            && let Some(lowest) = children[v].iter().map(|&c| layer[c]).min()
        {
            layer[v] = lowest - 1;
        }
    }
    Ok(layer)
}

/// The vertices in an order where every edge goes forward (Kahn's
/// algorithm, smallest index first among the ready ones); fails on a cycle.
/// The edges' ends must exist.
fn topological_order(count: usize, edges: &[(usize, usize)]) -> Result<Vec<usize>, LayoutError> {
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); count];
    let mut waiting = vec![0usize; count];
    for &(from, to) in edges {
        children[from].push(to);
        waiting[to] += 1;
    }
    let mut ready: Vec<usize> = (0..count).rev().filter(|&v| waiting[v] == 0).collect();
    let mut order = Vec::with_capacity(count);
    while let Some(v) = ready.pop() {
        order.push(v);
        for &child in &children[v] {
            waiting[child] -= 1;
            if waiting[child] == 0 {
                ready.push(child);
            }
        }
    }
    if order.len() < count {
        return Err(LayoutError::Cycle);
    }
    Ok(order)
}

/// Layers that follow a band per vertex (a year, say): bands are stacked in
/// increasing order, each as many rows as the longest chain of edges inside
/// it, and inside a band each vertex sits one row below its lowest parent of
/// the same band. Every edge then points down, provided no edge goes from a
/// later band to an earlier one (the model's chronology rule): such an edge
/// is refused as [`LayoutError::NotDownwards`], as is a cycle.
pub fn banded_layers(
    count: usize,
    edges: &[(usize, usize)],
    band: &[usize],
) -> Result<Vec<usize>, LayoutError> {
    if band.len() != count {
        return Err(LayoutError::Layers);
    }
    for (i, &(from, to)) in edges.iter().enumerate() {
        if from >= count || to >= count {
            return Err(LayoutError::NoVertex { edge: i });
        }
        if band[from] > band[to] {
            return Err(LayoutError::NotDownwards { edge: i });
        }
    }
    // The depth of each vertex inside its band: the longest chain of the
    // band's own edges above it, taken in topological order.
    let mut parents: Vec<Vec<usize>> = vec![Vec::new(); count];
    for &(from, to) in edges {
        if band[from] == band[to] {
            parents[to].push(from);
        }
    }
    let mut depth = vec![0usize; count];
    for v in topological_order(count, edges)? {
        depth[v] = parents[v].iter().map(|&p| depth[p] + 1).max().unwrap_or(0);
    }
    let mut height: std::collections::BTreeMap<usize, usize> = std::collections::BTreeMap::new();
    for v in 0..count {
        let rows = height.entry(band[v]).or_insert(0);
        *rows = (*rows).max(depth[v] + 1);
    }
    let mut offset = std::collections::BTreeMap::new();
    let mut next = 0;
    for (&b, &rows) in &height {
        offset.insert(b, next);
        next += rows;
    }
    Ok((0..count).map(|v| offset[&band[v]] + depth[v]).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands_stack_in_order_and_chains_inside_a_band_take_rows() {
        // Band 1917: 0 -> 1; band 1920: 2; band 1918: 3 (no edges).
        // Rows: 1917 takes two (0, 1), 1918 one, 1920 one.
        let edges = [(0, 1), (1, 2), (0, 2)];
        let layers = banded_layers(4, &edges, &[1917, 1917, 1920, 1918]).expect("valid");
        assert_eq!(layers, [0, 1, 3, 2]);
        // An edge from a later band back to an earlier one is refused.
        assert_eq!(
            banded_layers(2, &[(0, 1)], &[1930, 1920]),
            Err(LayoutError::NotDownwards { edge: 0 })
        );
        assert_eq!(banded_layers(2, &[], &[1]), Err(LayoutError::Layers));
        // Every edge points down: the layout accepts the rows.
        let size = crate::Size {
            width: 10.0,
            height: 10.0,
        };
        let placed = crate::layout(&[size; 4], &edges, &layers, &crate::Options::default());
        assert!(placed.is_ok());
    }

    #[test]
    fn each_vertex_sits_below_its_lowest_parent_and_sources_beside_their_children() {
        // 0 -> 1 -> 2 -> 3, and source 4 -> 3: 4 moves down to row 2.
        let edges = [(0, 1), (1, 2), (2, 3), (4, 3), (0, 3)];
        assert_eq!(longest_path_layers(5, &edges), Ok(vec![0, 1, 2, 3, 2]));
        // A source with two children sits above the higher one.
        let edges = [(0, 1), (1, 2), (3, 2), (3, 1)];
        assert_eq!(longest_path_layers(4, &edges), Ok(vec![0, 1, 2, 0]));
        // An isolated vertex stays at the top.
        assert_eq!(longest_path_layers(2, &[]), Ok(vec![0, 0]));
    }

    #[test]
    fn cycles_and_missing_vertices_are_refused() {
        assert_eq!(
            longest_path_layers(2, &[(0, 1), (1, 0)]),
            Err(LayoutError::Cycle)
        );
        assert_eq!(
            longest_path_layers(2, &[(0, 2)]),
            Err(LayoutError::NoVertex { edge: 0 })
        );
    }
}
