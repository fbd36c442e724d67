"""A change asked for with nothing but the change in it ("can i change the adress", "ugh ok. what about cancelling
it", "能取消吗") once the conversation knows an order (a status just checked): that change starts for that order,
whichever intent the NLU read (a handbook entry sharing its words, an opener)."""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import FollowupAction, SlotSet

from actions.order_state import FLOW, FORM, RETURN, OrderState, details_cleared
from actions.photos import received_item_entry
from actions.product_kinds import kinds_in
from actions.requests import (
    JOINING_WORD,
    OTHER_ORDER_RE,
    QUESTION_RE,
    bare_request,
    is_question,
    request_clauses,
    returns_goods,
)
from helpdesk.knowledge import language_search
from helpdesk.knowledge.decision import Candidate
from helpdesk.knowledge.runtime import get_knowledge_base
from nlu_addons.language import language_of

# a clause that only gives the customer's reason for a change: they no longer want it, changed their mind
OWN_REASON_RE = re.compile(
    r"(?:(?:actually|so|well|ok|okay|hmm+|sorry|tbh)[\s,]+)*(?:i\s+(?:dont|don't|do\s+not|no\s+longer)\s+"
    r"(?:want|need)\s+(?:it|this|that|them|the\s+order)(?:\s+any\s*more)?|i(?:'ve|\s+have)?\s+changed\s+my\s+mind"
    r"|changed\s+my\s+mind)[\s.,!]*",
    re.IGNORECASE,
)

# the same in Chinese, which leaves the "it" out: "我不想要了", "不需要了", "改主意了", "买错了" (simplified:
# actions/turns.py ``said``), with the punctuation after it; it names the order the conversation knows, as "it" does
ZH_OWN_REASON_RE = re.compile(
    r"^(?:(?:哎|唉|嗯|呃|额|那个|其实|算了|好吧|好的|我)[，,\s]*)*(?:已经|真的|突然|现在)?"
    r"(?:不想要(?:它|这个|这单)?了|不要了|不需要(?:它|这个|这单)?了|用不[上着]了|不想买了|改主意了|后悔了|买错了|拍错了|下错单了)"
    r"[，,。.！!\s]*"
)


def without_own_reason(clause: str) -> str:
    """The clause without the customer's reason for the change before it ("我不想要了，能取消吗" -> "能取消吗")."""
    return ZH_OWN_REASON_RE.sub("", clause, count=1)


def refers_back_by_reason(text: str) -> bool:
    """A Chinese message whose reason names the order the conversation knows, as "it" does in "i dont want it
    anymore, can i cancel" ("我不想要了，能取消吗"), unless it speaks of another order ("另一个订单")."""
    return ZH_OWN_REASON_RE.match(text.strip()) is not None and OTHER_ORDER_RE.search(text) is None


# a condition on the return ("can i return candles if i dont like the scent", "蜡烛用过的话能退吗"): a policy question
CONDITION_RE = re.compile(r"\b(?:if|unless|once|after)\b|如果|假如|要是|的话|用过|拆[开了过]", re.IGNORECASE)


def returns_named_goods(clause: str) -> bool:
    """ "蜡烛能退吗", "杯子可以退吗" right after the status of an order: sending back goods of the shop's kinds, with
    no condition on it, is that order's return (the handbook's candle-care or return-policy answer was given). Goods
    said to have come damaged or wrong ("the plates are broken can i return them", "盘子坏了 能退吗") are not: the
    handbook's answer about them and a free return, a replacement offered (faq.received_goods_answered); they got the
    ordinary return, whose customer would have posted broken ceramics back at their own cost of time."""
    return (
        returns_goods(clause)
        and CONDITION_RE.search(clause) is None
        and OTHER_ORDER_RE.search(clause) is None
        and received_item_entry(clause) is None
    )


def goods_beside_bare_return(parts: list[str]) -> bool:
    """ "能退吗 盘子有点问题": a bare return in one clause and, in the other, goods of the shop's kinds and no question
    of its own: the return of those goods (the two clauses were read as two things, and the handbook's final-sale
    answer was given for the order the customer had just looked up)."""
    flows = [bare_request(part) for part in parts]
    if len(parts) != 2 or RETURN not in flows:
        return False
    other = parts[1] if flows[0] == RETURN else parts[0]
    return bool(kinds_in(other)) and not is_question(other) and returns_named_goods(" ".join(parts))


def change_of_known_order(tracker: Tracker, text: str) -> list[dict[str, Any]] | None:
    """ "can i change the adress", "能取消吗" once the conversation knows an order (a status just checked): the message
    names nothing but the change, so that change starts for that order, whatever handbook entry shares its words
    (the policy answer was given, and the address typed next was read as order details). None otherwise."""
    if OrderState.from_tracker(tracker).order_id is None:
        return None
    # "ok and can i change the adress still?": the "ok" asks nothing; nor does the customer's reason beside the change
    # ("i dont want it anymore, can i cancel", "changed my mind, can i cancel it?", "我不想要了，能取消吗")
    parts = [without_own_reason(part) for part in request_clauses(text) if not OWN_REASON_RE.fullmatch(part)]
    parts = [part for part in parts if part]
    flow = bare_request(parts[0]) if len(parts) == 1 else None
    if flow is None and (len(parts) == 1 and returns_named_goods(parts[0]) or goods_beside_bare_return(parts)):
        flow = RETURN  # the goods named: the return form picks them from this message, or says they are not in it
    if flow is None:
        return None
    return [SlotSet(FLOW, flow), *details_cleared(), FollowupAction(FORM)]


# the order the conversation knows, named by a pronoun: "can i still add something to it" right after its status
ORDER_PRONOUN_RE = re.compile(r"\b(?:it|that|this)\b(?!\s+(?:is|was|'s)\b)", re.IGNORECASE)


def handbook_about_known_order(tracker: Tracker, text: str) -> Candidate | None:
    """ "ok and can i still add something to it" right after an order's status (read as an opener: "Sure, what is
    it?"): an English question with a pronoun for the order the conversation knows is that question about "my
    order"; the handbook's entry when it is sure of it, else None."""
    if OrderState.from_tracker(tracker).order_id is None or language_of(text) != "en":
        return None
    parts = request_clauses(text)  # "ok and can i …": the "ok" asks nothing
    if len(parts) != 1:
        return None
    question = JOINING_WORD.sub("", parts[0])
    if not QUESTION_RE.search(question) or not ORDER_PRONOUN_RE.search(question):
        return None
    decision = language_search.decide(get_knowledge_base(), ORDER_PRONOUN_RE.sub("my order", question, count=1))
    return decision.best if decision.action == "answer" else None
