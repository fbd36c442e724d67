"""A customer taking leave while the bot waits for an answer (the walkthrough of 2026-12-06, third session, and
lane zhwalk's): "谢谢 拜拜" at the identity question got the question again, "ok thanks bye" got "I'm not sure I can
answer that one, sorry. Now, back to your order. …". Now the farewell, the request ended (a new one starts fresh);
at the yes/no of a change, that nothing was changed. Orders 100234 (Ann Lee, shipped) and 100259 (Thomas Leroy,
placed) are only read. Messages written for this test."""

from __future__ import annotations

import pytest
from support.chat import Chat


@pytest.mark.parametrize(
    ("asked", "leaving", "farewell"),
    [
        ("我的订单100234到哪了", "谢谢 拜拜", "再见，感谢您在 Larkspur Home 购物！"),
        ("where is my order 100234", "ok thanks bye", "Goodbye, and thanks for shopping with Larkspur Home!"),
    ],
)
def test_a_farewell_at_the_identity_question_ends_the_request(
    chat: Chat, asked: str, leaving: str, farewell: str
) -> None:
    chat(asked)
    assert "100234" in chat.text, chat.texts  # the identity question
    chat(leaving)
    assert chat.texts == [farewell], chat.texts
    assert chat.last["replies"][0]["feedback"] is None  # a farewell is no answer to rate
    chat(asked)  # a new request starts from the beginning
    assert "100234" in chat.text and farewell not in chat.text, chat.texts


def test_a_farewell_at_the_yes_no_of_a_cancellation_changes_nothing(chat: Chat) -> None:
    chat("帮我取消订单100259，邮箱 thomas.leroy@example.com")
    assert "100259" in chat.text and "取消" in chat.text, chat.texts  # the yes/no
    chat("谢谢 拜拜")  # read by the NLU as thanks: the form sees the farewell
    assert len(chat.texts) == 2 and "100259" in chat.texts[0], chat.texts  # nothing was cancelled
    assert chat.texts[1] == "再见，感谢您在 Larkspur Home 购物！", chat.texts
    assert all(reply["feedback"] is None for reply in chat.last["replies"]), chat.last["replies"]


@pytest.mark.parametrize(
    ("asked", "letting_go", "nothing_booked"),
    [
        ("i want to return order 100171, lars.haugen@example.net", "nvm then. thx", "I haven't booked anything"),
        ("我要退货 订单100171 lars.haugen@example.net", "算了吧，谢谢", "没有办理任何退货"),
    ],
)
def test_letting_a_return_go_at_its_yes_no_books_nothing(
    chat: Chat, asked: str, letting_go: str, nothing_booked: str
) -> None:
    """The walkthrough of 2026-12-06 (fourth session), in Chromium: "nvm then. thx" at "Shall I book this return?"
    (read by the NLU as thanks 0.67 / no 0.32) got the same summary and question again. Order 100171 (Lars Haugen,
    one candle) is only read."""
    chat(asked)
    assert "100171" in chat.text and chat.buttons, chat.texts  # the summary and its yes/no
    chat(letting_go)
    assert nothing_booked in chat.text and "100171" in chat.text, chat.texts
    assert not chat.buttons, chat.texts  # not the yes/no again
