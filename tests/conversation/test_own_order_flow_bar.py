"""An order flow for a message naming the customer's own order starts at its own bar (issue 17, flow_answer_at).

"any progress on my order" is an order-status request about the customer's own order in a customer's words; the
arbiter is sure of the order-status flow, but under the answer_at every destination needs (0.85), so the bot asked
"Did you mean" with the flow as the first button. Naming the order itself ("my order", "my purchase", an order
number) the flow needs flow_answer_at (0.75) instead: it starts and asks which order. Message written for this test.
"""

from __future__ import annotations

import httpx
from support.agent import say


def test_a_request_about_my_order_in_a_customers_words_starts_its_flow(client: httpx.Client) -> None:
    result = say(client, "any progress on my order")
    assert result["nlu"]["intent"] == "order_status", result["nlu"]
    assert result["faq"] is None and result["handoff"] is None
    texts = " ".join(reply.get("text") or "" for reply in result["replies"])
    assert "order number" in texts, result["replies"]
    assert not any(reply.get("buttons") for reply in result["replies"]), result["replies"]
