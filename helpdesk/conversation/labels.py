"""Labels: supervisors and admins keep the list (name and colour); anyone who may see a conversation (agents
included) puts labels on it and takes them off. The queue, the chats, search and its CSV show and filter by them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from helpdesk.conversation.desk import NOT_YOURS, may_view
from helpdesk.conversation.desk_cards import labels_of
from helpdesk.db.models import Agent, Conversation, ConversationLabel, Label
from helpdesk.errors import Conflict, Forbidden, Invalid, NotFound
from helpdesk.realtime.events import Events
from helpdesk.realtime.hub import CONSOLE

NAME_CHARS = 40
COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
DEFAULT_COLOUR = "#6b6f80"
MAX_LABELS = 200
MAX_PER_CONVERSATION = 10


def parse_label(raw: object) -> tuple[str, str]:
    """(name, colour) from {"name", "colour"?}; Invalid otherwise."""
    if not isinstance(raw, dict):
        raise Invalid('send {"name": "...", "colour": "#rrggbb"}')
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        raise Invalid('"name" is required')
    name = " ".join(name.split())
    if len(name) > NAME_CHARS:
        raise Invalid(f'"name" must be at most {NAME_CHARS} characters')
    colour = raw.get("colour", DEFAULT_COLOUR)
    if not isinstance(colour, str) or not COLOUR.match(colour):
        raise Invalid('"colour" must look like #4b44a8')
    return name, colour.lower()


@dataclass
class Labels:
    sessions: async_sessionmaker[AsyncSession]
    events: Events

    async def all(self) -> list[dict[str, Any]]:
        async with self.sessions() as session:
            rows = await session.execute(
                select(Label, func.count(ConversationLabel.conversation_id))
                .outerjoin(ConversationLabel, ConversationLabel.label_id == Label.id)
                .group_by(Label.id)
                .order_by(Label.name)
            )
            return [{**label.to_json(), "conversations": count} for label, count in rows.all()]

    @staticmethod
    def _keeper(agent: Agent) -> None:
        if not agent.can_supervise:
            raise Forbidden("only supervisors and admins keep the list of labels")

    async def create(self, agent: Agent, raw: object) -> dict[str, Any]:
        self._keeper(agent)
        name, colour = parse_label(raw)
        async with self.sessions() as session:
            if (await session.scalar(select(func.count()).select_from(Label)) or 0) >= MAX_LABELS:
                raise Conflict(f"there are {MAX_LABELS} labels already; remove one first")
            if await session.scalar(select(Label.id).where(func.lower(Label.name) == name.lower())) is not None:
                raise Conflict(f"a label called {name!r} exists already")
            label = Label(name=name, colour=colour, created_by=agent.id)
            session.add(label)
            await session.commit()
            body = label.to_json()
        await self._announce()
        return body

    async def update(self, agent: Agent, label_id: int, raw: object) -> dict[str, Any]:
        self._keeper(agent)
        name, colour = parse_label(raw)
        async with self.sessions() as session:
            label = await session.get(Label, label_id)
            if label is None:
                raise NotFound("no such label")
            clash = await session.scalar(
                select(Label.id).where(func.lower(Label.name) == name.lower(), Label.id != label_id)
            )
            if clash is not None:
                raise Conflict(f"a label called {name!r} exists already")
            label.name, label.colour = name, colour
            await session.commit()
            body = label.to_json()
        await self._announce()
        return body

    async def delete(self, agent: Agent, label_id: int) -> None:
        self._keeper(agent)
        async with self.sessions() as session:
            label = await session.get(Label, label_id)
            if label is None:
                raise NotFound("no such label")
            await session.execute(delete(ConversationLabel).where(ConversationLabel.label_id == label_id))
            await session.delete(label)
            await session.commit()
        await self._announce()

    async def _viewable(self, session: AsyncSession, agent: Agent, conversation_id: str) -> Conversation:
        conversation = await session.get(Conversation, conversation_id)
        if conversation is None:
            raise NotFound("no such conversation")
        if not may_view(agent, conversation):
            raise Forbidden(NOT_YOURS)
        return conversation

    async def on_conversation(self, agent: Agent, conversation_id: str) -> list[dict[str, Any]]:
        async with self.sessions() as session:
            await self._viewable(session, agent, conversation_id)
            return (await labels_of(session, [conversation_id])).get(conversation_id, [])

    async def apply(self, agent: Agent, conversation_id: str, label_id: object) -> list[dict[str, Any]]:
        if not isinstance(label_id, int) or isinstance(label_id, bool):
            raise Invalid('"label_id" must be a number')
        async with self.sessions() as session:
            await self._viewable(session, agent, conversation_id)
            if await session.get(Label, label_id) is None:
                raise NotFound("no such label")
            present = await labels_of(session, [conversation_id])
            current = present.get(conversation_id, [])
            if all(label["id"] != label_id for label in current):
                if len(current) >= MAX_PER_CONVERSATION:
                    raise Conflict(f"a conversation carries at most {MAX_PER_CONVERSATION} labels")
                session.add(ConversationLabel(conversation_id=conversation_id, label_id=label_id, added_by=agent.id))
                await session.commit()
            labels = (await labels_of(session, [conversation_id])).get(conversation_id, [])
        await self._announce(conversation_id, labels)
        return labels

    async def remove(self, agent: Agent, conversation_id: str, label_id: int) -> list[dict[str, Any]]:
        async with self.sessions() as session:
            await self._viewable(session, agent, conversation_id)
            await session.execute(
                delete(ConversationLabel).where(
                    ConversationLabel.conversation_id == conversation_id, ConversationLabel.label_id == label_id
                )
            )
            await session.commit()
            labels = (await labels_of(session, [conversation_id])).get(conversation_id, [])
        await self._announce(conversation_id, labels)
        return labels

    async def _announce(self, conversation_id: str | None = None, labels: list[dict[str, Any]] | None = None) -> None:
        """The consoles refresh their lists (and the label list, when it changed)."""
        event: dict[str, Any] = {"type": "labels"}
        if conversation_id is not None:
            event.update(conversation_id=conversation_id, labels=labels or [])
        await self.events.hub.publish(CONSOLE, event)
