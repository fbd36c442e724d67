"""The impact preview's Chinese questions, ranked and decided as Chinese customers are answered.

A Chinese question (any CJK ideograph, nlu_addons/language.py) is never answered by the English FAQ engine: the
chat and the action server's search rank the handbook's Chinese side (helpdesk/knowledge/language_search.py: each
entry's Chinese and English questions and answer passages under the NLU's Chinese encoder, and the Chinese
handbook gate). So the editor's preview and the publish gate measure Chinese questions (the customers' own and the
held-out ``zh`` set) there too: "before" is the live Chinese side, "after" the same ranking with the edited entry's
score in place of the live one (or without it, for a deletion). The edited entry's rows are built from the
editor's form exactly as the Chinese side indexes a handbook file (nlu_addons.handbook_index.handbook_entries on
the file the form would be published as), embedded now and scored with the side's own scoring; entries score
independently of each other there, so the other entries' scores stay as the live side has them.
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from helpdesk.errors import Invalid
from helpdesk.knowledge.decision import Candidate, Decided
from helpdesk.knowledge.entry_form import EntryForm, to_markdown
from helpdesk.knowledge.handbook import Entry
from helpdesk.knowledge.language_search import chinese_side
from nlu_addons.encoders import CachedEncoder
from nlu_addons.handbook_index import HandbookIndex, IndexedEntry, handbook_entries

if TYPE_CHECKING:
    from helpdesk.knowledge.engine import KnowledgeBase

NO_PATH = Path()


@dataclass(frozen=True)
class ChineseOutcomes:
    """Each Chinese question's decision before and after the change, and how many questions were embedded now."""

    before: list[Decided]
    after: list[Decided]
    embedded_now: int


def form_of(entry: Entry) -> dict[str, Any]:
    """The editor's form of an entry (for callers that have the entry, not the form)."""
    zh = entry.zh
    return EntryForm(
        id=entry.id,
        title=entry.title,
        questions=entry.questions,
        tags=entry.tags,
        answer=entry.answer,
        zh_title=zh.title if zh else "",
        zh_questions=zh.questions if zh else (),
        zh_answer=zh.answer if zh else "",
    ).to_json()


def edited_rows(entry_id: str, form: Mapping[str, Any]) -> IndexedEntry | None:
    """The edited entry as the Chinese side would index it once published (None: the form does not make a valid
    entry, which the Chinese side would not serve)."""
    try:
        parsed = EntryForm.from_json(dict(form), entry_id)
    except Invalid:
        return None
    text, _ = to_markdown(parsed)
    with tempfile.TemporaryDirectory(prefix="zh-preview-") as folder:
        (Path(folder) / f"{entry_id}.md").write_text(text, encoding="utf-8")
        found = handbook_entries(Path(folder), "zh")
    return found[0] if found else None


def chinese_outcomes(
    kb: KnowledgeBase, entry_id: str, edited: IndexedEntry | None, questions: list[str]
) -> ChineseOutcomes:
    """``questions`` (Chinese) decided on the live Chinese side and with ``edited`` in place of entry ``entry_id``
    (None: the entry deleted)."""
    if not questions:
        return ChineseOutcomes([], [], 0)
    side = chinese_side(kb)
    index, encoder = side.index(kb)
    vectors, embedded = side.question_vectors(kb, questions)
    live = index.scores(vectors)
    served = [i for i, entry_id_at in enumerate(index.ids) if kb.entry(entry_id_at) is not None]
    ids = [index.ids[i] for i in served]
    live = live[:, served]
    keep = [i for i, other in enumerate(ids) if other != entry_id]
    edited_scores = _scores_of(edited, encoder, vectors)
    before, after = [], []
    for row, question in enumerate(questions):
        now = _top_two(ids, live[row])
        before.append(Decided.of(side.gated(kb, question, now)))
        changed = _top_two([ids[i] for i in keep], live[row, keep])
        if edited_scores is not None:
            changed = sorted([*changed, _candidate(entry_id, float(edited_scores[row]))], key=_order)[:2]
        after.append(Decided.of(side.gated(kb, question, changed)))
    return ChineseOutcomes(before, after, embedded)


def _scores_of(edited: IndexedEntry | None, encoder: CachedEncoder, vectors: np.ndarray) -> np.ndarray | None:
    """The edited entry's score for each question vector, by the side's own scoring (its texts embedded now, not
    kept: the live side's memory of texts stays the handbook's)."""
    if edited is None:
        return None
    alone = HandbookIndex([edited], CachedEncoder(encoder.encoder))
    scores: np.ndarray = alone.scores(vectors)[:, 0]
    return scores


def _candidate(entry_id: str, score: float) -> Candidate:
    # the gate reads ids and scores only; scores rounded as language_search.ChineseSide.decide rounds them
    return Candidate(entry_id, "", round(score, 6), "", NO_PATH)


def _order(candidate: Candidate) -> tuple[float, str]:
    return (-candidate.score, candidate.id)


def _top_two(ids: list[str], scores: np.ndarray) -> list[Candidate]:
    """The two best entries of one question, best first (ties by id: ``ids`` are in id order, as the side's index
    holds them)."""
    return [_candidate(ids[int(i)], float(scores[int(i)])) for i in np.argsort(-scores, kind="stable")[:2]]
