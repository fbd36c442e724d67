"""The shop's facts: one place for every number the handbook, the shop page and the bot state.

``config/shop_facts.yml`` (``SHOP_FACTS_FILE`` overrides) names each fact, its type and its value, or where the
value is kept when another file governs it: ``from: orders.<policy>`` (config/orders.yml, the rules the order
flows enforce) and ``from: business_hours`` (config/business_hours.yml, the schedule handoffs follow). Texts cite
a fact as ``{{fact:name}}`` (see :mod:`helpdesk.knowledge.fact_refs`) and show :meth:`Fact.show`.

:func:`current_facts` loads the facts once and again whenever one of their files changes; every problem is
reported with the file and line (:class:`FactsError`). Cheap to import: the order and business-hours modules
are imported when a fact needs them.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from helpdesk.config import PROJECT_ROOT, business_hours_file_from_env

if TYPE_CHECKING:
    from helpdesk.conversation.business_hours import BusinessHours

DEFAULT_FACTS_FILE = PROJECT_ROOT / "config" / "shop_facts.yml"
NAME_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
FACT_TYPES = ("money", "money_range", "number", "range", "time", "text", "hours", "hours_list")
RANGE_TYPES = ("money_range", "range")
FACT_KEYS = ("type", "value", "from", "about", "claims")
TOP_KEYS = ("currency", "facts")
CURRENCY_SYMBOLS = {"EUR": "€", "GBP": "£", "USD": "$", "CHF": "CHF "}
DASH = "–"
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# what each type's claims may say: the placeholders a claim of that type may use
PLACEHOLDERS: dict[str, tuple[str, ...]] = {
    "money": ("n",),
    "number": ("n",),
    "range": ("range", "min", "max"),
    "money_range": ("range", "min", "max"),
    "time": ("time",),
    "text": (),
    "hours": ("hours",),
    "hours_list": ("hours",),
}

Money = Decimal
FactValue = Decimal | int | tuple[int, int] | tuple[Decimal, Decimal] | str


class FactsError(ValueError):
    """The facts cannot be loaded; ``problems`` are ``"file:line: message"`` lines, every one found."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Claim:
    """One way a sentence states a fact: ``pattern`` finds it, its groups hold the stated value."""

    text: str
    pattern: re.Pattern[str]
    slot: str  # the placeholder: n, range, min, max, time or hours


@dataclass(frozen=True)
class Fact:
    name: str
    type: str
    value: FactValue
    currency: str
    about: str = ""
    claims: tuple[Claim, ...] = ()
    source: str = ""  # "config/shop_facts.yml:30", or the file the value comes from
    schedule: BusinessHours | None = field(default=None, compare=False)

    def show(self, part: str | None = None, language: str = "en") -> str:
        """The value as customers read it (``part``: "min" or "max" of a range; ``language``: "en" or "zh")."""
        if self.type in ("hours", "hours_list"):
            assert self.schedule is not None
            if language == "zh":
                from helpdesk.knowledge.facts_zh import hours_list_zh, hours_sentence_zh

                return hours_sentence_zh(self.schedule) if self.type == "hours" else hours_list_zh(self.schedule)
            return hours_sentence(self.schedule) if self.type == "hours" else hours_list(self.schedule)
        if part is not None:
            low, high = self.value if isinstance(self.value, tuple) else (self.value, self.value)
            return self._one(low if part == "min" else high)
        if isinstance(self.value, tuple):
            return f"{self._one(self.value[0])}{DASH}{self._one(self.value[1])}"
        return self._one(self.value)

    def _one(self, value: object) -> str:
        if self.type in ("money", "money_range") and isinstance(value, Decimal):
            return money(value, self.currency)
        return str(value)


@dataclass(frozen=True)
class ShopFacts:
    facts: dict[str, Fact]
    sources: tuple[Path, ...] = ()

    def __contains__(self, name: str) -> bool:
        return name in self.facts

    def __getitem__(self, name: str) -> Fact:
        return self.facts[name]

    def __iter__(self) -> Iterator[Fact]:
        return iter(self.facts.values())

    def show(self, name: str, part: str | None = None, language: str = "en") -> str:
        return self.facts[name].show(part, language)


# ---- showing values ------------------------------------------------------------------------------------------


def money(amount: Decimal, currency: str = "EUR") -> str:
    """€50 for a whole amount, €4.95 otherwise."""
    symbol = CURRENCY_SYMBOLS.get(currency.upper(), currency.upper() + " ")
    text = f"{amount:.0f}" if amount == amount.to_integral_value() else f"{amount:.2f}"
    return f"{symbol}{text}"


