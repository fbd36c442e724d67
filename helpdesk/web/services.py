"""The helpdesk's running parts, built once when the server starts and reached by the routes through
`services(request)`: the database, the clients of Rasa and the action server, the real-time hub, presence, the
limits, and the services that hold the logic (chat, desk, follow-ups)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from sanic import Request, Sanic
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from helpdesk.background import Background
from helpdesk.clients.action_server import ActionServerClient
from helpdesk.clients.rasa import RasaClient
from helpdesk.config import Settings
from helpdesk.conversation.business_hours import BusinessHours
from helpdesk.conversation.chat import ChatService, ConversationLocks
from helpdesk.conversation.context import ContextService
from helpdesk.conversation.desk import Desk
from helpdesk.conversation.followups import FollowUps
from helpdesk.conversation.queue import QueueNotifier
from helpdesk.db.engine import create_engine, migrate, session_factory
from helpdesk.ratelimit import RateLimiter
from helpdesk.realtime.events import Events
from helpdesk.realtime.hub import Hub, MemoryHub
from helpdesk.realtime.presence import Presence
from helpdesk.realtime.redis_hub import RedisHub
from helpdesk.realtime.redis_presence import RedisPresence
from helpdesk.staff.sessions import FailureLimiter


@dataclass(frozen=True)
class Limits:
    """Requests per minute on the widget's endpoints, and failed logins per 15 minutes."""

    per_address: RateLimiter
    per_conversation: RateLimiter
    reads: RateLimiter  # the widget polls while an agent has the chat: a looser limit per address
    login_per_user: FailureLimiter
    login_per_address: FailureLimiter

    @classmethod
    def from_settings(cls, settings: Settings) -> Limits:
        return cls(
            per_address=RateLimiter(settings.rate_per_address),
            per_conversation=RateLimiter(settings.rate_per_conversation),
            reads=RateLimiter(settings.rate_per_address * 3),
            login_per_user=FailureLimiter(settings.login_failures_per_user),
            login_per_address=FailureLimiter(settings.login_failures_per_address),
        )


@dataclass
class Services:
    settings: Settings
    hours: BusinessHours
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    rasa: RasaClient
    actions: ActionServerClient
    hub: Hub
    presence: Presence
    events: Events
    limits: Limits
    background: Background
    chat: ChatService
    desk: Desk
    followups: FollowUps

    @classmethod
    async def start(cls, settings: Settings, hours: BusinessHours) -> Services:
        """Migrate the database, connect, and build the services (a failure stops the start, with the reason)."""
        await asyncio.to_thread(migrate, settings.database_url)
        engine = create_engine(settings.database_url)
        sessions = session_factory(engine)
        actions = ActionServerClient(settings.actions_url, settings.rasa_timeout)
        rasa = RasaClient(settings.rasa_url, settings.rasa_token, settings.rasa_timeout, actions)
        hub: Hub = RedisHub(settings.redis_url, settings.redis_channel) if settings.redis_url else MemoryHub()
        await hub.start()
        events = Events(hub)
        presence = RedisPresence(settings.redis_url, settings.redis_channel, hub) if settings.redis_url else Presence()
        await presence.start()
        background = Background()
        locks = ConversationLocks()
        context = ContextService(sessions, rasa, actions, events)
        queue = QueueNotifier(sessions, events, presence.online, settings.queue_seconds_per_chat, hours)
        return cls(
            settings=settings,
            hours=hours,
            engine=engine,
            sessions=sessions,
            rasa=rasa,
            actions=actions,
            hub=hub,
            presence=presence,
            events=events,
            limits=Limits.from_settings(settings),
            background=background,
            chat=ChatService(sessions, rasa, events, queue, context, locks, background, hours),
            desk=Desk(sessions, events, queue, context, actions, locks, presence, settings.public_url),
            followups=FollowUps(sessions, hub),
        )

    async def close(self) -> None:
        await self.background.drain()
        await self.rasa.close()
        await self.actions.close()
        await self.presence.close()
        await self.hub.close()
        await self.engine.dispose()


def services(request: Request) -> Services:
    """The running services of the app serving `request`."""
    return services_of(request.app)


def services_of(app: Sanic) -> Services:
    running = getattr(app.ctx, "services", None)
    if not isinstance(running, Services):
        raise RuntimeError("the helpdesk's services are not started (Services.start runs before the server)")
    return running
