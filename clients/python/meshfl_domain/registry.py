"""The registry's HTTP API as a domain uses it (docs/registry-api.md): JSON over HTTP with a bearer token.

A domain token is an RS256 JWT from the federation's issuer with ``iss`` (the registry's configured issuer),
``sub``, ``groups: ["domain"]``, ``domain`` (the one domain it may act for), ``iat``, ``exp`` and ``jti``.
"""

import json
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass


class RegistryError(Exception):
    """A refusal from the registry (RFC 9457 problem+json) or an unreachable registry."""

    def __init__(self, status, title, detail=None, errors=None, body=None):
        message = "registry answered %s %s" % (status, title) if status is not None else "registry %s" % title
        if detail:
            message += ": " + detail
        for error in errors or []:
            message += "; %s: %s" % (error.get("field"), error.get("message"))
        super().__init__(message)
        self.status = status
        self.title = title
        self.detail = detail
        self.errors = errors or []
        self.body = body


@dataclass(frozen=True)
class CurrentRound:
    """``GET /models/{id}/rounds/current`` for a domain token."""

    round_id: int
    model: str
    number: int
    state: str
    global_model_key: str
    deadline: str
    training: dict
    policy: dict
    architecture: dict
    enrolment: dict
    raw: dict

    @property
    def is_open(self):
        return self.state == "OPEN"

    @property
    def global_model_checksum(self):
        """``globalModelChecksum``: the data SHA-256 the registry recorded for the round's global model (None from
        a registry that does not send it yet)."""
        return self.raw.get("globalModelChecksum")

    def max_examples(self, domain):
        """The most examples one update of ``domain`` may claim (``maxExamples``), or None where none is set."""
        return (self.raw.get("maxExamples") or {}).get(domain)

    @staticmethod
    def of(body):
        return CurrentRound(body.get("roundId"), body.get("model"), body.get("number"), body.get("state"),
                            body.get("globalModelKey"), body.get("deadline"), body.get("training") or {},
                            body.get("policy") or {}, body.get("architecture") or {}, body.get("enrolment") or {},
                            body)


class Registry:
    """One principal's view of the registry: ``Registry(url, token)``."""

    def __init__(self, url, token, timeout=30.0):
        if not url:
            raise ValueError("no registry URL (set --registry or MESHFL_REGISTRY_URL)")
        if not token:
            raise ValueError("no registry token (set --token, --token-file or MESHFL_REGISTRY_TOKEN)")
        self.url = url.rstrip("/")
        self.token = token.strip()
        self.timeout = timeout

    def current_round(self, model):
        return CurrentRound.of(self._call("GET", "/models/%s/rounds/current" % _segment(model)))

    def model(self, model):
        return self._call("GET", "/models/%s" % _segment(model))

    def enrolments(self, model):
        return self._call("GET", "/models/%s/enrolments" % _segment(model))

    def domain(self, domain):
        return self._call("GET", "/domains/%s" % _segment(domain))

    def versions(self, model):
        """The global model versions with their recorded checksums (a governance token today)."""
        return self._call("GET", "/models/%s/versions" % _segment(model))

    def recorded_checksum(self, model, version):
        """The checksum the registry recorded for ``global/{version}``; None if it recorded none (version 1)."""
        for entry in self.versions(model):
            if entry.get("round") == version:
                return entry.get("checksum")
        raise RegistryError(404, "Not Found", "model %r has no version %d" % (model, version))

    def round_updates(self, round_id):
        """The round's registered updates with status and reason; a domain's token sees its own only."""
        return self._call("GET", "/rounds/%d/updates" % int(round_id))

    def report_metrics(self, round_id, domain, num_examples, metrics):
        """How the round's global model did on the domain's hold-out rows (``num_examples``: hold-out rows)."""
        return self._call("POST", "/rounds/%d/metrics" % int(round_id),
                          {"domain": domain, "numExamples": num_examples, "metrics": metrics})

    def verdict(self, round_id, domain):
        """The registry's record of the domain's update in a round (``status`` ACCEPTED or REJECTED, ``reason``),
        or None if none is registered yet."""
        for update in self.round_updates(round_id):
            if update.get("domain") == domain:
                return update
        return None

    def wait_for_verdict(self, round_id, domain, timeout=300.0, interval=2.0, clock=time.monotonic,
                         sleep=time.sleep, etag=None):
        """Polls until the domain's update is registered, or with ``etag`` until that upload's verdict is (a
        corrected upload replacing a REJECTED one under the policy's ``resubmit``); None after ``timeout``."""
        deadline = clock() + timeout
        while True:
            found = self.verdict(round_id, domain)
            if found is not None and (etag is None or found.get("etag") == etag):
                return found
            if clock() >= deadline:
                return None
            sleep(interval)

    def _call(self, method, path, body=None):
        data = None
        headers = {"Authorization": "Bearer " + self.token, "Accept": "application/json"}
        if body is not None:
            data = json.dumps(body, allow_nan=False).encode("utf-8")
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(self.url + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                text = response.read()
                return json.loads(text) if text else None
        except urllib.error.HTTPError as e:
            raw = e.read()
            try:
                problem = json.loads(raw)
            except ValueError:
                problem = {}
            if not isinstance(problem, dict):
                problem = {}
            raise RegistryError(e.code, problem.get("title") or e.reason, problem.get("detail"),
                                problem.get("errors"), problem) from None
        except urllib.error.URLError as e:
            raise RegistryError(None, "unreachable", "%s %s: %s" % (method, self.url + path, e.reason)) from None


def _segment(value):
    return urllib.parse.quote(str(value), safe="")
