"""A handbook question that names the subject of the answer just given with a pronoun: "do you sell gift cards?"
(answered), then "can i pay with them for sale items". Read alone, the question has no subject and the NLU is unsure
(it offered payment methods, final-sale returns and bulk orders); read with the answer's subject in place of the
pronoun ("can i pay with gift cards for sale items") it is a question the handbook answers. Only when the NLU was
unsure, only in English (Chinese drops the pronoun), and only a sure answer of the FAQ engine's own gate counts."""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Tracker

from actions.turns import bot_messages_before_latest
from helpdesk.knowledge import language_search
from helpdesk.knowledge.decision import Candidate
from helpdesk.knowledge.runtime import get_knowledge_base
from nlu_addons.language import language_of

# the subject named by a pronoun: "pay with them", "are they valid", "redeem it online" ("is it possible" is no
# subject: "it" only after a verb or preposition that takes the thing)
PRONOUN_RE = re.compile(
    r"\b(?:them|they|those|these)\b|\b((?:with|for|on|use|using|buy|redeem|exchange|combine)\s+)it\b", re.IGNORECASE
)


def last_answer_entry(tracker: Tracker) -> str | None:
    """The handbook entry the bot answered the customer's previous message with, if it did."""
    for event in bot_messages_before_latest(tracker):
        custom: Any = (event.get("data") or {}).get("custom") or {}
        faq = custom.get("faq") if isinstance(custom, dict) else None
        if isinstance(faq, dict) and faq.get("id"):
            return str(faq["id"])
    return None


def answer_about_last_answer(tracker: Tracker, question: str) -> Candidate | None:
    """The handbook's sure answer to `question` with the last answer's subject (its entry's first tag: "gift cards")
    in place of the pronoun; None when the question has no such pronoun, no answer came before, or the engine is not
    sure."""
    if language_of(question) != "en" or not PRONOUN_RE.search(question):
        return None
    entry_id = last_answer_entry(tracker)
    kb = get_knowledge_base()
    entry = kb.entry(entry_id) if entry_id else None
    if entry is None or not entry.tags:
        return None
    subject = entry.tags[0].replace("-", " ")
    rewritten = PRONOUN_RE.sub(lambda m: (m.group(1) or "") + subject, question)
    decision = language_search.decide(kb, rewritten)
    return decision.best if decision.action == "answer" else None
