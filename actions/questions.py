"""The order form's questions: which order, the proof, the e-mail a change needs, the new address, the items to
return, the summary to confirm, and whether to switch to another request asked for meanwhile (texts: actions/texts/).
Each is silent when this turn already handed the conversation to a person, and starts with "Now, back to your order."
when something else answered the customer's message first (a handbook question, small talk)."""

from __future__ import annotations

import json
from abc import ABC, abstractmethod

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.address import example_address
from actions.changes import planned_change, summary
from actions.forms import answers_form, pieces_asked_this_turn
from actions.identity import VERIFIED_BY_TOKEN
from actions.next_request import introduces_next_request, introduces_unnamed_order
from actions.no_order_number import answer_no_order_number, says_no_order_number
from actions.order_state import (
    BY_CUSTOMER,
    CUSTOMER_VERIFIED_BY,
    EMAIL,
    FORM,
    NEW_ADDRESS,
    ORDER_ID,
    RECENT_ORDERS,
    RETURN_ITEMS,
    RETURN_REMEDY,
    SWITCH_TO,
    VERIFICATION,
    OrderState,
    asked_before,
    backend_failure,
    order_system,
    person_button,
)
from actions.parsing import EMAIL_RE
from actions.signals import signal_question
from actions.texts import render
from actions.texts.catalog import address as address_texts
from actions.texts.catalog import identity as say
from actions.texts.catalog import orders as order_texts
from actions.texts.catalog import returns as return_texts
from actions.texts.catalog import smalltalk as smalltalk_texts
from actions.turns import said
from helpdesk import i18n
from helpdesk.orders import BackendError, OrderNotFound, PolicyRefusal, ReturnReason, ReturnRemedy
from helpdesk.orders.policy import join_names, money


def goal(flow: str | None) -> str:
    return say.GOALS.get(flow or "", say.DEFAULT_GOAL)


def handed_off_this_turn(tracker: Tracker) -> bool:
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return False
        custom = (event.get("data") or {}).get("custom") if event.get("event") == "bot" else None
        if isinstance(custom, dict) and "handoff" in custom:
            return True
    return False


def form_open_before(tracker: Tracker) -> bool:
    """The order form was running when the customer's latest message came: its question now comes back to it. Not
    when this very message started it ("hi my order 100171 arrived and the mug is cracked": the damaged-item answer,
    then the form's first question, which resumes nothing: "Now, back to your order" read wrong)."""
    seen_user = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            seen_user = True
        elif seen_user and event.get("event") == "active_loop":
            return bool(event.get("name") == FORM)
    return False


class _AskAction(Action, ABC):
    """A question of the form, signalled as one (the helpdesk asks no "Did this help?" under it); silent when this
    turn already handed the conversation to a person."""

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        if handed_off_this_turn(tracker):
            return []
        state = OrderState.from_tracker(tracker)
        asked_from = len(dispatcher.messages)
        try:
            await self.ask(dispatcher, tracker, state)
        except (BackendError, OrderNotFound) as error:
            return backend_failure(dispatcher, tracker, error)
        if len(dispatcher.messages) > asked_from:
            if not answers_form(tracker) and not introduces_next_request(tracker) and form_open_before(tracker):
                # the form comes back to its question after something else answered the message (not when it asks
                # about the other order of a message that asked about two: that is said just before)
                question = dispatcher.messages[asked_from]
                asked = str(question.get("text") or "")
                question["text"] = i18n.join_sentences([smalltalk_texts.RESUME, asked]).strip()  # no space in Chinese
            signal_question(dispatcher)
        return []

    @abstractmethod
    async def ask(self, dispatcher: CollectingDispatcher, tracker: Tracker, state: OrderState) -> None:
        """Send the question."""


def order_button(number: str) -> dict[str, str]:
    """A button that answers "which order?" with order `number`."""
    return {"title": render(say.ORDER_BUTTON, order_id=number), "payload": "/inform" + json.dumps({"order_id": number})}


