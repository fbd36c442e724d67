"""An agent's "Transfer to" list says where each colleague is now (the staff walkthrough of 2026-12-07).

Alice's console listed "Bruno Keller (0/3)" — no console open, no chats — while Bruno was online with two chats: an
agent's console heard nothing of colleagues' statuses (only supervisors' did), so the list kept what it read at login,
and a colleague who went away or logged out could still be picked and handed the customer (the transfer is taken).
In headless Chromium against the running stack, at 1280×800: ava's list follows ben opening his console, setting
Away and closing it, and shows his chats as of the chat she opens; once his console is closed (online or away by
his status) or he is offline he cannot be picked."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
from playwright.sync_api import expect
from support.agent import AvaAtHerDesk, Console, hand_off, receive_until, ws_url
from websockets.sync.client import connect

pytestmark = pytest.mark.browser


def test_an_agents_transfer_list_follows_a_colleagues_status_and_chats(
    ava_desk: AvaAtHerDesk, client: httpx.Client, login: Callable[[str], Console]
) -> None:
    page, ava, ben = ava_desk.page, ava_desk.api, login("ben")
    helpdesk_url = ava_desk.helpdesk_url
    first, second = hand_off(client, "my lamp arrived without a plug"), hand_off(client, "my rug is the wrong colour")
    held = []
    try:
        for conversation in (first, second):
            assert ava.post(f"/conversations/{conversation}/claim").status_code == 200
            held.append((ava, conversation))

        ava_desk.log_in()
        page.locator(f'#chats li[data-id="{first}"]').click(timeout=20_000)
        option = page.locator(f'#transfer-to option[value="agent:{ben.agent["id"]}"]')
        expect(option).to_have_count(1)
        expect(option).to_contain_text(", console closed)")  # his console is closed: he cannot be picked
        expect(option).to_be_disabled()

        cookie = {"Cookie": f"helpdesk_agent={ben.session_cookie}"}
        with connect(ws_url(helpdesk_url, "/api/agent/ws"), additional_headers=cookie) as console:
            receive_until(console, lambda event: event["type"] == "ready")
            expect(option).to_contain_text(", online", timeout=10_000)  # ben opened his console
            assert ben.post("/status", {"status": "away"}).status_code == 200
            expect(option).to_contain_text(", away", timeout=10_000)  # and stepped away
            chats = int(option.inner_text().split("(")[1].split("/")[0])

            # ben takes a chat: ava's next chat opened shows it in his count
            taken = hand_off(client, "where is my order 100234")
            assert ben.post(f"/conversations/{taken}/claim").status_code == 200
            held.append((ben, taken))
            page.locator(f'#chats li[data-id="{second}"]').click()
            expect(page.locator("#conv-meta")).to_contain_text(second)
            expect(option).to_contain_text(f"({chats + 1}/", timeout=10_000)
            expect(option).to_be_enabled()
        # his console closed, still Away by status: nobody there to read the chat, so he cannot be picked (the desk
        # refuses it too: tests/conversation/test_transfer_to_offline.py); before, "(1/3)" was listed and taken
        expect(option).to_contain_text(", away, console closed)", timeout=10_000)
        expect(option).to_be_disabled()
        assert ben.post("/status", {"status": "online"}).status_code == 200
        expect(option).to_contain_text(", online, console closed)", timeout=10_000)
        expect(option).to_be_disabled()
        # ben sets Offline: listed as such and not choosable (the desk refuses the transfer: the customer would read
        # "Ben has joined the chat" with nobody there; tests/conversation/test_transfer_to_offline.py)
        assert ben.post("/status", {"status": "offline"}).status_code == 200
        expect(option).to_contain_text(", offline)", timeout=10_000)
        expect(option).to_be_disabled()
    finally:
        ben.post("/status", {"status": "online"})
        for agent, conversation in held:
            agent.post(f"/conversations/{conversation}/resolve")
