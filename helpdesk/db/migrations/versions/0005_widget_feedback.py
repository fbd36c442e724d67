"""The widget's "Did this help?" on bot answers (asked, the verdict, when), and agents' avatars.

Revision ID: 0005_widget_feedback
Revises: 0004_followups
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_widget_feedback"
down_revision: str | None = "0004_followups"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("messages") as batch:
        batch.add_column(sa.Column("asks_feedback", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("helpful", sa.Boolean(), nullable=True))
        batch.add_column(sa.Column("feedback_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("agents") as batch:
        batch.add_column(sa.Column("avatar_url", sa.String(500), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("agents") as batch:
        batch.drop_column("avatar_url")
    with op.batch_alter_table("messages") as batch:
        batch.drop_column("feedback_at")
        batch.drop_column("helpful")
        batch.drop_column("asks_feedback")
