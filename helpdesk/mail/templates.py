"""The e-mails customers get, in text and HTML, in the conversation's language (en, zh): one template per kind.
A Chinese customer who writes traditional characters gets the Chinese one in them (``traditional``: the templates'
and the helpdesk's own words through helpdesk/conversation/script.py; what the customer and the agents wrote is
left as they wrote it).

Customer and agent text is untrusted wherever shown: the HTML templates escape everything they are given
(Jinja2 autoescape); the text templates are plain text. `render` returns the subject and both bodies."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from jinja2 import DictLoader, Environment, StrictUndefined, select_autoescape

from helpdesk.conversation.script import traditional as in_traditional

LEFT_MESSAGE = "left_message"  # the confirmation of a message left for the team
AGENT_REPLY = "agent_reply"  # an agent's reply the customer did not see on the page
RATING_REQUEST = "rating_request"  # the rating link of a chat that ended with the customer gone
FOLLOW_UP = "follow_up"  # a follow-up (回访) written from a follow-up task
ORDER_LIST = "order_list"  # the list of a customer's orders, asked for in the chat without an order number
KINDS = (LEFT_MESSAGE, AGENT_REPLY, RATING_REQUEST, FOLLOW_UP, ORDER_LIST)
LANGUAGES = ("en", "zh")

SUBJECTS: dict[str, dict[str, str]] = {
    LEFT_MESSAGE: {"en": "We've got your message", "zh": "我们已收到您的留言"},
    AGENT_REPLY: {"en": "{{ agent }} replied to your question", "zh": "{{ agent }} 回复了您的问题"},
    RATING_REQUEST: {"en": "How did we do?", "zh": "请为我们这次的服务评分"},
    FOLLOW_UP: {"en": "Following up on your conversation with us", "zh": "关于您此前咨询的回访"},
    ORDER_LIST: {"en": "Your orders at Larkspur Home", "zh": "您在 Larkspur Home 的订单"},
}

_TEXT: dict[str, dict[str, str]] = {
    LEFT_MESSAGE: {
        "en": """Hello{% if name %} {{ name }}{% endif %},

thanks for your message. It waits in our team's queue and we'll answer {{ when }}.

Your message:
> {{ text | replace("\\n", "\\n> ") }}

{% if reply_by_mail %}Reply to this e-mail to add anything; it goes into the same conversation.
{% endif %}Your conversation: {{ link }}
""",
        "zh": """{% if name %}{{ name }}，{% endif %}您好：

感谢您的留言。留言已进入客服团队的队列，我们会{{ when }}回复您。

您的留言：
> {{ text | replace("\\n", "\\n> ") }}

{% if reply_by_mail %}如需补充，直接回复本邮件即可，内容会加入同一会话。
{% endif %}查看会话：{{ link }}
""",
    },
    AGENT_REPLY: {
        "en": """Hello,

you asked us a question in the chat on our website. While you were away, we replied:
{% for m in messages %}
{{ m.author }}:
{{ m.text }}{% if m.file_url %} ({{ m.file_url }}){% endif %}
{% endfor %}
{% if reply_by_mail %}Reply to this e-mail to answer; your reply goes into the same conversation.
{% endif %}Continue the conversation: {{ link }}
""",
        "zh": """您好：

您在我们网站的在线客服中提出了问题。您离开后，我们回复如下：
{% for m in messages %}
{{ m.author }}：
{{ m.text }}{% if m.file_url %}（{{ m.file_url }}）{% endif %}
{% endfor %}
{% if reply_by_mail %}直接回复本邮件即可继续，您的回复会加入同一会话。
{% endif %}继续会话：{{ link }}
""",
    },
    RATING_REQUEST: {
        "en": """Hello,

{{ agent }} closed your chat with us. How did we do? It takes a click:

{{ link }}

Thank you for helping us get better.
""",
        "zh": """您好：

{{ agent }} 已结束与您的会话。请花几秒钟为我们这次的服务评分：

{{ link }}

感谢您帮助我们改进服务。
""",
    },
    FOLLOW_UP: {
        "en": """Hello,

{{ agent }} from our support team is following up on your recent conversation with us:

{{ text }}

{% if reply_by_mail %}Reply to this e-mail to answer; your reply reaches {{ agent }} in the same conversation.
{% endif %}Your conversation: {{ link }}
""",
        "zh": """您好：

我们的客服 {{ agent }} 就您最近的咨询进行回访：

{{ text }}

{% if reply_by_mail %}直接回复本邮件即可，您的回复会在同一会话中送达 {{ agent }}。
{% endif %}查看会话：{{ link }}
""",
    },
    ORDER_LIST: {
        "en": """Hello{% if name %} {{ name }}{% endif %},

you asked in the chat on our website for the orders placed with this e-mail address. Your most recent ones:
{% for o in orders %}
Order {{ o.number }}, placed {{ o.placed }}: {{ o.status }}
  {{ o.items }}
{% endfor %}
Send the order number in the chat and we'll carry on from there. If you didn't ask for this, you can ignore this
e-mail: nothing was changed.

Your conversation: {{ link }}
""",
        "zh": """{% if name %}{{ name }}，{% endif %}您好：

您在我们网站的在线客服中查询了用这个邮箱下的订单。您最近的订单如下：
{% for o in orders %}
订单 {{ o.number }}，下单日期 {{ o.placed }}：{{ o.status }}
  {{ o.items }}
{% endfor %}
在对话中发送订单号，我们就可以接着为您处理。如果这不是您本人的查询，请忽略本邮件：订单没有任何改动。

