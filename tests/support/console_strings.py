"""The console's own words, read from its pages and scripts, and the Chinese catalog they are looked up in.

static/console/i18n.js translates a console page for a staff member whose language is Chinese: every text node and
placeholder/title/aria-label/alt attribute whose whole text is a key of i18n/zh.json (keys are the English text;
a key with {placeholders} matches a text built around data, "Saved {user}."). This module mirrors that lookup in
Python so a test can list, without a browser, every string a console page or script can show that has no Chinese
entry (tests/web/test_console_i18n.py), and the browser test can explain what it saw.

Scripts build texts by joining literals and data ("Saved " + name + "."): a literal counts as covered when it is a
whole key, or a fixed part of a key with placeholders ("Saved", "."), so a new sentence in a script needs its key.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

CONSOLE = Path(__file__).resolve().parents[2] / "helpdesk" / "static" / "console"
CATALOG = CONSOLE / "i18n" / "zh.json"

ATTRIBUTES = ("placeholder", "title", "aria-label", "alt")
SKIPPED_TAGS = frozenset({"script", "style", "textarea", "code", "pre"})
SKIPPED_ATTRIBUTES = ("data-user-content", "data-i18n-skip")
FIGURES = frozenset({"n", "count", "total", "shown", "a", "b", "g", "hours", "pct", "score", "line"})
DURATIONS = frozenset({"t", "u", "wait", "first", "elapsed", "target"})
WORDS = frozenset({"tier", "status", "day"})


def shape_of(name: str) -> str:
    """What a placeholder matches, by its name (as i18n.js's shapeOf)."""
    if name in FIGURES:
        return r"([\d.,+%]+)"
    if name in DURATIONS:
        return r"(–|\d+ (?:s|min|h|d)(?: \d+ (?:s|min|h))?)"
    return r"([\w-]+)" if name in WORDS else "(.+?)"


PLACEHOLDER = re.compile(r"\{(\w+)\}")
LETTERS = re.compile(r"[A-Za-z]")
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")


@dataclass(frozen=True)
class Found:
    """A string a page or script can show: where it is and its text."""

    file: str
    line: int
    text: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.text!r}"


