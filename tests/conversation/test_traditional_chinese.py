"""A customer writing traditional Chinese (Taiwan, Hong Kong) is served as one writing simplified Chinese, through the
real stack (issue 18): the same routing, the same answer, the same order flow, answered in the customer's script
(helpdesk/conversation/script.py); what the customer wrote is stored and shown as written (nlu_addons/language.py
``simplified`` is only how the bot reads it).

Order 100259 (placed, thomas.leroy) is only looked at: its cancellation is declined at the question. Messages written
for this test."""

from __future__ import annotations

import re
from collections.abc import Callable

import httpx
from support.agent import Console, history
from support.chat import Chat, another_address, client_from

from helpdesk.conversation import script
from nlu_addons.language import simplified as in_simplified

DID_YOU_MEAN = "您是想问下面这些吗"


def new_chat(helpdesk_url: str) -> Chat:
    return Chat(client_from(helpdesk_url, another_address()))


def routing(chat: Chat) -> tuple[str | None, str | None, list[str]]:
    """What the customer got for the message just sent: the intent, the handbook entry answered from, the replies
    (read in simplified characters: a traditional writer's are in traditional ones)."""
    nlu, faq = chat.last.get("nlu") or {}, chat.last.get("faq") or {}
    return nlu.get("intent"), faq.get("id"), [in_simplified(text) for text in chat.texts]


def customer_texts(client: httpx.Client, conversation_id: str) -> list[str]:
    messages = history(client, conversation_id)["messages"]
    return [str(m["text"]) for m in messages if m.get("sender") == "customer"]


def test_a_traditional_payment_problem_is_answered_as_the_simplified_one(helpdesk_url: str) -> None:
    simplified, traditional = new_chat(helpdesk_url), new_chat(helpdesk_url)
    simplified("付款页面一直转圈圈")
    traditional("付款頁面一直轉圈圈")
    assert DID_YOU_MEAN not in traditional.text, traditional.texts
    assert routing(traditional) == routing(simplified), (traditional.last, simplified.last)
    assert traditional.last["language"] == "zh"
    # stored and shown as the customer wrote it
    assert customer_texts(traditional.client, str(traditional.id)) == ["付款頁面一直轉圈圈"]


def test_a_traditional_handbook_question_finds_the_entry_the_simplified_one_finds(helpdesk_url: str) -> None:
    simplified, traditional = new_chat(helpdesk_url), new_chat(helpdesk_url)
    simplified("电子发票在哪里下载")
    traditional("電子發票在哪裡下載")
    assert routing(traditional) == routing(simplified), (traditional.last, simplified.last)
    assert (traditional.last.get("faq") or {}).get("id") == "invoices", traditional.last


def test_a_traditional_cancellation_runs_the_same_flow_and_a_no_keeps_the_order(helpdesk_url: str) -> None:
    simplified, traditional = new_chat(helpdesk_url), new_chat(helpdesk_url)
    for simplified_text, traditional_text in [
        ("我要取消订单", "我要取消訂單"),
        ("订单号100259，邮箱 thomas.leroy@example.com", "訂單號100259，郵箱 thomas.leroy@example.com"),
    ]:
        simplified(simplified_text)
        traditional(traditional_text)
        assert routing(traditional) == routing(simplified), (traditional.last, simplified.last)
    assert "確定要取消訂單 100259 嗎" in traditional.text, traditional.texts  # in the customer's script
    simplified("不用了，还是保留吧")
    traditional("不用了，還是保留吧")
    assert routing(traditional) == routing(simplified), (traditional.last, simplified.last)
    assert "沒有取消任何東西" in traditional.text, traditional.texts
    assert customer_texts(traditional.client, str(traditional.id)) == [
        "我要取消訂單",
        "訂單號100259，郵箱 thomas.leroy@example.com",
        "不用了，還是保留吧",
    ]


def test_the_actions_rules_read_traditional_words_as_simplified_ones(helpdesk_url: str) -> None:
    # the small-talk rule knows 笑话 (a joke is told, chosen by the words read): 笑話 is the same word
    simplified, traditional = new_chat(helpdesk_url), new_chat(helpdesk_url)
    simplified("给我讲个笑话吧")
    traditional("給我講個笑話吧")
    assert "講一個我們倉庫裡的笑話" in traditional.text, traditional.texts
    assert routing(traditional) == routing(simplified), (traditional.last, simplified.last)


