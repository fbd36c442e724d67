"""The agent side: agents, sessions, assignments, notes, ratings, canned replies; queue and context columns.

Revision ID: 0002
Revises: 0001
Create Date: 2025-01-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TZ = sa.DateTime(timezone=True)


def _fk(table: str, column: str, target: str, ondelete: str | None = None) -> sa.ForeignKey:
    return sa.ForeignKey(f"{target}.id", name=f"fk_{table}_{column}_{target}", ondelete=ondelete)


def upgrade() -> None:
    op.create_table(
        "agents",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("display_name", sa.String(100), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("team", sa.String(64), nullable=True),
        sa.Column("max_concurrent", sa.Integer(), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.UniqueConstraint("username", name="uq_agents_username"),
    )
    op.create_table(
        "agent_sessions",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("agent_id", sa.Integer(), _fk("agent_sessions", "agent_id", "agents", "CASCADE"), nullable=False),
        sa.Column("csrf_token", sa.String(64), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("expires_at", TZ, nullable=False),
    )
    op.create_index("ix_agent_sessions_agent_id", "agent_sessions", ["agent_id"])
    op.create_table(
        "assignments",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column(
            "conversation_id", sa.String(64), _fk("assignments", "conversation_id", "conversations"), nullable=False
        ),
        sa.Column("agent_id", sa.Integer(), _fk("assignments", "agent_id", "agents"), nullable=False),
        sa.Column("assigned_at", TZ, nullable=False),
        sa.Column("ended_at", TZ, nullable=True),
        sa.Column("end_reason", sa.String(16), nullable=True),
    )
    op.create_index("ix_assignments_conversation_id", "assignments", ["conversation_id"])
    op.create_index("ix_assignments_agent_id", "assignments", ["agent_id"])
    op.create_table(
        "notes",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("conversation_id", sa.String(64), _fk("notes", "conversation_id", "conversations"), nullable=False),
        sa.Column("agent_id", sa.Integer(), _fk("notes", "agent_id", "agents"), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
    )
    op.create_index("ix_notes_conversation_id", "notes", ["conversation_id"])
    op.create_table(
        "ratings",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("conversation_id", sa.String(64), _fk("ratings", "conversation_id", "conversations"), nullable=False),
        sa.Column("assignment_id", sa.Integer(), _fk("ratings", "assignment_id", "assignments"), nullable=True),
        sa.Column("agent_id", sa.Integer(), _fk("ratings", "agent_id", "agents"), nullable=True),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("created_at", TZ, nullable=False),
        sa.UniqueConstraint("assignment_id", name="uq_ratings_assignment_id"),
    )
    op.create_index("ix_ratings_conversation_id", "ratings", ["conversation_id"])
    op.create_table(
        "canned_replies",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("title", sa.String(100), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("updated_by", sa.Integer(), _fk("canned_replies", "updated_by", "agents"), nullable=True),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
    )

    with op.batch_alter_table("conversations") as batch:
        batch.add_column(sa.Column("customer_tier", sa.String(16), nullable=False, server_default="standard"))
        batch.add_column(sa.Column("queued_at", TZ, nullable=True))
        batch.add_column(sa.Column("assigned_agent_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("team", sa.String(64), nullable=True))
        batch.add_column(sa.Column("slots", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("closed_at", TZ, nullable=True))
        batch.create_foreign_key("fk_conversations_assigned_agent_id_agents", "agents", ["assigned_agent_id"], ["id"])
        batch.create_index("ix_conversations_assigned_agent_id", ["assigned_agent_id"])
    with op.batch_alter_table("messages") as batch:
        batch.add_column(sa.Column("faq_candidates", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("agent_id", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_messages_agent_id_agents", "agents", ["agent_id"], ["id"])

    # conversations already waiting keep their place: queued since their latest handoff
    op.execute(
        "UPDATE conversations SET queued_at = (SELECT MAX(h.created_at) FROM handoffs h "
        "WHERE h.conversation_id = conversations.id) WHERE mode = 'queued'"
    )
    op.execute("UPDATE conversations SET queued_at = updated_at WHERE mode = 'queued' AND queued_at IS NULL")


def downgrade() -> None:
    with op.batch_alter_table("messages") as batch:
        batch.drop_constraint("fk_messages_agent_id_agents", type_="foreignkey")
        batch.drop_column("agent_id")
        batch.drop_column("faq_candidates")
    with op.batch_alter_table("conversations") as batch:
        batch.drop_index("ix_conversations_assigned_agent_id")
        batch.drop_constraint("fk_conversations_assigned_agent_id_agents", type_="foreignkey")
        for column in ("closed_at", "slots", "team", "assigned_agent_id", "queued_at", "customer_tier"):
            batch.drop_column(column)
    for table in ("canned_replies", "ratings", "notes", "assignments", "agent_sessions", "agents"):
        op.drop_table(table)
