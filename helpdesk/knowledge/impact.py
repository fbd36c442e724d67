"""What a handbook change would do to real questions and to the held-out figures, computed on the live index and
thresholds (the action server's knowledge base) before the change is published.

For each question: the engine's decision now, and the decision with the edited entry in place of the live one
(or without it, for a deletion). The questions' rankings on the live version come from the preview's memory
(helpdesk/knowledge/preview_cache.py: embedded and ranked once per handbook version); the edited entry is
embedded once and scored against every question's kept vectors in one pass (the same scoring terms as the
engine: helpdesk/knowledge/scoring.py), then each ranking has the entry's own score replaced by that one and the
same answer / suggest / hand-off rule decides. The held-out sets (helpdesk/knowledge/held_out.py) go through the
same two rankings, giving ``kb eval``'s P@1, answered and out-of-scope-answered before and after.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from helpdesk.knowledge import held_out, impact_chinese
from helpdesk.knowledge.decision import Candidate, Decided, decide_from_ranking
from helpdesk.knowledge.engine import KnowledgeBase
from helpdesk.knowledge.entry_texts import entry_texts
from helpdesk.knowledge.fact_refs import render_text
from helpdesk.knowledge.facts import FactsError, current_facts
from helpdesk.knowledge.handbook import Entry
from helpdesk.knowledge.preview_cache import Ranking, cache_for
from helpdesk.knowledge.scoring import candidate, message_scores
from helpdesk.knowledge.settings import Settings
from helpdesk.knowledge.snapshot import EntryRows, Snapshot, entry_centroid
from nlu_addons.language import language_of

MAX_QUESTIONS = 10_000
MAX_CHANGED = 20  # held-out questions listed per set


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


def _edited_scores(rows: EntryRows, rankings: list[Ranking], settings: Settings) -> list[float]:
    """The edited entry's score for every question, in one pass over their kept vectors."""
    if not rankings:
        return []
    vectors = np.concatenate([r.vectors for r in rankings]).astype(np.float32, copy=False)
    starts = np.cumsum([0, *(len(r.vectors) for r in rankings[:-1])])
    scores: list[float] = message_scores(rows, vectors, starts, settings).tolist()
    return scores


def _decided(question: str, ranked: list[Candidate], settings: Settings) -> Decided:
    return Decided.of(decide_from_ranking(question, ranked, settings))


def _before(question: str, ranking: Ranking, snapshot: Snapshot, settings: Settings) -> Decided:
    top = [candidate(snapshot.entries[i].entry, s) for i, s in zip(ranking.ids[:2], ranking.scores[:2], strict=False)]
    return _decided(question, top, settings)


def _after(
    question: str,
    ranking: Ranking,
    snapshot: Snapshot,
    entry_id: str,
    edited: tuple[Entry, float] | None,
    settings: Settings,
) -> Decided:
    others = [(i, s) for i, s in zip(ranking.ids, ranking.scores, strict=True) if i != entry_id][:2]
    ranked = [candidate(snapshot.entries[i].entry, s) for i, s in others]
    if edited is not None:
        ranked.append(candidate(*edited))
    ranked.sort(key=lambda c: (-c.score, c.id))
    return _decided(question, ranked[:2], settings)


