"""Handing a conversation to a person, or offering one.

A person is called at once when the customer asks for one or policy requires it (a complaint). When the bot has no
good answer, a person is offered as a choice instead ("Shall I get a person?", with the wait the helpdesk adds, or
the customer's e-mail for an answer later): a yes, the button or an e-mail address then hands off.
"""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.identity import VERIFIED_BY_TOKEN, customer_from_token
from actions.order_state import CHANGES, CUSTOMER_VERIFIED_BY, REQUESTED_SLOT, OrderState
from actions.several_problems import several_problems_handed_off
from actions.signals import signal_handoff, signal_person_offer
from actions.texts import render
from actions.texts.catalog import in_every_language
from actions.texts.catalog import orders as order_texts
from actions.texts.catalog import smalltalk as say
from actions.turns import bot_messages_before_latest
from helpdesk.vocabulary import HANDOFF_COMPLAINT, HANDOFF_LEFT_MESSAGE, HANDOFF_REQUESTED, REQUEST_HUMAN  # noqa: F401


def handoff_text(reason: str) -> str:
    """What the customer reads when a person is called for ``reason`` (the helpdesk adds the queue or the hours)."""
    return say.HANDED_OFF_COMPLAINT if reason == HANDOFF_COMPLAINT else say.HANDED_OFF


def offer_buttons() -> list[dict[str, str]]:
    return [
        {"title": say.OFFER_YES_BUTTON, "payload": REQUEST_HUMAN},
        {"title": say.OFFER_NO_BUTTON, "payload": "/deny"},
    ]


def offer_person(dispatcher: CollectingDispatcher, tracker: Tracker, text: str, reason: str) -> None:
    """Ask whether the customer wants a person (the helpdesk adds the wait, or when the team is back, and that an
    e-mail address will do too, unless the customer typed theirs in this conversation: ``email_given``, read here
    for every offer, so no caller asks for it again); nothing is queued yet."""
    dispatcher.utter_message(text=text, buttons=offer_buttons())
    signal_person_offer(dispatcher, reason, email_known=email_given(tracker))


def email_given(tracker: Tracker) -> bool:
    """The customer typed an e-mail address in this conversation (the NLU's ``email`` entity in any of their
    messages), or is signed in to the shop (a signed customer token: the team has their address from their
    account): an offer of a person does not ask for it (lane cen, 2026-12-07: a signed-in customer was asked to
    "leave your e-mail address here")."""
    if tracker.get_slot(CUSTOMER_VERIFIED_BY) == VERIFIED_BY_TOKEN or customer_from_token(tracker) is not None:
        return True
    return any(
        entity.get("entity") == "email"
        for event in tracker.events
        if event.get("event") == "user"
        for entity in (event.get("parse_data") or {}).get("entities") or []
    )


# an unsure NLU's likeliest reading counts from this confidence (as the order form takes one: actions/forms.py)
PERSON_READING_FROM = 0.5


# a person asked for in so many words ("i want to talk to a real person", "我要找真人客服", "转人工"), whatever else the
# message says: the NLU, reading the order beside it ("我的订单100234还没到，我要找真人客服": a status 0.62), started
# the identity check instead
ASKS_FOR_PERSON_RE = re.compile(
    r"\b(?:talk|speak|chat)\s+(?:to|with)\s+(?:a\s+|an\s+|the\s+|some\s+)?(?:real\s+|live\s+)?"
    r"(?:person|human|agent|someone|somebody|representative|operator)\b"
    r"|\b(?:get|give|connect)\s+me\s+(?:to\s+|with\s+)?(?:a\s+|an\s+)?(?:real\s+|live\s+)?(?:person|human|agent)\b"
    r"|\b(?:want|need)\s+(?:a\s+|an\s+)?(?:real\s+|live\s+)?(?:person|human|agent)\b|\bhuman\s+(?:please|pls|plz)\b"
    r"|(?:转|轉|找|要|联系|聯繫|接)(?:一下|个|個)?(?:真人|人工|客服|专人|專人)|真人客服|人工客服|人工服[务務]"
    # "你是不是机器人啊，换人", "换个人", "换真人", "换人工": a person instead of the bot (not "换人民币", "换个人信息",
    # "换个人收货")
    r"|(?:换|換)(?:一?[个個])?(?:真人|人工|人)(?![民信资資账帳帐中主地收签簽])",
    re.IGNORECASE,
)
# a complaint made in so many words ("我要投诉，东西等了两周一直没到，订单100253", "i want to make a complaint"): a
# person, by the shop's policy for complaints, whatever the NLU made of the rest (the order number made it unsure,
# and the order's identity check was asked); in simplified characters, as the rules read it
COMPLAINS_RE = re.compile(
    r"\bi\s*(?:want|wanna|would\s+like|'d\s+like|need)\s+to\s+(?:make\s+a\s+|file\s+a\s+|lodge\s+a\s+)?complain"
    r"|\b(?:make|file|lodge)\s+a\s+complaint\b|我(?:要|想|必须|得)投诉|投诉你们",
    re.IGNORECASE,
)
# "i don't want to talk to a person", "不要转人工": a "not" just before it
NOT_BEFORE_PERSON_RE = re.compile(r"(?:\b(?:don'?t|do\s+not|no\s+need\s+to|never)\b[\w\s]{0,12}|不要|不用|别|別|不)$")


