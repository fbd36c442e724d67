"""The handbook as one encoder's vectors, scored for the routing decision.

Each entry is indexed with its title and questions (its synonyms: how customers ask it), its answer in
passages and, when the model was trained with them, the team's training examples of the ``faq`` intent written
for that entry (data/nlu/faq_*.yml, each block's ``metadata: {entry: <id>}``): the handbook's few questions are
the editors' wordings, the training examples are the many ways customers ask (terse, typos, requests, synonyms),
and scoring the handbook against both lets a customer's own phrasing reach its entry (issue 17). The examples
count as question rows, but not in the entry's centroid, which stays the handbook's own; when the arbiter is
trained on handbook scores of the training messages, each message is scored without the examples of its own fold
(:func:`fold_of`), as an unseen message would be.

English (``engine`` settings given): the FAQ engine's own scoring, so that the routing decision ranks the
handbook as the engine that answers does (issue 17: the engine found the right entry first for 91 % of the
team's test questions while the route, scoring in its own way, answered only 70 % of them right). The same
texts (helpdesk.knowledge.entry_texts), the same query preparation (helpdesk.knowledge.query: typos corrected
towards the handbook's words, greeting and filler stripped, the question sentence of a longer message scored
too) and the same formula (helpdesk.knowledge.scoring: ``(1 − c)·best + c·centroid`` over all of an entry's
rows, raised by the question sentence), read from the engine's settings (knowledge/kb.yml, KB_* overrides).

Chinese (no settings): the design study's scoring, 0.45 · the best question row + 0.55 · the cosine with the
entry's centroid over all its rows (results/nlu_design_study.md); the query is the message as it is.
"""

from __future__ import annotations

import functools
import math
import re
import zlib
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from nlu_addons.encoders import CachedEncoder
from nlu_addons.language import CJK, Language, simplified

if TYPE_CHECKING:
    from helpdesk.knowledge.settings import Settings

BEST_WEIGHT, CENTROID_WEIGHT = 0.45, 0.55
EXAMPLE_FOLDS = 5
# an entry's words (issue 17): the content words of a message are its words but the stop words (scikit-learn's
# English list, chat shorthand), an -s/-es/-ed/-ing ending taken off; a message every one of whose content words is a
# word of its best entry's texts (the handbook's and the training examples'), at least COVERED_MIN_WORDS of them
# distinctive (words of at most DISTINCTIVE_IN entries: not "day", "order", "help", "cost", which dozens of entries
# use), is covered by that entry (:meth:`HandbookIndex.covers`)
_CHAT_STOP_WORDS = """
im i'm ive i've id i'd dont don't doesnt doesn't can't isnt isn't whats what's did does doing shall pls plz u ur r y
wanna want like need thing things way just got yes ok okay hi hello hey thanks thank
"""
CHAT_STOP_WORDS = frozenset(_CHAT_STOP_WORDS.split())
CONTENT_WORD = re.compile(r"[a-z0-9']+")
WORD_ENDINGS = ("ing", "ed", "es", "s")
COVERED_MIN_WORDS = 2
# a sentence's start (its first word is capitalised whatever it is) and a word, for :func:`name_words`
SENTENCE_START = re.compile(r"(?<=[.!?:])\s+|\n+|^\s*[-*]\s+", re.MULTILINE)
NAME_WORD = re.compile(r"[A-Za-z][A-Za-z']*")
# chosen on the English dev rows (lane enr 2026-12-07): the largest limit under which no CLINC150 out-of-scope dev
# row is covered in the band (16: a question about one's taxes; no limit: 6 such rows, none answered on dev, but the
# morning's one look answered 2 more CLINC150 out-of-scope rows); it gives up 11 covered dev rows of 1,400
DISTINCTIVE_IN = 12


@dataclass(frozen=True)
class IndexedEntry:
    """What one entry is indexed as, in one language side."""

    id: str
    questions: tuple[str, ...]  # title first
    passages: tuple[str, ...]  # the answer, in passages
    examples: tuple[str, ...] = ()  # the faq intent's training examples written for this entry


def normal(text: str) -> str:
    return " ".join(text.lower().split())


@functools.cache
def stop_words() -> frozenset[str]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return frozenset(ENGLISH_STOP_WORDS) | CHAT_STOP_WORDS


def word_stem(word: str) -> str:
    for ending in WORD_ENDINGS:
        if len(word) > len(ending) + 2 and word.endswith(ending):
            return word[: -len(ending)]
    return word


