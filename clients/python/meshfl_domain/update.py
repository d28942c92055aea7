"""A domain's update: the weights after local training plus the signed ``__metadata__`` MeshFL trusts.

``write_update`` writes a new file; ``sign_file`` signs a file another writer made (e.g.
``safetensors.torch.save_file``); ``check_update`` is what the aggregator checks about the metadata and the
signature, run before an upload so a domain sees a refusal locally instead of losing its slot.
"""

import hashlib
import json
import math
import re
from dataclasses import dataclass

from . import keys as object_keys
from . import safetensors_file as st
from . import signing

SIGNATURE_SCHEME = "signature_scheme"
MODEL = "model"
DOMAIN = "domain"
BASE_ROUND = "base_round"
BASE_MODEL_SHA256 = "base_model_sha256"
NUM_EXAMPLES = "num_examples"
METRICS = "metrics"
SHA256 = "sha256"
SIGNATURE = signing.SIGNATURE

# What the domain states; SIGNATURE_SCHEME, SHA256 and SIGNATURE are filled in by signing.
REQUIRED = (MODEL, DOMAIN, BASE_ROUND, BASE_MODEL_SHA256, NUM_EXAMPLES, METRICS)

_SHA256_HEX = re.compile(r"[0-9a-f]{64}\Z")
# Canonical decimal as Java's Long: no sign, no leading zero, no spaces, at most 19 digits.
_POSITIVE = re.compile(r"[1-9][0-9]{0,18}\Z")
_ID = re.compile(r"[^/]+\Z")


class UpdateRefused(ValueError):
    """An update the aggregator would refuse; the message is the reason."""


@dataclass(frozen=True)
class UpdateMetadata:
    """What a domain states about its update. ``num_examples`` counts the training rows the update was trained
    on (not the hold-out rows, not rows x epochs); it weighs the update in FedAvg and is capped by the registry."""

    model: str
    domain: str
    base_round: int
    base_model_sha256: str
    num_examples: int
    metrics: dict

    def to_map(self):
        """The unsigned ``__metadata__`` entries (JSON strings, as safetensors requires)."""
        for name, value in ((MODEL, self.model), (DOMAIN, self.domain)):
            if not isinstance(value, str) or not _ID.match(value):
                raise ValueError("%s must be a non-empty id without '/', was %r" % (name, value))
        if isinstance(self.base_round, bool) or not isinstance(self.base_round, int) or self.base_round < 1:
            raise ValueError("base_round must be an integer >= 1, was %r" % (self.base_round,))
        if not isinstance(self.base_model_sha256, str) or not _SHA256_HEX.match(self.base_model_sha256):
            raise ValueError("base_model_sha256 must be 64 lower-case hex digits, was %r" % (self.base_model_sha256,))
        if (isinstance(self.num_examples, bool) or not isinstance(self.num_examples, int)
                or not 1 <= self.num_examples < 2 ** 63):
            raise ValueError("num_examples must be a positive integer (training rows), was %r" % (self.num_examples,))
        return {
            SIGNATURE_SCHEME: signing.SCHEME,
            MODEL: self.model,
            DOMAIN: self.domain,
            BASE_ROUND: str(self.base_round),
            BASE_MODEL_SHA256: self.base_model_sha256,
            NUM_EXAMPLES: str(self.num_examples),
            METRICS: metrics_json(self.metrics),
        }


