"""Chinese replies in the script the customer writes (issue 18): a customer in Taiwan or Hong Kong writes traditional
characters ("我的訂單100234什麼時候到"); the bot understands them as simplified (nlu_addons.language.simplified) and its
texts and the handbook are written in simplified characters. The bot's replies to such a customer are turned into
traditional characters (OpenCC's "s2tw", opencc-python-reimplemented, the package that reads them) before they are
stored and sent, so the customer and the agent reading the transcript see one script.

The script of a conversation is that of the customer's latest message that shows one: a message with characters only
traditional (or only simplified) script writes. A message that shows none ("好的", "ann.lee@example.com", "100234")
keeps the one before it, read from the conversation's earlier customer messages (only then, and only in a Chinese
conversation: one SELECT). When none of them shows one, the widget's page may say it (``zh-TW``, ``zh-HK``, ``zh-Hant``:
``page_traditional``); else simplified, as the bot writes.

Everything the helpdesk itself writes to such a customer goes through here too (``in_conversation_script``): the
notices when a person joins or leaves (helpdesk/conversation/notices.py), the confirmation of a message left, the
waiting choices, the e-mails (helpdesk/mail/templates.py). The chat API tells the widget the script (``script_name``:
"Hant" | "Hans"), so its own words follow (helpdesk/static/widget/widget.js, its zh-Hant table).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from helpdesk.db.models import Conversation, Message
from helpdesk.vocabulary import SENDER_CUSTOMER
from nlu_addons.language import CJK, simplified

REPLIES_CACHE = 2048  # distinct reply texts whose traditional form is remembered, per process
LOOK_BACK = 20  # earlier customer messages read for their script, latest first
Script = Literal["Hant", "Hans"]  # ISO 15924, as in the language tags zh-Hant / zh-Hans
# a page (or widget) language tag written in traditional characters: zh-Hant…, Taiwan, Hong Kong, Macao (zh-Hans-HK
# says simplified: the script subtag wins)
TRADITIONAL_TAG = re.compile(r"^zh-(?!hans\b)(?:.*-)?(?:hant|tw|hk|mo)\b")


@functools.cache
def _s2t() -> Callable[[str], str]:
    from opencc import OpenCC

    return OpenCC("s2tw").convert  # type: ignore[no-any-return]


# the measure word 只 after a number in a pack's size ("条纹玻璃杯，6 只装"): OpenCC turns "两只" into "兩隻" but keeps
# "6 只" (只 is also "only"), and a Taiwan customer read "6 只裝"; 隻 there, as they write it ("6 隻裝")
PACK_OF_RE = re.compile(r"(?<=[0-9０-９])(\s?)只(?=裝)")


@functools.lru_cache(maxsize=REPLIES_CACHE)
def traditional(text: str) -> str:
    """``text`` with its simplified characters as traditional ones (everything else as it is)."""
    return PACK_OF_RE.sub(r"\1隻", str(_s2t()(text))) if CJK.search(text) else text


def writes_traditional(text: str) -> bool | None:
    """True when ``text`` is written in traditional characters, False in simplified ones (a mixed text: the script
    more of its characters belong to), None when it shows neither (no Chinese, only characters both scripts share,
    or as many of each)."""
    if not CJK.search(text):
        return None
    only_traditional = sum(a != b for a, b in zip(text, simplified(text), strict=False))
    only_simplified = sum(a != b for a, b in zip(text, traditional(text), strict=False))
    if only_traditional == only_simplified:
        return None
    return only_traditional > only_simplified


def script_shown(texts: Iterable[str]) -> bool | None:
    """The script of the latest of the customer's messages (latest first) that shows one: True traditional, False
    simplified, None when none does."""
    return next((found for text in texts if (found := writes_traditional(text)) is not None), None)


def script_of(texts: Iterable[str]) -> bool:
    """Whether to answer in traditional characters, from the customer's messages, latest first."""
    return bool(script_shown(texts))


def page_traditional(tag: object) -> bool:
    """Whether a language tag (the widget's page's, or the widget's own: zh-TW, zh-HK, zh-Hant-TW, zh-Hant) asks for
    traditional characters."""
    return bool(TRADITIONAL_TAG.match(str(tag or "").strip().lower().replace("_", "-")))


def script_name(traditional: bool | None) -> Script | None:
    """ "Hant" / "Hans" for the chat API (None: unknown)."""
    return None if traditional is None else "Hant" if traditional else "Hans"


async def customer_script(session: AsyncSession, conversation_id: str) -> bool | None:
    """The script the conversation's customer writes (``script_shown`` over their latest LOOK_BACK messages): one
    SELECT."""
    texts = await session.scalars(
        select(Message.text)
        .where(Message.conversation_id == conversation_id, Message.sender == SENDER_CUSTOMER)
        .order_by(Message.id.desc())
        .limit(LOOK_BACK)
    )
    return script_shown(text or "" for text in texts)


async def conversation_traditional(session: AsyncSession, conversation: Conversation) -> bool:
    """Whether what the helpdesk writes in ``conversation`` goes out in traditional characters: a Chinese
    conversation whose customer writes them (an English one reads nothing)."""
    return conversation.language == "zh" and bool(await customer_script(session, conversation.id))


async def in_conversation_script(session: AsyncSession, conversation: Conversation, text: str) -> str:
    """``text`` (the helpdesk's own words to the customer) in the conversation's script."""
    if not CJK.search(text):
        return text
    return in_script(text, await conversation_traditional(session, conversation))


def in_script(text: str, traditional_script: bool) -> str:
    return traditional(text) if traditional_script else text


def buttons_in_script(buttons: list[dict[str, str]] | None, traditional_script: bool) -> list[dict[str, str]] | None:
    """The buttons' titles in the customer's script (their payloads as they are)."""
    if not buttons or not traditional_script:
        return buttons
    return [{**button, "title": traditional(str(button.get("title") or ""))} for button in buttons]


def answer_source_in_script(faq: dict[str, Any] | None, traditional_script: bool) -> dict[str, Any] | None:
    """A handbook answer's source ({"id", "title", "url", …}) with its title, the article card under the answer,
    in the customer's script (the rest as it is)."""
    if not faq or not traditional_script or not isinstance(faq.get("title"), str):
        return faq
    return {**faq, "title": traditional(faq["title"])}
