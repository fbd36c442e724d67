"""The handbook editor's API under /api/agent/handbook (its page is /agent/handbook; the rules are in
helpdesk/knowledge/handbook_editing.py):

    GET    /handbook?q=                     entries (broken files too), searched in both languages
    GET    /handbook/<id>                   the entry's form, file text and revision
    POST   /handbook/<id>/check             {"entry"} → the file text, problems and warnings by line, the answers
                                            as the bot would send them (nothing is written)
    PUT    /handbook/<id>                   {"entry", "base_revision", "message"?, "confirm"?} → 200/201; 409 with
                                            both versions when it changed since base_revision; 422 with problems
                                            when invalid; 428 with the held-out figures when it makes one worse than
                                            kb.yml's tolerance (a supervisor or admin publishes it with confirm: true)
    DELETE /handbook/<id>?base_revision=&confirm=   409 when it changed since; 428 as PUT
    GET    /handbook/<id>/revisions         every publish: who, when, why (git commits or database rows)
    GET    /handbook/<id>/revisions/<rev>   one revision: the file after it and its diff
    POST   /handbook/<id>/revisions/<rev>/restore  {"base_revision", "confirm"?} → publishes that version again (a
                                            new revision; 428 as PUT)
    POST   /handbook/<id>/preview           {"entry" | null, "days"?} → over the customers' questions of the last N
                                            days (default 30): which the change would newly answer, take from another
                                            entry, stop answering; the held-out figures before and after and whether
                                            publishing needs a supervisor — computed by the action server on the
                                            live index

Every logged-in role reads; editors, supervisors and admins write (agents 403). The session guard in front
(helpdesk/web/sessions.py) answers 401 without a session and 403 to a change without the CSRF token.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from pathlib import Path
from typing import Any

from sanic import Blueprint, Request
from sanic.response import HTTPResponse
from sanic.response import json as json_response

from helpdesk.clients.action_server import ActionServerUnavailable
from helpdesk.db.models import Agent
from helpdesk.errors import Invalid, NotFound, Unavailable
from helpdesk.knowledge import held_out_retired
from helpdesk.knowledge.entry_form import EntryForm, from_markdown, valid_id
from helpdesk.knowledge.handbook_editing import HandbookEditor, StoredEntry
from helpdesk.knowledge.handbook_gate import gate, held_out_change, with_note
from helpdesk.knowledge.handbook_revisions import Publish, Revisions, revisions_for
from helpdesk.knowledge.impact_summary import sentence, summary
from helpdesk.knowledge.runtime import handbook_dir
from helpdesk.reports.periods import DateRange
from helpdesk.reports.unanswered import customer_questions
from helpdesk.web.inputs import agent_of, json_body
from helpdesk.web.services import Services, services
from helpdesk.web.sessions import require

log = logging.getLogger(__name__)

MAX_QUERY = 200
MAX_MESSAGE = 500
DEFAULT_DAYS = 30
MAX_DAYS = 366
PREVIEW_QUESTIONS = 10_000


def may_edit_handbook(agent: Agent) -> bool:
    return agent.is_editor or agent.can_supervise


@functools.lru_cache(maxsize=4)
def _editor(root: Path) -> HandbookEditor:
    return HandbookEditor(root)


def handbook_editor() -> HandbookEditor:
    """The editor of this process's handbook folder (KB_DIR, as the FAQ engine reads it)."""
    return _editor(handbook_dir())


