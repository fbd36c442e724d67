"""The new address typed right after the assistant said an order's address can no longer be changed (it has shipped,
is packed or delivered). The customer often sends it anyway; read alone it was "What would you like me to do with
order …: check where it is, cancel it, or start a return?" or "I'm not sure I have a good answer" (the walkthrough of
2026-12-06). It is an answer to the refusal: the refusal again, from the shop's policy for the order as it is now
(the order has shipped, and what they can do instead: redirect it with the carrier, or refuse it), in the customer's
language, with a person a button away."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.address import looks_like_address_in_any_script
from actions.order_state import CHANGE_ADDRESS, FORM, LAST_FLOW, OrderState, order_system, person_button
from actions.turns import bot_messages_before_latest
from helpdesk.orders import BackendError, OrderNotFound
from helpdesk.orders.model import utc_now


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
    if refusal is None or not any(refusal.message_for_customer in message for message in said):
        return None  # the change was made, or refused for another reason: not this case
    dispatcher.utter_message(text=refusal.text, buttons=[person_button()])
    return []
