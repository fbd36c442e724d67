"""Chinese for actions/texts/identity.py (same names and placeholders)."""

from __future__ import annotations

GOALS = {
    "order_status": "查询订单进度",
    "cancel_order": "取消订单",
    "change_shipping_address": "修改收货地址",
    "request_refund": "办理退货",
    "refund_status": "查询退款进度",
}
DEFAULT_GOAL = "处理您的订单"

ASK_ORDER_ID = (
    "我可以帮您{goal}。请问订单号是多少？订单号是 6 位数字（例如 100234），可以在订单确认邮件里找到。"
    "您也可以在同一条消息里附上下单时用的邮箱或邮编。"
)
ASK_ORDER_ID_AGAIN = "请发送 6 位数字的订单号，例如：100234。"
ASK_ORDER_ID_EMAIL_NOTED = (
    "谢谢，邮箱地址我已记下：它可以证明订单是您的。不过我在这里无法通过邮箱查找订单，所以还需要 6 位数的订单号"
    "（例如 100234），在订单确认邮件里可以找到。如果找不到，人工客服可以帮您查找订单。"
)
NO_ORDER_NUMBER = (
    "没关系。订单号是 6 位数字（例如 100234），在您下单后收到的订单确认邮件里；"
    "如果您有账户，也可以在“账户 → 订单”里找到。"
    "找到后直接发给我就好；如果实在找不到，我们的客服可以帮您查。"
)
NO_ORDER_NUMBER_BY_MAIL = (
    "没关系。订单号是 6 位数字（例如 100234），在您下单后收到的订单确认邮件里；"
    "如果您有账户，也可以在“账户 → 订单”里找到。"
    "实在找不到？告诉我您下单时用的邮箱地址，我会把您的订单列表发到这个邮箱；也可以由我们的客服帮您查。"
)
ORDER_LIST_SENT = (
    "谢谢！如果 {email} 在我们这里有订单，订单列表正在发往这个邮箱，可能需要几分钟，也请看看垃圾邮件箱。"
    "拿到订单号后直接发给我就好。"
)
ASK_ORDER_ID_RECENT_NAMED = "{first_name}，请问是哪个订单？您最近的订单有：{orders}。"
ASK_ORDER_ID_RECENT = "请问是哪个订单？您最近的订单有：{orders}。"
ORDER_BUTTON = "订单 {order_id}"
ORDERS_JOINER = "、"
ASK_ORDER_ID_SAME = "还是订单 {order_id} 吗？如果是其他订单，请发给我订单号。"
ASK_ORDER_ID_SAME_RECENT = "还是订单 {order_id} 吗？您最近的其他订单有：{orders}。"

ASK_VERIFICATION = "为了保护您的信息安全：请提供订单 {order_id} 的下单邮箱或收货邮编。"
ASK_VERIFICATION_AGAIN = "订单 {order_id} 用的是哪个邮箱或收货邮编？如果订单号不对，直接把正确的发给我就行。"
ASK_EMAIL_FOR_CHANGE = "凭邮编我只能查看订单状态，要{goal}，需要您下单时用的邮箱。请问订单 {order_id} 的邮箱是什么？"
ASK_EMAIL_FOR_OTHER_ORDER = "要{goal}，需要订单 {order_id} 本身的凭证：请问您下这个订单时用的邮箱是什么？"
ASK_EMAIL_FOR_CHANGE_AGAIN = "要{goal}，需要您下订单 {order_id} 时用的邮箱。如果找不到，我们的客服人员可以帮您。"

MALFORMED_ORDER_NUMBER = "“{number}”不像是我们的订单号：订单号是 6 位数字，例如 100234，可以在订单确认邮件里找到。"
SEND_ORDER_NUMBER_AGAIN = "请核对一下订单号，再发给我一次。"
MALFORMED_EMAIL = "“{email}”不像是完整的邮箱地址，正确格式类似 name@example.com。"
LATEST_ORDER_NEEDS_IDENTITY = "确认是您本人之后，我就可以帮您查最近的订单。"
NO_ORDERS_YET = "您的账户里还没有找到任何订单。"

NOT_VERIFIED = (
    "没有找到与这个订单号和信息相符的订单。请核对订单号，以及下单时用的邮箱或邮编。您还可以再试 {remaining} 次。"
)
NOT_VERIFIED_LAST_TRY = (
    "没有找到与这个订单号和信息相符的订单。请核对订单号，以及下单时用的邮箱或邮编。您还可以再试 1 次。"
)
HANDED_OFF = "信息仍然对不上，所以我无法在这里显示这个订单。我已把对话转给人工客服，他们可以帮您核实。"
TOO_MANY_ATTEMPTS = (
    "现在无法在这里继续核对订单信息：不匹配的尝试次数太多了。为了您的账户安全，可以由我们的客服人员和您一起核对订单。"
)
