"""Files in the chat (helpdesk/files/):

    POST /api/chat/<id>/attachments                        the customer's file: the body is the file's bytes,
                                                           X-Filename its name → the message (201); X-Photo-For:
                                                           the bot's message that asked for a photo, if it answers one
    GET  /api/chat/<id>/attachments/<aid>[?thumb=1]        the file, for that conversation's customer only
    POST /api/agent/conversations/<id>/attachments         an agent's file (the chat must be theirs)
    GET  /api/agent/conversations/<id>/attachments/<aid>   the file, for staff who may see the conversation

Uploads are streamed (the helpdesk's small body limit does not apply; FILE_MAX_BYTES does). Files are served with
their checked type, `X-Content-Type-Options: nosniff`, a sandboxing Content-Security-Policy, and
`Content-Disposition` (images inline, PDFs as downloads); nothing else (no HTML, no SVG) is ever stored.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, unquote

from sanic import Blueprint, Request
from sanic.response import HTTPResponse
from sanic.response import json as json_response

from helpdesk.config import Settings
from helpdesk.errors import Invalid
from helpdesk.files.service import StoredFile
from helpdesk.web.inputs import agent_of, client_address
from helpdesk.web.services import services
from helpdesk.web.widget import check_limits

DISCARD_FACTOR = 4  # a body over the limit is read (and dropped) up to this many times the limit, then cut


async def read_upload(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit * DISCARD_FACTOR:
        services(request).files.check_size(int(declared))
    chunks: list[bytes] = []
    size = 0
    stream: Any = request.stream  # sanic's Http, typed as its Stream protocol (which lacks read)
    while True:
        chunk = await stream.read() if stream is not None else None
        if chunk is None:
            break
        size += len(chunk)
        if size <= limit:
            chunks.append(chunk)
        elif size > limit * DISCARD_FACTOR:
            break
    services(request).files.check_size(size)
    return b"".join(chunks)


def filename_of(request: Request) -> str:
    name = unquote(request.headers.get("x-filename") or "")[:255]
    if "\x00" in name:
        raise Invalid("X-Filename must be a file name")
    return name


def photo_for(request: Request) -> int | None:
    """The bot's message whose request for a photo this upload answers (helpdesk/files/photo_requests.py)."""
    raw = (request.headers.get("x-photo-for") or "").strip()
    if not raw:
        return None
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 12:
        raise Invalid("X-Photo-For must be a message id")
    return int(raw)


def file_response(stored: StoredFile) -> HTTPResponse:
    disposition = "inline" if stored.inline else "attachment"
    return HTTPResponse(
        body=stored.data,
        status=200,
        content_type=stored.content_type,
        headers={
            "Content-Disposition": f"{disposition}; filename*=UTF-8''{quote(stored.filename)}",
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": "default-src 'none'; sandbox",
            "Cache-Control": "private, max-age=3600",
            "Cross-Origin-Resource-Policy": "cross-origin",  # the widget runs on the shop's own site
        },
    )


def widget_files_blueprint(settings: Settings) -> Blueprint:
    bp = Blueprint("widget_files", url_prefix="/api/chat")

    async def _cross_origin(request: Request, response: HTTPResponse) -> None:
        origin = request.headers.get("origin")
        allowed = "*" if "*" in settings.widget_origins else (origin if origin in settings.widget_origins else None)
        if allowed:
            response.headers["Access-Control-Allow-Origin"] = allowed
            response.headers["Vary"] = "Origin"

    bp.middleware(_cross_origin, "response")

    async def preflight(request: Request, conversation_id: str) -> HTTPResponse:
        return HTTPResponse(
            status=204,
            headers={
                "Access-Control-Allow-Methods": "POST, OPTIONS",
                "Access-Control-Allow-Headers": "Content-Type, X-Filename, X-Photo-For",
                "Access-Control-Max-Age": "600",
            },
        )

    bp.add_route(preflight, "/<conversation_id:str>/attachments", methods=["OPTIONS"], name="preflight_attachments")

    @bp.post("/<conversation_id:str>/attachments", stream=True)
    async def upload(request: Request, conversation_id: str) -> HTTPResponse:
        await check_limits(request, conversation_id)
        running = services(request)
        data = await read_upload(request, running.files.limits.max_bytes)
        message = await running.files.from_customer(
            conversation_id, filename_of(request), data, client_address(request), photo_for(request)
        )
        return json_response({"conversation_id": conversation_id, "message": message}, status=201)

    @bp.get("/<conversation_id:str>/attachments/<attachment_id:int>")
    async def read(request: Request, conversation_id: str, attachment_id: int) -> HTTPResponse:
        running = services(request)
        await check_limits(request, None, running.limits.reads)
        thumb = request.args.get("thumb") == "1"
        return file_response(await running.files.for_customer(conversation_id, attachment_id, thumb))

    return bp


def staff_files_blueprint() -> Blueprint:
    bp = Blueprint("staff_files")

    @bp.post("/conversations/<conversation_id:str>/attachments", stream=True)
    async def upload(request: Request, conversation_id: str) -> HTTPResponse:
        running = services(request)
        data = await read_upload(request, running.files.limits.max_bytes)
        message = await running.files.from_agent(agent_of(request), conversation_id, filename_of(request), data)
        return json_response(message, status=201)

    @bp.get("/conversations/<conversation_id:str>/attachments/<attachment_id:int>")
    async def read(request: Request, conversation_id: str, attachment_id: int) -> HTTPResponse:
        thumb = request.args.get("thumb") == "1"
        stored = await services(request).files.for_staff(agent_of(request), conversation_id, attachment_id, thumb)
        return file_response(stored)

    return bp
