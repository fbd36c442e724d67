"""The new address typed right after the assistant said an order's address can no longer be changed (it has shipped,
is packed or delivered). The customer often sends it anyway; read alone it was "What would you like me to do with
order …: check where it is, cancel it, or start a return?" or "I'm not sure I have a good answer" (the walkthrough of
2026-12-06). It is an answer to the refusal: that this address can't be used for the order, and what they can do
instead (from the shop's policy for the order as it is now: redirect it with the carrier, or refuse it), in the
customer's language, with a person a button away. Not the refusal word for word: they have just read it."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.address import looks_like_address_in_any_script
from actions.order_state import CHANGE_ADDRESS, FORM, LAST_FLOW, OrderState, order_system, person_button
from actions.texts.catalog import address as address_texts
from actions.turns import bot_messages_before_latest
from helpdesk.i18n import join_sentences
from helpdesk.orders import BackendError, OrderNotFound
from helpdesk.orders.model import utc_now
from helpdesk.orders.policy import ALREADY_SHIPPED


async def address_after_refused_change(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType] | None:
    """The refusal said again when the customer's message is an address and the assistant's messages just before
    refused the address change of the order known; None otherwise (and when the order system cannot be read: the
    message then goes the usual way)."""
    text = str(tracker.latest_message.get("text") or "")
    if tracker.active_loop_name == FORM or tracker.get_slot(LAST_FLOW) != CHANGE_ADDRESS:
        return None
    state = OrderState.from_tracker(tracker)
    if not state.verified or not looks_like_address_in_any_script(text):
        return None
    system = order_system()
    try:
        order = await system.get_order(str(state.order_id))
    except (BackendError, OrderNotFound):
        return None
    refusal = system.policy.address_change_refusal(order, order.shipping_address, utc_now())
    said = [str(m.get("text") or "") for m in bot_messages_before_latest(tracker)]
    again = address_texts.REFUSED_AGAIN.format(order_id=state.order_id)
    if refusal is None or not any(refusal.message_for_customer in m or again in m for m in said):
        return None  # the change was made, or refused for another reason: not this case
    # not the refusal word for word (the customer has just read it): that this address can't be used, then what
    # they can do instead (for a shipped order in other words: its tracking link is in the refusal just above)
    instead = refusal.alternative
    if refusal.reason_code == ALREADY_SHIPPED:
        instead = address_texts.SHIPPED_STILL_POSSIBLE.format(carrier=order.carrier or address_texts.THE_CARRIER)
    dispatcher.utter_message(text=join_sentences([again, instead]), buttons=[person_button()])
    return []
