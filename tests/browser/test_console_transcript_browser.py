"""The conversation as the agent reads it, in headless Chromium against a helpdesk of its own: the bot's and agents'
messages look as the customer's widget showed them (its own Markdown renderer: bold, safe links that open in a new
tab), what the customer wrote stays exactly as written (Markdown and HTML shown as text, never run); the customer
panel says it is loading instead of standing blank; the header names a customer the shop knows; an entity several
turns carried is listed once; typing "/" with no canned replies says so instead of showing nothing (walkthrough of
2026-12-03). A canned reply picked from the list has its placeholders filled as one picked with "/" does, the
customer's name in its neutral form when nobody knows it (lane fixes), and a placeholder nobody filled is never sent to
the customer (walkthrough of 2026-12-04: "Is there anything else I can help you with, {{customer.first_name}}?"
reached the customer)."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Route, expect
from support.agent import Console, hand_off, say
from support.desk_orders import signed_in_handoff_at
from support.helpdesks import OwnHelpdesk
from test_agent_console_browser import log_in
from test_widget_browser import new_tab

from helpdesk.stack import Stack

pytestmark = pytest.mark.browser

CUSTOMER_TEXT = "**not bold** <b>nor this</b> [x](javascript:alert(1))"
AGENT_TEXT = "Your refund is **on its way**: see [our returns page](https://example.com/returns)."


OWN_HELPDESK = "transcript"  # this module's own helpdesk (the `own` fixture, tests/conftest.py)


def test_the_agent_reads_markdown_as_the_customer_saw_it_and_customer_text_as_written(
    own: OwnHelpdesk, stack: Stack, chromium: Browser, tmp_path: Path
) -> None:
    with httpx.Client(base_url=own.url, timeout=60) as customer:
        conversation = hand_off(customer, "my plates arrived chipped")
        say(customer, CUSTOMER_TEXT, conversation)
    ava = Console(own.url)
    assert ava.login("ava", own.accounts["ava"].password).status_code == 200
    assert ava.post(f"/conversations/{conversation}/claim").status_code == 200
    assert ava.post(f"/conversations/{conversation}/messages", {"text": AGENT_TEXT}).status_code == 201
    ava.close()

    tab = new_tab(chromium, viewport={"width": 1280, "height": 800})
    try:
        page = tab.page
        log_in(page, own.url, own.accounts["ava"])
        held: list[Route] = []  # the customer panel's answer, held back: the panel says it is loading meanwhile
        page.route("**/api/agent/conversations/*/customer", lambda route: held.append(route))
        page.locator(f'#chats li[data-id="{conversation}"]').click()
        expect(page.locator("#customer")).to_have_text("Loading the customer and their orders…")
        assert held
        page.unroute("**/api/agent/conversations/*/customer")  # the held requests go on to the helpdesk
        expect(page.locator("#customer")).to_contain_text("Unknown customer")
        agent = page.locator("#transcript .msg.agent .text").last
        expect(agent.locator("strong")).to_have_text("on its way")
        expect(agent).to_have_text("Your refund is on its way: see our returns page.")
        link = agent.locator("a")
        expect(link).to_have_attribute("href", "https://example.com/returns")
        expect(link).to_have_attribute("target", "_blank")
        expect(link).to_have_attribute("rel", "noopener noreferrer")
        written = page.locator("#transcript .msg.customer .text").last
        expect(written).to_have_text(CUSTOMER_TEXT)  # as written, nothing rendered or run
        expect(written.locator("*")).to_have_count(0)
        entities = page.locator("#entities li").all_inner_texts()  # several turns, each line once
        assert entities and len(entities) == len(set(entities)), entities

        # nobody known: no name; where the chat stands is the line under the title, in words (the mode's name was
        # in the title: "Customer · agent")
        expect(page.locator("#conv-title")).to_have_text("Customer")
        expect(page.locator("#conv-meta")).to_contain_text(re.compile(r"^with Ava \w+ · started "))

        # a VIP signed in on the shop: the header names them
        marco = signed_in_handoff_at(own.url, stack, "C1002")  # Marco Rossi, VIP
        page.locator(f'#queue li[data-id="{marco}"]').click()
        expect(page.locator("#conv-title")).to_have_text("Marco Rossi · VIP")
        expect(page.locator("#conv-meta")).to_contain_text(re.compile(r"^waiting · started "))
        page.locator(f'#chats li[data-id="{conversation}"]').click()
        expect(page.locator("#conv-title")).to_have_text("Customer")

        reply = page.locator("#reply")
        reply.click()
        reply.type("/")
        hint = page.locator("#shortcut-list li.none")
        expect(hint).to_have_text("No canned replies yet: add one with “Edit canned replies”.")
        page.screenshot(path=str(tmp_path / "transcript-1280.png"))
        reply.press("Escape")
        expect(page.locator("#shortcut-list")).to_be_hidden()
        expect(reply).to_have_value("/")  # Escape only closed the hint
        assert tab.errors("401") == [] and tab.dialogs == []
    finally:
        tab.page.context.close()


GREETING = "Greeting (fill test)"
ON_ITS_WAY = "On its way (fill test)"


def test_a_canned_reply_from_the_list_is_filled_and_a_placeholder_left_is_never_sent(
    own: OwnHelpdesk, stack: Stack, chromium: Browser, tmp_path: Path
) -> None:
    marco = signed_in_handoff_at(own.url, stack, "C1002")  # the bot knows his name
    with httpx.Client(base_url=own.url, timeout=60) as customer:
        stranger = hand_off(customer, "the lid of my casserole is cracked")  # nobody known
    ava = Console(own.url)
    assert ava.login("ava", own.accounts["ava"].password).status_code == 200
    for conversation in (marco, stranger):
        assert ava.post(f"/conversations/{conversation}/claim").status_code == 200
    added = ava.post("/canned", {"title": GREETING, "text": "Hi {{customer.first_name}}, {{agent.first_name}} here."})
    assert added.status_code == 201, added.text
    added = ava.post("/canned", {"title": ON_ITS_WAY, "text": "Order {{order.number}} is on its way."})
    assert added.status_code == 201, added.text
    ava.close()

    tab = new_tab(chromium, viewport={"width": 1280, "height": 800})
    try:
        page = tab.page
        log_in(page, own.url, own.accounts["ava"])
        reply = page.locator("#reply")
        page.locator(f'#chats li[data-id="{marco}"]').click()
        expect(page.locator("#conv-title")).to_contain_text("Marco Rossi")
        reply.fill("")
        page.locator("#canned").select_option(label=GREETING)
        expect(reply).to_have_value("Hi Marco, Ava here.")
        reply.fill("")

        page.locator(f'#chats li[data-id="{stranger}"]').click()
        expect(page.locator("#conv-title")).to_have_text("Customer")
        reply.fill("")
        page.locator("#canned").select_option(label=GREETING)
        # nobody's name known: the greeting's neutral form (lane fixes: the braces came into the box)
        expect(reply).to_have_value("Hi, Ava here.")
        reply.fill("")
        page.locator("#canned").select_option(label=ON_ITS_WAY)
        expect(reply).to_have_value("Order {{order.number}} is on its way.")
        # the placeholder left is selected: what the agent types goes in its place
        assert (
            page.evaluate(
                "() => { const b = document.getElementById('reply'); "
                "return b.value.slice(b.selectionStart, b.selectionEnd); }"
            )
            == "{{order.number}}"
        )
        sent_before = page.locator("#transcript .msg.agent").count()
        reply.press("Enter")
        expect(page.locator("#action-error")).to_contain_text("{{order.number}}")
        expect(reply).to_have_value("Order {{order.number}} is on its way.")  # kept, to be filled in
        page.screenshot(path=str(tmp_path / "canned-unfilled-1280.png"))
        reply.press_sequentially("100234")
        expect(reply).to_have_value("Order 100234 is on its way.")
        reply.press("Enter")
        expect(page.locator("#transcript .msg.agent")).to_have_count(sent_before + 1)
        expect(page.locator("#transcript .msg.agent .text").last).to_have_text("Order 100234 is on its way.")
        expect(page.locator("#action-error")).to_have_text("")
        assert tab.errors("401", "400") == [] and tab.dialogs == []
    finally:
        tab.page.context.close()
    with httpx.Client(base_url=own.url, timeout=60) as customer:
        seen = customer.get(f"/api/chat/{stranger}/messages", params={"after": 0}).json()["messages"]
    assert [m["text"] for m in seen if m.get("sender") == "agent"] == ["Order 100234 is on its way."]
