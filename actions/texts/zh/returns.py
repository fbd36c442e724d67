"""Chinese for actions/texts/returns.py (same names and placeholders)."""

from __future__ import annotations

ASK_ITEMS = "您想退回订单 {order_id} 里的哪些商品？可以点选下面的商品、说出商品名称，或者说“全部”。"
ASK_ITEMS_AGAIN = "您想退回其中哪些？可以点选一件、说出商品名称，或者说“全部”。"
ASK_ITEMS_DAMAGED = "订单 {order_id} 里哪些商品到货时有损坏？可以点选下面的商品、说出商品名称，或者说“全部”。"
ASK_ITEMS_WRONG = "订单 {order_id} 里哪些商品不是您订购的？可以点选下面的商品、说出商品名称，或者说“全部”。"
ASK_ITEMS_DAMAGED_AGAIN = "其中哪些到货时有损坏？可以点选一件、说出商品名称，或者说“全部”。"
ASK_ITEMS_WRONG_AGAIN = "其中哪些不是您订购的？可以点选一件、说出商品名称，或者说“全部”。"
FINAL_SALE_NOTE_ONE = "{final_sale} 属于清仓商品，不支持退货。"
FINAL_SALE_NOTE_MANY = "{final_sale} 属于清仓商品，不支持退货。"
EVERYTHING_BUTTON = "全部"
ITEMS_UNCLEAR = "抱歉，我没看明白您指的是订单 {order_id} 里的哪些商品。"
ASK_PIECES = "订单 {order_id} 里有 {count} 件{item}。您想退回其中几件？"
PIECES_BUTTON = "{n} 件"
ALL_PIECES_BUTTON = "全部 {count} 件"
NOTHING_LEFT = "这样订单 {order_id} 就没有可退的商品了。"
SET_GOES_BACK_WHOLE = "“{item}”是整套出售的，只能整套退回，不能只退其中几件。如果想保留这一套，回复“不”就好。"

ITEM_LINE = "- {quantity} × {name}（{amount}）"
SUMMARY_FREE_LABEL = (
    "订单 {order_id} 的退货如下：\n{items}\n"
    "包裹到达我们仓库后 {refund_days} 个工作日内，{refund} 将退回您的原支付方式。"
    "退货运单免费。请在 {ship_by}前寄出包裹。\n"
    "要为您办理这次退货吗？您也可以告诉我增加或去掉哪些商品。"
)
SUMMARY_PAID_LABEL = (
    "订单 {order_id} 的退货如下：\n{items}\n"
    "从{country}寄回的预付退货运单费用为 {fee}，将从退款中扣除：包裹到达我们仓库后 {refund_days} 个工作日内，"
    "{refund} 将退回您的原支付方式。请在 {ship_by}前寄出包裹。\n"
    "要为您办理这次退货（含运单）吗？您也可以告诉我增加或去掉哪些商品。"
)
SUMMARY_NOTHING_BACK = (
    "订单 {order_id} 的退货如下：\n{items}\n"
    "您不需要寄回任何东西：请妥善处理碎片，注意安全。{refund} 将在 {refund_days} 个工作日内退回您的原支付方式。\n"
    "要为您办理这次退货吗？您也可以告诉我增加或去掉哪些商品。"
)
DISPOSED_NOTE = "（{names}：碎片不需要寄回，请妥善处理，注意安全。）"
LEFT_OUT_ONE = "（{final_sale} 属于清仓商品，不在退货范围内。）"
LEFT_OUT_MANY = "（{final_sale} 属于清仓商品，不在退货范围内。）"
YES_BUTTON = "是的，办理退货"
NO_BUTTON = "不用了"
DECLINED = "好的，订单 {order_id} 没有办理任何退货。如果想退其他商品，直接告诉我就行。"

NEW_ONE = "一件新的"
NEW_ONES = "新的"
RIGHT_ITEM = "正确的商品"
RIGHT_ITEMS = "正确的商品"
ASK_REMEDY_WRONG_ITEM = (
    "订单 {order_id} 的{items}，您希望我们免费给您补发{sent_again}，还是全额退款 {refund}？"
    "无论哪种，寄回收到的商品都是免费的。"
)
ASK_REMEDY_DAMAGED = (
    "订单 {order_id} 的{items}，您希望我们免费给您寄{sent_again}，还是全额退款 {refund}？"
    "无论哪种，寄回损坏的商品都是免费的。"
)
ASK_REMEDY_DAMAGED_DISPOSE = (
    "订单 {order_id} 的{items}，您希望我们免费给您寄{sent_again}，还是全额退款 {refund}？"
    "无论哪种，碎片都不需要寄回：请妥善处理，注意安全。"
)
ORDINARY_BESIDE_DAMAGE = (
    "“{item}”没有损坏，不算在这次破损处理里：它按普通退货办理，适用您的退货条款。这次处理完后，告诉我您想退它就好。"
)
REASON_COLOUR = "明白，颜色不合您的心意。"
REASON_SIZE = "明白，尺寸不合适。"
REASON_OTHER = "明白，谢谢您告诉我。"
NOW_DAMAGED = "很抱歉商品到货时就有损坏。这样就按破损处理，不算普通退货：您不需要承担任何费用。"
NOW_WRONG_ITEM = "很抱歉给您发错了商品。这样退货由我们负责：您不需要承担任何费用。"
ASK_REMEDY_AGAIN = "要我们免费给您换货，还是退款 {refund}？请点选下面的一项或直接告诉我。"
REPLACEMENT_BUTTON = "换货（免费补发）"
REFUND_BUTTON = "退款 {refund}"
SUMMARY_REPLACEMENT = (
    "订单 {order_id} 的换货如下：\n{items}\n"
    "我们会免费为您重新寄出这些商品，并通过邮件发给您寄回所收商品的免费退货运单：请在 {ship_by}前寄出。"
    "因为商品会重新寄给您，这次不退款。\n"
    "要为您办理这次换货吗？您也可以告诉我增加或去掉哪些商品，或者改为退款。"
)
SUMMARY_REPLACEMENT_NOTHING_BACK = (
    "订单 {order_id} 的换货如下：\n{items}\n"
    "我们会免费为您重新寄出这些商品。碎片不需要寄回：请妥善处理，注意安全。\n"
    "要为您办理这次换货吗？您也可以告诉我增加或去掉哪些商品，或者改为退款。"
)
YES_REPLACEMENT_BUTTON = "是的，给我换货"
ITEM_NOT_IN_ORDER = "订单 {order_id} 里好像没有您说的这件商品。如果是在另一个订单里买的，直接发我那个订单号就好。"

PART_BEFORE_SHIPPING = (
    "没办法只把{items}从订单里去掉：订单一旦提交，里面的商品就不能再修改。您可以免费取消整个订单，再重新下单购买想保留的"
    "商品；也可以保留订单，在签收后 {days} 天内退回不需要的商品。"
)
QUOTED_ITEM = "“{item}”"
