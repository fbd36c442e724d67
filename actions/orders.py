"""Starting, carrying out and stopping an order request; a yes or no outside the form; explaining what can't be
changed in an order. The texts: actions/texts/ (orders.py, and cancel.py, address.py, returns.py per flow)."""

from __future__ import annotations

import json
import re

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.address import format_address
from actions.answer_again import not_helped
from actions.changes import confirmed, declined_text, planned_change
from actions.exchanges import EXCHANGES_ENTRY, exchange_of_received
from actions.express_upgrade import express_upgrade_answered
from actions.faq import (
    answer_questions,
    flow_started,
    received_goods_answered,
    received_goods_of_order,
    request_taken_back,
)
from actions.handbook_answer import RULE_RECEIVED_GOODS, answer_entry_by_id
from actions.handbook_followup import reason_invited
from actions.handoff import asks_for_person, buttons_of, complains, hand_off, offer_buttons, person_offered
from actions.identity import signed_in_customer
from actions.invoices import answer_invoice
from actions.items import names_items_of
from actions.known_order import refers_back_by_reason
from actions.missing_item import missing_item_answered
from actions.missing_parcel import missing, said_not_received
from actions.next_request import next_request
from actions.order_details import answer_order_details, names_an_order
from actions.order_state import (
    CANCEL,
    CHANGE_ADDRESS,
    CHANGES,
    CONFIRM,
    FLOW,
    FLOWS,
    FORM,
    LAST_FLOW,
    ORDER_DETAILS_ACTION,
    ORDER_ID,
    ORDER_STATUS,
    PENDING_CONFIRMATION,
    PENDING_DETAIL,
    RETURN,
    RETURN_REASON,
    OrderState,
    backend_failure,
    details_cleared,
    latest_intent,
    not_wanted_button,
    order_system,
    person_button,
    request_cleared,
)
from actions.paid_not_seen import offer_payment_check
from actions.parsing import ORDER_NUMBER_RE
from actions.photos import WRONG_ITEM_ENTRY, name_the_order, received_item_entry, return_photo_offer, return_reason_of
from actions.requests import (
    NEGATION_RE,
    ZH_BACK_REFERENCE,
    asks_status_of_it,
    first_of_two_orders,
    handbook_questions,
    names_flow,
    only_other_order,
    requests_in,
    unnamed_other_order_requests,
    zh_return_condition,
)
from actions.several_problems import several_problems_handed_off
from actions.smalltalk import general_topics, opener_about_order, pasted_confirmation
from actions.status_again import offer_instead_of_status, said_lately, status_not_enough, stuck_right_after_status
from actions.texts import render
from actions.texts.catalog import address as address_texts
from actions.texts.catalog import cancel as cancel_texts
from actions.texts.catalog import in_every_language
from actions.texts.catalog import orders as say
from actions.texts.catalog import smalltalk as smalltalk_texts
from actions.turns import bot_messages_before_latest, said
from actions.typed_choice import flow_picked
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
from helpdesk.orders.model import utc_now
from helpdesk.vocabulary import HANDOFF_COMPLAINT, HANDOFF_REQUESTED

