"""The helpdesk's client for the Rasa servers: their REST channel and HTTP API.

One shop may be served by several Rasa processes (RASA_URLS; `RASA_PROCESSES=N make run` starts N of them, each
with its own action server): they share the trackers (the SQL tracker store, nlu_addons/tracker_store.py) and,
with REDIS_URL, the per-conversation locks, so any of them can take any turn of any conversation and keep its
form and slots. The client spreads the conversations over them (`spread`):

- "conversation" (default): a conversation's turns go to one process (chosen by a stable hash of its id, the
  same in every helpdesk process), the conversations spread evenly;
- "turn": each turn goes to the next process in turn (what the tests use to prove the shared state).

A process that cannot be reached (connection refused or dropped: stopped, crashed, restarting) is skipped for
DOWN_SECONDS and the turn is sent to the next one, so a stopped process takes its share away without failing a
turn; it gets its share back once it answers again. A timeout is not retried elsewhere: the process may still be
working on the message, and a second process would then answer it twice.

Admission under overload: each helpdesk process lets at most TURNS_IN_FLIGHT turns per Rasa process wait on Rasa
at once (RASA_TURNS_IN_FLIGHT). Rasa works one turn at a time on its event loop, so more turns in it only make
each one slower; a turn that finds no room within ADMIT_SECONDS (RASA_ADMIT_SECONDS) is refused at once with
`BotBusy`, before it reaches Rasa. The chat has stored the message already: it waits for the bot like a message
sent while Rasa was down and is answered in the chat as soon as there is room (conversation/chat.py), instead of
every customer's turn waiting longer and longer in an unbounded queue inside Rasa.
"""

from __future__ import annotations

import asyncio
import logging
import time
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from helpdesk.clients.action_server import ActionServerClient
from helpdesk.clients.pooled_http import Answer, HttpError, PooledHttp, Unreachable
from helpdesk.errors import Unavailable

log = logging.getLogger(__name__)

INTERNAL_SLOTS = frozenset({"requested_slot", "session_started_metadata"})
JSON_ACCEPT = {"Accept": "application/json"}
GREETING = "utter_greet"  # the bot's greeting response: its buttons are the widget's topics
DOWN_SECONDS = 5.0  # a Rasa process that could not be reached is tried last for this long
# the longest the helpdesk waits for a turn Rasa works on (its HTTP timeout): a customer stops waiting sooner
# (CHAT_REPLY_SECONDS) and the answer then comes in the chat; within the conversation locks' 30 s (limits/)
TURN_LIMIT = 25.0
TURNS_IN_FLIGHT = 8  # turns waiting on each Rasa process at once, per helpdesk process (module docstring)
ADMIT_SECONDS = 2.0  # how long a turn may wait for room before it is refused as busy
SPREADS = ("conversation", "turn")


class BotUnavailable(Unavailable):
    """Rasa or the action server cannot answer right now."""


class BotBusy(BotUnavailable):
    """Every Rasa process has its fill of turns (TURNS_IN_FLIGHT) and none made room within ADMIT_SECONDS: the turn
    was not sent (the bot is up, only busy)."""

    def __init__(self) -> None:
        super().__init__("the assistant is busy with other customers: your message waits for its turn")


@dataclass
class BotTurn:
    replies: list[dict[str, Any]] = field(default_factory=list)
    nlu: dict[str, Any] | None = None
    faq: dict[str, Any] | None = None
    handoff: dict[str, Any] | None = None
    # the reply that offers a person as a choice (actions/handoff.py): the helpdesk adds the wait to it
    offer: dict[str, Any] | None = None
    offer_reason: str | None = None
    offer_email_known: bool = False  # the customer gave their e-mail address already: the offer does not ask for it
    # the customer without their order number asked for the list of their orders at this address (actions/signals.py)
    order_list_email: str | None = None


