#!/usr/bin/env bash
# The VAE training step (batch 100) against the PyTorch peer, interleaved: each round runs, for
# each thread count T, `weightnorm bench vae --param all --threads T` in a fresh JVM and then
# ../shared/bench/torch_vae_peer.py --param all --threads T with OpenBLAS and OpenMP held to T
# threads (torch.set_num_threads does not reach Debian's OpenBLAS). Prints every JSON line
# (tagged OURS / TORCH with the round, T and the load average), then a table per (T, param):
# each side's medians round by round, the per-round ratio ours/peer and its min / median / max.
# A fresh JVM per round on purpose: a run can land in the per-JVM slow mode (docs/BENCHMARKS.md).
#
# Usage: scripts/bench-vae-vs-peer.sh [ROUNDS] [THREADS...]   (default: 3 rounds, threads 1 2)
# Environment: JAR (default target/weightnorm4j-all.jar), PEER (default ../shared/bench/torch_vae_peer.py), STEPS (default 20), WARMUP (default 10),
# CLOCK (wall, the default, or cpu: then ours is timed with --clock cpu and the peer through
# scripts/peer-cpu-clock.py; one thread only), JAVA_GC (default -XX:+UseParallelGC, the ./weightnorm
# launcher's; -XX:+UseG1GC measured 5-20% faster at one thread, docs/BENCHMARKS.md).
# About 1 minute per round and thread count on 2 cores.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="${JAR:-$root/target/weightnorm4j-all.jar}"
peer="${PEER:-$root/../shared/bench/torch_vae_peer.py}"
rounds="${1:-3}"
shift || true
threads=("$@")
[ ${#threads[@]} -eq 0 ] && threads=(1 2)
steps="${STEPS:-20}"
warmup="${WARMUP:-10}"
clock="${CLOCK:-wall}"
[ -f "$jar" ] || { echo "no $jar: build it with ./mvnw -B -q package -DskipTests" >&2; exit 1; }
[ -f "$peer" ] || { echo "no peer script at $peer" >&2; exit 1; }
if [ "$clock" = cpu ] && printf '%s\n' "${threads[@]}" | grep -qv '^1$'; then
  echo "CLOCK=cpu times one thread only: give threads 1" >&2; exit 1
fi
out="$(mktemp)"
trap 'rm -f "$out"' EXIT
load() { cut -d' ' -f1-3 /proc/loadavg | tr ' ' ','; }
echo "# $(date -u +%FT%TZ) host: $(lscpu | sed -n 's/^Model name: *//p'), $(grep -qw avx512f /proc/cpuinfo && echo avx512 || echo avx2), $(nproc) CPUs"
for r in $(seq 1 "$rounds"); do
  for t in "${threads[@]}"; do
    tag="round=$r threads=$t load=$(load)"
    java --add-modules jdk.incubator.vector -Xmx4g ${JAVA_GC:--XX:+UseParallelGC} -jar "$jar" bench vae --param all --threads "$t" \
        --steps "$steps" --warmup "$warmup" --clock "$clock" 2>/dev/null | grep '^{' | sed "s/^/OURS $tag /" | tee -a "$out"
    tag="round=$r threads=$t load=$(load)"
    if [ "$clock" = cpu ]; then
      OPENBLAS_NUM_THREADS=$t OMP_NUM_THREADS=$t /usr/bin/python3 "$root/scripts/peer-cpu-clock.py" "$peer" --param all \
          --threads "$t" --steps "$steps" 2>/dev/null | grep '^{' | sed "s/^/TORCH $tag /" | tee -a "$out"
    else
      OPENBLAS_NUM_THREADS=$t OMP_NUM_THREADS=$t /usr/bin/python3 "$peer" --param all --threads "$t" --steps "$steps" \
          2>/dev/null | grep '^{' | sed "s/^/TORCH $tag /" | tee -a "$out"
    fi
  done
done
echo "# $(date -u +%FT%TZ) load: $(load)"
/usr/bin/python3 - "$out" <<'PY'
import json, statistics, sys
rows = {}
for line in open(sys.argv[1]):
    side, r, t, load, js = line.split(" ", 4)
    d = json.loads(js)
    key = (int(t.split("=")[1]), d["param"])
    rows.setdefault(key, {}).setdefault(int(r.split("=")[1]), {})[side] = (d["images_per_s_median"], d["images_per_s_best"], load.split("=")[1])
print("images/s medians (best) round by round; ratio = ours / peer median in the same round")
print(f"{'T':>2} {'param':6} {'round':>5} {'ours':>16} {'peer':>16} {'ratio':>6}  load before ours")
for (t, p), byround in sorted(rows.items()):
    ratios = []
    for r, v in sorted(byround.items()):
        if "OURS" not in v or "TORCH" not in v:
            continue
        o, pr = v["OURS"], v["TORCH"]
        ratios.append(o[0] / pr[0])
        print(f"{t:>2} {p:6} {r:>5} {o[0]:7.1f} ({o[1]:6.1f}) {pr[0]:7.1f} ({pr[1]:6.1f}) {ratios[-1]:6.2f}  {o[2]}")
    if ratios:
        print(f"{t:>2} {p:6} ratio min / median / max over {len(ratios)} rounds: "
              f"{min(ratios):.2f} / {statistics.median(ratios):.2f} / {max(ratios):.2f}")
PY
