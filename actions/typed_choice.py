"""A "Did you mean" answered by typing instead of a button: "the second one", "2", "第二个", or a word that names one
choice only ("washing" at "Which bedding size do I need?" / "How should I wash my bedding, towels and linen?"). Chat
users type their pick as often as they tap it; read as a new question, "washing" got the same choices again and
the customer was handed to a person for being stuck, "the second one" an offer of a person. Only the choices of the
bot's message just before, and only a short message: a new question typed instead is read as one.

A choice that starts an order flow ("Cancel an order") is picked by its place ("the first one", "第一个"), by words
that name that flow ("cancel it", "cancel an order": actions/requests.py FLOW_NAMES, not a word it merely shares:
"my order 100259" names no flow), by a yes when it was the only choice, or by the order's details alone (its number,
an e-mail address: "100171" at "Return an item for a refund | How do I return an item?") when it was the only order
flow offered, since a handbook entry needs no order; the flow then starts as the button would have started it
(before, "the first one" got "What would you like me to do with that?" and "yes" "Great!"; "100171" "What would you
like me to do with order 100171?", the return forgotten, and with the e-mail address beside it a second "not sure"
that handed the customer to a person)."""

from __future__ import annotations

import json
import re
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet

from actions.handoff import buttons_of, choice_buttons
from actions.order_state import FLOW, FLOWS, FORM, details_cleared
from actions.parsing import EMAIL_RE, ORDER_NUMBER_RE
from actions.requests import LEAD_IN, bare_request, declines_flow, names_flow
from actions.texts.catalog import in_every_language
from actions.texts.catalog import routing as routing_texts
from actions.turns import bot_messages_before_latest

ORDINALS: dict[str, int] = {
    "first": 0, "1st": 0, "1": 0, "one": 0, "second": 1, "2nd": 1, "2": 1, "two": 1, "third": 2, "3rd": 2, "3": 2,
    "three": 2, "第一": 0, "第二": 1, "第三": 2,
}  # fmt: skip
# "the second one", "2", "#2", "option 2", "number two please", "第二个", "第二条吧"
ORDINAL_RE = re.compile(
    r"^\s*(?:(?:the|option|number|no\.?|#)\s*)*(first|second|third|1st|2nd|3rd|[123]|one|two|three)"
    r"(?:\s+(?:one|option|please|pls|thanks))*\s*[.!]*\s*$"
    r"|^\s*(第[一二三])(?:个|個|条|條|项|項)?(?:吧|吗|嗎|呢|。)?\s*$",
    re.IGNORECASE,
)
MAX_WORDS = 4  # longer: a new question, read as one
# the words around an order's details typed alone ("order 100171", "it's 100171, lars@…", "订单号100171")
DETAILS_WORDS_RE = re.compile(
    r"\b(?:my|the|order|number|no|nr|is|it'?s|its|here|email|e-mail|and|for|postcode)\b|订单号?|訂單號?|邮箱|郵箱|是|我的|[#:,.，。\s]",
    re.IGNORECASE,
)
# a question about a flow rather than a pick of it: "what's your return policy?", "how do returns work", "退货政策是
# 什么" at "Did you mean" offering the return (it started the return: the walk of 2026-12-07, lane cen5); asking for the
# flow itself ("can i return it?", "how about a return", "能退货吗") is still a pick (actions/requests.py bare_request)
ASKS_ABOUT_RE = re.compile(
    LEAD_IN + r"(?:how|what|whats|wats|why|when|where|which|who|is|are|do|does|did)\b"
    r"|什么|什麼|怎么|怎麼|怎样|怎樣|如何|多久|多长|多長|哪|为什么|為什麼|政策|规定|規定",
    re.IGNORECASE,
)
WORD_RE = re.compile(r"[a-z]{4,}")
STEM = 4  # "washing" names "wash", "sizes" names "size"
COMMON = frozenset({"what", "which", "when", "where", "does", "your", "with", "from", "this", "that", "have", "about"})


def offered_choices(tracker: Tracker) -> list[dict[str, Any]]:
    """The "Did you mean" choices of the bot's message just before the customer's latest one (not the way out to a
    person)."""
    suggest = in_every_language(routing_texts, "SUGGEST")
    for event in bot_messages_before_latest(tracker):
        if str(event.get("text") or "") in suggest:
            offered = choice_buttons(buttons_of(event))
            return [b for b in offered if str(b["payload"]).startswith("/") and b.get("title")]
    return []