def content_words(text: str) -> frozenset[str]:
    """The words of ``text`` that say what it is about (English): see CHAT_STOP_WORDS."""
    stop = stop_words()
    return frozenset(
        word_stem(word) for word in CONTENT_WORD.findall(text.lower()) if word not in stop and len(word) > 1
    )


def name_words(texts: Sequence[str]) -> frozenset[str]:
    """The content words ``texts`` only ever write capitalised inside a sentence (English): names of countries,
    cities, days and brands ("shipping to Ireland", "closed on Monday"), facts an entry lists rather than its topic.
    A customer's "how much is shipping to ireland" shares "ireland" with the international shipping entry, whose
    answer lists the countries, but asks what shipping costs (:meth:`HandbookIndex.shared_words` leaves them out)."""
    capitalised: set[str] = set()
    lower: set[str] = set()
    for text in texts:
        for sentence in SENTENCE_START.split(text):
            for number, word in enumerate(NAME_WORD.findall(sentence)):
                if not word[0].isupper():
                    lower.add(word.lower())
                elif number > 0 and not word.isupper():
                    capitalised.add(word.lower())
    return frozenset(stem for name in capitalised - lower for stem in content_words(name))


def character_pairs(text: str) -> frozenset[str]:
    """The pairs of neighbouring Chinese characters of ``text`` (its other characters left out: "退款100234到账" ->
    退款, 款到, 到账), the Chinese side's words without a segmenter."""
    chinese = "".join(CJK.findall(text))
    return frozenset(chinese[i : i + 2] for i in range(len(chinese) - 1))


def fold_of(text: str) -> int:
    """The fold of a training example (by its text): when training, a message is scored without the example rows
    of its own fold, which include itself."""
    return zlib.crc32(normal(text).encode("utf-8")) % EXAMPLE_FOLDS


