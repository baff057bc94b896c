#!/usr/bin/env bash
# The LSTM and DRAW speed comparison of issue 20 (docs/BENCHMARKS.md): `weightnorm bench lstm` and
# `bench draw` against shared/bench/torch_lstm_peer.py, interleaved (ours, then the peer, same
# thread count, same minute), in N rounds, each of ours a fresh JVM; then a ratio table.
# Usage: scripts/bench-lstm-vs-peer.sh [ROUNDS] [JAR]   (default 3 rounds, target/weightnorm4j-all.jar)
# Environment: THREADS (default "1 2"), DRAW=0 to skip DRAW (its rounds take ~3 min each),
# OUT (a file for the raw JSON lines; default a temporary one).
# The peer's OpenBLAS is held to the thread count (OPENBLAS_NUM_THREADS / OMP_NUM_THREADS):
# torch.set_num_threads does not reach Debian's OpenBLAS. Every line carries the load average;
# numbers from a loaded machine are not final. About 2 min per round without DRAW, 8 with.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds="${1:-3}"
jar="${2:-$root/target/weightnorm4j-all.jar}"
peer="$root/../shared/bench/torch_lstm_peer.py"
[ -f "$peer" ] || peer=/work/shared/bench/torch_lstm_peer.py
threads="${THREADS:-1 2}"
out="${OUT:-$(mktemp /tmp/bench-lstm-vs-peer.XXXXXX)}"
[ -f "$jar" ] || { echo "no jar at $jar: build it with ./mvnw -B -q -DskipTests package" >&2; exit 1; }
[ -f "$peer" ] || { echo "no peer at $peer" >&2; exit 1; }

tag() { # tag WHO ROUND: prefix each JSON line with who ran it, the round and the load now
  local load; load="$(cut -d' ' -f1 /proc/loadavg)"
  grep '^{' | sed "s/^{/{\"who\":\"$1\",\"round\":$2,\"load\":$load,/" >> "$out"
}
ours() { java --add-modules jdk.incubator.vector -Xmx4g -XX:+UseParallelGC -jar "$jar" bench "$@" 2>/dev/null; }
torch() { local t=$1; shift; OPENBLAS_NUM_THREADS=$t OMP_NUM_THREADS=$t /usr/bin/python3 "$peer" "$@" 2>/dev/null; }

echo "# host: $(lscpu | sed -n 's/^Model name: *//p'), $(grep -o -m1 -w 'avx512f\|avx2' /proc/cpuinfo | head -1), $(nproc) CPUs"
echo "# $(date -u +%FT%TZ) start, load $(cut -d' ' -f1-3 /proc/loadavg); raw lines in $out"
for r in $(seq "$rounds"); do
  for t in $threads; do
    ours lstm --param all --threads "$t" | tag ours "$r"
    torch "$t" --workload lstm --param all --threads "$t" | tag peer "$r"
    if [ "${DRAW:-1}" != 0 ]; then
      ours draw --param all --threads "$t" --reps 3 --warmup-seconds 8 | tag ours "$r"
      torch "$t" --workload draw --param all --threads "$t" --steps 3 --warmup 1 | tag peer "$r"
    fi
  done
  echo "# $(date -u +%FT%TZ) round $r done, load $(cut -d' ' -f1-3 /proc/loadavg)"
done

/usr/bin/python3 - "$out" <<'EOF'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
def rate(d):
    return d.get("sequences_per_s_median", d.get("images_per_s_median"))
keys = sorted({(d["bench"], d["param"], d["threads"]) for d in rows})
print("| bench | T | param | ours medians by round | peer medians by round | ratio per round (min / median / max) | loads |")
print("|---|---|---|---|---|---|---|")
for b, p, t in keys:
    sel = [d for d in rows if (d["bench"], d["param"], d["threads"]) == (b, p, t)]
    by = lambda who: {d["round"]: d for d in sel if d["who"] == who}
    o, q = by("ours"), by("peer")
    both = sorted(set(o) & set(q))
    ratios = [rate(o[r]) / rate(q[r]) for r in both]
    fmt = lambda m: ", ".join(f"{rate(m[r]):.1f}" for r in sorted(m))
    rs = f"{min(ratios):.2f} / {statistics.median(ratios):.2f} / {max(ratios):.2f}" if ratios else "-"
    loads = ", ".join(f"{d['load']:.1f}" for d in sel if d["who"] == "ours")
    print(f"| {b} | {t} | {p} | {fmt(o)} | {fmt(q)} | {rs} | {loads} |")
EOF
