"""Files sent in a conversation: stored, announced as a message, and read back only by that conversation's customer
(who holds its unguessable id) and its staff (who may see the conversation).

Limits (environment): FILE_MAX_BYTES (10 MB) per file, FILES_PER_CONVERSATION (20), FILES_PER_ADDRESS_PER_HOUR (30)
per client address; each refused with a message saying which limit. A file is stored as a message whose text is
"📎 <name>" and whose payload is "attachment:<id>" (the widget and console show it as a thumbnail or a PDF link)."""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from helpdesk.conversation.chat import ConversationNotFound
from helpdesk.conversation.desk import NOT_YOURS, may_act, may_view
from helpdesk.db.models import (
    ATTACHMENT_BY_AGENT,
    ATTACHMENT_BY_CUSTOMER,
    Agent,
    Attachment,
    Conversation,
    Message,
    aware,
    utcnow,
)
from helpdesk.errors import Conflict, Forbidden, Invalid, NotFound, TooMany
from helpdesk.files.checks import check
from helpdesk.files.photo_requests import PURPOSE_WORDS, PhotoRequest, request_in
from helpdesk.files.storage import FileStorage
from helpdesk.realtime.events import Events
from helpdesk.vocabulary import MODE_AGENT, SENDER_AGENT, SENDER_BOT, SENDER_CUSTOMER

PAYLOAD_PREFIX = "attachment:"
UNSAFE_NAME = re.compile(r"[^\w.\- ]+", re.UNICODE)


@dataclass(frozen=True)
class FileLimits:
    max_bytes: int = 10 * 1024 * 1024
    per_conversation: int = 20
    per_address_per_hour: int = 30


@dataclass(frozen=True)
class StoredFile:
    data: bytes
    content_type: str
    filename: str
    inline: bool  # images: shown in the page; PDFs: downloaded


