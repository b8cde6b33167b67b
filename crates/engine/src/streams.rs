//! Random streams, derived from (seed, purpose, draw, chunk) and never from
//! a thread, so that any thread count or shard split draws the same numbers.

use rand::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;

/// Domain tag of the parameter streams (one per draw).
const PARAMS: u64 = 0x7061_7261_6d73_0001;
/// Domain tag of the trial streams (one per draw and chunk).
const TRIALS: u64 = 0x7472_6961_6c73_0002;
/// Domain tag of the keys of the LHS permutations (one per param and D).
const LHS: u64 = 0x6c68_735f_7065_0003;
/// Domain tag of the boolean nodes' bit planes (one key per draw and chunk).
const PLANES: u64 = 0x706c_616e_6573_0004;

/// SplitMix64's output function: a bijective avalanche of 64 bits.
#[inline]
pub(crate) fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// A 64-bit key for (seed, domain, a, b): each field is hashed in turn, so
/// neighbouring draws and chunks get unrelated keys.
fn key(seed: u64, domain: u64, a: u64, b: u64) -> u64 {
    const GAMMA: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut h = mix64(seed ^ domain);
    h = mix64(h ^ a.wrapping_mul(GAMMA).wrapping_add(1));
    mix64(h ^ b.wrapping_mul(GAMMA).wrapping_add(2))
}

/// The stream of draw `draw`'s parameter uniforms.
pub(crate) fn params_stream(seed: u64, draw: u64) -> Xoshiro256PlusPlus {
    Xoshiro256PlusPlus::seed_from_u64(key(seed, PARAMS, draw, 0))
}

/// The stream of the trials of chunk `chunk` of draw `draw`.
pub(crate) fn trials_stream(seed: u64, draw: u64, chunk: u64) -> Xoshiro256PlusPlus {
    Xoshiro256PlusPlus::seed_from_u64(key(seed, TRIALS, draw, chunk))
}

/// The key of the boolean nodes' bit planes in chunk `chunk` of draw
/// `draw` (see `mask.rs`: planes are counted from it by batch, node and
/// plane, not drawn in sequence).
pub(crate) fn planes_key(seed: u64, draw: u64, chunk: u64) -> u64 {
    key(seed, PLANES, draw, chunk)
}

/// The key of param `param`'s Latin hypercube permutation of `0..draws`.
pub(crate) fn lhs_key(seed: u64, param: u64, draws: u64) -> u64 {
    key(seed, LHS, param, draws)
}
