"""A strict safetensors reader and writer on numpy.

Strict as the reference implementation (Hugging Face's safetensors) and MeshFL's Java reader are, so that no file
means one thing to this kit and another to the aggregator: the header is strict UTF-8 without a byte-order mark,
exactly one JSON object starting at its first byte, followed by nothing but space (0x20) padding; no duplicate
keys, no NaN/Infinity literals, no unpaired surrogate escapes; every tensor's byte range matches dtype x shape,
the ranges are contiguous from 0 and cover the data section exactly (no gap, no overlap, no trailing bytes).

BF16 has no numpy dtype: a BF16 tensor is read as float32 (exact) and written back with round-to-nearest-even,
which returns the original bits for values that came from BF16. The dtype each tensor had in its file is kept
(``SafetensorsFile.dtypes``) so a round trip writes every tensor in its own dtype.
"""

import hashlib
import json
import struct
from dataclasses import dataclass, field

import numpy as np

METADATA_KEY = "__metadata__"

# The format's own limit on the header (the reference implementation refuses larger ones).
MAX_HEADER_BYTES = 100_000_000

# Header dtype name -> (numpy dtype of the bytes in the file, numpy dtype handed to the caller).
_DTYPES = {
    "F64": (np.dtype("<f8"), np.dtype("float64")),
    "F32": (np.dtype("<f4"), np.dtype("float32")),
    "F16": (np.dtype("<f2"), np.dtype("float16")),
    "BF16": (np.dtype("<u2"), np.dtype("float32")),
    "I64": (np.dtype("<i8"), np.dtype("int64")),
    "I32": (np.dtype("<i4"), np.dtype("int32")),
    "I16": (np.dtype("<i2"), np.dtype("int16")),
    "I8": (np.dtype("i1"), np.dtype("int8")),
    "U8": (np.dtype("u1"), np.dtype("uint8")),
    "BOOL": (np.dtype("?"), np.dtype("bool")),
}

# The dtypes MeshFL's aggregator reads; an update in any other dtype is refused there.
MESHFL_DTYPES = ("F32", "F16", "BF16", "F64", "I64")

_DEFAULT_DTYPE_OF = {
    np.dtype("float64"): "F64",
    np.dtype("float32"): "F32",
    np.dtype("float16"): "F16",
    np.dtype("int64"): "I64",
    np.dtype("int32"): "I32",
    np.dtype("int16"): "I16",
    np.dtype("int8"): "I8",
    np.dtype("uint8"): "U8",
    np.dtype("bool"): "BOOL",
}


class SafetensorsFormatError(ValueError):
    """A file that is not strictly valid safetensors; the message names what is wrong and where."""


@dataclass(frozen=True)
class TensorEntry:
    """One tensor of a header as written: name, dtype name, shape and its byte range in the data section."""

    name: str
    dtype: str
    shape: tuple
    begin: int
    end: int


@dataclass
class SafetensorsFile:
    """A read file: tensors in data order, each one's dtype in the file, the metadata, the layout, the data hash."""

    tensors: dict
    dtypes: dict
    metadata: dict
    layout: list = field(default_factory=list)
    data_sha256: str = ""


def dtype_size(dtype):
    return _DTYPES[dtype][0].itemsize


# ---------------------------------------------------------------------------------------------------------- reading


def read_header(raw):
    """Parses and checks the header of a whole file's bytes; returns (metadata, layout in data order, data offset)."""
    if len(raw) < 8:
        raise SafetensorsFormatError("file is %d bytes, shorter than the 8-byte header length" % len(raw))
    (length,) = struct.unpack("<Q", raw[:8])
    if length > MAX_HEADER_BYTES:
        raise SafetensorsFormatError("header length %d is above the format's limit of %d bytes"
                                     % (length, MAX_HEADER_BYTES))
    if 8 + length > len(raw):
        raise SafetensorsFormatError("header length %d runs past the end of the %d-byte file" % (length, len(raw)))
    metadata, layout = parse_header(raw[8:8 + length], len(raw) - 8 - length)
    return metadata, layout, 8 + length


