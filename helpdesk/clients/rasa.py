"""The helpdesk's client for the Rasa server: its REST channel and HTTP API."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import httpx

from helpdesk.clients.action_server import ActionServerClient
from helpdesk.errors import Unavailable

log = logging.getLogger(__name__)

INTERNAL_SLOTS = frozenset({"requested_slot", "session_started_metadata"})
JSON_ACCEPT = {"Accept": "application/json"}
GREETING = "utter_greet"  # the bot's greeting response: its buttons are the widget's topics


class BotUnavailable(Unavailable):
    """Rasa or the action server cannot answer right now."""


@dataclass
class BotTurn:
    replies: list[dict[str, Any]] = field(default_factory=list)
    nlu: dict[str, Any] | None = None
    faq: dict[str, Any] | None = None
    handoff: dict[str, Any] | None = None
    # the reply that offers a person as a choice (actions/handoff.py): the helpdesk adds the wait to it
    offer: dict[str, Any] | None = None
    offer_reason: str | None = None


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
    reply["faq"] = {k: faq[k] for k in ("id", "score", "title", "url") if k in faq}


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
    """Rasa's REST channel (`send`), its status (`ready`, never raises) and its trackers (`slots`). `send` and
    `slots` raise `BotUnavailable` when Rasa cannot answer; `actions` tells a silent bot from a dead action
    server."""

    def __init__(self, url: str, token: str, timeout: float, actions: ActionServerClient) -> None:
        self.url = url.rstrip("/")
        self.token = token
        self.actions = actions
        self._http = httpx.AsyncClient(timeout=httpx.Timeout(timeout, connect=2.0))
        self._greeting: dict[str, list[dict[str, str]]] | None = None  # by language (en | zh)
        self._bearer = {"Authorization": f"Bearer {token}"} if token else {}

    async def close(self) -> None:
        await self._http.aclose()

    def _params(self, **extra: str) -> dict[str, str]:
        return {**({"token": self.token} if self.token else {}), **extra}

    async def send(self, conversation_id: str, text: str, metadata: dict[str, Any] | None = None) -> BotTurn:
        """Send one customer message; collect the bot's replies and what the NLU understood.

        `metadata` reaches the actions as the message's metadata (a shop's signed customer token).
        """
        body: dict[str, Any] = {"sender": conversation_id, "message": text}
        if metadata:
            body["metadata"] = metadata
        try:
            # the rest_nlu channel (nlu_addons/rest_channel.py) answers with the bot's messages and the parse
            # of this very message (while a form runs, the tracker's `latest_message` is the form's first one)
            response = await self._http.post(f"{self.url}/webhooks/rest_nlu/webhook", json=body, headers=self._bearer)
            response.raise_for_status()
            answer = response.json()
        except (httpx.HTTPError, ValueError) as exc:
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
            if isinstance(custom.get("offer_person"), dict) and turn.replies:
                turn.offer = turn.replies[-1]
                turn.offer_reason = str(custom["offer_person"].get("reason") or "")
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
        url = f"{self.url}/conversations/{quote(conversation_id, safe='')}/tracker/events"
        try:
            response = await self._http.post(
                url, params=self._params(include_events="NONE"), json=[{"event": "restart"}]
            )
            response.raise_for_status()
        except httpx.HTTPError as exc:
            raise BotUnavailable(f"the Rasa server did not restart the conversation: {exc.__class__.__name__}") from exc

    async def greeting_buttons(self, language: str = "en") -> list[dict[str, str]]:
        """The buttons of the bot's greeting in ``language`` (the topics the widget offers before the first
        message): the variant conditioned on the ``language`` slot, else the plain one. Read from the loaded
        model's domain once, then remembered. Empty while Rasa cannot say."""
        if self._greeting is None:
            try:
                response = await self._http.get(f"{self.url}/domain", params=self._params(), headers=JSON_ACCEPT)
                response.raise_for_status()
                variations = (response.json().get("responses") or {}).get(GREETING) or []
            except (httpx.HTTPError, ValueError, AttributeError) as exc:
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
        """Rasa answers and has a model loaded."""
        try:
            response = await self._http.get(f"{self.url}/status", params=self._params())
            return response.status_code == 200 and bool(response.json().get("model_id"))
        except (httpx.HTTPError, ValueError):
            return False

    async def slots(self, conversation_id: str) -> dict[str, Any]:
        """The bot's slots for the conversation (set ones, without Rasa's internal ones)."""
        params = self._params(include_events="NONE")
        try:
            response = await self._http.get(
                f"{self.url}/conversations/{quote(conversation_id, safe='')}/tracker", params=params
            )
            response.raise_for_status()
            slots = response.json().get("slots") or {}
        except (httpx.HTTPError, ValueError, AttributeError) as exc:
            raise BotUnavailable(f"the Rasa server gave no tracker: {exc.__class__.__name__}") from exc
        return {k: v for k, v in slots.items() if v is not None and k not in INTERNAL_SLOTS}
