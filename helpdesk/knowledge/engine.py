"""The knowledge engine's facade: :class:`KnowledgeBase`, the searchable handbook (build, refresh, search, decide,
watch, save), thread-safe and hot-reloadable.

Its parts: :mod:`~helpdesk.knowledge.embedder` (sentence embeddings), :mod:`~helpdesk.knowledge.entry_texts`
(what an entry is embedded as), :mod:`~helpdesk.knowledge.query` (what a question is embedded as),
:mod:`~helpdesk.knowledge.vector_cache` (every text's vector, so only new texts are embedded),
:mod:`~helpdesk.knowledge.snapshot` and :mod:`~helpdesk.knowledge.scoring` (the searchable state and how an entry
scores), :mod:`~helpdesk.knowledge.vector_index` (the FAISS index), :mod:`~helpdesk.knowledge.decision` (answer,
suggest or hand off), :mod:`~helpdesk.knowledge.handbook_files` (which files changed) and
:mod:`~helpdesk.knowledge.persistence` (the state on disk). How it scores and the measurements behind every
setting: docs/knowledge-engine-experiments.md.

Updates are incremental. A watcher tick stats every file and reads only those whose mtime or size
changed (and parses only those whose content hash changed); an edited entry gets new row ids for
its texts (only texts the cache lacks are embedded) and only its rows leave and enter the index:
flat and IVF remove them, HNSW keeps them as tombstones that searches skip, and the index is rebuilt
once tombstones pass ``max_dead_share`` (or the size calls for another kind), after the change is
already served. The watcher saves in a background thread, so the next tick does not wait for it.
A restart loads the saved state and then applies whatever changed in the files meanwhile through the
same incremental path: with unchanged files it embeds nothing and does not even load the model.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypedDict

import numpy as np

from helpdesk.knowledge.decision import Candidate, Decision, decide_from_ranking
from helpdesk.knowledge.embedder import Embedder, Progress
from helpdesk.knowledge.entry_texts import entry_texts
from helpdesk.knowledge.handbook import Entry, Handbook, Problem, assemble_handbook
from helpdesk.knowledge.handbook_files import HandbookFiles
from helpdesk.knowledge.persistence import MANIFEST, SaveJob, read_manifest, restore, save_job, write_state
from helpdesk.knowledge.query import Speller, query_texts, word_counts
from helpdesk.knowledge.scoring import candidate, score_entries
from helpdesk.knowledge.settings import Settings
from helpdesk.knowledge.snapshot import EntryRows, Snapshot, entry_centroid
from helpdesk.knowledge.vector_cache import VectorCache
from helpdesk.knowledge.vector_index import VectorIndex, build_index, needs_rebuild

logger = logging.getLogger(__name__)


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
    index_description: str = ""  # the kind with its parameters, e.g. "hnsw (M=32, efSearch=128)"

    def __str__(self) -> str:
        return (
            f"{self.entries} entries, {self.vectors} vectors, index {self.index_description or self.index_kind}, "
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
    live_seconds: float = 0.0  # until the change was being served (seconds also counts saving it)

    @property
    def changed_anything(self) -> bool:
        return bool(self.added or self.changed or self.removed)

    def __str__(self) -> str:
        return (
            f"added {self.added or '-'}, changed {self.changed or '-'}, removed {self.removed or '-'}, "
            f"{len(self.broken)} problems in broken files; {self.entries} entries, "
            f"re-embedded {self.embedded}, live after {self.live_seconds:.2f} s, {self.seconds:.2f} s with saving"
        )


class KnowledgeStatus(TypedDict):
    """:meth:`KnowledgeBase.status`: a JSON-ready summary for health checks and logs."""

    root: str
    index_dir: str
    entries: int
    vectors: int
    index_kind: str | None
    index: str | None
    index_rows: int
    tombstones: int
    problems: int
    model: str
    model_loaded: bool
    embedding_backend: str | None
    last_sync: float | None
    watching: bool
    unsaved_changes: bool
    queries_embedded: int  # customer questions this process embedded (search): the NLU's own pass is the first
    queries_remembered: int  # searches answered with a remembered query's vectors (Embedder.encode_query): no pass


@dataclass(frozen=True)
class _SyncResult:
    handbook: Handbook
    before: dict[str, Entry] | None  # the entries before the sync; None when no file changed
    snapshot: Snapshot
    embedded: int  # entries that needed (re-)embedding
    embedded_texts: int
    live_seconds: float  # from the start of the sync until the new state was being served


class KnowledgeBase:
    """The searchable handbook under ``root``; thread-safe, hot-reloadable, persisted.

    Typical use::

        kb = KnowledgeBase(Path("knowledge/faq"), load_settings(), Embedder())
        kb.build()                # loads from settings.index_dir, embeds only what changed
        kb.start_watcher()        # changes to the files are live within ~interval seconds
        decision = kb.decide("can I get my money back?")

    A change is applied incrementally: only files whose size or modification time changed are
    read again (and parsed only if their content hash changed), only entries whose texts changed
    are embedded, and only their rows are removed from and added to the index; the whole index is
    rebuilt only when HNSW tombstones pass ``max_dead_share`` or the size calls for another index
    kind, and then after the change is already being served.
    """

    def __init__(self, root: Path, settings: Settings, embedder: Embedder | None = None) -> None:
        self.root = Path(root)
        self.settings = settings
        self.embedder = embedder or Embedder(
            settings.model, settings.batch_size, threads=settings.embed_threads, graph=settings.onnx_graph
        )
        self.index_dir = Path(settings.index_dir)
        self.problems: list[Problem] = []
        self.queries_embedded = 0
        self.queries_remembered = 0
        self._snapshot: Snapshot | None = None
        self._base: Snapshot | None = None  # the state restored from index_dir, before the first sync
        self._handbook: Handbook | None = None
        self._sync_lock = threading.Lock()
        self._state_lock = threading.Lock()
        self._vectors = VectorCache(self.embedder, settings)
        self._next_id = 0
        self._generation = 0
        self._dirty = False  # the state differs from what is saved in index_dir
        self._save_pending = False
        self._saver: threading.Thread | None = None
        self._write_lock = threading.Lock()
        self._files = HandbookFiles(self.root)
        self._watcher: threading.Thread | None = None
        self._stop_watching = threading.Event()
        self._last_sync: float | None = None
        self._spellers: tuple[int, Speller | None] | None = None
        self._words: tuple[int, dict[str, int]] | None = None  # (generation, word counts)
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
        return {entry_id: rows.entry for entry_id, rows in snapshot.entries.items()} if snapshot else {}

    def status(self) -> KnowledgeStatus:
        """A JSON-ready summary for health checks and logs."""
        snapshot = self._snapshot
        return {
            "root": str(self.root),
            "index_dir": str(self.index_dir),
            "entries": len(snapshot.entries) if snapshot else 0,
            "vectors": snapshot.size if snapshot else 0,
            "index_kind": snapshot.index_kind if snapshot else None,
            "index": snapshot.index_description if snapshot else None,
            "index_rows": snapshot.index.ntotal if snapshot and snapshot.index else 0,
            "tombstones": snapshot.index.dead if snapshot and snapshot.index else 0,
            "problems": len(self.problems),
            "model": self.embedder.model_name,
            "model_loaded": self.embedder.loaded,
            "embedding_backend": self.embedder.backend,
            "last_sync": self._last_sync,
            "watching": self._watcher is not None and self._watcher.is_alive(),
            "unsaved_changes": self._dirty or self._save_pending,
            "queries_embedded": self.queries_embedded,
            "queries_remembered": self.queries_remembered,
        }

    def entry(self, entry_id: str) -> Entry | None:
        snapshot = self._snapshot
        return snapshot.entry(entry_id) if snapshot else None

    def build(self, progress: Progress | None = None) -> BuildReport:
        """Scan every file, embed what the stored index lacks, swap in the new state and save it."""
        started = time.perf_counter()
        with self._sync_lock:
            result = self._sync(progress, full=True)
        snapshot = result.snapshot
        total = len(snapshot.entries)
        return BuildReport(
            entries=total,
            vectors=snapshot.size,
            index_kind=snapshot.index_kind,
            seconds=time.perf_counter() - started,
            embedded=result.embedded,
            reused=total - result.embedded,
            embedded_texts=result.embedded_texts,
            problems=list(result.handbook.problems),
            index_description=snapshot.index_description,
        )

    def refresh(self, save_in_background: bool = False) -> RefreshReport:
        """Pick up edited, added and deleted files (by mtime/size, then content hash).

        Only changed entries are re-embedded and only their rows change in the index; a file that
        fails validation is logged and its last good version keeps serving. The new state is saved
        before returning, or by a background thread (the watcher's way; see :meth:`wait_saved`).
        """
        started = time.perf_counter()
        with self._sync_lock:
            result = self._sync(None, full=False, save_in_background=save_in_background)
        after = result.snapshot.entries
        before = result.before if result.before is not None else {}
        if result.before is None:  # no file changed: nothing to compare
            added, changed, removed = [], [], []
        else:
            added, removed = sorted(set(after) - set(before)), sorted(set(before) - set(after))
            changed = sorted(
                key for key in set(after) & set(before) if after[key].entry.content_hash != before[key].content_hash
            )
        broken_paths = result.handbook.broken_paths()
        return RefreshReport(
            added=added,
            changed=changed,
            removed=removed,
            broken=[problem for problem in result.handbook.problems if problem.path in broken_paths],
            embedded=result.embedded,
            entries=len(after),
            index_kind=result.snapshot.index_kind,
            seconds=time.perf_counter() - started,
            live_seconds=result.live_seconds,
        )

    def search(self, query: str, k: int = 5) -> list[Candidate]:
        """The ``k`` best entries for ``query``, best first.

        The query is spell-checked against the handbook's words and stripped of greetings and
        filler; for a message of several sentences its question sentence is embedded too (one
        batch), see :func:`~helpdesk.knowledge.scoring.score_entries`. A query searched lately is
        not embedded again (:meth:`Embedder.encode_query`).
        """
        snapshot = self._ready_snapshot()
        query = query.strip()
        if not query or snapshot.size == 0 or k <= 0:
            return []
        texts = query_texts(query, self._speller(snapshot), self.settings.sentence_weight > 0)
        vectors, embedded = self.embedder.encode_query(texts)  # a query searched lately: its vectors, no pass
        if embedded:
            self.queries_embedded += 1
        else:
            self.queries_remembered += 1
        scores = score_entries(snapshot, vectors, k, self.settings)
        ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:k]
        return [candidate(snapshot.entries[entry_id].entry, score) for entry_id, score in ranked]

    def search_many(self, queries: list[str], k: int = 5) -> list[tuple[list[Candidate], np.ndarray]]:
        """:meth:`search` for many queries with one batched embedding: per query its ranking and the vectors it
        was scored with."""
        snapshot = self.snapshot()
        groups = self.query_texts(snapshot, queries)
        found: list[tuple[list[Candidate], np.ndarray]] = []
        for own in self.embed_groups(groups):
            ranked = self.rank_vectors(snapshot, own, k)
            found.append(([candidate(snapshot.entries[entry_id].entry, score) for entry_id, score in ranked], own))
        return found

    def snapshot(self) -> Snapshot:
        """The searchable state now (built first if nothing is loaded yet); its ``generation`` names the version."""
        return self._ready_snapshot()

    def query_texts(self, snapshot: Snapshot, queries: list[str]) -> list[list[str]]:
        """Per query what :meth:`search` embeds for it on ``snapshot`` (spell-checked against its words)."""
        speller = self._speller(snapshot)
        return [query_texts(query.strip() or "?", speller, self.settings.sentence_weight > 0) for query in queries]

    def embed_groups(self, groups: list[list[str]]) -> list[np.ndarray]:
        """The vectors of each group of texts (:meth:`query_texts`), embedded in one batch."""
        flat = [text for group in groups for text in group]
        vectors = self.embedder.encode(flat) if flat else np.zeros((0, 0), dtype=np.float32)
        bounds = np.cumsum([0, *(len(group) for group in groups)])
        return [vectors[start:end] for start, end in zip(bounds[:-1], bounds[1:], strict=True)]

    def rank_vectors(self, snapshot: Snapshot, vectors: np.ndarray, k: int) -> list[tuple[str, float]]:
        """The ``k`` best (entry id, score) on ``snapshot`` for one query's vectors, best first."""
        if snapshot.size == 0 or k <= 0 or len(vectors) == 0:
            return []
        scores = score_entries(snapshot, vectors, k, self.settings)
        return sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:k]

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
            self._save(snapshot)

    # ------------------------------------------------------------------ searching

    def _ready_snapshot(self) -> Snapshot:
        snapshot = self._snapshot
        if snapshot is None:
            with self._sync_lock:
                if self._snapshot is None:
                    self._sync(None, full=True)
            snapshot = self._snapshot
        assert snapshot is not None
        return snapshot

    def _speller(self, snapshot: Snapshot) -> Speller | None:
        """The speller for ``snapshot``'s texts (rebuilt when the handbook changes), or None."""
        if self.settings.spelling_edits <= 0:
            return None
        cached = self._spellers
        if cached is not None and cached[0] == snapshot.generation:
            return cached[1]
        vocabulary = self.embedder.vocabulary()
        speller = Speller((), vocabulary, self._word_counts(snapshot)) if vocabulary else None
        self._spellers = (snapshot.generation, speller)
        return speller

    def _word_counts(self, snapshot: Snapshot) -> dict[str, int]:
        """The handbook's word frequencies for ``snapshot`` (kept up to date by each sync once made)."""
        words = self._words
        if words is not None and words[0] == snapshot.generation:
            return words[1]
        counts = word_counts(text for rows in snapshot.entries.values() for text in rows.texts)
        self._words = (snapshot.generation, counts)
        return counts

    # ------------------------------------------------------------------ syncing

    def _sync(self, progress: Progress | None, full: bool, save_in_background: bool = False) -> _SyncResult:
        started = time.perf_counter()
        if not self.root.is_dir():
            raise FileNotFoundError(f"{self.root}: handbook folder does not exist")
        files_changed = self._files.scan(full)
        current = self._snapshot if self._snapshot is not None else self._base
        if not files_changed and self._snapshot is not None and self._handbook is not None:
            self._last_sync = time.time()
            return _SyncResult(self._handbook, None, self._snapshot, 0, 0, time.perf_counter() - started)
        before = {entry_id: rows.entry for entry_id, rows in current.entries.items()} if current else {}
        handbook = assemble_handbook(self.root, self._files.parsed.values())
        self._handbook = handbook
        self.problems = list(handbook.problems)
        serving = self._files.serving_entries(handbook)
        old = current.entries if current else {}
        fresh: dict[str, Entry] = {}
        adopted: dict[str, EntryRows] = {}  # equal entries from another parse (the stored state): same rows
        for entry_id, entry in serving.items():
            rows = old.get(entry_id)
            if rows is None or (rows.entry is not entry and rows.entry != entry):
                fresh[entry_id] = entry
            elif rows.entry is not entry:
                adopted[entry_id] = dataclasses.replace(rows, entry=entry)  # later syncs compare by identity
        removed = [old[entry_id] for entry_id in old if entry_id not in serving]
        embedded, embedded_texts = self._vectors.embed_missing(fresh.values(), progress)
        if current is not None and current.centroids.shape[1] not in (0, self._vectors.dim):
            # the embedding size changed: nothing old can stay in the index
            current, old, removed, fresh, adopted = None, {}, [], dict(serving), {}
            embedded, embedded_texts = self._vectors.embed_missing(fresh.values(), progress)
        first_new_id = self._next_id
        changed: dict[str, EntryRows] = {}
        for entry_id, entry in fresh.items():
            texts, questions = entry_texts(entry, self.settings)
            previous = old.get(entry_id)
            if previous is not None and previous.texts == tuple(texts) and previous.questions == questions:
                changed[entry_id] = dataclasses.replace(previous, entry=entry)  # same rows (tags, file moved)
                continue
            changed[entry_id] = self._entry_rows(entry, texts, questions)
            if previous is not None:
                removed.append(previous)
        snapshot = self._apply(current, changed, removed, first_new_id, adopted)
        self._swap(snapshot)
        live_seconds = time.perf_counter() - started
        if snapshot.index is not None and needs_rebuild(snapshot.index, self.settings):
            # tombstones past their share, or a size for another kind: rebuild while the change serves
            snapshot = self._rebuilt(snapshot)
            self._swap(snapshot)
        self._vectors.prune([text for rows in removed for text in rows.texts])
        if self._dirty and save_in_background:
            self._request_save()
        elif self._dirty:
            self._save(snapshot)
        return _SyncResult(handbook, before, snapshot, embedded, embedded_texts, live_seconds)

    def _swap(self, snapshot: Snapshot) -> None:
        with self._state_lock:
            self._snapshot = snapshot
            self._base = None
            self._last_sync = time.time()

    def _entry_rows(self, entry: Entry, texts: list[str], questions: int) -> EntryRows:
        """A new indexed version of ``entry`` with fresh row ids (its vectors come from the cache)."""
        vectors = self._vectors.stack(texts)
        weights = np.asarray(
            [self.settings.question_weight] * questions + [self.settings.answer_weight] * (len(texts) - questions),
            dtype=np.float32,
        )
        first_id = self._next_id
        self._next_id += len(texts)
        centroid = entry_centroid(vectors, questions, self.settings.centroid_questions_only > 0)
        return EntryRows(entry, tuple(texts), questions, vectors, weights, centroid, first_id)

    def _apply(
        self,
        current: Snapshot | None,
        changed: dict[str, EntryRows],
        removed: list[EntryRows],
        first_new_id: int,
        adopted: dict[str, EntryRows] | None = None,
    ) -> Snapshot:
        """The next snapshot: ``removed`` rows out of the index, the new rows of ``changed`` entries in.

        ``changed`` entries whose rows have ids from ``first_new_id`` on are new versions; the
        others only replace their ``Entry`` (same texts, same rows).
        """
        entries = dict(current.entries) if current is not None else {}
        entries.update(adopted or {})
        for rows in removed:
            if entries.get(rows.entry.id) is rows:
                del entries[rows.entry.id]
        entries.update(changed)
        added = [rows for rows in changed.values() if rows.first_id >= first_new_id]
        for rows in removed:
            self._vectors.count(rows.texts, -1)
        for rows in added:
            self._vectors.count(rows.texts, +1)
        self._dirty = self._dirty or bool(removed or changed)
        index = current.index if current is not None else None
        if index is None:
            return self._rebuilt(self._snapshot_of(entries, [], None))
        row_entry = list(current.row_entry) if current is not None else []
        for rows in removed:
            for row in range(rows.first_id, rows.first_id + len(rows.texts)):
                row_entry[row] = None
        row_entry += [None] * (self._next_id - len(row_entry))
        for rows in added:
            row_entry[rows.first_id : rows.first_id + len(rows.texts)] = [rows.entry.id] * len(rows.texts)
        index.remove(np.concatenate([rows.row_ids for rows in removed]) if removed else np.zeros(0, np.int64))
        if added:
            index.add(
                np.concatenate([rows.weighted() for rows in added]), np.concatenate([rows.row_ids for rows in added])
            )
        snapshot = self._snapshot_of(entries, row_entry, index)
        self._update_words(current, snapshot, removed, added)
        return snapshot

    def _rebuilt(self, snapshot: Snapshot) -> Snapshot:
        """The same entries in a new index of the right kind, with row ids renumbered from 0."""
        entries: dict[str, EntryRows] = {}
        row_entry: list[str | None] = []
        for entry_id in snapshot.ids:
            rows = snapshot.entries[entry_id]
            entries[entry_id] = dataclasses.replace(rows, first_id=len(row_entry))
            row_entry += [entry_id] * len(rows.texts)
        self._next_id = len(row_entry)
        ordered = [entries[entry_id] for entry_id in snapshot.ids]
        weighted = np.concatenate([rows.weighted() for rows in ordered]) if ordered else self._vectors.empty()
        index = build_index(
            np.ascontiguousarray(weighted, dtype=np.float32), np.arange(len(row_entry), dtype=np.int64), self.settings
        )
        self._dirty = True
        rebuilt = self._snapshot_of(entries, row_entry, index)
        words = self._words
        if words is not None and words[0] == snapshot.generation:
            self._words = (rebuilt.generation, words[1])
        return rebuilt

    def _snapshot_of(
        self, entries: dict[str, EntryRows], row_entry: list[str | None], index: VectorIndex | None
    ) -> Snapshot:
        ids = tuple(sorted(entries))
        centroids = np.stack([entries[entry_id].centroid for entry_id in ids]) if ids else self._vectors.empty()
        self._generation += 1
        return Snapshot(
            entries=entries,
            ids=ids,
            positions={entry_id: position for position, entry_id in enumerate(ids)},
            centroids=np.ascontiguousarray(centroids, dtype=np.float32),
            row_entry=row_entry,
            index=index,
            generation=self._generation,
            rows=sum(len(rows.texts) for rows in entries.values()),
        )

    def _update_words(
        self, current: Snapshot | None, snapshot: Snapshot, removed: list[EntryRows], added: list[EntryRows]
    ) -> None:
        """Carry the speller's word counts over to ``snapshot`` (if they were made for ``current``)."""
        words = self._words
        if current is None or words is None or words[0] != current.generation:
            return
        counts = word_counts((text for rows in removed for text in rows.texts), dict(words[1]), sign=-1)
        self._words = (snapshot.generation, word_counts((text for rows in added for text in rows.texts), counts))

    # ------------------------------------------------------------------ watching

    def _watch(self, interval: float, stop: threading.Event, warm_model: bool) -> None:
        if warm_model:
            try:
                self.embedder.load()
            except Exception:
                logger.exception("knowledge watcher: cannot load the embedding model")
        while not stop.wait(interval):
            try:
                report = self.refresh(save_in_background=True)
            except Exception:
                logger.exception("knowledge watcher: refresh of %s failed", self.root)
                continue
            if report.changed_anything:
                logger.info("knowledge refreshed: %s", report)

    # ------------------------------------------------------------------ persistence

    def _save(self, snapshot: Snapshot) -> None:
        """Write the state now (the caller holds the sync lock)."""
        job = self._capture(snapshot)
        if job is not None:
            self._write(job)

    def _capture(self, snapshot: Snapshot) -> SaveJob | None:
        """What to write for ``snapshot``: taken under the sync lock, so the index matches the manifest."""
        job = save_job(snapshot, self.root, self.embedder.model_name, self.settings, self._next_id)
        if job is not None:
            self._dirty = False
        return job

    def _write(self, job: SaveJob) -> None:
        try:
            with self._write_lock:
                write_state(self.index_dir, job)
        except OSError as error:
            logger.warning("%s: cannot save the knowledge index: %s", self.index_dir, error)
            self._dirty = True

    def _request_save(self) -> None:
        """Save the latest state in a background thread (the watcher's next tick does not wait for it)."""
        with self._state_lock:
            self._save_pending = True
            if self._saver is None or not self._saver.is_alive():
                self._saver = threading.Thread(target=self._save_in_background, name="kb-saver", daemon=True)
                self._saver.start()

    def _save_in_background(self) -> None:
        while True:
            with self._state_lock:
                if not self._save_pending:
                    self._saver = None
                    return
                self._save_pending = False
            with self._sync_lock:
                snapshot = self._snapshot
                job = self._capture(snapshot) if snapshot is not None and self._dirty else None
            if job is not None:
                self._write(job)

    def wait_saved(self, timeout: float = 60.0) -> bool:
        """Wait until a background save has written the latest state; True if nothing is left to write. A change
        the watcher has just made live is published before its save is asked for: with no saver running yet, the
        state still unsaved is waited for too (a short sleep at a time), not read as "nothing will be saved"."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self._dirty and not self._save_pending:
                return True
            saver = self._saver
            if saver is not None and saver.is_alive():
                saver.join(max(0.0, min(0.5, deadline - time.monotonic())))
            else:
                time.sleep(0.05)
        return not self._dirty and not self._save_pending

    def _load_persisted(self) -> None:
        """Start from the state saved in index_dir: its vector cache, last good entries and (same folder) rows."""
        try:
            manifest = read_manifest(self.index_dir)
            if manifest is None:
                return
            stored = restore(manifest, self.index_dir, self.root, self.embedder.model_name, self.settings)
        except (OSError, ValueError, KeyError, TypeError, RuntimeError) as error:
            path = self.index_dir / MANIFEST
            logger.warning("%s: ignoring the stored knowledge index (%s); it will be rebuilt", path, error)
            return
        if stored is None:
            return
        self._vectors.restore(stored.cache, stored.dim)
        self._files.last_good = stored.last_good
        if stored.rows is None:  # another handbook folder: its vectors are reusable, its rows are not
            return
        for rows in stored.rows.entries.values():
            self._vectors.count(rows.texts, +1)
        self._next_id = stored.rows.next_id
        self._base = self._snapshot_of(stored.rows.entries, stored.rows.row_entry, stored.rows.index)
