"""Chinese for actions/texts/cancel.py (same names and placeholders)."""

from __future__ import annotations

ITEM_LINE = "- {quantity} × {name}（{amount}）"
CONFIRM_WITH_REFUND = (
    "取消订单 {order_id} 会取消整个订单：\n{items}\n合计：{total}。{refund} 将最晚于 {refund_by}退回您的原支付方式。\n"
    "确定要取消订单 {order_id} 吗？（是/否）"
)
CONFIRM_WITH_REFUND_UNDATED = (
    "取消订单 {order_id} 会取消整个订单：\n{items}\n合计：{total}。{refund} 将退回您的原支付方式。\n"
    "确定要取消订单 {order_id} 吗？（是/否）"
)
CONFIRM_NOTHING_CHARGED = (
    "取消订单 {order_id} 会取消整个订单：\n{items}\n合计：{total}。您还没有付款，所以无需退款。\n"
    "确定要取消订单 {order_id} 吗？（是/否）"
)
YES_BUTTON = "是的，取消订单"
NO_BUTTON = "不，保留订单"
DONE_WITH_REFUND = "已完成：订单 {order_id} 已取消。{refund}"
DONE_NOTHING_CHARGED = "已完成：订单 {order_id} 已取消。您还没有付款，所以无需退款。"
DECLINED = "好的，我没有取消任何东西：订单 {order_id} 会照常处理。"
