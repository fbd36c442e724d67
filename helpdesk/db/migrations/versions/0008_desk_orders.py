"""The agents' own status (online / away / offline) and when they were last given a chat (automatic assignment's
round robin), and the audit trail of order changes agents make from the console.

Revision ID: 0008_desk_orders
Revises: 0007_language
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_desk_orders"
down_revision: str | None = "0007_language"  # chained after main's head at rebase (was 0005)
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("agents") as batch:
        batch.add_column(sa.Column("status", sa.String(16), nullable=False, server_default="offline"))
        batch.add_column(sa.Column("status_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("last_assigned_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "order_actions",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("conversation_id", sa.String(64), sa.ForeignKey("conversations.id"), nullable=False),
        sa.Column("agent_id", sa.Integer(), sa.ForeignKey("agents.id"), nullable=False),
        sa.Column("order_number", sa.String(16), nullable=False),
        sa.Column("customer_id", sa.String(64), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("request", sa.JSON(), nullable=True),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("message_id", sa.Integer(), sa.ForeignKey("messages.id"), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_order_actions_conversation_id", "order_actions", ["conversation_id"])
    op.create_index("ix_order_actions_order_number", "order_actions", ["order_number"])


def downgrade() -> None:
    op.drop_index("ix_order_actions_order_number", table_name="order_actions")
    op.drop_index("ix_order_actions_conversation_id", table_name="order_actions")
    op.drop_table("order_actions")
    with op.batch_alter_table("agents") as batch:
        batch.drop_column("last_assigned_at")
        batch.drop_column("status_at")
        batch.drop_column("status")
