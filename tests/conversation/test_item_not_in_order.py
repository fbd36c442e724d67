"""A damaged item the customer names that is not in the order they gave: the walkthrough of 2026-12-06 ("hi my order
100171 arrived and the mug is cracked", 100171 being one scented candle) got the candle's replacement-or-refund
question at once, and "the mug" got that question again; a person would have said the mug is not in that order.

Now the bot says it can't see the item in the order and asks which item (the order's lines as buttons), taking
another order number or the order's own item next; a loose word for the order's own item ("plates" for its bowls)
is not questioned. Through the running stack. Orders no other test uses, only read (nothing is booked): 100195
(Freja Nielsen, one Fig & cedar scented candle), 100190 (Marco Rossi, one set of stoneware bowls), 100158 (Chiara
Bianchi, one scented candle; in Chinese, where "杯子裂了" (the cup is cracked) was read as a cancellation and got
"订单已签收，无法再取消"). Messages written for this test."""

from __future__ import annotations

from support.chat import Chat

NOT_IN_ORDER = "I can't see the item you mentioned in order 100195."


def test_a_mug_reported_for_an_order_of_one_candle_is_asked_about(chat: Chat) -> None:
    chat("hi my order 100195 came yesterday and the mug is cracked")
    chat("freja.nielsen@example.org")
    assert NOT_IN_ORDER in chat.text, chat.texts
    asked = chat.last["replies"][-1]
    assert "Which items from order 100195" in asked["text"], asked
    assert [b["title"] for b in asked["buttons"]][0] == "Fig & cedar scented candle", asked["buttons"]
    assert "a new one sent to you at no cost" not in chat.text, chat.texts  # nothing chosen for the customer
    chat("the mug!")
    assert NOT_IN_ORDER in chat.text and "a new one sent to you" not in chat.text, chat.texts
    chat("oh wait no, it's the candle that's broken")
    assert "What would you like for Fig & cedar scented candle from order 100195" in chat.text, chat.texts


def test_another_order_number_after_the_question_opens_that_order(chat: Chat) -> None:
    chat("my order 100195 arrived and the mug is cracked")
    chat("freja.nielsen@example.org")
    assert NOT_IN_ORDER in chat.text, chat.texts
    chat("sorry my mistake, it was in order 100190")
    assert "for order 100190?" in chat.text, chat.texts  # the identity check for the other order


def test_a_loose_word_for_the_orders_own_item_is_not_questioned(chat: Chat) -> None:
    chat("my order 100190 arrived and one of the plates is chipped")
    chat("marco.rossi@example.org")
    assert "I can't see the item" not in chat.text, chat.texts
    # one of them chipped: that one piece of the set (lane cen5: it was the whole set)
    assert "What would you like for Stoneware bowls, set of 4 – single piece from order 100190" in chat.text, chat.texts


def test_a_cracked_cup_in_chinese_is_damaged_goods_and_not_in_the_order(chat: Chat) -> None:
    chat("我的订单100158到了，杯子裂了")
    assert "商品破损" in chat.text and "订单 100158" in chat.text, chat.texts
    chat("chiara.bianchi@example.com")
    assert "订单 100158 里好像没有您说的这件商品" in chat.text and "无法再取消" not in chat.text, chat.texts
    chat("蜡烛")
    assert "订单 100158 的无花果雪松香薰蜡烛，您希望我们免费给您寄一件新的，还是全额退款" in chat.text, chat.texts


def test_a_duvet_cover_reported_for_an_order_of_cushion_covers_is_asked_about(chat: Chat) -> None:
    """The walkthrough of 2026-12-06 (fourth session): "the wrong size duvet cover" for order 100162 (two linen
    cushion covers and a set of bowls; Camille Dubois, only read) got "What would you like for Linen cushion cover …:
    the right item sent to you at no cost, or a full refund?": the cushion cover's Chinese name (亚麻抱枕套) held 枕套
    (a pillowcase), so the order seemed to have bedding, and the item reading took "cover" for it."""
    chat("hi i got the wrong size duvet cover, ordered king got double. order 100162")
    chat("camille.dubois@example.net")
    assert "I can't see the item you mentioned in order 100162." in chat.text, chat.texts
    assert "What would you like for" not in chat.text, chat.texts
    asked = chat.last["replies"][-1]
    assert [b["title"] for b in asked["buttons"]][:2] == [
        "Linen cushion cover 50×50, sage",
        "Stoneware bowls, set of 4",
    ]
