"""Kinds of homeware a customer names ("the mug is cracked", "杯子碎了"), to tell when the thing they name is in
none of the lines of the order they gave: the bot then asks instead of taking the order's only item for it.

A kind is a family of words a customer may use for the same sort of thing (a tumbler may be called a glass or a
cup), broad on purpose: a kind that matches a line of the order is never called missing, so a customer's loose word
for one of their own items is not questioned. Words that are often something else ("throw it away", "light
blue", "the box was crushed") are left out. Words are matched whole (English, with plural forms) or as a part of the
text (Chinese). An English message naming no line by its words names the one line of the kind it names ("just the
glass" for "Ribbed tumblers, set of 6": :func:`named_by_kind`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import replace

from actions.items import CJK_RUN, KEEP_RE, ItemsSaid, read_items
from helpdesk.orders.model import OrderLine
from nlu_addons.goods_kinds import KINDS, word_forms
from nlu_addons.language import simplified

_WORD = re.compile(r"[a-z]+")
_CHINESE = {kind: re.compile("|".join(chinese)) for kind, (_, chinese) in KINDS.items()}


def kinds_in(text: str) -> set[str]:
    """The kinds of homeware ``text`` names (traditional Chinese read as simplified: "檯燈", "杯子")."""
    lowered = simplified(text).lower()
    words: set[str] = set()
    for word in _WORD.findall(lowered):
        words |= word_forms(word)
    return {kind for kind, (english, chinese) in KINDS.items() if english & words or _CHINESE[kind].search(lowered)}


def line_kinds(lines: Iterable[OrderLine]) -> set[str]:
    """The kinds the order's lines are (from their English and Chinese names)."""
    kinds: set[str] = set()
    for line in lines:
        kinds |= kinds_in(f"{line.name} {line.name_zh}")
    return kinds


def named_elsewhere(text: str, lines: Sequence[OrderLine]) -> bool:
    """``text`` names a kind of thing and none of the order's lines is of that kind ("the mug is cracked" for an
    order of one candle)."""
    named = kinds_in(text)
    return bool(named) and not named & line_kinds(lines)


def names_other_kind(text: str, lines: Sequence[OrderLine]) -> bool:
    """``text`` names a kind of thing none of the order's lines is of ("wait no, the tablecloth" for an order of
    tumblers), whatever else it names."""
    return bool(kinds_in(text) - line_kinds(lines))


def named_by_kind(text: str, lines: Sequence[OrderLine]) -> ItemsSaid | None:
    """The one line of the order of the kind an English ``text`` names, every piece of it, when the text names no
    line by the line's own words ("just the glass please" for an order of a tablecloth and "Ribbed tumblers, set of
    6": it was "Sorry, I couldn't tell which items you mean", again and again, for a customer who does not know what
    the shop calls their glasses). None when no line or several are of that kind, or the text keeps or excludes
    something ("keep the glass"), or is Chinese (read the everyday way: actions/items.py)."""
    if not reads_kinds(text):
        return None
    named = kinds_in(text)
    if not named:
        return None
    of_kind = [line for line in lines if kinds_in(f"{line.name} {line.name_zh}") & named]
    return ItemsSaid(returned={of_kind[0].sku: None}) if len(of_kind) == 1 else None


def reads_kinds(text: str) -> bool:
    """An English text that neither keeps nor excludes anything: its kinds of things may name lines."""
    return not (CJK_RUN.search(text) or KEEP_RE.search(text) or re.search(r"\b(?:not|don'?t|never)\b", text, re.I))


def with_lines_named_by_kind(text: str, lines: Sequence[OrderLine], said: ItemsSaid) -> ItemsSaid:
    """``said`` (lines named by their words) and the one line of each other kind the text names: "the glass and the
    tablecloth" returns the tablecloth (named) and "Ribbed tumblers, set of 6" (the one drinkware line; it was the
    tablecloth only). ``said`` as it is when it returns nothing by name, keeps or excludes something, or the text
    names no other kind with exactly one line of it."""
    if not said.returned or said.kept or said.everything or not reads_kinds(text):
        return said
    line_kind = {line.sku: kinds_in(f"{line.name} {line.name_zh}") for line in lines}
    covered = set().union(*(line_kind.get(sku, set()) for sku in said.returned))
    added: dict[str, int | None] = {}
    for kind in kinds_in(text) - covered:
        of_kind = [sku for sku, kinds in line_kind.items() if kind in kinds]
        if len(of_kind) == 1 and of_kind[0] not in said.returned:
            added[of_kind[0]] = None
    return replace(said, returned={**said.returned, **added}) if added else said


def items_named(text: str, lines: Sequence[OrderLine], buttons: Sequence[str] = ()) -> ItemsSaid:
    """What ``text`` (or a button's SKUs) says to return and keep (actions/items.py ``read_items``), or, naming no line
    by its words, the one line of the kind it names."""
    said = read_items(text, lines, buttons)
    if buttons:
        return said
    if said.anything:
        return with_lines_named_by_kind(text, lines, said)  # "the glass and the tablecloth": both
    return named_by_kind(text, lines) or said


_KIND_WORD = "|".join(sorted({word for english, _ in KINDS.values() for word in english}, key=len, reverse=True))
# "the carafe", "my glass carafe", "the linen sheets": a thing of the order named by its kind's word
_THE_GOODS_RE = re.compile(
    r"\b(?:the|my|our|this|that|these|those)\s+(?:[a-z]+\s+){0,2}?(?:" + _KIND_WORD + r")(?:e?s)?\b"
    r"(?:\s+(?:" + _KIND_WORD + r")(?:e?s)?\b)?",
    re.IGNORECASE,
)


def goods_called_it(text: str) -> str:
    """``text`` with the homeware it names by a kind's word called "it" ("i used the carafe once" -> "i used it
    once"): a statement beside a request for an order's items, asked about in the handbook, whose words about the
    shop's policy should decide the entry, not the item's name."""
    return _THE_GOODS_RE.sub("it", text)
