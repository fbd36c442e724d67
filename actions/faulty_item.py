"""A thing of the shop's kinds said to be broken or not working, no order named, the NLU unsure ("台灯坏了", "灯泡不亮",
"我的花瓶碎了", "my lamp is broken, the bulb wont light"): it was a person offered at once, or "Did you mean" order
status and returns. What the handbook says of it answers instead: goods that came damaged or faulty get a free
replacement or a full refund (the damaged-item entry, which asks for the order number: the return follows it), and a
fault that showed after months of use is the 2-year guarantee's (the warranty entry, whose order number offers a
person for the claim: actions/team_checks.py)."""

from __future__ import annotations

import re

from rasa_sdk.executor import CollectingDispatcher

from actions.handbook_answer import RULE_FAULTY_ITEM, answer_entry_by_id
from actions.parsing import ORDER_NUMBER_RE
from actions.photos import DAMAGED_ITEM_ENTRY, RECEIVED_DAMAGED_RE
from actions.product_kinds import kinds_in

WARRANTY_ENTRY = "warranty"

# not working, besides the damage words (photos.RECEIVED_DAMAGED_RE): "the bulb wont light", "it stopped working",
# "灯泡不亮", "开关没反应", "用不了了"
NOT_WORKING_RE = re.compile(
    r"\b(?:broken|broke|faulty|defective"
    r"|(?:does\s*n[o']?t|doesnt|won'?t|wont|will\s+not|not|no\s+longer|stopped|isn'?t|isnt|can'?t|cant)\s+"
    r"(?:work|working|light(?:ing)?|light\s+up|turn(?:ing)?\s+on|switch(?:ing)?\s+on|come\s+on|charg(?:e|ing)"
    r"|heat(?:ing)?(?:\s+up)?))\b"
    r"|不亮|不工作|不能用|用不了|没反应|沒反應|失灵|失靈|故障|打不开|打不開|开不了|開不了|不[转轉]了|不加[热熱]|[闪閃]烁|[闪閃]爍",
    re.IGNORECASE,
)
# the fault came after a good while of use, or the guarantee is asked about: the guarantee's, not a delivery's
# ("用了半年就坏了", "after 8 months", "台灯坏了保修吗")
GUARANTEE_RE = re.compile(
    r"\b(?:warranty|guarantee)\b|保修|保固|质保|質保"
    r"|\b(?:after|for)\s+(?:a|one|two|three|four|five|six|several|a\s+few|some|\d+)\s+(?:months?|years?)\b"
    r"|\b(?:a|one|\d+)\s+(?:months?|years?)\s+(?:later|ago)\b"
    r"|用了(?:快|差不多|大概|才|有)?(?:[一二两兩三四五六七八九十几幾半\d]+)(?:个|個)?(?:多)?(?:月|年)"
    r"|(?:半年|一年|几个月|幾個月|[一二两兩三四五六\d]+(?:个|個)月)(?:后|後|以后|以後|之后|之後)",
    re.IGNORECASE,
)
# a question about whether things break ("机洗会坏吗", "will the lamp break if it falls"): no fault told
WOULD_BREAK_RE = re.compile(
    r"[会會易怕]\s*(?:不会|不會)?\s*[坏壞碎裂破]"
    r"|\b(?:will|would|could|can|does|do)\s+(?:it|they|the\s+\w+)\s+(?:break|crack)",
    re.IGNORECASE,
)


def faulty_item_entry(text: str) -> str | None:
    """The handbook entry for a thing of the shop's kinds the message says is broken or not working, none of its
    orders named (those are a return: actions/faq.py received_goods_answered); None otherwise."""
    if ORDER_NUMBER_RE.search(text) or not kinds_in(text) or WOULD_BREAK_RE.search(text):
        return None
    if not (RECEIVED_DAMAGED_RE.search(text) or NOT_WORKING_RE.search(text)):
        return None
    return WARRANTY_ENTRY if GUARANTEE_RE.search(text) else DAMAGED_ITEM_ENTRY


def answer_faulty_item(dispatcher: CollectingDispatcher, text: str) -> bool:
    """The handbook's answer for a broken or faulty thing (:func:`faulty_item_entry`); False (nothing said) when the
    message tells no such thing."""
    entry = faulty_item_entry(text)
    return entry is not None and answer_entry_by_id(dispatcher, entry, text, rule=RULE_FAULTY_ITEM)
