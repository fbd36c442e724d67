"""The help centre's "Was this helpful? 👍 👎" on articles: stored once per reader and article (a reader who
changes their mind changes their vote), and summed per article for the editors' unanswered report, beside the
widget's 👎 on bot answers."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from helpdesk.db.models import ArticleVote, utcnow
from helpdesk.knowledge.handbook import ID_PATTERN
from helpdesk.reports.periods import DateRange

VISITOR_PATTERN = re.compile(r"^[A-Za-z0-9_-]{22,64}$")
MAX_ARTICLES = 50  # rows in the report


def new_visitor() -> str:
    """A random, unguessable reader id (kept in a cookie; never tied to a person)."""
    return secrets.token_urlsafe(24)


def valid_visitor(value: str | None) -> str | None:
    return value if value and VISITOR_PATTERN.match(value) else None


def valid_article(faq_id: str) -> bool:
    return len(faq_id) <= 100 and bool(ID_PATTERN.match(faq_id))


async def record_vote(session: AsyncSession, faq_id: str, visitor: str, helpful: bool) -> ArticleVote:
    """Store the reader's vote on the article (their earlier vote there is replaced)."""
    for _attempt in range(2):  # two tabs voting at once: the second insert finds the first and updates it
        vote = await session.scalar(
            select(ArticleVote).where(ArticleVote.faq_id == faq_id, ArticleVote.visitor == visitor)
        )
        if vote is None:
            vote = ArticleVote(faq_id=faq_id, visitor=visitor, helpful=helpful)
            session.add(vote)
        else:
            vote.helpful, vote.updated_at = helpful, utcnow()
        try:
            await session.commit()
            return vote
        except IntegrityError:
            await session.rollback()
    raise RuntimeError("the vote could not be stored")  # pragma: no cover - a third concurrent vote


async def vote_of(session: AsyncSession, faq_id: str, visitor: str | None) -> bool | None:
    """The reader's current vote on the article, None if they have not voted."""
    if visitor is None:
        return None
    return await session.scalar(
        select(ArticleVote.helpful).where(ArticleVote.faq_id == faq_id, ArticleVote.visitor == visitor)
    )


@dataclass(frozen=True)
class ArticleTally:
    faq_id: str
    helpful: int
    not_helpful: int

    def to_json(self) -> dict[str, Any]:
        return {"faq_id": self.faq_id, "helpful": self.helpful, "not_helpful": self.not_helpful}


async def article_votes(session: AsyncSession, period: DateRange) -> list[ArticleTally]:
    """Per article voted on in the period (by the vote's latest change): 👍 and 👎, the most 👎 first."""
    down = func.sum(case((ArticleVote.helpful.is_(False), 1), else_=0))
    up = func.sum(case((ArticleVote.helpful.is_(True), 1), else_=0))
    rows = await session.execute(
        select(ArticleVote.faq_id, up, down)
        .where(ArticleVote.updated_at >= period.start, ArticleVote.updated_at < period.end)
        .group_by(ArticleVote.faq_id)
        .order_by(down.desc(), up.asc(), ArticleVote.faq_id)
        .limit(MAX_ARTICLES)
    )
    return [ArticleTally(str(faq_id), int(helpful or 0), int(unhelpful or 0)) for faq_id, helpful, unhelpful in rows]