# "cancel it", "where is that order": the order just talked about; "where is my order?" may be another one
# (in Chinese "这个订单还能取消不", "这单能退吗": requests.ZH_BACK_REFERENCE, and 它 "it")
BACK_REFERENCE_RE = re.compile(
    r"\b(?:it|its|it's|that|this|same|the\s+order|the\s+one)\b|" + ZH_BACK_REFERENCE + r"|它", re.IGNORECASE
)


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
        text = said(tracker)  # Chinese in simplified characters, as the rules read it
        damaged = False
        if tracker.active_loop_name != FORM and (instead := request_taken_back(dispatcher, tracker, text)) is not None:
            # "cancel order 100247, no wait, change the address instead": what is asked instead, or nothing; the
            # order form runs next by the rules (it ends quietly without a flow)
            return [*events, *(event for event in instead if event.get("event") != "followup")]
        if tracker.active_loop_name != FORM and answer_invoice(dispatcher, tracker, text):
            # "the company name on the invoice for order 100254 is wrong": the invoice, not a change of the order
            return [*events, SlotSet(FLOW, None), *details_cleared()]
        if tracker.active_loop_name != FORM and flow == CHANGE_ADDRESS and express_upgrade_answered(dispatcher, text):
            # "can i change my order 100262 to express shipping", read as an address change: express can't be added
            return [*events, SlotSet(FLOW, None), *details_cleared()]
        if tracker.active_loop_name != FORM and several_problems_handed_off(dispatcher, text):
            # "my parcel still hasnt come and you charged me twice", read as a status check: both said back, a person
            return [*events, SlotSet(FLOW, None), *details_cleared()]
        if tracker.active_loop_name != FORM and ((asked := asks_for_person(text)) or complains(text)):
            # "my order 100253 still hasnt arrived and its been ages, i want to talk to someone", read as a status
            # check (0.87), asked for the order's proof: the person asked for in so many words, or the complaint
            # made ("我要投诉，…订单100253"), as when the NLU is unsure (actions/faq.py); goods that came damaged or
            # wrong get the handbook's answer first, and a person
            if received_goods_of_order(text) is None:
                hand_off(dispatcher, HANDOFF_REQUESTED if asked else HANDOFF_COMPLAINT)
                return [*events, SlotSet(FLOW, None), *details_cleared()]
            if (answered := received_goods_answered(dispatcher, tracker, text)) is not None:
                return [*events, *answered, SlotSet(FLOW, None), *details_cleared()]
        if tracker.active_loop_name != FORM:
            about_order = opener_about_order(dispatcher, text)
            if about_order is not None:  # "hi, it's about my order 100234": asked what to do with it, no flow yet
                return [*events, *about_order]
            if flow == ORDER_STATUS and (parcel := missing_item_answered(dispatcher, tracker, text)) is not None:
                # "包裹里多了一件我没买的东西 订单100196" read as a status check (0.94): what the parcel held that the
                # order didn't say gets the handbook's answer and a person, not the order's identity check
                return [*events, *parcel, SlotSet(FLOW, None), *details_cleared()]
            if (goods := received_goods_of_order(text)) is not None:
                # "我的订单100224的东西坏了", "i got the wrong color cushion in order 100212" read as a cancellation or
                # a status check: what arrived is damaged or wrong, so the handbook's answer about it (below), then
                # the return of that order (the one the report names, of two: actions/faq.py goods_order_number)
                damaged, flow = True, RETURN
                events.append(SlotSet(ORDER_ID, goods[1]))
        requests = requests_in(text)
        questions = requests.questions
        if requests.flow is None and len(questions) == 1:
            # "我買的抱枕出貨了嗎", "掌柜的，我拍的那套床品走到哪了": no clause names the order, so the one question
            # in the message is the request the NLU read as this flow, not a second question beside it (it got an
            # unrelated handbook answer first: the stock levels, the bedding sizes)
            questions = []
        if questions and requests.flow is not None and tracker.active_loop_name != FORM and not damaged:
            # "订单100234怎么还没到？另外你们支持支付宝吗": the NLU read the whole message (a refund status, from the
            # payment question beside it); the order request's own clause says which flow it is
            flow = requests.flow
        elif (
            requests.flow
            and tracker.active_loop_name != FORM
            and not damaged
            and (unnamed_other_order_requests(text) or first_of_two_orders(text, requests))
        ):
            # "帮我查下订单100234到哪了，还有一个订单我想取消", "100234到哪了？另外100262我不要了帮我取消": the NLU read
            # the other order's cancellation; the first order's own clause asks for its status (it was "100234 has
            # shipped, it can't be cancelled", the status never given), the other order's request follows
            # (actions/next_request.py)
            flow = requests.flow
        if requests.flow is not None:
            # "… and can i return the bowls from it?": a change of the same order, taken up after this request
            # (actions/next_request.py), not a handbook question
            questions = handbook_questions(questions, requests.flow)
        received = received_item_entry(text)  # the handbook entry for goods said to be damaged or wrong, if any
        condition = None  # (damaged or wrong goods get the handbook's answer about them: below)
        if flow == RETURN and tracker.active_loop_name != FORM and not damaged and received is None:
            condition = zh_return_condition(text)
        if condition is not None:
            # "我想退掉毯子，拆封了可以吗": whether the goods can still go back so ("拆封了还能退货吗") is answered
            # before the return (the clause it is in was the one question, read as the request, and dropped)
            questions = [*(question for question in questions if zh_return_condition(question) is None), condition]
        if questions:
            # "... and how do I return something broken?": answered first; a question the handbook is unsure of is
            # offered only beside an order request of its own ("where's my stuff" alone is the request itself)
            answer_questions(dispatcher, questions, offer_unsure=requests.flow is not None or condition is not None)
        elif flow == RETURN and tracker.active_loop_name != FORM and (entry := received) is not None:
            # "my vase arrived broken!! order 100184": what the shop does about damaged or wrong goods (a replacement
            # or a refund, broken glass not sent back) comes before the return; its photo is offered once booked. The
            # order named, or the one the conversation knows ("you sent the wrong colour pillowcases, i want to return
            # them" after its status: the answer asked "Please tell me your order number"), is not asked for
            number = ORDER_NUMBER_RE.search(text)
            answer_entry_by_id(
                dispatcher,
                entry,
                text,
                ask_photo=entry == WRONG_ITEM_ENTRY,  # a damaged item's photo: once the return is booked
                order_number=number.group(1) if number else state.order_id,
                rule=RULE_RECEIVED_GOODS,
            )
        # a new request about the same order keeps the order and the identity check, nothing else
        events += [SlotSet(FLOW, flow), *details_cleared()]
        if damaged:
            # what to send back, read once the order may be changed (as the customer wrote it)
            events.append(SlotSet(PENDING_DETAIL, str(tracker.latest_message.get("text") or "")))
        if flow == RETURN and tracker.active_loop_name != FORM and (entry := received) is not None:
            events.append(SlotSet(RETURN_REASON, return_reason_of(entry).value))  # damaged or wrong: a free return
        elif flow == RETURN and tracker.active_loop_name != FORM and reason_invited(tracker).shop_at_fault:
            # "Return an item" right after the wrong-item answer: that return, free (a replacement or a refund)
            events.append(SlotSet(RETURN_REASON, reason_invited(tracker).value))
        handled = tracker.get_slot(LAST_FLOW) and state.verified and tracker.active_loop_name != FORM
        # a request finished for this order; "where is my order?" may mean another one: ask (offering it), unless the
        # message names it ("that order") or items of it ("send the carafe back")
        if (
            handled
            and not names_an_order(tracker)
            and not BACK_REFERENCE_RE.search(text)
            and not refers_back_by_reason(text)  # "我不想要了，能取消吗": Chinese leaves out the "it"
            and not (flow == ORDER_STATUS and stuck_right_after_status(tracker, text))  # "物流五天没更新了": that order
            and not (flow == RETURN and await names_items_of(str(state.order_id), text))
        ):
            events.append(SlotSet(ORDER_ID, None))
        elif tracker.active_loop_name != FORM and not damaged and only_other_order(text):
            # "ok thanks but where is my other order" right after order 100234's missing item: its number is asked
            # (100234's proof was asked for, the other order lost)
            events.append(SlotSet(ORDER_ID, None))
        return events


