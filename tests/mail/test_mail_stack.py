"""E-mail through the real stack (Rasa, actions, helpdesk processes) with the local SMTP server as the customers'
mailbox: confirmations of messages left out of hours, agents' replies to customers who closed the tab (once, also
with two helpdesk processes on PostgreSQL + Redis), none while the customer is on the page, replies by e-mail
back into the console, forged reply addresses refused, follow-up (回访) e-mails and rating links."""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from email.message import EmailMessage

import httpx
import psycopg
import pytest
from conftest import GRACE, MAILBOX, POLL, Mailbox, MailDesk, html_of, mail_env, text_of
from support.accounts import add_agent_accounts
from support.agent import Console, hand_off, history, say
from support.helpdesks import extra_helpdesk, postgres_database
from test_file_checks import EXE, photo

from helpdesk.stack import Stack


def new_address() -> str:
    return f"customer-{secrets.token_hex(4)}@customer.test"


def leave(client: httpx.Client, conversation_id: str, **body: object) -> dict:
    response = client.post(f"/api/chat/{conversation_id}/offline-message", json=body)
    assert response.status_code == 201, response.text
    return response.json()


def waiting_for_email(client: httpx.Client, email: str) -> str:
    """A customer who asked for a person and chose to get the answer by e-mail instead of waiting on the page."""
    conversation_id = hand_off(client)
    leave(client, conversation_id, text="My sofa arrived with a broken leg, what now?", email=email)
    return conversation_id


def is_reply(mail: EmailMessage) -> bool:
    return "replied to your question" in str(mail["Subject"])


def inbound(url: str, token: str, body: dict[str, object], **kwargs: object) -> httpx.Response:
    return httpx.post(f"{url}/api/mail/inbound", json=body, headers={"Authorization": f"Bearer {token}"}, **kwargs)


# ---- out of hours -------------------------------------------------------------------------------------------


def test_a_message_left_out_of_hours_gets_its_confirmation_email(closed_mail_desk: str, mailbox: Mailbox) -> None:
    email = new_address()
    with httpx.Client(base_url=closed_mail_desk, timeout=60) as client:
        conversation_id = say(client, "hello")["conversation_id"]
        leave(client, conversation_id, text="Do you deliver to Tromsø?", name="Ingrid", email=email)
    (mail,) = mailbox.wait_for(email)
    assert mail["Subject"] == "We've got your message"
    assert str(mail["From"]) == "Larkspur Home Support <support@shop.test>"
    text = text_of(mail)
    assert text.startswith("Hello Ingrid,") and "> Do you deliver to Tromsø?" in text
    assert "when we're back on" in text  # the team is away: when it is back
    assert f"http://shop.test/#lk-chat={conversation_id}" in text and "Reply to this e-mail" in text
    assert "Do you deliver to Tromsø?" in html_of(mail)
    assert str(mail["Reply-To"]).startswith("reply+") and str(mail["Reply-To"]).endswith("@support.shop.test")
    assert mail["Auto-Submitted"] == "auto-generated"
    time.sleep(POLL * 6)  # more rounds of every worker: still one
    assert len(mailbox.to(email)) == 1


def test_a_chinese_message_left_gets_a_chinese_confirmation(closed_mail_desk: str, mailbox: Mailbox) -> None:
    email = new_address()
    with httpx.Client(base_url=closed_mail_desk, timeout=60) as client:
        conversation_id = say(client, "你好")["conversation_id"]
        leave(client, conversation_id, text="请问沙发什么时候能送到？", email=email)
    (mail,) = mailbox.wait_for(email)
    assert mail["Subject"] == "我们已收到您的留言"
    assert "> 请问沙发什么时候能送到？" in text_of(mail) and "查看会话" in text_of(mail)


def test_a_customer_writing_traditional_characters_gets_the_confirmations_in_them(
    closed_mail_desk: str, mailbox: Mailbox
) -> None:
    """Issue 18 (lane ui): the chat's confirmation and the e-mail in the customer's script (the words of the
    template and the helpdesk; what the customer wrote as written)."""
    email = new_address()
    with httpx.Client(base_url=closed_mail_desk, timeout=60) as client:
        conversation_id = say(client, "你好")["conversation_id"]
        left = leave(client, conversation_id, text="請問沙發什麼時候能送到？", email=email)
    confirmation = left["messages"][-1]["text"]
    assert confirmation.startswith("謝謝！我們已收到您的留言"), confirmation
    (mail,) = mailbox.wait_for(email)
    assert mail["Subject"] == "我們已收到您的留言"
    assert "> 請問沙發什麼時候能送到？" in text_of(mail) and "查看會話" in text_of(mail)
    assert "感謝您的留言" in text_of(mail) and '<html lang="zh-Hant">' in html_of(mail)


