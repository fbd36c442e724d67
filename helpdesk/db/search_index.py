"""The full-text index over messages that conversation search reads (helpdesk/conversation/search.py), one per
database: SQLite — an FTS5 table with external content (the messages table) kept in step by triggers, so every
stored message is findable at once, whichever process wrote it; PostgreSQL — a GIN index on
to_tsvector('simple', text). Created by migration 0012_labels_search; not in the models (SQLAlchemy has no type
for either), so schema comparisons skip it (`is_search_index`)."""

from __future__ import annotations

from sqlalchemy import Connection, text

FTS_TABLE = "messages_fts"
PG_INDEX = "ix_messages_text_search"
TS_CONFIG = "simple"

SQLITE_CREATE = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(text, content='messages', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 2')",
    f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_ai AFTER INSERT ON messages BEGIN "
    f"INSERT INTO {FTS_TABLE}(rowid, text) VALUES (new.id, new.text); END",
    f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_ad AFTER DELETE ON messages BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, text) VALUES ('delete', old.id, old.text); END",
    f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_au AFTER UPDATE OF text ON messages BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, text) VALUES ('delete', old.id, old.text); "
    f"INSERT INTO {FTS_TABLE}(rowid, text) VALUES (new.id, new.text); END",
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')",  # the messages stored before
)
SQLITE_DROP = (
    f"DROP TRIGGER IF EXISTS {FTS_TABLE}_au",
    f"DROP TRIGGER IF EXISTS {FTS_TABLE}_ad",
    f"DROP TRIGGER IF EXISTS {FTS_TABLE}_ai",
    f"DROP TABLE IF EXISTS {FTS_TABLE}",
)


def create_search_index(connection: Connection) -> None:
    if connection.dialect.name == "sqlite":
        for statement in SQLITE_CREATE:
            connection.execute(text(statement))
    elif connection.dialect.name == "postgresql":
        connection.execute(
            text(f"CREATE INDEX IF NOT EXISTS {PG_INDEX} ON messages USING gin (to_tsvector('{TS_CONFIG}', text))")
        )


def drop_search_index(connection: Connection) -> None:
    if connection.dialect.name == "sqlite":
        for statement in SQLITE_DROP:
            connection.execute(text(statement))
    elif connection.dialect.name == "postgresql":
        connection.execute(text(f"DROP INDEX IF EXISTS {PG_INDEX}"))


def is_search_index(name: str | None) -> bool:
    """Whether a reflected table or index is the search index (FTS5's own shadow tables included)."""
    return bool(name) and (str(name).startswith(FTS_TABLE) or name == PG_INDEX)


def include_object(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
    """For Alembic's schema comparison: everything but the search index (which the models cannot describe)."""
    return not (reflected and compare_to is None and is_search_index(name))
