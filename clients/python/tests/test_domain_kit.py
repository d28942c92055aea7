"""The kit's registry calls against a scripted HTTP server answering as docs/registry-api.md says, and a round's
steps (global model, update, verdict) over an in-memory bucket."""

import json
import threading
import unittest
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import numpy as np
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

import support  # noqa: F401
from meshfl_domain import safetensors_file as st
from meshfl_domain import update as updates
from meshfl_domain.domain import ChecksumMismatch, DomainKit
from meshfl_domain.registry import Registry, RegistryError

GLOBAL = st.encode({"layers.0.weight": np.zeros((2, 2), np.float32), "layers.0.bias": np.zeros(2, np.float32)})
GLOBAL_SHA256 = st.decode(GLOBAL).data_sha256


class ScriptedRegistry(BaseHTTPRequestHandler):
    """Answers (method, path) from ``routes``: (status, body); records every request."""

    routes = {}
    requests = []

    def do_GET(self):
        self.answer()

    def do_POST(self):
        self.answer()

    def answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        type(self).requests.append((self.command, self.path, self.headers.get("Authorization"), body))
        status, answer = type(self).routes.get((self.command, self.path), (404, {"title": "Not Found",
                                                                                 "status": 404}))
        if callable(answer):
            answer = answer()
        data = json.dumps(answer).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json" if status < 400 else "application/problem+json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


class MemoryBucket:
    def __init__(self, objects):
        self.objects = dict(objects)

    def get(self, key, bucket=None):
        return self.objects[key]

    def put(self, key, data):
        self.objects[key] = bytes(data)
        return "etag-%d" % len(data)


ROUND = {"roundId": 41, "model": "churn", "number": 3, "state": "OPEN",
         "globalModelKey": "models/churn/global/3.safetensors", "openedAt": "2026-12-02T08:00:00Z",
         "deadline": "2026-12-02T09:00:00Z", "architecture": {"template": "logistic-regression"},
         "training": {"localEpochs": 1}, "policy": {"minDomains": 1, "roundDeadlineSeconds": 3600},
         "enrolment": {"dataProduct": "crm-churn", "location": "s3://meshfl/domains/crm/x.csv"}}


