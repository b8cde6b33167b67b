//! A prototype measurement for the bit-mask design of boolean nodes
//! (docs/performance.md, "Design, not built"): NOT the engine. A synthetic
//! chain of boolean nodes, each over two earlier boolean parents through a
//! table of 4 thresholds, run 64 trials at a time two ways:
//!
//! - `columns`: today's engine layout: one random word per node per trial,
//!   one `f64` per trial, a table position per trial, a threshold compare;
//! - `masks`: one `u64` per node per batch; the parents' configurations as
//!   masks, the thresholds as bit planes, 64 Bernoulli draws at once by
//!   comparing random bit planes (about 8 words per batch instead of 64),
//!   the last node counted with a popcount.
//!
//! It first checks that the plane comparison is exact (each lane's result
//! is its 53-bit uniform's comparison with its threshold), then prints the
//! median CPU times of both over a few alternated repetitions.
//! `cargo run --release -p uchronia-engine --example bitmask_prototype -- [BATCHES] [NODES] [REPS]`

use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

const END: u64 = 1 << 53;

/// A boolean node: two parents (earlier nodes) and 4 thresholds, by
/// configuration `parent0 + 2 * parent1`.
struct Node {
    parents: [usize; 2],
    limits: [u64; 4],
}

fn network(n: usize, seed: u64) -> Vec<Node> {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    (0..n)
        .map(|i| {
            let parent = |rng: &mut Xoshiro256PlusPlus| {
                if i == 0 {
                    0
                } else {
                    (rng.next_u64() % i as u64) as usize
                }
            };
            let parents = [parent(&mut rng), parent(&mut rng)];
            let limits = [0; 4].map(|_: u64| {
                let p = 0.05 + 0.9 * (rng.next_u64() >> 11) as f64 / END as f64;
                (p * END as f64) as u64
            });
            Node { parents, limits }
        })
        .collect()
}

/// A counter-based word: the SplitMix64 finaliser of a counter, so that
/// plane `j` of node `k` in batch `b` is the same whatever was drawn before.
#[inline]
fn word(seed: u64, batch: u64, node: u64, plane: u64) -> u64 {
    let mut z = seed ^ (batch << 24) ^ (node << 8) ^ plane;
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Today's layout, written as the engine writes it (positions as floats
/// read through their mantissa, no bounds check in the inner loop): returns
/// how many trials the last node was true in.
fn columns(nodes: &[Node], batches: u64, seed: u64) -> u64 {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let n = nodes.len();
    let mut words = vec![[0u64; 64]; n];
    let mut slots = vec![[0.0f64; 64]; n];
    let mut count = 0u64;
    for _ in 0..batches {
        for column in words.iter_mut() {
            for w in column.iter_mut() {
                *w = rng.next_u64();
            }
        }
        for (k, node) in nodes.iter().enumerate() {
            let (a, b) = (slots[node.parents[0]], slots[node.parents[1]]);
            let mut out = [0.0f64; 64];
            for t in 0..64 {
                // 2^52 puts the position in the low mantissa bits.
                let position = (a[t] + 2.0 * b[t] + 4_503_599_627_370_496.0).to_bits() & 3;
                let limit = node.limits[position as usize];
                out[t] = f64::from(u8::from((words[k][t] >> 11) < limit));
            }
            slots[k] = out;
        }
        count += slots[n - 1].iter().map(|&x| x as u64).sum::<u64>();
    }
    count
}

/// CPU seconds used by this process so far, from /proc/self/stat (1/100 s).
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let rest = stat.rsplit(')').next().unwrap_or("");
    let fields: Vec<f64> = rest
        .split_whitespace()
        .map(|f| f.parse().unwrap_or(0.0))
        .collect();
    (fields.get(11).unwrap_or(&0.0) + fields.get(12).unwrap_or(&0.0)) / 100.0
}

