"""The handbook editor: changes handed to a supervisor (handbook_requests) and out-of-scope held-out questions an
entry now covers (held_out_retired).

Revision ID: 0019_editor_handover
Revises: 0018_editor_set_aside
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019_editor_handover"
down_revision: str | None = "0018_editor_set_aside"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _agent(column: str, table: str) -> sa.Column[int]:
    return sa.Column(
        column, sa.Integer(), sa.ForeignKey("agents.id", name=f"fk_{table}_{column}_agents"), nullable=True
    )


def upgrade() -> None:
    op.create_table(
        "handbook_requests",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("entry_id", sa.String(100), nullable=False),
        sa.Column("entry", sa.JSON(), nullable=True),
        sa.Column("base_revision", sa.String(128), nullable=True),
        sa.Column("message", sa.String(500), nullable=False),
        sa.Column("held_out", sa.JSON(), nullable=True),
        sa.Column("state", sa.String(16), nullable=False),
        _agent("asked_by_id", "handbook_requests"),
        sa.Column("asked_by_name", sa.String(200), nullable=False),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=False),
        _agent("decided_by_id", "handbook_requests"),
        sa.Column("decided_by_name", sa.String(200), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("note", sa.String(500), nullable=False),
        sa.Column("revision", sa.String(128), nullable=True),
    )
    op.create_index("ix_handbook_requests_entry_id", "handbook_requests", ["entry_id"])
    op.create_index("ix_handbook_requests_state", "handbook_requests", ["state"])
    op.create_table(
        "held_out_retired",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("set_name", sa.String(32), nullable=False),
        sa.Column("query", sa.String(500), nullable=False),
        sa.Column("entry_id", sa.String(100), nullable=False),
        _agent("agent_id", "held_out_retired"),
        sa.Column("agent_name", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("uq_held_out_retired_set_name_query", "held_out_retired", ["set_name", "query"], unique=True)


def downgrade() -> None:
    op.drop_index("uq_held_out_retired_set_name_query", table_name="held_out_retired")
    op.drop_table("held_out_retired")
    op.drop_index("ix_handbook_requests_state", table_name="handbook_requests")
    op.drop_index("ix_handbook_requests_entry_id", table_name="handbook_requests")
    op.drop_table("handbook_requests")