# ---- the agent's reply ----------------------------------------------------------------------------------------


def test_a_customer_still_on_the_page_gets_no_email_of_the_reply(
    customer: httpx.Client, console: Callable[[str], Console], mail_desk: MailDesk, mailbox: Mailbox
) -> None:
    email = new_address()
    conversation_id = waiting_for_email(customer, email)
    agent = console("mona")
    assert agent.post(f"/conversations/{conversation_id}/claim").status_code == 200
    assert (
        agent.post(
            f"/conversations/{conversation_id}/messages", {"text": "Sorry! A new leg is on its way."}
        ).status_code
        == 201
    )
    deadline = time.monotonic() + GRACE + 4
    while time.monotonic() < deadline:  # the widget keeps polling: the customer is on the page
        history(customer, conversation_id)
        time.sleep(1)
    mailbox.wait_for(email, where=lambda m: "got your message" in str(m["Subject"]))  # the confirmation, yes
    assert [m for m in mailbox.to(email) if is_reply(m)] == []


def test_a_customer_who_closed_the_tab_gets_the_reply_by_email_and_answers_it_into_the_console(
    customer: httpx.Client, console: Callable[[str], Console], mail_desk: MailDesk, mailbox: Mailbox
) -> None:
    email = new_address()
    conversation_id = waiting_for_email(customer, email)  # ... and then the customer closed the tab
    agent = console("mona")
    assert agent.post(f"/conversations/{conversation_id}/claim").status_code == 200
    for text in ("Sorry about the leg!", "A replacement <leg> ships today & arrives Friday."):
        assert agent.post(f"/conversations/{conversation_id}/messages", {"text": text}).status_code == 201
    (mail,) = mailbox.wait_for(email, where=is_reply, timeout=GRACE + 20)
    assert mail["Subject"] == "Mona Tester replied to your question"
    text = text_of(mail)
    assert "Sorry about the leg!" in text and "A replacement <leg> ships today & arrives Friday." in text
    assert "A replacement &lt;leg&gt; ships today &amp; arrives Friday." in html_of(mail)
    assert f"http://shop.test/#lk-chat={conversation_id}" in text
    time.sleep(GRACE + POLL * 4)
    assert len([m for m in mailbox.to(email) if is_reply(m)]) == 1  # once

    # the customer answers the e-mail: the reply (without the quoted history) is in the conversation for the agent
    reply_to = str(mail["Reply-To"])
    body = {
        "to": f"Larkspur Home Support <{reply_to}>",
        "from": f"Mia <{email}>",
        "subject": "Re: " + str(mail["Subject"]),
        "text": "Friday is perfect, thank you!\n\nOn Wed, Mona wrote:\n> Sorry about the leg!\n",
        "message_id": f"<{secrets.token_hex(6)}@customer.test>",
    }
    taken = inbound(mail_desk.url, mail_desk.inbound_token, body)
    assert taken.status_code == 201, taken.text
    assert taken.json()["conversation_id"] == conversation_id
    again = inbound(mail_desk.url, mail_desk.inbound_token, body)  # the provider retries its webhook
    assert again.status_code == 200 and again.json()["duplicate"] is True
    view = agent.get(f"/conversations/{conversation_id}").json()
    customer_texts = [m["text"] for m in view["messages"] if m["sender"] == "customer"]
    assert customer_texts[-1] == "Friday is perfect, thank you!"
    assert customer_texts.count("Friday is perfect, thank you!") == 1
    assert view["conversation"]["mode"] == "agent"  # still with Mona

    # a forged reply address (another conversation's number, or a made-up signature) is refused
    forged = reply_to.replace("reply+", "reply+1", 1)
    refused = inbound(mail_desk.url, mail_desk.inbound_token, {**body, "to": forged, "message_id": "<f1@x.test>"})
    assert refused.status_code == 403 and "not one we sent" in refused.json()["error"]
    unsigned = inbound(mail_desk.url, mail_desk.inbound_token, {**body, "to": MAILBOX, "message_id": "<f2@x.test>"})
    assert unsigned.status_code == 403
    assert inbound(mail_desk.url, "wrong-token", {**body, "message_id": "<f3@x.test>"}).status_code == 401
    after = agent.get(f"/conversations/{conversation_id}").json()
    assert len(after["messages"]) == len(view["messages"])


