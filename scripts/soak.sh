#!/usr/bin/env bash
# Soak test (issue 7, item 5): trains the `cnn` preset on Fashion-MNIST for MINUTES minutes (it is
# stopped by `timeout`), logging every garbage collection (-Xlog:gc) and sampling the training
# throughput, then compares the start of the run with its end: heap after a full GC and images/s.
# The training loop allocates almost nothing per step, so the JVM may never collect on its own while
# it trains: at every sample the script forces a full collection (jcmd PID GC.run, about 0.1 s per
# 20 s sample) so that each window has "Pause Full (Diagnostic Command)" lines to read the live heap from.
#
#   scripts/soak.sh [MINUTES] [OUTDIR]         default: 30 minutes, runs/soak-<date>
#
# Environment:
#   SOAK_MODEL    preset or FILE.json (default cnn; mlp makes a cheap smoke test of this script)
#   SOAK_THREADS  compute threads (default: the trainer's default, all cores)
#   SOAK_BATCH    minibatch size (default 100, the cnn preset's)
#   SOAK_SAMPLE   seconds between throughput samples (default 20)
#   SOAK_ARGS     more `weightnorm train` options, e.g. "--param wn-mobn --data DIR"
#   SOAK_JAR      the jar to run (default target/weightnorm4j-all.jar; build it with ./weightnorm --version)
#   WEIGHTNORM_HEAP  maximum heap, as for ./weightnorm (default 4g)
#
# Output in OUTDIR: gc.log (the JVM's GC log), train.log (the trainer's progress lines, each
# prefixed with the Unix time), samples.csv (time, step: the latest metrics.csv step row),
# summary.csv (metric, start, end, change_percent) and summary.txt (the same, in words).
# The start window is the first fifth of the run, the end window the last fifth; heap is the
# median heap after GC of the collections in a window (those while the data loads are left out),
# throughput the images trained per second across it. Not part of CI: see docs/RELIABILITY.md.
set -euo pipefail

minutes="${1:-30}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${2:-$root/runs/soak-$(date -u +%Y%m%dT%H%M%S)}"
model="${SOAK_MODEL:-cnn}"
batch="${SOAK_BATCH:-100}"
sample="${SOAK_SAMPLE:-20}"
jar="${SOAK_JAR:-$root/target/weightnorm4j-all.jar}"
java_cmd="${JAVA_HOME:+$JAVA_HOME/bin/}java"

if [ ! -f "$jar" ]; then
  echo "soak: $jar does not exist; build it first (./weightnorm --version builds it)" >&2
  exit 2
fi
if ! [[ "$minutes" =~ ^[0-9]+([.][0-9]+)?$ ]]; then
  echo "soak: MINUTES must be a number, got '$minutes'" >&2
  exit 2
fi
if [ -e "$out/run/model.json" ]; then
  echo "soak: $out already holds a run; choose another OUTDIR" >&2
  exit 2
fi
mkdir -p "$out"
run="$out/run"
metrics="$run/metrics.csv"

threads=()
if [ -n "${SOAK_THREADS:-}" ]; then
  threads=(--threads "$SOAK_THREADS")
fi

echo "soak: training $model for $minutes min into $run (GC log $out/gc.log)" >&2

# Samples (unix time, last logged step) until the training process is gone.
sampler() {
  local pid="$1"
  echo "time,step" >"$out/samples.csv"
  while kill -0 "$pid" 2>/dev/null; do
    if [ -f "$metrics" ]; then
      local step
      step="$(grep '^step,' "$metrics" | tail -n 1 | cut -d, -f2 || true)"
      if [ -n "$step" ]; then
        echo "$(date +%s),$step" >>"$out/samples.csv"
        # The live heap: a full collection, logged in gc.log as "Pause Full (Diagnostic Command)".
        jcmd "$pid" GC.run >/dev/null 2>&1 || true
      fi
    fi
    sleep "$sample"
  done
}

# The trainer, under timeout, its lines stamped with the time; the sampler beside it. The jar is
# run directly (not through ./weightnorm) so that a soak never rebuilds a jar another run is using.
set +e
timeout --signal=TERM "${minutes}m" "$java_cmd" --add-modules jdk.incubator.vector -Xmx"${WEIGHTNORM_HEAP:-4g}" \
  -XX:+UseParallelGC -Xlog:gc:file="$out/gc.log":uptime,level,tags -jar "$jar" \
  train --model "$model" --batch "$batch" --epochs 1000 --log-every 10 --out "$run" "${threads[@]}" ${SOAK_ARGS:-} \
  2>&1 | while IFS= read -r line; do printf '%s %s\n' "$(date +%s)" "$line"; done >"$out/train.log" &
