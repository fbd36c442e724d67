"""The agent console resumes live updates after a Redis outage (helpdesk/realtime/redis_hub.py).

Two helpdesk processes on one PostgreSQL database share this test's own redis-server: the customer talks to
process one, the agent's console (headless Chromium) to process two. Redis stops; the customer writes (process one
cannot publish it, so the console's socket on process two never hears of it); Redis starts again. Process two
re-subscribes and closes its sockets so they resume: the console shows the missed message, says "live" again, and
a message written after the outage arrives live, without reloading the page. (Without the hub's cut on
re-subscribing the missed message never shows: checked by removing it.)
"""

from __future__ import annotations

import secrets
import time

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect
from support.accounts import add_agent_accounts
from support.agent import hand_off, say, submit_console_login
from support.helpdesks import extra_helpdesk, postgres_database
from support.own_redis import OwnRedis

from helpdesk.stack import Stack

pytestmark = [pytest.mark.browser, pytest.mark.postgres]

CUSTOMER_TEXTS = "#transcript li.msg.customer .text"


def customer_lines(console: Page) -> list[str]:
    return [t.strip() for t in console.locator(CUSTOMER_TEXTS).all_text_contents()]


def test_the_console_resumes_live_updates_after_a_redis_outage(
    stack: Stack, chromium: Browser, own_redis: OwnRedis
) -> None:
    channel = f"helpdesk-console-outage-{secrets.token_hex(4)}"
    with postgres_database("helpdesk_console_outage") as dsn:
        agent = add_agent_accounts(dsn, (("olga", "agent", None, 10),))["olga"]
        env = {"DATABASE_URL": dsn, "REDIS_URL": own_redis.url, "REDIS_CHANNEL": channel}
        with extra_helpdesk(stack, "c-outage-1", env) as one, extra_helpdesk(stack, "c-outage-2", env) as two:
            context = chromium.new_context(viewport={"width": 1280, "height": 800})
            customer = httpx.Client(base_url=one, timeout=60)
            try:
                conversation = hand_off(customer)
                console = context.new_page()
                console.set_default_timeout(15_000)
                submit_console_login(console, two, agent.username, agent.password)
                expect(console.locator("#conn")).to_have_text("live", timeout=30_000)
                console.locator(f'#queue li[data-id="{conversation}"]').click()
                console.locator("#claim").click()
                expect(console.locator("#reply-form")).to_be_visible()
                say(customer, "Before the outage.", conversation)
                expect(console.locator(CUSTOMER_TEXTS).last).to_have_text("Before the outage.", timeout=30_000)

                console.evaluate("window.samePage = true")  # gone if anything reloads the page
                own_redis.stop()
                say(customer, "Written while Redis was down.", conversation)
                time.sleep(2.0)  # the outage lasts: the fan-out's reader is in its retry loop
                own_redis.start()

                expect(console.locator(CUSTOMER_TEXTS, has_text="Written while Redis was down.")).to_have_count(
                    1, timeout=60_000
                )
                expect(console.locator("#conn")).to_have_text("live", timeout=30_000)
                assert console.evaluate("window.samePage === true")
                say(customer, "After the outage.", conversation)
                expect(console.locator(CUSTOMER_TEXTS).last).to_have_text("After the outage.", timeout=30_000)
                lines = customer_lines(console)
                assert len(set(lines)) == len(lines), lines  # nothing twice
                assert lines.index("Before the outage.") < lines.index("Written while Redis was down.")
                console.screenshot(path=str(stack.workdir / "console-after-redis-outage.png"))  # type: ignore[attr-defined]
            finally:
                customer.close()
                context.close()
