"""Connections to Redis (REDIS_URL), the one shared by the helpdesk processes: the real-time fan-out, presence,
the locks and the limits each hold their own, named so CLIENT LIST shows which process holds which."""

from __future__ import annotations

import os
import re
from typing import Any

from redis.asyncio import Redis

TIMEOUT = 5.0  # seconds for one command, or to connect: a hung Redis must not stall a request for long


def redis_client_name(role: str, channel: str) -> str:
    """The name a helpdesk connection shows in Redis's CLIENT LIST: its role, process and channel."""
    return f"helpdesk-{role}-{os.getpid()}-{re.sub(r'[^A-Za-z0-9_.:-]', '_', channel)}"


def connect(url: str, role: str, channel: str, **options: Any) -> Redis:
    """A client (and its connection pool) for `role` ("fanout", "presence", "commands"); it connects lazily."""
    return Redis.from_url(url, client_name=redis_client_name(role, channel), **options)


def command_connection(url: str, channel: str) -> Redis:
    """The connection for short commands (locks, limits): strings back, and a timeout on every call."""
    return connect(
        url, "commands", channel, decode_responses=True, socket_timeout=TIMEOUT, socket_connect_timeout=TIMEOUT
    )
