"""The impact preview's memory on disk, so a restarted action server previews at once instead of embedding every
customer question again (minutes at 10,000 questions on a busy 2-core machine).

Two things are kept in one SQLite file next to the knowledge index (``<index_dir>/preview.sqlite``):

- **question vectors**, keyed by the encoder (its model name and a hash of its weights, :func:`encoder_key`) and
  the SHA-256 of the exact text embedded: a text is embedded once per encoder, whatever the handbook version;
- **rankings**, each question's best entries on the handbook version they were computed on, with what that
  version's entries looked like (one signature per entry, helpdesk/knowledge/preview_cache.py) and the scoring
  settings: the memory carries them over to the version served after the restart as it does after a publish.

:class:`PreviewStore` is the one interface; nothing else reads the file. Several processes may share it (SQLite
locks it; WAL journal). A file that cannot be read or written is logged and the preview goes on without it.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import logging
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from helpdesk.knowledge.embedder import Embedder
from helpdesk.knowledge.settings import Settings

logger = logging.getLogger(__name__)

FILE_NAME = "preview.sqlite"
CHUNK = 500  # texts per SELECT ... IN (...)

SCHEMA = """
CREATE TABLE IF NOT EXISTS question_vectors (
    encoder TEXT NOT NULL, text_hash BLOB NOT NULL, dim INTEGER NOT NULL, vector BLOB NOT NULL,
    PRIMARY KEY (encoder, text_hash)
);
CREATE TABLE IF NOT EXISTS ranking_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS ranking_entries (entry_id TEXT PRIMARY KEY, signature TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS rankings (
    question TEXT PRIMARY KEY, texts TEXT NOT NULL, ids TEXT NOT NULL, scores TEXT NOT NULL
);
"""


@functools.cache
def _weights_stamp(model: str) -> str:
    """A hash of the model's weights, config and tokenizer (the ONNX export's stamp); the name alone when the
    files cannot be read."""
    try:
        from helpdesk.knowledge.embedder import resolve_model_path
        from nlu_addons.export_onnx import source_hash

        return source_hash(Path(resolve_model_path(model)))
    except Exception:  # noqa: BLE001 - any failure: key by the name (a model swap under one name is not seen)
        return "unhashed"


def encoder_key(embedder: Embedder) -> str:
    """What a question vector depends on besides its text: the model and its weights."""
    graph = "" if embedder.graph == "fp32" else f":{embedder.graph}"
    return f"{embedder.model_name}:{_weights_stamp(embedder.model_name)}{graph}"


def ranking_key(settings: Settings) -> str:
    """The scoring settings a ranking depends on besides the entries' texts and weights (their signatures)."""
    terms = (
        settings.second_hit_weight,
        settings.centroid_weight,
        settings.centroid_questions_only,
        settings.sentence_weight,
        settings.spelling_edits,
    )
    return json.dumps(terms)


