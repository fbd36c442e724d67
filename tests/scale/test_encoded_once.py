"""Each customer message is embedded once (issue 22): by Rasa's one-pass NLU, whose routing decision carries the
handbook ranking to the action server; the FAQ engine there does not embed the question again."""

from __future__ import annotations

import secrets
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


def questions_remembered(stack: Stack) -> int:
    return int(httpx.get(f"http://127.0.0.1:{stack.ports.actions}/kb/status", timeout=30).json()["queries_remembered"])


def test_a_question_searched_again_is_not_embedded_again(stack: Stack, client: httpx.Client) -> None:
    """The agents' FAQ candidates of a handed-off conversation, the help centre and the bot's fallbacks each search
    the FAQ engine; the same question again (here the help centre's search twice) is ranked from the vectors its
    first search embedded (helpdesk/knowledge/embedder.py `Embedder.encode_query`): the same results, no pass."""
    question = f"can my linen duvet cover {secrets.token_hex(3)} go in the tumble dryer"  # searched by no other test
    embedded, remembered = questions_embedded(stack), questions_remembered(stack)
    first = client.get("/help", params={"q": question})
    assert first.status_code == 200
    assert (questions_embedded(stack), questions_remembered(stack)) == (embedded + 1, remembered)
    again = client.get("/help", params={"q": question})
    assert again.status_code == 200 and results_of(again.text) == results_of(first.text)
    assert (questions_embedded(stack), questions_remembered(stack)) == (embedded + 1, remembered + 1)


def results_of(page: str) -> str:
    assert 'id="results-h"' in page, page[:2000]
    return page.split('id="results-h"')[1].split("</section>")[0]