async def cancellation_instead(state: OrderState) -> list[dict[str, str]]:
    """A return refused because the order has not shipped yet, while the shop still lets it be cancelled: the
    cancellation the refusal offers, as a button ("i want to return the blanket from 100259" of an unpaid order).
    The button names the order, whose proof is known already: it goes straight to the cancellation's yes/no."""
    if state.flow != RETURN or state.order_id is None:
        return []
    system = order_system()
    try:
        order = await system.get_order(str(state.order_id))
    except (BackendError, OrderNotFound):
        return []
    if system.policy.cancel_refusal(order, utc_now()) is not None:
        return []
    payload = "/cancel_order" + json.dumps({ORDER_ID: order.number})  # this order, not "which of your orders?"
    return [{"title": say.CANCEL_MY_ORDER_BUTTON, "payload": payload}]


class ActionOrderSubmit(Action):
    """Carry out the request once the form has everything: look up, or cancel, re-address, return exactly what the
    customer said yes to (actions/changes.py)."""

    def name(self) -> str:
        return "action_order_submit"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        state = OrderState.from_tracker(tracker)
        if state.flow is None or not state.verified:
            return []  # the form ended early (stopped, too many wrong answers, order system down): said so already
        if state.refusal:
            buttons = [*await cancellation_instead(state), person_button()]
            dispatcher.utter_message(text=state.refusal, buttons=buttons)
            return [*self._done(state.flow), *next_request(dispatcher, tracker, str(state.order_id), state.flow)]
        if state.flow in CHANGES and not state.may_change:  # the form never gets here: a change needs its e-mail
            dispatcher.utter_message(text=render(say.NOT_CHANGED, order_id=state.order_id), buttons=[person_button()])
            return self._done(state.flow)
        system = order_system()
        try:
            if state.flow in CHANGES:
                text, changed = await self._change(system, state)
                buttons = [not_wanted_button()] if changed else []
                if changed and state.flow == RETURN:  # a photo for the team, if something arrived damaged or wrong
                    offer, photo_button = return_photo_offer(str(state.order_id))
                    text, buttons = f"{text}\n\n{offer}", [photo_button, *buttons]
                dispatcher.utter_message(text=text, buttons=buttons)
                if state.confirm is False and ITEM_CHANGE_RE.search(said(tracker)):
                    # "wait actually dont cancel, can i just add another item to it instead?": the no, then the
                    # other wish answered (it was the no alone)
                    explain_item_changes(dispatcher)
                elif state.confirm is False and asks_status_of_it(said(tracker)):
                    # "actually no wait, dont cancel it. can you just tell me when it ships": the no, then where the
                    # order stands (it was the no alone)
                    order = await system.get_order(str(state.order_id))
                    dispatcher.utter_message(text=describe_order(order, system.policy))
            elif state.flow == ORDER_STATUS:
                order = await system.get_order(str(state.order_id))
                missed = said_not_received(tracker) and missing(order, utc_now().date())
                # "it says delivered but i never got it": what to check, and the team's investigation; not "you
                # can return it until …" (nothing reached them to return)
                text = describe_order(order, system.policy, return_window=not missed)
                text = f"{text}\n\n{say.MISSING_PARCEL}" if missed else text
                if said_lately(tracker, text) and status_not_enough(said(tracker)):
                    # "tracking hasnt moved in 5 days": nothing newer than the status just given, a person offered
                    offer_instead_of_status(dispatcher, tracker, str(state.order_id))
                elif said_lately(tracker, text):
                    # "大概哪天能到？", "so when will it arrive?" right after the status: what it says, again, and a
                    # person a button away (it was "I'm sorry it's taking so long … shall I get you a person?" to a
                    # customer who had only asked when it comes: lane czh3's walk)
                    dispatcher.utter_message(text=text, buttons=[person_button()])
                else:
                    dispatcher.utter_message(text=text, buttons=[person_button()] if missed else [])
                    # "i paid yesterday but it still says waiting for payment??": a person to check the payment
                    offer_payment_check(dispatcher, tracker, order)
            else:
                refund = await system.refund_status(str(state.order_id))
                text = describe_refund(refund, system.policy)
                if refund.state is RefundState.NONE:
                    # "i asked for a refund a week ago and still nothing": none on record is not the end of it (it
                    # was a dead end): a person can look into a return or a promise the order system does not show
                    dispatcher.utter_message(text=f"{text}\n\n{say.REFUND_NONE_NEXT}", buttons=[person_button()])
                else:
                    dispatcher.utter_message(text=text)
        except PolicyRefusal as refusal:
            dispatcher.utter_message(text=refusal.text, buttons=[person_button()])
        except (BackendError, OrderNotFound) as error:
            return backend_failure(dispatcher, tracker, error)
        return [*self._done(state.flow), *next_request(dispatcher, tracker, str(state.order_id), state.flow)]

    @staticmethod
    def _done(flow: str) -> list[EventType]:
        return [SlotSet(FLOW, None), SlotSet(LAST_FLOW, flow), *request_cleared()]

    @staticmethod
    async def _change(system: OrderSystem, state: OrderState) -> tuple[str, bool]:
        """What to say, and whether the order was changed."""
        number = str(state.order_id)
        if state.confirm is False:
            return declined_text(state.flow, number), False
        change = await planned_change(system, state, await system.get_order(number))
        if not confirmed(state, change):
            return render(say.UNCONFIRMED, order_id=number), False
        if state.flow == CANCEL:
            await system.cancel(number)
            refund = await system.refund_status(number)
            if refund.state is RefundState.NONE:
                return render(cancel_texts.DONE_NOTHING_CHARGED, order_id=number), True
            refund_text = describe_refund(refund, system.policy)
            return render(cancel_texts.DONE_WITH_REFUND, order_id=number, refund=refund_text), True
        if state.flow == CHANGE_ADDRESS and state.new_address:
            order = await system.change_address(number, Address(**state.new_address))
            address = format_address(order.shipping_address)
            return render(address_texts.DONE, order_id=number, address=address), True
        if change is not None and change.replacement:  # damaged or wrong goods sent again: no refund
            replaced = await system.create_replacement(number, state.return_items, state.return_reason)
            return replaced.instructions, True
        booked = await system.create_return(number, state.return_items, state.return_reason)
        return booked.instructions, True


