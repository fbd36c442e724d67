"""A question about an order's invoice ("订单100254能开发票吗", "亲 100254这个订单发票抬头写错了 能改吗",
"the company name on the invoice for order 100254 is wrong, can it be changed?"). The order number beside it made the
NLU read an order request: the English one started an address change, a Chinese one got "items can't be changed once
placed", another "Did you mean" with the order flows (lane zhwalk's walkthrough of Chinese conversations). The
handbook's invoices entry answers it (where to download it; a guest's copy and a corrected one from the team), without
its "Ordered as a guest? Tell me your order number and the e-mail …" (the number was given: lane fixes), and a person
is offered for the copy, whose offer asks for the e-mail address unless the customer typed one. Only when the words
ask for no order flow themselves ("cancel order 100254 and send me the invoice" is the cancellation, its question
beside it answered as such)."""

from __future__ import annotations

import re

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.handbook_answer import RULE_INVOICE
from actions.parsing import ORDER_NUMBER_RE
from actions.requests import requests_in
from actions.team_checks import answer_with_team_check

INVOICES_ENTRY = "invoices"

INVOICE_RE = re.compile(
    r"发票|發票|收据|收據|抬头|抬頭|税号|稅號|增值税号|\b(?:invoices?|receipts?|vat\s+(?:number|no|id)|tax\s+id)\b",
    re.IGNORECASE,
)


def invoice_asked(text: str) -> bool:
    """The message asks about the invoice of an order it numbers and names no order flow in its words (without a
    number the NLU's own reading stands: "can my company buy from you with our VAT number and get reverse charge" is
    the business-orders question, not the invoices one)."""
    return (
        INVOICE_RE.search(text) is not None
        and ORDER_NUMBER_RE.search(text) is not None
        and requests_in(text).flow is None
    )


def answer_invoice(dispatcher: CollectingDispatcher, tracker: Tracker, text: str) -> bool:
    """The invoices entry's answer for `text`, and a person offered for the copy of the order it names; False when
    the message does not ask about an invoice (or the handbook has no such entry). The order number given is not
    asked for again ("Tell me your order number and the email address you used…"), nor an e-mail address the
    customer typed (actions/team_checks.py)."""
    if not invoice_asked(text):
        return False
    number = ORDER_NUMBER_RE.search(text)
    assert number is not None  # invoice_asked
    return answer_with_team_check(dispatcher, tracker, INVOICES_ENTRY, text, number.group(1), rule=RULE_INVOICE)
