"""Alembic migrations on SQLite and PostgreSQL: a fresh database, a database made before migrations,
downgrade and upgrade again, and the helpdesk on PostgreSQL serving the agent side."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import psycopg
import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Column, DateTime, ForeignKey, Integer, MetaData, String, Table, Text, create_engine, inspect
from support.accounts import add_agent_accounts
from support.agent import HANDOFF_TEXT, Console, history, say
from support.helpdesks import postgres_database

from helpdesk.db.engine import alembic_config, current_revision, migrate, sync_url
from helpdesk.db.models import Base
from helpdesk.db.search_index import include_object

AGENT_TABLES = {"agents", "agent_sessions", "assignments", "notes", "ratings", "canned_replies"}


def head() -> str:
    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head() or ""


def schema_differences(url: str) -> list:
    engine = create_engine(sync_url(url))
    try:
        with engine.connect() as connection:
            opts = {"compare_type": True, "include_object": include_object}  # the search index: migrations' alone
            return compare_metadata(MigrationContext.configure(connection, opts=opts), Base.metadata)
    finally:
        engine.dispose()


@pytest.fixture()
def postgres_url() -> Iterator[str]:
    with postgres_database("helpdesk_migrate") as url:
        yield url


def test_a_fresh_sqlite_database_is_migrated_to_the_models(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    migrate(url)
    assert current_revision(url) == head()
    assert schema_differences(url) == []
    migrate(url)  # running again changes nothing
    command.downgrade(alembic_config(url), "base")
    engine = create_engine(url)
    assert set(inspect(engine).get_table_names()) == {"alembic_version"}
    engine.dispose()
    migrate(url)
    assert schema_differences(url) == []


@pytest.mark.postgres
def test_a_fresh_postgres_database_is_migrated_to_the_models(postgres_url: str) -> None:
    migrate(postgres_url)
    assert current_revision(postgres_url) == head()
    assert schema_differences(postgres_url) == []
    command.downgrade(alembic_config(postgres_url), "base")
    migrate(postgres_url)
    assert schema_differences(postgres_url) == []


def test_a_database_made_before_migrations_is_upgraded_in_place(tmp_path: Path) -> None:
    """The schema create_all made before Alembic, with a conversation waiting for an agent."""
    url = f"sqlite:///{tmp_path / 'legacy.db'}"
    legacy = MetaData()
    Table(
        "conversations",
        legacy,
        Column("id", String(64), primary_key=True),
        Column("mode", String(16), nullable=False, index=True),
        Column("channel", String(32), nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False),
        Column("updated_at", DateTime(timezone=True), nullable=False),
    )
    Table(
        "messages",
        legacy,
        Column("id", Integer, primary_key=True),
        Column("conversation_id", ForeignKey("conversations.id"), nullable=False, index=True),
        Column("sender", String(16), nullable=False),
        Column("text", Text, nullable=False),
        Column("payload", Text),
        Column("client_id", String(64)),
        Column("buttons", Text),
        Column("nlu", Text),
        Column("faq", Text),
        Column("created_at", DateTime(timezone=True), nullable=False),
    )
    Table(
        "handoffs",
        legacy,
        Column("id", Integer, primary_key=True),
        Column("conversation_id", ForeignKey("conversations.id"), nullable=False, index=True),
        Column("reason", String(32), nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False),
    )
    engine = create_engine(url)
    legacy.create_all(engine)
    with engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO conversations VALUES ('old', 'queued', 'web', '2024-05-01 10:00:00', '2024-05-01 10:00:09')"
        )
        connection.exec_driver_sql(
            "INSERT INTO messages (conversation_id, sender, text, created_at) "
            "VALUES ('old', 'customer', 'I want a person', '2024-05-01 10:00:00')"
        )
        connection.exec_driver_sql(
            "INSERT INTO handoffs (conversation_id, reason, created_at) "
            "VALUES ('old', 'requested', '2024-05-01 10:00:01')"
        )
    migrate(url)
    assert current_revision(url) == head()
    assert set(inspect(engine).get_table_names()) >= AGENT_TABLES
    with engine.connect() as connection:
        row = connection.exec_driver_sql("SELECT mode, customer_tier, queued_at FROM conversations").one()
        kept = connection.exec_driver_sql("SELECT text FROM messages").scalar()
    engine.dispose()
    assert row[0] == "queued" and row[1] == "standard" and str(row[2]).startswith("2024-05-01 10:00:01")
    assert kept == "I want a person"


@pytest.mark.postgres
def test_the_helpdesk_on_postgres_migrates_and_serves_the_agent_side(pg_helpdesk: tuple[str, str]) -> None:
    url, dsn = pg_helpdesk
    assert current_revision(dsn) == head()
    with psycopg.connect(dsn) as db:
        tables = {row[0] for row in db.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")}
    assert AGENT_TABLES | {"conversations", "messages", "handoffs", "alembic_version"} <= tables

    login = add_agent_accounts(dsn, (("pg-agent", "agent", None, 5),))["pg-agent"]
    console = Console(url)
    try:
        with httpx.Client(base_url=url, timeout=30) as client:
            conversation = say(client, HANDOFF_TEXT)["conversation_id"]
            assert console.login(login.username, login.password).status_code == 200
            assert conversation in [c["conversation_id"] for c in console.get("/queue").json()["conversations"]]
            assert console.post(f"/conversations/{conversation}/claim").status_code == 200
            view = console.get(f"/conversations/{conversation}").json()
            assert view["messages"][0]["nlu"]["intent"] == "request_human"
            assert (
                console.post(f"/conversations/{conversation}/messages", {"text": "Hi from Postgres"}).status_code == 201
            )
            assert console.post(f"/conversations/{conversation}/notes", {"text": "pg note"}).status_code == 201
            assert history(client, conversation)["messages"][-1]["text"] == "Hi from Postgres"
            assert console.post(f"/conversations/{conversation}/resolve").status_code == 200
            rated = client.post(f"/api/chat/{conversation}/rating", json={"score": 4})
            assert rated.status_code == 201
    finally:
        console.close()
    with psycopg.connect(dsn) as db:
        score = db.execute("SELECT score FROM ratings WHERE conversation_id = %s", (conversation,)).fetchone()
    assert score == (4,)


def test_starter_canned_replies_seeded_without_a_language_get_theirs(tmp_path: Path) -> None:
    """A database seeded before the starter set said each reply's language (2026-12-02 to 12-04) kept its starters
    with none: a Chinese chat was offered "Anything else?". The migration gives each starter still as shipped its
    language (English and Chinese); a reply an agent wrote, or rewrote whole, keeps none."""
    url = f"sqlite:///{tmp_path / 'seeded.db'}"
    migrate(url, "0019_editor_handover")
    engine = create_engine(url)
    rows = [
        ("anything", "Anything else?", "Is there anything else I can help you with, {{customer.first_name}}?"),
        ("hello", "Greeting", "Hi {{customer.first_name}}, welcome back to Larkspur Home!"),  # its text reworded
        ("zaijian", "结束语（中文）", "感谢您联系 Larkspur Home，祝您生活愉快！"),
        ("chaxun", "正在查询（中文）", "谢谢您，我正在查询订单 {{order.number}}，请稍等一两分钟。"),
        ("bye", "Goodbye for now", "Have a good one!"),  # rewritten whole: the agent's own reply now
        ("thanks", "Thanks", "Thank you!"),  # an agent's own
    ]
    with engine.begin() as connection:
        for shortcut, title, text in rows:
            connection.exec_driver_sql(
                "INSERT INTO canned_replies (shortcut, title, text, language, created_at, updated_at) "
                "VALUES (?, ?, ?, NULL, '2026-12-03 10:00:00', '2026-12-03 10:00:00')",
                (shortcut, title, text),
            )
    migrate(url)
    with engine.connect() as connection:
        languages = dict(connection.exec_driver_sql("SELECT shortcut, language FROM canned_replies").all())
    engine.dispose()
    assert languages == {
        "anything": "en",
        "hello": "en",
        "zaijian": "zh",
        "chaxun": "zh",
        "bye": None,
        "thanks": None,
    }
