"""The FAQ engine's two embedding backends: ONNX Runtime on the exported model and sentence-transformers.

`make test` runs `make train`, which exports the model (`make onnx-model`), so the export is there.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

import nlu_addons
from helpdesk.knowledge.embedder import Embedder, ModelUnavailableError, onnx_export_of, resolve_model_path

TEXTS = [
    "what is your refund policy?",
    "hi",
    "Kann ich mit PayPal bezahlen?",
    # longer than the model's 256 word pieces: both backends must truncate the same way
    "the sofa arrived with a scratch on the left arm and the cushions are the wrong colour " * 12,
]


@pytest.fixture(scope="module")
def torch_vectors() -> np.ndarray:
    embedder = Embedder(threads=1, backend="sentence-transformers")
    vectors = embedder.encode(TEXTS)
    assert embedder.backend == "sentence-transformers"
    return vectors


def test_onnx_backend_is_used_and_gives_the_same_vectors(torch_vectors: np.ndarray) -> None:
    embedder = Embedder(threads=1)
    vectors = embedder.encode(TEXTS)
    assert embedder.backend == "onnxruntime"
    assert vectors.shape == torch_vectors.shape == (len(TEXTS), 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert float(np.abs(vectors - torch_vectors).max()) < 1e-5
    # same order of results whatever the batch: a batch of one gives the same row
    assert float(np.abs(embedder.encode(TEXTS[:1])[0] - vectors[0]).max()) < 1e-5


def test_vocabulary_is_the_same_from_either_backend() -> None:
    onnx = Embedder(threads=1)
    torch = Embedder(threads=1, backend="sentence-transformers")
    assert onnx.vocabulary() == torch.vocabulary()
    assert {"order", "delivery"} <= (onnx.vocabulary() or frozenset())


@pytest.fixture()
def stale_export(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the export whose stamp no longer matches the shipped weights."""
    source = nlu_addons.DEFAULT_MODEL_DIR
    copy = tmp_path / "onnx"
    shutil.copytree(source, copy)
    stamp = json.loads((copy / "export.json").read_text())
    stamp["source_hash"] = "0" * 64
    (copy / "export.json").write_text(json.dumps(stamp))
    monkeypatch.setattr(nlu_addons, "DEFAULT_MODEL_DIR", copy)
    return copy


def test_a_stale_export_is_not_used(stale_export: Path, torch_vectors: np.ndarray) -> None:
    assert onnx_export_of(resolve_model_path("all-MiniLM-L6-v2")) is None
    embedder = Embedder(threads=1)
    vectors = embedder.encode(TEXTS)
    assert embedder.backend == "sentence-transformers"
    assert float(np.abs(vectors - torch_vectors).max()) < 1e-6
    with pytest.raises(ModelUnavailableError, match="make onnx-model"):
        Embedder(backend="onnxruntime").load()


def test_unknown_backend_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown embedding backend"):
        Embedder(backend="tensorflow")


def test_encode_remembered_embeds_only_the_texts_it_does_not_remember() -> None:
    embedder = Embedder(threads=1, remember=3)
    texts = ["my rug slips on the floor", "can I hire the showroom", "my rug slips on the floor"]
    rows = embedder.encode_remembered(texts)
    assert embedder.texts_encoded == 2  # the repeated text once
    assert float(np.abs(rows - embedder.encode(texts)).max()) < 1e-6
    counted = embedder.texts_encoded

    def embedded(batch: list[str]) -> int:
        before = embedder.texts_encoded
        assert embedder.encode_remembered(batch).shape == (len(batch), 384)
        return embedder.texts_encoded - before

    assert embedded(["can I hire the showroom", "gift wrapping?"]) == 1
    assert embedded(["do you deliver on sundays"]) == 1  # four texts seen, room for three: the rug goes
    assert embedded(["do you deliver on sundays", "gift wrapping?", "can I hire the showroom"]) == 0
    assert embedded(["my rug slips on the floor"]) == 1
    assert embedder.texts_encoded == counted + 3
    assert embedder.encode_remembered([]).shape == (0, 384)
