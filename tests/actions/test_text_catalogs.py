"""The bot's texts in both languages: every English template has a Chinese one with the same placeholders, the
catalog follows the conversation's language per call, and dates, amounts, order statuses and refusals come out
in Chinese for a Chinese conversation (and stay English otherwise)."""

from __future__ import annotations

import importlib
import re
import string
import sys
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from helpdesk import i18n
from helpdesk.config import PROJECT_ROOT
from helpdesk.orders import messages as order_messages
from helpdesk.orders import messages_zh, policy_texts, policy_texts_zh
from helpdesk.orders.model import Address, Order, OrderLine, OrderStatus, RefundState, RefundStatus
from helpdesk.orders.policy import Action, OrderPolicy

sys.path.insert(0, str(PROJECT_ROOT))  # the actions package lives at the project root
from actions.texts import catalog  # noqa: E402

CJK = re.compile(r"[\u3400-\u9fff]")


def placeholders(value: object) -> set[str]:
    if isinstance(value, str):
        return {name for _, name, _, _ in string.Formatter().parse(value) if name}
    if isinstance(value, dict):
        return set().union(*(placeholders(v) for v in value.values())) if value else set()
    if isinstance(value, tuple):
        return set().union(*(placeholders(v) for v in value)) if value else set()
    return set()


def templates(module: object) -> dict[str, object]:
    return {
        name: value
        for name, value in vars(module).items()
        if name.isupper() and isinstance(value, str | dict | tuple) and not name.startswith("_")
    }


@pytest.mark.parametrize("name", catalog.TRANSLATED)
def test_every_action_text_has_a_chinese_version_with_the_same_placeholders(name: str) -> None:
    english = templates(importlib.import_module(f"actions.texts.{name}"))
    chinese = templates(importlib.import_module(f"actions.texts.zh.{name}"))
    assert english
    assert set(chinese) == set(english), (name, set(english) ^ set(chinese))
    for key, value in english.items():
        assert placeholders(chinese[key]) == placeholders(value), (name, key)
        if isinstance(value, dict):
            assert set(chinese[key]) == set(value), (name, key)  # type: ignore[arg-type]
        if CJK.sub("", str(value)) != str(value) or re.search(r"[A-Za-z]{3,}", re.sub(r"\{\w+\}", "", str(value))):
            assert CJK.search(str(chinese[key])), (name, key)  # words to translate (not just "- {n} × {name}")


def test_order_status_texts_have_chinese_versions_with_the_same_placeholders() -> None:
    english = {k: v for k, v in templates(order_messages).items() if isinstance(v, str)}
    chinese = templates(messages_zh)
    assert set(chinese) == set(english)
    for key, value in english.items():
        assert placeholders(chinese[key]) == placeholders(value), key


def test_order_policy_texts_have_chinese_versions_with_the_same_placeholders() -> None:
    # one home for the order rules' sentences in both languages (the Chinese were a subclass of code before)
    english, chinese = templates(policy_texts), templates(policy_texts_zh)
    assert len(english) > 60 and set(chinese) == set(english), set(english) ^ set(chinese)
    for key, value in english.items():
        if isinstance(value, dict):
            assert set(value) <= set(chinese[key]), key  # every country the English names, the Chinese names too
            continue
        assert placeholders(chinese[key]) == placeholders(value), key
        if re.search(r"[A-Za-z]{3,}", re.sub(r"\{\w+\}", "", str(value))):
            assert CJK.search(str(chinese[key])), key


def test_the_catalog_follows_the_language_of_the_call() -> None:
    assert catalog.orders.STOPPED.startswith("No problem")
    with i18n.speaking("zh"):
        assert catalog.orders.STOPPED.startswith("没问题")
        with i18n.speaking("en"):
            assert catalog.orders.STOPPED.startswith("No problem")
        assert catalog.smalltalk.RESUME == "好，我们继续处理您的订单。"
    assert catalog.smalltalk.RESUME == "Now, back to your order."
    assert catalog.in_every_language(catalog.smalltalk, "OFFER_YES_BUTTON") == {"Yes, get a person", "好的，转人工"}