def test_a_raw_email_reply_to_a_closed_chat_goes_back_to_the_queue(
    customer: httpx.Client, console: Callable[[str], Console], mail_desk: MailDesk, mailbox: Mailbox
) -> None:
    email = new_address()
    conversation_id = waiting_for_email(customer, email)
    (confirmation,) = mailbox.wait_for(email)
    agent = console("mona")
    assert agent.post(f"/conversations/{conversation_id}/claim").status_code == 200
    assert agent.post(f"/conversations/{conversation_id}/resolve").status_code == 200
    reply = EmailMessage()
    reply["From"] = email
    reply["To"] = str(confirmation["Reply-To"])
    reply["Subject"] = "Re: We've got your message"
    reply["Message-ID"] = f"<{secrets.token_hex(6)}@customer.test>"
    reply.set_content("还有一个问题：可以换颜色吗？\n\n在 2026年12月2日，Larkspur Home 写道：\n> 我们已收到您的留言\n")
    reply.add_attachment(photo("JPEG"), maintype="image", subtype="jpeg", filename="颜色.jpg")
    reply.add_attachment(EXE, maintype="application", subtype="octet-stream", filename="setup.jpg")
    raw = reply.as_bytes()
    taken = httpx.post(
        f"{mail_desk.url}/api/mail/inbound?token={mail_desk.inbound_token}",
        content=raw,
        headers={"Content-Type": "message/rfc822"},
    )
    assert taken.status_code == 201, taken.text
    assert taken.json()["files"] == ["颜色.jpg"]  # the photo is kept, the disguised program is not
    queue = agent.get("/queue").json()["conversations"]
    entry = next(e for e in queue if e["conversation_id"] == conversation_id)
    assert entry["handoff_reason"] == "email_reply"
    view = agent.get(f"/conversations/{conversation_id}").json()
    said, photo_message = view["messages"][-2:]
    assert said["text"] == "还有一个问题：可以换颜色吗？" and said["sender"] == "customer"
    assert photo_message["attachment"]["kind"] == "image" and photo_message["text"] == "📎 颜色.jpg"


# ---- waiting without waiting --------------------------------------------------------------------------------


def test_a_waiting_customer_chooses_the_answer_by_email_and_the_agent_sees_it(
    customer: httpx.Client, console: Callable[[str], Console], mail_desk: MailDesk, mailbox: Mailbox
) -> None:
    email = new_address()
    conversation_id = hand_off(customer)
    chose = customer.post(f"/api/chat/{conversation_id}/wait/email", json={"email": email, "lang": "en"})
    assert chose.status_code == 201, chose.text
    said, confirmation = chose.json()["messages"]
    assert said["sender"] == "customer" and said["text"] == f"Please answer me by e-mail: {email}"
    assert f"by e-mail at {email}" in confirmation["text"] and chose.json()["mode"] == "queued"
    agent = console("mona")
    entry = next(e for e in agent.get("/queue").json()["conversations"] if e["conversation_id"] == conversation_id)
    assert entry["offline_message"]["contact"] == {"email": email}
    assert mail_desk.handoff_choices(conversation_id)[-1] == "email"
    (mail,) = mailbox.wait_for(email)
    assert mail["Subject"] == "We've got your message"
    supervisor = console("sal")  # the dashboard counts the choice, and who waits by e-mail now
    before = supervisor.get("/metrics").json()
    assert before["wait_choices"]["email"] >= 1 and before["live"]["waiting_by_email"] >= 1
    bad = customer.post(f"/api/chat/{conversation_id}/wait/email", json={"email": "not an address"})
    assert bad.status_code == 400 and bad.json()["error"] == "email does not look like an e-mail address"


