#!/usr/bin/env bash
# One benchmark round of docs/BENCHMARKS.md: the training step of the three reference workloads,
# ours and the PyTorch peer back to back, on an otherwise idle machine. Prints JSON lines tagged
# OURS / TORCH. Usage: scripts/bench-vs-pytorch.sh [JAR]   (default target/weightnorm4j-all.jar)
# Needs Debian's python3-torch and dataset-fashion-mnist. Takes about 6 minutes on 2 cores.
# The last two lines are ours alone: the parameterizations interleaved in rounds, for weight norm's
# overhead (step time relative to normal's, round by round; docs/BENCHMARKS.md).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="${1:-$root/target/weightnorm4j-all.jar}"
peer="$root/../shared/bench/torch_peer.py"
heap=4g
ours() { java --add-modules jdk.incubator.vector -Xmx$heap -XX:+UseParallelGC -jar "$jar" bench train "$@" 2>/dev/null | grep '^{' | sed 's/^/OURS /'; }
torch() { /usr/bin/python3 "$peer" "$@" 2>/dev/null | grep '^{' | sed 's/^/TORCH /'; }
echo "# $(date -u +%FT%TZ) load: $(cut -d' ' -f1-3 /proc/loadavg)"
# mlp steps take ~4 ms: the JIT needs hundreds of them before the timing means anything.
for p in normal bn wn wn-mobn mobn; do
  ours --workload mlp --param $p --warmup 500 --steps 1000
  torch --workload mlp --param $p --warmup 500 --steps 1000
done
ours --workload mlp --param wn --epoch
torch --workload mlp --param wn --epochs 1
for p in normal bn wn wn-mobn mobn; do
  ours --workload cnn --param $p --synthetic --steps 10
  torch --workload cnn --param $p --synthetic --steps 10
done
ours --workload cnn --param wn --synthetic --steps 10 --threads 1
torch --workload cnn --param wn --synthetic --steps 10 --threads 1
for p in normal wn; do
  ours --workload paper-cifar --param $p --steps 4
  torch --workload paper-cifar --param $p --steps 4
done
heap=8g   # four models at once: paper-cifar's need about 0.9 GB each
ours --workload cnn --param normal,wn,wn-mobn,bn --synthetic --rounds 8 --steps 5
ours --workload paper-cifar --param normal,wn,wn-mobn,bn --rounds 4 --steps 3
echo "# $(date -u +%FT%TZ) load: $(cut -d' ' -f1-3 /proc/loadavg)"
