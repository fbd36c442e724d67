"""Each staff member's console language (en | zh), and the language of each canned reply (NULL: any).

Revision ID: 0016_staff_language
Revises: 0010_person_offers
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016_staff_language"
down_revision: str | None = "0015_corrections"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("agents") as batch:
        batch.add_column(sa.Column("language", sa.String(8), nullable=False, server_default="en"))
    with op.batch_alter_table("canned_replies") as batch:
        batch.add_column(sa.Column("language", sa.String(8), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("canned_replies") as batch:
        batch.drop_column("language")
    with op.batch_alter_table("agents") as batch:
        batch.drop_column("language")
