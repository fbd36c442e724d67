"""Labels on conversations, and the full-text index the console's search reads (helpdesk/conversation/search.py):
on SQLite an FTS5 table over the messages kept in step by triggers; on PostgreSQL a GIN index on the messages'
text as a tsvector (the 'simple' configuration: no stemming, so order numbers, names and both languages' words
are found as typed).

Revision ID: 0012_labels_search
Revises: 0010_person_offers
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from helpdesk.db.search_index import create_search_index, drop_search_index

revision: str = "0012_labels_search"
down_revision: str | None = "0011_handbook_revisions"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "labels",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(40), nullable=False),
        sa.Column("colour", sa.String(7), nullable=False),
        sa.Column("created_by", sa.Integer(), sa.ForeignKey("agents.id"), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("name", name="uq_labels_name"),
    )
    op.create_table(
        "conversation_labels",
        sa.Column("conversation_id", sa.String(64), sa.ForeignKey("conversations.id"), primary_key=True),
        sa.Column("label_id", sa.Integer(), sa.ForeignKey("labels.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("added_by", sa.Integer(), sa.ForeignKey("agents.id"), nullable=True),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_conversation_labels_label_id", "conversation_labels", ["label_id"])
    create_search_index(op.get_bind())


def downgrade() -> None:
    drop_search_index(op.get_bind())
    op.drop_index("ix_conversation_labels_label_id", table_name="conversation_labels")
    op.drop_table("conversation_labels")
    op.drop_table("labels")