class ActionAskOrderId(_AskAction):
    def name(self) -> str:
        return "action_ask_order_id"

    async def ask(self, dispatcher: CollectingDispatcher, tracker: Tracker, state: OrderState) -> None:
        recent = [str(n) for n in tracker.get_slot(RECENT_ORDERS) or []]
        if state.verified_order and introduces_unnamed_order(tracker):
            # "… but also my other order never came", taken up once the first is done: not that order again
            recent = [n for n in recent if n != state.verified_order]
        elif state.verified_order:
            # a new request after one about an order whose check still holds: that order first ("yes" takes it,
            # actions/forms.py), the customer's other recent orders after it
            others = [n for n in recent if n != state.verified_order] if state.customer_id else []
            listed = say.ORDERS_JOINER.join(others)
            text = (
                render(say.ASK_ORDER_ID_SAME_RECENT, order_id=state.verified_order, orders=listed)
                if others
                else render(say.ASK_ORDER_ID_SAME, order_id=state.verified_order)
            )
            dispatcher.utter_message(text=text, buttons=[order_button(n) for n in [state.verified_order, *others]])
            return
        if state.customer_id and recent:
            # greeted by name only when the shop's website signed the customer in (an order check is no login)
            signed_in = tracker.get_slot(CUSTOMER_VERIFIED_BY) == VERIFIED_BY_TOKEN and state.first_name
            listed = say.ORDERS_JOINER.join(recent)
            text = (
                render(say.ASK_ORDER_ID_RECENT_NAMED, first_name=state.first_name, orders=listed)
                if signed_in
                else render(say.ASK_ORDER_ID_RECENT, orders=listed)
            )
            dispatcher.utter_message(text=text, buttons=[order_button(n) for n in recent])
            return
        if says_no_order_number(said(tracker), asked=asked_before(tracker, ORDER_ID)):
            # "i dont have it": where it is, the list by e-mail, and a person who can look it up
            answer_no_order_number(dispatcher, tracker)
            return
        if asked_before(tracker, ORDER_ID) and EMAIL_RE.search(said(tracker)):
            # "its ines.costa@example.com" after "I don't have the order number": the address proves the order once
            # its number comes, but finds none (it got the bare "What's the 6-digit order number?" as if unread)
            dispatcher.utter_message(text=say.ASK_ORDER_ID_EMAIL_NOTED, buttons=[person_button()])
            return
        if asked_before(tracker, ORDER_ID):
            dispatcher.utter_message(text=say.ASK_ORDER_ID_AGAIN)
            return
        dispatcher.utter_message(text=render(say.ASK_ORDER_ID, goal=goal(state.flow)))


class ActionAskVerification(_AskAction):
    def name(self) -> str:
        return "action_ask_verification"

    async def ask(self, dispatcher: CollectingDispatcher, tracker: Tracker, state: OrderState) -> None:
        template = say.ASK_VERIFICATION_AGAIN if asked_before(tracker, VERIFICATION) else say.ASK_VERIFICATION
        dispatcher.utter_message(text=render(template, order_id=state.order_id))


class ActionAskEmail(_AskAction):
    """The order is open to read (by its postcode, or as another order of a customer checked before); to change
    it, the e-mail address on the order is needed."""

    def name(self) -> str:
        return "action_ask_email"

    async def ask(self, dispatcher: CollectingDispatcher, tracker: Tracker, state: OrderState) -> None:
        values = {"goal": goal(state.flow), "order_id": state.order_id}
        if asked_before(tracker, EMAIL):
            dispatcher.utter_message(text=render(say.ASK_EMAIL_FOR_CHANGE_AGAIN, **values), buttons=[person_button()])
            return
        template = say.ASK_EMAIL_FOR_OTHER_ORDER if state.verification == BY_CUSTOMER else say.ASK_EMAIL_FOR_CHANGE
        dispatcher.utter_message(text=render(template, **values))


class ActionAskNewAddress(_AskAction):
    def name(self) -> str:
        return "action_ask_new_address"

    async def ask(self, dispatcher: CollectingDispatcher, tracker: Tracker, state: OrderState) -> None:
        # the current address is never shown: the customer knows it, whoever else is typing doesn't
        order = await order_system().get_order(str(state.order_id))
        example = example_address(order.shipping_address.country)
        if asked_before(tracker, NEW_ADDRESS):
            dispatcher.utter_message(text=render(address_texts.ASK_NEW_ADDRESS_AGAIN, example=example))
            return
        dispatcher.utter_message(text=render(address_texts.ASK_NEW_ADDRESS, order_id=order.number, example=example))


class ActionAskReturnItems(_AskAction):
    """Which items: a button for each returnable line and one for everything; words work too (actions/items.py)."""

    def name(self) -> str:
        return "action_ask_return_items"

    async def ask(self, dispatcher: CollectingDispatcher, tracker: Tracker, state: OrderState) -> None:
        if pieces_asked_this_turn(tracker):
            return  # "How many of them would you like to send back?" was just asked ("just the towel" of 2)
        # the items no return booked before took (a second return of the others)
        order = (await order_system().get_order(str(state.order_id))).open_for_return()
        at_fault = state.return_reason.shop_at_fault  # damaged or wrong goods: final-sale ones go back too
        returnable = [line for line in order.lines if at_fault or not line.final_sale]
        final = [line.name_in(i18n.current()) for line in order.lines if line.final_sale and not at_fault]
        again = asked_before(tracker, RETURN_ITEMS)
        first, then = {
            ReturnReason.DAMAGED: (return_texts.ASK_ITEMS_DAMAGED, return_texts.ASK_ITEMS_DAMAGED_AGAIN),
            ReturnReason.WRONG_ITEM: (return_texts.ASK_ITEMS_WRONG, return_texts.ASK_ITEMS_WRONG_AGAIN),
        }.get(state.return_reason, (return_texts.ASK_ITEMS, return_texts.ASK_ITEMS_AGAIN))
        text = render(then if again else first, order_id=order.number)
        if final and not again:
            note = return_texts.FINAL_SALE_NOTE_ONE if len(final) == 1 else return_texts.FINAL_SALE_NOTE_MANY
            text = i18n.join_sentences([text, render(note, final_sale=join_names(final))])
        buttons = [
            {"title": line.name_in(i18n.current()), "payload": "/inform" + json.dumps({"return_items": line.sku})}
            for line in returnable
        ]
        buttons.append(
            {"title": return_texts.EVERYTHING_BUTTON, "payload": "/inform" + json.dumps({"return_items": "all"})}
        )
        dispatcher.utter_message(text=text, buttons=buttons)


