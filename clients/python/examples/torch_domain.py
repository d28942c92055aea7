"""A PyTorch domain: plays one domain of a running local mesh for several rounds, training the model the registry
describes (``architecture``, ``training``) on the domain's own data product with ``torch``::

    ./meshfl demo --domains 3 --rounds 2 --external domain-2 --resubmit &
    ./meshfl domain-credentials domain-2 > domain-2.json
    PYTHONPATH=clients/python python3 clients/python/examples/torch_domain.py domain-2.json --rounds 2

Each round it waits for the round to open, downloads the global model and checks it against the registry's
checksum, loads it into a ``torch.nn`` MLP whose ``state_dict`` names are the global model's (``layers.0.weight``,
``layers.0.bias``, ...), trains on its rows (a seeded 80 % of its data product; the rest is its hold-out), converts
the trained ``state_dict`` with ``meshfl_domain.torch_state``, submits the signed update and reads its verdict.

``--edit-after-signing ROUND`` first uploads, in that round, an update whose ``num_examples`` was changed after it
was signed: the aggregator rejects it ("signature does not verify ..."), the domain reads that reason as its own
verdict and, when the model's policy allows resubmitting (``policy.resubmit``, ``./meshfl demo --resubmit``),
uploads the correct update to the same slot, which is judged again. One JSON line per verdict on standard output.
"""

import argparse
import csv
import io
import json
import sys
import time

import numpy as np

from meshfl_domain import keys
from meshfl_domain import safetensors_file as st
from meshfl_domain import torch_state
from meshfl_domain import update as updates
from meshfl_domain.credentials import Credentials


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("credentials", help="the JSON ./meshfl domain-credentials printed")
    parser.add_argument("--rounds", type=int, default=1, help="rounds to take part in, from the open one")
    parser.add_argument("--edit-after-signing", type=int, metavar="ROUND",
                        help="in this round, first upload an update with num_examples edited after signing")
    parser.add_argument("--timeout", type=float, default=240.0, help="seconds to wait for a round or a verdict")
    args = parser.parse_args(argv)

    import torch

    torch.set_num_threads(1)
    credentials = Credentials.load(args.credentials)
    kit = credentials.kit()
    first = None
    for i in range(args.rounds):
        current = wait_for_open_round(kit, credentials.model, None if first is None else first + i, args.timeout)
        first = current.number if first is None else first
        base = kit.download_global(current, require_verified=True)
        model = Mlp(current.architecture)
        model.load_state_dict(torch_state.to_state_dict(base.file.tensors, base.file.dtypes))
        features, labels = data_product(kit, current)
        trained_rows, metrics = train(model, features, labels, current.training, current.number)
        cap = current.max_examples(credentials.domain)
        if cap is not None and trained_rows > cap:
            raise SystemExit("trained on %d rows, above the registry's cap of %d" % (trained_rows, cap))
        arrays, _ = torch_state.from_state_dict(model.state_dict())
        if current.number == args.edit_after_signing:
            etag = upload_edited_after_signing(kit, current, base, arrays, trained_rows, metrics)
            verdict = kit.wait_for_verdict(current, timeout=args.timeout, interval=0.5, etag=etag) or {}
            report(current, "edited-after-signing", etag, trained_rows + 1, verdict)
            if verdict.get("status") != "REJECTED":
                raise SystemExit("the edited update was not rejected: %s" % verdict)
            if not current.policy.get("resubmit"):
                return
        submitted = kit.submit(current, base, arrays, num_examples=trained_rows, metrics=metrics)
        verdict = kit.wait_for_verdict(current, timeout=args.timeout, interval=0.5, etag=submitted.etag) or {}
        report(current, "submitted", submitted.etag, trained_rows, verdict)


class Mlp:
    """Built lazily so that importing this example needs no torch."""

    def __new__(cls, architecture):
        import torch

        class Model(torch.nn.Module):
            # Only the linear layers are modules, so state_dict names are the global model's: layers.0.weight, ...
            def __init__(self, inputs, hidden, outputs):
                super().__init__()
                widths = [inputs] + list(hidden) + [outputs]
                self.layers = torch.nn.ModuleList(torch.nn.Linear(a, b) for a, b in zip(widths, widths[1:]))

            def forward(self, x):
                for layer in self.layers[:-1]:
                    x = torch.relu(layer(x))
                return self.layers[-1](x)

        if architecture.get("template") != "mlp":
            raise SystemExit("this example trains the 'mlp' template, the model is %r" % architecture.get("template"))
        return Model(int(architecture["inputs"]), architecture.get("hidden") or [], int(architecture["outputs"]))