def _clock(seconds: int) -> str:
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}"


def _day_groups(schedule: BusinessHours) -> list[tuple[str, str | None]]:
    """(days, hours) for each run of consecutive days with the same hours; hours None: closed."""
    groups: list[tuple[list[int], str | None]] = []
    for day, intervals in enumerate(schedule.weekly):
        hours = " and ".join(f"{_clock(i.start)}{DASH}{_clock(i.end)}" for i in intervals) or None
        if groups and groups[-1][1] == hours and groups[-1][0][-1] == day - 1:
            groups[-1][0].append(day)
        else:
            groups.append(([day], hours))
    return [(_days_label(days), hours) for days, hours in groups]


def _days_label(days: list[int]) -> str:
    if len(days) == 1:
        return DAYS[days[0]]
    joiner = " and " if len(days) == 2 else " to "
    return f"{DAYS[days[0]]}{joiner}{DAYS[days[-1]]}"


def _zone_label(schedule: BusinessHours) -> str:
    from helpdesk.conversation.business_hours import _time_zone_label

    return _time_zone_label(schedule.time_zone.key)


def hours_sentence(schedule: BusinessHours) -> str:
    """'Monday to Thursday 08:30–20:00, Friday 08:30–18:00 and Saturday 10:00–16:00 (Amsterdam time); closed on
    Sunday and on public holidays'."""
    if schedule.always_open:
        return "around the clock, every day"
    groups = _day_groups(schedule)
    open_parts = [f"{days} {hours}" for days, hours in groups if hours]
    closed = [days for days, hours in groups if hours is None]
    if not open_parts:
        return "closed until further notice"
    text = open_parts[0] if len(open_parts) == 1 else ", ".join(open_parts[:-1]) + " and " + open_parts[-1]
    text += f" ({_zone_label(schedule)})"
    shut = [*(f"on {days}" for days in closed), *(["on public holidays"] if schedule.holidays else [])]
    if shut:
        text += "; closed " + (" and ".join(shut) if len(shut) <= 2 else ", ".join(shut[:-1]) + " and " + shut[-1])
    return text


def hours_list(schedule: BusinessHours) -> str:
    """The schedule as a Markdown list: '- **Monday to Thursday:** 08:30–20:00 (Amsterdam time)' per group."""
    if schedule.always_open:
        return "- **Every day:** around the clock"
    zone = _zone_label(schedule)
    lines = [f"- **{days}:** {hours} ({zone})" for days, hours in _day_groups(schedule) if hours]
    closed = [days for days, hours in _day_groups(schedule) if hours is None]
    if schedule.holidays:
        closed.append("public holidays")
    if closed:
        label = closed[0] if len(closed) == 1 else ", ".join(closed[:-1]) + " and " + closed[-1]
        lines.append(f"- **{label[0].upper() + label[1:]}:** closed")
    return "\n".join(lines)


# ---- claims --------------------------------------------------------------------------------------------------

_AMOUNT = r"(\d+(?:[.,]\d{1,2})?)(?![\d])"
_WHOLE = r"\b(\d+)(?![\d])"
_GAP = r"(?:(?![.!?](?:\s|$)).){0,80}?"  # any text within one sentence, as little as possible
_RANGE_JOIN = r"\s*(?:–|—|-|to|and)\s*"
_CLOCK = r"\b(\d{1,2})[:.](\d{2})(?![\d])"


def _currency_pattern(currency: str) -> str:
    symbol = CURRENCY_SYMBOLS.get(currency.upper(), currency.upper()).strip()
    return rf"(?:{re.escape(symbol)}\s?|\b{currency.lower()}\s?)"


def _slot_pattern(slot: str, fact_type: str, currency: str) -> str:
    money_type = fact_type in ("money", "money_range")
    one = _currency_pattern(currency) + _AMOUNT if money_type else _WHOLE
    if slot in ("n", "min", "max"):
        return one
    if slot == "range":
        second = _currency_pattern(currency) + "?" + _AMOUNT if money_type else r"(\d+)(?![\d])"
        return one.removesuffix(r"(?![\d])") + _RANGE_JOIN + second
    if slot == "time":
        return _CLOCK
    return _CLOCK + _RANGE_JOIN + _CLOCK.removeprefix(r"\b")  # hours


_PLACEHOLDER = re.compile(r"\{([a-z]+)\}")


