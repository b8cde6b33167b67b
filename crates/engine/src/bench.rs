//! Measures for `uchronia bench`: how many random words a trial of a model
//! needs, and how fast this machine can make uniforms on the current rayon
//! pool. Their ratio is the random-number limit: the trials per second no
//! engine could beat, which the measured throughput is printed beside.

use std::convert::Infallible;
use std::time::Instant;

use rand::{Rng, SeedableRng, TryRng};
use rand_xoshiro::{SplitMix64, Xoshiro256PlusPlus};
use uchronia_distributions::{Dist, DistKind, open01};
use uchronia_model::{DistExpr, Expr, Model, NodeKind};

/// A generator that counts the 64-bit words drawn from it.
struct Counting {
    inner: SplitMix64,
    words: u64,
}

impl TryRng for Counting {
    type Error = Infallible;

    fn try_next_u32(&mut self) -> Result<u32, Infallible> {
        self.words += 1;
        Ok(self.inner.next_u32())
    }

    fn try_next_u64(&mut self) -> Result<u64, Infallible> {
        self.words += 1;
        Ok(self.inner.next_u64())
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Infallible> {
        self.words += dst.len().div_ceil(8) as u64;
        self.inner.fill_bytes(dst);
        Ok(())
    }
}

/// A typical distribution of `kind`, for nodes whose arguments vary.
fn representative(kind: DistKind) -> Option<Dist> {
    Dist::new(kind, kind.example_args()).ok()
}

/// The mean number of words `dist.sample` draws, over a fixed-seed sample.
fn words_per_sample(dist: &Dist) -> f64 {
    const SAMPLES: u64 = 4096;
    let mut rng = Counting {
        inner: SplitMix64::seed_from_u64(0x5eed),
        words: 0,
    };
    let mut checksum = 0.0;
    for _ in 0..SAMPLES {
        checksum += dist.sample(&mut rng);
    }
    std::hint::black_box(checksum);
    rng.words as f64 / SAMPLES as f64
}

/// The random words one trial of `model` needs, as the reference of the
/// random-number limit: one per boolean and categorical node (boolean nodes
/// draw about 8 words per 64 trials since random stream version 2; the
/// limit keeps counting one, the reference the targets were set against),
/// and for a numeric node the mean number of words its
/// sampler draws (measured on a fixed-seed sample, with the node's own
/// arguments when they are literals and a typical distribution of its kind
/// otherwise), at least one. Derived nodes need none.
pub fn random_words_per_trial(model: &Model) -> f64 {
    model
        .nodes
        .iter()
        .map(|node| match &node.kind {
            NodeKind::Boolean { .. } | NodeKind::Categorical { .. } => 1.0,
            NodeKind::Derived { .. } => 0.0,
            NodeKind::Numeric { dist, .. } => {
                let literal = |e: &Expr| match e {
                    Expr::Number(x) => Some(*x),
                    _ => None,
                };
                let dist = match dist {
                    DistExpr::Args { kind, args } => args
                        .iter()
                        .map(literal)
                        .collect::<Option<Vec<f64>>>()
                        .and_then(|a| Dist::new(*kind, &a).ok())
                        .or_else(|| representative(*kind)),
                    DistExpr::Ci90 { kind, lo, hi } => literal(lo)
                        .zip(literal(hi))
                        .and_then(|(lo, hi)| Dist::from_ci90(*kind, lo, hi).ok())
                        .or_else(|| representative(*kind)),
                };
                dist.map_or(1.0, |d| words_per_sample(&d).max(1.0))
            }
        })
        .sum()
}

/// Uniforms per second, `open01(next_u64())` from a Xoshiro256++ per thread,
/// summed over every thread of the current rayon pool (install a pool to
/// choose the thread count), measured for about `seconds` of wall time. Each
/// thread sums its uniforms into a checksum so the loop is not optimised away.
pub fn uniform_draws_per_second(seconds: f64) -> f64 {
    const BATCH: u64 = 1 << 16;
    let seconds = if seconds.is_finite() && seconds > 0.0 {
        seconds
    } else {
        0.1
    };
    let start = Instant::now();
    let per_thread = rayon::broadcast(|context| {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(context.index() as u64);
        let mut count = 0u64;
        let mut checksum = 0.0;
        loop {
            for _ in 0..BATCH {
                checksum += open01(rng.next_u64());
            }
            count += BATCH;
            if start.elapsed().as_secs_f64() >= seconds {
                break;
            }
        }
        std::hint::black_box(checksum);
        count
    });
    let elapsed = start.elapsed().as_secs_f64();
    per_thread.iter().sum::<u64>() as f64 / elapsed
}
