"""Handing a conversation to a person, and the placeholder for routine order flows."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.signals import HANDOFF_COMPLAINT, HANDOFF_REQUESTED, signal_handoff

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
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        reason = HANDOFF_COMPLAINT if intent == "complaint" else HANDOFF_REQUESTED
        dispatcher.utter_message(text=HANDOFF_TEXT[reason])
        signal_handoff(dispatcher, reason)
        return []


ROUTINE_TOPICS = {
    "order_status": "check where your order is",
    "cancel_order": "cancel your order",
    "change_order": "change the items in your order",
    "change_shipping_address": "change your delivery address",
    "request_refund": "start a return or refund",
    "refund_status": "check on your refund",
    "payment_issue": "sort out the payment problem",
}


class ActionRoutineRequest(Action):
    """Tell the customer what happens next for an order request.

    The order flows themselves (identity check, look-up, policies) are built on the order system;
    until a shop connects one, the bot says what it will need and where else to go.
    """

    def name(self) -> str:
        return "action_routine_request"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        intent = (tracker.latest_message.get("intent") or {}).get("name") or ""
        topic = ROUTINE_TOPICS.get(intent, "help with your order")
        order_id = tracker.get_slot("order_id")
        order = f"order {order_id}" if order_id else "your order"
        dispatcher.utter_message(
            text=(
                f"I can {topic}. To do that I'll check {order} against the e-mail address it was placed "
                "with, so nobody else can see your details. Order look-ups in this chat are not connected "
                "in this demo yet: you'll find your orders under Account → Orders, or I can pass you to "
                "a person who can do it for you right away."
            ),
            buttons=[{"title": "Talk to a person", "payload": "/request_human"}],
        )
        return []
