"""Follow-up tasks after a low rating or an unresolved agent episode, with their comments.

Revision ID: 0004_followups
Revises: 0003_offline_messages
Create Date: 2026-11-28
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_followups"
down_revision: str | None = "0003_offline_messages"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TZ = sa.DateTime(timezone=True)


def _fk(table: str, column: str, target: str, ondelete: str | None = None) -> sa.ForeignKey:
    return sa.ForeignKey(f"{target}.id", name=f"fk_{table}_{column}_{target}", ondelete=ondelete)


def upgrade() -> None:
    op.create_table(
        "follow_ups",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column(
            "conversation_id", sa.String(64), _fk("follow_ups", "conversation_id", "conversations"), nullable=False
        ),
        sa.Column("handoff_id", sa.Integer(), _fk("follow_ups", "handoff_id", "handoffs"), nullable=True),
        sa.Column("reason", sa.String(32), nullable=False),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("assignee_id", sa.Integer(), _fk("follow_ups", "assignee_id", "agents"), nullable=True),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("done_at", TZ, nullable=True),
        sa.Column("done_by", sa.Integer(), _fk("follow_ups", "done_by", "agents"), nullable=True),
    )
    op.create_index("ix_follow_ups_conversation_id", "follow_ups", ["conversation_id"])
    op.create_index("ix_follow_ups_status", "follow_ups", ["status"])
    op.create_index("ix_follow_ups_assignee_id", "follow_ups", ["assignee_id"])
    op.create_index("ix_follow_ups_episode", "follow_ups", ["conversation_id", "handoff_id"], unique=True)
    op.create_table(
        "follow_up_comments",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column(
            "follow_up_id",
            sa.Integer(),
            _fk("follow_up_comments", "follow_up_id", "follow_ups", "CASCADE"),
            nullable=False,
        ),
        sa.Column("agent_id", sa.Integer(), _fk("follow_up_comments", "agent_id", "agents"), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
    )
    op.create_index("ix_follow_up_comments_follow_up_id", "follow_up_comments", ["follow_up_id"])


def downgrade() -> None:
    op.drop_index("ix_follow_up_comments_follow_up_id", table_name="follow_up_comments")
    op.drop_table("follow_up_comments")
    op.drop_index("ix_follow_ups_episode", table_name="follow_ups")
    op.drop_index("ix_follow_ups_assignee_id", table_name="follow_ups")
    op.drop_index("ix_follow_ups_status", table_name="follow_ups")
    op.drop_index("ix_follow_ups_conversation_id", table_name="follow_ups")
    op.drop_table("follow_ups")
