"""A thing of the shop's kinds said to be broken or not working, with no order named ("my lamp is broken, the bulb
wont light", "the kettle doesnt work"). The NLU, unsure (out of scope 0.52 against the handbook 0.46), offered a
person with "I'm not sure I have a good answer to that". The handbook has the answer: its damaged-item entry ("What
if my item arrived damaged or faulty?": a free replacement or a full refund, tell me the order number); the order
number the customer gives next starts that order's free return of damaged goods, as for "my vase arrived broken", and
the order policy answers an order delivered too long ago with the legal guarantee (the warranty entry's 2 years) and a
person. A thing that broke in use some time after it came ("after a year the lamp is broken, is there a guarantee?")
gets the warranty entry's answer instead. Only when the NLU is not sure of a handbook answer or a request of its
own."""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk.executor import CollectingDispatcher

from actions.handbook_answer import RULE_RECEIVED_GOODS, answer_entry_by_id
from actions.parsing import ORDER_NUMBER_RE
from actions.photos import DAMAGED_ITEM_ENTRY, RECEIVED_DAMAGED_RE
from actions.product_kinds import kinds_in

# a thing that does not do what it is for ("the bulb wont light", "doesnt work", "stopped working", "wont turn on",
# "灯泡不亮")
FAULTY_RE = re.compile(
    r"\b(?:won'?t|wont|doesn'?t|doesnt|does\s+not|will\s+not|isn'?t|isnt|is\s+not|not|never|can'?t|cant)\s+"
    r"(?:\w+\s+)?(?:work(?:ing)?|light(?:\s+up)?|turn(?:ing)?\s+on|switch(?:ing)?\s+on|heat(?:ing)?(?:\s+up)?|"
    r"close|shut|lock|stand|hold)\b"
    r"|\bstopped\s+working\b|\b(?:is|are|was|it'?s|its)\s+(?:\w+\s+)?(?:broken|faulty|defective|dead)\b"
    r"|\bbroke\b"
    # Chinese, as the rules read it (simplified: actions/turns.py ``said``): "灯泡不亮", "开关没反应", "水壶不加热了"
    r"|不亮|不工作|不能用|用不了|没反应|失灵|故障|打不开|开不了|不加热|不转了",
    re.IGNORECASE,
)


# a thing that broke in use, some time after it came ("after one year the lamp is broken, there is guarantee?",
# "用了半年灯就坏了"): the guarantee's case (the warranty entry), not damage on arrival
IN_USE_RE = re.compile(
    r"\b(?:guarantee|warrant(?:y|ee)|covered)\b|\bafter\s+(?:a|an|one|two|three|few|some|\d+)\s+"
    r"(?:\w+\s+)?(?:days?|weeks?|months?|years?|uses?|washes?)\b|\b(?:months?|years?)\s+(?:later|ago|of\s+use)\b"
    r"|保修|质保|保固|用了(?:一|两|半|几|\d)|(?:个月|年)(?:后|以后|之后)",
    re.IGNORECASE,
)
WARRANTY_ENTRY = "warranty"


def says_faulty(text: str) -> bool:
    """The message names a thing of the shop's kinds and says it is damaged or does not work."""
    return bool(kinds_in(text)) and bool(RECEIVED_DAMAGED_RE.search(text) or FAULTY_RE.search(text))


def faulty_goods_answered(
    dispatcher: CollectingDispatcher, text: str, route: dict[str, Any] | None
) -> list[dict[str, Any]] | None:
    """The damaged-item answer (and its photo offer) for a thing said to be broken or not working, with no order
    named, where the NLU was not sure of a handbook answer; None (and nothing said) otherwise."""
    if route is None or str(route.get("destination")).startswith(("faq:", "intent:")) or ORDER_NUMBER_RE.search(text):
        return None
    if not says_faulty(text):
        return None
    entry = WARRANTY_ENTRY if IN_USE_RE.search(text) else DAMAGED_ITEM_ENTRY
    return [] if answer_entry_by_id(dispatcher, entry, text, rule=RULE_RECEIVED_GOODS) else None
