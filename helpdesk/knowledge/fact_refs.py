"""Fact references in texts: ``{{fact:free_delivery_threshold}}`` shows the fact's current value.

The syntax (docs/design.md, the handbook format): ``{{fact:NAME}}``, NAME a fact of config/shop_facts.yml
(lower-case letters, digits and ``_``); ``{{fact:NAME.min}}`` / ``{{fact:NAME.max}}`` show one end of a range
fact. Spaces inside the braces are allowed. A list fact (``hours_list``) stands on a line of its own.

The handbook answers are rendered when the handbook is assembled (:func:`apply_facts`, called by
``assemble_handbook``), so every place that shows an answer (the bot, the help centre, ``kb search``) shows the
current values; the same check makes ``kb validate`` reject an unknown fact and a stated number that contradicts
a fact (each fact's ``claims``), with file and line. Only the English answer is checked for contradictions
(the text before a ``<!-- zh -->`` line); references are checked everywhere.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections.abc import Callable, Iterable
from decimal import Decimal
from pathlib import Path

from helpdesk.knowledge.facts import Fact, FactsError, ShopFacts, current_facts, facts_file_from_env
from helpdesk.knowledge.handbook import ParsedFile, Problem

REFERENCE = re.compile(r"\{\{\s*fact\s*:\s*([a-z][a-z0-9_]*)(?:\.(min|max))?\s*\}\}")
LOOSE_REFERENCE = re.compile(r"\{\{\s*fact\b[^\n]{0,60}?(?:\}\}|$)|\{\{\s*fact\b", re.IGNORECASE | re.MULTILINE)
LANGUAGE_MARK = re.compile(r"^\s*<!--\s*zh\s*-->\s*$", re.MULTILINE)
_EMPHASIS = re.compile(r"[*`]")


class UnknownFact(FactsError):
    """A text cites a fact that does not exist (or a range end of a fact that is not a range)."""


def references(text: str) -> list[tuple[str, str | None]]:
    """Every (name, part) cited in ``text``."""
    return [(match[1], match[2]) for match in REFERENCE.finditer(text)]


def render_text(text: str, facts: ShopFacts, escape: Callable[[str], str] | None = None, language: str = "en") -> str:
    """``text`` with every reference replaced by the fact's value (passed through ``escape``, e.g. for HTML),
    shown in ``language`` ("zh": opening hours in Chinese)."""

    def shown(match: re.Match[str]) -> str:
        name, part = match[1], match[2]
        if name not in facts:
            raise UnknownFact([f"unknown fact '{name}' in {match[0]}"])
        if part is not None and facts[name].type not in ("range", "money_range"):
            raise UnknownFact([f"{match[0]}: fact '{name}' is not a range (only ranges have .{part})"])
        value = facts.show(name, part, language)
        return escape(value) if escape else value

    return REFERENCE.sub(shown, text)


# ---- checking a text -----------------------------------------------------------------------------------------


def _reference_problems(text: str, facts: ShopFacts | None, facts_error: FactsError | None) -> list[tuple[int, str]]:
    """(offset, message) for every reference that cannot be shown."""
    found: list[tuple[int, str]] = []
    proper = {match.start() for match in REFERENCE.finditer(text)}
    for loose in LOOSE_REFERENCE.finditer(text):
        if loose.start() not in proper:
            found.append(
                (
                    loose.start(),
                    f"malformed fact reference {loose[0].strip()!r}: write {{{{fact:name}}}} "
                    "(a name from config/shop_facts.yml: lower-case letters, digits and _)",
                )
            )
    for match in REFERENCE.finditer(text):
        name, part = match[1], match[2]
        if facts is None:
            reason = facts_error.problems[0] if facts_error and facts_error.problems else "they do not load"
            found.append((match.start(), f"cannot show {match[0]}: the shop facts do not load ({reason})"))
        elif name not in facts:
            known = ", ".join(sorted(fact.name for fact in facts))
            found.append((match.start(), f"unknown fact '{name}' in {match[0]} (known: {known})"))
        elif part is not None and facts[name].type not in ("range", "money_range"):
            found.append(
                (match.start(), f"{match[0]}: fact '{name}' is a {facts[name].type}, only ranges have .{part}")
            )
        elif facts[name].type == "hours_list":
            line_start = text.rfind("\n", 0, match.start()) + 1
            line_end = text.find("\n", match.end())
            line = text[line_start : line_end if line_end >= 0 else len(text)]
            if line.strip() != match[0]:
                found.append((match.start(), f"{match[0]} is a list: put it on a line of its own"))
    return found


def _stated(fact: Fact, slot: str, groups: tuple[str | None, ...]) -> tuple[bool, str]:
    """Whether a claim's groups agree with the fact, and what the text says."""
    values = [group for group in groups if group is not None]
    if fact.type in ("hours", "hours_list"):
        h1, m1, h2, m2 = (int(value) for value in values[:4])
        start, end = h1 * 3600 + m1 * 60, h2 * 3600 + m2 * 60
        said = f"{h1:02d}:{m1:02d}–{h2:02d}:{m2:02d}"
        schedule = fact.schedule
        if schedule is None or schedule.always_open:
            return False, said
        intervals = {(interval.start, interval.end) for day in schedule.weekly for interval in day}
        return (start, end) in intervals, said
    if slot == "time":
        said = f"{int(values[0]):02d}:{values[1]}"
        return said == fact.value, said
    numbers = [Decimal(value.replace(",", ".")) for value in values]
    expected: list[Decimal]
    value = fact.value
    if isinstance(value, tuple):
        low, high = Decimal(value[0]), Decimal(value[1])
        expected = {"range": [low, high], "min": [low], "max": [high]}.get(slot, [low, high])
    elif isinstance(value, Decimal | int):
        expected = [Decimal(value)]
    else:
        return True, ""
    said = "–".join(fact._one(number if fact.type.startswith("money") else int(number)) for number in numbers)
    return numbers == expected, said


