"""A question at "replacement or refund?" is answered, not taken as the choice (the walk of 2026-12-07, lane cen5, in
the widget): "how long will the replacement take?" at that question summed up a replacement ("Here's the replacement
for order 100207 … Shall I book this replacement?"), the question unanswered. Now the handbook's replacement-time
answer comes and the question is asked again, its buttons with it; a choice said with a question around it ("can i
get a refund?") is still the choice. In English and Chinese. Through the running stack; nothing is booked (no test
here says yes).

Order 100207 (Sofia Papadopoulou, delivered: stoneware dinner plates, set of 4, and a throw), which tests only read.
Messages written for this test.
"""

from __future__ import annotations

import pytest
from support.chat import Chat

ORDER = "100207"
EMAIL = "sofia.papadopoulou@example.net"


@pytest.mark.parametrize(
    ("report", "question", "answered", "asked_again"),
    [
        (
            f"the plates from order {ORDER} arrived broken",
            "how long will the replacement take?",
            "leaves our warehouse within",
            "Shall we send you a replacement at no cost, or refund you €59.00?",
        ),
        (f"订单{ORDER}的盘子碎了", "换新要多久？", "出库", "要我们免费给您换货，还是退款 €59.00？"),
    ],
)
def test_how_long_a_replacement_takes_is_answered_and_the_choice_asked_again(
    chat: Chat, report: str, question: str, answered: str, asked_again: str
) -> None:
    chat(report)
    chat(EMAIL)
    buttons = [b["title"] for b in chat.buttons]
    assert len(buttons) == 2 and "€59.00" in buttons[1], chat.texts
    chat(question)
    assert answered in chat.text, chat.texts  # the handbook's replacement-time answer
    assert asked_again in chat.texts[-1] and [b["title"] for b in chat.buttons] == buttons, chat.texts


def test_a_choice_asked_as_a_question_is_still_the_choice(chat: Chat) -> None:
    chat(f"the plates from order {ORDER} arrived broken")
    chat(EMAIL)
    chat("can i get a refund?")
    assert f"Here's the return for order {ORDER}:" in chat.text and "€59.00" in chat.text, chat.texts
    chat("no")
    assert f"I haven't booked anything for order {ORDER}" in chat.text, chat.texts