def items_changed_last_turn(tracker: Tracker) -> bool:
    """The customer's last message changed the items to send back ("oh and the tumblers too, one set came chipped" at
    "replacement or refund?"): the question is asked again naming them all, not in the short form that names none."""
    current: object = None
    before: object = None
    for event in tracker.events:
        if event.get("event") == "user":
            before = current
        elif event.get("event") == "slot" and event.get("name") == RETURN_ITEMS:
            current = event.get("value")
    return bool(current != before)


class ActionAskReturnRemedy(_AskAction):
    """Damaged or wrong goods: a replacement at no cost, or a full refund (the handbook's answer offers both)."""

    def name(self) -> str:
        return "action_ask_return_remedy"

    async def ask(self, dispatcher: CollectingDispatcher, tracker: Tracker, state: OrderState) -> None:
        system = order_system()
        try:
            quote = await system.quote_return(str(state.order_id), state.return_items, state.return_reason)
        except PolicyRefusal as refusal:  # the order moved on since the items were chosen
            dispatcher.utter_message(text=refusal.text, buttons=[person_button()])
            return
        refund = money(quote.refund_amount, quote.currency)
        if asked_before(tracker, RETURN_REMEDY) and not items_changed_last_turn(tracker):
            text = render(return_texts.ASK_REMEDY_AGAIN, refund=refund)
        else:
            several = sum(line.quantity for line in quote.lines) > 1  # "new ones" for 2 tumblers, not "a new one"
            if state.return_reason is not ReturnReason.DAMAGED:
                template = return_texts.ASK_REMEDY_WRONG_ITEM
                sent_again = return_texts.RIGHT_ITEMS if several else return_texts.RIGHT_ITEM
            else:
                template = return_texts.ASK_REMEDY_DAMAGED
                if not quote.sent_back:  # broken glass or ceramics: nothing goes back, whichever remedy
                    template = return_texts.ASK_REMEDY_DAMAGED_DISPOSE
                sent_again = return_texts.NEW_ONES if several else return_texts.NEW_ONE
            names = join_names([line.name_in(i18n.current()) for line in quote.lines])
            text = render(template, items=names, order_id=quote.order_number, refund=refund, sent_again=sent_again)
        buttons = [
            {"title": title, "payload": "/inform" + json.dumps({RETURN_REMEDY: remedy.value})}
            for title, remedy in (
                (return_texts.REPLACEMENT_BUTTON, ReturnRemedy.REPLACEMENT),
                (render(return_texts.REFUND_BUTTON, refund=refund), ReturnRemedy.REFUND),
            )
        ]
        dispatcher.utter_message(text=text, buttons=buttons)


class ActionAskConfirm(_AskAction):
    """The summary of exactly what will happen, with Yes and No: the same priced change the yes is bound to."""

    def name(self) -> str:
        return "action_ask_confirm"

    async def ask(self, dispatcher: CollectingDispatcher, tracker: Tracker, state: OrderState) -> None:
        system = order_system()
        try:
            change = await planned_change(system, state, await system.get_order(str(state.order_id)))
        except PolicyRefusal as refusal:  # the order moved on since the form checked it: say why
            dispatcher.utter_message(text=refusal.text, buttons=[person_button()])
            return
        if change is None:
            return
        text, yes, no = summary(change, system.policy)
        dispatcher.utter_message(
            text=text, buttons=[{"title": yes, "payload": "/affirm"}, {"title": no, "payload": "/deny"}]
        )


class ActionAskSwitchTo(_AskAction):
    """Another order request came in the middle of a change: switch to it, or carry on?"""

    def name(self) -> str:
        return "action_ask_switch_to"

    async def ask(self, dispatcher: CollectingDispatcher, tracker: Tracker, state: OrderState) -> None:
        offer = tracker.get_slot(SWITCH_TO) or {}
        text = render(
            order_texts.SWITCH_QUESTION,
            goal=goal(state.flow),
            order_id=state.order_id,
            new_goal=goal(str(offer.get("flow") or "")),
        )
        buttons = [
            {"title": order_texts.SWITCH_YES_BUTTON, "payload": "/affirm"},
            {"title": order_texts.SWITCH_NO_BUTTON, "payload": "/deny"},
        ]
        dispatcher.utter_message(text=text, buttons=buttons)