def test_a_waiting_customer_may_stop_waiting(
    customer: httpx.Client, console: Callable[[str], Console], mail_desk: MailDesk
) -> None:
    conversation_id = hand_off(customer)
    stopped = customer.post(f"/api/chat/{conversation_id}/wait/cancel", json={"lang": "zh"})
    assert stopped.status_code == 201, stopped.text
    assert stopped.json()["mode"] == "closed"
    assert [m["text"] for m in stopped.json()["messages"]] == [
        "我不等了。",
        "您已退出排队。随时可以在这里留言：智能助手会回答您，如需人工客服也可随时提出。",
    ]
    agent = console("mona")
    queue = agent.get("/queue").json()["conversations"]
    assert conversation_id not in [e["conversation_id"] for e in queue]
    supervisor = console("sal")  # a closed chat is the supervisors' to read
    assert supervisor.get(f"/conversations/{conversation_id}").json()["messages"][-2]["text"] == "我不等了。"
    assert mail_desk.handoff_choices(conversation_id)[-1] == "cancel"
    assert supervisor.get("/metrics").json()["wait_choices"]["cancel"] >= 1
    rows = [line.split(",") for line in supervisor.get("/metrics.csv").text.splitlines()]
    assert any(row[:3] == ["wait_choices", "cancel", "customers"] and int(row[3]) >= 1 for row in rows)
    again = customer.post(f"/api/chat/{conversation_id}/wait/cancel", json={})
    assert again.status_code == 409 and again.json()["error"] == "you are not waiting for a person in this chat"
    # writing again starts with the bot
    assert say(customer, "hello", conversation_id)["mode"] == "bot"


def test_a_waiting_customer_writing_traditional_characters_reads_the_waiting_choices_in_them(
    customer: httpx.Client,
) -> None:
    conversation_id = say(customer, "轉人工客服")["conversation_id"]
    email = new_address()
    chose = customer.post(f"/api/chat/{conversation_id}/wait/email", json={"email": email, "lang": "zh-Hant"})
    assert chose.status_code == 201, chose.text
    said, confirmation = chose.json()["messages"]
    assert said["text"] == f"請通過郵件回覆我：{email}", said  # the widget's words for the customer, in their script
    assert confirmation["text"].startswith("謝謝！我們已收到您的留言"), confirmation

    conversation_id = say(customer, "轉人工客服")["conversation_id"]
    stopped = customer.post(f"/api/chat/{conversation_id}/wait/cancel", json={"lang": "zh-Hant"})
    assert stopped.status_code == 201, stopped.text
    assert [m["text"] for m in stopped.json()["messages"]] == [
        "我不等了。",
        "您已退出排隊。隨時可以在這裡留言：智能助手會回答您，如需人工客服也可隨時提出。",
    ]


# ---- rating link and follow-ups -------------------------------------------------------------------------------


def test_a_chat_closed_with_the_customer_gone_sends_the_rating_link_once(
    customer: httpx.Client, console: Callable[[str], Console], mail_desk: MailDesk, mailbox: Mailbox
) -> None:
    email = new_address()
    conversation_id = waiting_for_email(customer, email)
    agent = console("mona")
    assert agent.post(f"/conversations/{conversation_id}/claim").status_code == 200
    assert agent.post(f"/conversations/{conversation_id}/resolve").status_code == 200
    (mail,) = mailbox.wait_for(email, where=lambda m: m["Subject"] == "How did we do?", timeout=GRACE + 20)
    assert "Mona Tester closed your chat with us" in text_of(mail)
    assert f"http://shop.test/#lk-chat={conversation_id}" in text_of(mail)
    rated = customer.post(f"/api/chat/{conversation_id}/rating", json={"score": 5})
    assert rated.status_code == 201
    time.sleep(GRACE + POLL * 4)
    assert len([m for m in mailbox.to(email) if m["Subject"] == "How did we do?"]) == 1


def test_a_follow_up_task_sends_its_message_by_email(
    customer: httpx.Client, console: Callable[[str], Console], mail_desk: MailDesk, mailbox: Mailbox
) -> None:
    email = new_address()
    conversation_id = waiting_for_email(customer, email)
    agent = console("mona")
    assert agent.post(f"/conversations/{conversation_id}/claim").status_code == 200
    assert agent.post(f"/conversations/{conversation_id}/handback").status_code == 200  # a follow-up opens
    supervisor = console("sal")
    tasks = supervisor.get("/followups").json()["follow_ups"]
    task = next(t for t in tasks if t["conversation_id"] == conversation_id)
    text = "Hello again! Did the replacement leg arrive? 如有问题请随时回复。"
    sent = supervisor.post(f"/followups/{task['id']}/email", {"text": text})
    assert sent.status_code == 202, sent.text
    assert sent.json() == {"follow_up_id": task["id"], "to": email, "queued": True}
    assert supervisor.post(f"/followups/{task['id']}/email", {"text": text}).json()["queued"] is False  # once
    (mail,) = mailbox.wait_for(email, where=lambda m: "Following up" in str(m["Subject"]))
    assert text in text_of(mail) and "Sal Tester from our support team" in text_of(mail)
    comments = supervisor.get(f"/followups/{task['id']}").json()["comments_list"]
    assert any(c["text"] == f"E-mailed {email}:\n{text}" for c in comments)
    time.sleep(POLL * 4)
    assert len([m for m in mailbox.to(email) if "Following up" in str(m["Subject"])]) == 1

    # a customer who left no address: the agent is told so, nothing is queued
    other = hand_off(customer)
    assert agent.post(f"/conversations/{other}/claim").status_code == 200
    assert agent.post(f"/conversations/{other}/handback").status_code == 200
    task = next(t for t in supervisor.get("/followups").json()["follow_ups"] if t["conversation_id"] == other)
    refused = supervisor.post(f"/followups/{task['id']}/email", {"text": "Hello?"})
    assert refused.status_code == 409 and refused.json()["error"] == "no e-mail address on file for this customer"


