"""A vectorised NumPy forward sampler of the Asia chest-clinic network, the
same model as bench/models/asia.toml: D parameter draws (the smoking share,
uniform on [0.45, 0.55]) of N/D trials each, every node sampled for a whole
chunk of trials at once. Prints the outcome probabilities and the rate.

usage: python3 asia.py [--trials N] [--draws D] [--seed S]
"""

import argparse
import time

import numpy as np

CHUNK = 1 << 18


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--trials", type=float, default=1e7)
    parser.add_argument("--draws", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    draws = args.draws
    per_draw = int(args.trials) // draws
    rng = np.random.default_rng(args.seed)
    names = ["lung_cancer", "dyspnoea", "positive_xray", "tub_with_symptoms"]
    hits = np.zeros(len(names))

    start = time.perf_counter()
    for _ in range(draws):
        p_smoker = rng.uniform(0.45, 0.55)
        left = per_draw
        while left > 0:
            n = min(left, CHUNK)
            left -= n
            asia = rng.random(n) < 0.01
            smoke = rng.random(n) < p_smoker
            tub = rng.random(n) < np.where(asia, 0.05, 0.01)
            lung = rng.random(n) < np.where(smoke, 0.1, 0.01)
            bronc = rng.random(n) < np.where(smoke, 0.6, 0.3)
            either = tub | lung
            xray = rng.random(n) < np.where(either, 0.98, 0.05)
            p_dysp = np.where(either, np.where(bronc, 0.9, 0.7), np.where(bronc, 0.8, 0.1))
            dysp = rng.random(n) < p_dysp
            hits[0] += np.count_nonzero(lung)
            hits[1] += np.count_nonzero(dysp)
            hits[2] += np.count_nonzero(xray)
            hits[3] += np.count_nonzero(tub & xray & dysp)
    seconds = time.perf_counter() - start

    trials = draws * per_draw
    for name, h in zip(names, hits):
        print(f"{name:<20} {h / trials:.5f}")
    print(f"numpy asia: {trials} trials in {seconds:.3f} s: {trials / seconds:.4g} trials/s")


if __name__ == "__main__":
    main()
