"""The language of a message, by script: one home for the rule (the NLU component and the helpdesk use it).

Any CJK ideograph makes a message Chinese, so a mixed "订单100234" or "where is my 订单" is Chinese; everything
else is English. Measured on public test sets (../shared/zh-encoders.md): 10,412 of 10,414 Chinese texts and
0 of 11,139 English texts go to the Chinese side.
"""

from __future__ import annotations

import re
from typing import Literal

Language = Literal["en", "zh"]
LANGUAGES: tuple[Language, ...] = ("en", "zh")
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def language_of(text: str) -> Language:
    """ "zh" when ``text`` has any CJK ideograph, else "en"."""
    return "zh" if CJK.search(text) else "en"
