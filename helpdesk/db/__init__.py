"""The helpdesk's database: the SQLAlchemy models (`models`), engine, sessions and migrations (`engine`), and
the Alembic revisions (`migrations/`)."""
