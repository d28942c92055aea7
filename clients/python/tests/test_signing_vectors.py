"""The signing vectors the Java tests write (functions/core/src/test/resources/signing-vectors): what Java signed
verifies here, and this kit computes the same payload and, Ed25519 being deterministic, the same signature."""

import base64
import unittest

import support
from meshfl_domain import safetensors_file as st
from meshfl_domain import signing
from meshfl_domain import update as updates


class JavaMadeVectors(unittest.TestCase):

    def setUp(self):
        self.raw = (support.SIGNING_VECTORS / "update.safetensors").read_bytes()
        self.key = signing.load_private_key(support.vector_text("test-only-key.pem"))
        self.public = signing.load_public_key(support.vector_text("public-key.txt"))

    def test_the_payload_of_the_java_update_is_the_committed_payload(self):
        metadata, layout, _ = st.read_header(self.raw)

        payload = signing.signing_payload(metadata, layout)

        self.assertEqual(payload.hex(), support.vector_text("payload.hex"))

    def test_the_java_signature_verifies_with_the_vector_public_key(self):
        metadata, layout, _ = st.read_header(self.raw)

        self.assertEqual(metadata["signature"], support.vector_text("signature.txt"))
        self.assertTrue(signing.verify(self.public, signing.signing_payload(metadata, layout), metadata["signature"]))

    def test_signing_the_committed_payload_with_the_test_key_gives_the_committed_signature(self):
        payload = bytes.fromhex(support.vector_text("payload.hex"))

        self.assertEqual(signing.sign(self.key, payload), support.vector_text("signature.txt"))

    def test_re_signing_the_java_update_reproduces_its_signature_and_data(self):
        resigned = updates.sign_bytes(self.raw, self.key)

        metadata, layout, offset = st.read_header(resigned)
        self.assertEqual(metadata["signature"], support.vector_text("signature.txt"))
        self.assertEqual(resigned[offset:], self.raw[st.read_header(self.raw)[2]:])
        self.assertEqual(signing.signing_payload(metadata, layout).hex(), support.vector_text("payload.hex"))

    def test_the_test_key_has_the_committed_public_key(self):
        self.assertEqual(signing.public_key_base64(self.key), support.vector_text("public-key.txt"))

    def test_the_java_update_passes_the_kits_full_check(self):
        metadata = updates.check_update(self.raw, self.public, "churn-mlp", "domaine-α", 3, "9f" * 32, 1200)

        self.assertEqual(metadata["num_examples"], "1200")
        self.assertEqual(updates.update_key(metadata), "models/churn-mlp/rounds/3/updates/domaine-α.safetensors")

    def test_an_edit_of_any_signed_entry_breaks_the_java_signature(self):
        metadata, layout, _ = st.read_header(self.raw)
        for key in sorted(k for k in metadata if k != "signature"):
            edited = dict(metadata)
            edited[key] = metadata[key] + " "
            with self.subTest(key=key):
                self.assertFalse(signing.verify(self.public, signing.signing_payload(edited, layout),
                                                metadata["signature"]))

    def test_the_vector_exercises_what_the_layout_must_get_right(self):
        metadata, layout, _ = st.read_header(self.raw)

        self.assertTrue(any(ord(c) > 127 for c in metadata["domain"]))     # sorting and lengths by UTF-8 bytes
        self.assertIn(("échelle", "F64", ()), [(t.name, t.dtype, t.shape) for t in layout])  # a scalar: ""
        self.assertEqual(len(base64.b64decode(metadata["signature"])), 64)


if __name__ == "__main__":
    unittest.main()
