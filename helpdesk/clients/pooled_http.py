"""The helpdesk's requests to the Rasa processes over aiohttp's client, on connections kept open between requests
(issue 22).

httpx spent ~0.9 ms of the helpdesk's CPU on each turn's one JSON POST to Rasa; aiohttp's client (a ClientSession
over a TCPConnector) spends ~0.15 ms, within ~0.1 ms of a hand-written HTTP/1.1 client (measured:
results/perf-lane/rasa_client_aiohttp_2026-12-06.md), so the well-kept library does the HTTP here.

What it promises, and the Rasa client's failover (clients/rasa.py) relies on:
- `Unreachable`: the server could not be reached (refused, no route, connect timeout) or the connection ended before
  the whole answer was read. A kept connection the server had closed while it was idle (its keep-alive timeout) is
  not an error: when it ends before the answer began, the request is sent once more (aiohttp does so itself only for
  idempotent methods; a turn is a POST).
- `TimedOut`: no whole answer within `timeout` seconds (both sends together); never retried (the server may still
  be working on it).
- `BadAnswer`: what came back is not HTTP/1.x; `StatusError` from `Answer.raise_for_status`.
A request cut short (an error, a cancelled task) closes its connection (aiohttp's): no later request reads its answer.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import aiohttp

# seconds an idle connection is kept: below the Rasa server's own keep-alive timeout (sanic's 5 s), so the server
# seldom closes one the helpdesk is about to use
KEEP_ALIVE_SECONDS = 4.0


class HttpError(Exception):
    """A request that got no usable answer."""


class Unreachable(HttpError):
    """The server could not be reached, or the connection ended before the whole answer."""


class TimedOut(HttpError):
    """No whole answer in time."""


class BadAnswer(HttpError):
    """The answer is not HTTP/1.x."""


class StatusError(HttpError):
    """The answer's status is 4xx or 5xx."""


@dataclass(frozen=True)
class Answer:
    status_code: int
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    def raise_for_status(self) -> None:
        if self.status_code >= 400:
            raise StatusError(f"HTTP {self.status_code}")


class PooledHttp:
    """Requests to any number of servers over one aiohttp session (made on the first request, on its event loop):
    `timeout` seconds for a whole request, `connect_timeout` to open a connection. Connections are not capped (the
    Rasa client's admission caps the turns in flight); idle ones are kept KEEP_ALIVE_SECONDS."""

    def __init__(self, timeout: float, connect_timeout: float = 2.0) -> None:
        self.timeout = timeout
        self.connect_timeout = connect_timeout
        self._session: aiohttp.ClientSession | None = None

    def _client(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(limit=0, keepalive_timeout=KEEP_ALIVE_SECONDS)
            timeout = aiohttp.ClientTimeout(total=None, sock_connect=self.connect_timeout)
            self._session = aiohttp.ClientSession(connector=connector, timeout=timeout)
        return self._session

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def request(
        self,
        method: str,
        base_url: str,
        path: str,
        *,
        params: Mapping[str, str] | None = None,
        json_body: Any = None,
        headers: Mapping[str, str] | None = None,
    ) -> Answer:
        """`method` on `base_url` (scheme://host[:port]) + `path` (with `params` as its query), the body `json_body`
        as JSON when given. Raises the module's errors (module docstring)."""
        session = self._client()
        sent = dict(headers or {})
        data = None
        if json_body is not None:
            data = json.dumps(json_body, ensure_ascii=False, separators=(",", ":")).encode()
            sent["Content-Type"] = "application/json"
        url = base_url + path
        try:
            async with asyncio.timeout(self.timeout):
                try:
                    return await _exchange(session, method, url, params, data, sent)
                except aiohttp.ServerDisconnectedError:
                    pass  # closed before the answer began (a kept connection the server had closed): once more
                try:
                    return await _exchange(session, method, url, params, data, sent)
                except aiohttp.ServerDisconnectedError as exc:
                    raise Unreachable(f"{base_url} closed the connection without an answer") from exc
        except aiohttp.ConnectionTimeoutError as exc:
            raise Unreachable(f"cannot connect to {base_url} in time") from exc
        except TimeoutError as exc:
            raise TimedOut(f"no answer within {self.timeout:g} s") from exc
        except aiohttp.ClientResponseError as exc:
            raise BadAnswer(f"{base_url} gave no HTTP/1.x answer: {exc.message}") from exc
        except (aiohttp.ClientConnectionError, aiohttp.ClientPayloadError) as exc:
            raise Unreachable(f"the connection to {base_url} failed: {exc.__class__.__name__}") from exc


async def _exchange(
    session: aiohttp.ClientSession,
    method: str,
    url: str,
    params: Mapping[str, str] | None,
    data: bytes | None,
    headers: dict[str, str],
) -> Answer:
    async with session.request(method, url, params=params, data=data, headers=headers) as response:
        return Answer(response.status, await response.read())
