"""The helpdesk's running parts, built once when the server starts and reached by the routes through
`services(request)`: the database, the clients of Rasa and the action server, the real-time hub, presence, the
limits, and the services that hold the logic (chat, desk, follow-ups)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from redis.asyncio import Redis
from sanic import DefaultSanic, Request
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from helpdesk.background import Background
from helpdesk.clients.action_server import ActionServerClient
from helpdesk.clients.rasa import TURN_LIMIT, RasaClient
from helpdesk.config import Settings
from helpdesk.conversation.assignment import AutoAssigner
from helpdesk.conversation.business_hours import BusinessHours
from helpdesk.conversation.chat import ChatService
from helpdesk.conversation.context import ContextService
from helpdesk.conversation.desk import Desk
from helpdesk.conversation.desk_orders import DeskOrders, OrderSystems
from helpdesk.conversation.followups import FollowUps
from helpdesk.conversation.labels import Labels
from helpdesk.conversation.queue import QueueNotifier
from helpdesk.conversation.search import ConversationSearch
from helpdesk.corrections.labels import Labels as RouteLabels
from helpdesk.corrections.service import MARK_WINDOW, MARKS_PER_WINDOW, Corrections
from helpdesk.db.engine import create_engine, migrate, session_factory
from helpdesk.files.service import Attachments, FileLimits
from helpdesk.files.storage import file_storage
from helpdesk.limits.window import Limiter
from helpdesk.mail.service import Mail
from helpdesk.mail.settings import MailSettings
from helpdesk.orders.factory import order_system_from_config
from helpdesk.realtime.events import Events
from helpdesk.realtime.hub import Hub
from helpdesk.realtime.presence import Presence
from helpdesk.realtime.socket_caps import SocketCaps, raise_open_files_limit, socket_budget
from helpdesk.scaleout import create_commands, create_hub, create_limiter, create_locks, create_presence
from helpdesk.staff.login import HashGate, LoginLimits

RATE_WINDOW = 60.0  # seconds: the widget's limits are per minute
LOGIN_WINDOW = 900.0  # seconds: failed logins are counted over 15 minutes


@dataclass(frozen=True)
class Limits:
    """Requests per minute on the widget's endpoints, and failed logins per 15 minutes (helpdesk/limits/)."""

    per_address: Limiter
    per_conversation: Limiter
    reads: Limiter  # the widget polls while an agent has the chat: a looser limit per address
    login: LoginLimits  # failed logins (helpdesk/staff/login.py)
    new_conversations: Limiter  # per client address, per 10 minutes
    handoffs: Limiter  # per client address, per hour (helpdesk/conversation/chat.py)
    order_lists: Limiter  # lists of orders by e-mail, per client address, per hour (helpdesk/mail/order_list.py)

    @classmethod
    def create(cls, settings: Settings, redis: Redis | None) -> Limits:
        prefix = settings.redis_channel

        def limiter(name: str, limit: int, window: float) -> Limiter:
            return create_limiter(redis, prefix, name, limit, window)

        return cls(
            per_address=limiter("address", settings.rate_per_address, RATE_WINDOW),
            per_conversation=limiter("conversation", settings.rate_per_conversation, RATE_WINDOW),
            reads=limiter("reads", settings.rate_per_address * 3, RATE_WINDOW),
            new_conversations=limiter("new-conversation", settings.new_conversations_per_address, 600.0),
            handoffs=limiter("handoff", settings.handoffs_per_address, 3600.0),
            order_lists=limiter("order-list", settings.order_lists_per_address, 3600.0),
            login=LoginLimits(
                per_client=limiter("login-client", settings.login_failures_per_user, LOGIN_WINDOW),
                per_account=limiter("login-account", settings.login_failures_per_account, LOGIN_WINDOW),
                per_address=limiter("login-address", settings.login_failures_per_address, LOGIN_WINDOW),
            ),
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
    password_checks: HashGate  # argon2 checks at once (helpdesk/staff/login.py)
    widget_sockets: SocketCaps  # open widget sockets (helpdesk/realtime/socket_caps.py)
    commands: Redis | None  # the locks' and limits' Redis connection (REDIS_URL)
    background: Background
    chat: ChatService
    desk: Desk
    desk_orders: DeskOrders
    assigner: AutoAssigner
    labels: Labels
    search: ConversationSearch
    order_systems: OrderSystems
    followups: FollowUps
    mail: Mail  # e-mail to and from customers (helpdesk/mail/)
    files: Attachments  # photos and PDFs in the chat (helpdesk/files/)
    corrections: Corrections  # agents' corrections of the bot (helpdesk/corrections/)

    @classmethod
    async def start(cls, settings: Settings, hours: BusinessHours) -> Services:
        """Migrate the database, connect, and build the services (a failure stops the start, with the reason)."""
        await asyncio.to_thread(migrate, settings.database_url)
        engine = create_engine(
            settings.database_url, settings.db_pool_size, settings.db_pool_overflow, settings.db_application_name
        )
        sessions = session_factory(engine)
        actions = ActionServerClient(settings.actions_url, settings.rasa_timeout)
        turn_limit = max(settings.rasa_timeout, TURN_LIMIT)  # customers wait less (chat_reply_seconds)
        rasa = RasaClient(
            settings.rasa_urls,
            settings.rasa_token,
            turn_limit,
            actions,
            settings.rasa_spread,
            turns_in_flight=settings.rasa_turns_in_flight,
            admit_seconds=settings.rasa_admit_seconds,
        )
        hub = create_hub(settings)
        await hub.start()
        events = Events(hub)
        presence = create_presence(settings, hub)
        await presence.start()
        commands = create_commands(settings)
        background = Background()
        locks = create_locks(commands, settings.redis_channel)
        context = ContextService(sessions, rasa, actions, events)
        order_systems = OrderSystems(order_system_from_config)
        queue = QueueNotifier(
            sessions, events, presence.online, settings.queue_seconds_per_chat, hours, presence.is_online
        )
        # who is on duty is known from the first estimate on (before the first broadcast it would count every open
        # console, Away ones too)
        await queue.refresh_staffing()
        limits = Limits.create(settings, commands)
        assigner = AutoAssigner(
            sessions, events, locks, presence, settings.auto_assign, settings.auto_assign_seconds, queue.announce
        )
        queue.kick = assigner.kick
        followups = FollowUps(sessions, hub)
        chat = ChatService(
            sessions,
            rasa,
            events,
            queue,
            context,
            locks,
            background,
            hours,
            limits.handoffs,
            burst_seconds=settings.chat_burst_seconds,
            reply_seconds=settings.chat_reply_seconds,
        )
        files = Attachments(
            sessions,
            file_storage(settings.files_dir),
            events,
            FileLimits(settings.file_max_bytes, settings.files_per_conversation, settings.files_per_address_per_hour),
        )
        mail = Mail.create(
            sessions,
            MailSettings.from_env(settings.public_url),
            hours,
            followups,
            chat,
            files,
            order_systems,
            limits.order_lists,
        )
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
            limits=limits,
            password_checks=HashGate(settings.login_hash_concurrency, settings.login_hash_waiting),
            widget_sockets=SocketCaps(
                settings.widget_sockets_per_address,
                settings.widget_sockets_per_conversation,
                socket_budget(settings.widget_sockets_total, raise_open_files_limit()),
            ),
            commands=commands,
            background=background,
            chat=chat,
            desk=Desk(sessions, events, queue, context, actions, locks, presence, settings.public_url),
            desk_orders=DeskOrders(sessions, events, locks, order_systems, context),
            assigner=assigner,
            labels=Labels(sessions, events),
            search=ConversationSearch(sessions),
            order_systems=order_systems,
            followups=followups,
            mail=mail,
            files=files,
            corrections=Corrections(
                sessions,
                create_limiter(commands, settings.redis_channel, "corrections", MARKS_PER_WINDOW, MARK_WINDOW),
                RouteLabels(),
            ),
        )

    async def close(self) -> None:
        await self.background.drain()
        await self.rasa.close()
        await self.actions.close()
        await self.order_systems.aclose()
        await self.presence.close()
        await self.hub.close()
        if self.commands is not None:
            await self.commands.aclose()
        self.password_checks.close()
        await self.engine.dispose()


def services(request: Request) -> Services:
    """The running services of the app serving `request`."""
    return services_of(request.app)


def services_of(app: DefaultSanic) -> Services:
    running = getattr(app.ctx, "services", None)
    if not isinstance(running, Services):
        raise RuntimeError("the helpdesk's services are not started (Services.start runs before the server)")
    return running
