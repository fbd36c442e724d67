"""Helpers for the agent-side tests: a logged-in console client, customer chat calls, socket reading."""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import Dialog, Page, expect
from websockets.sync.client import ClientConnection, connect

HANDOFF_TEXT = "I want to talk to a real person please"


class Dialogs:
    """The page's confirm() and beforeunload dialogs: what each asked, answered OK when ``accept``, else Cancel."""

    def __init__(self, page: Page) -> None:
        self.asked: list[str] = []
        self.accept = False
        page.on("dialog", self._answer)

    def _answer(self, dialog: Dialog) -> None:
        self.asked.append(dialog.message)
        dialog.accept() if self.accept else dialog.dismiss()


def submit_console_login(page: Page, helpdesk_url: str, username: str, password: str) -> None:
    """Open the agent console in a browser page and submit its login form."""
    page.goto(helpdesk_url + "/agent")
    page.locator("#login-username").fill(username)
    page.locator("#login-password").fill(password)
    page.locator("#login-form button[type=submit]").click()


class Console:
    """An agent's API client: the session cookie is kept by httpx, the CSRF token sent on every change."""

    def __init__(self, base_url: str) -> None:
        self.http = httpx.Client(base_url=base_url, timeout=30)
        self.csrf = ""
        self.agent: dict[str, Any] = {}

    def login(self, username: str, password: str) -> httpx.Response:
        response = self.http.post("/api/agent/login", json={"username": username, "password": password})
        if response.status_code == 200:
            self.csrf = response.json()["csrf_token"]
            self.agent = response.json()["agent"]
        return response

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.http.get("/api/agent" + path, **kwargs)

    def post(self, path: str, body: dict[str, Any] | None = None) -> httpx.Response:
        return self.http.post("/api/agent" + path, json=body or {}, headers={"X-CSRF-Token": self.csrf})

    def put(self, path: str, body: dict[str, Any]) -> httpx.Response:
        return self.http.put("/api/agent" + path, json=body, headers={"X-CSRF-Token": self.csrf})

    def delete(self, path: str) -> httpx.Response:
        return self.http.delete("/api/agent" + path, headers={"X-CSRF-Token": self.csrf})

    @property
    def session_cookie(self) -> str:
        return self.http.cookies.get("helpdesk_agent") or ""

    def close(self) -> None:
        self.http.close()


def say(client: httpx.Client, text: str, conversation_id: str | None = None) -> dict[str, Any]:
    response = client.post("/api/chat", json={"conversation_id": conversation_id, "text": text})
    assert response.status_code == 200, response.text
    return response.json()


def hand_off(client: httpx.Client, *first: str) -> str:
    """A new conversation (optionally with some turns first) that asks for a person: its id, now queued."""
    conversation_id = None
    for text in first:
        conversation_id = say(client, text, conversation_id)["conversation_id"]
    body = say(client, HANDOFF_TEXT, conversation_id)
    assert body["mode"] == "queued", body
    return body["conversation_id"]


def history(client: httpx.Client, conversation_id: str, after: int = 0) -> dict[str, Any]:
    response = client.get(f"/api/chat/{conversation_id}/messages", params={"after": after})
    assert response.status_code == 200, response.text
    return response.json()


def ws_url(base_url: str, path: str) -> str:
    return base_url.replace("http://", "ws://", 1) + path


def receive(ws: ClientConnection, timeout: float = 10.0) -> dict[str, Any]:
    return json.loads(ws.recv(timeout=timeout))


def receive_until(
    ws: ClientConnection, done: Callable[[dict[str, Any]], bool], timeout: float = 15.0
) -> list[dict[str, Any]]:
    """Every event up to and including the first for which `done` is true."""
    deadline = time.monotonic() + timeout
    events = []
    while True:
        remaining = deadline - time.monotonic()
        assert remaining > 0, f"timed out; got {events}"
        event = receive(ws, remaining)
        events.append(event)
        if done(event):
            return events


@contextmanager
def console_open(console: Console) -> Iterator[ClientConnection]:
    """The agent's console open (its websocket connected, as a console tab keeps it) while the block runs: a chat is
    transferred only to a colleague with a console open (helpdesk/conversation/desk.py `transfer`)."""
    url = ws_url(str(console.http.base_url).rstrip("/"), "/api/agent/ws")
    with connect(url, additional_headers={"Cookie": f"helpdesk_agent={console.session_cookie}"}) as ws:
        receive_until(ws, lambda event: event["type"] == "ready")
        yield ws


def wait_for(check: Callable[[], Any], timeout: float = 15.0, interval: float = 0.2) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(interval)


def writable_db(path: Path) -> sqlite3.Connection:
    """For tests that set up state the API has no call for (a VIP customer)."""
    connection = sqlite3.connect(path, timeout=30)
    connection.row_factory = sqlite3.Row
    return connection


def wait_held_out_ranked(actions_port: int, timeout: float = 600.0) -> None:
    """Wait until the action server has ranked the held-out sets (its warm-up after the knowledge base loads, at a
    low priority): the handbook editor's publish gate then answers at once instead of ranking them first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{actions_port}/kb/status", timeout=10).json().get("held_out_ranked"):
                return
        except (httpx.HTTPError, ValueError):
            pass
        time.sleep(1.0)
    raise AssertionError(f"the held-out sets were not ranked within {timeout:.0f} s")


def remove_entry(handbook_dir: Path, entry_id: str, actions_port: int, timeout: float = 120.0) -> None:
    """Delete an entry a test published straight from the stack's handbook folder, and wait until the action
    server's live index has dropped it: the next test's "before" is otherwise computed with the entry still in."""
    for path in handbook_dir.rglob(f"{entry_id}.md"):
        path.unlink()

    def dropped() -> bool:
        try:
            return httpx.get(f"http://127.0.0.1:{actions_port}/kb/entries/{entry_id}", timeout=10).status_code == 404
        except httpx.HTTPError:
            return False

    wait_for(dropped, timeout, 0.25)


@dataclass
class AvaAtHerDesk:
    """Ava (agent, team orders) at a desktop console page (1280×800), with her API client for the test's own moves."""

    page: Page
    api: Console
    helpdesk_url: str
    password: str

    def log_in(self) -> None:
        """Her console in the page, logged in and live."""
        submit_console_login(self.page, self.helpdesk_url, "ava", self.password)
        expect(self.page.locator("#conn")).to_have_text("live")
