"""Stored conversations, messages, handoffs and the agent side (SQLAlchemy; SQLite by default, PostgreSQL by URL).

The schema is owned by the Alembic migrations in helpdesk/db/migrations: change a model, add a revision.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Index, Integer, MetaData, String, Text, false
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from helpdesk.vocabulary import MODE_BOT


def utcnow() -> datetime:
    return datetime.now(UTC)


def aware(value: datetime) -> datetime:
    """SQLite hands timezone-aware columns back naive; they were stored as UTC."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def iso(value: datetime | None) -> str | None:
    """A stored time as the APIs show it (ISO 8601 with its offset); None stays None."""
    return aware(value).isoformat() if value is not None else None


NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


TIER_STANDARD = "standard"
TIER_VIP = "vip"

ROLE_AGENT = "agent"
ROLE_SUPERVISOR = "supervisor"
ROLE_ADMIN = "admin"
ROLE_EDITOR = "editor"  # keeps the handbook: the unanswered-questions report, never conversations
ROLES = (ROLE_AGENT, ROLE_SUPERVISOR, ROLE_ADMIN, ROLE_EDITOR)

# the status an agent sets in the console's header: only online agents are given new chats automatically
STATUS_ONLINE = "online"
STATUS_AWAY = "away"
STATUS_OFFLINE = "offline"
STATUSES = (STATUS_ONLINE, STATUS_AWAY, STATUS_OFFLINE)


class Conversation(Base):
    __tablename__ = "conversations"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    mode: Mapped[str] = mapped_column(String(16), default=MODE_BOT, index=True)
    channel: Mapped[str] = mapped_column(String(32), default="web")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
    # the agent side: priority, who has it, what the bot knew
    customer_tier: Mapped[str] = mapped_column(String(16), default=TIER_STANDARD, server_default=TIER_STANDARD)
    queued_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    assigned_agent_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id"), nullable=True, index=True)
    team: Mapped[str | None] = mapped_column(String(64), nullable=True)  # a transfer to a team
    slots: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)  # the bot's slots at handoff
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    # out of business hours: when the customer left a message for the team (this handoff), and how to
    # reach them ({"name", "email"}, each optional)
    left_message_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    offline_contact: Mapped[dict[str, str] | None] = mapped_column(JSON, nullable=True)
    # the language of the customer's latest message (en | zh, nlu_addons.language): the bot and agent reply in it
    language: Mapped[str | None] = mapped_column(String(8), nullable=True, index=True)
    # when the customer's widget last had the conversation open (helpdesk/mail/presence.py): an agent's reply
    # after it, or a chat closed after it, goes to them by e-mail (helpdesk/mail/sweep.py)
    customer_seen_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)

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
    # customer turns: the FAQ engine's candidates for this text ({"decision", "candidates"}), kept for the agent
    faq_candidates: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id"), nullable=True)  # who wrote it
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # bot answers: the widget asks "Did this help?" (helpdesk/conversation/feedback.py), once per answer
    asks_feedback: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    helpful: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    feedback_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    # bot messages that offered a person as a choice instead of handing off: why (a handoff reason, low_confidence)
    offered_person: Mapped[str | None] = mapped_column(String(32), nullable=True)
    # customer messages: the language they are written in (en | zh, by script: nlu_addons.language)
    language: Mapped[str | None] = mapped_column(String(8), nullable=True)

    conversation: Mapped[Conversation] = relationship(back_populates="messages")

    def to_public(self, author: PublicAuthor | None = None) -> dict[str, Any]:
        """The message as the customer's widget sees it (no NLU internals): an agent's message with its
        `author` (name and avatar), a handbook answer with its article, a bot answer with its feedback."""
        public: dict[str, Any] = {
            "id": self.id,
            "sender": self.sender,
            "text": self.text,
            "buttons": self.buttons or [],
            "created_at": aware(self.created_at).isoformat(),
            "feedback": {"helpful": self.helpful} if self.asks_feedback else None,
        }
        if author is not None:
            public["agent"] = author.to_json()
        article = article_of(self.faq)
        if article is not None:
            public["article"] = article
        attachment = attachment_of(self.conversation_id, self.payload)
        if attachment is not None:
            public["attachment"] = attachment
        return public

    def to_agent(self, author: str | None = None, public: dict[str, Any] | None = None) -> dict[str, Any]:
        """The message with what the bot understood (customer turns) and who wrote it (agent messages). `public`:
        its `to_public()` (without an author) when that is built already: not built again."""
        return {
            **(self.to_public() if public is None else public),
            "payload": self.payload,
            "nlu": self.nlu,
            "faq": self.faq,
            "faq_candidates": self.faq_candidates,
            "language": self.language,
            "agent_id": self.agent_id,
            "author": author,
        }


