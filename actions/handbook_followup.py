"""What the customer says right after a handbook answer, read with that answer in mind.

- A question naming the answer's subject with a pronoun: "do you sell gift cards?" (answered), then "can i pay with
  them for sale items". Read alone, the question has no subject and the NLU is unsure (it offered payment methods,
  final-sale returns and bulk orders); read with the answer's subject in place of the pronoun ("can i pay with gift
  cards for sale items") it is a question the handbook answers. Only when the NLU was unsure, only in English
  (Chinese drops the pronoun), and only a sure answer of the FAQ engine's own gate counts. A question with no
  pronoun ("ok and how do i check the balance", Chinese "那怎么查余额") is answered when, asked about the answer's
  subject, the handbook is sure of the entry the question alone ranks first.
- A follow-up naming only another thing: "can u tell me how to wash the linen sheets" (answered), then "and the
  towels?" / "what about norway" / "那毛巾呢？". Read alone it asks nothing; read as the question before with the new
  thing added it is one the handbook answers (often by the same entry). English and Chinese; a sure answer only.
- An order number after an answer that asks for one to do something ("Give me your order number and the new address
  and I can update it here in the chat"): that request starts for the order, instead of "What would you like me to
  do with order …?" (:data:`INVITED_FLOWS`)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from rasa_sdk import Tracker

from actions.order_state import CANCEL, CHANGE_ADDRESS, FORM, ORDER_STATUS, REFUND_STATUS, RETURN, OrderState
from actions.photos import return_reason_of
from actions.turns import bot_messages_before_latest, turns_before_latest
from helpdesk.knowledge import language_search
from helpdesk.knowledge.decision import Candidate, Decision
from helpdesk.knowledge.runtime import get_knowledge_base
from helpdesk.orders import ReturnReason
from nlu_addons.language import language_of

# the subject named by a pronoun: "pay with them", "are they valid", "redeem it online" ("is it possible" is no
# subject: "it" only after a verb or preposition that takes the thing)
PRONOUN_RE = re.compile(
    r"\b(?:them|they|those|these)\b|\b((?:with|for|on|use|using|buy|redeem|exchange|combine)\s+)it\b", re.IGNORECASE
)


# a question with nothing but the asking in it: "how much?", "and how long does it take?" (the answer's subject is
# what it asks about)
BARE_QUESTION_RE = re.compile(
    r"^\s*(?:(?:and|so|ok|okay|hmm)\b[\s,]*)*(?:how\s+much|how\s+long|how\s+many|how\s+often|where|when|why|which\s+ones?)"
    r"(?:\s+(?:is\s+it|are\s+they|does\s+it\s+(?:cost|take)|do\s+they\s+(?:cost|take)))?\s*\??\s*$",
    re.IGNORECASE,
)
# a follow-up naming only another thing: "and the towels?", "what about norway", "how about klarna?" (a question of
# its own, "and where is my order", is none: its first word asks)
ELLIPTICAL_EN_RE = re.compile(
    r"^\s*(?:(?:ok(?:ay)?|so|hmm|oh)\b[\s,]*)*(?:and\s+)?(?:(?:what|how)\s+about|and)\s+"
    r"(?!(?:how|what|when|where|why|which|who|can|could|do|does|is|are|will|would|should|i|my|you|it|that|this"
    r"|thanks?|thx|bye|goodbye|ok|okay|yes|no|nothing|never)\b)"
    r"(?P<thing>(?:[\w'-]+\s*){1,4}?)\s*[?.!]*\s*$",
    re.IGNORECASE,
)
# Chinese: "那毛巾呢？", "毛巾呢", "寄到挪威呢"
ELLIPTICAL_ZH_RE = re.compile(
    r"^\s*(?:那|那么|那麼|还有|還有)?\s*(?!你|您|我|他|她)(?P<thing>[^，,。？?！!\s]{1,12}?)\s*呢\s*[？?。]?\s*$"
)


def thing_asked_about(question: str) -> str | None:
    """The thing an elliptical follow-up names ("and the towels?" -> "the towels", "那毛巾呢" -> "毛巾"), else None."""
    found = ELLIPTICAL_ZH_RE.match(question) if language_of(question) == "zh" else ELLIPTICAL_EN_RE.match(question)
    return found.group("thing").strip() if found else None


# the handbook's broad sections, which name no subject ("products", "returns"): an entry's own tag is preferred
BROAD_TAGS = frozenset(
    {"products", "returns", "refunds", "payments", "orders", "delivery", "shipping", "membership", "privacy",
     "promotions", "prices", "sustainability", "gifts", "policy", "account", "newsletter"}
)  # fmt: skip


def subject_of(tags: tuple[str, ...]) -> str | None:
    """What an entry is about in a few words, from its tags: a compound one ("gift-cards"), else one that is not a
    broad section, else the first."""
    chosen = next((t for t in tags if "-" in t), None) or next((t for t in tags if t not in BROAD_TAGS), None)
    chosen = chosen or (tags[0] if tags else None)
    return chosen.replace("-", " ") if chosen else None


def _pronoun_for(subject: str) -> Callable[[re.Match[str]], str]:
    """The replacement of a pronoun by ``subject``, keeping the verb before it ("use it" -> "use gift cards")."""
    return lambda found: (found.group(1) or "") + subject


def subjects_of(tags: tuple[str, ...]) -> list[str]:
    """:func:`subject_of`, then, when that is a lone word beside a broad section, the two together: after the
    international-shipping answer (tags delivery, international) "how long does it take" reads "… international take",
    then "… international delivery take"."""
    subject = subject_of(tags)
    if subject is None:
        return []
    broad = next((t for t in tags if t in BROAD_TAGS), None)
    return [subject] if broad is None or " " in subject or subject == broad else [subject, f"{subject} {broad}"]


def last_answer_entry(tracker: Tracker) -> str | None:
    """The handbook entry the bot answered the customer's previous message with, if it did."""
    for event in bot_messages_before_latest(tracker):
        custom: Any = (event.get("data") or {}).get("custom") or {}
        faq = custom.get("faq") if isinstance(custom, dict) else None
        if isinstance(faq, dict) and faq.get("id"):
            return str(faq["id"])
    return None


