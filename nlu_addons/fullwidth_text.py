"""Letters, digits and an e-mail address typed in a Chinese keyboard's full-width mode ("订单１００２３４",
"ann.lee＠example.com", "ann.lee@example。com") read as the ASCII they stand for, before the bot reads the message
(nlu_addons/rest_channel.py, beside nlu_addons/order_number_text.py).

The walk of lane czh (2026-12-07): "订单１００２３４到哪了" was asked "what is the order number?", and
"ann.lee＠example.com" at the identity question was asked again for the e-mail address: every rule reads ASCII digits
and "@". Only the full-width digits and Latin letters, "＠", and a full stop (．/。) between the parts of an e-mail
address are folded: Chinese punctuation (，？！：) stays as written, since the NLU and the rules read it as it is.
"""

from __future__ import annotations

import re

# full-width digits, capital and small Latin letters, and the at sign: each is its ASCII character + 0xFEE0
FULLWIDTH_RE = re.compile(r"[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\uff20]")
FULLWIDTH_OFFSET = 0xFEE0
# an e-mail address with dots typed as "．" or "。" ("ann.lee@example。com", "ann．lee＠…"), once its letters are ASCII;
# it starts with a letter or digit ("好的。ann.lee@…" keeps the full stop ending the sentence before it)
EMAIL_WITH_WIDE_DOTS_RE = re.compile(
    r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9](?:[A-Za-z0-9._%+-]|[\uff0e\u3002](?=[A-Za-z0-9]))*"
    r"@[A-Za-z0-9-]+(?:[.\uff0e\u3002][A-Za-z0-9-]+)*[.\uff0e\u3002][A-Za-z]{2,}(?![A-Za-z0-9-])"
)
WIDE_DOTS_RE = re.compile("[\uff0e\u3002]")


def halfwidth_text(text: str) -> str:
    """``text`` with full-width digits, Latin letters and "＠" as ASCII, and an e-mail address's "．"/"。" as "."."""
    folded = FULLWIDTH_RE.sub(lambda m: chr(ord(m.group(0)) - FULLWIDTH_OFFSET), text)
    return EMAIL_WITH_WIDE_DOTS_RE.sub(lambda m: WIDE_DOTS_RE.sub(".", m.group(0)), folded)