class Catalog:
    """i18n/zh.json with the lookup static/console/i18n.js does (keep the two in step)."""

    def __init__(self, entries: dict[str, str]) -> None:
        self.entries = entries
        patterns = []
        for key, value in entries.items():
            if not PLACEHOLDER.search(key):
                continue
            names: list[str] = []

            def group(match: re.Match[str], names: list[str] = names) -> str:
                names.append(match.group(1))
                return shape_of(match.group(1))

            source = PLACEHOLDER.sub(group, re.escape(key).replace(r"\{", "{").replace(r"\}", "}"))
            patterns.append((re.compile(f"^{source}$"), value, names, len(PLACEHOLDER.sub("", key))))
        self.patterns = sorted(patterns, key=lambda p: -p[3])
        self.fixed_parts = {
            part.strip()
            for key in entries
            if PLACEHOLDER.search(key)
            for part in PLACEHOLDER.split(key)[::2]
            if part.strip()
        }

    @classmethod
    def load(cls, path: Path = CATALOG) -> Catalog:
        entries = json.loads(path.read_text(encoding="utf-8"))
        assert isinstance(entries, dict)
        return cls(entries)

    def translate(self, text: str, depth: int = 0) -> str | None:
        """The Chinese for a whole text, or None (i18n.js's ``known``)."""
        if text in self.entries:
            return self.entries[text]
        if text.startswith("· "):
            rest = self.translate(text[2:].strip(), depth)
            return None if rest is None else "· " + rest
        partial = None
        if " · " in text:
            # parts joined by " · " on their own; a key with " · " inside still wins when a part is unknown
            parts = text.split(" · ")
            done = [self.translate(p.strip(), depth) if p.strip() else None for p in parts]
            joined = " · ".join(d if d is not None else p for p, d in zip(parts, done, strict=True))
            if all(d is not None or not LETTERS.search(p) for p, d in zip(parts, done, strict=True)):
                return joined
            if any(d is not None for d in done):
                partial = joined
        if depth > 2:
            return partial
        for pattern, template, names, _ in self.patterns:
            match = pattern.match(text)
            if match is None:
                continue

            def fill(m: re.Match[str], match: re.Match[str] = match, names: list[str] = names) -> str:
                if m.group(1) not in names:
                    return m.group(0)
                part = match.group(names.index(m.group(1)) + 1)
                inner = self.translate(part.strip(), depth + 1) if LETTERS.search(part) else None
                return inner if inner is not None else part

            return PLACEHOLDER.sub(fill, template)
        return partial

    def knows(self, text: str) -> bool:
        """The whole text is translated: a key, parts joined by " · " each known, or a key with placeholders."""
        if text in self.entries:
            return True
        if text.startswith("· "):
            return self.knows(text[2:].strip())
        if " · " in text and all(not LETTERS.search(p) or self.knows(p.strip()) for p in text.split(" · ")):
            return True
        return any(pattern.match(text) for pattern, _, _, _ in self.patterns)

    def covers_fragment(self, text: str) -> bool:
        """A script's literal: a whole key (or text the lookup knows), or a fixed part of a key with placeholders."""
        stripped = text.strip().strip("·").strip()
        if not LETTERS.search(stripped):
            return True
        if self.knows(stripped) or stripped in self.fixed_parts:
            return True
        if " · " in stripped:
            return all(self.covers_fragment(part) for part in stripped.split(" · "))
        if text == stripped and re.fullmatch(r"[A-Z].*[.?!]", stripped):
            return False  # a whole sentence of its own ("Always open (no schedule).") needs its own key
        if "{x}" in stripped:
            return self._template(stripped)
        # a piece of a longer sentence ("Always open (no schedule). " + "Set in " + …): inside some key (a single
        # word must be a whole key or a fixed part: " entries" alone is not covered by "New entry")
        if any(stripped in part for part in self.fixed_parts):
            return True
        return " " in stripped and any(stripped in key for key in self.entries)

    def _template(self, text: str) -> bool:
        """A template literal with ${…} parts (given as {x}): some key has the same fixed text."""
        shape = re.escape(text).replace(r"\{x\}", "{x}").replace("{x}", r"\{\w+\}")
        return any(re.fullmatch(shape, key) for key in self.entries)


class _PageText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.skipping: list[str] = []  # open elements whose content is never translated
        self.found: list[tuple[int, str]] = []
        self.options_without_value: list[tuple[int, str]] = []
        self._option: tuple[int, bool] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        skip_here = tag in SKIPPED_TAGS or any(name in a for name in SKIPPED_ATTRIBUTES)
        if not self.skipping and not any(name in a for name in SKIPPED_ATTRIBUTES):
            for name in ATTRIBUTES:
                value = a.get(name)
                if value and LETTERS.search(value):
                    self.found.append((self.getpos()[0], " ".join(value.split())))
        if tag == "option":
            self._option = (self.getpos()[0], "value" in a)
        if (skip_here or self.skipping) and tag not in VOID:
            self.skipping.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.skipping and self.skipping[-1] == tag:
            self.skipping.pop()
        if tag == "option":
            self._option = None

    def handle_data(self, data: str) -> None:
        text = " ".join(data.split())
        if not text or self.skipping or not LETTERS.search(text):
            return
        self.found.append((self.getpos()[0], text))
        if self._option is not None and not self._option[1]:
            self.options_without_value.append((self._option[0], text))


VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"})


def page_strings(path: Path) -> tuple[list[Found], list[Found]]:
    """(every text and translatable attribute a page shows, options whose value is their text)."""
    parser = _PageText()
    parser.feed(path.read_text(encoding="utf-8"))
    shown = [Found(path.name, line, text) for line, text in parser.found]
    options = [Found(path.name, line, text) for line, text in parser.options_without_value]
    return shown, options


