"""Order numbers said on their own, whatever the NLU made of the message. One the customer got wrong ("where is order
10016", "订单10016在哪里"): they are told that order numbers have 6 digits and asked for it again, in the request they
named (its form says so and asks) or on its own when they named none ("order 10016"). Another order right after a
request ("and how about 100188", "那100188呢"): the same request for that order."""

from __future__ import annotations

import re

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.order_state import FLOW, FLOWS, FORM, LAST_FLOW, details_cleared
from actions.parsing import ORDER_NUMBER_RE, read_message
from actions.photos import received_item_entry
from actions.requests import flow_named_in
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
    flow = flow_named_in(text)
    if flow is not None:
        # the form reads the message itself: it says what is wrong with the number and asks for it
        return [SlotSet(FLOW, flow), *details_cleared(), FollowupAction(FORM)]
    wrong = render(say.MALFORMED_ORDER_NUMBER, number=found.malformed_number)
    dispatcher.utter_message(text=join_sentences([wrong, say.SEND_ORDER_NUMBER_AGAIN]))
    signal_question(dispatcher)  # it asks for the number: no "Did this help?" under it
    return []


# the words around an order number that only ask "the same for this one": "and how about 100188?", "what about order
# #100188", "same for 100188 pls", "那100188呢", "订单100188呢？"
SAME_FOR_WORDS = re.compile(
    r"\b(?:and|also|ok|okay|so|then|how|what|about|for|same|the|order|one|too|as\s+well|please|pls|plz|thanks?)\b"
    r"|那|那么|那個|那个|订单|訂單|呢|也|一样|一樣|[#＃?？!！.,，。:：\s]",
    re.IGNORECASE,
)


def same_request_for(tracker: Tracker, text: str) -> list[EventType] | None:
    """ "and how about 100188" right after a request: that request again, for order 100188 (its form reads the number
    and asks for its proof). None when the message says more than that, or no request came before."""
    last = tracker.get_slot(LAST_FLOW)
    number = ORDER_NUMBER_RE.search(text)
    if last not in FLOWS or number is None or SAME_FOR_WORDS.sub("", ORDER_NUMBER_RE.sub("", text)):
        return None
    return [SlotSet(FLOW, last), *details_cleared(), FollowupAction(FORM)]
