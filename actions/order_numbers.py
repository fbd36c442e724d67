"""An order number the customer got wrong ("where is order 10016", "订单10016在哪里"): whatever the NLU made of the
message, the customer is told that order numbers have 6 digits and asked for it again, in the request they named
(its form says so and asks) or on its own when they named none ("order 10016")."""

from __future__ import annotations

from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.order_state import FLOW, FORM, details_cleared
from actions.parsing import read_message
from actions.photos import received_item_entry
from actions.requests import FLOW_WORDS
from actions.signals import signal_question
from actions.texts import render
from actions.texts.catalog import identity as say
from helpdesk.i18n import join_sentences


def wrong_order_number(dispatcher: CollectingDispatcher, text: str) -> list[EventType] | None:
    """The reply to a message whose order number is not one (too few or too many digits); None when the message
    names a right one, or none, or says what arrived is wrong or damaged (the handbook's answer comes first)."""
    found = read_message(text, [], None)
    if found.order_number or not found.malformed_number or received_item_entry(text) is not None:
        return None
    flow = next((flow for flow, words in FLOW_WORDS if words.search(text)), None)
    if flow is not None:
        # the form reads the message itself: it says what is wrong with the number and asks for it
        return [SlotSet(FLOW, flow), *details_cleared(), FollowupAction(FORM)]
    wrong = render(say.MALFORMED_ORDER_NUMBER, number=found.malformed_number)
    dispatcher.utter_message(text=join_sentences([wrong, say.SEND_ORDER_NUMBER_AGAIN]))
    signal_question(dispatcher)  # it asks for the number: no "Did this help?" under it
    return []
