"""Reading a shop's JSON into our model: dotted paths, value conversion, field maps.

A field map says, for each of *our* field names, where the value sits in the shop's JSON
(``tracking_number: shipment.tracking.code``; list items by index: ``items.0.sku``; a list of
paths is joined with spaces: ``name: [first_name, last_name]``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any


class MappingError(ValueError):
    """The shop's JSON doesn't fit the configured mapping (a missing field, a bad value)."""


Path = str | list[str]

_MISSING = object()


def get_path(data: Any, path: str) -> Any:
    """The value at a dotted ``path`` (``""`` is the whole document); None when any step is missing."""
    if path in ("", "."):
        return data
    current = data
    for part in path.split("."):
        if isinstance(current, Mapping):
            current = current.get(part, _MISSING)
        elif isinstance(current, list) and part.isdigit() and int(part) < len(current):
            current = current[int(part)]
        else:
            return None
        if current is _MISSING:
            return None
    return current


def set_path(target: dict[str, Any], path: str, value: Any) -> None:
    """Put ``value`` at a dotted ``path``, creating the objects on the way."""
    parts = path.split(".")
    current = target
    for part in parts[:-1]:
        current = current.setdefault(part, {})
        if not isinstance(current, dict):
            raise MappingError(f"can't set {path}: {part} is already a value")
    current[parts[-1]] = value


class FieldMap:
    """One entity's map (ours → theirs), with typed getters that raise MappingError naming the field."""

    def __init__(self, entity: str, paths: Mapping[str, Path]) -> None:
        self.entity = entity
        self.paths = dict(paths)

    def has(self, field: str) -> bool:
        return field in self.paths

    def raw(self, data: Any, field: str) -> Any:
        path = self.paths.get(field)
        if path is None:
            return None
        if isinstance(path, list):
            parts = [get_path(data, p) for p in path]
            joined = " ".join(str(p).strip() for p in parts if p not in (None, ""))
            return joined or None
        return get_path(data, path)

    def _where(self, field: str) -> str:
        return f"{self.entity}.{field} (shop field {self.paths.get(field)!r})"

    def text(self, data: Any, field: str, required: bool = False, default: str | None = None) -> str | None:
        value = self.raw(data, field)
        if value is None or value == "":
            if required:
                raise MappingError(f"the shop's answer has no {self._where(field)}")
            return default
        if isinstance(value, Mapping | list):
            raise MappingError(f"{self._where(field)} should be a single value, got {type(value).__name__}")
        return str(value).strip()

    def integer(self, data: Any, field: str, required: bool = False, default: int | None = None) -> int | None:
        value = self.raw(data, field)
        if value is None:
            if required:
                raise MappingError(f"the shop's answer has no {self._where(field)}")
            return default
        try:
            number = Decimal(str(value))
            if number != number.to_integral_value():
                raise InvalidOperation
            return int(number)
        except (InvalidOperation, ValueError) as exc:
            raise MappingError(f"{self._where(field)} should be a whole number, got {value!r}") from exc

    def money(self, data: Any, field: str, minor_units: bool, required: bool = False) -> Decimal | None:
        value = self.raw(data, field)
        if value is None or value == "":
            if required:
                raise MappingError(f"the shop's answer has no {self._where(field)}")
            return None
        if isinstance(value, bool):
            raise MappingError(f"{self._where(field)} should be an amount, got {value!r}")
        try:
            amount = Decimal(str(value))
        except InvalidOperation as exc:
            raise MappingError(f"{self._where(field)} should be an amount, got {value!r}") from exc
        if not amount.is_finite():
            raise MappingError(f"{self._where(field)} should be a finite amount, got {value!r}")
        return (amount / 100 if minor_units else amount).quantize(Decimal("0.01"))

    def flag(self, data: Any, field: str) -> bool:
        value = self.raw(data, field)
        if isinstance(value, str):
            return value.strip().lower() in ("1", "true", "yes", "y")
        return bool(value)

    def timestamp(self, data: Any, field: str, required: bool = False) -> datetime | None:
        value = self.raw(data, field)
        if value is None or value == "":
            if required:
                raise MappingError(f"the shop's answer has no {self._where(field)}")
            return None
        return parse_datetime(value, self._where(field))

    def day(self, data: Any, field: str) -> date | None:
        value = self.raw(data, field)
        if value is None or value == "":
            return None
        if isinstance(value, str) and len(value.strip()) == 10:
            try:
                return date.fromisoformat(value.strip())
            except ValueError as exc:
                raise MappingError(f"{self._where(field)} should be a date like 2025-01-31, got {value!r}") from exc
        return parse_datetime(value, self._where(field)).date()


def parse_datetime(value: Any, where: str) -> datetime:
    """ISO 8601 (``Z`` or an offset; no offset means UTC) or Unix seconds → aware UTC datetime."""
    if isinstance(value, bool):
        raise MappingError(f"{where} should be a date and time, got {value!r}")
    if isinstance(value, int | float):
        return datetime.fromtimestamp(value, UTC)
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.strip())
        except ValueError as exc:
            raise MappingError(f"{where} should be an ISO 8601 date and time, got {value!r}") from exc
        return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
    raise MappingError(f"{where} should be a date and time, got {type(value).__name__}")


def translate(value: str, table: Mapping[str, str], allowed: set[str], where: str) -> str:
    """A shop's value in our vocabulary: through ``table``, or unchanged when it already is ours."""
    mapped = table.get(value, table.get(value.lower(), value))
    if mapped not in allowed:
        raise MappingError(f"the shop answered {where} {value!r}, which has no meaning here; map it in values")
    return mapped
