"""E-mail both ways: the outbox the mail worker delivers, replies received by e-mail (each once), when the
customer's widget last had the conversation open (a reply they never saw goes out by e-mail), and what a waiting
customer chose instead of waiting (the answer by e-mail, or to stop waiting); files sent in a conversation
(photos and PDFs, helpdesk/files/).

Revision ID: 0014_outbox_attachments
Revises: 0010_person_offers
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014_outbox_attachments"
down_revision: str | None = "0013_sla_admin"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("conversations") as batch:
        batch.add_column(sa.Column("customer_seen_at", TZ, nullable=True))
    with op.batch_alter_table("handoffs") as batch:
        batch.add_column(sa.Column("customer_choice", sa.String(16), nullable=True))
        batch.add_column(sa.Column("customer_choice_at", TZ, nullable=True))
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("dedupe_key", sa.String(200), nullable=False),
        sa.Column(
            "conversation_id",
            sa.String(64),
            sa.ForeignKey("conversations.id", name="fk_outbox_conversation_id_conversations"),
            nullable=True,
        ),
        sa.Column("to_address", sa.String(254), nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("not_before", TZ, nullable=False),
        sa.Column("claimed_by", sa.String(64), nullable=True),
        sa.Column("claimed_at", TZ, nullable=True),
        sa.Column("sent_at", TZ, nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", TZ, nullable=False),
    )
    op.create_index("uq_outbox_dedupe_key", "outbox", ["dedupe_key"], unique=True)
    op.create_index("ix_outbox_due", "outbox", ["status", "not_before"])
    op.create_index("ix_outbox_conversation_id", "outbox", ["conversation_id"])
    op.create_table(
        "inbound_mails",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("message_key", sa.String(300), nullable=False),
        sa.Column(
            "conversation_id",
            sa.String(64),
            sa.ForeignKey("conversations.id", name="fk_inbound_mails_conversation_id_conversations"),
            nullable=False,
        ),
        sa.Column("message_id", sa.Integer(), nullable=True),
        sa.Column("sender", sa.String(254), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
    )
    op.create_index("uq_inbound_mails_message_key", "inbound_mails", ["message_key"], unique=True)
    op.create_table(
        "attachments",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column(
            "conversation_id",
            sa.String(64),
            sa.ForeignKey("conversations.id", name="fk_attachments_conversation_id_conversations"),
            nullable=False,
        ),
        sa.Column(
            "message_id",
            sa.Integer(),
            sa.ForeignKey("messages.id", name="fk_attachments_message_id_messages"),
            nullable=True,
        ),
        sa.Column("uploader", sa.String(16), nullable=False),
        sa.Column(
            "agent_id", sa.Integer(), sa.ForeignKey("agents.id", name="fk_attachments_agent_id_agents"), nullable=True
        ),
        sa.Column("filename", sa.String(200), nullable=False),
        sa.Column("content_type", sa.String(64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("width", sa.Integer(), nullable=True),
        sa.Column("height", sa.Integer(), nullable=True),
        sa.Column("storage_key", sa.String(200), nullable=False),
        sa.Column("thumb_key", sa.String(200), nullable=True),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("client_address", sa.String(64), nullable=True),
        sa.Column("created_at", TZ, nullable=False),
    )
    op.create_index("ix_attachments_conversation_id", "attachments", ["conversation_id"])
    op.create_index("ix_attachments_client_address", "attachments", ["client_address"])


def downgrade() -> None:
    op.drop_index("ix_attachments_client_address", table_name="attachments")
    op.drop_index("ix_attachments_conversation_id", table_name="attachments")
    op.drop_table("attachments")
    op.drop_index("uq_inbound_mails_message_key", table_name="inbound_mails")
    op.drop_table("inbound_mails")
    op.drop_index("ix_outbox_conversation_id", table_name="outbox")
    op.drop_index("ix_outbox_due", table_name="outbox")
    op.drop_index("uq_outbox_dedupe_key", table_name="outbox")
    op.drop_table("outbox")
    with op.batch_alter_table("handoffs") as batch:
        batch.drop_column("customer_choice_at")
        batch.drop_column("customer_choice")
    with op.batch_alter_table("conversations") as batch:
        batch.drop_column("customer_seen_at")
