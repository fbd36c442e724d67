"""A yes with thanks at a change's yes/no (lane cust's note, 2026-12-07): "好的谢谢" answering "要为您办理这次退货吗？"
showed the same summary again and booked nothing, as if the customer had said nothing; a yes with thanks is a yes
there, as at the offer of a person (actions/offer_reply.py). "不用了谢谢" is still a no. Order 100181 (Hannah
Fischer, delivered: one duvet cover), which no other test books, has its return booked here once; order 100218's
summary (Grace Murphy, as in tests/conversation/test_damage_told_during_return.py) is declined. Messages written
for this test."""

from __future__ import annotations

from support.chat import Chat

ORDER = "100181"
EMAIL = "hannah.fischer@example.com"
ASKED = "要为您办理这次退货"


def test_ok_thanks_at_the_returns_summary_books_the_return(chat: Chat) -> None:
    chat(f"我要退货 订单{ORDER}")
    chat(EMAIL)
    assert ASKED in chat.texts[-1], chat.texts
    chat("好的谢谢")
    assert f"订单 {ORDER} 的退货已登记：RMA-{ORDER}-" in chat.text, chat.texts
    assert ASKED not in chat.text, chat.texts


def test_no_thanks_at_the_returns_summary_books_nothing(chat: Chat) -> None:
    chat("我要退货 订单100218")
    chat("grace.murphy@example.net")
    chat("杯子")
    assert ASKED in chat.texts[-1], chat.texts
    chat("不用了谢谢")
    assert "退货已登记" not in chat.text and "RMA-" not in chat.text, chat.texts


def test_ok_thanks_at_the_new_address_question_is_no_address(chat: Chat) -> None:
    """ "好的谢谢" to "订单 100259 的新收货地址是什么？" was read as an address lacking a postcode, a street and a city;
    the question comes again. Order 100259 (Thomas Leroy, placed): nothing is changed."""
    chat("订单100259的地址能改吗")
    chat("thomas.leroy@example.com")
    assert "新收货地址是什么" in chat.text, chat.texts
    chat("好的谢谢")
    assert "完整的新地址" in chat.text and "缺少" not in chat.text, chat.texts
