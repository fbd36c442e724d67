"""A customer who says they paid, asking about an order the shop still shows as waiting for payment ("order 100259 - i
paid yesterday but it still says waiting for payment??"). The status alone ("… is waiting for your payment; we pack it
as soon as it arrives") told them what they had just said was wrong, and no more. The bot cannot see payments: after
the status, a person is offered to check the payment of that order (as for a double charge: actions/team_checks.py)."""

from __future__ import annotations

import re

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.handoff import offer_person
from actions.texts import render
from actions.texts.catalog import orders as say
from actions.turns import request_says
from helpdesk.orders import Order, OrderStatus
from helpdesk.vocabulary import HANDOFF_REQUESTED

PAID_RE = re.compile(
    r"\bi\s+(?:have\s+|'ve\s+|already\s+|did\s+|just\s+)*(?:paid|payed|transferred\s+the\s+money|sent\s+the\s+money)\b"
    r"|\bi'?ve\s+(?:already\s+)?paid\b|\b(?:already|just)\s+paid\b"
    r"|\b(?:payment|money)\s+(?:has\s+|had\s+|was\s+)?(?:already\s+)?(?:gone\s+through|went\s+through|left\s+my|"
    r"been\s+taken|taken|debited)\b"
    r"|(?:已经|已|早就)(?:付|支付|付款|转账)|付过(?:款|钱)?了|钱(?:已经)?(?:扣|付)了|(?:已经)?扣款了",
    re.IGNORECASE,
)


def said_paid(tracker: Tracker) -> bool:
    """The customer said, in this request's messages, that they have paid."""
    return request_says(tracker, PAID_RE)


def offer_payment_check(dispatcher: CollectingDispatcher, tracker: Tracker, order: Order) -> bool:
    """After the status of an order waiting for payment that the customer says they paid: a person offered to check
    the payment; False (nothing said) otherwise."""
    if order.status is not OrderStatus.PLACED or not said_paid(tracker):
        return False
    offer_person(dispatcher, tracker, render(say.PAID_NOT_SEEN, order_id=order.number), HANDOFF_REQUESTED)
    return True
