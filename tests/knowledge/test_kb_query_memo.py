"""A question the FAQ engine searched lately is not embedded again (issue 22): the engine remembers the vectors of its
latest queries (helpdesk/knowledge/embedder.py `Embedder.encode_query`). The same question searched again (the agents'
FAQ candidates of a handed-off conversation, the help centre, the bot's own fallbacks, or another customer typing the
same words) gets the same ranking and the same decision as an engine that remembers nothing, without an encoder
pass; the memory is bounded."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from support.kb import kb_settings, write_handbook

from helpdesk.knowledge.embedder import Embedder
from helpdesk.knowledge.engine import KnowledgeBase

QUESTIONS = [
    "what is your refund policy?",
    "hi",  # nothing is left once the greeting goes: the text itself is embedded
    "hello, how long does delivery takee?",  # a greeting stripped, a typo corrected against the handbook's words
    # several sentences: the question sentence is embedded with the whole message (two rows in one pass)
    "I ordered a lamp last week. It has not come yet. How long does delivery take?",
    "I want to talk to a person",
]


def built(handbook: Path, index: Path, embedder: Embedder) -> KnowledgeBase:
    kb = KnowledgeBase(handbook, kb_settings(index), embedder)
    kb.build()
    return kb


@pytest.fixture(scope="module")
def engines(tmp_path_factory: pytest.TempPathFactory) -> tuple[KnowledgeBase, KnowledgeBase]:
    """The same handbook in an engine that remembers its queries and in one that remembers none."""
    base = tmp_path_factory.mktemp("memo")
    handbook = write_handbook(base / "faq")
    remembering = built(handbook, base / "index-a", Embedder(threads=1))
    forgetting = built(handbook, base / "index-b", Embedder(threads=1, remember_queries=0))
    return remembering, forgetting


def test_a_question_searched_again_is_ranked_the_same_without_an_encoder_pass(
    engines: tuple[KnowledgeBase, KnowledgeBase],
) -> None:
    kb, plain = engines
    for question in QUESTIONS:
        first = kb.search(question, k=5)
        passes, texts = kb.embedder.calls, kb.embedder.texts_encoded
        again = kb.search(question, k=5)
        decided = kb.decide(question)
        assert (kb.embedder.calls, kb.embedder.texts_encoded) == (passes, texts), question  # no pass made
        assert again == first == plain.search(question, k=5), question  # ids, titles and scores alike
        assert decided == plain.decide(question), question  # answer, suggest or hand off: the same
        assert first, question
    status = kb.status()
    assert (status["queries_embedded"], status["queries_remembered"]) == (len(QUESTIONS), 2 * len(QUESTIONS))
    # the engine that remembers nothing embeds every search
    assert (plain.queries_embedded, plain.queries_remembered) == (2 * len(QUESTIONS), 0)


def test_the_remembered_queries_are_bounded_and_handed_out_as_copies() -> None:
    embedder = Embedder(threads=1, remember_queries=2)
    rug, showroom, sundays = ["my rug slips on the floor"], ["can I hire the showroom"], ["do you deliver on sundays"]
    first, embedded = embedder.encode_query(rug)
    assert embedded and first.shape == (1, 384)
    first[:] = 0.0  # the caller's copy: what is remembered stays as the encoder gave it
    again, embedded = embedder.encode_query(rug)
    assert not embedded and float(np.abs(again - embedder.encode(rug)).max()) == 0.0
    assert embedder.encode_query(showroom)[1] and embedder.encode_query(sundays)[1]  # room for two: the rug goes
    assert not embedder.encode_query(sundays)[1] and not embedder.encode_query(showroom)[1]
    assert embedder.encode_query(rug)[1]
    # a query of two texts is remembered as that pair (its rows come from one pass of both)
    pair = ["I ordered a lamp. Where is it?", "Where is it?"]
    assert embedder.encode_query(pair)[1] and not embedder.encode_query(pair)[1]
    assert embedder.encode_query(pair[:1])[1]
