#!/usr/bin/env python3
"""Loads a directory `strand export` wrote (ESM layout) into the reference ESM code of
../make_hf_fixtures.py, runs it on the directory's inputs.json and writes expected.safetensors
(hidden_states [B, T, d], logits [B, T, V]), which HubExportTest compares with Strand's outputs.

    unset OPENBLAS_CORETYPE
    /usr/bin/python3 genomics/src/test/resources/hf/export/check_export.py \
        genomics/src/test/resources/hf/export/strand-learned genomics/src/test/resources/hf/export/strand-rope

Loading is strict: every tensor of the model must come from the file (besides the contact head,
which no MLM output reads, and the position_ids buffer), and every tensor in the file must be used.
"""
import json
import os
import struct
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import make_hf_fixtures as ref  # noqa: E402


def read_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    n = struct.unpack("<Q", data[:8])[0]
    header = json.loads(data[8:8 + n])
    out = {}
    for name, e in header.items():
        if name == "__metadata__":
            continue
        assert e["dtype"] == "F32", (name, e["dtype"])
        begin, end = e["data_offsets"]
        t = torch.frombuffer(bytearray(data[8 + n + begin:8 + n + end]), dtype=torch.float32)
        out[name] = t.reshape(e["shape"])
    return out


def check(directory):
    with open(os.path.join(directory, "config.json")) as f:
        c = ref.Config(json.load(f))
    assert c.model_type == "esm" and not c.get("add_bias_fnn") and not c.token_dropout, "a Strand export in the ESM layout"
    torch.manual_seed(0)
    model = ref.EsmForMaskedLM(c, v2=False)
    if c.tie_word_embeddings:
        model.lm_head.decoder.weight = model.esm.embeddings.word_embeddings.weight
    weights = read_safetensors(os.path.join(directory, "model.safetensors"))
    expected = set(model.state_dict().keys())
    expected -= {k for k in expected if k.startswith("esm.contact_head.") or k.endswith("position_ids")}
    if c.tie_word_embeddings:
        expected.discard("lm_head.decoder.weight")
    if c.position_embedding_type == "rotary":
        expected = {k for k in expected if not k.endswith("inv_freq") and k != "esm.embeddings.position_embeddings.weight"}
    missing, unexpected = expected - set(weights), set(weights) - expected
    assert not missing and not unexpected, f"missing {sorted(missing)}, unexpected {sorted(unexpected)}"
    model.load_state_dict(weights, strict=False)
    model.eval()

    with open(os.path.join(directory, "inputs.json")) as f:
        inputs = json.load(f)
    ids = torch.tensor(inputs["input_ids"])
    mask = torch.tensor(inputs["attention_mask"])
    with torch.no_grad():
        out = model(ids, mask)
    tensors = {"hidden_states": out["hidden_states"].contiguous(), "logits": out["logits"].contiguous()}
    ref.write_bytes(os.path.join(directory, "expected.safetensors"), ref.safetensors_bytes(tensors))
    print(directory, {k: list(v.shape) for k, v in tensors.items()})


if __name__ == "__main__":
    torch.set_num_threads(1)
    for d in sys.argv[1:]:
        check(d)
