"""A Rasa REST channel that answers with the bot's messages *and* what the NLU understood of the message.

    credentials.yml:   nlu_addons.rest_channel.RestWithNluInput:
    POST /webhooks/rest_nlu/webhook   {"sender": "...", "message": "...", "metadata": {...}}
         with Authorization: Bearer <RASA_TOKEN> (or ?token=): 401 without it
    → 200 {"messages": [...as the rest channel...], "nlu": {parse data of this message} | null}

The token matters: whoever may post here speaks inside any conversation (sender is the conversation id), so the
channel is as closed as Rasa's HTTP API. It is the only channel credentials.yml opens.

The plain `rest` channel returns only the messages, so the helpdesk had to fetch the whole tracker after each
turn (a second request, and Rasa serialising every event of the conversation) to show agents the intent,
its confidence and the ranking. Here the message gets its own id, and the parse data is read from that
message's event in the tracker store, in the same request. `nlu` is null when the turn failed before the
message was parsed; the messages are then what the rest channel would have returned. An order number typed in two
pieces ("100 234") reaches the bot as one (nlu_addons/order_number_text.py).
"""

from __future__ import annotations

import hmac
import inspect
import logging
import os
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from rasa.shared.core.events import UserUttered
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from nlu_addons.fullwidth_text import halfwidth_text
from nlu_addons.heap import freeze_start_up_heap
from nlu_addons.order_number_text import joined_order_numbers

logger = logging.getLogger(__name__)


def token_matches(request: Request, token: str) -> bool:
    """The request carries `token` (the API's token, RASA_TOKEN): `Authorization: Bearer <token>` or, as Rasa's
    HTTP API takes it, `?token=`; compared in constant time. Without a token set, nothing matches."""
    header = request.headers.get("authorization", "")
    given = header[7:] if header[:7].lower() == "bearer " else request.args.get("token", "")
    return bool(token) and hmac.compare_digest(given.encode(), token.encode())


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
            if not token_matches(request, os.environ.get("RASA_TOKEN", "")):
                return response.json({"error": "this channel needs Rasa's token (Authorization: Bearer …)"}, 401)
            freeze_start_up_heap()  # the first turn: the model is loaded (nlu_addons/heap.py)
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

    def _extract_message(self, req: Request) -> str | None:
        """The customer's message as the bot reads it: full-width digits, letters and "＠" as ASCII ("１００２３４"), an
        order number typed in two pieces ("100 234") as one."""
        text = super()._extract_message(req)
        return joined_order_numbers(halfwidth_text(text)) if isinstance(text, str) else text

    @staticmethod
    async def _parse_data(request: Request, sender_id: str, message_id: str) -> dict[str, Any] | None:
        agent = getattr(request.app.ctx, "agent", None)
        if agent is None or agent.tracker_store is None:
            return None
        # nlu_addons/tracker_store.py, inside Rasa's wrappers (FailSafeTrackerStore → AwaitableTrackerStore → it)
        store = agent.tracker_store
        while store is not None and not hasattr(store, "parse_data_of"):
            store = getattr(store, "_tracker_store", None)
        remembered = getattr(store, "parse_data_of", None)
        if remembered is not None and (parse := remembered(message_id)) is not None:
            return dict(parse)
        tracker = await agent.tracker_store.retrieve(sender_id)
        for event in reversed(tracker.events if tracker else []):
            if isinstance(event, UserUttered) and event.message_id == message_id:
                return dict(event.parse_data)
        return None


__all__ = ["RestWithNluInput"]
