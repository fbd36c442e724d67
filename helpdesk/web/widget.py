"""The customer's room: the chat widget's API under /api/chat (it runs on the shop's own site, so it answers
cross-origin, without cookies: the unguessable conversation id is the customer's key).

    POST /api/chat                                {"conversation_id", "text", ...} → the bot's replies
    POST /api/chat/start                          → {"conversation_id"}: a conversation before its first line
    GET  /api/chat/status                         business hours and the greeting's topics, before any conversation
    GET  /api/chat/<id>/messages?after=<id>       the transcript (and queue place, rating, hours)
    POST /api/chat/<id>/messages/<mid>/feedback   {"helpful": true|false} on a bot answer, once
    POST /api/chat/<id>/rating                    {"score": 1-5, "comment"?} → {"follow_up": bool}
    POST /api/chat/<id>/offline-message           {"text", "name"?, "email"?} out of business hours
    POST /api/chat/<id>/wait/email                {"email", "lang"?} waiting: the answer by e-mail instead
    POST /api/chat/<id>/wait/cancel               {"lang"?} waiting: stop waiting (helpdesk/mail/waiting.py)
    WS   /api/chat/<id>/ws?after=<id>             live (helpdesk/web/sockets.py)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sanic import Blueprint, Request
from sanic.response import HTTPResponse
from sanic.response import json as json_response

from helpdesk.config import Settings
from helpdesk.conversation import script
from helpdesk.conversation.chat import LeftMessage
from helpdesk.errors import Invalid, TooMany
from helpdesk.i18n import normalize
from helpdesk.limits.window import Limiter
from helpdesk.web.inputs import client_address, json_body, message_id_arg, whole_number
from helpdesk.web.services import Limits, services
from helpdesk.web.sockets import widget_socket

PREFLIGHT_HEADERS = {
    "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
    "Access-Control-Allow-Headers": "Content-Type",
    "Access-Control-Max-Age": "600",
}
PREFLIGHTS = {
    "chat": "",
    "start": "/start",
    "messages": "/<conversation_id:str>/messages",
    "rating": "/<conversation_id:str>/rating",
    "feedback": "/<conversation_id:str>/messages/<message_id:int>/feedback",
    "offline_message": "/<conversation_id:str>/offline-message",
    "wait_email": "/<conversation_id:str>/wait/email",
    "wait_cancel": "/<conversation_id:str>/wait/cancel",
}
MAX_COMMENT_CHARS = 1000
CLIENT_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
MAX_NAME_CHARS = 100
MAX_EMAIL_CHARS = 254


@dataclass(frozen=True)
class ChatRequest:
    conversation_id: str | None
    text: str
    client_message_id: str | None = None
    # a shop's signed identity for its logged-in customer (verified by the actions, never trusted here)
    customer_token: str | None = None
    # the widget's language (its page's lang): which greeting topics a first button press belongs to
    page_language: str = "en"
    # the widget's language is written in traditional characters (zh-TW, zh-HK, zh-Hant: helpdesk/conversation/
    # script.py): its own words and topics stored as shown, the bot's replies when no message shows a script
    page_traditional: bool = False


def parse_chat_body(request: Request, max_chars: int) -> ChatRequest:
    """Validate a POST /api/chat body."""
    body = json_body(request, '{"conversation_id": null, "text": "hi"}')
    conversation_id = body.get("conversation_id")
    if conversation_id is not None and (not isinstance(conversation_id, str) or not conversation_id.strip()):
        raise Invalid("conversation_id must be a string, or null to start a new conversation")
    if "text" not in body:
        raise Invalid("text is missing")
    text = body["text"]
    if not isinstance(text, str):
        raise Invalid("text must be a string")
    text = text.strip()
    if not text:
        raise Invalid("text is empty")
    if len(text) > max_chars:
        raise Invalid(f"text is too long: {len(text)} characters, the limit is {max_chars}")
    client_message_id = body.get("client_message_id")
    if client_message_id is not None and (
        not isinstance(client_message_id, str) or not CLIENT_ID.match(client_message_id)
    ):
        raise Invalid("client_message_id must be 1 to 64 letters, digits, '-' or '_'")
    customer_token = body.get("customer_token")
    if customer_token is not None and (not isinstance(customer_token, str) or not 0 < len(customer_token) <= 512):
        raise Invalid("customer_token must be a string of at most 512 characters")
    lang = body.get("lang")
    return ChatRequest(
        conversation_id, text, client_message_id, customer_token, normalize(lang), script.page_traditional(lang)
    )


def parse_rating(request: Request) -> tuple[int, str | None]:
    """Validate a POST /api/chat/<id>/rating body: {"score": 1-5, "comment": optional text}."""
    body = json_body(request, '{"score": 5, "comment": "thanks"}')
    score = body.get("score")
    if not whole_number(score) or not 1 <= score <= 5:
        raise Invalid("score must be a whole number from 1 to 5")
    comment = body.get("comment")
    if comment is not None and not isinstance(comment, str):
        raise Invalid("comment must be a string")
    comment = (comment or "").strip() or None
    if comment is not None and len(comment) > MAX_COMMENT_CHARS:
        raise Invalid(f"comment is too long: the limit is {MAX_COMMENT_CHARS} characters")
    return score, comment


def parse_feedback(request: Request) -> bool:
    """Validate a POST /api/chat/<id>/messages/<message id>/feedback body: {"helpful": true | false}."""
    helpful = json_body(request, '{"helpful": true}').get("helpful")
    if not isinstance(helpful, bool):
        raise Invalid("helpful must be true (the answer helped) or false (it did not)")
    return helpful


def parse_left_message(request: Request, max_chars: int) -> LeftMessage:
    """Validate a POST /api/chat/<id>/offline-message body: {"text", "name"?, "email"?}."""
    body = json_body(request, '{"text": "...", "email": "you@example.com"}')
    text = body.get("text")
    if not isinstance(text, str) or not text.strip():
        raise Invalid("text is missing: write the message for our team")
    text = text.strip()
    if len(text) > max_chars:
        raise Invalid(f"text is too long: {len(text)} characters, the limit is {max_chars}")
    fields: dict[str, str | None] = {}
    for key, limit in (("name", MAX_NAME_CHARS), ("email", MAX_EMAIL_CHARS)):
        value = body.get(key)
        if value is not None and not isinstance(value, str):
            raise Invalid(f"{key} must be a string")
        value = " ".join((value or "").split()) or None
        if value is not None and len(value) > limit:
            raise Invalid(f"{key} is too long: the limit is {limit} characters")
        fields[key] = value
    if fields["email"] is not None and not EMAIL.match(fields["email"]):
        raise Invalid("email does not look like an e-mail address")
    return LeftMessage(text, fields["name"], fields["email"])


async def check_limits(request: Request, conversation_id: str | None, per_address: Limiter | None = None) -> None:
    """TooMany (429, with Retry-After) when the client's address, or the conversation, is over its limit."""
    limits = services(request).limits
    address = per_address or limits.per_address
    if conversation_id:  # both in one step (one Redis round trip); the conversation's only if the address passed
        by_address, by_conversation = await address.hit_then(
            client_address(request), limits.per_conversation, conversation_id
        )
    else:
        by_address, by_conversation = await address.hit(client_address(request)), None
    if not by_address.allowed:
        raise TooMany("too many requests from this address; please wait a moment", by_address.retry_after)
    if by_conversation is not None and not by_conversation.allowed:
        raise TooMany("too many messages in this conversation; please wait a moment", by_conversation.retry_after)


