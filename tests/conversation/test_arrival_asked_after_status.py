"""When the parcel comes, asked right after the order's status (lane czh3's walk, 2026-12-07): "大概哪天能到？"
(about which day will it come?) after "订单 100234 已于 … 由 DHL 发出。预计 … 前送达。" got "很抱歉让您久等了。…
我再重复一遍也帮不上忙 … 需要我为您转接人工客服吗？", as if the customer had said the tracking had not moved; in
English "so when will it arrive?" got "I'm sorry it's taking so long …" too. A customer who only asks what the
status says gets the status again (its expected date), with a person a button away; one who says it has not moved
still gets a person offered (tests/conversation/test_status_not_moved.py). Through the running stack; nothing is booked.

Order 100234 (Ann Lee, shipped with DHL) of the demo shop, which tests only read. Messages written for this test.
"""

from __future__ import annotations

import pytest
from support.chat import Chat

ORDER = "100234"
EMAIL = "ann.lee@example.com"


@pytest.mark.parametrize(
    ("asked", "when", "arrives", "sorry", "person"),
    [
        (f"我的订单{ORDER}到哪了", "大概哪天能到？", "前送达", "很抱歉让您久等了", "转人工客服"),
        (f"where is my order {ORDER}", "so when will it arrive?", "should arrive by", "taking so long", "person"),
    ],
)
def test_when_it_arrives_asked_after_the_status_gets_the_expected_date(
    chat: Chat, asked: str, when: str, arrives: str, sorry: str, person: str
) -> None:
    chat(asked)
    chat(EMAIL)
    status = chat.texts[0]
    assert arrives in status and "DHL" in status, chat.texts
    chat(when)
    assert sorry not in chat.text, chat.texts
    assert chat.texts[0] == status, chat.texts
    assert any(person in button["title"] for button in chat.buttons), chat.last["replies"]