def _reply(message: dict[str, Any]) -> dict[str, Any] | None:
    text = message.get("text")
    if not text:
        return None
    buttons = [
        {"title": str(b.get("title", "")), "payload": str(b.get("payload", ""))}
        for b in message.get("buttons") or []
        if b.get("payload")
    ]
    return {"text": str(text), "buttons": buttons}


def _answer(reply: dict[str, Any], faq: dict[str, Any]) -> None:
    """A handbook answer's signal (actions/signals.py) follows its text: the reply becomes the answer's Markdown
    (Rasa's channel would split Markdown's paragraphs into separate messages) with the entry it came from."""
    markdown = faq.get("markdown")
    if isinstance(markdown, str) and markdown.strip():
        reply["text"] = markdown.strip()
    reply["faq"] = {k: faq[k] for k in ("id", "score", "title", "url", "rule") if k in faq}


def nlu_block(latest_message: dict[str, Any]) -> dict[str, Any] | None:
    """The chat API's `nlu` object (docs/design.md) for the customer message Rasa just parsed."""
    intent = latest_message.get("intent") or {}
    if not intent.get("name"):
        return None
    return {
        "intent": intent["name"],
        "confidence": round(float(intent.get("confidence") or 0.0), 4),
        "ranking": [
            {"name": r["name"], "confidence": round(float(r.get("confidence") or 0.0), 4)}
            for r in latest_message.get("intent_ranking") or []
            if r.get("name")
        ],
        "entities": [
            {"entity": e.get("entity"), "value": e.get("value")}
            for e in latest_message.get("entities") or []
            if e.get("entity")
        ],
    }


