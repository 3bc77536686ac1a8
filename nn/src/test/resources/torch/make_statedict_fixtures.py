#!/usr/bin/python3
"""Fixtures for Strand's reader of PyTorch `pytorch_model.bin` state dicts (TorchStateDict).

How to run (from the repository root, /work/main):

    unset OPENBLAS_CORETYPE
    /usr/bin/python3 nn/src/test/resources/torch/make_statedict_fixtures.py

Uses Debian's interpreter and Debian's python3-torch (stdlib + torch only), NOT the pyenv
python3 that comes first on PATH. The committed files were written with torch 1.13.0a0
(Debian package python3-torch 1.13.1+dfsg-4). Seeds are fixed; the script writes the same bytes
every run.

Output, in nn/src/test/resources/torch/statedict/:

  mixed.bin       torch.save of a dict: float32, float16 (with inf, -inf, 65504 and a
                  subnormal), bfloat16, float64, int64 and int32 tensors; views whose storage is
                  bigger than they are (a transpose, a 2-d slice with an offset, a strided float16
                  slice transposed, an expand with stride 0); four tensors over one storage
                  (the same tensor twice, a row slice and a single row at an offset); a 0-d and
                  an empty tensor.
  module.bin      torch.save(model.state_dict()) of a tiny nn.Module, as Hugging Face saves it:
                  an OrderedDict carrying `_metadata`, a tied weight (embedding = output
                  projection) and a BERT-like int64 `position_ids` buffer (arange expanded).
  proto4.bin      a small state dict saved with pickle_protocol=4 (FRAME, MEMOIZE,
                  SHORT_BINUNICODE, STACK_GLOBAL).
  legacy.bin      an empty state dict saved in the pre-1.6 (non-zip) format, which Strand
                  refuses.
  truncated.bin   the first 60 % of mixed.bin's bytes.
  evil_posix_system.bin   torch.save of {'weight': tensor, 'payload': obj} where obj's __reduce__
                  returns (os.system, ("touch " + PWNED,)); pickle writes that global as
                  `posix system`.
  evil_os_system.bin      a zip laid out like torch's whose data.pkl, written opcode by opcode,
                  calls GLOBAL `os system` with the same command.
  evil_builtins_eval.bin  the same with a protocol-4 pickle calling builtins.eval through
                  STACK_GLOBAL.
  expected.txt    the values Strand must read from the valid files, one tensor a line:

                      <file stem>/<name> <f32|i32> <shape> <v1> <v2> ...

                  in the pickle's order; shape is comma-separated dims (`scalar` for 0-d, e.g.
                  `0,3` for an empty tensor); values row-major as float32 (float16, bfloat16 and
                  float64 converted as Strand converts them), written as Python's repr of the
                  value (`inf`, `-inf`, `nan` for the specials), integers with %d.

The evil archives are never loaded by this script except through
torch.load(weights_only=True), which refuses them; the command they carry would create PWNED.
"""
import io
import os
import pickle
import struct
import zipfile
from collections import OrderedDict

import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "statedict")
PWNED = "/tmp/strand-torch-statedict-pwned"

expected = ["# torch %s" % torch.__version__,
            "# format: <file stem>/<name> <f32|i32> <shape> <values...> (row-major, float32 values as repr)"]


def fmt_value(v):
    if v != v:
        return "nan"
    if v in (float("inf"), float("-inf")):
        return "inf" if v > 0 else "-inf"
    return repr(v)


def expect(stem, sd):
    for name, t in sd.items():
        shape = "scalar" if t.dim() == 0 else ",".join(str(d) for d in t.shape)
        if t.is_floating_point():
            vals = [fmt_value(v) for v in t.detach().float().double().reshape(-1).tolist()]
            kind = "f32"
        else:
            vals = ["%d" % v for v in t.reshape(-1).tolist()]
            kind = "i32"
        expected.append(" ".join(["%s/%s" % (stem, name), kind, shape] + vals))


def save(stem, sd, weights_only=True, **kw):
    path = os.path.join(OUT, stem + ".bin")
    torch.save(sd, path, **kw)
    back = torch.load(path, weights_only=weights_only)
    assert list(back.keys()) == list(sd.keys()), stem
    for k in sd:
        assert back[k].dtype == sd[k].dtype and torch.equal(back[k], sd[k]), (stem, k)
    return path