def answer_about_last_answer(tracker: Tracker, question: str) -> Candidate | None:
    """The handbook's sure answer to `question` with the last answer's subject (from its entry's tags: "gift cards")
    in place of the pronoun, or after a bare "how much?", or to the question before with the thing an elliptical
    follow-up names added ("and the towels?"); None when the question has neither, no answer came before,
    or the engine is not sure."""
    entry_id = last_answer_entry(tracker)
    kb = get_knowledge_base()
    thing = thing_asked_about(question)
    before = next(turns_before_latest(tracker), None)
    if thing is not None and entry_id is not None and before is not None and before.text:
        # "and the towels?" after the answer to "how to wash the linen sheets": that question, about the towels too
        joined = f"{before.text.rstrip('?？.。!！ ')}，还有{thing}呢" if language_of(question) == "zh" else ""
        decision = language_search.decide(kb, joined or f"{before.text.rstrip('?.! ')}, and {thing}")
        return decision.best if decision.action == "answer" else None
    bare = BARE_QUESTION_RE.match(question) is not None
    entry = kb.entry(entry_id) if entry_id else None
    if language_of(question) != "en":
        # Chinese drops the pronoun: "那怎么查余额" after the gift-card answer is the question about its subject
        return _first_offer_about_subject(question, tuple(entry.tags), "zh") if entry is not None else None
    if not (bare or PRONOUN_RE.search(question)):
        return _first_offer_about_subject(question, tuple(entry.tags)) if entry is not None else None
    for subject in subjects_of(tuple(entry.tags)) if entry is not None else ():
        if bare:  # "how much?" after the gift-wrapping answer: "how much gift wrapping?"
            rewritten = question.strip().rstrip("?").strip() + " " + subject + "?"
        else:
            rewritten = PRONOUN_RE.sub(_pronoun_for(subject), question)
        decision = language_search.decide(kb, rewritten)
        if decision.action == "answer":
            return decision.best
    return None


# how the question alone may stand for its first entry to be answered with the last answer's subject: English, offered
# ("Did you mean"); Chinese also answered, since the NLU may refuse what the handbook's Chinese side alone is sure of
# ("那怎么查余额" read as out of scope, and a person offered)
ALONE_ACTIONS = {"en": ("suggest",), "zh": ("suggest", "answer")}


def about_subject(question: str, subject: str, language: str) -> str:
    """``question`` asked about ``subject`` (an entry's tag, in English): "…, about gift cards"; Chinese "那怎么查余额
    （gift cards）" (the Chinese side ranks the entries' English questions too)."""
    if language == "zh":
        return f"{question.strip().rstrip('?？.。!！ ')}（{subject}）"
    return f"{question.strip().rstrip('?.! ')}, about {subject}"


def _first_offer_about_subject(question: str, tags: tuple[str, ...], language: str = "en") -> Candidate | None:
    """The entry the engine would offer first for ``question``, when the question about the last answer's subject is
    one it is sure of with that same entry: "ok and how do i check the balance" after the gift-card answer (the
    balance entry offered first in "Did you mean", now answered), "那怎么查余额" (out of scope to the NLU, a person
    offered). The subject only decides among what the question itself suggests ("how do i check the delivery time,
    about gift cards" is sure of the balance entry too, but the question alone does not offer it first: no answer;
    "那过期了怎么办" alone offers other entries first: none)."""
    kb = get_knowledge_base()
    alone = language_search.decide(kb, question)
    if alone.action not in ALONE_ACTIONS.get(language, ()) or not alone.candidates:
        return None
    first = alone.candidates[0]
    for subject in subjects_of(tags):
        decision = language_search.decide(kb, about_subject(question, subject, language))
        if decision.action == "answer" and decision.best is not None and decision.best.id == first.id:
            return decision.best
    return None


