#!/usr/bin/env bash
# Two jars' DQN update (DqnAgent.update, the span `bench dqn` times) in ONE JVM, each jar in its own
# class loader, alternated in blocks so that both see the same load: thread CPU µs per update,
# medians, and the ratio first / other. For a before/after on a shared, loaded host, where separate
# JVMs minutes apart differ by more than a few-percent change (docs/BENCHMARKS.md, 2026-12-07
# 11:00-12:30).
#
# Usage: scripts/dqn-update-ab.sh JAR_A JAR_B [CONFIGS] [ROUNDS] [PER_ROUND]
#   CONFIGS: param:optimizer:batch;...  (default: all eight of normal/wn, rmsprop/adamax, 32/64)
#   ROUNDS, PER_ROUND: alternations and updates per block (default 12, 50); 600 warm-up updates each.
# MODE=targets times DqnAgent.computeTargets (the target forward) instead, MODE=opt the optimizer step.
# CLASS=Products times one float32 product of the update's 1024 -> 128 layer, or the convolution, per
# configuration instead (scripts/dqn-ab/Products.java; CONFIGS product:-:batch, products fwd, tgt, bx,
# bw, bwn, cf, cg), e.g. CLASS=Products scripts/dqn-update-ab.sh A.jar B.jar "fwd:-:64;bw:-:64".
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
a="$1"; b="$2"
configs="${3:-normal:rmsprop:32;normal:rmsprop:64;normal:adamax:32;normal:adamax:64;wn:rmsprop:32;wn:rmsprop:64;wn:adamax:32;wn:adamax:64}"
work="$(mktemp -d /tmp/dqn-update-ab.XXXXXX)"
mkdir -p "$work/inner" "$work/outer"
class="${CLASS:-Updater}"
javac -nowarn -d "$work/inner" -cp "$a" "$root/scripts/dqn-ab/$class.java"
javac -nowarn -d "$work/outer" "$root/scripts/dqn-ab/AB.java"
echo "# $(lscpu | sed -n 's/^Model name: *//p' | head -1), load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%FT%TZ)"
java ${JAVA_OPTS:-} -Dmode="${MODE:-update}" -Dupdater.class="$class" -Dupdater.dir="$work/inner/" --add-modules jdk.incubator.vector -cp "$work/outer" \
  AB "$a,$b" "$configs" "${4:-12}" "${5:-50}" 2>&1 | grep -v '^WARNING'
echo "# end load $(cut -d' ' -f1-3 /proc/loadavg)"
