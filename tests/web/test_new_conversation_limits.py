"""A request that starts a conversation (POST /api/chat without an id, POST /api/chat/start) is counted against the
client address's request limit and its new-conversation limit in one step (helpdesk/web/widget.py
`new_conversation_limits`): one Redis round trip instead of two (issue 22), the new conversation counted only when
the request passed, a refused new conversation still counted as a request. Through the real Redis (127.0.0.1:6379)
and in this process."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import secrets
from typing import Any

import pytest
from redis.asyncio.connection import AbstractConnection

from helpdesk.clients.redis import command_connection
from helpdesk.config import Settings
from helpdesk.errors import TooMany
from helpdesk.web.services import Limits
from helpdesk.web.widget import new_conversation_limits

REDIS_URL = "redis://127.0.0.1:6379/0"


async def check(limits: Limits, address: str) -> None:
    """Two new conversations allowed (the third refused, as a new conversation), four requests (the fifth refused,
    as a request, and not counted as a new conversation)."""
    await new_conversation_limits(limits, address)
    await new_conversation_limits(limits, address)
    with pytest.raises(TooMany, match="new conversations") as many:
        await new_conversation_limits(limits, address)
    assert many.value.retry_after >= 1
    assert await limits.per_address.count(address) == 3 and await limits.new_conversations.count(address) == 2
    await limits.per_address.hit(address)  # a fourth request (another endpoint's)
    with pytest.raises(TooMany, match="requests from this address"):
        await new_conversation_limits(limits, address)
    assert await limits.per_address.count(address) == 4 and await limits.new_conversations.count(address) == 2


def settings(prefix: str) -> Settings:
    return dataclasses.replace(Settings(), redis_channel=prefix, rate_per_address=4, new_conversations_per_address=2)


def test_in_this_process() -> None:
    asyncio.run(check(Limits.create(settings("in-process"), None), "203.0.113.9"))


def test_through_redis_in_one_round_trip_each(monkeypatch: pytest.MonkeyPatch) -> None:
    prefix = f"helpdesk-test-{secrets.token_hex(4)}"
    sent: list[int] = []
    original: Any = AbstractConnection.send_packed_command

    async def counted(self: Any, command: Any, check_health: bool = True) -> None:
        sent.append(1)
        await original(self, command, check_health)

    async def scenario() -> None:
        redis = command_connection(REDIS_URL, prefix)
        try:
            limits = Limits.create(settings(prefix), redis)
            await new_conversation_limits(limits, "warm-up")  # connected, scripts loaded: each call one EVALSHA
            monkeypatch.setattr(AbstractConnection, "send_packed_command", counted)
            for _ in range(3):
                with contextlib.suppress(TooMany):
                    await new_conversation_limits(limits, "198.51.100.4")
            assert len(sent) == 3  # one round trip a request (two before: the address's, then the new conversations')
            monkeypatch.undo()
            await check(limits, "198.51.100.5")
        finally:
            keys = [key async for key in redis.scan_iter(f"{prefix}:*")]
            if keys:
                await redis.delete(*keys)
            await redis.aclose()

    asyncio.run(scenario())
