"""The ``meshfl-update-v2`` signature: the canonical payload and Ed25519 with the domain's key.

The payload (byte layout in clients/python/README.md), where ``str(s)`` is a 4-byte big-endian length followed by
the UTF-8 bytes of ``s`` and ``u32(n)`` is 4 bytes big-endian::

    str("meshfl-update-v2")
    u32(entries)  then per __metadata__ entry except "signature", sorted by the key's UTF-8 bytes: str(key) str(value)
    u32(tensors)  then per tensor in data order: str(name) str(dtype) str(shape "2,3" / "" for a scalar)
                                                 str(begin) str(end)

Length prefixes instead of canonical JSON: two JSON serialisers rarely agree on escapes and number forms;
``struct.pack`` and Java's ``DataOutputStream`` always agree on four bytes.
"""

import base64
import binascii
import struct

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

SCHEME = "meshfl-update-v2"
SIGNATURE = "signature"


def _str(value):
    data = value.encode("utf-8")  # strict: a string with an unpaired surrogate has no UTF-8 form and is refused
    return struct.pack(">I", len(data)) + data


def signing_payload(metadata, layout):
    """The payload for a header's metadata (str -> str) and tensor layout (``TensorEntry``s, any order)."""
    entries = sorted(((k, v) for k, v in metadata.items() if k != SIGNATURE), key=lambda kv: kv[0].encode("utf-8"))
    out = bytearray(_str(SCHEME))
    out += struct.pack(">I", len(entries))
    for key, value in entries:
        out += _str(key) + _str(value)
    # Data order; a zero-size tensor shares its begin with the next one and comes first (ordered by end).
    ordered = sorted(layout, key=lambda t: (t.begin, t.end))
    out += struct.pack(">I", len(ordered))
    for t in ordered:
        out += _str(t.name) + _str(t.dtype) + _str(",".join(str(d) for d in t.shape))
        out += _str(str(t.begin)) + _str(str(t.end))
    return bytes(out)


# ---------------------------------------------------------------------------------------------------------- keys


def generate_key():
    return Ed25519PrivateKey.generate()


def load_private_key(text):
    """An Ed25519 private key from PKCS#8 PEM (the local mesh's signing-key.pem) or Base64 PKCS#8 DER
    (``meshfl.training.signing-key``)."""
    if isinstance(text, bytes):
        text = text.decode("ascii")
    text = text.strip()
    if text.startswith("-----BEGIN"):
        key = serialization.load_pem_private_key(text.encode("ascii"), password=None)
    else:
        try:
            der = base64.b64decode(text, validate=True)
        except binascii.Error:
            raise ValueError("signing key is neither PEM nor Base64 PKCS#8") from None
        key = serialization.load_der_private_key(der, password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("signing key is a %s, not an Ed25519 key" % type(key).__name__)
    return key


def load_public_key(text):
    """An Ed25519 public key from Base64 X.509 SubjectPublicKeyInfo (the registry's ``publicKey``) or PEM."""
    if isinstance(text, bytes):
        text = text.decode("ascii")
    text = text.strip()
    if text.startswith("-----BEGIN"):
        key = serialization.load_pem_public_key(text.encode("ascii"))
    else:
        try:
            der = base64.b64decode(text, validate=True)
        except binascii.Error:
            raise ValueError("public key is neither PEM nor Base64 X.509") from None
        key = serialization.load_der_public_key(der)
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("public key is a %s, not an Ed25519 key" % type(key).__name__)
    return key


def public_key_base64(private_key):
    """The public half as the registry holds it: Base64 X.509 SubjectPublicKeyInfo (``POST /domains`` publicKey)."""
    der = private_key.public_key().public_bytes(serialization.Encoding.DER,
                                                serialization.PublicFormat.SubjectPublicKeyInfo)
    return base64.b64encode(der).decode("ascii")


def private_key_pem(private_key):
    return private_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                     serialization.NoEncryption()).decode("ascii")


# ---------------------------------------------------------------------------------------------------------- sign


def sign(private_key, payload):
    """Standard Base64 (padded) of the Ed25519 signature: 88 characters."""
    return base64.b64encode(private_key.sign(payload)).decode("ascii")


def verify(public_key, payload, signature_base64):
    """True if the signature is the key's over the payload; False for any malformed signature."""
    try:
        signature = base64.b64decode(signature_base64, validate=True)
    except (binascii.Error, ValueError):
        return False
    try:
        public_key.verify(signature, payload)
        return True
    except InvalidSignature:
        return False
