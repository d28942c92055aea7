#!/usr/bin/env python3
"""numpy baseline for MeshFL's aggregation benchmark, written the way Flower's server-side `aggregate`,
`aggregate_median` and `aggregate_trimmed_avg` (flwr/server/strategy/aggregate.py) do it: load every update as a
list of per-layer ndarrays, then reduce layer by layer (K weighted copies for FedAvg, np.median / np.partition on
the stacked layer for the robust ones).

Usage: numpy_baseline.py --strategy fedavg|median|trimmed-mean [--beta 0.2] [--repeat N] FILE...
Prints one JSON line: {"seconds": best wall time of load + aggregate, "result_sum": float64 sum of the result}.
Each FILE is a safetensors file whose __metadata__ holds num_examples (used by fedavg).
"""
import argparse
import json
import struct
import time
from functools import reduce

import numpy as np

DTYPES = {"F32": np.float32, "F64": np.float64, "F16": np.float16}


def load(path):
    """safetensors -> (list of ndarrays in data order, num_examples), by hand like Flower's bytes -> ndarrays."""
    with open(path, "rb") as handle:
        data = handle.read()
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + length])
    metadata = header.pop("__metadata__", {})
    start = 8 + length
    layers = []
    for name, info in sorted(header.items(), key=lambda item: item[1]["data_offsets"][0]):
        begin, end = info["data_offsets"]
        dtype = np.dtype(DTYPES[info["dtype"]]).newbyteorder("<")
        layers.append(np.frombuffer(data, dtype=dtype, count=(end - begin) // dtype.itemsize,
                                    offset=start + begin).reshape(info["shape"]))
    return layers, int(metadata["num_examples"])


def aggregate(results):
    """Flower's aggregate(): example-weighted average."""
    num_examples_total = sum(num_examples for (_, num_examples) in results)
    weighted_weights = [[layer * num_examples for layer in weights] for weights, num_examples in results]
    return [reduce(np.add, layer_updates) / num_examples_total for layer_updates in zip(*weighted_weights)]


def aggregate_median(results):
    """Flower's aggregate_median(): coordinate-wise median of the stacked layers."""
    weights_list = [weights for weights, _ in results]
    return [np.median(np.asarray(layer), axis=0) for layer in zip(*weights_list)]


def _trim_mean(array, proportiontocut):
    axis = 0
    nobs = array.shape[axis]
    lowercut = int(proportiontocut * nobs)
    uppercut = nobs - lowercut
    atmp = np.partition(array, (lowercut, uppercut - 1), axis)
    slice_list = [slice(None)] * atmp.ndim
    slice_list[axis] = slice(lowercut, uppercut)
    return np.mean(atmp[tuple(slice_list)], axis=axis)


def aggregate_trimmed_avg(results, proportiontocut):
    """Flower's aggregate_trimmed_avg()."""
    weights_list = [weights for weights, _ in results]
    return [_trim_mean(np.asarray(layer), proportiontocut=proportiontocut) for layer in zip(*weights_list)]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--strategy", required=True, choices=["fedavg", "median", "trimmed-mean"])
    parser.add_argument("--beta", type=float, default=0.2)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("files", nargs="+")
    args = parser.parse_args()
    best = float("inf")
    result = None
    for _ in range(args.repeat):
        result = None
        started = time.perf_counter()
        results = [load(path) for path in args.files]
        if args.strategy == "fedavg":
            result = aggregate(results)
        elif args.strategy == "median":
            result = aggregate_median(results)
        else:
            result = aggregate_trimmed_avg(results, args.beta)
        best = min(best, time.perf_counter() - started)
        del results
    total = float(sum(np.sum(layer, dtype=np.float64) for layer in result))
    print(json.dumps({"seconds": best, "result_sum": total}))


if __name__ == "__main__":
    main()
