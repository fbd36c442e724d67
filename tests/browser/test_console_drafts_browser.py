"""The agent console in headless Chromium against the real stack (the walkthrough of 2026-12-05 as an agent):
what an agent types in the reply and note boxes stays with its conversation (one customer's half-written reply
showed, ready to send, under another customer's transcript), and deleting what the whole team shares (a canned
reply, a label on conversations, a team) asks first; the customer lookup takes "#100234" and says what to type
instead of naming the API's fields."""

from __future__ import annotations

import secrets

import httpx
import pytest
from playwright.sync_api import Page, expect
from support.accounts import AgentLogin, add_agent_accounts
from support.agent import Console, Dialogs, hand_off, history, submit_console_login

from helpdesk.stack import Stack

pytestmark = pytest.mark.browser


def log_in(page: Page, helpdesk_url: str, login: AgentLogin) -> None:
    submit_console_login(page, helpdesk_url, login.username, login.password)
    expect(page.locator("#app")).to_be_visible()
    expect(page.locator("#conn")).to_have_text("live")


def open_chat(page: Page, conversation: str) -> None:
    page.locator(f'#chats li[data-id="{conversation}"]').click(timeout=20_000)
    expect(page.locator("#conv-meta")).to_contain_text(conversation)


def test_a_half_written_reply_stays_with_its_conversation(
    answering_page: Page, helpdesk_url: str, agent_accounts: dict[str, AgentLogin], client: httpx.Client
) -> None:
    ava = Console(helpdesk_url)
    assert ava.login("ava", agent_accounts["ava"].password).status_code == 200
    first = hand_off(client, "my throw arrived with a pulled thread")
    second = hand_off(client, "can I pick up my order in the shop")
    for conversation in (first, second):
        assert ava.post(f"/conversations/{conversation}/claim").status_code == 200

    page = answering_page
    log_in(page, helpdesk_url, agent_accounts["ava"])
    open_chat(page, first)
    page.locator("#reply").fill("Sorry about the thread: I am sending a new throw")
    page.locator("#note").fill("offered a replacement throw")

    open_chat(page, second)
    expect(page.locator("#reply")).to_have_value("")  # not the other customer's reply, ready to send here
    expect(page.locator("#note")).to_have_value("")
    page.locator("#reply").fill("Pick-up is not possible, sorry")

    open_chat(page, first)  # back: the draft is where the agent left it
    expect(page.locator("#reply")).to_have_value("Sorry about the thread: I am sending a new throw")
    expect(page.locator("#note")).to_have_value("offered a replacement throw")
    page.locator("#reply").press("Enter")
    expect(page.locator("#transcript li.msg.agent .text").last).to_have_text(
        "Sorry about the thread: I am sending a new throw"
    )
    expect(page.locator("#reply")).to_have_value("")

    open_chat(page, second)
    expect(page.locator("#reply")).to_have_value("Pick-up is not possible, sorry")
    texts = [m["text"] for m in history(client, second)["messages"]]
    assert "Sorry about the thread: I am sending a new throw" not in texts
    assert "Sorry about the thread: I am sending a new throw" in [m["text"] for m in history(client, first)["messages"]]
    for conversation in (first, second):
        assert ava.post(f"/conversations/{conversation}/resolve").status_code == 200
    ava.close()


UNSENT = "Your reply has not been sent: the customer will not read it. Go on without sending it?"


def test_resolving_with_a_reply_not_sent_asks_first(
    answering_page: Page, helpdesk_url: str, agent_accounts: dict[str, AgentLogin], client: httpx.Client
) -> None:
    """A reply typed and not sent was lost without a word when the agent resolved (or handed back, or transferred)
    the chat: the customer never read "I have refunded the second charge" (the staff walkthrough of 2026-12-07)."""
    ava = Console(helpdesk_url)
    assert ava.login("ava", agent_accounts["ava"].password).status_code == 200
    conversation = hand_off(client, "you charged me twice for order 100247")
    assert ava.post(f"/conversations/{conversation}/claim").status_code == 200
    page = answering_page
    dialogs = Dialogs(page)
    log_in(page, helpdesk_url, agent_accounts["ava"])
    open_chat(page, conversation)
    reply = "I have refunded the second charge: you will see it within 5 working days."
    page.locator("#reply").fill(reply)

    for button in ("#resolve", "#handback"):
        page.locator(button).click()  # "Cancel": the chat and the reply stay
        assert dialogs.asked[-1] == UNSENT, dialogs.asked
        expect(page.locator("#reply")).to_have_value(reply)
        assert history(client, conversation)["mode"] == "agent"
    asked = len(dialogs.asked)
    page.locator("#reply").press("Enter")  # sent, and Resolve at once: nothing to ask about, the reply goes first
    page.locator("#resolve").click()
    expect(page.locator("#empty-note")).to_have_text("The conversation was resolved.")
    assert len(dialogs.asked) == asked, dialogs.asked
    said = history(client, conversation)
    assert said["mode"] == "closed" and reply in [m["text"] for m in said["messages"] if m["sender"] == "agent"]
    ava.close()


