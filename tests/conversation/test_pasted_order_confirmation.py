"""An order confirmation pasted into the chat with nothing asked (lane cwalk's widget walk of 2026-12-07): the
customer pastes the confirmation e-mail's text first, as many do, and got "I'm not completely sure what you mean.
Did you mean one of these?" with unrelated topics ("Do you have a physical shop?", "Membership benefits",
"Change the items of an order"), although the order number was there. Now they are asked what to do with that order,
with its topics as buttons, as for the order number on its own ("100218"); what they ask next is about that order,
and an e-mail address in the paste is the order's proof. A paste with a request after it is that request.
Order 100218 (Grace Murphy, delivered) is only looked at. Messages written for this test."""

from __future__ import annotations

import pytest
from support.chat import Chat

ORDER = "100218"
EN_PASTE = (
    f"Your Larkspur order #{ORDER}\nOrder date: 30 November 2026\n1 x Ribbed tumblers, set of 6  €32.00\n"
    "1 x Washed linen tablecloth 160x250  €79.00\nTotal: €111.00"
)
EN_ONE_LINE = (
    f"Order Confirmation #{ORDER} Thank you for your order, Grace! Items: Tumblers (set of 6) x1, "
    "Linen tablecloth x1. Total €111.00"
)
ZH_PASTE = (
    f"订单确认\n订单号：{ORDER}\n下单时间：2026年11月30日\n水洗亚麻桌布 ×1  €79.00\n条纹玻璃杯 ×1  €32.00\n"
    "合计：€111.00"
)


@pytest.mark.parametrize("paste", [EN_PASTE, EN_ONE_LINE])
def test_a_pasted_confirmation_is_asked_what_to_do_with_its_order(chat: Chat, paste: str) -> None:
    chat(paste)
    assert f"What would you like me to do with order {ORDER}" in chat.text, chat.texts
    assert "Did you mean" not in chat.text, chat.texts
    assert "Where is my order?" in [b["title"] for b in chat.buttons], chat.buttons
    chat("where is it")
    assert f"for order {ORDER}?" in chat.texts[-1], chat.texts  # that order's identity check


def test_a_chinese_pasted_confirmation_is_asked_what_to_do_with_its_order(chat: Chat) -> None:
    chat(ZH_PASTE)
    assert f"订单 {ORDER} 需要我做什么" in chat.text, chat.texts


def test_an_email_address_in_the_paste_is_the_orders_proof(chat: Chat) -> None:
    chat(f"{EN_PASTE}\nEmail: grace.murphy@example.net")
    assert f"What would you like me to do with order {ORDER}" in chat.text, chat.texts
    chat("/order_status")
    assert "delivered" in chat.text.lower() and "Ribbed tumblers" in chat.text, chat.texts  # no second proof asked


def test_a_paste_with_a_request_after_it_is_that_request(chat: Chat) -> None:
    chat(f"{EN_PASTE}\nhow do i return the tablecloth")
    assert f"for order {ORDER}?" in chat.texts[-1], chat.texts
