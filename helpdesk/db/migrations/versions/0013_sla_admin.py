"""The admins' screens and SLA alerts: an audit trail of every admin change, teams as their own rows, settings
changed in the browser (business hours), canned replies' `/` shortcuts, and SLA breaches per conversation.

Revision ID: 0013_sla_admin
Revises: 0010_person_offers
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013_sla_admin"
down_revision: str | None = "0012_labels_search"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TZ = sa.DateTime(timezone=True)


def _fk(table: str, column: str, target: str, ondelete: str | None = None) -> sa.ForeignKey:
    return sa.ForeignKey(f"{target}.id", name=f"fk_{table}_{column}_{target}", ondelete=ondelete)


def upgrade() -> None:
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("at", TZ, nullable=False),
        sa.Column("actor_id", sa.Integer(), _fk("audit_log", "actor_id", "agents"), nullable=True),
        sa.Column("action", sa.String(48), nullable=False),
        sa.Column("target", sa.String(120), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=True),
    )
    op.create_index("ix_audit_log_at", "audit_log", ["at"])
    op.create_table(
        "teams",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
    )
    op.create_index("uq_teams_name", "teams", ["name"], unique=True)
    op.execute(
        "INSERT INTO teams (name, created_at) "
        "SELECT DISTINCT team, CURRENT_TIMESTAMP FROM agents WHERE team IS NOT NULL"
    )
    op.create_table(
        "helpdesk_settings",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
        sa.Column("updated_by", sa.Integer(), _fk("helpdesk_settings", "updated_by", "agents"), nullable=True),
    )
    with op.batch_alter_table("canned_replies") as batch:
        batch.add_column(sa.Column("shortcut", sa.String(32), nullable=True))
    op.create_table(
        "sla_breaches",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column(
            "conversation_id", sa.String(64), _fk("sla_breaches", "conversation_id", "conversations"), nullable=False
        ),
        sa.Column("handoff_id", sa.Integer(), _fk("sla_breaches", "handoff_id", "handoffs"), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("tier", sa.String(16), nullable=False),
        sa.Column("team", sa.String(64), nullable=True),
        sa.Column("agent_id", sa.Integer(), _fk("sla_breaches", "agent_id", "agents"), nullable=True),
        sa.Column("target_seconds", sa.Integer(), nullable=False),
        sa.Column("at", TZ, nullable=False),
    )
    op.create_index("ix_sla_breaches_at", "sla_breaches", ["at"])
    op.create_index("uq_sla_breaches_episode", "sla_breaches", ["conversation_id", "handoff_id", "kind"], unique=True)


def downgrade() -> None:
    op.drop_table("sla_breaches")
    with op.batch_alter_table("canned_replies") as batch:
        batch.drop_column("shortcut")
    op.drop_table("helpdesk_settings")
    op.drop_table("teams")
    op.drop_table("audit_log")
