"""HTTP requests written to the socket in one write: the head and the body together.

httpx (through httpcore and h11) writes a request's head, then its body: two socket writes for every turn the
helpdesk sends to Rasa. On this machine a loopback write costs the writing process ~0.3 ms of CPU, and the
receiving server may wake twice (issue 22). `one_write_transport` gives an httpx transport whose connections hold
what is written until the connection reads (the response) or is closed: the bytes are the same, in the same order,
sent at once. A request without a body is sent whole when its response is read.
"""

from __future__ import annotations

import ssl
import typing

import httpcore
import httpx


class OneWriteStream(httpcore.AsyncNetworkStream):
    """A network stream whose writes wait for its next read (or close) and then go out as one."""

    def __init__(self, stream: httpcore.AsyncNetworkStream) -> None:
        self.stream = stream
        self.held = bytearray()
        self.timeout: float | None = None

    async def flush(self) -> None:
        if self.held:
            data, self.held = bytes(self.held), bytearray()
            await self.stream.write(data, timeout=self.timeout)

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self.held += buffer
        self.timeout = timeout

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        await self.flush()
        return await self.stream.read(max_bytes, timeout=timeout)

    async def aclose(self) -> None:
        self.held.clear()  # a request cut short (an error, a cancelled turn) is never half-sent later
        await self.stream.aclose()

    async def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.AsyncNetworkStream:
        await self.flush()
        return OneWriteStream(await self.stream.start_tls(ssl_context, server_hostname, timeout))

    def get_extra_info(self, info: str) -> typing.Any:
        return self.stream.get_extra_info(info)


class OneWriteBackend(httpcore.AsyncNetworkBackend):
    """`backend`'s connections, each a `OneWriteStream`."""

    def __init__(self, backend: httpcore.AsyncNetworkBackend) -> None:
        self.backend = backend

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: typing.Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        return OneWriteStream(await self.backend.connect_tcp(host, port, timeout, local_address, socket_options))

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: typing.Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        return OneWriteStream(await self.backend.connect_unix_socket(path, timeout, socket_options))

    async def sleep(self, seconds: float) -> None:
        await self.backend.sleep(seconds)


def one_write_transport(limits: httpx.Limits) -> httpx.AsyncHTTPTransport:
    """httpx's own transport (its connection pool, `limits`, TLS and error mapping), its connections made through
    `OneWriteBackend`. Where httpx's pool is not the one this was written for, httpx's transport as it is."""
    transport = httpx.AsyncHTTPTransport(limits=limits)
    pool = getattr(transport, "_pool", None)
    backend = getattr(pool, "_network_backend", None)
    if isinstance(pool, httpcore.AsyncConnectionPool) and isinstance(backend, httpcore.AsyncNetworkBackend):
        pool._network_backend = OneWriteBackend(backend)
    return transport
