"""An update as the kit writes it, taken apart by hand with struct, json, hashlib and cryptography only: the
metadata layout and the payload as clients/python/README.md documents them, independent of Java and of the
kit's own reader."""

import base64
import hashlib
import json
import struct
import unittest

import numpy as np
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

import support  # noqa: F401
from meshfl_domain import safetensors_file as st
from meshfl_domain import signing
from meshfl_domain import update as updates

BASE = "ab" * 32


def by_hand(raw):
    (length,) = struct.unpack("<Q", raw[:8])
    return json.loads(raw[8:8 + length].decode("utf-8")), raw[8 + length:]


def documented_payload(header):
    """The README's layout, written out again here from the prose, not from the kit."""
    def s(text):
        data = text.encode("utf-8")
        return len(data).to_bytes(4, "big") + data

    metadata = header["__metadata__"]
    keys = sorted((k for k in metadata if k != "signature"), key=lambda k: k.encode("utf-8"))
    out = s("meshfl-update-v2") + len(keys).to_bytes(4, "big")
    for key in keys:
        out += s(key) + s(metadata[key])
    tensors = sorted(((name, t) for name, t in header.items() if name != "__metadata__"),
                     key=lambda item: tuple(item[1]["data_offsets"]))
    out += len(tensors).to_bytes(4, "big")
    for name, t in tensors:
        out += s(name) + s(t["dtype"]) + s(",".join(str(d) for d in t["shape"]))
        out += s(str(t["data_offsets"][0])) + s(str(t["data_offsets"][1]))
    return out


class WrittenUpdateLayout(unittest.TestCase):

    def setUp(self):
        self.key = Ed25519PrivateKey.generate()
        self.global_model = st.decode(st.encode(
            {"layers.0.weight": np.zeros((2, 3), np.float32), "layers.0.bias": np.zeros(2, np.float32),
             "bn.num_batches_tracked": np.array(0, np.int64)}))
        self.tensors = {"layers.0.bias": np.array([0.5, -1], np.float32),
                        "bn.num_batches_tracked": np.array(12, np.int64),
                        "layers.0.weight": np.arange(6, dtype=np.float32).reshape(2, 3)}
        self.metadata = updates.UpdateMetadata("churn", "retail", 4, BASE, 640, {"loss": 0.25, "accuracy": 0.875})

    def write(self, **kwargs):
        return updates.update_bytes(self.tensors, self.metadata, self.key, self.global_model.dtypes, **kwargs)

    def test_the_metadata_is_exactly_the_documented_entries_as_strings(self):
        header, data = by_hand(self.write())
        metadata = header["__metadata__"]

        self.assertEqual(set(metadata), {"signature_scheme", "model", "domain", "base_round", "base_model_sha256",
                                         "num_examples", "metrics", "sha256", "signature"})
        self.assertTrue(all(isinstance(v, str) for v in metadata.values()))
        self.assertEqual(metadata["signature_scheme"], "meshfl-update-v2")
        self.assertEqual((metadata["model"], metadata["domain"], metadata["base_round"]), ("churn", "retail", "4"))
        self.assertEqual((metadata["base_model_sha256"], metadata["num_examples"]), (BASE, "640"))
        self.assertEqual(json.loads(metadata["metrics"]), {"loss": 0.25, "accuracy": 0.875})
        self.assertEqual(metadata["sha256"], hashlib.sha256(data).hexdigest())

    def test_the_signature_is_base64_ed25519_over_the_documented_payload(self):
        header, _ = by_hand(self.write())
        signature = base64.b64decode(header["__metadata__"]["signature"], validate=True)

        self.key.public_key().verify(signature, documented_payload(header))  # raises if it does not verify
        self.assertEqual(len(header["__metadata__"]["signature"]), 88)

    def test_the_kits_payload_is_the_documented_one(self):
        raw = self.write()
        header, _ = by_hand(raw)
        metadata, layout, _ = st.read_header(raw)

        self.assertEqual(signing.signing_payload(metadata, layout), documented_payload(header))

    def test_tensors_keep_the_callers_order_and_the_global_models_dtypes(self):
        header, _ = by_hand(self.write())

        names = [n for n in header if n != "__metadata__"]
        self.assertEqual(names, ["layers.0.bias", "bn.num_batches_tracked", "layers.0.weight"])
        self.assertEqual(header["bn.num_batches_tracked"]["dtype"], "I64")

    def test_tensor_order_is_free_for_the_check_against_the_global_model(self):
        raw = self.write()

        metadata = updates.check_update(raw, self.key.public_key(), "churn", "retail", 4, BASE, 640,
                                        self.global_model)

        self.assertEqual(updates.update_key(metadata), "models/churn/rounds/4/updates/retail.safetensors")

    def test_extra_metadata_entries_are_signed_too(self):
        raw = self.write(extra_metadata={"framework": "torch 1.13"})
        header, _ = by_hand(raw)

        self.assertEqual(header["__metadata__"]["framework"], "torch 1.13")
        self.key.public_key().verify(base64.b64decode(header["__metadata__"]["signature"]), documented_payload(header))