class HandbookIndex:
    def __init__(
        self,
        entries: Sequence[IndexedEntry],
        encoder: CachedEncoder,
        engine: Settings | None = None,
        vocabulary: frozenset[str] | None = None,
    ) -> None:
        """``engine``: score as the FAQ engine does with these settings (and correct typos towards the
        handbook's words that ``vocabulary``, the encoder's tokenizer, knows whole); None: the study's scoring."""
        self.ids = [e.id for e in entries]
        self.engine = engine
        self.encoder = encoder
        texts: list[str] = []
        is_question: list[bool] = []
        starts: list[int] = []
        owner: list[int] = []
        folds: list[int] = []
        for number, entry in enumerate(entries):
            starts.append(len(texts))
            questions = list(dict.fromkeys(entry.questions))
            known = {normal(q) for q in questions}
            examples = [e for e in dict.fromkeys(entry.examples) if normal(e) not in known]
            texts += questions + examples + list(entry.passages)
            is_question += [True] * (len(questions) + len(examples)) + [False] * len(entry.passages)
            owner += [number] * (len(questions) + len(examples) + len(entry.passages))
            folds += [-1] * len(questions) + [fold_of(e) for e in examples] + [-1] * len(entry.passages)
        self.texts = texts
        self._starts = np.array(starts, dtype=np.int64)
        self._question = np.array(is_question, dtype=bool)
        self._owner = np.array(owner, dtype=np.int64)
        self._fold = np.array(folds, dtype=np.int64)
        self.vectors = encoder.encode(texts) if texts else np.zeros((0, encoder.dim), dtype=np.float32)
        self.centroids = self._centroids()
        self._rows_of: dict[str, list[int]] = {}
        for row, text in enumerate(texts):
            self._rows_of.setdefault(normal(text), []).append(row)
        self._speller = None
        if engine is not None:
            from helpdesk.knowledge.query import Speller, word_counts

            if engine.spelling_edits > 0 and vocabulary:
                # the handbook's own words, as the engine's speller counts them (not the examples' typos)
                own_texts = [t for t, fold in zip(texts, folds, strict=True) if fold < 0]
                self._speller = Speller((), vocabulary, word_counts(own_texts))
            self._weights = np.where(self._question, engine.question_weight, engine.answer_weight).astype(np.float32)
        # each entry's words (English, the engine's side): what :meth:`covers` looks the message's words up in
        self._words: list[frozenset[str]] = [frozenset()] * len(self.ids)
        if engine is not None:
            for number in range(len(self.ids)):
                rows = np.flatnonzero(self._owner == number)
                self._words[number] = frozenset().union(*(content_words(texts[int(row)]) for row in rows))
        # in how many entries each word is
        self._entries_with: Counter[str] = Counter(word for words in self._words for word in words)
        # the names among them (countries, cities, days, brands): no evidence of an entry's topic for shared_words
        self._names = name_words(texts) if engine is not None else frozenset()
        # each entry's Chinese character pairs (the study's scoring, the Chinese side): what :meth:`shared_pairs`
        # weighs a message's pairs against, each pair by how few entries' questions and examples have it
        self._pairs: list[frozenset[str]] = [frozenset()] * len(self.ids)
        if engine is None:
            for number in range(len(self.ids)):
                rows = np.flatnonzero((self._owner == number) & self._question)
                self._pairs[number] = frozenset().union(*(character_pairs(texts[int(row)]) for row in rows))
        having = Counter(pair for pairs in self._pairs for pair in pairs)
        self._pair_weight = {pair: math.log(len(self.ids) / n) for pair, n in having.items()}

    def _centroids(self) -> np.ndarray:
        dim = self.vectors.shape[1]
        # the handbook's own rows: a training example would raise its entry's centroid for itself (no leaving out)
        own = self._fold < 0
        if self.engine is not None and self.engine.centroid_questions_only:
            own &= self._question
        rows, owner = self.vectors[own], self._owner[own]
        sums = np.zeros((len(self.ids), dim), dtype=np.float32)
        np.add.at(sums, owner, rows)
        out: np.ndarray = sums / np.maximum(np.linalg.norm(sums, axis=1, keepdims=True), 1e-12)
        return out

    def __len__(self) -> int:
        return len(self.ids)

    def covers(self, message: str, entry: int) -> bool:
        """Every content word of ``message`` (prepared as the engine prepares it: typos corrected towards the
        handbook's words), at least COVERED_MIN_WORDS of them distinctive (words of at most DISTINCTIVE_IN entries),
        is a word of entry number ``entry``'s own texts or training examples (issue 17: a customer's wording of an
        entry scores under the gate as often as a question about a service the shop does not offer scores over it,
        but only the customer's question keeps to the entry's words: "pay in dollars?" against "do you offer a
        furniture assembly service at home"; words dozens of entries use, "day", "cost", are no evidence for one of
        them). English (the engine's side) only: False for the study's scoring."""
        if self.engine is None or not 0 <= entry < len(self.ids):
            return False
        words = content_words(self.query_texts(message)[0])
        distinctive = sum(self._entries_with[word] <= DISTINCTIVE_IN for word in words)
        return distinctive >= COVERED_MIN_WORDS and words <= self._words[entry]

    def pairs_shared(self, message: str, entry: int) -> dict[str, float]:
        """The Chinese character pairs of ``message`` that entry number ``entry``'s questions and training examples
        have, each with its weight (log(entries / entries having it)): a pair few entries use (进货, 开户) weighs much
        and one most use (订单, 可以) hardly at all. The study's scoring (the Chinese side) only: none for the
        engine's."""
        if self.engine is not None or not 0 <= entry < len(self.ids):
            return {}
        return {pair: self._pair_weight.get(pair, 0.0) for pair in character_pairs(message) & self._pairs[entry]}

    def shared_pairs(self, message: str, entry: int) -> float:
        """How much of ``message``'s Chinese wording entry number ``entry``'s questions and training examples share:
        the weights of the pairs they share (:meth:`pairs_shared`)."""
        return sum(self.pairs_shared(message, entry).values())

    def shared_words(self, message: str, entry: int) -> float:
        """How much of ``message``'s English wording entry number ``entry``'s own texts and training examples share
        (the English twin of :meth:`shared_pairs`, issue 17): the weights (log(entries / entries having it)) of the
        message's content words (prepared as for :meth:`covers`, names left out: :func:`name_words`) that are words
        of the entry, so "card", which a dozen entries use, counts little beside "refund". The engine's scoring (the
        English side) only: 0.0 for the study's."""
        if self.engine is None or not 0 <= entry < len(self.ids):
            return 0.0
        words = (content_words(self.query_texts(message)[0]) - self._names) & self._words[entry]
        return sum(math.log(len(self.ids) / self._entries_with[word]) for word in words)

    def words_doubt_best(self, message: str, scores: np.ndarray, margin: float, ratio: float) -> bool:
        """Whether ``message``'s own words speak for its second entry over its best (``scores``: the message's score
        of each entry): the two score within ``margin`` of each other and the second's texts share more than
        ``ratio`` times as much of its wording as the best's (:meth:`shared_pairs` on the Chinese side,
        :meth:`shared_words` on the English)."""
        if len(scores) < 2:
            return False
        best, second = (int(e) for e in np.argsort(-scores)[:2])
        if float(scores[best] - scores[second]) >= margin:
            return False
        shared = self.shared_pairs if self.engine is None else self.shared_words
        theirs = shared(message, second)
        return theirs > 0.0 and theirs > ratio * shared(message, best)

    def query_texts(self, message: str) -> list[str]:
        """What is embedded for a message to rank the handbook: the message itself for the study's scoring; for the
        engine's, its prepared text and question sentence (helpdesk.knowledge.query.query_texts)."""
        if self.engine is None:
            return [message]
        from helpdesk.knowledge.query import query_texts

        return query_texts(message.strip() or "?", self._speller, self.engine.sentence_weight > 0)

    def rank(self, messages: Sequence[str], vectors: np.ndarray, leave_out: bool = False) -> np.ndarray:
        """(n_messages, n_entries) scores of ``messages``, whose own vectors (the intent head's) are ``vectors``:
        only prepared texts that differ from the message are embedded again. ``leave_out``: index rows equal to a
        message are ignored for it, and so are the training examples of its fold (a handbook question or training
        example scored without finding itself, when training)."""
        groups = [self.query_texts(m) for m in messages]
        extra = list(dict.fromkeys(t for m, g in zip(messages, groups, strict=True) for t in g if t != m))
        embedded = dict(zip(extra, self.encoder.encoder.encode(extra), strict=True)) if extra else {}
        flat = [
            vectors[i] if text == message else embedded[text]
            for i, (message, group) in enumerate(zip(messages, groups, strict=True))
            for text in group
        ]
        starts = np.cumsum([0, *(len(g) for g in groups)])[:-1]
        return self.scores(
            np.asarray(flat, dtype=np.float32).reshape(-1, self.vectors.shape[1]),
            starts,
            list(messages) if leave_out else None,
        )

    def scores(
        self, queries: np.ndarray, starts: np.ndarray | None = None, leave_out: Sequence[str] | None = None
    ) -> np.ndarray:
        """(n_messages, n_entries) scores from query vectors: message i's vectors from ``starts[i]`` (the whole
        message first; default one vector a message). ``leave_out[i]``: index rows equal to message i's text are
        ignored."""
        starts = np.arange(len(queries)) if starts is None else np.asarray(starts, dtype=np.int64)
        if not self.ids:
            return np.zeros((len(starts), 0), dtype=np.float32)
        sims = queries @ self.vectors.T
        if leave_out is not None:
            message_of = np.repeat(np.arange(len(starts)), np.diff(np.append(starts, len(queries))))
            for i, text in enumerate(leave_out):
                rows = np.union1d(self._rows_of.get(normal(text), []), np.flatnonzero(self._fold == fold_of(text)))
                sims[np.ix_(message_of == i, rows.astype(np.int64))] = -np.inf
        centroid = queries @ self.centroids.T
        if self.engine is None:
            sims[:, ~self._question] = -np.inf
            best = np.maximum.reduceat(sims, self._starts, axis=1)
            best = np.where(np.isfinite(best), best, -1.0)
            per_vector = BEST_WEIGHT * best + CENTROID_WEIGHT * centroid
            return np.asarray(per_vector[starts], dtype=np.float32)
        return self._engine_scores(sims, centroid, starts)

    def _engine_scores(self, sims: np.ndarray, centroid: np.ndarray, starts: np.ndarray) -> np.ndarray:
        from helpdesk.knowledge.scoring import blended, raised_by_sentences

        assert self.engine is not None
        hits = sims * self._weights
        best = np.maximum.reduceat(hits, self._starts, axis=1)
        if self.engine.second_hit_weight > 0:
            # the second-best row of each entry: the best once the best row is taken out
            masked = hits.copy()
            for column, start in enumerate(self._starts):
                end = self._starts[column + 1] if column + 1 < len(self._starts) else hits.shape[1]
                top = start + np.argmax(hits[:, start:end], axis=1)
                masked[np.arange(len(hits)), top] = -np.inf
            second = np.maximum.reduceat(masked, self._starts, axis=1)
            second = np.where(np.isfinite(second), second, best)
        else:
            second = best
        best = np.where(np.isfinite(best), best, -1.0)
        per_vector = blended(best, second, centroid, self.engine)
        return np.asarray(raised_by_sentences(per_vector, starts, self.engine.sentence_weight), dtype=np.float32)


