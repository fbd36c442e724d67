""" "我要投诉，东西等了两周一直没到，订单100253" (I want to make a complaint, two weeks and still nothing, order
100253): the order number made the NLU unsure, and the bot asked for the order's proof, as if nothing had been said
about a complaint (the czh lane's walk, 2026-12-07; "我要投诉" alone goes to a person, and so does the English
message with its order number). A complaint made in so many words goes to a person, by the shop's policy for
complaints; a "no complaint" does not. Order 100253 (James Whitfield, paid) is only named. Messages written for this
test."""

from __future__ import annotations

from support.chat import Chat


def test_a_complaint_made_in_words_beside_an_order_number_goes_to_a_person(chat: Chat) -> None:
    reply = chat("我要投诉，东西等了两周一直没到，订单100253")
    assert reply["mode"] == "queued" and (reply["handoff"] or {}).get("reason") == "complaint", reply
    assert "下单邮箱或收货邮编" not in chat.text, chat.texts


def test_no_complaint_is_no_complaint(chat: Chat) -> None:
    reply = chat("我不想投诉，就想问下订单100253到哪了")
    assert reply["mode"] == "bot" and reply["handoff"] is None, reply
    assert "订单 100253 的下单邮箱或收货邮编" in chat.text, chat.texts
