"""The address part of a whole request (actions/address.py ``address_in_request``), in English and Chinese: what the
address change reads once the order may be changed, so the customer is not asked for an address they already gave."""

from __future__ import annotations

import pytest

from actions.address import address_in_request


@pytest.mark.parametrize(
    ("message", "address"),
    [
        ("change the address of order 100247 to 7 Mill Lane, Leeds LS1 4AB", "7 Mill Lane, Leeds LS1 4AB"),
        (
            "oh wait actually can you change the address to 14 Rue de Rivoli, 75001 Paris instead",
            "14 Rue de Rivoli, 75001 Paris",
        ),
        # the walkthrough of 2026-12-06 (seventh session): the Chinese words before an address read none
        ("把订单100259的收货地址改到 14 Rue de Rivoli, 75001 Paris", "14 Rue de Rivoli, 75001 Paris"),
        ("算了，还是改地址吧，改到 14 Rue de Rivoli, 75001 Paris", "14 Rue de Rivoli, 75001 Paris"),
        ("新地址是：Via Roma 12, 20121 Milano", "Via Roma 12, 20121 Milano"),
        ("请寄到 Kastanienallee 41, 10435 Berlin", "Kastanienallee 41, 10435 Berlin"),
        # the czh lane's walk (2026-12-07): the question particle and the e-mail after the address were the town
        # ("Roma 吗 邮箱marco.rossi@example.org" on the summary, for the yes)
        (
            "我下单时地址写错了 订单100262 能改成 Via Roma 1, 00184 Roma 吗 邮箱marco.rossi@example.org",
            "Via Roma 1, 00184 Roma",
        ),
        ("把地址改成Via Roma 1, 00184 Roma吧，谢谢", "Via Roma 1, 00184 Roma"),
        ("订单100262改地址到 Via Roma 1, 00184 Roma，邮箱 marco.rossi@example.org", "Via Roma 1, 00184 Roma"),
        # the orchestrator's walk of 2026-12-07 (afternoon): the address named "new one", or misspelt
        (
            "my order number is 100259, i need to change the adress before it ships!! new one is 14 rue de la paix, "
            "75002 paris",
            "14 rue de la paix, 75002 paris",
        ),
        ("change my adress: 14 Rue de Rivoli, 75001 Paris", "14 Rue de Rivoli, 75001 Paris"),
    ],
)
def test_the_address_in_a_request_is_read(message: str, address: str) -> None:
    assert address_in_request(message) == address


@pytest.mark.parametrize(
    "message",
    ["I want to change my delivery address", "能不能改到下周3送", "寄到德国一般要几天", "帮我改地址"],
)
def test_a_request_without_an_address_reads_none(message: str) -> None:
    assert address_in_request(message) is None
