"""Chinese for actions/texts/routing.py (same names)."""

from __future__ import annotations

INTENT_CHOICES = {
    "order_status": "查询订单进度",
    "cancel_order": "取消订单",
    "change_order": "修改订单里的商品",
    "change_shipping_address": "修改订单的收货地址",
    "request_refund": "退货退款",
    "refund_status": "查询退款进度",
    "payment_issue": "付款遇到问题",
}

SUGGEST = "我不太确定您的意思。您是想问下面这些吗？"
NONE_OF_THESE_BUTTON = "都不是：转人工客服"
FAILED_TURNS = "抱歉，我还是没能帮上忙。我已把对话转给人工客服，他们能看到我们的对话。"
ENTRY_GONE = "抱歉，这篇帮助文章已经不存在了。能再问一次您的问题吗？"
