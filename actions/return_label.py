"""What goes on the parcel, asked while a return is under way.

"what do I stick on the parcel" at a return's summary (lane cust's walk, 2026-12-07): read alone the handbook ranks
pick-up points, tracking and refusing a parcel first, and in the return the bot said it was not sure it could answer.
In a return it asks about the return label and the RMA number: the how-to-return answer, chosen by the words
(actions/handbook_answer.py ``RULE_RETURN_LABEL``), and the return's question comes again. The Chinese
"退回去的时候要贴什么？" was answered from the returns section already (actions/handbook_followup.py
``return_question_answer``); its ways of asking are read here too.
"""

from __future__ import annotations

import re

from helpdesk.knowledge.decision import Candidate
from helpdesk.knowledge.runtime import get_knowledge_base
from nlu_addons.language import simplified

HOW_TO_RETURN_ENTRY = "how-to-return"

# something stuck, written or printed on the parcel ("what do I stick on the parcel", "do i write anything on the
# box", "where do i put the label"), or the label itself asked after ("which label do i use", "how do i print the
# label"); not what it costs (:data:`COST_RE`); in Chinese what goes on it ("要贴什么", "面单贴哪里", "箱子上写什么")
RETURN_LABEL_RE = re.compile(
    r"\b(?:stick|put|attach|tape|glue|paste|write|print|mark)\b[\w\s']{0,25}?\b(?:on|onto|on\s+to)\s+"
    r"(?:the\s+|my\s+|a\s+|this\s+|that\s+|each\s+)?(?:parcel|package|box|packet|envelope|carton)s?\b"
    r"|\b(?:where|how)\s+(?:do|does|should|can)\s+(?:i|we|the)\s+(?:\w+\s+){0,2}label\b|\b(?:which|what)\s+label\b"
    r"|贴(?:什么|啥|哪|在哪)|(?:面单|标签|运单).{0,6}(?:贴|打印|哪)|(?:箱子|盒子|包裹|外箱)上.{0,4}(?:写|贴)",
    re.IGNORECASE,
)
# what the label costs is the return policy's ("how much is the return label", "面单要钱吗"), not what goes on it
COST_RE = re.compile(r"\b(?:cost|costs|price|how\s+much|pay|fee|charge\w*|free)\b|钱|费|免费|收费", re.IGNORECASE)


def asks_about_return_label(text: str) -> bool:
    """The message asks what goes on the parcel (the label, what to write on it): :data:`RETURN_LABEL_RE`."""
    text = simplified(text)
    return RETURN_LABEL_RE.search(text) is not None and COST_RE.search(text) is None


def return_label_answer(question: str) -> Candidate | None:
    """The how-to-return entry as the answer to ``question`` (scored against it as the engine scores it, 0 when it
    is not among the engine's first ten); None when the handbook has no such entry."""
    kb = get_knowledge_base()
    entry = kb.entry(HOW_TO_RETURN_ENTRY)
    if entry is None:
        return None
    score = next((c.score for c in kb.search(question, k=10) if c.id == HOW_TO_RETURN_ENTRY), 0.0)
    return Candidate(entry.id, entry.title, score, entry.answer, entry.path)
