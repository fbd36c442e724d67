"""What several helpdesk processes share, and through what: with REDIS_URL set, Redis (the processes also share
one database, DATABASE_URL); without it, this process alone. One factory per interface picks the implementation,
as Rasa's `LockStore.create` does:

| interface                                   | in this process (default) | shared (REDIS_URL)           |
|---------------------------------------------|---------------------------|------------------------------|
| `Hub` (helpdesk/realtime/hub.py)            | `MemoryHub`               | `RedisHub` (pub/sub)         |
| `Presence` (helpdesk/realtime/presence.py)  | `Presence`                | `RedisPresence`              |
| `ConversationLocks` (helpdesk/limits/locks) | `MemoryLocks`             | `RedisLocks`                 |
| `Limiter` (helpdesk/limits/window.py)       | `MemoryLimiter`           | `RedisLimiter`               |
| `Once` (helpdesk/limits/once.py)            | `MemoryOnce`              | `RedisOnce` (SET NX EX)      |

Keys and channels start with REDIS_CHANNEL (default "helpdesk:events"), so deployments sharing a Redis stay apart.
Each shared implementation falls back to this process alone while Redis cannot be reached, and says so in the log.
"""

from __future__ import annotations

from redis.asyncio import Redis

from helpdesk.clients.redis import command_connection
from helpdesk.config import Settings
from helpdesk.limits.locks import ConversationLocks, MemoryLocks
from helpdesk.limits.once import MemoryOnce, Once
from helpdesk.limits.redis_locks import RedisLocks
from helpdesk.limits.redis_once import RedisOnce
from helpdesk.limits.redis_window import RedisLimiter
from helpdesk.limits.window import Limiter, MemoryLimiter
from helpdesk.realtime.hub import Hub, MemoryHub
from helpdesk.realtime.presence import Presence
from helpdesk.realtime.redis_hub import RedisHub
from helpdesk.realtime.redis_presence import RedisPresence


def create_hub(settings: Settings) -> Hub:
    return RedisHub(settings.redis_url, settings.redis_channel) if settings.redis_url else MemoryHub()


def create_presence(settings: Settings, hub: Hub) -> Presence:
    return RedisPresence(settings.redis_url, settings.redis_channel, hub) if settings.redis_url else Presence()


def create_commands(settings: Settings) -> Redis | None:
    """The Redis connection the locks and limits share; None without REDIS_URL."""
    return command_connection(settings.redis_url, settings.redis_channel) if settings.redis_url else None


def create_locks(redis: Redis | None, prefix: str) -> ConversationLocks:
    return RedisLocks(redis, prefix) if redis is not None else MemoryLocks()


def create_limiter(redis: Redis | None, prefix: str, name: str, limit: int, window: float) -> Limiter:
    """At most `limit` hits per key in `window` seconds; `name` tells this limit's keys apart."""
    return RedisLimiter(redis, prefix, name, limit, window) if redis is not None else MemoryLimiter(limit, window)


def create_once(redis: Redis | None, prefix: str) -> Once:
    """Once across the processes sharing `redis` (SLA warnings), else within this process."""
    return RedisOnce(redis, prefix) if redis is not None else MemoryOnce()