def impact(
    kb: KnowledgeBase,
    entry_id: str,
    entry: Entry | None,
    questions: list[str],
    with_held_out: bool = True,
    retired: frozenset[tuple[str, str]] = frozenset(),
    form: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Each question's answering entry before and after the change, the counts, and the held-out figures before
    and after with those that got worse by more than the tolerance. ``retired``: (set, question) pairs of
    out-of-scope held-out questions an entry covers now (helpdesk/knowledge/held_out_retired.py), left out.
    ``form``: the editor's form ``entry`` was made from (the Chinese side indexes its texts as written; without
    it, the entry's own fields). English questions are decided by the FAQ engine, Chinese ones by the Chinese side
    (helpdesk/knowledge/impact_chinese.py), as customers asking them are answered."""
    started = time.perf_counter()
    # "before" is the handbook as its folder holds it now, not as the watcher last saw it: a file published, restored
    # or deleted a moment ago (the watcher looks every KB_WATCH_INTERVAL and may be half-way through embedding an
    # entry since deleted) would otherwise be measured against the version before it, and a gate could wave a
    # change through because the entry seemed to be live already
    kb.refresh(save_in_background=True)
    settings = kb.settings
    asked = questions[:MAX_QUESTIONS]
    sets = held_out.load_sets(held_out.held_out_folder()) if with_held_out else ()
    texts = [*asked, *(text for found in sets for text in found.texts)]
    chinese = [i for i, text in enumerate(texts) if language_of(text) == "zh"]
    english = [i for i, text in enumerate(texts) if language_of(text) != "zh"]
    cache = cache_for(kb)
    ranked_before, embedded_before = cache.counts.ranked, cache.counts.embedded
    snapshot, rankings = cache.rankings([texts[i] for i in english])
    ranked_now, embedded_now = cache.counts.ranked - ranked_before, cache.counts.embedded - embedded_before
    rows = edited_rows(kb, entry) if entry is not None else None
    scores = _edited_scores(rows, rankings, settings) if rows is not None else [0.0] * len(rankings)
    before: list[Decided] = [Decided(None, None)] * len(texts)
    after: list[Decided] = [Decided(None, None)] * len(texts)
    for i, ranking, score in zip(english, rankings, scores, strict=True):
        before[i] = _before(texts[i], ranking, snapshot, settings)
        after[i] = _after(texts[i], ranking, snapshot, entry_id, (rows.entry, score) if rows else None, settings)
    zh_rows = None if entry is None else impact_chinese.edited_rows(entry_id, form or impact_chinese.form_of(entry))
    zh = impact_chinese.chinese_outcomes(kb, entry_id, zh_rows, [texts[i] for i in chinese])
    for i, was, will in zip(chinese, zh.before, zh.after, strict=True):
        before[i], after[i] = was, will
    outcomes = [Outcome(q, b.answered, a.answered) for q, b, a in zip(asked, before, after, strict=False)]
    newly = [o for o in outcomes if o.before is None and o.after == entry_id]
    taken = [o for o in outcomes if o.before not in (None, entry_id) and o.after == entry_id]
    stopped = [o for o in outcomes if o.before == entry_id and o.after != entry_id]
    return {
        "questions": len(outcomes),
        "newly_answered": [o.to_json() for o in newly],
        "taken": [o.to_json() for o in taken],
        "stopped": [o.to_json() for o in stopped],
        "held_out": _held_out(sets, snapshot, before[len(asked) :], after[len(asked) :], settings, retired),
        "ranked_now": ranked_now,  # questions ranked from scratch for this preview (not kept from an earlier one)
        "embedded_now": embedded_now,  # question texts embedded for it (not stored by an earlier preview)
        "chinese_questions": len(chinese),  # of them Chinese: decided on the Chinese side
        "chinese_embedded_now": zh.embedded_now,  # Chinese questions embedded for it (not kept from an earlier one)
        "seconds": round(time.perf_counter() - started, 3),
    }


def _held_out(
    sets: tuple[held_out.HeldOutSet, ...],
    snapshot: Snapshot,
    before: list[Decided],
    after: list[Decided],
    settings: Settings,
    retired: frozenset[tuple[str, str]] = frozenset(),
) -> dict[str, Any]:
    """Per held-out set its figures before and after, and every figure worse by more than the tolerance."""
    rows, worse, offset = [], [], 0
    for found in sets:
        size = len(found.in_scope) + len(found.out_of_scope)
        expected = [q.faq_id for q in found.in_scope] + [None] * len(found.out_of_scope)
        texts = found.texts
        keep = [
            i
            for i, e in enumerate(expected)
            if (e is None and (found.name, texts[i]) not in retired) or (e is not None and e in snapshot.entries)
        ]
        pick = [offset + i for i in keep]
        wanted = [expected[i] for i in keep]
        figures_before = held_out.figures(wanted, [before[i].top for i in pick], [before[i].answered for i in pick])
        figures_after = held_out.figures(wanted, [after[i].top for i in pick], [after[i].answered for i in pick])
        changed = [
            {"query": texts[i], "expected": expected[i], "before": before[j].answered, "after": after[j].answered}
            for i, j in zip(keep, pick, strict=True)
            if before[j].answered != after[j].answered or before[j].top != after[j].top and expected[i] is not None
        ]
        rows.append(
            {
                "set": found.name,
                "language": found.language,
                "queries": sum(1 for e in wanted if e is not None),
                "oos": sum(1 for e in wanted if e is None),
                "before": figures_before,
                "after": figures_after,
                "changed": changed[:MAX_CHANGED],  # the held-out questions the change answers differently
                "changed_count": len(changed),
                "retired": sum(1 for i, e in enumerate(expected) if e is None and (found.name, texts[i]) in retired),
            }
        )
        worse += held_out.worse(found.name, figures_before, figures_after, settings.preview_tolerance, found.language)
        offset += size
    return {"sets": rows, "tolerance": settings.preview_tolerance, "worse": worse}


def preview_entry(entry_id: str, form: dict[str, Any]) -> Entry:
    """An Entry from the editor's form fields, the shop facts filled into its answer as the engine serves it (as
    written when the facts do not load or a reference is unknown: the checks tell the editor)."""
    questions = tuple(str(q) for q in form.get("questions") or [] if str(q).strip())
    answer = str(form.get("answer") or "")
    with contextlib.suppress(FactsError):
        answer = render_text(answer, current_facts())
    return Entry(
        id=entry_id,
        title=str(form.get("title") or "").strip() or entry_id,
        questions=questions,
        tags=tuple(str(t) for t in form.get("tags") or []),
        answer=answer,
        path=Path(f"{entry_id}.md"),
        content_hash="preview",
    )
