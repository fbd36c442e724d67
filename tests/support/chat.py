"""A customer's conversation through the real chat API, from this machine's address or from another one."""

from __future__ import annotations

import itertools
from typing import Any

import httpx

_addresses = itertools.count(10)


def another_address() -> str:
    """A loopback address no other test in this session uses (127.0.1.10, 127.0.1.11, ...): the helpdesk sees a
    different client, so counts kept per client address (failed identity checks) start at zero."""
    n = next(_addresses)
    return f"127.0.{1 + n // 250}.{n % 250 + 1}"


def client_from(base_url: str, address: str) -> httpx.Client:
    """An HTTP client whose connections come from `address` (any 127.x.y.z reaches this machine)."""
    return httpx.Client(base_url=base_url, timeout=60, transport=httpx.HTTPTransport(local_address=address))


class Chat:
    """One customer conversation through POST /api/chat; counts the customer's turns."""

    def __init__(self, client: httpx.Client) -> None:
        self.client = client
        self.id: str | None = None
        self.turns = 0
        self.last: dict[str, Any] = {}

    def __call__(self, text: str) -> dict[str, Any]:
        response = self.client.post("/api/chat", json={"conversation_id": self.id, "text": text})
        assert response.status_code == 200, response.text
        self.last = response.json()
        self.id = self.last["conversation_id"]
        self.turns += 1
        return self.last

    @property
    def texts(self) -> list[str]:
        return [reply["text"] for reply in self.last["replies"]]

    @property
    def text(self) -> str:
        return "\n".join(self.texts)

    @property
    def buttons(self) -> list[dict[str, str]]:
        return [button for reply in self.last["replies"] for button in reply.get("buttons") or []]
