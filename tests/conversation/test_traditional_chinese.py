"""A customer writing traditional Chinese (Taiwan, Hong Kong) is served as one writing simplified Chinese, through the
real stack (issue 18): the same routing, the same answer, the same order flow, answered in the customer's script
(helpdesk/conversation/script.py); what the customer wrote is stored and shown as written (nlu_addons/language.py
``simplified`` is only how the bot reads it).

Order 100259 (placed, thomas.leroy) is only looked at: its cancellation is declined at the question. Messages written
for this test."""

from __future__ import annotations

import re

import httpx
from support.agent import history
from support.chat import Chat, another_address, client_from

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
