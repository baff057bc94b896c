#!/usr/bin/env python3
"""State-dict names and shapes of shared/bench/torch_peer.py's models, for ModelsTest.

For every workload (mlp, cnn, paper-cifar) and parameterisation (normal, bn, wn, wn-mobn, mobn),
builds torch_peer.build(workload, kind) and records each state-dict entry's name and shape, in
order. The Java presets must produce exactly these names (checkpoint contract of DESIGN.md).

Run from the repository root:  /usr/bin/python3 src/test/resources/golden/make_torch_peer_names.py
(needs Debian's python3-torch and ../shared/bench/torch_peer.py); writes torch_peer_names.json.
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.normpath(os.path.join(HERE, "..", "..", "..", "..", "..", "shared", "bench")))
import torch_peer  # noqa: E402

out = {}
for workload in ["mlp", "cnn", "paper-cifar"]:
    for kind in torch_peer.PARAMS:
        model, size = torch_peer.build(workload, kind)
        out[workload + "/" + kind] = {
            "input": list(size),
            "state_dict": [[name, list(t.shape)] for name, t in model.state_dict().items()],
        }
path = os.path.join(HERE, "torch_peer_names.json")
with open(path, "w") as f:
    json.dump(out, f, indent=1)
print("wrote", path)
