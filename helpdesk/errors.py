"""Domain errors: what the services raise when they refuse or cannot do something, in words for the caller.

The services know nothing of HTTP. One edge, `helpdesk.web.errors`, turns each kind into a status (as rasa-sdk's
endpoint turns ActionNotFoundException into 404): `Invalid` 400, `Unauthorized` 401, `Forbidden` 403,
`NotFound` 404, `Conflict` 409, `Unsupported` 415, `Unprocessable` 422, `NeedsConfirmation` 428,
`TooMany` 429 (with Retry-After),
`Unavailable` 503.
The body is ``{"error": <message>, **details}``.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A refusal or failure to show the caller: `message` says what is wrong and, where it helps, what to send
    instead; `details` are extra fields for the answer (e.g. the conversation the refused message was stored in)."""

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details = details


class Invalid(DomainError):
    """The request is malformed: a missing, mistyped or out-of-range field."""


class Unauthorized(DomainError):
    """Nobody is logged in (or the session is over)."""


class Forbidden(DomainError):
    """The logged-in account may not do this, or the request comes from another site."""


class NotFound(DomainError):
    """No such thing (or none this caller may see)."""


class Conflict(DomainError):
    """Not now: the conversation (or task) is in a state that does not allow it."""


class Unprocessable(DomainError):
    """Well-formed but refused by the content's own rules (e.g. a handbook entry that does not validate)."""


class NeedsConfirmation(DomainError):
    """Allowed only when someone entitled confirms it, knowing what it does (e.g. a handbook change that makes
    the held-out figures worse: a supervisor confirms)."""


class Unsupported(DomainError):
    """The body is not in a format this endpoint takes."""


class TooMany(DomainError):
    """Over a rate or failure limit; `retry_after` is in seconds."""

    def __init__(self, message: str, retry_after: int, **details: Any) -> None:
        super().__init__(message, **details)
        self.retry_after = retry_after


class Unavailable(DomainError):
    """Another process (Rasa, the action server) cannot answer right now."""
