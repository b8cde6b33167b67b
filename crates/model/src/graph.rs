//! Ordering the graph: Kahn's algorithm, ties broken by file order, so that
//! the order is deterministic and as close to the author's as the arrows allow.

use std::collections::BTreeSet;

/// The result of sorting: every vertex once, parents before children where
/// possible, and a cycle when there is one.
pub struct Sorted {
    /// Every vertex; vertices on or after a cycle come last, in file order.
    pub order: Vec<usize>,
    /// A cycle `[a, b, c]` meaning `a -> b -> c -> a` (each a parent of the
    /// next), starting at its earliest vertex in the file.
    pub cycle: Option<Vec<usize>>,
}

/// Sorts vertices `0..parents.len()` (file order) so that each comes after
/// its parents. `parents[v]` lists the parents of `v`.
pub fn sort(parents: &[Vec<usize>]) -> Sorted {
    let n = parents.len();
    let mut children = vec![Vec::new(); n];
    let mut waiting = vec![0usize; n];
    for (child, list) in parents.iter().enumerate() {
        let mut seen = BTreeSet::new();
        for &parent in list {
            if seen.insert(parent) {
                children[parent].push(child);
                waiting[child] += 1;
            }
        }
    }
    let mut ready: BTreeSet<usize> = (0..n).filter(|&v| waiting[v] == 0).collect();
    let mut order = Vec::with_capacity(n);
    let mut placed = vec![false; n];
    while let Some(v) = ready.pop_first() {
        order.push(v);
        placed[v] = true;
        for &child in &children[v] {
            waiting[child] -= 1;
            if waiting[child] == 0 {
                ready.insert(child);
            }
        }
    }
    if order.len() == n {
        return Sorted { order, cycle: None };
    }
    let cycle = find_cycle(parents, &placed);
    order.extend((0..n).filter(|&v| !placed[v]));
    Sorted {
        order,
        cycle: Some(cycle),
    }
}

/// Every unplaced vertex has an unplaced parent, so walking up from one
/// must come back to a vertex already seen: that loop is a cycle.
fn find_cycle(parents: &[Vec<usize>], placed: &[bool]) -> Vec<usize> {
    let Some(start) = (0..parents.len()).find(|&v| !placed[v]) else {
        return Vec::new();
    };
    let mut path = vec![start];
    let mut current = start;
    loop {
        let Some(&parent) = parents[current].iter().find(|&&p| !placed[p]) else {
            return path;
        };
        if let Some(at) = path.iter().position(|&v| v == parent) {
            // path[at..] walks child -> parent; reverse to parent -> child.
            let mut cycle: Vec<usize> = path[at..].to_vec();
            cycle.reverse();
            let first = (0..cycle.len()).min_by_key(|&i| cycle[i]).unwrap_or(0);
            cycle.rotate_left(first);
            return cycle;
        }
        path.push(parent);
        current = parent;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ties_keep_file_order() {
        // 0 depends on 2; 1 is free; 2 is free.
        let sorted = sort(&[vec![2], vec![], vec![]]);
        assert_eq!(sorted.order, vec![1, 2, 0]);
        assert!(sorted.cycle.is_none());
    }

    #[test]
    fn cycle_is_reported_in_arrow_order() {
        // 0 <- 2 <- 1 <- 0, i.e. 0 -> 1 -> 2 -> 0; vertex 3 hangs off the cycle.
        let sorted = sort(&[vec![2], vec![0], vec![1], vec![0]]);
        assert_eq!(sorted.cycle, Some(vec![0, 1, 2]));
        assert_eq!(sorted.order.len(), 4);
    }

    #[test]
    fn self_loop() {
        let sorted = sort(&[vec![], vec![1]]);
        assert_eq!(sorted.cycle, Some(vec![1]));
    }
}
