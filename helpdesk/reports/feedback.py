"""The customers' verdicts on the bot's answers (👍 / 👎 in the widget), exported for the evaluation sets.

One row per verdict, for the period the verdict was given in: the customer's message the answer replied to
(masked as the unanswered-questions report masks it), the handbook entry the answer came from (null for any
other answer, e.g. a flow the bot started), the intent the bot read in the message, the verdict and when.

    python -m helpdesk feedback export [--from DATE] [--to DATE] [--tz ZONE] [--out FILE]   (JSON Lines)
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from helpdesk.db.models import Message, iso
from helpdesk.reports.periods import DateRange
from helpdesk.reports.unanswered import mask
from helpdesk.vocabulary import SENDER_BOT, SENDER_CUSTOMER

HELPFUL, NOT_HELPFUL = "helpful", "not_helpful"
DEFAULT_DAYS = 30


async def feedback_rows(session: AsyncSession, period: DateRange) -> list[dict[str, Any]]:
    """Every verdict given in the period, oldest first: {text, answer_faq_id, intent, verdict, at}."""
    question = aliased(Message)
    asked = (
        select(question.id)
        .where(
            question.conversation_id == Message.conversation_id,
            question.sender == SENDER_CUSTOMER,
            question.id < Message.id,
        )
        .order_by(question.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    customer = aliased(Message)
    rows = await session.execute(
        select(Message, customer)
        .join(customer, customer.id == asked)
        .where(
            Message.sender == SENDER_BOT,
            Message.helpful.is_not(None),
            Message.feedback_at >= period.start,
            Message.feedback_at < period.end,
        )
        .order_by(Message.feedback_at, Message.id)
    )
    found = []
    for answer, asked_message in rows.all():
        faq = answer.faq if isinstance(answer.faq, dict) else {}
        nlu = asked_message.nlu if isinstance(asked_message.nlu, dict) else {}
        found.append(
            {
                "text": mask(asked_message.text),
                "answer_faq_id": faq.get("id"),
                "intent": nlu.get("intent"),
                "verdict": HELPFUL if answer.helpful else NOT_HELPFUL,
                "at": iso(answer.feedback_at),
            }
        )
    return found
