#!/usr/bin/env python3
"""The scaling model of docs/SCALE.md: time per synchronous data-parallel step on N machines.

    T(N) = B/N * c                      compute: each machine does 1/N of the global batch B
         + X(N) * S / beta              gradient exchange, S bytes of float32 gradient
         + R * rounds(N) * alpha        latency of the exchanges of one step

c      compute seconds per image (forward + backward) on one machine, measured (ScaleProbe);
S      4 bytes x parameters;
beta   network bandwidth per machine, bytes/s (stated, not measured: this host is one machine);
alpha  one-way latency per message, s;
R      latency rounds per step: the gradient's (below), + 2 x 2 per mean-only batch-norm layer (its
       mean forward and the mean of its gradient backward, a few hundred bytes each: latency only).
X(N) and the gradient's latency rounds for two exchanges:
  star (what weightnorm4j-spark does: every worker sends to worker 0, which adds in worker order and
        sends the sums back): worker 0's link carries (N-1) S each way -> X = N-1, 2 alpha
  ring all-reduce (the standard bandwidth-optimal one, for comparison): X = 2 (N-1)/N, 2 (N-1) alpha
The small batch-norm exchanges go through worker 0 in both (2 alpha each).
Largest useful N: the N in 1..64 with the least T(N) (more machines make each step slower), among
those that leave every machine at least MIN_SHARD images (below that the per-image compute c is no
longer constant: small GEMMs run far below peak); also given, the largest such N whose parallel
efficiency T(1) / (N T(N)) is still >= 50 %.

Usage: python3 docs/scale_model.py C_CNN C_PAPER_CIFAR   (seconds per image, from ScaleProbe)
"""
import sys

WORKLOADS = {
    # name: (parameters, mean-only BN layers in wn-mobn)
    "cnn": (424_394, 7),          # counted from the presets (normal; wn adds g, 0.2 %)
    "paper-cifar": (1_369_738, 9),
}
MIN_SHARD = 4
NETWORKS = {"10 Gbit/s": (10e9 / 8 * 0.9, 50e-6), "1 Gbit/s": (1e9 / 8 * 0.9, 100e-6)}


def step_time(n, batch, c, params, mobn, beta, alpha, ring):
    size = 4 * params
    x = 2 * (n - 1) / n if ring else (n - 1)
    gradient_rounds = 2 * (n - 1) if ring else 2
    comm = 0.0 if n == 1 else x * size / beta + (gradient_rounds + 2 * 2 * mobn) * alpha
    return batch / n * c + comm


def main():
    c = {"cnn": float(sys.argv[1]), "paper-cifar": float(sys.argv[2])}
    for net, (beta, alpha) in NETWORKS.items():
        for name, (params, mobn) in WORKLOADS.items():
            for batch in (100, 1000):
                for ring in (False, True):
                    t = [step_time(n, batch, c[name], params, mobn, beta, alpha, ring) for n in range(1, 65)]
                    allowed = range(1, min(64, batch // MIN_SHARD) + 1)
                    best = min(allowed, key=lambda n: t[n - 1])
                    eff50 = max(n for n in allowed if t[0] / (n * t[n - 1]) >= 0.5)
                    row = " ".join(f"{t[n - 1]:.3g}" for n in (1, 2, 4, 8, 16, 32, 64))
                    print(f"| {net} | {name} | {batch} | {'ring' if ring else 'star'} | {row} | {best} "
                          f"({t[0] / t[best - 1]:.1f}x) | {eff50} |")


if __name__ == "__main__":
    main()
