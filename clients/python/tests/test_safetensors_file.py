import json
import struct
import tempfile
import unittest
from pathlib import Path

import numpy as np

import support  # noqa: F401  (puts the kit on the path)
from meshfl_domain import safetensors_file as st


def raw_file(header, data=b"", pad=b""):
    """A file assembled by hand: 8-byte length, the header bytes as given (plus padding), the data."""
    text = header if isinstance(header, bytes) else json.dumps(header).encode("utf-8")
    text += pad
    return struct.pack("<Q", len(text)) + text + data


def bits(array):
    """The stored bytes of an array, to compare bit for bit (NaN == NaN, -0.0 != 0.0)."""
    return np.ascontiguousarray(array).tobytes()


class RoundTripsAreBitExact(unittest.TestCase):

    def round_trip(self, tensors, dtypes=None):
        raw = st.encode(tensors, {"k": "v"}, dtypes)
        back = st.decode(raw)
        self.assertEqual(st.encode(back.tensors, back.metadata, back.dtypes), raw)
        return back

    def test_f32_keeps_every_bit_including_nan_payloads_negative_zero_and_subnormals(self):
        values = np.array([0.0, -0.0, 1.5, -2.25, np.inf, -np.inf, 1e-45, 3.4028235e38], dtype=np.float32)
        odd_nan = np.array([0x7FC00001, 0xFF800123], dtype=np.uint32).view(np.float32)
        array = np.concatenate([values, odd_nan]).reshape(2, 5)

        back = self.round_trip({"w": array})

        self.assertEqual(back.dtypes["w"], "F32")
        self.assertEqual(back.tensors["w"].shape, (2, 5))
        self.assertEqual(bits(back.tensors["w"]), bits(array))

    def test_f64_keeps_values_float32_cannot_hold(self):
        array = np.array([1e300, -1e-300, np.pi, 5e-324, -0.0], dtype=np.float64)

        back = self.round_trip({"w": array})

        self.assertEqual(back.dtypes["w"], "F64")
        self.assertEqual(back.tensors["w"].dtype, np.float64)
        self.assertEqual(bits(back.tensors["w"]), bits(array))

    def test_f16_keeps_every_bit(self):
        array = np.arange(0, 65536, 97, dtype=np.uint16).view(np.float16)  # every exponent, NaNs and infinities

        back = self.round_trip({"h": array})

        self.assertEqual(back.dtypes["h"], "F16")
        self.assertEqual(bits(back.tensors["h"]), bits(array))

    def test_bf16_every_bit_pattern_survives_read_then_write(self):
        patterns = np.arange(0, 65536, dtype=np.uint16)  # all 65,536, NaNs (signalling too) included
        raw = raw_file({"b": {"dtype": "BF16", "shape": [65536], "data_offsets": [0, 131072]}},
                       patterns.astype("<u2").tobytes())

        back = st.decode(raw)
        rewritten = st.encode(back.tensors, back.metadata, back.dtypes)

        self.assertEqual(back.tensors["b"].dtype, np.float32)
        self.assertEqual(st.decode(rewritten).layout, back.layout)
        self.assertEqual(rewritten[-131072:], patterns.astype("<u2").tobytes())

    def test_bf16_from_float32_rounds_to_nearest_even(self):
        # 1 + 2^-8 is halfway between 1 and 1 + 2^-7: ties go to the even one (1.0); just above goes up
        values = np.array([1 + 2 ** -8, 1 + 2 ** -8 + 2 ** -20, 1 + 3 * 2 ** -8], dtype=np.float32)

        stored = st.bf16_bits(values)

        self.assertEqual([hex(v) for v in stored], ["0x3f80", "0x3f81", "0x3f82"])

    def test_bf16_from_float32_keeps_nan_a_nan(self):
        # payload only in the low half (would round to infinity) and all ones (the rounding add would overflow)
        nans = np.array([0x7F800001, 0xFFFFFFFF, 0x7FC00000], dtype=np.uint32).view(np.float32)

        stored = st.bf16_bits(nans)

        self.assertTrue(np.isnan((stored.astype(np.uint32) << 16).view(np.float32)).all(), [hex(v) for v in stored])

    def test_i64_keeps_the_extremes_as_num_batches_tracked_needs(self):
        array = np.array([0, 1, -1, 2 ** 63 - 1, -2 ** 63], dtype=np.int64)

        back = self.round_trip({"bn.num_batches_tracked": np.array(7, dtype=np.int64), "i": array})

        self.assertEqual(back.dtypes["i"], "I64")
        self.assertEqual(back.tensors["bn.num_batches_tracked"].shape, ())
        self.assertEqual(int(back.tensors["bn.num_batches_tracked"]), 7)
        self.assertEqual(bits(back.tensors["i"]), bits(array))

    def test_mixed_dtypes_scalars_and_empty_tensors_in_one_file(self):
        tensors = {"a": np.ones((2, 3), np.float32), "empty": np.zeros((0, 4), np.float32),
                   "s": np.array(2.5, np.float64), "h": np.ones(3, np.float16), "i": np.arange(4, dtype=np.int64)}

        back = self.round_trip(tensors)

        self.assertEqual([t.name for t in back.layout], ["a", "empty", "s", "h", "i"])
        self.assertEqual(back.metadata, {"k": "v"})

    def test_writer_pads_the_header_with_spaces_to_eight_bytes(self):
        raw = st.encode({"w": np.zeros(1, np.float32)}, {"x": "é"})

        (length,) = struct.unpack("<Q", raw[:8])

        self.assertEqual((8 + length) % 8, 0)
        self.assertTrue(raw[8:8 + length].rstrip(b" ").endswith(b"}"))

    def test_writer_refuses_to_store_floats_as_integers(self):
        with self.assertRaisesRegex(ValueError, "refusing to store float32 values as I64"):
            st.encode({"w": np.ones(2, np.float32)}, dtypes={"w": "I64"})

    def test_files_the_safetensors_package_writes_read_the_same(self):
        try:
            from safetensors.numpy import load, save
        except ImportError:
            self.skipTest("the safetensors package is not installed")
        tensors = {"a": np.arange(6, dtype=np.float32).reshape(2, 3), "b": np.array([1e300], np.float64)}

        mine = st.decode(save(tensors, metadata={"num_examples": "3"}))
        theirs = load(st.encode(tensors, {"num_examples": "3"}))

        for name, array in tensors.items():
            self.assertEqual(bits(mine.tensors[name]), bits(array))
            self.assertEqual(bits(theirs[name]), bits(array))


