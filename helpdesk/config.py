"""The helpdesk's settings, read from the environment in one place (secrets never come from git): `Settings`
for the web service, the action server's address and the process supervisor (helpdesk/stack.py).

Two parts keep a file of their own, read where they are used: the order back end (config/orders.yml with
ORDERS_* overrides: helpdesk/orders/config.py) and the FAQ engine (knowledge/kb.yml with KB_* overrides:
helpdesk/knowledge/settings.py). The project root is defined once, in nlu_addons (the one package both
virtualenvs import)."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from nlu_addons import PROJECT_ROOT
from nlu_addons.environment import DEFAULT_DATABASE_FILE, secret_from_env

__all__ = ["PROJECT_ROOT", "Settings", "business_hours_file_from_env", "secret_from_env"]


T = TypeVar("T")


def _env(name: str, default: T, parse: Callable[[str], T], what: str) -> T:
    """The environment variable `name` parsed, `default` when unset or empty; a clear error when malformed."""
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return parse(raw)
    except ValueError as exc:
        raise ValueError(f"environment variable {name} must be {what}, got {raw!r}") from exc


def _int(name: str, default: int) -> int:
    return _env(name, default, int, "an integer")


def _float(name: str, default: float) -> float:
    return _env(name, default, float, "a number")


def _parse_bool(raw: str) -> bool:
    if raw.lower() in ("1", "true", "yes", "on"):
        return True
    if raw.lower() in ("0", "false", "no", "off"):
        return False
    raise ValueError(raw)


def _bool(name: str, default: bool) -> bool:
    return _env(name, default, _parse_bool, "true or false")


def default_business_hours_file() -> Path:
    return PROJECT_ROOT / "config" / "business_hours.yml"


def business_hours_file_from_env() -> Path | None:
    """BUSINESS_HOURS=off: no schedule (always open); else BUSINESS_HOURS_FILE or config/business_hours.yml."""
    if not _bool("BUSINESS_HOURS", True):
        return None
    raw = os.environ.get("BUSINESS_HOURS_FILE")
    if not raw:
        return default_business_hours_file()
    path = Path(raw)
    return path if path.is_absolute() else PROJECT_ROOT / path


def default_database_url() -> str:
    return f"sqlite+aiosqlite:///{DEFAULT_DATABASE_FILE}"


@dataclass(frozen=True)
class Settings:
    host: str = "127.0.0.1"
    port: int = 8080
    database_url: str = field(default_factory=default_database_url)
    rasa_port: int = 5005
    rasa_url: str = "http://127.0.0.1:5005"
    # every Rasa process serving this shop (RASA_URLS, comma-separated; else RASA_URL): the helpdesk spreads the
    # conversations over them (helpdesk/clients/rasa.py), by conversation or, RASA_SPREAD=turn, by turn
    rasa_urls: tuple[str, ...] = ("http://127.0.0.1:5005",)
    rasa_spread: str = "conversation"
    rasa_token: str = ""
    # the action webhook (helpdesk/action_server.py) listens here; the helpdesk calls it at actions_url
    action_host: str = "127.0.0.1"
    action_port: int = 5055
    actions_url: str = "http://127.0.0.1:5055"
    # the secret Rasa sends the action webhook (endpoints.yml); `make run` makes one per run when unset
    action_secret: str = ""
    # GET /healthz shows which part is not ready to loopback callers, and to callers with this token
    health_token: str = ""
    rasa_timeout: float = 10.0
    # how long a customer's message waits for the bot's turn (CHAT_REPLY_SECONDS, default RASA_TIMEOUT): past it the
    # answer comes in the chat when Rasa finishes, never by sending the message to Rasa again (conversation/chat.py)
    chat_reply_seconds: float = 10.0
    # admission under overload (helpdesk/clients/rasa.py): turns waiting on each Rasa process at once, per helpdesk
    # process, and how long a turn may wait for room before it is refused as busy (its message waits in the chat)
    rasa_turns_in_flight: int = 8
    rasa_admit_seconds: float = 2.0
    # the PostgreSQL pool of each helpdesk process (helpdesk/db/engine.py): connections kept, and opened beyond
    db_pool_size: int = 10
    db_pool_overflow: int = 5
    db_application_name: str = "helpdesk"  # the process's name in PostgreSQL's pg_stat_activity
    max_text_chars: int = 2000
    # the one size limit on what a client sends the helpdesk: any request's body (the widget's and the console's
    # JSON) and any WebSocket frame (MAX_BODY_BYTES; more is refused with 413, or the socket closed with 1009)
    max_body_bytes: int = 256 * 1024
    # widget endpoints: requests per minute per client address and per conversation
    rate_per_address: int = 120
    rate_per_conversation: int = 30
    # new conversations per client address per 10 minutes, and handoffs to a person per client address per hour
    # (queue flooding: helpdesk/conversation/chat.py)
    new_conversations_per_address: int = 20
    handoffs_per_address: int = 5
    # lists of orders sent by e-mail per client address per hour (mail bombing: helpdesk/mail/order_list.py)
    order_lists_per_address: int = 5
    # the widget's open WebSockets: per client address, per conversation, in total (helpdesk/realtime/socket_caps.py)
    widget_sockets_per_address: int = 20
    widget_sockets_per_conversation: int = 5
    widget_sockets_total: int = 2000
    # sites allowed to embed the widget (CORS on /api/chat); "*" for any
    widget_origins: tuple[str, ...] = ("*",)
    # where customers reach the helpdesk (links in suggested replies)
    public_url: str = "http://127.0.0.1:8080"
    # agent console sessions: lifetime, and the cookie's Secure flag (AGENT_COOKIE_SECURE, and always when
    # PUBLIC_URL is https)
    session_hours: float = 12.0
    cookie_secure: bool = False
    # failed logins allowed per 15 minutes (helpdesk/staff/login.py): per account and client (its device cookie,
    # else its address), per account over clients without a device cookie, and per address over every account
    login_failures_per_user: int = 5
    login_failures_per_account: int = 50
    login_failures_per_address: int = 30
    # password checks (argon2) at once in this process, and how many more may wait before logins are refused (429)
    login_hash_concurrency: int = field(default_factory=lambda: max(1, (os.cpu_count() or 2) // 2))
    login_hash_waiting: int = 128
    # behind a reverse proxy: how many proxies to trust in X-Forwarded-For (or the header with the real address,
    # or the secret of a Forwarded header), so limits count the real client (sanic's PROXIES_COUNT, REAL_IP_HEADER,
    # FORWARDED_SECRET); unset: the peer's address, forwarding headers ignored
    proxies_count: int | None = None
    real_ip_header: str | None = None
    forwarded_secret: str | None = None
    # chats an agent may hold at once unless their account says otherwise
    default_max_concurrent: int = 3
    # automatic assignment (helpdesk/conversation/assignment.py): queued chats go to online agents under their cap;
    # each process also looks every `auto_assign_seconds` (chats freed or agents online in another process)
    auto_assign: bool = True
    auto_assign_seconds: float = 5.0
    # an agent who holds chats and has had no console open this many seconds has them returned to the queue (tab
    # closed without going Away: helpdesk/conversation/closed_consoles.py); 0: never
    closed_console_grace_seconds: float = 120.0
    # consecutive short customer lines within this many seconds are read by the bot as one message
    # ("hi" / "i have a question" / "about my order 100234"); 0: every line alone (helpdesk/conversation/burst.py)
    chat_burst_seconds: float = 1.5
    # the customer's estimated wait: this many seconds per conversation ahead, shared by the agents online
    queue_seconds_per_chat: int = 120
    # a queued conversation nobody claimed for this long (and no new customer message) gets a follow-up; 0: never
    followup_abandoned_minutes: float = 30.0
    # customers' new questions go to the FAQ engine's impact-preview memory this often (embedded and ranked at a
    # low priority, kept across restarts: helpdesk/web/handbook.py rank_new_questions_forever); 0: never
    preview_warm_seconds: float = 300.0
    # the dashboard: the queue-wait target (SLA) in seconds
    queue_sla_seconds: int = 120
    # the support team's schedule (helpdesk/conversation/business_hours.py); None: always open
    business_hours_file: Path | None = field(default_factory=default_business_hours_file)
    # real-time fan-out between helpdesk processes: Redis pub/sub when set, else in-process
    redis_url: str | None = None
    redis_channel: str = "helpdesk:events"
    # `python -m helpdesk users demo`: one password for every demo account instead of fresh random ones; demo mode
    # (HELPDESK_DEMO) makes and resets the demo accounts on a database that has accounts (else only an empty one)
    demo_password: str | None = None
    demo_mode: bool = False
    # files in the chat (helpdesk/files/): where they are kept, the largest file, files per conversation, and files
    # per client address per hour
    files_dir: Path = field(default_factory=lambda: PROJECT_ROOT / "var" / "files")
    file_max_bytes: int = 10 * 1024 * 1024
    files_per_conversation: int = 20
    files_per_address_per_hour: int = 30

    @classmethod
    def from_env(cls) -> Settings:
        rasa_port = _int("RASA_PORT", 5005)
        action_port = _int("ACTION_PORT", 5055)
        port = _int("HELPDESK_PORT", 8080)
        public_url = os.environ.get("PUBLIC_URL") or f"http://127.0.0.1:{port}"
        rasa_url = os.environ.get("RASA_URL", f"http://127.0.0.1:{rasa_port}")
        rasa_urls = tuple(u.strip() for u in os.environ.get("RASA_URLS", "").split(",") if u.strip()) or (rasa_url,)
        return cls(
            host=os.environ.get("HELPDESK_HOST", "127.0.0.1"),
            port=port,
            database_url=os.environ.get("DATABASE_URL") or default_database_url(),
            rasa_port=rasa_port,
            rasa_url=rasa_urls[0],
            rasa_urls=rasa_urls,
            rasa_spread=os.environ.get("RASA_SPREAD") or "conversation",
            rasa_token=secret_from_env("RASA_TOKEN"),
            action_host=os.environ.get("ACTION_HOST", "127.0.0.1"),
            action_port=action_port,
            actions_url=os.environ.get("ACTIONS_URL", f"http://127.0.0.1:{action_port}"),
            action_secret=secret_from_env("ACTION_SECRET"),
            health_token=secret_from_env("HEALTH_TOKEN"),
            rasa_timeout=_float("RASA_TIMEOUT", 10.0),
            chat_reply_seconds=max(0.001, _float("CHAT_REPLY_SECONDS", _float("RASA_TIMEOUT", 10.0))),
            rasa_turns_in_flight=max(1, _int("RASA_TURNS_IN_FLIGHT", 8)),
            rasa_admit_seconds=max(0.0, _float("RASA_ADMIT_SECONDS", 2.0)),
            db_pool_size=max(1, _int("DB_POOL_SIZE", 10)),
            db_pool_overflow=max(0, _int("DB_POOL_OVERFLOW", 5)),
            db_application_name=os.environ.get("DB_APPLICATION_NAME") or "helpdesk",
            max_text_chars=_int("CHAT_MAX_CHARS", 2000),
            max_body_bytes=_int("MAX_BODY_BYTES", 256 * 1024),
            rate_per_address=_int("RATE_PER_ADDRESS", 120),
            rate_per_conversation=_int("RATE_PER_CONVERSATION", 30),
            new_conversations_per_address=_int("NEW_CONVERSATIONS_PER_ADDRESS", 20),
            handoffs_per_address=_int("HANDOFFS_PER_ADDRESS", 5),
            order_lists_per_address=_int("ORDER_LISTS_PER_ADDRESS", 5),
            widget_sockets_per_address=_int("WIDGET_SOCKETS_PER_ADDRESS", 20),
            widget_sockets_per_conversation=_int("WIDGET_SOCKETS_PER_CONVERSATION", 5),
            widget_sockets_total=_int("WIDGET_SOCKETS_TOTAL", 2000),
            widget_origins=tuple(o.strip() for o in os.environ.get("WIDGET_ORIGINS", "*").split(",") if o.strip()),
            public_url=public_url,
            session_hours=_float("AGENT_SESSION_HOURS", 12.0),
            cookie_secure=_bool("AGENT_COOKIE_SECURE", False) or public_url.lower().startswith("https://"),
            login_failures_per_user=_int("LOGIN_FAILURES_PER_USER", 5),
            login_failures_per_account=_int("LOGIN_FAILURES_PER_ACCOUNT", 50),
            login_failures_per_address=_int("LOGIN_FAILURES_PER_ADDRESS", 30),
            login_hash_concurrency=_int("LOGIN_HASH_CONCURRENCY", max(1, (os.cpu_count() or 2) // 2)),
            login_hash_waiting=_int("LOGIN_HASH_WAITING", 128),
            proxies_count=_int("PROXIES_COUNT", 0) or None,
            real_ip_header=os.environ.get("REAL_IP_HEADER") or None,
            forwarded_secret=os.environ.get("FORWARDED_SECRET") or None,
            default_max_concurrent=_int("AGENT_MAX_CONCURRENT", 3),
            auto_assign=_bool("AUTO_ASSIGN", True),
            auto_assign_seconds=_float("AUTO_ASSIGN_SECONDS", 5.0),
            closed_console_grace_seconds=max(0.0, _float("CLOSED_CONSOLE_GRACE_SECONDS", 120.0)),
            chat_burst_seconds=max(0.0, min(_float("CHAT_BURST_SECONDS", 1.5), 10.0)),
            queue_seconds_per_chat=_int("QUEUE_SECONDS_PER_CHAT", 120),
            followup_abandoned_minutes=_float("FOLLOWUP_ABANDONED_MINUTES", 30.0),
            preview_warm_seconds=max(0.0, _float("PREVIEW_WARM_SECONDS", 300.0)),
            queue_sla_seconds=_int("QUEUE_SLA_SECONDS", 120),
            business_hours_file=business_hours_file_from_env(),
            redis_url=os.environ.get("REDIS_URL") or None,
            redis_channel=os.environ.get("REDIS_CHANNEL") or "helpdesk:events",
            demo_password=os.environ.get("HELPDESK_DEMO_PASSWORD") or None,
            demo_mode=_bool("HELPDESK_DEMO", False),
            files_dir=Path(os.environ.get("FILES_DIR") or PROJECT_ROOT / "var" / "files"),
            file_max_bytes=_int("FILE_MAX_BYTES", 10 * 1024 * 1024),
            files_per_conversation=_int("FILES_PER_CONVERSATION", 20),
            files_per_address_per_hour=_int("FILES_PER_ADDRESS_PER_HOUR", 30),
        )
