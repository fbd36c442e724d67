"""A return asked for an order that has not shipped yet, or that the tracking shows on its way. Seen in the walkthrough
of 2026-12-06 (sixth session): "i want to return the blanket from order 100259, its too scratchy" of an unpaid order
got "Order 100259 hasn't been delivered yet, so there is nothing to return yet. If it hasn't shipped, you can cancel
it free of charge instead; just ask me to cancel the order." The bot knew it had not shipped, and left the customer
to ask again.

Now it says the order hasn't shipped, offers the cancellation as a button, and the button goes straight to the
cancellation's yes/no for that order (its proof is not asked again). Through the running stack; the cancellation is
declined at the end, so the orders stay as they were. Orders: 100246 (Eva Novakova, paid), 100248 (Ines Costa,
packed, cancellable until it ships). Messages written for this test."""

from __future__ import annotations

from support.chat import Chat


def test_an_unshipped_order_offers_its_cancellation_as_a_button(chat: Chat) -> None:
    chat("i want to return the wall shelf from order 100246, its way too big for my hallway")
    chat("eva.novakova@example.com")
    refused = chat.text
    assert "Order 100246 hasn't shipped yet, so there is nothing to return." in refused, chat.texts
    # the wall shelf is only part of the order (two tablecloths too): the items can't be taken out one by one, the
    # whole order can be cancelled free (tests/conversation/test_return_part_before_shipping.py)
    assert "You can cancel the whole order free of charge" in refused, chat.texts
    assert "If it hasn't shipped" not in refused, chat.texts
    cancel = [b for b in chat.buttons if b["title"] == "Cancel my order"]
    assert cancel and cancel[0]["payload"] == '/cancel_order{"order_id": "100246"}', chat.buttons
    assert "Talk to a person" in [b["title"] for b in chat.buttons], chat.buttons
    chat(cancel[0]["payload"])
    asked = chat.text
    assert "Cancelling order 100246 cancels all of it" in asked and "Shall I cancel order 100246?" in asked, chat.texts
    assert "e-mail address" not in asked, chat.texts  # the proof given for the return still holds
    chat("no, keep it")
    assert "I haven't cancelled anything" in chat.text, chat.texts


def test_a_chinese_customer_is_offered_the_cancellation_of_a_packed_order(chat: Chat) -> None:
    chat("订单100248里的东西我不想要了，想退货")
    chat("ines.costa@example.com")
    refused = chat.text
    assert "订单 100248 还没有发货，暂时没有可退的商品。" in refused, chat.texts
    assert "您现在仍可以免费取消订单" in refused and "如果还没发货" not in refused, chat.texts
    assert [b["title"] for b in chat.buttons] == ["取消订单", "转人工客服"], chat.buttons


def test_damaged_goods_of_an_order_still_in_transit_are_not_told_to_refuse_the_parcel(chat: Chat) -> None:
    # seen in the same walkthrough: "it's still on its way, so it can't be returned yet ... refuse the parcel on
    # delivery" to a customer saying it arrived damaged (the carrier's tracking lags behind the doorstep)
    chat("hi my throw arrived with a big hole in it, order 100234")
    chat("ann.lee@example.com")
    said = chat.texts[-1]
    assert "tracking still shows order 100234 on its way" in said, chat.texts
    assert "a member of our support team can sort it out with you right away" in said, chat.texts
    assert "refuse the parcel" not in said, chat.texts
    assert "Talk to a person" in [b["title"] for b in chat.buttons], chat.buttons
