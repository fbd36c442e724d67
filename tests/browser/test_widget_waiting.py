"""Waiting for and talking with a person in the widget, in headless Chromium against the real stack: the queue
position is a message in the conversation, renewed as the queue moves; what the customer writes while waiting
is acknowledged once per burst; agents' messages carry their name, avatar (or initials) and a time; a low
rating is answered with an apology and what happens next. A socket that cannot connect is retried with back-off, not
at every poll."""

from __future__ import annotations

import io
import re
import sqlite3
import threading
from collections.abc import Callable, Iterator
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest
from PIL import Image
from playwright.sync_api import Browser, Page, expect
from support.accounts import AgentLogin
from support.agent import Console, console_open, hand_off, history, writable_db
from test_widget_browser import CUSTOMER, HOST, Tab, new_tab, open_widget, send

from helpdesk.stack import Stack

pytestmark = pytest.mark.browser

BOT_TIMEOUT = 60_000
QUEUE_NOTE = f"{HOST} .msg.queue .text"
ACK = f"{HOST} .msg.ack .text"
PERSON = "I want to talk to a real person please"
# a 1x1 PNG: the agent's avatar, served by the test to the page embedding the widget
PIXEL = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005"
    "0001ff8a4a0e8b0000000049454e44ae426082"
)


