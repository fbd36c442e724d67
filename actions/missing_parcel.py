"""A parcel the customer says never reached them ("it says delivered but i never got it", "订单100212显示已签收但是我没
收到", "我的包裹还没到"). The order status alone ("was delivered on Tuesday … you can return it until …") answers the
wrong question: after it the bot says what to check and that the team opens an investigation with the carrier (the
handbook's order-not-arrived entry says the same), with a person offered. Only for an order that is delivered, or on
its way past its expected date: one still on time is answered by its status ("it should arrive by Tuesday")."""

from __future__ import annotations

import re
from datetime import date

from rasa_sdk import Tracker

from actions.turns import request_says
from helpdesk.orders import Order, OrderStatus

NOT_RECEIVED_RE = re.compile(
    r"\b(?:never|not|haven'?t|hasn'?t|didn'?t|did\s+not|have\s+not|has\s+not|still\s+not|nt)\s+(?:\w+\s+){0,2}"
    r"(?:got|gotten|get|receiv\w*|recie?v\w*|arriv\w*|come|came|turned\s+up|showed\s+up|seen|there)\b"
    r"|\b(?:missing|lost|stolen)\s+(?:parcel|package|order|delivery)\b|\b(?:parcel|package|order)\s+(?:is\s+|was\s+)?"
    r"(?:missing|lost|stolen)\b|\bcan'?t\s+find\s+(?:it|the\s+parcel|my\s+parcel|the\s+package|my\s+package)\b"
    r"|没收到|沒收到|没拿到|沒拿到|没有收到|沒有收到|没见到|沒見到|没看到|沒看到|找不到|丢了|丟了|不见了|不見了"
    # "我的包裹还没到", "快递一直没来", "一直沒送到", "至今未收到": not arrived, not only not received (not a refund
    # that has not reached the account yet, "退款还没到账", nor a date not reached, "还没到期")
    r"|(?:没|沒)(?:有)?(?:送|寄)?到(?![账帳期时時])|(?:没|沒)(?:有)?[来來](?!得)|未(?:收|送|寄)?到",
    re.IGNORECASE,
)


def said_not_received(tracker: Tracker) -> bool:
    """The customer said, in this request's messages, that the parcel did not reach them."""
    return request_says(tracker, NOT_RECEIVED_RE)


def missing(order: Order, today: date) -> bool:
    """The order should have reached the customer by now: delivered, or on its way past its expected date."""
    if order.status is OrderStatus.DELIVERED:
        return True
    expected = order.expected_delivery
    return order.status is OrderStatus.SHIPPED and expected is not None and expected < today
