"""The full-text index over messages that conversation search reads (helpdesk/conversation/search.py), one per
database: SQLite — an FTS5 table with external content (the messages table) kept in step by triggers, so every
stored message is findable at once, whichever process wrote it, and one over each conversation's customer (name,
e-mail, order number from the bot's slots or a left message), also kept by triggers; PostgreSQL — GIN indexes on
to_tsvector('simple', …) of the same. Created by migration 0012_labels_search; not in the models (SQLAlchemy has no type
for either), so schema comparisons skip it (`is_search_index`)."""

from __future__ import annotations

from sqlalchemy import Connection, text

FTS_TABLE = "messages_fts"
CONTACT_FTS = "conversations_fts"  # the customer as the bot or a left message knew them: name, e-mail, order
PG_INDEX = "ix_messages_text_search"
PG_CONTACT_INDEX = "ix_conversations_contact_search"
TS_CONFIG = "simple"
CONTACT_FIELDS = (("slots", "customer_name"), ("slots", "customer_email"), ("slots", "email"), ("slots", "order_id"),
                  ("slots", "verified_order"), ("offline_contact", "name"), ("offline_contact", "email"))  # fmt: skip


def sqlite_contact(row: str) -> str:
    """The customer's searchable words of a conversations row (`new`, `old` or a table alias) in SQLite."""
    parts = [f"coalesce(json_extract({row}.{column}, '$.{key}'), '')" for column, key in CONTACT_FIELDS]
    return " || ' ' || ".join(parts)


# PostgreSQL: the same words; the search must use this very expression for the index to serve it
PG_CONTACT = " || ' ' || ".join(f"coalesce({column} ->> '{key}', '')" for column, key in CONTACT_FIELDS)
PG_CONTACT_VECTOR = f"to_tsvector('{TS_CONFIG}', {PG_CONTACT})"
PG_MESSAGE_VECTOR = f"to_tsvector('{TS_CONFIG}', text)"

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
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {CONTACT_FTS} USING fts5(contact, tokenize='unicode61 remove_diacritics 2')",
    f"CREATE TRIGGER IF NOT EXISTS {CONTACT_FTS}_ai AFTER INSERT ON conversations BEGIN "
    f"INSERT INTO {CONTACT_FTS}(rowid, contact) VALUES (new.rowid, {sqlite_contact('new')}); END",
    f"CREATE TRIGGER IF NOT EXISTS {CONTACT_FTS}_ad AFTER DELETE ON conversations BEGIN "
    f"DELETE FROM {CONTACT_FTS} WHERE rowid = old.rowid; END",
    f"CREATE TRIGGER IF NOT EXISTS {CONTACT_FTS}_au AFTER UPDATE OF slots, offline_contact ON conversations BEGIN "
    f"DELETE FROM {CONTACT_FTS} WHERE rowid = old.rowid; "
    f"INSERT INTO {CONTACT_FTS}(rowid, contact) VALUES (new.rowid, {sqlite_contact('new')}); END",
    f"INSERT INTO {CONTACT_FTS}(rowid, contact) SELECT rowid, {sqlite_contact('conversations')} FROM conversations",
)
SQLITE_DROP = (
    f"DROP TRIGGER IF EXISTS {CONTACT_FTS}_au",
    f"DROP TRIGGER IF EXISTS {CONTACT_FTS}_ad",
    f"DROP TRIGGER IF EXISTS {CONTACT_FTS}_ai",
    f"DROP TABLE IF EXISTS {CONTACT_FTS}",
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
        connection.execute(text(f"CREATE INDEX IF NOT EXISTS {PG_INDEX} ON messages USING gin ({PG_MESSAGE_VECTOR})"))
        connection.execute(
            text(f"CREATE INDEX IF NOT EXISTS {PG_CONTACT_INDEX} ON conversations USING gin ({PG_CONTACT_VECTOR})")
        )


def drop_search_index(connection: Connection) -> None:
    if connection.dialect.name == "sqlite":
        for statement in SQLITE_DROP:
            connection.execute(text(statement))
    elif connection.dialect.name == "postgresql":
        connection.execute(text(f"DROP INDEX IF EXISTS {PG_INDEX}"))
        connection.execute(text(f"DROP INDEX IF EXISTS {PG_CONTACT_INDEX}"))


def is_search_index(name: str | None) -> bool:
    """Whether a reflected table or index is the search index (FTS5's own shadow tables included)."""
    return bool(name) and (str(name).startswith((FTS_TABLE, CONTACT_FTS)) or name in (PG_INDEX, PG_CONTACT_INDEX))


def include_object(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
    """For Alembic's schema comparison: everything but the search index (which the models cannot describe)."""
    return not (reflected and compare_to is None and is_search_index(name))