def js_literals(source: str) -> Iterator[tuple[int, str, str]]:
    """(line, text, the code before it on its line) for every string literal of a script; a template literal's
    ${…} parts are given as {x}. Comments and regular expressions are skipped."""
    i, n, line = 0, len(source), 1
    while i < n:
        c = source[i]
        if c == "\n":
            line += 1
            i += 1
        elif source.startswith("//", i):
            end = source.find("\n", i)
            i = n if end < 0 else end
        elif source.startswith("/*", i):
            end = source.find("*/", i + 2)
            line += source.count("\n", i, end)
            i = end + 2
        elif c in "\"'`":
            start_line, before = line, source[source.rfind("\n", 0, i) + 1 : i]
            j, parts = i + 1, []
            while source[j] != c:
                if source[j] == "\\":
                    parts.append(_unescape(source[j + 1]))
                    j += 2
                elif c == "`" and source.startswith("${", j):
                    j = _skip_expression(source, j + 2)
                    parts.append("{x}")
                else:
                    if source[j] == "\n":
                        line += 1
                    parts.append(source[j])
                    j += 1
            yield start_line, "".join(parts), before
            i = j + 1
        elif c == "/" and _starts_regex(source, i):
            j, in_class = i + 1, False
            while True:
                ch = source[j]
                if ch == "\\":
                    j += 2
                    continue
                if ch == "[":
                    in_class = True
                elif ch == "]":
                    in_class = False
                elif ch == "/" and not in_class:
                    break
                j += 1
            i = j + 1
        else:
            i += 1


def _unescape(ch: str) -> str:
    return {"n": "\n", "t": "\t"}.get(ch, ch)


def _skip_expression(source: str, j: int) -> int:
    depth = 1
    while depth:
        ch = source[j]
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        elif ch in "\"'`":
            j += 1
            while source[j] != ch:
                j += 2 if source[j] == "\\" else 1
        j += 1
    return j


def _starts_regex(source: str, i: int) -> bool:
    k = i - 1
    while k >= 0 and source[k] in " \t\n":
        k -= 1
    if k < 0:
        return True
    return source[k] in "(,=:[!&|?{};+-*%<>~^" or source[max(0, k - 5) : k + 1].endswith("return")


# code right before a literal that says it is not shown: an element's tag/class, an event, a key, a selector…
NOT_SHOWN_BEFORE = re.compile(
    r"(addEventListener\(|querySelector(All)?\(|closest\(|getElementById\(|\$\(|classList\.\w+\(|className\s*=\s*"
    r"|\bkey\s*===?\s*|\.key\s*===?\s*|(get|set|remove)Item\(|setAttribute\(|getAttribute\(|dataset\.\w+\s*===?\s*"
    r"|\bel\(\s*$|\bel\(\"[a-z0-9]+\",\s*$|createElement\(|\.type\s*=\s*|\.accept\s*=\s*|status\s*===?\s*"
    r"|mode\s*===?\s*|\brole\s*[!=]==?\s*|\.(method|rel|target|href|src)\s*=\s*|headers\[|fetch\(|request\(|api\()\s*$"
)


CODE_WORDS = re.compile(
    r"use strict|GET|POST|PUT|PATCH|DELETE|Notification|\d+-digit|T\d\d:\d\d:\d\d"
    r"|[A-Z][A-Za-z]*(-[A-Z][A-Za-z]*)+"  # HTTP headers ("X-CSRF-Token", "Retry-After")
    r"|[a-z]+/[\w.+-]+(,[a-z]+/[\w.+-]+)*"  # MIME types
    r"|UTC|[A-Z][a-z]+/[A-Za-z_]+"  # time zones (IANA names stay as they are)
    r"|[\w-]+:[^ ]*;.*"  # inline CSS
    r"|https?://\S+"
)


def looks_shown(text: str, before: str) -> bool:
    """Whether a script's literal may reach the screen (words, not code): the test's first filter."""
    t = text.strip()
    if not LETTERS.search(t) or NOT_SHOWN_BEFORE.search(before):
        return False
    if re.match(r"^[-/#.\[:@?&]", t):  # paths, selectors, query strings, CSS variables
        return False
    if text == t and re.fullmatch(r"[a-z][\w.-]*:?(//)?", t):  # identifiers, classes, events, keys, "https:"
        return False
    if re.fullmatch(r"[a-z][\w.]*:\s*", text):  # a field name before its value ("zh.title: ")
        return False
    if CODE_WORDS.fullmatch(t):
        return False
    if re.fullmatch(r"[a-z]+(-[a-z]+)+( [a-z]+(-[a-z]+)+)*", t):  # class names ("cr-item cr-card")
        return False
    return not (re.search(r"[;{}]\s*$", t) or "=>" in t)