FACT_REFERENCE = re.compile(r"\{\{\s*fact:([a-z0-9_]+)\s*\}\}")


def handbook_entries(
    root: Path,
    language: Language,
    last_good: dict[str, Any] | None = None,
    engine: Settings | None = None,
    examples: Mapping[str, Sequence[str]] | None = None,
) -> list[IndexedEntry]:
    """The handbook's entries as one language side indexes them: the English title, questions and answer
    passages (the multilingual encoder matches Chinese questions to them too), and on the Chinese side also
    an entry's Chinese text where the handbook has one, all in simplified characters (nlu_addons.language
    ``simplified``). With the FAQ engine's ``engine`` settings, the texts the
    engine embeds (helpdesk.knowledge.entry_texts: questions without repeats, the answer in its passages).
    ``examples``: per entry id, the training examples written for it (an id the handbook no longer has is left
    out).

    The files are parsed as `kb` parses them (helpdesk.knowledge.handbook; the first file of an id serves), but
    fact references are not rendered: rendering reads the shop's settings through helpdesk.orders, which needs
    Python 3.11, and a fact's name ("free delivery threshold") says as much for matching as its value."""
    from helpdesk.knowledge.entry_texts import answer_passages
    from helpdesk.knowledge.handbook import find_files, normalize_question, parse_path

    def plain(answer: str) -> str:
        return FACT_REFERENCE.sub(lambda m: m.group(1).replace("_", " "), answer)

    entries: dict[str, Any] = {}
    for path in find_files(root):
        entry = parse_path(path).entry
        if last_good is not None:
            # a file broken by an edit keeps serving its last good version, as the action server's handbook does
            entry = last_good[str(path)] = entry or last_good.get(str(path))
        if entry is not None and entry.id not in entries:
            entries[entry.id] = entry
    out = []
    for entry in sorted(entries.values(), key=lambda e: e.id):
        questions = list(entry.all_questions)
        passages = answer_passages(plain(entry.answer), 400, 6)
        if engine is not None:
            firsts: dict[str, str] = {}
            for question in questions:
                firsts.setdefault(normalize_question(question), question)
            questions = list(firsts.values())
            passages = answer_passages(plain(entry.answer), engine.answer_chunk_chars, engine.answer_max_chunks)
        written = tuple((examples or {}).get(entry.id, ()))
        if language == "zh":
            zh = getattr(entry, "zh", None)
            if zh is not None:
                questions = [*getattr(zh, "all_questions", ()), *questions]
                passages = [*answer_passages(plain(getattr(zh, "answer", "")), 200, 6), *passages]
            # the Chinese side reads Chinese in simplified characters, an editor's traditional wording too
            questions = [simplified(text) for text in questions]
            passages = [simplified(text) for text in passages]
            written = tuple(simplified(text) for text in written)
        out.append(IndexedEntry(entry.id, tuple(questions), tuple(passages), written))
    return out


