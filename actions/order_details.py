"""Order details given without a request ("100218", "订单100218", an e-mail address): what they answer. After a request,
they repeat it for that order ("and for 100188?"); after an answer that asked for them, they go on with what it
offered (a team's check, the return of wrong or damaged goods); else what to do with the order is asked. One home for
it: the inform intent's action (actions/orders.py) and a number on its own the NLU was unsure of (actions/faq.py)."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.after_hand_back import request_resumed
from actions.handbook_followup import flow_invited, reason_invited
from actions.handoff import leave_email, person_offered
from actions.no_order_number import email_for_order_list, send_order_list
from actions.order_numbers import wrong_order_number
from actions.order_state import (
    EVIDENCE,
    FLOW,
    FLOWS,
    FORM,
    LAST_FLOW,
    ORDER_ID,
    PENDING_DETAIL,
    RETURN,
    RETURN_REASON,
    details_cleared,
)
from actions.parsing import ORDER_NUMBER_RE
from actions.refused_change import address_after_refused_change
from actions.smalltalk import order_topics
from actions.team_checks import person_for_team_check
from actions.texts import render
from actions.texts.catalog import in_every_language
from actions.texts.catalog import orders as say
from actions.turns import bot_messages_before_latest, previous_message, said
from actions.typed_choice import flow_picked
from helpdesk.orders import ReturnReason


def names_an_order(tracker: Tracker) -> bool:
    """The customer's latest message names an order number (an entity or the number in its text)."""
    entities = tracker.latest_message.get("entities") or []
    text = str(tracker.latest_message.get("text") or "")
    return any(e.get("entity") == ORDER_ID for e in entities) or bool(ORDER_NUMBER_RE.search(text))


async def answer_order_details(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
    """What order details given without a request answer (the module's docstring)."""
    email = next(
        (str(e["value"]) for e in tracker.latest_message.get("entities") or [] if e.get("entity") == "email"), None
    )
    if email and person_offered(tracker) and not names_an_order(tracker):
        leave_email(dispatcher, email)  # the answer to "Shall I get a person? … or leave your e-mail"
        return []
    if (address := email_for_order_list(tracker, said(tracker))) is not None:
        # the address after "Can't find it? Tell me the e-mail address you ordered with": the list goes there, and
        # the address is kept for the identity check of the order number that follows
        send_order_list(dispatcher, address)
        return [SlotSet(EVIDENCE, {"email": address})]
    if (picked := flow_picked(tracker, said(tracker))) is not None:
        return picked  # "the first one" at "Did you mean" offering an order flow
    if (wrong_number := wrong_order_number(dispatcher, said(tracker))) is not None:
        return wrong_number  # "order 10016": not an order number of ours, asked again
    if (again := await address_after_refused_change(dispatcher, tracker)) is not None:
        return again  # the new address typed after "it has shipped, so its address can no longer be changed"
    named = ORDER_NUMBER_RE.search(said(tracker))
    if named and person_for_team_check(dispatcher, tracker, named.group(1)):
        return []  # "100247" after "… tell me your order number(s) and we'll check it": a person for that check
    if (resumed := request_resumed(tracker, names_an_order(tracker))) is not None:
        return resumed  # "100218" after an agent handed back the chat of "我要退货", then "转人工": that return
    last = tracker.get_slot(LAST_FLOW)
    if last in FLOWS and names_an_order(tracker):
        return [SlotSet(FLOW, last), *details_cleared(), FollowupAction(FORM)]
    invited = flow_invited(tracker)  # "Give me your order number and the new address and I can update it"
    if invited is not None and names_an_order(tracker):
        # after the wrong-item answer ("Please tell me your order number …"): the free return of wrong goods
        reason = reason_invited(tracker) if invited == RETURN else ReturnReason.UNWANTED
        kept = [SlotSet(RETURN_REASON, reason.value)] if reason.shop_at_fault else []
        if reason.shop_at_fault and (reported := previous_message(tracker)) is not None:
            # what the report said of the goods ("one bowl of the set arrived broken", then "100193"): read once
            # the order may be changed, as when the number comes in the report (it was every piece of the line)
            kept.append(SlotSet(PENDING_DETAIL, reported))
        return [SlotSet(FLOW, invited), *details_cleared(), *kept, FollowupAction(FORM)]
    number = ORDER_NUMBER_RE.search(str(tracker.latest_message.get("text") or ""))
    # the order talked about ("hi, it's about my order 100234", then the e-mail address) is still the one
    order_id = number.group(1) if number else tracker.get_slot(ORDER_ID)
    if order_id:
        asked = in_every_language(say, "DETAILS_WITHOUT_REQUEST_FOR_ORDER")
        asked_already = any(
            str(m.get("text") or "") in {render(t, order_id=order_id) for t in asked}
            for m in bot_messages_before_latest(tracker)
        )
        # the e-mail address sent right after "What would you like me to do with order …?": noted, not the same
        # question word for word as if it had not been read
        template = say.DETAILS_NOTED_FOR_ORDER if asked_already else say.DETAILS_WITHOUT_REQUEST_FOR_ORDER
        dispatcher.utter_message(text=render(template, order_id=order_id), buttons=order_topics())
        # the e-mail address given with it is kept for the identity check of the request that follows
        return [SlotSet(EVIDENCE, {"email": email})] if email else []
    dispatcher.utter_message(
        text=say.DETAILS_WITHOUT_REQUEST,
        buttons=[
            {"title": say.WHERE_IS_MY_ORDER_BUTTON, "payload": "/order_status"},
            {"title": say.CANCEL_MY_ORDER_BUTTON, "payload": "/cancel_order"},
            {"title": say.RETURN_AN_ITEM_BUTTON, "payload": "/request_refund"},
        ],
    )
    return []