class RasaClient:
    """Rasa's REST channel (`send`), its status (`ready`, never raises) and its trackers (`slots`), over one or
    more Rasa processes (module docstring). `send` and `slots` raise `BotUnavailable` when no Rasa can answer;
    `actions` tells a silent bot from a dead action server."""

    def __init__(
        self,
        url: str | Sequence[str],
        token: str,
        timeout: float,
        actions: ActionServerClient,
        spread: str = "conversation",
        turns_in_flight: int = TURNS_IN_FLIGHT,
        admit_seconds: float = ADMIT_SECONDS,
    ) -> None:
        urls = [url] if isinstance(url, str) else list(url)
        if not urls:
            raise ValueError("at least one Rasa URL is needed")
        if spread not in SPREADS:
            raise ValueError(f"RASA_SPREAD is {spread!r}: one of {', '.join(SPREADS)}")
        self.urls = [u.rstrip("/") for u in urls]
        self.url = self.urls[0]
        self.spread = spread
        self.token = token
        self.actions = actions
        # aiohttp's kept-alive connections (clients/pooled_http.py: httpx cost ~0.9 ms of CPU a turn, aiohttp
        # ~0.15 ms); every turn waiting on Rasa holds its own connection until Rasa answers
        self._http = PooledHttp(timeout, connect_timeout=2.0)
        self._greeting: dict[str, list[dict[str, str]]] | None = None  # by language (en | zh)
        self._bearer = {"Authorization": f"Bearer {token}"} if token else {}
        self._down_until: dict[str, float] = {}
        self._turns = 0
        self.served: dict[str, int] = dict.fromkeys(self.urls, 0)  # turns each process answered (the bench reads it)
        if turns_in_flight < 1:
            raise ValueError(f"RASA_TURNS_IN_FLIGHT is {turns_in_flight}: at least 1")
        self.admit_seconds = admit_seconds
        self._room = asyncio.Semaphore(turns_in_flight * len(self.urls))  # turns sent and not yet answered
        self.refused_busy = 0  # turns refused as busy (the bench reads it)

    async def close(self) -> None:
        await self._http.close()

    def _params(self, **extra: str) -> dict[str, str]:
        return {**({"token": self.token} if self.token else {}), **extra}

    def order(self, conversation_id: str) -> list[str]:
        """The Rasa processes to try for a turn of `conversation_id`, first choice first; the ones that could not
        be reached lately come last (still tried: one may be back, and a turn never fails while one answers)."""
        if len(self.urls) == 1:
            return self.urls
        if self.spread == "turn":
            start = self._turns % len(self.urls)
            self._turns += 1
        else:
            start = zlib.crc32(conversation_id.encode()) % len(self.urls)
        ordered = self.urls[start:] + self.urls[:start]
        now = time.monotonic()
        up = [u for u in ordered if self._down_until.get(u, 0.0) <= now]
        return up + [u for u in ordered if u not in up]

    async def _request(self, conversation_id: str, method: str, path: str, **options: Any) -> Answer:
        """`method path` on the first Rasa process of `order` that can be reached (`options`: PooledHttp.request's).
        Raises the last `Unreachable` when none can (and any other HttpError at once: a timeout is not retried
        elsewhere: the process may still be working on the turn)."""
        failure: Unreachable | None = None
        for url in self.order(conversation_id):
            try:
                response = await self._http.request(method, url, path, **options)
            except Unreachable as exc:
                if url not in self._down_until or self._down_until[url] <= time.monotonic():
                    log.warning("Rasa at %s cannot be reached (%s): trying the next", url, exc.__class__.__name__)
                self._down_until[url] = time.monotonic() + DOWN_SECONDS
                failure = exc
                continue
            self._down_until.pop(url, None)
            self.served[url] = self.served.get(url, 0) + 1
            return response
        assert failure is not None
        raise failure

    async def send(self, conversation_id: str, text: str, metadata: dict[str, Any] | None = None) -> BotTurn:
        """Send one customer message; collect the bot's replies and what the NLU understood.

        `metadata` reaches the actions as the message's metadata (a shop's signed customer token). Raises `BotBusy`
        when no Rasa process has room for the turn within `admit_seconds` (the module docstring's admission).
        """
        body: dict[str, Any] = {"sender": conversation_id, "message": text}
        if metadata:
            body["metadata"] = metadata
        try:
            await asyncio.wait_for(self._room.acquire(), self.admit_seconds)
        except TimeoutError:
            self.refused_busy += 1
            raise BotBusy() from None
        try:
            return await self._send(conversation_id, body)
        finally:
            self._room.release()

    async def _send(self, conversation_id: str, body: dict[str, Any]) -> BotTurn:
        """`send`'s request, once the turn has room."""
        try:
            # the rest_nlu channel (nlu_addons/rest_channel.py) answers with the bot's messages and the parse
            # of this very message (while a form runs, the tracker's `latest_message` is the form's first one)
            response = await self._request(
                conversation_id, "POST", "/webhooks/rest_nlu/webhook", json_body=body, headers=self._bearer
            )
            response.raise_for_status()
            answer = response.json()
        except (HttpError, ValueError) as exc:
            raise BotUnavailable(f"the Rasa server did not answer: {exc.__class__.__name__}") from exc
        if not isinstance(answer, dict):
            raise BotUnavailable("the Rasa server gave an answer in an unknown shape")
        messages = answer.get("messages")
        turn = BotTurn(nlu=nlu_block(answer.get("nlu") or {}))
        for message in messages if isinstance(messages, list) else []:
            custom = message.get("custom") or {}
            if isinstance(custom.get("faq"), dict):
                turn.faq = {k: custom["faq"][k] for k in ("id", "score") if k in custom["faq"]}
                if turn.replies:
                    _answer(turn.replies[-1], custom["faq"])
            if isinstance(custom.get("handoff"), dict):
                turn.handoff = custom["handoff"]
            if isinstance(custom.get("order_list"), dict) and isinstance(custom["order_list"].get("email"), str):
                turn.order_list_email = custom["order_list"]["email"]
            if custom.get("question") is True and turn.replies:
                turn.replies[-1]["question"] = True  # it asks the customer for something: no answer to rate
            if custom.get("small_talk") is True and turn.replies:
                turn.replies[-1]["small_talk"] = True  # a closing ("You're welcome!"): no answer to rate either
            if isinstance(custom.get("offer_person"), dict) and turn.replies:
                turn.offer = turn.replies[-1]
                turn.offer_reason = str(custom["offer_person"].get("reason") or "")
                turn.offer_email_known = custom["offer_person"].get("email_known") is True
            reply = _reply(message)
            if reply is not None:
                turn.replies.append(reply)
        if not turn.replies:
            # every bot turn answers something: silence means an action failed inside Rasa
            reason = "the bot gave no reply" if await self.actions.ready() else "the action server did not answer"
            raise BotUnavailable(reason)
        return turn

    async def restart(self, conversation_id: str) -> None:
        """Start the bot's side of the conversation afresh (no slots, no form, no pending question): a chat an
        agent closed that the customer writes in again. Rasa runs its session start on the next message."""
        path = f"/conversations/{quote(conversation_id, safe='')}/tracker/events"
        try:
            response = await self._request(
                conversation_id,
                "POST",
                path,
                params=self._params(include_events="NONE"),
                json_body=[{"event": "restart"}],
            )
            response.raise_for_status()
        except HttpError as exc:
            raise BotUnavailable(f"the Rasa server did not restart the conversation: {exc.__class__.__name__}") from exc

    async def greeting_buttons(self, language: str = "en") -> list[dict[str, str]]:
        """The buttons of the bot's greeting in ``language`` (the topics the widget offers before the first
        message): the variant conditioned on the ``language`` slot, else the plain one. Read from the loaded
        model's domain once, then remembered. Empty while Rasa cannot say."""
        if self._greeting is None:
            try:
                response = await self._request("", "GET", "/domain", params=self._params(), headers=JSON_ACCEPT)
                response.raise_for_status()
                variations = (response.json().get("responses") or {}).get(GREETING) or []
            except (HttpError, ValueError, AttributeError) as exc:
                log.warning("the bot's greeting is unknown for now: %s", exc.__class__.__name__)
                return []
            found: dict[str, list[dict[str, str]]] = {}
            for variation in variations if isinstance(variations, list) else []:
                reply = _reply(variation) if isinstance(variation, dict) else None
                if not reply or not reply["buttons"]:
                    continue
                conditions = variation.get("condition") or []
                spoken = next(
                    (str(c.get("value")) for c in conditions if isinstance(c, dict) and c.get("name") == "language"),
                    "en",
                )
                found.setdefault(spoken, reply["buttons"])
            self._greeting = found
        return self._greeting.get(language) or self._greeting.get("en") or []

    async def ready(self) -> bool:
        """At least one Rasa process answers and has a model loaded (the others' turns go to it)."""
        return any((await self.processes()).values())

    async def processes(self) -> dict[str, bool]:
        """Each Rasa process: it answers and has a model loaded."""
        return dict(zip(self.urls, await asyncio.gather(*(self._ready(url) for url in self.urls)), strict=True))

    async def _ready(self, url: str) -> bool:
        try:
            response = await self._http.request("GET", url, "/status", params=self._params())
            return response.status_code == 200 and bool(response.json().get("model_id"))
        except (HttpError, ValueError, AttributeError):
            return False

    async def slots(self, conversation_id: str) -> dict[str, Any]:
        """The bot's slots for the conversation (set ones, without Rasa's internal ones)."""
        params = self._params(include_events="NONE")
        try:
            response = await self._request(
                conversation_id, "GET", f"/conversations/{quote(conversation_id, safe='')}/tracker", params=params
            )
            response.raise_for_status()
            slots = response.json().get("slots") or {}
        except (HttpError, ValueError, AttributeError) as exc:
            raise BotUnavailable(f"the Rasa server gave no tracker: {exc.__class__.__name__}") from exc
        return {k: v for k, v in slots.items() if v is not None and k not in INTERNAL_SLOTS}
