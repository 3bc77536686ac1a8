#!/usr/bin/python3
"""Writes reference.safetensors, the fixture SafeTensorsReferenceTest reads.

An independent writer of the safetensors format using only struct, json and numpy (no Strand
code, no safetensors package): 8-byte little-endian header length, UTF-8 JSON header padded
with spaces to a multiple of 8 bytes, then raw little-endian data. It covers dtypes Strand
never writes (F16, BF16, F64, I64, U8, BOOL) and, unlike the reference writer, stores the data
in the reverse of the header order, so a reader that assumes header order == data order fails.

Run from this directory with Debian's python: /usr/bin/python3 make_reference.py
The expected values are repeated in SafeTensorsReferenceTest.java; change both together.
"""
import json
import struct

import numpy as np


def bf16_bytes(values):
    """BF16 is the top half of float32; only exactly representable values are allowed here."""
    bits = np.asarray(values, dtype="<f4").view("<u4")
    assert not (bits & 0xFFFF).any(), "value not exactly representable in bfloat16"
    return (bits >> 16).astype("<u2").tobytes()


# (name, dtype, shape, little-endian bytes), in header order.
tensors = [
    ("f32", "F32", [2, 3], np.array([0.0, 1.5, -2.25, 3.0e38, 1.0e-3, -0.0], dtype="<f4").tobytes()),
    ("f16", "F16", [2, 4], np.array([1.0, -2.5, 65504.0, 2.0**-14, 2.0**-24, np.inf, -np.inf, np.nan], dtype="<f2").tobytes()),
    ("bf16", "BF16", [3, 2], bf16_bytes([1.0, -3.140625, 2.0**100, -(2.0**-100), 0.5, 256.0])),
    ("f64", "F64", [3], np.array([0.1, -1e300, 1.0 / 3.0], dtype="<f8").tobytes()),
    ("i64", "I64", [5], np.array([0, -1, 2**31 - 1, -(2**31), 42], dtype="<i8").tobytes()),
    ("i32", "I32", [2, 2], np.array([1, -2, 3, -4], dtype="<i4").tobytes()),
    ("u8", "U8", [3], np.array([0, 7, 255], dtype="u1").tobytes()),
    ("mask", "BOOL", [2], np.array([True, False], dtype="?").tobytes()),
    ("scalar", "F32", [], np.array(7.25, dtype="<f4").tobytes()),
    ("empty", "F32", [0, 3], b""),
]
metadata = {"format": "pt", "note": "h\u00e9llo \u2713"}

# Data in the reverse of the header order; offsets count from the start of the data section.
offsets = {}
data = b""
for name, dtype, shape, raw in reversed(tensors):
    offsets[name] = [len(data), len(data) + len(raw)]
    data += raw
header = {"__metadata__": metadata}
for name, dtype, shape, raw in tensors:  # header in the listed order
    header[name] = {"dtype": dtype, "shape": shape, "data_offsets": offsets[name]}

text = json.dumps(header, ensure_ascii=False).encode("utf-8")
text += b" " * (-len(text) % 8)
with open("reference.safetensors", "wb") as f:
    f.write(struct.pack("<Q", len(text)))
    f.write(text)
    f.write(data)
print("wrote reference.safetensors:", 8 + len(text) + len(data), "bytes")
