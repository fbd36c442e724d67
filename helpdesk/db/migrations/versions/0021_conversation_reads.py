"""How far each agent has read each conversation in the console (conversation_reads): the chat cards' unread counts
survive a reload and are the same in every console of the agent.

Revision ID: 0021_conversation_reads
Revises: 0020_canned_starter_language
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021_conversation_reads"
down_revision: str | None = "0020_canned_starter_language"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "conversation_reads",
        sa.Column(
            "agent_id",
            sa.Integer(),
            sa.ForeignKey("agents.id", name="fk_conversation_reads_agent_id_agents"),
            primary_key=True,
        ),
        sa.Column(
            "conversation_id",
            sa.String(64),
            sa.ForeignKey("conversations.id", name="fk_conversation_reads_conversation_id_conversations"),
            primary_key=True,
        ),
        sa.Column("seen_message_id", sa.Integer(), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_conversation_reads_conversation_id", "conversation_reads", ["conversation_id"])


def downgrade() -> None:
    op.drop_index("ix_conversation_reads_conversation_id", table_name="conversation_reads")
    op.drop_table("conversation_reads")
