"""What a Chinese message asks to be done with goods, read from its verb (issue 18): the order-change flow was
started for statements that ask something else of the customer's goods.

Chinese says what it wants done with one verb and no question word: "订单100219的杯子我只想退两个" (return two),
"我想换一个大一号的被套" (swap for a bigger one), "订单里的candle没在包裹里" (a report: it is missing). The intent head
reads "goods of my order + a wish" as an order change for all three. The verb tells them apart:

- ``change``: the order's contents are altered before it ships: 改, 加, 删, 去掉, 撤掉, 不要了, 选错了…, or 换 for
  goods of an order named ("100170里的blanket换成grey的", "订单里的床单换成大的");
- ``return``: 退 (退货, 退掉, 退两个, 能退吗): goods sent back, the refund flow's or the returns entries' business;
- ``exchange``: 换 for goods of no order named ("被套想换个size"): goods the customer has, swapped for others;
- ``None``: no verb for doing anything with goods (a report, a question).

Texts are read as the Chinese side reads them (simplified characters, nlu_addons.onepass_nlu.understood).
"""

from __future__ import annotations

import re
from typing import Literal

Reading = Literal["change", "return", "exchange"]

RETURN = re.compile(r"退")
# altering what the order holds: edit, add, remove, drop, a mistake when ordering
CHANGE = re.compile(
    r"改|调整|加|添|补|删|减|去掉|去了|拿掉|撤|不要|不想要|少要|多要|[选下拍买点勾]错|多[买拍下勾]|少[买拍下勾]|漏"
)
SWAP = re.compile(r"换")
# the order whose goods are swapped is named: swapping goods in it is changing the order
ORDER_NAMED = re.compile(r"订单|定单|单子|单里|[这那此该][一]?单|下单|刚拍|刚买|刚下")


def reading_zh(text: str, order_number: bool = False) -> Reading | None:
    """What the (simplified) Chinese ``text`` asks to be done with goods, by its verb; see the module.
    ``order_number``: the message names an order by its number or e-mail (nlu_addons.arbiter.names_order)."""
    if RETURN.search(text):
        return "return"
    if CHANGE.search(text):
        return "change"
    if SWAP.search(text):
        return "change" if order_number or ORDER_NAMED.search(text) else "exchange"
    return None


# words that call the whole order off ("100248换了，不要了", "取消100248"): with one of them 换 may be a cancellation's
CALL_OFF = re.compile(r"取消|撤销|撤单|退|不要|不想要|算了|作废")


def swaps_without_calling_off(text: str) -> bool:
    """Whether the (simplified) Chinese ``text`` swaps goods (换) and says nothing that calls an order off: beside an
    order number ("100248换灰", swap to grey) it asks to change what the order holds, never to cancel it."""
    return bool(SWAP.search(text)) and not CALL_OFF.search(text)
