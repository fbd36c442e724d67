"""The handbook editor's API under /api/agent/handbook (its page is /agent/handbook; the rules are in
helpdesk/knowledge/handbook_editing.py):

    GET    /handbook?q=                     entries (broken files too), searched in both languages
    GET    /handbook/<id>                   the entry's form, file text and revision
    POST   /handbook/<id>/check             {"entry"} → the file text, problems and warnings by line, the answers
                                            as the bot would send them (nothing is written)
    PUT    /handbook/<id>                   {"entry", "base_revision", "message"?} → 200/201; 409 with both versions
                                            when it changed since base_revision; 422 with problems when invalid
    DELETE /handbook/<id>?base_revision=    409 when it changed since

Every logged-in role reads; editors, supervisors and admins write (agents 403). The session guard in front
(helpdesk/web/sessions.py) answers 401 without a session and 403 to a change without the CSRF token.
"""

from __future__ import annotations

import asyncio
import functools
from pathlib import Path

from sanic import Blueprint, Request
from sanic.response import HTTPResponse
from sanic.response import json as json_response

from helpdesk.db.models import Agent
from helpdesk.errors import Invalid
from helpdesk.knowledge.entry_form import EntryForm
from helpdesk.knowledge.handbook_editing import HandbookEditor
from helpdesk.knowledge.runtime import handbook_dir
from helpdesk.web.inputs import agent_of, json_body
from helpdesk.web.sessions import require

MAX_QUERY = 200
MAX_MESSAGE = 500


def may_edit_handbook(agent: Agent) -> bool:
    return agent.is_editor or agent.can_supervise


@functools.lru_cache(maxsize=4)
def _editor(root: Path) -> HandbookEditor:
    return HandbookEditor(root)


def handbook_editor() -> HandbookEditor:
    """The editor of this process's handbook folder (KB_DIR, as the FAQ engine reads it)."""
    return _editor(handbook_dir())


def _revision(value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not 0 < len(value) <= 128:
        raise Invalid("base_revision must be the revision the entry was opened at (null for a new entry)")
    return value


def _form(request: Request, entry_id: str) -> tuple[EntryForm, dict[str, object]]:
    body = json_body(request)
    return EntryForm.from_json(body.get("entry"), entry_id), body


def handbook_blueprint() -> Blueprint:
    bp = Blueprint("handbook", url_prefix="/handbook")

    @bp.get("")
    async def listing(request: Request) -> HTTPResponse:
        query = (request.args.get("q") or "")[:MAX_QUERY]
        rows = await asyncio.to_thread(handbook_editor().listing, query)
        return json_response({"entries": rows, "may_edit": may_edit_handbook(agent_of(request))})

    @bp.get("/<entry_id:str>")
    async def read(request: Request, entry_id: str) -> HTTPResponse:
        editor = handbook_editor()
        stored = await asyncio.to_thread(editor.get, entry_id)
        checked = await asyncio.to_thread(editor.check, stored.form)
        return json_response(
            {
                **stored.to_json(),
                **checked.to_json(),
                "text": stored.text,
                "may_edit": may_edit_handbook(agent_of(request)),
            }
        )

    @bp.post("/<entry_id:str>/check")
    async def check(request: Request, entry_id: str) -> HTTPResponse:
        form, _ = _form(request, entry_id)
        checked = await asyncio.to_thread(handbook_editor().check, form)
        return json_response(checked.to_json())

    @bp.put("/<entry_id:str>")
    async def publish(request: Request, entry_id: str) -> HTTPResponse:
        require(may_edit_handbook(agent_of(request)), "agents may read the handbook; editors and supervisors change it")
        form, body = _form(request, entry_id)
        base = _revision(body.get("base_revision"))
        stored, created = await asyncio.to_thread(handbook_editor().save, form, base)
        return json_response(stored.to_json(), status=201 if created else 200)

    @bp.delete("/<entry_id:str>")
    async def delete(request: Request, entry_id: str) -> HTTPResponse:
        require(may_edit_handbook(agent_of(request)), "agents may read the handbook; editors and supervisors change it")
        base = _revision(request.args.get("base_revision"))
        was = await asyncio.to_thread(handbook_editor().delete, entry_id, base)
        return json_response({"deleted": was.form.id, "revision": was.revision})

    return bp
