"""The help centre's votes in the database (SQLite and PostgreSQL): one per reader and article, changeable, summed
per article for the editors' report, most 👎 first, within the report's days."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, update
from support.helpdesks import postgres_database

from helpdesk.db.engine import create_engine, migrate, session_factory
from helpdesk.db.models import ArticleVote
from helpdesk.reports.article_votes import (
    article_votes,
    new_visitor,
    record_vote,
    valid_article,
    valid_visitor,
    vote_of,
)
from helpdesk.reports.periods import DateRange


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with contextlib.ExitStack() as cleanup:
        if request.param == "sqlite":
            url = f"sqlite:///{tmp_path_factory.mktemp('votes') / 'votes.db'}"
        else:
            url = cleanup.enter_context(postgres_database("helpdesk_votes"))
        migrate(url)
        yield url


async def scenario(url: str) -> None:
    engine = create_engine(url)
    try:
        sessions = session_factory(engine)
        ann, bob, cy = new_visitor(), new_visitor(), new_visitor()
        async with sessions() as s:
            await record_vote(s, "gift-cards", ann, False)
            await record_vote(s, "gift-cards", bob, False)
            await record_vote(s, "gift-cards", cy, True)
            await record_vote(s, "free-shipping", ann, True)
            await record_vote(s, "free-shipping", ann, False)  # changed her mind: still one vote
            await record_vote(s, "free-shipping", ann, True)
            assert await vote_of(s, "free-shipping", ann) is True
            assert await vote_of(s, "free-shipping", bob) is None
            assert await vote_of(s, "free-shipping", None) is None
            assert await s.scalar(select(func.count()).select_from(ArticleVote)) == 4
            # an old vote falls outside the report's days
            old = datetime.now(UTC) - timedelta(days=40)
            await record_vote(s, "refund-policy", bob, False)
            await s.execute(update(ArticleVote).where(ArticleVote.faq_id == "refund-policy").values(updated_at=old))
            await s.commit()
            tallies = await article_votes(s, DateRange.parse(None, None, "Europe/Amsterdam", default_days=30))
        assert [t.to_json() for t in tallies] == [
            {"faq_id": "gift-cards", "helpful": 1, "not_helpful": 2},
            {"faq_id": "free-shipping", "helpful": 1, "not_helpful": 0},
        ]
    finally:
        await engine.dispose()


def test_votes_are_one_per_reader_and_summed_per_article(database: str) -> None:
    asyncio.run(scenario(database))


def test_reader_ids_and_article_ids_are_checked() -> None:
    assert valid_visitor(new_visitor()) is not None
    for bad in (None, "", "short", "x" * 65, "has spaces in it and more than enough", "<script>alert(1)</script>xxxx"):
        assert valid_visitor(bad) is None
    assert valid_article("gift-cards")
    assert not valid_article("../etc/passwd") and not valid_article("Gift Cards") and not valid_article("a" * 101)
