"""One domain's part in a round, from a Python training loop::

    kit = DomainKit(domain, Registry(url, token), ObjectStore(s3_client(endpoint, ...), bucket), signing_key)
    current = kit.current_round("churn")
    base = kit.download_global(current)               # checked against the registry's checksum where it has one
    state = torch_state.to_state_dict(base.file.tensors, base.file.dtypes)
    ... train on the domain's own rows ...
    arrays, _ = torch_state.from_state_dict(model.state_dict())
    submitted = kit.submit(current, base, arrays, num_examples=rows, metrics={"loss": 0.31})
    verdict = kit.wait_for_verdict(current)
"""

from dataclasses import dataclass

from . import keys
from . import safetensors_file as st
from . import update as updates
from .registry import RegistryError


class ChecksumMismatch(ValueError):
    """The global model's data does not hash to what the registry recorded: do not train from it."""


@dataclass(frozen=True)
class GlobalModel:
    key: str
    file: st.SafetensorsFile
    sha256: str          # SHA-256 of the data section, computed here: the update's base_model_sha256
    expected: str        # what the registry recorded (None: it recorded none, or does not tell this token)

    @property
    def verified(self):
        return self.expected is not None and self.expected == self.sha256


@dataclass(frozen=True)
class Submission:
    key: str
    etag: str
    metadata: dict


class DomainKit:
    def __init__(self, domain, registry, store, signing_key):
        self.domain = domain
        self.registry = registry
        self.store = store
        self.signing_key = signing_key

    def current_round(self, model):
        return self.registry.current_round(model)

    def expected_checksum(self, current):
        """The checksum the registry recorded for the round's global model: the round's ``globalModelChecksum``;
        from a registry that does not send it, ``/models/{m}/versions`` if this token may read it; None otherwise."""
        if current.global_model_checksum:
            return current.global_model_checksum
        try:
            return self.registry.recorded_checksum(current.model, current.number)
        except RegistryError as e:
            if e.status in (401, 403, 404):
                return None
            raise

    def download_global(self, current, expected_sha256=None, require_verified=False):
        """Downloads ``global/{r}``, checks it strictly, and compares its data SHA-256 with the recorded one."""
        key = current.global_model_key or keys.global_model(current.model, current.number)
        raw = self.store.get(key)
        file = st.decode(raw)
        expected = expected_sha256 or self.expected_checksum(current)
        if expected is not None and expected != file.data_sha256:
            raise ChecksumMismatch("%s: data SHA-256 is %s but the registry recorded %s; refusing to train from it"
                                   % (key, file.data_sha256, expected))
        if expected is None and require_verified:
            raise ChecksumMismatch("%s: the registry tells this token no checksum to verify it against" % key)
        return GlobalModel(key, file, file.data_sha256, expected)

    def write(self, path, current, base, tensors, num_examples, metrics, extra_metadata=None):
        """Writes the signed update for ``current`` from ``base`` (dtypes: the global model's)."""
        metadata = updates.UpdateMetadata(current.model, self.domain, current.number, base.sha256, num_examples,
                                          metrics)
        return updates.write_update(path, tensors, metadata, self.signing_key, base.file.dtypes, extra_metadata)

    def submit(self, current, base, tensors, num_examples, metrics, extra_metadata=None):
        """Writes, checks locally as the aggregator will, and uploads the update to the domain's slot."""
        if not current.is_open:
            raise ValueError("round %s of %s is %s, not OPEN" % (current.number, current.model, current.state))
        metadata = updates.UpdateMetadata(current.model, self.domain, current.number, base.sha256, num_examples,
                                          metrics)
        raw = updates.update_bytes(tensors, metadata, self.signing_key, base.file.dtypes, extra_metadata)
        public = self.signing_key.public_key()
        updates.check_update(raw, public, current.model, self.domain, current.number, base.sha256,
                             current.max_examples(self.domain), base.file)
        key = keys.update(current.model, current.number, self.domain)
        etag = self.store.put(key, raw)
        return Submission(key, etag, st.read_header(raw)[0])

    def verdict(self, current):
        return self.registry.verdict(current.round_id, self.domain)

    def wait_for_verdict(self, current, timeout=300.0, interval=2.0, etag=None):
        return self.registry.wait_for_verdict(current.round_id, self.domain, timeout, interval, etag=etag)
