"""A change of mind at the yes/no of a change, through the running stack: the walkthrough of 2026-12-06 (third
session) answered "wait no dont cancel it, change the adress instead" at "Shall I cancel order 100259?" with "Alright,
I haven't cancelled anything" and dropped the address change (the address typed next was offered to a person); and
"whats ur refund polcy" beside the cancellation was never answered.

Now the no is said and the other change starts for the same order at once; the question beside the request is
answered first. Order 100259 (Thomas Leroy, placed) is only read: every change ends at its yes/no with a no. Messages
written for this test."""

from __future__ import annotations

import pytest
from support.chat import Chat

ORDER, EMAIL = "100259", "thomas.leroy@example.com"


def test_no_to_the_cancellation_and_the_address_change_instead(chat: Chat) -> None:
    chat(f"hi! i need to cancel order {ORDER} and also whats ur refund polcy")
    assert "You've asked two things" in chat.text and "original payment method" in chat.text, chat.texts
    chat(EMAIL)
    assert f"Shall I cancel order {ORDER}?" in chat.text, chat.texts
    chat("wait no dont cancel it, change the adress instead")
    assert f"I haven't cancelled anything: order {ORDER} goes ahead as planned." in chat.text, chat.texts
    assert f"What's the new delivery address for order {ORDER}?" in chat.text, chat.texts
    chat("5 Rue Sainte-Catherine, 33000 Bordeaux, France")
    assert f"Shall I change the delivery address of order {ORDER} to" in chat.text, chat.texts
    assert "get a person" not in chat.text, chat.texts
    chat("no")
    assert "as it was" in chat.text, chat.texts


def test_no_to_the_cancellation_and_the_address_change_instead_in_chinese(chat: Chat) -> None:
    chat(f"帮我取消订单{ORDER}")
    chat(EMAIL)
    assert f"订单 {ORDER}" in chat.text, chat.texts
    chat("算了不取消了，还是改地址吧")
    assert "新收货地址" in chat.text and f"订单 {ORDER}" in chat.text, chat.texts


@pytest.mark.parametrize(
    ("asked", "changed_mind", "declined", "status"),
    [
        # lane zhwalk's walkthrough of Chinese conversations: "nothing cancelled" and the status check dropped
        (
            f"亲，订单{ORDER}能取消吗？邮箱{EMAIL}",
            "算了，还是不取消了，帮我查下什么时候发货吧",
            "我没有取消任何东西",
            "订单内容",
        ),
        (
            f"cancel order {ORDER} please, {EMAIL}",
            "no dont cancel it, where is it instead?",
            "I haven't cancelled",
            "What's in it",
        ),
        # lane cen's walk of 2026-12-07: "keep it" is a no to the cancellation (the yes/no came again, word for word)
        (
            f"can i cancel {ORDER}? its taking forever. {EMAIL}",
            "hmm no actually keep it, when will it arrive",
            "I haven't cancelled",
            "What's in it",
        ),
    ],
)
def test_no_to_the_cancellation_and_the_status_instead(
    chat: Chat, asked: str, changed_mind: str, declined: str, status: str
) -> None:
    chat(asked)
    assert ORDER in chat.text and len(chat.buttons) == 2, chat.texts  # the yes/no
    chat(changed_mind)
    assert declined in chat.texts[0], chat.texts
    assert status in chat.text and ORDER in chat.texts[-1], chat.texts  # the order's status follows


def test_no_to_the_cancellation_and_another_change_asked_without_instead(chat: Chat) -> None:
    """The walkthrough of 2026-12-06 (fourth session): "oh and whats ur return policy" beside the cancellation was never
    answered (the chat spelling after "oh and" did not split the message), and "wait actually dont cancel, can i just
    change the address" at the yes/no said "nothing cancelled" and dropped the address change (no "instead")."""
    chat(f"hey can u cancel my order pls its {ORDER} oh and whats ur return policy")
    assert "You've asked two things" in chat.text and "30 days of delivery" in chat.text, chat.texts
    chat(EMAIL)
    assert f"Shall I cancel order {ORDER}?" in chat.text, chat.texts
    chat("wait actually dont cancel, can i just change the address")
    assert f"I haven't cancelled anything: order {ORDER} goes ahead as planned." in chat.text, chat.texts
    assert f"What's the new delivery address for order {ORDER}?" in chat.text, chat.texts
    chat("no")