class ActionOrderDetails(Action):
    """Order details without a request: "and for 100188?" right after a request repeats it for that order."""

    def name(self) -> str:
        return ORDER_DETAILS_ACTION

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        return await answer_order_details(dispatcher, tracker)


class ActionStopOrderRequest(Action):
    """ "Never mind": end the order request without changing anything."""

    def name(self) -> str:
        return "action_stop_order_request"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        state = OrderState.from_tracker(tracker)
        dispatcher.utter_message(text=say.STOPPED_NOTHING_CHANGED if state.flow in CHANGES else say.STOPPED)
        return [SlotSet(FLOW, None), *request_cleared()]


class ActionChangeOrder(Action):
    """What can and can't be changed in a placed order, with the ways forward as buttons."""

    def name(self) -> str:
        return "action_change_order"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        text = str(tracker.latest_message.get("text") or "")
        state = OrderState.from_tracker(tracker)
        if tracker.active_loop_name != FORM:
            # read as changing its items once an order named needs less (lane en's flow_answer_at): an order
            # confirmation pasted with nothing asked ("Order Confirmation #100218 … Total €111.00") is asked what to do
            # with that order, as the number alone; "i ordered 2 candles but only got 1. order 100234" gets what the
            # parcel lacked (or held besides) and a person for that order, as a status reading does
            if pasted_confirmation(text) and (about_order := opener_about_order(dispatcher, text)) is not None:
                return about_order
            if (parcel := missing_item_answered(dispatcher, tracker, text)) is not None:
                return parcel
        if (returned := received_goods_answered(dispatcher, tracker, text)) is not None:
            # "hi i got the wrong color cushion in order 100212": not a change to the order's items, what arrived is
            # wrong; the answer, then the return of that order (the order number is not asked for again)
            name_the_order(dispatcher.messages, state.order_id if state.verified else None)
            return returned
        if (entry_id := received_item_entry(text)) is not None and answer_entry_by_id(
            dispatcher, entry_id, text, rule=RULE_RECEIVED_GOODS
        ):
            # "I got the wrong item": no order named, so the answer asks for it
            name_the_order(dispatcher.messages, state.order_id if state.verified else None)
            return []
        if tracker.active_loop_name != FORM and answer_invoice(dispatcher, tracker, text):
            return []  # "订单100254能开发票吗": the invoice, not the order's items
        requests = requests_in(text)
        if tracker.active_loop_name != FORM and requests.flow is not None and ORDER_NUMBER_RE.search(text):
            # "i whant to retrun my order 100159 the serving board is to small": a return the NLU read as changing the
            # items (the typos, the item named); the words ask for the return of that order, so it starts, after the
            # questions beside it ("亚麻床单可以机洗吗？另外订单100253能不能改地址": the washing question was dropped)
            if requests.questions:
                answer_questions(dispatcher, requests.questions)
            return flow_started(tracker, requests.flow, text, requests.order_part)
        if tracker.active_loop_name != FORM and exchange_of_received(text):
            # "the tablecloth i got is too small, can i swap it for the bigger one? order 100218": the exchanges
            # answer (return it, order the other size), then that order's return when the message names it
            number = ORDER_NUMBER_RE.search(text)
            if answer_entry_by_id(dispatcher, EXCHANGES_ENTRY, text, order_number=number and number.group(1)):
                return flow_started(tracker, RETURN, text, text) if number else []
        explain_item_changes(dispatcher)
        return []


