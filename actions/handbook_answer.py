"""A handbook entry's answer said in the chat: in the customer's language, with its help-centre article and the
helpdesk's signal, without asking for an order number the customer gave, and (for damaged or wrong goods) the photo
offer. One home for it: the handbook question's action (actions/faq.py), the order requests and the small talk's
follow-ups (actions/smalltalk.py) all answer an entry this way."""

from __future__ import annotations

import os

from rasa_sdk.executor import CollectingDispatcher

from actions.order_number_asked import without_order_number_asked
from actions.photos import ask_after_answer
from actions.signals import signal_faq
from helpdesk import i18n
from helpdesk.knowledge.chat_text import markdown_to_text
from helpdesk.knowledge.runtime import get_knowledge_base


def in_language(entry_id: str, title: str, answer: str) -> tuple[str, str]:
    """An entry's title and answer in the customer's language (its Chinese version when it has one)."""
    if i18n.current() != "en":
        entry = get_knowledge_base().entry(entry_id)
        version = entry.version(i18n.current()) if entry is not None else None
        if version is not None:
            return version.title, version.answer
    return title, answer


def public_url() -> str:
    return os.environ.get("PUBLIC_URL", "http://127.0.0.1:8080").rstrip("/")


def entry_link(faq_id: str) -> str:
    """The help-centre article, in the conversation's language (its Chinese page for a Chinese chat)."""
    return f"{public_url()}/help/{faq_id}" + ("?lang=zh" if i18n.current() == "zh" else "")


# what chose an entry answered by id rather than by the ranking (the console says it beside the answer, where a score
# of the message against the entry, often 0.00, told the agent nothing: lane fixes)
RULE_RECEIVED_GOODS = "received_goods"  # goods of a named order that arrived damaged or wrong (actions/faq.py)
RULE_MISSING_ITEM = "missing_item"  # an item missing from the parcel (actions/missing_item.py)
RULE_EXTRA_ITEM = "extra_item"  # an item in the parcel that wasn't ordered (actions/missing_item.py)
RULE_INVOICE = "invoice"  # an invoice question naming an order (actions/invoices.py)
RULE_PAYMENT_WAY = "payment_way"  # a way to pay the handbook does not name (actions/payment_ways.py)
RULE_PICKED = "picked"  # the customer picked it from "Did you mean"
RULE_PRODUCT_OPTION = "product_option"  # a colour of a product asked beside another question (product_options.py)
RULE_RETURN_LABEL = "return_label"  # what goes on the parcel, asked during a return (actions/return_label.py)
RULES = (
    RULE_RECEIVED_GOODS,
    RULE_MISSING_ITEM,
    RULE_EXTRA_ITEM,
    RULE_INVOICE,
    RULE_PAYMENT_WAY,
    RULE_PICKED,
    RULE_PRODUCT_OPTION,
    RULE_RETURN_LABEL,
)


def answer_entry_by_id(
    dispatcher: CollectingDispatcher,
    faq_id: str,
    question: str | None,
    ask_photo: bool = True,
    order_number: str | None = None,
    rule: str | None = None,
) -> bool:
    """Handbook entry `faq_id`'s answer, scored against `question` (0 without one); False when there is no such
    entry. ``ask_photo`` False: no photo asked for after it (a return that follows offers one once booked);
    ``order_number``: the order the customer's message named (the answer does not ask for it); ``rule``: what chose
    the entry (RULES)."""
    kb = get_knowledge_base()
    entry = kb.entry(faq_id)
    if entry is None:
        return False
    score = next((c.score for c in kb.search(question, k=10) if c.id == faq_id), 0.0) if question else 0.0
    answer_entry(dispatcher, entry.id, entry.title, entry.answer, score, ask_photo, order_number, rule)
    return True


def answer_entry(
    dispatcher: CollectingDispatcher,
    faq_id: str,
    title: str,
    answer: str,
    score: float,
    ask_photo: bool = True,
    order_number: str | None = None,
    rule: str | None = None,
) -> None:
    # the text is for Rasa's tracker; the helpdesk shows the answer's Markdown and its article from the signal
    title, answer = in_language(faq_id, title, answer)
    if order_number is not None:
        answer = without_order_number_asked(answer)  # the customer's message named the order
    dispatcher.utter_message(text=markdown_to_text(answer, paragraph_break="\n"))
    signal_faq(dispatcher, faq_id, score, article=(title, entry_link(faq_id)), markdown=answer, rule=rule)
    if ask_photo:
        ask_after_answer(dispatcher, faq_id)  # a damaged or wrong item: a photo for the team, if the customer wants
