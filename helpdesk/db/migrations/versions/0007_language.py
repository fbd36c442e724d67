"""The language of each customer message and of each conversation (en | zh; issue 18.1).

Revision ID: 0007_language
Revises: 0006_canned_authors
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_language"
down_revision: str | None = "0006_canned_authors"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("messages") as batch:
        batch.add_column(sa.Column("language", sa.String(8), nullable=True))
    with op.batch_alter_table("conversations") as batch:
        batch.add_column(sa.Column("language", sa.String(8), nullable=True))
        batch.create_index("ix_conversations_language", ["language"])


def downgrade() -> None:
    with op.batch_alter_table("conversations") as batch:
        batch.drop_index("ix_conversations_language")
        batch.drop_column("language")
    with op.batch_alter_table("messages") as batch:
        batch.drop_column("language")
