"""Handing a conversation to a person."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.signals import signal_handoff
from helpdesk.vocabulary import HANDOFF_COMPLAINT, HANDOFF_REQUESTED

HANDOFF_TEXT = {
    HANDOFF_REQUESTED: (
        "Of course. I'm connecting you with a member of our support team now. "
        "They will see everything we've talked about, so you won't have to repeat yourself."
    ),
    HANDOFF_COMPLAINT: (
        "I'm sorry about this. I'm passing your conversation to a member of our support team "
        "so a person can put it right. They will see everything you've told me."
    ),
}


class ActionHandoff(Action):
    """Move the conversation to the agent queue, with the reason the policy gives."""

    def name(self) -> str:
        return "action_handoff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        reason = HANDOFF_COMPLAINT if intent == "complaint" else HANDOFF_REQUESTED
        dispatcher.utter_message(text=HANDOFF_TEXT[reason])
        signal_handoff(dispatcher, reason)
        return []
