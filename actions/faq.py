"""Answer informational questions from the handbook, or suggest entries, or hand off."""

from __future__ import annotations

import json
import os
import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.answer_again import not_helped, same_answer_again
from actions.express_upgrade import express_upgrade_answered
from actions.faulty_goods import faulty_goods_answered
from actions.forms import change_asked_instead
from actions.handbook_answer import (
    RULE_PAYMENT_WAY,
    RULE_PICKED,
    RULE_PRODUCT_OPTION,
    RULE_RECEIVED_GOODS,
    answer_entry,
    answer_entry_by_id,
    in_language,
)
from actions.handbook_followup import (
    PAYMENTS_SECTION,
    answer_about_last_answer,
    answer_in_topic_of_last_answer,
    decided_in_section,
    section_of,
)
from actions.handoff import (
    asks_for_person,
    buttons_of,
    choice_buttons,
    complains,
    hand_off,
    leave_email,
    offer_person,
    person_asked,
    person_offered,
)
from actions.invoices import answer_invoice
from actions.items import names_items_of
from actions.known_order import change_of_known_order
from actions.missing_item import missing_item_answered
from actions.no_order_number import answer_no_order_number, email_for_order_list, says_no_order_number, send_order_list
from actions.offer_reply import accepted_with_thanks
from actions.order_details import answer_order_details
from actions.order_numbers import same_request_for, wrong_order_number
from actions.order_state import (
    CHANGE_ADDRESS,
    CHANGES,
    EVIDENCE,
    FLOW,
    FLOWS,
    FORM,
    LAST_FLOW,
    ORDER_ID,
    PENDING_DETAIL,
    RETURN,
    RETURN_REASON,
    OrderState,
    details_cleared,
)
from actions.other_language import SPOKEN, beside_language_question, language_asked_about, other_language
from actions.parsing import EMAIL_RE, ORDER_NUMBER_RE, only_order_number, read_message
from actions.payment_ways import (
    PAYMENT_ENTRY_LEAD,
    PAYMENT_METHODS_ENTRY,
    asks_payment_way,
    card_issuers_business,
    entries_near,
)
from actions.photos import WRONG_ITEM_ENTRY, name_the_order, received_item_entry, return_reason_of
from actions.product_kinds import kinds_in
from actions.product_options import PRODUCT_AVAILABILITY_ENTRY, option_asked
from actions.refused_change import address_after_refused_change, options_after_refused_change
from actions.requests import (
    Requests,
    alternatives,
    declines_flow,
    handbook_questions,
    names_an_order_number,
    names_flow,
    option_words,
    questions_in,
    requests_in,
    taken_back,
    without_lead_in,
)
from actions.several_problems import several_problems_handed_off
from actions.signals import signal_handoff, signal_small_talk
from actions.smalltalk import (
    acknowledges_with_emoji,
    answer_language_question,
    answer_small_talk,
    answer_vague,
    closing_reply,
    drops_it_by_words,
    opener_about_order,
    small_talk_answer,
    small_talk_by_words,
    vague_by_words,
)
from actions.status_again import hurry_after_status, status_again_for_stuck
from actions.team_checks import TEAM_CHECKS, answer_with_team_check, offer_team_check, order_for_check
from actions.texts import render
from actions.texts.catalog import in_every_language
from actions.texts.catalog import orders as order_texts
from actions.texts.catalog import routing as routing_texts
from actions.texts.catalog import smalltalk as smalltalk_texts
from actions.turns import as_written, bot_messages_before_latest, previous_message, said, turns_before_latest
from actions.typed_choice import faq_id_of, flow_picked, typed_choice
from helpdesk.knowledge import language_search
from helpdesk.knowledge.decision import Candidate
from helpdesk.knowledge.handbook import Entry
from helpdesk.knowledge.runtime import get_knowledge_base
from helpdesk.orders import ReturnReason
from helpdesk.vocabulary import HANDOFF_COMPLAINT, HANDOFF_FAILED_TURNS, HANDOFF_LOW_CONFIDENCE, HANDOFF_REQUESTED
from nlu_addons.arbiter import refers_back
from nlu_addons.language import language_of
from nlu_addons.order_cues import another_companys


def none_of_these_button() -> dict[str, str]:
    return {"title": routing_texts.NONE_OF_THESE_BUTTON, "payload": "/request_human"}


def chosen_faq_id(tracker: Tracker) -> str | None:
    """The entry a customer picked from a "Did you mean" button, if this turn is such a pick."""
    for entity in tracker.latest_message.get("entities") or []:
        if entity.get("entity") == "faq_id" and entity.get("value"):
            return str(entity["value"])
    return None


def failed_turns_limit() -> int:
    """Consecutive turns the bot may fail to answer before a person takes over (HANDOFF_FAILED_TURNS, 2)."""
    try:
        return max(1, int(os.environ.get("HANDOFF_FAILED_TURNS", "2")))
    except ValueError:
        return 2


def choices(buttons: list[dict[str, Any]]) -> frozenset[str]:
    """What a "Did you mean" offers: its buttons' payloads, without the way out to a person."""
    return frozenset(str(b["payload"]) for b in choice_buttons(buttons))


def failed_turns_before(tracker: Tracker, offered: frozenset[str] | None = None) -> int:
    """How many of the customer's previous turns in a row the bot answered only with "Did you mean"; with `offered`
    (this turn's choices), only those about the same thing: a "Did you mean" that shares a choice with this one. A
    customer who moved on to another question ("the thing with the lid", then "whats the warranty on the casserole")
    is not stuck: their new question gets its own choices, not a person."""
    suggest = in_every_language(routing_texts, "SUGGEST")
    failed = 0
    for turn in turns_before_latest(tracker):
        asked_back = [event for event in turn.bot if str(event.get("text") or "") in suggest]
        if not asked_back:
            break
        if offered is not None and not any(choices(buttons_of(event)) & offered for event in asked_back):
            break
        failed += 1
    return failed


