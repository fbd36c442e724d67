"""Revisions of handbook entries published from the editor, when the handbook folder is not a git work tree.

Revision ID: 0011_handbook_revisions
Revises: 0010_person_offers
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011_handbook_revisions"
down_revision: str | None = "0010_person_offers"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "handbook_revisions",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("entry_id", sa.String(100), nullable=False),
        sa.Column("path", sa.String(500), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column(
            "author_id",
            sa.Integer(),
            sa.ForeignKey("agents.id", name="fk_handbook_revisions_author_id_agents"),
            nullable=True,
        ),
        sa.Column("author_name", sa.String(200), nullable=False),
        sa.Column("message", sa.String(500), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_handbook_revisions_entry_id", "handbook_revisions", ["entry_id"])


def downgrade() -> None:
    op.drop_index("ix_handbook_revisions_entry_id", table_name="handbook_revisions")
    op.drop_table("handbook_revisions")
