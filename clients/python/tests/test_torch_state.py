import importlib.util
import subprocess
import sys
import unittest

import numpy as np

import support
from meshfl_domain import safetensors_file as st
from meshfl_domain import torch_state

HAS_TORCH = importlib.util.find_spec("torch") is not None


class KitWithoutTorch(unittest.TestCase):

    def test_importing_the_kit_does_not_import_torch(self):
        code = "import sys, meshfl_domain, meshfl_domain.cli, meshfl_domain.torch_state; print('torch' in sys.modules)"

        out = subprocess.run([sys.executable, "-c", code], cwd=support.KIT, capture_output=True, text=True,
                             check=True)

        self.assertEqual(out.stdout.strip(), "False")


@unittest.skipUnless(HAS_TORCH, "PyTorch is not installed (Debian: python3-torch)")
class StateDictRoundTrips(unittest.TestCase):

    def test_a_state_dict_of_every_dtype_survives_safetensors_bit_for_bit(self):
        import torch

        torch.manual_seed(7)
        model = torch.nn.Sequential(torch.nn.Linear(4, 3), torch.nn.BatchNorm1d(3), torch.nn.Linear(3, 2))
        model(torch.randn(8, 4))  # one training step's statistics: num_batches_tracked = 1
        state = dict(model.state_dict())
        state["half"] = torch.randn(5).half()
        state["brain"] = torch.randn(5).bfloat16()
        state["double"] = torch.tensor([1e300, -1e-300], dtype=torch.float64)

        arrays, dtypes = torch_state.from_state_dict(state)
        back = st.decode(st.encode(arrays, dtypes=dtypes))
        restored = torch_state.to_state_dict(back.tensors, back.dtypes)

        self.assertEqual(list(restored), list(state))
        self.assertEqual(back.dtypes["1.num_batches_tracked"], "I64")
        self.assertEqual(back.dtypes["brain"], "BF16")
        for name, tensor in state.items():
            with self.subTest(tensor=name):
                self.assertEqual(restored[name].dtype, tensor.dtype)
                self.assertTrue(torch.equal(restored[name], tensor))
                self.assertEqual(restored[name].reshape(-1).view(torch.uint8).numpy().tobytes(),
                                 tensor.reshape(-1).view(torch.uint8).numpy().tobytes())
        model.load_state_dict({k: v for k, v in restored.items() if k not in ("half", "brain", "double")})

    def test_a_non_contiguous_or_grad_tensor_is_taken_as_its_values(self):
        import torch

        weight = torch.arange(6, dtype=torch.float32).reshape(2, 3).t().requires_grad_(False)
        arrays, dtypes = torch_state.from_state_dict({"w": weight})

        self.assertEqual(arrays["w"].tolist(), weight.tolist())
        self.assertEqual(dtypes, {"w": "F32"})
        self.assertTrue(np.array_equal(st.decode(st.encode(arrays, dtypes=dtypes)).tensors["w"], arrays["w"]))


if __name__ == "__main__":
    unittest.main()
