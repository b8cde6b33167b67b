#!/usr/bin/env bash
# A real single-node Slurm cluster (slurmctld + slurmd on this host, munge
# for authentication) that runs the recipe of docs/scale-out.md as written:
# the job array and its dependent merge are taken from the doc's code blocks
# and submitted with sbatch; only the run's size is made small. The merged
# CSV files must be byte-identical to one plain `uchronia run`.
#
# Usage: bench/slurm/single-node.sh [UCHRONIA_BINARY]
#   default binary: $CARGO_TARGET_DIR/release/uchronia, built if missing.
# Installs slurm-wlm and munge with apt-get if they are missing (needs root).
# Everything else (config, keys, state, logs) lives in a temporary folder,
# and the daemons it starts are stopped on exit, whatever happens.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
trials="${SLURM_TEST_TRIALS:-2e5}"
draws="${SLURM_TEST_DRAWS:-160}"
started=$(date +%s)

if [ -n "${1:-}" ]; then
    bin="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
else
    target="${CARGO_TARGET_DIR:-$repo/target}"
    bin="$target/release/uchronia"
    if [ ! -x "$bin" ]; then
        (cd "$repo" && cargo build --release --locked -p uchronia)
    fi
fi
[ -x "$bin" ] || { echo "no uchronia binary at $bin" >&2; exit 1; }

if ! command -v sbatch >/dev/null || ! command -v slurmctld >/dev/null \
    || ! command -v slurmd >/dev/null || ! command -v munged >/dev/null; then
    sudo=""
    if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
    $sudo apt-get update -q
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q slurm-wlm munge
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "run as root: slurmd must start jobs as the submitting user" >&2
    exit 1
fi

dir="$(mktemp -d /tmp/uchronia-slurm.XXXXXX)"
host="$(hostname -s)"
cpus="$(nproc)"
pids=()
cleanup() {
    set +e
    # Stop only the daemons this script started, by their pid files.
    for f in "$dir/slurmd.pid" "$dir/slurmctld.pid" "$dir/munged.pid"; do
        [ -s "$f" ] && kill "$(cat "$f")" 2>/dev/null
    done
    sleep 1
    for f in "$dir/slurmd.pid" "$dir/slurmctld.pid" "$dir/munged.pid"; do
        [ -s "$f" ] && kill -9 "$(cat "$f")" 2>/dev/null
    done
    if [ "${KEEP_SLURM_DIR:-}" = "" ]; then rm -rf "$dir"; fi
}
trap cleanup EXIT

# Ports of our own, so that a system Slurm, if any, is left alone.
ctld_port="${SLURM_TEST_PORT:-16817}"
mkdir -p "$dir"/{state,spool,munge,work}
chmod 700 "$dir/munge"
dd if=/dev/urandom of="$dir/munge/munge.key" bs=1024 count=1 status=none
chmod 400 "$dir/munge/munge.key"
munged --force --key-file="$dir/munge/munge.key" \
    --socket="$dir/munge/munge.socket" --pid-file="$dir/munged.pid" \
    --log-file="$dir/munged.log" --seed-file="$dir/munge/munge.seed"

# The node declares 16 CPUs on a smaller host (config_overrides) so that the
# recipe's --cpus-per-task=4 is schedulable as written; tasks then share the
# real cores, which changes nothing but the time.
cat >"$dir/slurm.conf" <<CONF
ClusterName=uchronia
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$((ctld_port + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$dir/munge/munge.socket
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SlurmdParameters=config_overrides
ReturnToService=2
SchedulerParameters=sched_interval=1
MinJobAge=300
NodeName=$host NodeAddr=127.0.0.1 CPUs=16 RealMemory=1000 State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$dir/slurm.conf"
slurmctld -i
slurmd
echo "slurm: $(sinfo --version) on $host ($cpus cores), config $SLURM_CONF"

# Wait for the node to come up.
for _ in $(seq 60); do
    state="$(sinfo -h -n "$host" -o %T 2>/dev/null || true)"
    case "$state" in idle*|mix*|alloc*) break ;; esac
    sleep 1
done
sinfo -h -n "$host" -o '%P %T %c' | sed 's/^/node: /'

# The two batch scripts, exactly as docs/scale-out.md prints them, but for
# the run's size.
work="$dir/work"
mkdir -p "$work/models"
cp "$repo/models/trotsky.toml" "$work/models/"
extract() { # the ```bash block that starts with the line "#!/bin/bash" and holds $1
    awk -v want="$1" '
        /^```bash$/ { inblock = 1; text = ""; next }
        /^```$/ && inblock { inblock = 0; if (index(text, want)) { printf "%s", text; exit } next }
        inblock { text = text $0 "\n" }' "$repo/docs/scale-out.md"
}
extract 'job-name=uchronia-shards' >"$work/shards.sbatch"
extract 'job-name=uchronia-merge' >"$work/merge.sbatch"
extract 'sbatch --parsable' >"$work/submit.sh"
for f in shards.sbatch merge.sbatch submit.sh; do
    [ -s "$work/$f" ] || { echo "docs/scale-out.md: no $f block found" >&2; exit 1; }
done
sed -i "s/--trials 1e9 --draws 16000/--trials $trials --draws $draws/" "$work/shards.sbatch"
grep -q -- "--trials $trials --draws $draws" "$work/shards.sbatch" \
    || { echo "docs/scale-out.md: shards.sbatch lost its --trials 1e9 --draws 16000" >&2; exit 1; }

mkdir -p "$work/bin"
ln -s "$bin" "$work/bin/uchronia"
export PATH="$work/bin:$PATH"
cd "$work"
echo "submitting (docs/scale-out.md, --trials $trials --draws $draws):"
sed 's/^/  /' submit.sh
submitted=$(date +%s)
bash -euo pipefail submit.sh | sed 's/^/sbatch: /'

# Wait until the queue is empty, then check that both jobs completed.
for _ in $(seq 600); do
    if [ -z "$(squeue -h -o %i)" ]; then break; fi
    sleep 1
done
finished=$(date +%s)
sacct_like="$(scontrol show job 2>/dev/null | grep -Eo 'JobName=[^ ]+|JobState=[^ ]+|ExitCode=[^ ]+' | paste -d' ' - - - | sort | uniq -c)"
echo "$sacct_like" | sed 's/^ */jobs: /'
if [ ! -f reports/trotsky/outcomes.csv ]; then
    echo "FAIL: the merge wrote no report" >&2
    tail -n 20 logs/*.log "$dir/slurmctld.log" >&2 || true
    exit 1
fi
if echo "$sacct_like" | grep -Ev 'JobState=COMPLETED .*ExitCode=0:0' | grep -q .; then
    echo "FAIL: a job did not complete" >&2
    exit 1
fi

# One plain run of the same command, for comparison.
"$bin" run models/trotsky.toml --seed 1 --trials "$trials" --draws "$draws" \
    --quiet --out plain >/dev/null 2>plain.stderr
status=0
for f in plain/*.csv; do
    name="$(basename "$f")"
    if cmp -s "$f" "reports/trotsky/$name"; then
        echo "identical: $name ($(wc -c <"$f") bytes, sha256 $(sha256sum "$f" | cut -c1-16))"
    else
        echo "DIFFERENT: $name" >&2
        status=1
    fi
done
[ "$(ls plain/*.csv | wc -l)" -gt 0 ] || status=1
echo "slurm jobs: $((finished - submitted)) s from sbatch to empty queue; whole script $(( $(date +%s) - started )) s"
if [ "$status" -eq 0 ]; then
    echo "PASS: the Slurm array of 16 shards merged is byte-identical to one run"
fi
exit "$status"
