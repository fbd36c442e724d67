"""E-mail routes (helpdesk/mail/):

POST /api/agent/followups/<id>/email   {"text": "..."}   the follow-up (回访) e-mail to the task's customer
                                                        (who may read the task may send it; 409 without an
                                                        address on file or without SMTP)
POST /api/mail/inbound                  a provider's inbound webhook: replies into their conversations
"""

from __future__ import annotations

import hmac
from dataclasses import replace
from typing import Any

from sanic import Blueprint, Request
from sanic.response import HTTPResponse
from sanic.response import json as json_response

from helpdesk.errors import NotFound, Unauthorized
from helpdesk.mail.followup_mail import MAX_TEXT
from helpdesk.mail.inbound import MAX_FILES, IncomingMail, parse_fields, parse_raw
from helpdesk.web.inputs import agent_of, clean_text, json_body
from helpdesk.web.services import services


def mail_staff_blueprint() -> Blueprint:
    bp = Blueprint("mail_staff")

    @bp.get("/followups/<follow_up_id:int>/email")
    async def follow_up_draft(request: Request, follow_up_id: int) -> HTTPResponse:
        return json_response(await services(request).mail.followup.draft(agent_of(request), follow_up_id))

    @bp.post("/followups/<follow_up_id:int>/email")
    async def follow_up_email(request: Request, follow_up_id: int) -> HTTPResponse:
        text = clean_text(json_body(request, empty_is_object=True).get("text"), limit=MAX_TEXT)
        sent = await services(request).mail.followup.send(agent_of(request), follow_up_id, text)
        return json_response(sent, status=202)

    return bp


def mail_inbound_blueprint() -> Blueprint:
    """POST /api/mail/inbound: a mail provider's inbound webhook (or a relay's). It answers only with the token
    MAIL_INBOUND_TOKEN (`Authorization: Bearer …` or `?token=…`); the body is the provider's JSON, a form
    (multipart or urlencoded) or a raw message (message/rfc822). 201 with the conversation when taken, 200 when
    the same mail was taken before, 403 for a reply address we did not sign, 400 when nothing is left of the text."""
    bp = Blueprint("mail_inbound", url_prefix="/api/mail")

    @bp.post("/inbound")
    async def inbound(request: Request) -> HTTPResponse:
        running = services(request)
        expected = running.mail.settings.inbound_token
        if not expected:
            raise NotFound("inbound e-mail is not set up on this helpdesk (MAIL_INBOUND_TOKEN)")
        given = (request.headers.get("authorization") or "").removeprefix("Bearer ").strip() or (
            request.args.get("token") or ""
        )
        if not hmac.compare_digest(given.encode(), expected.encode()):
            raise Unauthorized("a valid inbound token is required")
        mail = incoming(request)
        taken = await running.mail.inbound.take(mail)
        return json_response(taken, status=200 if taken["duplicate"] else 201)

    return bp


def incoming(request: Request) -> IncomingMail:
    content_type = (request.content_type or "").split(";")[0].strip().lower()
    if content_type == "message/rfc822":
        return parse_raw(request.body)
    if content_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
        fields: dict[str, Any] = {name: values[0] for name, values in (request.form or {}).items() if values}
        attached: list[tuple[str, bytes]] = []
        for name, files in (request.files or {}).items():  # SendGrid may send the raw message as a file part
            if files and name.lower() in ("email", "raw", "body-mime"):
                fields[name] = files[0].body.decode("utf-8", "surrogateescape")
            else:  # the provider's attachment-1, attachment-2 …
                attached.extend((f.name or "attachment", f.body) for f in files if f.body)
        parsed = parse_fields(fields)
        return replace(parsed, files=parsed.files + tuple(attached[:MAX_FILES]))
    return parse_fields(json_body(request, '{"to": "...", "from": "...", "text": "..."}'))
