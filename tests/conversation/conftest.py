"""Fixtures of the conversation tests: a customer chatting through the running stack."""

from __future__ import annotations

import pytest
from support.chat import Chat, another_address, client_from


@pytest.fixture()
def chat(helpdesk_url: str) -> Chat:
    """A new customer (a client address of their own, so no limit is shared) talking to the stack's chat API."""
    return Chat(client_from(helpdesk_url, another_address()))
