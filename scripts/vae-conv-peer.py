#!/usr/bin/env python3
"""Peer side of `weightnorm bench conv --layers vae --split --clock cpu --threads 1`: every
convolution shape of the reference VAE (../shared/bench/torch_vae_peer.py), each pass timed alone
with PyTorch on one thread, by the thread's CPU time. For comparisons only (issue 19).

Passes: fwd (conv2d), bd (input gradient), bf (filter and bias gradients), bwd (both, as autograd
runs them); the transposed convolutions as the VAE runs them: T-fwd and T-bwd. Prints one line per
layer: median/best ms of 15 timed calls after a warm-up of 0.7 s per pass.
Usage: /usr/bin/python3 scripts/vae-conv-peer.py   (Debian's python3-torch)
"""
import statistics
import time

import torch

torch.set_num_threads(1)
# (name, in, out, kernel, stride, padding, input side); up1/up2 are the convolutions whose
# adjoints are the decoder's ConvTranspose2d layers.
LAYERS = [("in", 1, 16, 3, 1, 1, 28), ("res16", 16, 16, 3, 1, 1, 28), ("down1", 16, 32, 3, 2, 1, 28),
          ("res32-14", 32, 32, 3, 1, 1, 14), ("down2", 32, 32, 3, 2, 1, 14), ("res32-7", 32, 32, 3, 1, 1, 7),
          ("up1", 32, 32, 4, 2, 1, 14), ("up2", 16, 32, 4, 2, 1, 28), ("out", 16, 1, 3, 1, 1, 28)]
clock = time.thread_time
backward = torch.ops.aten.convolution_backward


def passes(ci, co, k, s, p, x, w, b, dy, transposed):
    if transposed:  # input dy-shaped, output x-shaped, as the decoder runs it
        return {"T-fwd": lambda: torch.nn.functional.conv_transpose2d(dy, w, None, s, p),
                "T-bwd": lambda: backward(x, dy, w, [ci], [s, s], [p, p], [1, 1], True, [0, 0], 1, [True, True, True])}
    args = ([co], [s, s], [p, p], [1, 1], False, [0, 0], 1)
    return {"fwd": lambda: torch.nn.functional.conv2d(x, w, b, s, p),
            "bd": lambda: backward(dy, x, w, *args, [True, False, False]),
            "bf": lambda: backward(dy, x, w, *args, [False, True, True]),
            "bwd": lambda: backward(dy, x, w, *args, [True, True, True])}


for name, ci, co, k, s, p, hw in LAYERS:
    x = torch.randn(100, ci, hw, hw)
    w = torch.randn(co, ci, k, k)
    b = torch.randn(co)
    dy = torch.randn_like(torch.nn.functional.conv2d(x, w, b, s, p))
    out = []
    for op, f in passes(ci, co, k, s, p, x, w, b, dy, name.startswith("up")).items():
        t0 = clock()
        while clock() - t0 < 0.7:
            f()
        times = []
        for _ in range(15):
            t = clock()
            f()
            times.append(clock() - t)
        out.append(f"{op} {statistics.median(times) * 1e3:6.2f}/{min(times) * 1e3:6.2f}")
    print(f"{name:9s}", "  ".join(out), flush=True)
