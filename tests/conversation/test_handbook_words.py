"""A customer's short or non-native wording of a handbook question, in the entry's own words, is answered (issue 17).

Such a wording scores under the handbook gate, in the band where questions about services the shop does not offer
also score, so the bot used to ask "Did you mean". Now the entry is answered when every content word of the message
is one of the entry's own, two of them words few entries use (nlu_addons.handbook_index.HandbookIndex.covers, the
arbiter's ``faq_covered_from`` and ``faq_covered_margin``); a near question with a word the entry does not use is still
not answered from it. Messages written for this test (not
copied from the eval sets or the training data).
"""

from __future__ import annotations

import httpx
import pytest
from support.agent import say

COVERED = [
    ("circle perks?", "vip-benefits"),
    ("what benefits in the circle for me", "vip-benefits"),
]


@pytest.mark.parametrize(("text", "entry"), COVERED)
def test_a_wording_in_the_entrys_own_words_is_answered(client: httpx.Client, text: str, entry: str) -> None:
    result = say(client, text)
    assert result["faq"] is not None and result["faq"]["id"] == entry, (result["nlu"], result["replies"])
    assert result["handoff"] is None and result["mode"] == "bot"
    assert not [b for reply in result["replies"] for b in reply.get("buttons") or []], result["replies"]


def test_a_near_question_with_a_word_the_entry_does_not_use_is_not_answered_from_it(client: httpx.Client) -> None:
    # fabric samples: the shop has no entry for them; the exchanges entry scores as near as the wordings above
    result = say(client, "can i get fabric swatches sent to me")
    assert result["faq"] is None, result["faq"]
