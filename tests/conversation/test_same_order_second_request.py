"""Two requests about the same order in one message, through the running stack (the walkthrough of 2026-12-06,
third session): "hi, where's order 100162 and can i return the bowls from it?" got the status, and the return only
as a handbook question offered beside it ("About your other question …: How do I return an item?"). Now the status,
then "Now, your other request about order 100162." and that return, its items read from the words ("the bowls"),
the identity checked once. Orders 100162 (Camille Dubois, delivered) and 100259 (Thomas Leroy, placed) are only
read: each change ends at its yes/no with a no. Messages written for this test."""

from __future__ import annotations

from support.chat import Chat


def test_a_status_and_a_return_of_the_same_order(chat: Chat) -> None:
    chat("hi, where's order 100162 and can i return the bowls from it?")
    assert "About your other question" not in chat.text and "You've asked two things" not in chat.text, chat.texts
    chat("camille.dubois@example.net")
    assert "Order 100162 was delivered" in chat.texts[0], chat.texts
    assert "Now, your other request about order 100162." in chat.text, chat.texts
    assert "Here's the return for order 100162:\n- 1 × Stoneware bowls, set of 4" in chat.text, chat.texts
    assert "Linen cushion cover" not in chat.texts[-1], chat.texts  # only the bowls
    chat("no")
    assert "I haven't booked anything for order 100162" in chat.text, chat.texts


def test_a_status_and_a_cancellation_of_the_same_order(chat: Chat) -> None:
    chat("where is order 100259 and can i cancel it?")
    chat("thomas.leroy@example.com")
    assert "Now, your other request about order 100259." in chat.text, chat.texts
    assert "Shall I cancel order 100259?" in chat.text, chat.texts
    chat("no")
    assert "I haven't cancelled anything" in chat.text, chat.texts


def test_a_status_and_a_bare_address_change_of_the_same_order(chat: Chat) -> None:
    """The walkthrough of 2026-12-06 (seventh session, lane walk1): "where is my order 100259 and can i change the
    adress" (the change naming nothing but itself) got the handbook's answer about address changes and the status;
    the change never started, though the answer said "give me the new address"."""
    chat("where is my order 100259 and can i change the adress")
    assert "You've asked two things" not in chat.text, chat.texts
    chat("thomas.leroy@example.com")
    assert "Now, your other request about order 100259." in chat.text, chat.texts
    assert "What's the new delivery address for order 100259?" in chat.texts[-1], chat.texts


def test_a_status_and_a_question_about_address_changes_stays_a_question(chat: Chat) -> None:
    chat("where is my order 100259 and how do i change the delivery address")
    assert (chat.last.get("faq") or {}).get("id") == "shipping-addresses", chat.texts
    chat("thomas.leroy@example.com")
    assert "Now, your other request" not in chat.text, chat.texts


def test_a_chinese_status_and_a_return_of_the_same_order_in_one_sentence(chat: Chat) -> None:
    """The walkthrough of 2026-12-06 (fourth session): "订单100162到哪了，这个订单能退货吗" (one sentence, no question
    particle before the comma) got the status and nothing of the return; the clause naming "这个订单" is a request
    of its own about the same order."""
    chat("订单100162到哪了，这个订单能退货吗")
    chat("camille.dubois@example.net")
    assert "订单 100162 已于" in chat.texts[0], chat.texts
    assert "接下来办理您对订单 100162 的另一个请求。" in chat.text, chat.texts
    assert "您想退回订单 100162 里的哪些商品？" in chat.texts[-1], chat.texts
    chat("两个都退")
    assert "订单 100162 的退货如下" in chat.text, chat.texts
    chat("不用了")
    assert "100162" in chat.text and "退货" in chat.text, chat.texts
