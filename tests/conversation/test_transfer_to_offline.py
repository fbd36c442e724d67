"""A chat is not transferred to a colleague who is not at a console: offline (logged out, or set Offline), or online
or away by their status with no console open (a tab closed without logging out). The customer was told
"<colleague> has joined the chat" and waited with nobody there. The walkthrough of 2026-12-07 saw an agent transfer a
Chinese customer to the admin, offline with no console open ("Helpdesk Admin（0/3）" in the list, no status shown):
accepted, and the customer read "客服 Helpdesk Admin 已加入对话。"; the staff lane's list of the same day: a colleague
"online" whose console was closed was still taken. Through the real stack: the refusals (in the console's language),
the chat staying with its agent, what the customer reads; a colleague at an open console may be asked to take it,
online or away."""

from __future__ import annotations

from collections.abc import Callable

import httpx
from support.agent import Console, console_open, hand_off, history


def system_lines(client: httpx.Client, conversation: str) -> list[str]:
    return [m["text"] for m in history(client, conversation)["messages"] if m["sender"] == "system"]


def assert_transfer_refused(
    ava: Console, ben: Console, client: httpx.Client, conversation: str, english: str, chinese_start: str
) -> None:
    """Ava's transfer to Ben is refused (409) with `english`, in Chinese starting with `chinese_start`; the chat stays
    hers and the customer reads no "… has joined"."""
    base = f"/conversations/{conversation}"
    refused = ava.post(f"{base}/transfer", {"agent_id": ben.agent["id"]})
    assert refused.status_code == 409, refused.text
    assert refused.json()["error"] == english
    in_chinese = ava.http.post(
        f"/api/agent{base}/transfer",
        json={"agent_id": ben.agent["id"]},
        headers={"X-CSRF-Token": ava.csrf, "Accept-Language": "zh"},
    )
    assert in_chinese.status_code == 409 and in_chinese.json()["error"].startswith(chinese_start)
    assert history(client, conversation)["mode"] == "agent"
    assert not any(ben.agent["display_name"] in line for line in system_lines(client, conversation))  # nobody "joined"


def test_a_chat_is_not_transferred_to_a_colleague_who_is_offline(
    client: httpx.Client, login: Callable[[str], Console]
) -> None:
    ava, ben = login("ava"), login("ben")
    conversation = hand_off(client, "where is my order 100234?")
    base = f"/conversations/{conversation}"
    assert ava.post(f"{base}/claim").status_code == 200
    ben_name = ben.agent["display_name"]
    assert ben.post("/status", {"status": "offline"}).status_code == 200

    assert_transfer_refused(
        ava,
        ben,
        client,
        conversation,
        f"{ben_name} is offline: the customer would wait with nobody there. Transfer to a colleague who is online "
        "or away, or to a team (back to the queue).",
        f"{ben_name} 已离线",
    )
    assert ava.post(f"{base}/messages", {"text": "Still with you."}).status_code == 201  # still Ava's

    # away at an open console: taking nothing new by themselves, but a colleague may hand them this one
    assert ben.post("/status", {"status": "away"}).status_code == 200
    with console_open(ben):
        moved = ava.post(f"{base}/transfer", {"agent_id": ben.agent["id"]})
    assert moved.status_code == 200 and moved.json()["assignee"] == ben.agent["id"]
    assert any(ben_name in line for line in system_lines(client, conversation))
    assert ben.post("/status", {"status": "online"}).status_code == 200
    assert ben.post(f"{base}/resolve").status_code == 200


def test_a_chat_is_not_transferred_to_a_colleague_online_with_the_console_closed(
    client: httpx.Client, login: Callable[[str], Console]
) -> None:
    ava, ben = login("ava"), login("ben")
    conversation = hand_off(client, "my rug arrived in the wrong colour")
    base = f"/conversations/{conversation}"
    assert ava.post(f"{base}/claim").status_code == 200
    ben_name = ben.agent["display_name"]
    assert ben.post("/status", {"status": "online"}).status_code == 200  # online by status, no console open
    assert any(a["id"] == ben.agent["id"] and a["status"] == "online" and not a["online"] for a in agents(ava))

    assert_transfer_refused(
        ava,
        ben,
        client,
        conversation,
        f"{ben_name} has no console open: the customer would wait with nobody there. Transfer to a colleague whose "
        "console is open, or to a team (back to the queue).",
        f"{ben_name} 没有打开工作台",
    )

    with console_open(ben):  # he opens his console: now he can be handed the chat
        moved = ava.post(f"{base}/transfer", {"agent_id": ben.agent["id"]})
        assert moved.status_code == 200 and moved.json()["assignee"] == ben.agent["id"]
        assert any(ben_name in line for line in system_lines(client, conversation))
        assert ben.post(f"{base}/resolve").status_code == 200


def agents(console: Console) -> list[dict[str, object]]:
    response = console.get("/agents")
    assert response.status_code == 200, response.text
    agents: list[dict[str, object]] = response.json()["agents"]
    return agents