@dataclass(frozen=True)
class PublicAuthor:
    """Who wrote an agent's message, as the customer sees them."""

    name: str
    avatar_url: str | None = None

    @classmethod
    def of(cls, agent: Agent) -> PublicAuthor:
        return cls(agent.display_name, agent.avatar_url)

    def to_json(self) -> dict[str, str | None]:
        return {"name": self.name, "avatar_url": self.avatar_url}


def attachment_of(conversation_id: str, payload: str | None) -> dict[str, Any] | None:
    """A file message's attachment (payload "attachment:<id>:<image|pdf>", helpdesk/files/service.py): its id, kind
    and where the customer's widget reads it (relative to the helpdesk)."""
    if not payload or not payload.startswith("attachment:"):
        return None
    _, _, rest = payload.partition(":")
    number, _, kind = rest.partition(":")
    if not number.isdigit():
        return None
    return {"id": int(number), "kind": kind or "file", "url": f"api/chat/{conversation_id}/attachments/{number}"}


def article_of(faq: dict[str, Any] | None) -> dict[str, str] | None:
    """The help-centre article a handbook answer came from ({"id", "title", "url"}), if the answer said."""
    if not faq or not all(isinstance(faq.get(k), str) and faq.get(k) for k in ("id", "title", "url")):
        return None
    return {"id": faq["id"], "title": faq["title"], "url": faq["url"]}


class Handoff(Base):
    __tablename__ = "handoffs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"), index=True)
    reason: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # what the waiting customer chose instead of waiting on the page (helpdesk/mail/waiting.py): email | cancel
    customer_choice: Mapped[str | None] = mapped_column(String(16), nullable=True)
    customer_choice_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)

    conversation: Mapped[Conversation] = relationship(back_populates="handoffs")


class Agent(Base):
    __tablename__ = "agents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(16), default=ROLE_AGENT)
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    team: Mapped[str | None] = mapped_column(String(64), nullable=True)
    max_concurrent: Mapped[int] = mapped_column(Integer, default=3)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    avatar_url: Mapped[str | None] = mapped_column(String(500), nullable=True)  # shown to customers beside the name
    # online / away / offline, as the agent chose it (logging in: online unless away; logging out: offline)
    status: Mapped[str] = mapped_column(String(16), default=STATUS_OFFLINE, server_default=STATUS_OFFLINE)
    status_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    # when automatic assignment last gave them a chat: the round robin among agents with equal load
    last_assigned_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    # the console's language for this staff member (en | zh): console, dashboard, follow-ups, unanswered report
    language: Mapped[str] = mapped_column(String(8), default="en", server_default="en")

    @property
    def can_supervise(self) -> bool:
        return self.role in (ROLE_SUPERVISOR, ROLE_ADMIN)

    @property
    def is_editor(self) -> bool:
        return self.role == ROLE_EDITOR

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "username": self.username,
            "display_name": self.display_name,
            "role": self.role,
            "team": self.team,
            "max_concurrent": self.max_concurrent,
            "active": self.active,
            "status": self.status,
            "language": self.language,
        }


class AgentSession(Base):
    """A logged-in console. Only a hash of the cookie's token is stored."""

    __tablename__ = "agent_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("agents.id", ondelete="CASCADE"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    agent: Mapped[Agent] = relationship()


class Assignment(Base):
    """One agent's stint on a conversation: claimed or transferred in, ended by resolve, hand-back or transfer."""

    __tablename__ = "assignments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"), index=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("agents.id"), index=True)
    assigned_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    end_reason: Mapped[str | None] = mapped_column(String(16), nullable=True)  # resolved | handed_back | transferred