def test_dates_and_amounts_per_language() -> None:
    day = date(2026, 12, 2)
    assert i18n.long_date(day) == "Wednesday 2 December"
    assert i18n.money(Decimal("79.45")) == "€79.45"
    with i18n.speaking("zh-CN"):
        assert i18n.long_date(day) == "2026年12月2日（星期三）"
        assert i18n.money(Decimal("1079.45")) == "€1,079.45"  # the shop's currency, whatever the language
        assert i18n.join_names(["台灯", "抱枕", "蜡烛"]) == "台灯、抱枕和蜡烛"


def order(status: OrderStatus) -> Order:
    placed = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
    return Order(
        number="100999",
        customer_id="C-LI",
        email="li.wei@example.cn",
        status=status,
        placed_at=placed,
        shipping_address=Address("Li Wei", "Torstraße 1", "Berlin", "10115", "DE"),
        total=Decimal("79.45"),
        shipped_at=datetime(2026, 11, 21, 9, 0, tzinfo=UTC),
        delivered_at=datetime(2026, 11, 24, 15, 0, tzinfo=UTC),
        carrier="DHL",
        lines=(OrderLine(sku="LH-LAMP", name="Linen lamp", quantity=1, unit_price=Decimal("79.45")),),
    )


def test_an_order_status_and_a_refusal_in_chinese_and_in_english() -> None:
    delivered = order(OrderStatus.DELIVERED)
    now = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)
    english = order_messages.describe_order(delivered, now=now)
    assert english.startswith("Order 100999 was delivered on Tuesday 24 November.")
    refusal = OrderPolicy().refusal(Action.CANCEL, "already_delivered", delivered, now)
    assert refusal.text.startswith("Order 100999 has already been delivered")
    with i18n.speaking("zh"):
        chinese = order_messages.describe_order(delivered, now=now)
        assert chinese.startswith("订单 100999 已于 2026年11月24日（星期二）签收。"), chinese
        assert "订单内容：\n- 1 × Linen lamp" in chinese
        refused = OrderPolicy().refusal(Action.CANCEL, "already_delivered", delivered, now)
        assert refused.text.startswith("订单 100999 已签收，无法再取消。"), refused.text
        assert not re.search(r"[A-Za-z]{4,}", refused.text.replace("Linen lamp", "")), refused.text
        shop = OrderPolicy().refusal(Action.CHANGE_ADDRESS, "shop_refused", delivered, now)
        assert shop.text.startswith("我们的商城系统不允许我修改订单 100999 的收货地址。"), shop.text
    assert (
        OrderPolicy()
        .refusal(Action.CHANGE_ADDRESS, "shop_refused", delivered, now)
        .text.startswith("Our shop system wouldn't let me change the delivery address of order 100999.")
    )


def test_a_button_payload_carries_the_language_of_its_title() -> None:
    assert i18n.payload_in_language("/order_status", "zh") == '/order_status{"language": "zh"}'
    assert i18n.payload_in_language('/faq{"faq_id": "delivery-times"}', "zh") == (
        '/faq{"faq_id": "delivery-times", "language": "zh"}'
    )
    assert i18n.payload_in_language("How long does delivery take?", "en") == "How long does delivery take?"
    assert i18n.payload_in_language("/faq{broken", "zh") == "/faq{broken"


def test_a_refund_on_its_way_says_where_the_money_goes_in_chinese() -> None:
    """The czh lane's walk (2026-12-07): "最晚将于 2026年12月21日（星期一）退出" (退出: "to quit") right after a
    cancellation; the money goes back to the original payment method, as the cancellation's summary says."""
    processing = RefundStatus("100999", RefundState.PROCESSING, Decimal("166.95"), expected_by=date(2026, 12, 21))
    with i18n.speaking("zh"):
        by_date = order_messages.describe_refund(processing)
        soon = order_messages.describe_refund(RefundStatus("100999", RefundState.PROCESSING, Decimal("166.95")))
    assert by_date == "订单 100999 的退款 €166.95 正在处理中，最晚将于 2026年12月21日（星期一）退回您的原支付方式。"
    assert soon.endswith("很快就会退回您的原支付方式。") and "退出" not in soon, soon
