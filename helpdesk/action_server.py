"""The action webhook process: rasa-sdk actions plus the knowledge engine's HTTP face.

The embedding model and the FAISS index live here, once: the actions answer from them, and the
helpdesk asks this process for readiness (`/kb/status`), help-centre pages (`/kb/entries`, `/kb/entries/<id>`),
searches (`/kb/search`) and the grouping of unanswered questions (`/kb/cluster`, loopback callers only)
instead of loading a second copy of the model.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import hmac
import json
import logging
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from rasa_sdk.endpoint import create_app
from rasa_sdk.executor import ActionExecutor
from sanic import DefaultSanic, Request
from sanic.exceptions import PayloadTooLarge
from sanic.response import HTTPResponse
from sanic.response import json as json_response

from helpdesk import i18n
from helpdesk.config import Settings
from helpdesk.knowledge import language_search, runtime
from helpdesk.knowledge.clusters import DEFAULT_THRESHOLD, MAX_TEXTS
from helpdesk.knowledge.preview_limits import max_body_bytes, usable
from nlu_addons.heap import freeze_start_up_heap
from nlu_addons.language import CJK, LANGUAGES, says_no_language

log = logging.getLogger(__name__)
T = TypeVar("T")
EXCERPT_CHARS = 180  # the start of an answer the help centre shows under a title

SECRET_HEADER = "X-Action-Secret"  # endpoints.yml sends ACTION_SECRET in it


ADDRESS_SLOT = "new_address"  # actions/order_state.py's NEW_ADDRESS: the form is asking for a delivery address
REQUESTED_SLOT = "requested_slot"


def turns_asked(tracker: dict[str, Any]) -> list[tuple[dict[str, Any], object]]:
    """Each customer message of the tracker with the slot the bot was asking for when it came (``requested_slot``)."""
    asked: object = None
    turns: list[tuple[dict[str, Any], object]] = []
    for event in tracker.get("events") or []:
        kind = event.get("event")
        if kind == "slot" and event.get("name") == REQUESTED_SLOT:
            asked = event.get("value")
        elif kind == "user":
            turns.append((event, asked))
    return turns


def no_language_evidence(text: str, asked: object) -> bool:
    """The message says nothing about the customer's language: an e-mail address, an order number and the like
    (nlu_addons/language.py), or an answer in Latin letters to "what's the new delivery address?" — an address is
    written as its country writes it, so "33000 Bordeaux" from a Chinese customer is not English."""
    return says_no_language(text) or (asked == ADDRESS_SLOT and not CJK.search(text))


def conversation_language(tracker: dict[str, Any]) -> object:
    """The language to answer in: the tracker's ``language`` slot (the script of the latest message), except after
    a message with no language evidence of its own (an e-mail address or a Latin-script address typed by a Chinese
    customer was answered in English): then the language of the last message that had some."""
    language = (tracker.get("slots") or {}).get("language")
    said = turns_asked(tracker)
    if not said or not no_language_evidence(str(said[-1][0].get("text") or ""), said[-1][1]):
        return language
    for event, asked in reversed(said[:-1]):
        if no_language_evidence(str(event.get("text") or ""), asked):
            continue
        for entity in (event.get("parse_data") or {}).get("entities") or []:
            if entity.get("entity") == "language" and entity.get("value") in LANGUAGES:
                return entity["value"]
        return language
    return language


class LanguageExecutor(ActionExecutor):
    """Runs each action in the conversation's language (the tracker's ``language`` slot, set from every message,
    unless the message said nothing about a language: conversation_language): every text the action composes, and
    the dates and amounts in it, follow it (helpdesk/i18n.py)."""

    async def run(self, action_call: dict[str, Any], *args: Any, **kwargs: Any) -> Any:
        with i18n.speaking(conversation_language(action_call.get("tracker") or {})):
            return await super().run(action_call, *args, **kwargs)


def _load_knowledge() -> None:
    started = time.perf_counter()
    try:
        kb = runtime.get_knowledge_base()
        log.info("knowledge base ready in %.1f s", time.perf_counter() - started)
    except Exception:  # the failure is reported by /kb/status and the log, the process keeps serving
        log.exception("knowledge base failed to load")
        return
    _warm_chinese_search(kb)
    _warm_held_out(kb)
    freeze_start_up_heap()  # the handbook, its indexes and the encoder are loaded (nlu_addons/heap.py)


def _warm_chinese_search(kb: Any) -> None:
    """Index the handbook's Chinese side now, so the first Chinese search does not wait for it."""
    started = time.perf_counter()
    try:
        language_search.warm(kb)
        log.info("Chinese handbook search ready in %.1f s", time.perf_counter() - started)
    except Exception:  # the first Chinese search builds it (and reports the failure)
        log.exception("indexing the handbook for Chinese searches failed")