# the handbook entries whose answer offers to do it in the chat given the order number (knowledge/faq/: their
# answers say "give me / tell me your order number … I can … here in the chat"), and the request they offer
INVITED_FLOWS: dict[str, str] = {
    "shipping-addresses": CHANGE_ADDRESS,
    "cancel-order": CANCEL,
    "how-to-return": RETURN,
    "refund-timing": REFUND_STATUS,
    # lane cen's walk (2026-12-07): after these the number got "What would you like me to do with order …?", though
    # the answer had said what it would do ("tell me your 6-digit order number and I'll look up the current status",
    # "Tell me your order number and I can start the return for you", "I can cancel it for you here in the chat if
    # you give me your order number", "… and I can check whether it can still be cancelled for free")
    "track-order": ORDER_STATUS,
    "delivery-time": ORDER_STATUS,
    "split-shipment": ORDER_STATUS,
    "order-not-arrived": ORDER_STATUS,
    "exchanges": RETURN,
    "refund-policy": RETURN,
    "change-order-items": CANCEL,
    "cancellation-fee": CANCEL,
    # "Please tell me your order number …": the return of damaged or wrong goods (free, replacement or refund)
    "wrong-item": RETURN,
    "damaged-item": RETURN,
}


def flow_invited(tracker: Tracker) -> str | None:
    """The order request the handbook answer just before offered to carry out, if it did."""
    entry_id = last_answer_entry(tracker)
    return INVITED_FLOWS.get(entry_id) if entry_id else None


# The handbook's sections (its folders under knowledge/faq) in each language's words: what a short follow-up with no
# subject of its own is about when the answer before came from that section ("help" is everything: no subject)
SECTION_WORDS: dict[str, dict[str, str]] = {
    "account": {"en": "account", "zh": "账户"},
    "delivery": {"en": "delivery", "zh": "配送"},
    "membership": {"en": "membership", "zh": "会员"},
    "orders": {"en": "orders", "zh": "订单"},
    "payments": {"en": "payment", "zh": "付款"},
    "products": {"en": "products", "zh": "商品"},
    "returns": {"en": "returns", "zh": "退货"},
}
# words (English) or characters (Chinese): an elliptical follow-up ("who pays the postage", "is it free?", "那运费呢",
# "要多久"), not a question of its own ("can I pay with paypal", "do you have a student discount": five and six words,
# whose second ranking cost the action server two encodings a turn in the scale bench for nothing)
SHORT_FOLLOWUP = {"en": 4, "zh": 6}
SECTION_RIVALS = 5  # how far down the NLU's ranking an entry of the answer's section may stand to be worth a look
TOPIC_LEAD = 0.03  # how much surer the engine must be of the question in the section's words than of it alone


def section_of(path: object) -> str | None:
    """The handbook section (folder) an entry's file lives in."""
    parent = getattr(path, "parent", None)
    return str(parent.name) if parent is not None else None


def is_short(question: str, language: str) -> bool:
    size = len(question.split()) if language == "en" else len(re.sub(r"[\s\W]", "", question))
    return size <= SHORT_FOLLOWUP.get(language, 0)


RETURNS_SECTION = "returns"


def topic_section(tracker: Tracker, entry_id: str | None) -> str | None:
    """The handbook section a short follow-up is read in: while a return is under way, the returns section ("那运费谁出"
    at "which items do you want to return?" asks who pays the return's postage, not the delivery's: lane zhwalk's
    walkthrough got the delivery prices); in another order request, none; else the section of the answer just before
    (``entry_id``), if any."""
    if tracker.active_loop_name == FORM:
        return RETURNS_SECTION if OrderState.from_tracker(tracker).flow == RETURN else None
    last = get_knowledge_base().entry(entry_id) if entry_id is not None else None
    return section_of(last.path) if last is not None else None