async def check_new_conversation(request: Request) -> None:
    """`check_limits` for a request that starts a conversation, and TooMany (429) when this client address started
    too many conversations lately (a queue flood starts here): `new_conversation_limits`."""
    await new_conversation_limits(services(request).limits, client_address(request))


async def new_conversation_limits(limits: Limits, address: str) -> None:
    """TooMany (429, with Retry-After) when `address` is over its request limit or started too many conversations
    lately: the two counts in one step (one Redis round trip, not two: issue 22), the second only when the first
    passed (a refused new conversation keeps the request counted, as every refused request is)."""
    by_address, started = await limits.per_address.hit_then(address, limits.new_conversations, address)
    if not by_address.allowed:
        raise TooMany("too many requests from this address; please wait a moment", by_address.retry_after)
    if started is not None and not started.allowed:
        raise TooMany("too many new conversations from this address; please continue an open one", started.retry_after)


def widget_blueprint(settings: Settings) -> Blueprint:
    bp = Blueprint("widget", url_prefix="/api/chat")
    bp.add_websocket_route(widget_socket, "/<conversation_id:str>/ws", name="widget_socket")

    async def _cross_origin(request: Request, response: HTTPResponse) -> None:
        """The widget runs on the shop's own site (WIDGET_ORIGINS): its API answers cross-origin."""
        if not settings.widget_origins:
            return
        origin = request.headers.get("origin")
        allowed = "*" if "*" in settings.widget_origins else (origin if origin in settings.widget_origins else None)
        if allowed:
            response.headers["Access-Control-Allow-Origin"] = allowed
            response.headers["Vary"] = "Origin"

    bp.middleware(_cross_origin, "response")

    for name, path in PREFLIGHTS.items():
        bp.add_route(_preflight, path, methods=["OPTIONS"], name=f"preflight_{name}")

    @bp.post("")
    async def chat(request: Request) -> HTTPResponse:
        body = parse_chat_body(request, settings.max_text_chars)
        if body.conversation_id is None:
            await check_new_conversation(request)
        else:
            await check_limits(request, body.conversation_id)
        result = await services(request).chat.handle(
            body.conversation_id,
            body.text,
            body.client_message_id,
            customer_token=body.customer_token,
            client_address=client_address(request),
            page_language=body.page_language,
            page_traditional=body.page_traditional,
        )
        await services(request).mail.presence.seen(result.conversation_id)  # the customer is on the page
        return json_response(result.to_json())

    @bp.post("/start")
    async def start(request: Request) -> HTTPResponse:
        """A new conversation, before the customer's first line: the widget asks for one as that line goes out, so
        the service holds a short first line for the rest of a burst as it holds every later one (issue 16.3).
        Counted as a new conversation (429 past the per-address limit), like a first message without an id."""
        await check_new_conversation(request)
        conversation_id = await services(request).chat.start()
        return json_response({"conversation_id": conversation_id}, status=201)

    @bp.get("/status")
    async def status(request: Request) -> HTTPResponse:
        """What the widget shows before any conversation: whether the team is in, when it is back, and the topics
        of the bot's greeting (buttons the customer may press first)."""
        running = services(request)
        await check_limits(request, None, running.limits.reads)
        lang = request.args.get("lang")
        topics = await running.chat.bot.greeting_buttons(normalize(lang))
        topics = script.buttons_in_script(topics, script.page_traditional(lang)) or []
        return json_response({"business_hours": running.hours.status().to_json(), "topics": topics})

    @bp.get("/<conversation_id:str>/messages")
    async def messages(request: Request, conversation_id: str) -> HTTPResponse:
        await check_limits(request, None, services(request).limits.reads)
        after = message_id_arg(request)
        chat = services(request).chat
        _, rows = await chat.history(conversation_id, after)
        state = await chat.status(conversation_id)
        await services(request).mail.presence.seen(conversation_id)  # the customer's widget is polling
        return json_response({"conversation_id": conversation_id, **state.to_json(), "messages": rows})

    @bp.post("/<conversation_id:str>/rating")
    async def rating(request: Request, conversation_id: str) -> HTTPResponse:
        await check_limits(request, conversation_id)
        score, comment = parse_rating(request)
        stored, follow_up = await services(request).chat.rate(conversation_id, score, comment)
        return json_response(
            {"conversation_id": conversation_id, "score": stored.score, "follow_up": follow_up}, status=201
        )

    @bp.post("/<conversation_id:str>/messages/<message_id:int>/feedback")
    async def answer_feedback(request: Request, conversation_id: str, message_id: int) -> HTTPResponse:
        """Did the bot's answer help? Only that conversation's customer knows its id; 409 on a second vote."""
        await check_limits(request, conversation_id)
        helpful = parse_feedback(request)
        message = await services(request).chat.feedback(conversation_id, message_id, helpful)
        return json_response({"conversation_id": conversation_id, "message": message}, status=201)

    @bp.post("/<conversation_id:str>/offline-message")
    async def offline_message(request: Request, conversation_id: str) -> HTTPResponse:
        """The customer leaves a message for the team (out of business hours): stored, queued, marked."""
        await check_limits(request, conversation_id)
        left = parse_left_message(request, settings.max_text_chars)
        mode, stored = await services(request).chat.leave_message(conversation_id, left)
        return json_response({"conversation_id": conversation_id, "mode": mode, "messages": stored}, status=201)

    @bp.post("/<conversation_id:str>/wait/email")
    async def wait_by_email(request: Request, conversation_id: str) -> HTTPResponse:
        """A waiting customer would rather get the answer by e-mail (helpdesk/mail/waiting.py)."""
        await check_limits(request, conversation_id)
        body = json_body(request, '{"email": "you@example.com"}')
        email = body.get("email")
        if not isinstance(email, str) or len(email) > MAX_EMAIL_CHARS or not EMAIL.match(email.strip()):
            raise Invalid("email does not look like an e-mail address")
        mode, stored = await services(request).mail.waiting.email_me(
            conversation_id, email.strip(), wait_language(body)
        )
        return json_response({"conversation_id": conversation_id, "mode": mode, "messages": stored}, status=201)

    @bp.post("/<conversation_id:str>/wait/cancel")
    async def stop_waiting(request: Request, conversation_id: str) -> HTTPResponse:
        """A waiting customer stops waiting: the queued chat closes without an agent."""
        await check_limits(request, conversation_id)
        body = json_body(request, empty_is_object=True)
        mode, stored = await services(request).mail.waiting.stop_waiting(conversation_id, wait_language(body))
        return json_response({"conversation_id": conversation_id, "mode": mode, "messages": stored}, status=201)

    return bp


def wait_language(body: dict[str, object]) -> str | None:
    """The widget's language (its page's), if it said one we speak."""
    lang = body.get("lang")
    return lang if lang in ("en", "zh") else None


async def _preflight(
    request: Request, conversation_id: str | None = None, message_id: int | None = None
) -> HTTPResponse:
    return HTTPResponse(status=204, headers=PREFLIGHT_HEADERS)