HELD_OUT_RANKED = threading.Event()  # the held-out sets are ranked on the live handbook (/kb/status says so)


def _preview_questions_kept(kb: Any) -> int:
    """How many questions the editor's impact preview has ranked on the live handbook (0 before any)."""
    from helpdesk.knowledge.preview_cache import cache_for

    return cache_for(kb).size


def _warm_held_out(kb: Any) -> None:
    """Rank the held-out sets once, at a low priority, so the editor's first preview or publish gate does not
    wait for them (helpdesk/knowledge/preview_cache.py keeps them across handbook versions)."""
    from helpdesk.knowledge.held_out import held_out_folder, load_sets
    from helpdesk.knowledge.preview_cache import rank_ahead

    started = time.perf_counter()
    with contextlib.suppress(OSError):  # this thread only: customers go first
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 15)
    try:
        texts = [text for found in load_sets(held_out_folder()) for text in found.texts]
        rank_ahead(kb, texts)
        HELD_OUT_RANKED.set()
        log.info("held-out sets ranked for the editor's preview in %.1f s", time.perf_counter() - started)
    except Exception:  # the preview ranks them when first asked
        log.exception("ranking the held-out sets failed")


async def in_low_priority_thread(work: Callable[..., T], *args: Any) -> T:
    """``work(*args)`` in a thread of its own at nice 15: customers' replies go first (the impact preview's
    questions sent ahead of any editor, ranked while nobody waits for them)."""
    loop = asyncio.get_running_loop()
    done: asyncio.Future[T] = loop.create_future()

    def run() -> None:
        with contextlib.suppress(OSError):
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 15)
        try:
            result = work(*args)
        except BaseException as error:  # noqa: BLE001 - handed to the awaiting request
            loop.call_soon_threadsafe(done.set_exception, error)
        else:
            loop.call_soon_threadsafe(done.set_result, result)

    threading.Thread(target=run, name="preview-background", daemon=True).start()
    return await done


def from_loopback(request: Request) -> bool:
    """The caller is on this machine (the helpdesk): the peer address, never a forwarded header."""
    address = str(request.conn_info.client_ip if request.conn_info else "")
    return address == "::1" or address.startswith("127.") or address.startswith("::ffff:127.")


def helpdesk_request(request: Request) -> tuple[Any, dict[str, Any]] | HTTPResponse:
    """The knowledge base and the JSON object of a request only the helpdesk on this machine may make (/kb/cluster,
    /kb/preview, /kb/questions), or the answer refusing it: 403 from elsewhere, 503 while the knowledge base loads,
    400 when the body is not JSON. A body that is JSON but not an object reads as an empty object (each endpoint
    then answers 400 naming what it needs)."""
    if not from_loopback(request):
        return json_response({"error": "only the helpdesk on this machine may ask"}, status=403)
    kb = runtime.loaded_knowledge_base()
    if kb is None:
        return json_response({"error": "the knowledge base is still loading"}, status=503)
    try:
        body = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        return json_response({"error": "the body must be JSON"}, status=400)
    return kb, body if isinstance(body, dict) else {}


def help_index_row(root: Path, entry: Any) -> dict[str, Any]:
    """An entry as the help centre lists it; its topic is the handbook folder it is in ("delivery")."""
    from helpdesk.knowledge.chat_text import markdown_to_text

    try:
        parts = Path(entry.path).relative_to(root).parts
    except ValueError:
        parts = ()

    def excerpt_of(answer: str) -> str:
        lines = markdown_to_text(answer, paragraph_break="\n").split("\n")
        excerpt = " · ".join(" ".join(line.removeprefix("• ").split()) for line in lines if line.strip())
        if len(excerpt) > EXCERPT_CHARS:
            cut = excerpt[: EXCERPT_CHARS - 1]
            excerpt = (cut.rsplit(" ", 1)[0] if " " in cut else cut) + "…"
        return excerpt

    row = {
        "id": entry.id,
        "title": entry.title,
        "tags": list(entry.tags),
        "topic": parts[0] if len(parts) > 1 else "",
        "excerpt": excerpt_of(entry.answer),
    }
    chinese = entry.version("zh")
    if chinese is not None:  # the help centre's Chinese pages
        row["zh_title"] = chinese.title
        row["zh_excerpt"] = excerpt_of(chinese.answer)
    return row


def secret_matches(request: Request, secret: str) -> bool:
    """The request carries the secret Rasa and this process share (SECRET_HEADER), compared in constant time."""
    given = request.headers.get(SECRET_HEADER, "")
    return bool(secret) and hmac.compare_digest(given.encode(), secret.encode())


