#!/usr/bin/env python3
"""Golden values for ConvTranspose2dGoldenTest: torch.nn.ConvTranspose2d, plain and under
torch.nn.utils.weight_norm over dim 1 (its output channels, PyTorch's choice for this layer) and
dim 0 (its input channels), produced by PyTorch (an independent reference), in float64.

Cases (weight [in, out, kh, kw] and bias are deterministic formulas; for weight norm, weight_norm
sets v = w and g = ||w|| over dim, and g is then moved away from ||v||):
  plain_s2        ConvTranspose2d(3, 2, 3, stride=2, padding=1, output_padding=1)  x [2, 3, 3, 4]
  wn_dim1_s2      the same under weight_norm(dim=1)                                 x [2, 3, 3, 4]
  wn_dim1_s1      weight_norm(ConvTranspose2d(2, 4, 3, stride=1, padding=1), dim=1)  x [2, 2, 4, 4]
  wn_dim0_s2      weight_norm(ConvTranspose2d(3, 2, 4, stride=2, padding=1), dim=0)  x [1, 3, 3, 3]
For each, L = sum(r * y) for a fixed r, so dL/dy = r; the file holds the input, the parameters as
PyTorch named and shaped them (state-dict order), the output and every gradient.

Run:  /usr/bin/python3 make_golden_convtranspose.py   (Debian's python3-torch); writes
convtranspose.json beside it.
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


def case(module, dim, x_shape, seed):
    with torch.no_grad():
        module.weight.copy_(formula(tuple(module.weight.shape), 0.61 + seed, 0.2 * seed, 0.5))
        module.bias.copy_(formula(tuple(module.bias.shape), 1.1, 0.3 + seed, 0.2))
    out = {"dim": dim, "stride": module.stride[0], "padding": module.padding[0],
           "output_padding": module.output_padding[0],
           "plain_weight": {"shape": list(module.weight.shape), "value": flat(module.weight)}}
    if dim is not None:
        module = nn.utils.weight_norm(module, dim=dim)
        with torch.no_grad():
            module.weight_g.mul_(formula(tuple(module.weight_g.shape), 0.9, 0.4 + seed, 0.3).abs() + 0.8)
    out["state_dict_names"] = list(module.state_dict().keys())
    x = formula(x_shape, 0.37, 0.1 + seed, 1.0).requires_grad_(True)
    y = module(x)
    r = formula(tuple(y.shape), 0.47, 0.8 + seed, 1.0)
    (y * r).sum().backward()
    out.update({"input": entry(x), "r": {"shape": list(r.shape), "value": flat(r)}, "output": entry(y, False)})
    for name, p in module.named_parameters():
        out[name] = entry(p)
    return out


def main():
    torch.set_default_dtype(torch.float64)
    cases = {
        "plain_s2": case(nn.ConvTranspose2d(3, 2, 3, stride=2, padding=1, output_padding=1), None, (2, 3, 3, 4), 1),
        "wn_dim1_s2": case(nn.ConvTranspose2d(3, 2, 3, stride=2, padding=1, output_padding=1), 1, (2, 3, 3, 4), 2),
        "wn_dim1_s1": case(nn.ConvTranspose2d(2, 4, 3, stride=1, padding=1), 1, (2, 2, 4, 4), 3),
        "wn_dim0_s2": case(nn.ConvTranspose2d(3, 2, 4, stride=2, padding=1), 0, (1, 3, 3, 3), 4),
    }
    doc = {"generator": "make_golden_convtranspose.py", "torch": torch.__version__, "cases": cases}
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "convtranspose.json")
    with open(path, "w") as f:
        json.dump(doc, f, indent=1)
    print("wrote", path)


if __name__ == "__main__":
    main()
