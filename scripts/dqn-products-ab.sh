#!/usr/bin/env bash
# The DQN update's four dense products (scripts/dqn-ab/Products.java) for two jars in ONE JVM, each
# jar in its own class loader, alternated in blocks (scripts/dqn-ab/AB.java): thread CPU µs per
# product, medians, and the ratio first / other. A before/after for a GEMM change, finer than the
# whole update of scripts/dqn-update-ab.sh.
#
# Usage: scripts/dqn-products-ab.sh JAR_A JAR_B [CONFIGS] [ROUNDS] [PER_ROUND]
#   CONFIGS: product:-:batch;...  products fwd, tgt, bx, bw, bwn (default: all five at batch 64)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
a="$1"; b="$2"
configs="${3:-fwd:-:64;tgt:-:64;bx:-:64;bw:-:64;bwn:-:64}"
work="$(mktemp -d /tmp/dqn-products-ab.XXXXXX)"
mkdir -p "$work/inner" "$work/outer"
javac -nowarn -d "$work/inner" -cp "$a" "$root/scripts/dqn-ab/Products.java"
javac -nowarn -d "$work/outer" "$root/scripts/dqn-ab/AB.java"
echo "# $(lscpu | sed -n 's/^Model name: *//p' | head -1), load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%FT%TZ)"
java ${JAVA_OPTS:-} -Dupdater.class=Products -Dupdater.dir="$work/inner/" --add-modules jdk.incubator.vector -cp "$work/outer" \
  AB "$a,$b" "$configs" "${4:-12}" "${5:-50}" 2>&1 | grep -v '^WARNING'
echo "# end load $(cut -d' ' -f1-3 /proc/loadavg)"
