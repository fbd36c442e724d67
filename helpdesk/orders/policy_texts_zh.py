"""Chinese for helpdesk/orders/policy_texts.py: the same names and placeholders ({date} as ``helpdesk.i18n.long_date``
writes it in Chinese, 2026年12月2日（星期三）, with no space after it; {items} and {names} joined with 、 and 和)."""

from __future__ import annotations

TALK_TO_TEAM = "我们的客服人员可以和您一起处理；需要的话，请让我为您转接。"
GUARANTEE = "如果商品有质量问题或损坏，仍受法定保修保障。{talk_to_team}"
RETURN_OFFER = "在签收后 {days} 天内退货退款"
REFUSE_OR_RETURN = "您可以在送货时拒收，或者{return_offer}。"
THE_CARRIER = "快递公司"
TRACKING_LINK = "[物流链接]({url})"
NO_TRACKING_LINK = "物流链接"

PACKED_NO_ADDRESS_CHANGE = "订单 {order} 已打包待发，无法再修改收货地址。"
PACKED_ADDRESS_INSTEAD = (
    "您可以免费取消订单，用正确的地址重新下单；或者在发货后用我们邮件发给您的物流链接，联系快递公司改派。"
)
PACKED_NO_CANCEL = "订单 {order} 已打包，无法再取消。"

SHIPPED_NO_ADDRESS_CHANGE = "订单 {order} 已发货，无法再修改收货地址。"
SHIPPED_REDIRECT = "您可以尝试通过{tracking_link}联系 {carrier} 改派，或者在送货时拒收，包裹退回后我们会给您退款。"
SHIPPED_NO_CANCEL = "订单 {order} 已发货，无法再取消。"

DELIVERED_NO_ADDRESS_CHANGE = "订单 {order} 已签收，无法再修改收货地址。"
DELIVERED_WRONG_PLACE = "如果送错了地方，我们的客服人员可以和您一起查明；需要的话，请让我为您转接。"
DELIVERED_NO_CANCEL = "订单 {order} 已签收，无法再取消。"
DELIVERED_RETURN_OFFER = "您可以{return_offer}；直接告诉我要退货就行。"
DELIVERED_WINDOW_ENDED = (
    "它的 {days} 天退货期已于 {date}结束。如果商品有质量问题或损坏，仍受法定保修保障。{talk_to_team}"
)
DELIVERED_RETURN_UNTIL = "您可以在 {date}前退货退款；直接告诉我要退货就行。"

CANCELLED_NO_CANCEL = "订单 {order} 已经取消了。"
CANCELLED_NO_ADDRESS_CHANGE = "订单 {order} 已取消，没有需要修改的配送。"
CANCELLED_NO_RETURN = "订单 {order} 在发货前已取消，没有可退的商品。"
CANCELLED_REFUND = "如果您已经付款，退款正在路上；可以问我退款进度，看看预计何时到账。"
CANCELLED_NEW_ORDER = "您可以用正确的地址重新下单。{refund}"

REFUNDED_NO_CANCEL = "订单 {order} 已经退款，没有可以取消的了。"
REFUNDED = "订单 {order} 已退货并退款。"
REFUND_LOOKS_WRONG = "如果这笔退款看起来有问题，请告诉我。{talk_to_team}"

RETURN_IN_PROGRESS = "订单 {order} 正在退货中，无法取消。"
RETURN_IN_PROGRESS_REFUND = "包裹到达我们仓库后 {days} 个工作日内退款；您随时可以问我退款进度。"
RETURN_ALREADY_BOOKED = "订单 {order} 的退货已经登记过了。"
RETURN_ALREADY_BOOKED_NEXT = (
    "请用退货邮件里的 RMA 编号和运单把包裹寄回；包裹到达我们仓库后 {days} 个工作日内退款。您随时可以问我退款进度。"
)

ITEMS_ALREADY_IN_RETURN = "订单 {order} 的{items}已经在您登记的退货里了。"
OTHER_ITEMS_MAY_GO_BACK = "这个订单的其他商品仍然可以另外办理退货。"
RETURN_ALREADY_REFUNDING = (
    "不需要再寄回任何东西：退款已在处理中，会在 {days} 个工作日内退回您的原支付方式。您随时可以问我退款进度。"
)

ON_ITS_WAY = "订单 {order} 还在运输途中，暂时不能退货。"
ON_ITS_WAY_NEXT = "签收后您有 {days} 天可以退货，也可以在送货时拒收，包裹退回后我们会给您退款。"
ARRIVED_IN_TRANSIT = "物流信息显示订单 {order} 还在运输途中，所以我暂时无法在这里为您登记退货。"
ARRIVED_IN_TRANSIT_NEXT = "既然商品已经送到而且有损坏或发错，我们的客服人员可以马上为您处理；需要的话，请让我为您转接。"
NOT_DELIVERED = "订单 {order} 还没有送达，暂时没有可退的商品。"
NOT_DELIVERED_CANCEL = "如果还没发货，您可以免费取消订单；直接告诉我要取消订单就行。"
NOT_SHIPPED = "订单 {order} 还没有发货，暂时没有可退的商品。"
NO_TRACKING = "订单 {order} 还没有发货，暂时没有物流单号。"
NOT_SHIPPED_CANCEL = "您现在仍可以免费取消订单，不会发货。"
NOT_SHIPPED_PACKED = (
    "订单已打包，很快就会发出。签收后您有 {days} 天可以退货，也可以在送货时拒收，包裹退回后我们会给您退款。"
)

