"""Every handbook text's embedding, kept while a live index row uses it: a sync embeds only the texts it lacks."""

from __future__ import annotations

import logging
from collections.abc import Iterable

import numpy as np

from helpdesk.knowledge.embedder import Embedder, Progress
from helpdesk.knowledge.entry_texts import entry_texts
from helpdesk.knowledge.handbook import Entry
from helpdesk.knowledge.settings import Settings

logger = logging.getLogger(__name__)


class VectorCache:
    """Text → raw unit vector, with how many live rows embed each text; not thread-safe (used under the sync lock)."""

    def __init__(self, embedder: Embedder, settings: Settings) -> None:
        self.embedder = embedder
        self.settings = settings
        self.vectors: dict[str, np.ndarray] = {}
        self.refs: dict[str, int] = {}  # text → live rows embedding it (to drop unused vectors)
        self.dim: int | None = None  # the embedding size, once known

    def restore(self, vectors: dict[str, np.ndarray], dim: int) -> None:
        """Start from stored vectors (persistence), before any row counts them."""
        self.vectors, self.dim = vectors, dim

    def embed_missing(self, entries: Iterable[Entry], progress: Progress | None) -> tuple[int, int]:
        """Embed the texts of ``entries`` that the cache lacks; returns (entries, texts) embedded.

        When the model's embedding size differs from the cached one, everything is forgotten and embedded again.
        """
        entries = list(entries)
        missing: list[str] = []
        wanted: set[str] = set()
        embedded_entries = 0
        for entry in sorted(entries, key=lambda item: item.id):
            texts, _ = entry_texts(entry, self.settings)
            new = [text for text in texts if text not in self.vectors and text not in wanted]
            if any(text not in self.vectors for text in texts):
                embedded_entries += 1
            missing += new
            wanted.update(new)
        if missing:
            vectors = self.embedder.encode(missing, progress)
            dim = int(vectors.shape[1])
            if self.dim is not None and dim != self.dim:
                logger.warning("embedding size changed from %d to %d: re-embedding everything", self.dim, dim)
                self.vectors, self.refs, self.dim = {}, {}, dim
                return self.embed_missing(entries, progress)
            self.dim = dim
            self.vectors.update(zip(missing, vectors, strict=True))
        return embedded_entries, len(missing)

    def stack(self, texts: list[str]) -> np.ndarray:
        """The cached vectors of ``texts``, one row each (contiguous float32)."""
        vectors = np.stack([self.vectors[text] for text in texts]) if texts else self.empty()
        return np.ascontiguousarray(vectors, dtype=np.float32)

    def empty(self) -> np.ndarray:
        return np.zeros((0, self.dim or 0), np.float32)

    def count(self, texts: Iterable[str], delta: int) -> None:
        """``delta`` more (or fewer) live rows embed each of ``texts``."""
        for text in texts:
            self.refs[text] = self.refs.get(text, 0) + delta

    def prune(self, candidates: Iterable[str]) -> None:
        """Forget the vectors of texts no live row uses any more."""
        for text in candidates:
            if self.refs.get(text, 0) <= 0:
                self.refs.pop(text, None)
                self.vectors.pop(text, None)
