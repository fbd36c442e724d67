"""What an agent can say the right reading of a customer turn was: an intent of domain.yml (in words, English and
Chinese), a handbook entry (its id and title in both languages), or "new question" (nothing the bot has covers it).

``faq`` is not offered as an intent: a handbook answer is chosen by its entry."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from helpdesk.knowledge.handbook import load_handbook
from helpdesk.knowledge.runtime import handbook_dir

# every intent of domain.yml but faq, as agents read them: (English, Chinese)
INTENT_WORDS: dict[str, tuple[str, str]] = {
    "order_status": ("Where is my order (status, tracking)", "查询订单状态、物流"),
    "cancel_order": ("Cancel an order", "取消订单"),
    "change_order": ("Change the items of an order", "修改订单商品"),
    "change_shipping_address": ("Change an order's delivery address", "修改订单收货地址"),
    "request_refund": ("Return an item / get money back", "退货、申请退款"),
    "refund_status": ("Where is my refund", "查询退款进度"),
    "payment_issue": ("A payment problem (failed, charged twice)", "付款问题（失败、重复扣款）"),
    "complaint": ("A complaint", "投诉"),
    "request_human": ("Wants to talk to a person", "要求人工客服"),
    "inform": ("Gives details (order number, e-mail …)", "提供信息（订单号、邮箱等）"),
    "greet": ("Greeting", "问候"),
    "goodbye": ("Saying goodbye", "告别"),
    "thank": ("Saying thanks", "致谢"),
    "affirm": ("Yes / agrees", "肯定、同意"),
    "deny": ("No / declines", "否定、拒绝"),
    "bot_challenge": ("Asks whether this is a bot", "问是不是机器人"),
    "chitchat": ("Small talk", "闲聊"),
    "vague_opener": ("Has a question, has not said what yet", "有问题，但还没说是什么"),
    "out_of_scope": ("Not about the shop", "与本店无关"),
}
HANDBOOK_TTL = 30.0  # seconds: the handbook's titles are read again after this (editors change them)


@dataclass(frozen=True)
class HandbookChoice:
    id: str
    title: str
    title_zh: str | None

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "title_zh": self.title_zh}


class Labels:
    """The intents in words and the handbook's entries (read from the handbook folder, cached briefly)."""

    def __init__(self, root: Path | None = None) -> None:
        self._root = root
        self._lock = threading.Lock()
        self._entries: dict[str, HandbookChoice] = {}
        self._read_at = -HANDBOOK_TTL

    def entries(self) -> dict[str, HandbookChoice]:
        with self._lock:
            if time.monotonic() - self._read_at >= HANDBOOK_TTL:
                handbook = load_handbook(self._root or handbook_dir())
                self._entries = {
                    entry.id: HandbookChoice(entry.id, entry.title, entry.zh.title if entry.zh else None)
                    for entry in sorted(handbook.entries.values(), key=lambda e: e.title.lower())
                }
                self._read_at = time.monotonic()
            return self._entries

    def is_intent(self, name: str) -> bool:
        return name in INTENT_WORDS

    def is_entry(self, entry_id: str) -> bool:
        return entry_id in self.entries()

    def to_json(self) -> dict[str, Any]:
        return {
            "intents": [{"name": name, "en": en, "zh": zh} for name, (en, zh) in INTENT_WORDS.items()],
            "handbook": [choice.to_json() for choice in self.entries().values()],
        }
