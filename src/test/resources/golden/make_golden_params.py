#!/usr/bin/env python3
"""Golden values for ParameterizationGoldenTest: one small model under all five parameterisations,
computed by PyTorch (float64) with the modules of shared/bench/torch_peer.py.

Model spec (docs/MODEL_SPEC.md), input [2, 6, 6], batch 4:
  conv2d out 3 kernel 3 padding 1, leaky_relu 0.1, conv2d out 4 kernel 3 stride 2, tanh,
  global_avg_pool, dense out 3
Each linear layer becomes torch_peer.linear_unit(kind, ...): normal, bn (BatchNorm2d/1d),
wn (torch.nn.utils.weight_norm), wn-mobn and mobn (torch_peer.MeanOnlyBatchNorm).

Every state-dict entry is set by a deterministic formula (running variances and weight_g
positive). For each kind the file holds: the state dict before, the training-mode logits, the
cross-entropy loss and the gradient of every parameter and of the input, the buffers after that
training forward (running statistics moved), and the evaluation-mode logits afterwards.

Run from the repository root:  /usr/bin/python3 src/test/resources/golden/make_golden_params.py
(needs Debian's python3-torch and ../shared/bench/torch_peer.py); writes params_net.json.
"""
import json
import math
import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.normpath(os.path.join(HERE, "..", "..", "..", "..", "..", "shared", "bench")))
import torch_peer  # noqa: E402

SPEC = {
    "format": "weightnorm4j-model", "version": 1, "name": "golden-small", "input": [2, 6, 6],
    "layers": [
        {"type": "conv2d", "out": 3, "kernel": 3, "stride": 1, "padding": 1},
        {"type": "leaky_relu", "slope": 0.1},
        {"type": "conv2d", "out": 4, "kernel": 3, "stride": 2, "padding": 0},
        {"type": "tanh"},
        {"type": "global_avg_pool"},
        {"type": "dense", "out": 3},
    ],
}


def build(kind):
    L = []
    L += torch_peer.linear_unit(kind, lambda bias: nn.Conv2d(2, 3, 3, padding=1, bias=bias), 3)
    L.append(nn.LeakyReLU(0.1))
    L += torch_peer.linear_unit(kind, lambda bias: nn.Conv2d(3, 4, 3, stride=2, bias=bias), 4)
    L.append(nn.Tanh())
    L += [nn.AdaptiveAvgPool2d(1), nn.Flatten()]
    L += torch_peer.linear_unit(kind, lambda bias: nn.Linear(4, 3, bias=bias), 3)
    return nn.Sequential(*L)


def formula(n, a, b):
    return torch.tensor([math.sin(a * i + b) for i in range(n)], dtype=torch.float64)


def flat(t):
    return [float(v) for v in t.detach().reshape(-1).tolist()]


def main():
    torch.set_default_dtype(torch.float64)
    out = {"produced_by": "src/test/resources/golden/make_golden_params.py with torch " + torch.__version__
                          + " (float64)", "spec": SPEC}
    n = 4
    x0 = formula(n * 2 * 6 * 6, 0.41, 0.2).view(n, 2, 6, 6)
    labels = [0, 2, 1, 2]
    for kind in torch_peer.PARAMS:
        model = build(kind)
        with torch.no_grad():
            for k, (name, t) in enumerate(model.state_dict().items()):
                if t.dtype != torch.float64:
                    continue  # num_batches_tracked (int64) stays 0
                v = formula(t.numel(), 0.37 + 0.11 * k, 0.3 * k).view_as(t)
                if name.endswith("weight_g") or name.endswith("running_var") or (
                        kind == "bn" and name.endswith(".weight") and t.dim() == 1):
                    v = v.abs() + 0.5
                t.copy_(v)
        before = {name: {"shape": list(t.shape), "value": flat(t)} for name, t in model.state_dict().items()}
        model.train()
        x = x0.clone().requires_grad_(True)
        logits = model(x)
        loss = F.cross_entropy(logits, torch.tensor(labels))
        loss.backward()
        grads = {name: flat(p.grad) for name, p in model.named_parameters()}
        buffers_after = {name: flat(b) for name, b in model.named_buffers()}
        model.eval()
        with torch.no_grad():
            eval_logits = model(x0)
        out[kind] = {
            "state_dict": before,
            "train_logits": flat(logits),
            "loss": float(loss),
            "input_grad": flat(x.grad),
            "grads": grads,
            "buffers_after_train": buffers_after,
            "eval_logits": flat(eval_logits),
        }
    out["input"] = {"shape": [n, 2, 6, 6], "value": flat(x0)}
    out["labels"] = labels
    path = os.path.join(HERE, "params_net.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=0)
    print("wrote", path)


if __name__ == "__main__":
    main()
