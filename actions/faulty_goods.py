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

from typing import Any

from rasa_sdk.executor import CollectingDispatcher

from actions.handbook_answer import RULE_RECEIVED_GOODS, answer_entry_by_id
from actions.parsing import ORDER_NUMBER_RE
from actions.photos import DAMAGED_ITEM_ENTRY, FAULTY_RE, IN_USE_RE, RECEIVED_DAMAGED_RE
from actions.product_kinds import kinds_in

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
