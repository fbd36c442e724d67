"""The parts of e-mail that need no server: templates (text + HTML, en + zh, customer text escaped), signed reply
addresses (a forged or altered one is refused) and the cutting of quoted history and signatures."""

from __future__ import annotations

import pytest

from helpdesk.mail.inbound import parse_fields, parse_raw
from helpdesk.mail.reply_address import ForgedReplyAddress, reply_address, verify
from helpdesk.mail.reply_text import strip_reply
from helpdesk.mail.templates import AGENT_REPLY, FOLLOW_UP, KINDS, LEFT_MESSAGE, RATING_REQUEST, render

MAILBOX = "reply@support.shop.test"
SECRET = "a-secret-for-the-tests-only"


def context(kind: str) -> dict[str, object]:
    return {
        "link": "http://shop.test/#lk-chat=abc",
        "reply_by_mail": True,
        "name": "Mia <b>",
        "text": "Where is my <script>alert(1)</script> order?",
        "when": "as soon as we can",
        "messages": [{"author": "Ava", "text": "It ships <b>today</b> & arrives Friday."}],
        "agent": "Ava",
    }


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("language", ["en", "zh"])
def test_every_template_renders_text_and_escaped_html_with_the_link(kind: str, language: str) -> None:
    mail = render(kind, language, context(kind))
    assert mail.subject and "\n" not in mail.subject
    assert "http://shop.test/#lk-chat=abc" in mail.text and 'href="http://shop.test/#lk-chat=abc"' in mail.html
    assert "<script>" not in mail.html and "<b>" not in mail.html  # customer and agent text is escaped
    if kind in (LEFT_MESSAGE, FOLLOW_UP):
        assert "<script>alert(1)</script>" in mail.text  # plain text shows it as written
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in mail.html
    if kind == AGENT_REPLY:
        assert "It ships <b>today</b> & arrives Friday." in mail.text
        assert "It ships &lt;b&gt;today&lt;/b&gt; &amp; arrives Friday." in mail.html


def test_templates_speak_the_conversations_language() -> None:
    assert render(AGENT_REPLY, "zh", context(AGENT_REPLY)).subject == "Ava 回复了您的问题"
    assert "您离开后，我们回复如下" in render(AGENT_REPLY, "zh", context(AGENT_REPLY)).text
    assert render(AGENT_REPLY, "en", context(AGENT_REPLY)).subject == "Ava replied to your question"
    assert render(RATING_REQUEST, None, context(RATING_REQUEST)).subject == "How did we do?"  # unknown: English
    assert render(LEFT_MESSAGE, "zh", context(LEFT_MESSAGE)).subject == "我们已收到您的留言"


def test_a_customer_writing_traditional_characters_gets_the_chinese_mail_in_them() -> None:
    # issue 18: the template's and the helpdesk's own words in traditional characters; the agent's text as written
    values = {**context(LEFT_MESSAGE), "name": "美玲", "text": "我的订单呢", "when": "尽快"}
    mail = render(LEFT_MESSAGE, "zh", values, traditional=True)
    assert mail.subject == "我們已收到您的留言"
    assert "感謝您的留言。留言已進入客服團隊的隊列，我們會儘快回覆您。" in mail.text, mail.text
    assert "> 我的订单呢" in mail.text  # what the customer wrote, as written
    assert '<html lang="zh-Hant">' in mail.html and "查看會話" in mail.html and "Larkspur Home 客戶服務" in mail.html
    follow_up = render(FOLLOW_UP, "zh", {**context(FOLLOW_UP), "text": "问题解决了吗？"}, traditional=True)
    assert "我們的客服 Ava 就您最近的諮詢進行回訪" in follow_up.text and "问题解决了吗？" in follow_up.text
    assert render(LEFT_MESSAGE, "zh", values).subject == "我们已收到您的留言"  # simplified unless asked
    assert render(LEFT_MESSAGE, "en", context(LEFT_MESSAGE), traditional=True).subject == "We've got your message"


