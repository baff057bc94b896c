#!/usr/bin/env bash
# Issue 18's per-JVM slow mode (a whole `bench dqn --threads 1` JVM at 0.60-0.65x of another,
# every line tight): N separate JVMs, each between two clock probes (scripts/dqn-ab/ClockProbe.java),
# with the load average and the busiest other processes at its start, so that slow JVMs can be
# compared with fast ones (docs/BENCHMARKS.md, 2026-12-07 13:42).
#
# Usage: scripts/dqn-slow-mode.sh [N] [JAR] [JAVA_OPTS...]   (defaults: 10, target/weightnorm4j-all.jar)
# One line per JVM: time, load, clock before, updates/s median/best at batch 32 and 64, clock after;
# the busiest processes go to the same file (LOG, default /tmp/dqn-slow-mode.log) under each line.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
n="${1:-10}"
jar="${2:-$root/target/weightnorm4j-all.jar}"
shift $(( $# < 2 ? $# : 2 ))
log="${LOG:-/tmp/dqn-slow-mode.log}"
work="$(mktemp -d /tmp/dqn-slow-mode.XXXXXX)"
javac -nowarn -d "$work" "$root/scripts/dqn-ab/ClockProbe.java"
echo "# $(lscpu | sed -n 's/^Model name: *//p' | head -1), jar $jar, opts: $*" | tee -a "$log"
for i in $(seq 1 "$n"); do
  top="$(ps -eo pcpu,ni,comm --sort=-pcpu | sed -n '2,5p' | tr -s ' ' | paste -sd';')"
  before="$(java -cp "$work" ClockProbe)"
  speed="$(java --add-modules jdk.incubator.vector -Xmx2g -XX:+UseParallelGC "$@" -jar "$jar" bench dqn --param normal \
    --optimizer rmsprop --batch 32,64 --threads 1 --clock cpu --steps 1000 --warmup 500 2>/dev/null | grep '^{' |
    /usr/bin/python3 -c 'import sys, json
print(" ".join("b%d %.0f/%.0f" % (d["batch"], d["updates_per_s_median"], d["updates_per_s_best"]) for d in map(json.loads, sys.stdin)))')"
  after="$(java -cp "$work" ClockProbe)"
  echo "$(date -u +%T) load $(cut -d' ' -f1 /proc/loadavg) | $before | $speed | $after" | tee -a "$log"
  echo "    busiest: $top" >> "$log"
done
