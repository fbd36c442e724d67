"""Words saying a parcel never reached the customer, and orders that should have by now (actions/missing_parcel.py;
through the stack: tests/conversation/test_missing_parcel.py). Messages written for this test."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from actions.missing_parcel import NOT_RECEIVED_RE, missing
from helpdesk.orders import Address, Order, OrderStatus

TODAY = date(2026, 12, 6)


@pytest.mark.parametrize(
    "text",
    [
        "it says delivered but i never got it",
        "tracking says delivered, I haven't received anything",
        "the parcel is missing",
        "my package was stolen?",
        "i cant find my parcel anywhere",
        "显示已签收但是我没收到",
        "快递说送到了我没拿到",
        "包裹丢了",
    ],
)
def test_words_saying_it_never_arrived(text: str) -> None:
    assert NOT_RECEIVED_RE.search(text)


@pytest.mark.parametrize(
    "text", ["where is my order 100212", "when will my order arrive", "i got it, thanks", "订单100234到哪了"]
)
def test_words_that_say_nothing_of_the_kind(text: str) -> None:
    assert not NOT_RECEIVED_RE.search(text)


def order(status: OrderStatus, expected: date | None = None) -> Order:
    return Order(
        number="100212",
        customer_id="c1",
        email="ann.lee@example.com",
        status=status,
        placed_at=datetime(2026, 11, 28, tzinfo=UTC),
        shipping_address=Address(name="Ann Lee", street="Laan 1", city="Den Haag", postcode="2511 AB", country="NL"),
        lines=(),
        total=Decimal("10.00"),
        expected_delivery=expected,
    )


def test_delivered_or_late_orders_are_missing_and_others_not() -> None:
    assert missing(order(OrderStatus.DELIVERED), TODAY)
    assert missing(order(OrderStatus.SHIPPED, date(2026, 12, 3)), TODAY)
    assert not missing(order(OrderStatus.SHIPPED, date(2026, 12, 8)), TODAY)
    assert not missing(order(OrderStatus.PAID, date(2026, 12, 3)), TODAY)
