"""The action webhook process: rasa-sdk actions plus the knowledge engine's HTTP face.

The embedding model and the FAISS index live here, once: the actions answer from them, and the
helpdesk asks this process for readiness (`/kb/status`), help-centre pages (`/kb/entries/<id>`)
and searches (`/kb/search`) instead of loading a second copy of the model.
"""

from __future__ import annotations

import argparse
import logging
import os
import threading
import time

from rasa_sdk.endpoint import create_app
from rasa_sdk.executor import ActionExecutor
from sanic import Request
from sanic.response import HTTPResponse
from sanic.response import json as json_response

from helpdesk.knowledge import runtime

log = logging.getLogger(__name__)


def _load_knowledge() -> None:
    started = time.perf_counter()
    try:
        runtime.get_knowledge_base()
        log.info("knowledge base ready in %.1f s", time.perf_counter() - started)
    except Exception:  # the failure is reported by /kb/status and the log, the process keeps serving
        log.exception("knowledge base failed to load")


def build_app(action_package: str = "actions"):  # noqa: ANN201 - a Sanic app
    executor = ActionExecutor()
    executor.register_package(action_package)
    app = create_app(executor, cors_origins=None)

    @app.get("/kb/status")
    async def kb_status(request: Request) -> HTTPResponse:
        return json_response(runtime.status())

    @app.get("/kb/entries/<faq_id:str>")
    async def kb_entry(request: Request, faq_id: str) -> HTTPResponse:
        kb = runtime.loaded_knowledge_base()
        entry = kb.entry(faq_id) if kb is not None else None
        if entry is None:
            return json_response({"error": f"no handbook entry {faq_id!r}"}, status=404)
        return json_response({"id": entry.id, "title": entry.title, "answer": entry.answer, "tags": list(entry.tags)})

    @app.get("/kb/search")
    async def kb_search(request: Request) -> HTTPResponse:
        kb = runtime.loaded_knowledge_base()
        query = (request.args.get("q") or "").strip()
        if kb is None:
            return json_response({"error": "the knowledge base is still loading"}, status=503)
        if not query or len(query) > 2000:
            return json_response({"error": "q must be a question of 1 to 2000 characters"}, status=400)
        decision = kb.decide(query)
        return json_response(
            {
                "decision": decision.action,
                "candidates": [
                    {"id": c.id, "title": c.title, "score": round(float(c.score), 4)} for c in decision.ranked[:5]
                ],
            }
        )

    return app


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run the action webhook with the knowledge engine.")
    parser.add_argument("--host", default=os.environ.get("ACTION_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("ACTION_PORT", "5055")))
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    threading.Thread(target=_load_knowledge, name="kb-load", daemon=True).start()
    app = build_app()
    app.run(host=args.host, port=args.port, single_process=True, access_log=False, motd=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
