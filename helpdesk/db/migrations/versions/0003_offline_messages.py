"""Messages left out of business hours: when the customer left one, and their contact details.

Revision ID: 0003_offline_messages
Revises: 0002
Create Date: 2026-11-28
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_offline_messages"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("conversations") as batch:
        batch.add_column(sa.Column("left_message_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("offline_contact", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("conversations") as batch:
        batch.drop_column("offline_contact")
        batch.drop_column("left_message_at")
