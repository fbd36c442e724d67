"""Structured signals the actions send to the helpdesk alongside their text.

The REST channel returns each ``json_message`` as ``{"custom": {...}}``; the helpdesk reads
``handoff`` (the conversation moves to the agent queue) and ``faq`` (the entry answered from).
"""

from __future__ import annotations

from rasa_sdk.executor import CollectingDispatcher

HANDOFF_REQUESTED = "requested"
HANDOFF_COMPLAINT = "complaint"
HANDOFF_LOW_CONFIDENCE = "low_confidence"
HANDOFF_FAILED_TURNS = "failed_turns"


def signal_handoff(dispatcher: CollectingDispatcher, reason: str) -> None:
    dispatcher.utter_message(json_message={"handoff": {"reason": reason}})


def signal_faq(dispatcher: CollectingDispatcher, faq_id: str, score: float) -> None:
    dispatcher.utter_message(json_message={"faq": {"id": faq_id, "score": round(float(score), 4)}})
