"""A Redis outage loses no message from the customer's live view (issue 15, finding 9).

Two helpdesk processes on one PostgreSQL database share this test's own redis-server (its own port; the system
Redis is never touched): the customer's widget, in headless Chromium, talks to process one; the agent to process
two. Redis stops; the agent writes (process two cannot publish it, so process one's socket never hears of it) and
the customer writes too (a higher id, seen by the widget); Redis starts again. The widget resumes from the last
id up to which it had every message, not from the highest it saw, so the agent's message shows, in its place, and
nothing shows twice.
"""

from __future__ import annotations

import secrets
import time

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect
from support.accounts import add_agent_accounts
from support.agent import Console, history, wait_for
from support.helpdesks import extra_helpdesk, postgres_database
from support.own_redis import OwnRedis

from helpdesk.stack import Stack

pytestmark = [pytest.mark.browser, pytest.mark.postgres]

HOST = "#larkspur-chat-host"
INPUT = f"{HOST} textarea"
# every message from the server (not the widget's own greeting or its local notices), in the order shown
SHOWN = f"{HOST} .msg.customer .text, {HOST} .msg.bot:not(.intro) .text, {HOST} .msg.agent .text"
STORAGE_KEY = "larkspur-chat.conversation"


def shown(page: Page) -> list[str]:
    return [t.strip() for t in page.locator(SHOWN).all_text_contents()]


def test_the_widget_shows_every_message_in_order_after_a_redis_outage(
    stack: Stack, chromium: Browser, own_redis: OwnRedis
) -> None:
    channel = f"helpdesk-outage-{secrets.token_hex(4)}"
    with postgres_database("helpdesk_outage") as dsn:
        agent = add_agent_accounts(dsn, (("olga", "agent", None, 10),))["olga"]
        env = {"DATABASE_URL": dsn, "REDIS_URL": own_redis.url, "REDIS_CHANNEL": channel}
        with extra_helpdesk(stack, "outage-1", env) as one, extra_helpdesk(stack, "outage-2", env) as two:
            context = chromium.new_context(viewport={"width": 1280, "height": 800})
            console = Console(two)
            api = httpx.Client(base_url=one, timeout=30)  # the widget's API, to read the stored transcript
            try:
                assert console.login(agent.username, agent.password).status_code == 200
                page = context.new_page()
                page.set_default_timeout(15_000)
                page.goto(one + "/")
                page.locator(f"{HOST} .launcher").click()
                page.locator(INPUT).fill("I want to talk to a person")
                page.locator(INPUT).press("Enter")
                conversation = wait_for(lambda: page.evaluate(f"localStorage.getItem('{STORAGE_KEY}')"), timeout=60)
                wait_for(lambda: history(api, conversation)["mode"] == "queued", timeout=60)
                assert console.post(f"/conversations/{conversation}/claim").status_code == 200
                assert console.post(f"/conversations/{conversation}/messages", {"text": "Hi, Olga here."}).is_success
                expect(page.locator(f"{HOST} .msg.agent .text").last).to_have_text("Hi, Olga here.", timeout=30_000)

                own_redis.stop()
                assert console.post(
                    f"/conversations/{conversation}/messages", {"text": "Sent while Redis was down."}
                ).is_success
                page.locator(INPUT).fill("are you still there?")
                page.locator(INPUT).press("Enter")
                expect(page.locator(f"{HOST} .msg.customer .text").last).to_have_text("are you still there?")
                time.sleep(1.0)
                own_redis.start()

                # process one re-subscribes and tells its sockets to resume: the missed message arrives, in place
                expect(page.locator(f"{HOST} .msg.agent .text", has_text="Sent while Redis was down.")).to_have_count(
                    1, timeout=60_000
                )
                assert console.post(f"/conversations/{conversation}/messages", {"text": "After the outage."}).is_success
                expect(page.locator(f"{HOST} .msg.agent .text").last).to_have_text("After the outage.", timeout=30_000)

                stored = [
                    m["text"]
                    for m in history(api, conversation)["messages"]
                    if m["sender"] in ("customer", "bot", "agent")
                ]
                assert shown(page) == stored
                assert stored.index("Sent while Redis was down.") < stored.index("are you still there?")
                assert len(set(shown(page))) == len(shown(page))  # nothing twice
            finally:
                api.close()
                console.close()
                context.close()
