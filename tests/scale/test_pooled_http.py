"""The helpdesk's requests to Rasa (helpdesk/clients/pooled_http.py over aiohttp, issue 22): each request is one
socket write of a well-formed HTTP/1.1 request; answers by Content-Length, chunked or up to the connection's end are
read whole; a kept connection the server closed while idle is not a failed turn; a connection that ends before the
whole answer and a process not listening send the turn to the next Rasa process; an answer that takes too long is not
sent elsewhere. Against HTTP/1.1 servers written by hand on spare ports, counting the client's socket writes."""

from __future__ import annotations

import asyncio
import json
from asyncio import selector_events
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from typing import Any

import pytest

from helpdesk.clients.action_server import ActionServerClient
from helpdesk.clients.pooled_http import PooledHttp, TimedOut, Unreachable
from helpdesk.clients.rasa import BotUnavailable, RasaClient
from helpdesk.stack import free_port

REST_NLU = {
    "messages": [{"recipient_id": "c1", "text": "Delivery takes 3-5 working days."}],
    "nlu": {"intent": {"name": "faq", "confidence": 0.9}, "intent_ranking": [], "entities": []},
}
ANSWER = json.dumps(REST_NLU).encode()


def content_length(answer: bytes) -> bytes:
    return b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s" % (len(answer), answer)


class Server:
    """HTTP/1.1 by hand: every request as it arrives, byte for byte; `answer(n)` is what the n-th request (from 0)
    gets back, written as it is; None: the connection is closed without a word. An HTTP/1.0 answer, or any once
    `close_after_answer` is set, is followed by the connection's close."""

    def __init__(self, answer: Callable[[int], bytes | None] = lambda _: content_length(ANSWER)) -> None:
        self.answer = answer
        self.received: list[bytes] = []
        self.connections = 0
        self.port = 0
        self.close_after_answer = False

    async def serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
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
                answer = self.answer(len(self.received) - 1)
                if answer is None:
                    break
                writer.write(answer)
                await writer.drain()
                if self.close_after_answer or answer.startswith(b"HTTP/1.0"):
                    break
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        writer.close()


@asynccontextmanager
async def http_server(server: Server | None = None) -> AsyncIterator[Server]:
    server = server or Server()
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


def test_each_request_is_one_write_of_a_well_formed_request_on_one_kept_connection(
    client_writes: list[tuple[int, int]],
) -> None:
    """A turn's POST (a long Chinese message), a GET with a query, another POST: one write each, read by the server
    as HTTP/1.1 with its Host, its query and its JSON body whole; three answers over one connection."""
    chinese = "我的订单 100234 到哪里了？" * 40

    async def scenario() -> tuple[list[int], list[Any], Server]:
        async with http_server() as server:
            pool = PooledHttp(5.0)
            url = f"http://127.0.0.1:{server.port}"
            writes, answers = [], []
            for method, path, params, body in (
                ("POST", "/webhooks/rest_nlu/webhook", None, {"sender": "c1", "message": chinese}),
                ("GET", "/status", {"token": "a b&c"}, None),
                ("POST", "/webhooks/rest_nlu/webhook", None, {"sender": "c1", "message": "thanks"}),
            ):
                client_writes.clear()
                answer = await pool.request(method, url, path, params=params, json_body=body, headers={"X-A": "1"})
                writes.append(sum(1 for port, _ in client_writes if port != server.port))
                answers.append(answer.json())
            await pool.close()
            return writes, answers, server

    writes, answers, server = asyncio.run(scenario())
    assert writes == [1, 1, 1]
    assert answers == [REST_NLU] * 3
    assert server.connections == 1
    first, status, last = server.received
    head, _, body = first.partition(b"\r\n\r\n")
    assert head.split(b"\r\n")[0] == b"POST /webhooks/rest_nlu/webhook HTTP/1.1"
    assert f"Host: 127.0.0.1:{server.port}".encode() in head.split(b"\r\n")
    assert b"X-A: 1" in head.split(b"\r\n")
    assert json.loads(body) == {"sender": "c1", "message": chinese}
    assert status.split(b"\r\n")[0] == b"GET /status?token=a+b%26c HTTP/1.1"
    assert json.loads(last.partition(b"\r\n\r\n")[2]) == {"sender": "c1", "message": "thanks"}


def test_answers_chunked_or_ended_by_the_connection_are_read_whole() -> None:
    chunked = (
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
        + b"".join(b"%x\r\n%s\r\n" % (len(part), part) for part in (ANSWER[:7], ANSWER[7:]))
        + b"0\r\n\r\n"
    )
    until_close = b"HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n" + ANSWER

    async def scenario() -> tuple[list[Any], int]:
        answers = [chunked, until_close, content_length(ANSWER)]
        async with http_server(Server(lambda n: answers[n])) as server:
            pool = PooledHttp(5.0)
            url = f"http://127.0.0.1:{server.port}"
            got = [(await pool.request("GET", url, "/status")).json() for _ in answers]
            await pool.close()
            return got, server.connections

    got, connections = asyncio.run(scenario())
    assert got == [REST_NLU] * 3
    assert connections == 2  # the answer read up to the connection's end leaves no connection to keep