def _plain(text: str) -> tuple[str, list[int]]:
    """``text`` without Markdown emphasis marks, and for each kept character its offset in ``text``."""
    kept: list[str] = []
    offsets: list[int] = []
    for index, char in enumerate(text):
        if not _EMPHASIS.match(char):
            kept.append(char)
            offsets.append(index)
    return "".join(kept), offsets


def contradictions(text: str, facts: ShopFacts) -> list[tuple[int, str]]:
    """(offset, message) for every claim in ``text`` that states another value than its fact."""
    plain, offsets = _plain(text)
    found: dict[int, str] = {}
    for fact in facts:
        for claim in fact.claims:
            for match in claim.pattern.finditer(plain):
                agrees, said = _stated(fact, claim.slot, match.groups())
                if agrees:
                    continue
                slot_start = next(
                    (match.start(i) for i in range(1, len(match.groups()) + 1) if match.start(i) >= 0), match.start()
                )
                offset = offsets[slot_start] if slot_start < len(offsets) else len(text)
                if offset not in found:
                    found[offset] = (
                        f"says {said} where the shop's fact '{fact.name}' is {fact.show()} "
                        f'({fact.source}; claim "{claim.text}"): write {{{{fact:{fact.name}}}}} instead'
                    )
    return sorted(found.items())


def text_problems(text: str, facts: ShopFacts | None, facts_error: FactsError | None = None) -> list[tuple[int, str]]:
    """Every problem of a text citing facts: (offset, message), contradictions checked in the English part."""
    problems = _reference_problems(text, facts, facts_error)
    if facts is not None:
        mark = LANGUAGE_MARK.search(text)
        english = text[: mark.start()] if mark else text
        problems += contradictions(english, facts)
    return sorted(problems)


# ---- the handbook --------------------------------------------------------------------------------------------


def _body(parsed: ParsedFile) -> tuple[str, int]:
    """The file's answer part and the line it starts on (1-based), as the file is now."""
    entry = parsed.entry
    assert entry is not None
    if parsed.source is not None:  # an edit not written yet (the handbook editor checks it)
        text = parsed.source
    else:
        try:
            raw = parsed.path.read_bytes()
        except OSError:
            raw = b""
        if hashlib.sha256(raw).hexdigest() != parsed.content_hash:
            return entry.answer, 1  # changed since it was parsed: the next scan reads it again
        text = raw.decode("utf-8").removeprefix("\ufeff").replace("\r\n", "\n")
    lines = text.split("\n")
    closing = next((i for i in range(1, len(lines)) if lines[i].rstrip() == "---"), 0)
    return "\n".join(lines[closing + 1 :]), closing + 2


def _line(text: str, offset: int, first_line: int) -> int:
    return first_line + text.count("\n", 0, offset)


def check_file(parsed: ParsedFile, facts: ShopFacts | None, facts_error: FactsError | None) -> ParsedFile:
    """The parse with its answer rendered, or without an entry and with the fact problems added."""
    entry = parsed.entry
    if entry is None:
        return parsed
    body, first_line = _body(parsed)
    found = text_problems(body, facts, facts_error)
    if found:
        problems = tuple(Problem(parsed.path, _line(body, offset, first_line), message) for offset, message in found)
        return dataclasses.replace(parsed, entry=None, problems=(*parsed.problems, *problems))
    zh = entry.zh
    cites_in_zh = zh is not None and REFERENCE.search(zh.answer) is not None
    if facts is None or not (REFERENCE.search(entry.answer) or cites_in_zh):
        return parsed
    if zh is not None and cites_in_zh:
        zh = dataclasses.replace(zh, answer=render_text(zh.answer, facts, language="zh"))
    answer = render_text(entry.answer, facts)
    # the hash changes with the values this entry shows, no others
    shown = f"{answer}\n{zh.answer if zh is not None else ''}"
    content_hash = hashlib.sha256(f"{entry.content_hash}:{shown}".encode()).hexdigest()
    rendered = dataclasses.replace(entry, answer=answer, zh=zh, content_hash=content_hash)
    return dataclasses.replace(parsed, entry=rendered)


def apply_facts(files: Iterable[ParsedFile]) -> tuple[list[ParsedFile], list[Problem]]:
    """Every file checked and rendered against the current facts, plus the facts' own problems (file:line)."""
    facts: ShopFacts | None = None
    error: FactsError | None = None
    try:
        facts = current_facts()
    except FactsError as exc:
        error = exc
    checked = [check_file(parsed, facts, error) for parsed in files]
    own: list[Problem] = []
    for problem in error.problems if error else []:
        where, _, message = problem.partition(": ")
        path, _, line = where.rpartition(":")
        own.append(Problem(Path(path or str(facts_file_from_env())), int(line) if line.isdigit() else 1, message))
    return checked, own
