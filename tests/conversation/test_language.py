"""The language of every customer message and of the conversation (issue 18.1), through the running stack:
detected by script (a mixed "订单100234" is Chinese), stored per message and per conversation, in the bot's
`language` slot for its replies, and shown to the agent."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

import httpx
from support.agent import HANDOFF_TEXT, Console, say
from support.rasa import rasa_slots

from helpdesk.stack import Stack


def test_each_message_and_the_conversation_carry_the_customers_language(
    stack: Stack, client: httpx.Client, db: sqlite3.Connection, login: Callable[[str], Console]
) -> None:
    def slots(conversation: str) -> dict[str, object]:
        return rasa_slots(stack.ports.rasa, stack.env["RASA_TOKEN"], conversation)

    first = say(client, "订单100234")
    conversation = first["conversation_id"]
    row = db.execute("SELECT language FROM conversations WHERE id = ?", (conversation,)).fetchone()
    assert row[0] == "zh"
    assert slots(conversation)["language"] == "zh"

    say(client, "sorry, can I write in English?", conversation)
    assert slots(conversation)["language"] == "en"  # the customer switched: the bot follows
    queued = say(client, HANDOFF_TEXT, conversation)
    assert queued["mode"] == "queued"
    languages = db.execute(
        "SELECT language FROM messages WHERE conversation_id = ? AND sender = 'customer' ORDER BY id", (conversation,)
    ).fetchall()
    assert [r[0] for r in languages] == ["zh", "en", "en"]

    view = login("sue").get(f"/conversations/{conversation}").json()
    assert view["conversation"]["language"] == "en"
    assert [m["language"] for m in view["messages"] if m["sender"] == "customer"] == ["zh", "en", "en"]


def test_a_message_that_says_no_language_is_answered_and_reported_in_the_conversations(client: httpx.Client) -> None:
    """ "aino.virtanen@example.com" after "你好 我想退货 订单100160": the bot answers in Chinese, and the chat API's
    `language` says so (it said "en", by the script alone, and the widget's own words turned English mid-chat: the
    walkthrough of 2026-12-06, second session). An English word is English again."""
    first = say(client, "你好 我想退货 订单100160")
    conversation = first["conversation_id"]
    assert first["language"] == "zh"
    for neutral in ("aino.virtanen@example.com", "100160"):
        turn = say(client, neutral, conversation)
        assert turn["language"] == "zh", turn
        assert any("订单" in r["text"] for r in turn["replies"]), turn["replies"]
    assert say(client, "sorry, can we do this in English please", conversation)["language"] == "en"
