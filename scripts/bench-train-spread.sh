#!/usr/bin/env bash
# Issue 21, item 4: is there a slow mode? RUNS separate JVM runs of `weightnorm bench train`
# (workloads cnn and mlp, synthetic inputs), each followed (or, every other round, preceded) in the
# same minutes by the PyTorch 1.13 peer (../shared/bench/torch_peer.py) on the same workload,
# parameterizations and thread count, and, for cnn / normal, by the DJL / PyTorch 2.7 peer
# (../shared/bench/djl-peer). Then a table per (workload, param, threads): each side's run medians
# as min / median / max, their spread max ÷ min, and ours against the faster peer: the ratio of the
# medians of medians and, for "in every JVM run", our slowest run's median ÷ the faster peer's median.
#
# Usage: scripts/bench-train-spread.sh [RUNS] [JAR]     (defaults: 10, target/weightnorm4j-all.jar)
#        LOG=FILE scripts/bench-train-spread.sh 0        (only the table, of kept raw lines: several
#                                                          sessions' logs concatenated, for instance)
# Environment:
#   WORKLOADS  default "cnn mlp" (paper-cifar too if named: Gaussian 32x32x3 inputs, normal and wn only)
#   PARAMS     default "normal,bn,wn,wn-mobn,mobn" (comma separated; ours run them all in one JVM)
#   THREADS    default "1 2" (each its own JVMs and peer processes)
#   CNN_STEPS  timed cnn steps per line, default 12; CNN_WARMUP ours, default 15 (the peers: 5);
#              paper-cifar takes 4 (warm-up: ours 4, the peer 2)
#   MLP_STEPS  timed mlp steps per line, default 1000; MLP_WARMUP both sides', default 500
#   EPOCH      1 (default) also times one Fashion-MNIST epoch of the mlp per round and thread count
#              (ours with its test evaluation inside the wall time, the peer without); 0 skips it.
#              Ours twice: "mlp-epoch", each parameterization in a fresh JVM (the JIT's warm-up inside
#              the epoch, as in a user's first), and "mlp-epoch-warm", after EPOCH_WARMUP (default 300)
#              steps of a throwaway model (bench train --epoch --warmup); the peer's epoch is the
#              comparison for both
#   DJL        1 (default) runs the DJL peer for cnn / normal; 0 skips it. It is built once with
#              Maven into target/djl-peer (a copy of the shared project; libtorch 2.7.1 comes from
#              Maven Central and is unpacked into ~/.djl.ai on first use)
#   CLOCK      wall (default) or cpu: ours timed by the calling thread's CPU time (bench train
#              --clock cpu), the torch peer by its process's (scripts/peer-cpu-clock.py); one thread
#              only, no epochs. The DJL peer has no CPU clock: its rate is then its wall median
#              divided by its process's CPU share over the timed steps (cpu_per_wall), an estimate
#   JAVA_GC    default -XX:+UseParallelGC (the ./weightnorm launcher's); JAVA_OPTS: more flags for our JVMs
#              (e.g. -Dweightnorm4j.winograd=false to time the convolutions without Winograd)
#   DATA       synthetic (default: Gaussian inputs, as earlier logs) or fashion: the cnn and mlp steps of both
#              sides on Fashion-MNIST, their lines named "cnn-fashion" and "mlp-fashion" (the DJL peer stays
#              synthetic, so it does not run then; paper-cifar always is). PyTorch's synthetic mlp step is 2.6x slower than its
#              Fashion-MNIST one on a Zen 5 host (Adam's div and sqrt, docs/BENCHMARKS.md, session 14)
#   LOG        the raw JSON lines (default: a file under /tmp), kept for later reading
# The peers' OpenBLAS and OpenMP are held to the thread count (OPENBLAS_NUM_THREADS, OMP_NUM_THREADS):
# torch.set_num_threads does not reach Debian's OpenBLAS. Every line carries the load average.
# With the defaults one run takes roughly 10 minutes on 2 quiet cores (an estimate: the reduced form
# of docs/BENCHMARKS.md took 6-7 minutes per run at load 12-29); cnn's five parameterizations at two
# thread counts on three sides are most of it, and PARAMS=normal,wn halves that part.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs="${1:-10}"
jar="${2:-$root/target/weightnorm4j-all.jar}"
shared="$root/../shared/bench"
[ -d "$shared" ] || shared=/work/shared/bench
peer="$shared/torch_peer.py"
workloads="${WORKLOADS:-cnn mlp}"
params="${PARAMS:-normal,bn,wn,wn-mobn,mobn}"
clock="${CLOCK:-wall}"
if [ "$clock" = cpu ]; then threads="${THREADS:-1}"; else threads="${THREADS:-1 2}"; fi
cnn_steps="${CNN_STEPS:-12}"
mlp_steps="${MLP_STEPS:-1000}"
cnn_warmup="${CNN_WARMUP:-15}"
mlp_warmup="${MLP_WARMUP:-500}"
data="${DATA:-synthetic}"
epoch="${EPOCH:-1}"
epoch_warmup="${EPOCH_WARMUP:-300}"
djl="${DJL:-1}"
log="${LOG:-$(mktemp /tmp/bench-train-spread.XXXXXX.log)}"
if [ "$runs" = 0 ]; then
  [ -n "${LOG:-}" ] && [ -f "$log" ] || { echo "RUNS 0 prints the table of LOG: give LOG=FILE of kept raw lines" >&2; exit 1; }