def safe_name(name: str, extension: str) -> str:
    """The file's name as shown and downloaded: its stem cleaned, the extension of what it really is."""
    base = (name or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    stem = UNSAFE_NAME.sub("_", base.rsplit(".", 1)[0] if "." in base else base).strip("._ ")[:80] or "file"
    return f"{stem}.{extension}"


class Attachments:
    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], storage: FileStorage, events: Events, limits: FileLimits
    ) -> None:
        self.sessions = sessions
        self.storage = storage
        self.events = events
        self.limits = limits

    def check_size(self, size: int) -> None:
        if size > self.limits.max_bytes:
            raise Invalid(
                f"the file is too large: {size / 1048576:.1f} MB, the limit is {self.limits.max_bytes / 1048576:.0f} MB"
            )
        if size == 0:
            raise Invalid("the file is empty")

    async def _within_limits(self, session: AsyncSession, conversation_id: str, address: str | None) -> None:
        in_conversation = await session.scalar(
            select(func.count()).select_from(Attachment).where(Attachment.conversation_id == conversation_id)
        )
        if (in_conversation or 0) >= self.limits.per_conversation:
            raise TooMany(
                f"this conversation already has {self.limits.per_conversation} files, the most it may have",
                retry_after=3600,
            )
        if address is not None:
            recent = await session.scalar(
                select(func.count())
                .select_from(Attachment)
                .where(Attachment.client_address == address, Attachment.created_at >= utcnow() - timedelta(hours=1))
            )
            if (recent or 0) >= self.limits.per_address_per_hour:
                raise TooMany(
                    f"too many files from your connection: at most {self.limits.per_address_per_hour} an hour",
                    retry_after=600,
                )

    async def from_customer(
        self, conversation_id: str, filename: str, data: bytes, address: str | None, photo_for: int | None = None
    ) -> dict[str, Any]:
        """The customer's file; `photo_for`: the bot's message whose request for a photo this answers."""
        async with self.sessions() as session:
            conversation = await session.get(Conversation, conversation_id)
            if conversation is None:
                raise ConversationNotFound()
            request = None if photo_for is None else await self._photo_request(session, conversation_id, photo_for)
            await self._within_limits(session, conversation_id, address)
        return await self._store(conversation_id, filename, data, address, None, request)

    @staticmethod
    async def _photo_request(session: AsyncSession, conversation_id: str, message_id: int) -> PhotoRequest:
        """The request for a photo in the bot's message `message_id` of this conversation (nothing else counts)."""
        message = await session.get(Message, message_id)
        request = (
            request_in(message.buttons)
            if message is not None and message.conversation_id == conversation_id and message.sender == SENDER_BOT
            else None
        )
        if request is None:
            raise Invalid("X-Photo-For must name the bot's request for a photo in this conversation")
        return request

    async def from_agent(self, agent: Agent, conversation_id: str, filename: str, data: bytes) -> dict[str, Any]:
        async with self.sessions() as session:
            conversation = await session.get(Conversation, conversation_id)
            if conversation is None:
                raise NotFound("no such conversation")
            if not may_act(agent, conversation):
                raise Forbidden(NOT_YOURS)
            if conversation.mode != MODE_AGENT:
                raise Conflict(f"this conversation is {conversation.mode}, not with an agent: claim it first")
            await self._within_limits(session, conversation_id, None)
        return await self._store(conversation_id, filename, data, None, agent)

    async def _store(
        self,
        conversation_id: str,
        filename: str,
        data: bytes,
        address: str | None,
        agent: Agent | None,
        request: PhotoRequest | None = None,
    ) -> dict[str, Any]:
        self.check_size(len(data))
        checked = check(data)  # refuses what is not a photo or a PDF
        name = safe_name(filename, checked.extension)
        folder = hashlib.sha256(conversation_id.encode()).hexdigest()[:32]
        token = secrets.token_urlsafe(12)
        key = f"{folder}/{token}.{checked.extension}"
        thumb_key = f"{folder}/{token}.thumb.jpg" if checked.thumbnail is not None else None
        await self.storage.put(key, checked.data)
        if thumb_key is not None and checked.thumbnail is not None:
            await self.storage.put(thumb_key, checked.thumbnail)
        async with self.sessions() as session:
            conversation = await session.get(Conversation, conversation_id)
            if conversation is None:
                raise ConversationNotFound()
            attachment = Attachment(
                conversation_id=conversation_id,
                uploader=ATTACHMENT_BY_AGENT if agent else ATTACHMENT_BY_CUSTOMER,
                agent_id=agent.id if agent else None,
                filename=name,
                content_type=checked.content_type,
                size=len(checked.data),
                width=checked.width,
                height=checked.height,
                storage_key=key,
                thumb_key=thumb_key,
                sha256=hashlib.sha256(checked.data).hexdigest(),
                client_address=address[:64] if address else None,
                purpose=request.purpose if request else None,
                order_number=request.order_number if request else None,
            )
            session.add(attachment)
            await session.flush()
            message = Message(
                conversation_id=conversation_id,
                sender=SENDER_AGENT if agent else SENDER_CUSTOMER,
                agent_id=agent.id if agent else None,
                text=f"📎 {name}",
                payload=f"{PAYLOAD_PREFIX}{attachment.id}:{'image' if checked.is_image else 'pdf'}",
            )
            session.add(message)
            await session.flush()
            attachment.message_id = message.id
            conversation.updated_at = utcnow()
            await session.commit()
            if agent is not None:
                await self.events.message(conversation, message, agent.display_name, agent.avatar_url)
                return message.to_agent(agent.display_name)
            await self.events.message(conversation, message)
            return message.to_public()

    async def _read(self, attachment: Attachment, thumb: bool) -> StoredFile:
        key = attachment.thumb_key if thumb and attachment.thumb_key else attachment.storage_key
        data = await self.storage.get(key)
        if data is None:
            raise NotFound("this file is no longer stored")
        if thumb and attachment.thumb_key:
            return StoredFile(data, "image/jpeg", "thumb-" + attachment.filename.rsplit(".", 1)[0] + ".jpg", True)
        inline = attachment.content_type != "application/pdf"
        return StoredFile(data, attachment.content_type, attachment.filename, inline)

    async def for_customer(self, conversation_id: str, attachment_id: int, thumb: bool) -> StoredFile:
        """Only with the conversation's own id: another customer's file answers 404, as a missing one."""
        async with self.sessions() as session:
            attachment = await session.get(Attachment, attachment_id)
        if attachment is None or attachment.conversation_id != conversation_id:
            raise NotFound("no such file in this conversation")
        return await self._read(attachment, thumb)

    async def for_staff(self, agent: Agent, conversation_id: str, attachment_id: int, thumb: bool) -> StoredFile:
        async with self.sessions() as session:
            conversation = await session.get(Conversation, conversation_id)
            attachment = await session.get(Attachment, attachment_id)
        if conversation is None or attachment is None or attachment.conversation_id != conversation_id:
            raise NotFound("no such file in this conversation")
        if not may_view(agent, conversation):
            raise Forbidden(NOT_YOURS)
        return await self._read(attachment, thumb)


async def requested_photos(
    session: AsyncSession, conversation_id: str, fallback_order: str | None = None
) -> list[dict[str, Any]]:
    """The files the customer sent in answer to the bot's requests for a photo, oldest first, for the console's
    order cards: each with the order it is about (the request's, else `fallback_order`: the conversation's verified
    order) and the staff's own URL for it."""
    rows = await session.scalars(
        select(Attachment)
        .where(
            Attachment.conversation_id == conversation_id,
            Attachment.uploader == ATTACHMENT_BY_CUSTOMER,
            Attachment.purpose.is_not(None),
        )
        .order_by(Attachment.id)
    )
    return [
        {
            "id": a.id,
            "url": f"/api/agent/conversations/{conversation_id}/attachments/{a.id}",
            "kind": "pdf" if a.content_type == "application/pdf" else "image",
            "filename": a.filename,
            "purpose": a.purpose,
            "purpose_words": PURPOSE_WORDS.get(str(a.purpose), str(a.purpose)),
            "order_number": a.order_number or fallback_order,
            "created_at": aware(a.created_at).isoformat(),
        }
        for a in rows
    ]