def _literal(piece: str) -> str:
    words = piece.split()
    pattern = r"\s+".join(re.escape(word) for word in words)
    if words and words[0][0].isalnum():
        pattern = r"\b" + pattern
    return pattern  # no \b after: "gift card" also finds "gift cards"


def compile_claim(text: str, fact_type: str, currency: str) -> Claim:
    """``"free … over {n}"`` → a case-insensitive pattern; raises ValueError on a claim the type cannot make."""
    slots = _PLACEHOLDER.findall(text)
    allowed = PLACEHOLDERS[fact_type]
    if len(slots) != 1:
        names = ", ".join("{" + slot + "}" for slot in allowed) or "none: this type has no claims"
        raise ValueError(f"claim {text!r} must hold exactly one placeholder ({names})")
    slot = slots[0]
    if slot not in allowed:
        names = ", ".join("{" + name + "}" for name in allowed) or "none"
        raise ValueError(f"claim {text!r}: {{{slot}}} does not fit a {fact_type} fact (use {names})")
    tokens: list[str] = []
    for piece in re.split(r"(…|\{[a-z]+\})", text):
        if piece == "…":
            tokens.append(_GAP)
        elif _PLACEHOLDER.fullmatch(piece):
            tokens.append(_slot_pattern(slot, fact_type, currency))
        elif piece.strip():
            tokens.append(_literal(piece))
    return Claim(text, re.compile(r"\s*".join(tokens), re.IGNORECASE | re.DOTALL), slot)


# ---- loading -------------------------------------------------------------------------------------------------


def facts_file_from_env() -> Path:
    raw = os.environ.get("SHOP_FACTS_FILE")
    if not raw:
        return DEFAULT_FACTS_FILE
    path = Path(raw)
    return path if path.is_absolute() else PROJECT_ROOT / path


def _display(path: Path) -> str:
    try:
        return str(path.relative_to(PROJECT_ROOT))
    except ValueError:
        return str(path)


