#!/usr/bin/env python3
"""Golden values for DrawGoldenTest: the peer's DRAW (../shared/bench/torch_lstm_peer.py, class
Draw, whose equations weightnorm4j's generative.Draw follows) on a tiny configuration in float64,
plain and with weight_norm (dim 0) on every Linear weight and on both cells' weight_ih and
weight_hh, produced by PyTorch (an independent reference).

Configuration: 6x6 images, 3 glimpses, hidden 4, latent 3, read 2x2, write 3x3, batch 2. The
parameters are deterministic formulas (weight_norm then sets v = w, g = ||w|| per row, and g is
moved away from ||v||), the images binary, and the noise eps [T, N, Z] fixed: torch.randn_like is
replaced, during the forward, by a function handing out eps[t] at glimpse t.

Each case: the state dict (names in PyTorch's order, values), x, eps, the mean bound and every
parameter's gradient of it.

Run:  /usr/bin/python3 make_golden_draw.py [PEER_DIR]   (default ../shared/bench from the repository
root, i.e. /work/shared/bench here); writes draw.json beside it.
"""
import json
import math
import os
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
PEER = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "..", "..", "..", "..", "..", "shared", "bench")
if not os.path.isdir(PEER):
    PEER = "/work/shared/bench"
sys.path.insert(0, PEER)
import torch_lstm_peer as peer  # noqa: E402

SIDE, T, H, Z, READ, WRITE, N = 6, 3, 4, 3, 2, 3, 2


def formula(shape, a, b, scale):
    n = math.prod(shape)
    return torch.tensor([scale * math.sin(a * i + b) for i in range(n)], dtype=torch.float64).view(tuple(shape))


def entry(t):
    return {"shape": list(t.shape), "value": [float(v) for v in t.detach().reshape(-1).tolist()]}


def case(param):
    torch.manual_seed(0)
    model = peer.Draw("normal", T, READ, WRITE, H, Z, SIDE).double()
    with torch.no_grad():
        for k, (name, p) in enumerate(model.named_parameters()):
            p.copy_(formula(list(p.shape), 0.37 + 0.11 * k, 0.05 * k, 0.5))
    if param == "wn":
        for mod, names in [(model.enc, ["weight_ih", "weight_hh"]), (model.dec, ["weight_ih", "weight_hh"]),
                           (model.q, ["weight"]), (model.read_att, ["weight"]), (model.write_att, ["weight"]),
                           (model.write_w, ["weight"])]:
            for nm in names:
                torch.nn.utils.weight_norm(mod, name=nm, dim=0)
        with torch.no_grad():
            for name, p in model.named_parameters():
                if name.endswith("_g"):
                    p.mul_(1.0 + 0.1 * formula(list(p.shape), 0.9, 0.3, 1.0))
    x = (formula([N, SIDE, SIDE], 1.7, 0.2, 1.0) > 0.1).double()
    eps = formula([T, N, Z], 2.3, 0.7, 1.2)
    calls = {"t": 0}
    original = torch.randn_like

    def fixed(like):
        e = eps[calls["t"]]
        calls["t"] += 1
        return e.clone()

    torch.randn_like = fixed
    try:
        loss = model.loss(x)
    finally:
        torch.randn_like = original
    assert calls["t"] == T
    loss.backward()
    state = [{"name": k, **entry(v)} for k, v in model.state_dict().items()]
    grads = {name: entry(p.grad) for name, p in model.named_parameters()}
    return {"param": param, "state": state, "x": entry(x.view(N, SIDE * SIDE)), "eps": entry(eps),
            "loss": float(loss), "grads": grads}


def main():
    out = {"config": {"side": SIDE, "glimpses": T, "hidden": H, "latent": Z, "read": READ, "write": WRITE, "batch": N},
           "torch": torch.__version__, "cases": [case("normal"), case("wn")]}
    with open(os.path.join(HERE, "draw.json"), "w") as f:
        json.dump(out, f)


if __name__ == "__main__":
    main()
