"""One routing decision over every destination at once: the intents and the handbook's entries.

A multinomial logistic regression (stacked on the intent head and the handbook scores) chooses among the
classes every non-FAQ intent, ``faq`` (→ the best-scoring entry) and ``out_of_scope``. Its inputs: the intent
head's log probabilities, the best two handbook scores and their gap, whether the message names an order
number or an e-mail, whether the customer speaks of something of their own ("my", "I", 我), and the length.
Below ``answer_at`` it asks back ("Did you mean" the likeliest destinations), below ``clarify_at`` a person
takes over; a handbook answer needs ``faq_answer_at`` instead when set, beside its entry's own score gate. An
order flow also needs evidence of a request about a specific order (an order number or e-mail, the customer's own
"my/I/we", or "it" for the order already talked about): without it, the bot asks instead of starting a flow
("what is the refund policy" never opens a refund). A message naming another domain and nothing of an order
("取消明天早上的闹钟", "cancel my dentist appointment": the cues per language in nlu_addons.order_cues) never starts
an order flow nor is offered one: the bot offers the handbook entries near it, or a person. A message about the
customer's order or account with another company ("where is my ikea delivery", "我的淘宝快递到哪了") is neither
answered from the handbook nor taken as an order: a person is offered. A payment problem and a handbook question are
both answered from the handbook, so together they can make the bot sure enough.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from nlu_addons import fast_linear
from nlu_addons.goods_verbs_zh import reading_zh, swaps_without_calling_off
from nlu_addons.language import CJK, language_of
from nlu_addons.order_cues import account_cue, another_companys, order_cue, other_domain_cue
from nlu_addons.refund_words_zh import refund_reading_zh

# data/nlu/regex.yml's order number: no \b, since "订单100234" has no word boundary before the digits
ORDER_NUMBER = re.compile(r"(?<![0-9A-Za-z])1\d{5}(?![0-9A-Za-z])")
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
# the customer's own things ("my order", 我的订单) or one already named ("that order", 这个订单)
OWN = re.compile(
    r"\b(i|i'm|im|i've|ive|i'd|me|my|mine|we|our|us|ours)\b|[我咱俺]"
    r"|\b(that|this|the same)\s+(order|parcel|package|purchase|refund|return|delivery|one)\b"
    r"|[这那](个|笔|份)?(订单|单|包裹|快递|退款)",
    re.IGNORECASE,
)

# the order already talked about, named by a pronoun: "cancel it pls", "when will it arrive?" (the order flow
# asks which order when none is known yet); not the "it" of a question about how things work ("how long does it
# take", "is it possible", "what does it cost")
REFERS_BACK = re.compile(
    r"\b(?:it|them)\b(?!\s+(?:takes?|costs?|possible|mean|means|ok|okay|true|worth|safe|allowed|work|works)\b)",
    re.IGNORECASE,
)

# a question about how things work rather than a request to act: "how many days until…", "can i add…", "where can
# i see…", "is it possible to…", and what to do about something ("the vase came broken, what now?", "what are the
# steps", "what should I do", "is possible to change it?")
HOW_QUESTION = re.compile(
    r"\b(?:how\s+(?:do|does|can|could|long|many|much|soon)|can\s+i|could\s+i|where\s+can|is\s+it\s+possible"
    r"|is\s+possible|is\s+there\s+a\s+way|what\s+(?:now|next|are\s+the\s+steps|happens\s+(?:now|next|if|when))"
    r"|what\s+(?:should|do|can|must)\s+i\s+do)\b",
    re.IGNORECASE,
)

# the customer's own order named as such ("how do I cancel my order?", "can I get a return label for my order"):
# a request about it, whatever the question's form (the team's own order-intent examples phrased as how-questions
# mostly name it so)
MY_ORDER = re.compile(r"\b(?:my|our)\s+(?:\w+\s+)?(?:order|purchase|parcel|package)s?\b", re.IGNORECASE)

# a thing the customer has, named, and the wish to send it back ("the rug just doesn't work in our living room, can I
# send it back", "the plates are not what I expected, I wish to return them"): a return of the customer's own goods,
# as specific as "my order" (the flow then asks which order); "can I return items after 30 days?" names nothing
RETURNS_A_NAMED_THING = re.compile(
    r"\b(?:the|my|our|this|these|that|those)\s+(?:[a-z']+\s+){0,2}?[a-z']+\b.*"
    r"\b(?:(?:send|ship|take|bring|mail|post)\s+(?:it|them|this|these)\s+back|return\s+(?:it|them|this|these))\b",
    re.IGNORECASE | re.DOTALL,
)

FAQ, OUT_OF_SCOPE, INFORM = "faq", "out_of_scope", "inform"
ORDER_INTENTS = frozenset(
    {"order_status", "cancel_order", "change_order", "change_shipping_address", "request_refund", "refund_status"}
)
# intents the bot answers from the handbook as it answers a handbook question (data/rules.yml: a payment problem
# runs action_answer_faq, which ranks the handbook for the message)
HANDBOOK_INTENTS = frozenset({"payment_issue"})
# order flows whose words also change or close the customer's account ("change my address", "cancel my account"):
# for a message about the account and nothing of an order they are no request about an order (a refund's
# "account" is the bank account the money goes to, so the refund flows are not among them)
ACCOUNT_LIKE_FLOWS = frozenset({"change_shipping_address", "cancel_order", "change_order"})
# the flows on goods of an order the Chinese verb tells apart (nlu_addons.goods_verbs_zh): altering the order, and
# sending goods back
CHANGE_FLOW, RETURN_FLOW = "change_order", "request_refund"
CANCEL_FLOW = "cancel_order"
REFUND_STATUS = "refund_status"
# the flows each reading of a Chinese verb on goods asks for (nlu_addons.goods_verbs_zh)
FLOWS_OF_READING = {"change": frozenset({CHANGE_FLOW}), "return": frozenset({RETURN_FLOW, REFUND_STATUS})}
HANDOFF_INTENTS = {"request_human": "handoff:requested", "complaint": "handoff:complaint"}
# replies that act on nothing and answer one another's messages as well (issue 17): a greeting, small talk and a vague
# opener are each answered with a word back and what the bot can do, with the same topics; thanks and a farewell
# each close politely. Torn within one group, "Did you mean: hello or small talk?" helps nobody: the group together
# makes the bot sure enough of its likeliest reply
SOCIAL_GROUPS = (frozenset({"greet", "chitchat", "vague_opener"}), frozenset({"thank", "goodbye"}))
LOW_CONFIDENCE = "handoff:low_confidence"
CLARIFY = "clarify"


def names_order(text: str) -> bool:
    return bool(ORDER_NUMBER.search(text) or EMAIL.search(text))


def names_own_order(text: str) -> bool:
    """The message names a specific order itself: its number or e-mail, or the customer's own order, purchase or
    parcel ("my order", "our parcel"), the strongest evidence of a request about one order."""
    return names_order(text) or bool(MY_ORDER.search(text))


def returns_a_named_thing(text: str) -> bool:
    """An English message that names a thing the customer has and asks to send it back (RETURNS_A_NAMED_THING)."""
    return language_of(text) == "en" and bool(RETURNS_A_NAMED_THING.search(text))


def request_words(text: str) -> int:
    """Words left once order numbers and e-mails are taken out (a Chinese character counts as a word)."""
    rest = EMAIL.sub(" ", ORDER_NUMBER.sub(" ", text))
    return len(re.findall(r"[A-Za-z]+", rest)) + len(CJK.findall(rest))


def speaks_of_own(text: str) -> bool:
    return bool(OWN.search(text))


def refers_back(text: str) -> bool:
    return bool(REFERS_BACK.search(text))


# Chinese leaves out the "my" English needs: "取消订单", "修改订单里的商品", "上周寄回去的东西退款好了没" are
# requests about the customer's own order with no 我 in them. A policy question asks in general, with a question
# word or particle ("订单能取消吗", "怎么申请退款", "退款要多久"); a Chinese message without one is a request
ZH_GENERAL_QUESTION = re.compile(
    r"[吗嗎么麼嘛？?]|怎|如何|多久|多[长長]|[几幾]天|多少|是否|能不能|可不可以|哪些|为何|為何"
)


# ...unless the question is why something has not happened yet ("钱怎么还没退回来", "为什么还不发货"), asks where a
# thing is ("说好的退款呢？？", "我的包裹呢"), or asks the bot to do it ("能帮我改下吗", "能给我个退货标签吗",
# "麻烦…"): that is the customer's own order, never a policy question
ZH_NOT_YET = r"(?:怎么|怎麼|咋|为什么|為什麼|为啥|為啥)(?:还|還|都)?(?:没|沒|不)"
ZH_WHERE_IS = r"呢[\s？?!！。…~～]*$"
ZH_STILL_WAITING = re.compile(f"{ZH_NOT_YET}|{ZH_WHERE_IS}")
ZH_ASKS_TO_DO = re.compile(r"[帮幫](?:我|忙)|[给給]我|麻[烦煩]|[请請][帮幫]")


# a Chinese question about how things work in general, as English HOW_QUESTION: the words of the usual case ("退款
# 一般几天到", "通常怎么寄回") and the how-words ("我想问下怎么申请退货", "我多久能收到钱"). The customer's 我 in it is
# the asker, not an order: it is no request about a specific order unless that order is named (ZH_MY_ORDER, an order
# number), the customer is still waiting for something (ZH_WAITING_IN_A_QUESTION, ZH_UNDER_WAY) or asks the bot to do
# it
ZH_HOW_QUESTION = re.compile(r"一般|通常|平时|平時|怎么|怎麼|怎样|怎樣|如何|多久|多长时间|多長時間|能不能|可不可以")
# the customer's specific order named: theirs ("我的订单", "我们的包裹"), what they bought or sent ("我前天买的",
# "我昨天下的单", "我寄回的"), or the one already talked about ("这个订单", "那单")
ZH_MY_ORDER = re.compile(
    r"[我咱俺](?:们|們)?的?(?:订单|訂單|单|單|包裹|快递|快遞|件|货|貨|东西|東西|退款|退货|退貨)"
    r"|[我咱俺][^\s，,。？?！!]{0,6}?(?:买|買|订|訂|下|寄|退)(?:的|了)"
    r"|[这那這](?:个|個|笔|筆|份)?(?:订单|訂單|单|單|包裹|快递|快遞)"
)
# something under way, asked about how much longer it takes or why it keeps so ("还要多久才能到我家", "怎么一直显示
# 运输中"): the customer's own order or refund, not how things work
ZH_UNDER_WAY = re.compile(r"[还還](?:要|得|需要)|一直|老是|总是|總是")
# a 呢 at the end asks where a thing is only with no question word before it ("我的包裹呢"); after one it softens the
# question ("一般退到哪张卡上呢")
ZH_QUESTION_WORD = r"[哪几幾]|什[么麼]|怎|如何|多久|多少|多[长長]"
ZH_WAITING_IN_A_QUESTION = re.compile(f"{ZH_NOT_YET}|^(?!.*(?:{ZH_QUESTION_WORD})).*{ZH_WHERE_IS}", re.DOTALL)


def general_question_zh(text: str) -> bool:
    """A Chinese question about how things work in general (ZH_HOW_QUESTION) that names no specific order (no
    ZH_MY_ORDER, no order number or e-mail), waits for nothing and asks the bot to do nothing: "我想知道退货一般要几天",
    however sure the intent head is of an order flow."""
    if language_of(text) != "zh" or not ZH_HOW_QUESTION.search(text):
        return False
    named = ZH_MY_ORDER.search(text) or names_order(text)
    waiting = ZH_WAITING_IN_A_QUESTION.search(text) or ZH_UNDER_WAY.search(text)
    return not (named or waiting or ZH_ASKS_TO_DO.search(text))


def asks_about_own_order_zh(text: str) -> bool:
    """A Chinese message that asks for something to be done rather than how things work in general."""
    if language_of(text) != "zh":
        return False
    return not ZH_GENERAL_QUESTION.search(text) or bool(ZH_STILL_WAITING.search(text) or ZH_ASKS_TO_DO.search(text))


def about_something_else(text: str) -> bool:
    """The message names another domain (an alarm, a meeting, a ticket, another service's membership…) and nothing
    of a shop order (no order, parcel, delivery or goods, no order number or e-mail): not a request about an order
    however its verb reads ("取消明天早上的闹钟")."""
    return other_domain_cue(text) and not order_cue(text) and not names_order(text)


def about_another_company(text: str) -> bool:
    """The message is about another company's order, account or policy (nlu_addons.order_cues.another_companys) and
    names no order of ours (no order number or e-mail): its parcels, refunds and passwords are that company's, which
    neither the handbook's answers nor the order flows are about ("where is my ikea delivery", "reset my gmail
    password", "我的淘宝快递到哪了", "宜家的退货政策是什么")."""
    return another_companys(text) and not names_order(text)


def about_the_account(text: str) -> bool:
    """The message names the customer's account (details, login, profile) and nothing of an order: "I moved, I
    need to update my details"."""
    return account_cue(text) and not order_cue(text) and not names_order(text)


def reads_as_change_zh(text: str) -> bool:
    """A Chinese message whose verb alters an order's contents (nlu_addons.goods_verbs_zh): not a return ("我只想退
    两个"), a swap of goods the customer has ("被套想换个size") or a report ("订单里的candle没在包裹里")."""
    return reading_zh(text, names_order(text)) == "change"


def order_evidence(text: str, intent: str | None = None) -> bool:
    """Evidence of a request about a specific order: an order number or e-mail, the customer's own "my/I/we", "it"
    for the order already talked about, or a Chinese request (not a general question); never for a message about
    another domain, nor for a Chinese question about how things work in general that names no order
    (general_question_zh: the asker's 我 is no order), nor, for a flow whose words also fit the account
    (ACCOUNT_LIKE_FLOWS: ``intent``), for a message about the account, nor, for the order-change flow, for a Chinese
    message whose verb does not alter the order (reads_as_change_zh)."""
    if about_something_else(text) or (intent in ACCOUNT_LIKE_FLOWS and about_the_account(text)):
        return False
    if general_question_zh(text):
        return False
    if intent == CHANGE_FLOW and language_of(text) == "zh" and not reads_as_change_zh(text):
        return False
    return names_order(text) or speaks_of_own(text) or refers_back(text) or asks_about_own_order_zh(text)


def is_order_flow(destination: str) -> bool:
    return destination.removeprefix("intent:") in ORDER_INTENTS


def second_opinion(primary: np.ndarray, second: np.ndarray) -> np.ndarray:
    """The second encoder's evidence on each message (issue 17), from the two encoders' handbook scores (rows of
    ``primary`` and ``second``, the same entries in the same order): the primary's best score, the second's best
    score, the second's score for the primary's best entry, and whether both put the same entry first. Two
    independent encoders agreeing on an entry is evidence of a question the handbook answers; a near-miss out of
    scope tends to find different entries, or one only one encoder likes."""
    if primary.shape[1] == 0:
        return np.zeros((len(primary), 4))
    rows = np.arange(len(primary))
    best, other = np.argmax(primary, axis=1), np.argmax(second, axis=1)
    return np.column_stack(
        [primary[rows, best], second[rows, other], second[rows, best], (best == other).astype(np.float64)]
    )


def features(
    probabilities: np.ndarray, faq_scores: np.ndarray, texts: Sequence[str], second: np.ndarray | None = None
) -> np.ndarray:
    """The arbiter's inputs for each message (rows of ``probabilities`` and ``faq_scores``), with the second
    encoder's evidence (:func:`second_opinion`) when the side has one."""
    ranked = -np.sort(-faq_scores, axis=1)
    top2 = np.hstack([ranked[:, :2], np.full((len(texts), max(0, 2 - ranked.shape[1])), -1.0)])
    order = np.array([[1.0 if names_order(t) else 0.0] for t in texts])
    own = np.array([[1.0 if speaks_of_own(t) else 0.0] for t in texts])
    length = np.array(
        [[np.log1p(len(t.split()) if language_of(t) == "en" else len(t.replace(" ", "")) / 2)] for t in texts]
    )
    logs = np.log(np.clip(probabilities, 1e-4, 1.0))
    columns = [logs, top2, top2[:, :1] - top2[:, 1:2], order, own, length]
    return np.hstack(columns if second is None else [*columns, second])


def destination_of(label: str, best_entry: str | None) -> str:
    if label == FAQ:
        return f"faq:{best_entry}" if best_entry else LOW_CONFIDENCE
    if label == OUT_OF_SCOPE:
        return LOW_CONFIDENCE
    return HANDOFF_INTENTS.get(label, f"intent:{label}")


@dataclass
class Route:
    destination: str  # intent:<name> | faq:<entry id> | handoff:<reason> | clarify
    confidence: float
    offered: list[str] = field(default_factory=list)  # for clarify: the destinations to offer
    ranking: list[tuple[str, float]] = field(default_factory=list)  # the arbiter's classes, likeliest first


# the handbook gate (scores of nlu_addons.handbook_index): an entry is answered only when its score reaches
# FAQ_ANSWER_FROM, offered in "Did you mean" from FAQ_OFFER_FROM, and below that nothing in the handbook fits (a
# person is offered). English values, chosen on the team's dev rows (bench/choose_gate.py); the component sets them
# per language from its configuration (nlu_addons/onepass_nlu.py)
FAQ_ANSWER_FROM, FAQ_OFFER_FROM = 0.54, 0.45


def entry_clears(
    best: float,
    second: float,
    answer_from: float,
    clear_from: float | None = None,
    clear_margin: float = 1.0,
    covered_from: float | None = None,
    covered: bool = False,
    covered_margin: float = 0.0,
) -> bool:
    """The handbook gate, one rule wherever a side's handbook ranking is answered from (the arbiter's route, and the
    action server's search of the Chinese side, helpdesk/knowledge/language_search.py): the best entry (scoring
    ``best``, the next one ``second``) is sure enough to answer from when it reaches ``answer_from``, or
    ``clear_from`` (None: never) with a lead of ``clear_margin`` over the second, or ``covered_from`` (None: never)
    with a lead of ``covered_margin`` when its own words cover the message's (``covered``:
    nlu_addons.handbook_index.HandbookIndex.covers)."""
    if best >= answer_from:
        return True
    if covered and covered_from is not None and best >= covered_from and best - second >= covered_margin:
        return True
    return clear_from is not None and best >= clear_from and best - second >= clear_margin


class StackedArbiter:
    def __init__(
        self,
        answer_at: float,
        clarify_at: float,
        c: float = 1.0,
        faq_answer_from: float = FAQ_ANSWER_FROM,
        faq_offer_from: float = FAQ_OFFER_FROM,
    ) -> None:
        self.answer_at, self.clarify_at, self.c = answer_at, clarify_at, c
        self.faq_answer_from, self.faq_offer_from = faq_answer_from, faq_offer_from
        # a how-question naming no order whose handbook entry scores this much is answered from the handbook even
        # when an order flow is likelier (None: never)
        self.faq_over_flow_from: float | None = None
        # the probability a handbook answer needs (None: answer_at, as every other destination). A handbook answer
        # has its own gate already, the entry's score (faq_answer_from); demanding answer_at of the faq class on
        # top of it asked back about questions the handbook answers surely (issue 17: two gates in series)
        self.faq_answer_at: float | None = None
        # an entry clearly ahead of the next one is answered from a lower score: from ``faq_clear_from`` when it
        # leads the second entry by ``faq_clear_margin`` (None: never; issue 17: the handbook gate asked back about
        # customers' wordings whose best entry was right and far ahead, only scored lower than the team's wordings)
        self.faq_clear_from: float | None = None
        self.faq_clear_margin = 0.1
        # an order flow on top for a message that names no order and gives no evidence of one (it would be asked
        # back about) is answered from the handbook when its best entry scores this much (None: never)
        self.faq_no_order_from: float | None = None
        # the best entry whose own words cover the message's is answered from this lower score (None: never; issue
        # 17: customers' wordings of an entry score as low as the near misses out of scope, but keep to its words)
        self.faq_covered_from: float | None = None
        # ... when it leads the second entry by this much (a tie between two entries the cover cannot settle)
        self.faq_covered_margin = 0.0
        # the best entry is asked back about beside the second when the message's own words doubt it (None: never;
        # nlu_addons.onepass_nlu.Side.words_doubt reads these two and tells route)
        self.faq_doubt_margin: float | None = None
        self.faq_doubt_ratio: float | None = None
        # ... and when, near-tied with the second within this margin, it shares no pair of characters of its own topic
        # weighing this much with the message (None: never; nlu_addons.topic_evidence_zh, the Chinese side)
        self.faq_topic_margin: float | None = None
        self.faq_topic_weight: float | None = None
        # the probability an order flow needs when the message names the order itself: its number or e-mail, or
        # the customer's own order, purchase or parcel (None: answer_at, as every other destination; issue 17:
        # customers' own requests phrased their way, "how far along is my purchase", scored just under answer_at
        # and were asked back about although the flow confirms before it books anything)
        self.flow_answer_at: float | None = None
        self.classes: list[str] = []
        self._model: Any = None
        self._scale: Any = None

    def fit(self, x: np.ndarray, labels: Sequence[str]) -> StackedArbiter:
        from sklearn.linear_model import LogisticRegression
        from sklearn.preprocessing import StandardScaler

        self.classes = sorted(set(labels))
        self._scale = StandardScaler().fit(x)
        # unbalanced, C=1: the study's comparison (balanced classes asked back more; C=10 answered more, wrongly)
        self._model = LogisticRegression(C=self.c, max_iter=5000).fit(
            self._scale.transform(x), [self.classes.index(label) for label in labels]
        )
        return self

    def probabilities(self, x: np.ndarray) -> np.ndarray:
        return fast_linear.probabilities(self._model, fast_linear.scaled(self._scale, x))

    def entry_clears_gate(self, faq_scores: np.ndarray, covered: bool = False) -> bool:
        """The best entry of one message (``faq_scores``, one row) is sure enough to answer from: it reaches
        ``faq_answer_from``, or ``faq_clear_from`` with a lead of ``faq_clear_margin`` over the second entry, or
        ``faq_covered_from`` with a lead of ``faq_covered_margin`` when its words cover the message's (``covered``)."""
        ranked = -np.sort(-faq_scores[0]) if faq_scores.size else np.array([-1.0])
        best, second = float(ranked[0]), float(ranked[1]) if len(ranked) > 1 else -1.0
        return entry_clears(
            best,
            second,
            self.faq_answer_from,
            getattr(self, "faq_clear_from", None),  # (absent from arbiters pickled before it)
            getattr(self, "faq_clear_margin", 1.0),
            getattr(self, "faq_covered_from", None),
            covered,
            getattr(self, "faq_covered_margin", 0.0),
        )

    def route(
        self,
        x: np.ndarray,
        faq_scores: np.ndarray,
        entry_ids: Sequence[str],
        text: str,
        covered: bool = False,
        doubted: bool = False,
    ) -> Route:
        """The destination of one message (``x`` and ``faq_scores`` one row each; ``covered``: its best entry's own
        words cover its words, nlu_addons.handbook_index.HandbookIndex.covers; ``doubted``: its own words speak for
        its second entry over its near-tied best, nlu_addons.onepass_nlu.Side.words_doubt)."""
        row = self.probabilities(x)[0]
        order = [int(k) for k in np.argsort(-row)]
        entries = [entry_ids[int(e)] for e in np.argsort(-faq_scores[0])[:3]]
        best_entry = entries[0] if entries else None
        ranking = [(self.classes[k], round(float(row[k]), 4)) for k in order]
        top = self.classes[order[0]]
        confidence = float(row[order[0]])
        chinese = language_of(text) == "zh"
        if len(order) > 1 and names_order(text):
            # an order number with a request ("where is order 100240?"): "inform" (order details only) and the
            # request's flow are one reading of the message, and the flow is the more specific; act on it when
            # the two together are sure enough. Bare details ("100234", "it's anna@example.com") stay inform: in
            # the middle of a form they answer its question and must not switch the request
            second = self.classes[order[1]]
            pair = {top, second}
            # ... or, in Chinese, when the verb beside the number asks for the flow ("100253 cushion换beige": 换, 改,
            # 删 alter the order; 退 sends goods back), however short the message
            asks = (
                top in ORDER_INTENTS
                or (float(row[order[1]]) >= 0.2 and request_words(text) >= 4)
                or (chinese and bool(pair & FLOWS_OF_READING.get(reading_zh(text, True) or "", frozenset())))
            )
            if INFORM in pair and len(pair & ORDER_INTENTS) == 1 and asks:
                top = next(iter(pair & ORDER_INTENTS))
                confidence = float(row[order[0]] + row[order[1]])
                order = [self.classes.index(top), *(k for k in order if self.classes[k] != top)]
            if chinese and top == CANCEL_FLOW and swaps_without_calling_off(text):
                # 换 beside an order number and no word calling the order off ("100248换灰": swap to grey): a change
                # of what the order holds, never a cancellation, whose summary a yes would confirm
                top = CHANGE_FLOW
                order = [self.classes.index(top), *(k for k in order if self.classes[k] != top)]
        if (
            len(order) > 1
            and {top, self.classes[order[1]]} == {CHANGE_FLOW, RETURN_FLOW}
            and chinese
            and reading_zh(text, names_order(text)) == "return"
        ):
            # goods of an order and a wish, with the verb 退 ("订单100219的杯子我只想退两个", "我想把订单里的蜡烛退了"):
            # the order change and the refund flow are one reading of the message, and its verb says it is a return
            confidence = float(row[order[0]] + row[order[1]])
            if top == CHANGE_FLOW:
                top, order = RETURN_FLOW, [order[1], order[0], *order[2:]]
        if len(order) > 1 and chinese and {top, self.classes[order[1]]} == {RETURN_FLOW, REFUND_STATUS}:
            # torn between starting a refund and asking how one stands ("退回去的那个花瓶，钱退了没有"): one reading of
            # a refund, and the words beside 退 say which (nlu_addons.refund_words_zh)
            reading = refund_reading_zh(text)
            if reading is not None:
                confidence = float(row[order[0]] + row[order[1]])
                wanted = REFUND_STATUS if reading == "status" else RETURN_FLOW
                if top != wanted:
                    top, order = wanted, [order[1], order[0], *order[2:]]
        best_score = float(faq_scores[0].max()) if faq_scores.size else -1.0
        entry_sure = self.entry_clears_gate(faq_scores, covered)
        if len(order) > 1 and entry_sure:
            # a payment problem and a handbook question about payments are answered alike, from the handbook:
            # torn between the two, the bot is sure enough of the handbook when the two together are
            pair = {top, self.classes[order[1]]}
            if FAQ in pair and pair & HANDBOOK_INTENTS:
                confidence = float(row[order[0]] + row[order[1]])
        if len(order) > 1 and any({top, self.classes[order[1]]} <= group for group in SOCIAL_GROUPS):
            confidence = float(row[order[0]] + row[order[1]])
        likely = [destination_of(self.classes[k], best_entry) for k in order[:3]]
        if top == FAQ:  # a handbook question: the next entries are the natural alternatives
            runner_up = self.classes[order[1]] if len(order) > 1 else None
            if runner_up in ORDER_INTENTS and order_evidence(text):
                # torn between the handbook and an order flow for a message about a specific order ("when will
                # it arrive?"): the flow is the second reading, offered beside the best entry rather than pushed
                # out by the handbook's next entries (then "it" once the order is known starts it, actions/faq.py)
                likely = [likely[0], likely[1], *(f"faq:{e}" for e in entries[1:3]), *likely[2:]]
            else:
                likely = [likely[0], *(f"faq:{e}" for e in entries[1:3]), *likely[1:]]
        near = {f"faq:{entry_ids[int(e)]}": float(faq_scores[0, int(e)]) for e in np.argsort(-faq_scores[0])[:3]}
        elsewhere = about_something_else(text)
        # an entry is offered only when it is near enough (not a guess among unrelated ones); an order flow never
        # for a message about another domain
        offered = [
            d
            for d in dict.fromkeys(likely)
            if d != LOW_CONFIDENCE
            and (not d.startswith("faq:") or near.get(d, -1.0) >= self.faq_offer_from)
            and not (elsewhere and is_order_flow(d))
        ][:3]
        if top in ORDER_INTENTS | HANDBOOK_INTENTS | {FAQ, INFORM} and about_another_company(text):
            # another company's order, refund or account ("where is my ikea delivery", "reset my gmail password",
            # "我的淘宝快递到哪了"): nothing the bot does is about it however alike the words, and entries near its
            # words would read as answers; a person is offered (they can say where to turn; issues 17, 18)
            return Route(LOW_CONFIDENCE, confidence, [], ranking)
        if top == OUT_OF_SCOPE or (top == FAQ and best_score < self.faq_offer_from):
            # nothing the bot does fits, or no handbook entry is near enough to offer: a person is offered
            return Route(LOW_CONFIDENCE, confidence, [], ranking)
        if elsewhere and top in ORDER_INTENTS and not entry_sure:
            # an order flow's reading of another domain's request ("cancel my dentist appointment"): the entries
            # near its words ("How do I cancel my order?") are no answer to it and read as a misunderstanding
            return Route(LOW_CONFIDENCE, confidence, [], ranking)
        if top == FAQ and (not entry_sure or request_words(text) <= 1):
            # unsure which entry, or a topic rather than a question ("bedding"): the entries on it are offered
            return Route(CLARIFY, confidence, offered, ranking)
        if top == FAQ and doubted and len(entries) > 1:
            # two entries near-tied and the message's words speak for the second ("这款杯子卖完了，以后还进货吗": the
            # availability entry first, back-in-stock's 进货 second): both offered rather than the first answered
            near_tie = [f"faq:{e}" for e in entries[:2]]
            return Route(CLARIFY, confidence, [*near_tie, *(d for d in offered if d not in near_tie)][:3], ranking)
        over_flow = getattr(self, "faq_over_flow_from", None)  # (absent from arbiters pickled before it)
        if (
            top in ORDER_INTENTS
            and over_flow is not None
            and best_entry
            and best_score >= over_flow
            and not names_order(text)
            and not MY_ORDER.search(text)
            and HOW_QUESTION.search(text)
        ):
            # "how many days after you get my return will i see the money": how it works, which the handbook
            # answers, not a request about a specific order
            return Route(f"faq:{best_entry}", best_score, [], ranking)
        evidence = top not in ORDER_INTENTS or order_evidence(text, top)
        no_order_from = getattr(self, "faq_no_order_from", None)  # (absent from arbiters pickled before it)
        # the order change on top of a Chinese message whose verb alters no order ("被套想换个size", "订单里的candle没在
        # 包裹里"): its best entry answers it once it clears the handbook gate, unless the bot is asked to do something
        # ("帮我把订单取效掉": a request whose verb was not read, asked back about)
        entry_for_no_change = (
            entry_sure and top == CHANGE_FLOW and language_of(text) == "zh" and not ZH_ASKS_TO_DO.search(text)
        )
        if (
            not evidence
            and best_entry
            and not elsewhere
            and ((no_order_from is not None and best_score >= no_order_from) or entry_for_no_change)
        ):
            # an order flow on top but nothing says which order ("order cancel how", "parcel tracking number
            # where"): the flow cannot start, and a handbook entry near the message answers it
            return Route(f"faq:{best_entry}", best_score, [], ranking)
        faq_answer_at = getattr(self, "faq_answer_at", None)  # (absent from arbiters pickled before it)
        needed = faq_answer_at if top == FAQ and faq_answer_at is not None else self.answer_at
        flow_answer_at = getattr(self, "flow_answer_at", None)  # (absent from arbiters pickled before it)
        if (
            top in ORDER_INTENTS
            and flow_answer_at is not None
            and (names_own_order(text) or (top == RETURN_FLOW and returns_a_named_thing(text)))
        ):
            needed = flow_answer_at
        if confidence >= needed and evidence:
            return Route(likely[0], confidence, [], ranking)
        if confidence >= self.clarify_at or not evidence:
            if not evidence and best_entry and best_score >= self.faq_offer_from and f"faq:{best_entry}" not in offered:
                offered = [*offered[:2], f"faq:{best_entry}"]
            if offered:
                return Route(CLARIFY, confidence, offered, ranking)
        return Route(LOW_CONFIDENCE, confidence, [], ranking)
