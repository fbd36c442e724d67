"""Starting, carrying out and stopping an order request; explaining what can't be changed in an order."""

from __future__ import annotations

import re

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.address import format_address
from actions.changes import confirmed, planned_change
from actions.identity import signed_in_customer
from actions.order_state import (
    CANCEL,
    CHANGE_ADDRESS,
    CHANGES,
    CONFIRM,
    FLOW,
    FLOWS,
    FORM,
    LAST_FLOW,
    ORDER_ID,
    ORDER_STATUS,
    PENDING_CONFIRMATION,
    PERSON_BUTTON,
    REFUND_STATUS,
    OrderState,
    backend_failure,
    details_cleared,
    latest_intent,
    order_system,
    request_cleared,
)
from actions.parsing import ORDER_NUMBER_RE
from helpdesk.orders import (
    Address,
    BackendError,
    OrderNotFound,
    OrderSystem,
    PolicyRefusal,
    RefundState,
    describe_order,
    describe_refund,
)

# a change reached the end of the form without a yes to exactly it (the order changed in the meantime, say)
UNCONFIRMED_TEXT = (
    "I haven't changed anything on order {order_id}: it changed while we were talking, so what you said yes to no "
    "longer fits. Please tell me again what you'd like to do."
)
NOT_CHANGED_TEXT = "I haven't changed anything on order {order_id}. Please tell me again what you'd like to do."
# "cancel it", "where is that order": the order just talked about; "where is my order?" may be another one
BACK_REFERENCE_RE = re.compile(r"\b(?:it|its|it's|that|this|same|the\s+order|the\s+one)\b", re.IGNORECASE)


def names_an_order(tracker: Tracker) -> bool:
    entities = tracker.latest_message.get("entities") or []
    text = str(tracker.latest_message.get("text") or "")
    return any(e.get("entity") == ORDER_ID for e in entities) or bool(ORDER_NUMBER_RE.search(text))


class ActionStartOrderRequest(Action):
    """Begin (or switch to) an order flow; a signed-in customer is recognised here."""

    def name(self) -> str:
        return "action_start_order_request"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        state = OrderState.from_tracker(tracker)
        intent = latest_intent(tracker)
        flow = intent if intent in FLOWS else state.flow or ORDER_STATUS
        events = await signed_in_customer(dispatcher, tracker, order_system())
        if tracker.active_loop_name == FORM and state.flow == flow:
            return events  # the same request goes on
        # a new request about the same order keeps the order and the identity check, nothing else
        events += [SlotSet(FLOW, flow), *details_cleared()]
        text = str(tracker.latest_message.get("text") or "")
        handled = tracker.get_slot(LAST_FLOW) and state.verified and tracker.active_loop_name != FORM
        if handled and not names_an_order(tracker) and not BACK_REFERENCE_RE.search(text):
            # a request finished for this order; "where is my order?" may mean another one: ask
            events.append(SlotSet(ORDER_ID, None))
        return events


class ActionOrderSubmit(Action):
    """Carry out the request once the form has everything: look up, cancel, re-address, return."""

    def name(self) -> str:
        return "action_order_submit"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        state = OrderState.from_tracker(tracker)
        if state.flow is None or not state.verified:
            return []  # the form ended early (stopped, too many wrong answers, order system down): said so already
        if state.refusal:
            dispatcher.utter_message(text=state.refusal, buttons=[PERSON_BUTTON])
            return self._done(state.flow)
        if state.flow in CHANGES and not state.may_change:  # the form never gets here: a change needs its e-mail
            dispatcher.utter_message(text=NOT_CHANGED_TEXT.format(order_id=state.order_id), buttons=[PERSON_BUTTON])
            return self._done(state.flow)
        system = order_system()
        try:
            text = await self._carry_out(system, state)
        except PolicyRefusal as refusal:
            dispatcher.utter_message(text=refusal.text, buttons=[PERSON_BUTTON])
        except (BackendError, OrderNotFound) as error:
            return backend_failure(dispatcher, tracker, error)
        else:
            dispatcher.utter_message(text=text)
        return self._done(state.flow)

    @staticmethod
    def _done(flow: str) -> list[EventType]:
        return [SlotSet(FLOW, None), SlotSet(LAST_FLOW, flow), *request_cleared()]

    async def _carry_out(self, system: OrderSystem, state: OrderState) -> str:
        number = str(state.order_id)
        if state.flow == ORDER_STATUS:
            return describe_order(await system.get_order(number), system.policy)
        if state.flow == REFUND_STATUS:
            return describe_refund(await system.refund_status(number), system.policy)
        if state.flow == CANCEL:
            return await self._cancel(system, number, state)
        if state.flow == CHANGE_ADDRESS:
            return await self._change_address(system, number, state)
        items = state.return_items or ["all"]
        booked = await system.create_return(number, None if items == ["all"] else items)
        return booked.instructions

    @staticmethod
    async def _cancel(system: OrderSystem, number: str, state: OrderState) -> str:
        if state.confirm is False:
            return f"Alright, I haven't cancelled anything: order {number} goes ahead as planned."
        if not confirmed(state, planned_change(state, await system.get_order(number))):
            return UNCONFIRMED_TEXT.format(order_id=number)
        await system.cancel(number)
        refund = await system.refund_status(number)
        if refund.state is RefundState.NONE:
            return f"Done: order {number} is cancelled. Nothing had been charged yet, so there's nothing to refund."
        return f"Done: order {number} is cancelled. {describe_refund(refund, system.policy)}"

    @staticmethod
    async def _change_address(system: OrderSystem, number: str, state: OrderState) -> str:
        if state.confirm is False or not state.new_address:
            return (
                f"OK, I've left the delivery address of order {number} as it was. If you'd like to give me a "
                "different address, just say “change my delivery address”."
            )
        if not confirmed(state, planned_change(state, await system.get_order(number))):
            return UNCONFIRMED_TEXT.format(order_id=number)
        order = await system.change_address(number, Address(**state.new_address))
        return f"Done: order {number} will now be delivered to {format_address(order.shipping_address)}."


