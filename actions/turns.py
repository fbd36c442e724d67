"""The conversation's earlier turns, read from the tracker: what the customer said before their latest message and
what the bot answered to it. One reader for every action that looks back (the person offered last turn, the
"Did you mean" turns in a row, an address given in two messages).

:func:`said` is the customer's latest message as the actions' rules read it: Chinese in simplified characters
(issue 18: a Taiwan or Hong Kong customer's "不用了，謝謝" meets the rules written as "不用了，谢谢"). What is kept or
passed on (an address, a detail for the order system) is read from the message as written (:func:`as_written`)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from rasa_sdk import Tracker

from nlu_addons.language import simplified


def said(tracker: Tracker) -> str:
    """The customer's latest message as the rules read it: traditional Chinese characters as simplified ones
    (nlu_addons.language ``simplified``: same length, anything else as written)."""
    return simplified(str(tracker.latest_message.get("text") or ""))


REQUEST_LOOK_BACK = 3  # the customer's messages of a request: the request itself and its identity answers


def request_says(tracker: Tracker, pattern: re.Pattern[str]) -> bool:
    """One of the customer's messages of this request (the latest :data:`REQUEST_LOOK_BACK`) matches `pattern`, read
    as :func:`said` reads ("沒收到" is "没收到")."""
    texts = [str(e.get("text") or "") for e in tracker.events if e.get("event") == "user"][-REQUEST_LOOK_BACK:]
    return any(pattern.search(simplified(text)) for text in texts)


def previous_message(tracker: Tracker) -> str | None:
    """The customer's message before the latest one, as written."""
    texts = [str(e["text"]) for e in tracker.events if e.get("event") == "user" and e.get("text")]
    return texts[-2] if len(texts) >= 2 else None


def as_written(tracker: Tracker, part: str) -> str:
    """``part`` of the latest message as :func:`said` reads it, as the customer wrote it: the same characters of the
    message (the reading has the message's length, character for character); ``part`` itself when it is not a piece
    of the reading."""
    written = str(tracker.latest_message.get("text") or "")
    read = simplified(written)
    at = read.find(part) if read != written else -1
    return written[at : at + len(part)] if at >= 0 else part


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
