"""Each customer message is embedded once (issue 22): by Rasa's one-pass NLU, whose routing decision carries the
handbook ranking to the action server; the FAQ engine there does not embed the question again."""

from __future__ import annotations

import time

import httpx

from helpdesk.stack import Stack


def questions_embedded(stack: Stack) -> int:
    """How many customer questions the action server's FAQ engine has embedded so far (/kb/status), once the count
    holds still (a background search from an earlier test may still be running)."""
    url = f"http://127.0.0.1:{stack.ports.actions}/kb/status"
    last = httpx.get(url, timeout=30).json()["queries_embedded"]
    for _ in range(20):
        time.sleep(0.5)
        now = httpx.get(url, timeout=30).json()["queries_embedded"]
        if now == last:
            return int(now)
        last = now
    return int(last)


def test_a_handbook_question_is_answered_without_a_second_embedding(stack: Stack, client: httpx.Client) -> None:
    before = questions_embedded(stack)
    response = client.post("/api/chat", json={"conversation_id": None, "text": "what is your refund policy?"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["faq"] is not None and body["faq"]["id"] == "refund-policy", body
    assert body["replies"] and "original payment method" in body["replies"][0]["text"]
    assert questions_embedded(stack) == before  # answered from the NLU's ranking, not a search of its own
    # the counter counts: the help centre's search box is the FAQ engine's to answer, and embeds its query
    page = client.get("/help", params={"q": "how do refunds work"})
    assert page.status_code == 200 and "refund" in page.text.lower()
    assert questions_embedded(stack) == before + 1
