#!/usr/bin/env bash
# The DQN update against its PyTorch peer (issue 18's speed target: 2x the peer's updates/s at
# batch 32 and 64, both optimizers, normal and wn, 1 and 2 threads), ours and the peer interleaved
# in the same minutes, ROUNDS rounds (the order alternates round by round), then a ratio table.
#
# Usage: scripts/bench-dqn-vs-peer.sh [ROUNDS] [JAR]     (defaults: 3, target/weightnorm4j-all.jar)
# Environment: THREADS (default "1 2"), STEPS (timed updates per line, default 1500), WARMUP
# (ours, default 500; the peer's is 200), CHANNELS (default 4, Breakout's), LOG (default: a file
# under /tmp; the raw JSON lines, tagged OURS / TORCH, kept for later reading), CLOCK (wall, the
# default, or cpu: both sides timed by CPU time, which other processes on a loaded machine do not
# inflate; ours by the calling thread's (bench dqn --clock cpu), the peer's by its process's
# (scripts/peer-cpu-clock.py); one thread only, so with CLOCK=cpu THREADS defaults to 1).
# Needs Debian's python3-torch. About 2 minutes per round on 2 quiet cores.
#
# The peer's BLAS gets the thread count through OPENBLAS_NUM_THREADS and OMP_NUM_THREADS too:
# torch.set_num_threads does not reach Debian's OpenBLAS, which otherwise uses every core.
#
# Table: per configuration, ours and the peer's per-round medians (updates/s) as min / median /
# max over the rounds, the best single update of all rounds, and the ratios ours / peer of the
# median of medians and of the bests. Medians far below bests mark a disturbed line: run it on a
# quiet machine (uptime's load average is printed at the start and at the end).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds="${1:-3}"
jar="${2:-$root/target/weightnorm4j-all.jar}"
peer="$root/../shared/bench/torch_dqn_peer.py"
[ -f "$peer" ] || peer=/work/shared/bench/torch_dqn_peer.py
clock="${CLOCK:-wall}"
if [ "$clock" = cpu ]; then threads="${THREADS:-1}"; else threads="${THREADS:-1 2}"; fi
if [ "$clock" = cpu ] && [ "$threads" != 1 ]; then echo "CLOCK=cpu needs THREADS=1" >&2; exit 1; fi
steps="${STEPS:-1500}"
warmup="${WARMUP:-500}"
channels="${CHANNELS:-4}"
log="${LOG:-$(mktemp /tmp/bench-dqn-vs-peer.XXXXXX.log)}"
[ -f "$jar" ] || { echo "no jar at $jar: build it with ./mvnw -B -q -DskipTests package" >&2; exit 1; }
[ -f "$peer" ] || { echo "no peer at $peer" >&2; exit 1; }

ours() {
  java --add-modules jdk.incubator.vector -Xmx2g -XX:+UseParallelGC -jar "$jar" bench dqn \
    --param normal,wn --optimizer rmsprop,adamax --batch 32,64 --channels "$channels" \
    --threads "$1" --steps "$steps" --warmup "$warmup" --clock "$clock" 2>/dev/null | grep '^{' | sed 's/^/OURS /' >>"$log"
}
torch() {
  local clockwork=()
  [ "$clock" = cpu ] && clockwork=("$root/scripts/peer-cpu-clock.py")
  OPENBLAS_NUM_THREADS="$1" OMP_NUM_THREADS="$1" /usr/bin/python3 "${clockwork[@]}" "$peer" --param all --optimizer all \
    --batch 32,64 --channels "$channels" --threads "$1" --steps "$steps" 2>/dev/null | grep '^{' | sed 's/^/TORCH /' >>"$log"
}

host="$(lscpu | sed -n 's/^Model name: *//p' | head -1)"
simd="$(grep -o -m1 -w 'avx512f' /proc/cpuinfo || grep -o -m1 -w 'avx2' /proc/cpuinfo || echo 'no avx2')"
{
  echo "# host: $host ($simd), $(nproc) CPUs; jar: $jar; clock: $clock"
  echo "# start $(date -u +%FT%TZ), load average $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee -a "$log"
for r in $(seq 1 "$rounds"); do
  for t in $threads; do
    echo "# round $r, $t thread(s), $(date -u +%T), load $(cut -d' ' -f1 /proc/loadavg)" | tee -a "$log"
    if [ $((r % 2)) -eq 1 ]; then ours "$t"; torch "$t"; else torch "$t"; ours "$t"; fi
  done
done
echo "# end $(date -u +%FT%TZ), load average $(cut -d' ' -f1-3 /proc/loadavg); raw lines: $log" | tee -a "$log"

/usr/bin/python3 - "$log" <<'EOF'
import json, statistics, sys
rows = {}
for line in open(sys.argv[1]):
    if not (line.startswith("OURS ") or line.startswith("TORCH ")):
        continue
    side, text = line.split(" ", 1)
    d = json.loads(text)
    key = (d["threads"], d["param"], d["optimizer"], d["batch"])
    entry = rows.setdefault(key, {"OURS": ([], []), "TORCH": ([], [])})
    entry[side][0].append(d["updates_per_s_median"])
    entry[side][1].append(d["updates_per_s_best"])

def spread(xs):
    return "%.0f / %.0f / %.0f" % (min(xs), statistics.median(xs), max(xs)) if xs else "-"

print("| threads | param | optimizer | batch | ours: medians min / med / max | best | peer: medians min / med / max | best | ratio (med) | ratio (best) |")
print("|---|---|---|---|---|---|---|---|---|---|")
for key in sorted(rows):
    (om, ob), (tm, tb) = rows[key]["OURS"], rows[key]["TORCH"]
    ratio = "%.2f" % (statistics.median(om) / statistics.median(tm)) if om and tm else "-"
    ratio_best = "%.2f" % (max(ob) / max(tb)) if ob and tb else "-"
    print("| %d | %s | %s | %d | %s | %s | %s | %s | %s | %s |" % (key + (
        spread(om), "%.0f" % max(ob) if ob else "-", spread(tm), "%.0f" % max(tb) if tb else "-", ratio, ratio_best)))
EOF
