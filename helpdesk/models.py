"""Stored conversations, messages and handoffs (SQLAlchemy; SQLite by default, PostgreSQL by URL)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    pass


MODE_BOT = "bot"
MODE_QUEUED = "queued"
MODE_AGENT = "agent"
MODE_CLOSED = "closed"
MODES = (MODE_BOT, MODE_QUEUED, MODE_AGENT, MODE_CLOSED)


class Conversation(Base):
    __tablename__ = "conversations"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    mode: Mapped[str] = mapped_column(String(16), default=MODE_BOT, index=True)
    channel: Mapped[str] = mapped_column(String(32), default="web")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    messages: Mapped[list[Message]] = relationship(back_populates="conversation", order_by="Message.id")
    handoffs: Mapped[list[Handoff]] = relationship(back_populates="conversation", order_by="Handoff.id")


class Message(Base):
    __tablename__ = "messages"
    __table_args__ = (Index("ix_messages_client_id", "conversation_id", "client_id", unique=True),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"), index=True)
    sender: Mapped[str] = mapped_column(String(16))  # customer | bot | agent | system
    text: Mapped[str] = mapped_column(Text)
    # what was sent to the bot when it differs from what the customer saw (a button's payload)
    payload: Mapped[str | None] = mapped_column(Text, nullable=True)
    # the sender's own id for the message: a retried send is stored once
    client_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    buttons: Mapped[list[dict[str, str]] | None] = mapped_column(JSON, nullable=True)
    nlu: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    faq: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    conversation: Mapped[Conversation] = relationship(back_populates="messages")

    def to_public(self) -> dict[str, Any]:
        """The message as the customer's widget sees it (no NLU internals)."""
        return {
            "id": self.id,
            "sender": self.sender,
            "text": self.text,
            "buttons": self.buttons or [],
            "created_at": self.created_at.isoformat(),
        }


class Handoff(Base):
    __tablename__ = "handoffs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"), index=True)
    reason: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    conversation: Mapped[Conversation] = relationship(back_populates="handoffs")
