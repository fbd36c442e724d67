"""WebSockets: the widget's live channel for one conversation, and the agent console's.

Both take `?after=<last message id>`: the messages after it come first, from the database and in order,
then live events; a message is never sent twice on one connection. Without a socket the HTTP
polling path (GET /api/chat/<id>/messages?after=) gives the widget the same transcript.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from sanic import Request
from sanic.server.websockets.impl import WebsocketImplProtocol
from sqlalchemy import select
from websockets.exceptions import ConnectionClosed

from helpdesk.conversation.chat import ConversationNotFound
from helpdesk.db.models import Agent, Conversation, Message
from helpdesk.errors import DomainError, Invalid
from helpdesk.realtime import socket_caps
from helpdesk.realtime.hub import CONSOLE, Event, Subscription, conversation_channel
from helpdesk.staff.sessions import COOKIE, load_session
from helpdesk.vocabulary import MODE_AGENT, MODE_QUEUED
from helpdesk.web.inputs import agent_of, client_address, message_id_arg
from helpdesk.web.services import Services, services

log = logging.getLogger(__name__)

CLOSE_FELL_BEHIND = 4000  # the client was too slow: reconnect with after=<last id>
CLOSE_BAD_REQUEST = 4400
CLOSE_FORBIDDEN = 4403
CLOSE_UNKNOWN = 4404
CLOSE_SESSION_ENDED = 4401  # the console's session ended (logout, account disabled, expiry): log in again
CLOSE_TOO_MANY = socket_caps.CLOSE_TOO_MANY  # the client may try again later (also: widget sockets past a cap)
CLOSE_FULL = socket_caps.CLOSE_FULL
SESSION_CHECK_SECONDS = 2.0  # how often an open console socket checks that its session is still live
TYPING_INTERVAL = 1.0  # seconds between typing signals passed on, per connection
MAX_INCOMING = 4096
REPLAY_LIMIT = 2000

Socket = WebsocketImplProtocol


async def send(ws: Socket, event: Event) -> None:
    await ws.send(json.dumps(event, separators=(",", ":")))


async def _read(ws: Socket, on_incoming: Callable[[dict[str, Any]], Awaitable[None]]) -> None:
    """Client → server frames (typing, ping) until the client goes away."""
    while True:
        try:
            raw = await ws.recv()
        except ConnectionClosed:
            return
        if raw is None:
            return
        if len(raw) > MAX_INCOMING:
            continue
        try:
            frame = json.loads(raw)
        except ValueError:
            continue
        if isinstance(frame, dict):
            await on_incoming(frame)


async def pump(
    ws: Socket,
    subscription: Subscription,
    on_event: Callable[[Event], Awaitable[None]],
    on_incoming: Callable[[dict[str, Any]], Awaitable[None]],
    ends: Coroutine[Any, Any, tuple[int, str]] | None = None,
) -> None:
    """Forward hub events to the client and client frames to `on_incoming`, until either side stops, or `ends`
    returns (a close code and reason: the connection may not go on)."""
    reader = asyncio.create_task(_read(ws, on_incoming))
    ending = asyncio.create_task(ends) if ends is not None else None
    getter: asyncio.Task[Event | None] | None = None
    try:
        while True:
            getter = asyncio.create_task(subscription.get())
            waiting = {reader, getter} | ({ending} if ending is not None else set())
            done, _ = await asyncio.wait(waiting, return_when=asyncio.FIRST_COMPLETED)
            if ending is not None and ending in done:
                code, reason = ending.result()
                await ws.close(code, reason)
                return
            if getter not in done:
                return  # the client went away
            event = getter.result()
            if event is None:
                await ws.close(CLOSE_FELL_BEHIND, "too far behind: reconnect with after=<last id>")
                return
            try:
                await on_event(event)
            except ConnectionClosed:
                return
    finally:
        unfinished = [task for task in (reader, getter, ending) if task is not None and not task.done()]
        for task in unfinished:
            task.cancel()
        await asyncio.gather(*unfinished, return_exceptions=True)


def after_of(request: Request) -> int | None:
    try:
        return message_id_arg(request)
    except Invalid:
        return None


class Throttle:
    def __init__(self, interval: float) -> None:
        self.interval = interval
        self.last = 0.0

    def ready(self) -> bool:
        now = time.monotonic()
        if now - self.last < self.interval:
            return False
        self.last = now
        return True


# events every console hears: the queue; labels (their names only, for every console's lists); a colleague's status
# and console opening or closing (an agent id and a word: every agent's transfer list shows them, as GET /agents does;
# an agent's list kept the statuses of when it was loaded, "Bruno Keller (0/3)" while he was online, and a colleague
# gone offline could still be picked and be handed the customer)
FOR_EVERY_CONSOLE = frozenset({"queue_changed", "labels", "agent_status", "agent_presence"})


def concerns(agent: Agent, event: Event) -> bool:
    """Whether a console event is for this agent: the queue and the team are everyone's, a conversation its
    agent's (before and after a transfer) and the supervisors'."""
    if event.get("type") in FOR_EVERY_CONSOLE:
        return True
    return agent.can_supervise or agent.id in (event.get("assignee"), event.get("previous_assignee"))


def widget_origin_allowed(request: Request, origins: tuple[str, ...]) -> bool:
    origin = request.headers.get("origin")
    if origin is None or "*" in origins or origin in origins:
        return True
    return bool(origin.split("://", 1)[-1] == request.host)


async def widget_socket(request: Request, ws: Socket, conversation_id: str) -> None:
    """/api/chat/<id>/ws: one conversation's live channel for the customer's widget. Connections per client
    address count against the widget's read limit; open ones are capped per address, per conversation and in
    total (helpdesk/realtime/socket_caps.py: closed with 4429 or 4503)."""
    running = services(request)
    if not widget_origin_allowed(request, running.settings.widget_origins):
        await ws.close(CLOSE_FORBIDDEN, "this site may not embed the chat")
        return
    if not (await running.limits.reads.hit(client_address(request))).allowed:
        await ws.close(CLOSE_TOO_MANY, "too many connections from this address; try again in a minute")
        return
    after = after_of(request)
    if after is None:
        await ws.close(CLOSE_BAD_REQUEST, "after must be a message id")
        return
    with running.widget_sockets.holding(client_address(request), conversation_id) as refused:
        if refused is not None:
            await ws.close(refused.code, refused.reason)
            return
        async with running.mail.presence.holding(conversation_id):  # the customer is on the page meanwhile
            await _widget_channel(running, ws, conversation_id, after)


async def _widget_channel(running: Services, ws: Socket, conversation_id: str, after: int) -> None:
    async with running.hub.subscribe(conversation_channel(conversation_id)) as subscription:
        try:
            _, messages = await running.chat.history(conversation_id, after)
            status = await running.chat.status(conversation_id)
        except ConversationNotFound:
            await send(ws, {"type": "error", "error": "unknown conversation_id"})
            await ws.close(CLOSE_UNKNOWN, "unknown conversation")
            return
        replayed = {m["id"] for m in messages}
        for message in messages:
            await send(ws, {"type": "message", "message": message})
        last = max(replayed, default=after)
        await send(ws, {"type": "state", **status.to_json(), "last_id": last})
        typing = Throttle(TYPING_INTERVAL)

        async def on_event(event: Event) -> None:
            if event.get("type") == "message" and event["message"]["id"] in replayed:
                return
            await send(ws, event)

        async def on_incoming(frame: dict[str, Any]) -> None:
            if frame.get("type") == "ping":
                await send(ws, {"type": "pong"})
            elif frame.get("type") == "typing" and typing.ready():
                async with running.sessions() as session:
                    conversation = await session.get(Conversation, conversation_id)
                if conversation is not None and conversation.mode in (MODE_QUEUED, MODE_AGENT):
                    await running.events.customer_typing(
                        conversation_id, conversation.assigned_agent_id, bool(frame.get("typing", True))
                    )

        await pump(ws, subscription, on_event, on_incoming)


async def console_socket(request: Request, ws: Socket) -> None:
    """/api/agent/ws: an agent console's live channel (the staff session guard let the agent through)."""
    agent = agent_of(request)
    origin = request.headers.get("origin")
    if origin is not None and origin.split("://", 1)[-1] != request.host:
        await ws.close(CLOSE_FORBIDDEN, "cross-site connection refused")
        return
    after = after_of(request)
    if after is None:
        await ws.close(CLOSE_BAD_REQUEST, "after must be a message id")
        return
    running = services(request)
    desk = running.desk
    _presence_change(running, agent.id, lambda: running.presence.connected(agent.id))
    try:
        async with running.hub.subscribe(CONSOLE) as subscription:
            replayed = await _replay_console(running, ws, agent, after)
            await send(ws, {"type": "queue", "conversations": await desk.queue_for(agent)})
            await send(ws, {"type": "ready", "last_id": max(replayed, default=after)})
            typing = Throttle(TYPING_INTERVAL)

            async def on_event(event: Event) -> None:
                if not concerns(agent, event):
                    return
                if event.get("type") == "queue_changed":
                    await send(ws, {"type": "queue", "conversations": await desk.queue_for(agent)})
                    return
                if event.get("type") == "message" and event["message"]["id"] in replayed:
                    return
                await send(ws, event)

            async def on_incoming(frame: dict[str, Any]) -> None:
                if frame.get("type") == "ping":
                    await send(ws, {"type": "pong"})
                elif frame.get("type") == "typing" and isinstance(frame.get("conversation_id"), str):
                    on = bool(frame.get("typing", True))
                    if typing.ready() or not on:
                        with contextlib.suppress(DomainError):
                            await desk.typing(agent, frame["conversation_id"], on)

            ends = _session_ended(running, request.cookies.get(COOKIE))
            await pump(ws, subscription, on_event, on_incoming, ends)
    finally:
        _presence_change(running, agent.id, lambda: running.presence.disconnected(agent.id))


