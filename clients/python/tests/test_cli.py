"""``python3 -m meshfl_domain`` as a domain runs it from a shell, in a child process."""

import json
import shutil
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

import numpy as np

import support
from meshfl_domain import safetensors_file as st


def cli(*args):
    return subprocess.run([sys.executable, "-m", "meshfl_domain", *map(str, args)], cwd=support.KIT,
                          capture_output=True, text=True, timeout=60)


class CommandLine(unittest.TestCase):

    def setUp(self):
        self.dir = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, self.dir)
        self.key = self.dir / "key.pem"
        keygen = cli("keygen", "--out", self.key)
        self.assertEqual(keygen.returncode, 0, keygen.stderr)
        self.public = keygen.stdout.strip()
        self.global_model = self.dir / "global.safetensors"
        st.write(self.global_model, {"w": np.zeros((2, 2), np.float32), "b": np.zeros(2, np.float64)})
        self.weights = self.dir / "weights.safetensors"
        st.write(self.weights, {"b": np.array([1, 2], np.float32), "w": np.eye(2, dtype=np.float32)})
        self.update = self.dir / "update.safetensors"

    def write_update(self):
        done = cli("write-update", "--weights", self.weights, "--out", self.update, "--model", "churn",
                   "--domain", "crm", "--round", 3, "--global", self.global_model, "--num-examples", 640,
                   "--metrics", '{"loss": 0.5}', "--key", self.key)
        self.assertEqual(done.returncode, 0, done.stderr)
        return done

    def test_write_update_then_verify_against_the_global_model(self):
        written = self.write_update()

        verified = cli("verify", self.update, "--public-key", self.public, "--model", "churn", "--domain", "crm",
                       "--round", 3, "--global", self.global_model)

        self.assertEqual(written.stdout.strip(), "models/churn/rounds/3/updates/crm.safetensors")
        self.assertEqual(verified.returncode, 0, verified.stderr)
        self.assertEqual(st.read(self.update).dtypes, {"b": "F64", "w": "F32"})  # the global model's dtypes

    def test_verify_exits_1_with_the_reason_for_another_domains_key(self):
        self.write_update()
        other = cli("keygen", "--out", self.dir / "other.pem").stdout.strip()

        verified = cli("verify", self.update, "--public-key", other)

        self.assertEqual(verified.returncode, 1)
        self.assertIn("signature does not verify", verified.stderr)

    def test_sign_in_place_a_file_another_writer_made(self):
        st.write(self.update, {"w": np.ones(1, np.float32)}, {"model": "m", "domain": "d", "base_round": "1",
                                                               "base_model_sha256": "0" * 64, "num_examples": "5",
                                                               "metrics": "{}", "format": "pt"})

        signed = cli("sign", self.update, "--key", self.key)
        verified = cli("verify", self.update, "--public-key", self.public)
        payload = cli("payload", self.update)

        self.assertEqual(signed.returncode, 0, signed.stderr)
        self.assertEqual(verified.returncode, 0, verified.stderr)
        self.assertTrue(payload.stdout.startswith("000000106d657368666c2d7570646174652d7632"))

    def test_sign_refuses_a_file_missing_a_required_entry(self):
        st.write(self.update, {"w": np.ones(1, np.float32)}, {"model": "m"})

        signed = cli("sign", self.update, "--key", self.key)

        self.assertNotEqual(signed.returncode, 0)
        self.assertIn("'domain'", signed.stderr)

    def test_inspect_prints_layout_metadata_and_hash(self):
        self.write_update()

        out = json.loads(cli("inspect", self.update).stdout)

        self.assertEqual([t["name"] for t in out["tensors"]], ["b", "w"])
        self.assertEqual(out["metadata"]["sha256"], out["dataSha256"])

    def test_a_malformed_file_is_refused_with_exit_1(self):
        bad = support.REFUSED_CORPUS / "trailing-text.safetensors"

        done = cli("inspect", bad)

        self.assertEqual(done.returncode, 1)
        self.assertIn("content after its JSON object", done.stderr)

    def test_registry_commands_say_what_is_missing(self):
        done = subprocess.run([sys.executable, "-m", "meshfl_domain", "round", "--model", "m"], cwd=support.KIT,
                              capture_output=True, text=True, timeout=60, env={"PATH": "/usr/bin:/bin"})

        self.assertEqual(done.returncode, 2)
        self.assertIn("no registry URL", done.stderr)


if __name__ == "__main__":
    unittest.main()