def answer_in_topic_of_last_answer(tracker: Tracker, question: str, ranked: list[str]) -> Candidate | None:
    """A short follow-up read in the section of the answer just before, or of the return under way
    (:func:`topic_section`): "who pays the postage" / "那运费呢" / "要多久" right after the how-to-return answer ask
    about returns (the return label, the refund's timing); read alone they
    ask about delivery (its cost, its time). The question is ranked again with the section's word before it
    ("returns who pays the postage"); that entry is answered when the engine is surely answering from the same
    section with it, and surer of it (by :data:`TOPIC_LEAD`) than of the question alone. None otherwise: a new
    question of its own ("do you ship to norway") keeps its own answer, as does one the section changes nothing for,
    or one that would only repeat the answer before. ``ranked``: the entries the NLU's route ranked for the message,
    best first; only when one of its first :data:`SECTION_RIVALS` is another entry of that section is the question
    ranked again (two searches: most follow-ups after an answer are questions of their own, and each search encodes
    the message; the action server otherwise answers from the NLU's ranking without encoding it)."""
    language = language_of(question)
    entry_id = last_answer_entry(tracker)
    if not is_short(question, language):
        return None
    kb = get_knowledge_base()
    section = topic_section(tracker, entry_id)
    word = SECTION_WORDS.get(section or "", {}).get(language)
    if word is None:
        return None
    first = kb.entry(ranked[0]) if ranked else None
    if first is not None and section_of(first.path) == section:
        return None  # the NLU already ranks that section first (a question in a row on the same topic)
    rivals = (kb.entry(e) for e in ranked[:SECTION_RIVALS] if e != entry_id)
    if not any(rival is not None and section_of(rival.path) == section for rival in rivals):
        return None  # nothing of that section is near: the question is about something else
    alone = language_search.decide(kb, question)
    if alone.action == "answer" and alone.best is not None and section_of(alone.best.path) == section:
        return None  # already answered from that section
    found = answered_in_section(question, str(section), alone)
    return found if found is not None and found.id != entry_id else None


def answered_in_section(question: str, section: str, alone: Decision) -> Candidate | None:
    """The entry of ``section`` the handbook surely answers ``question`` with when it is read with the section's word
    before it ("退货 退回去的时候要贴什么？"), if the engine is surer of it (by :data:`TOPIC_LEAD`) than of the question
    read alone (``alone``, its decision); else None."""
    word = SECTION_WORDS.get(section, {}).get(language_of(question))
    if word is None:
        return None
    within = language_search.decide(get_knowledge_base(), f"{word} {question}")
    found = within.best
    if within.action != "answer" or found is None or section_of(found.path) != section:
        return None
    if alone.best is not None and found.score < alone.best.score + TOPIC_LEAD:
        return None
    return found


def return_question_answer(question: str) -> Candidate | None:
    """The handbook's sure answer to a question asked while a return is under way, from the returns section: the
    question's own answer when it is one of that section, else the question read in that section
    (:func:`answered_in_section`) when the question alone ranks that entry among its first :data:`SECTION_RIVALS`
    too; None when the handbook is not sure of a returns entry. "退回去的时候要贴什么？" (what goes on the parcel)
    read alone was "Did you mean" the refund's status or the refund policy; in the return it is the how-to-return
    answer (the label, the RMA number). "可以自己送过去吗？" (may I bring it myself?) alone ranks gift wrapping and
    delivery first: the returns section's word alone would make it the return policy, which does not answer it."""
    alone = language_search.decide(get_knowledge_base(), question)
    if alone.action == "answer" and alone.best is not None and section_of(alone.best.path) == RETURNS_SECTION:
        return alone.best
    found = answered_in_section(question, RETURNS_SECTION, alone)
    near = {candidate.id for candidate in alone.ranked[:SECTION_RIVALS]}
    return found if found is not None and found.id in near else None


PAYMENTS_SECTION = "payments"


def decided_in_section(question: str, section: str) -> Decision:
    """The handbook's decision for a question the NLU read as being about ``section`` ("结账时一直显示错误" as a payment
    problem: read alone, the Chinese ranking answered with the registration problems; "付款頁面一直轉圈圈", in
    traditional characters, got "Did you mean" where the simplified one is answered). The plain decision when it
    answers from the section; else the question ranked again with the section's word before it (as
    :func:`answer_in_topic_of_last_answer`), answered when that is surely an entry of the section; else the section's
    entries either ranking would offer, as "Did you mean" (an answer from another section is not given); the plain
    decision when neither offers one of the section."""
    kb = get_knowledge_base()
    plain = language_search.decide(kb, question)
    if plain.action == "answer" and plain.best is not None and section_of(plain.best.path) == section:
        return plain
    word = SECTION_WORDS.get(section, {}).get(language_of(question))
    within = language_search.decide(kb, f"{word} {question}") if word is not None else plain
    if within.action == "answer" and within.best is not None and section_of(within.best.path) == section:
        return within
    for decision in (plain, within):
        own = [c for c in decision.candidates if section_of(c.path) == section]
        if own and decision.action == "suggest":
            return Decision(question, "suggest", own[0], own, plain.ranked)
    return plain


def reason_invited(tracker: Tracker) -> ReturnReason:
    """Why goods go back when the handbook answer just before was about damaged or wrong goods (a free return, a
    replacement or a refund), else an ordinary return."""
    entry_id = last_answer_entry(tracker)
    return return_reason_of(entry_id) if entry_id else ReturnReason.UNWANTED