class ConversationRead(Base):
    """How far an agent has read a conversation in the console (the highest message id they have seen): the chat
    cards' unread counts, kept across reloads and shared by the agent's consoles (helpdesk/conversation/reads.py)."""

    __tablename__ = "conversation_reads"

    agent_id: Mapped[int] = mapped_column(ForeignKey("agents.id"), primary_key=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"), primary_key=True, index=True)
    seen_message_id: Mapped[int] = mapped_column(Integer, default=0)
    seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Note(Base):
    """An agent's internal note: never shown to the customer."""

    __tablename__ = "notes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"), index=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("agents.id"))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Rating(Base):
    """The customer's 1-5 rating after an agent resolved their conversation (one per resolved assignment)."""

    __tablename__ = "ratings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"), index=True)
    assignment_id: Mapped[int | None] = mapped_column(ForeignKey("assignments.id"), nullable=True, unique=True)
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id"), nullable=True)
    score: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class CannedReply(Base):
    __tablename__ = "canned_replies"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    title: Mapped[str] = mapped_column(String(100))
    text: Mapped[str] = mapped_column(Text)
    # typed after "/" in the composer (helpdesk/admin/canned.py): lower-case letters, digits and dashes
    shortcut: Mapped[str | None] = mapped_column(String(32), nullable=True)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("agents.id"), nullable=True)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("agents.id"), nullable=True)  # may edit it
    # the customers' language it is written for (en | zh): offered in conversations in that language; None: any
    language: Mapped[str | None] = mapped_column(String(8), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "text": self.text,
            "language": self.language,
            "shortcut": self.shortcut,
            "created_by": self.created_by,
            "updated_at": aware(self.updated_at).isoformat(),
        }


class OrderAction(Base):
    """An order change an agent made from the console (helpdesk/conversation/desk_orders.py): who, when, on which
    order of which customer, what was asked and what the order system answered. Refusals are kept too."""

    __tablename__ = "order_actions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"), index=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("agents.id"))
    order_number: Mapped[str] = mapped_column(String(16), index=True)
    customer_id: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(32))  # cancel | change_address | return
    request: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    outcome: Mapped[str] = mapped_column(String(16))  # done | refused | failed
    message_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id"), nullable=True)  # the customer's note
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


FOLLOW_UP_OPEN = "open"
FOLLOW_UP_DONE = "done"
# why a follow-up was opened (helpdesk/conversation/followups.py defines each precisely)
FOLLOW_UP_LOW_RATING = "low_rating"
FOLLOW_UP_HANDED_BACK = "handed_back"
FOLLOW_UP_ABANDONED = "abandoned"


