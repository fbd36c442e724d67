"""Part of an order missing from the parcel ("i ordered 2 candles but only got 1. order 100234", "订单100234少发了
一件"): the handbook's missing-item answer, then, with the order named, a person offered to check its packing record
and send what is missing (the bot books no such thing itself). The NLU, unsure, asked "Did you mean: Change the items
of an order | Check where an order is", neither of which helps. A parcel that never came at all is another matter
(actions/missing_parcel.py).

Something extra in the parcel ("there's an extra item in my parcel I didn't order", "包裹里多了一件我没买的东西") is
the other side of it: the handbook's extra-item answer (it was answered with the missing-item one, and with an order
number read as a status check), then, with the order named, a person offered for the free label."""

from __future__ import annotations

import re

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.handbook_answer import RULE_EXTRA_ITEM, RULE_MISSING_ITEM, answer_entry_by_id
from actions.handoff import offer_person
from actions.parsing import ORDER_NUMBER_RE
from actions.texts import render
from actions.texts.catalog import orders as order_texts
from helpdesk.vocabulary import HANDOFF_REQUESTED

MISSING_ITEM_ENTRY = "missing-item"
EXTRA_ITEM_ENTRY = "extra-item"
COUNT = r"(?:\d+|one|two|three|four|five|half|some|part)"
MISSING_ITEM_RE = re.compile(
    r"\bonly\s+(?:got|received|came\s+with|had|found)\s+" + COUNT + r"\b"
    r"|\bonly\s+" + COUNT + r"\s+(?:\w+\s+){0,3}(?:came|arrived|was\s+in|were\s+in)\b"
    r"|\bmissing\s+(?:from|in)\s+(?:my|the)\s+(?:order|parcel|package|box|delivery)\b"
    r"|\b(?:one|an|1)\s+item\s+(?:is|was)\s+missing\b|\bitems?\s+(?:is\s+|are\s+|was\s+|were\s+)?missing\b"
    r"|\b(?:wasn'?t|was\s+not|weren'?t|were\s+not)\s+in\s+the\s+(?:box|parcel|package)\b"
    r"|\bdidn'?t\s+(?:get|receive)\s+(?:one\s+of|all|the\s+rest|everything|the\s+other)\b"
    # Chinese: 少了一件, 少发, 漏寄, 缺了一件, 没到齐, 收到的货不全
    # (not 多少个, "how many")
    r"|(?<!多)少了?(?:一|两|兩|几|幾|\d)?(?:件|个|個|样|樣|套|只|条|條)|(?<!多)少[发寄發]|漏[发寄發]"
    r"|缺了?(?:一|两|兩|几|幾|\d)?件"
    r"|没有?到齐|沒有?到齊|(?:货|貨|东西|東西|商品)不全",
    re.IGNORECASE,
)


# something in the parcel on top of the order: "an extra item", "something i didn't order in my box", "i only ordered
# one but got two", "多了一件", "多发了", "没买的东西" (not "多少", how many; "an extra charge" is about money)
EXTRA_ITEM_RE = re.compile(
    r"\b(?:extra|additional)\s+(?:\w+\s+){0,2}?(?:items?|things?|products?|pieces?|ones?)\b"
    r"|\b(?:extra|additional)\s+(?:\w+\s+){0,2}?(?:in|inside|with)\s+(?:my|the)\s+(?:order|parcel|package|box|delivery)\b"
    r"|\b(?:something|stuff|things?|items?|products?|an?\s+\w+)\s+(?:in\s+(?:my|the)\s+(?:parcel|package|box)\s+)?"
    r"(?:that\s+|which\s+)?(?:i|we)\s+(?:didn'?t|did\s+not|never|dont|don'?t)\s+order(?:ed)?\b"
    r"|\bonly\s+ordered\s+(?:\d+|one|two|three|four|a\s+single)\b[^.?!]*\b(?:got|received|came|sent|arrived)\b"
    r"|\b(?:got|received|sent)\b[^.?!]*\bbut\s+(?:i\s+|we\s+)?only\s+ordered\b"
    r"|多了?(?:一|两|兩|几|幾|\d)(?:件|个|個|样|樣|套|只|条|條)|多[发寄發]|多出来|多出來"
    r"|没(?:有)?(?:买|订|下单)的|沒(?:有)?(?:買|訂|下單)的|不是我(?:买|订|買|訂)的(?:东西|東西|商品)?.*(?:多|也)",
    re.IGNORECASE,
)


def says_item_extra(text: str) -> bool:
    return EXTRA_ITEM_RE.search(text) is not None


def says_item_missing(text: str) -> bool:
    return MISSING_ITEM_RE.search(text) is not None


def missing_item_answered(dispatcher: CollectingDispatcher, tracker: Tracker, text: str) -> list[dict[str, str]] | None:
    """The missing-item answer (and a person for the named order) for a message saying part of an order is missing,
    the extra-item answer (and a person for the label) for one saying something came that wasn't ordered, else None
    (and nothing said)."""
    if says_item_missing(text):
        entry, rule, offer = MISSING_ITEM_ENTRY, RULE_MISSING_ITEM, order_texts.PERSON_FOR_MISSING_ITEM
    elif says_item_extra(text):
        entry, rule, offer = EXTRA_ITEM_ENTRY, RULE_EXTRA_ITEM, order_texts.PERSON_FOR_EXTRA_ITEM
    else:
        return None
    number = ORDER_NUMBER_RE.search(text)
    if not answer_entry_by_id(dispatcher, entry, text, ask_photo=False, order_number=number and number[1], rule=rule):
        return None
    if number:
        offer_person(dispatcher, tracker, render(offer, order_id=number[1]), HANDOFF_REQUESTED)
    return []