class ActionOrderDetails(Action):
    """Order details without a request: "and for 100188?" right after a request repeats it for that order."""

    def name(self) -> str:
        return "action_order_details"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        last = tracker.get_slot(LAST_FLOW)
        if last in FLOWS and names_an_order(tracker):
            return [SlotSet(FLOW, last), *details_cleared(), FollowupAction(FORM)]
        dispatcher.utter_message(
            text=(
                "Thanks! What would you like me to do with that: check an order's status, cancel it, or start a return?"
            ),
            buttons=[
                {"title": "Where is my order?", "payload": "/order_status"},
                {"title": "Cancel my order", "payload": "/cancel_order"},
                {"title": "Return an item", "payload": "/request_refund"},
            ],
        )
        return []


class ActionStopOrderRequest(Action):
    """ "Never mind": end the order request without changing anything."""

    def name(self) -> str:
        return "action_stop_order_request"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        state = OrderState.from_tracker(tracker)
        unchanged = ", and nothing about your order has been changed" if state.flow in CHANGES else ""
        dispatcher.utter_message(text=f"No problem, I've stopped there{unchanged}. Is there anything else I can do?")
        return [SlotSet(FLOW, None), *request_cleared()]


class ActionChangeOrder(Action):
    """What can and can't be changed in a placed order, with the ways forward as buttons."""

    def name(self) -> str:
        return "action_change_order"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        days = order_system().policy.config.return_window_days
        dispatcher.utter_message(
            text=(
                "I'm afraid the items in an order can't be swapped, added or removed once it's placed: our warehouse "
                "starts picking it straight away. What I can do here: cancel the order free of charge as long as it "
                "hasn't shipped, so you can place a new one with exactly what you want, or change its delivery "
                f"address until it's packed. If it has already shipped, you can return what you don't want within "
                f"{days} days of delivery. For anything else, a member of our team can check what's possible."
            ),
            buttons=[
                {"title": "Cancel my order", "payload": "/cancel_order"},
                {"title": "Change the delivery address", "payload": "/change_shipping_address"},
                PERSON_BUTTON,
            ],
        )
        return []


# a yes with no change waiting for it: a question dropped for another request, or a conversation the bot lost
NOTHING_TO_CONFIRM_TEXT = (
    "There's nothing waiting for your yes right now, so I haven't changed anything. If you'd like to cancel, "
    "change or return an order, just tell me which one."
)


def unanswered_confirmation(tracker: Tracker) -> bool:
    """The bot asked to confirm a change that was never answered (another request came in between), or the
    conversation has no bot message at all (a new one, or one whose memory was lost)."""
    answered = False
    for event in reversed(tracker.events):
        if event.get("event") != "slot":
            continue
        if event.get("name") == CONFIRM and event.get("value") not in (None, ""):
            answered = True
        elif event.get("name") == PENDING_CONFIRMATION and event.get("value"):
            return not answered
    return not any(event.get("event") == "bot" for event in tracker.events)


class ActionAffirm(Action):
    """A yes outside the order form. It confirms nothing: a change is confirmed only inside the form, as the
    answer to the question that describes it (actions/changes.py)."""

    def name(self) -> str:
        return "action_affirm"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        if unanswered_confirmation(tracker):
            dispatcher.utter_message(text=NOTHING_TO_CONFIRM_TEXT)
        else:
            dispatcher.utter_message(response="utter_affirm")
        return []
