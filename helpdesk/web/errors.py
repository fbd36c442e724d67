"""The one edge where the services' domain errors (helpdesk/errors.py) become HTTP answers."""

from __future__ import annotations

from sanic import DefaultSanic, Request
from sanic.response import HTTPResponse
from sanic.response import json as json_response

from helpdesk.errors import (
    Conflict,
    DomainError,
    Forbidden,
    Invalid,
    NeedsConfirmation,
    NotFound,
    TooMany,
    Unauthorized,
    Unavailable,
    Unprocessable,
    Unsupported,
)

STATUS: dict[type[DomainError], int] = {
    Invalid: 400,
    Unauthorized: 401,
    Forbidden: 403,
    NotFound: 404,
    Conflict: 409,
    Unsupported: 415,
    Unprocessable: 422,
    NeedsConfirmation: 428,
    TooMany: 429,
    Unavailable: 503,
}


def status_of(error: DomainError) -> int:
    """The status of the nearest kind the error is (a subclass answers as its kind)."""
    for kind in type(error).__mro__:
        if kind in STATUS:
            return STATUS[kind]
    return 500


def error_response(error: DomainError) -> HTTPResponse:
    headers = {"Retry-After": str(error.retry_after)} if isinstance(error, TooMany) else None
    return json_response({"error": error.message, **error.details}, status=status_of(error), headers=headers)


def install_error_edge(app: DefaultSanic) -> None:
    @app.exception(DomainError)
    async def _domain_error(request: Request, error: DomainError) -> HTTPResponse:
        return error_response(error)
