"""Builds the TorchScript fixtures of TorchScriptImageTowerTest, reproducibly.

Two tiny conv nets with fixed seeds, traced on CPU:
  tiny_tuple.pt  forward(x) -> (feature_map [N, 8, 8, 8], embedding [N, 16])
  tiny_dict.pt   forward(x) -> {"features": [N, 8, 8, 8], "logits": [N, 4]}
and expected.json with their outputs for three 32x32 RGB images defined by a formula that the
Java test reproduces exactly (see image()), preprocessed as the test declares: value / 255, then
(x - mean) / std with ImageNet's mean and std, NCHW.

Run with Debian's python3-torch (torch 1.13; not pyenv's python):
  /usr/bin/python3 lit-pytorch/src/test/scripts/make_torchscript_fixture.py \
      lit-pytorch/src/test/resources/dev/lit4j/pytorch/image/torchscript
"""
import hashlib
import json
import os
import subprocess
import sys

import torch
from torch import nn

MEAN = [0.485, 0.456, 0.406]
STD = [0.229, 0.224, 0.225]
SIZE = 32


class Backbone(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 8, 3, stride=2, padding=1)
        self.bn1 = nn.BatchNorm2d(8)
        self.conv2 = nn.Conv2d(8, 8, 3, stride=2, padding=1, groups=8)
        self.head = nn.Linear(8, 16)

    def features(self, x):
        x = torch.relu(self.bn1(self.conv1(x)))
        return torch.relu(self.conv2(x))


class TupleNet(Backbone):
    def forward(self, x):
        f = self.features(x)
        return f, self.head(f.mean(dim=(2, 3)))


class DictNet(Backbone):
    def __init__(self):
        super().__init__()
        self.logits = nn.Linear(8, 4)

    def forward(self, x):
        f = self.features(x)
        return {"features": f, "logits": self.logits(f.mean(dim=(2, 3)))}


def init(net, seed):
    torch.manual_seed(seed)
    for p in net.parameters():
        nn.init.normal_(p, std=0.5)
    # Non-trivial running statistics so inference-mode batch norm is exercised.
    net.bn1.running_mean.copy_(torch.randn(8) * 0.1)
    net.bn1.running_var.copy_(torch.rand(8) + 0.5)
    return net.eval()


def image(k):
    """Image k as [3, 32, 32] 8-bit values: (x * 7 + y * 13 + c * 50 + k * 31) mod 256."""
    v = torch.empty(3, SIZE, SIZE, dtype=torch.float32)
    for c in range(3):
        for y in range(SIZE):
            for x in range(SIZE):
                v[c, y, x] = (x * 7 + y * 13 + c * 50 + k * 31) % 256
    return v


def preprocess(v):
    mean = torch.tensor(MEAN, dtype=torch.float64).view(3, 1, 1)
    std = torch.tensor(STD, dtype=torch.float64).view(3, 1, 1)
    return ((v.double() / 255 - mean) / std).float()


def debian_package():
    try:
        return subprocess.run(["dpkg-query", "-W", "-f", "${Package} ${Version}", "python3-torch"],
                              capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not installed from Debian)"


def main(out_dir):
    os.makedirs(out_dir, exist_ok=True)
    batch = torch.stack([preprocess(image(k)) for k in range(3)])
    result = {
        "generator": "lit-pytorch/src/test/scripts/make_torchscript_fixture.py",
        "torch": torch.__version__,
        "debianPackage": debian_package(),
        "images": "k = 0, 1, 2: value(c, y, x) = (x * 7 + y * 13 + c * 50 + k * 31) mod 256, 32x32",
        "preprocessing": {"range": "UNIT", "mean": MEAN, "std": STD, "layout": "NCHW"},
        "models": {},
    }
    with torch.no_grad():
        for name, net, seed, strict in (("tiny_tuple", TupleNet(), 1234, True),
                                        ("tiny_dict", DictNet(), 5678, False)):
            net = init(net, seed)
            traced = torch.jit.trace(net, batch, strict=strict)
            path = os.path.join(out_dir, name + ".pt")
            traced.save(path)
            out = traced(batch)
            items = enumerate(out) if isinstance(out, tuple) else out.items()
            outputs = {}
            for key, t in items:
                entry = {"shape": list(t.shape)}
                if t.dim() == 4:
                    entry["globalAverage"] = t.mean(dim=(2, 3)).tolist()
                else:
                    entry["values"] = t.tolist()
                outputs[str(key)] = entry
            with open(path, "rb") as f:
                sha = hashlib.sha256(f.read()).hexdigest()
            result["models"][name] = {"sha256": sha, "outputs": outputs}
    with open(os.path.join(out_dir, "expected.json"), "w") as f:
        json.dump(result, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main(sys.argv[1])
