"""The new address typed right after the assistant said an order's address can no longer be changed (it has shipped,
is packed or delivered). The customer often sends it anyway; read alone it was "What would you like me to do with
order …: check where it is, cancel it, or start a return?" or "I'm not sure I have a good answer" (the walkthrough of
2026-12-06). It is an answer to the refusal: that this address can't be used for the order, and what they can do
instead (from the shop's policy for the order as it is now: redirect it with the carrier, or refuse it), in the
customer's language, with a person a button away. Not the refusal word for word: they have just read it.

Likewise "so what can I do?", "what now", "那怎么办" right after a refused address change or cancellation: read alone
it was "Sure, what is it?" or "I'm not sure I have a good answer … shall I get a person?" (the walkthrough of
2026-12-06); it asks for the refusal's options, so they are the answer (what the customer can still do), with a
person a button away."""

from __future__ import annotations

import re

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.address import looks_like_address_in_any_script
from actions.order_state import (
    CANCEL,
    CHANGE_ADDRESS,
    FORM,
    LAST_FLOW,
    ORDER_ID,
    RETURN,
    OrderState,
    order_system,
    person_button,
)
from actions.texts.catalog import address as address_texts
from actions.texts.catalog import in_every_language
from actions.texts.catalog import orders as order_texts
from actions.turns import bot_messages_before_latest, said
from helpdesk.i18n import join_sentences
from helpdesk.orders import BackendError, Order, OrderNotFound, OrderSystem, PolicyRefusal
from helpdesk.orders.model import utc_now
from helpdesk.orders.policy import ALREADY_SHIPPED


async def address_after_refused_change(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType] | None:
    """The refusal said again when the customer's message is an address and the assistant's messages just before
    refused the address change of the order known; None otherwise (and when the order system cannot be read: the
    message then goes the usual way)."""
    text = str(tracker.latest_message.get("text") or "")
    if tracker.get_slot(LAST_FLOW) != CHANGE_ADDRESS or not looks_like_address_in_any_script(text):
        return None
    again = address_texts.REFUSED_AGAIN.format(order_id=tracker.get_slot(ORDER_ID))
    just_said = await refusal_just_said(tracker, CHANGE_ADDRESS, also=again)
    if just_said is None:
        return None
    order, refusal = just_said
    # not the refusal word for word (the customer has just read it): that this address can't be used, then what
    # they can do instead (for a shipped order in other words: its tracking link is in the refusal just above)
    instead = refusal.alternative
    if refusal.reason_code == ALREADY_SHIPPED:
        instead = address_texts.SHIPPED_STILL_POSSIBLE.format(carrier=order.carrier or address_texts.THE_CARRIER)
    dispatcher.utter_message(text=join_sentences([again, instead]), buttons=[person_button()])
    return []


# "so what can I do?", "what now", "what are my options then", "那怎么办", "那我该怎么办呢": the whole message asks
# what to do next (a question about something else names it, and goes its own way)
WHAT_NOW_RE = re.compile(
    r"^\W*(?:(?:so|ok(?:ay)?|then|well|hmm+|and|but|ugh|oh)\b[\s,.!]*)*"
    r"(?:what\s+(?:can|could|should|shall|do|would)\s+i\s+do|what\s+(?:do|should|can)\s+i\s+do\s+now|what\s+now"
    r"|now\s+what|then\s+what|so\s+what\s+now|what\s+are\s+my\s+options|what\s+options\s+do\s+i\s+have"
    r"|(?:are\s+there\s+)?any\s+other\s+options|what\s+else\s+can\s+i\s+do|how\s+do\s+i\s+fix\s+(?:it|this|that))"
    r"(?:\s+(?:then|now|instead|about\s+(?:it|that|this)))*\W*$"
    r"|^\W*(?:那|那么|那我|我|那我们)?(?:该|要|能|可以)?(?:怎么办|咋办|怎么做|怎么弄|做什么|有什么办法|有别的办法|还有什么办法"
    r"|有其他办法)(?:吗|呢|啊|呀|嘛)?\W*$",
    re.IGNORECASE,
)


def _refusal_now(system: OrderSystem, order: Order, flow: str) -> PolicyRefusal | None:
    """The refusal the order's change would get now (the one just said, while the order is as it was)."""
    if flow == CHANGE_ADDRESS:
        return system.policy.address_change_refusal(order, order.shipping_address, utc_now())
    if flow == RETURN:
        try:
            system.policy.plan_return(order, None, utc_now())
        except PolicyRefusal as refusal:  # not delivered yet, the window over, refunded already …
            return refusal
        return None
    return system.policy.cancel_refusal(order, utc_now())


async def refusal_just_said(tracker: Tracker, flow: str, also: str = "") -> tuple[Order, PolicyRefusal] | None:
    """The order known and the refusal of its change ``flow`` that the assistant's messages just before said (or
    ``also``, a way of saying it again); None when they did not, the form is running, the order is not open to
    the customer, or the order system cannot be read."""
    state = OrderState.from_tracker(tracker)
    if tracker.active_loop_name == FORM or not state.verified:
        return None
    system = order_system()
    try:
        order = await system.get_order(str(state.order_id))
    except (BackendError, OrderNotFound):
        return None
    refusal = _refusal_now(system, order, flow)
    said = [str(m.get("text") or "") for m in bot_messages_before_latest(tracker)]
    if refusal is None or not any(refusal.message_for_customer in m or (also and also in m) for m in said):
        return None  # the change was made, or refused for another reason: not this case
    return order, refusal


async def options_after_refused_change(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType] | None:
    """What the customer can still do, when they ask ("so what can I do?") right after the assistant refused the
    address change, the cancellation or the return of the order known, or the advice for a parcel that never
    arrived; None otherwise (and when the order system cannot be read)."""
    flow = tracker.get_slot(LAST_FLOW)
    text = said(tracker)
    if WHAT_NOW_RE.search(text) and after_missing_parcel(tracker):
        # "what now" after the advice for a parcel that never arrived: the next step, a person a button away (it got
        # "I'm not sure I have a good answer to that")
        dispatcher.utter_message(text=order_texts.MISSING_PARCEL_NEXT, buttons=[person_button()])
        return []
    if flow not in (CHANGE_ADDRESS, CANCEL, RETURN) or not WHAT_NOW_RE.search(text):
        return None
    just_said = await refusal_just_said(tracker, str(flow))
    if just_said is None:
        return None
    order, refusal = just_said
    options = refusal.alternative
    if flow == CHANGE_ADDRESS and refusal.reason_code == ALREADY_SHIPPED:
        options = address_texts.SHIPPED_STILL_POSSIBLE.format(carrier=order.carrier or address_texts.THE_CARRIER)
    dispatcher.utter_message(text=options, buttons=[person_button()])
    return []


def after_missing_parcel(tracker: Tracker) -> bool:
    """The assistant's messages just before gave the advice for a parcel that never arrived (in any language)."""
    said = [str(m.get("text") or "") for m in bot_messages_before_latest(tracker)]
    return any(advice in m for m in said for advice in in_every_language(order_texts, "MISSING_PARCEL"))
