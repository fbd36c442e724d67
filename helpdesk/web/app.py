"""The helpdesk web service: chat API, readiness, widget and demo shop, help-centre pages."""

from __future__ import annotations

import asyncio
import html
import json
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt
from sanic import Request, Sanic
from sanic.response import HTTPResponse, file
from sanic.response import html as html_response
from sanic.response import json as json_response

from helpdesk.clients.rasa import BotUnavailable, RasaClient
from helpdesk.config import Settings
from helpdesk.conversation.business_hours import load_schedule
from helpdesk.conversation.chat import (
    Background,
    BotDown,
    ChatService,
    ConversationLocks,
    ConversationNotFound,
    LeftMessage,
    MessageRefused,
    RatingRefused,
)
from helpdesk.conversation.context import ContextService, KnowledgeClient
from helpdesk.conversation.desk import Desk
from helpdesk.conversation.queue import QueueNotifier
from helpdesk.db.engine import create_engine, migrate, session_factory
from helpdesk.ratelimit import RateLimiter
from helpdesk.realtime.events import Events
from helpdesk.realtime.hub import MemoryHub
from helpdesk.realtime.presence import Presence
from helpdesk.realtime.redis_hub import RedisHub
from helpdesk.realtime.redis_presence import RedisPresence
from helpdesk.web.console import install_agent_api
from helpdesk.web.dashboard import install_dashboard
from helpdesk.web.editor import install_editor_api
from helpdesk.web.followups import install_followups_api
from helpdesk.web.sockets import install_sockets

