"""What a handbook change would do to real questions, computed on the live index and thresholds (the action
server's knowledge base) before the change is published.

For each question: the engine's decision now, and the decision with the edited entry in place of the live one
(or without it, for a deletion). The questions are embedded in one batch and the edited entry once; each
question's ranking is the live top-k with the entry's own score replaced by its score against the edited
texts (the same scoring terms as the engine: helpdesk/knowledge/scoring.py), then the same answer / suggest /
hand-off rule.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from helpdesk.knowledge.decision import Candidate, decide_from_ranking
from helpdesk.knowledge.engine import KnowledgeBase
from helpdesk.knowledge.entry_texts import entry_texts
from helpdesk.knowledge.handbook import Entry
from helpdesk.knowledge.scoring import candidate, entry_score
from helpdesk.knowledge.snapshot import EntryRows, entry_centroid

MAX_QUESTIONS = 10_000
RANK_K = 10


@dataclass(frozen=True)
class Outcome:
    question: str
    before: str | None  # the entry that answers it now (None: not answered)
    after: str | None

    def to_json(self) -> dict[str, Any]:
        return {"question": self.question, "before": self.before, "after": self.after}


def edited_rows(kb: KnowledgeBase, entry: Entry) -> EntryRows:
    """The edited entry as the index would hold it (its texts embedded now, not stored anywhere)."""
    settings = kb.settings
    texts, questions = entry_texts(entry, settings)
    vectors = np.asarray(kb.embedder.encode(texts), dtype=np.float32)
    weights = np.asarray(
        [settings.question_weight] * questions + [settings.answer_weight] * (len(texts) - questions), dtype=np.float32
    )
    centroid = entry_centroid(vectors, questions, settings.centroid_questions_only > 0)
    return EntryRows(entry, tuple(texts), questions, vectors, weights, centroid, 0)


def _score(rows: EntryRows, vectors: np.ndarray, sentence_weight: float, settings: Any) -> float:
    scores = entry_score(rows, vectors, vectors @ rows.centroid, settings)
    score = float(scores[0])
    if len(scores) > 1:
        score = max(score, (1 - sentence_weight) * score + sentence_weight * float(scores[1:].max()))
    return score


def impact(kb: KnowledgeBase, entry_id: str, entry: Entry | None, questions: list[str]) -> dict[str, Any]:
    """Each question's answering entry before and after the change, and the counts."""
    started = time.perf_counter()
    settings = kb.settings
    rows = edited_rows(kb, entry) if entry is not None else None
    outcomes: list[Outcome] = []
    asked = questions[:MAX_QUESTIONS]
    k = max(RANK_K, settings.max_suggestions, 2)
    for question, (ranked, vectors) in zip(asked, kb.search_many(asked, k=k), strict=True):
        before = decide_from_ranking(question, ranked, settings)
        others = [c for c in ranked if c.id != entry_id]
        if rows is not None:
            score = _score(rows, np.asarray(vectors, dtype=np.float32), settings.sentence_weight, settings)
            others.append(candidate(rows.entry, score))
        after_ranked: list[Candidate] = sorted(others, key=lambda c: (-c.score, c.id))
        after = decide_from_ranking(question, after_ranked, settings)
        answered_before = before.best.id if before.action == "answer" and before.best else None
        answered_after = after.best.id if after.action == "answer" and after.best else None
        outcomes.append(Outcome(question, answered_before, answered_after))
    newly = [o for o in outcomes if o.before is None and o.after == entry_id]
    taken = [o for o in outcomes if o.before not in (None, entry_id) and o.after == entry_id]
    stopped = [o for o in outcomes if o.before == entry_id and o.after != entry_id]
    return {
        "questions": len(outcomes),
        "newly_answered": [o.to_json() for o in newly],
        "taken": [o.to_json() for o in taken],
        "stopped": [o.to_json() for o in stopped],
        "seconds": round(time.perf_counter() - started, 3),
    }


def preview_entry(entry_id: str, form: dict[str, Any]) -> Entry:
    """An Entry from the editor's form fields (the answer as written; shop facts are not filled in here)."""
    questions = tuple(str(q) for q in form.get("questions") or [] if str(q).strip())
    return Entry(
        id=entry_id,
        title=str(form.get("title") or "").strip() or entry_id,
        questions=questions,
        tags=tuple(str(t) for t in form.get("tags") or []),
        answer=str(form.get("answer") or ""),
        path=Path(f"{entry_id}.md"),
        content_hash="preview",
    )
