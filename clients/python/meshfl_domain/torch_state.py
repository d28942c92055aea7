"""PyTorch ``state_dict`` <-> numpy arrays with their safetensors dtypes. torch is imported only here, and only
when called: the rest of the kit runs without it."""

_TORCH_TO_DTYPE = {
    "torch.float64": "F64",
    "torch.float32": "F32",
    "torch.float16": "F16",
    "torch.bfloat16": "BF16",
    "torch.int64": "I64",
    "torch.int32": "I32",
    "torch.int16": "I16",
    "torch.int8": "I8",
    "torch.uint8": "U8",
    "torch.bool": "BOOL",
}


def from_state_dict(state_dict):
    """(arrays, dtypes) from a state_dict: each tensor detached, on the CPU, contiguous; BF16 as exact float32."""
    import torch

    arrays = {}
    dtypes = {}
    for name, tensor in state_dict.items():
        dtype = _TORCH_TO_DTYPE.get(str(tensor.dtype))
        if dtype is None:
            raise ValueError("tensor %r has dtype %s, which safetensors cannot hold here" % (name, tensor.dtype))
        tensor = tensor.detach().cpu().contiguous()
        if tensor.dtype == torch.bfloat16:
            tensor = tensor.to(torch.float32)  # exact: every BF16 value is a float32
        arrays[name] = tensor.numpy().copy()
        dtypes[name] = dtype
    return arrays, dtypes


def to_state_dict(arrays, dtypes=None):
    """A state_dict (name -> torch tensor, in the given order) from arrays; BF16 ones back to torch.bfloat16."""
    from collections import OrderedDict

    import numpy as np
    import torch

    dtypes = dtypes or {}
    state = OrderedDict()
    for name, array in arrays.items():
        tensor = torch.from_numpy(np.array(array, copy=True))
        if dtypes.get(name) == "BF16":
            tensor = tensor.to(torch.bfloat16)
        state[name] = tensor
    return state
