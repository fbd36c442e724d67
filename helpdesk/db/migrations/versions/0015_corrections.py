"""Agents' corrections of the bot's reading of a customer turn, and their review (issue 17, item 4).

Revision ID: 0015_corrections
Revises: 0010_person_offers
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015_corrections"
down_revision: str | None = "0014_outbox_attachments"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TZ = sa.DateTime(timezone=True)


def _fk(column: str, target: str, ondelete: str | None = None) -> sa.ForeignKey:
    return sa.ForeignKey(f"{target}.id", name=f"fk_corrections_{column}_{target}", ondelete=ondelete)


def upgrade() -> None:
    op.create_table(
        "corrections",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("message_id", sa.Integer(), _fk("message_id", "messages", "CASCADE"), nullable=False),
        sa.Column("conversation_id", sa.String(64), _fk("conversation_id", "conversations", "CASCADE"), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("label", sa.String(100), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("agent_id", sa.Integer(), _fk("agent_id", "agents"), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("status", sa.String(16), nullable=False, server_default="pending"),
        sa.Column("reviewer_id", sa.Integer(), _fk("reviewer_id", "agents"), nullable=True),
        sa.Column("reviewed_at", TZ, nullable=True),
    )
    op.create_index("uq_corrections_message_id", "corrections", ["message_id"], unique=True)
    op.create_index("ix_corrections_conversation_id", "corrections", ["conversation_id"])
    op.create_index("ix_corrections_status", "corrections", ["status"])


def downgrade() -> None:
    op.drop_index("ix_corrections_status", table_name="corrections")
    op.drop_index("ix_corrections_conversation_id", table_name="corrections")
    op.drop_index("uq_corrections_message_id", table_name="corrections")
    op.drop_table("corrections")