def parse_header(header_bytes, data_length):
    """Parses header JSON bytes against the length of the data section that follows them."""
    if header_bytes.startswith(b"\xef\xbb\xbf"):
        raise SafetensorsFormatError("header starts with a UTF-8 byte order mark; it must start with '{'")
    try:
        text = header_bytes.decode("utf-8", errors="strict")
    except UnicodeDecodeError as e:
        raise SafetensorsFormatError("header is not valid UTF-8: %s at byte %d" % (e.reason, e.start)) from None
    if not text.startswith("{"):
        raise SafetensorsFormatError("header must start with '{', starts with %s" % _describe(text[:1]))
    decoder = json.JSONDecoder(object_pairs_hook=_no_duplicates, parse_constant=_no_constants, strict=True)
    try:
        root, end = decoder.raw_decode(text)
    except json.JSONDecodeError as e:
        raise SafetensorsFormatError("header is not valid JSON: %s" % e) from None
    for i in range(end, len(text)):
        if text[i] != " ":
            raise SafetensorsFormatError("header has content after its JSON object at byte %d (%s); only space "
                                         "(0x20) padding may follow" % (len(text[:i].encode("utf-8")),
                                                                        _describe(text[i])))
    metadata = {}
    layout = []
    for name, value in root.items():
        _require_scalar_values(name, "tensor name")
        if name == METADATA_KEY:
            metadata = _parse_metadata(value)
        else:
            layout.append(_parse_tensor(name, value))
    # Data order; ties (zero-size tensors) by end, then as listed, as the Java reader orders them.
    layout.sort(key=lambda t: (t.begin, t.end))
    _check_layout(layout, data_length)
    return metadata, layout


def read(path):
    """Reads a whole safetensors file strictly; tensors come back as numpy arrays in data order."""
    with open(path, "rb") as f:
        raw = f.read()
    return decode(raw)


def decode(raw):
    metadata, layout, offset = read_header(raw)
    data = memoryview(raw)[offset:]
    tensors = {}
    dtypes = {}
    for entry in layout:
        stored, _ = _DTYPES[entry.dtype]
        array = np.frombuffer(data[entry.begin:entry.end], dtype=stored).reshape(entry.shape)
        if entry.dtype == "BF16":
            array = (array.astype(np.uint32) << 16).view(np.float32)
        else:
            array = array.astype(_DTYPES[entry.dtype][1], copy=True)
        tensors[entry.name] = array
        dtypes[entry.name] = entry.dtype
    return SafetensorsFile(tensors, dtypes, metadata, layout, hashlib.sha256(data).hexdigest())


def data_sha256(path):
    """Lower-case hex SHA-256 of a file's data section (the bytes after the header), after checking the header."""
    with open(path, "rb") as f:
        raw = f.read()
    _, _, offset = read_header(raw)
    return hashlib.sha256(memoryview(raw)[offset:]).hexdigest()


# ---------------------------------------------------------------------------------------------------------- writing