class _Reader:
    """Reads the composed YAML of one facts file, collecting problems with their lines."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.where = _display(path)
        self.problems: list[str] = []
        self._orders: Any = None
        self._orders_error: str | None = None
        self._schedule: BusinessHours | None = None
        self._schedule_error: str | None = None
        self.sources: list[Path] = [path]

    def add(self, node: Node | None, message: str) -> None:
        line = node.start_mark.line + 1 if node is not None else 1
        self.problems.append(f"{self.where}:{line}: {message}")

    def read(self) -> dict[str, Fact]:
        try:
            text = self.path.read_text(encoding="utf-8")
        except OSError as exc:
            raise FactsError([f"{self.where}:1: cannot read the shop facts: {exc.strerror or exc}"]) from exc
        try:
            root = yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 if mark else 1
            raise FactsError([f"{self.where}:{line}: not valid YAML: {exc.problem or exc.context}"]) from exc
        if not isinstance(root, MappingNode):
            raise FactsError([f"{self.where}:1: must be a mapping with 'currency' and 'facts'"])
        table = self._table(root, TOP_KEYS, "top-level key")
        currency = "EUR"
        if "currency" in table:
            node = table["currency"]
            if isinstance(node, ScalarNode) and re.fullmatch(r"[A-Z]{3}", node.value):
                currency = node.value
            else:
                self.add(node, "currency must be a three-letter ISO code like EUR")
        facts: dict[str, Fact] = {}
        facts_node = table.get("facts")
        if not isinstance(facts_node, MappingNode):
            self.add(facts_node or root, "'facts' must map each fact's name to its type and value")
        else:
            for key_node, value_node in facts_node.value:
                fact = self._fact(key_node, value_node, currency, facts)
                if fact is not None:
                    facts[fact.name] = fact
        if self.problems:
            raise FactsError(self.problems)
        return facts

    def _table(self, mapping: MappingNode, allowed: tuple[str, ...], what: str) -> dict[str, Node]:
        table: dict[str, Node] = {}
        for key_node, value_node in mapping.value:
            key = key_node.value if isinstance(key_node, ScalarNode) else None
            if key not in allowed:
                self.add(key_node, f"unknown {what} {key!r} (allowed: {', '.join(allowed)})")
            elif key in table:
                self.add(key_node, f"duplicate key {key!r}")
            else:
                table[key] = value_node
        return table

    def _fact(self, key_node: Node, node: Node, currency: str, seen: dict[str, Fact]) -> Fact | None:
        name = key_node.value if isinstance(key_node, ScalarNode) else ""
        if not NAME_PATTERN.match(str(name)):
            self.add(key_node, f"bad fact name {name!r}: lower-case letters, digits and _, starting with a letter")
            return None
        if name in seen:
            self.add(key_node, f"fact '{name}' is defined twice")
            return None
        if not isinstance(node, MappingNode):
            self.add(node, f"fact '{name}' must be a mapping with 'type' and 'value' (or 'from')")
            return None
        before = len(self.problems)
        table = self._table(node, FACT_KEYS, f"key of fact '{name}'")
        type_node = table.get("type")
        fact_type = type_node.value if isinstance(type_node, ScalarNode) else None
        if fact_type not in FACT_TYPES:
            self.add(type_node or node, f"fact '{name}': type must be one of {', '.join(FACT_TYPES)}")
            return None
        if ("value" in table) == ("from" in table):
            self.add(node, f"fact '{name}': give either 'value' or 'from' (where the value is kept), not both")
            return None
        schedule = None
        if "value" in table:
            value = self._value(name, fact_type, table["value"])
        else:
            value, schedule = self._derived(name, fact_type, table["from"])
        about_node = table.get("about")
        about = about_node.value if isinstance(about_node, ScalarNode) else ""
        claims = self._claims(name, fact_type, currency, table.get("claims"))
        if value is None or len(self.problems) > before:
            return None
        line = key_node.start_mark.line + 1
        source = f"{self.where}:{line}"
        if "from" in table and isinstance(table["from"], ScalarNode):
            source = f"{source} (from {table['from'].value})"
        return Fact(name, fact_type, value, currency, about, claims, source, schedule)

    def _value(self, name: str, fact_type: str, node: Node) -> FactValue | None:
        if fact_type in ("hours", "hours_list"):
            self.add(node, f"fact '{name}': {fact_type} comes from the business hours: write 'from: business_hours'")
            return None
        if fact_type in RANGE_TYPES:
            items = node.value if isinstance(node, SequenceNode) else []
            if len(items) != 2:
                self.add(node, f"fact '{name}': a {fact_type} is [lowest, highest]")
                return None
            low, high = (self._scalar(name, fact_type, item) for item in items)
            if low is None or high is None:
                return None
            if isinstance(low, Decimal) and isinstance(high, Decimal) and low <= high:
                return (low, high)
            if isinstance(low, int) and isinstance(high, int) and low <= high:
                return (low, high)
            self.add(node, f"fact '{name}': the lowest value must come first")
            return None
        return self._scalar(name, fact_type, node)

    def _scalar(self, name: str, fact_type: str, node: Node) -> Decimal | int | str | None:
        raw = str(node.value) if isinstance(node, ScalarNode) else None
        if raw is None:
            self.add(node, f"fact '{name}': the value must be a single {fact_type}")
            return None
        if fact_type in ("money", "money_range"):
            try:
                amount = Decimal(raw)
            except InvalidOperation:
                amount = Decimal(-1)
            if not amount.is_finite() or amount < 0 or amount != amount.quantize(Decimal("0.01")):
                self.add(node, f"fact '{name}': {raw!r} is not an amount like 50 or \"4.95\"")
                return None
            return amount
        if fact_type in ("number", "range"):
            if not re.fullmatch(r"\d+", raw):
                self.add(node, f"fact '{name}': {raw!r} is not a whole number")
                return None
            return int(raw)
        if fact_type == "time":
            match = re.fullmatch(r"(\d{1,2}):(\d{2})", raw)
            if match is None or int(match[1]) > 23 or int(match[2]) > 59:
                self.add(node, f"fact '{name}': {raw!r} is not a time like \"14:00\" (quote it)")
                return None
            return f"{int(match[1]):02d}:{match[2]}"
        if not raw.strip():
            self.add(node, f"fact '{name}': the text is empty")
            return None
        return raw.strip()

    def _derived(self, name: str, fact_type: str, node: Node) -> tuple[FactValue | None, BusinessHours | None]:
        where = node.value if isinstance(node, ScalarNode) else None
        if where == "business_hours":
            if fact_type not in ("hours", "hours_list"):
                self.add(node, f"fact '{name}': the business hours give an hours or hours_list fact")
                return None, None
            schedule = self._business_hours(node)
            return ("business_hours", schedule) if schedule is not None else (None, None)
        if isinstance(where, str) and where.startswith("orders."):
            return self._from_orders(name, fact_type, node, where.removeprefix("orders.")), None
        self.add(
            node, f"fact '{name}': 'from' must be business_hours or orders.<policy> (e.g. orders.return_window_days)"
        )
        return None, None

    def _business_hours(self, node: Node) -> BusinessHours | None:
        if self._schedule is None and self._schedule_error is None:
            from helpdesk.conversation.business_hours import BusinessHours, ScheduleError, load_schedule

            path = business_hours_file_from_env()
            try:
                self._schedule = load_schedule(path) if path is not None else BusinessHours.always()
                if path is not None:
                    self.sources.append(path)
            except ScheduleError as exc:
                self._schedule_error = str(exc)
        if self._schedule_error is not None:
            self.add(node, f"the business hours do not load: {self._schedule_error}")
        return self._schedule

    def _from_orders(self, name: str, fact_type: str, node: Node, key: str) -> FactValue | None:
        if self._orders is None and self._orders_error is None:
            from helpdesk.orders.config import DEFAULT_CONFIG, OrdersConfigError, load_orders_config, resolve_path

            try:
                self._orders = load_orders_config().policy
                self.sources.append(resolve_path(os.environ.get("ORDERS_CONFIG") or DEFAULT_CONFIG))
            except (OrdersConfigError, ValueError) as exc:
                self._orders_error = str(exc)
        if self._orders_error is not None:
            self.add(node, f"fact '{name}': the order policies do not load: {self._orders_error}")
            return None
        value = getattr(self._orders, key, None) if not key.startswith("_") else None
        if fact_type == "money" and isinstance(value, Decimal):
            return value
        if fact_type == "number" and isinstance(value, int) and not isinstance(value, bool):
            return value
        known = ", ".join(
            k for k, v in vars(self._orders).items() if isinstance(v, int | Decimal) and not isinstance(v, bool)
        )
        self.add(node, f"fact '{name}': config/orders.yml has no {fact_type} policy {key!r} (it has: {known})")
        return None

    def _claims(self, name: str, fact_type: str, currency: str, node: Node | None) -> tuple[Claim, ...]:
        if node is None:
            return ()
        if not isinstance(node, SequenceNode):
            self.add(node, f"fact '{name}': claims must be a list of texts like \"free … over {{n}}\"")
            return ()
        claims = []
        for item in node.value:
            if not isinstance(item, ScalarNode) or not item.value.strip():
                self.add(item, f"fact '{name}': each claim must be a text")
                continue
            try:
                claims.append(compile_claim(item.value, fact_type, currency))
            except (ValueError, re.error) as exc:
                self.add(item, f"fact '{name}': {exc}")
        return tuple(claims)


def load_facts(path: Path | None = None) -> ShopFacts:
    """The facts in ``path`` (default: SHOP_FACTS_FILE or config/shop_facts.yml); FactsError lists every problem."""
    reader = _Reader(path or facts_file_from_env())
    facts = reader.read()
    return ShopFacts(facts, tuple(reader.sources))


# ---- the current facts, reloaded when a file changes ---------------------------------------------------------


def _stamp() -> tuple[object, ...]:
    env = tuple(
        os.environ.get(name) for name in ("SHOP_FACTS_FILE", "ORDERS_CONFIG", "BUSINESS_HOURS", "BUSINESS_HOURS_FILE")
    )
    from helpdesk.orders.config import DEFAULT_CONFIG, resolve_path

    paths = [facts_file_from_env(), resolve_path(os.environ.get("ORDERS_CONFIG") or DEFAULT_CONFIG)]
    hours = business_hours_file_from_env()
    if hours is not None:
        paths.append(hours)
    stats: list[object] = []
    for path in paths:
        try:
            status = path.stat()
            stats.append((str(path), status.st_mtime_ns, status.st_size))
        except OSError:
            stats.append((str(path), None))
    return (env, tuple(stats))


_lock = threading.Lock()
_cache: tuple[tuple[object, ...], ShopFacts | FactsError] | None = None


def facts_stamp() -> tuple[object, ...]:
    """Changes when a file the facts come from (or the environment naming them) changes."""
    return _stamp()


def current_facts() -> ShopFacts:
    """The facts as their files say now (read again only after a change); raises FactsError."""
    global _cache
    stamp = _stamp()
    with _lock:
        if _cache is None or _cache[0] != stamp:
            try:
                _cache = (stamp, load_facts())
            except FactsError as error:
                _cache = (stamp, error)
        result = _cache[1]
    if isinstance(result, FactsError):
        raise result
    return result


def fact_text(name: str, part: str | None = None, escape: Callable[[str], str] | None = None) -> str:
    """One fact's shown value, for the bot's texts and pages."""
    shown = current_facts().show(name, part)
    return escape(shown) if escape else shown