pipeline=$!
sleep 2
train_pid="$(pgrep -n -f -- "--out $run" || true)"
if [ -n "$train_pid" ]; then
  sampler "$train_pid" &
  sampler_pid=$!
fi
wait "$pipeline"
if [ -n "${sampler_pid:-}" ]; then
  wait "$sampler_pid" # it stops by itself within SOAK_SAMPLE seconds of the trainer
fi
set -e

if ! grep -q '^step,' "$metrics" 2>/dev/null; then
  echo "soak: the run logged no steps; see $out/train.log" >&2
  tail -n 5 "$out/train.log" >&2 || true
  exit 1
fi

# Heap after each full GC pause, in MiB: "[12.3s][info][gc] GC(4) Pause Full (...) 300M->41M(981M) 5.1ms"
# (young pauses are left out: the heap after one still holds the old generation's garbage).
sed -n 's/^\[\([0-9.]*\)s\].*Pause Full.* \([0-9]*\)\([KMG]\)->\([0-9]*\)\([KMG]\)(\([0-9]*\)\([KMG]\)).*/\1 \4 \5/p' \
  "$out/gc.log" | awk '{ m = $2; if ($3 == "K") m /= 1024; if ($3 == "G") m *= 1024; print $1, m }' >"$out/heap.txt"

# Summary: first fifth against last fifth of the run.
# GC pauses before the first logged step (loading the data) are left out: the JVM started about when
# the first line of train.log was stamped, and the GC log counts seconds from then.
jvm_start="$(head -n 1 "$out/train.log" | cut -d' ' -f1)"
awk -v batch="$batch" -v heapfile="$out/heap.txt" -v csv="$out/summary.csv" -v jvmstart="$jvm_start" '
  function median(a, n,   i, j, t) {
    for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
    if (n == 0) return -1
    return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  function pct(a, b) { return (a > 0) ? sprintf("%+.1f", 100 * (b - a) / a) : "n/a" }
  BEGIN { FS = "," }
  NR > 1 { n++; t[n] = $1; s[n] = $2 }
  END {
    if (n < 3) { print "soak: fewer than 3 throughput samples; run longer" > "/dev/stderr"; exit 1 }
    span = t[n] - t[1]; cut1 = t[1] + span / 5; cut2 = t[n] - span / 5
    for (i = 1; i <= n; i++) { if (t[i] <= cut1) a = i; if (b == 0 && t[i] >= cut2) b = i }
    if (a < 2) a = 2; if (b > n - 1) b = n - 1
    start_ips = (s[a] - s[1]) * batch / (t[a] - t[1])
    end_ips = (s[n] - s[b]) * batch / (t[n] - t[b])
    # Heap: pauses in the first and last fifth of the JVM uptime covered by the GC log.
    h = 0
    skip = t[1] - jvmstart
    while ((getline line < heapfile) > 0) { split(line, f, " "); if (f[1] >= skip) { h++; ht[h] = f[1]; hv[h] = f[2] } }
    hs = 0; he = 0; max = 0
    if (h > 0) {
      hspan = ht[h] - ht[1]
      for (i = 1; i <= h; i++) {
        if (hv[i] > max) max = hv[i]
        if (ht[i] <= ht[1] + hspan / 5) { hs++; first[hs] = hv[i] }
        if (ht[i] >= ht[h] - hspan / 5) { he++; last[he] = hv[i] }
      }
    }
    hstart = median(first, hs); hend = median(last, he)
    print "metric,start,end,change_percent" > csv
    printf "images_per_second,%.1f,%.1f,%s\n", start_ips, end_ips, pct(start_ips, end_ips) > csv
    if (hs > 0 && he > 0) printf "heap_after_gc_mib_median,%.1f,%.1f,%s\n", hstart, hend, pct(hstart, hend) > csv
    else print "heap_after_gc_mib_median,,,n/a" > csv
    printf "gc_pauses,%d,%d,\n", hs, he > csv
    printf "run: %.1f min sampled, steps %d to %d (batch %d), %d full GCs while training, largest heap after a full GC %.1f MiB\n", span / 60, s[1], s[n], batch, h, max
    printf "throughput: %.1f images/s in the first fifth, %.1f in the last (%s%%)\n", start_ips, end_ips, pct(start_ips, end_ips)
    if (h == 0) print "heap after full GC: none logged while training (jcmd missing or not permitted?)"
    else if (hs == 0 || he == 0) printf "heap after GC: %d pauses while training, too few to compare the fifths\n", h
    else printf "heap after full GC (median): %.1f MiB in the first fifth (%d collections), %.1f MiB in the last (%d collections) (%s%%)\n", hstart, hs, hend, he, pct(hstart, hend)
  }' "$out/samples.csv" | tee "$out/summary.txt"
echo "soak: summary in $out/summary.csv and $out/summary.txt" >&2
