"""Bot messages that offered a person as a choice (no good answer): why, for the editors' unanswered questions.

Revision ID: 0010_person_offers
Revises: 0009_help_votes
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_person_offers"
down_revision: str | None = "0009_help_votes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("messages") as batch:
        batch.add_column(sa.Column("offered_person", sa.String(32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("messages") as batch:
        batch.drop_column("offered_person")
