"""The handbook editor's impact preview on a real index and model: the rankings it keeps per handbook version
give the same answers as ranking afresh, are carried over a one-entry change without embedding the questions
again, and the held-out figures before and after name what a change makes worse."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from support.kb import HANDBOOK, OUT_OF_SCOPE, PARAPHRASES, entry_path, kb_settings, shared_embedder, write_handbook

from helpdesk.knowledge import held_out, impact
from helpdesk.knowledge.engine import KnowledgeBase
from helpdesk.knowledge.entry_form import from_markdown
from helpdesk.knowledge.preview_cache import RankingCache
from helpdesk.knowledge.scoring import entry_score, message_score, message_scores

QUESTIONS = [
    *PARAPHRASES,
    *OUT_OF_SCOPE,
    "hi there. I bought a voucher last week. how long is it valid for?",
    "do you gift wrap presents",
    "wrap it as a present please",
]


@pytest.fixture()
def kb(tmp_path: Path) -> KnowledgeBase:
    knowledge = KnowledgeBase(write_handbook(tmp_path / "faq"), kb_settings(tmp_path / "index"), shared_embedder())
    knowledge.build()
    return knowledge


@pytest.fixture()
def sets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A held-out 'test' set of this handbook: the paraphrases and the out-of-scope questions."""
    folder = tmp_path / "held-out"
    folder.mkdir()
    rows = [json.dumps({"query": q, "faq_id": faq_id}) for q, faq_id in PARAPHRASES.items()]
    (folder / "queries_test.jsonl").write_text("\n".join(rows) + "\n")
    (folder / "oos_test.jsonl").write_text("\n".join(json.dumps({"query": q}) for q in OUT_OF_SCOPE) + "\n")
    monkeypatch.setattr(held_out, "held_out_folder", lambda: folder)
    return folder


def fresh(kb: KnowledgeBase, questions: list[str]) -> list[list[tuple[str, float]]]:
    return [[(c.id, c.score) for c in ranked] for ranked, _ in kb.search_many(questions, k=12)]


def kept(cache: RankingCache, questions: list[str]) -> list[list[tuple[str, float]]]:
    _, rankings = cache.rankings(questions)
    return [list(zip(r.ids, [round(s, 6) for s in r.scores], strict=True)) for r in rankings]


def same(a: list[list[tuple[str, float]]], b: list[list[tuple[str, float]]], depth: int = 4) -> None:
    for one, other in zip(a, b, strict=True):
        assert [i for i, _ in one[:depth]] == [i for i, _ in other[:depth]]
        assert np.allclose([s for _, s in one[:depth]], [s for _, s in other[:depth]], atol=1e-5)


def test_kept_rankings_equal_fresh_ones_and_are_carried_over_a_one_entry_change(kb: KnowledgeBase) -> None:
    cache = RankingCache(kb)
    same(kept(cache, QUESTIONS), fresh(kb, QUESTIONS))
    assert cache.counts.ranked == len(QUESTIONS)
    kept(cache, QUESTIONS[:5])
    assert cache.counts.ranked == len(QUESTIONS)  # nothing embedded or ranked again on the same version

    path = entry_path(kb.root, "gift-cards")
    path.write_text(
        HANDBOOK["gift-cards"].replace(
            "  - Can I buy a voucher", "  - Can you gift wrap presents?\n  - Can I buy a voucher"
        )
    )
    assert kb.refresh().changed == ["gift-cards"]
    carried = kept(cache, QUESTIONS)
    assert cache.counts.ranked == len(QUESTIONS) and cache.counts.carried == len(QUESTIONS)  # nothing ranked again
    same(carried, fresh(kb, QUESTIONS))
    assert carried[QUESTIONS.index("do you gift wrap presents")][0][0] == "gift-cards"

    path.unlink()  # a removed entry leaves every ranking
    kb.refresh()
    after = kept(cache, QUESTIONS)
    assert all("gift-cards" not in [i for i, _ in ranking] for ranking in after)
    same(after, fresh(kb, QUESTIONS))


def test_one_entry_scored_for_many_messages_at_once_equals_one_by_one(kb: KnowledgeBase) -> None:
    groups = kb.query_texts(kb.snapshot(), QUESTIONS)
    vectors = kb.embed_groups(groups)
    assert any(len(v) > 1 for v in vectors)  # a message with a question sentence is among them
    rows = kb.snapshot().entries["gift-cards"]
    starts = np.cumsum([0, *(len(v) for v in vectors[:-1])])
    together = message_scores(rows, np.concatenate(vectors), starts, kb.settings)
    one_by_one = [
        message_score(entry_score(rows, v, v @ rows.centroid, kb.settings), kb.settings.sentence_weight)
        for v in vectors
    ]
    assert np.allclose(together, one_by_one)


def form_of(kb: KnowledgeBase, entry_id: str) -> dict[str, object]:
    return from_markdown(entry_id, entry_path(kb.root, entry_id).read_text()).to_json()


