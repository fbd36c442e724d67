"""A small HTTP/1.1 client over kept-alive connections: the helpdesk's requests to the Rasa processes (issue 22).

httpx (with httpcore and h11 under it) spent ~0.8 ms of the helpdesk's CPU on each turn's one request to Rasa
(~13 % of the helpdesk's samples at saturation): its request and response models, its pool's bookkeeping and h11's
event machinery, for one JSON POST on loopback. This client writes the request (head and body) in one socket write
on a connection kept from an earlier request, and reads the answer's head and its body (Content-Length, chunked, or
up to the end of the connection) from asyncio's stream.

What it promises, and the Rasa client's failover (clients/rasa.py) relies on:
- `Unreachable`: the server could not be reached (refused, no route, connect timeout) or the connection ended before
  the whole answer was read. A kept connection the server had closed while it was idle (its keep-alive timeout) is
  not an error: when it ends before a single byte of the answer, the request is written once more on a new
  connection to the same server.
- `TimedOut`: no whole answer within `timeout` seconds; never retried (the server may still be working on it).
- `BadAnswer`: what came back is not HTTP/1.x; `StatusError` from `Answer.raise_for_status`.
A request cut short (an error, a cancelled task) closes its connection: no later request reads its answer.
"""

from __future__ import annotations

import asyncio
import json
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

MAX_HEAD = 64 * 1024  # bytes of an answer's status line and headers


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


@dataclass(frozen=True)
class Origin:
    """Where a URL's requests go: scheme, host, port, and its Host header."""

    host: str
    port: int
    tls: bool
    host_header: str

    @classmethod
    def of(cls, url: str) -> Origin:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"not an http(s) URL: {url!r}")
        tls = parts.scheme == "https"
        port = parts.port or (443 if tls else 80)
        return cls(parts.hostname, port, tls, parts.netloc)


@dataclass
class _Connection:
    reader: asyncio.StreamReader
    writer: asyncio.StreamWriter
    loop: asyncio.AbstractEventLoop

    def usable(self) -> bool:
        """Still open at both ends, on this event loop (a kept connection the server closed has seen its end)."""
        return self.loop is asyncio.get_running_loop() and not self.reader.at_eof() and not self.writer.is_closing()

    def close(self) -> None:
        self.writer.close()


class _EndedEarly(Exception):
    """The connection ended before any byte of the answer (a kept connection the server had closed)."""


class Http1Pool:
    """Requests to any number of servers, each over connections kept open between requests (at most `max_idle`
    idle ones per server); `timeout` seconds for a whole request, `connect_timeout` to open a connection."""

    def __init__(self, timeout: float, connect_timeout: float = 2.0, max_idle: int = 100) -> None:
        self.timeout = timeout
        self.connect_timeout = connect_timeout
        self.max_idle = max_idle
        self._idle: dict[Origin, list[_Connection]] = {}
        self._origins: dict[str, Origin] = {}
        self._tls: ssl.SSLContext | None = None
        self.opened = 0  # connections opened so far (a test reads it)

    def origin(self, base_url: str) -> Origin:
        found = self._origins.get(base_url)
        if found is None:
            found = self._origins[base_url] = Origin.of(base_url)
        return found

    async def close(self) -> None:
        for idle in self._idle.values():
            for connection in idle:
                connection.close()
        self._idle.clear()

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
        origin = self.origin(base_url)
        data = _request_bytes(method, origin, path, params, json_body, headers)
        try:
            async with asyncio.timeout(self.timeout):
                connection = self._kept(origin)
                if connection is not None:
                    try:
                        return await self._exchange(origin, connection, method, data)
                    except _EndedEarly:
                        pass  # the server had closed it: once more on a new connection
                try:
                    return await self._exchange(origin, await self._open(origin), method, data)
                except _EndedEarly as exc:
                    raise Unreachable("the server closed the connection without an answer") from exc
        except TimeoutError as exc:
            raise TimedOut(f"no answer within {self.timeout:g} s") from exc

    def _kept(self, origin: Origin) -> _Connection | None:
        idle = self._idle.get(origin)
        while idle:
            connection = idle.pop()
            if connection.usable():
                return connection
            connection.close()
        return None

    async def _open(self, origin: Origin) -> _Connection:
        if origin.tls and self._tls is None:
            self._tls = ssl.create_default_context()
        try:
            async with asyncio.timeout(self.connect_timeout):
                reader, writer = await asyncio.open_connection(
                    origin.host, origin.port, ssl=self._tls if origin.tls else None, limit=MAX_HEAD
                )
        except (OSError, TimeoutError) as exc:
            raise Unreachable(f"cannot connect to {origin.host_header}: {exc.__class__.__name__}") from exc
        self.opened += 1
        return _Connection(reader, writer, asyncio.get_running_loop())

    async def _exchange(self, origin: Origin, connection: _Connection, method: str, data: bytes) -> Answer:
        """Write the request, read its answer; the connection goes back to the idle ones when it may serve another
        request, else it is closed (also when anything goes wrong or the task is cancelled)."""
        keep = False
        try:
            connection.writer.write(data)
            status, body, keep = await _read_answer(connection.reader, method)
        except (asyncio.IncompleteReadError, ConnectionError) as exc:
            raise Unreachable(f"the connection to {origin.host_header} ended early") from exc
        except OSError as exc:
            raise Unreachable(f"the connection to {origin.host_header} failed: {exc.__class__.__name__}") from exc
        finally:
            if keep:
                idle = self._idle.setdefault(origin, [])
                if len(idle) < self.max_idle:
                    idle.append(connection)
                else:
                    connection.close()
            else:
                connection.close()
        return Answer(status, body)


