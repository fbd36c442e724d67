"""A question at a change's yes/no is no yes (actions/forms.py asks_instead_of_yes): "等等，镜子拆封了还能退吗" at
"要为您办理这次退货吗？" booked the return (lane czh2's walk, 2026-12-07). Asking the bot to do it, or asking for
nothing but that very change, stays the yes it was. Through the stack: tests/conversation/
test_chinese_followups_and_conditions.py."""

from __future__ import annotations

import pytest

from actions.forms import SAID_WRONG_RE, asks_instead_of_yes
from actions.order_state import CANCEL, RETURN


@pytest.mark.parametrize(
    ("text", "flow"),
    [
        ("等等，镜子拆封了还能退吗", RETURN),
        ("用过一次了还能退吗", RETURN),
        ("wait, can i still return the rug if i opened it", RETURN),
        ("ok so is the label free?", RETURN),
        ("取消的话运费会退吗", CANCEL),
    ],
)
def test_a_question_about_the_change_is_no_yes(text: str, flow: str) -> None:
    assert asks_instead_of_yes(text, flow)


@pytest.mark.parametrize(
    ("text", "flow"),
    [
        ("可以取消吗？", CANCEL),
        ("能帮我取消吗", CANCEL),
        ("那就退吧", RETURN),
        ("还能退吗", RETURN),
        ("can i cancel it?", CANCEL),
        ("can you cancel it please", CANCEL),
        ("yes could u book it", RETURN),
        ("return it", RETURN),
    ],
)
def test_asking_for_the_change_itself_is_still_the_yes(text: str, flow: str) -> None:
    assert not asks_instead_of_yes(text, flow)


@pytest.mark.parametrize(
    ("text", "wrong"),
    [
        ("地址写错了", True),
        ("sorry the house number is wrong", True),
        ("数量不对", True),
        ("没错，改吧", False),  # right, change it
        ("不错，就这样", False),  # good, like that
        ("yes change it", False),
    ],
)
def test_something_said_to_be_wrong_at_the_yes_or_no(text: str, wrong: bool) -> None:
    assert (SAID_WRONG_RE.search(text) is not None) is wrong