def test_the_held_out_figures_hold_for_an_unchanged_entry_and_drop_when_it_goes(kb: KnowledgeBase, sets: Path) -> None:
    unchanged = impact.impact(
        kb, "gift-cards", impact.preview_entry("gift-cards", form_of(kb, "gift-cards")), QUESTIONS
    )
    (row,) = unchanged["held_out"]["sets"]
    assert row["set"] == "test" and (row["queries"], row["oos"]) == (len(PARAPHRASES), len(OUT_OF_SCOPE))
    assert row["before"] == row["after"] and unchanged["held_out"]["worse"] == []
    assert not (unchanged["newly_answered"] or unchanged["taken"] or unchanged["stopped"])

    deleted = impact.impact(kb, "gift-cards", None, QUESTIONS)
    (row,) = deleted["held_out"]["sets"]
    assert row["after"]["p_at_1"] == pytest.approx(row["before"]["p_at_1"] - 1 / len(PARAPHRASES), abs=1e-3)
    assert {(w["set"], w["figure"]) for w in deleted["held_out"]["worse"]} >= {("test", "p_at_1")}
    assert deleted["ranked_now"] == 0  # the second preview on this version embedded nothing


def test_a_new_entry_answers_the_questions_it_was_written_for(kb: KnowledgeBase, sets: Path) -> None:
    form = {
        "title": "Do you gift wrap presents?",
        "questions": ["Can you wrap my order as a present?", "is gift wrapping available"],
        "answer": "Yes: choose gift wrapping at checkout for 3 euros; we add a card with your message.",
    }
    found = impact.impact(kb, "gift-wrapping", impact.preview_entry("gift-wrapping", form), QUESTIONS)
    assert {"question": "wrap it as a present please", "before": None, "after": "gift-wrapping"} in found[
        "newly_answered"
    ]
    # answered today with the gift cards' entry (its "gift" is close enough): the new entry takes it
    assert {"question": "do you gift wrap presents", "before": "gift-cards", "after": "gift-wrapping"} in found["taken"]
    assert all(o["after"] == "gift-wrapping" for o in found["newly_answered"])
    assert found["held_out"]["worse"] == []


def test_the_preview_measures_the_handbook_as_its_folder_holds_it_not_as_the_watcher_last_saw_it(
    kb: KnowledgeBase, sets: Path
) -> None:
    """The flaky publish-gate test (tests/web/test_handbook_api.py, 201 instead of 428 under load): a test's entry
    was deleted from the folder while the watcher, mid-way through embedding it, was about to make it live; the wait
    for "no longer served" passed before it was ever served, and the next gate compared the new entry against a
    live index that had it already (before = after: nothing worse). Here the folder changes and no watcher runs."""
    form = {
        "title": "Do you gift wrap presents?",
        "questions": ["Can you wrap my order as a present?", "is gift wrapping available"],
        "answer": "Yes: choose gift wrapping at checkout for 3 euros; we add a card with your message.",
    }
    first = impact.impact(kb, "gift-wrapping", impact.preview_entry("gift-wrapping", form), QUESTIONS)
    assert first["newly_answered"]  # not in the handbook: it would answer new questions
    published = kb.root / "shop" / "gift-wrapping.md"
    published.write_text(
        "---\nid: gift-wrapping\ntitle: Do you gift wrap presents?\nquestions:\n"
        "  - Can you wrap my order as a present?\n  - is gift wrapping available\n---\n" + form["answer"] + "\n"
    )
    again = impact.impact(kb, "gift-wrapping", impact.preview_entry("gift-wrapping", form), QUESTIONS)
    assert again["newly_answered"] == again["taken"] == again["stopped"] == []  # it is there: nothing changes
    assert kb.entry("gift-wrapping") is not None
    published.unlink()
    gone = impact.impact(kb, "gift-wrapping", impact.preview_entry("gift-wrapping", form), QUESTIONS)
    assert gone["newly_answered"] == first["newly_answered"] and kb.entry("gift-wrapping") is None


def test_a_new_process_reads_back_the_stored_vectors_and_rankings_instead_of_embedding(kb: KnowledgeBase) -> None:
    """An action-server restart: a new engine and a new memory on the same index folder embed no question
    again and rank none from scratch; an entry edited while it was down is carried over as after a publish."""
    first = RankingCache(kb)
    kept(first, QUESTIONS)
    assert first.counts.embedded > 0 and first.counts.ranked == len(QUESTIONS)
    first.flush()  # the memory writes the store in its own thread
    first.store.close()

    restarted = KnowledgeBase(kb.root, kb.settings, shared_embedder())
    restarted.build()
    cache = RankingCache(restarted)
    same(kept(cache, QUESTIONS), fresh(restarted, QUESTIONS))
    assert (cache.counts.embedded, cache.counts.ranked) == (0, 0)  # nothing embedded, nothing ranked afresh
    assert cache.counts.restored == len(set(QUESTIONS)) and cache.counts.vectors_reused == 0
    cache.flush()
    cache.store.close()

    path = entry_path(kb.root, "gift-cards")
    path.write_text(
        HANDBOOK["gift-cards"].replace(
            "  - Can I buy a voucher", "  - Can you gift wrap presents?\n  - Can I buy a voucher"
        )
    )
    edited = KnowledgeBase(kb.root, kb.settings, shared_embedder())
    edited.build()
    again = RankingCache(edited)
    carried = kept(again, QUESTIONS)
    same(carried, fresh(edited, QUESTIONS))
    assert again.counts.carried > 0 and again.counts.ranked == again.counts.dropped
    assert carried[QUESTIONS.index("do you gift wrap presents")][0][0] == "gift-cards"