def metrics_json(metrics):
    """The ``metrics`` entry: a JSON object as a string. Non-finite numbers are refused: the aggregator's JSON
    reader refuses NaN and Infinity, so they would reject the whole update."""
    if not isinstance(metrics, dict):
        raise ValueError("metrics must be a dict (a JSON object), was %r" % (metrics,))
    for key, value in metrics.items():
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError("metrics[%r] is %r: JSON has no NaN or Infinity" % (key, value))
    return json.dumps(metrics, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


# ---------------------------------------------------------------------------------------------------------- write


def write_update(path, tensors, metadata, private_key, dtypes=None, extra_metadata=None):
    """Writes a signed update (see ``update_bytes``); returns its ``__metadata__`` as stored."""
    raw = update_bytes(tensors, metadata, private_key, dtypes, extra_metadata)
    with open(path, "wb") as f:
        f.write(raw)
    return st.read_header(raw)[0]


def update_bytes(tensors, metadata, private_key, dtypes=None, extra_metadata=None):
    """The bytes of a signed update.

    ``tensors`` maps names to numpy arrays (any order: the aggregator matches tensors by name); ``dtypes`` says how
    to store each (give the global model's: ``SafetensorsFile.dtypes``, the aggregator refuses another dtype).
    An update carries the new weights, not a delta from the global model. ``extra_metadata`` entries are signed too.
    """
    entries = dict(extra_metadata or {})
    for key in entries:
        if key in (SIGNATURE_SCHEME, SHA256, SIGNATURE) or key in REQUIRED:
            raise ValueError("extra metadata may not set %r" % key)
    entries.update(metadata.to_map())
    for name, dtype in _dtypes_of(tensors, dtypes).items():
        if dtype not in st.MESHFL_DTYPES:
            raise ValueError("tensor %r would be %s; MeshFL reads %s" % (name, dtype, ", ".join(st.MESHFL_DTYPES)))
    return sign_bytes(st.encode(tensors, entries, dtypes), private_key)


def sign_bytes(raw, private_key):
    """Signs a safetensors file's bytes under meshfl-update-v2: adds ``signature_scheme``, ``sha256`` (of the data
    section) and ``signature``; the tensor data is left as it is. Returns the new file's bytes."""
    metadata, layout, offset = st.read_header(raw)
    data = raw[offset:]
    metadata = {k: v for k, v in metadata.items() if k != SIGNATURE}
    metadata[SIGNATURE_SCHEME] = signing.SCHEME
    metadata[SHA256] = hashlib.sha256(data).hexdigest()
    missing = [key for key in REQUIRED if key not in metadata]
    if missing:
        raise ValueError("cannot sign: __metadata__ has no %s" % ", ".join(repr(k) for k in missing))
    metadata[SIGNATURE] = signing.sign(private_key, signing.signing_payload(metadata, layout))
    header = {st.METADATA_KEY: metadata}
    for t in layout:
        header[t.name] = {"dtype": t.dtype, "shape": list(t.shape), "data_offsets": [t.begin, t.end]}
    text = json.dumps(header, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    text += b" " * (-(8 + len(text)) % 8)
    return len(text).to_bytes(8, "little") + text + bytes(data)


def sign_file(path, private_key):
    """Signs the file at ``path`` in place (see ``sign_bytes``); returns its ``__metadata__`` as stored."""
    with open(path, "rb") as f:
        raw = sign_bytes(f.read(), private_key)
    with open(path, "wb") as f:
        f.write(raw)
    return st.read_header(raw)[0]


# ---------------------------------------------------------------------------------------------------------- check


def check_update(raw, public_key=None, model=None, domain=None, base_round=None, base_model_sha256=None,
                 max_examples=None, global_model=None):
    """Checks an update's bytes as the aggregator does before it counts it, in the same order (identity, then the
    signature, then the example cap, tensors, data hash and base model). ``global_model``: a ``SafetensorsFile`` to compare tensor names,
    dtypes and shapes with. Returns the parsed metadata; raises ``UpdateRefused`` with the reason."""
    try:
        metadata, layout, offset = st.read_header(raw)
    except st.SafetensorsFormatError as e:
        raise UpdateRefused(str(e)) from None
    scheme = metadata.get(SIGNATURE_SCHEME)
    if scheme is None:
        raise UpdateRefused("metadata: __metadata__ has no 'signature_scheme' (a meshfl-update-v1 file?); "
                            "sign it under " + signing.SCHEME)
    if scheme != signing.SCHEME:
        raise UpdateRefused("metadata: unknown signature_scheme %r: MeshFL verifies %s only" % (scheme, signing.SCHEME))
    for key in REQUIRED + (SHA256, SIGNATURE):
        if key not in metadata:
            raise UpdateRefused("metadata: __metadata__ has no %r" % key)
    for key in (BASE_ROUND, NUM_EXAMPLES):
        if not _POSITIVE.match(metadata[key]) or int(metadata[key]) >= 2 ** 63:
            raise UpdateRefused("metadata: %r is not a positive canonical integer: %r" % (key, metadata[key]))
    for key in (BASE_MODEL_SHA256, SHA256):
        if not _SHA256_HEX.match(metadata[key]):
            raise UpdateRefused("metadata: %s must be 64 lower-case hex digits, was %r" % (key, metadata[key]))
    try:
        parsed_metrics = json.loads(metadata[METRICS], parse_constant=_refuse_constant)
    except ValueError as e:
        raise UpdateRefused("metadata: metrics is not JSON: %s" % e) from None
    if not isinstance(parsed_metrics, dict):
        raise UpdateRefused("metadata: metrics must be a JSON object, was %r" % metadata[METRICS])
    # Identity first, as the aggregator does: a genuine update at the wrong round or slot is named as such; an
    # edit that made the identity match is then caught by the signature.
    for key, expected in ((MODEL, model), (DOMAIN, domain)):
        if expected is not None and metadata[key] != expected:
            raise UpdateRefused("metadata: %s is %r, expected %r" % (key, metadata[key], expected))
    if base_round is not None and int(metadata[BASE_ROUND]) != int(base_round):
        raise UpdateRefused("metadata: base_round is %s, expected %s" % (metadata[BASE_ROUND], base_round))
    if public_key is not None and not signing.verify(public_key, signing.signing_payload(metadata, layout),
                                                     metadata[SIGNATURE]):
        raise UpdateRefused("signature does not verify with the public key of domain %r: the signature does not "
                            "cover this update as it stands" % (domain or metadata[DOMAIN]))
    if max_examples is not None and int(metadata[NUM_EXAMPLES]) > max_examples:
        raise UpdateRefused("metadata: num_examples is %s, above the cap of %d" % (metadata[NUM_EXAMPLES], max_examples))
    if global_model is not None:
        _check_structure(layout, global_model)
    actual = hashlib.sha256(memoryview(raw)[offset:]).hexdigest()
    if actual != metadata[SHA256]:
        raise UpdateRefused("sha256 of the tensor data is %s but __metadata__ declares %s" % (actual, metadata[SHA256]))
    if base_model_sha256 is not None and metadata[BASE_MODEL_SHA256] != base_model_sha256:
        raise UpdateRefused("metadata: base_model_sha256 is %s but the round's global model's is %s"
                            % (metadata[BASE_MODEL_SHA256], base_model_sha256))
    return metadata


def update_key(metadata):
    """The object key an update belongs at, from its own metadata."""
    return object_keys.update(metadata[MODEL], int(metadata[BASE_ROUND]), metadata[DOMAIN])


def _check_structure(layout, global_model):
    names = {t.name for t in layout}
    for t in layout:
        if t.name not in global_model.dtypes:
            raise UpdateRefused("tensor %r is not in the model" % t.name)
    for name, dtype in global_model.dtypes.items():
        if name not in names:
            raise UpdateRefused("tensor %r is missing" % name)
        entry = next(t for t in layout if t.name == name)
        if entry.dtype != dtype:
            raise UpdateRefused("tensor %r has dtype %s, expected %s" % (name, entry.dtype, dtype))
        if tuple(entry.shape) != tuple(global_model.tensors[name].shape):
            raise UpdateRefused("tensor %r has shape %s, expected %s"
                                % (name, list(entry.shape), list(global_model.tensors[name].shape)))


def _dtypes_of(tensors, dtypes):
    import numpy as np

    dtypes = dtypes or {}
    return {name: dtypes.get(name) or st._DEFAULT_DTYPE_OF.get(np.asarray(a).dtype, str(np.asarray(a).dtype))
            for name, a in tensors.items()}


def _refuse_constant(name):
    raise ValueError("%s is not a JSON number" % name)