def _request_bytes(
    method: str,
    origin: Origin,
    path: str,
    params: Mapping[str, str] | None,
    json_body: Any,
    headers: Mapping[str, str] | None,
) -> bytes:
    target = f"{path}?{urlencode(params)}" if params else path
    lines = [f"{method} {target} HTTP/1.1", f"Host: {origin.host_header}"]
    body = b""
    if json_body is not None:
        body = json.dumps(json_body, ensure_ascii=False, separators=(",", ":")).encode()
        lines.append("Content-Type: application/json")
    if json_body is not None or method in ("POST", "PUT", "PATCH"):
        lines.append(f"Content-Length: {len(body)}")
    for name, value in (headers or {}).items():
        if "\r" in name or "\n" in name or "\r" in value or "\n" in value:
            raise ValueError(f"a header with a line break: {name!r}")
        lines.append(f"{name}: {value}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


async def _read_answer(reader: asyncio.StreamReader, method: str) -> tuple[int, bytes, bool]:
    """The answer's status and body, and whether the connection may carry another request."""
    while True:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
        except asyncio.IncompleteReadError as exc:
            if not exc.partial:
                raise _EndedEarly() from exc
            raise
        except ConnectionResetError as exc:
            raise _EndedEarly() from exc
        except asyncio.LimitOverrunError as exc:
            raise BadAnswer("the answer's head is too long") from exc
        status, version, fields = _parse_head(head)
        if status >= 200 or status == 101:
            break  # 1xx interim answers (100 Continue) are skipped
    keep = version == "HTTP/1.1" and "close" not in fields.get("connection", "").lower()
    if method == "HEAD" or status in (204, 304) or 100 <= status < 200:
        return status, b"", keep
    if "chunked" in fields.get("transfer-encoding", "").lower():
        return status, await _read_chunked(reader), keep
    length = fields.get("content-length")
    if length is not None:
        try:
            size = int(length)
        except ValueError as exc:
            raise BadAnswer(f"Content-Length {length!r}") from exc
        return status, await reader.readexactly(size), keep
    return status, await reader.read(), False  # the body ends with the connection


def _parse_head(head: bytes) -> tuple[int, str, dict[str, str]]:
    lines = head.decode("latin-1").split("\r\n")
    version, _, rest = lines[0].partition(" ")
    code = rest[:3]
    if not version.startswith("HTTP/1.") or not code.isdigit():
        raise BadAnswer(f"not an HTTP/1.x status line: {lines[0][:80]!r}")
    fields: dict[str, str] = {}
    for line in lines[1:]:
        name, colon, value = line.partition(":")
        if colon:
            fields[name.strip().lower()] = value.strip()
    return int(code), version, fields


async def _read_chunked(reader: asyncio.StreamReader) -> bytes:
    body = bytearray()
    while True:
        size_line = await reader.readuntil(b"\r\n")
        try:
            size = int(size_line.split(b";", 1)[0].strip(), 16)
        except ValueError as exc:
            raise BadAnswer("a chunk without its size") from exc
        if size == 0:
            while (await reader.readuntil(b"\r\n")) != b"\r\n":
                pass  # trailers
            return bytes(body)
        body += (await reader.readexactly(size + 2))[:-2]