def text_hash(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8")).digest()


@dataclass(frozen=True)
class StoredRanking:
    texts: tuple[str, ...]
    ids: list[str]
    scores: list[float]


class PreviewStore:
    """Question vectors and rankings in ``path`` (created on first use); thread-safe."""

    def __init__(self, path: Path, encoder: str, scoring: str) -> None:
        self.path = path
        self.encoder = encoder
        self.scoring = scoring
        self._lock = threading.Lock()
        self._connection: sqlite3.Connection | None = None

    @classmethod
    def for_engine(cls, index_dir: Path, embedder: Embedder, settings: Settings) -> PreviewStore:
        return cls(Path(index_dir) / FILE_NAME, encoder_key(embedder), ranking_key(settings))

    @contextlib.contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            if self._connection is None:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                connection = sqlite3.connect(self.path, timeout=30, check_same_thread=False)
                connection.execute("PRAGMA journal_mode=WAL")
                connection.execute("PRAGMA synchronous=NORMAL")
                connection.executescript(SCHEMA)
                self._connection = connection
            with self._connection:  # one transaction
                yield self._connection

    def close(self) -> None:
        with self._lock:
            if self._connection is not None:
                self._connection.close()
                self._connection = None

    # ------------------------------------------------------------------ vectors

    def vectors(self, texts: Iterable[str]) -> dict[str, np.ndarray]:
        """The stored vectors of those ``texts`` that have one (for this encoder)."""
        wanted = {text_hash(text): text for text in dict.fromkeys(texts)}
        found: dict[str, np.ndarray] = {}
        hashes = list(wanted)
        with self._db() as db:
            for start in range(0, len(hashes), CHUNK):
                chunk = hashes[start : start + CHUNK]
                rows = db.execute(
                    f"SELECT text_hash, dim, vector FROM question_vectors WHERE encoder = ? "  # noqa: S608 - marks only
                    f"AND text_hash IN ({','.join('?' * len(chunk))})",
                    [self.encoder, *chunk],
                )
                for digest, dim, blob in rows:
                    vector = np.frombuffer(blob, dtype=np.float32)
                    if len(vector) == dim:
                        found[wanted[bytes(digest)]] = vector
        return found

    def add_vectors(self, texts: list[str], vectors: np.ndarray) -> None:
        rows = [
            (self.encoder, text_hash(text), int(vector.shape[0]), np.ascontiguousarray(vector, np.float32).tobytes())
            for text, vector in zip(texts, vectors, strict=True)
        ]
        with self._db() as db:
            db.executemany("INSERT OR REPLACE INTO question_vectors VALUES (?, ?, ?, ?)", rows)

    def vector_count(self) -> int:
        with self._db() as db:
            (count,) = db.execute("SELECT COUNT(*) FROM question_vectors WHERE encoder = ?", [self.encoder]).fetchone()
        return int(count)

    # ------------------------------------------------------------------ rankings

    def load_rankings(self) -> tuple[dict[str, str], dict[str, StoredRanking]]:
        """The entry signatures of the version the stored rankings were made on, and the rankings; both empty when
        none were stored for this encoder and these scoring settings."""
        with self._db() as db:
            meta = dict(db.execute("SELECT key, value FROM ranking_meta").fetchall())
            if meta.get("encoder") != self.encoder or meta.get("scoring") != self.scoring:
                return {}, {}
            signatures = dict(db.execute("SELECT entry_id, signature FROM ranking_entries").fetchall())
            rows = {
                question: StoredRanking(tuple(json.loads(texts)), json.loads(ids), json.loads(scores))
                for question, texts, ids, scores in db.execute("SELECT question, texts, ids, scores FROM rankings")
            }
        return signatures, rows

    def save_version(self, signatures: dict[str, str], rankings: dict[str, StoredRanking]) -> None:
        """Replace everything stored about rankings: a new handbook version and every question's ranking on it."""
        with self._db() as db:
            db.execute("DELETE FROM ranking_meta")
            db.executemany(
                "INSERT INTO ranking_meta VALUES (?, ?)", [("encoder", self.encoder), ("scoring", self.scoring)]
            )
            db.execute("DELETE FROM ranking_entries")
            db.executemany("INSERT INTO ranking_entries VALUES (?, ?)", sorted(signatures.items()))
            db.execute("DELETE FROM rankings")
            db.executemany("INSERT INTO rankings VALUES (?, ?, ?, ?)", _ranking_rows(rankings))

    def add_rankings(self, rankings: dict[str, StoredRanking]) -> None:
        """More questions ranked on the stored version."""
        with self._db() as db:
            db.executemany("INSERT OR REPLACE INTO rankings VALUES (?, ?, ?, ?)", _ranking_rows(rankings))

    def forget_rankings(self, questions: Iterable[str]) -> None:
        with self._db() as db:
            db.executemany("DELETE FROM rankings WHERE question = ?", [(q,) for q in questions])


def _ranking_rows(rankings: dict[str, StoredRanking]) -> list[tuple[str, str, str, str]]:
    return [
        (question, json.dumps(list(r.texts)), json.dumps(r.ids), json.dumps(r.scores))
        for question, r in rankings.items()
    ]