else
[ -f "$jar" ] || { echo "no jar at $jar: build it with ./mvnw -B -q -DskipTests package" >&2; exit 1; }
[ -f "$peer" ] || { echo "no peer at $peer" >&2; exit 1; }
case "$clock" in
  wall) ;;
  cpu) [ "$threads" = 1 ] || { echo "CLOCK=cpu times one thread: THREADS must be 1" >&2; exit 1; }; epoch=0 ;;
  *) echo "CLOCK must be wall or cpu, got $clock" >&2; exit 1 ;;
esac

# The DJL peer: built once into target/djl-peer, run without Maven's JVM beside the timing.
djl_dir="$root/target/djl-peer"
if [ "$data" = fashion ]; then
  djl=0   # the DJL peer times Gaussian inputs only: no line to set beside ours on Fashion-MNIST
elif [ "$djl" = 1 ] && [[ " $workloads " == *" cnn "* ]] && [[ ",$params," == *",normal,"* ]]; then
  if [ ! -f "$djl_dir/target/classpath.txt" ]; then
    mkdir -p "$djl_dir"
    cp -r "$shared/djl-peer/." "$djl_dir/"
    echo "# building the DJL peer in $djl_dir (first time: Maven fetches DJL 0.36 and libtorch 2.7.1, ~200 MB)" >&2
    mvn -B -q -f "$djl_dir/pom.xml" compile dependency:build-classpath \
        -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime >&2
  fi
else
  djl=0
fi

