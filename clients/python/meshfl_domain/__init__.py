"""MeshFL domain kit: take part in a MeshFL federation from Python (numpy; PyTorch optional).

The protocol is documented in clients/python/README.md; this package is its second, independent implementation.
"""

from .domain import ChecksumMismatch, DomainKit, GlobalModel, Submission
from .objectstore import ObjectStore, s3_client
from .registry import CurrentRound, Registry, RegistryError
from .safetensors_file import SafetensorsFile, SafetensorsFormatError
from .safetensors_file import read as read_safetensors
from .safetensors_file import write as write_safetensors
from .signing import SCHEME, load_private_key, load_public_key, public_key_base64, signing_payload
from .update import UpdateMetadata, UpdateRefused, check_update, sign_file, write_update

__version__ = "0.1.0"

__all__ = [
    "ChecksumMismatch", "CurrentRound", "DomainKit", "GlobalModel", "ObjectStore", "Registry", "RegistryError",
    "SCHEME", "SafetensorsFile", "SafetensorsFormatError", "Submission", "UpdateMetadata", "UpdateRefused",
    "check_update", "load_private_key", "load_public_key", "public_key_base64", "read_safetensors", "s3_client",
    "sign_file", "signing_payload", "write_safetensors", "write_update",
]
