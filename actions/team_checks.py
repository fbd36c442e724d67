"""An order number sent right after a handbook answer that asked for it so the team can check something the bot
cannot do itself: "I was charged twice" (answered: "… tell me your order number(s) and we'll check it"), then
"100247"; the guest's invoice copy ("Tell me your order number … and I'll have a copy sent to you"); the missing
item ("tell me your order number and which item is missing … We'll check the packing record"); a warranty claim
("contact our support team with your order number"). The walkthrough of 2026-12-06 (walk1): the number got "What
would you like me to do with order 100247: check where it is, cancel it, or start a return?", none of which is what
was promised. A person is offered for that check, with the order named (the helpdesk adds the wait or the hours)."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.handbook_answer import answer_entry_by_id
from actions.handbook_followup import last_answer_entry
from actions.handoff import offer_person
from actions.order_state import OrderState
from actions.parsing import ORDER_NUMBER_RE
from actions.requests import OTHER_ORDER_RE
from actions.texts import render
from actions.texts.catalog import orders as say
from helpdesk.vocabulary import HANDOFF_REQUESTED

# the handbook entries (knowledge/faq/) whose answer asks for the order number for the team's check, and the offer's
# text (its name in actions/texts/orders.py)
TEAM_CHECKS: dict[str, str] = {
    "double-charge": "PERSON_FOR_PAYMENT_CHECK",
    "extra-item": "PERSON_FOR_EXTRA_ITEM",
    "invoices": "PERSON_FOR_INVOICE_COPY",
    "missing-item": "PERSON_FOR_MISSING_ITEM",
    "warranty": "PERSON_FOR_WARRANTY_CLAIM",
}


def order_for_check(tracker: Tracker, question: str, known: bool = True) -> str | None:
    """The order a question for a team check is about: the number it names, else the order the conversation has
    verified ("can i get an invoice for it" right after order 100234's status: the invoices answer asked "Ordered as
    a guest? Tell me your order number and the email address you used"), unless it speaks of another order; None
    when there is neither (or, not ``known``, no number named: inside another request)."""
    named = ORDER_NUMBER_RE.search(question)
    if named:
        return named.group(1)
    state = OrderState.from_tracker(tracker)
    if known and state.verified and state.order_id is not None and OTHER_ORDER_RE.search(question) is None:
        return state.order_id
    return None


def offer_team_check(dispatcher: CollectingDispatcher, tracker: Tracker, entry_id: str, order_id: str) -> bool:
    """A person offered for the check handbook entry ``entry_id`` asks the order number for, for order
    ``order_id`` (not asking again for the e-mail address the customer gave); False (nothing said) when the entry
    asks for none."""
    text_name = TEAM_CHECKS.get(entry_id)
    if text_name is None:
        return False
    text = render(getattr(say, text_name), order_id=order_id)
    offer_person(dispatcher, tracker, text, HANDOFF_REQUESTED)
    return True


def person_for_team_check(dispatcher: CollectingDispatcher, tracker: Tracker, order_id: str) -> bool:
    """A person offered for the check the answer just before asked order ``order_id`` for; False (nothing said)
    when that answer asked for none."""
    entry_id = last_answer_entry(tracker)
    return entry_id is not None and offer_team_check(dispatcher, tracker, entry_id, order_id)


def answer_with_team_check(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    entry_id: str,
    question: str,
    order_id: str,
    rule: str | None = None,
) -> bool:
    """Handbook entry ``entry_id``'s answer to a question that names order ``order_id`` ("I was charged twice for
    order 100247", "can i get the invoice for 100234? i ordered as a guest"): without its request for the order
    number, and a person offered for the check when the entry asks for one. False (nothing said) without the entry."""
    if not answer_entry_by_id(dispatcher, entry_id, question, order_number=order_id, rule=rule):
        return False
    offer_team_check(dispatcher, tracker, entry_id, order_id)
    return True
