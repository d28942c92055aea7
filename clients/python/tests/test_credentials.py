"""The credentials ``./meshfl domain-credentials`` prints, read by the kit (``--credentials FILE`` and
``Credentials``). ``data/domain-credentials.json`` has the fields in the order the Java side writes them; the Java test
``DomainCredentialsCommandTest`` checks its own output against the same file."""

import json
import shutil
import subprocess
import sys
import tempfile
import threading
import unittest
from http.server import ThreadingHTTPServer
from pathlib import Path

import support
from meshfl_domain.credentials import VARIABLES, Credentials
from test_domain_kit import ScriptedRegistry

EXAMPLE = Path(__file__).resolve().parent / "data" / "domain-credentials.json"


def cli(*args, env=None):
    return subprocess.run([sys.executable, "-m", "meshfl_domain", *map(str, args)], cwd=support.KIT,
                          capture_output=True, text=True, timeout=60, env=env or {"PATH": "/usr/bin:/bin"})


class CredentialsFile(unittest.TestCase):

    def setUp(self):
        self.dir = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, self.dir)
        self.fields = json.loads(EXAMPLE.read_text(encoding="utf-8"))

    def write(self, **changes):
        fields = dict(self.fields, **changes)
        path = self.dir / "creds.json"
        path.write_text(json.dumps(fields), encoding="utf-8")
        return path

    def test_every_field_maps_to_the_variable_the_commands_read(self):
        credentials = Credentials.load(EXAMPLE)

        environment = credentials.environment()

        self.assertEqual(list(self.fields), list(VARIABLES))
        self.assertEqual(environment["MESHFL_DOMAIN"], "domain-2")
        self.assertEqual(environment["MESHFL_REGISTRY_TOKEN"], self.fields["registryToken"])
        self.assertEqual(environment["AWS_ACCESS_KEY_ID"], "meshfl-0a1b2c3d4e5f-domain-2")
        self.assertEqual(environment["AWS_SECRET_ACCESS_KEY"], self.fields["secretAccessKey"])
        self.assertEqual(environment["MESHFL_S3_ENDPOINT"], "http://127.0.0.1:40124")
        self.assertEqual(environment["MESHFL_SIGNING_KEY_FILE"], self.fields["signingKeyFile"])
        self.assertFalse(credentials.expired())

    def test_a_file_missing_a_field_is_refused_naming_it(self):
        del self.fields["secretAccessKey"]

        with self.assertRaisesRegex(ValueError, "missing secretAccessKey"):
            Credentials.from_json(self.fields)

    def test_the_command_refuses_an_expired_token_with_how_to_renew_it(self):
        path = self.write(registryTokenExpiresAt="2020-01-01T00:00:00Z")

        done = cli("--credentials", path, "round")

        self.assertEqual(done.returncode, 2)
        self.assertIn("expired at 2020-01-01T00:00:00Z", done.stderr)
        self.assertIn("./meshfl domain-credentials domain-2", done.stderr)

    def test_the_command_calls_the_registry_of_the_file_with_its_token_and_model(self):
        server = ThreadingHTTPServer(("127.0.0.1", 0), ScriptedRegistry)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        self.addCleanup(server.server_close)
        self.addCleanup(server.shutdown)
        ScriptedRegistry.requests = []
        ScriptedRegistry.routes = {("GET", "/models/gaussian-mixture-classifier/rounds/current"): (200, {
            "roundId": 7, "model": "gaussian-mixture-classifier", "number": 2, "state": "OPEN"})}
        path = self.write(registryUrl="http://127.0.0.1:%d" % server.server_address[1])

        done = cli("--credentials", path, "round")

        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertEqual(json.loads(done.stdout)["roundId"], 7)
        self.assertEqual(ScriptedRegistry.requests[0][2], "Bearer " + self.fields["registryToken"])


if __name__ == "__main__":
    unittest.main()