def wait_for_open_round(kit, model, number, timeout):
    deadline = time.monotonic() + timeout
    while True:
        current = kit.current_round(model)
        if current.is_open and (number is None or current.number == number):
            return current
        if time.monotonic() > deadline:
            raise SystemExit("round %s of %s did not open within %.0f s (newest: %s, %s)"
                             % (number, model, timeout, current.number, current.state))
        time.sleep(0.5)


def data_product(kit, current):
    """The domain's rows from its enrolled data product (a CSV under its own prefix): features and class indices."""
    enrolment = current.enrolment
    if enrolment.get("format") != "csv":
        raise SystemExit("this example reads CSV data products, not %r" % enrolment.get("format"))
    bucket, key = keys.parse_s3_location(enrolment["location"])
    rows = list(csv.DictReader(io.StringIO(kit.store.get(key, bucket=bucket).decode("utf-8"))))
    label = enrolment["labelColumn"]
    names = [c["name"] if isinstance(c, dict) else c for c in enrolment["columns"]]
    features = [name for name in names if name != label]
    x = np.array([[float(row[name]) for name in features] for row in rows], dtype=np.float32)
    y = np.array([int(row[label]) for row in rows], dtype=np.int64)
    return x, y


def train(model, x, y, training, round_number):
    """Local epochs over a seeded 80 % of the rows; loss and accuracy on the other 20 %. Returns the training rows."""
    import torch

    seed = int(training.get("seed", 0)) * 1000 + round_number
    torch.manual_seed(seed)
    order = np.random.default_rng(seed).permutation(len(y))
    held = max(1, len(y) // 5)
    train_rows, hold_out = order[held:], order[:held]
    x_train, y_train = torch.from_numpy(x[train_rows]), torch.from_numpy(y[train_rows])
    rate = float(training.get("learningRate", 0.01))
    optimizer = (torch.optim.Adam(model.parameters(), lr=rate) if training.get("optimizer", "adam") == "adam"
                 else torch.optim.SGD(model.parameters(), lr=rate))
    loss_of = torch.nn.CrossEntropyLoss()
    batch = int(training.get("batchSize", 32))
    model.train()
    for _ in range(int(training.get("localEpochs", 1))):
        shuffled = torch.randperm(len(train_rows))
        for start in range(0, len(train_rows), batch):
            rows = shuffled[start:start + batch]
            optimizer.zero_grad()
            loss = loss_of(model(x_train[rows]), y_train[rows])
            loss.backward()
            optimizer.step()
    model.eval()
    with torch.no_grad():
        logits = model(torch.from_numpy(x[hold_out]))
        truth = torch.from_numpy(y[hold_out])
        metrics = {"loss": float(loss_of(logits, truth)),
                   "accuracy": float((logits.argmax(dim=1) == truth).float().mean())}
    return len(train_rows), metrics


def upload_edited_after_signing(kit, current, base, arrays, rows, metrics):
    """A correctly signed update whose ``num_examples`` is then changed (the signature left as it was), uploaded
    to the domain's slot as it is: what a tampering relay, or a bug after signing, would produce."""
    metadata = updates.UpdateMetadata(current.model, kit.domain, current.number, base.sha256, rows, metrics)
    signed = updates.update_bytes(arrays, metadata, kit.signing_key, base.file.dtypes)
    decoded = st.decode(signed)
    edited = dict(decoded.metadata)
    edited[updates.NUM_EXAMPLES] = str(rows + 1)
    raw = st.encode(decoded.tensors, edited, decoded.dtypes)
    return kit.store.put(keys.update(current.model, current.number, kit.domain), raw)


def report(current, step, etag, num_examples, verdict):
    print(json.dumps({"round": current.number, "step": step, "etag": etag, "numExamples": num_examples,
                      "status": verdict.get("status"), "reason": verdict.get("reason"),
                      "resubmit": bool(current.policy.get("resubmit"))}), flush=True)


if __name__ == "__main__":
    sys.exit(main())