def test_deleting_a_shared_canned_reply_or_a_label_asks_first(
    answering_page: Page, helpdesk_url: str, agent_accounts: dict[str, AgentLogin], client: httpx.Client
) -> None:
    sue = Console(helpdesk_url)
    assert sue.login("sue", agent_accounts["sue"].password).status_code == 200
    title = f"Care of oak {secrets.token_hex(2)}"
    created = sue.post("/canned", {"title": title, "text": "Wipe oak with a dry cloth.", "language": "en"})
    assert created.status_code == 201, created.text
    label = f"Damaged {secrets.token_hex(2)}"
    assert sue.post("/labels", {"name": label, "colour": "#b42318"}).status_code == 201
    conversation = hand_off(client, "the oak shelf came scratched")
    assert sue.post(f"/conversations/{conversation}/claim").status_code == 200
    label_id = next(x["id"] for x in sue.get("/labels").json()["labels"] if x["name"] == label)
    assert sue.post(f"/conversations/{conversation}/labels", {"label_id": label_id}).status_code == 200

    page = answering_page
    dialogs = Dialogs(page)
    log_in(page, helpdesk_url, agent_accounts["sue"])
    open_chat(page, conversation)

    page.locator("#edit-canned").click()
    delete = page.locator(f'#canned-list button[aria-label="Delete {title}"]')
    delete.click()
    expect(page.locator("#canned-list")).to_contain_text(title)  # "Cancel" keeps it
    assert dialogs.asked == [f"Delete the canned reply “{title}” for everyone?"]
    assert title in [c["title"] for c in sue.get("/canned").json()["canned"]]
    dialogs.accept = True
    delete.click()
    expect(page.locator("#canned-list")).not_to_contain_text(title)
    assert title not in [c["title"] for c in sue.get("/canned").json()["canned"]]
    page.locator("#canned-close").click()

    dialogs.accept = False
    page.locator("#labels-manage").click()
    remove = page.locator(f'#labels-list button[aria-label="Delete the label {label}"]')
    remove.click()
    assert dialogs.asked[-1] == f"Delete the label {label}? It comes off 1 conversation."
    expect(page.locator("#labels-list")).to_contain_text(label)
    assert label in [x["name"] for x in sue.get("/labels").json()["labels"]]
    dialogs.accept = True
    remove.click()
    expect(page.locator("#labels-list")).not_to_contain_text(label)
    assert label not in [x["name"] for x in sue.get("/labels").json()["labels"]]
    assert sue.post(f"/conversations/{conversation}/resolve").status_code == 200
    sue.close()


def test_an_admin_deleting_a_team_or_a_canned_reply_is_asked_first(
    answering_page: Page, helpdesk_url: str, stack: Stack
) -> None:
    boss = add_agent_accounts(stack.env["DATABASE_URL"], (("drafts-admin", "admin", None, 5),))["drafts-admin"]
    admin = Console(helpdesk_url)
    assert admin.login(boss.username, boss.password).status_code == 200
    team = f"garden-{secrets.token_hex(2)}"
    title = f"Gift wrap {secrets.token_hex(2)}"
    assert admin.post("/admin/teams", {"name": team}).status_code == 201
    assert admin.post("/admin/canned", {"title": title, "text": "We wrap gifts for free."}).status_code == 201

    page = answering_page
    dialogs = Dialogs(page)
    submit_console_login(page, helpdesk_url, boss.username, boss.password)
    expect(page.locator("#app")).to_be_visible()
    page.goto(helpdesk_url + "/agent/admin")
    expect(page.locator("body[data-loaded='1']")).to_be_attached()

    def teams() -> list[str]:
        return [t["name"] for t in admin.get("/admin").json()["teams"]]

    def replies() -> list[str]:
        return [c["title"] for c in admin.get("/admin").json()["canned"]]

    team_delete = page.locator(f'#team-list li[data-team="{team}"] button', has_text="Delete")
    canned_delete = page.locator("#canned-items li", has_text=title).locator("button", has_text="Delete")
    team_delete.click()
    canned_delete.click()
    assert dialogs.asked == [f"Delete the team {team}?", f"Delete the canned reply “{title}” for everyone?"]
    page.wait_for_timeout(500)
    assert team in teams() and title in replies()  # "Cancel" deletes nothing
    dialogs.accept = True
    team_delete.click()
    expect(page.locator(f'#team-list li[data-team="{team}"]')).to_have_count(0)
    canned_delete.click()
    expect(page.locator("#canned-items li", has_text=title)).to_have_count(0)
    assert team not in teams() and title not in replies()
    admin.close()


def test_looking_a_customer_up_takes_an_order_number_as_agents_write_it_and_says_what_to_type(
    answering_page: Page, helpdesk_url: str, agent_accounts: dict[str, AgentLogin], client: httpx.Client
) -> None:
    """A name typed in "E-mail or order number" answered '"order_number" must be an order number (digits)' (the
    API's field name); "#100234" was refused the same way."""
    ben = Console(helpdesk_url)
    assert ben.login("ben", agent_accounts["ben"].password).status_code == 200
    conversation = hand_off(client, "my candle order has not come")
    assert ben.post(f"/conversations/{conversation}/claim").status_code == 200

    page = answering_page
    log_in(page, helpdesk_url, agent_accounts["ben"])
    open_chat(page, conversation)
    page.locator("#lookup-value").fill("Ann Lee")
    page.locator("#lookup-form button[type=submit]").click()
    expect(page.locator("#lookup-error")).to_have_text(
        "Type the customer's e-mail address or an order number (digits, like 100234)."
    )
    page.locator("#lookup-value").fill("#100234")
    page.locator("#lookup-form button[type=submit]").click()
    expect(page.locator("#lookup-error")).to_have_text("")
    expect(page.locator("#context")).to_contain_text("ann.lee@example.com")
    expect(page.locator("#context")).to_contain_text("Looked up by Ben Tester (order 100234)")
    assert ben.post(f"/conversations/{conversation}/resolve").status_code == 200
    ben.close()
