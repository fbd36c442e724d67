"""Chinese for actions/texts/address.py (same names and placeholders)."""

from __future__ import annotations

ASK_NEW_ADDRESS = (
    "订单 {order_id} 的新收货地址是什么？请在一条消息里发送街道和门牌号、邮编、城市和国家，例如：{example}。"
)
ASK_NEW_ADDRESS_AGAIN = "请在一条消息里发送完整的新地址，例如：{example}。"
POSTCODE_NOT_IN_COUNTRY = "{postcode} 不是{country}的邮编。如果新地址在其他国家，请在地址末尾加上国家名称。"
PARTS_MISSING = "这个地址里缺少{missing}。"
IN_LATIN_LETTERS = "{country}的快递员需要按当地写法、用拉丁字母书写的地址。"
MISSING_PARTS = {"postcode": "邮编", "street": "街道和门牌号", "town": "城市"}
# how the missing parts are listed: the postcode, the street … and the town
MISSING_JOINERS = {"between": "、", "last": "和"}
CONFIRM = "要把订单 {order_id} 的收货地址改为 {address} 吗？（是/否）"
YES_BUTTON = "是的，修改"
NO_BUTTON = "不用了"
DONE = "已完成：订单 {order_id} 将配送至 {address}。"
DECLINED = "好的，订单 {order_id} 的收货地址保持不变。如需改成其他地址，直接说“修改收货地址”即可。"
REFUSED_AGAIN = "抱歉，订单 {order_id} 已经不能改寄到这个地址了，我这边无法再修改它的收货地址。"
SHIPPED_STILL_POSSIBLE = (
    "您仍然可以：用发货邮件里的物流链接请 {carrier} 改派包裹，或者在送达时拒收，包裹退回后我们会给您退款。"
)
THE_CARRIER = "快递公司"
