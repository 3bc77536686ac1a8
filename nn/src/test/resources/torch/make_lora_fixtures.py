#!/usr/bin/python3
"""PyTorch reference fixtures for Strand's LoRA (nn.LoraAdapter, nn.lora).

How to run (from the repository root):

    unset OPENBLAS_CORETYPE
    /usr/bin/python3 nn/src/test/resources/torch/make_lora_fixtures.py

Uses Debian's interpreter and python3-torch (stdlib + torch only). PEFT cannot be installed here,
so the layer below is PEFT's lora.Linear written out from its source (huggingface/peft@5d602fdb,
src/peft/tuners/lora/layer.py; see ../shared/REFERENCES.md §3):

    result = base_layer(x) + lora_B(lora_A(dropout(x))) * scaling
    scaling = lora_alpha / r            (lora_alpha / sqrt(r) with use_rslora)
    merge:   W += (B @ A) * scaling     unmerge: W -= (B @ A) * scaling

with lora_A = nn.Linear(in, r, bias=False) (weight [r, in]) and lora_B = nn.Linear(r, out,
bias=False) (weight [out, r]); dropout 0 here, so the reference is deterministic. B is drawn at
random instead of PEFT's zero init so that the adapter branch and its gradients are exercised.
W and b are frozen: the fixture has gradients for x, lora_A and lora_B only.

Output: lora.txt beside this script, in the format of autograd's fixtures (fixturelib.py), and
peft_adapter/, an adapter in PEFT's layout (adapter_config.json, adapter_model.safetensors with
PEFT's key names for a Hugging Face BERT layer, written with the stdlib) whose base layer and
expected outputs are the case "peft_file" of lora.txt, for Strand to read.
"""
import json
import math
import os
import struct
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "..", "..",
                                "autograd", "src", "test", "resources", "torch"))
from fixturelib import case, emit, randn, write  # noqa: E402

torch.manual_seed(0)
HERE = os.path.dirname(os.path.abspath(__file__))


class LoraLinear(torch.nn.Module):
    """PEFT's lora.Linear forward, merge and unmerge (dropout 0, one adapter)."""

    def __init__(self, base, r, alpha, rslora=False):
        super().__init__()
        self.base_layer = base
        self.lora_A = torch.nn.Linear(base.in_features, r, bias=False)
        self.lora_B = torch.nn.Linear(r, base.out_features, bias=False)
        self.scaling = alpha / math.sqrt(r) if rslora else alpha / r

    def forward(self, x):
        return self.base_layer(x) + self.lora_B(self.lora_A(x)) * self.scaling

    def delta_weight(self):
        return (self.lora_B.weight @ self.lora_A.weight) * self.scaling


def lora_case(name, r, alpha, rslora):
    inp, out = 6, 5
    weight, bias = randn(out, inp), randn(out) * 0.1
    a, b = randn(r, inp) * 0.3, randn(out, r) * 0.3
    x = randn(2, 3, inp)

    def fn(x, lora_A, lora_B, weight, bias):
        base = torch.nn.Linear(inp, out).double()
        layer = LoraLinear(base, r, alpha, rslora).double()
        with torch.no_grad():
            base.weight.copy_(weight.double())
            base.bias.copy_(bias.double())
        base.weight.requires_grad_(False)
        base.bias.requires_grad_(False)
        # the adapter's weights are the case's differentiable inputs
        del layer.lora_A.weight, layer.lora_B.weight
        layer.lora_A.weight, layer.lora_B.weight = lora_A, lora_B
        y = layer(x)
        merged = base.weight + layer.delta_weight()
        return y, {"merged_weight": merged.detach(), "merged_out": (x @ merged.t() + base.bias).detach()}

    case(name, fn, {"x": x, "lora_A": a, "lora_B": b}, nondiff={"weight": weight, "bias": bias})
    emit(name, "scaling", torch.tensor((alpha / math.sqrt(r)) if rslora else (alpha / r), dtype=torch.float64))


def write_safetensors(path, tensors):
    """safetensors by its spec: 8-byte little-endian header size, JSON header, raw F32 data."""
    header, blobs, offset = {"__metadata__": {"format": "pt"}}, [], 0
    for name, t in tensors.items():
        data = t.detach().float().contiguous().numpy().tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    h = json.dumps(header).encode()
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + b"".join(blobs))


def peft_file_case(name, r, alpha):
    """A layer PEFT would save for bert.encoder.layer.0.attention.self.query, with its outputs."""
    inp, out = 6, 5
    weight, bias = randn(out, inp), randn(out) * 0.1
    a, b = randn(r, inp) * 0.3, randn(out, r) * 0.3
    x = randn(2, 3, inp)
    base = torch.nn.Linear(inp, out).double()
    layer = LoraLinear(base, r, alpha).double()
    with torch.no_grad():
        base.weight.copy_(weight.double())
        base.bias.copy_(bias.double())
        layer.lora_A.weight.copy_(a.double())
        layer.lora_B.weight.copy_(b.double())
        y = layer(x.double())
    for key, t in (("x", x), ("weight", weight), ("bias", bias), ("out", y)):
        emit(name, key, t)
    folder = os.path.join(HERE, "peft_adapter")
    os.makedirs(folder, exist_ok=True)
    prefix = "base_model.model.bert.encoder.layer.0.attention.self.query."
    # PEFT's full state dicts keep the adapter name (lora_A.default.weight); one key is written that way.
    write_safetensors(os.path.join(folder, "adapter_model.safetensors"),
                      {prefix + "lora_A.default.weight": a, prefix + "lora_B.weight": b})
    config = {"peft_type": "LORA", "task_type": "FEATURE_EXTRACTION", "base_model_name_or_path": "bert-tiny-fixture",
              "r": r, "lora_alpha": alpha, "lora_dropout": 0.0, "target_modules": ["query"], "bias": "none",
              "use_rslora": False, "rank_pattern": {}, "alpha_pattern": {}, "modules_to_save": None, "fan_in_fan_out": False,
              "init_lora_weights": True, "inference_mode": True, "revision": None, "peft_version": "0.13.0"}
    with open(os.path.join(folder, "adapter_config.json"), "w") as f:
        json.dump(config, f, indent=2)


if __name__ == "__main__":
    lora_case("lora_r4_alpha16", 4, 16.0, False)
    lora_case("lora_rslora_r4_alpha8", 4, 8.0, True)
    peft_file_case("peft_file", 4, 16.0)
    write(os.path.join(HERE, "lora.txt"))
