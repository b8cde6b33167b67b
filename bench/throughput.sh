#!/usr/bin/env bash
# Engine throughput per CPU second (less disturbed by other processes than
# wall time) and the random-number limit measured the same way, on 1 thread:
# the generated 40-node model (1 and 2 scenarios), the shipped model, and the
# two benchmark models. Uses the engine's `throughput` example.
#
# usage: bench/throughput.sh [BINARY]   (default: builds the example)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
target="${CARGO_TARGET_DIR:-$root/target}"
bin="${1:-}"
if [ -z "$bin" ]; then
    cargo build --release --quiet --manifest-path "$root/Cargo.toml" -p uchronia-engine --example throughput
    bin="$target/release/examples/throughput"
fi
export UCHRONIA_CPU=1
# MODEL DRAWS TRIALS_PER_DRAW THREADS REPS SCENARIOS
# Each run takes a second or more: CPU time is counted in 1/100 s.
"$bin" generated 40 250000 1 5 1
"$bin" generated 40 150000 1 5 2
"$bin" "$root/models/trotsky.toml" 40 25000 1 5
"$bin" "$root/bench/models/asia.toml" 50 2000000 1 5
"$bin" "$root/bench/models/numeric.toml" 40 75000 1 5
