#!/usr/bin/python3
"""Loads the adapter Strand writes (LoraAdapterTest saves it to nn/target/strand-adapter) into the
reference LoRA layer of make_lora_fixtures.py and compares its outputs with the fixture's.

How to run (from the repository root, after the nn tests):

    /usr/bin/python3 nn/src/test/resources/torch/check_strand_adapter.py

Prints the largest absolute difference and exits non-zero above 1e-5.
"""
import json
import os
import struct
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from make_lora_fixtures import LoraLinear  # noqa: E402  (the reference layer; importing rewrites no file)


def read_safetensors(path):
    with open(path, "rb") as f:
        size = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(size))
        data = f.read()
    out = {}
    for name, e in header.items():
        if name == "__metadata__":
            continue
        assert e["dtype"] == "F32", (name, e["dtype"])
        begin, end = e["data_offsets"]
        out[name] = torch.frombuffer(bytearray(data[begin:end]), dtype=torch.float32).reshape(e["shape"])
    return out


def fixture(case):
    t = {}
    with open(os.path.join(HERE, "lora.txt")) as f:
        for line in f:
            if line.startswith(case + "/"):
                key, shape, *vals = line.split()
                dims = [int(d) for d in shape.split(",")] if shape != "scalar" else []
                t[key.split("/", 1)[1]] = torch.tensor([float(v) for v in vals], dtype=torch.float64).reshape(dims)
    return t


folder = os.path.join(HERE, "..", "..", "..", "..", "target", "strand-adapter")
config = json.load(open(os.path.join(folder, "adapter_config.json")))
tensors = read_safetensors(os.path.join(folder, "adapter_model.safetensors"))
prefix = "base_model.model.bert.encoder.layer.0.attention.self.query."
f = fixture("peft_file")
base = torch.nn.Linear(6, 5).double()
layer = LoraLinear(base, config["r"], config["lora_alpha"]).double()
with torch.no_grad():
    base.weight.copy_(f["weight"])
    base.bias.copy_(f["bias"])
    layer.lora_A.weight.copy_(tensors[prefix + "lora_A.weight"].double())
    layer.lora_B.weight.copy_(tensors[prefix + "lora_B.weight"].double())
    diff = (layer(f["x"]) - f["out"]).abs().max().item()
print("Strand's adapter in the reference layer: largest difference from the fixture's outputs %.3g" % diff)
sys.exit(0 if diff <= 1e-5 else 1)
