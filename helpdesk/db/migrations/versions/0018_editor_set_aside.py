"""Unanswered questions an editor dismissed or marked "won't fix" (the unanswered-questions report).

Revision ID: 0018_editor_set_aside
Revises: 0017_mail_photo_requests
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018_editor_set_aside"
down_revision: str | None = "0017_mail_photo_requests"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "unanswered_set_aside",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("question_key", sa.String(500), nullable=False),
        sa.Column("text", sa.String(2000), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column(
            "agent_id",
            sa.Integer(),
            sa.ForeignKey("agents.id", name="fk_unanswered_set_aside_agent_id_agents"),
            nullable=True,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("uq_unanswered_set_aside_question_key", "unanswered_set_aside", ["question_key"], unique=True)


def downgrade() -> None:
    op.drop_index("uq_unanswered_set_aside_question_key", table_name="unanswered_set_aside")
    op.drop_table("unanswered_set_aside")
