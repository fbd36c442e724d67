"""Who wrote each canned reply: only its author, supervisors and admins may change or delete it.

Revision ID: 0006_canned_authors
Revises: 0005_widget_feedback
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_canned_authors"
down_revision: str | None = "0005_widget_feedback"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("canned_replies") as batch:
        batch.add_column(sa.Column("created_by", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_canned_replies_created_by", "agents", ["created_by"], ["id"])
    # the replies written before: their last editor is the best guess of their author
    op.execute("UPDATE canned_replies SET created_by = updated_by")


def downgrade() -> None:
    with op.batch_alter_table("canned_replies") as batch:
        batch.drop_constraint("fk_canned_replies_created_by", type_="foreignkey")
        batch.drop_column("created_by")
