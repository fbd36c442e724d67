"""Rank the handbook for a question in the question's own language: the one place the action server's /kb/search
(the help centre's search and related articles, the agents' FAQ candidates and suggested replies) gets its ranking.

- English (no CJK ideograph, nlu_addons/language.py): the FAQ engine, :meth:`KnowledgeBase.decide` (all-MiniLM-L6-v2,
  its scoring and kb.yml's thresholds).
- Chinese: the handbook's Chinese side exactly as the NLU ranks it for a Chinese customer in the chat
  (nlu_addons/handbook_index.py: each entry's Chinese and English questions and answer passages, scored with
  OnePassNLU's Chinese encoder) and the NLU's Chinese handbook gate (nlu_addons/onepass_settings.py: an entry
  scoring ``faq_answer_from``, or ``faq_clear_from`` when it leads the next entry by ``faq_clear_margin``, is the
  answer: the arbiter's own rule, nlu_addons.arbiter.entry_clears; from ``faq_offer_from`` it is suggested, below
  nothing fits). The English
  engine reads Chinese as noise (all-MiniLM-L6-v2: Chinese→English retrieval P@1 0.34, ../shared/zh-encoders.md),
  so a Chinese search found nothing or unrelated entries with meaningless scores.

Chinese is read in simplified characters, the questions and the index alike (nlu_addons.language ``simplified``):
a Taiwan or Hong Kong customer's traditional "發票在哪裡下載" finds what "发票在哪里下载" finds.

Candidates carry the entry's title and answer in the question's language (its Chinese version when it has one).
The Chinese side follows the handbook: it is rebuilt (only texts it has not embedded before are embedded) on the
first search after the engine's own index changed.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from helpdesk.knowledge.decision import Candidate, Decision, decide_from_ranking
from nlu_addons.arbiter import entry_clears
from nlu_addons.language import language_of, simplified
from nlu_addons.onepass_settings import configured

if TYPE_CHECKING:  # the engine pulls in numpy, faiss and the embedder
    import numpy as np

    from helpdesk.knowledge.engine import KnowledgeBase
    from nlu_addons.encoders import CachedEncoder
    from nlu_addons.handbook_index import HandbookIndex

log = logging.getLogger(__name__)

MAX_KEPT_QUESTIONS = 30_000  # question vectors the impact preview keeps (as helpdesk/knowledge/preview_cache.py)


class ChineseSide:
    """The handbook ranked for Chinese questions, as the NLU's Chinese side ranks it (built lazily, kept fresh)."""

    def __init__(
        self,
        root: Path,
        encoder: str,
        answer_from: float,
        offer_from: float,
        clear_from: float | None = None,
        clear_margin: float = 1.0,
    ) -> None:
        self.root = root
        self.encoder_name = encoder
        self.answer_from, self.offer_from = answer_from, offer_from
        # an entry clearly ahead of the next one is answered from this lower score (None: never), as in the chat
        self.clear_from, self.clear_margin = clear_from, clear_margin
        self._encoder: CachedEncoder | None = None  # loaded with the first build
        self._lock = threading.Lock()
        self._index: HandbookIndex | None = None
        self._generation: int | None = None  # the engine's snapshot the index was built for
        self._last_good: dict[str, Any] = {}  # handbook file → its last entry that parsed (as the NLU keeps)
        self.builds = 0
        self.searches = 0
        self.error: str | None = None  # why the last build failed (/kb/status)
        self._questions: dict[str, np.ndarray] = {}  # the impact preview's question vectors (question_vectors)

    @classmethod
    def configured(cls, root: Path) -> ChineseSide:
        """The side with OnePassNLU's Chinese encoder and gate (its defaults and config.yml)."""
        settings = configured()
        clear_from = settings["faq_clear_from"]["zh"]
        return cls(
            root,
            str(settings["encoders"]["zh"]),
            float(settings["faq_answer_from"]["zh"]),
            float(settings["faq_offer_from"]["zh"]),
            None if clear_from is None else float(clear_from),
            float(settings["faq_clear_margin"]["zh"] or 1.0),
        )

    def index(self, kb: KnowledgeBase) -> tuple[HandbookIndex, CachedEncoder]:
        """The index for the engine's current handbook (rebuilt when the engine's snapshot changed), and the encoder
        to embed a question with."""
        from nlu_addons.encoders import CachedEncoder, encoder_named
        from nlu_addons.handbook_index import HandbookIndex, handbook_entries

        generation = kb.snapshot().generation
        with self._lock:
            if self._index is None or self._generation != generation:
                started = time.perf_counter()
                try:
                    if self._encoder is None:
                        self._encoder = CachedEncoder(encoder_named(self.encoder_name))
                    entries = handbook_entries(self.root, "zh", self._last_good)
                    self._index = HandbookIndex(entries, self._encoder)
                except Exception as error:
                    self.error = f"{error.__class__.__name__}: {error}"
                    raise
                self.error = None
                self._generation = generation
                self.builds += 1
                log.info(
                    "Chinese handbook search (%s): %d entries indexed in %.2f s",
                    self.encoder_name,
                    len(entries),
                    time.perf_counter() - started,
                )
            assert self._encoder is not None
            return self._index, self._encoder

    def decide(self, kb: KnowledgeBase, query: str, k: int = 10) -> Decision:
        """Answer, suggest or nothing for a Chinese ``query``, with its top-``k`` ranking."""
        index, encoder = self.index(kb)
        self.searches += 1
        scores = index.scores(encoder.encoder.encode([simplified(query)]))[0]  # traditional read as simplified
        ranked: list[Candidate] = []
        for position in scores.argsort()[::-1]:
            entry = kb.entry(index.ids[int(position)])
            if entry is None:  # not served by the engine (yet)
                continue
            version = entry.version("zh") or entry.en
            score = round(float(scores[int(position)]), 6)
            ranked.append(Candidate(entry.id, version.title, score, version.answer, entry.path))
            if len(ranked) >= max(k, kb.settings.max_suggestions, 2):
                break
        return self.gated(kb, query, ranked)

    def gated(self, kb: KnowledgeBase, query: str, ranked: list[Candidate]) -> Decision:
        """The Chinese handbook gate on ``query``'s ranking (best first): answer, suggest or nothing."""
        second = ranked[1].score if len(ranked) > 1 else -1.0
        if ranked and entry_clears(ranked[0].score, second, self.answer_from, self.clear_from, self.clear_margin):
            return Decision(query, "answer", ranked[0], [ranked[0]], ranked)
        gate = dataclasses.replace(
            kb.settings, answer_threshold=self.answer_from, suggest_threshold=self.offer_from, margin=0.0
        )
        return decide_from_ranking(query, ranked, gate)

    def question_vectors(self, kb: KnowledgeBase, texts: list[str]) -> tuple[np.ndarray, int]:
        """The Chinese encoder's vectors of ``texts`` (customers' and held-out questions the editor's impact preview
        ranks), kept between previews (at most ``MAX_KEPT_QUESTIONS`` texts): the vectors and how many texts were
        embedded now."""
        import numpy as np

        _, encoder = self.index(kb)
        with self._lock:
            found = {text: self._questions[text] for text in texts if text in self._questions}
        missing = [text for text in dict.fromkeys(texts) if text not in found]
        if missing:
            found.update(zip(missing, encoder.encoder.encode([simplified(text) for text in missing]), strict=True))
            with self._lock:
                if len(self._questions) + len(missing) > MAX_KEPT_QUESTIONS:
                    self._questions = {}
                self._questions.update((text, found[text]) for text in missing)
        if not texts:
            return np.zeros((0, encoder.dim), dtype=np.float32), 0
        return np.stack([found[text] for text in texts]).astype(np.float32, copy=False), len(missing)

    @property
    def built(self) -> bool:
        return self._index is not None

    def status(self) -> dict[str, Any]:
        index = self._index
        return {
            "ready": index is not None,
            "error": self.error,
            "encoder": self.encoder_name,
            "answer_from": self.answer_from,
            "offer_from": self.offer_from,
            "clear_from": self.clear_from,
            "clear_margin": self.clear_margin,
            "entries": len(index) if index is not None else 0,
            "builds": self.builds,
            "searches": self.searches,
        }


_sides_lock = threading.Lock()
_sides: dict[Path, ChineseSide] = {}


def chinese_side(kb: KnowledgeBase) -> ChineseSide:
    """The process's Chinese side for ``kb``'s handbook folder."""
    with _sides_lock:
        side = _sides.get(kb.root)
        if side is None:
            side = _sides[kb.root] = ChineseSide.configured(kb.root)
        return side


def chinese_status(kb: KnowledgeBase) -> dict[str, Any]:
    """The Chinese side's readiness, encoder, gate and counts (/kb/status)."""
    side = _sides.get(kb.root)
    return side.status() if side is not None else {"ready": False}


def decide(kb: KnowledgeBase, query: str, k: int = 10) -> Decision:
    """Answer, suggest or hand off for ``query``, ranked in its language (module docstring)."""
    if language_of(query) == "zh":
        return chinese_side(kb).decide(kb, query, k)
    return kb.decide(query, k)


def warm(kb: KnowledgeBase) -> None:
    """Build the Chinese side now (the action server does it at start, so the first Chinese search does not wait)."""
    chinese_side(kb).index(kb)
