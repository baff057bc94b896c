#!/usr/bin/env python3
"""Golden values for LstmGoldenTest: torch.nn.LSTM(5, 3) (one layer, sequence-first input
[T, N, in]) in float64, plain and with torch.nn.utils.weight_norm on weight_ih_l0 and then
weight_hh_l0 (dim 0: one g per gate row, weight_*_g [12, 1]), produced by PyTorch (an independent
reference).

Each case: the parameters (deterministic formulas; for "wn", weight_norm is applied to the plain
weights, which sets v = w and g = ||w|| per row, and g is then moved away from ||v||), an input x
[4, 2, 5] and an initial state h0, c0 [1, 2, 3]; the output [4, 2, 3], h_n and c_n; the state-dict
names in PyTorch's order; and every gradient (x, h0, c0 and each parameter) of
L = sum(r * out) + sum(rh * h_n) + sum(rc * c_n) for fixed r, rh, rc.

Run:  /usr/bin/python3 make_golden_lstm.py   (Debian's python3-torch); writes lstm.json beside it.
"""
import json
import math
import os

import torch
import torch.nn as nn

T, N, IN, H = 4, 2, 5, 3


def formula(shape, a, b, scale):
    """Deterministic values: scale * sin(a * i + b) for the flat index i."""
    n = math.prod(shape)
    return torch.tensor([scale * math.sin(a * i + b) for i in range(n)], dtype=torch.float64).view(tuple(shape))


def entry(t):
    return {"shape": list(t.shape), "value": [float(v) for v in t.detach().reshape(-1).tolist()]}


def case(wn):
    lstm = nn.LSTM(IN, H).double()
    with torch.no_grad():
        lstm.weight_ih_l0.copy_(formula([4 * H, IN], 0.7, 0.1, 0.6))
        lstm.weight_hh_l0.copy_(formula([4 * H, H], 1.3, 0.4, 0.7))
        lstm.bias_ih_l0.copy_(formula([4 * H], 0.9, 0.2, 0.3))
        lstm.bias_hh_l0.copy_(formula([4 * H], 1.1, 0.5, 0.2))
    out = {"plain_weight_ih_l0": entry(lstm.weight_ih_l0), "plain_weight_hh_l0": entry(lstm.weight_hh_l0)}
    if wn:
        lstm = nn.utils.weight_norm(lstm, "weight_ih_l0", dim=0)
        lstm = nn.utils.weight_norm(lstm, "weight_hh_l0", dim=0)
        with torch.no_grad():
            out["g_after_apply_ih"] = entry(lstm.weight_ih_l0_g)
            out["g_after_apply_hh"] = entry(lstm.weight_hh_l0_g)
            lstm.weight_ih_l0_g.mul_(1 + 0.3 * formula([4 * H, 1], 0.5, 0.0, 1.0))
            lstm.weight_hh_l0_g.mul_(1 + 0.3 * formula([4 * H, 1], 0.8, 0.3, 1.0))
    x = formula([T, N, IN], 0.37, 0.2, 1.2).requires_grad_()
    h0 = formula([1, N, H], 0.9, 1.0, 0.5).requires_grad_()
    c0 = formula([1, N, H], 0.6, 2.0, 0.8).requires_grad_()
    y, (hn, cn) = lstm(x, (h0, c0))
    r, rh, rc = formula([T, N, H], 0.3, 0.1, 1.0), formula([1, N, H], 0.8, 0.7, 1.0), formula([1, N, H], 0.45, 1.5, 1.0)
    loss = (r * y).sum() + (rh * hn).sum() + (rc * cn).sum()
    loss.backward()
    out.update({"x": entry(x), "h0": entry(h0), "c0": entry(c0), "r": entry(r), "rh": entry(rh), "rc": entry(rc),
                "output": entry(y), "h_n": entry(hn), "c_n": entry(cn), "loss": float(loss),
                "grad_x": entry(x.grad), "grad_h0": entry(h0.grad), "grad_c0": entry(c0.grad),
                "state_dict_names": list(lstm.state_dict().keys())})
    params = dict(lstm.named_parameters())
    out["params"] = {name: entry(p) for name, p in params.items()}
    out["grads"] = {name: entry(p.grad) for name, p in params.items()}
    return out


def main():
    torch.set_default_dtype(torch.float64)
    doc = {"torch_version": torch.__version__, "plain": case(False), "wn": case(True)}
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "lstm.json")
    with open(path, "w") as f:
        json.dump(doc, f, indent=1)
    print("wrote", path)


if __name__ == "__main__":
    main()