查看会话：{{ link }}
""",
    },
}

_FOOTER = {"en": "Larkspur Home customer support", "zh": "Larkspur Home 客户服务"}
_BUTTON = {
    LEFT_MESSAGE: {"en": "Open your conversation", "zh": "查看会话"},
    AGENT_REPLY: {"en": "Continue the conversation", "zh": "继续会话"},
    RATING_REQUEST: {"en": "Rate our help", "zh": "评价服务"},
    FOLLOW_UP: {"en": "Open your conversation", "zh": "查看会话"},
    ORDER_LIST: {"en": "Continue the conversation", "zh": "继续会话"},
}

_HTML = """<!doctype html>
<html lang="{{ lang }}"><head><meta charset="utf-8"><title>{{ subject }}</title></head>
<body style="margin:0;padding:24px;background:#f5f5f8;font:15px/1.5 -apple-system,'Segoe UI',Roboto,'PingFang SC',\
'Microsoft YaHei',sans-serif;color:#1f2030">
<div style="max-width:560px;margin:0 auto;background:#fff;border-radius:10px;padding:24px">
{% for para in paragraphs %}<p style="margin:0 0 14px;white-space:pre-wrap">{{ para }}</p>
{% endfor %}{% for m in messages %}<div style="margin:0 0 12px;padding:10px 14px;background:#f0eefc;\
border-radius:10px"><div style="font-size:13px;color:#5a5c70;margin-bottom:4px">{{ m.author }}</div>\
<div style="white-space:pre-wrap">{{ m.text }}</div>{% if m.image_url %}<a href="{{ m.file_url }}">\
<img src="{{ m.image_url }}" alt="{{ m.text }}" style="display:block;margin-top:6px;max-width:240px;\
border-radius:8px"></a>{% elif m.file_url %}<a href="{{ m.file_url }}">{{ m.file_url }}</a>{% endif %}</div>
{% endfor %}<p style="margin:20px 0"><a href="{{ link }}" style="background:#5b3fd6;color:#fff;\
text-decoration:none;padding:10px 18px;border-radius:8px;display:inline-block">{{ button }}</a></p>
<p style="margin:0;color:#6b6d80;font-size:13px">{{ footer }}</p>
</div></body></html>
"""

_text_env = Environment(
    loader=DictLoader({f"{k}.{lang}": body for k, by_lang in _TEXT.items() for lang, body in by_lang.items()}),
    autoescape=False,  # plain text: nothing is interpreted
    undefined=StrictUndefined,
    keep_trailing_newline=True,
)
_html_env = Environment(
    loader=DictLoader({"mail.html": _HTML}), autoescape=select_autoescape(default=True), undefined=StrictUndefined
)
_LINK = "\x00link\x00"  # marks the link's line in the text, which the HTML shows as a button instead
_subject_env = Environment(autoescape=False, undefined=StrictUndefined)


@dataclass(frozen=True)
class RenderedMail:
    subject: str
    text: str
    html: str


def language_of(value: str | None) -> str:
    return value if value in LANGUAGES else "en"


@functools.cache
def _traditional_text_env() -> Environment:
    """The Chinese text templates in traditional characters (converted once, on first use: the placeholders are
    Latin and stay as they are)."""
    return Environment(
        loader=DictLoader({f"{k}.zh": in_traditional(by_lang["zh"]) for k, by_lang in _TEXT.items()}),
        autoescape=False,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )


def render(kind: str, language: str | None, context: dict[str, Any], traditional: bool = False) -> RenderedMail:
    """The mail of `kind` in `language` (en when unknown); a Chinese one in traditional characters when
    `traditional` (its words and `when`, not the customer's or agents' texts). `context`: link, reply_by_mail, and
    per kind: name, text, when (left_message); messages [{author, text}] and agent (agent_reply); agent
    (rating_request); agent and text (follow_up); name and orders [{number, placed, status, items}] (order_list)."""
    if kind not in KINDS:
        raise ValueError(f"no e-mail template for {kind!r}")
    lang = language_of(language)
    hant = traditional and lang == "zh"
    own = in_traditional if hant else str  # the helpdesk's own words, in the customer's script
    values = {
        "name": None,
        "text": "",
        "when": "",
        "messages": [],
        "agent": "",
        "reply_by_mail": False,
        "orders": [],
        **context,
    }
    values["when"] = own(str(values["when"]))
    values["messages"] = [{"file_url": None, "image_url": None, **m} for m in values["messages"]]
    texts = _traditional_text_env() if hant else _text_env
    subject = " ".join(_subject_env.from_string(own(SUBJECTS[kind][lang])).render(values).split())
    text = texts.get_template(f"{kind}.{lang}").render(values)
    # the HTML body: the text's paragraphs (without the agent messages, shown as bubbles) and the link as a button
    plain = texts.get_template(f"{kind}.{lang}").render({**values, "messages": [], "link": _LINK})
    plain = "\n".join(line for line in plain.splitlines() if _LINK not in line)
    paragraphs = [p.strip() for p in plain.split("\n\n") if p.strip()]
    html = _html_env.get_template("mail.html").render(
        lang="zh-Hant" if hant else lang,
        subject=subject,
        paragraphs=paragraphs,
        messages=values["messages"],
        link=values["link"],
        button=own(_BUTTON[kind][lang]),
        footer=own(_FOOTER[lang]),
    )
    return RenderedMail(subject, text, html)
