"""The starter canned replies of a database seeded before they said their language (0016 added the column, NULL:
any): each one still as shipped (its shortcut with the shipped title or text) gets the language it is written in, so
a Chinese chat's canned list offers the Chinese starters and not "Anything else?". Replies an agent wrote, or gave
another title and text, are left alone.

The starter set as shipped on 2026-12-02 (config/canned_replies.yml at 5a79423) is written out here: a migration
does not read a file that may change after it.

Revision ID: 0020_canned_starter_language
Revises: 0019_editor_handover
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020_canned_starter_language"
down_revision: str | None = "0019_editor_handover"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (shortcut, title, text, language) of each starter reply as shipped
SHIPPED: tuple[tuple[str, str, str, str], ...] = (
    (
        "hello",
        "Greeting",
        "Hi {{customer.first_name}}, this is {{agent.first_name}} from Larkspur Home. How can I help you today?",
        "en",
    ),
    (
        "look",
        "Looking into it",
        "Thanks {{customer.first_name}}, I'm looking into order {{order.number}} now — this takes a minute or two.",
        "en",
    ),
    (
        "ordernum",
        "Ask for the order number",
        "Could you tell me your order number? It's in the confirmation e-mail and starts with 100.",
        "en",
    ),
    (
        "shipped",
        "Order shipped",
        "Good news: order {{order.number}} has shipped. The tracking link is in the e-mail we sent to "
        "{{customer.email}}.",
        "en",
    ),
    (
        "refund",
        "Refund timing",
        "Once we receive the return, the refund reaches your original payment method within 5–7 working days.",
        "en",
    ),
    ("anything", "Anything else?", "Is there anything else I can help you with, {{customer.first_name}}?", "en"),
    ("bye", "Closing", "Thank you for contacting Larkspur Home, {{customer.first_name}}. Have a lovely day!", "en"),
    (
        "nihao",
        "问候（中文）",
        "{{customer.first_name}}您好，我是 Larkspur Home 的客服{{agent.first_name}}，请问有什么可以帮您？",
        "zh",
    ),
    ("chaxun", "正在查询（中文）", "谢谢您，我正在查询订单 {{order.number}}，请稍等一两分钟。", "zh"),
    ("zaijian", "结束语（中文）", "感谢您联系 Larkspur Home，祝您生活愉快！", "zh"),
)

canned = sa.table(
    "canned_replies",
    sa.column("shortcut", sa.String),
    sa.column("title", sa.String),
    sa.column("text", sa.Text),
    sa.column("language", sa.String),
)


def upgrade() -> None:
    for shortcut, title, text, language in SHIPPED:
        op.execute(
            canned.update()
            .where(
                canned.c.shortcut == shortcut,
                canned.c.language.is_(None),
                sa.or_(canned.c.title == title, canned.c.text == text),
            )
            .values(language=language)
        )


def downgrade() -> None:
    """Nothing to undo: a language on a starter reply is what the starter set says (0016's downgrade drops it)."""