async def _session_ended(running: Services, token: str | None) -> tuple[int, str]:
    """Returns (the close code and reason) once the console's session is over: logged out, the account disabled
    (`users disable` ends its sessions), or expired. Checked every SESSION_CHECK_SECONDS."""
    while True:
        await asyncio.sleep(SESSION_CHECK_SECONDS)
        try:
            async with running.sessions() as session:
                live = await load_session(session, token)
        except Exception:  # the database hiccuped: the session is checked again next time
            log.warning("cannot check a console socket's session", exc_info=True)
            continue
        if live is None:
            return CLOSE_SESSION_ENDED, "your session ended: log in again"


def _presence_change(running: Services, agent_id: int, change: Callable[[], None]) -> None:
    """Apply a console (dis)connection; when it changes the number of agents online, the waiting customers
    get their estimated wait again (from this process only: the hub carries it to every process), and when it opens
    the agent's first console or closes their last, the supervisors' team lists hear of it (they said "console
    closed" for an agent at their console, or the opposite, until reloaded)."""
    before, was_open = running.presence.online(), running.presence.is_online(agent_id)
    change()
    if running.presence.online() != before:
        running.background.spawn(running.desk.queue.broadcast_positions(), "queue positions after a presence change")
    if running.presence.is_online(agent_id) != was_open:
        event = {"type": "agent_presence", "agent_id": agent_id, "online": not was_open}
        running.background.spawn(running.hub.publish(CONSOLE, event), "team lists after a presence change")


async def _replay_console(running: Services, ws: Socket, agent: Agent, after: int) -> set[int]:
    """What a reconnecting console missed in the chats it holds (nothing on a first connection)."""
    if after <= 0:
        return set()
    async with running.sessions() as session:
        rows = await session.execute(
            select(Message, Conversation.assigned_agent_id, Conversation.mode)
            .join(Conversation, Conversation.id == Message.conversation_id)
            .where(
                Message.id > after,
                Conversation.mode == MODE_AGENT,
                Conversation.assigned_agent_id == agent.id,
            )
            .order_by(Message.id)
            .limit(REPLAY_LIMIT)
        )
        missed = rows.all()
    for message, assignee, mode in missed:
        await send(
            ws,
            {
                "type": "message",
                "conversation_id": message.conversation_id,
                "assignee": assignee,
                "mode": mode,
                "message": message.to_agent(),
            },
        )
    return {message.id for message, _, _ in missed}
