"""Short lines typed in a burst are read together (issue 16.3): "hi" / "i have a question" / "about my order
100234" reach the bot as one message, so the answer sees the order number instead of greeting, then inviting,
then starting over.

A short line (at most SHORT_WORDS words and SHORT_CHARS characters, typed, not a button) is held for
CHAT_BURST_SECONDS (helpdesk.config.Settings.chat_burst_seconds) before the bot reads it. If the customer sends
another line meanwhile, the held one is not answered on its own: the next line's turn reads every held line before
it, with it. Held lines are the customer's stored messages (in the shared database), so with several helpdesk
processes the line held by one process is read by the process that got the next line; none goes unanswered.

A line that looks like an answer to the bot's question (an order number, an e-mail address, a yes or a no) is
never held: waiting would only slow the reply; such a line ends a burst (the lines held before it are read with
it: "about my order 100234").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime

SHORT_WORDS = 6
SHORT_CHARS = 40
SLACK_SECONDS = 1.0  # a held line's time is when it was stored: the next line may come this much later still
ANSWER = re.compile(
    r"\d{3,}|@|^\W*(?:y|yes|yeah|yep|yup|sure|ok|okay|correct|right|n|no|nope|nah|是|是的|对|好|好的|不|不是|不要)\W*$",
    re.IGNORECASE,
)


def is_short(text: str) -> bool:
    """A line that may be the start of a burst: short, typed (not a button's payload)."""
    stripped = text.strip()
    return (
        bool(stripped)
        and not stripped.startswith("/")
        and len(stripped) <= SHORT_CHARS
        and len(stripped.split()) <= SHORT_WORDS
    )


def looks_like_an_answer(text: str) -> bool:
    """An order number, an e-mail address, a yes or a no: what the bot's questions ask for."""
    return bool(ANSWER.search(text))


def joined(lines: Sequence[str]) -> str:
    """The lines as one message, each ending as a sentence ("hi. i have a question. about my order 100234")."""
    parts = []
    for line in (line.strip() for line in lines):
        if not line:
            continue
        parts.append(line if line[-1] in ".!?,;:。！？，" else f"{line}.")
    text = " ".join(parts)
    return text[:-1] if text.endswith(".") and not lines[-1].strip().endswith(".") else text


def in_burst(earlier: datetime, later: datetime, seconds: float) -> bool:
    """Whether a line stored at `later` continues the burst of the line stored at `earlier`."""
    return 0 <= (later - earlier).total_seconds() <= seconds + SLACK_SECONDS
