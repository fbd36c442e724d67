"""The helpdesk's requests to Rasa go out in one socket write (helpdesk/clients/one_write.py): a turn's POST (head and
JSON body) is one write instead of two, a GET is still sent whole, the server reads the same bytes and answers the
same, and a Rasa process that cannot be reached is still a connection error (what the failover reads). Against a
plain HTTP/1.1 server on a spare port, counting the client's socket writes."""

from __future__ import annotations

import asyncio
import json
from asyncio import selector_events
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest

from helpdesk.clients.action_server import ActionServerClient
from helpdesk.clients.one_write import one_write_transport
from helpdesk.clients.rasa import RasaClient
from helpdesk.stack import free_port

LIMITS = httpx.Limits(max_connections=10, max_keepalive_connections=10)
REST_NLU = {
    "messages": [{"recipient_id": "c1", "text": "Delivery takes 3-5 working days."}],
    "nlu": {"intent": {"name": "faq", "confidence": 0.9}, "intent_ranking": [], "entities": []},
}


class Server:
    """HTTP/1.1 by hand: every request as it arrives, byte for byte; answers the rest_nlu channel's JSON."""

    def __init__(self) -> None:
        self.received: list[bytes] = []
        self.port = 0

    async def serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = next(
                    (
                        int(line.split(b":")[1])
                        for line in head.split(b"\r\n")
                        if line.lower().startswith(b"content-length:")
                    ),
                    0,
                )
                self.received.append(head + await reader.readexactly(length))
                answer = json.dumps(REST_NLU).encode()
                writer.write(
                    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(answer)
                )
                writer.write(answer)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            writer.close()


@asynccontextmanager
async def http_server() -> AsyncIterator[Server]:
    server = Server()
    listening = await asyncio.start_server(server.serve, "127.0.0.1", 0)
    server.port = listening.sockets[0].getsockname()[1]
    try:
        yield server
    finally:
        listening.close()


@pytest.fixture()
def client_writes(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[int, int]]]:
    """Every non-empty socket write, as (local port, bytes): the server's own answers are told apart by port."""
    writes: list[tuple[int, int]] = []
    original: Any = selector_events._SelectorSocketTransport.write

    def write(self: Any, data: bytes) -> None:
        if data:
            writes.append((self.get_extra_info("sockname")[1], len(data)))
        original(self, data)

    monkeypatch.setattr(selector_events._SelectorSocketTransport, "write", write)
    yield writes


async def requests(client: httpx.AsyncClient, server: Server, writes: list[tuple[int, int]]) -> list[Any]:
    """A turn's POST (a long Chinese message), a GET, another POST: for each, the client's writes and the answer."""
    url = f"http://127.0.0.1:{server.port}"
    outcome = []
    for method, path, body in (
        ("POST", "/webhooks/rest_nlu/webhook", {"sender": "c1", "message": "我的订单 100234 到哪里了？" * 40}),
        ("GET", "/status", None),
        ("POST", "/webhooks/rest_nlu/webhook", {"sender": "c1", "message": "thanks"}),
    ):
        writes.clear()
        response = await client.request(method, url + path, json=body)
        outcome.append((sum(1 for port, _ in writes if port != server.port), response.json()))
    return outcome


def test_each_request_is_one_write_with_the_same_bytes_and_answers(client_writes: list[tuple[int, int]]) -> None:
    async def scenario() -> tuple[list[Any], list[Any], list[bytes], list[bytes]]:
        async with http_server() as server:
            async with httpx.AsyncClient(limits=LIMITS) as plain:
                before = await requests(plain, server, client_writes)
            plain_bytes, server.received = server.received, []
            async with httpx.AsyncClient(transport=one_write_transport(LIMITS)) as one:
                after = await requests(one, server, client_writes)
            return before, after, plain_bytes, server.received

    before, after, plain_bytes, one_write_bytes = asyncio.run(scenario())
    assert [writes for writes, _ in before] == [2, 1, 2]  # httpx alone: the head, then the body
    assert [writes for writes, _ in after] == [1, 1, 1]
    assert [answer for _, answer in after] == [answer for _, answer in before] == [REST_NLU] * 3
    assert one_write_bytes == plain_bytes and len(one_write_bytes) == 3


def test_the_rasa_client_sends_a_turn_in_one_write_and_fails_over_from_a_stopped_process(
    client_writes: list[tuple[int, int]],
) -> None:
    """RasaClient's turn through the one-write transport: one write, the bot's reply read; with the first process
    not listening, the connection error sends the turn to the next one (helpdesk/clients/rasa.py's failover)."""

    async def scenario() -> tuple[int, list[str], dict[str, int]]:
        async with http_server() as server:
            stopped = f"http://127.0.0.1:{free_port()}"
            running = f"http://127.0.0.1:{server.port}"
            actions = ActionServerClient("http://127.0.0.1:9", 1.0)
            bot = RasaClient([stopped, running], "token", 5.0, actions, spread="turn")
            try:
                await bot.send("c1", "warm-up")  # the stopped process is tried first, then marked down
                client_writes.clear()
                turn = await bot.send("c1", "how long is delivery to Germany?")
            finally:
                await bot.close()
            writes = sum(1 for port, _ in client_writes if port != server.port)
            return writes, [reply["text"] for reply in turn.replies], bot.served

    writes, replies, served = asyncio.run(scenario())
    assert writes == 1
    assert replies == ["Delivery takes 3-5 working days."]
    assert sorted(served.values()) == [0, 2]
