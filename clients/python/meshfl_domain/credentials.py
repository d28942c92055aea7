"""A domain's credentials as the local mesh hands them out: ``./meshfl domain-credentials DOMAIN`` prints them as
JSON (or, with ``--format env``, as the ``export`` lines of the variables the ``meshfl-domain`` commands read)::

    creds = Credentials.load("domain-2.json")
    kit = creds.kit()                      # a DomainKit with the domain's token, S3 key pair and signing key
    current = kit.current_round(creds.model)

The registry token is short-lived (``registryTokenExpiresAt``; one hour unless ``--ttl`` said otherwise): ask the
mesh again when it has expired.
"""

import datetime
import json
from dataclasses import dataclass

# The JSON field of ``./meshfl domain-credentials`` -> the variable the commands read (``--format env`` prints these).
VARIABLES = {
    "domain": "MESHFL_DOMAIN",
    "model": "MESHFL_MODEL",
    "registryUrl": "MESHFL_REGISTRY_URL",
    "registryToken": "MESHFL_REGISTRY_TOKEN",
    "registryTokenExpiresAt": "MESHFL_REGISTRY_TOKEN_EXPIRES_AT",
    "s3Endpoint": "MESHFL_S3_ENDPOINT",
    "region": "AWS_REGION",
    "bucket": "MESHFL_BUCKET",
    "accessKeyId": "AWS_ACCESS_KEY_ID",
    "secretAccessKey": "AWS_SECRET_ACCESS_KEY",
    "signingKeyFile": "MESHFL_SIGNING_KEY_FILE",
}


@dataclass(frozen=True)
class Credentials:
    domain: str
    model: str
    registry_url: str
    registry_token: str
    registry_token_expires_at: str
    s3_endpoint: str
    region: str
    bucket: str
    access_key_id: str
    secret_access_key: str
    signing_key_file: str

    @classmethod
    def load(cls, path):
        with open(path, "r", encoding="utf-8") as f:
            return cls.from_json(json.load(f), path)

    @classmethod
    def from_json(cls, fields, source="credentials"):
        if not isinstance(fields, dict):
            raise ValueError("%s: not a JSON object (expected the output of ./meshfl domain-credentials)" % source)
        missing = [name for name in VARIABLES if not isinstance(fields.get(name), str) or not fields.get(name)]
        if missing:
            raise ValueError("%s: missing %s (expected the output of ./meshfl domain-credentials)"
                             % (source, ", ".join(missing)))
        return cls(*(fields[name] for name in VARIABLES))

    @property
    def expires_at(self):
        return datetime.datetime.fromisoformat(self.registry_token_expires_at.replace("Z", "+00:00"))

    def expired(self, now=None):
        return (now or datetime.datetime.now(datetime.timezone.utc)) >= self.expires_at

    def environment(self):
        """The variables the ``meshfl-domain`` commands read, as ``--format env`` prints them."""
        values = (self.domain, self.model, self.registry_url, self.registry_token, self.registry_token_expires_at,
                  self.s3_endpoint, self.region, self.bucket, self.access_key_id, self.secret_access_key,
                  self.signing_key_file)
        return dict(zip(VARIABLES.values(), values))

    def kit(self):
        """A DomainKit acting as this domain: its token, its own S3 key pair, its signing key."""
        from .domain import DomainKit
        from .objectstore import ObjectStore, s3_client
        from .registry import Registry
        from .signing import load_private_key

        with open(self.signing_key_file, "r", encoding="ascii") as f:
            key = load_private_key(f.read())
        store = ObjectStore(s3_client(self.s3_endpoint, self.region, self.access_key_id, self.secret_access_key),
                            self.bucket)
        return DomainKit(self.domain, Registry(self.registry_url, self.registry_token), store, key)