log = logging.getLogger(__name__)
STATIC = Path(__file__).resolve().parent.parent / "static"
PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'"
)
PREFLIGHT_HEADERS = {
    "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
    "Access-Control-Allow-Headers": "Content-Type",
    "Access-Control-Max-Age": "600",
}
CSP_HEADERS = {"Content-Security-Policy": PAGE_CSP, "X-Content-Type-Options": "nosniff"}
CONSOLE_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)
CONSOLE_HEADERS = {
    "Content-Security-Policy": CONSOLE_CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-cache",
}
# the console's pages (agent console, supervisors' dashboard, editors' report) and their files, all under /agent
CONSOLE_PAGES = {"": "agent.html", "/dashboard": "dashboard.html", "/unanswered": "unanswered.html"}
CONSOLE_ASSETS = frozenset(
    {"console-common.js", "agent.js", "agent.css", "dashboard.js", "dashboard.css", "unanswered.js", "unanswered.css"}
    | {"vendor/chart.umd.min.js"}
)
ASSET_TYPES = {".js": "application/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}
MAX_COMMENT_CHARS = 1000
_markdown = MarkdownIt("commonmark", {"html": False})


def error(message: str, status: int, **headers: str) -> HTTPResponse:
    return json_response({"error": message}, status=status, headers=headers or None)


class BadRequest(Exception):
    pass


def json_object(request: Request, example: str) -> dict[str, Any]:
    """The request body as a JSON object, else BadRequest naming what is expected (`example`)."""
    try:
        body = json.loads(request.body or b"")
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadRequest("the request body must be valid JSON") from exc
    if not isinstance(body, dict):
        raise BadRequest(f"the request body must be a JSON object like {example}")
    return body


def parse_rating(request: Request) -> tuple[int, str | None]:
    """Validate a POST /api/chat/<id>/rating body: {"score": 1-5, "comment": optional text}."""
    body = json_object(request, '{"score": 5, "comment": "thanks"}')
    score = body.get("score")
    if not isinstance(score, int) or isinstance(score, bool) or not 1 <= score <= 5:
        raise BadRequest("score must be a whole number from 1 to 5")
    comment = body.get("comment")
    if comment is not None and not isinstance(comment, str):
        raise BadRequest("comment must be a string")
    comment = (comment or "").strip() or None
    if comment is not None and len(comment) > MAX_COMMENT_CHARS:
        raise BadRequest(f"comment is too long: the limit is {MAX_COMMENT_CHARS} characters")
    return score, comment


CLIENT_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
MAX_NAME_CHARS = 100
MAX_EMAIL_CHARS = 254


def parse_left_message(request: Request, max_chars: int) -> LeftMessage:
    """Validate a POST /api/chat/<id>/offline-message body: {"text", "name"?, "email"?}."""
    body = json_object(request, '{"text": "...", "email": "you@example.com"}')
    text = body.get("text")
    if not isinstance(text, str) or not text.strip():
        raise BadRequest("text is missing: write the message for our team")
    text = text.strip()
    if len(text) > max_chars:
        raise BadRequest(f"text is too long: {len(text)} characters, the limit is {max_chars}")
    fields: dict[str, str | None] = {}
    for key, limit in (("name", MAX_NAME_CHARS), ("email", MAX_EMAIL_CHARS)):
        value = body.get(key)
        if value is not None and not isinstance(value, str):
            raise BadRequest(f"{key} must be a string")
        value = " ".join((value or "").split()) or None
        if value is not None and len(value) > limit:
            raise BadRequest(f"{key} is too long: the limit is {limit} characters")
        fields[key] = value
    if fields["email"] is not None and not EMAIL.match(fields["email"]):
        raise BadRequest("email does not look like an e-mail address")
    return LeftMessage(text, fields["name"], fields["email"])


@dataclass(frozen=True)
class ChatRequest:
    conversation_id: str | None
    text: str
    client_message_id: str | None = None
    # a shop's signed identity for its logged-in customer (verified by the actions, never trusted here)
    customer_token: str | None = None


def parse_chat_body(request: Request, max_chars: int) -> ChatRequest:
    """Validate a POST /api/chat body."""
    body = json_object(request, '{"conversation_id": null, "text": "hi"}')
    conversation_id = body.get("conversation_id")
    if conversation_id is not None and (not isinstance(conversation_id, str) or not conversation_id.strip()):
        raise BadRequest("conversation_id must be a string, or null to start a new conversation")
    if "text" not in body:
        raise BadRequest("text is missing")
    text = body["text"]
    if not isinstance(text, str):
        raise BadRequest("text must be a string")
    text = text.strip()
    if not text:
        raise BadRequest("text is empty")
    if len(text) > max_chars:
        raise BadRequest(f"text is too long: {len(text)} characters, the limit is {max_chars}")
    client_message_id = body.get("client_message_id")
    if client_message_id is not None and (
        not isinstance(client_message_id, str) or not CLIENT_ID.match(client_message_id)
    ):
        raise BadRequest("client_message_id must be 1 to 64 letters, digits, '-' or '_'")
    customer_token = body.get("customer_token")
    if customer_token is not None and (not isinstance(customer_token, str) or not 0 < len(customer_token) <= 512):
        raise BadRequest("customer_token must be a string of at most 512 characters")
    return ChatRequest(conversation_id, text, client_message_id, customer_token)


def client_address(request: Request) -> str:
    return str(request.remote_addr or request.ip or "unknown")


def create_app(settings: Settings | None = None, name: str = "helpdesk") -> Sanic:
    settings = settings or Settings.from_env()
    app = Sanic(name)
    app.config.REQUEST_MAX_SIZE = 256 * 1024
    app.config.FALLBACK_ERROR_FORMAT = "json"
    app.ctx.settings = settings
    address_limit = RateLimiter(settings.rate_per_address)
    conversation_limit = RateLimiter(settings.rate_per_conversation)
    read_limit = RateLimiter(settings.rate_per_address * 3)  # the widget polls while an agent has the chat
    hours = load_schedule(settings.business_hours_file)  # a malformed schedule stops the start, with the reason
    app.ctx.hours = hours

    @app.before_server_start
    async def _start(app: Sanic) -> None:
        await asyncio.to_thread(migrate, settings.database_url)
        app.ctx.engine = create_engine(settings.database_url)
        app.ctx.sessions = sessions = session_factory(app.ctx.engine)
        app.ctx.bot = RasaClient(settings.rasa_url, settings.rasa_token, settings.actions_url, settings.rasa_timeout)
        app.ctx.knowledge = KnowledgeClient(
            settings.actions_url, settings.rasa_url, settings.rasa_token, settings.rasa_timeout
        )
        app.ctx.hub = RedisHub(settings.redis_url, settings.redis_channel) if settings.redis_url else MemoryHub()
        await app.ctx.hub.start()
        app.ctx.events = events = Events(app.ctx.hub)
        app.ctx.presence = presence = (
            RedisPresence(settings.redis_url, settings.redis_channel, app.ctx.hub) if settings.redis_url else Presence()
        )
        await presence.start()
        app.ctx.background = Background()
        locks = ConversationLocks()
        context = ContextService(sessions, app.ctx.knowledge, events)
        queue = QueueNotifier(sessions, events, presence.online, settings.queue_seconds_per_chat, hours)
        app.ctx.chat = ChatService(sessions, app.ctx.bot, events, queue, context, locks, app.ctx.background, hours)
        app.ctx.desk = Desk(sessions, events, queue, context, app.ctx.knowledge, locks, presence, settings.public_url)

    @app.after_server_stop
    async def _stop(app: Sanic) -> None:
        await app.ctx.background.drain()
        await app.ctx.bot.close()
        await app.ctx.knowledge.close()
        await app.ctx.presence.close()
        await app.ctx.hub.close()
        await app.ctx.engine.dispose()

    install_agent_api(app, settings)
    install_sockets(app, settings, read_limit)
    install_dashboard(app, settings)
    install_editor_api(app)
    install_followups_api(app, settings)

    def limited(
        request: Request, conversation_id: str | None, per_address: RateLimiter = address_limit
    ) -> HTTPResponse | None:
        address = client_address(request)
        if not per_address.allow(address):
            retry = str(per_address.retry_after(address))
            return error("too many requests from this address; please wait a moment", 429, **{"Retry-After": retry})
        if conversation_id and not conversation_limit.allow(conversation_id):
            retry = str(conversation_limit.retry_after(conversation_id))
            return error("too many messages in this conversation; please wait a moment", 429, **{"Retry-After": retry})
        return None

    @app.on_response
    async def _widget_cors(request: Request, response: HTTPResponse) -> None:
        """The widget runs on the shop's own site: its API answers cross-origin (no cookies involved)."""
        if request.path.startswith("/api/chat") and settings.widget_origins:
            origin = request.headers.get("origin")
            allowed = "*" if "*" in settings.widget_origins else (origin if origin in settings.widget_origins else None)
            if allowed:
                response.headers["Access-Control-Allow-Origin"] = allowed
                response.headers["Vary"] = "Origin"

    @app.options("/api/chat")
    async def chat_preflight(request: Request) -> HTTPResponse:
        return HTTPResponse(status=204, headers=PREFLIGHT_HEADERS)

    @app.options("/api/chat/<conversation_id:str>/messages")
    async def messages_preflight(request: Request, conversation_id: str) -> HTTPResponse:
        return HTTPResponse(status=204, headers=PREFLIGHT_HEADERS)

    @app.options("/api/chat/<conversation_id:str>/rating")
    async def rating_preflight(request: Request, conversation_id: str) -> HTTPResponse:
        return HTTPResponse(status=204, headers=PREFLIGHT_HEADERS)

    @app.options("/api/chat/<conversation_id:str>/offline-message")
    async def offline_message_preflight(request: Request, conversation_id: str) -> HTTPResponse:
        return HTTPResponse(status=204, headers=PREFLIGHT_HEADERS)

    @app.get("/api/chat/status")
    async def chat_status(request: Request) -> HTTPResponse:
        """What the widget shows before any conversation: whether the team is in, and when it is back."""
        if (refused := limited(request, None, read_limit)) is not None:
            return refused
        return json_response({"business_hours": hours.status().to_json()})

    @app.post("/api/chat/<conversation_id:str>/offline-message")
    async def offline_message(request: Request, conversation_id: str) -> HTTPResponse:
        """The customer leaves a message for the team (out of business hours): stored, queued, marked."""
        if (refused := limited(request, conversation_id)) is not None:
            return refused
        try:
            left = parse_left_message(request, settings.max_text_chars)
        except BadRequest as exc:
            return error(str(exc), 400)
        try:
            mode, messages = await app.ctx.chat.leave_message(conversation_id, left)
        except ConversationNotFound:
            return error("unknown conversation_id", 404)
        except MessageRefused:
            return error("a member of our team is in this chat: just send your message", 409)
        return json_response({"conversation_id": conversation_id, "mode": mode, "messages": messages}, status=201)

    @app.get("/healthz")
    async def healthz(request: Request) -> HTTPResponse:
        bot: RasaClient = app.ctx.bot
        knowledge = await bot.knowledge_status()
        status = {
            "rasa": await bot.rasa_ready(),
            "actions": await bot.actions_ready(),
            "knowledge": knowledge,
        }
        ready = status["rasa"] and status["actions"] and bool(knowledge and knowledge.get("ready"))
        return json_response({"status": "ok" if ready else "starting", **status}, status=200 if ready else 503)

    @app.post("/api/chat")
    async def chat(request: Request) -> HTTPResponse:
        try:
            body = parse_chat_body(request, settings.max_text_chars)
        except BadRequest as exc:
            return error(str(exc), 400)
        if (refused := limited(request, body.conversation_id)) is not None:
            return refused
        service: ChatService = app.ctx.chat
        try:
            result = await service.handle(
                body.conversation_id, body.text, body.client_message_id, customer_token=body.customer_token
            )
        except ConversationNotFound:
            return error("unknown conversation_id; send null to start a new conversation", 404)
        except BotDown as exc:
            return json_response(
                {
                    "error": "the assistant is unavailable right now; your message was saved and "
                    "we will get back to you",
                    "conversation_id": exc.conversation_id,
                },
                status=503,
            )
        return json_response(result.to_json())

    @app.get("/api/chat/<conversation_id:str>/messages")
    async def messages(request: Request, conversation_id: str) -> HTTPResponse:
        if (refused := limited(request, None, read_limit)) is not None:
            return refused
        try:
            after = int(request.args.get("after", "0"))
        except ValueError:
            return error("after must be a message id (an integer)", 400)
        try:
            _, rows = await app.ctx.chat.history(conversation_id, after)
            status = await app.ctx.chat.status(conversation_id)
        except ConversationNotFound:
            return error("unknown conversation_id", 404)
        return json_response({"conversation_id": conversation_id, **status.to_json(), "messages": rows})

    @app.post("/api/chat/<conversation_id:str>/rating")
    async def rating(request: Request, conversation_id: str) -> HTTPResponse:
        if (refused := limited(request, conversation_id)) is not None:
            return refused
        try:
            score, comment = parse_rating(request)
        except BadRequest as exc:
            return error(str(exc), 400)
        try:
            stored = await app.ctx.chat.rate(conversation_id, score, comment)
        except ConversationNotFound:
            return error("unknown conversation_id", 404)
        except RatingRefused:
            return error("there is no resolved chat to rate here (or it is rated already)", 409)
        return json_response({"conversation_id": conversation_id, "score": stored.score}, status=201)

    @app.get("/help/<faq_id:str>")
    async def help_page(request: Request, faq_id: str) -> HTTPResponse:
        try:
            entry: dict[str, Any] | None = await app.ctx.bot.knowledge_entry(faq_id)
        except BotUnavailable:
            return html_response("<h1>Help centre unavailable</h1>", status=503, headers=CSP_HEADERS)
        if entry is None:
            return html_response("<h1>No such help article</h1>", status=404, headers=CSP_HEADERS)
        page = HELP_TEMPLATE.format(title=html.escape(entry["title"]), body=_markdown.render(entry["answer"]))
        return html_response(page, headers=CSP_HEADERS)

    @app.get("/")
    async def shop(request: Request) -> HTTPResponse:
        return await file(STATIC / "shop" / "shop.html", headers=CSP_HEADERS)

    for suffix, page in CONSOLE_PAGES.items():

        async def console_page(request: Request, page: str = page) -> HTTPResponse:
            return await file(STATIC / "console" / page, headers=CONSOLE_HEADERS)

        app.add_route(console_page, f"/agent{suffix}", methods=["GET"], name=f"console_{page.removesuffix('.html')}")

    @app.get("/agent/<asset:path>")
    async def console_asset(request: Request, asset: str) -> HTTPResponse:
        if asset not in CONSOLE_ASSETS:
            return error("not found", 404)
        mime_type = ASSET_TYPES[Path(asset).suffix]
        return await file(STATIC / "console" / asset, mime_type=mime_type, headers=CONSOLE_HEADERS)

    @app.get("/widget.js")
    async def widget(request: Request) -> HTTPResponse:
        return await file(
            STATIC / "widget" / "widget.js",
            mime_type="application/javascript; charset=utf-8",
            headers={"Cache-Control": "no-cache", "Access-Control-Allow-Origin": "*"},
        )

    return app


HELP_TEMPLATE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>{title} · Larkspur Home help centre</title>
<style>body{{font:16px/1.6 system-ui,sans-serif;max-width:44rem;margin:2rem auto;padding:0 1rem;color:#2b2b2b}}
a{{color:#5a3e8c}} h1{{font-size:1.6rem}}</style></head>
<body><p><a href="/">Larkspur Home</a> › Help centre</p><h1>{title}</h1>{body}</body></html>
"""
