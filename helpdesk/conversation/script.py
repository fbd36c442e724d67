"""Chinese replies in the script the customer writes (issue 18): a customer in Taiwan or Hong Kong writes traditional
characters ("我的訂單100234什麼時候到"); the bot understands them as simplified (nlu_addons.language.simplified) and its
texts and the handbook are written in simplified characters. The bot's replies to such a customer are turned into
traditional characters (OpenCC's "s2tw", opencc-python-reimplemented, the package that reads them) before they are
stored and sent, so the customer and the agent reading the transcript see one script.

The script of a conversation is that of the customer's latest message that shows one: a message with characters only
traditional (or only simplified) script writes. A message that shows none ("好的", "ann.lee@example.com", "100234")
keeps the one before it, read from the conversation's earlier customer messages (only then, and only in a Chinese
conversation: one SELECT).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable

from nlu_addons.language import CJK, simplified

REPLIES_CACHE = 2048  # distinct reply texts whose traditional form is remembered, per process


@functools.cache
def _s2t() -> Callable[[str], str]:
    from opencc import OpenCC

    return OpenCC("s2tw").convert  # type: ignore[no-any-return]


@functools.lru_cache(maxsize=REPLIES_CACHE)
def traditional(text: str) -> str:
    """``text`` with its simplified characters as traditional ones (everything else as it is)."""
    return str(_s2t()(text)) if CJK.search(text) else text


def writes_traditional(text: str) -> bool | None:
    """True when ``text`` is written in traditional characters, False in simplified ones (a mixed text: the script
    more of its characters belong to), None when it shows neither (no Chinese, only characters both scripts share,
    or as many of each)."""
    if not CJK.search(text):
        return None
    only_traditional = sum(a != b for a, b in zip(text, simplified(text), strict=False))
    only_simplified = sum(a != b for a, b in zip(text, traditional(text), strict=False))
    if only_traditional == only_simplified:
        return None
    return only_traditional > only_simplified


def script_of(texts: Iterable[str]) -> bool:
    """Whether to answer in traditional characters, from the customer's messages, latest first."""
    return next((found for text in texts if (found := writes_traditional(text)) is not None), False)


def in_script(text: str, traditional_script: bool) -> str:
    return traditional(text) if traditional_script else text


def buttons_in_script(buttons: list[dict[str, str]] | None, traditional_script: bool) -> list[dict[str, str]] | None:
    """The buttons' titles in the customer's script (their payloads as they are)."""
    if not buttons or not traditional_script:
        return buttons
    return [{**button, "title": traditional(str(button.get("title") or ""))} for button in buttons]