# the intents whose rule runs this action; for them the NLU's routing decision (the parse's `route`) is followed
ROUTED_INTENTS = frozenset({"faq", "nlu_fallback", "out_of_scope"})
LOW_CONFIDENCE_ROUTE = "handoff:low_confidence"  # nlu_addons.arbiter.LOW_CONFIDENCE: nothing fits


def routed(tracker: Tracker) -> dict[str, Any] | None:
    """The NLU's one routing decision for this message (nlu_addons/onepass_nlu.py), when it made one: absent for
    button payloads ("/faq{...}", "/order_status"), which Rasa does not send through the NLU pipeline."""
    message = tracker.latest_message or {}
    route = message.get("route")
    intent = (message.get("intent") or {}).get("name")
    if isinstance(route, dict) and route.get("destination") and intent in ROUTED_INTENTS:
        return route
    return None


def choice_button(destination: str, titles: dict[str, str]) -> dict[str, str] | None:
    """A "Did you mean" button for a destination: a handbook entry or a flow (small talk is never offered)."""
    kind, _, name = destination.partition(":")
    if kind == "faq" and name in titles:
        return {"title": in_language(name, titles[name], "")[0], "payload": "/faq" + json.dumps({"faq_id": name})}
    if kind == "intent" and name in routing_texts.INTENT_CHOICES:
        return {"title": routing_texts.INTENT_CHOICES[name], "payload": f"/{name}"}
    return None


