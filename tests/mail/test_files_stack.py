"""Photos and PDFs in the chat through the real stack: a customer's photo reaches the agent (re-encoded, without
its GPS position) and nobody else; an agent's PDF reaches the customer as a download; a renamed executable and an
SVG with a script are refused; the size and per-conversation limits answer with a clear error."""

from __future__ import annotations

import secrets
from collections.abc import Callable

import httpx
from conftest import FILE_MAX_BYTES, FILES_PER_CONVERSATION, GRACE, Mailbox, MailDesk, html_of, text_of
from support.agent import Console, hand_off, history
from test_file_checks import EXE, SVG, photo

from helpdesk.files.checks import REFUSED


def upload(client: httpx.Client, conversation_id: str, name: str, data: bytes, kind: str) -> httpx.Response:
    return client.post(
        f"/api/chat/{conversation_id}/attachments",
        content=data,
        headers={"Content-Type": kind, "X-Filename": name},
    )


def test_a_customers_photo_reaches_the_agent_and_nobody_else(
    customer: httpx.Client, console: Callable[[str], Console], mail_desk: MailDesk
) -> None:
    conversation_id = hand_off(customer)
    sent = upload(customer, conversation_id, "broken%20leg.jpeg", photo("JPEG"), "image/jpeg")
    assert sent.status_code == 201, sent.text
    message = sent.json()["message"]
    assert message["sender"] == "customer" and message["text"] == "📎 broken leg.jpg"
    attachment = message["attachment"]
    assert attachment["kind"] == "image"
    assert attachment["url"] == f"api/chat/{conversation_id}/attachments/{attachment['id']}"

    own = customer.get("/" + attachment["url"])
    assert own.status_code == 200 and own.headers["content-type"] == "image/jpeg"
    assert own.headers["x-content-type-options"] == "nosniff"
    assert own.headers["content-disposition"].startswith("inline; filename*=UTF-8''broken%20leg.jpg")
    assert "sandbox" in own.headers["content-security-policy"]
    assert b"SecretCam" not in own.content and own.content[:3] == b"\xff\xd8\xff"  # re-encoded, no metadata
    thumb = customer.get("/" + attachment["url"], params={"thumb": "1"})
    assert thumb.status_code == 200 and len(thumb.content) < len(own.content)

    agent = console("mona")
    assert agent.post(f"/conversations/{conversation_id}/claim").status_code == 200
    shown = [m for m in agent.get(f"/conversations/{conversation_id}").json()["messages"] if m.get("attachment")]
    assert [m["attachment"]["id"] for m in shown] == [attachment["id"]]
    staff_url = f"/conversations/{conversation_id}/attachments/{attachment['id']}"
    seen = agent.get(staff_url)
    assert seen.status_code == 200 and seen.content == own.content

    # another customer (their own conversation's id, or a guess) cannot fetch it; nor can anyone without a session
    other = hand_off(customer)
    assert customer.get(f"/api/chat/{other}/attachments/{attachment['id']}").status_code == 404
    assert customer.get(f"/api/chat/{secrets.token_urlsafe(18)}/attachments/{attachment['id']}").status_code == 404
    assert httpx.get(f"{mail_desk.url}/api/agent{staff_url}").status_code == 401
    colleague = console("sal")
    assert colleague.get(staff_url).status_code == 200  # a supervisor may see every conversation


def test_an_agents_pdf_reaches_the_customer_as_a_download(
    customer: httpx.Client, console: Callable[[str], Console]
) -> None:
    conversation_id = hand_off(customer)
    agent = console("mona")
    assert agent.post(f"/conversations/{conversation_id}/claim").status_code == 200
    pdf = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    sent = agent.http.post(
        f"/api/agent/conversations/{conversation_id}/attachments",
        content=pdf,
        headers={"X-CSRF-Token": agent.csrf, "X-Filename": "return-label.pdf", "Content-Type": "application/pdf"},
    )
    assert sent.status_code == 201, sent.text
    messages = history(customer, conversation_id)["messages"]
    label = next(m for m in messages if m.get("attachment"))
    assert label["sender"] == "agent" and label["text"] == "📎 return-label.pdf"
    assert label["agent"]["name"] == "Mona Tester"
    got = customer.get("/" + label["attachment"]["url"])
    assert got.status_code == 200 and got.content == pdf and got.headers["content-type"] == "application/pdf"
    assert got.headers["content-disposition"].startswith("attachment;")  # never opened in the page


def test_refused_files_and_limits_answer_clearly(customer: httpx.Client) -> None:
    conversation_id = hand_off(customer)
    for name, data, kind in (
        ("photo.jpg", EXE, "image/jpeg"),  # an executable renamed
        ("nice.svg", SVG, "image/svg+xml"),
        ("page.png", b"<html><script>alert(1)</script></html>", "image/png"),
    ):
        refused = upload(customer, conversation_id, name, data, kind)
        assert refused.status_code == 400 and refused.json()["error"] == REFUSED, name
    too_big = upload(
        customer, conversation_id, "huge.jpg", b"\xff\xd8\xff" + b"\x00" * (FILE_MAX_BYTES + 10), "image/jpeg"
    )
    assert too_big.status_code == 400
    assert too_big.json()["error"] == "the file is too large: 1.9 MB, the limit is 2 MB"
    for n in range(FILES_PER_CONVERSATION):
        assert upload(customer, conversation_id, f"p{n}.png", photo("PNG", (40, 40)), "image/png").status_code == 201
    over = upload(customer, conversation_id, "one-more.png", photo("PNG", (40, 40)), "image/png")
    assert over.status_code == 429
    assert over.json()["error"] == f"this conversation already has {FILES_PER_CONVERSATION} files, the most it may have"
    stored = [m for m in history(customer, conversation_id)["messages"] if m.get("attachment")]
    assert len(stored) == FILES_PER_CONVERSATION  # nothing refused was stored


def test_an_agents_photo_reaches_a_customer_who_left_by_email_with_its_thumbnail(
    customer: httpx.Client, console: Callable[[str], Console], mail_desk: MailDesk, mailbox: Mailbox
) -> None:
    email = f"photo-{secrets.token_hex(3)}@customer.test"
    conversation_id = hand_off(customer)
    assert customer.post(f"/api/chat/{conversation_id}/wait/email", json={"email": email}).status_code == 201
    agent = console("mona")
    assert agent.post(f"/conversations/{conversation_id}/claim").status_code == 200
    sent = agent.http.post(
        f"/api/agent/conversations/{conversation_id}/attachments",
        content=photo("PNG", (600, 400)),
        headers={"X-CSRF-Token": agent.csrf, "X-Filename": "new-leg.png", "Content-Type": "image/png"},
    )
    assert sent.status_code == 201, sent.text
    (mail,) = mailbox.wait_for(email, where=lambda m: "replied" in str(m["Subject"]), timeout=GRACE + 30)
    attachment = sent.json()["attachment"]
    full = f"http://shop.test/api/chat/{conversation_id}/attachments/{attachment['id']}"
    assert f"📎 new-leg.png ({full})" in text_of(mail)
    assert f'<img src="{full}?thumb=1"' in html_of(mail)
    thumb = customer.get(f"/api/chat/{conversation_id}/attachments/{attachment['id']}", params={"thumb": "1"})
    assert thumb.status_code == 200 and thumb.headers["content-type"] == "image/jpeg"
