"""A vectorised NumPy forward sampler of the cost model of many numeric
nodes, the same model as bench/models/numeric.toml: eight PERT durations,
six beta shares, six normal costs whose means are other nodes' draws, and
their total. D parameter draws of N/D trials each, every node sampled for a
whole chunk of trials at once. Prints the outcomes and the rate.

usage: python3 numeric.py [--trials N] [--draws D] [--seed S]
"""

import argparse
import time

import numpy as np

CHUNK = 1 << 18

# (min, mode offset factor, max): mode = min + factor * mode_shift.
DURATIONS = [
    (10, 10, 20),
    (20, 15, 35),
    (5, 10, 15),
    (30, 30, 60),
    (8, 4, 12),
    (15, 25, 40),
    (12, 8, 20),
    (25, 20, 45),
]


def pert(rng, lo, mode, hi, n):
    """PERT with shape 4: a scaled Beta(1 + 4 (mode - lo) / r, 1 + 4 (hi - mode) / r)."""
    r = hi - lo
    a = 1 + 4 * (mode - lo) / r
    b = 1 + 4 * (hi - mode) / r
    return lo + r * rng.beta(a, b, n)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--trials", type=float, default=1e6)
    parser.add_argument("--draws", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    draws = args.draws
    per_draw = int(args.trials) // draws
    rng = np.random.default_rng(args.seed)
    total_sum = 0.0
    over = 0

    start = time.perf_counter()
    for _ in range(draws):
        mode_shift = rng.uniform(0.2, 0.6)
        oa = rng.uniform(2, 4)
        ob = rng.uniform(5, 9)
        cost_sd = rng.uniform(1, 3)
        left = per_draw
        while left > 0:
            n = min(left, CHUNK)
            left -= n
            d = [pert(rng, lo, lo + f * mode_shift, hi, n) for lo, f, hi in DURATIONS]
            s1 = rng.beta(oa, ob, n)
            s2 = rng.beta(oa + 1, ob, n)
            s3 = rng.beta(oa, ob + 2, n)
            s4 = rng.beta(2 * oa, ob, n)
            s5 = rng.beta(oa, 2 * ob, n)
            s6 = rng.beta(oa + 2, ob + 1, n)
            c1 = rng.normal((d[0] + d[1]) * (1 + s1), cost_sd)
            c2 = rng.normal((d[2] + d[3]) * (1 + s2), cost_sd)
            c3 = rng.normal((d[4] + d[5]) * (1 + s3), cost_sd)
            c4 = rng.normal((d[6] + d[7]) * (1 + s4), cost_sd)
            c5 = rng.normal(d[1] * (1 + s5), 2 * cost_sd)
            c6 = rng.normal(d[3] * (1 + s6), 2 * cost_sd)
            total = c1 + c2 + c3 + c4 + c5 + c6
            total_sum += total.sum()
            over += np.count_nonzero(total > 400)
    seconds = time.perf_counter() - start

    trials = draws * per_draw
    print(f"{'total_cost (mean)':<20} {total_sum / trials:.3f}")
    print(f"{'over_budget':<20} {over / trials:.5f}")
    print(f"numpy numeric: {trials} trials in {seconds:.3f} s: {trials / seconds:.4g} trials/s")


if __name__ == "__main__":
    main()