def test_a_follow_up_to_a_customer_writing_traditional_characters_is_drafted_and_mailed_in_them(
    customer: httpx.Client, console: Callable[[str], Console], mail_desk: MailDesk, mailbox: Mailbox
) -> None:
    """Issue 18 (lane ui): the follow-up's starting text and its e-mail's own words in the customer's script."""
    email = new_address()
    conversation_id = say(customer, "轉人工客服")["conversation_id"]
    chose = customer.post(f"/api/chat/{conversation_id}/wait/email", json={"email": email, "lang": "zh-Hant"})
    assert chose.status_code == 201, chose.text
    agent = console("mona")
    assert agent.post(f"/conversations/{conversation_id}/claim").status_code == 200
    assert agent.post(f"/conversations/{conversation_id}/handback").status_code == 200  # a follow-up opens
    supervisor = console("sal")
    task = next(t for t in supervisor.get("/followups").json()["follow_ups"] if t["conversation_id"] == conversation_id)
    draft = supervisor.get(f"/followups/{task['id']}/email").json()
    assert draft["language"] == "zh" and draft["text"].startswith("很抱歉您上次的諮詢體驗不夠理想。"), draft
    assert supervisor.post(f"/followups/{task['id']}/email", {"text": draft["text"]}).status_code == 202
    (mail,) = mailbox.wait_for(email, where=lambda m: "回訪" in str(m["Subject"]))
    assert mail["Subject"] == "關於您此前諮詢的回訪"
    assert "我們的客服 Sal Tester 就您最近的諮詢進行回訪" in text_of(mail), text_of(mail)


# ---- two helpdesk processes on PostgreSQL + Redis -------------------------------------------------------------


@pytest.mark.postgres
def test_two_helpdesk_processes_send_the_reply_once(stack: Stack, smtp_server: tuple[Mailbox, int]) -> None:
    mailbox, port = smtp_server
    token = secrets.token_urlsafe(16)
    channel = f"mailtest{secrets.token_hex(4)}:events"
    with postgres_database("helpdesk_mail") as dsn:
        accounts = add_agent_accounts(dsn, (("pia", "agent", None, 20),))
        env = {
            "DATABASE_URL": dsn,
            "REDIS_URL": "redis://127.0.0.1:6379/0",
            "REDIS_CHANNEL": channel,
            **mail_env(port, token),
        }
        with extra_helpdesk(stack, "mail-pg-a", env) as first, extra_helpdesk(stack, "mail-pg-b", env) as second:
            email = new_address()
            with httpx.Client(base_url=first, timeout=60) as client:
                conversation_id = waiting_for_email(client, email)
            agent = Console(second)
            try:
                assert agent.login("pia", accounts["pia"].password).status_code == 200
                assert agent.post(f"/conversations/{conversation_id}/claim").status_code == 200
                reply = {"text": "Both of our servers saw this; you get it once."}
                assert agent.post(f"/conversations/{conversation_id}/messages", reply).status_code == 201
                (mail,) = mailbox.wait_for(email, where=is_reply, timeout=GRACE + 20)
                assert "you get it once" in text_of(mail)
                time.sleep(GRACE + POLL * 6)  # many more rounds of both workers
                assert len([m for m in mailbox.to(email) if is_reply(m)]) == 1
                assert len(mailbox.to(email)) == 2  # the confirmation and the reply
            finally:
                agent.close()
            with psycopg.connect(dsn) as connection:
                rows = connection.execute(
                    "SELECT kind, status, attempts, claimed_by FROM outbox WHERE conversation_id = %s ORDER BY id",
                    (conversation_id,),
                ).fetchall()
    assert [(kind, status, attempts) for kind, status, attempts, _ in rows] == [
        ("left_message", "sent", 1),
        ("agent_reply", "sent", 1),
    ]