def test_a_kept_connection_the_server_closed_is_not_a_failed_request() -> None:
    """Rasa's server closes a connection idle for its keep-alive timeout: seen before the next request (the end
    already read) or only when that request gets no answer at all, the request is sent on a new connection."""

    async def scenario() -> tuple[list[Any], int, int]:
        silent = {1}  # the second request reaches a connection that is closed without an answer

        async with http_server(Server(lambda n: None if n in silent else content_length(ANSWER))) as server:
            pool = PooledHttp(5.0)
            url = f"http://127.0.0.1:{server.port}"
            got = [(await pool.request("POST", url, "/webhooks/rest_nlu/webhook", json_body={"n": 0})).json()]
            got.append((await pool.request("POST", url, "/webhooks/rest_nlu/webhook", json_body={"n": 1})).json())
            server.close_after_answer = True
            got.append((await pool.request("POST", url, "/webhooks/rest_nlu/webhook", json_body={"n": 2})).json())
            await asyncio.sleep(0.05)  # the server's close reaches the kept connection
            got.append((await pool.request("POST", url, "/webhooks/rest_nlu/webhook", json_body={"n": 3})).json())
            await pool.close()
            return got, server.connections, len(server.received)

    got, connections, received = asyncio.run(scenario())
    assert got == [REST_NLU] * 4
    assert connections == 3  # the first; after the silent close; after the closed idle one
    assert received == 5  # the silent one's request was read once, and sent again


def test_the_rasa_client_sends_a_turn_in_one_write_and_fails_over_from_a_stopped_process(
    client_writes: list[tuple[int, int]],
) -> None:
    """RasaClient's turn: one write, the bot's reply read; with the first process not listening, the connection
    error sends the turn to the next one (helpdesk/clients/rasa.py's failover)."""

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


def test_a_turn_whose_connection_drops_mid_answer_is_answered_by_the_other_process() -> None:
    """The first process's connection ends after half its answer (a crash): the customer still gets the reply, from
    the second process; the pool alone calls it Unreachable."""
    half = content_length(ANSWER)[:-10]

    async def scenario() -> tuple[str, list[str], dict[str, int]]:
        async with http_server(Server(lambda _: half)) as dying, http_server() as healthy:
            dying.close_after_answer = True
            pool = PooledHttp(5.0)
            try:
                await pool.request("POST", f"http://127.0.0.1:{dying.port}", "/webhooks/rest_nlu/webhook", json_body={})
                alone = "answered"
            except Unreachable:
                alone = "unreachable"
            await pool.close()
            urls = [f"http://127.0.0.1:{dying.port}", f"http://127.0.0.1:{healthy.port}"]
            bot = RasaClient(urls, "token", 5.0, ActionServerClient("http://127.0.0.1:9", 1.0))
            conversation = next(c for c in (f"c{n}" for n in range(100)) if bot.order(c)[0] == urls[0])
            try:
                turn = await bot.send(conversation, "where is my order")
            finally:
                await bot.close()
            return alone, [reply["text"] for reply in turn.replies], bot.served

    alone, replies, served = asyncio.run(scenario())
    assert alone == "unreachable"
    assert replies == ["Delivery takes 3-5 working days."]
    assert list(served.values()) == [0, 1]


def test_a_turn_that_takes_too_long_is_not_sent_to_another_process() -> None:
    """No answer within the timeout: BotUnavailable, and the other process never sees the message (it may still be
    answered by the first)."""

    async def scenario() -> tuple[bool, int, int]:
        async def never(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            await reader.read(65536)
            await asyncio.sleep(5)
            writer.close()

        slow = await asyncio.start_server(never, "127.0.0.1", 0)
        try:
            async with http_server() as healthy:
                urls = [f"http://127.0.0.1:{slow.sockets[0].getsockname()[1]}", f"http://127.0.0.1:{healthy.port}"]
                bot = RasaClient(urls, "token", 0.3, ActionServerClient("http://127.0.0.1:9", 1.0))
                conversation = next(c for c in (f"c{n}" for n in range(100)) if bot.order(c)[0] == urls[0])
                try:
                    await bot.send(conversation, "where is my order")
                    unavailable = False
                except BotUnavailable as exc:
                    unavailable = isinstance(exc.__cause__, TimedOut)
                finally:
                    await bot.close()
                return unavailable, len(healthy.received), bot.served[urls[1]]
        finally:
            slow.close()

    assert asyncio.run(scenario()) == (True, 0, 0)
