"""What the customer wrote in an e-mail reply, without what they quoted and without their signature.

Mail programs put the quoted history under a line such as "On Tue, 2 Dec 2026 at 10:00, Support <…> wrote:",
"-----Original Message-----", an Outlook "From: … / Sent: …" block, Chinese clients' "在 2026年12月2日 … 写道：" or
"发件人：", or as "> " lines; signatures start with the "-- " delimiter or a phone's "Sent from my iPhone" /
"发自我的iPhone". Everything from the first such line on is cut; what is left is trimmed."""

from __future__ import annotations

import html
import re

QUOTE_HEADERS = [
    re.compile(r"^\s*On\b.{0,300}\bwrote:\s*$", re.IGNORECASE),
    re.compile(r"^\s*-{2,}\s*(Original Message|Forwarded message|Reply above this line)\s*-{2,}", re.IGNORECASE),
    re.compile(r"^\s*_{10,}\s*$"),  # Outlook's rule above its header block
    re.compile(r"^\s*(From|De|Von|发件人|寄件者)\s*[:：].+$", re.IGNORECASE),
    re.compile(r"^\s*在.{0,200}写道\s*[:：]?\s*$"),
    re.compile(r"^\s*-+\s*(原始邮件|原始郵件)\s*-+"),
    re.compile(r"^\s*>"),
]
SIGNATURES = [
    re.compile(r"^-- ?$"),
    re.compile(r"^\s*(Sent from my|Get Outlook for)\b", re.IGNORECASE),
    re.compile(r"^\s*发自我的"),
]
# "On …" headers that mail programs wrap onto two lines
WRAPPED_ON = re.compile(r"^\s*On\b.{0,300}$", re.IGNORECASE)


def html_to_text(markup: str) -> str:
    """A rough text of an HTML-only mail: line breaks kept, tags dropped, entities decoded."""
    markup = re.sub(r"(?is)<(script|style|head)\b.*?</\1>", "", markup)
    markup = re.sub(r"(?i)<blockquote\b", "\n> <blockquote", markup)
    markup = re.sub(r"(?i)<br\s*/?>|</p>|</div>|</li>|</tr>", "\n", markup)
    return html.unescape(re.sub(r"<[^>]+>", "", markup))


def strip_reply(text: str) -> str:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    kept: list[str] = []
    for index, line in enumerate(lines):
        if any(p.search(line) for p in QUOTE_HEADERS + SIGNATURES):
            break
        following = lines[index + 1] if index + 1 < len(lines) else ""
        if WRAPPED_ON.match(line) and following.strip().endswith("wrote:"):
            break
        kept.append(line)
    return "\n".join(kept).strip()
