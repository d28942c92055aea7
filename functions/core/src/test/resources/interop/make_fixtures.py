#!/usr/bin/env python3
"""Writes safetensors fixtures by hand with numpy, independently of MeshFL's Java codec.

Run from this directory:  python3 make_fixtures.py
Writes mixed.safetensors (F32, F16, BF16, F64, I64 tensors and a __metadata__ map, in a deliberately
non-alphabetical data order) and mixed.expected.json: for every floating tensor the IEEE bits of its values
converted to float32 by numpy, for the I64 tensor its exact values. MeshFL's tests read both and compare bits.
"""
import json
import struct

import numpy as np


def bf16_bits(values_f32):
    """float32 -> bfloat16 with round-to-nearest-even, the way PyTorch converts (no NaNs here)."""
    bits = values_f32.view(np.uint32).astype(np.uint64)
    rounded = (bits + 0x7FFF + ((bits >> 16) & 1)) >> 16
    return rounded.astype(np.uint16)


def write_safetensors(path, tensors, metadata):
    """tensors: list of (name, dtype string, shape, raw little-endian bytes), laid out in this order."""
    header = {"__metadata__": metadata} if metadata else {}
    offset = 0
    for name, dtype, shape, raw in tensors:
        header[name] = {"dtype": dtype, "shape": list(shape), "data_offsets": [offset, offset + len(raw)]}
        offset += len(raw)
    encoded = json.dumps(header, separators=(",", ":")).encode("utf-8")
    encoded += b" " * ((8 - (8 + len(encoded)) % 8) % 8)
    with open(path, "wb") as out:
        out.write(struct.pack("<Q", len(encoded)))
        out.write(encoded)
        for _, _, _, raw in tensors:
            out.write(raw)


def main():
    rng = np.random.default_rng(20260101)
    f32 = (rng.standard_normal((2, 3)) * 3).astype("<f4")
    f32[0, 0] = np.float32(-0.0)
    f32[1, 2] = np.float32(1e-40)  # a float32 subnormal survives bit-exactly
    f16 = np.array([0.5, -2.25, 65504.0, 6.0e-8, 1.0 / 3.0], dtype="<f2")  # max half, a half subnormal
    bf16_source = np.array([1.0, -3.14159265, 1e30, 7.0e-3], dtype="<f4")
    bf16 = bf16_bits(bf16_source)
    f64 = np.array([[1.0 / 3.0, -1e-300], [2.5e10, np.pi]], dtype="<f8")
    i64 = np.array([0, -7, 2**53 + 1, 9223372036854775807], dtype="<i8")

    tensors = [
        ("layer.weight", "F32", f32.shape, f32.tobytes()),
        ("counters", "I64", i64.shape, i64.tobytes()),
        ("half", "F16", f16.shape, f16.tobytes()),
        ("brain", "BF16", bf16.shape, bf16.astype("<u2").tobytes()),
        ("double", "F64", f64.shape, f64.tobytes()),
        ("scalar", "F32", (), np.array(42.5, dtype="<f4").tobytes()),
        ("empty", "F32", (0, 4), b""),
    ]
    write_safetensors("mixed.safetensors", tensors, {"source": "numpy", "note": "héllo ✓"})

    def float_bits(array_f32):
        return [int(b) for b in np.ascontiguousarray(array_f32, dtype="<f4").reshape(-1).view("<u4")]

    expected = {
        "metadata": {"source": "numpy", "note": "héllo ✓"},
        "order": [name for name, _, _, _ in tensors],
        "tensors": {
            "layer.weight": {"dtype": "F32", "shape": [2, 3], "bits": float_bits(f32)},
            "half": {"dtype": "F16", "shape": [5], "bits": float_bits(f16.astype("<f4"))},
            "brain": {"dtype": "BF16", "shape": [4],
                      "bits": [int(b) << 16 for b in bf16]},
            "double": {"dtype": "F64", "shape": [2, 2], "bits": float_bits(f64.astype("<f4"))},
            "scalar": {"dtype": "F32", "shape": [], "bits": float_bits(np.array([42.5], dtype="<f4"))},
            "empty": {"dtype": "F32", "shape": [0, 4], "bits": []},
        },
        "longs": {"counters": [int(v) for v in i64]},
    }
    with open("mixed.expected.json", "w", encoding="utf-8") as out:
        json.dump(expected, out, indent=1, ensure_ascii=False)
        out.write("\n")


if __name__ == "__main__":
    main()