class RefusedBeforeUpload(unittest.TestCase):
    """``check_update`` refuses what the aggregator would, with its reason, so a domain does not lose its slot."""

    def setUp(self):
        self.key = Ed25519PrivateKey.generate()
        self.raw = updates.update_bytes({"w": np.ones(2, np.float32)},
                                        updates.UpdateMetadata("m", "d", 2, BASE, 10, {}), self.key)

    def edited(self, key, value):
        header, data = by_hand(self.raw)
        header["__metadata__"][key] = value
        text = json.dumps(header).encode("utf-8")
        return struct.pack("<Q", len(text)) + text + data

    def refused(self, raw, fragment, **expected):
        with self.assertRaises(updates.UpdateRefused) as caught:
            updates.check_update(raw, self.key.public_key(), **expected)
        self.assertIn(fragment, str(caught.exception))

    def test_an_edited_field_fails_as_an_edit(self):
        self.refused(self.edited("num_examples", "11"), "signature does not verify")

    def test_another_key(self):
        with self.assertRaises(updates.UpdateRefused):
            updates.check_update(self.raw, Ed25519PrivateKey.generate().public_key())

    def test_the_wrong_round_model_domain_base_or_too_many_examples(self):
        self.refused(self.raw, "base_round is 2, expected 3", base_round=3)
        self.refused(self.raw, "model is 'm'", model="other")
        self.refused(self.raw, "domain is 'd'", domain="other")
        self.refused(self.raw, "base_model_sha256 is", base_model_sha256="cd" * 32)
        self.refused(self.raw, "above the cap of 9", max_examples=9)

    def test_a_v1_file_without_a_scheme_and_an_unknown_scheme(self):
        header, data = by_hand(self.raw)
        del header["__metadata__"]["signature_scheme"]
        text = json.dumps(header).encode("utf-8")
        self.refused(struct.pack("<Q", len(text)) + text + data, "no 'signature_scheme'")
        self.refused(self.edited("signature_scheme", "meshfl-update-v3"), "unknown signature_scheme")

    def test_non_canonical_numbers(self):
        for value in ("+10", "010", " 10", "0", "-1", "1e1", "9223372036854775808"):
            with self.subTest(value=value):
                self.refused(self.edited("num_examples", value), "not a positive canonical integer")

    def test_a_wrong_dtype_or_missing_tensor_against_the_global_model(self):
        global_model = st.decode(st.encode({"w": np.ones(2, np.float64)}))
        with self.assertRaisesRegex(updates.UpdateRefused, "dtype F32, expected F64"):
            updates.check_update(self.raw, None, global_model=global_model)
        global_model = st.decode(st.encode({"w": np.ones(2, np.float32), "v": np.ones(1, np.float32)}))
        with self.assertRaisesRegex(updates.UpdateRefused, "'v' is missing"):
            updates.check_update(self.raw, None, global_model=global_model)

    def test_writing_refuses_what_it_cannot_sign_faithfully(self):
        with self.assertRaisesRegex(ValueError, "JSON has no NaN"):
            updates.UpdateMetadata("m", "d", 1, BASE, 1, {"loss": float("nan")}).to_map()
        with self.assertRaisesRegex(ValueError, "num_examples must be a positive integer"):
            updates.UpdateMetadata("m", "d", 1, BASE, 0, {}).to_map()
        with self.assertRaisesRegex(ValueError, "MeshFL reads"):
            updates.update_bytes({"w": np.ones(1, np.int32)}, updates.UpdateMetadata("m", "d", 1, BASE, 1, {}),
                                 self.key)


if __name__ == "__main__":
    unittest.main()
