"""Plays one domain of a running local mesh for one round, with the credentials ``./meshfl domain-credentials``
printed::

    ./meshfl demo --domains 3 --external domain-2 &          # the rounds wait for domain-2's update
    ./meshfl domain-credentials domain-2 > domain-2.json
    PYTHONPATH=clients/python python3 clients/python/examples/one_round.py domain-2.json

It reads the open round, downloads the global model and checks it against the registry's checksum, stands in for
training by moving every floating-point weight a little (put your PyTorch loop there: torch_state converts), and
submits the signed update to the domain's slot, then waits for the registry's verdict on it (the domain's token
reads its own updates). Prints the submission and the verdict as JSON.
"""

import json
import sys

import numpy as np

from meshfl_domain.credentials import Credentials


def main(path, step=0.01, examples=50):
    credentials = Credentials.load(path)
    kit = credentials.kit()
    current = kit.current_round(credentials.model)
    if not current.is_open:
        raise SystemExit("round %s of %s is %s, not OPEN" % (current.number, current.model, current.state))
    base = kit.download_global(current, require_verified=True)
    trained = {name: (array + step).astype(array.dtype) if np.issubdtype(array.dtype, np.floating) else array
               for name, array in base.file.tensors.items()}
    cap = current.max_examples(credentials.domain)
    rows = min(examples, cap) if cap else examples
    submitted = kit.submit(current, base, trained, num_examples=rows, metrics={"loss": 1.0})
    verdict = kit.wait_for_verdict(current, timeout=120.0, interval=0.5) or {}
    print(json.dumps({"domain": credentials.domain, "round": current.number, "key": submitted.key,
                      "etag": submitted.etag, "numExamples": rows, "status": verdict.get("status"),
                      "reason": verdict.get("reason")}))


if __name__ == "__main__":
    main(sys.argv[1])
