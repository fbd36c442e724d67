"""Chinese for helpdesk/orders/messages.py: the same names and placeholders ({date} and friends as
``helpdesk.i18n.long_date`` writes them in Chinese: 2026年12月2日（星期三）; no space after one: it ends with a
full-width bracket)."""

from __future__ import annotations

PLACED = "订单 {order_id} 于 {date}下单，正在等待您付款；收到付款后我们会马上打包。"
PAID = "订单 {order_id}（{date}下单）已付款，正在等待打包；通常在 {dispatch_days} 个工作日内发货。"
PAID_EXPECTED = "订单 {order_id}（{date}下单）已付款，正在等待打包；预计 {expected}前送达。"
PACKED = "订单 {order_id} 已打包，即将交给快递公司；物流跟踪链接会通过邮件发给您。"
PACKED_EXPECTED = "订单 {order_id} 已打包，即将交给快递公司，预计 {expected}前送达。物流跟踪链接会通过邮件发给您。"
SHIPPED_ON_WITH = "订单 {order_id} 已于 {date}由 {carrier} 发出。"
SHIPPED_ON = "订单 {order_id} 已于 {date}发出。"
SHIPPED_WITH = "订单 {order_id} 已由 {carrier} 发出。"
SHIPPED = "订单 {order_id} 已发货。"
ARRIVES_BY = "预计 {expected}前送达。"
TRACK_WITH = "[在 {carrier} 查看物流]({url})"
TRACK = "[查看物流]({url})"
TRACKING_NUMBER = "物流单号是 {tracking_number}。"
DELIVERED = "订单 {order_id} 已于 {date}签收。"
RETURN_UNTIL = "如有任何问题，您可以在 {deadline}前申请退货。"
CANCELLED = "订单 {order_id} 已取消。如果您已经付款，可以问我退款进度。"
RETURN_REQUESTED = "订单 {order_id} 正在退货中。包裹到达我们仓库后 {refund_days} 个工作日内退款。"
REFUNDED = "订单 {order_id} 已退货并退款。想了解详情可以问我退款进度。"
CONTENTS = "订单内容：\n{items}"
ITEM_LINE = "- {quantity} × {name}"

REFUND_SENT_ON = (
    "订单 {order_id} 的退款 {amount} 已于 {date}退回您的原支付方式。视银行不同，可能需要几天才会显示在账单上。"
)
REFUND_SENT = "订单 {order_id} 的退款 {amount} 已退回您的原支付方式。视银行不同，可能需要几天才会显示在账单上。"
REFUND_PROCESSING_BY = "订单 {order_id} 的退款 {amount} 正在处理中，最晚将于 {date}退回您的原支付方式。"
REFUND_PROCESSING = "订单 {order_id} 的退款 {amount} 正在处理中，很快就会退回您的原支付方式。"
REFUND_AWAITING_RETURN = (
    "订单 {order_id} 的退货已登记，但包裹还没有到达我们仓库。包裹到达后 {refund_days} 个工作日内，将退款 {amount}。"
)
REFUNDS_AWAITING_RETURNS = (
    "订单 {order_id} 的 {count} 笔退货都已登记，但包裹还没有到达我们仓库。每个包裹到达后 {refund_days} 个工作日内退还"
    "对应的款项，共 {amount}。"
)
REFUND_NONE = "订单 {order_id} 没有退款：订单里没有退货，付款后也没有取消。"