def encode(tensors, metadata=None, dtypes=None):
    """The bytes of a safetensors file holding ``tensors`` (name -> array) in the given order.

    ``dtypes`` (name -> dtype name) says how to store a tensor; without an entry the array's own dtype decides
    (float32 -> F32, float64 -> F64, …). BF16 is written from float32 with round-to-nearest-even.
    """
    dtypes = dtypes or {}
    metadata = dict(metadata or {})
    for key, value in metadata.items():
        if not isinstance(key, str) or not isinstance(value, str):
            raise ValueError("metadata must map strings to strings; %r -> %r is not" % (key, value))
        _require_encodable(key, "metadata key")
        _require_encodable(value, "metadata value of %r" % key)
    header = {}
    if metadata:
        header[METADATA_KEY] = metadata
    chunks = []
    offset = 0
    for name, array in tensors.items():
        if name == METADATA_KEY:
            raise ValueError("a tensor cannot be named %s" % METADATA_KEY)
        _require_encodable(name, "tensor name")
        array = np.asarray(array)
        dtype = dtypes.get(name) or _DEFAULT_DTYPE_OF.get(array.dtype)
        if dtype not in _DTYPES:
            raise ValueError("tensor %r: no safetensors dtype for %s (use one of %s)"
                             % (name, dtypes.get(name) or array.dtype, ", ".join(_DTYPES)))
        data = _to_bytes(array, dtype, name)
        header[name] = {"dtype": dtype, "shape": list(array.shape), "data_offsets": [offset, offset + len(data)]}
        chunks.append(data)
        offset += len(data)
    text = json.dumps(header, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    text += b" " * (-(8 + len(text)) % 8)  # space padding to 8-byte alignment, as the format recommends
    return struct.pack("<Q", len(text)) + text + b"".join(chunks)


def write(path, tensors, metadata=None, dtypes=None):
    raw = encode(tensors, metadata, dtypes)
    with open(path, "wb") as f:
        f.write(raw)
    return raw


def bf16_bits(array):
    """float32 -> BF16 bit patterns (uint16), round to nearest even; NaN stays NaN (quiet)."""
    bits = np.ascontiguousarray(array, dtype=np.float32).view(np.uint32)
    rounded = ((bits + 0x7FFF + ((bits >> 16) & 1)) >> 16).astype(np.uint16)
    nan = np.isnan(bits.view(np.float32))
    high = (bits >> 16).astype(np.uint16)
    # A NaN keeps its upper half (so BF16 NaNs round-trip bit for bit) unless that half would read as infinity.
    nan_bits = np.where((high & 0x7F) == 0, high | 0x0040, high)
    return np.where(nan, nan_bits, rounded)


def _to_bytes(array, dtype, name):
    stored, natural = _DTYPES[dtype]
    if dtype == "BF16":
        if array.dtype.kind != "f":
            raise ValueError("tensor %r: BF16 needs floating-point values, got %s" % (name, array.dtype))
        return bf16_bits(array).astype("<u2").tobytes()
    if array.dtype != natural:
        if array.dtype.kind == "f" and natural.kind in "iub":
            raise ValueError("tensor %r: refusing to store %s values as %s" % (name, array.dtype, dtype))
        converted = array.astype(natural)
        if natural.kind in "iu" and not np.array_equal(converted, array):
            raise ValueError("tensor %r: values do not fit %s" % (name, dtype))
        array = converted
    return np.ascontiguousarray(array).astype(stored, copy=False).tobytes()


# ---------------------------------------------------------------------------------------------------------- checks


def _no_duplicates(pairs):
    seen = {}
    for key, value in pairs:
        if key in seen:
            raise SafetensorsFormatError("header has a duplicate key %r" % key)
        seen[key] = value
    return seen


def _no_constants(name):
    raise SafetensorsFormatError("header is not valid JSON: %s is not a JSON number" % name)


def _require_scalar_values(value, what):
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as e:
        raise SafetensorsFormatError("%s holds an unpaired surrogate escape (\\u%04x) at character %d"
                                     % (what, ord(value[e.start]), e.start)) from None


def _require_encodable(value, what):
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("%s %r holds an unpaired surrogate: it has no UTF-8 form" % (what, value)) from None


def _parse_metadata(node):
    if not isinstance(node, dict):
        raise SafetensorsFormatError("%s is not a JSON object" % METADATA_KEY)
    for key, value in node.items():
        if not isinstance(value, str):
            raise SafetensorsFormatError("%s value of %r is not a string" % (METADATA_KEY, key))
        _require_scalar_values(key, METADATA_KEY + " key")
        _require_scalar_values(value, "%s value of %r" % (METADATA_KEY, key))
    return dict(node)


def _non_negative_ints(node, what, size=None):
    if not isinstance(node, list):
        raise SafetensorsFormatError("%s is missing or not an array" % what)
    if size is not None and len(node) != size:
        raise SafetensorsFormatError("%s must have %d entries, has %d" % (what, size, len(node)))
    for value in node:
        # bool is an int in Python; JSON true is not a number
        if isinstance(value, bool) or not isinstance(value, int) or value < 0 or value >= 2 ** 63:
            raise SafetensorsFormatError("%s holds %r, not a non-negative integer" % (what, value))
    return node


def _parse_tensor(name, node):
    where = "tensor %r" % name
    if not isinstance(node, dict):
        raise SafetensorsFormatError("%s is not a JSON object" % where)
    dtype = node.get("dtype")
    if not isinstance(dtype, str):
        raise SafetensorsFormatError("%s has no dtype string" % where)
    if dtype not in _DTYPES:
        raise SafetensorsFormatError("%s has unsupported dtype %r (this kit reads %s)"
                                     % (where, dtype, ", ".join(_DTYPES)))
    shape = tuple(_non_negative_ints(node.get("shape"), where + " shape"))
    begin, end = _non_negative_ints(node.get("data_offsets"), where + " data_offsets", 2)
    if end < begin:
        raise SafetensorsFormatError("%s data_offsets end %d is before begin %d" % (where, end, begin))
    size = dtype_size(dtype)
    for dim in shape:
        size *= dim
    if end - begin != size:
        raise SafetensorsFormatError("%s data_offsets span %d bytes but dtype %s and shape %s need %d"
                                     % (where, end - begin, dtype, list(shape), size))
    return TensorEntry(name, dtype, shape, begin, end)


def _check_layout(layout, data_length):
    expected = 0
    for t in layout:
        if t.begin < expected:
            raise SafetensorsFormatError("tensor %r data_offsets [%d, %d) overlap the previous tensor ending at %d"
                                         % (t.name, t.begin, t.end, expected))
        if t.begin > expected:
            raise SafetensorsFormatError("tensor %r data_offsets begin at %d, leaving a gap after byte %d"
                                         % (t.name, t.begin, expected))
        if t.end > data_length:
            raise SafetensorsFormatError("tensor %r data_offsets end %d is past the end of the data section "
                                         "(%d bytes): file truncated?" % (t.name, t.end, data_length))
        expected = t.end
    if expected != data_length:
        raise SafetensorsFormatError("data section is %d bytes but the tensors cover %d (trailing bytes)"
                                     % (data_length, expected))


def _describe(char):
    if not char:
        return "nothing"
    code = ord(char)
    return "'%s'" % char if 0x20 <= code < 0x7F else "U+%04X" % code