# the items of a placed order changed ("can i just add another item to it", "swap the colour", "加一件", "换个颜色"):
# what the shop can do instead (CHANGE_ORDER_EXPLAINED), also when said beside a no to another change
ITEM_CHANGE_RE = re.compile(
    r"\b(?:add|remove|take\s+out|take\s+off|swap|switch|change)\s+(?:\w+\s+){0,3}?"
    r"(?:items?|something|one\s+more|another\s+(?:one|item|thing|product)|colou?r|size|products?|things?|quantity)\b"
    r"|加(?:一|1|两|2)?(?:件|个|個|样|樣|单|單)|加购|加購|[换換](?:个|個|一下)?(?:颜色|顏色|尺码|尺碼|款式|数量|數量)"
    r"|少(?:要|买|買)(?:一|1)?(?:件|个|個)|[删刪](?:掉|除)(?:一|1)?(?:件|个|個)",
    re.IGNORECASE,
)


def explain_item_changes(dispatcher: CollectingDispatcher) -> None:
    """What can and can't be changed in a placed order (its items cannot), with the ways forward as buttons."""
    days = order_system().policy.config.return_window_days
    dispatcher.utter_message(
        text=render(say.CHANGE_ORDER_EXPLAINED, days=days),
        buttons=[
            {"title": say.CANCEL_MY_ORDER_BUTTON, "payload": "/cancel_order"},
            {"title": say.CHANGE_ADDRESS_BUTTON, "payload": "/change_shipping_address"},
            person_button(),
        ],
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


def just_changed(tracker: Tracker) -> bool:
    """The bot's message just before this one carried out a change (it offered "That's not what I wanted")."""
    return any(
        button.get("title") in in_every_language(say, "NOT_WANTED_BUTTON")
        for event in bot_messages_before_latest(tracker)
        for button in buttons_of(event)
    )


def change_named_again(tracker: Tracker) -> str | None:
    """The change a yes outside the form names ("yes cancel it", "是的，取消"): for the order being talked about, or,
    with none, the flow asks which order (issue 18: "是的，取消吧" with nothing open, read as a yes, was answered that
    there was nothing to confirm); none when the yes has a "not" in it ("yes, don't cancel it", "好的，那就不取消")."""
    text = said(tracker)
    if NEGATION_RE.search(text):
        return None
    return next((flow for flow in CHANGES if names_flow(text, flow)), None)


class ActionAffirm(Action):
    """A yes outside the order form. It confirms no change: a change is confirmed only inside the form, as the
    answer to the question that describes it (actions/changes.py). A yes to "Shall I get a person?" hands off."""

    def name(self) -> str:
        return "action_affirm"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        if person_offered(tracker):
            hand_off(dispatcher, HANDOFF_REQUESTED)
        elif (flow := change_named_again(tracker)) is not None:
            # "ok actually yes cancel it" after saying no to the cancellation: that request again, for the order
            # talked about (none: the flow asks which); its summary is asked about again (a yes confirms nothing)
            return [SlotSet(FLOW, flow), *details_cleared(), FollowupAction(FORM)]
        elif (picked := flow_picked(tracker, "", affirmed=True)) is not None:
            return picked  # "yes that one" to a "Did you mean" that offered one order flow
        elif unanswered_confirmation(tracker):
            dispatcher.utter_message(text=say.NOTHING_TO_CONFIRM)
        else:
            dispatcher.utter_message(response="utter_affirm")
        return []


class ActionDeny(Action):
    """A no outside the order form. Right after a change was carried out it means "that was wrong": there is no
    undo in the order interface, so a person is offered at once (they see what was changed). A no to "Shall I get a
    person?" invites the question again."""

    def name(self) -> str:
        return "action_deny"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        if just_changed(tracker):
            dispatcher.utter_message(text=say.CHANGE_WAS_WRONG, buttons=offer_buttons())
        elif person_offered(tracker):
            dispatcher.utter_message(text=smalltalk_texts.OFFER_DECLINED, buttons=general_topics())
        elif not_helped(dispatcher, tracker, said(tracker)):
            pass  # "没用，我试过了" right after a handbook answer: a person offered, not "no problem"
        else:
            dispatcher.utter_message(response="utter_deny")
        return []
