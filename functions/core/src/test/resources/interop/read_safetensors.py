#!/usr/bin/env python3
"""An independent safetensors reader (numpy, by hand): prints a file's header and values as JSON.

Usage: python3 read_safetensors.py FILE
Output: {"metadata": {...}, "header_length": n, "tensors": {name: {"dtype", "shape", "bits" or "values"}}}
where "bits" are the float32 IEEE bits of each value converted to float32 (numpy's conversions; BF16 by
shifting) and I64 tensors give exact "values". Exits 1 with a message on anything the format forbids.
"""
import json
import struct
import sys

import numpy as np

DTYPES = {"F32": "<f4", "F16": "<f2", "F64": "<f8", "I64": "<i8", "BF16": "<u2"}


def main(path):
    with open(path, "rb") as handle:
        data = handle.read()
    (header_length,) = struct.unpack("<Q", data[:8])
    if (8 + header_length) % 8 != 0:
        sys.exit("header not aligned to 8 bytes")
    header = json.loads(data[8:8 + header_length].decode("utf-8"))
    body = data[8 + header_length:]
    metadata = header.pop("__metadata__", {})
    result = {"metadata": metadata, "header_length": header_length, "tensors": {}}
    covered = 0
    for name, info in sorted(header.items(), key=lambda item: item[1]["data_offsets"][0]):
        begin, end = info["data_offsets"]
        if begin != covered:
            sys.exit(f"tensor {name}: gap or overlap at {begin}")
        covered = end
        array = np.frombuffer(body[begin:end], dtype=DTYPES[info["dtype"]])
        count = int(np.prod(info["shape"])) if info["shape"] else 1
        if array.size != count:
            sys.exit(f"tensor {name}: {array.size} values for shape {info['shape']}")
        entry = {"dtype": info["dtype"], "shape": info["shape"]}
        if info["dtype"] == "I64":
            entry["values"] = [int(v) for v in array]
        elif info["dtype"] == "BF16":
            entry["bits"] = [int(v) << 16 for v in array]
        else:
            entry["bits"] = [int(v) for v in array.astype("<f4").view("<u4")]
        result["tensors"][name] = entry
    if covered != len(body):
        sys.exit(f"data section is {len(body)} bytes, tensors cover {covered}")
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1])