def engine_settings(language: Language) -> Settings | None:
    """The FAQ engine's settings (knowledge/kb.yml, KB_* overrides) for a side that ranks the handbook as the
    engine does: English, the engine's language (its encoder is the English side's all-MiniLM-L6-v2). None for
    Chinese, which keeps the design study's scoring (nlu_addons.handbook_index)."""
    if language != "en":
        return None
    from helpdesk.knowledge.settings import load_settings

    return load_settings()


def side_index(
    root: Path,
    language: Language,
    encoder: CachedEncoder,
    last_good: dict[str, Any] | None = None,
    examples: Mapping[str, Sequence[str]] | None = None,
    as_engine: bool = True,
) -> HandbookIndex:
    """A language side's handbook index of the handbook under ``root`` (see :func:`engine_settings`), with the
    training ``examples`` per entry id. ``as_engine`` False: the study's scoring whatever the language (the English
    side's second encoder, nlu_addons.onepass_nlu: the message as it is, no extra texts to embed per message)."""
    engine = engine_settings(language) if as_engine else None
    vocabulary = getattr(encoder.encoder, "vocabulary", None)
    return HandbookIndex(
        handbook_entries(root, language, last_good, engine, examples),
        encoder,
        engine,
        vocabulary() if callable(vocabulary) else None,
    )