def base_revision_of(value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not 0 < len(value) <= 128:
        raise Invalid("base_revision must be the revision the entry was opened at (null for a new entry)")
    return value


def revisions_of(request: Request) -> Revisions:
    """Where this process keeps the revisions (git or the database), chosen once."""
    kept = getattr(request.app.ctx, "handbook_revisions", None)
    if kept is None:
        kept = revisions_for(handbook_dir(), services(request).sessions)
        request.app.ctx.handbook_revisions = kept
    return kept


def message_of(value: object) -> str:
    if value is None:
        return ""
    if not isinstance(value, str) or len(value) > MAX_MESSAGE:
        raise Invalid(f"message must be text of at most {MAX_MESSAGE} characters")
    return " ".join(value.split())


def _confirmed(value: object) -> bool:
    if value is None or isinstance(value, bool):
        return bool(value)
    if value in ("1", "true"):
        return True
    if value in ("0", "false", ""):
        return False
    raise Invalid("confirm must be true or false")


async def _gated(request: Request, entry_id: str, entry: dict[str, Any] | None, confirm: object, message: str) -> str:
    """The revision's message once the held-out gate lets the change through (handbook_gate.py); raises 428/403."""
    held = await held_out_change(services(request).actions, entry_id, entry, await retired_pairs(request))
    note = gate(held, _confirmed(confirm), agent_of(request))
    return with_note(message or (f"handbook: {entry_id}" if note else ""), note)


async def retired_pairs(request: Request) -> list[list[str]]:
    """The out-of-scope held-out questions retired so far ([set, question]), for the preview and the gate."""
    async with services(request).sessions() as session:
        return held_out_retired.pairs(await held_out_retired.retired(session))


async def published(
    request: Request, form: EntryForm, base: str | None, message: str, confirm: object
) -> tuple[dict[str, Any], int]:
    """Write the entry once the gate lets it through and record the revision: the entry as stored, 201 or 200."""
    editor = handbook_editor()
    await asyncio.to_thread(editor.check_base, form.id, base, form)  # a stale edit: 409 before any gate
    message = await _gated(request, form.id, form.to_json(), confirm, message)
    stored, before = await asyncio.to_thread(editor.save, form, base)
    publish = Publish(form.id, stored.path, before, stored.text, agent_of(request), message)
    await revisions_of(request).record(publish)
    return stored.to_json(), 201 if before is None else 200


async def _publish(request: Request, form: EntryForm, base: str | None, message: str, confirm: object) -> HTTPResponse:
    body, status = await published(request, form, base, message, confirm)
    return json_response(body, status=status)


async def deleted(request: Request, entry_id: str, base: str | None, message: str, confirm: object) -> dict[str, Any]:
    """Remove the entry once the gate lets it through and record the revision."""
    await asyncio.to_thread(handbook_editor().check_base, entry_id, base, None, True)
    message = await _gated(request, entry_id, None, confirm, message)
    was = await asyncio.to_thread(handbook_editor().delete, entry_id, base)
    await revisions_of(request).record(Publish(entry_id, was.path, was.text, None, agent_of(request), message))
    return {"deleted": was.form.id, "revision": was.revision}


async def _path_of(entry_id: str) -> str | None:
    try:
        stored: StoredEntry = await asyncio.to_thread(handbook_editor().get, entry_id)
    except NotFound:
        return None
    return stored.path


def checked_id(entry_id: str) -> str:
    if not valid_id(entry_id):
        raise NotFound(f"'{entry_id[:100]}' is not a handbook entry id (lower-case letters, digits, dashes)")
    return entry_id


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
        if may_edit_handbook(agent_of(request)):
            warm_preview(request)
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
        base, message = base_revision_of(body.get("base_revision")), message_of(body.get("message"))
        return await _publish(request, form, base, message, body.get("confirm"))

    @bp.delete("/<entry_id:str>")
    async def delete(request: Request, entry_id: str) -> HTTPResponse:
        require(may_edit_handbook(agent_of(request)), "agents may read the handbook; editors and supervisors change it")
        base = base_revision_of(request.args.get("base_revision"))
        message = message_of(request.args.get("message"))
        return json_response(await deleted(request, entry_id, base, message, request.args.get("confirm")))

    @bp.get("/<entry_id:str>/revisions")
    async def revisions(request: Request, entry_id: str) -> HTTPResponse:
        store = revisions_of(request)
        found = await store.history(checked_id(entry_id), await _path_of(entry_id))
        return json_response({"store": store.kind, "revisions": [revision.to_json() for revision in found]})

    @bp.get("/<entry_id:str>/revisions/<revision_id:str>")
    async def revision(request: Request, entry_id: str, revision_id: str) -> HTTPResponse:
        found = await revisions_of(request).revision(checked_id(entry_id), await _path_of(entry_id), revision_id[:64])
        entry = from_markdown(entry_id, found.text).to_json() if found.text is not None else None
        return json_response({**found.to_json(), "text": found.text, "diff": found.diff, "entry": entry})

    @bp.post("/<entry_id:str>/revisions/<revision_id:str>/restore")
    async def restore(request: Request, entry_id: str, revision_id: str) -> HTTPResponse:
        require(may_edit_handbook(agent_of(request)), "agents may read the handbook; editors and supervisors change it")
        body = json_body(request, empty_is_object=True)
        base = base_revision_of(body.get("base_revision"))
        found = await revisions_of(request).revision(checked_id(entry_id), await _path_of(entry_id), revision_id[:64])
        message = message_of(body.get("message")) or f"handbook: restore {entry_id} to revision {revision_id[:12]}"
        if found.text is None:
            raise Invalid("that revision deleted the entry: delete it instead")
        return await _publish(request, from_markdown(entry_id, found.text), base, message, body.get("confirm"))

    @bp.post("/<entry_id:str>/preview")
    async def preview(request: Request, entry_id: str) -> HTTPResponse:
        body = json_body(request, empty_is_object=True)
        form = EntryForm.from_json(body["entry"], entry_id).to_json() if body.get("entry") is not None else None
        days = body.get("days", DEFAULT_DAYS)
        if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_DAYS:
            raise Invalid(f"days must be a whole number from 1 to {MAX_DAYS}")
        running, agent = services(request), agent_of(request)
        async with running.sessions() as session:
            questions = await customer_questions(
                session, DateRange.parse(None, None, None, default_days=days), PREVIEW_QUESTIONS
            )
            retired = held_out_retired.pairs(await held_out_retired.retired(session))
        try:
            found = await running.actions.preview(checked_id(entry_id), form, questions, retired=retired)
        except ActionServerUnavailable as exc:
            raise Unavailable("the FAQ engine cannot compute the preview right now: try again in a minute") from exc
        lines = summary(entry_id, found)  # for the page: each piece shown in the editor's language
        return json_response(
            {**found, "days": days, "summary": lines, "sentence": sentence(lines), "may_confirm": agent.can_supervise}
        )

    return bp


_warming: set[asyncio.Task[None]] = set()


def warm_preview(request: Request) -> None:
    """An editor opened an entry: have the FAQ engine rank the last 30 days' questions now, in the background
    (one at a time per process), so the first "Preview impact" finds them ranked (helpdesk/knowledge/
    preview_cache.py) instead of embedding thousands of questions while the editor waits."""
    if _warming:
        return
    running = services(request)

    async def rank() -> None:
        async with running.sessions() as session:
            period = DateRange.parse(None, None, None, default_days=DEFAULT_DAYS)
            questions = await customer_questions(session, period, PREVIEW_QUESTIONS)
        with contextlib.suppress(ActionServerUnavailable):
            await rank_in_chunks(running, questions)

    task = asyncio.create_task(rank())
    _warming.add(task)
    task.add_done_callback(_warming.discard)


WARM_CHUNK = 500  # questions per background call: an editor's preview waits for at most one chunk


async def rank_in_chunks(running: Services, questions: list[str]) -> None:
    """Have the FAQ engine rank ``questions`` ahead of any preview, a chunk at a time (an editor's preview waits
    for one chunk at most, not for thousands of questions)."""
    for start in range(0, len(questions), WARM_CHUNK):
        await running.actions.rank_questions(questions[start : start + WARM_CHUNK])


async def rank_new_questions_forever(running: Services, interval: float) -> None:
    """Customers' questions reach the FAQ engine's impact-preview memory as they arrive: every ``interval`` seconds
    the questions of today and yesterday (the last 30 days the first time) are sent to be embedded and ranked in
    a low-priority thread; the action server only embeds the ones it does not have and stores their vectors and
    rankings (helpdesk/knowledge/preview_store.py), so an editor's first preview, even after a restart of the
    action server, has nothing left to embed."""
    days = DEFAULT_DAYS
    while True:
        try:
            async with running.sessions() as session:
                period = DateRange.parse(None, None, None, default_days=days)
                questions = await customer_questions(session, period, PREVIEW_QUESTIONS)
            await rank_in_chunks(running, questions)
            days = 2
        except ActionServerUnavailable:
            pass  # the action server is starting or down: the same days next time
        except Exception:  # a background duty: logged, tried again next time
            log.exception("sending customers' questions to the impact preview failed")
        await asyncio.sleep(interval)