SIMPLIFIED_ONLY = re.compile("[为们这说订单请邮]")  # characters only simplified script writes


def test_replies_follow_the_customers_script_also_after_a_message_showing_none(helpdesk_url: str) -> None:
    """The walkthrough of 2026-12-06 (fourth session): a customer writing traditional characters was answered in
    simplified ones. Replies are in traditional characters, also after a message that shows no script (an e-mail
    address, "好的"); a simplified writer's stay simplified; the agent reads what the customer was shown."""
    traditional = new_chat(helpdesk_url)
    traditional("請問我的訂單100234什麼時候到")
    assert "訂單 100234" in traditional.text and not SIMPLIFIED_ONLY.search(traditional.text), traditional.texts
    traditional("ann.lee@example.com")
    assert "已於" in traditional.text and not SIMPLIFIED_ONLY.search(traditional.text), traditional.texts
    traditional("好的")
    assert not SIMPLIFIED_ONLY.search(traditional.text), traditional.texts
    shown = [m["text"] for m in history(traditional.client, str(traditional.id))["messages"] if m["sender"] == "bot"]
    assert shown and not any(SIMPLIFIED_ONLY.search(text) for text in shown), shown

    simplified = new_chat(helpdesk_url)
    simplified("请问我的订单100234什么时候到")
    simplified("ann.lee@example.com")
    assert "订单 100234 已于" in simplified.text, simplified.texts


def test_the_chat_api_reports_the_script_the_customer_writes(helpdesk_url: str) -> None:
    """Issue 18 (lane ui): the chat API says beside `language` which script a Chinese conversation is in (`script`,
    additive), so the widget's own words follow it; a message showing none keeps the one before it."""
    traditional = new_chat(helpdesk_url)
    assert traditional("請問我的訂單100234什麼時候到")["script"] == "Hant"
    assert traditional("ann.lee@example.com")["script"] == "Hant", traditional.last
    assert traditional("好的")["script"] == "Hant", traditional.last
    simplified = new_chat(helpdesk_url)
    assert simplified("请问我的订单100234什么时候到")["script"] == "Hans"
    assert simplified("好的")["script"] == "Hans", simplified.last
    english = new_chat(helpdesk_url)
    assert english("where is my order 100234")["script"] is None  # not Chinese: no script to say
    unknown = new_chat(helpdesk_url)
    assert unknown("好的")["script"] is None, unknown.last  # nothing shows one yet: the widget keeps its own


def test_a_traditional_page_sets_the_script_its_own_words_and_the_replies_are_in(helpdesk_url: str) -> None:
    """A zh-TW page (the widget sends its language, zh-Hant): the widget's own "轉人工客服" is stored as the
    customer saw it (the simplified "转人工客服" made the conversation simplified), and a first line that shows no
    script ("好的") is answered in traditional characters; a zh-CN page's stays simplified."""
    client = client_from(helpdesk_url, another_address())
    greeted = client.post("/api/chat", json={"conversation_id": None, "text": "好的", "lang": "zh-Hant"}).json()
    assert greeted["script"] == "Hant", greeted
    assert not SIMPLIFIED_ONLY.search(" ".join(r["text"] for r in greeted["replies"])), greeted
    asked = client.post(
        "/api/chat", json={"conversation_id": greeted["conversation_id"], "text": "/request_human", "lang": "zh-Hant"}
    ).json()
    assert asked["mode"] == "queued" and asked["script"] == "Hant", asked
    assert customer_texts(client, greeted["conversation_id"])[-1] == "轉人工客服"
    topics = client.get("/api/chat/status", params={"lang": "zh-TW"}).json()["topics"]
    assert topics and not any(SIMPLIFIED_ONLY.search(t["title"]) for t in topics), topics
    assert any(SIMPLIFIED_ONLY.search(t["title"]) for t in client.get("/api/chat/status?lang=zh-CN").json()["topics"])

    simplified_page = client.post("/api/chat", json={"conversation_id": None, "text": "/request_human", "lang": "zh"})
    assert simplified_page.json()["script"] == "Hans", simplified_page.json()
    assert customer_texts(client, simplified_page.json()["conversation_id"]) == ["转人工客服"]


