"""The help centre's "Was this helpful?" votes on articles (one per reader and article).

Revision ID: 0009_help_votes
Revises: 0008_desk_orders
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_help_votes"
down_revision: str | None = "0008_desk_orders"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "article_votes",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("faq_id", sa.String(100), nullable=False),
        sa.Column("visitor", sa.String(64), nullable=False),
        sa.Column("helpful", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("uq_article_votes_faq_id_visitor", "article_votes", ["faq_id", "visitor"], unique=True)
    op.create_index("ix_article_votes_updated_at", "article_votes", ["updated_at"])


def downgrade() -> None:
    op.drop_index("ix_article_votes_updated_at", table_name="article_votes")
    op.drop_index("uq_article_votes_faq_id_visitor", table_name="article_votes")
    op.drop_table("article_votes")