class MalformedFilesAreRefused(unittest.TestCase):

    GOOD = {"w": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}}

    def refused(self, raw, fragment):
        with self.assertRaises(st.SafetensorsFormatError) as caught:
            st.decode(raw)
        self.assertIn(fragment, str(caught.exception))

    def test_a_well_formed_file_reads(self):
        self.assertEqual(st.decode(raw_file(self.GOOD, bytes(8))).tensors["w"].tolist(), [0.0, 0.0])

    def test_trailing_bytes_after_the_last_tensor(self):
        self.refused(raw_file(self.GOOD, bytes(9)), "trailing bytes")

    def test_truncated_data(self):
        self.refused(raw_file(self.GOOD, bytes(7)), "past the end of the data section")

    def test_byte_order_mark(self):
        self.refused(raw_file(b"\xef\xbb\xbf" + json.dumps(self.GOOD).encode(), bytes(8)), "byte order mark")

    def test_padding_other_than_spaces(self):
        self.refused(raw_file(self.GOOD, bytes(8), pad=b"\n"), "only space (0x20) padding")
        self.refused(raw_file(self.GOOD, bytes(8), pad=b"\x00"), "only space (0x20) padding")

    def test_a_second_json_value(self):
        self.refused(raw_file(self.GOOD, bytes(8), pad=b"{}"), "content after its JSON object")

    def test_leading_whitespace(self):
        self.refused(raw_file(b" " + json.dumps(self.GOOD).encode(), bytes(8)), "must start with '{'")

    def test_a_gap_between_tensors(self):
        header = {"a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]},
                  "b": {"dtype": "F32", "shape": [1], "data_offsets": [8, 12]}}
        self.refused(raw_file(header, bytes(12)), "leaving a gap after byte 4")

    def test_overlapping_tensors(self):
        header = {"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]},
                  "b": {"dtype": "F32", "shape": [1], "data_offsets": [4, 8]}}
        self.refused(raw_file(header, bytes(8)), "overlap")

    def test_offsets_that_do_not_match_dtype_and_shape(self):
        header = {"w": {"dtype": "F64", "shape": [2], "data_offsets": [0, 8]}}
        self.refused(raw_file(header, bytes(8)), "need 16")

    def test_end_before_begin(self):
        header = {"w": {"dtype": "F32", "shape": [0], "data_offsets": [8, 0]}}
        self.refused(raw_file(header, bytes(8)), "before begin")

    def test_offsets_that_are_not_non_negative_integers(self):
        for offsets in ([0.0, 8], [-1, 7], [True, 8], [0, "8"], [0]):
            header = {"w": {"dtype": "F32", "shape": [2], "data_offsets": offsets}}
            with self.subTest(offsets=offsets):
                self.refused(raw_file(header, bytes(8)), "data_offsets")

    def test_header_length_past_the_end_of_the_file(self):
        self.refused(struct.pack("<Q", 1000) + b"{}", "runs past the end")

    def test_duplicate_keys(self):
        text = b'{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}'
        self.refused(raw_file(text, bytes(4)), "duplicate key 'w'")

    def test_nan_literals_and_invalid_utf8(self):
        self.refused(raw_file(b'{"__metadata__":{"x":NaN}}'), "not a JSON number")
        self.refused(raw_file(b'{"\xc0\xaf":{"dtype":"F32","shape":[0],"data_offsets":[0,0]}}'), "not valid UTF-8")

    def test_metadata_values_that_are_not_strings(self):
        self.refused(raw_file({"__metadata__": {"num_examples": 5}}), "is not a string")

    def test_unknown_dtype(self):
        self.refused(raw_file({"w": {"dtype": "F8_E4M3", "shape": [1], "data_offsets": [0, 1]}}, bytes(1)),
                     "unsupported dtype")

    def test_every_file_of_the_shared_refused_corpus(self):
        expected = {}
        for line in (support.REFUSED_CORPUS / "refusals.tsv").read_text(encoding="utf-8").splitlines():
            name, reason = line.split("\t", 1)
            expected[name] = reason
        self.assertGreaterEqual(len(expected), 19)
        for name, reason in expected.items():
            with self.subTest(file=name, java_reason=reason):
                with self.assertRaises(st.SafetensorsFormatError):
                    st.read(support.REFUSED_CORPUS / name)


class ReadingFromDisk(unittest.TestCase):

    def test_write_then_read_a_file_and_its_data_hash(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "w.safetensors"
            raw = st.write(path, {"w": np.arange(3, dtype=np.float32)}, {"a": "b"})

            back = st.read(path)

            import hashlib
            self.assertEqual(back.data_sha256, hashlib.sha256(raw[-12:]).hexdigest())
            self.assertEqual(st.data_sha256(path), back.data_sha256)


if __name__ == "__main__":
    unittest.main()
