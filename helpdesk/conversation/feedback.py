"""Did this help? 👍 👎 on the bot's answers: which reply of a turn asks it, and the customer's verdict, stored
with the message once.

A turn's **answer** is its handbook answer if it has one, otherwise its last reply, unless that reply offers
buttons (the customer is choosing: "Did you mean", Yes/No), asks the customer for something (the order form's
questions, which the actions signal: "What's the order number?", "what's the e-mail address for order 100234?"),
the turn handed the conversation to a person or the helpdesk refused the handoff it asked for (its notice: "several
requests for a person from your connection" is no answer to judge), the customer's message was small talk (hello,
thanks, bye; also when the NLU was unsure and the actions closed the chat anyway, "nvm then. thx": they mark that reply
small talk), or it went on with a flow (an order number or e-mail given when asked, yes/no) and the reply ends with
a question. So the order's status at the end of a flow is an answer and "What's the order number?" is not, even right
after "what is your refund policy?" (a question asking the customer something is not an answer they can judge; they
say "no, I meant the policy" instead). The 👎 reaches the unanswered-questions report and the evaluation export
(helpdesk/reports/feedback.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from helpdesk.db.models import Message, utcnow
from helpdesk.errors import Conflict, NotFound
from helpdesk.vocabulary import SENDER_BOT

# domain.yml's intents: small talk gets no "Did this help?"; within a flow, only a reply that is not a question
SMALL_TALK = frozenset({"greet", "goodbye", "thank", "bot_challenge", "chitchat", "vague_opener"})
IN_FLOW = frozenset({"inform", "affirm", "deny"})
QUESTION_MARKS = ("?", "？")


class AnswerNotFound(NotFound):
    def __init__(self) -> None:
        super().__init__("no such bot answer in this conversation")


class FeedbackRefused(Conflict):
    """The message does not ask for feedback, or the customer gave theirs already."""


def answer_index(replies: Sequence[dict[str, Any]], handed_off: bool, intent: str | None) -> int | None:
    """Which of a bot turn's replies (in order) asks "Did this help?", if any (the module docstring); `intent` is
    what the bot read in the customer's message."""
    for index, reply in enumerate(replies):
        if reply.get("faq"):
            return index
    if handed_off or intent in SMALL_TALK or not replies:
        return None
    last = replies[-1]
    if last.get("buttons") or last.get("question") or last.get("small_talk") or last.get("notice"):
        return None
    if intent in IN_FLOW and str(last.get("text", "")).rstrip().endswith(QUESTION_MARKS):
        return None
    return len(replies) - 1


async def record(session: AsyncSession, conversation_id: str, message_id: int, helpful: bool) -> Message:
    """Store the verdict on the answer (the caller commits). Settled in the database: of two votes at once, one
    is stored and the other refused."""
    message = await session.scalar(
        select(Message).where(
            Message.id == message_id, Message.conversation_id == conversation_id, Message.sender == SENDER_BOT
        )
    )
    if message is None:
        raise AnswerNotFound()
    if not message.asks_feedback:
        raise FeedbackRefused("this message does not ask whether it helped")
    stored = await session.execute(
        update(Message)
        .where(Message.id == message_id, Message.helpful.is_(None))
        .values(helpful=helpful, feedback_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if getattr(stored, "rowcount", 0) != 1:
        raise FeedbackRefused("you have already said whether this answer helped")
    await session.refresh(message)
    return message
