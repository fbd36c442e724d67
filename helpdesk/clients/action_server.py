"""The helpdesk's client for the action webhook process (helpdesk/action_server.py): its health, and the FAQ
engine's HTTP face there (the model and index live in that process only).

Every call that asks for something raises `ActionServerUnavailable` when the process cannot answer (down,
timed out, an error status, an answer that is not JSON); `entry` answers None for an id the handbook does not
have. The readiness checks (`ready`, `knowledge_status`) never raise: they are what /healthz reports.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import httpx

from helpdesk.errors import Unavailable
from helpdesk.knowledge.preview_limits import fitted_body, max_body_bytes

CLUSTER_TIMEOUT = 120.0  # seconds: grouping a month of questions embeds up to MAX_TEXTS of them
MAX_QUESTION_CHARS = 2000


class ActionServerUnavailable(Unavailable):
    """The action server (or its FAQ engine) cannot answer right now."""


class ActionServerClient:
    def __init__(self, url: str, timeout: float = 10.0) -> None:
        self.url = url.rstrip("/")
        self._http = httpx.AsyncClient(timeout=httpx.Timeout(timeout, connect=2.0))

    async def close(self) -> None:
        await self._http.aclose()

    async def _json(self, method: str, path: str, *, missing_ok: bool = False, **options: Any) -> Any:
        """The JSON answer of `method path`; None for a 404 when `missing_ok`."""
        try:
            response = await self._http.request(method, f"{self.url}{path}", **options)
            if missing_ok and response.status_code == 404:
                return None
            if response.status_code != 200:
                raise ActionServerUnavailable(
                    f"the FAQ engine is not available right now ({method} {path.split('?')[0]}: "
                    f"status {response.status_code})"
                )
            return response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise ActionServerUnavailable(
                f"the FAQ engine is not available right now ({method} {path}: {exc.__class__.__name__})"
            ) from exc

    # ---- readiness (never raises) ----------------------------------------------------------------
    async def ready(self) -> bool:
        try:
            return (await self._http.get(f"{self.url}/health")).status_code == 200
        except httpx.HTTPError:
            return False

    async def knowledge_status(self) -> dict[str, Any] | None:
        """The FAQ engine's status ({"ready", ...}), None while the process cannot answer."""
        try:
            status = await self._json("GET", "/kb/status")
        except ActionServerUnavailable:
            return None
        return status if isinstance(status, dict) else None

    # ---- the FAQ engine ----------------------------------------------------------------------------
    async def entry(self, faq_id: str, language: str = "en") -> dict[str, Any] | None:
        """A handbook entry ({"id", "title", "answer", "tags"}), in ``language`` when it has that version; None
        when there is no such entry."""
        params = {"language": language} if language != "en" else None
        entry = await self._json("GET", f"/kb/entries/{quote(faq_id, safe='')}", missing_ok=True, params=params)
        return entry if isinstance(entry, dict) else None

    async def entries(self) -> list[dict[str, Any]]:
        """Every handbook entry for the help centre's index ({"id", "title", "tags", "topic", "excerpt"})."""
        body = await self._json("GET", "/kb/entries")
        entries = body.get("entries") if isinstance(body, dict) else None
        if not isinstance(entries, list):
            raise ActionServerUnavailable("the FAQ engine gave an entry list in an unknown shape")
        return [entry for entry in entries if isinstance(entry, dict)]

    async def search(self, question: str) -> dict[str, Any]:
        """{"decision", "candidates": [{id, title, score}]} for a customer's question."""
        body = await self._json("GET", "/kb/search", params={"q": question[:MAX_QUESTION_CHARS]})
        if not isinstance(body, dict):
            raise ActionServerUnavailable("the FAQ engine gave a search answer in an unknown shape")
        return {"decision": body.get("decision"), "candidates": body.get("candidates") or []}

    async def preview(
        self,
        entry_id: str,
        entry: dict[str, Any] | None,
        questions: list[str],
        held_out: bool = True,
        retired: list[list[str]] | None = None,
    ) -> dict[str, Any]:
        """What a handbook change would answer: {"questions", "newly_answered", "taken", "stopped", "held_out":
        {"sets", "tolerance", "worse"}, "seconds", "left_out"} (helpdesk/knowledge/impact.py; "left_out": the least
        asked questions left out to fit the request limits, helpdesk/knowledge/preview_limits.py).
        ``retired``: [set, question] pairs the held-out figures leave out (helpdesk/knowledge/held_out_retired.py)."""
        fields = {"entry_id": entry_id, "entry": entry, "held_out": held_out, "retired": retired or []}
        body = await self._post_questions("/kb/preview", fields, questions)
        if not isinstance(body.get("newly_answered"), list):
            raise ActionServerUnavailable("the FAQ engine gave a preview answer in an unknown shape")
        return body

    async def rank_questions(self, questions: list[str]) -> dict[str, Any]:
        """Have the FAQ engine rank (and embed, when new) customers' questions ahead of any preview, at a low
        priority: {"questions", "ranked_now", "embedded_now", "kept", "left_out"}."""
        body = await self._post_questions("/kb/questions", {}, questions)
        if not isinstance(body.get("kept"), int):
            raise ActionServerUnavailable("the FAQ engine gave a ranking answer in an unknown shape")
        return body

    async def _post_questions(self, path: str, fields: dict[str, Any], questions: list[str]) -> dict[str, Any]:
        """POST ``fields`` with as many of ``questions`` as fit the action server's body limit (the least asked past it
        are left out, not the request: helpdesk/knowledge/preview_limits.py); the answer object with "left_out"
        counting the questions both sides left out."""
        content, left_out = fitted_body(fields, questions, max_body_bytes())
        body = await self._json(
            "POST", path, content=content, headers={"Content-Type": "application/json"}, timeout=CLUSTER_TIMEOUT
        )
        if not isinstance(body, dict):
            raise ActionServerUnavailable(f"the FAQ engine answered {path} with something other than an object")
        return {**body, "left_out": left_out + int(body.get("left_out") or 0)}

    async def cluster(self, texts: list[str]) -> list[dict[str, Any]]:
        """Questions grouped by meaning ([{"members": [index, ...], "closest": {id, title, zh_title, score, tags} |
        None}], biggest first)."""
        body = await self._json("POST", "/kb/cluster", json={"texts": texts}, timeout=CLUSTER_TIMEOUT)
        clusters = body.get("clusters") if isinstance(body, dict) else None
        if not isinstance(clusters, list):
            raise ActionServerUnavailable("the FAQ engine gave a clustering answer in an unknown shape")
        return clusters
