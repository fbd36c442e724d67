"""Replacement or refund: what a customer whose goods arrived damaged or wrong wants for them. The handbook's
wrong-item and damaged-item answers promise "the correct item at no extra cost, or a full refund if you prefer";
the return that follows them asks which (the form's ``return_remedy`` slot), the buttons or the customer's words
answer, and a replacement is booked with the order system (``OrderSystem.create_replacement``) instead of a refund.
An ordinary return, or a shop whose order system books no replacements, is a refund as before."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from actions.order_state import RETURN_REMEDY  # the slot, and the entity its buttons set
from helpdesk.orders import ReturnReason, ReturnRemedy

REPLACEMENT_RE = re.compile(
    r"\b(?:replace\w*|exchange|swap|re-?send|new\s+one|another\s+one|send\s+(?:me\s+)?(?:a\s+new|another|it\s+again)"
    r"|(?:the\s+)?(?:right|correct)\s+(?:one|item|thing|product|colou?r|size|ones|items))\b"
    r"|换货|換貨|换一|換一|换个|換個|换新|換新|换成|換成|补发|補發|重发|重發|重新[发發寄]|[发發寄]正确|[发發寄]正確|[发發寄]对|[发發寄]對",
    re.IGNORECASE,
)
REFUND_RE = re.compile(r"\b(?:refund\w*|money\s+back|reimburse\w*)\b|退款|退钱|退錢|退我钱|退我錢", re.IGNORECASE)
# "no refund", "don't want a replacement", "不要退款", "不用换货": the remedy named to be turned down
NOT_BEFORE_RE = re.compile(
    r"(?:\b(?:no|not|don'?t\s+(?:want|need)|rather\s+not|instead\s+of)\s+(?:a\s+|the\s+|my\s+)?$|(?:不要|不用|不想|别|別)\s*$)",
    re.IGNORECASE,
)


# a question about a remedy, not a choice of it: "how long will the replacement take?", "when would the refund come",
# "换货要多久" at "replacement or refund?" (it was read as choosing the replacement: the walk of 2026-12-07, lane
# cen5). Asking for one stays a choice: "can i get a refund?", "could you send a new one", "is it possible to get a
# replacement", "what about a refund", "我要换货，多久能到"
ASKS_ABOUT_RE = re.compile(
    r"^\W*(?:(?:ok(?:ay)?|so|and|but|hmm+|um+|wait|sorry|oh|actually|hi|hey|quick\s+question)\b[\s,.!:\-]*)*"
    r"(?:how|what|whats|what's|when|why|where|which|who|does|do|did|will|would|is|are)\b"
    r"(?!\s+(?:you|u|about)\b)(?!\s+it\s+(?:be\s+)?possible\b)(?!\s+(?:i|we)\s+(?:like|prefer|rather)\b)"
    r"|^(?!.*(?:我要|我想|想要|就要|吧)).*(?:多久|多长时间|多長時間|几天|幾天|什么时候|什麼時候|怎么|怎麼|如何|哪个快|哪個快)",
    re.IGNORECASE,
)


def asks_about_remedy(text: str) -> bool:
    """The message asks about a replacement or a refund (how long, how it works) rather than choosing one."""
    return ASKS_ABOUT_RE.search(text) is not None


def _named(pattern: re.Pattern[str], text: str) -> tuple[bool, bool]:
    """Whether ``text`` names it, and whether only with a "not" before it."""
    named = [bool(NOT_BEFORE_RE.search(text[: m.start()])) for m in pattern.finditer(text)]
    return bool(named), bool(named) and all(named)


def remedy_said(text: str, entities: Iterable[Mapping[str, Any]] = ()) -> ReturnRemedy | None:
    """The remedy a message asks for: a button's (the ``return_remedy`` entity), else the one its words name
    ("send me the right one", "I'd rather have a refund", "换货", "退款吧", "no refund, a replacement please");
    None when it names neither, or both with nothing to choose between them, or asks about them
    (:func:`asks_about_remedy`)."""
    for entity in entities:
        if entity.get("entity") == RETURN_REMEDY and str(entity.get("value")) in {r.value for r in ReturnRemedy}:
            return ReturnRemedy(str(entity["value"]))
    if asks_about_remedy(text):
        return None
    replacement, replacement_declined = _named(REPLACEMENT_RE, text)
    refund, refund_declined = _named(REFUND_RE, text)
    wanted = [
        remedy
        for remedy, named, declined in (
            (ReturnRemedy.REPLACEMENT, replacement, replacement_declined),
            (ReturnRemedy.REFUND, refund, refund_declined),
        )
        if named and not declined
    ]
    if len(wanted) == 1:
        return wanted[0]
    if not wanted and replacement_declined != refund_declined:  # "no refund" alone: the other one
        return ReturnRemedy.REPLACEMENT if refund_declined else ReturnRemedy.REFUND
    return None


def remedy_asked(reason: ReturnReason, offers_replacements: bool) -> bool:
    """The return asks "replacement or refund?": for damaged or wrong goods, when the order system books
    replacements."""
    return reason.shop_at_fault and offers_replacements
