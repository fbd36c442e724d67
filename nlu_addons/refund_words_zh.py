"""Whether a Chinese message about a refund asks how it stands or asks to start one, read from the words beside 退
(issue 18): the intent head is torn between the two refund flows on "退回去的那个花瓶，钱退了没有" (0.50 / 0.48) and
"退货退款怎么申请，我的订单是100128" (0.54 / 0.40), and asked back about both.

- ``status``: the customer waits for money or a refund already under way: 进度, 到账, 退了没 (有), 好了没,
  处理得怎么样 / 处理了没, 到哪 (一步), 状态, 钱 / 款 (怎么) 还没;
- ``start``: the customer asks for one to be started: 申请, 办理, 我要退, 我想退, 给我退, 帮我退, 退给我.

A status word wins over a start word ("我申请的退款到账了没" asks how the refund it started stands). Texts are read
as the Chinese side reads them (simplified characters, nlu_addons.onepass_nlu.understood).
"""

from __future__ import annotations

import re
from typing import Literal

RefundReading = Literal["status", "start"]

STATUS = re.compile(
    r"进度|到账|到帐|[退好]了?没|处理(?:得|到|的)?(?:怎么样|咋样|如何|哪)|处理了?没|到哪|哪一步|状态|[钱款](?:怎么|咋)?还没"
)
START = re.compile(r"申请|办理|[我要想](?:要|想)?退|[给帮]我退|退给我")


def refund_reading_zh(text: str) -> RefundReading | None:
    """How the (simplified) Chinese ``text`` speaks of a refund: its standing, or starting one (see the module);
    None when it says neither."""
    if STATUS.search(text):
        return "status"
    if START.search(text):
        return "start"
    return None
