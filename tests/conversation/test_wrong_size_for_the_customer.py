"""A size wrong for the customer is their return, not the shop's mistake (lane cust's walk, 2026-12-07): "the throw
from 100207 is the wrong size, can I return it" got "Sorry for the mix-up! We'll send you the correct item at no
extra cost" and a free replacement or refund for a wrong item. The shop sent what was ordered: an ordinary return.
"you sent me the wrong size" is still the shop's mistake. Order 100207 (Sofia Papadopoulou, delivered): every summary
here is declined, nothing is booked. Messages written for this test."""

from __future__ import annotations

from support.chat import Chat

ORDER = "100207"
EMAIL = "sofia.papadopoulou@example.net"
MIX_UP = "Sorry for the mix-up"


def test_a_throw_that_is_the_wrong_size_goes_back_as_an_ordinary_return(chat: Chat) -> None:
    chat(f"the throw from {ORDER} is the wrong size, can I return it")
    assert MIX_UP not in chat.text, chat.texts
    chat(EMAIL)
    assert f"Here's the return for order {ORDER}" in chat.text and "Chunky knit throw" in chat.text, chat.texts
    assert "What would you like for" not in chat.text, chat.texts  # no replacement offered: nothing was sent wrong
    chat("no")
    assert "I haven't booked anything" in chat.text, chat.texts


def test_a_size_the_shop_sent_wrong_is_still_its_mistake(chat: Chat) -> None:
    chat(f"you sent me the wrong size, order {ORDER}")
    assert MIX_UP in chat.text, chat.texts
