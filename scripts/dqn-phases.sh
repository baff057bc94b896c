#!/usr/bin/env bash
# Where one DQN update's time goes, phase by phase (thread CPU µs, median and minimum over ROUNDS
# rounds of 100 updates after 20 warm-up rounds, one thread): zeroing the gradients, the target
# forward on s', each layer's forward, the Huber loss, each layer's backward, the gradient guard,
# the optimizer step. The update is taken apart by hand in scripts/dqn-ab/Phases.java, in
# TrainStep.run's order.
#
# Usage: scripts/dqn-phases.sh [JAR] [PARAM] [OPTIMIZER] [BATCH] [ROUNDS]
#   (defaults: target/weightnorm4j-all.jar normal rmsprop 64 15)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="${1:-$root/target/weightnorm4j-all.jar}"
work="$(mktemp -d /tmp/dqn-phases.XXXXXX)"
javac -nowarn -d "$work" -cp "$jar" "$root/scripts/dqn-ab/Phases.java"
echo "# $(lscpu | sed -n 's/^Model name: *//p' | head -1), load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%FT%TZ)"
java --add-modules jdk.incubator.vector -XX:+UseParallelGC -cp "$work:$jar" Phases "${2:-normal}" "${3:-rmsprop}" "${4:-64}" "${5:-15}" 2>&1 | grep -v '^WARNING'