def test_the_helpdesks_notices_to_a_traditional_writer_are_in_traditional_characters(
    helpdesk_url: str, login: Callable[[str], Console]
) -> None:
    """An agent joins and closes the chat of a customer who writes traditional characters: the notices the customer
    reads are in them (a simplified writer's stay simplified: tests/conversation/test_chinese_replies.py)."""
    ben = login("ben")
    chat = new_chat(helpdesk_url)
    chat("轉人工客服")
    assert chat.last["mode"] == "queued", chat.last
    assert ben.post(f"/conversations/{chat.id}/claim").status_code == 200
    assert ben.post(f"/conversations/{chat.id}/resolve").status_code == 200
    notices = [m["text"] for m in history(chat.client, str(chat.id))["messages"] if m["sender"] == "system"]
    assert notices == ["客服 Ben Tester 已加入對話。", "客服 Ben Tester 已結束對話。"], notices


def test_a_refusal_to_a_traditional_widget_is_in_traditional_characters(client: httpx.Client) -> None:
    empty = client.post("/api/chat", json={"conversation_id": None, "text": " "}, headers={"Accept-Language": "zh-TW"})
    assert empty.status_code == 400 and empty.json()["error"] == "消息內容為空：請輸入您想說的話。", empty.json()


def articles(chat: Chat) -> list[str]:
    return [str(r["article"]["title"]) for r in chat.last["replies"] if isinstance(r.get("article"), dict)]


def test_the_article_under_a_traditional_writers_answer_is_titled_in_traditional(helpdesk_url: str) -> None:
    """Lane cwalk's widget walk of 2026-12-07 (zh page, phone): a customer writing traditional characters got the
    answer about delivery prices in traditional characters, and under it the "閱讀全文" card titled "运费怎么收？" in
    simplified ones. The card's title is in the customer's script too (the simplified writer's stays simplified)."""
    simplified, traditional = new_chat(helpdesk_url), new_chat(helpdesk_url)
    simplified("运费多少钱")
    traditional("運費多少錢")
    assert articles(simplified) and articles(traditional), (simplified.last, traditional.last)
    assert articles(traditional) == [script.traditional(title) for title in articles(simplified)], traditional.last
    assert all(script.writes_traditional(title) is not False for title in articles(traditional)), traditional.last
    # the conversation's history (the widget reloaded) shows the same card
    stored = history(traditional.client, str(traditional.id))["messages"]
    assert [m["article"]["title"] for m in stored if m.get("article")] == articles(traditional), stored


def test_a_traditional_return_counts_pieces_keeps_what_it_keeps_and_names_the_pack_as_written(
    helpdesk_url: str,
) -> None:
    """The czh lane's walk (2026-12-07), order 100218 (grace.murphy: a set of 6 tumblers and a tablecloth; nothing is
    booked, each return ends at its question): "只想退2隻杯子" (隻: the measure word 只 as Taiwan writes it) was the
    whole set with no word that a set goes back whole, "桌布留著" (著) returned the tablecloth it keeps, and the set
    read "6 只裝" where a Taiwan customer writes "6 隻裝"."""
    pieces = new_chat(helpdesk_url)
    pieces("訂單100218 我只想退2隻杯子")
    pieces("grace.murphy@example.net")
    assert "是整套出售的，只能整套退回" in pieces.text, pieces.texts
    assert "條紋玻璃杯，6 隻裝" in pieces.text and "6 只裝" not in pieces.text, pieces.texts
    pieces(pieces.buttons[-1]["payload"])  # 不用了

    kept = new_chat(helpdesk_url)
    kept("我要退貨 訂單100218")
    kept("grace.murphy@example.net")
    kept("桌布留著，杯子退掉")
    assert "條紋玻璃杯" in kept.text and "桌布" not in kept.text, kept.texts
    kept(kept.buttons[-1]["payload"])