def test_a_signed_reply_address_is_taken_and_a_forged_one_refused() -> None:
    address = reply_address(MAILBOX, SECRET, 42)
    local, domain = address.split("@")
    assert domain == "support.shop.test" and local.startswith("reply+42.")
    assert verify(MAILBOX, SECRET, ["someone@else.test", f"Shop <{address}>"]) == 42
    assert verify(MAILBOX, SECRET, [address.upper()]) == 42  # mail systems may change the case
    forged = [
        address.replace("reply+42.", "reply+43."),  # another conversation's mail, same signature
        reply_address(MAILBOX, "another-secret", 42),  # signed with a guessed secret
        "reply+42.aaaaaaaaaaaaaaaa@support.shop.test",
        "reply@support.shop.test",
        address.replace("support.shop.test", "evil.test"),
    ]
    for recipient in forged:
        with pytest.raises(ForgedReplyAddress):
            verify(MAILBOX, SECRET, [recipient])
    with pytest.raises(ForgedReplyAddress):
        verify(MAILBOX, "", [address])  # no secret set: nothing is taken


@pytest.mark.parametrize(
    ("body", "reply"),
    [
        (
            "Thanks, Friday works.\n\nOn Tue, 2 Dec 2026 at 10:00, Larkspur Home Support <support@shop.test> wrote:\n"
            "> It ships today.\n",
            "Thanks, Friday works.",
        ),
        (
            "Yes please.\n\nOn Tue, 2 Dec 2026 at 10:00, Larkspur\nHome Support <s@shop.test> wrote:\n> hi",
            "Yes please.",
        ),
        ("Great\n-- \nMia Chen\nPhone 555-0100\n", "Great"),
        ("Ok!\n\nSent from my iPhone\n\n> quoted", "Ok!"),
        ("好的，谢谢！\n\n在 2026年12月2日 10:00，Larkspur Home <s@shop.test> 写道：\n> 今天发货。", "好的，谢谢！"),
        ("收到\n\n发自我的iPhone", "收到"),
        ("Fine.\n\n-----Original Message-----\nFrom: Support\nSent: Tuesday", "Fine."),
        ("Fine too.\n\nFrom: Larkspur Home Support <s@shop.test>\nSent: Tuesday\nTo: me", "Fine too."),
        ("Line one\nline two > not a quote", "Line one\nline two > not a quote"),
    ],
)
def test_quoted_history_and_signatures_are_cut(body: str, reply: str) -> None:
    assert strip_reply(body) == reply


def test_a_raw_reply_and_provider_fields_parse_alike() -> None:
    address = reply_address(MAILBOX, SECRET, 7)
    raw = (
        "From: Mia Chen <mia@customer.test>\r\n"
        f"To: Larkspur Home Support <{address}>\r\n"
        "Subject: Re: Ava replied to your question\r\n"
        "Message-ID: <abc123@customer.test>\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\n"
        "Friday is fine.\r\n\r\nOn Tue, Ava wrote:\r\n> It ships today.\r\n"
    ).encode()
    from_raw = parse_raw(raw)
    assert from_raw.sender == "mia@customer.test" and address in from_raw.recipients
    assert from_raw.reply == "Friday is fine." and from_raw.key == "mid:<abc123@customer.test>"
    mailgun = parse_fields(
        {
            "recipient": address,
            "sender": "mia@customer.test",
            "body-plain": "Friday is fine.\n> old",
            "Message-Id": "<abc123@customer.test>",
        }
    )
    postmark = parse_fields(
        {"To": f"Shop <{address}>", "From": "mia@customer.test", "TextBody": "Friday is fine.", "MessageID": "x1"}
    )
    html_only = parse_fields({"to": address, "from": "mia@customer.test", "html": "<p>Friday &amp; Monday</p>"})
    assert mailgun.reply == postmark.reply == "Friday is fine." and mailgun.key == from_raw.key
    assert html_only.reply == "Friday & Monday"
    assert parse_fields({"email": raw.decode()}).reply == "Friday is fine."
