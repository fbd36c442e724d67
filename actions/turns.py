"""The conversation's earlier turns, read from the tracker: what the customer said before their latest message and
what the bot answered to it. One reader for every action that looks back (the person offered last turn, the
"Did you mean" turns in a row, an address given in two messages)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from rasa_sdk import Tracker


@dataclass(frozen=True)
class Turn:
    """One earlier customer message (its tracker event) and the bot's messages that answered it, in order."""

    customer: dict[str, Any]
    bot: tuple[dict[str, Any], ...]

    @property
    def text(self) -> str:
        return str(self.customer.get("text") or "")

    def bot_texts(self) -> Iterator[str]:
        for event in self.bot:
            yield str(event.get("text") or "")


def turns_before_latest(tracker: Tracker) -> Iterator[Turn]:
    """The customer's turns before their latest message, newest first. The bot's messages after the latest message
    (this turn's, being sent) belong to no earlier turn."""
    answered: list[dict[str, Any]] = []
    seen_latest = False
    for event in reversed(tracker.events):
        kind = event.get("event")
        if kind == "user":
            if seen_latest:
                yield Turn(event, tuple(reversed(answered)))
            seen_latest = True
            answered = []
        elif kind == "bot" and seen_latest:
            answered.append(event)


def bot_messages_before_latest(tracker: Tracker) -> Iterator[dict[str, Any]]:
    """The bot's messages between the customer's two latest messages, newest first."""
    for turn in turns_before_latest(tracker):
        yield from reversed(turn.bot)
        return
