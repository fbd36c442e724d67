"""A Rasa REST channel that answers with the bot's messages *and* what the NLU understood of the message.

    credentials.yml:   nlu_addons.rest_channel.RestWithNluInput:
    POST /webhooks/rest_nlu/webhook   {"sender": "...", "message": "...", "metadata": {...}}
    → 200 {"messages": [...as the rest channel...], "nlu": {parse data of this message} | null}

The plain `rest` channel returns only the messages, so the helpdesk had to fetch the whole tracker after each
turn (a second request, and Rasa serialising every event of the conversation) to show agents the intent,
its confidence and the ranking. Here the message gets its own id, and the parse data is read from that
message's event in the tracker store, in the same request. `nlu` is null when the turn failed before the
message was parsed; the messages are then what the rest channel would have returned.
"""

from __future__ import annotations

import inspect
import logging
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from rasa.shared.core.events import UserUttered
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

logger = logging.getLogger(__name__)


class RestWithNluInput(RestInput):
    """The REST channel, plus the parse data of the message just handled."""

    @classmethod
    def name(cls) -> str:
        return "rest_nlu"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        module = inspect.getmodule(self)
        hook = Blueprint(f"custom_webhook_{type(self).__name__}", module.__name__ if module else None)

        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        async def receive(request: Request) -> HTTPResponse:
            sender_id = await self._extract_sender(request)
            message_id = uuid.uuid4().hex
            collector = CollectingOutputChannel()
            try:
                await on_new_message(
                    UserMessage(
                        self._extract_message(request),
                        collector,
                        sender_id,
                        input_channel=self._extract_input_channel(request),
                        message_id=message_id,
                        metadata=self.get_metadata(request),
                    )
                )
            except Exception:  # as the rest channel: log, answer with what was collected
                logger.exception("rest_nlu: handling the message failed")
            nlu = await self._parse_data(request, sender_id, message_id)
            return response.json({"messages": collector.messages, "nlu": nlu})

        # add_route rather than the @hook.route decorator: the same registration, but Blueprint.route is
        # wrapped by sanic's untyped `lazy()`, which would leave both handlers untyped
        hook.add_route(health, "/", methods=["GET"])
        hook.add_route(receive, "/webhook", methods=["POST"])
        return hook

    @staticmethod
    async def _parse_data(request: Request, sender_id: str, message_id: str) -> dict[str, Any] | None:
        agent = getattr(request.app.ctx, "agent", None)
        if agent is None or agent.tracker_store is None:
            return None
        tracker = await agent.tracker_store.retrieve(sender_id)
        for event in reversed(tracker.events if tracker else []):
            if isinstance(event, UserUttered) and event.message_id == message_id:
                return dict(event.parse_data)
        return None


__all__ = ["RestWithNluInput"]
