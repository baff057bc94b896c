#!/usr/bin/env python3
"""Replays the first steps of an LrSweepProbe run (src/test/java/org/weightnorm4j/experiments/) in
PyTorch, from the same initial weights (after weightnorm4j's data-dependent init) and the same
batches, with torch.nn.utils.weight_norm(dim=0) and torch.optim.SGD, and prints the loss per step
to set against the probe's trace.

Usage (from the repository root, after `LrSweepProbe ... trace=5 dump=DIR`, see docs/EXPERIMENTS.md):
  python3 docs/lr-sweep/torch_steps.py DIR --lr 1 --momentum 0.9 --steps 5
Only the weight-normalized mlp (784-512-512-10) with one learning rate for every parameter.
"""
import argparse

import numpy as np
import torch
import torch.nn as nn


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dump")
    ap.add_argument("--lr", type=float, default=1.0)
    ap.add_argument("--momentum", type=float, default=0.9)
    ap.add_argument("--steps", type=int, default=5)
    args = ap.parse_args()
    d = args.dump.rstrip("/") + "/"
    wn = lambda i, o: nn.utils.weight_norm(nn.Linear(i, o), dim=0)
    net = nn.Sequential(nn.Flatten(), wn(784, 512), nn.ReLU(), wn(512, 512), nn.ReLU(), wn(512, 10))
    state = {}
    for line in open(d + "params.txt"):
        name, shape = line.split()
        shape = [int(s) for s in shape.split(",")]
        state[name] = torch.from_numpy(np.fromfile(d + name + ".f32", dtype="<f4").reshape(shape))
    net.load_state_dict(state, strict=True)
    opt = torch.optim.SGD(net.parameters(), lr=args.lr, momentum=args.momentum)
    for k in range(1, args.steps + 1):
        x = torch.from_numpy(np.fromfile(d + f"x{k}.f32", dtype="<f4").reshape(-1, 1, 28, 28))
        y = torch.tensor([int(t) for t in open(d + f"y{k}.txt").read().split()])
        opt.zero_grad()
        loss = nn.functional.cross_entropy(net(x), y)
        loss.backward()
        print(f"step {k}: loss {loss.item():.9g}")
        opt.step()


if __name__ == "__main__":
    main()
