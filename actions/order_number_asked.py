"""A handbook answer given when the customer's message already named the order ("i got the wrong color cushion in
order 100212", "my vase arrived broken!! order 100184"): its sentences asking for the order number ("Please tell me
your order number and send a photo …", "告诉我订单号，我会帮您转交…") are left out, so the customer is not asked
for what they just gave; the rest of the answer (what the shop does) is kept as its editors wrote it."""

from __future__ import annotations

import re

# one sentence with the spaces after it: up to a full stop, "!" or "?" before a space or the end (not the dot of
# "6.95"), or a Chinese one (。！？), or the end of the line
SENTENCE_RE = re.compile(r".+?(?:[.!?]+(?=\s|$)|[。！？]+|$)\s*")
# a sentence asking to be told the order number ("Please tell me your order number and …", "请告诉我您的订单号…");
# one that only mentions it ("contact us … with your order number and a few photos") stays, its photos with it
ASKS_ORDER_NUMBER_RE = re.compile(
    r"\b(?:tell|give|send)\s+(?:me|us)\s+(?:your|the)\s+order\s+number|告诉我(?:您的)?订单号|告訴我(?:您的)?訂單號",
    re.IGNORECASE,
)


# a question just before the request, leading to it ("Ordered as a guest?", "以游客身份下的单？"): it goes with it
LEAD_IN_RE = re.compile(r"[?？]\s*$")


def without_order_number_asked(markdown: str) -> str:
    """``markdown`` without its sentences that ask to be told the order number (and the question leading to one); a line
    left empty by that is dropped, the blank lines between paragraphs are kept (a paragraph left empty is dropped with
    its blank line)."""
    lines: list[str] = []
    for line in markdown.split("\n"):
        if not line.strip():
            if lines and lines[-1].strip():
                lines.append(line)
            continue
        sentences: list[str] = []
        for sentence in SENTENCE_RE.findall(line):
            if ASKS_ORDER_NUMBER_RE.search(sentence):
                if sentences and LEAD_IN_RE.search(sentences[-1]):
                    sentences.pop()  # "Ordered as a guest? Tell me your order number …": the question leading to it
                continue
            sentences.append(sentence)
        kept = "".join(sentences).rstrip()
        if kept.strip():
            lines.append(kept)
    while lines and not lines[-1].strip():
        lines.pop()
    return "\n".join(lines)