def _stems(text: str) -> set[str]:
    return {w[:STEM] for w in WORD_RE.findall(text.lower()) if w not in COMMON}


def typed_choice(tracker: Tracker, text: str) -> dict[str, Any] | None:
    """The choice the customer's typed `text` picks from the "Did you mean" just before, if it picks exactly one."""
    choices = offered_choices(tracker)
    if not choices:
        return None
    if (by_place := _by_place(choices, text)) is not None:
        return by_place or None
    if len(text.split()) > MAX_WORDS:
        return None
    said = _stems(text)
    titles = [_stems(str(c["title"])) for c in choices]
    shared = set.intersection(*titles) if len(titles) > 1 else set()  # "bedding" is in every choice: no pick
    named = [c for c, words in zip(choices, titles, strict=True) if said & (words - shared)]
    return named[0] if len(named) == 1 else None


def _by_place(choices: list[dict[str, Any]], text: str) -> dict[str, Any] | None:
    """The choice "the second one" / "2" / "第二个" names; {} for a place with no choice there; None when the
    message names no place."""
    ordinal = ORDINAL_RE.match(text)
    if ordinal is None:
        return None
    index = ORDINALS[(ordinal.group(1) or ordinal.group(2)).lower()]
    return choices[index] if index < len(choices) else {}


def flow_of(choice: dict[str, Any]) -> str | None:
    """The order flow a "/cancel_order" choice starts."""
    flow = str(choice.get("payload") or "")[1:]
    return flow if flow in FLOWS else None


def typed_flow(tracker: Tracker, text: str, affirmed: bool = False) -> str | None:
    """The order flow the customer's typed `text` picks from the "Did you mean" just before: by its place, by naming
    that flow (not declining it), or, `affirmed` (a yes), the only choice offered."""
    choices = offered_choices(tracker)
    if not choices:
        return None
    if affirmed:
        return flow_of(choices[0]) if len(choices) == 1 else None
    if (by_place := _by_place(choices, text)) is not None:
        return flow_of(by_place) if by_place else None
    if len(text.split()) > MAX_WORDS:
        return None
    named = [
        f
        for c in choices
        if (f := flow_of(c)) and names_flow(text, f) and not declines_flow(text, f) and not asks_about(text, f)
    ]
    if len(named) == 1:
        return named[0]
    return only_flow_offered(tracker) if details_alone(text) else None


def asks_about(text: str, flow: str) -> bool:
    """The message asks about order flow ``flow`` (its policy, how it works) instead of asking for it."""
    return ASKS_ABOUT_RE.search(text) is not None and bare_request(text) != flow


def details_alone(text: str) -> bool:
    """The message is an order's number (with an e-mail address, or words like "order", "it's") and nothing else."""
    if not ORDER_NUMBER_RE.search(text):
        return False
    return not DETAILS_WORDS_RE.sub("", EMAIL_RE.sub("", ORDER_NUMBER_RE.sub("", text)))


def only_flow_offered(tracker: Tracker) -> str | None:
    """The order flow the "Did you mean" just before offered, if it offered exactly one (beside handbook entries):
    an order number typed there answers it ("I want to return something" → [Return an item for a refund | How do I
    return an item?] → "100171" is that return, not "What would you like me to do with order 100171?")."""
    flows = {f for c in offered_choices(tracker) if (f := flow_of(c)) is not None}
    return flows.pop() if len(flows) == 1 else None


def flow_picked(tracker: Tracker, text: str, affirmed: bool = False) -> list[EventType] | None:
    """The events that start the flow `text` picks at "Did you mean" (as its button would), or None."""
    flow = typed_flow(tracker, text, affirmed)
    if flow is None:
        return None
    return [SlotSet(FLOW, flow), *details_cleared(), FollowupAction(FORM)]


def faq_id_of(choice: dict[str, Any]) -> str | None:
    """The handbook entry a "/faq{...}" choice names."""
    payload = str(choice.get("payload") or "")
    if not payload.startswith("/faq{"):
        return None
    try:
        value = json.loads(payload[4:]).get("faq_id")
    except (ValueError, AttributeError):
        return None
    return str(value) if value else None
