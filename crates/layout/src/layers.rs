//! Step 1: the layer (row) of each vertex.
//!
//! [`longest_path_layers`] is the default: a vertex sits one row below its
//! lowest parent, so every edge points down and a causal chain reads top to
//! bottom. A source (a vertex without parents, such as a parameter) is then
//! moved down to just above its highest child, so that it sits beside what
//! it feeds instead of at the top with a long edge. Another layering (by
//! year, see the crate's documentation) can replace this function: the rest
//! of the layout takes any layers whose edges point down.

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
    // Kahn's algorithm, in index order for determinism.
    let mut layer = vec![0usize; count];
    let mut ready: Vec<usize> = (0..count).rev().filter(|&v| parents[v] == 0).collect();
    let mut seen = 0;
    while let Some(v) = ready.pop() {
        seen += 1;
        for &child in &children[v] {
            layer[child] = layer[child].max(layer[v] + 1);
            parents[child] -= 1;
            if parents[child] == 0 {
                ready.push(child);
            }
        }
    }
    if seen < count {
        return Err(LayoutError::Cycle);
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

#[cfg(test)]
mod tests {
    use super::*;

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
