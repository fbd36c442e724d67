"""CSV cells that a spreadsheet opens as text: the one home of the formula-injection guard for every CSV the
helpdesk exports (dashboard figures, conversation searches)."""

from __future__ import annotations

from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """Text a person or the bot wrote (customer text, names, intents, labels) never runs as a formula when the file
    is opened in a spreadsheet: a cell starting with = + - @ (or a tab / carriage return) gets a leading '.
    Other values (numbers, None) pass unchanged. Identifiers the helpdesk made itself are not passed through here:
    they must reach the file exactly as the system knows them (a conversation id may start with "-")."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
