#!/usr/bin/env python3
"""Golden values for WeightNormDimsGoldenTest: torch.nn.utils.weight_norm(module, name, dim) over
dim 0, dim 1 and the whole tensor, produced by PyTorch (an independent reference), in float64.

Cases (each module's plain weight and bias are deterministic formulas, then weight_norm is applied,
which sets v = w and g = ||w|| over dim, and g is then moved away from ||v||):
  linear_dim0     weight_norm(Linear(5, 4), dim=0)       run on x [3, 5]
  linear_dim1     weight_norm(Linear(5, 4), dim=1)       run on x [3, 5]
  conv_dim1       weight_norm(Conv2d(2, 3, 3, padding=1), dim=1)  run on x [2, 2, 4, 4]
  linear_whole    weight_norm(Linear(5, 4), dim=None)    run on x [3, 5]
  convT_dim1      weight_norm(ConvTranspose2d(3, 2, 3), dim=1): the weight [3, 2, 3, 3] of a
                  transposed convolution, one norm per output channel (dim 1); only the weight
                  itself is compared here: w from (g, v), and the gradients of g and v for
                  L = sum(r * w) (the layer itself, nn.ConvTranspose2d, has its own golden file,
                  make_golden_convtranspose.py).
For the layers, L = sum(r * y) for a fixed r, so dL/dy = r; the file holds the input, g, v (as
PyTorch named and shaped them), the bias, the output and every gradient.

Run:  /usr/bin/python3 make_golden_dims.py   (Debian's python3-torch); writes wn_dims.json beside it.
"""
import json
import math
import os

import torch
import torch.nn as nn


def formula(shape, a, b, scale):
    """Deterministic values: scale * sin(a * i + b) for the flat index i."""
    n = math.prod(shape)
    return torch.tensor([scale * math.sin(a * i + b) for i in range(n)], dtype=torch.float64).view(tuple(shape))


def flat(t):
    return [float(v) for v in t.detach().reshape(-1).tolist()]


def entry(t, grad=True):
    out = {"shape": list(t.shape), "value": flat(t)}
    if grad:
        out["grad"] = flat(t.grad)
    return out


def wn_case(module, dim, x_shape, seed):
    with torch.no_grad():
        module.weight.copy_(formula(tuple(module.weight.shape), 0.61 + seed, 0.2 * seed, 0.5))
        if module.bias is not None:
            module.bias.copy_(formula(tuple(module.bias.shape), 1.1, 0.3 + seed, 0.2))
    plain = module.weight.detach().clone()
    module = nn.utils.weight_norm(module, dim=dim)
    case = {"dim": -1 if dim is None else dim, "plain_weight": {"shape": list(plain.shape), "value": flat(plain)},
            "g_after_apply": {"shape": list(module.weight_g.shape), "value": flat(module.weight_g)}}
    with torch.no_grad():
        module.weight_g.mul_(formula(tuple(module.weight_g.shape), 0.9, 0.4 + seed, 0.3).abs() + 0.8)
    if x_shape is None:
        w = torch._weight_norm(module.weight_v, module.weight_g, -1 if dim is None else dim)
        r = formula(tuple(w.shape), 0.47, 0.8 + seed, 1.0)
        (w * r).sum().backward()
        case.update({"r": {"shape": list(r.shape), "value": flat(r)}, "w": {"shape": list(w.shape), "value": flat(w)}})
    else:
        x = formula(x_shape, 0.37, 0.1 + seed, 1.0).requires_grad_(True)
        y = module(x)
        r = formula(tuple(y.shape), 0.47, 0.8 + seed, 1.0)
        (y * r).sum().backward()
        case.update({"input": entry(x), "r": {"shape": list(r.shape), "value": flat(r)}, "output": entry(y, False),
                     "bias": entry(module.bias)})
        w = torch._weight_norm(module.weight_v, module.weight_g, -1 if dim is None else dim)
        case["w"] = {"shape": list(w.shape), "value": flat(w)}
    case["weight_g"] = entry(module.weight_g)
    case["weight_v"] = entry(module.weight_v)
    return case


def main():
    torch.set_default_dtype(torch.float64)
    cases = {
        "linear_dim0": wn_case(nn.Linear(5, 4), 0, (3, 5), 1),
        "linear_dim1": wn_case(nn.Linear(5, 4), 1, (3, 5), 2),
        "conv_dim1": wn_case(nn.Conv2d(2, 3, 3, padding=1), 1, (2, 2, 4, 4), 3),
        "linear_whole": wn_case(nn.Linear(5, 4), None, (3, 5), 4),
        "convT_dim1": wn_case(nn.ConvTranspose2d(3, 2, 3), 1, None, 5),
    }
    out = {"produced_by": "src/test/resources/golden/make_golden_dims.py with torch " + torch.__version__
                          + " (torch.nn.utils.weight_norm, float64)", "cases": cases}
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "wn_dims.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1)
    print("wrote", path)


if __name__ == "__main__":
    main()