@pytest.fixture()
def phone(chromium: Browser) -> Iterator[Tab]:
    t = new_tab(chromium, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    yield t
    t.page.context.close()


@pytest.fixture()
def tab(chromium: Browser) -> Iterator[Tab]:
    t = new_tab(chromium, viewport={"width": 1280, "height": 800})
    yield t
    t.page.context.close()


def conversation_of(page: Page) -> str:
    conversation_id = page.evaluate("localStorage.getItem('larkspur-chat.conversation')")
    assert conversation_id
    return str(conversation_id)


def ask_for_a_person(page: Page) -> str:
    send(page, PERSON)
    expect(page.locator(f"{HOST} .head .st")).to_contain_text("queue", timeout=BOT_TIMEOUT)
    return conversation_of(page)


@pytest.fixture()
def shop_site(helpdesk_url: str) -> Iterator[str]:
    """A shop's own website on this machine (another origin than the helpdesk's, without the demo shop's image
    policy) with the widget embedded by its script tag: its URL."""
    page_html = f'<!doctype html><html lang="en"><body><h1>Shop</h1><script src="{helpdesk_url}/widget.js"></script>'

    class Page(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
            body = page_html.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Page)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def position_words(position: int) -> str:
    return "You're next in the queue" if position == 1 else f"You're number {position} in the queue"


def test_the_queue_is_a_message_renewed_as_it_moves_and_a_burst_is_acknowledged_once(
    phone: Tab,
    helpdesk_url: str,
    client: httpx.Client,
    console_for: Callable[[AgentLogin], Console],
    agent_accounts: dict[str, AgentLogin],
) -> None:
    ahead = hand_off(client)  # another customer, just ahead in the queue
    page = phone.page
    page.goto(helpdesk_url + "/")
    open_widget(page)
    mine = ask_for_a_person(page)
    position = history(client, mine)["queue"]["position"]
    assert position >= 2
    note = page.locator(QUEUE_NOTE)
    expect(note).to_have_count(1)
    expect(note).to_contain_text(position_words(position))

    # three messages in a burst: one acknowledgement, with the place in the queue
    for text in ("hello?", "it's about my plates", "two of them arrived chipped"):
        send(page, text)
    expect(page.locator(f"{CUSTOMER} .text")).to_have_count(4)
    expect(page.locator(f"{CUSTOMER} .meta")).to_have_count(0)  # all three stored
    expect(page.locator(ACK)).to_have_count(1)
    expect(page.locator(ACK)).to_have_text(f"Got it — it's with the team; you're number {position}.")

    # the customer ahead is taken: the queue message is renewed at the end of the conversation
    agent = console_for(agent_accounts["ava"])
    assert agent.post(f"/conversations/{ahead}/claim").status_code == 200
    expect(note).to_contain_text(position_words(position - 1))
    expect(note).to_have_count(1)
    assert page.locator(f"{HOST} .log > .msg").last.evaluate("(m) => m.classList.contains('queue')")
    expect(page.locator(f"{HOST} .head .st")).to_contain_text(position_words(position - 1))
    send(page, "still there?")  # the same burst: no second acknowledgement
    expect(page.locator(f"{CUSTOMER} .meta")).to_have_count(0)
    expect(page.locator(ACK)).to_have_count(1)

    # an agent joins: the queue message goes, the agent's words come
    assert agent.post(f"/conversations/{mine}/claim").status_code == 200
    expect(note).to_have_count(0)
    assert phone.errors() == []


def test_agent_messages_carry_name_avatar_and_time(
    tab: Tab,
    helpdesk_url: str,
    stack: Stack,
    shop_site: str,
    console_for: Callable[[AgentLogin], Console],
    agent_accounts: dict[str, AgentLogin],
) -> None:
    page = tab.page
    page.route("https://avatars.test/ben.png", lambda route: route.fulfill(content_type="image/png", body=PIXEL))
    with writable_db(stack.workdir / "helpdesk.db") as db:  # type: ignore[attr-defined]
        db.execute("UPDATE agents SET avatar_url = 'https://avatars.test/ben.png' WHERE username = 'ben'")
        db.commit()
    page.goto(shop_site)
    open_widget(page)
    conversation_id = ask_for_a_person(page)

    ben, ava = console_for(agent_accounts["ben"]), console_for(agent_accounts["ava"])
    assert ben.post(f"/conversations/{conversation_id}/claim").status_code == 200
    sent = ben.post(f"/conversations/{conversation_id}/messages", {"text": "Hi, **Ben** here. Let me look."})
    assert sent.status_code == 201
    agent_message = page.locator(f"{HOST} .msg.agent")
    expect(agent_message).to_have_count(1, timeout=15_000)
    expect(agent_message.locator(".lbl .who")).to_have_text("Ben Tester")
    expect(agent_message.locator(".lbl .av img")).to_have_attribute("src", "https://avatars.test/ben.png")
    expect(agent_message.locator(".text strong")).to_have_text("Ben")

    # the time shown is the stored one, in the customer's clock
    stored = datetime.fromisoformat(sent.json()["created_at"])
    time = agent_message.locator("time")
    assert datetime.fromisoformat(time.get_attribute("datetime").replace("Z", "+00:00")) == stored.replace(
        microsecond=stored.microsecond // 1000 * 1000
    )
    shown = page.evaluate(
        "(iso) => new Intl.DateTimeFormat('en', {hour: '2-digit', minute: '2-digit'}).format(new Date(iso))",
        sent.json()["created_at"],
    )
    expect(time).to_have_text(shown)
    expect(page.locator(f"{CUSTOMER} time")).to_have_count(1)

    # transferred to another agent: their own name and initials (no avatar set)
    with console_open(ava):  # a chat goes only to a colleague at an open console (test_transfer_to_offline.py)
        assert ben.post(f"/conversations/{conversation_id}/transfer", {"agent_id": ava.agent["id"]}).status_code == 200
    assert ava.post(f"/conversations/{conversation_id}/messages", {"text": "Ava here."}).status_code == 201
    expect(agent_message).to_have_count(2)
    expect(agent_message.nth(1).locator(".lbl")).to_be_visible()
    expect(agent_message.nth(1).locator(".lbl .who")).to_have_text("Ava Tester")
    expect(agent_message.nth(1).locator(".lbl .av")).to_have_text("AT")

    # after a reload the transcript shows the same names
    page.reload()
    open_widget(page)
    expect(page.locator(f"{HOST} .msg.agent .lbl .who")).to_have_text(["Ben Tester", "Ava Tester"])
    assert tab.errors() == []


def test_a_low_rating_gets_an_apology_and_what_happens_next(
    tab: Tab,
    helpdesk_url: str,
    db: sqlite3.Connection,
    client: httpx.Client,
    console_for: Callable[[AgentLogin], Console],
    agent_accounts: dict[str, AgentLogin],
) -> None:
    page = tab.page
    page.goto(helpdesk_url + "/")
    open_widget(page)
    conversation_id = ask_for_a_person(page)
    agent = console_for(agent_accounts["ava"])
    assert agent.post(f"/conversations/{conversation_id}/claim").status_code == 200
    assert agent.post(f"/conversations/{conversation_id}/resolve").status_code == 200

    rating = page.locator(f"{HOST} .rating")
    expect(rating).to_be_visible(timeout=15_000)
    rating.locator(".stars button").nth(1).click()  # 2 stars
    rating.locator(".submit").click()
    expect(rating).to_contain_text("We're sorry we let you down.")
    expect(rating).to_contain_text("We've opened a follow-up for our team")
    follow_up = db.execute("SELECT reason FROM follow_ups WHERE conversation_id = ?", (conversation_id,)).fetchone()
    assert follow_up["reason"] == "low_rating"
    send(page, "thanks, bye")  # writing again keeps the answer in the conversation
    expect(rating).to_contain_text("We're sorry we let you down.")

    # a good rating is thanked, without a follow-up
    other = hand_off(client)
    assert agent.post(f"/conversations/{other}/claim").status_code == 200
    assert agent.post(f"/conversations/{other}/resolve").status_code == 200
    good = client.post(f"/api/chat/{other}/rating", json={"score": 5})
    assert good.status_code == 201 and good.json()["follow_up"] is False
    assert tab.errors() == []


@pytest.mark.parametrize(
    ("lang", "bad_email"), [("en", "Please check your e-mail address."), ("zh-CN", "请检查您的邮箱地址。")]
)
def test_an_address_without_a_domain_is_refused_in_the_widgets_words_on_a_phone(
    chromium: Browser, helpdesk_url: str, lang: str, bad_email: str
) -> None:
    """ "ann.lee@example" passes a browser's type=email check, but the server refuses it: the customer read the
    server's "email does not look like an e-mail address" (English, whatever the page's language)."""
    from test_widget_chinese import page_in

    page = page_in(chromium, helpdesk_url, lang, {"width": 390, "height": 844})
    try:
        page.locator(f"{HOST} .launcher").click()
        send(page, PERSON)
        expect(page.locator(QUEUE_NOTE)).to_have_count(1, timeout=BOT_TIMEOUT)
        bar = f"{HOST} .waitbar"
        page.locator(f"{bar} button.primary").click()
        page.locator(f"{bar} input[type=email]").fill("ann.lee@example")
        page.locator(f"{bar} form button").click()
        expect(page.locator(f"{bar} .err")).to_have_text(bad_email)
        expect(page.locator(f"{CUSTOMER} .text")).to_have_count(1)  # nothing sent
        page.locator(f"{bar} input[type=email]").fill("ann.lee@example.com")
        page.locator(f"{bar} form button").click()
        expect(page.locator(f"{CUSTOMER} .text")).to_have_count(2)
        expect(page.locator(f"{CUSTOMER} .text").last).to_contain_text("ann.lee@example.com")
        expect(page.locator(bar)).to_have_count(0)
    finally:
        page.context.close()


def test_a_socket_that_cannot_connect_is_retried_with_back_off_not_at_every_poll(
    chromium: Browser, helpdesk_url: str
) -> None:
    """A customer whose network refuses WebSockets (the walkthrough of 2026-12-04: Chromium's local-network checks)
    waits in the queue over polling: the socket is retried after 1, 2, 4, 8 s, not again at each poll's answer
    (before: a new socket every 2 s poll, the back-off undone). Time is Playwright's fake clock: run in steps, each
    followed by a real pause for the poll's request to finish."""
    tab = new_tab(chromium, viewport={"width": 1280, "height": 800})
    page = tab.page
    attempts: list[str] = []
    polls: list[str] = []

    def refuse(ws: Any) -> None:
        attempts.append(ws.url)
        ws.close(code=1011, reason="refused by the test")

    try:
        page.route_web_socket(re.compile(r"/api/chat/[^/]+/ws"), refuse)
        page.on("request", lambda request: "/messages" in request.url and polls.append(request.url))
        page.clock.install()
        page.goto(helpdesk_url + "/")
        open_widget(page)
        send(page, PERSON)
        expect(page.locator(f"{HOST} .head .st")).to_contain_text("queue", timeout=BOT_TIMEOUT)
        for _ in range(100):  # the queued chat opens its socket (refused at once)
            if attempts:
                break
            page.wait_for_timeout(100)
        assert attempts, "the queued chat never tried a socket"
        # pause at now, or just after the page's own fake time when that ran ahead (under load: "Cannot fast-forward
        # to the past" in a CI-like run)
        page_now = float(page.evaluate("Date.now()")) / 1000
        page.clock.pause_at(datetime.fromtimestamp(max(datetime.now().timestamp(), page_now + 0.05)))
        first, polled = len(attempts), len(polls)
        for _ in range(8):  # 16.8 s of the page's time
            page.clock.run_for(2100)
            page.wait_for_timeout(400)  # real time: the poll's request answers, its answer is handled
        assert len(polls) - polled >= 6, polls  # the customer's chat kept polling meanwhile
        # retries at 1, 3, 7 and 15 s after the first failure: four, whatever the polls did
        assert len(attempts) - first <= 4, (len(attempts) - first, len(polls) - polled)
        assert len(attempts) - first >= 2, attempts
    finally:
        page.context.close()


def send_photo(page: Page, name: str, colour: tuple[int, int, int]) -> None:
    """The customer sends a small PNG from the widget's file input (the paperclip), not from a bot's offer."""
    photo = io.BytesIO()
    Image.new("RGB", (64, 64), colour).save(photo, "PNG")
    page.locator(f"{HOST} input[type=file]").set_input_files(
        {"name": name, "mimeType": "image/png", "buffer": photo.getvalue()}
    )


def test_a_file_the_bot_did_not_ask_for_is_acknowledged(chromium: Browser, helpdesk_url: str) -> None:
    """The walkthrough of 2026-12-04: a photo sent while the bot was asking which items to return got no word at all
    (the bot does not read files); now the widget says it is kept for the team."""
    tab = new_tab(chromium, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = tab.page
    try:
        page.goto(helpdesk_url + "/")
        open_widget(page)
        send(page, "what is your return policy")
        expect(page.locator(f"{HOST} .msg.bot:not(.intro)").first).to_be_visible(timeout=BOT_TIMEOUT)
        send_photo(page, "crack.png", (200, 60, 60))
        expect(page.locator(f"{HOST} .fileerr")).to_have_text("")  # sent, not refused
        expect(page.locator(f"{CUSTOMER}").last).to_contain_text("crack.png")
        kept = page.locator(f"{HOST} .msg.system.notice .text").last
        expect(kept).to_contain_text("Thanks, your file is saved with this chat.")
        expect(kept).to_contain_text("our team sees it if you ask for a person")
        assert tab.errors() == []
    finally:
        page.context.close()


def test_the_return_s_item_buttons_stay_usable_after_a_photo(chromium: Browser, helpdesk_url: str) -> None:
    """The walkthrough of 2026-12-05: a customer asked which items to return sent a photo of the damage first, and the
    item buttons were gone (on the page and after a reload): they stay until an item is picked. Order 100218 (Grace
    Murphy, delivered) is only read: nothing is booked."""
    tab = new_tab(chromium, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = tab.page
    try:
        page.goto(helpdesk_url + "/")
        open_widget(page)
        send(page, "I'd like to return something from 100218, grace.murphy@example.net")
        tablecloth = page.locator(f"{HOST} .quick button", has_text="Washed linen tablecloth")
        expect(tablecloth).to_be_visible(timeout=BOT_TIMEOUT)
        send_photo(page, "stain.png", (90, 140, 200))
        expect(page.locator(f"{CUSTOMER}").last).to_contain_text("stain.png")
        expect(page.locator(f"{HOST} .msg.system.notice .text").last).to_contain_text("your file is saved")
        expect(tablecloth).to_be_visible()  # before: removed with the photo's message
        page.reload()
        open_widget(page)
        expect(page.locator(f"{CUSTOMER}").last).to_contain_text("stain.png")
        expect(tablecloth).to_be_visible()  # the transcript again: the buttons under the question, still usable
        tablecloth.click()
        summary = page.locator(f"{HOST} .msg.bot .text", has_text="Here's the return for order 100218")
        expect(summary).to_be_visible(timeout=BOT_TIMEOUT)
        expect(summary).to_contain_text("Washed linen tablecloth")
        expect(summary).not_to_contain_text("Ribbed tumblers")
        expect(page.locator(f"{HOST} .quick button", has_text="Ribbed tumblers")).to_have_count(0)  # picked: gone
        assert tab.errors() == []
    finally:
        page.context.close()


@pytest.mark.parametrize(
    ("path", "person", "take_back", "pointer"),
    [
        ("/", PERSON, "never mind", 'No longer need a person? Tap "Stop waiting" below.'),
        ("/?lang=zh", "我要找人工", "算了，不用了", "如果不再需要人工客服，请点下方的“不等了”。"),
    ],
)
def test_never_mind_while_waiting_points_to_stop_waiting(
    phone: Tab, helpdesk_url: str, path: str, person: str, take_back: str, pointer: str
) -> None:
    """Lane cwalk's widget walk of 2026-12-07 (phone): a customer who asked for a person, then typed "never mind",
    was told "Got it — it's with the team; you're number 2." and stayed in the queue, the button that takes them out
    of it unmentioned. The acknowledgement of a line that takes the request back says where that button is (the
    customer, not the widget, decides: nothing leaves the queue by itself); any other line is acknowledged as before."""
    page = phone.page
    page.goto(helpdesk_url + path)
    open_widget(page)
    send(page, person)
    expect(page.locator(f"{HOST} .waitbar")).to_be_visible(timeout=BOT_TIMEOUT)
    send(page, take_back)
    expect(page.locator(ACK).last).to_contain_text(pointer)
    expect(page.locator(f"{HOST} .head .st")).not_to_contain_text("Virtual assistant")  # still waiting
    assert phone.errors() == []
