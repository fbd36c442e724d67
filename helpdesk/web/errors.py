"""The one edge where the services' domain errors (helpdesk/errors.py) become HTTP answers.

The message is in the language the request asks for (``Accept-Language``: the widget sends its own, the console its
staff member's): Chinese from helpdesk/errors_zh.py when it has the message, English otherwise; in traditional
characters when the language asked for is written in them (zh-TW, zh-HK, zh-Hant: helpdesk/conversation/script.py)."""

from __future__ import annotations

from sanic import DefaultSanic, Request
from sanic.response import HTTPResponse
from sanic.response import json as json_response

from helpdesk.conversation import script
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
from helpdesk.errors_zh import in_chinese
from helpdesk.i18n import Language, normalize

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


def _first_language(request: Request) -> str:
    return str(request.headers.get("accept-language", "")).split(",")[0].split(";")[0].strip()


def request_language(request: Request) -> Language:
    """The first language of ``Accept-Language`` ("zh-CN,zh;q=0.9" → zh); English when none is asked for."""
    return normalize(_first_language(request))


def request_traditional(request: Request) -> bool:
    """The first language of ``Accept-Language`` is written in traditional characters (zh-TW, zh-Hant…)."""
    return script.page_traditional(_first_language(request))


def message_in(message: str, language: Language) -> str:
    """A service's message in ``language`` (English when the Chinese table does not have it)."""
    return (in_chinese(message) or message) if language == "zh" else message


def error_response(error: DomainError, language: Language = "en", traditional: bool = False) -> HTTPResponse:
    headers = {"Retry-After": str(error.retry_after)} if isinstance(error, TooMany) else None
    body = {"error": script.in_script(message_in(error.message, language), traditional), **error.details}
    return json_response(body, status=status_of(error), headers=headers)


def install_error_edge(app: DefaultSanic) -> None:
    @app.exception(DomainError)
    async def _domain_error(request: Request, error: DomainError) -> HTTPResponse:
        return error_response(error, request_language(request), request_traditional(request))
