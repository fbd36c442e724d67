"""A Chinese customer is answered in Chinese through the real stack (issue 18.4): order status, a cancellation, a
return, a handbook question and 人工客服, every reply and button Chinese; a button keeps the conversation's
language; a message mixing both scripts is Chinese; switching to English switches the bot back.

Orders used only here (knowledge/demo/shop.yml): 100252 (packed, hannah.fischer), 100209 (delivered 5 days ago,
aino.virtanen); 100234 is read only."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable

import httpx
from support.agent import Console, history, say
from support.chat import Chat

CJK = re.compile(r"[\u3400-\u9fff]")
# English sentences (not product names, carriers, links or e-mail addresses, which stay as the shop wrote them)
ENGLISH = re.compile(r"\b(?:the|your|you|is|has|we|will|please|order|shall|what|can)\b", re.IGNORECASE)


def data_removed(text: str) -> str:
    text = re.sub(r"https?://\S+|\S+@\S+|RMA-\S+", " ", text)
    return re.sub(r"^- .*$", " ", text, flags=re.MULTILINE)  # item lines: product names are the shop's


def assert_chinese(chat: Chat) -> None:
    assert chat.last["replies"], chat.last
    for reply in chat.last["replies"]:
        text = str(reply["text"])
        assert CJK.search(text), text
        assert not ENGLISH.search(data_removed(text)), text
        for button in reply.get("buttons") or []:
            assert CJK.search(button["title"]) or re.fullmatch(r"[\w ,×/.-]+", button["title"]), button


def test_a_chinese_customer_checks_cancels_returns_asks_and_gets_a_person_all_in_chinese(
    client: httpx.Client, db: sqlite3.Connection
) -> None:
    status = Chat(client)
    status("我的订单100234到哪了？邮编 2511 AB")
    assert_chinese(status)
    assert "订单 100234 已于" in status.text and "DHL" in status.text, status.text
    assert re.search(r"\d{4}年\d{1,2}月\d{1,2}日", status.text), status.text

    cancel = Chat(client)
    cancel("我想取消订单100252，邮箱是 hannah.fischer@example.com")
    assert_chinese(cancel)
    assert "取消订单 100252 会取消整个订单" in cancel.text and "€" in cancel.text, cancel.text
    assert {b["title"] for b in cancel.buttons} >= {"是的，取消订单", "不，保留订单"}
    cancel("是的")
    assert_chinese(cancel)
    assert "订单 100252 已取消" in cancel.text, cancel.text

    ret = Chat(client)
    ret("我要退货，订单号100209，邮箱 aino.virtanen@example.com")
    assert_chinese(ret)
    while "要为您办理这次退货" not in ret.text:  # which items: everything
        assert ret.turns < 3, ret.text
        ret("全部")
        assert_chinese(ret)
    assert "订单 100209 的退货如下" in ret.text and "€" in ret.text, ret.text
    ret("是的")
    assert_chinese(ret)
    assert re.search(r"订单 100209 的退货已登记：RMA-100209-[0-9A-Z]{4}", ret.text), ret.text

    question = Chat(client)
    question("配送需要多长时间？")
    assert_chinese(question)
    question("转人工客服")
    assert question.last["mode"] == "queued"
    assert_chinese(question)
    row = db.execute("SELECT language FROM conversations WHERE id = ?", (question.id,)).fetchone()
    assert row[0] == "zh"


def test_a_mixed_message_is_answered_in_chinese_and_english_switches_back(client: httpx.Client) -> None:
    chat = Chat(client)
    chat("where is my 订单 100234?")
    assert_chinese(chat)
    assert "邮箱或收货邮编" in chat.text, chat.text
    chat("postcode 2511 AB please")  # the customer switches to English: so does the bot
    assert "Order 100234 shipped" in chat.text, chat.text
    assert not CJK.search(chat.text), chat.text


def test_a_button_keeps_the_chinese_of_its_title(client: httpx.Client) -> None:
    """Rasa skips its NLU for a button's intent payload: the helpdesk passes the title's language with it."""
    chat = Chat(client)
    chat("你好")
    assert_chinese(chat)
    status_button = next(b for b in chat.buttons if b["payload"] == "/order_status")
    assert status_button["title"] == "我的订单到哪了？"
    chat(status_button["payload"])
    assert_chinese(chat)
    assert "订单号" in chat.text, chat.text


def test_the_notices_when_a_person_joins_and_leaves_follow_the_conversations_language(
    client: httpx.Client, login: Callable[[str], Console]
) -> None:
    ben = login("ben")
    chinese = say(client, "转人工客服")["conversation_id"]
    english = say(client, "I want to talk to a real person please")["conversation_id"]
    for conversation in (chinese, english):
        assert ben.post(f"/conversations/{conversation}/claim").status_code == 200
        assert ben.post(f"/conversations/{conversation}/resolve").status_code == 200
    notices = {
        conversation: [m["text"] for m in history(client, conversation)["messages"] if m["sender"] == "system"]
        for conversation in (chinese, english)
    }
    assert notices[chinese] == ["客服 Ben Tester 已加入对话。", "客服 Ben Tester 已结束对话。"], notices
    assert notices[english] == ["Ben Tester has joined the chat.", "Ben Tester closed the chat."], notices


def test_chinese_sentences_run_on_without_a_space(chat: Chat) -> None:
    """The walkthrough of 2026-12-07 (walk1): small talk in Chinese was answered "能让您开心就好！ 我可以帮您处理订单…",
    with an English space between the two Chinese sentences. Messages written for this test."""
    chat("哈哈你真好玩")
    assert_chinese(chat)
    assert not re.search(r"[。！？] ", chat.text), chat.texts
