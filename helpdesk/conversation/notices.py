"""What the helpdesk itself tells a customer (not the bot): handoff limits, out of hours, the wait, a message
left for the team. One home for these sentences, in English and Chinese; the conversation's language picks."""

from __future__ import annotations

import math

from helpdesk.conversation.business_hours import OpeningStatus
from helpdesk.i18n import normalize

TOO_MANY_HANDOFFS = {
    "en": (
        "Our team already has several requests for a person from your connection. Please tell me here what you need "
        "and I'll do my best, or ask for a person again a little later."
    ),
    "zh": (
        "我们的团队已经收到来自您网络的多个转人工请求。请先在这里告诉我您需要什么，我会尽力帮忙，或者稍后再申请转人工。"
    ),
}


def too_many_handoffs(language: object) -> str:
    return TOO_MANY_HANDOFFS[normalize(language)]


def back_zh(hours: OpeningStatus) -> str | None:
    """When the team is back, in Chinese (BusinessHours.back_text_zh)."""
    return hours.back_zh


def away_text(hours: OpeningStatus, language: object = "en") -> str:
    """What the customer is told when a person is asked for out of business hours."""
    if normalize(language) == "zh":
        back = back_zh(hours)
        when = f"我们将于{back}回来。" if back else ""
        return (
            f"我们的客服团队现在不在线。{when}您可以在下方给我们留言（如希望通过邮件回复，请留下邮箱），"
            "留言会在队列中等待客服处理。"
        )
    back_en = f" We're back {hours.back}." if hours.back else ""
    return (
        f"Our support team is away right now.{back_en} You can leave us a message below (with your e-mail address "
        "if you'd like the answer by e-mail); it waits in our queue for the team."
    )


def left_text(hours: OpeningStatus, contact: dict[str, str], language: object = "en") -> str:
    """The confirmation once a message is left."""
    email = contact.get("email")
    if normalize(language) == "zh":
        back = back_zh(hours)
        how = f"通过邮件（{email}）或在这个对话里" if email else "在这个对话里"
        when = f"在{back}我们回来后" if not hours.open and back else "尽快"
        greeting = f"谢谢，{contact['name']}！" if contact.get("name") else "谢谢！"
        return f"{greeting}我们已收到您的留言，会{when}{how}回复您。"
    how_en = f"by e-mail at {email}, or here in this chat," if email else "here in this chat"
    when_en = f"when we're back {hours.back}" if not hours.open and hours.back else "as soon as we can"
    greeting_en = f"Thanks, {contact['name']}!" if contact.get("name") else "Thanks!"
    return f"{greeting_en} We've got your message and will answer {how_en} {when_en}."


def offer_wait_text(
    hours: OpeningStatus, wait_seconds: int | None, language: object = "en", email_known: bool = False
) -> str:
    """Added to the bot's "Shall I get a person?": what the customer would wait, or that the team is away; either way
    an e-mail address will do too, unless ``email_known`` (the customer has just given theirs: not asked again)."""
    zh = normalize(language) == "zh"
    if not hours.open:
        if zh:
            back = back_zh(hours)
            when = f"我们将于{back}回来。" if back else ""
            if email_known:
                return f"我们的团队现在不在线。{when}您的请求会在队列里等他们回来处理。"
            return f"我们的团队现在不在线。{when}您可以在这里留下邮箱，我们会给您回信。"
        back_en = f" We're back {hours.back}." if hours.back else ""
        if email_known:
            return f"Our team is away right now.{back_en} Your request waits in our queue until they're back."
        return f"Our team is away right now.{back_en} You can leave your e-mail address here and we'll write back."
    minutes = max(1, math.ceil((wait_seconds or 0) / 60))
    if zh:
        if email_known:
            return f"大约需要等待 {minutes} 分钟。"
        return f"大约需要等待 {minutes} 分钟，您也可以在这里留下邮箱，我们会给您回信。"
    wait = "about a minute" if minutes == 1 else f"about {minutes} minutes"
    if email_known:
        return f"The wait is {wait}."
    return f"The wait is {wait}, or leave your e-mail address here and we'll write back."


# ---- what the customer reads in the chat when people act on it (system messages) -----------------------------
SYSTEM_NOTICES = {
    "joined": {"en": "{name} has joined the chat.", "zh": "客服 {name} 已加入对话。"},
    "closed": {"en": "{name} closed the chat.", "zh": "客服 {name} 已结束对话。"},
    "handed_back": {
        "en": "You're back with our virtual assistant. Ask for a person any time.",
        "zh": "您已回到智能助手。需要人工客服时随时告诉我。",
    },
    "to_colleague": {
        "en": "We're passing you to a colleague; please hold on.",
        "zh": "正在为您转接另一位同事，请稍候。",
    },
}


def system_notice(kind: str, language: object, **values: str) -> str:
    """The system message ``kind`` (SYSTEM_NOTICES) in the conversation's language."""
    return SYSTEM_NOTICES[kind][normalize(language)].format(**values)
