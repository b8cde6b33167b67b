//! The layout's promises, checked on many pseudo-random graphs: no two
//! boxes overlap, every route runs downwards from its source's bottom to its
//! target's top without passing through a box, and the result is the same
//! every time.

use super::*;

/// A small deterministic generator (SplitMix64) for test graphs.
struct Mix(u64);

impl Mix {
    fn next(&mut self, bound: usize) -> usize {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) % bound as u64) as usize
    }
}

/// A random DAG: edges only from lower to higher index.
fn random_graph(seed: u64) -> (Vec<Size>, Vec<(usize, usize)>) {
    let mut mix = Mix(seed);
    let count = 2 + mix.next(40);
    let sizes = (0..count)
        .map(|_| Size {
            width: 20.0 + mix.next(160) as f64,
            height: 20.0 + mix.next(30) as f64,
        })
        .collect();
    let mut edges = Vec::new();
    for _ in 0..mix.next(3 * count) {
        let a = mix.next(count);
        let b = mix.next(count);
        if a < b {
            edges.push((a, b));
        }
    }
    (sizes, edges)
}

fn run(sizes: &[Size], edges: &[(usize, usize)]) -> Layout {
    let layers = longest_path_layers(sizes.len(), edges).expect("acyclic");
    layout(sizes, edges, &layers, &Options::default()).expect("laid out")
}

#[test]
fn no_boxes_overlap_and_routes_run_down_between_boxes() {
    for seed in 0..200 {
        let (sizes, edges) = random_graph(seed);
        let placed = run(&sizes, &edges);
        let boxes = &placed.boxes;
        for (i, a) in boxes.iter().enumerate() {
            assert_eq!((a.width, a.height), (sizes[i].width, sizes[i].height));
            assert!(a.x >= 0.0 && a.y >= 0.0, "seed {seed}: {a:?}");
            assert!(a.x + a.width <= placed.width && a.y + a.height <= placed.height);
            for b in &boxes[i + 1..] {
                assert!(!a.overlaps(b), "seed {seed}: {a:?} overlaps {b:?}");
            }
        }
        for (e, route) in placed.routes.iter().enumerate() {
            let (from, to) = edges[e];
            let (first, last) = (route[0], route[route.len() - 1]);
            let (source, target) = (boxes[from], boxes[to]);
            assert_eq!(first.y, source.y + source.height, "seed {seed} edge {e}");
            assert!(first.x >= source.x && first.x <= source.x + source.width);
            assert_eq!(last.y, target.y, "seed {seed} edge {e}");
            assert!(last.x >= target.x && last.x <= target.x + target.width);
            for pair in route.windows(2) {
                assert!(pair[0].y <= pair[1].y, "seed {seed} edge {e}: {route:?}");
                // A vertical piece (through a row) touches no box but its ends'.
                if pair[0].x == pair[1].x && pair[0].y < pair[1].y {
                    for (v, b) in boxes.iter().enumerate() {
                        if v == from || v == to {
                            continue;
                        }
                        let inside_x = pair[0].x > b.x && pair[0].x < b.x + b.width;
                        let inside_y = pair[0].y < b.y + b.height && pair[1].y > b.y;
                        assert!(
                            !(inside_x && inside_y),
                            "seed {seed} edge {e} crosses box {v}"
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn the_same_graph_gives_the_same_layout() {
    for seed in [3, 17, 99] {
        let (sizes, edges) = random_graph(seed);
        assert_eq!(run(&sizes, &edges), run(&sizes, &edges));
    }
}

#[test]
fn a_chain_is_a_straight_column_and_a_fan_is_centred() {
    let size = Size {
        width: 40.0,
        height: 20.0,
    };
    let chain = run(&[size; 3], &[(0, 1), (1, 2)]);
    let centres: Vec<f64> = chain.boxes.iter().map(|b| b.x + b.width / 2.0).collect();
    assert_eq!(centres[0], centres[1]);
    assert_eq!(centres[1], centres[2]);
    assert!(chain.boxes[0].y < chain.boxes[1].y && chain.boxes[1].y < chain.boxes[2].y);
    // One parent, two children: the parent sits over the middle of the two.
    let fan = run(&[size; 3], &[(0, 1), (0, 2)]);
    let centre = |i: usize| fan.boxes[i].x + fan.boxes[i].width / 2.0;
    assert!((centre(0) - (centre(1) + centre(2)) / 2.0).abs() < 1e-9);
    assert_eq!(fan.crossings, 0);
}

#[test]
fn bad_input_is_an_error_not_a_panic() {
    let size = Size {
        width: 10.0,
        height: 10.0,
    };
    let options = Options::default();
    assert_eq!(
        layout(&[size; 2], &[(0, 1)], &[1, 0], &options),
        Err(LayoutError::NotDownwards { edge: 0 })
    );
    assert_eq!(
        layout(&[size; 2], &[(0, 5)], &[0, 1], &options),
        Err(LayoutError::NoVertex { edge: 0 })
    );
    assert_eq!(
        layout(&[size; 2], &[], &[0], &options),
        Err(LayoutError::Layers)
    );
    let empty = layout(&[], &[], &[], &options).expect("nothing to lay out");
    assert!(empty.boxes.is_empty() && empty.routes.is_empty());
}
