"""The language the customer is being answered in, and the one way every text module follows it.

A conversation's language can change with every message (nlu_addons/language.py decides it by script). Code that
composes a reply runs inside ``speaking(language)`` (the action server does this per action call from the
tracker's ``language`` slot; the helpdesk around its own notices), and every template it reads goes through a
``Localized`` catalog: ``say.STOPPED`` is the Chinese template while the conversation is Chinese, the English one
otherwise. English is the reference: each translation module defines the same names with the same placeholders
(tests/actions/test_text_catalogs.py checks), and a name it lacks falls back to English.

Dates and amounts are written per language too (``long_date``, ``money``): the shop sells in euros, so a Chinese
customer sees "€79.45" as well, and "2026年12月2日（星期三）" for a date.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date
from decimal import Decimal
from types import ModuleType
from typing import Any, Literal

Language = Literal["en", "zh"]
LANGUAGES: tuple[Language, ...] = ("en", "zh")
DEFAULT: Language = "en"

_current: ContextVar[Language] = ContextVar("reply_language", default=DEFAULT)

WEEKDAYS_ZH = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")


def normalize(value: object) -> Language:
    """ "zh" for zh, zh-CN, zh_Hant, ZH…; "en" for anything else (missing, unknown)."""
    text = str(value or "").strip().lower().replace("_", "-")
    return "zh" if text == "zh" or text.startswith("zh-") else "en"


def current() -> Language:
    """The language texts are being written in right now (English outside any ``speaking``)."""
    return _current.get()


@contextmanager
def speaking(language: object) -> Iterator[Language]:
    """Write every text in ``language`` until the block ends (per task: concurrent requests do not mix)."""
    chosen = normalize(language)
    token = _current.set(chosen)
    try:
        yield chosen
    finally:
        _current.reset(token)


def set_language(language: object) -> None:
    """Like ``speaking`` for the rest of the current task (an action call runs in its own task)."""
    _current.set(normalize(language))


class Localized:
    """A text module read in the current language: attribute access picks the translation when there is one."""

    def __init__(self, english: ModuleType, **translations: ModuleType) -> None:
        self._english = english
        self._translations = translations

    def __getattr__(self, name: str) -> Any:
        translation = self._translations.get(current())
        if translation is not None and hasattr(translation, name):
            return getattr(translation, name)
        return getattr(self._english, name)

    def in_language(self, language: object, name: str) -> Any:
        """The template ``name`` in ``language`` whatever the current one is."""
        with speaking(language):
            return self.__getattr__(name)


def money(amount: Decimal, currency: str = "EUR") -> str:
    """``€166.95`` (both languages: the currency stays the shop's, the digits are the same)."""
    symbol = {"EUR": "€", "GBP": "£", "CHF": "CHF ", "CNY": "¥", "RMB": "¥"}.get(currency.upper())
    if symbol is None:
        symbol = currency.upper() + " "
    return f"{symbol}{amount:,.2f}"


def long_date(value: date) -> str:
    """English ``Friday 24 January`` (the year is obvious in a chat about recent orders); Chinese
    ``2026年12月2日（星期三）``, the way Chinese shops write a date."""
    if current() == "zh":
        return f"{value.year}年{value.month}月{value.day}日（{WEEKDAYS_ZH[value.weekday()]}）"
    return f"{value:%A} {value.day} {value:%B}"


def join_names(items: list[str] | tuple[str, ...]) -> str:
    """``A, B and C`` / ``A、B和C``."""
    if len(items) <= 1:
        return "".join(items)
    if current() == "zh":
        return f"{'、'.join(items[:-1])}和{items[-1]}"
    return f"{', '.join(items[:-1])} and {items[-1]}"


def join_sentences(sentences: list[str] | tuple[str, ...]) -> str:
    """Sentences one after the other: a space between English ones, none between Chinese ones."""
    return ("" if current() == "zh" else " ").join(sentences)


def payload_in_language(payload: str, language: object) -> str:
    """An intent payload ("/order_status", '/faq{"faq_id": "x"}') carrying the language of the button the customer
    pressed, so the bot answers a Chinese button in Chinese (Rasa skips its NLU for such payloads, and the
    ``language`` slot is filled from the ``language`` entity). Free text and malformed payloads are left alone."""
    if not payload.startswith("/") or len(payload) < 2:
        return payload
    name, brace, rest = payload[1:].partition("{")
    entities: dict[str, object] = {}
    if brace:
        try:
            parsed = json.loads("{" + rest)
        except ValueError:
            return payload
        if not isinstance(parsed, dict):
            return payload
        entities = parsed
    entities.setdefault("language", normalize(language))
    return f"/{name}{json.dumps(entities, ensure_ascii=False)}"