tag() { # tag WHO ROUND: prefix each JSON line with who ran it, the round and the load now, into the log
  local load; load="$(cut -d' ' -f1 /proc/loadavg)"
  grep '^{' | sed "s/^{/{\"who\":\"$1\",\"round\":$2,\"load\":$load,/" >>"$log" || true
}
steps_of() { # timed steps, our warm-up, the peers' warm-up
  case "$1" in mlp) echo "$mlp_steps $mlp_warmup $mlp_warmup" ;; paper-cifar) echo "4 4 2" ;; *) echo "$cnn_steps $cnn_warmup 5" ;; esac
}
bench_train() { # bench_train ARGS...: one fresh JVM of ours, `weightnorm bench train ARGS`, with the run's GC and flags
  java --add-modules jdk.incubator.vector -Xmx4g ${JAVA_GC:--XX:+UseParallelGC} ${JAVA_OPTS:-} -jar "$jar" bench train "$@"
}
fashion() { # fashion WORKLOAD: true when this workload's steps run on Fashion-MNIST (DATA=fashion; paper-cifar never)
  [ "$data" = fashion ] && [ "$1" != paper-cifar ]
}
renamed() { # renamed WORKLOAD: the JSON lines' workload "W" becomes "W-fashion" when they ran on Fashion-MNIST
  if fashion "$1"; then sed "s/\"workload\": *\"$1\"/\"workload\":\"$1-fashion\"/"; else cat; fi
}
ours() { # ours ROUND WORKLOAD T
  local s w pw; read -r s w pw <<<"$(steps_of "$2")"
  local ps="$params"; [ "$2" = paper-cifar ] && ps=normal,wn
  local synthetic=--synthetic; [ "$2" = paper-cifar ] && synthetic=; fashion "$2" && synthetic=
  bench_train --workload "$2" \
      --param "$ps" $synthetic --steps "$s" --warmup "$w" --threads "$3" --clock "$clock" 2>/dev/null | renamed "$2" | tag ours "$1"
}
torch() { # torch ROUND WORKLOAD T
  local s w pw; read -r s w pw <<<"$(steps_of "$2")"
  local ps="$params"; [ "$2" = paper-cifar ] && ps=normal,wn
  local clockwork=(); [ "$clock" = cpu ] && clockwork=("$root/scripts/peer-cpu-clock.py")
  local synthetic=--synthetic; fashion "$2" && synthetic=
  for p in ${ps//,/ }; do
    OPENBLAS_NUM_THREADS="$3" OMP_NUM_THREADS="$3" /usr/bin/python3 "${clockwork[@]}" "$peer" --workload "$2" --param "$p" \
        $synthetic --steps "$s" --warmup "$pw" --threads "$3" 2>/dev/null | renamed "$2" | tag torch "$1"
  done
}
djl_peer() { # djl_peer ROUND T
  OMP_NUM_THREADS="$2" java -Dai.djl.offline=true -Dai.djl.pytorch.num_threads="$2" -Dai.djl.pytorch.num_interop_threads=1 \
      -cp "$djl_dir/target/classes:$(cat "$djl_dir/target/classpath.txt")" DjlCnnPeer "$cnn_steps" 5 2>/dev/null \
      | tag djl "$1"
}
epochs() { # epochs ROUND T: one mlp epoch each side (Fashion-MNIST)
  local ps="$params"
  for p in ${ps//,/ }; do   # cold: each parameterization's epoch the first thing its JVM trains, as a user's first epoch
    bench_train --workload mlp \
        --param "$p" --epoch --threads "$2" 2>/dev/null | sed 's/"workload":"mlp"/"workload":"mlp-epoch"/' | tag ours "$1"
  done
  # warm: after $EPOCH_WARMUP steps of a throwaway model, as an epoch after the first of a longer run
  bench_train --workload mlp \
      --param "$ps" --epoch --warmup "$epoch_warmup" --threads "$2" 2>/dev/null \
      | sed 's/"workload":"mlp"/"workload":"mlp-epoch-warm"/' | tag ours "$1"
  for p in ${ps//,/ }; do
    OPENBLAS_NUM_THREADS="$2" OMP_NUM_THREADS="$2" /usr/bin/python3 "$peer" --workload mlp --param "$p" --epochs 1 \
        --warmup 5 --threads "$2" 2>/dev/null | sed 's/"workload": "mlp"/"workload": "mlp-epoch"/' | tag torch "$1"
  done
}
failed() { echo "# $1 failed in run $2 ($(date -u +%T)); its lines are missing from the table" | tee -a "$log" >&2; }
round() { # round R WORKLOAD T: ours and the peers, the order alternating round by round
  if [ $(($1 % 2)) -eq 1 ]; then ours "$@" || failed "ours $2 T=$3" "$1"; torch "$@" || failed "torch $2 T=$3" "$1"; fi
  if [ "$djl" = 1 ] && [ "$2" = cnn ]; then djl_peer "$1" "$3" || failed "djl T=$3" "$1"; fi
  if [ $(($1 % 2)) -eq 0 ]; then torch "$@" || failed "torch $2 T=$3" "$1"; ours "$@" || failed "ours $2 T=$3" "$1"; fi
}

host="$(lscpu | sed -n 's/^Model name: *//p' | head -1)"
simd="$(grep -o -m1 -w 'avx512f' /proc/cpuinfo || grep -o -m1 -w 'avx2' /proc/cpuinfo || echo 'no avx2')"
{
  echo "# host: $host ($simd), $(nproc) CPUs, L2 $(cat /sys/devices/system/cpu/cpu0/cache/index2/size 2>/dev/null \
      || { grep -m1 '^cache size' /proc/cpuinfo | sed 's/.*: *//; s/$/ (cpuinfo)/'; } || echo '?'); jar: $jar; clock: $clock"
  echo "# workloads: $workloads; params: $params; threads: $threads; runs: $runs; data: $data; DJL peer: $djl"
  echo "# start $(date -u +%FT%TZ), load average $(cut -d' ' -f1-3 /proc/loadavg); raw lines: $log"
} | tee -a "$log"
for r in $(seq 1 "$runs"); do
  for t in $threads; do
    for w in $workloads; do
      round "$r" "$w" "$t"
    done
    if [ "$epoch" = 1 ] && [[ " $workloads " == *" mlp "* ]]; then epochs "$r" "$t" || failed "mlp epoch T=$t" "$r"; fi
    echo "# run $r, $t thread(s) done $(date -u +%T), load $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$log"
  done
done
echo "# end $(date -u +%FT%TZ), load average $(cut -d' ' -f1-3 /proc/loadavg); raw lines: $log" | tee -a "$log"
fi

/usr/bin/python3 - "$log" "$clock" <<'EOF'
import json, statistics, sys
log, clock = sys.argv[1], sys.argv[2]
rows = [json.loads(l) for l in open(log) if l.startswith("{")]

def rate(d):
    if d["workload"].startswith("mlp-epoch"):   # ours: whole epoch with evaluation; the peer: its training loop's wall
        return d["images_per_s_epoch"] if d["who"] == "ours" else (d["steps_timed"] + 5) * d["batch"] / d["wall_s"]
    if d["who"] == "djl" and clock == "cpu":
        return d["images_per_s_median"] / d["cpu_per_wall"]   # estimate: the DJL peer has no CPU clock
    return d["images_per_s_median"]

table = {}
for d in rows:
    table.setdefault((d["workload"], d["param"], d["threads"]), {}).setdefault(d["who"], []).append(rate(d))
    if d["workload"] == "mlp-epoch" and d["who"] != "ours":   # the peer has no JIT: its epoch is both rows' comparison
        table.setdefault(("mlp-epoch-warm", d["param"], d["threads"]), {}).setdefault(d["who"], []).append(rate(d))

def spread(xs):
    if not xs:
        return "-", "-"
    return "%.0f / %.0f / %.0f" % (min(xs), statistics.median(xs), max(xs)), "%.2f" % (max(xs) / min(xs))

print(f"clock: {clock}; images/s; each side's run medians as min / median / max (n runs), spread = max / min")
print("| workload | param | T | ours (n) | spread | torch 1.13 (n) | spread | DJL torch 2.7 (n) | spread | faster peer | ratio (medians) | ratio (our slowest run) |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|")
for key in sorted(table):
    sides = table[key]
    o, t, j = sides.get("ours", []), sides.get("torch", []), sides.get("djl", [])
    peers = {name: statistics.median(xs) for name, xs in (("torch", t), ("djl", j)) if xs}
    fast = max(peers, key=peers.get) if peers else None
    ratio = "%.2f" % (statistics.median(o) / peers[fast]) if o and fast else "-"
    worst = "%.2f" % (min(o) / peers[fast]) if o and fast else "-"
    cells = []
    for xs in (o, t, j):
        s, sp = spread(xs)
        cells += [f"{s} ({len(xs)})" if xs else "-", sp]
    print(f"| {key[0]} | {key[1]} | {key[2]} | " + " | ".join(cells) + f" | {fast or '-'} | {ratio} | {worst} |")
EOF