def build_app(action_package: str = "actions", secret: str | None = None) -> DefaultSanic:
    """rasa-sdk's action endpoint (/webhook, /health) with the FAQ engine's routes added.

    `secret` (default: ACTION_SECRET from the environment) guards the webhook: a posted tracker runs actions on
    real orders, so only Rasa, which sends the secret in the SECRET_HEADER header (endpoints.yml), may post
    one. Without a secret the webhook refuses every call (it never runs open).
    """
    secret = Settings.from_env().action_secret if secret is None else secret
    if not secret:
        log.error("ACTION_SECRET is not set: the action webhook refuses every call (`make run` sets one per run)")
    executor = LanguageExecutor()
    executor.register_package(action_package)
    app: DefaultSanic = create_app(executor, cors_origins=None)
    limit = max_body_bytes()
    app.config.REQUEST_MAX_SIZE = limit  # Sanic's default is 100 MB

    @app.exception(PayloadTooLarge)  # before rasa-sdk's catch-all, which answers every error with a 500
    async def too_large(request: Request, exception: PayloadTooLarge) -> HTTPResponse:
        return json_response({"error": f"the body is larger than {limit} bytes (ACTION_MAX_BODY_BYTES)"}, 413)

    @app.on_request
    async def only_rasa_runs_actions(request: Request) -> HTTPResponse | None:
        if request.path != "/webhook" or secret_matches(request, secret):
            return None
        return json_response({"error": f"the action webhook needs the shared secret in {SECRET_HEADER}"}, 401)

    @app.get("/kb/status")
    async def kb_status(request: Request) -> HTTPResponse:
        # held_out_ranked: the editor's publish gate answers at once (before, its first check ranks the sets)
        kb = runtime.loaded_knowledge_base()
        kept = _preview_questions_kept(kb) if kb is not None else 0
        status = runtime.status()
        zh = language_search.chinese_status(kb) if kb is not None else {"ready": False}
        # ready once both languages search (the handbook's Chinese side is indexed right after the engine loads)
        status["ready"] = bool(status["ready"] and zh["ready"])
        return json_response(
            {**status, "held_out_ranked": HELD_OUT_RANKED.is_set(), "preview_kept": kept, "zh_search": zh}
        )

    @app.get("/kb/entries")
    async def kb_entries(request: Request) -> HTTPResponse:
        """Every entry for the help centre's index: id, title, tags, topic (its folder) and the start of its answer."""
        kb = runtime.loaded_knowledge_base()
        if kb is None:
            return json_response({"error": "the knowledge base is still loading"}, status=503)
        return json_response({"entries": [help_index_row(kb.root, entry) for entry in kb.entries.values()]})

    @app.get("/kb/entries/<faq_id:str>")
    async def kb_entry(request: Request, faq_id: str) -> HTTPResponse:
        kb = runtime.loaded_knowledge_base()
        entry = kb.entry(faq_id) if kb is not None else None
        if entry is None:
            return json_response({"error": f"no handbook entry {faq_id!r}"}, status=404)
        # ?language=zh: the entry's Chinese version when it has one (agents' suggested replies for a Chinese chat)
        version = entry.version("zh") if request.args.get("language") == "zh" else None
        title, answer = (version.title, version.answer) if version is not None else (entry.title, entry.answer)
        return json_response({"id": entry.id, "title": title, "answer": answer, "tags": list(entry.tags)})

    @app.get("/kb/search")
    async def kb_search(request: Request) -> HTTPResponse:
        kb = runtime.loaded_knowledge_base()
        query = (request.args.get("q") or "").strip()
        if kb is None:
            return json_response({"error": "the knowledge base is still loading"}, status=503)
        if not query or len(query) > 2000:
            return json_response({"error": "q must be a question of 1 to 2000 characters"}, status=400)
        # a Chinese question is ranked on the handbook's Chinese side: in a worker thread, since after a handbook change
        # its first search embeds the changed texts (the event loop serves the chat meanwhile)
        decision = await asyncio.to_thread(language_search.decide, kb, query)
        return json_response(
            {
                "decision": decision.action,
                "candidates": [
                    {"id": c.id, "title": c.title, "score": round(float(c.score), 4)} for c in decision.ranked[:5]
                ],
            }
        )

    @app.post("/kb/cluster")
    async def kb_cluster(request: Request) -> HTTPResponse:
        """{"texts": [...], "threshold"?: 0-1} → {"threshold", "clusters": [{"members": [i, ...], "closest", "title",
        "tags"}]}: members are indexes into texts, the most typical first; biggest group first
        (helpdesk/knowledge/cluster_groups.py)."""
        asked_by_helpdesk = helpdesk_request(request)
        if isinstance(asked_by_helpdesk, HTTPResponse):
            return asked_by_helpdesk
        kb, body = asked_by_helpdesk
        texts = body.get("texts")
        threshold = body.get("threshold", DEFAULT_THRESHOLD)
        if (
            not isinstance(texts, list)
            or not 0 < len(texts) <= MAX_TEXTS
            or not all(isinstance(t, str) and 0 < len(t.strip()) <= 2000 for t in texts)
        ):
            return json_response({"error": f"texts must be 1 to {MAX_TEXTS} questions of 1 to 2000 characters"}, 400)
        if isinstance(threshold, bool) or not isinstance(threshold, int | float) or not 0 < threshold < 1:
            return json_response({"error": "threshold must be a number between 0 and 1"}, status=400)
        from helpdesk.knowledge.cluster_groups import cluster_texts  # the engine's modules: loaded with it

        clusters = await asyncio.to_thread(cluster_texts, kb, [t.strip() for t in texts], float(threshold))
        return json_response({"threshold": threshold, "clusters": clusters})

    @app.post("/kb/preview")
    async def kb_preview(request: Request) -> HTTPResponse:
        """{"entry_id", "entry": the editor's form | null (deleted), "questions": [...], "held_out"?: true} → which
        of the questions the change would newly answer, take from another entry, stop answering, and the held-out
        figures before and after (helpdesk/knowledge/impact.py); "left_out": the questions past the limits
        (helpdesk/knowledge/preview_limits.py), trimmed rather than refused."""
        asked_by_helpdesk = helpdesk_request(request)
        if isinstance(asked_by_helpdesk, HTTPResponse):
            return asked_by_helpdesk
        kb, body = asked_by_helpdesk
        entry_id = body.get("entry_id")
        form = body.get("entry")
        questions = body.get("questions")
        with_held_out = body.get("held_out", True)
        retired = body.get("retired", [])
        if (
            not isinstance(entry_id, str)
            or not isinstance(with_held_out, bool)
            or not isinstance(retired, list)
            or not all(isinstance(r, list) and len(r) == 2 and all(isinstance(x, str) for x in r) for r in retired)
            or not (form is None or isinstance(form, dict))
            or not isinstance(questions, list)
        ):
            return json_response({"error": "send entry_id, entry (or null) and a list of questions"}, status=400)
        from helpdesk.knowledge.impact import impact, preview_entry  # the engine's modules: loaded with it

        entry = preview_entry(entry_id, form) if form is not None else None
        asked, left_out = usable(questions)  # past the limits: trimmed, not refused
        left = frozenset((str(r[0]), str(r[1])) for r in retired)  # held-out questions an entry covers now
        found = await asyncio.to_thread(impact, kb, entry_id, entry, asked, with_held_out, left, form)
        return json_response({**found, "left_out": left_out})

    @app.post("/kb/questions")
    async def kb_questions(request: Request) -> HTTPResponse:
        """{"questions": [...]} → {"questions", "ranked_now", "embedded_now", "kept"}: customers' questions ranked
        (and embedded when new) for the impact preview ahead of any editor, in a low-priority thread; kept in
        memory and stored (helpdesk/knowledge/preview_cache.py, preview_store.py)."""
        asked_by_helpdesk = helpdesk_request(request)
        if isinstance(asked_by_helpdesk, HTTPResponse):
            return asked_by_helpdesk
        kb, body = asked_by_helpdesk
        questions = body.get("questions")
        if not isinstance(questions, list):
            return json_response({"error": "send a list of questions"}, status=400)
        from helpdesk.knowledge.preview_cache import rank_ahead  # the engine's modules: loaded with it

        asked, left_out = usable(questions)
        return json_response({**await in_low_priority_thread(rank_ahead, kb, asked), "left_out": left_out})

    return app


def main(argv: list[str] | None = None) -> int:
    settings = Settings.from_env()
    parser = argparse.ArgumentParser(description="Run the action webhook with the knowledge engine.")
    parser.add_argument("--host", default=settings.action_host, help="default: $ACTION_HOST or 127.0.0.1")
    parser.add_argument("--port", type=int, default=settings.action_port, help="default: $ACTION_PORT or 5055")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    # the actions (and the helpdesk modules they import) first, then the handbook in the background: importing the
    # same modules on two threads at once can meet a module the other thread is half-way through (Python's import
    # locks then hand over the partial module), and the action server failed to start with "cannot import name
    # 'OrderPolicy' from partially initialized module 'helpdesk.orders.policy'" (the loader reaches helpdesk.orders
    # through helpdesk.knowledge.facts)
    app = build_app()
    threading.Thread(target=_load_knowledge, name="kb-load", daemon=True).start()
    app.run(host=args.host, port=args.port, single_process=True, access_log=False, motd=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