class ActionAnswerFaq(Action):
    def name(self) -> str:
        return "action_answer_faq"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        events = await self._answer_turn(dispatcher, tracker)
        # a photo offered after a damaged- or wrong-item answer names the order the customer already proved is theirs
        state = OrderState.from_tracker(tracker)
        name_the_order(dispatcher.messages, state.order_id if state.verified else None)
        return events

    async def _answer_turn(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
        kb = get_knowledge_base()
        picked = chosen_faq_id(tracker)
        if picked is not None:
            self._answer_pick(dispatcher, tracker, picked)
            return []
        question = said(tracker)  # Chinese in simplified characters, as the rules and the handbook read it
        in_request = tracker.active_loop_name == FORM
        typed = typed_choice(tracker, question) if not in_request else None
        if typed is not None and (typed_id := faq_id_of(typed)) is not None:
            self._answer_pick(dispatcher, tracker, typed_id)  # "the second one", "washing" at "Did you mean"
            return []
        if not in_request and (picked_flow := flow_picked(tracker, question)) is not None:
            return picked_flow  # "2", "cancel an order" at "Did you mean" offering that flow
        if not in_request and (again := await address_after_refused_change(dispatcher, tracker)) is not None:
            return again  # the new address typed after "it has shipped, so its address can no longer be changed"
        if not in_request and (options := await options_after_refused_change(dispatcher, tracker)) is not None:
            return options  # "那怎么办" right after a refused address change or cancellation: what they can do
        if not in_request and (instead := request_taken_back(dispatcher, tracker, question)) is not None:
            return instead  # "cancel 100247, no wait, change the address instead"
        if not in_request and (address := email_for_order_list(tracker, question)) is not None:
            # the address after "Can't find it? Tell me the e-mail address you ordered with", whatever the NLU read
            send_order_list(dispatcher, address)
            return [SlotSet(EVIDENCE, {"email": address})]
        if not in_request and says_no_order_number(question):
            # "i dont have my order number": where it is, the list by e-mail, and a person offered
            answer_no_order_number(dispatcher, tracker)
            return []
        if not in_request and answer_language_question(dispatcher, tracker, question):
            # "do you speak chinese?", "可以说英文吗": yes, in that language (it was a person offered); "sorry can you
            # answer in english? when will i get the money": the yes, then that question (it was dropped)
            rest = beside_language_question(question)
            if rest is None or language_asked_about(question) not in SPOKEN:
                return []
            return await self._go_on_with(dispatcher, tracker, rest)
        if not in_request and accepted_with_thanks(tracker):
            hand_off(dispatcher, HANDOFF_REQUESTED)  # "sure, thanks" to "Shall I get a person?", the NLU unsure
            return []
        if not in_request and (closing := closing_reply(tracker)) is not None:
            dispatcher.utter_message(text=closing)  # "nvm then. thx": thanks or no, either way a goodbye
            signal_small_talk(dispatcher)  # nothing to rate ("Did this help?" under "You're welcome!")
            return []
        if not in_request and (again := status_again_for_stuck(tracker, question)) is not None:
            return again  # "tracking hasnt moved in 5 days" right after the status: that order, not the handbook's
        if not in_request and hurry_after_status(dispatcher, tracker, question):
            return []  # "那能帮我催一下吗" right after the status: it can't be hurried from here, a person offered
        if (
            not in_request
            and ((person := asks_for_person(question)) or complains(question))
            and received_goods_of_order(question) is None
        ):
            # "我的订单100234还没到，我要找真人客服", "我要投诉，东西等了两周一直没到，订单100253": the person asked
            # for, or the complaint's, not the order's identity check (goods that came wrong or damaged get the
            # handbook's answer first, and the person offered: received_goods_answered)
            hand_off(dispatcher, HANDOFF_REQUESTED if person else HANDOFF_COMPLAINT)
            return []
        if not in_request:
            started = await self._question_and_order_request(dispatcher, tracker, question)
            if started is not None:
                return started
            started = change_of_known_order(tracker, question)
            if started is not None:
                return started
        if not in_request and only_order_number(question) is not None:
            # "订单100218" (read as unsure: "Did you mean" changing or cancelling an order): an order number given on
            # its own, as "100218" is (after the damaged-item answer, that order's return)
            return await answer_order_details(dispatcher, tracker)
        if not in_request:
            by_words = self._by_words(dispatcher, tracker, question)
            if by_words is not None:
                return by_words
            if answer_several_questions(dispatcher, question):
                return []
        if in_request and change_asked_instead(question, OrderState.from_tracker(tracker).flow) is not None:
            # "actually just change the delivery address" at the cancellation's identity question: the form offers
            # that change instead (the handbook's answer about address changes, then the cancellation again, was not it)
            return []
        if in_request and small_talk_by_words(question) and "?" not in question:
            # "hang on, let me find the confirmation e-mail" while the form waits for it: a word back, and the
            # form's question follows (a handbook entry that shares a word is not what was asked)
            dispatcher.utter_message(text=small_talk_answer(question))
            return []
        route = routed(tracker)
        if (
            route is not None
            and not in_request
            and not str(route.get("destination")).startswith("faq:")
            and answer_invoice(dispatcher, tracker, question)
        ):
            # "掌柜 订单100194的发票抬头写错了 能改吗": the NLU unsure between changing the order and its address, the
            # order number named; the invoice, not an order flow (which started, with its identity check)
            return []
        if route is not None and not in_request and (started := flow_named_from_offer(tracker, route, question)):
            return started
        if route is not None and not in_request and (started := flow_named_with_order(tracker, route, question)):
            return started
        if route is not None and not in_request and (asked := entry_after_refused_change(tracker, route)) is not None:
            entry = kb.entry(asked)
            if entry is not None:
                score = next((float(c["score"]) for c in route.get("faq_candidates") or [] if c["id"] == asked), 0.0)
                self._answer(dispatcher, entry.id, entry.title, entry.answer, score)
                return []
        if route is not None and not in_request:
            started = flow_for_known_order(tracker, route, question)
            if started is not None:
                return started
        if route is not None and not in_request and not_helped(dispatcher, tracker, question):
            return []  # "that didnt help, i already tried that" right after a handbook answer: a person offered
        if route is not None and not (in_request and str(route.get("destination")) == "handoff"):
            self._follow(dispatcher, tracker, route, question, in_request)
            return []
        # no routing decision to follow (a payment problem, a button): the handbook ranked in the question's language
        # (a Chinese one by the NLU's Chinese side and gate; the English engine reads Chinese as noise)
        payment_problem = (tracker.latest_message.get("intent") or {}).get("name") == "payment_issue"
        if payment_problem and language_of(question) == "zh":
            # a Chinese payment problem: a payments entry (read alone, the Chinese ranking answered "结账时一直显示错误"
            # with the registration problems); English keeps the plain decision, whose gate refuses what is not the
            # shop's ("dispute a charge with my credit card company" was answered with payment-declined)
            decision = decided_in_section(question, PAYMENTS_SECTION)
        else:
            decision = language_search.decide(kb, question)
        if decision.action != "answer" and not in_request and small_talk_by_words(question):
            answer_small_talk(dispatcher, question)  # the NLU was unsure, the words are not
        elif decision.action != "answer" and not in_request and vague_by_words(question):
            answer_vague(dispatcher, question)
        elif decision.action == "answer" and decision.best is not None:
            best = decision.best
            checked = order_for_check(tracker, question, known=not in_request) if best.id in TEAM_CHECKS else None
            if checked is not None:
                # "I was charged twice for order 100247" (or for the order just verified): the answer without "tell
                # me your order number(s) and we'll check it", and a person offered for that check
                answer_entry(dispatcher, best.id, best.title, best.answer, best.score, order_number=checked)
                offer_team_check(dispatcher, tracker, best.id, checked)
            elif not self._answer_each_alternative(dispatcher, question, best.id, best.title, best.answer):
                self._answer(dispatcher, best.id, best.title, best.answer, best.score)
        elif decision.action == "suggest" and decision.candidates:
            self._suggest(
                dispatcher,
                tracker,
                [
                    {"title": in_language(c.id, c.title, "")[0], "payload": "/faq" + json.dumps({"faq_id": c.id})}
                    for c in decision.candidates
                ],
            )
        else:
            self._no_good_answer(dispatcher, tracker, question, in_request)
        return []

    @staticmethod
    def _no_good_answer(dispatcher: CollectingDispatcher, tracker: Tracker, question: str, in_request: bool) -> None:
        if in_request:
            # inside an order request: say so, and the request goes on (its question follows); a person is a
            # button away there
            dispatcher.utter_message(text=smalltalk_texts.NOT_SURE_IN_REQUEST)
        elif drops_it_by_words(question):
            dispatcher.utter_message(response="utter_deny")  # "actually nvm, keep it": nothing to answer, no person
        elif acknowledges_with_emoji(question):
            dispatcher.utter_message(response="utter_affirm")  # "👍" after an answer: "ok", not a person offered
        elif small_talk_by_words(question):
            answer_small_talk(dispatcher, question)  # the NLU was unsure, the words are not
        elif vague_by_words(question):
            answer_vague(dispatcher, question)
        elif another_companys(question):
            # "where is my ikea delivery": said plainly that only Larkspur Home's orders and accounts are here
            offer_person(dispatcher, tracker, smalltalk_texts.ANOTHER_COMPANY, HANDOFF_LOW_CONFIDENCE)
        elif other_language(question) is not None:
            # "hallo, ich habe eine frage zu meiner bestellung": which languages the bot speaks, and a person
            offer_person(dispatcher, tracker, smalltalk_texts.ONLY_ENGLISH_AND_CHINESE, HANDOFF_LOW_CONFIDENCE)
        else:
            # no good answer: a person is offered as a choice (the wait, or an e-mail address for a later answer)
            offer_person(dispatcher, tracker, smalltalk_texts.OFFER_AFTER_NO_ANSWER, HANDOFF_LOW_CONFIDENCE)

    @staticmethod
    def _by_words(dispatcher: CollectingDispatcher, tracker: Tracker, text: str) -> list[dict[str, Any]] | None:
        """What the words make sure of, whatever the NLU said: an e-mail address answering the offer of a person
        leaves a message; the wrong goods received, with an order number, get the handbook's answer about them; an
        order number with only "about my order" around it ("hi. i have a question. about my
        order 100234") asks what to do with that order."""
        email = EMAIL_RE.search(text)
        if email and person_offered(tracker) and not ORDER_NUMBER_RE.search(text):
            leave_email(dispatcher, email.group(0))
            return []
        if several_problems_handed_off(dispatcher, text):
            return []  # "you charged me twice AND my parcel still hasnt come": both said back, and a person
        if express_upgrade_answered(dispatcher, text):
            return []  # "can i change my order 100262 to express shipping": the express answer, not an address change
        received = received_goods_answered(dispatcher, tracker, text)
        if received is not None:
            # "you sent me the wrong colour, order 100184" (the order number made the NLU unsure: it asked back with
            # changing the order's items first), "my vase arrived broken!! order 100184", "我的订单100224的东西坏了"
            # with the NLU torn between a return, a status check or a cancellation
            return received
        faulty = faulty_goods_answered(dispatcher, text, routed(tracker))
        if faulty is not None:
            return faulty  # "my lamp is broken, the bulb wont light": the damaged-or-faulty answer, not a person
        missing = missing_item_answered(dispatcher, tracker, text)
        if missing is not None:
            return missing  # "i ordered 2 candles but only got 1. order 100234": the answer, and a person
        if another_companys(text):
            return None  # "my etsy order 2718281828": their number, not a Larkspur one mistyped (the route refuses)
        wrong_number = wrong_order_number(dispatcher, text)  # "where is order 10016": 6 digits, asked again
        if wrong_number is not None:
            return wrong_number
        same_again = same_request_for(tracker, text)  # "and how about 100188" after a request: the same for it
        if same_again is not None:
            return same_again
        return opener_about_order(dispatcher, text)

    async def _question_and_order_request(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, text: str
    ) -> list[dict[str, Any]] | None:
        """A handbook question with an order request beside it ("how long does delivery take, and where is my order
        100234?", "can i return the carafe? also how long do refunds take" about the order just checked): the
        question is answered, then the order request starts. None when the message isn't that."""
        state = OrderState.from_tracker(tracker)
        requests = requests_in(text, order_known=state.order_id is not None)
        if requests.flow is None and state.verified:
            requests = await return_of_items_of(requests, str(state.order_id))
        if requests.flow is None or not requests.questions:
            return None
        # "where is my order 100234 …, also can i return the candles": a change of the same order, taken up after the
        # request (actions/next_request.py) as actions/orders.py does, not a handbook question (candle care was given)
        questions = handbook_questions(requests.questions, requests.flow)
        if questions and not answer_questions(dispatcher, questions):
            return None
        return flow_started(tracker, requests.flow, text, requests.order_part)

    async def _go_on_with(self, dispatcher: CollectingDispatcher, tracker: Tracker, text: str) -> list[dict[str, Any]]:
        """The rest of a message after what was answered first (its question about the chat's language): an order
        request starts (the questions beside it answered first), else the handbook answers it, or offers its likeliest
        entries, or says it has no good answer."""
        requests = requests_in(text, order_known=OrderState.from_tracker(tracker).order_id is not None)
        if requests.flow is not None:
            if requests.questions:
                answer_questions(dispatcher, requests.questions)
            return flow_started(tracker, requests.flow, text, requests.order_part)
        decision = language_search.decide(get_knowledge_base(), text)
        best = decision.best
        if decision.action == "answer" and best is not None:
            self._answer(dispatcher, best.id, best.title, best.answer, best.score)
        elif decision.action == "suggest" and decision.candidates:
            titles = {c.id: c.title for c in decision.candidates}
            buttons = [b for c in decision.candidates if (b := choice_button(f"faq:{c.id}", titles)) is not None]
            self._suggest(dispatcher, tracker, buttons)
        else:
            self._no_good_answer(dispatcher, tracker, text, False)
        return []

    def _answer_each_alternative(
        self, dispatcher: CollectingDispatcher, question: str, entry_id: str, title: str, answer: str
    ) -> bool:
        """ "paypal or klarna", "毛巾还是铸铁锅怎么保养": when the entry found (``entry_id``: ``title``, ``answer``)
        speaks of one of them only, each is looked up (in its language) and every different entry answered. False
        when the question names no alternatives or one answer covers them."""
        words = option_words(question)
        kb = get_knowledge_base()

        def names_all(entry_id: str, title: str, answer: str) -> bool:
            # the entry's words in both languages ("支付宝" is named in its Chinese version, "PayPal" in both)
            zh = entry.version("zh") if (entry := kb.entry(entry_id)) is not None else None
            text = f"{title} {answer} {zh.title if zh else ''} {zh.answer if zh else ''}".lower()
            return all(w in text for w in words)

        if not words or names_all(entry_id, title, answer):
            return False
        answers: dict[str, Candidate] = {}
        for alternative in alternatives(question):
            decision = language_search.decide(kb, alternative)  # a Chinese option ranked by the Chinese side
            if decision.action == "answer" and decision.best is not None:
                answers.setdefault(decision.best.id, decision.best)
        if len(answers) < 2:
            return False
        covering = [e for e in answers.values() if names_all(e.id, e.title, e.answer)]
        if covering:
            # one of the entries found speaks of every alternative ("which payment methods": PayPal and Klarna
            # both): that answer alone, not the same question answered twice
            self._answer(dispatcher, covering[0].id, covering[0].title, covering[0].answer, covering[0].score)
            return True
        for entry in answers.values():
            self._answer(dispatcher, entry.id, entry.title, entry.answer, entry.score)
        return True

    def _follow(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, route: dict[str, Any], question: str, in_request: bool
    ) -> None:
        """Answer, ask back or hand off as the NLU decided (one decision over intents and entries together)."""
        kb = get_knowledge_base()
        destination = str(route["destination"])
        scores = {str(c["id"]): float(c["score"]) for c in route.get("faq_candidates") or []}
        if destination.startswith("faq:") or destination in ("clarify", LOW_CONFIDENCE_ROUTE):
            # "who pays the postage" right after the how-to-return answer: about returns, not delivery
            ranked = [str(c["id"]) for c in route.get("faq_candidates") or []]
            topical = answer_in_topic_of_last_answer(tracker, question, ranked)  # in a return: its section
            if topical is not None:
                self._answer(dispatcher, topical.id, topical.title, topical.answer, topical.score)
                return
        if destination.startswith("faq:"):
            entry = kb.entry(destination[4:])
            if entry is not None and not in_request and same_answer_again(dispatcher, tracker, entry.id, question):
                return  # "it says my password is wrong but i reset it twice" right after the password-reset answer
            if entry is not None and self._answer_each_alternative(
                dispatcher, question, entry.id, entry.title, entry.answer
            ):
                return
            checked = order_for_check(tracker, question) if entry is not None and entry.id in TEAM_CHECKS else None
            if entry is not None and checked is not None and not in_request:
                # "i ordered as a guest, can i get the invoice for 100234?", "can i get an invoice for it" once the
                # order is verified: the answer without "tell me your order number …", and a person offered for
                # that check (as when the NLU routed nothing: _answer_turn)
                answer_with_team_check(dispatcher, tracker, entry.id, question, checked)
                return
            if entry is not None:
                self._answer(dispatcher, entry.id, entry.title, entry.answer, scores.get(entry.id, 0.0))
                return
        if not in_request and destination in ("clarify", LOW_CONFIDENCE_ROUTE):
            # the NLU was unsure, the words are not: small talk, or something to ask not said yet
            if drops_it_by_words(question):
                dispatcher.utter_message(response="utter_deny")
                return
            if small_talk_by_words(question):
                answer_small_talk(dispatcher, question)
                return
            if vague_by_words(question):
                answer_vague(dispatcher, question)
                return
            if asks_payment_way(question) and answer_entry_by_id(
                dispatcher, PAYMENT_METHODS_ENTRY, question, rule=RULE_PAYMENT_WAY
            ):
                return  # "请问你们支持花呗吗": a way to pay the handbook does not name; its list of those taken answers
            # "can i pay with them for sale items" right after the gift-card answer: about gift cards
            followed = answer_about_last_answer(tracker, question)
            if followed is not None:
                self._answer(dispatcher, followed.id, followed.title, followed.answer, followed.score)
                return
            asked = question_beside_problem(question, route)
            if asked is not None:
                self._answer(dispatcher, asked.id, asked.title, asked.answer, asked.score)
                return
        if (
            destination == "clarify"
            and not in_request
            and not card_issuers_business(question)
            and (paid := payment_entry_offered(route)) is not None
        ):
            # "why was my card declined 3 times": "Did you mean: A problem with a payment | Why was my payment
            # declined?", both answered from the handbook's payments section; that one entry answers. Not for the
            # card issuer's business or another company's charge ("dispute a charge with my bank on another site"):
            # the choices stay. Nor when another payments entry scores as near ("why is apple pay not working":
            # payment-declined just ahead of payment-methods): the close one joins the choices
            rivals = payment_entries_near(route, paid, scores)
            if not rivals:
                self._answer(dispatcher, paid.id, paid.title, paid.answer, scores.get(paid.id, 0.0))
                return
            route = {**route, "offered": [*(route.get("offered") or []), *(f"faq:{e}" for e in rivals)]}
        if destination == "clarify" and not in_request:
            # inside a request the form's question follows, and the widget keeps only the last reply's buttons: the
            # choices would be hidden under it ("Did you mean one of these?" with nothing to pick); the not-sure
            # answer is said instead (_no_good_answer)
            titles = {e: entry.title for e in scores if (entry := kb.entry(e)) is not None}
            for offered in route.get("offered") or []:
                if offered.startswith("faq:") and (entry := kb.entry(offered[4:])) is not None:
                    titles[entry.id] = entry.title
            buttons = [b for d in route.get("offered") or [] if (b := choice_button(str(d), titles)) is not None]
            if buttons:
                self._suggest(dispatcher, tracker, buttons)
                return
        self._no_good_answer(dispatcher, tracker, question, in_request)

    @staticmethod
    def _suggest(dispatcher: CollectingDispatcher, tracker: Tracker, buttons: list[dict[str, Any]]) -> None:
        """ "Did you mean" these; a person instead when the customer is stuck: the same choices were offered for their
        previous message(s) already (HANDOFF_FAILED_TURNS in a row)."""
        if failed_turns_before(tracker, choices(buttons)) + 1 >= failed_turns_limit():
            dispatcher.utter_message(text=routing_texts.FAILED_TURNS)
            signal_handoff(dispatcher, HANDOFF_FAILED_TURNS)
            return
        dispatcher.utter_message(text=routing_texts.SUGGEST, buttons=[*buttons, none_of_these_button()])

    def _answer_pick(self, dispatcher: CollectingDispatcher, tracker: Tracker, faq_id: str) -> None:
        question = previous_message(tracker)  # the question the suggestion was offered for
        if not answer_entry_by_id(dispatcher, faq_id, question, rule=RULE_PICKED):
            dispatcher.utter_message(text=routing_texts.ENTRY_GONE)

    @staticmethod
    def _answer(dispatcher: CollectingDispatcher, faq_id: str, title: str, answer: str, score: float) -> None:
        answer_entry(dispatcher, faq_id, title, answer, score)


def payment_entry_offered(route: dict[str, Any]) -> Entry | None:
    """The one payments-section entry a "Did you mean" offers beside "A problem with a payment" (payment_issue, which
    is answered from that section too: data/rules.yml), else None."""
    offered = [str(d) for d in route.get("offered") or []]
    if "intent:payment_issue" not in offered:
        return None
    kb = get_knowledge_base()
    entries = [e for d in offered if d.startswith("faq:") and (e := kb.entry(d[4:])) is not None]
    paid = [e for e in entries if section_of(e.path) == PAYMENTS_SECTION]
    return paid[0] if len(paid) == 1 else None


def payment_entries_near(route: dict[str, Any], paid: Entry, scores: dict[str, float]) -> list[str]:
    """The other payments-section entries of the route's candidates scoring as near the message as ``paid`` does
    (within PAYMENT_ENTRY_LEAD), best first: with one of them, the one entry offered is no sure answer."""
    kb = get_knowledge_base()
    near = entries_near(paid.id, scores, PAYMENT_ENTRY_LEAD)
    return [e for e in near if (entry := kb.entry(e)) is not None and section_of(entry.path) == PAYMENTS_SECTION]


def flow_named_from_offer(tracker: Tracker, route: dict[str, Any], text: str) -> list[dict[str, Any]] | None:
    """ "是的，取消吧", "cancel it then" right after the bot offered order flows as buttons (what to do with the order
    just named, or "Did you mean" with the cancellation among the choices): the NLU was unsure and would ask back
    about that flow, but the words name exactly one of the flows just offered, so that flow starts (for the order the
    conversation knows, if any) instead of the same choice being offered again. None when that is not the case (a
    question the NLU answers from the handbook is answered, whatever it shares with the buttons)."""
    if str(route.get("destination")) != "clarify":
        return None
    asked_back = {str(d)[7:] for d in route.get("offered") or [] if str(d).startswith("intent:")}
    offered = [
        payload[1:]
        for event in bot_messages_before_latest(tracker)
        for button in buttons_of(event)
        if (payload := str(button.get("payload") or "")).startswith("/")
    ]
    named = [flow for flow in dict.fromkeys(offered) if flow in FLOWS and flow in asked_back and names_flow(text, flow)]
    if len(named) != 1:
        return None
    return [SlotSet(FLOW, named[0]), *details_cleared(), FollowupAction(FORM)]


def flow_named_with_order(tracker: Tracker, route: dict[str, Any], text: str) -> list[dict[str, Any]] | None:
    """ "i whant to retrun my order 100212": the NLU was unsure (the typos) and would ask back among order flows, but
    the message names an order number and, read with its typos fixed, one of the flows offered: that flow starts for
    that order. None when that is not the case."""
    if str(route.get("destination")) != "clarify" or not ORDER_NUMBER_RE.search(text):
        return None
    requests = requests_in(text)
    offered = {str(d)[7:] for d in route.get("offered") or [] if str(d).startswith("intent:")}
    if requests.flow is None or requests.flow not in offered:
        return None
    return flow_started(tracker, requests.flow, text, requests.order_part)


def entry_after_refused_change(tracker: Tracker, route: dict[str, Any]) -> str | None:
    """ "ugh fine. how do i refuse it" right after "Order 100234 has already shipped, so it can no longer be
    cancelled. You can refuse the parcel on delivery…": the NLU, unsure, offers that cancellation first (its words)
    and a handbook entry ("How do I refuse a parcel?"). Starting the change again only repeats the refusal word for
    word; the entry offered is what the customer asks about. None when the route is not that."""
    if str(route.get("destination")) != "clarify":
        return None
    last = tracker.get_slot(LAST_FLOW)
    offered = [str(d) for d in route.get("offered") or []]
    if last not in CHANGES or not offered or offered[0] != f"intent:{last}":
        return None
    person = in_every_language(order_texts, "PERSON_BUTTON")
    refused = any(  # the change ended in a refusal: its message has the person button (a change made has another)
        any(b.get("title") in person for b in buttons_of(m)) for m in bot_messages_before_latest(tracker)
    )
    return next((d[4:] for d in offered if d.startswith("faq:")), None) if refused else None


def flow_for_known_order(tracker: Tracker, route: dict[str, Any], text: str) -> list[dict[str, Any]] | None:
    """ "when will it arrive?", "cancel it pls" once the conversation knows the order: the NLU asked back only
    because the message names no order, and the conversation has one, so the flow offered first starts for it (or
    the one offered for a message saying "it", unless the message names the thing "it" is: "the zip on my cushion
    cover is stuck, how do i wash it" asks the handbook). None when that is not the case."""
    if str(route.get("destination")) != "clarify" or OrderState.from_tracker(tracker).order_id is None:
        return None
    offered = [str(d) for d in route.get("offered") or []]
    flows = [d[7:] for d in offered if d.startswith("intent:") and d[7:] in FLOWS]
    if not flows or (offered[0] != f"intent:{flows[0]}" and not (refers_back(text) and not kinds_in(text))):
        return None
    return [SlotSet(FLOW, flows[0]), *details_cleared(), FollowupAction(FORM)]


def request_taken_back(dispatcher: CollectingDispatcher, tracker: Tracker, text: str) -> list[dict[str, Any]] | None:
    """ "cancel 100247, no wait, change the address instead", "帮我取消订单100247，算了，还是改地址吧": the request
    asked for instead starts (for the order its words name, else the message's), never the one taken back;
    "… never mind" with nothing instead starts nothing, and the customer is told so. None when the message takes
    nothing back (actions/requests.py taken_back)."""
    back = taken_back(text)
    if back is None:
        return None
    if back.instead is None:
        dispatcher.utter_message(
            text=order_texts.STOPPED_NOTHING_CHANGED if back.withdrawn in CHANGES else order_texts.STOPPED
        )
        return [SlotSet(FLOW, None), *details_cleared()]
    return flow_started(tracker, back.instead, back.after if names_an_order_number(back.after) else text, None)


def received_goods_of_order(text: str) -> tuple[str, str] | None:
    """The handbook entry (wrong-item or damaged-item) and the order number of a message saying goods of that order
    arrived wrong or damaged ("hi i got the wrong color cushion in order 100212", "我的订单100224的东西坏了", "my
    vase arrived broken!! order 100184"), else None."""
    number = goods_order_number(text)
    entry = received_item_entry(text) if number else None
    return (entry, number) if number and entry else None


# words that take back the order number just given ("… order 100218, sorry i mean 100207"); not "wrong", which a
# report of wrong goods says of the goods
NUMBER_CORRECTED_RE = re.compile(
    r"\b(?:sorry|i\s+mean|i\s+meant|correction|oops|typo|make\s+that|should\s+be)\b|我是说|应该是|更正|不好意思",
    re.IGNORECASE,
)


def goods_order_number(text: str) -> str | None:
    """The order a report of damaged or wrong goods is about: of two numbers the first ("the plates in order 100207
    arrived broken. and where is 100234?"), or the last when words between them correct the first ("… order 100218,
    sorry i mean order 100207")."""
    numbers = [m.group(1) for m in ORDER_NUMBER_RE.finditer(text)]
    if len(set(numbers)) < 2:
        return numbers[0] if numbers else None
    between = text[text.find(numbers[0]) + len(numbers[0]) : text.rfind(numbers[-1])]
    return numbers[-1] if NUMBER_CORRECTED_RE.search(between) else numbers[0]


def received_goods_of_known_order(tracker: Tracker, text: str) -> tuple[str, str] | None:
    """The same for a message naming no order right after the conversation came to know one ("the tablecloth came
    torn" after the customer pasted order 100218's confirmation: it got "Did you mean", the damaged-item entry among
    the choices): that order."""
    known = OrderState.from_tracker(tracker).order_id
    if known is None or ORDER_NUMBER_RE.search(text):
        return None
    entry = received_item_entry(text)
    return (entry, str(known)) if entry else None


def received_goods_answered(
    dispatcher: CollectingDispatcher, tracker: Tracker, text: str
) -> list[dict[str, Any]] | None:
    """Goods of a named order that arrived wrong or damaged: what the shop does about them (the handbook's answer,
    without its request for the order number the message gave), a photo offered for a wrong item (a damaged one's is
    offered once its return is booked), then the return of that order, its identity check first; or, when the
    message also asks for a person, a person offered instead of the return. None (and nothing said) when the message
    says no such thing."""
    found = received_goods_of_order(text) or received_goods_of_known_order(tracker, text)
    if found is None:
        return None
    entry, number = found
    asked = person_asked(tracker)
    photo = entry == WRONG_ITEM_ENTRY and not asked  # the photo's buttons would give way to the offer's
    # "…2 of them came chipped :( also can i change my email on my account": the other question is answered first, as
    # beside an order request (it was dropped without a word); the goods' own clause and changes of the order are not
    # such questions, and an unsure one is not offered (its buttons would stand between the answer and the return)
    if get_knowledge_base().entry(entry) is None:
        return None  # nothing said when the goods' answer cannot be given
    others = handbook_questions([q for q in questions_in(text) if received_item_entry(q) is None])
    if others:
        answer_questions(dispatcher, others, offer_unsure=False)
    answer_entry_by_id(dispatcher, entry, text, ask_photo=photo, order_number=number, rule=RULE_RECEIVED_GOODS)
    if asked:
        offer_person(dispatcher, tracker, render(order_texts.PERSON_FOR_ORDER, order_id=number), HANDOFF_REQUESTED)
        return []
    return flow_started(tracker, RETURN, text, text, reason=return_reason_of(entry), order_id=number)


def flow_started(
    tracker: Tracker,
    flow: str,
    text: str,
    order_part: str | None,
    reason: ReturnReason | None = None,
    order_id: str | None = None,
) -> list[dict[str, Any]]:
    """The order form started for ``flow`` from an answer's turn, with the order number (``order_id``, the one the
    goods' report named, else the first the text names) and proof ``text`` gives and, for a return or an address
    change, ``order_part`` (what to return, or where to) for the form to read once the order may be changed; for a
    return of damaged or wrong goods, its ``reason``."""
    found = read_message(text, list(tracker.latest_message.get("entities") or []), None)
    events: list[dict[str, Any]] = [SlotSet(FLOW, flow), *details_cleared()]
    if flow in (RETURN, CHANGE_ADDRESS) and order_part:
        events.append(SlotSet(PENDING_DETAIL, as_written(tracker, order_part)))  # kept as the customer wrote it
    if flow == RETURN and reason is not None:
        events.append(SlotSet(RETURN_REASON, reason.value))
    if order_id or found.order_number:
        events.append(SlotSet(ORDER_ID, order_id or found.order_number))
    if found.evidence:
        events.append(SlotSet(EVIDENCE, found.evidence))
    return [*events, FollowupAction(FORM)]


async def return_of_items_of(requests: Requests, order_id: str) -> Requests:
    """ "ok and can i return the carafe? also how long do refunds take" right after order `order_id` was checked: a
    question that asks to send back items of that order is its return, not a handbook question (the handbook's answer
    to the other question alone dropped it)."""
    for question in requests.questions:
        asks_return = names_flow(question, RETURN) and not declines_flow(question, RETURN)
        if asks_return and await names_items_of(order_id, question):
            return Requests(RETURN, question, [q for q in requests.questions if q is not question])
    return requests


# a question that leans on another for what it is about: "how much is it"
LEANS_ON_ANOTHER_RE = re.compile(r"\b(?:it|its|it's|that|this|them|they|those|these|there|one)\b", re.I)


def stands_alone(question: str) -> bool:
    """An English question of its own beside another ("whats the return window"), to offer entries for when the
    handbook is unsure of it. Not one leaning on the other ("and how much is it"), nor a Chinese clause: a Chinese
    message's clauses are seldom questions of their own ("用老公的账号登着呢，想换回我自己的，怎么操作": chosen on the
    dev rows, where offering entries for such clauses lost two right answers)."""
    return language_of(question) == "en" and not LEANS_ON_ANOTHER_RE.search(question)


def question_beside_problem(text: str, route: dict[str, Any]) -> Candidate | None:
    """ "the zip on my cushion cover is stuck, how do i wash it": a problem with a thing of the shop's kinds told,
    then one question about it, the NLU unsure over the whole message (the "stuck" read as a parcel's); the handbook's
    entry when it answers that question surely and is the one the NLU offered first, else None. Only for a message
    naming such a thing: on the public benchmarks' dev rows (banking questions), the rule without it answered 67 of
    13,103 rows with a shop entry."""
    questions = questions_in(text)
    offered = [str(d) for d in route.get("offered") or []]
    if len(questions) != 1 or questions[0].strip() == text.strip() or not offered or not offered[0].startswith("faq:"):
        return None
    if not kinds_in(text):
        return None
    decision = language_search.decide(get_knowledge_base(), questions[0])
    if decision.action != "answer" or decision.best is None or f"faq:{decision.best.id}" != offered[0]:
        return None
    return decision.best


def answer_several_questions(dispatcher: CollectingDispatcher, text: str) -> bool:
    """A message of several handbook questions ("paypal or klarna? also how long does delivery take"): when the
    handbook answers at least two of them surely, from different entries, each is answered in turn (the routing
    decision, made over the whole message, names one entry). False (and nothing said) otherwise."""
    questions = questions_in(text)
    if len(questions) < 2 or requests_in(text).flow is not None:  # an order request beside them: its own turn
        return False
    return answer_questions(dispatcher, questions, at_least=2)


def answer_questions(
    dispatcher: CollectingDispatcher, questions: list[str], at_least: int = 1, offer_unsure: bool = True
) -> bool:
    """The handbook's sure answers to ``questions`` (one per entry), after a word that both things will be handled
    (the other questions of a message with an order request in it, or several questions at once), each question
    ranked in its own language (helpdesk.knowledge.language_search: a Chinese one by the NLU's Chinese side and
    gate), and with ``offer_unsure`` the likeliest entries of a question the handbook is unsure of; False (and
    nothing said) when fewer than ``at_least`` entries answer surely and nothing is offered."""
    kb = get_knowledge_base()
    found: dict[str, Candidate] = {}
    by_words: dict[str, str] = {}  # entry id -> the question its words chose it for
    unsure: list[tuple[str, list[Candidate]]] = []
    for question in questions:
        decision = language_search.decide(kb, question)  # a Chinese question ranked by the Chinese side
        if decision.action == "answer" and decision.best is not None:
            found.setdefault(decision.best.id, decision.best)
        elif option_asked(question) and kb.entry(PRODUCT_AVAILABILITY_ENTRY) is not None:
            # "also do you have it in green": the handbook unsure of it alone (its "it" leans on the other question)
            by_words.setdefault(PRODUCT_AVAILABILITY_ENTRY, question)
        elif offer_unsure and decision.action == "suggest" and decision.candidates:
            unsure.append((question, decision.candidates))
    # several questions at once: at least one answered surely, and each other one answered or able to stand alone
    # ("can i pay with klarna and also whats the return window": klarna sure, the return window unsure, and the
    # second question was dropped without a word); "… and how much is it" leans on the first, and is no question
    # to offer entries for on its own
    alone = [(q, c) for q, c in unsure if stands_alone(q)] if at_least > 1 else unsure
    sure = len(found) + len(by_words.keys() - found.keys())
    if at_least > 1 and (not sure or sure + len(alone) < at_least):
        return False
    unsure = alone
    if not sure and not unsure:
        return False
    dispatcher.utter_message(text=smalltalk_texts.TWO_THINGS)
    for entry in found.values():
        answer_entry(dispatcher, entry.id, entry.title, entry.answer, entry.score)
    for entry_id, question in by_words.items():
        if entry_id not in found:
            answer_entry_by_id(dispatcher, entry_id, question, rule=RULE_PRODUCT_OPTION)
    for question, candidates in unsure:
        # "is the linen duvet cover machine washable, and also can i still cancel 100259?": the handbook is unsure
        # which entry; its likeliest are offered (before, the question was dropped without a word)
        titles = {c.id: c.title for c in candidates}
        buttons = [b for c in candidates[:3] if (b := choice_button(f"faq:{c.id}", titles)) is not None]
        shown = without_lead_in(question).strip(" ,，.。!！?？")
        dispatcher.utter_message(text=render(smalltalk_texts.OTHER_QUESTION_OFFER, question=shown), buttons=buttons)
    return True
