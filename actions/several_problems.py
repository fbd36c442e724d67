"""Two different problems told in one message ("you charged me twice AND my parcel still hasnt come, ridiculous",
"我被扣了两次钱，包裹到现在还没到"). The NLU, torn between a payment problem and an order's status, asked "Did you
mean" one of them: whichever the customer picked, the other was dropped, and an angry customer was made to choose
which wrong to have put right. Such a message is a complaint (policy: complaints go to people): a person is called at
once, and the bot says back each problem it heard, so the customer knows both were taken up and the agent reads them
at the top of the conversation.

Problems are told apart by family: the money (charged twice), the refund (not come), the delivery (not come) and the
goods (arrived damaged or wrong: one return takes care of both, so a broken and a wrong item are one family)."""

from __future__ import annotations

import re

from rasa_sdk.executor import CollectingDispatcher

from actions.missing_parcel import NOT_RECEIVED_RE
from actions.photos import received_item_entry
from actions.signals import signal_handoff
from actions.texts import render
from actions.texts.catalog import smalltalk as say
from helpdesk import i18n
from helpdesk.vocabulary import HANDOFF_COMPLAINT
from nlu_addons.language import simplified

DOUBLE_CHARGE_RE = re.compile(
    r"\b(?:charged|charging|charge|billed|debited|took|taken|paid|payed)\s+(?:me\s+|my\s+(?:card|account)\s+)?"
    r"(?:twice|two\s+times|2\s+times|2x|double)\b|\bdouble[\s-]?(?:charged|charge|charging|billed|payment|paid)\b"
    r"|\btwo\s+(?:charges|payments|transactions)\b"
    r"|扣了?(?:我)?(?:两|2)次|扣了?(?:两|2)笔|重复扣|重复支付|重复收费|多扣",
    re.IGNORECASE,
)
REFUND_RE = re.compile(r"\b(?:refund\w*|money\s+back|reimburse\w*)\b|退款|退的钱|钱还没退|没退钱", re.IGNORECASE)
STILL_WAITING_RE = re.compile(
    r"\bstill\s+(?:waiting|no\s+sign)\b|\bstill\s+no\s+(?:parcel|package|order|delivery|refund|money)\b"
    r"|\bno\s+(?:refund|money)\s+yet\b"
    r"|\b(?:parcel|package|order|delivery)\s+(?:is\s+|was\s+)?(?:late|delayed|overdue)\b",
    re.IGNORECASE,
)
# where one problem ends and the next begins ("… twice AND my parcel …", "…两次钱，包裹…")
PIECES_RE = re.compile(r"\band\b|\bbut\b|\balso\b|\bplus\b|[,.;!?，。；！？\n]|而且|还有|另外|并且|同时", re.IGNORECASE)

MONEY, REFUND, DELIVERY, GOODS = "money", "refund", "delivery", "goods"
DOUBLE_CHARGE_ENTRY = "double-charge"  # the handbook's entry about it (knowledge/faq/payments)


def tells_double_charge(text: str) -> bool:
    """The message says the customer was charged twice ("you charged me twice", "扣了两次钱")."""
    return DOUBLE_CHARGE_RE.search(simplified(text)) is not None


def problems_in(text: str) -> list[str]:
    """The families of the problems the message tells, in the order it tells them."""
    found: list[str] = []
    for piece in PIECES_RE.split(simplified(text)):
        if DOUBLE_CHARGE_RE.search(piece):
            family = MONEY
        elif REFUND_RE.search(piece) and (NOT_RECEIVED_RE.search(piece) or STILL_WAITING_RE.search(piece)):
            family = REFUND
        elif NOT_RECEIVED_RE.search(piece) or STILL_WAITING_RE.search(piece):
            family = DELIVERY
        elif received_item_entry(piece) is not None:
            family = GOODS
        else:
            continue
        if family not in found:
            found.append(family)
    return found


def problem_names(families: list[str]) -> list[str]:
    names = {
        MONEY: say.PROBLEM_DOUBLE_CHARGE,
        REFUND: say.PROBLEM_REFUND_NOT_COME,
        DELIVERY: say.PROBLEM_PARCEL_NOT_COME,
        GOODS: say.PROBLEM_GOODS,
    }
    return [str(names[family]) for family in families]


def several_problems_handed_off(dispatcher: CollectingDispatcher, text: str) -> bool:
    """A person called for a message telling problems of two families or more, with each named back; False (and
    nothing said) for a message of one problem or none."""
    families = problems_in(text)
    if len(families) < 2:
        return False
    problems = i18n.join_names(problem_names(families))
    dispatcher.utter_message(text=render(say.HANDED_OFF_PROBLEMS, problems=problems))
    signal_handoff(dispatcher, HANDOFF_COMPLAINT)
    return True
