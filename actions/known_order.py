"""A change asked for with nothing but the change in it ("can i change the adress", "ugh ok. what about cancelling
it", "能取消吗") once the conversation knows an order (a status just checked): that change starts for that order,
whichever intent the NLU read (a handbook entry sharing its words, an opener)."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import FollowupAction, SlotSet

from actions.order_state import FLOW, FORM, OrderState, details_cleared
from actions.requests import bare_request, request_clauses


def change_of_known_order(tracker: Tracker, text: str) -> list[dict[str, Any]] | None:
    """ "can i change the adress", "能取消吗" once the conversation knows an order (a status just checked): the message
    names nothing but the change, so that change starts for that order, whatever handbook entry shares its words
    (the policy answer was given, and the address typed next was read as order details). None otherwise."""
    if OrderState.from_tracker(tracker).order_id is None:
        return None
    parts = request_clauses(text)  # "ok and can i change the adress still?": the "ok" asks nothing
    flow = bare_request(parts[0]) if len(parts) == 1 else None
    if flow is None:
        return None
    return [SlotSet(FLOW, flow), *details_cleared(), FollowupAction(FORM)]
