"""The customer's first words after an agent handed the chat back to the bot.

While a person has the chat, the bot hears nothing (the helpdesk keeps the customer's and the agent's messages from
Rasa), so the bot's last turn is still the hand-off, and a request under way then (the order form's flow, the order
form ended by the hand-off) is still in its slots. An order number sent now is for that request ("我要退货", "转人工",
the agent hands back, "100218"): it carries on, not "what would you like me to do with order 100218?".
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, FollowupAction

from actions.order_state import FLOW, FLOWS, FORM
from actions.turns import bot_messages_before_latest


def handed_off_last(tracker: Tracker) -> bool:
    """The bot's turn just before the customer's latest message called a person (its hand-off signal)."""
    return any(isinstance(custom(event).get("handoff"), dict) for event in bot_messages_before_latest(tracker))


def custom(event: dict[str, Any]) -> dict[str, Any]:
    found = (event.get("data") or {}).get("custom")
    return found if isinstance(found, dict) else {}


def request_resumed(tracker: Tracker, names_an_order: bool) -> list[EventType] | None:
    """The request left unfinished at the hand-off, carried on with the order the latest message names (its form reads
    the number and asks for its proof); None when no request was under way then, or the message names no order."""
    if not names_an_order or tracker.active_loop_name == FORM or tracker.get_slot(FLOW) not in FLOWS:
        return None
    return [FollowupAction(FORM)] if handed_off_last(tracker) else None