def mixed():
    torch.manual_seed(0)
    f16 = torch.randn(2, 4).half()
    f16[0, 1] = float("inf")
    f16[0, 2] = float("-inf")
    f16[1, 0] = 65504.0
    f16[1, 3] = 2.0 ** -24  # the smallest float16 subnormal
    shared = torch.randn(5, 3)
    base = torch.randn(3, 4)
    big = torch.randn(4, 5)
    h = torch.randn(4, 6).half()
    col = torch.randn(3, 1)
    sd = OrderedDict()
    sd["f32"] = torch.randn(2, 3)
    sd["f16"] = f16
    sd["bf16"] = torch.randn(3, 2).bfloat16()
    sd["f64"] = torch.tensor([0.1, 1.0 / 3.0, -2.0, 1e300], dtype=torch.float64)
    sd["i64"] = torch.arange(5, dtype=torch.int64).reshape(1, 5) - 2
    sd["i32"] = torch.tensor([1, -2, 2147483647], dtype=torch.int32)
    sd["transposed"] = base.t()                       # strides (1, 4)
    sd["sliced"] = big[1:3, 1:4]                      # offset 6, strides (5, 1)
    sd["half_strided"] = h[1:, 1::2].t()              # offset 7, strides (2, 6)
    sd["expanded"] = col.expand(3, 4)                 # strides (1, 0)
    sd["tied_a"] = shared
    sd["tied_b"] = shared                             # the very same tensor
    sd["tied_rows"] = shared[0:2]
    sd["tied_last"] = shared[4]                       # offset 12, 1-d
    sd["scalar"] = torch.tensor(2.5)
    sd["empty"] = torch.zeros(0, 3)
    assert not sd["transposed"].is_contiguous() and sd["sliced"].storage_offset() == 6
    assert sd["half_strided"].storage_offset() == 7 and sd["half_strided"].stride() == (2, 6)
    save("mixed", sd)
    expect("mixed", sd)


class Tiny(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(6, 4)
        self.norm = nn.LayerNorm(4)
        self.proj = nn.Linear(4, 6)
        self.proj.weight = self.embed.weight  # tied, as language-model heads are
        self.register_buffer("position_ids", torch.arange(8).expand((1, -1)))


def module():
    torch.manual_seed(1)
    sd = Tiny().state_dict()
    assert isinstance(sd, OrderedDict) and hasattr(sd, "_metadata")
    save("module", sd)
    expect("module", sd)


def proto4_and_legacy():
    torch.manual_seed(2)
    sd = OrderedDict([("w", torch.randn(2, 2)), ("b", torch.randn(2).half())])
    # torch 1.13's weights_only unpickler knows no FRAME opcode; this file is our own.
    save("proto4", sd, weights_only=False, pickle_protocol=4)
    expect("proto4", sd)
    # The legacy format names storages by id(), which changes every run; an empty state dict
    # has none, so its bytes are the same every time (and only its first bytes matter).
    torch.save(OrderedDict(), os.path.join(OUT, "legacy.bin"), _use_new_zipfile_serialization=False)


def truncated():
    with open(os.path.join(OUT, "mixed.bin"), "rb") as f:
        data = f.read()
    with open(os.path.join(OUT, "truncated.bin"), "wb") as f:
        f.write(data[: len(data) * 6 // 10])


class Payload:
    """Pickles as a call of os.system; never unpickled here."""

    def __reduce__(self):
        return (os.system, ("touch " + PWNED,))


class EvalPayload:
    def __reduce__(self):
        return (eval, ("__import__('os').system('touch %s')" % PWNED,))


def torch_like_zip(stem, pickle_bytes):
    """A zip with torch's record names: <stem>/data.pkl and <stem>/version, stored, fixed dates."""
    path = os.path.join(OUT, stem + ".bin")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as z:
        for name, data in (("data.pkl", pickle_bytes), ("version", b"3\n")):
            info = zipfile.ZipInfo("%s/%s" % (stem, name), date_time=(1980, 1, 1, 0, 0, 0))
            z.writestr(info, data)
    return path


def refused(path):
    try:
        torch.load(path, weights_only=True)
    except pickle.UnpicklingError:
        return True
    return False


def evil():
    torch.manual_seed(3)
    path = os.path.join(OUT, "evil_posix_system.bin")
    torch.save({"weight": torch.randn(2), "payload": Payload()}, path)
    assert b"posix\nsystem" in zipfile.ZipFile(path).read("evil_posix_system/data.pkl")

    cmd = ("touch " + PWNED).encode()
    ops = b"\x80\x02" + b"cos\nsystem\n" + b"X" + struct.pack("<I", len(cmd)) + cmd + b"\x85" + b"R" + b"."
    torch_like_zip("evil_os_system", ops)

    ops4 = pickle.dumps(EvalPayload(), protocol=4)
    assert b"\x93" in ops4  # STACK_GLOBAL
    torch_like_zip("evil_builtins_eval", ops4)

    for stem in ("evil_posix_system", "evil_os_system", "evil_builtins_eval"):
        assert refused(os.path.join(OUT, stem + ".bin")), stem
    assert not os.path.exists(PWNED)


def main():
    os.makedirs(OUT, exist_ok=True)
    mixed()
    module()
    proto4_and_legacy()
    truncated()
    evil()
    with open(os.path.join(OUT, "expected.txt"), "w") as f:
        f.write("\n".join(expected) + "\n")


if __name__ == "__main__":
    main()
