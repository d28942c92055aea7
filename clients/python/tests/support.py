"""Shared by the kit's tests: puts the kit on the path and names the files shared with the Java tests."""

import sys
from pathlib import Path

KIT = Path(__file__).resolve().parents[1]
REPO = KIT.parents[1]
if str(KIT) not in sys.path:
    sys.path.insert(0, str(KIT))

# Written by the Java tests' io.meshfl.core.update.SigningVectors; SigningVectorsTest keeps them current.
SIGNING_VECTORS = REPO / "functions/core/src/test/resources/signing-vectors"
# Files the Java reader refuses, with the reason (refusals.tsv); the kit must refuse every one too.
REFUSED_CORPUS = REPO / "functions/core/src/test/resources/safetensors-refused"


def vector_text(name):
    return (SIGNING_VECTORS / name).read_text(encoding="ascii").strip()
