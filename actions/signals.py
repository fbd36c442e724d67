"""Structured signals the actions send to the helpdesk alongside their text.

The REST channel returns each ``json_message`` as ``{"custom": {...}}``; the helpdesk reads
``handoff`` (the conversation moves to the agent queue; the reasons are in helpdesk/vocabulary.py) and
``faq`` (the entry answered from).
"""

from __future__ import annotations

from rasa_sdk.executor import CollectingDispatcher


def signal_handoff(dispatcher: CollectingDispatcher, reason: str) -> None:
    dispatcher.utter_message(json_message={"handoff": {"reason": reason}})


def signal_faq(dispatcher: CollectingDispatcher, faq_id: str, score: float) -> None:
    dispatcher.utter_message(json_message={"faq": {"id": faq_id, "score": round(float(score), 4)}})
