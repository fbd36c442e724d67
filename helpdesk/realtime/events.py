"""What happened, published to the hub's channels: what the widget and the consoles receive (channels and
delivery: `helpdesk.realtime.hub`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from helpdesk.db.models import Conversation, Message, PublicAuthor
from helpdesk.realtime.hub import CONSOLE, Event, Hub, conversation_channel


class Events:
    """What happened, published to the channels that should hear of it."""

    def __init__(self, hub: Hub) -> None:
        self.hub = hub

    async def message(
        self, conversation: Conversation, message: Message, author: str | None = None, avatar_url: str | None = None
    ) -> dict[str, Any]:
        """A message was stored: the customer's widget gets it as the customer sees it (an agent's with their
        name and avatar), the consoles with what the bot understood and its `author` (an agent's display name).
        Returns the widget's form."""
        return (await self.messages(conversation, [message], author, avatar_url))[0]

    async def messages(
        self,
        conversation: Conversation,
        messages: Sequence[Message],
        author: str | None = None,
        avatar_url: str | None = None,
    ) -> list[dict[str, Any]]:
        """Several messages stored together (a bot turn's replies), in order, published in one go (`message`).
        Returns them as the customer's widget got them (`Message.to_public`), each form built once for both
        audiences (the consoles' adds what the bot understood to it: issue 22)."""
        public_author = PublicAuthor(author, avatar_url) if author is not None else None
        events: list[tuple[str, Event]] = []
        shown: list[dict[str, Any]] = []
        channel = conversation_channel(conversation.id)
        for message in messages:
            public = message.to_public(public_author)
            shown.append(public)
            events.append((channel, {"type": "message", "message": public}))
            events.append(
                (
                    CONSOLE,
                    {
                        "type": "message",
                        "conversation_id": conversation.id,
                        "assignee": conversation.assigned_agent_id,
                        "mode": conversation.mode,
                        # the consoles' form starts from the widget's when that has no author of its own to show
                        "message": message.to_agent(author, public if public_author is None else None),
                    },
                )
            )
        if events:
            await self.hub.publish_all(events)
        return shown

    async def mode(
        self,
        conversation_id: str,
        mode: str,
        assignee: int | None,
        previous: int | None = None,
        rating_pending: bool = False,
    ) -> None:
        await self.hub.publish(
            conversation_channel(conversation_id), {"type": "mode", "mode": mode, "rating_pending": rating_pending}
        )
        await self.hub.publish(
            CONSOLE,
            {
                "type": "conversation",
                "conversation_id": conversation_id,
                "mode": mode,
                "assignee": assignee,
                "previous_assignee": previous,
            },
        )

    async def rating(self, conversation_id: str, pending: bool) -> None:
        """The conversation is closed; `pending`: the customer is asked to rate the agent's help."""
        await self.hub.publish(
            conversation_channel(conversation_id), {"type": "mode", "mode": "closed", "rating_pending": pending}
        )

    async def agent_typing(self, conversation_id: str, name: str, typing: bool) -> None:
        await self.hub.publish(
            conversation_channel(conversation_id), {"type": "typing", "who": "agent", "name": name, "typing": typing}
        )

    async def customer_typing(self, conversation_id: str, assignee: int | None, typing: bool) -> None:
        await self.hub.publish(
            CONSOLE,
            {
                "type": "typing",
                "who": "customer",
                "conversation_id": conversation_id,
                "assignee": assignee,
                "typing": typing,
            },
        )

    async def note(self, conversation_id: str, assignee: int | None, note: Event) -> None:
        await self.hub.publish(
            CONSOLE, {"type": "note", "conversation_id": conversation_id, "assignee": assignee, "note": note}
        )

    async def context(self, conversation_id: str, assignee: int | None, message_id: int, candidates: Event) -> None:
        await self.hub.publish(
            CONSOLE,
            {
                "type": "context",
                "conversation_id": conversation_id,
                "assignee": assignee,
                "message_id": message_id,
                "faq_candidates": candidates,
            },
        )

    async def seen(self, agent_id: int, conversation_id: str, message_id: int) -> None:
        """The agent read the conversation up to `message_id` (helpdesk/conversation/reads.py): their other consoles
        clear its unread count. Sent to that agent (and, as every console event, to the supervisors, whose consoles
        skip another agent's reads)."""
        await self.hub.publish(
            CONSOLE,
            {
                "type": "seen",
                "conversation_id": conversation_id,
                "assignee": agent_id,
                "agent_id": agent_id,
                "message_id": message_id,
            },
        )

    async def queue_changed(self) -> None:
        await self.hub.publish(CONSOLE, {"type": "queue_changed"})

    async def queue_position(
        self, conversation_id: str, position: int, estimated_wait_seconds: int | None, business_hours: Event
    ) -> None:
        """The customer's place in the queue; out of business hours no wait is promised (None) and
        `business_hours` says when the team is back."""
        await self.hub.publish(
            conversation_channel(conversation_id),
            {
                "type": "queue",
                "position": position,
                "estimated_wait_seconds": estimated_wait_seconds,
                "business_hours": business_hours,
            },
        )
