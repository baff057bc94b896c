#!/usr/bin/env python3
"""Load a weightnorm4j checkpoint into the equivalent PyTorch model and evaluate it.

Rebuilds, from the checkpoint's model.json, the torch.nn.Sequential that weightnorm4j mirrors
(the same modules as shared/bench/torch_peer.py: torch.nn.utils.weight_norm(layer, dim=0) on
weight-normalized layers, a MeanOnlyBatchNorm module, GaussianNoise), loads model.safetensors
with load_state_dict(strict=True), and prints the test accuracy on the checkpoint's dataset
(Fashion-MNIST or MNIST IDX files). The safetensors file is parsed by hand, so only torch (and
Python's standard library) is needed: Debian's python3-torch is enough.

Usage:
  python3 docs/load_in_pytorch.py CHECKPOINT_DIR [--data DIR]
  # compare with: ./weightnorm eval --checkpoint CHECKPOINT_DIR
"""
import argparse, gzip, json, os, struct, sys

import torch
import torch.nn as nn


# ---- the checkpoint -------------------------------------------------------------------------

def read_safetensors(path):
    """The safetensors format: u64 LE header length, JSON header, raw little-endian data."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 8:
        sys.exit(f"{path}: too short for a safetensors file")
    (n,) = struct.unpack("<Q", data[:8])
    if n > len(data) - 8:
        sys.exit(f"{path}: header length {n} exceeds the file")
    header = json.loads(data[8:8 + n].decode("utf-8"))
    base = 8 + n
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        if entry["dtype"] != "F32":
            sys.exit(f"{path}: tensor {name} has dtype {entry['dtype']}, expected F32")
        begin, end = entry["data_offsets"]
        buf = bytearray(data[base + begin: base + end])
        t = torch.frombuffer(buf, dtype=torch.float32) if buf else torch.zeros(0)
        if sys.byteorder != "little":
            t = t.byteswap()  # the format is little-endian
        tensors[name] = t.reshape(entry["shape"]).clone()
    return tensors


# ---- the model (mirrors shared/bench/torch_peer.py) -----------------------------------------

class MeanOnlyBatchNorm(nn.Module):
    """Paper section 4: subtract the minibatch mean per unit (running mean at test time), add a bias."""

    def __init__(self, n, momentum=0.1):
        super().__init__()
        self.bias = nn.Parameter(torch.zeros(n))
        self.register_buffer("running_mean", torch.zeros(n))
        self.momentum = momentum

    def forward(self, x):
        dims = [0] + list(range(2, x.dim()))
        shape = [1, -1] + [1] * (x.dim() - 2)
        if self.training:
            mean = x.mean(dim=dims)
            with torch.no_grad():
                self.running_mean.mul_(1 - self.momentum).add_(self.momentum * mean)
        else:
            mean = self.running_mean
        return x - mean.view(shape) + self.bias.view(shape)


class GaussianNoise(nn.Module):
    def __init__(self, sigma):
        super().__init__()
        self.sigma = sigma

    def forward(self, x):
        return x + self.sigma * torch.randn_like(x) if self.training else x


def linear_unit(kind, layer, n_out, image):
    """A dense/conv layer under one parameterisation (torch_peer.py's linear_unit)."""
    if kind == "normal":
        return [layer]
    if kind == "bn":
        return [layer, nn.BatchNorm2d(n_out) if image else nn.BatchNorm1d(n_out)]
    if kind == "wn":
        return [nn.utils.weight_norm(layer, dim=0)]
    if kind == "wn-mobn":
        return [nn.utils.weight_norm(layer, dim=0), MeanOnlyBatchNorm(n_out)]
    if kind == "mobn":
        return [layer, MeanOnlyBatchNorm(n_out)]
    sys.exit(f"unknown parameterisation {kind}")


def build(arch, kind):
    """The nn.Sequential of a weightnorm4j model spec (docs/MODEL_SPEC.md)."""
    shape = list(arch["input"])
    bias = kind in ("normal", "wn")
    mods = []
    for spec in arch["layers"]:
        t = spec["type"]
        if t == "dense":
            layer = nn.Linear(shape[0], spec["out"], bias=bias)
            mods += linear_unit(kind, layer, spec["out"], image=False)
            shape = [spec["out"]]
        elif t == "conv2d":
            k, s, p = spec["kernel"], spec.get("stride", 1), spec.get("padding", 0)
            layer = nn.Conv2d(shape[0], spec["out"], k, stride=s, padding=p, bias=bias)
            mods += linear_unit(kind, layer, spec["out"], image=True)
            shape = [spec["out"], (shape[1] + 2 * p - k) // s + 1, (shape[2] + 2 * p - k) // s + 1]
        elif t == "maxpool2d":
            mods.append(nn.MaxPool2d(2))
            shape = [shape[0], shape[1] // 2, shape[2] // 2]
        elif t == "global_avg_pool":
            mods += [nn.AdaptiveAvgPool2d(1), nn.Flatten()]
            shape = [shape[0]]
        elif t == "flatten":
            mods.append(nn.Flatten())
            n = 1
            for d in shape:
                n *= d
            shape = [n]
        elif t == "dropout":
            mods.append(nn.Dropout(spec["p"]))
        elif t == "gaussian_noise":
            mods.append(GaussianNoise(spec["sigma"]))
        elif t == "relu":
            mods.append(nn.ReLU())
        elif t == "leaky_relu":
            mods.append(nn.LeakyReLU(spec.get("slope", 0.01)))
        elif t == "elu":
            mods.append(nn.ELU(spec.get("alpha", 1.0)))
        elif t == "softplus":
            mods.append(nn.Softplus())
        elif t == "tanh":
            mods.append(nn.Tanh())
        elif t == "sigmoid":
            mods.append(nn.Sigmoid())
        else:
            sys.exit(f"unknown layer type {t}")
    return nn.Sequential(*mods)


# ---- the data ---------------------------------------------------------------------------------

def read_idx(path):
    with gzip.open(path, "rb") if path.endswith(".gz") else open(path, "rb") as f:
        data = f.read()
    ndim = data[3]
    dims = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim)]
    return torch.frombuffer(bytearray(data[4 + 4 * ndim:]), dtype=torch.uint8).view(*dims)


def find(directory, stem):
    for name in (stem + ".gz", stem):
        p = os.path.join(directory, name)
        if os.path.exists(p):
            return p
    return None


def load_idx_dataset(dataset, data_dir):
    """Train and test images as float [N,1,H,W] in [0,1], and test labels; same search order as weightnorm4j."""
    cache = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    places = [data_dir, os.environ.get("WEIGHTNORM_DATA"), os.path.join(cache, "weightnorm4j", dataset),
              f"/usr/share/datasets/{dataset}"]
    for d in [p for p in places if p]:
        stems = ["train-images-idx3-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"]
        paths = [find(d, s) for s in stems]
        if all(paths):
            train = read_idx(paths[0]).float().div_(255).unsqueeze(1)
            test = read_idx(paths[1]).float().div_(255).unsqueeze(1)
            return train, test, read_idx(paths[2]).long()
    sys.exit(f"{dataset} not found in {places}; pass --data DIR")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("checkpoint", help="directory holding model.safetensors and model.json")
    p.add_argument("--data", help="directory holding the dataset's IDX files")
    args = p.parse_args()

    with open(os.path.join(args.checkpoint, "model.json")) as f:
        side = json.load(f)
    if side.get("format_version") != 1:
        sys.exit(f"unsupported checkpoint format version {side.get('format_version')}")
    model = build(side["architecture"], side["parameterization"])
    state = read_safetensors(os.path.join(args.checkpoint, "model.safetensors"))
    expected = model.state_dict()
    for name, t in state.items():
        if name in expected and expected[name].dtype != torch.float32:
            state[name] = t.to(expected[name].dtype)  # BatchNorm's num_batches_tracked is int64 in PyTorch
    model.load_state_dict(state, strict=True)
    model.eval()
    print(f"loaded {len(state)} tensors into:\n{model}")

    if side["dataset"] not in ("fashion-mnist", "mnist"):
        sys.exit(f"this script evaluates IDX datasets (fashion-mnist, mnist), not {side['dataset']}")
    train, x, y = load_idx_dataset(side["dataset"], args.data)
    pre = side.get("preprocessing", "none")
    if pre == "normalize":
        mean = train.mean(dim=(0, 2, 3), keepdim=True, dtype=torch.float64)
        std = train.double().std(dim=(0, 2, 3), keepdim=True, unbiased=False)
        x = ((x.double() - mean) / std).float()
    elif pre != "none":
        sys.exit(f"preprocessing '{pre}' is not implemented in this script")
    with torch.no_grad():
        correct = sum((model(x[i:i + 1000]).argmax(1) == y[i:i + 1000]).sum().item() for i in range(0, x.shape[0], 1000))
    print(json.dumps({"checkpoint": args.checkpoint, "dataset": side["dataset"] + "/test", "examples": x.shape[0],
                      "accuracy": correct / x.shape[0], "torch": torch.__version__}))


if __name__ == "__main__":
    main()
