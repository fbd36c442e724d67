"""The arbiter's reading of an English return of a thing the customer names (nlu_addons.arbiter.returns_a_named_thing):
such a message is a request about the customer's own goods, acted on from the flows' lower bar (flow_answer_at) as
"my order" is; a policy question that names nothing of the customer's is not."""

from __future__ import annotations

import pytest

from nlu_addons.arbiter import returns_a_named_thing


@pytest.mark.parametrize(
    "message",
    [
        "the rug just doesn't work in our living room, can I send it back",
        "hmm the cushion cover doesnt really work with our sofa, can i return it",
        "the plates are not what I expected, I wish to return them",
        "My new lamp flickers. How do I ship it back?",
    ],
)
def test_a_named_thing_sent_back_is_a_return_of_the_customers_goods(message: str) -> None:
    assert returns_a_named_thing(message)


@pytest.mark.parametrize(
    "message",
    [
        "can I return items after 30 days?",
        "how do returns work",
        "do you take back sale items",
        "can i return it",
        "地毯不合适，可以退回去吗 return it",
    ],
)
def test_a_question_naming_nothing_of_the_customers_is_not(message: str) -> None:
    assert not returns_a_named_thing(message)