/// The planes of the thresholds over the lanes of each configuration, and
/// the comparison of random planes with them, most significant bit first.
#[inline]
fn draw_mask(node: &Node, masks: &[u64], seed: u64, batch: u64, k: u64) -> u64 {
    let (a, b) = (masks[node.parents[0]], masks[node.parents[1]]);
    let config = [!a & !b, a & !b, !a & b, a & b];
    let mut less = 0u64;
    let mut open = !0u64;
    for j in 0..53 {
        let bit = 52 - j;
        let mut plane = 0u64;
        for (m, &limit) in config.iter().zip(&node.limits) {
            plane |= m & 0u64.wrapping_sub((limit >> bit) & 1);
        }
        let r = word(seed, batch, k, j);
        less |= open & !r & plane;
        open &= !(r ^ plane);
        if open == 0 {
            break;
        }
    }
    less
}

/// The bit-mask layout: returns how many trials the last node was true in.
fn masks(nodes: &[Node], batches: u64, seed: u64) -> u64 {
    let mut masks = vec![0u64; nodes.len()];
    let mut count = 0u64;
    for batch in 0..batches {
        for (k, node) in nodes.iter().enumerate() {
            masks[k] = draw_mask(node, &masks, seed, batch, k as u64);
        }
        count += u64::from(masks[nodes.len() - 1].count_ones());
    }
    count
}

/// Each lane's result must be `k < limit` for the lane's 53-bit integer
/// `k` rebuilt from all 53 planes.
fn check_exact(nodes: &[Node], seed: u64) -> Result<(), String> {
    let mut masks = vec![0u64; nodes.len()];
    for batch in 0..2000 {
        for (k, node) in nodes.iter().enumerate() {
            let got = draw_mask(node, &masks, seed, batch, k as u64);
            for lane in 0..64 {
                let bit_of = |m: u64| (m >> lane) & 1;
                let config = bit_of(masks[node.parents[0]]) + 2 * bit_of(masks[node.parents[1]]);
                let mut value = 0u64;
                for j in 0..53 {
                    value = (value << 1) | bit_of(word(seed, batch, k as u64, j));
                }
                let want = u64::from(value < node.limits[config as usize]);
                if bit_of(got) != want {
                    return Err(format!("batch {batch} node {k} lane {lane}"));
                }
            }
            masks[k] = got;
        }
    }
    Ok(())
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}

fn main() {
    let args: Vec<u64> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse::<f64>().ok().map(|x| x as u64))
        .collect();
    let batches = args.first().copied().unwrap_or(100_000);
    let n = args.get(1).copied().unwrap_or(40).max(1) as usize;
    let reps = args.get(2).copied().unwrap_or(5).max(1);
    let nodes = network(n, 7);
    match check_exact(&nodes, 11) {
        Ok(()) => {
            println!("exact: every lane of 2000 batches x {n} nodes is its uniform's comparison")
        }
        Err(lane) => {
            eprintln!("NOT exact at {lane}");
            std::process::exit(1);
        }
    }
    let trials = (batches * 64) as f64;
    let (mut old, mut new) = (Vec::new(), Vec::new());
    for rep in 0..reps {
        let start = cpu_seconds();
        let a = columns(&nodes, batches, rep);
        old.push(cpu_seconds() - start);
        let start = cpu_seconds();
        let b = masks(&nodes, batches, rep);
        new.push(cpu_seconds() - start);
        println!(
            "rep {rep}: last node true in {:.4} (columns) and {:.4} (masks) of trials",
            a as f64 / trials,
            b as f64 / trials
        );
    }
    let (old, new) = (median(old), median(new));
    let per = |s: f64| s * 1e9 / (trials * n as f64);
    println!(
        "{n} nodes, {batches} batches of 64 trials, CPU seconds: columns {:.2} s ({:.2} ns per node-trial), masks {:.2} s ({:.2} ns per node-trial): {:.1}x",
        old,
        per(old),
        new,
        per(new),
        old / new
    );
}