WINDOW_EXPIRED_ON = "订单 {order} 于 {date}签收，已超过 {days} 天，无法再退货。"
WINDOW_EXPIRED = "订单 {order} 签收已超过 {days} 天，无法再退货。"

FINAL_SALE_ONE = "订单 {order} 里的 {items} 属于清仓商品，不支持退货。"
FINAL_SALE_MANY = "订单 {order} 里的 {items} 属于清仓商品，不支持退货。"
FINAL_SALE_CHOSEN = "您选择的订单 {order} 里的商品属于清仓商品，不支持退货。"
FINAL_SALE_OTHERS = "订单里的其他商品仍然可以退货。"
FINAL_SALE_FAULTY = "如果清仓商品有质量问题或损坏，我们会为您换货或退款：客服人员可以帮您处理，请让我为您转接。"

ITEM_NOT_IN_ORDER = "订单 {order} 里没有商品 {sku}。"
ITEMS_NOT_SAID = "您还没告诉我要退订单 {order} 里的哪些商品。"
ITEM_WITH_SKU = "{name}（{sku}）"
ORDER_CONTAINS = "这个订单包含 {names}。您想退回其中哪些？"
WHICH_ITEMS = "您想退回哪些商品？"
TOO_MANY_PIECES = "订单 {order} 里有 {ordered} × {item}，退货数量不能超过这个。"
HOW_MANY = "您想退回几件？"

ADDRESS_MISSING = "新地址缺少{missing}，暂时无法把订单 {order} 改到这个地址。"
FULL_ADDRESS = "请提供完整地址：姓名、街道和门牌号、邮编、城市和国家。"
COUNTRY_NOT_SERVED = "我们不配送到{country}，所以无法把订单 {order} 寄到那里。"
WHERE_WE_DELIVER = "我们配送到所有欧盟国家、英国、瑞士和挪威：请提供这些地区的地址，或者让我为您转接客服。"
RETURN_COUNTRY_NOT_SUPPORTED = "从{country}退货无法在聊天中办理，所以我无法为订单 {order} 发起退货。"
SHOP_REFUSED_CANCEL = "我们的商城系统不允许我取消订单 {order}。"
SHOP_REFUSED_CHANGE_ADDRESS = "我们的商城系统不允许我修改订单 {order} 的收货地址。"
SHOP_REFUSED_RETURN = "我们的商城系统不允许我为订单 {order} 办理退货。"
REPLACEMENT_NOT_OFFERED = "我无法在聊天中为订单 {order} 办理换货。"
REPLACEMENT_ALREADY_BOOKED = "订单 {order} 的换货已经登记过了。"
REPLACEMENT_ALREADY_BOOKED_NEXT = "发货后物流链接会通过邮件发给您。{talk_to_team}"
ITEMS_BEING_REPLACED = "订单 {order} 的这些商品已经登记了换货。如果您更想退款而不是换货，客服可以帮您改。"

REPLACEMENT_BOOKED = "订单 {order} 的换货已登记：{rma}。我们会免费为您重新寄出{items}。"
REPLACEMENT_SHIPS = "它会随下一批发货从仓库寄出，物流链接会通过邮件发给您。"
REPLACEMENT_SEND_BACK = "请把收到的商品寄回：因为商品会重新寄给您，这次不退款。"
RETURN_BOOKED = "订单 {order} 的退货已登记：{rma}（{items}）。"
ITEMS_SEPARATOR = "；"
PIECES_OF = "{quantity} × {name}"
LABEL_PAID = "预付退货运单会发送到您的邮箱 {email}；从{country}寄回的运单费用为 {fee}，将从退款中扣除。"
LABEL_FREE = "免费的预付退货运单会发送到您的邮箱 {email}。"
PACK_AND_SEND = "请用原包装打包商品，在箱子上写上 {rma}，贴好运单，并在 {days} 天内交到运单上快递公司的任一网点。"
REFUND_TIMING = "包裹到达我们仓库后 {days} 个工作日内，{amount} 将退回您的原支付方式。"
DISPOSE_ALL = "{names} 不需要寄回：请妥善处理碎片，注意安全。"
DISPOSE_THESE = "{names} 不用放进包裹：请妥善处理碎片，注意安全。"
REFUND_TIMING_NO_PARCEL = "{amount} 将在 {days} 个工作日内退回您的原支付方式。"
EXCLUDED_ONE = "{names} 属于清仓商品，不支持退货，请不要放进包裹。"
EXCLUDED_MANY = "{names} 属于清仓商品，不支持退货，请不要放进包裹。"

COUNTRY_NAMES = {
    "AT": "奥地利", "BE": "比利时", "BG": "保加利亚", "CH": "瑞士", "CY": "塞浦路斯", "CZ": "捷克",
    "DE": "德国", "DK": "丹麦", "EE": "爱沙尼亚", "ES": "西班牙", "FI": "芬兰", "FR": "法国", "GB": "英国",
    "GR": "希腊", "HR": "克罗地亚", "HU": "匈牙利", "IE": "爱尔兰", "IT": "意大利", "LT": "立陶宛",
    "LU": "卢森堡", "LV": "拉脱维亚", "MT": "马耳他", "NL": "荷兰", "NO": "挪威", "PL": "波兰", "PT": "葡萄牙",
    "RO": "罗马尼亚", "SE": "瑞典", "SI": "斯洛文尼亚", "SK": "斯洛伐克", "US": "美国", "CN": "中国",
    "HK": "香港", "MO": "澳门", "TW": "台湾",
}  # fmt: skip
