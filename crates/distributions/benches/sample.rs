//! Nanoseconds per draw of `Dist::sample` for every kind, and of `quantile`
//! for the kinds that need an iteration: `cargo bench -p uchronia-distributions`.

use divan::Bencher;
use rand::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;
use uchronia_distributions::{Dist, DistKind, open01};

fn main() {
    divan::main();
}

/// The distributions measured, by the name divan prints.
fn dist(name: &str) -> Dist {
    let (kind, args): (DistKind, &[f64]) = match name {
        "fixed" => (DistKind::Fixed, &[1.0]),
        "uniform" => (DistKind::Uniform, &[0.0, 1.0]),
        "normal" => (DistKind::Normal, &[0.0, 1.0]),
        "lognormal" => (DistKind::LogNormal, &[0.0, 1.0]),
        "triangular" => (DistKind::Triangular, &[0.0, 0.3, 1.0]),
        "beta(3,7)" => (DistKind::Beta, &[3.0, 7.0]),
        "beta(0.5,0.5)" => (DistKind::Beta, &[0.5, 0.5]),
        "beta(0.3,4)" => (DistKind::Beta, &[0.3, 4.0]),
        "pert(0,2,10)" => (DistKind::Pert, &[0.0, 2.0, 10.0]),
        _ => unreachable!("unknown benchmark distribution {name}"),
    };
    Dist::new(kind, args).expect("valid benchmark arguments")
}

const SAMPLED: &[&str] = &[
    "fixed",
    "uniform",
    "normal",
    "lognormal",
    "triangular",
    "beta(3,7)",
    "beta(0.5,0.5)",
    "beta(0.3,4)",
    "pert(0,2,10)",
];

#[divan::bench(args = SAMPLED)]
fn sample(bencher: Bencher, name: &str) {
    let d = dist(name);
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(7);
    bencher.bench_local(|| d.sample(&mut rng));
}

#[divan::bench(args = ["normal", "beta(3,7)", "beta(0.3,4)", "pert(0,2,10)"])]
fn quantile(bencher: Bencher, name: &str) {
    let d = dist(name);
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(7);
    bencher.bench_local(|| d.quantile(open01(rand::Rng::next_u64(&mut rng))));
}

/// rand_distr's own Beta, for comparison with the gamma-ratio sampler.
#[divan::bench]
fn rand_distr_beta_3_7(bencher: Bencher) {
    use rand::distr::Distribution;
    let beta = rand_distr::Beta::new(3.0, 7.0).expect("valid shapes");
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(7);
    bencher.bench_local(|| -> f64 { beta.sample(&mut rng) });
}
