#!/usr/bin/env python3
"""Golden values for WeightNormGoldenTest, produced by PyTorch (an independent reference).

Network (float64, torch.nn.Sequential, the same module order as weightnorm4j's Sequential):
  0 weight_norm(Conv2d(2, 3, 3, padding=1), dim=0)
  1 LeakyReLU(0.1)
  2 MaxPool2d(2)
  3 Flatten()
  4 weight_norm(Linear(27, 4), dim=0)
loss = cross_entropy(logits, labels) (mean over the batch).

Every input is a deterministic formula below (no random generator), so the Java test rebuilds
nothing: it reads the inputs, parameters, outputs and gradients from wn_net.json.
Run:  /usr/bin/python3 make_golden.py   (Debian's python3-torch); writes wn_net.json beside it.
"""
import json
import math
import os

import torch
import torch.nn as nn
import torch.nn.functional as F


def formula(shape, a, b, scale):
    """Deterministic, tie-free values: scale * sin(a * i + b) for the flat index i."""
    n = math.prod(shape)
    return torch.tensor([scale * math.sin(a * i + b) for i in range(n)], dtype=torch.float64).view(*shape)


def flat(t):
    return [float(v) for v in t.detach().reshape(-1).tolist()]


def main():
    torch.set_default_dtype(torch.float64)
    conv = nn.Conv2d(2, 3, 3, padding=1, bias=True)
    dense = nn.Linear(27, 4, bias=True)
    with torch.no_grad():
        conv.weight.copy_(formula((3, 2, 3, 3), 0.71, 0.3, 0.4))
        conv.bias.copy_(formula((3,), 1.3, 0.5, 0.2))
        dense.weight.copy_(formula((4, 27), 0.53, 1.1, 0.3))
        dense.bias.copy_(formula((4,), 0.9, 0.2, 0.1))
    conv = nn.utils.weight_norm(conv, dim=0)
    dense = nn.utils.weight_norm(dense, dim=0)
    with torch.no_grad():
        # g away from ||v|| so that the scale s = g/||v|| is not 1.
        conv.weight_g.copy_(formula((3, 1, 1, 1), 0.8, 0.9, 0.5).abs() + 0.6)
        dense.weight_g.copy_(formula((4, 1), 0.6, 0.4, 0.5).abs() + 0.7)
    model = nn.Sequential(conv, nn.LeakyReLU(0.1), nn.MaxPool2d(2), nn.Flatten(), dense)

    x = formula((2, 2, 6, 6), 0.37, 0.1, 1.0).requires_grad_(True)
    labels = torch.tensor([1, 3])
    logits = model(x)
    loss = F.cross_entropy(logits, labels)
    loss.backward()

    params = {name: {"shape": list(p.shape), "value": flat(p), "grad": flat(p.grad)}
              for name, p in model.named_parameters()}
    out = {
        "produced_by": "src/test/resources/golden/make_golden.py with torch " + torch.__version__
                       + " (torch.nn.utils.weight_norm, float64)",
        "input": {"shape": list(x.shape), "value": flat(x), "grad": flat(x.grad)},
        "labels": labels.tolist(),
        "logits": {"shape": list(logits.shape), "value": flat(logits)},
        "loss": float(loss),
        "params": params,
    }
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "wn_net.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1)
    print("wrote", path, "loss", float(loss))


if __name__ == "__main__":
    main()
