"""Goods of a just-looked-up order said to be broken, or a bare return beside the goods (the orchestrator's walk of
2026-12-07, afternoon): after order 100207's status (Sofia Papadopoulou, delivered: a set of 4 stoneware plates and
a throw), "the plates are broken can i return them" and "盘子坏了 能退吗" got the ordinary return summary (the broken
plates to be posted back, no replacement offered), where "can i return them? the plates came broken" got the
damaged-item answer and "replacement or refund?"; "能退吗 盘子有点问题" got the handbook's final-sale answer and no
return. Through the running stack; nothing is booked (the conversations stop at the question). Messages written for
this test."""

from __future__ import annotations

from support.chat import Chat

ORDER, EMAIL = "100207", "sofia.papadopoulou@example.net"


def test_plates_said_broken_get_the_damage_answer_and_a_replacement_offered(chat: Chat) -> None:
    chat(f"order {ORDER} {EMAIL} status pls")
    assert f"Order {ORDER} was delivered" in chat.text, chat.texts
    chat("the plates are broken can i return them")
    assert "Here's the return for order" not in chat.text, chat.texts
    assert "a new one sent to you at no cost" in chat.text and "Stoneware dinner plates" in chat.text, chat.texts


def test_plates_said_broken_in_chinese_get_the_damage_answer(chat: Chat) -> None:
    chat(f"订单{ORDER} {EMAIL} 查一下")
    assert f"订单 {ORDER} 已于" in chat.text, chat.texts
    chat("盘子坏了 能退吗")
    assert "的退货如下" not in chat.text, chat.texts
    assert "炻瓷餐盘" in chat.text and "免费给您寄一件新的" in chat.text, chat.texts


def test_a_bare_return_beside_the_goods_starts_their_return(chat: Chat) -> None:
    chat(f"订单{ORDER} {EMAIL} 查一下")
    chat("能退吗 盘子有点问题")
    assert "最终销售" not in chat.text, chat.texts
    assert f"订单 {ORDER} 的退货如下" in chat.text and "炻瓷餐盘" in chat.text, chat.texts
    assert "粗针织毯" not in chat.text, chat.texts  # the plates alone
    chat("不用了")
