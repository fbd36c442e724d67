"""A file sent in answer to the bot's request for a photo (returns, damaged or wrong item): what for, and which order.

Revision ID: 0017_mail_photo_requests
Revises: 0016_staff_language
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017_mail_photo_requests"
down_revision: str | None = "0016_staff_language"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("attachments") as batch:
        batch.add_column(sa.Column("purpose", sa.String(16), nullable=True))
        batch.add_column(sa.Column("order_number", sa.String(32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("attachments") as batch:
        batch.drop_column("order_number")
        batch.drop_column("purpose")
