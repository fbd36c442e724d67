"""A chat is not transferred to a colleague who is offline (logged out, or set Offline): the customer was told
"<colleague> has joined the chat" and waited with nobody there. The walkthrough of 2026-12-07 saw an agent transfer a
Chinese customer to the admin, offline with no console open ("Helpdesk Admin（0/3）" in the list, no status shown):
accepted, and the customer read "客服 Helpdesk Admin 已加入对话。". Through the real stack: the refusal (in the
console's language), the chat staying with its agent, what the customer reads; an away colleague may still be asked
to take it, and one back online gets it."""

from __future__ import annotations

from collections.abc import Callable

import httpx
from support.agent import Console, hand_off, history


def system_lines(client: httpx.Client, conversation: str) -> list[str]:
    return [m["text"] for m in history(client, conversation)["messages"] if m["sender"] == "system"]


def test_a_chat_is_not_transferred_to_a_colleague_who_is_offline(
    client: httpx.Client, login: Callable[[str], Console]
) -> None:
    ava, ben = login("ava"), login("ben")
    conversation = hand_off(client, "where is my order 100234?")
    base = f"/conversations/{conversation}"
    assert ava.post(f"{base}/claim").status_code == 200
    ben_name = ben.agent["display_name"]
    assert ben.post("/status", {"status": "offline"}).status_code == 200

    refused = ava.post(f"{base}/transfer", {"agent_id": ben.agent["id"]})
    assert refused.status_code == 409, refused.text
    assert refused.json()["error"] == (
        f"{ben_name} is offline: the customer would wait with nobody there. Transfer to a colleague who is online "
        "or away, or to a team (back to the queue)."
    )
    in_chinese = ava.http.post(
        f"/api/agent{base}/transfer",
        json={"agent_id": ben.agent["id"]},
        headers={"X-CSRF-Token": ava.csrf, "Accept-Language": "zh"},
    )
    assert in_chinese.status_code == 409 and in_chinese.json()["error"].startswith(f"{ben_name} 已离线")
    assert history(client, conversation)["mode"] == "agent"
    assert not any(ben_name in line for line in system_lines(client, conversation))  # nobody "joined"
    assert ava.post(f"{base}/messages", {"text": "Still with you."}).status_code == 201  # still Ava's

    # away: at their desk, taking nothing new by themselves, but a colleague may hand them this one
    assert ben.post("/status", {"status": "away"}).status_code == 200
    moved = ava.post(f"{base}/transfer", {"agent_id": ben.agent["id"]})
    assert moved.status_code == 200 and moved.json()["assignee"] == ben.agent["id"]
    assert any(ben_name in line for line in system_lines(client, conversation))
    assert ben.post("/status", {"status": "online"}).status_code == 200
    assert ben.post(f"{base}/resolve").status_code == 200
