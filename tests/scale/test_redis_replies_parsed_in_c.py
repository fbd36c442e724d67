"""The helpdesk's Redis connections read Redis's replies with redis-py's hiredis parser (the C reader redis-py uses
when the `hiredis` package is installed: requirements/app.txt), not its pure-Python RESP3 parser, which costs each
reply a chain of Python calls (readline, per-element parsing, decoding: issue 22, ~600 Python calls of a customer
turn's ~7,700 in bench/helpdesk_turn_cpu.py). Against the real Redis on 127.0.0.1:6379: every role's connection
(commands, fan-out, presence) reads with it, and what the helpdesk reads through it is what it wrote (strings for the
command connection, a lock taken and released, a published event received by a subscriber)."""

from __future__ import annotations

import asyncio
import secrets

from redis.asyncio import Redis
from redis.asyncio.connection import _AsyncHiredisParser

from helpdesk.clients.redis import command_connection, connect
from helpdesk.limits.redis_locks import RedisLocks

REDIS_URL = "redis://127.0.0.1:6379/0"


async def parser_of(client: Redis) -> type:
    await client.ping()
    connection = await client.connection_pool.get_connection()
    try:
        return type(connection._parser)
    finally:
        await client.connection_pool.release(connection)


def test_every_role_reads_replies_with_hiredis() -> None:
    async def main() -> dict[str, type]:
        channel = f"hiredis{secrets.token_hex(4)}:events"
        clients = {
            "commands": command_connection(REDIS_URL, channel),
            "fanout": connect(REDIS_URL, "fanout", channel),
            "presence": connect(REDIS_URL, "presence", channel, decode_responses=True),
        }
        try:
            return {role: await parser_of(client) for role, client in clients.items()}
        finally:
            for client in clients.values():
                await client.aclose()

    parsers = asyncio.run(main())
    assert parsers == dict.fromkeys(parsers, _AsyncHiredisParser), parsers


def test_replies_read_through_hiredis_are_what_was_written() -> None:
    async def main() -> tuple[str | None, str | None, bytes | None, list[bool]]:
        prefix = f"hiredis{secrets.token_hex(4)}"
        channel = f"{prefix}:events"
        commands = command_connection(REDIS_URL, channel)
        fanout = connect(REDIS_URL, "fanout", channel)
        locks = RedisLocks(commands, prefix)
        pubsub = fanout.pubsub()
        try:
            await pubsub.subscribe(channel)
            await pubsub.get_message(timeout=2.0)  # the subscription's confirmation
            await commands.set(f"{prefix}:k", "délai de livraison 3–5 jours", px=60_000)
            value = await commands.get(f"{prefix}:k")
            async with locks("conversation-1"):
                held = await commands.get(f"{prefix}:lock:conversation-1")
                await commands.publish(channel, "a customer's message")
            message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=2.0)
            gone = await commands.exists(f"{prefix}:lock:conversation-1")
            return value, held, (message or {}).get("data"), [gone == 0]
        finally:
            await pubsub.aclose()
            await commands.delete(f"{prefix}:k")
            await commands.aclose()
            await fanout.aclose()

    value, held, data, released = asyncio.run(main())
    assert value == "délai de livraison 3–5 jours"
    assert held is not None and len(held) == 32  # the lock's token, as a string (decode_responses)
    assert data == b"a customer's message"
    assert released == [True]
