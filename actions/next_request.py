"""A message about two orders ("cancel 100259 and where is 100234?", "取消订单100234，另外订单100259到哪了"): the first
request runs as usual; once it is done (or refused), the other order's request starts, its proof asked first, with a
word that it is the other question. Once per message: the second request done, nothing more follows."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.order_state import FLOW, FORM, ORDER_ID, PENDING_DETAIL, details_cleared
from actions.parsing import ORDER_NUMBER_RE
from actions.requests import (
    other_order_requests,
    same_order_changes,
    same_order_requests,
    unnamed_other_order_requests,
)
from actions.several_problems import DOUBLE_CHARGE_ENTRY, tells_double_charge
from actions.team_checks import answer_with_team_check
from actions.texts import render
from actions.texts.catalog import in_every_language
from actions.texts.catalog import orders as say


def _is_introduction(event: dict[str, Any]) -> bool:
    templates = (
        in_every_language(say, "NEXT_REQUEST")
        | in_every_language(say, "NEXT_REQUEST_SAME_ORDER")
        | in_every_language(say, "NEXT_REQUEST_OTHER_ORDER")
    )
    starts = {template.split("{")[0] for template in templates}
    return event.get("event") == "bot" and any(str(event.get("text") or "").startswith(s) for s in starts)


def next_request(
    dispatcher: CollectingDispatcher, tracker: Tracker, order_id: str, flow_done: str | None = None
) -> list[EventType]:
    """After the request (`flow_done`) about order `order_id`: the other order's request of the message that asked for
    it, unless the customer has named that order since or it was taken up already. Nothing when the message named one
    order."""
    events = list(tracker.events)
    for index in range(len(events) - 1, -1, -1):
        event = events[index]
        if event.get("event") != "user" or order_id not in ORDER_NUMBER_RE.findall(str(event.get("text") or "")):
            continue
        after = events[index + 1 :]
        if any(_is_introduction(e) for e in after):
            return []  # the other request came already: this was it
        later = " ".join(str(e.get("text") or "") for e in after if e.get("event") == "user")
        for flow, number in other_order_requests(str(event.get("text") or ""), order_id, flow_done):
            if number not in ORDER_NUMBER_RE.findall(later):
                dispatcher.utter_message(text=render(say.NEXT_REQUEST, order_id=number))
                return [SlotSet(FLOW, flow), SlotSet(ORDER_ID, number), *details_cleared(), FollowupAction(FORM)]
        starter = _starting_message(events, index, flow_done)
        same_order = same_order_changes(str(event.get("text") or ""), flow_done)
        if not same_order and starter is not None:
            # the number came as the answer to "What's the order number?": the other request is in the message
            # that started this one ("my order hasnt arrived yet and i also want to change the adress")
            same_order = same_order_requests(starter, flow_done)
        for flow, clause in same_order:
            # "where's order 100162 and can i return the bowls from it?": the return of that order, its words
            # ("the bowls") read as the request's details, the identity already checked
            dispatcher.utter_message(text=render(say.NEXT_REQUEST_SAME_ORDER, order_id=order_id))
            return [SlotSet(FLOW, flow), *details_cleared(), SlotSet(PENDING_DETAIL, clause), FollowupAction(FORM)]
        for text in (str(event.get("text") or ""), *([starter] if starter else [])):
            for flow in unnamed_other_order_requests(text):
                # "I want to return something but also my other order never came": once the return is booked, the
                # other order's request, its number asked (it was "What else can I help you with?", the order lost)
                dispatcher.utter_message(text=say.NEXT_REQUEST_OTHER_ORDER)
                return [SlotSet(FLOW, flow), SlotSet(ORDER_ID, None), *details_cleared(), FollowupAction(FORM)]
        for text in (str(event.get("text") or ""), *([starter] if starter else [])):
            if tells_double_charge(text):
                # "where is my order 100234?? also you charged me twice": after the status, the double charge (it
                # was dropped): the handbook's answer for that order and a person offered for the team's check
                dispatcher.utter_message(text=render(say.NEXT_REQUEST_SAME_ORDER, order_id=order_id))
                answer_with_team_check(dispatcher, tracker, DOUBLE_CHARGE_ENTRY, text, order_id)
                return []
        return []
    return []


def _starting_message(events: list[dict[str, Any]], index: int, flow: str | None) -> str | None:
    """The customer's message that started request `flow`, when it came before events[index] (the message naming
    the order) and named no order number itself; None otherwise."""
    if flow is None:
        return None
    for start in range(index - 1, -1, -1):
        event = events[start]
        if event.get("event") == "slot" and event.get("name") == FLOW:
            if event.get("value") != flow:
                return None  # an earlier request ended (or another began) since: that message started nothing now
            break
    else:
        return None
    for earlier in range(start - 1, -1, -1):
        event = events[earlier]
        if event.get("event") == "user":
            text = str(event.get("text") or "")
            return None if ORDER_NUMBER_RE.search(text) else text
    return None


def introduces_next_request(tracker: Tracker) -> bool:
    """The bot's latest message of this turn introduces the other order's request (its question needs no "Now, back
    to your order")."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return False
        if event.get("event") == "bot" and event.get("text"):
            return _is_introduction(event)
    return False


def introduces_unnamed_order(tracker: Tracker) -> bool:
    """The bot's latest message of this turn introduces the request about an order the customer did not name ("Now,
    your other order."): the order just done is not the one asked about."""
    templates = in_every_language(say, "NEXT_REQUEST_OTHER_ORDER")
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return False
        if event.get("event") == "bot" and event.get("text"):
            return str(event.get("text")) in templates
    return False