def complains(text: str) -> bool:
    """The message makes a complaint in so many words (:data:`COMPLAINS_RE`)."""
    return COMPLAINS_RE.search(text) is not None


def asks_for_person(text: str) -> bool:
    """The message asks for a person in so many words (not after a "not")."""
    return any(
        NOT_BEFORE_PERSON_RE.search(text[: match.start()].rstrip()) is None
        for match in ASKS_FOR_PERSON_RE.finditer(text)
    )


def person_asked(tracker: Tracker) -> bool:
    """The latest message asks for a person: the NLU read it so or, unsure ("i got the wrong color cushion in order
    100212, i want to talk to a person"), that is its likeliest reading; or its words say so in so many words,
    whatever the NLU read ("杯子碎了两个，订单100218，转人工": an order change 0.89)."""
    intent = (tracker.latest_message.get("intent") or {}).get("name")
    if intent == "request_human":
        return True
    ranking = tracker.latest_message.get("intent_ranking") or []
    likeliest = ranking[0] if ranking and intent == "nlu_fallback" else {}
    if likeliest.get("name") == "request_human" and float(likeliest.get("confidence") or 0.0) >= PERSON_READING_FROM:
        return True
    # below PERSON_READING_FROM, or another reading on top, the words decide ("订单100160的靠垫颜色发错了，我要找人工":
    # a person 0.48; "我收到的杯子碎了两个，订单100218，我要找人工": no person near the top)
    return asks_for_person(str(tracker.latest_message.get("text") or ""))


def buttons_of(event: dict[str, Any]) -> list[dict[str, Any]]:
    return list((event.get("data") or {}).get("buttons") or [])


def choice_buttons(buttons: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """What a "Did you mean" offers: its buttons without the way out to a person ("None of these")."""
    return [b for b in buttons if b.get("payload") and b["payload"] != "/request_human"]


def person_offered(tracker: Tracker) -> bool:
    """The bot's message just before the customer's latest one offered a person."""
    for event in bot_messages_before_latest(tracker):
        buttons = buttons_of(event)
        if buttons or event.get("text"):
            return any(button.get("title") in in_every_language(say, "OFFER_YES_BUTTON") for button in buttons)
    return False


def hand_off(dispatcher: CollectingDispatcher, reason: str) -> None:
    dispatcher.utter_message(text=handoff_text(reason))
    signal_handoff(dispatcher, reason)


def leave_email(dispatcher: CollectingDispatcher, email: str) -> None:
    """The customer answered the offer with their e-mail address: the team writes back (queued, contact kept)."""
    dispatcher.utter_message(text=render(say.LEFT_EMAIL, email=email))
    signal_handoff(dispatcher, HANDOFF_LEFT_MESSAGE, contact={"email": email})


def hand_off_asked(dispatcher: CollectingDispatcher, tracker: Tracker, reason: str) -> None:
    """Call a person for ``reason``; at the yes or no of an order change, say that nothing was changed."""
    hand_off(dispatcher, reason)
    state = OrderState.from_tracker(tracker)
    if state.flow in CHANGES and state.pending_confirmation and state.order_id:
        # "can i talk to a person first" at "Shall I cancel order 100259? (yes/no)": not cancelled, and said so
        dispatcher.utter_message(text=render(order_texts.CHANGE_NOT_MADE, order_id=state.order_id))


class ActionHandoff(Action):
    """Move the conversation to the agent queue, with the reason the policy gives."""

    def name(self) -> str:
        return "action_handoff"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        text = str(tracker.latest_message.get("text") or "")
        if intent == "complaint" and not tracker.active_loop_name and several_problems_handed_off(dispatcher, text):
            return []  # a complaint of two problems: each said back before the person comes
        hand_off_asked(dispatcher, tracker, HANDOFF_COMPLAINT if intent == "complaint" else HANDOFF_REQUESTED)
        return []


class ActionBotChallenge(Action):
    """ "Are you a bot?": yes, and a person on request; when the same message asks for a person in so many words
    ("你是不是机器人啊，换人", "are you a bot? get me a human"), the person, at once, and an order request under way
    ends (data/rules.yml: its rule then expects no form)."""

    def name(self) -> str:
        return "action_bot_challenge"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        loop = tracker.active_loop_name
        if not asks_for_person(str(tracker.latest_message.get("text") or "")):
            dispatcher.utter_message(response="utter_iamabot")
            # the request under way goes on (Rasa's rules want an action that ends a loop in one rule to say which
            # loop it leaves active in the others: data/rules.yml)
            return [ActiveLoop(loop)] if loop else []
        hand_off_asked(dispatcher, tracker, HANDOFF_REQUESTED)
        return [ActiveLoop(None), SlotSet(REQUESTED_SLOT, None)] if loop else []
