#!/usr/bin/env bash
# Runs uchronia and a vectorised NumPy forward sampler on the same models with
# the same trial counts, and prints trials per second and their ratio.
#
# usage: bench/compare.sh [REPEATS]   (from anywhere; needs cargo, python3 and numpy)
#
# uchronia's rate is `uchronia bench --threads 1` (the engine alone, no report)
# and, beside it, on 2 threads; NumPy runs on one thread. Each side runs
# REPEATS times (default 3) and the median rate is kept: the machine may be
# shared, so single runs are noisy. The shipped model runs through the generic
# sampler bench/numpy/model.py, which runs its matched baselines too (as
# `uchronia run` does), so its trials/s counts each trial once for all of them.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
repeats="${1:-3}"
target="${CARGO_TARGET_DIR:-$root/target}"

cargo build --release --quiet --manifest-path "$root/Cargo.toml" --bin uchronia
uchronia="$target/release/uchronia"
python3 -c "import numpy" 2>/dev/null || { echo "numpy is missing: pip install numpy" >&2; exit 1; }

# OPENBLAS_* variables slow NumPy down on some machines (they do not change
# these samplers, which use no BLAS, but keep NumPy at its best).
numpy_env=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE)

median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# uchronia bench prints one row per thread count: threads, trials/s, ...
uchronia_rate() { # model trials draws threads
    for _ in $(seq "$repeats"); do
        "$uchronia" bench "$1" --trials "$2" --draws "$3" --threads 1 2>/dev/null |
            awk -v t="$4" '$1 == t && $2 ~ /^[0-9]/ { print $2 }'
    done | median
}

numpy_rate() { # script trials draws
    for _ in $(seq "$repeats"); do
        # shellcheck disable=SC2086 # $1 is a script and, for model.py, its model
        "${numpy_env[@]}" python3 $1 --trials "$2" --draws "$3" |
            awk '/trials\/s/ { print $(NF - 1) }'
    done | median
}

printf '%-10s %12s %8s %14s %14s %14s %10s\n' model trials draws numpy "uchronia 1t" "uchronia 2t" "ratio 1t"
compare() { # name toml script trials draws
    local numpy one two
    numpy=$(numpy_rate "$3" "$4" "$5")
    one=$(uchronia_rate "$root/$2" "$4" "$5" 1)
    two=$(uchronia_rate "$root/$2" "$4" "$5" 2)
    printf '%-10s %12s %8s %14.4g %14.4g %14.4g %9.2fx\n' "$1" "$4" "$5" "$numpy" "$one" "$two" \
        "$(awk -v a="$one" -v b="$numpy" 'BEGIN { print a / b }')"
}
compare asia bench/models/asia.toml "$here/numpy/asia.py" 20000000 100
compare numeric bench/models/numeric.toml "$here/numpy/numeric.py" 2000000 100
compare trotsky models/trotsky.toml "$here/numpy/model.py $root/models/trotsky.toml" 2000000 200
