"""GET /healthz in public says ready or not; which part is down only to the operator (issue 15, finding 12)."""

from __future__ import annotations

import httpx

from helpdesk.stack import Stack

THROUGH_A_PROXY = {"X-Forwarded-For": "203.0.113.7"}


def test_the_public_sees_ready_or_not_only(client: httpx.Client) -> None:
    public = client.get("/healthz", headers=THROUGH_A_PROXY)
    assert public.status_code == 200
    assert public.json() == {"status": "ok"}


def test_the_operator_sees_every_part(client: httpx.Client, stack: Stack) -> None:
    local = client.get("/healthz").json()  # from this machine, not forwarded
    assert local["status"] == "ok" and local["rasa"] is True and local["knowledge"]["ready"] is True
    token = {"Authorization": f"Bearer {stack.env['HEALTH_TOKEN']}"}
    with_token = client.get("/healthz", headers={**THROUGH_A_PROXY, **token}).json()
    assert with_token["actions"] is True and "knowledge" in with_token
    guessed = client.get("/healthz", headers={**THROUGH_A_PROXY, "Authorization": "Bearer guessed"}).json()
    assert guessed == {"status": "ok"}