class DomainKitAgainstAScriptedRegistry(unittest.TestCase):

    def setUp(self):
        ScriptedRegistry.routes = {("GET", "/models/churn/rounds/current"): (200, ROUND)}
        ScriptedRegistry.requests = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), ScriptedRegistry)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.addCleanup(self.server.server_close)
        self.addCleanup(self.server.shutdown)
        self.registry = Registry("http://127.0.0.1:%d/" % self.server.server_port, "domain-token\n")
        self.key = Ed25519PrivateKey.generate()
        self.bucket = MemoryBucket({"models/churn/global/3.safetensors": GLOBAL})
        self.kit = DomainKit("crm", self.registry, self.bucket, self.key)

    def test_the_current_round_is_read_with_the_bearer_token(self):
        current = self.kit.current_round("churn")

        self.assertEqual((current.round_id, current.number, current.is_open), (41, 3, True))
        self.assertEqual(current.enrolment["dataProduct"], "crm-churn")
        self.assertEqual(ScriptedRegistry.requests[0][:3],
                         ("GET", "/models/churn/rounds/current", "Bearer domain-token"))

    def test_a_problem_answer_becomes_an_error_naming_status_title_and_detail(self):
        ScriptedRegistry.routes[("GET", "/models/churn/rounds/current")] = (
            403, {"title": "Forbidden", "status": 403, "detail": "domain 'crm' is not enrolled in model 'churn'"})

        with self.assertRaises(RegistryError) as caught:
            self.kit.current_round("churn")

        self.assertEqual(caught.exception.status, 403)
        self.assertIn("not enrolled", str(caught.exception))

    def test_the_global_model_is_verified_against_the_recorded_checksum(self):
        ScriptedRegistry.routes[("GET", "/models/churn/versions")] = (200, [
            {"round": 2, "checksum": "00" * 32}, {"round": 3, "checksum": GLOBAL_SHA256}])

        base = self.kit.download_global(self.kit.current_round("churn"))

        self.assertTrue(base.verified)
        self.assertEqual(base.sha256, GLOBAL_SHA256)

    def test_a_global_model_that_differs_from_the_record_is_refused(self):
        ScriptedRegistry.routes[("GET", "/models/churn/versions")] = (200, [{"round": 3, "checksum": "00" * 32}])

        with self.assertRaisesRegex(ChecksumMismatch, "refusing to train from it"):
            self.kit.download_global(self.kit.current_round("churn"))

    def test_the_rounds_global_model_checksum_is_used_first(self):
        ScriptedRegistry.routes[("GET", "/models/churn/rounds/current")] = (
            200, dict(ROUND, globalModelChecksum="11" * 32))

        with self.assertRaises(ChecksumMismatch):
            self.kit.download_global(self.kit.current_round("churn"))

    def test_without_a_visible_record_the_model_is_unverified_or_refused_on_request(self):
        ScriptedRegistry.routes[("GET", "/models/churn/versions")] = (403, {"title": "Forbidden", "status": 403})
        current = self.kit.current_round("churn")

        base = self.kit.download_global(current)

        self.assertFalse(base.verified)
        with self.assertRaisesRegex(ChecksumMismatch, "no checksum"):
            self.kit.download_global(current, require_verified=True)

    def test_submit_puts_a_verifiable_update_in_the_domains_slot(self):
        ScriptedRegistry.routes[("GET", "/models/churn/versions")] = (200, [{"round": 3, "checksum": GLOBAL_SHA256}])
        current = self.kit.current_round("churn")
        base = self.kit.download_global(current)
        trained = {name: array + 1 for name, array in base.file.tensors.items()}

        submitted = self.kit.submit(current, base, trained, num_examples=640, metrics={"loss": 0.4})

        self.assertEqual(submitted.key, "models/churn/rounds/3/updates/crm.safetensors")
        metadata = updates.check_update(self.bucket.objects[submitted.key], self.key.public_key(), "churn", "crm", 3,
                                        GLOBAL_SHA256, 640, base.file)
        self.assertEqual(metadata["num_examples"], "640")
        self.assertEqual(st.decode(self.bucket.objects[submitted.key]).tensors["layers.0.bias"].tolist(), [1, 1])

    def test_submit_refuses_more_examples_than_the_rounds_bound_before_uploading(self):
        ScriptedRegistry.routes[("GET", "/models/churn/rounds/current")] = (200, dict(ROUND, maxExamples={"crm": 500}))
        current = self.kit.current_round("churn")
        base = self.kit.download_global(current, expected_sha256=GLOBAL_SHA256)

        with self.assertRaisesRegex(updates.UpdateRefused, "num_examples is 640, above the cap of 500"):
            self.kit.submit(current, base, base.file.tensors, 640, {})
        self.assertEqual(list(self.bucket.objects), ["models/churn/global/3.safetensors"])

    def test_submit_refuses_a_round_that_is_not_open(self):
        ScriptedRegistry.routes[("GET", "/models/churn/rounds/current")] = (200, dict(ROUND, state="AGGREGATING"))
        current = self.kit.current_round("churn")
        base = self.kit.download_global(current, expected_sha256=GLOBAL_SHA256)

        with self.assertRaisesRegex(ValueError, "AGGREGATING, not OPEN"):
            self.kit.submit(current, base, base.file.tensors, 1, {})
        self.assertEqual(list(self.bucket.objects), ["models/churn/global/3.safetensors"])

    def test_the_verdict_is_polled_until_the_domains_update_is_registered(self):
        answers = iter([[], [{"domain": "other", "status": "ACCEPTED"}],
                        [{"domain": "crm", "status": "REJECTED", "reason": "metadata: base_round is 2, expected 3"}]])
        ScriptedRegistry.routes[("GET", "/rounds/41/updates")] = (200, lambda: next(answers))
        current = self.kit.current_round("churn")

        verdict = self.registry.wait_for_verdict(current.round_id, "crm", timeout=5, interval=0.01)

        self.assertEqual(verdict["status"], "REJECTED")
        self.assertIn("base_round", verdict["reason"])

    def test_after_a_resubmission_the_verdict_is_polled_until_the_new_uploads_is_registered(self):
        answers = iter([[{"domain": "crm", "etag": "e1", "status": "REJECTED", "reason": "signature does not verify"}],
                        [{"domain": "crm", "etag": "e2", "status": "ACCEPTED"}]])
        ScriptedRegistry.routes[("GET", "/rounds/41/updates")] = (200, lambda: next(answers))
        current = self.kit.current_round("churn")

        verdict = self.kit.wait_for_verdict(current, timeout=5, interval=0.01, etag="e2")

        self.assertEqual((verdict["etag"], verdict["status"]), ("e2", "ACCEPTED"))

    def test_metrics_are_reported_as_the_registry_expects(self):
        ScriptedRegistry.routes[("POST", "/rounds/41/metrics")] = (201, {"roundId": 41, "domain": "crm"})

        self.registry.report_metrics(41, "crm", 160, {"loss": 0.5, "accuracy": 0.75})

        method, path, _, body = ScriptedRegistry.requests[-1]
        self.assertEqual(json.loads(body), {"domain": "crm", "numExamples": 160,
                                            "metrics": {"loss": 0.5, "accuracy": 0.75}})


if __name__ == "__main__":
    unittest.main()