class FollowUp(Base):
    """A task to get back to a customer after their time with the agents went badly: at most one per handoff."""

    __tablename__ = "follow_ups"
    # one per handoff (the index keeps the name migration 0004 gave it)
    __table_args__ = (Index("ix_follow_ups_episode", "conversation_id", "handoff_id", unique=True),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"), index=True)
    handoff_id: Mapped[int | None] = mapped_column(ForeignKey("handoffs.id"), nullable=True)
    reason: Mapped[str] = mapped_column(String(32))
    detail: Mapped[str | None] = mapped_column(Text, nullable=True)
    status: Mapped[str] = mapped_column(String(16), default=FOLLOW_UP_OPEN, index=True)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id"), nullable=True, index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    done_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    done_by: Mapped[int | None] = mapped_column(ForeignKey("agents.id"), nullable=True)

    comments: Mapped[list[FollowUpComment]] = relationship(
        back_populates="follow_up", order_by="FollowUpComment.id", cascade="all, delete-orphan"
    )


class FollowUpComment(Base):
    """A comment on a follow-up; agent_id None is the helpdesk itself (e.g. a second reason for the same handoff)."""

    __tablename__ = "follow_up_comments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    follow_up_id: Mapped[int] = mapped_column(ForeignKey("follow_ups.id", ondelete="CASCADE"), index=True)
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id"), nullable=True)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    follow_up: Mapped[FollowUp] = relationship(back_populates="comments")


class ArticleVote(Base):
    """A help-centre reader's "Was this helpful?" on one article: one per reader (a random cookie id) and article,
    changed when they change their mind. Read by the editors' unanswered report."""

    __tablename__ = "article_votes"
    __table_args__ = (Index("uq_article_votes_faq_id_visitor", "faq_id", "visitor", unique=True),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    faq_id: Mapped[str] = mapped_column(String(100))
    visitor: Mapped[str] = mapped_column(String(64))
    helpful: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)


class Label(Base):
    """A label supervisors keep (name and colour) that agents put on conversations to find and count them."""

    __tablename__ = "labels"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(40), unique=True)
    colour: Mapped[str] = mapped_column(String(7), default="#6b6f80")
    created_by: Mapped[int | None] = mapped_column(ForeignKey("agents.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "colour": self.colour}


class ConversationLabel(Base):
    """A label on a conversation: who put it there and when."""

    __tablename__ = "conversation_labels"

    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"), primary_key=True)
    label_id: Mapped[int] = mapped_column(ForeignKey("labels.id", ondelete="CASCADE"), primary_key=True, index=True)
    added_by: Mapped[int | None] = mapped_column(ForeignKey("agents.id"), nullable=True)
    added_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class AuditEntry(Base):
    """One change an admin made (helpdesk/admin/audit.py): who, when, what, on what, with the details (never a
    password)."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id"), nullable=True)
    action: Mapped[str] = mapped_column(String(48))
    target: Mapped[str] = mapped_column(String(120))
    detail: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)


class Team(Base):
    """A team agents belong to (agents.team holds its name); kept as a row so an empty team exists too."""

    __tablename__ = "teams"
    __table_args__ = (Index("uq_teams_name", "name", unique=True),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class HelpdeskSetting(Base):
    """A setting changed in the admin screens (key "business_hours": the schedule's mapping), over the file."""

    __tablename__ = "helpdesk_settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("agents.id"), nullable=True)


SLA_QUEUE_WAIT = "queue_wait"  # handoff → claim
SLA_FIRST_RESPONSE = "first_response"  # handoff → the first agent message


class SlaBreach(Base):
    """A missed SLA target: at most one per handoff and kind (helpdesk/conversation/sla.py)."""

    __tablename__ = "sla_breaches"
    __table_args__ = (Index("uq_sla_breaches_episode", "conversation_id", "handoff_id", "kind", unique=True),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"))
    handoff_id: Mapped[int] = mapped_column(ForeignKey("handoffs.id"))
    kind: Mapped[str] = mapped_column(String(16))
    tier: Mapped[str] = mapped_column(String(16))
    team: Mapped[str | None] = mapped_column(String(64), nullable=True)
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id"), nullable=True)
    target_seconds: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)


OUTBOX_PENDING = "pending"
OUTBOX_SENDING = "sending"
OUTBOX_SENT = "sent"
OUTBOX_FAILED = "failed"
OUTBOX_SKIPPED = "skipped"  # no longer needed when its turn came (the customer read the reply on the page)


class OutboxMail(Base):
    """An e-mail to a customer, delivered by the mail worker (helpdesk/mail/worker.py): claimed by one process,
    retried with backoff, never sent twice. `dedupe_key` makes the same notice queued by several processes one row."""

    __tablename__ = "outbox"
    __table_args__ = (
        Index("uq_outbox_dedupe_key", "dedupe_key", unique=True),
        Index("ix_outbox_due", "status", "not_before"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(32))  # helpdesk/mail/templates.py: one template per kind
    dedupe_key: Mapped[str] = mapped_column(String(200))
    conversation_id: Mapped[str | None] = mapped_column(ForeignKey("conversations.id"), nullable=True, index=True)
    to_address: Mapped[str] = mapped_column(String(254))
    language: Mapped[str] = mapped_column(String(8))
    payload: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    status: Mapped[str] = mapped_column(String(16), default=OUTBOX_PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    not_before: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    claimed_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class InboundMail(Base):
    """A customer's e-mail reply taken into a conversation, once: a provider's retried webhook or a second poll of
    the same mailbox finds its key here (helpdesk/mail/inbound.py)."""

    __tablename__ = "inbound_mails"
    __table_args__ = (Index("uq_inbound_mails_message_key", "message_key", unique=True),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    message_key: Mapped[str] = mapped_column(String(300))
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"))
    message_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    sender: Mapped[str] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


ATTACHMENT_BY_CUSTOMER = "customer"
ATTACHMENT_BY_AGENT = "agent"


class Attachment(Base):
    """A photo or PDF sent in a conversation (helpdesk/files/): checked from its content, images re-encoded without
    metadata; the bytes live in the file storage under `storage_key` (and a thumbnail under `thumb_key`)."""

    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"), index=True)
    message_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id"), nullable=True)
    uploader: Mapped[str] = mapped_column(String(16))  # customer | agent
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id"), nullable=True)
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    width: Mapped[int | None] = mapped_column(Integer, nullable=True)
    height: Mapped[int | None] = mapped_column(Integer, nullable=True)
    storage_key: Mapped[str] = mapped_column(String(200))
    thumb_key: Mapped[str | None] = mapped_column(String(200), nullable=True)
    sha256: Mapped[str] = mapped_column(String(64))
    client_address: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # sent in answer to the bot's request for a photo (helpdesk/files/photo_requests.py): what for (return |
    # damaged | wrong_item) and the order the request named (None: the conversation's verified order, if any)
    purpose: Mapped[str | None] = mapped_column(String(16), nullable=True)
    order_number: Mapped[str | None] = mapped_column(String(32), nullable=True)


class HandbookRevision(Base):
    """One publish of a handbook entry from the editor when the handbook folder is not a git work tree (there a
    commit per publish is the revision): the file's text after it (None: the entry was deleted), who and why."""

    __tablename__ = "handbook_revisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    entry_id: Mapped[str] = mapped_column(String(100), index=True)
    path: Mapped[str] = mapped_column(String(500))  # relative to the handbook folder
    text: Mapped[str | None] = mapped_column(Text, nullable=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id"), nullable=True)
    author_name: Mapped[str] = mapped_column(String(200))
    message: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


# the handbook editor: a gated change handed to a supervisor (helpdesk/knowledge/handbook_requests.py)
REQUEST_WAITING = "waiting"
REQUEST_PUBLISHED = "published"
REQUEST_REJECTED = "rejected"
REQUEST_STATES = (REQUEST_WAITING, REQUEST_PUBLISHED, REQUEST_REJECTED)


class HandbookRequest(Base):
    """An editor's publish (or deletion) of an entry that makes held-out figures worse, waiting for a supervisor:
    the edit as the editor left it, the revision it was based on and the figures; then who decided, when, how."""

    __tablename__ = "handbook_requests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    entry_id: Mapped[str] = mapped_column(String(100), index=True)
    entry: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)  # the editor's form; None: delete
    base_revision: Mapped[str | None] = mapped_column(String(128), nullable=True)
    message: Mapped[str] = mapped_column(String(500), default="")
    held_out: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)  # the figures when asked
    state: Mapped[str] = mapped_column(String(16), index=True, default=REQUEST_WAITING)
    asked_by_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id"), nullable=True)
    asked_by_name: Mapped[str] = mapped_column(String(200))
    asked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id"), nullable=True)
    decided_by_name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    note: Mapped[str] = mapped_column(String(500), default="")  # the supervisor's reason for a rejection
    revision: Mapped[str | None] = mapped_column(String(128), nullable=True)  # what the confirmation published


class RetiredHeldOut(Base):
    """An out-of-scope held-out question an entry now covers (helpdesk/knowledge/held_out_retired.py): the publish
    gate and the impact preview leave it out of its set's out-of-scope figure; who retired it, when, for which
    entry."""

    __tablename__ = "held_out_retired"
    __table_args__ = (Index("uq_held_out_retired_set_name_query", "set_name", "query", unique=True),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    set_name: Mapped[str] = mapped_column(String(32))
    query: Mapped[str] = mapped_column(String(500))
    entry_id: Mapped[str] = mapped_column(String(100))
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id"), nullable=True)
    agent_name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


# the unanswered-questions report: a group an editor set aside (helpdesk/reports/unanswered.py)
SET_ASIDE_DISMISSED = "dismissed"  # not a question for the handbook ("tell me a joke")
SET_ASIDE_WONT_FIX = "wont_fix"  # a real question the shop chose not to answer in the handbook
SET_ASIDE_KINDS = (SET_ASIDE_DISMISSED, SET_ASIDE_WONT_FIX)


class SetAsideQuestion(Base):
    """One unanswered question (by its normalised, masked text) an editor dismissed or marked "won't fix": the
    report leaves it out of its groups, now and when it is asked again, and lists it apart."""

    __tablename__ = "unanswered_set_aside"
    __table_args__ = (Index("uq_unanswered_set_aside_question_key", "question_key", unique=True),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    question_key: Mapped[str] = mapped_column(String(500))
    text: Mapped[str] = mapped_column(String(2000))  # masked, as the report showed it
    kind: Mapped[str] = mapped_column(String(16))
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


# agents' corrections of the bot's reading of one customer turn (helpdesk/corrections/): what was right instead
CORRECTION_INTENT = "intent"  # label: an intent of domain.yml
CORRECTION_FAQ = "faq"  # label: a handbook entry id
CORRECTION_NEW_QUESTION = "new_question"  # no label: a question the handbook does not answer yet
CORRECTION_KINDS = (CORRECTION_INTENT, CORRECTION_FAQ, CORRECTION_NEW_QUESTION)
REVIEW_PENDING = "pending"
REVIEW_ACCEPTED = "accepted"
REVIEW_REJECTED = "rejected"
REVIEW_STATES = (REVIEW_PENDING, REVIEW_ACCEPTED, REVIEW_REJECTED)


class Correction(Base):
    """An agent's "the bot got this wrong" on one customer message, with the right route; reviewed by a supervisor,
    an admin or an editor. One per message: marking it again while it waits for review replaces it."""

    __tablename__ = "corrections"
    __table_args__ = (Index("uq_corrections_message_id", "message_id", unique=True),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id", ondelete="CASCADE"))
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    label: Mapped[str | None] = mapped_column(String(100), nullable=True)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("agents.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    status: Mapped[str] = mapped_column(String(16), default=REVIEW_PENDING, server_default=REVIEW_PENDING, index=True)
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id"), nullable=True)
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
